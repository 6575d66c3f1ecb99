//! The space's home page, and where `/` leads everyone else.

use actix_session::SessionExt;
use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use askama_web::WebTemplate;

use crate::domain::Role;
use crate::error::AppError;
use crate::policy::{Action, role_allows};
use crate::sessions::keys;
use crate::web::context::{Layout, SignedIn};
use crate::web::htmx;
use crate::web::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "pages/home.html")]
struct HomePage {
    layout: Layout,
    space_name: String,
    user_name: String,
    role: Role,
    created: String,
    can_edit: bool,
}

/// `/`: set-up first, then sign-in, then the current space's home.
#[tracing::instrument(skip_all)]
pub async fn show(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    if !state.is_installed().await? {
        return Ok(htmx::redirect(&req, "/setup"));
    }
    let signed_in_before = req.get_session().contains_key(keys::USER_ID);
    if !signed_in_before {
        return Ok(htmx::redirect(&req, "/sign-in"));
    }
    let me = SignedIn::extract(&req).await?;
    let page = HomePage {
        layout: me.layout()?,
        space_name: me.space.name.clone(),
        user_name: me.user.name.clone(),
        role: me.role,
        created: me.space.created_at.format("%-d %B %Y").to_string(),
        can_edit: role_allows(me.role, Action::EditSpaceProfile),
    };
    Ok(page.respond_to(&req).map_into_boxed_body())
}

use actix_web::FromRequest;

/// Makes another space the current one, if the person can work there.
#[tracing::instrument(skip_all)]
pub async fn switch_space(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (actor, space_id) = (me.user.id.clone(), path.into_inner());
    let target = space_id.clone();
    let role = state
        .db(move |conn| Ok(crate::policy::effective_role(conn, &actor, &target)?))
        .await?;
    if role.is_none() {
        return Err(AppError::NotFound);
    }
    me.session
        .insert(keys::SPACE_ID, &space_id)
        .map_err(AppError::unexpected)?;
    Ok(htmx::redirect(&req, "/"))
}
