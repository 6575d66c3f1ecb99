//! Building and running the application: pool, migrations, secret key,
//! middleware and routes.

use std::net::TcpListener;
use std::path::Path;
use std::time::Duration;

use actix_session::SessionMiddleware;
use actix_session::config::{PersistentSession, TtlExtensionPolicy};
use actix_web::cookie::{Key, SameSite, time};
use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use tracing_actix_web::TracingLogger;

use crate::config::Settings;
use crate::db::{self, Pool};
use crate::mail::Mailer;
use crate::sessions::DbSessionStore;
use crate::telemetry::{RedactingRootSpan, spawn_blocking_with_span};
use crate::web::state::AppState;
use crate::web::{csrf, headers, htmx, routes};

pub const SESSION_COOKIE: &str = "subspace_session";

pub struct Application {
    port: u16,
    server: Server,
    pool: Pool,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("creating the data folder {}", settings.data_dir.display()))?;
        let key = load_or_create_key(&settings.data_dir)?;
        let pool = db::pool(&settings.database_url)?;
        let migrating = pool.clone();
        let applied = spawn_blocking_with_span(move || {
            let mut conn = migrating.get()?;
            db::run_migrations(&mut conn)
        })
        .await??;
        tracing::info!(applied, backend = ?db::Backend::of_url(&settings.database_url), "database ready");

        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("listening on {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let mailer = Mailer::new(settings.smtp_url.as_deref(), &settings.data_dir)?;
        let public_url = settings.public_url.clone().unwrap_or_else(|| {
            let host = settings
                .bind
                .rsplit_once(':')
                .map_or("127.0.0.1", |(host, _)| host);
            format!("http://{host}:{port}")
        });
        let state = AppState::new(pool.clone(), settings.clone(), mailer, public_url);
        let store = DbSessionStore::new(pool.clone(), settings.session_absolute);
        let idle = time::Duration::seconds(settings.session_idle.as_secs() as i64);
        let secure = settings.secure_cookies;

        let server = HttpServer::new(move || {
            let sessions = SessionMiddleware::builder(store.clone(), key.clone())
                .cookie_name(SESSION_COOKIE.to_owned())
                .cookie_secure(secure)
                .cookie_http_only(true)
                .cookie_same_site(SameSite::Lax)
                .session_lifecycle(
                    PersistentSession::default()
                        .session_ttl(idle)
                        .session_ttl_extension_policy(TtlExtensionPolicy::OnEveryRequest),
                )
                .build();
            // The last `wrap` runs first: logging, headers, htmx error swap,
            // sessions, then CSRF (which needs the session).
            App::new()
                .app_data(web::Data::new(state.clone()))
                .app_data(web::FormConfig::default().limit(64 * 1024))
                .configure(routes::configure)
                .wrap(from_fn(csrf::verify))
                .wrap(sessions)
                .wrap(from_fn(htmx::error_swap))
                .wrap(headers::security_headers())
                .wrap(TracingLogger::<RedactingRootSpan>::new())
        })
        .listen(listener)?
        .run();
        Ok(Application { port, server, pool })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until stopped, pruning expired sessions and throttling records
    /// every ten minutes.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let pool = self.pool.clone();
        actix_web::rt::spawn(async move {
            let mut every = actix_web::rt::time::interval(Duration::from_secs(600));
            loop {
                every.tick().await;
                prune(&pool).await;
            }
        });
        self.server.await
    }
}

async fn prune(pool: &Pool) {
    let pool = pool.clone();
    let result = spawn_blocking_with_span(move || -> anyhow::Result<(usize, usize)> {
        let mut conn = pool.get()?;
        let now = crate::ids::now();
        // Rows past the absolute limit are dead too; 48 h covers any setting.
        let sessions = crate::sessions::queries::delete_expired(
            &mut conn,
            now,
            now - chrono::TimeDelta::hours(48),
        )?;
        let failures = crate::auth::service::prune(&mut conn)?;
        Ok((sessions, failures))
    })
    .await;
    match result {
        Ok(Ok((sessions, failures))) => tracing::debug!(sessions, failures, "pruned expired rows"),
        Ok(Err(error)) => tracing::warn!(?error, "pruning expired rows failed"),
        Err(error) => tracing::warn!(%error, "pruning task failed"),
    }
}

/// The key that signs and encrypts session cookies: generated on first start
/// and kept in the data folder (instances behind one load balancer share it).
fn load_or_create_key(data_dir: &Path) -> anyhow::Result<Key> {
    let path = data_dir.join("secret.key");
    match std::fs::read(&path) {
        Ok(bytes) => Key::try_from(bytes.as_slice()).map_err(|e| {
            anyhow::anyhow!(
                "{} is not a valid key ({e}); delete it to make a new one",
                path.display()
            )
        }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let key = Key::generate();
            write_private(&path, key.master())?;
            tracing::info!(path = %path.display(), "generated a new secret key");
            Ok(key)
        }
        Err(error) => Err(error).with_context(|| format!("reading {}", path.display())),
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(bytes)?;
    Ok(())
}
