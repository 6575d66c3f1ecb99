//! What every handler can reach: the pool, the settings, and cached facts.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::config::Settings;
use crate::db::{DbConnection, Pool};
use crate::error::AppError;
use crate::mail::Mailer;
use crate::telemetry::spawn_blocking_with_span;

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub settings: Arc<Settings>,
    pub mailer: Mailer,
    /// Where people reach the app, for links sent by email.
    pub public_url: Arc<str>,
    /// Set once first-run setup has happened; it never goes back.
    installed: Arc<AtomicBool>,
}

impl AppState {
    pub fn new(pool: Pool, settings: Settings, mailer: Mailer, public_url: String) -> AppState {
        AppState {
            pool,
            settings: Arc::new(settings),
            mailer,
            public_url: public_url.into(),
            installed: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Runs database work on the blocking pool with a pooled connection.
    pub async fn db<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        spawn_blocking_with_span(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await?
    }

    /// Whether first-run setup has happened (asks the database until it has).
    pub async fn is_installed(&self) -> Result<bool, AppError> {
        if self.installed.load(Ordering::Acquire) {
            return Ok(true);
        }
        let installed = self
            .db(|conn| Ok(crate::auth::queries::is_installed(conn)?))
            .await?;
        if installed {
            self.installed.store(true, Ordering::Release);
        }
        Ok(installed)
    }
}
