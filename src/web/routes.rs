//! The whole URL map, in one place. The `routes!` table generates both the
//! actix configuration and `ROUTES`, the list tests walk to make sure every
//! route is covered.

use actix_web::web;

use super::assets;
use super::pages::{
    audit_log, health, home, images, invitations, members, session, setup, space_settings,
    subscription, workspaces,
};
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
    POST "/spaces/{space_id}/switch"       => home::switch_space,
    GET  "/settings/members"               => members::show,
    POST "/settings/members/invite"        => members::invite,
    POST "/settings/members/{id}/role"     => members::change_role,
    GET  "/settings/members/{id}/remove"   => members::confirm_remove,
    POST "/settings/members/{id}/remove"   => members::remove,
    POST "/settings/invitations/{id}/resend" => members::resend,
    POST "/settings/invitations/{id}/revoke" => members::revoke,
    GET  "/settings/workspaces"            => workspaces::list,
    GET  "/settings/workspaces/new"        => workspaces::new_form,
    POST "/settings/workspaces"            => workspaces::create,
    GET  "/workspaces/{id}/settings"       => workspaces::settings,
    POST "/workspaces/{id}/settings"       => workspaces::save_settings,
    POST "/workspaces/{id}/archive"        => workspaces::archive,
    POST "/workspaces/{id}/restore"        => workspaces::restore,
    GET  "/settings/subscription"          => subscription::show,
    GET  "/settings/audit"                 => audit_log::show,
    GET  "/invitations/{token}"            => invitations::show,
    POST "/invitations/{token}"            => invitations::accept,
    GET  "/static/{name}"                  => assets::serve,
    GET  "/healthz"                        => health::healthz,
    GET  "/readyz"                         => health::readyz,
}

async fn not_found() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::NotFound)
}
