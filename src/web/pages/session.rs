//! Sign in and sign out.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::auth::service::{self, SignInOutcome};
use crate::error::AppError;
use crate::sessions::keys;
use crate::web::context::{Layout, start_session};
use crate::web::htmx;
use crate::web::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "pages/sign_in.html")]
struct SignInPage {
    layout: Layout,
    email: String,
    problem: Option<String>,
}

#[tracing::instrument(skip_all)]
pub async fn form(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    if !state.is_installed().await? {
        return Ok(htmx::redirect(&req, "/setup"));
    }
    if session.contains_key(keys::USER_ID) {
        return Ok(htmx::redirect(&req, "/"));
    }
    let page = SignInPage {
        layout: Layout::anonymous(&session)?,
        email: String::new(),
        problem: None,
    };
    Ok(page.respond_to(&req).map_into_boxed_body())
}

#[derive(Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
}

#[tracing::instrument(skip_all)]
pub async fn submit(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<SignInForm>,
) -> Result<HttpResponse, AppError> {
    let SignInForm { email, password } = form.into_inner();
    let ip = client_ip(&req, &state);
    let typed_email = email.clone();
    let outcome = state
        .db(move |conn| Ok(service::sign_in(conn, &email, &password, &ip)?))
        .await?;
    let (status, problem) = match outcome {
        SignInOutcome::SignedIn(user) => {
            start_session(&session, &user.id, None)?;
            tracing::info!(user_id = %user.id, "signed in");
            return Ok(htmx::redirect(&req, "/"));
        }
        SignInOutcome::WrongCredentials => (
            StatusCode::UNAUTHORIZED,
            "That email and password do not match an account. Check both and try again.".to_owned(),
        ),
        SignInOutcome::Throttled { minutes } => (
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Too many failed sign-in attempts. Wait {minutes} minute{} and try again.",
                if minutes == 1 { "" } else { "s" }
            ),
        ),
    };
    let page = SignInPage {
        layout: Layout::anonymous(&session)?,
        email: typed_email,
        problem: Some(problem),
    };
    Ok(page
        .customize()
        .with_status(status)
        .respond_to(&req)
        .map_into_boxed_body())
}

#[tracing::instrument(skip_all)]
pub async fn sign_out(req: HttpRequest, session: Session) -> HttpResponse {
    // Deletes the server-side row: the old cookie is worthless from now on.
    session.purge();
    htmx::redirect(&req, "/sign-in")
}

/// The address throttling counts against: the TCP peer, or the client named by
/// a trusted proxy when `SUBSPACE_TRUST_FORWARDED_FOR` is set.
fn client_ip(req: &HttpRequest, state: &AppState) -> String {
    if state.settings.trust_forwarded_for
        && let Some(forwarded) = req.connection_info().realip_remote_addr()
    {
        // A proxy may pass "ip:port"; only the address counts.
        return forwarded
            .parse::<std::net::SocketAddr>()
            .map(|a| a.ip().to_string())
            .unwrap_or_else(|_| forwarded.to_owned());
    }
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}
