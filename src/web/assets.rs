//! Front-end files compiled into the binary (see build.rs), served under
//! content-hashed names with a one-year immutable cache.

use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::{HttpResponse, web};

use crate::error::AppError;

/// One embedded file.
pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub body: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

const ALL: [&Asset; 4] = [&HTMX_JS, &APP_JS, &APP_CSS, &FAVICON];

/// URLs of the embedded files, for templates.
pub struct Assets {
    pub htmx_js: String,
    pub app_js: String,
    pub app_css: String,
    pub favicon: String,
}

impl Assets {
    pub fn get() -> &'static Assets {
        static ASSETS: std::sync::LazyLock<Assets> = std::sync::LazyLock::new(|| Assets {
            htmx_js: format!("/static/{}", HTMX_JS.name),
            app_js: format!("/static/{}", APP_JS.name),
            app_css: format!("/static/{}", APP_CSS.name),
            favicon: format!("/static/{}", FAVICON.name),
        });
        &ASSETS
    }
}

pub async fn serve(name: web::Path<String>) -> Result<HttpResponse, AppError> {
    let asset = ALL
        .into_iter()
        .find(|asset| asset.name == name.as_str())
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(asset.content_type)
        .insert_header(CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(31_536_000),
            CacheDirective::Extension("immutable".into(), None),
        ]))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(asset.body))
}
