use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{invitations, memberships, spaces, users};
use crate::spaces::models::Membership;

diesel::define_sql_function! {
    /// SQL `lower()`, the same on both backends.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invitations)]
pub struct Invitation {
    pub id: String,
    pub space_id: String,
    pub email: String,
    pub role: String,
    pub token_hash: String,
    pub invited_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub accepted_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = invitations)]
pub struct NewInvitation<'a> {
    pub id: &'a str,
    pub space_id: &'a str,
    pub email: &'a str,
    pub role: &'a str,
    pub token_hash: &'a str,
    pub invited_by: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// An invitation still waiting for its person: not accepted, revoked or expired.
#[diesel::dsl::auto_type]
fn pending(now: NaiveDateTime) -> _ {
    invitations::accepted_at
        .is_null()
        .and(invitations::revoked_at.is_null())
        .and(invitations::expires_at.gt(now))
}

/// One row of the Members list.
#[derive(Debug, Queryable)]
pub struct MemberRow {
    pub membership_id: String,
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub space_id: String,
    pub space_name: String,
    pub joined: NaiveDateTime,
}

/// Escapes LIKE wildcards so a search for "50%" means the text "50%".
fn like_pattern(search: &str) -> String {
    let escaped = search
        .trim()
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// A page of members of `space_ids`, by name, optionally matching `search`
/// in name or email. Returns the rows and the total number of matches.
pub fn member_page(
    conn: &mut DbConnection,
    space_ids: &[String],
    search: &str,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<MemberRow>, i64)> {
    let pattern = like_pattern(search);
    let filtered = || {
        let mut query = memberships::table
            .inner_join(users::table)
            .inner_join(spaces::table)
            .filter(memberships::space_id.eq_any(space_ids.to_vec()))
            .into_boxed();
        if !search.trim().is_empty() {
            query = query.filter(
                lower(users::name)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(users::email.like(pattern.clone()).escape('\\')),
            );
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((users::name.asc(), users::email.asc(), spaces::name.asc()))
        .limit(limit)
        .offset(offset)
        .select((
            memberships::id,
            users::id,
            users::name,
            users::email,
            memberships::role,
            spaces::id,
            spaces::name,
            memberships::created_at,
        ))
        .load(conn)?;
    Ok((rows, total))
}

/// Pending invitations (not accepted, revoked or expired) to `space_ids`,
/// with the space's name, oldest first.
pub fn pending_invitations(
    conn: &mut DbConnection,
    space_ids: &[String],
    now: NaiveDateTime,
) -> QueryResult<Vec<(Invitation, String)>> {
    invitations::table
        .inner_join(spaces::table)
        .filter(invitations::space_id.eq_any(space_ids))
        .filter(pending(now))
        .order(invitations::created_at.asc())
        .select((Invitation::as_select(), spaces::name))
        .load(conn)
}

pub fn member_emails_in(
    conn: &mut DbConnection,
    space_ids: &[String],
) -> QueryResult<Vec<(String, String)>> {
    memberships::table
        .inner_join(users::table)
        .inner_join(spaces::table)
        .filter(memberships::space_id.eq_any(space_ids))
        .select((users::email, spaces::name))
        .load(conn)
}

pub fn invited_emails_in(
    conn: &mut DbConnection,
    space_ids: &[String],
    now: NaiveDateTime,
) -> QueryResult<Vec<(String, String)>> {
    invitations::table
        .inner_join(spaces::table)
        .filter(invitations::space_id.eq_any(space_ids))
        .filter(pending(now))
        .select((invitations::email, spaces::name))
        .load(conn)
}

pub fn is_member(conn: &mut DbConnection, space_id: &str, email: &str) -> QueryResult<bool> {
    memberships::table
        .inner_join(users::table)
        .filter(memberships::space_id.eq(space_id))
        .filter(users::email.eq(email))
        .count()
        .get_result::<i64>(conn)
        .map(|n| n > 0)
}

pub fn has_pending_invitation(
    conn: &mut DbConnection,
    space_id: &str,
    email: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    invitations::table
        .filter(invitations::space_id.eq(space_id))
        .filter(invitations::email.eq(email))
        .filter(pending(now))
        .count()
        .get_result::<i64>(conn)
        .map(|n| n > 0)
}

pub fn insert_invitation(
    conn: &mut DbConnection,
    invitation: &NewInvitation<'_>,
) -> QueryResult<()> {
    diesel::insert_into(invitations::table)
        .values(invitation)
        .execute(conn)
        .map(drop)
}

pub fn find_invitation(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Invitation>> {
    invitations::table
        .find(id)
        .select(Invitation::as_select())
        .first(conn)
        .optional()
}

pub fn find_invitation_by_token_hash(
    conn: &mut DbConnection,
    hash: &str,
) -> QueryResult<Option<Invitation>> {
    invitations::table
        .filter(invitations::token_hash.eq(hash))
        .select(Invitation::as_select())
        .first(conn)
        .optional()
}

/// A fresh token and expiry for a resent invitation (the old link stops working).
pub fn renew_invitation(
    conn: &mut DbConnection,
    id: &str,
    token_hash: &str,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(invitations::table.find(id))
        .set((
            invitations::token_hash.eq(token_hash),
            invitations::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(drop)
}

pub fn revoke_invitation(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(invitations::table.find(id))
        .set(invitations::revoked_at.eq(now))
        .execute(conn)
        .map(drop)
}

/// Marks an invitation used, only if it still is pending; returns whether it was.
pub fn accept_invitation(
    conn: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(invitations::table.find(id).filter(pending(now)))
        .set(invitations::accepted_at.eq(now))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn find_membership(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Membership>> {
    memberships::table
        .find(id)
        .select(Membership::as_select())
        .first(conn)
        .optional()
}

pub fn membership_of(
    conn: &mut DbConnection,
    space_id: &str,
    user_id: &str,
) -> QueryResult<Option<Membership>> {
    memberships::table
        .filter(memberships::space_id.eq(space_id))
        .filter(memberships::user_id.eq(user_id))
        .select(Membership::as_select())
        .first(conn)
        .optional()
}

pub fn count_role(conn: &mut DbConnection, space_id: &str, role: &str) -> QueryResult<i64> {
    memberships::table
        .filter(memberships::space_id.eq(space_id))
        .filter(memberships::role.eq(role))
        .count()
        .get_result(conn)
}

pub fn set_role(conn: &mut DbConnection, id: &str, role: &str) -> QueryResult<()> {
    diesel::update(memberships::table.find(id))
        .set(memberships::role.eq(role))
        .execute(conn)
        .map(drop)
}

pub fn delete_membership(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(memberships::table.find(id))
        .execute(conn)
        .map(drop)
}

pub fn membership_count(conn: &mut DbConnection, user_id: &str) -> QueryResult<i64> {
    memberships::table
        .filter(memberships::user_id.eq(user_id))
        .count()
        .get_result(conn)
}

/// Members per space, for the Sub-Workspaces list.
pub fn member_counts(
    conn: &mut DbConnection,
    space_ids: &[String],
) -> QueryResult<Vec<(String, i64)>> {
    memberships::table
        .filter(memberships::space_id.eq_any(space_ids))
        .group_by(memberships::space_id)
        .select((memberships::space_id, diesel::dsl::count_star()))
        .load(conn)
}

/// Distinct people (by email) who are members of `space_ids`.
pub fn distinct_member_emails(conn: &mut DbConnection, space_ids: &[String]) -> QueryResult<i64> {
    memberships::table
        .inner_join(users::table)
        .filter(memberships::space_id.eq_any(space_ids))
        .select(diesel::dsl::count(users::email).aggregate_distinct())
        .first(conn)
}

/// Of `emails`, those belonging to members of `space_ids`.
pub fn members_among(
    conn: &mut DbConnection,
    space_ids: &[String],
    emails: &[String],
) -> QueryResult<Vec<String>> {
    if emails.is_empty() {
        return Ok(Vec::new());
    }
    memberships::table
        .inner_join(users::table)
        .filter(memberships::space_id.eq_any(space_ids))
        .filter(users::email.eq_any(emails))
        .select(users::email)
        .distinct()
        .load(conn)
}

/// Of `emails`, those with a pending invitation to `space_ids`.
pub fn invited_among(
    conn: &mut DbConnection,
    space_ids: &[String],
    emails: &[String],
    now: NaiveDateTime,
) -> QueryResult<Vec<String>> {
    if emails.is_empty() {
        return Ok(Vec::new());
    }
    invitations::table
        .filter(invitations::space_id.eq_any(space_ids))
        .filter(invitations::email.eq_any(emails))
        .filter(pending(now))
        .select(invitations::email)
        .distinct()
        .load(conn)
}

/// Pending invitations per space.
pub fn invitation_counts(
    conn: &mut DbConnection,
    space_ids: &[String],
    now: NaiveDateTime,
) -> QueryResult<Vec<(String, i64)>> {
    invitations::table
        .filter(invitations::space_id.eq_any(space_ids))
        .filter(pending(now))
        .group_by(invitations::space_id)
        .select((invitations::space_id, diesel::dsl::count_star()))
        .load(conn)
}

/// Revokes every pending invitation to one space; returns how many.
pub fn revoke_pending_in(
    conn: &mut DbConnection,
    space_id: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        invitations::table
            .filter(invitations::space_id.eq(space_id))
            .filter(pending(now)),
    )
    .set(invitations::revoked_at.eq(now))
    .execute(conn)
}
