use crate::audit::{self, AuditAction};
use crate::db::{DbConnection, write_transaction};
use crate::domain::{Email, Role, SpaceName};
use crate::ids;
use crate::members::service::{IssuedInvitation, MemberError, invite_in_transaction};
use crate::members::{queries as member_queries, seats};
use crate::policy::{self, Action, Denied};
use crate::spaces::image::Thumbnail;
use crate::spaces::models::{Billing, NewSpace, Space};
use crate::spaces::queries as space_queries;
use crate::users::models::User;

/// The settings a parent's Super admins choose for a sub-workspace.
#[derive(Debug, Clone)]
pub struct WorkspaceSettings {
    pub name: SpaceName,
    pub billing: Billing,
    pub api_access: bool,
    pub strict_quota: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error(transparent)]
    Member(#[from] MemberError),
    #[error("This sub-workspace has sub-workspaces of its own, so it must keep separate billing.")]
    HasChildren,
    #[error(
        "Its {people} people need {people} seats of its own, and its own subscription has {seats}. \
         Ask your Subspace operator to set its plan first (subspace plan set)."
    )]
    OwnSeatsTooFew { people: i64, seats: i32 },
    #[error("Type the sub-workspace's name exactly to confirm.")]
    ConfirmationMismatch,
    #[error(
        "The parent's plan does not have the seats for this sub-workspace's {needed} extra people ({free} free). \
         Remove members or ask for more seats first."
    )]
    ParentLacksSeats { needed: i64, free: i64 },
}

impl From<Denied> for WorkspaceError {
    fn from(denied: Denied) -> Self {
        WorkspaceError::Member(MemberError::Denied(denied))
    }
}

impl From<diesel::result::Error> for WorkspaceError {
    fn from(error: diesel::result::Error) -> Self {
        WorkspaceError::Member(error.into())
    }
}

fn describe(settings: &WorkspaceSettings) -> String {
    format!(
        "billing {}, API access {}, strict quota {}",
        settings.billing.as_str(),
        if settings.api_access { "on" } else { "off" },
        if settings.strict_quota { "on" } else { "off" }
    )
}

/// Creates a sub-workspace of `parent_id` and invites its first members, in
/// one transaction: if an invitation is refused, nothing is created.
#[tracing::instrument(skip(conn, actor, settings, image, invites), fields(actor = %actor.id))]
pub fn create(
    conn: &mut DbConnection,
    actor: &User,
    parent_id: &str,
    settings: &WorkspaceSettings,
    image: Option<&Thumbnail>,
    invites: &[(Email, Role)],
) -> Result<(Space, Vec<IssuedInvitation>), WorkspaceError> {
    write_transaction(conn, |conn| {
        let (parent, _) =
            policy::authorize(conn, &actor.id, parent_id, Action::ManageSubWorkspaces)?;
        let now = ids::now();
        let id = ids::new_id();
        let separate = settings.billing == Billing::Separate;
        space_queries::insert(
            conn,
            &NewSpace {
                id: &id,
                parent_id: Some(&parent.id),
                name: settings.name.as_str(),
                image_png: image.map(|i| i.png.as_slice()),
                image_version: image.map(|i| i.version.as_str()),
                created_at: now,
                updated_at: now,
                root_id: &parent.root_id,
                billing: settings.billing.as_str(),
                api_access: settings.api_access,
                strict_quota: settings.strict_quota,
                // Its own subscription has no seats until an operator sets
                // its plan: separate billing must not create seats for free.
                plan_name: None,
                seats: separate.then_some(0),
            },
        )?;
        audit::record(
            conn,
            &audit::Actor::person(actor),
            &parent.root_id,
            &id,
            AuditAction::SubWorkspaceCreated,
            &format!(
                "Created sub-workspace {} under {} ({})",
                settings.name.as_str(),
                parent.name,
                describe(settings)
            ),
        )?;
        let mut issued = Vec::new();
        for role in Role::ALL {
            let emails: Vec<Email> = invites
                .iter()
                .filter(|(_, r)| *r == role)
                .map(|(e, _)| e.clone())
                .collect();
            if !emails.is_empty() {
                issued.extend(invite_in_transaction(conn, actor, &id, &emails, role)?);
            }
        }
        let space = space_queries::find(conn, &id)?.ok_or(Denied::NotVisible)?;
        Ok((space, issued))
    })
}

/// The sub-workspace, if the actor may manage it (Super admin of its parent).
pub fn manageable(
    conn: &mut DbConnection,
    actor: &User,
    workspace_id: &str,
) -> Result<(Space, Space), WorkspaceError> {
    let workspace = space_queries::find(conn, workspace_id)?.ok_or(Denied::NotVisible)?;
    let parent_id = workspace.parent_id.clone().ok_or(Denied::NotVisible)?;
    let (parent, _) = policy::authorize(conn, &actor.id, &parent_id, Action::ManageSubWorkspaces)?;
    Ok((workspace, parent))
}

