//! Space Settings: the space's name and image. Super admins edit them; other
//! roles see them read-only.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::domain::{FieldError, Role, SpaceName};
use crate::error::AppError;
use crate::policy::{Action, Denied, role_allows};
use crate::spaces::image::{self, ImageError, MAX_UPLOAD_BYTES};
use crate::spaces::service;
use crate::telemetry::spawn_blocking_with_span;
use crate::web::context::{Layout, SignedIn, SpaceBadge};
use crate::web::forms::{FieldErrors, MultipartForm};
use crate::web::htmx;
use crate::web::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "pages/space_settings.html")]
struct SpaceSettingsPage {
    layout: Layout,
    can_edit: bool,
    saved: bool,
    role: Role,
    badge: SpaceBadge,
    name_value: String,
    name_saved: bool,
    image_saved: bool,
    errors: FieldErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "partials/_space_name_form.html")]
struct SpaceNameForm {
    layout: Layout,
    name_value: String,
    name_saved: bool,
    errors: FieldErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "partials/_space_image_form.html")]
struct SpaceImageForm {
    layout: Layout,
    badge: SpaceBadge,
    image_saved: bool,
    errors: FieldErrors,
}

#[derive(Deserialize)]
pub struct ShowQuery {
    saved: Option<String>,
}

fn page(
    me: &SignedIn,
    name_value: String,
    errors: FieldErrors,
    saved: bool,
) -> Result<SpaceSettingsPage, AppError> {
    Ok(SpaceSettingsPage {
        layout: me.layout()?,
        can_edit: role_allows(me.role, Action::EditSpaceProfile),
        saved,
        role: me.role,
        badge: SpaceBadge::of(&me.space),
        name_value,
        name_saved: false,
        image_saved: false,
        errors,
    })
}

#[tracing::instrument(skip_all)]
pub async fn show(
    req: HttpRequest,
    me: SignedIn,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, AppError> {
    let page = page(
        &me,
        me.space.name.clone(),
        FieldErrors::default(),
        query.saved.is_some(),
    )?;
    Ok(page.respond_to(&req).map_into_boxed_body())
}

#[derive(Deserialize)]
pub struct RenameForm {
    name: String,
}

#[tracing::instrument(skip_all, fields(space_id = %me.space.id))]
pub async fn rename(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    form: web::Form<RenameForm>,
) -> Result<HttpResponse, AppError> {
    let typed = form.into_inner().name;
    let name = match SpaceName::parse(&typed) {
        Ok(name) => name,
        Err(error) => return refuse_name(&req, &me, typed, error),
    };
    let (actor, space_id) = (me.user.clone(), me.space.id.clone());
    let saved_name = name.as_str().to_owned();
    state
        .db(move |conn| Ok(service::rename(conn, &actor, &space_id, &name)))
        .await?
        .map_err(forbidden_to_edit)?;
    if htmx::is_htmx(&req) {
        let partial = SpaceNameForm {
            layout: me.layout()?,
            name_value: saved_name,
            name_saved: true,
            errors: FieldErrors::default(),
        };
        return Ok(partial.respond_to(&req).map_into_boxed_body());
    }
    Ok(htmx::redirect(&req, "/settings/space?saved=1"))
}

fn refuse_name(
    req: &HttpRequest,
    me: &SignedIn,
    typed: String,
    error: FieldError,
) -> Result<HttpResponse, AppError> {
    let mut errors = FieldErrors::default();
    errors.add("name", error.0);
    let response = if htmx::is_htmx(req) {
        SpaceNameForm {
            layout: me.layout()?,
            name_value: typed,
            name_saved: false,
            errors,
        }
        .customize()
        .with_status(StatusCode::UNPROCESSABLE_ENTITY)
        .respond_to(req)
        .map_into_boxed_body()
    } else {
        page(me, typed, errors, false)?
            .customize()
            .with_status(StatusCode::UNPROCESSABLE_ENTITY)
            .respond_to(req)
            .map_into_boxed_body()
    };
    Ok(response)
}

#[tracing::instrument(skip_all, fields(space_id = %me.space.id))]
pub async fn replace_image(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    // Refuse before reading megabytes from someone who may not edit.
    if !role_allows(me.role, Action::EditSpaceProfile) {
        return Err(forbidden_to_edit(Denied::NotAllowed));
    }
    let form = MultipartForm::read(multipart, "image", MAX_UPLOAD_BYTES).await?;
    let processed = match (form.file, form.file_too_large) {
        (_, true) => Err(ImageError::TooLarge),
        (None, false) => Err(ImageError::Missing),
        (Some(bytes), false) => {
            spawn_blocking_with_span(move || image::process_upload(&bytes)).await?
        }
    };
    let thumbnail = match processed {
        Ok(thumbnail) => thumbnail,
        Err(error) => {
            let mut errors = FieldErrors::default();
            errors.add("image", error.to_string());
            let response = if htmx::is_htmx(&req) {
                SpaceImageForm {
                    layout: me.layout()?,
                    badge: SpaceBadge::of(&me.space),
                    image_saved: false,
                    errors,
                }
                .customize()
                .with_status(StatusCode::UNPROCESSABLE_ENTITY)
                .respond_to(&req)
                .map_into_boxed_body()
            } else {
                page(&me, me.space.name.clone(), errors, false)?
                    .customize()
                    .with_status(StatusCode::UNPROCESSABLE_ENTITY)
                    .respond_to(&req)
                    .map_into_boxed_body()
            };
            return Ok(response);
        }
    };
    let (actor, space_id) = (me.user.clone(), me.space.id.clone());
    let version = thumbnail.version.clone();
    state
        .db(move |conn| Ok(service::replace_image(conn, &actor, &space_id, &thumbnail)))
        .await?
        .map_err(forbidden_to_edit)?;
    if htmx::is_htmx(&req) {
        let mut space = me.space.clone();
        space.image_version = Some(version);
        let partial = SpaceImageForm {
            layout: me.layout()?,
            badge: SpaceBadge::of(&space),
            image_saved: true,
            errors: FieldErrors::default(),
        };
        return Ok(partial.respond_to(&req).map_into_boxed_body());
    }
    Ok(htmx::redirect(&req, "/settings/space?saved=1"))
}

fn forbidden_to_edit(denied: Denied) -> AppError {
    match denied {
        Denied::NotAllowed => AppError::Forbidden("change this space's settings"),
        other => other.into(),
    }
}
