//! The audit log: who did what, when, in which space. Every event is written
//! in the same transaction as the change it records.

pub mod queries;

use crate::db::DbConnection;
use crate::ids;

/// Kinds of recorded actions. The stored value is `as_str`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    SpaceRenamed,
    SpaceImageChanged,
    MemberInvited,
    InvitationResent,
    InvitationRevoked,
    InvitationAccepted,
    RoleChanged,
    MemberRemoved,
    SubWorkspaceCreated,
    SettingsChanged,
    SubWorkspaceArchived,
    SubWorkspaceRestored,
    AccountCreated,
    PlanChanged,
}

impl AuditAction {
    pub const ALL: [AuditAction; 14] = [
        AuditAction::SpaceRenamed,
        AuditAction::SpaceImageChanged,
        AuditAction::MemberInvited,
        AuditAction::InvitationResent,
        AuditAction::InvitationRevoked,
        AuditAction::InvitationAccepted,
        AuditAction::RoleChanged,
        AuditAction::MemberRemoved,
        AuditAction::SubWorkspaceCreated,
        AuditAction::SettingsChanged,
        AuditAction::SubWorkspaceArchived,
        AuditAction::SubWorkspaceRestored,
        AuditAction::AccountCreated,
        AuditAction::PlanChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SpaceRenamed => "space.renamed",
            AuditAction::SpaceImageChanged => "space.image_changed",
            AuditAction::MemberInvited => "member.invited",
            AuditAction::InvitationResent => "invitation.resent",
            AuditAction::InvitationRevoked => "invitation.revoked",
            AuditAction::InvitationAccepted => "invitation.accepted",
            AuditAction::RoleChanged => "member.role_changed",
            AuditAction::MemberRemoved => "member.removed",
            AuditAction::SubWorkspaceCreated => "workspace.created",
            AuditAction::SettingsChanged => "workspace.settings_changed",
            AuditAction::SubWorkspaceArchived => "workspace.archived",
            AuditAction::SubWorkspaceRestored => "workspace.restored",
            AuditAction::AccountCreated => "account.created",
            AuditAction::PlanChanged => "subscription.plan_changed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AuditAction::SpaceRenamed => "Space renamed",
            AuditAction::SpaceImageChanged => "Space image changed",
            AuditAction::MemberInvited => "Member invited",
            AuditAction::InvitationResent => "Invitation resent",
            AuditAction::InvitationRevoked => "Invitation revoked",
            AuditAction::InvitationAccepted => "Invitation accepted",
            AuditAction::RoleChanged => "Role changed",
            AuditAction::MemberRemoved => "Member removed",
            AuditAction::SubWorkspaceCreated => "Sub-workspace created",
            AuditAction::SettingsChanged => "Settings changed",
            AuditAction::SubWorkspaceArchived => "Sub-workspace archived",
            AuditAction::SubWorkspaceRestored => "Sub-workspace restored",
            AuditAction::AccountCreated => "Account created",
            AuditAction::PlanChanged => "Plan changed",
        }
    }

    pub fn parse(value: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == value)
    }
}

/// Who did it: a signed-in person, or the operator at the server's shell.
pub enum Actor<'a> {
    Person { user_id: &'a str, label: &'a str },
    Operator,
}

impl<'a> Actor<'a> {
    /// A signed-in person, recorded under their name.
    pub fn person(user: &'a crate::users::models::User) -> Actor<'a> {
        Actor::Person {
            user_id: &user.id,
            label: &user.name,
        }
    }
}

/// Records one event. Call inside the transaction that made the change.
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor<'_>,
    root_id: &str,
    space_id: &str,
    action: AuditAction,
    summary: &str,
) -> diesel::QueryResult<()> {
    let (actor_user_id, actor_label) = match actor {
        Actor::Person { user_id, label } => (Some(*user_id), *label),
        Actor::Operator => (None, "Operator (command line)"),
    };
    queries::insert(
        conn,
        &queries::NewAuditEvent {
            id: &ids::new_id(),
            root_id,
            space_id,
            actor_user_id,
            actor_label,
            action: action.as_str(),
            summary,
            created_at: ids::now(),
        },
    )
}

/// A page of the audit log of a space and its sub-workspaces, for a Super admin.
pub struct AuditPage {
    pub rows: Vec<queries::AuditRow>,
    pub total: i64,
    /// The spaces the log covers, for the filter.
    pub spaces: Vec<(String, String)>,
}

pub fn page(
    conn: &mut DbConnection,
    actor_id: &str,
    space_id: &str,
    only_space: Option<&str>,
    only_action: Option<AuditAction>,
    limit: i64,
    offset: i64,
) -> Result<AuditPage, crate::policy::Denied> {
    let (space, _) = crate::policy::authorize(
        conn,
        actor_id,
        space_id,
        crate::policy::Action::ViewAuditLog,
    )?;
    let spaces = crate::members::service::subtree_of(conn, &space, true)?;
    let ids: Vec<String> = match only_space {
        Some(only) => spaces
            .iter()
            .filter(|(id, _)| id == only)
            .map(|(id, _)| id.clone())
            .collect(),
        None => spaces.iter().map(|(id, _)| id.clone()).collect(),
    };
    let (rows, total) = queries::page(
        conn,
        &ids,
        only_action.map(AuditAction::as_str),
        limit,
        offset,
    )?;
    Ok(AuditPage {
        rows,
        total,
        spaces,
    })
}
