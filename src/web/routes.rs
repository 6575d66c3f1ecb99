//! The whole URL map, in one place. The `routes!` table generates both the
//! actix configuration and `ROUTES`, the list tests walk to make sure every
//! route is covered.

use actix_web::web;

use super::assets;
use super::pages::{health, home, images, session, setup, space_settings};
use crate::error::AppError;

macro_rules! routes {
    ($($method:ident $path:literal => $handler:path),+ $(,)?) => {
        /// Every route as (method, path pattern).
        pub const ROUTES: &[(&str, &str)] = &[$((stringify!($method), $path)),+];

        pub fn configure(cfg: &mut web::ServiceConfig) {
            $(routes!(@one cfg, $method, $path, $handler);)+
            cfg.default_service(web::to(not_found));
        }
    };
    (@one $cfg:ident, GET, $path:literal, $handler:path) => {
        $cfg.route($path, web::get().to($handler));
    };
    (@one $cfg:ident, POST, $path:literal, $handler:path) => {
        $cfg.route($path, web::post().to($handler));
    };
}

routes! {
    GET  "/"                               => home::show,
    GET  "/setup"                          => setup::form,
    POST "/setup"                          => setup::submit,
    GET  "/sign-in"                        => session::form,
    POST "/sign-in"                        => session::submit,
    POST "/sign-out"                       => session::sign_out,
    GET  "/settings/space"                 => space_settings::show,
    POST "/settings/space/name"            => space_settings::rename,
    POST "/settings/space/image"           => space_settings::replace_image,
    GET  "/spaces/{space_id}/image/{file}" => images::space_image,
    GET  "/static/{name}"                  => assets::serve,
    GET  "/healthz"                        => health::healthz,
    GET  "/readyz"                         => health::readyz,
}

async fn not_found() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::NotFound)
}
