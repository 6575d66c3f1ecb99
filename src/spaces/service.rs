//! Space use cases: every one checks the policy first.

use super::image::Thumbnail;
use super::queries;
use crate::db::{DbConnection, write_transaction};
use crate::domain::SpaceName;
use crate::policy::{self, Action, Denied};

#[tracing::instrument(skip(conn))]
pub fn rename(
    conn: &mut DbConnection,
    actor_id: &str,
    space_id: &str,
    name: &SpaceName,
) -> Result<(), Denied> {
    write_transaction(conn, |conn| {
        policy::authorize(conn, actor_id, space_id, Action::EditSpaceProfile)?;
        queries::rename(conn, space_id, name.as_str())?;
        Ok(())
    })
}

#[tracing::instrument(skip(conn, image), fields(version = %image.version))]
pub fn replace_image(
    conn: &mut DbConnection,
    actor_id: &str,
    space_id: &str,
    image: &Thumbnail,
) -> Result<(), Denied> {
    write_transaction(conn, |conn| {
        policy::authorize(conn, actor_id, space_id, Action::EditSpaceProfile)?;
        queries::set_image(conn, space_id, &image.png, &image.version)?;
        Ok(())
    })
}

/// The image bytes of a space, for someone allowed to browse it.
pub fn image(
    conn: &mut DbConnection,
    actor_id: &str,
    space_id: &str,
    version: &str,
) -> Result<Option<Vec<u8>>, Denied> {
    policy::authorize(conn, actor_id, space_id, Action::BrowseContent)?;
    Ok(queries::image(conn, space_id, version)?)
}

/// The space a signed-in person is working in: the one they chose, if they
/// still have access to it, otherwise the first space they belong to.
pub fn current_space(
    conn: &mut DbConnection,
    user_id: &str,
    chosen: Option<&str>,
) -> diesel::QueryResult<Option<(super::models::Space, crate::domain::Role)>> {
    if let Some(chosen) = chosen
        && let Some(role) = policy::effective_role(conn, user_id, chosen)?
        && let Some(space) = queries::find(conn, chosen)?
    {
        return Ok(Some((space, role)));
    }
    for (membership, space) in queries::spaces_of_user(conn, user_id)? {
        if let Ok(role) = crate::domain::Role::parse(&membership.role) {
            return Ok(Some((space, role)));
        }
    }
    Ok(None)
}
