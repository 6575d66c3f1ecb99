//! Logging: one tracing subscriber for the process, and the helper that runs
//! blocking work (database, argon2) off the async workers inside the current span.

use actix_web::HttpMessage;
use tracing_subscriber::{EnvFilter, fmt};

/// Installs the subscriber. `RUST_LOG` overrides the default level.
pub fn init(default_filter: &str) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    // A second call (several apps in one test process) is harmless.
    let colours = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(colours)
        .try_init();
}

/// Runs `f` on the blocking pool, keeping the caller's span (and so the
/// request id) on every line it logs.
pub async fn spawn_blocking_with_span<F, R>(f: F) -> Result<R, actix_web::error::BlockingError>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    let span = tracing::Span::current();
    actix_web::web::block(move || span.in_scope(f)).await
}

/// The request span of every log line: method, route, the path with secrets
/// cut out, and the request id. Invitation links carry their token in the
/// path; it must never reach a log.
pub struct RedactingRootSpan;

/// The request path as it may be logged.
pub fn loggable_path(path: &str) -> String {
    match path.strip_prefix("/invitations/") {
        Some(_) => "/invitations/[token]".to_owned(),
        None => path.to_owned(),
    }
}

impl tracing_actix_web::RootSpanBuilder for RedactingRootSpan {
    fn on_request_start(request: &actix_web::dev::ServiceRequest) -> tracing::Span {
        use tracing::field::Empty;
        let request_id = request
            .extensions()
            .get::<tracing_actix_web::RequestId>()
            .map(ToString::to_string)
            .unwrap_or_default();
        let route = request
            .match_pattern()
            .unwrap_or_else(|| "default".to_owned());
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %loggable_path(&route),
            http.target = %loggable_path(request.path()),
            http.client_ip = %request.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default(),
            request_id = %request_id,
            http.status_code = Empty,
            otel.status_code = Empty,
            exception.message = Empty,
            exception.details = Empty,
        )
    }

    fn on_request_end<B: actix_web::body::MessageBody>(
        span: tracing::Span,
        outcome: &Result<actix_web::dev::ServiceResponse<B>, actix_web::Error>,
    ) {
        tracing_actix_web::DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn invitation_tokens_never_reach_the_log() {
        assert_eq!(
            super::loggable_path("/invitations/abcDEF123"),
            "/invitations/[token]"
        );
        assert_eq!(
            super::loggable_path("/settings/members"),
            "/settings/members"
        );
    }
}
