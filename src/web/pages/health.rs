//! Probes for load balancers and orchestrators.

use actix_web::{HttpResponse, web};
use diesel::connection::SimpleConnection;

use crate::web::state::AppState;

/// The process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// The database answers.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    match state.db(|conn| Ok(conn.batch_execute("SELECT 1")?)).await {
        Ok(()) => HttpResponse::Ok().content_type("text/plain").body("ready"),
        Err(error) => {
            tracing::warn!(?error, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain")
                .body("database unreachable")
        }
    }
}
