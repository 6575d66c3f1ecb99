//! Space use cases: every one checks the policy first.

use super::image::Thumbnail;
use super::queries;
use crate::audit::{self, AuditAction};
use crate::db::{DbConnection, write_transaction};
use crate::domain::SpaceName;
use crate::policy::{self, Action, Denied};
use crate::users::models::User;

#[tracing::instrument(skip(conn, actor), fields(actor = %actor.id))]
pub fn rename(
    conn: &mut DbConnection,
    actor: &User,
    space_id: &str,
    name: &SpaceName,
) -> Result<(), Denied> {
    write_transaction(conn, |conn| {
        let (space, _) = policy::authorize(conn, &actor.id, space_id, Action::EditSpaceProfile)?;
        queries::rename(conn, space_id, name.as_str())?;
        audit::record(
            conn,
            &audit::Actor::person(actor),
            &space.root_id,
            &space.id,
            AuditAction::SpaceRenamed,
            &format!("Renamed {} to {}", space.name, name.as_str()),
        )?;
        Ok(())
    })
}

#[tracing::instrument(skip(conn, actor, image), fields(actor = %actor.id, version = %image.version))]
pub fn replace_image(
    conn: &mut DbConnection,
    actor: &User,
    space_id: &str,
    image: &Thumbnail,
) -> Result<(), Denied> {
    write_transaction(conn, |conn| {
        let (space, _) = policy::authorize(conn, &actor.id, space_id, Action::EditSpaceProfile)?;
        queries::set_image(conn, space_id, &image.png, &image.version)?;
        audit::record(
            conn,
            &audit::Actor::person(actor),
            &space.root_id,
            &space.id,
            AuditAction::SpaceImageChanged,
            &format!("Changed the image of {}", space.name),
        )?;
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
    for (_, space) in queries::spaces_of_user(conn, user_id)? {
        // Skips archived spaces (and those below one).
        if let Some(role) = policy::effective_role(conn, user_id, &space.id)? {
            return Ok(Some((space, role)));
        }
    }
    Ok(None)
}

/// A space someone can switch to, named by its path from the account root.
#[derive(Debug, Clone)]
pub struct SpaceChoice {
    pub id: String,
    pub path: String,
}

/// Every space a person can work in: the spaces they belong to, and every
/// live sub-workspace below the spaces where they are Super admin.
pub fn accessible_spaces(
    conn: &mut DbConnection,
    user_id: &str,
) -> diesel::QueryResult<Vec<SpaceChoice>> {
    use std::collections::{BTreeMap, HashMap};
    let mut accounts: HashMap<String, Vec<super::models::Space>> = HashMap::new();
    let mut chosen: BTreeMap<String, SpaceChoice> = BTreeMap::new();
    for (membership, space) in queries::spaces_of_user(conn, user_id)? {
        if policy::effective_role(conn, user_id, &space.id)?.is_none() {
            continue; // archived, or below an archived space
        }
        if !accounts.contains_key(&space.root_id) {
            let account = queries::account_spaces(conn, &space.root_id)?;
            accounts.insert(space.root_id.clone(), account);
        }
        let account = &accounts[&space.root_id];
        let by_id: HashMap<&str, &super::models::Space> =
            account.iter().map(|s| (s.id.as_str(), s)).collect();
        let path_of = |id: &str| {
            let mut names = Vec::new();
            let mut next = Some(id);
            while let Some(current) = next.and_then(|id| by_id.get(id)) {
                names.push(current.name.as_str());
                next = current.parent_id.as_deref();
            }
            names.reverse();
            names.join(" › ")
        };
        let mut ids = vec![space.id.clone()];
        if membership.role == crate::domain::Role::SuperAdmin.as_str() {
            let mut index = 0;
            while index < ids.len() {
                let parent = ids[index].clone();
                ids.extend(
                    account
                        .iter()
                        .filter(|s| {
                            s.parent_id.as_deref() == Some(parent.as_str()) && !s.is_archived()
                        })
                        .map(|s| s.id.clone()),
                );
                index += 1;
            }
        }
        for id in ids {
            let path = path_of(&id);
            chosen
                .entry(path.clone() + &id)
                .or_insert(SpaceChoice { id, path });
        }
    }
    Ok(chosen.into_values().collect())
}
