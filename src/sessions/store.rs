use std::collections::HashMap;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration as CookieDuration;
use chrono::{NaiveDateTime, TimeDelta};
use rand::distr::{Alphanumeric, SampleString};
use sha2::{Digest, Sha256};

use super::{keys, queries};
use crate::db::Pool;
use crate::ids;
use crate::telemetry::spawn_blocking_with_span;

/// actix-session storage backed by the `sessions` table.
#[derive(Clone)]
pub struct DbSessionStore {
    pool: Pool,
    /// A session ends this long after it was created, however active.
    absolute: TimeDelta,
}

impl DbSessionStore {
    pub fn new(pool: Pool, absolute: std::time::Duration) -> DbSessionStore {
        DbSessionStore {
            pool,
            absolute: TimeDelta::from_std(absolute).unwrap_or(TimeDelta::hours(12)),
        }
    }

    async fn run<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        F: FnOnce(&mut crate::db::DbConnection) -> anyhow::Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        spawn_blocking_with_span(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await?
    }
}

/// Only a hash of the cookie's key is stored.
fn hash_key(key: &SessionKey) -> String {
    hex::encode(Sha256::digest(key.as_ref().as_bytes()))
}

/// The signed-in person, for the indexed column that revocation deletes by.
/// actix-session keeps each value JSON-encoded.
fn user_of(state: &HashMap<String, String>) -> Option<String> {
    state
        .get(keys::USER_ID)
        .and_then(|json| serde_json::from_str::<String>(json).ok())
}

fn expiry(ttl: &CookieDuration) -> NaiveDateTime {
    ids::now() + TimeDelta::seconds(ttl.whole_seconds())
}

fn new_key() -> SessionKey {
    // 64 alphanumeric characters: about 380 bits from the OS generator.
    let key = Alphanumeric.sample_string(&mut rand::rng(), 64);
    SessionKey::try_from(key).expect("a 64-character key is a valid session key")
}

impl SessionStore for DbSessionStore {
    async fn load(
        &self,
        session_key: &SessionKey,
    ) -> Result<Option<HashMap<String, String>>, LoadError> {
        let id_hash = hash_key(session_key);
        let absolute = self.absolute;
        let row = self
            .run(move |conn| Ok(queries::find_live(conn, &id_hash, ids::now())?))
            .await
            .map_err(LoadError::Other)?;
        let Some(row) = row else { return Ok(None) };
        if row.created_at + absolute <= ids::now() || row.expires_at <= ids::now() {
            return Ok(None);
        }
        serde_json::from_str(&row.state)
            .map(Some)
            .map_err(|e| LoadError::Deserialization(e.into()))
    }

    async fn save(
        &self,
        session_state: HashMap<String, String>,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, SaveError> {
        let state = serde_json::to_string(&session_state)
            .map_err(|e| SaveError::Serialization(e.into()))?;
        let user_id = user_of(&session_state);
        let key = new_key();
        let id_hash = hash_key(&key);
        let expires_at = expiry(ttl);
        self.run(move |conn| {
            Ok(queries::insert(
                conn,
                &id_hash,
                user_id.as_deref(),
                &state,
                ids::now(),
                expires_at,
            )?)
        })
        .await
        .map_err(SaveError::Other)?;
        Ok(key)
    }

    async fn update(
        &self,
        session_key: SessionKey,
        session_state: HashMap<String, String>,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, UpdateError> {
        let state = serde_json::to_string(&session_state)
            .map_err(|e| UpdateError::Serialization(e.into()))?;
        let user_id = user_of(&session_state);
        let id_hash = hash_key(&session_key);
        let expires_at = expiry(ttl);
        let changed = self
            .run(move |conn| {
                Ok(queries::update_state(
                    conn,
                    &id_hash,
                    user_id.as_deref(),
                    &state,
                    expires_at,
                )?)
            })
            .await
            .map_err(UpdateError::Other)?;
        if changed == 1 {
            Ok(session_key)
        } else {
            // The row was revoked or pruned while the request ran: start a new,
            // signed-out session rather than resurrect the old key or sign-in.
            let mut session_state = session_state;
            session_state.remove(keys::USER_ID);
            session_state.remove(keys::SPACE_ID);
            self.save(session_state, ttl).await.map_err(|e| match e {
                SaveError::Serialization(e) => UpdateError::Serialization(e),
                SaveError::Other(e) => UpdateError::Other(e),
            })
        }
    }

    async fn update_ttl(
        &self,
        session_key: &SessionKey,
        ttl: &CookieDuration,
    ) -> anyhow::Result<()> {
        let id_hash = hash_key(session_key);
        let expires_at = expiry(ttl);
        self.run(move |conn| {
            Ok(queries::extend(
                conn,
                &id_hash,
                expires_at,
                TimeDelta::seconds(60),
            )?)
        })
        .await
        .map(drop)
    }

    async fn delete(&self, session_key: &SessionKey) -> anyhow::Result<()> {
        let id_hash = hash_key(session_key);
        self.run(move |conn| Ok(queries::delete(conn, &id_hash)?))
            .await
            .map(drop)
    }
}
