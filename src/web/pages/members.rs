//! Space Settings → Members: seats, invitations and members of the current
//! space and its sub-workspaces.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::domain::{Email, Role};
use crate::error::AppError;
use crate::members::queries::{Invitation, MemberRow};
use crate::members::seats::SeatUsage;
use crate::members::service::{self, MemberError, MembersOverview};
use crate::policy::Denied;
use crate::web::context::{Layout, SignedIn};
use crate::web::forms::FieldErrors;
use crate::web::htmx;
use crate::web::pagination::{Pagination, query_string};
use crate::web::sent_invitations::{SentInvitation, deliver};
use crate::web::state::AppState;

const PER_PAGE: i64 = 25;

#[derive(Template, WebTemplate)]
#[template(path = "pages/members.html")]
struct MembersPage {
    layout: Layout,
    tab: &'static str,
    space_name: String,
    seats: SeatUsage,
    seat_sources: Vec<(String, i64)>,
    members: Vec<MemberRow>,
    invitations: Vec<(Invitation, String)>,
    targets: Vec<(String, String)>,
    pagination: Pagination,
    search: String,
    roles: [Role; 4],
    sent: Vec<SentInvitation>,
    notice: Option<&'static str>,
    problem: Option<String>,
    errors: FieldErrors,
    typed_emails: String,
    typed_role: String,
    typed_space: String,
}

impl MembersPage {
    fn role_label(&self, role: &str) -> &'static str {
        Role::parse(role).map(Role::label).unwrap_or("Unknown")
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    page: Option<i64>,
    notice: Option<String>,
}

fn notice_text(key: Option<&str>) -> Option<&'static str> {
    match key? {
        "revoked" => Some("Invitation revoked: the link no longer works and its seat is free."),
        "role" => Some("Role changed."),
        "removed" => Some("Member removed. They lost access to that space at once."),
        _ => None,
    }
}

/// Loads the overview and wraps it in the page.
async fn load(
    state: &AppState,
    me: &SignedIn,
    search: String,
    page: Option<i64>,
) -> Result<MembersPage, AppError> {
    let mut pagination = Pagination::new(page, PER_PAGE, query_string(&[("q", &search)]));
    let (actor, space_id, term, offset) = (
        me.user.clone(),
        me.space.id.clone(),
        search.clone(),
        pagination.offset(),
    );
    let overview: MembersOverview = state
        .db(move |conn| {
            Ok(service::overview(
                conn, &actor, &space_id, &term, PER_PAGE, offset,
            ))
        })
        .await?
        .map_err(member_error)?;
    pagination.total = overview.total_members;
    Ok(MembersPage {
        layout: me.layout()?,
        tab: "members",
        space_name: overview.space.name,
        seats: overview.seats,
        seat_sources: overview.seat_sources,
        members: overview.members,
        invitations: overview.invitations,
        targets: overview.targets,
        pagination,
        search,
        roles: Role::ALL,
        sent: Vec::new(),
        notice: None,
        problem: None,
        errors: FieldErrors::default(),
        typed_emails: String::new(),
        typed_role: Role::Creator.as_str().to_owned(),
        typed_space: me.space.id.clone(),
    })
}

/// Refusals that are not about a form field become error pages.
fn member_error(error: MemberError) -> AppError {
    match error {
        MemberError::Denied(Denied::NotAllowed) => {
            AppError::Forbidden("manage members of this space")
        }
        MemberError::Denied(denied) => denied.into(),
        other => AppError::unexpected(anyhow::anyhow!("unhandled member error: {other}")),
    }
}

fn render(req: &HttpRequest, page: MembersPage, status: StatusCode) -> HttpResponse {
    page.customize()
        .with_status(status)
        .respond_to(req)
        .map_into_boxed_body()
}

#[tracing::instrument(skip_all)]
pub async fn show(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let mut page = load(&state, &me, query.q, query.page).await?;
    page.notice = notice_text(query.notice.as_deref());
    Ok(render(&req, page, StatusCode::OK))
}

#[derive(Deserialize)]
pub struct InviteForm {
    emails: String,
    role: String,
    space_id: String,
}

/// Splits what was typed into addresses; returns the parsed ones and the rest.
fn parse_emails(typed: &str) -> (Vec<Email>, Vec<String>) {
    let mut good: Vec<Email> = Vec::new();
    let mut bad = Vec::new();
    for part in typed
        .split([',', ';', '\n', '\r', ' ', '\t'])
        .filter(|p| !p.trim().is_empty())
    {
        match Email::parse(part) {
            Ok(email) if !good.contains(&email) => good.push(email),
            Ok(_) => {}
            Err(_) => bad.push(part.trim().to_owned()),
        }
    }
    (good, bad)
}

