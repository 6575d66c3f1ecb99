//! Space Settings → Audit Log: who did what, when, where; filterable, paginated.

use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::audit::{self, AuditAction, queries::AuditRow};
use crate::error::AppError;
use crate::policy::Denied;
use crate::web::context::{Layout, SignedIn};
use crate::web::pagination::{Pagination, query_string};
use crate::web::state::AppState;

const PER_PAGE: i64 = 50;

#[derive(Template, WebTemplate)]
#[template(path = "pages/audit_log.html")]
struct AuditLogPage {
    layout: Layout,
    tab: &'static str,
    rows: Vec<AuditRow>,
    spaces: Vec<(String, String)>,
    actions: [AuditAction; 14],
    chosen_space: String,
    chosen_action: String,
    pagination: Pagination,
}

impl AuditLogPage {
    fn action_label(&self, stored: &str) -> &'static str {
        AuditAction::parse(stored)
            .map(AuditAction::label)
            .unwrap_or("Other")
    }
}

#[derive(Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    space: String,
    #[serde(default)]
    action: String,
    page: Option<i64>,
}

#[tracing::instrument(skip_all)]
pub async fn show(
    req: HttpRequest,
    me: SignedIn,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    let AuditQuery {
        space,
        action,
        page,
    } = query.into_inner();
    let mut pagination = Pagination::new(
        page,
        PER_PAGE,
        query_string(&[("space", &space), ("action", &action)]),
    );
    let only_action = AuditAction::parse(&action);
    let (actor, space_id, only_space, offset) = (
        me.user.id.clone(),
        me.space.id.clone(),
        space.clone(),
        pagination.offset(),
    );
    let found = state
        .db(move |conn| {
            let only_space = Some(only_space.as_str()).filter(|s| !s.is_empty());
            Ok(audit::page(
                conn,
                &actor,
                &space_id,
                only_space,
                only_action,
                PER_PAGE,
                offset,
            ))
        })
        .await?
        .map_err(|denied| match denied {
            Denied::NotAllowed => AppError::Forbidden("see the audit log"),
            other => other.into(),
        })?;
    pagination.total = found.total;
    let page = AuditLogPage {
        layout: me.layout()?,
        tab: "audit",
        rows: found.rows,
        spaces: found.spaces,
        actions: AuditAction::ALL,
        chosen_space: space,
        chosen_action: action,
        pagination,
    };
    Ok(page.respond_to(&req).map_into_boxed_body())
}
