//! Space Settings → Sub-Workspaces: the list, Create Sub-Workspace, and the
//! gear (⚙) settings dialog with archive and restore.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::domain::{Email, FieldError, Role, SpaceName};
use crate::error::AppError;
use crate::members::service::MemberError;
use crate::policy::{self, Action, Denied};
use crate::spaces::image::{self, ImageError, MAX_UPLOAD_BYTES, Thumbnail};
use crate::spaces::models::{Billing, Space};
use crate::telemetry::spawn_blocking_with_span;
use crate::web::context::{Layout, SignedIn};
use crate::web::forms::{FieldErrors, MultipartForm};
use crate::web::htmx;
use crate::web::sent_invitations::{SentInvitation, deliver};
use crate::web::state::AppState;
use crate::workspaces::service::{self, WorkspaceError, WorkspaceSettings};

/// Rows of "invite people" on the Create Sub-Workspace form.
const INVITE_ROWS: usize = 3;

/// The settings form as typed (or as stored, when it first opens).
pub struct WorkspaceForm {
    pub name: String,
    pub separate: bool,
    pub api_access: bool,
    pub strict_quota: bool,
}

impl WorkspaceForm {
    fn of(space: &Space) -> WorkspaceForm {
        WorkspaceForm {
            name: space.name.clone(),
            separate: space.billing() == Billing::Separate,
            api_access: space.api_access,
            strict_quota: space.strict_quota,
        }
    }

    fn typed(form: &MultipartForm) -> WorkspaceForm {
        WorkspaceForm {
            name: form.text("name").to_owned(),
            separate: form.text("billing") == "separate",
            api_access: form.text("api_access") == "on",
            strict_quota: form.text("strict_quota") == "on",
        }
    }

    fn settings(&self, errors: &mut FieldErrors) -> Option<WorkspaceSettings> {
        let name = errors.check("name", SpaceName::parse(&self.name))?;
        Some(WorkspaceSettings {
            name,
            billing: if self.separate {
                Billing::Separate
            } else {
                Billing::Inherited
            },
            api_access: self.api_access,
            strict_quota: self.strict_quota,
        })
    }
}

/// Reads the optional image of a settings form, explaining a bad one.
async fn optional_image(
    form: &MultipartForm,
    errors: &mut FieldErrors,
) -> Result<Option<Thumbnail>, AppError> {
    if form.file_too_large {
        errors.add("image", ImageError::TooLarge.to_string());
        return Ok(None);
    }
    let Some(bytes) = form.file.clone() else {
        return Ok(None);
    };
    let processed = spawn_blocking_with_span(move || image::process_upload(&bytes)).await?;
    Ok(errors.check(
        "image",
        processed.map_err(|e| FieldError::new(e.to_string())),
    ))
}

fn workspace_error(error: WorkspaceError) -> AppError {
    match error {
        WorkspaceError::Member(MemberError::Denied(Denied::NotAllowed)) => {
            AppError::Forbidden("manage the sub-workspaces of this space")
        }
        WorkspaceError::Member(MemberError::Denied(denied)) => denied.into(),
        other => AppError::unexpected(anyhow::anyhow!("unhandled workspace error: {other}")),
    }
}

pub struct WorkspaceRow {
    pub id: String,
    pub name: String,
    pub image_url: Option<String>,
    pub initial: String,
    pub members: i64,
    pub separate: bool,
    pub api_access: bool,
    pub strict_quota: bool,
    pub archived: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/workspaces.html")]
struct WorkspacesPage {
    layout: Layout,
    tab: &'static str,
    space_name: String,
    can_have_children: bool,
    rows: Vec<WorkspaceRow>,
    notice: Option<&'static str>,
    sent: Vec<SentInvitation>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    notice: Option<String>,
}

fn notice_text(key: Option<&str>) -> Option<&'static str> {
    match key? {
        "saved" => Some("Settings saved."),
        "archived" => Some("Sub-workspace archived. Its members lost access; restore it any time."),
        "restored" => Some("Sub-workspace restored."),
        _ => None,
    }
}

