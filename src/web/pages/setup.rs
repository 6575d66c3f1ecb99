//! First-run setup: shown while nobody has an account; creates the owner, the
//! root space, and signs the owner in.

use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use askama_web::WebTemplate;

use crate::auth::service::{self, SetupError, SetupInput};
use crate::domain::{Email, NewPassword, PersonName, SpaceName};
use crate::error::AppError;
use crate::spaces::image::{self, MAX_UPLOAD_BYTES};
use crate::telemetry::spawn_blocking_with_span;
use crate::web::context::{Layout, start_session};
use crate::web::forms::{FieldErrors, MultipartForm};
use crate::web::htmx;
use crate::web::state::AppState;

const ALREADY_SET_UP: &str =
    "Subspace is already set up, so no second owner can be created here. Sign in instead.";

#[derive(Template, WebTemplate)]
#[template(path = "pages/setup.html")]
struct SetupPage {
    layout: Layout,
    name: String,
    email: String,
    space_name: String,
    errors: FieldErrors,
}

#[tracing::instrument(skip_all)]
pub async fn form(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    if state.is_installed().await? {
        return Ok(htmx::redirect(&req, "/sign-in"));
    }
    let page = SetupPage {
        layout: Layout::anonymous(&session)?,
        name: String::new(),
        email: String::new(),
        space_name: String::new(),
        errors: FieldErrors::default(),
    };
    Ok(page.respond_to(&req).map_into_boxed_body())
}

#[tracing::instrument(skip_all)]
pub async fn submit(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    if state.is_installed().await? {
        return Err(AppError::Conflict(ALREADY_SET_UP));
    }
    let form = MultipartForm::read(multipart, "image", MAX_UPLOAD_BYTES).await?;
    let mut errors = FieldErrors::default();
    let name = errors.check("name", PersonName::parse(form.text("name")));
    let email = errors.check("email", Email::parse(form.text("email")));
    let password = errors.check("password", NewPassword::parse(form.text("password")));
    let space_name = errors.check("space_name", SpaceName::parse(form.text("space_name")));
    let image = if form.file_too_large {
        errors.add("image", image::ImageError::TooLarge.to_string());
        None
    } else if let Some(bytes) = form.file.clone() {
        let processed = spawn_blocking_with_span(move || image::process_upload(&bytes)).await?;
        errors.check(
            "image",
            processed.map_err(|e| crate::domain::FieldError::new(e.to_string())),
        )
    } else {
        None
    };

    let (Some(name), Some(email), Some(password), Some(space_name), true) =
        (name, email, password, space_name, errors.is_empty())
    else {
        let page = SetupPage {
            layout: Layout::anonymous(&session)?,
            name: form.text("name").to_owned(),
            email: form.text("email").to_owned(),
            space_name: form.text("space_name").to_owned(),
            errors,
        };
        return Ok(page
            .customize()
            .with_status(StatusCode::UNPROCESSABLE_ENTITY)
            .respond_to(&req)
            .map_into_boxed_body());
    };

    let input = SetupInput {
        name,
        email,
        password,
        space_name,
        image,
    };
    let created = state
        .db(move |conn| Ok(service::first_run_setup(conn, &input)))
        .await?;
    match created {
        Ok((user_id, space_id)) => {
            start_session(&session, &user_id, Some(&space_id))?;
            tracing::info!(%user_id, %space_id, "first-run setup created the owner and the root space");
            Ok(htmx::redirect(&req, "/"))
        }
        Err(SetupError::AlreadyDone) => Err(AppError::Conflict(ALREADY_SET_UP)),
        Err(SetupError::Unexpected(error)) => Err(AppError::Unexpected(error)),
    }
}