#[tracing::instrument(skip_all)]
pub async fn invite(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    form: web::Form<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let (emails, bad) = parse_emails(&form.emails);
    if !bad.is_empty() {
        errors.add(
            "emails",
            format!(
                "These are not email addresses: {}. Separate addresses with commas or new lines.",
                bad.join(", ")
            ),
        );
    } else if emails.is_empty() {
        errors.add("emails", "Enter at least one email address.");
    }
    let role = errors.check("role", Role::parse(&form.role));

    let outcome = match (role, errors.is_empty()) {
        (Some(role), true) => {
            let (actor, space_id) = (me.user.clone(), form.space_id.clone());
            Some(
                state
                    .db(move |conn| Ok(service::invite(conn, &actor, &space_id, &emails, role)))
                    .await?,
            )
        }
        _ => None,
    };
    let issued = match outcome {
        Some(Ok(issued)) => issued,
        Some(Err(
            error @ (MemberError::AlreadyMember(_)
            | MemberError::AlreadyInvited(_)
            | MemberError::NotEnoughSeats { .. }
            | MemberError::NoEmails),
        )) => {
            errors.add("emails", error.to_string());
            Vec::new()
        }
        Some(Err(other)) => return Err(member_error(other)),
        None => Vec::new(),
    };
    let sent = deliver(&state, &me.user.name, issued).await;
    let mut page = load(&state, &me, String::new(), None).await?;
    if !errors.is_empty() {
        page.errors = errors;
        page.typed_emails = form.emails;
        page.typed_role = form.role;
        page.typed_space = form.space_id;
        return Ok(render(&req, page, StatusCode::UNPROCESSABLE_ENTITY));
    }
    page.sent = sent;
    Ok(render(&req, page, StatusCode::OK))
}

#[tracing::instrument(skip_all)]
pub async fn resend(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (actor, id) = (me.user.clone(), path.into_inner());
    let outcome = state
        .db(move |conn| Ok(service::resend(conn, &actor, &id)))
        .await?;
    let mut page_problem = None;
    let sent = match outcome {
        Ok(issued) => deliver(&state, &me.user.name, vec![issued]).await,
        Err(error @ MemberError::NotEnoughSeats { .. }) => {
            page_problem = Some(error.to_string());
            Vec::new()
        }
        Err(other) => return Err(member_error(other)),
    };
    let mut page = load(&state, &me, String::new(), None).await?;
    page.sent = sent;
    let status = if page_problem.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    page.problem = page_problem;
    Ok(render(&req, page, status))
}

#[tracing::instrument(skip_all)]
pub async fn revoke(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (actor, id) = (me.user.clone(), path.into_inner());
    state
        .db(move |conn| Ok(service::revoke(conn, &actor, &id)))
        .await?
        .map_err(member_error)?;
    Ok(htmx::redirect(&req, "/settings/members?notice=revoked"))
}

#[derive(Deserialize)]
pub struct RoleForm {
    role: String,
}

/// Shows a refusal on the Members page itself (409), keeping the list in view.
async fn refuse(
    req: &HttpRequest,
    state: &AppState,
    me: &SignedIn,
    problem: String,
) -> Result<HttpResponse, AppError> {
    let mut page = load(state, me, String::new(), None).await?;
    page.problem = Some(problem);
    Ok(render(req, page, StatusCode::CONFLICT))
}

#[tracing::instrument(skip_all)]
pub async fn change_role(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<RoleForm>,
) -> Result<HttpResponse, AppError> {
    let role = Role::parse(&form.role).map_err(|_| AppError::NotFound)?;
    let (actor, id) = (me.user.clone(), path.into_inner());
    match state
        .db(move |conn| Ok(service::change_role(conn, &actor, &id, role)))
        .await?
    {
        Ok(()) => Ok(htmx::redirect(&req, "/settings/members?notice=role")),
        Err(error @ MemberError::LastSuperAdmin) => {
            refuse(&req, &state, &me, error.to_string()).await
        }
        Err(other) => Err(member_error(other)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/member_remove.html")]
struct RemovePage {
    layout: Layout,
    membership_id: String,
    person: String,
    space_name: String,
}

#[tracing::instrument(skip_all)]
pub async fn confirm_remove(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (actor, id) = (me.user.clone(), path.into_inner());
    let lookup = id.clone();
    let (person, space_name) = state
        .db(move |conn| Ok(service::removal_preview(conn, &actor, &lookup)))
        .await?
        .map_err(member_error)?;
    let page = RemovePage {
        layout: me.layout()?,
        membership_id: id,
        person,
        space_name,
    };
    Ok(page.respond_to(&req).map_into_boxed_body())
}

#[tracing::instrument(skip_all)]
pub async fn remove(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (actor, id) = (me.user.clone(), path.into_inner());
    match state
        .db(move |conn| Ok(service::remove(conn, &actor, &id)))
        .await?
    {
        Ok(_) => Ok(htmx::redirect(&req, "/settings/members?notice=removed")),
        Err(error @ MemberError::LastSuperAdmin) => {
            refuse(&req, &state, &me, error.to_string()).await
        }
        Err(other) => Err(member_error(other)),
    }
}
