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

/// The parent chain of a space, nearest first (the space itself excluded).
pub fn ancestor_ids(conn: &mut DbConnection, id: &str) -> QueryResult<Vec<String>> {
    let mut chain = Vec::new();
    let mut current = id.to_owned();
    while let Some(parent) = spaces::table
        .find(&current)
        .select(spaces::parent_id)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten()
    {
        // A cycle would be a bug elsewhere; never loop forever on one.
        if chain.contains(&parent) || parent == id {
            break;
        }
        chain.push(parent.clone());
        current = parent;
    }
    Ok(chain)
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
