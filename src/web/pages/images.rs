//! Space images, served only to people who can see the space.

use actix_web::http::header::{CacheControl, CacheDirective};
use actix_web::{HttpResponse, web};

use crate::error::AppError;
use crate::spaces::service;
use crate::web::context::SignedIn;
use crate::web::state::AppState;

#[tracing::instrument(skip_all)]
pub async fn space_image(
    me: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (space_id, file) = path.into_inner();
    let version = file
        .strip_suffix(".png")
        .ok_or(AppError::NotFound)?
        .to_owned();
    let actor = me.user.id.clone();
    let png = state
        .db(move |conn| Ok(service::image(conn, &actor, &space_id, &version)))
        .await??
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type("image/png")
        // The URL names the content, so it never changes; private: members only.
        .insert_header(CacheControl(vec![
            CacheDirective::Private,
            CacheDirective::MaxAge(31_536_000),
            CacheDirective::Extension("immutable".into(), None),
        ]))
        .body(png))
}