async fn list_page(state: &AppState, me: &SignedIn) -> Result<WorkspacesPage, AppError> {
    if !policy::role_allows(me.role, Action::ManageSubWorkspaces) {
        return Err(AppError::Forbidden(
            "manage the sub-workspaces of this space",
        ));
    }
    let can_have_children = me.space.is_billing_root();
    let rows = if can_have_children {
        let (actor, space_id) = (me.user.clone(), me.space.id.clone());
        state
            .db(move |conn| Ok(service::list(conn, &actor, &space_id)))
            .await?
            .map_err(workspace_error)?
            .into_iter()
            .map(|row| WorkspaceRow {
                id: row.space.id.clone(),
                name: row.space.name.clone(),
                image_url: row.space.image_url(),
                initial: row
                    .space
                    .name
                    .chars()
                    .next()
                    .map(|c| c.to_uppercase().to_string())
                    .unwrap_or_default(),
                members: row.members,
                separate: row.space.billing() == Billing::Separate,
                api_access: row.space.api_access,
                strict_quota: row.space.strict_quota,
                archived: row.space.is_archived(),
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(WorkspacesPage {
        layout: me.layout()?,
        tab: "workspaces",
        space_name: me.space.name.clone(),
        can_have_children,
        rows,
        notice: None,
        sent: Vec::new(),
    })
}

#[tracing::instrument(skip_all)]
pub async fn list(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let mut page = list_page(&state, &me).await?;
    page.notice = notice_text(query.notice.as_deref());
    Ok(page.respond_to(&req).map_into_boxed_body())
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/workspace_new.html")]
struct NewWorkspacePage {
    layout: Layout,
    parent_name: String,
    form: WorkspaceForm,
    errors: FieldErrors,
    invites: Vec<(String, String)>,
    roles: [Role; 4],
}

fn new_page(
    me: &SignedIn,
    form: WorkspaceForm,
    errors: FieldErrors,
    invites: Vec<(String, String)>,
) -> Result<NewWorkspacePage, AppError> {
    Ok(NewWorkspacePage {
        layout: me.layout()?,
        parent_name: me.space.name.clone(),
        form,
        errors,
        invites,
        roles: Role::ALL,
    })
}

#[tracing::instrument(skip_all)]
pub async fn new_form(req: HttpRequest, me: SignedIn) -> Result<HttpResponse, AppError> {
    if !policy::can(&me.space, me.role, Action::ManageSubWorkspaces) {
        return Err(AppError::Forbidden("create sub-workspaces here"));
    }
    let form = WorkspaceForm {
        name: String::new(),
        separate: false,
        api_access: false,
        strict_quota: true,
    };
    let invites = vec![(String::new(), Role::Creator.as_str().to_owned()); INVITE_ROWS];
    Ok(new_page(&me, form, FieldErrors::default(), invites)?
        .respond_to(&req)
        .map_into_boxed_body())
}

#[tracing::instrument(skip_all)]
pub async fn create(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    if !policy::can(&me.space, me.role, Action::ManageSubWorkspaces) {
        return Err(AppError::Forbidden("create sub-workspaces here"));
    }
    let form = MultipartForm::read(multipart, "image", MAX_UPLOAD_BYTES).await?;
    let typed = WorkspaceForm::typed(&form);
    let mut errors = FieldErrors::default();
    let settings = typed.settings(&mut errors);
    let image = optional_image(&form, &mut errors).await?;
    let mut invites = Vec::new();
    let mut typed_invites = Vec::new();
    for row in 1..=INVITE_ROWS {
        let (email, role) = (
            form.text(&format!("invite_email_{row}")),
            form.text(&format!("invite_role_{row}")),
        );
        typed_invites.push((email.to_owned(), role.to_owned()));
        if email.trim().is_empty() {
            continue;
        }
        match (Email::parse(email), Role::parse(role)) {
            (Ok(email), Ok(role)) => match invites.iter().find(|(e, _)| *e == email) {
                Some((_, earlier)) if *earlier == role => {} // the same row twice
                Some(_) => errors.add(
                    "invites",
                    format!(
                        "Row {row}: {} is listed twice with different roles.",
                        email.as_str()
                    ),
                ),
                None => invites.push((email, role)),
            },
            (Err(error), _) | (_, Err(error)) => {
                errors.add("invites", format!("Row {row}: {error}"))
            }
        }
    }
    let Some(settings) = settings.filter(|_| errors.is_empty()) else {
        let page = new_page(&me, typed, errors, typed_invites)?;
        return Ok(page
            .customize()
            .with_status(StatusCode::UNPROCESSABLE_ENTITY)
            .respond_to(&req)
            .map_into_boxed_body());
    };
    let (actor, parent_id) = (me.user.clone(), me.space.id.clone());
    let created = state
        .db(move |conn| {
            Ok(service::create(
                conn,
                &actor,
                &parent_id,
                &settings,
                image.as_ref(),
                &invites,
            ))
        })
        .await?;
    let issued = match created {
        Ok((_, issued)) => issued,
        Err(WorkspaceError::Member(
            error @ (MemberError::AlreadyMember(_)
            | MemberError::AlreadyInvited(_)
            | MemberError::NotEnoughSeats { .. }),
        )) => {
            errors.add("invites", error.to_string());
            let page = new_page(&me, typed, errors, typed_invites)?;
            return Ok(page
                .customize()
                .with_status(StatusCode::UNPROCESSABLE_ENTITY)
                .respond_to(&req)
                .map_into_boxed_body());
        }
        Err(other) => return Err(workspace_error(other)),
    };
    let sent = deliver(&state, &me.user.name, issued).await;
    let mut page = list_page(&state, &me).await?;
    page.notice = Some("Sub-workspace created.");
    page.sent = sent;
    Ok(page.respond_to(&req).map_into_boxed_body())
}

/// The gear dialog's content, shared by the dialog and the full page.
#[derive(Template, WebTemplate)]
#[template(path = "pages/workspace_settings.html")]
struct SettingsPage {
    layout: Layout,
    dialog: bool,
    workspace_id: String,
    current_name: String,
    parent_name: String,
    archived: bool,
    form: WorkspaceForm,
    errors: FieldErrors,
    members: Vec<(String, String, &'static str)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "partials/_workspace_dialog.html")]
struct SettingsDialog {
    page: SettingsPage,
}

async fn settings_view(
    req: &HttpRequest,
    state: &AppState,
    me: &SignedIn,
    workspace_id: String,
    form: Option<WorkspaceForm>,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let actor = me.user.clone();
    let (workspace, parent, members) = state
        .db(move |conn| {
            let (workspace, parent) = match service::manageable(conn, &actor, &workspace_id) {
                Ok(found) => found,
                Err(error) => return Ok(Err(error)),
            };
            let members = crate::members::queries::member_page(
                conn,
                std::slice::from_ref(&workspace.id),
                "",
                200,
                0,
            )?
            .0;
            Ok(Ok((workspace, parent, members)))
        })
        .await?
        .map_err(workspace_error)?;
    let page = SettingsPage {
        layout: me.layout()?,
        dialog: htmx::is_htmx(req),
        workspace_id: workspace.id.clone(),
        current_name: workspace.name.clone(),
        parent_name: parent.name.clone(),
        archived: workspace.is_archived(),
        form: form.unwrap_or_else(|| WorkspaceForm::of(&workspace)),
        errors,
        members: members
            .into_iter()
            .map(|m| {
                (
                    m.name,
                    m.email,
                    Role::parse(&m.role).map(Role::label).unwrap_or("Unknown"),
                )
            })
            .collect(),
    };
    let response = if page.dialog {
        SettingsDialog { page }
            .customize()
            .with_status(status)
            .respond_to(req)
            .map_into_boxed_body()
    } else {
        page.customize()
            .with_status(status)
            .respond_to(req)
            .map_into_boxed_body()
    };
    Ok(response)
}

#[tracing::instrument(skip_all)]
pub async fn settings(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    settings_view(
        &req,
        &state,
        &me,
        path.into_inner(),
        None,
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

#[tracing::instrument(skip_all)]
pub async fn save_settings(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let workspace_id = path.into_inner();
    let form = MultipartForm::read(multipart, "image", MAX_UPLOAD_BYTES).await?;
    let typed = WorkspaceForm::typed(&form);
    let mut errors = FieldErrors::default();
    let settings = typed.settings(&mut errors);
    let image = optional_image(&form, &mut errors).await?;
    if let Some(settings) = settings.filter(|_| errors.is_empty()) {
        let (actor, id) = (me.user.clone(), workspace_id.clone());
        match state
            .db(move |conn| {
                Ok(service::update_settings(
                    conn,
                    &actor,
                    &id,
                    &settings,
                    image.as_ref(),
                ))
            })
            .await?
        {
            Ok(_) => return Ok(htmx::redirect(&req, "/settings/workspaces?notice=saved")),
            Err(
                error @ (WorkspaceError::HasChildren
                | WorkspaceError::ParentLacksSeats { .. }
                | WorkspaceError::OwnSeatsTooFew { .. }),
            ) => {
                errors.add("billing", error.to_string());
            }
            Err(other) => return Err(workspace_error(other)),
        }
    }
    settings_view(
        &req,
        &state,
        &me,
        workspace_id,
        Some(typed),
        errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

#[derive(Deserialize)]
pub struct ArchiveForm {
    confirm_name: String,
}

#[tracing::instrument(skip_all)]
pub async fn archive(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<ArchiveForm>,
) -> Result<HttpResponse, AppError> {
    let (actor, id) = (me.user.clone(), path.into_inner());
    let typed = form.into_inner().confirm_name;
    let lookup = id.clone();
    match state
        .db(move |conn| Ok(service::archive(conn, &actor, &lookup, &typed)))
        .await?
    {
        Ok(_) => Ok(htmx::redirect(&req, "/settings/workspaces?notice=archived")),
        Err(error @ WorkspaceError::ConfirmationMismatch) => {
            let mut errors = FieldErrors::default();
            errors.add("confirm_name", error.to_string());
            settings_view(
                &req,
                &state,
                &me,
                id,
                None,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(workspace_error(other)),
    }
}

#[tracing::instrument(skip_all)]
pub async fn restore(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (actor, id) = (me.user.clone(), path.into_inner());
    state
        .db(move |conn| Ok(service::restore(conn, &actor, &id)))
        .await?
        .map_err(workspace_error)?;
    Ok(htmx::redirect(&req, "/settings/workspaces?notice=restored"))
}
