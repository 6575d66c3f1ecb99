//! Logging: one tracing subscriber for the process, and the helper that runs
//! blocking work (database, argon2) off the async workers inside the current span.

use tracing_subscriber::{EnvFilter, fmt};

/// Installs the subscriber. `RUST_LOG` overrides the default level.
pub fn init(default_filter: &str) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    // A second call (several apps in one test process) is harmless.
    let colours = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let _ = fmt()
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
