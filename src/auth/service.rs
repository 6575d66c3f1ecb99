//! Sign-in and first-run setup.

use super::{password, queries, throttle};
use crate::db::{self, DbConnection};
use crate::domain::{Email, NewPassword, PersonName, SpaceName};
use crate::spaces::image::Thumbnail;
use crate::spaces::models::{NewMembership, NewSpace};
use crate::spaces::queries as space_queries;
use crate::users::models::{NewUser, User};
use crate::users::queries as user_queries;
use crate::{domain::Role, ids};

#[derive(Debug)]
pub enum SignInOutcome {
    SignedIn(User),
    /// One neutral answer for unknown emails and wrong passwords alike.
    WrongCredentials,
    Throttled {
        minutes: i64,
    },
}

/// Checks an email and password. Runs argon2: call it on the blocking pool.
#[tracing::instrument(skip(conn, password_input))]
pub fn sign_in(
    conn: &mut DbConnection,
    email_input: &str,
    password_input: &str,
    ip: &str,
) -> anyhow::Result<SignInOutcome> {
    // Throttle on what was typed, normalised when it parses, so that
    // "Ada@x.com" and "ada@x.com" count as one account.
    let email_key = Email::parse(email_input)
        .map(|e| e.as_str().to_owned())
        .unwrap_or_else(|_| email_input.trim().to_lowercase());
    if let Some(minutes) = throttle::retry_after(conn, &email_key, ip)? {
        return Ok(SignInOutcome::Throttled { minutes });
    }
    let user = user_queries::find_by_email(conn, &email_key)?;
    let verdict = match &user {
        Some(user) => password::verify(password_input, &user.password_hash),
        None => {
            password::verify_against_nothing(password_input);
            password::Verdict::Wrong
        }
    };
    match (user, verdict) {
        (Some(user), password::Verdict::Right { needs_rehash }) => {
            if needs_rehash {
                let upgraded = password::hash(password_input)?;
                user_queries::set_password_hash(conn, &user.id, &upgraded)?;
                tracing::info!(user_id = %user.id, "upgraded a password hash to current parameters");
            }
            queries::clear_failures(conn, &email_key, ip)?;
            Ok(SignInOutcome::SignedIn(user))
        }
        _ => {
            queries::record_failure(conn, ip, &email_key)?;
            Ok(SignInOutcome::WrongCredentials)
        }
    }
}

/// What the first-run form asks for, already parsed.
#[derive(Debug)]
pub struct SetupInput {
    pub name: PersonName,
    pub email: Email,
    pub password: NewPassword,
    pub space_name: SpaceName,
    pub image: Option<Thumbnail>,
}

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("Subspace is already set up: sign in instead.")]
    AlreadyDone,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<diesel::result::Error> for SetupError {
    fn from(error: diesel::result::Error) -> Self {
        if db::is_unique_violation(&error) {
            SetupError::AlreadyDone
        } else {
            SetupError::Unexpected(error.into())
        }
    }
}

/// Creates the owner, the root space and the owner's Super admin membership,
/// once. Returns the new user and space ids.
#[tracing::instrument(skip(conn, input), fields(email = %input.email.as_str()))]
pub fn first_run_setup(
    conn: &mut DbConnection,
    input: &SetupInput,
) -> Result<(String, String), SetupError> {
    if queries::is_installed(conn)? {
        return Err(SetupError::AlreadyDone);
    }
    // Hash before taking the write lock: it is the slow part.
    let password_hash = password::hash(input.password.expose())?;
    db::write_transaction(conn, |conn| {
        if queries::is_installed(conn)? {
            return Err(SetupError::AlreadyDone);
        }
        let now = ids::now();
        let user_id = ids::new_id();
        let space_id = ids::new_id();
        user_queries::insert(
            conn,
            &NewUser {
                id: &user_id,
                name: input.name.as_str(),
                email: input.email.as_str(),
                password_hash: &password_hash,
                created_at: now,
            },
        )?;
        space_queries::insert(
            conn,
            &NewSpace {
                image_png: input.image.as_ref().map(|i| i.png.as_slice()),
                image_version: input.image.as_ref().map(|i| i.version.as_str()),
                ..NewSpace::root(&space_id, input.space_name.as_str(), now)
            },
        )?;
        space_queries::insert_membership(
            conn,
            &NewMembership {
                id: &ids::new_id(),
                space_id: &space_id,
                user_id: &user_id,
                role: Role::SuperAdmin.as_str(),
                created_at: now,
            },
        )?;
        queries::mark_installed(conn, &user_id)?;
        Ok((user_id, space_id))
    })
}

/// Deletes throttling records older than the window.
pub fn prune(conn: &mut DbConnection) -> diesel::QueryResult<usize> {
    let cutoff = ids::now() - chrono::TimeDelta::minutes(throttle::WINDOW_MINUTES);
    queries::delete_failures_before(conn, cutoff)
}
