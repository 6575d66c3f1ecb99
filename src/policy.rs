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

    /// DESIGN.md's table, row by row: (action, [Super admin, Developer,
    /// Creator, Viewer], the table's words).
    const TABLE: &[(Action, [bool; 4], &str)] = &[
        (
            Action::BrowseContent,
            [true, true, true, true],
            "browse content of the space and assets shared with it",
        ),
        (
            Action::CreateContent,
            [true, true, true, false],
            "create avatars, voices, brand kits, templates, videos",
        ),
        (
            Action::ShareWithMembers,
            [true, true, true, false],
            "share own assets with members of the space",
        ),
        (
            Action::ShareWithSubWorkspaces,
            [true, false, false, false],
            "share or move assets to sub-workspaces",
        ),
        (
            Action::UseApi,
            [true, true, false, false],
            "API settings, API keys, API usage",
        ),
        (
            Action::ManageMembers,
            [true, false, false, false],
            "invite, remove, change roles of members",
        ),
        (
            Action::ManageSubWorkspaces,
            [true, false, false, false],
            "create sub-workspaces, gear dialog, allocate",
        ),
        (
            Action::ManageSubscription,
            [true, false, false, false],
            "subscription and purchases",
        ),
        (
            Action::ViewAuditLog,
            [true, false, false, false],
            "audit log",
        ),
        (
            Action::EditSpaceProfile,
            [true, false, false, false],
            "rename the space, change its image (Space Settings)",
        ),
    ];

    /// Fails to compile when an action is added without being listed in
    /// `Action::ALL`, so the table test below sees every action.
    fn listed(action: Action) -> bool {
        match action {
            Action::BrowseContent
            | Action::CreateContent
            | Action::ShareWithMembers
            | Action::ShareWithSubWorkspaces
            | Action::UseApi
            | Action::ManageMembers
            | Action::ManageSubWorkspaces
            | Action::ManageSubscription
            | Action::ViewAuditLog
            | Action::EditSpaceProfile => Action::ALL.contains(&action),
        }
    }

    #[test]
    fn every_role_and_action_follows_the_design_table() {
        for action in Action::ALL {
            assert!(listed(action));
            let row = TABLE.iter().find(|(a, _, _)| *a == action);
            let Some((_, expected, words)) = row else {
                panic!("{action:?} has no row in the role table");
            };
            for (role, allowed) in Role::ALL.into_iter().zip(expected) {
                assert_eq!(role_allows(role, action), *allowed, "{role} / {words}");
            }
        }
        assert_eq!(TABLE.len(), Action::ALL.len(), "no stale rows");
    }
}
