//! The page an invitation link opens: join as a new person (name and
//! password) or as an existing one (password), or a clear word on why the
//! link no longer works.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::auth::{password, service as auth_service};
use crate::domain::{NewPassword, PersonName};
use crate::error::AppError;
use crate::members::service::{self, AcceptError, Accepting, InvitationState};
use crate::web::context::{Layout, start_session};
use crate::web::forms::FieldErrors;
use crate::web::htmx;
use crate::web::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "pages/invitation.html")]
struct InvitationPage {
    layout: Layout,
    token: String,
    /// Set when the link cannot be used: (title, explanation).
    dead_end: Option<(&'static str, &'static str)>,
    space_name: String,
    role: &'static str,
    email: String,
    has_account: bool,
    name: String,
    problem: Option<String>,
    errors: FieldErrors,
}

fn dead_end(state: &InvitationState) -> Option<(&'static str, &'static str)> {
    match state {
        InvitationState::Pending { .. } => None,
        InvitationState::Unknown => Some((
            "This invitation link is not valid",
            "Check that you copied the whole link, or ask the person who invited you to send it again.",
        )),
        InvitationState::Used => Some((
            "This invitation was already used",
            "Each invitation link works once. If it was you, sign in; otherwise ask for a new invitation.",
        )),
        InvitationState::Revoked => Some((
            "This invitation was withdrawn",
            "An admin revoked it, or the space it was for is no longer open. Ask them for a new one if you still need access.",
        )),
        InvitationState::Expired => Some((
            "This invitation has expired",
            "Invitation links work for 7 days. Ask the person who invited you to resend it.",
        )),
    }
}

async fn page(
    state: &AppState,
    session: &Session,
    token: String,
) -> Result<(InvitationPage, StatusCode), AppError> {
    let lookup = token.clone();
    let found = state
        .db(move |conn| Ok(service::look_up(conn, &lookup)?))
        .await?;
    let mut page = InvitationPage {
        layout: Layout::anonymous(session)?,
        token,
        dead_end: dead_end(&found),
        space_name: String::new(),
        role: "",
        email: String::new(),
        has_account: false,
        name: String::new(),
        problem: None,
        errors: FieldErrors::default(),
    };
    let status = match found {
        InvitationState::Pending {
            space_name,
            role,
            email,
            has_account,
        } => {
            page.space_name = space_name;
            page.role = role.label();
            page.email = email;
            page.has_account = has_account;
            StatusCode::OK
        }
        InvitationState::Unknown => StatusCode::NOT_FOUND,
        _ => StatusCode::GONE,
    };
    Ok((page, status))
}

#[tracing::instrument(skip_all)]
pub async fn show(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (page, status) = page(&state, &session, token.into_inner()).await?;
    Ok(page
        .customize()
        .with_status(status)
        .respond_to(&req)
        .map_into_boxed_body())
}

#[derive(Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    name: String,
    password: String,
}

#[tracing::instrument(skip_all)]
pub async fn accept(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    token: web::Path<String>,
    form: web::Form<AcceptForm>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let AcceptForm {
        name,
        password: typed_password,
    } = form.into_inner();
    let (mut view, status) = page(&state, &session, token.clone()).await?;
    if status != StatusCode::OK {
        return Ok(view
            .customize()
            .with_status(status)
            .respond_to(&req)
            .map_into_boxed_body());
    }
    let email = view.email.clone();
    let outcome = if view.has_account {
        // An existing person proves it is them, with the usual throttling.
        let ip = req
            .peer_addr()
            .map(|a| a.ip().to_string())
            .unwrap_or_default();
        let (address, secret, token) = (email.clone(), typed_password.clone(), token.clone());
        state
            .db(move |conn| {
                match auth_service::sign_in(conn, &address, &secret, &ip)? {
                    auth_service::SignInOutcome::SignedIn(user) => {
                        Ok(Ok(service::accept(conn, &token, Accepting::ExistingUser { user_id: &user.id })))
                    }
                    auth_service::SignInOutcome::WrongCredentials => {
                        Ok(Err("That password does not match this account. Try again, or use the password you sign in with.".to_owned()))
                    }
                    auth_service::SignInOutcome::Throttled { minutes } => {
                        Ok(Err(format!("Too many failed attempts. Wait {minutes} minutes and try again.")))
                    }
                }
            })
            .await?
    } else {
        let mut errors = FieldErrors::default();
        let person = errors.check("name", PersonName::parse(&name));
        let chosen = errors.check("password", NewPassword::parse(&typed_password));
        let (Some(person), Some(chosen)) = (person, chosen) else {
            view.errors = errors;
            view.name = name;
            return Ok(view
                .customize()
                .with_status(StatusCode::UNPROCESSABLE_ENTITY)
                .respond_to(&req)
                .map_into_boxed_body());
        };
        let token = token.clone();
        state
            .db(move |conn| {
                let hash = password::hash(chosen.expose())?;
                Ok(Ok(service::accept(
                    conn,
                    &token,
                    Accepting::NewAccount {
                        name: person.as_str(),
                        password_hash: &hash,
                    },
                )))
            })
            .await?
    };
    match outcome {
        Ok(Ok((user_id, space_id))) => {
            start_session(&session, &user_id, Some(&space_id))?;
            tracing::info!(%user_id, %space_id, "invitation accepted");
            Ok(htmx::redirect(&req, "/"))
        }
        Ok(Err(AcceptError::NoLongerValid)) => {
            let (view, status) = page(&state, &session, token).await?;
            Ok(view
                .customize()
                .with_status(status.max(StatusCode::CONFLICT))
                .respond_to(&req)
                .map_into_boxed_body())
        }
        Ok(Err(error @ AcceptError::AccountExists)) => {
            let (mut view, _) = page(&state, &session, token).await?;
            view.problem = Some(error.to_string());
            Ok(view
                .customize()
                .with_status(StatusCode::CONFLICT)
                .respond_to(&req)
                .map_into_boxed_body())
        }
        Ok(Err(AcceptError::Database(error))) => Err(AppError::unexpected(error)),
        Err(problem) => {
            view.problem = Some(problem);
            Ok(view
                .customize()
                .with_status(StatusCode::UNAUTHORIZED)
                .respond_to(&req)
                .map_into_boxed_body())
        }
    }
}
