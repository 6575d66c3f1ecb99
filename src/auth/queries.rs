use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{installation, sign_in_failures};
use crate::ids;

pub fn record_failure(conn: &mut DbConnection, ip: &str, email: &str) -> QueryResult<()> {
    diesel::insert_into(sign_in_failures::table)
        .values((
            sign_in_failures::id.eq(ids::new_id()),
            sign_in_failures::ip.eq(ip),
            sign_in_failures::email.eq(email),
            sign_in_failures::failed_at.eq(ids::now()),
        ))
        .execute(conn)
        .map(drop)
}

pub fn failures_from_ip(
    conn: &mut DbConnection,
    ip: &str,
    since: NaiveDateTime,
) -> QueryResult<i64> {
    sign_in_failures::table
        .filter(sign_in_failures::ip.eq(ip))
        .filter(sign_in_failures::failed_at.gt(since))
        .count()
        .get_result(conn)
}

pub fn failures_for_account_from_ip(
    conn: &mut DbConnection,
    email: &str,
    ip: &str,
    since: NaiveDateTime,
) -> QueryResult<i64> {
    sign_in_failures::table
        .filter(sign_in_failures::email.eq(email))
        .filter(sign_in_failures::ip.eq(ip))
        .filter(sign_in_failures::failed_at.gt(since))
        .count()
        .get_result(conn)
}

/// The oldest failure still counted in a window, to say when it lifts.
pub fn oldest_failure_from_ip(
    conn: &mut DbConnection,
    ip: &str,
    since: NaiveDateTime,
) -> QueryResult<Option<NaiveDateTime>> {
    sign_in_failures::table
        .filter(sign_in_failures::ip.eq(ip))
        .filter(sign_in_failures::failed_at.gt(since))
        .select(diesel::dsl::min(sign_in_failures::failed_at))
        .first(conn)
}

pub fn clear_failures(conn: &mut DbConnection, email: &str, ip: &str) -> QueryResult<()> {
    diesel::delete(
        sign_in_failures::table
            .filter(sign_in_failures::email.eq(email))
            .filter(sign_in_failures::ip.eq(ip)),
    )
    .execute(conn)
    .map(drop)
}

pub fn delete_failures_before(
    conn: &mut DbConnection,
    before: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(sign_in_failures::table.filter(sign_in_failures::failed_at.lt(before)))
        .execute(conn)
}

/// Set up once first-run setup ran, or an operator created an account.
pub fn is_installed(conn: &mut DbConnection) -> QueryResult<bool> {
    let setup_ran = installation::table
        .count()
        .get_result::<i64>(conn)
        .map(|rows| rows > 0)?;
    Ok(setup_ran || crate::spaces::queries::any_exists(conn)?)
}

/// Fails with a unique violation if setup already ran.
pub fn mark_installed(conn: &mut DbConnection, owner_user_id: &str) -> QueryResult<()> {
    diesel::insert_into(installation::table)
        .values((
            installation::id.eq("owner"),
            installation::owner_user_id.eq(owner_user_id),
            installation::created_at.eq(ids::now()),
        ))
        .execute(conn)
        .map(drop)
}
