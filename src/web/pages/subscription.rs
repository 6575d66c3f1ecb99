//! Space Settings → Subscription: only billing roots have one; elsewhere the
//! page does not exist.

use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use askama_web::WebTemplate;

use crate::error::AppError;
use crate::members::seats::{self, SeatUsage};
use crate::policy::{self, Action, Denied};
use crate::web::context::{Layout, SignedIn};
use crate::web::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "pages/subscription.html")]
struct SubscriptionPage {
    layout: Layout,
    tab: &'static str,
    space_name: String,
    plan: String,
    seats: SeatUsage,
}

#[tracing::instrument(skip_all)]
pub async fn show(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (actor, space_id) = (me.user.id.clone(), me.space.id.clone());
    let (space, usage) = state
        .db(move |conn| {
            let (space, _) =
                match policy::authorize(conn, &actor, &space_id, Action::ManageSubscription) {
                    Ok(found) => found,
                    Err(denied) => return Ok(Err(denied)),
                };
            let usage = seats::usage(conn, &space)?;
            Ok(Ok((space, usage)))
        })
        .await?
        .map_err(|denied| match denied {
            Denied::NotAllowed => AppError::Forbidden("see this space's subscription"),
            other => other.into(),
        })?;
    let page = SubscriptionPage {
        layout: me.layout()?,
        tab: "subscription",
        space_name: space.name.clone(),
        plan: space
            .plan_name
            .clone()
            .unwrap_or_else(|| "No plan yet".to_owned()),
        seats: usage,
    };
    Ok(page.respond_to(&req).map_into_boxed_body())
}
