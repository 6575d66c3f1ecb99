//! The one place that answers "may this person do this in that space?".
//! Services call [`authorize`]; handlers never decide permissions themselves.
//!
//! Roles follow DESIGN.md's table. Super admins of a space are super admins of
//! all its sub-workspaces; other roles are not inherited.

use crate::db::DbConnection;
use crate::domain::Role;
use crate::spaces::models::Space;
use crate::spaces::queries;

/// Everything a person can try to do in a space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    BrowseContent,
    CreateContent,
    ShareWithMembers,
    ShareWithSubWorkspaces,
    UseApi,
    ManageMembers,
    ManageSubWorkspaces,
    ManageSubscription,
    ViewAuditLog,
    EditSpaceProfile,
}

impl Action {
    pub const ALL: [Action; 10] = [
        Action::BrowseContent,
        Action::CreateContent,
        Action::ShareWithMembers,
        Action::ShareWithSubWorkspaces,
        Action::UseApi,
        Action::ManageMembers,
        Action::ManageSubWorkspaces,
        Action::ManageSubscription,
        Action::ViewAuditLog,
        Action::EditSpaceProfile,
    ];
}

/// DESIGN.md's role table, as code.
pub fn role_allows(role: Role, action: Action) -> bool {
    use Action::*;
    match role {
        Role::SuperAdmin => true,
        Role::Developer => matches!(
            action,
            BrowseContent | CreateContent | ShareWithMembers | UseApi
        ),
        Role::Creator => matches!(action, BrowseContent | CreateContent | ShareWithMembers),
        Role::Viewer => matches!(action, BrowseContent),
    }
}

/// Why an action was refused.
#[derive(Debug, thiserror::Error)]
pub enum Denied {
    /// The person has no access to the space at all: it must look as if it
    /// did not exist.
    #[error("no such space")]
    NotVisible,
    /// The person is in the space but their role does not allow the action.
    #[error("your role does not allow this")]
    NotAllowed,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// The role a person effectively holds in a space: super admin if they are a
/// super admin of the space or of any ancestor, otherwise their direct role.
/// Nobody holds a role in an archived space (or below an archived one).
pub fn effective_role(
    conn: &mut DbConnection,
    user_id: &str,
    space_id: &str,
) -> diesel::QueryResult<Option<Role>> {
    let chain = queries::chain(conn, space_id)?;
    if chain.is_empty() || chain.iter().any(|link| link.archived.is_some()) {
        return Ok(None);
    }
    let ids: Vec<String> = chain.into_iter().map(|link| link.id).collect();
    let held = queries::roles_in(conn, user_id, &ids)?;
    let mut direct = None;
    for (held_in, role) in held {
        let Ok(role) = Role::parse(&role) else {
            continue;
        };
        if role == Role::SuperAdmin {
            return Ok(Some(Role::SuperAdmin));
        }
        if held_in == space_id {
            direct = Some(role);
        }
    }
    Ok(direct)
}

/// What the space itself must be for an action, whatever the role.
fn space_allows(space: &Space, action: Action) -> Result<(), Denied> {
    match action {
        // Subscriptions exist only on billing roots: elsewhere there is nothing to see.
        Action::ManageSubscription if !space.is_billing_root() => Err(Denied::NotVisible),
        // Only billing roots may have sub-workspaces.
        Action::ManageSubWorkspaces if !space.is_billing_root() => Err(Denied::NotAllowed),
        Action::UseApi if !space.api_access => Err(Denied::NotAllowed),
        _ => Ok(()),
    }
}

/// Allows or refuses `action` by `user_id` in `space_id`; on success returns
/// the space and the role that allowed it.
pub fn authorize(
    conn: &mut DbConnection,
    user_id: &str,
    space_id: &str,
    action: Action,
) -> Result<(Space, Role), Denied> {
    let role = effective_role(conn, user_id, space_id)?.ok_or(Denied::NotVisible)?;
    let space = queries::find(conn, space_id)?.ok_or(Denied::NotVisible)?;
    if !role_allows(role, action) {
        return Err(Denied::NotAllowed);
    }
    space_allows(&space, action)?;
    Ok((space, role))
}

/// Whether the action would be allowed, for deciding what to show.
pub fn can(space: &Space, role: Role, action: Action) -> bool {
    role_allows(role, action) && space_allows(space, action).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_super_admins_edit_the_space_profile() {
        for role in Role::ALL {
            assert_eq!(
                role_allows(role, Action::EditSpaceProfile),
                role == Role::SuperAdmin,
                "{role}"
            );
        }
    }

    #[test]
    fn every_role_may_browse() {
        for role in Role::ALL {
            assert!(role_allows(role, Action::BrowseContent), "{role}");
        }
    }
}
