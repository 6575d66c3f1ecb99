use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::sessions;

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub state: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub fn find_live(
    conn: &mut DbConnection,
    id_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<SessionRow>> {
    sessions::table
        .find(id_hash)
        .filter(sessions::expires_at.gt(now))
        .select(SessionRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(
    conn: &mut DbConnection,
    id_hash: &str,
    user_id: Option<&str>,
    state: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::id_hash.eq(id_hash),
            sessions::user_id.eq(user_id),
            sessions::state.eq(state),
            sessions::created_at.eq(now),
            sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(drop)
}

/// Returns how many rows changed: 0 when the session is gone.
pub fn update_state(
    conn: &mut DbConnection,
    id_hash: &str,
    user_id: Option<&str>,
    state: &str,
    expires_at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(sessions::table.find(id_hash))
        .set((
            sessions::user_id.eq(user_id),
            sessions::state.eq(state),
            sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)
}

/// Pushes the idle expiry forward, but writes only when it moves by more than
/// `slack`, so a burst of requests costs one write, not one each.
pub fn extend(
    conn: &mut DbConnection,
    id_hash: &str,
    expires_at: NaiveDateTime,
    slack: chrono::TimeDelta,
) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .find(id_hash)
            .filter(sessions::expires_at.lt(expires_at - slack)),
    )
    .set(sessions::expires_at.eq(expires_at))
    .execute(conn)
}

pub fn delete(conn: &mut DbConnection, id_hash: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.find(id_hash)).execute(conn)
}

/// Ends every session of one person (used when they are removed).
pub fn delete_for_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)
}

pub fn delete_expired(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    created_before: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(
        sessions::table.filter(
            sessions::expires_at
                .le(now)
                .or(sessions::created_at.le(created_before)),
        ),
    )
    .execute(conn)
}