/// Saves the gear dialog.
#[tracing::instrument(skip(conn, actor, settings, image), fields(actor = %actor.id))]
pub fn update_settings(
    conn: &mut DbConnection,
    actor: &User,
    workspace_id: &str,
    settings: &WorkspaceSettings,
    image: Option<&Thumbnail>,
) -> Result<Space, WorkspaceError> {
    write_transaction(conn, |conn| {
        let (workspace, parent) = manageable(conn, actor, workspace_id)?;
        // The parent's pool, then this space: the order invitations lock in.
        // Then read the space again, as it is now that nobody else can change it.
        let parent_root = seats::billing_root(conn, &parent)?;
        seats::lock(conn, &parent_root.id)?;
        seats::lock(conn, &workspace.id)?;
        let workspace = space_queries::find(conn, &workspace.id)?.ok_or(Denied::NotVisible)?;
        let before = workspace.billing();
        if before == Billing::Separate && settings.billing == Billing::Inherited {
            if !space_queries::children(conn, &workspace.id)?.is_empty() {
                return Err(WorkspaceError::HasChildren);
            }
            // Its people move into the parent's seat pool: they must fit.
            let pool = seats::usage(conn, &parent_root)?;
            let own: Vec<String> = seats::usage(conn, &workspace)?
                .holders(conn)?
                .into_iter()
                .collect();
            let already = pool.holders_among(conn, &own)?;
            let needed = own.iter().filter(|email| !already.contains(*email)).count() as i64;
            if let Some(free) = pool.free()
                && needed > free
            {
                return Err(WorkspaceError::ParentLacksSeats {
                    needed,
                    free: free.max(0),
                });
            }
        }
        let seat_count = if settings.billing == Billing::Separate {
            let own_seats = workspace.seats.unwrap_or(0);
            if before == Billing::Inherited {
                // Its people leave the parent's pool only if its own plan has room.
                let people = seats::usage(conn, &workspace)?.used();
                if people > i64::from(own_seats) {
                    return Err(WorkspaceError::OwnSeatsTooFew {
                        people,
                        seats: own_seats,
                    });
                }
            }
            Some(own_seats)
        } else {
            workspace.seats
        };
        let plan = workspace.plan_name.clone();
        space_queries::update_settings(
            conn,
            &workspace.id,
            &space_queries::SettingsChanges {
                name: settings.name.as_str(),
                billing: settings.billing.as_str(),
                api_access: settings.api_access,
                strict_quota: settings.strict_quota,
                plan_name: plan.as_deref(),
                seats: seat_count,
            },
        )?;
        if let Some(image) = image {
            space_queries::set_image(conn, &workspace.id, &image.png, &image.version)?;
        }
        audit::record(
            conn,
            &audit::Actor::person(actor),
            &workspace.root_id,
            &workspace.id,
            AuditAction::SettingsChanged,
            &format!(
                "Saved settings of {}: {}{}",
                settings.name.as_str(),
                describe(settings),
                if image.is_some() { ", new image" } else { "" }
            ),
        )?;
        Ok(space_queries::find(conn, &workspace.id)?.ok_or(Denied::NotVisible)?)
    })
}

/// Archives a sub-workspace (nothing is deleted); its members lose access at
/// their next request.
#[tracing::instrument(skip(conn, actor), fields(actor = %actor.id))]
pub fn archive(
    conn: &mut DbConnection,
    actor: &User,
    workspace_id: &str,
    typed_name: &str,
) -> Result<Space, WorkspaceError> {
    write_transaction(conn, |conn| {
        let (workspace, _) = manageable(conn, actor, workspace_id)?;
        if typed_name.trim() != workspace.name {
            return Err(WorkspaceError::ConfirmationMismatch);
        }
        space_queries::set_archived(conn, &workspace.id, Some(ids::now()))?;
        // Nobody can accept them now; they must not keep holding seats.
        let revoked = member_queries::revoke_pending_in(conn, &workspace.id, ids::now())?;
        audit::record(
            conn,
            &audit::Actor::person(actor),
            &workspace.root_id,
            &workspace.id,
            AuditAction::SubWorkspaceArchived,
            &format!(
                "Archived sub-workspace {} ({revoked} pending invitations revoked)",
                workspace.name
            ),
        )?;
        Ok(workspace)
    })
}

#[tracing::instrument(skip(conn, actor), fields(actor = %actor.id))]
pub fn restore(
    conn: &mut DbConnection,
    actor: &User,
    workspace_id: &str,
) -> Result<Space, WorkspaceError> {
    write_transaction(conn, |conn| {
        let (workspace, _) = manageable(conn, actor, workspace_id)?;
        space_queries::set_archived(conn, &workspace.id, None)?;
        audit::record(
            conn,
            &audit::Actor::person(actor),
            &workspace.root_id,
            &workspace.id,
            AuditAction::SubWorkspaceRestored,
            &format!("Restored sub-workspace {}", workspace.name),
        )?;
        Ok(workspace)
    })
}

/// One row of the Sub-Workspaces list.
pub struct WorkspaceRow {
    pub space: Space,
    pub members: i64,
}

/// The direct sub-workspaces of `parent_id`, with member counts.
pub fn list(
    conn: &mut DbConnection,
    actor: &User,
    parent_id: &str,
) -> Result<Vec<WorkspaceRow>, WorkspaceError> {
    policy::authorize(conn, &actor.id, parent_id, Action::ManageSubWorkspaces)?;
    let children = space_queries::children(conn, parent_id)?;
    let ids: Vec<String> = children.iter().map(|s| s.id.clone()).collect();
    let counts: std::collections::HashMap<String, i64> = member_queries::member_counts(conn, &ids)?
        .into_iter()
        .collect();
    Ok(children
        .into_iter()
        .map(|space| WorkspaceRow {
            members: counts.get(&space.id).copied().unwrap_or(0),
            space,
        })
        .collect())
}
