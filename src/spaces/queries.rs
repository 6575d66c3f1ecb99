use diesel::prelude::*;

use super::models::{Membership, NewMembership, NewSpace, Space};
use crate::db::DbConnection;
use crate::db::schema::{memberships, spaces};
use crate::ids;

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Space>> {
    spaces::table
        .find(id)
        .select(Space::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, space: &NewSpace<'_>) -> QueryResult<()> {
    diesel::insert_into(spaces::table)
        .values(space)
        .execute(conn)
        .map(drop)
}

pub fn rename(conn: &mut DbConnection, id: &str, name: &str) -> QueryResult<()> {
    diesel::update(spaces::table.find(id))
        .set((spaces::name.eq(name), spaces::updated_at.eq(ids::now())))
        .execute(conn)
        .map(drop)
}

pub fn set_image(conn: &mut DbConnection, id: &str, png: &[u8], version: &str) -> QueryResult<()> {
    diesel::update(spaces::table.find(id))
        .set((
            spaces::image_png.eq(png),
            spaces::image_version.eq(version),
            spaces::updated_at.eq(ids::now()),
        ))
        .execute(conn)
        .map(drop)
}

/// The stored image bytes, only when `version` is the current one.
pub fn image(conn: &mut DbConnection, id: &str, version: &str) -> QueryResult<Option<Vec<u8>>> {
    spaces::table
        .find(id)
        .filter(spaces::image_version.eq(version))
        .select(spaces::image_png)
        .first::<Option<Vec<u8>>>(conn)
        .optional()
        .map(Option::flatten)
}

/// One link of a space's parent chain.
#[derive(Debug, Clone, Queryable)]
pub struct ChainLink {
    pub id: String,
    pub parent_id: Option<String>,
    pub archived: Option<chrono::NaiveDateTime>,
}

/// A space and its ancestors, the space first, the root last. Empty if the
/// space does not exist.
pub fn chain(conn: &mut DbConnection, id: &str) -> QueryResult<Vec<ChainLink>> {
    let mut chain: Vec<ChainLink> = Vec::new();
    let mut next = Some(id.to_owned());
    while let Some(current) = next {
        // A cycle would be a bug elsewhere; never loop forever on one.
        if chain.iter().any(|link| link.id == current) {
            break;
        }
        let Some(link) = spaces::table
            .find(&current)
            .select((spaces::id, spaces::parent_id, spaces::archived_at))
            .first::<ChainLink>(conn)
            .optional()?
        else {
            break;
        };
        next = link.parent_id.clone();
        chain.push(link);
    }
    Ok(chain)
}

/// Every space of one account, archived ones included.
pub fn account_spaces(conn: &mut DbConnection, root_id: &str) -> QueryResult<Vec<Space>> {
    spaces::table
        .filter(spaces::root_id.eq(root_id))
        .order(spaces::created_at.asc())
        .select(Space::as_select())
        .load(conn)
}

/// Direct sub-workspaces of a space, archived ones included.
pub fn children(conn: &mut DbConnection, parent_id: &str) -> QueryResult<Vec<Space>> {
    spaces::table
        .filter(spaces::parent_id.eq(parent_id))
        .order(spaces::name.asc())
        .select(Space::as_select())
        .load(conn)
}

pub fn insert_membership(
    conn: &mut DbConnection,
    membership: &NewMembership<'_>,
) -> QueryResult<()> {
    diesel::insert_into(memberships::table)
        .values(membership)
        .execute(conn)
        .map(drop)
}

/// The role strings a user holds directly in each of `space_ids`.
pub fn roles_in(
    conn: &mut DbConnection,
    user_id: &str,
    space_ids: &[String],
) -> QueryResult<Vec<(String, String)>> {
    memberships::table
        .filter(memberships::user_id.eq(user_id))
        .filter(memberships::space_id.eq_any(space_ids))
        .select((memberships::space_id, memberships::role))
        .load(conn)
}

/// Spaces a user belongs to directly, oldest membership first.
pub fn spaces_of_user(
    conn: &mut DbConnection,
    user_id: &str,
) -> QueryResult<Vec<(Membership, Space)>> {
    memberships::table
        .inner_join(spaces::table)
        .filter(memberships::user_id.eq(user_id))
        .order(memberships::created_at.asc())
        .select((Membership::as_select(), Space::as_select()))
        .load(conn)
}

pub struct SettingsChanges<'a> {
    pub name: &'a str,
    pub billing: &'a str,
    pub api_access: bool,
    pub strict_quota: bool,
    pub plan_name: Option<&'a str>,
    pub seats: Option<i32>,
}

pub fn update_settings(
    conn: &mut DbConnection,
    id: &str,
    changes: &SettingsChanges<'_>,
) -> QueryResult<()> {
    diesel::update(spaces::table.find(id))
        .set((
            spaces::name.eq(changes.name),
            spaces::billing.eq(changes.billing),
            spaces::api_access.eq(changes.api_access),
            spaces::strict_quota.eq(changes.strict_quota),
            spaces::plan_name.eq(changes.plan_name),
            spaces::seats.eq(changes.seats),
            spaces::updated_at.eq(ids::now()),
        ))
        .execute(conn)
        .map(drop)
}

pub fn set_archived(
    conn: &mut DbConnection,
    id: &str,
    at: Option<chrono::NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(spaces::table.find(id))
        .set((
            spaces::archived_at.eq(at),
            spaces::updated_at.eq(ids::now()),
        ))
        .execute(conn)
        .map(drop)
}

pub fn set_plan(conn: &mut DbConnection, id: &str, plan_name: &str, seats: i32) -> QueryResult<()> {
    diesel::update(spaces::table.find(id))
        .set((
            spaces::plan_name.eq(plan_name),
            spaces::seats.eq(seats),
            spaces::updated_at.eq(ids::now()),
        ))
        .execute(conn)
        .map(drop)
}

pub fn named(conn: &mut DbConnection, name: &str) -> QueryResult<Vec<Space>> {
    spaces::table
        .filter(spaces::name.eq(name))
        .select(Space::as_select())
        .load(conn)
}

pub fn any_exists(conn: &mut DbConnection) -> QueryResult<bool> {
    spaces::table.count().get_result::<i64>(conn).map(|n| n > 0)
}

pub fn set_billing(conn: &mut DbConnection, id: &str, billing: &str) -> QueryResult<()> {
    diesel::update(spaces::table.find(id))
        .set((
            spaces::billing.eq(billing),
            spaces::updated_at.eq(ids::now()),
        ))
        .execute(conn)
        .map(drop)
}
