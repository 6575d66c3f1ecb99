//! Member use cases: invite, resend, revoke, change role, remove, accept.
//! Each checks the policy, changes rows and writes the audit log in one transaction.

use chrono::TimeDelta;

use super::queries::{self, Invitation, NewInvitation};
use super::{seats, tokens};
use crate::audit::{self, AuditAction};
use crate::db::{DbConnection, write_transaction};
use crate::domain::{Email, Role};
use crate::ids;
use crate::policy::{self, Action, Denied};
use crate::spaces::models::{NewMembership, Space};
use crate::spaces::queries as space_queries;
use crate::users::models::User;

#[derive(Debug, thiserror::Error)]
pub enum MemberError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("{0} is already a member of this space.")]
    AlreadyMember(String),
    #[error("{0} already has a pending invitation to this space: resend it instead.")]
    AlreadyInvited(String),
    #[error(
        "Not enough seats: inviting {needed} more {people} needs {needed} free seat{s}, and {free} {is_are} free. \
         Remove a member or revoke an invitation first, or ask for more seats."
    , people = if *needed == 1 { "person" } else { "people" }, s = if *needed == 1 { "" } else { "s" }, is_are = if *free == 1 { "is" } else { "are" })]
    NotEnoughSeats { needed: i64, free: i64 },
    #[error("A space must keep at least one Super admin: make someone else a Super admin first.")]
    LastSuperAdmin,
    #[error("Enter at least one email address.")]
    NoEmails,
}

impl From<diesel::result::Error> for MemberError {
    fn from(error: diesel::result::Error) -> Self {
        MemberError::Denied(Denied::Database(error))
    }
}

/// An invitation just created or renewed: the token exists only here.
#[derive(Debug, Clone)]
pub struct IssuedInvitation {
    pub email: String,
    pub token: String,
    pub role: Role,
    pub space_name: String,
}

/// Invites `emails` to `space_id` with `role`, all or none: refused when any
/// is already a member or invited, or when the billing root lacks the seats.
#[tracing::instrument(skip(conn, actor, emails), fields(actor = %actor.id, count = emails.len()))]
pub fn invite(
    conn: &mut DbConnection,
    actor: &User,
    space_id: &str,
    emails: &[Email],
    role: Role,
) -> Result<Vec<IssuedInvitation>, MemberError> {
    write_transaction(conn, |conn| {
        invite_in_transaction(conn, actor, space_id, emails, role)
    })
}

/// [`invite`] inside a transaction the caller opened (creating a sub-workspace
/// invites its first members in the same transaction).
pub fn invite_in_transaction(
    conn: &mut DbConnection,
    actor: &User,
    space_id: &str,
    emails: &[Email],
    role: Role,
) -> Result<Vec<IssuedInvitation>, MemberError> {
    if emails.is_empty() {
        return Err(MemberError::NoEmails);
    }

    policy::authorize(conn, &actor.id, space_id, Action::ManageMembers)?;
    let (space, root) = seats::lock_pool_of(conn, space_id)?;
    let now = ids::now();
    for email in emails {
        if queries::is_member(conn, &space.id, email.as_str())? {
            return Err(MemberError::AlreadyMember(email.as_str().to_owned()));
        }
        if queries::has_pending_invitation(conn, &space.id, email.as_str(), now)? {
            return Err(MemberError::AlreadyInvited(email.as_str().to_owned()));
        }
    }
    let usage = seats::usage(conn, &root)?;
    let typed: Vec<String> = emails.iter().map(|e| e.as_str().to_owned()).collect();
    let holders = usage.holders_among(conn, &typed)?;
    let needed = typed.iter().filter(|e| !holders.contains(*e)).count() as i64;
    if let Some(free) = usage.free()
        && needed > free
    {
        return Err(MemberError::NotEnoughSeats {
            needed,
            free: free.max(0),
        });
    }
    let mut issued = Vec::with_capacity(emails.len());
    for email in emails {
        let (token, token_hash) = tokens::generate();
        queries::insert_invitation(
            conn,
            &NewInvitation {
                id: &ids::new_id(),
                space_id: &space.id,
                email: email.as_str(),
                role: role.as_str(),
                token_hash: &token_hash,
                invited_by: Some(&actor.id),
                created_at: now,
                expires_at: now + TimeDelta::days(tokens::VALID_DAYS),
            },
        )?;
        audit::record(
            conn,
            &audit::Actor::person(actor),
            &space.root_id,
            &space.id,
            AuditAction::MemberInvited,
            &format!("Invited {} as {}", email.as_str(), role.label()),
        )?;
        issued.push(IssuedInvitation {
            email: email.as_str().to_owned(),
            token,
            role,
            space_name: space.name.clone(),
        });
    }
    Ok(issued)
}

/// A still open invitation and its space, if the actor may manage members there.
fn manageable_invitation(
    conn: &mut DbConnection,
    actor: &User,
    invitation_id: &str,
) -> Result<(Invitation, Space), MemberError> {
    // Used or revoked invitations are history: nothing to resend or revoke.
    let invitation = queries::find_invitation(conn, invitation_id)?
        .filter(|i| i.accepted_at.is_none() && i.revoked_at.is_none())
        .ok_or(Denied::NotVisible)?;
    let (space, _) =
        policy::authorize(conn, &actor.id, &invitation.space_id, Action::ManageMembers)?;
    Ok((invitation, space))
}

/// Sends a pending invitation again with a new link (the old one stops working)
/// and a new 7-day expiry.
#[tracing::instrument(skip(conn, actor), fields(actor = %actor.id))]
pub fn resend(
    conn: &mut DbConnection,
    actor: &User,
    invitation_id: &str,
) -> Result<IssuedInvitation, MemberError> {
    write_transaction(conn, |conn| {
        let (invitation, space) = manageable_invitation(conn, actor, invitation_id)?;
        let root = seats::billing_root(conn, &space)?;
        seats::lock(conn, &root.id)?;
        let now = ids::now();
        // An expired invitation no longer holds a seat: renewing it takes one.
        if invitation.expires_at <= now {
            let usage = seats::usage(conn, &root)?;
            let holds = !usage
                .holders_among(conn, std::slice::from_ref(&invitation.email))?
                .is_empty();
            if !holds && usage.free().is_some_and(|free| free < 1) {
                return Err(MemberError::NotEnoughSeats { needed: 1, free: 0 });
            }
        }
        let (token, token_hash) = tokens::generate();
        queries::renew_invitation(
            conn,
            &invitation.id,
            &token_hash,
            now + TimeDelta::days(tokens::VALID_DAYS),
        )?;
        audit::record(
            conn,
            &audit::Actor::person(actor),
            &space.root_id,
            &space.id,
            AuditAction::InvitationResent,
            &format!("Resent the invitation of {}", invitation.email),
        )?;
        Ok(IssuedInvitation {
            email: invitation.email,
            token,
            role: Role::parse(&invitation.role).unwrap_or(Role::Viewer),
            space_name: space.name,
        })
    })
}

#[tracing::instrument(skip(conn, actor), fields(actor = %actor.id))]
pub fn revoke(
    conn: &mut DbConnection,
    actor: &User,
    invitation_id: &str,
) -> Result<String, MemberError> {
    write_transaction(conn, |conn| {
        let (invitation, space) = manageable_invitation(conn, actor, invitation_id)?;
        queries::revoke_invitation(conn, &invitation.id, ids::now())?;
        audit::record(
            conn,
            &audit::Actor::person(actor),
            &space.root_id,
            &space.id,
            AuditAction::InvitationRevoked,
            &format!("Revoked the invitation of {}", invitation.email),
        )?;
        Ok(invitation.email)
    })
}

/// Refuses to leave a root space without a direct Super admin (sub-workspaces
/// always have their parents' Super admins).
fn keep_a_super_admin(
    conn: &mut DbConnection,
    space: &Space,
    current_role: &str,
) -> Result<(), MemberError> {
    if space.parent_id.is_none() && current_role == Role::SuperAdmin.as_str() {
        // Two admins demoting each other at once must not both see "2".
        seats::lock(conn, &space.id)?;
        if queries::count_role(conn, &space.id, Role::SuperAdmin.as_str())? <= 1 {
            return Err(MemberError::LastSuperAdmin);
        }
    }
    Ok(())
}

fn person_label(conn: &mut DbConnection, user_id: &str) -> Result<String, MemberError> {
    Ok(crate::users::queries::find(conn, user_id)?
        .map(|u| format!("{} <{}>", u.name, u.email))
        .unwrap_or_else(|| "a former member".to_owned()))
}

#[tracing::instrument(skip(conn, actor), fields(actor = %actor.id))]
pub fn change_role(
    conn: &mut DbConnection,
    actor: &User,
    membership_id: &str,
    role: Role,
) -> Result<(), MemberError> {
    write_transaction(conn, |conn| {
        let membership =
            queries::find_membership(conn, membership_id)?.ok_or(Denied::NotVisible)?;
        let (space, _) =
            policy::authorize(conn, &actor.id, &membership.space_id, Action::ManageMembers)?;
        if membership.role == role.as_str() {
            return Ok(());
        }
        if role != Role::SuperAdmin {
            keep_a_super_admin(conn, &space, &membership.role)?;
        }
        queries::set_role(conn, &membership.id, role.as_str())?;
        let who = person_label(conn, &membership.user_id)?;
        let from = Role::parse(&membership.role)
            .map(Role::label)
            .unwrap_or("no role");
        audit::record(
            conn,
            &audit::Actor::person(actor),
            &space.root_id,
            &space.id,
            AuditAction::RoleChanged,
            &format!("Changed {who} from {from} to {}", role.label()),
        )?;
        Ok(())
    })
}

/// Removes a membership. A person left in no space at all is signed out
/// everywhere; otherwise their sessions lose this space at the next request.
#[tracing::instrument(skip(conn, actor), fields(actor = %actor.id))]
pub fn remove(
    conn: &mut DbConnection,
    actor: &User,
    membership_id: &str,
) -> Result<String, MemberError> {
    write_transaction(conn, |conn| {
        let membership =
            queries::find_membership(conn, membership_id)?.ok_or(Denied::NotVisible)?;
        let (space, _) =
            policy::authorize(conn, &actor.id, &membership.space_id, Action::ManageMembers)?;
        keep_a_super_admin(conn, &space, &membership.role)?;
        let root = seats::billing_root(conn, &space)?;
        seats::lock(conn, &root.id)?;
        let who = person_label(conn, &membership.user_id)?;
        queries::delete_membership(conn, &membership.id)?;
        if queries::membership_count(conn, &membership.user_id)? == 0 {
            crate::sessions::queries::delete_for_user(conn, &membership.user_id)?;
        }
        audit::record(
            conn,
            &audit::Actor::person(actor),
            &space.root_id,
            &space.id,
            AuditAction::MemberRemoved,
            &format!("Removed {who}"),
        )?;
        Ok(who)
    })
}

/// What an invitation link leads to.
#[derive(Debug)]
pub enum InvitationState {
    /// Open: who it is for, where, as what, and whether they already have an account.
    Pending {
        space_name: String,
        role: Role,
        email: String,
        has_account: bool,
    },
    Unknown,
    Used,
    Revoked,
    Expired,
}

pub fn look_up(conn: &mut DbConnection, token: &str) -> diesel::QueryResult<InvitationState> {
    let Some(invitation) = queries::find_invitation_by_token_hash(conn, &tokens::hash(token))?
    else {
        return Ok(InvitationState::Unknown);
    };
    if invitation.accepted_at.is_some() {
        return Ok(InvitationState::Used);
    }
    if invitation.revoked_at.is_some() {
        return Ok(InvitationState::Revoked);
    }
    if invitation.expires_at <= ids::now() {
        return Ok(InvitationState::Expired);
    }
    let Some(space) = open_space(conn, &invitation.space_id)? else {
        return Ok(InvitationState::Revoked);
    };
    let has_account = crate::users::queries::find_by_email(conn, &invitation.email)?.is_some();
    Ok(InvitationState::Pending {
        space_name: space.name,
        role: Role::parse(&invitation.role).unwrap_or(Role::Viewer),
        email: invitation.email,
        has_account,
    })
}

/// The space, unless it or a space above it is archived.
fn open_space(conn: &mut DbConnection, space_id: &str) -> diesel::QueryResult<Option<Space>> {
    if space_queries::chain(conn, space_id)?
        .iter()
        .any(|link| link.archived.is_some())
    {
        return Ok(None);
    }
    space_queries::find(conn, space_id)
}

/// How the person accepting is identified.
pub enum Accepting<'a> {
    /// A new account, with the name and password hash they chose.
    NewAccount {
        name: &'a str,
        password_hash: &'a str,
    },
    /// An existing account whose password was just checked.
    ExistingUser { user_id: &'a str },
}

#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    #[error("This invitation can no longer be used.")]
    NoLongerValid,
    /// Someone created an account with this email meanwhile (another tab).
    #[error("An account with this email exists now: enter its password to join.")]
    AccountExists,
    #[error(transparent)]
    Database(diesel::result::Error),
}

impl From<diesel::result::Error> for AcceptError {
    fn from(error: diesel::result::Error) -> Self {
        if crate::db::is_unique_violation(&error) {
            AcceptError::AccountExists
        } else {
            AcceptError::Database(error)
        }
    }
}

/// Turns a pending invitation into a membership, once. Returns the user id
/// and the space joined.
#[tracing::instrument(skip(conn, token, accepting))]
pub fn accept(
    conn: &mut DbConnection,
    token: &str,
    accepting: Accepting<'_>,
) -> Result<(String, String), AcceptError> {
    write_transaction(conn, |conn| {
        let invitation = queries::find_invitation_by_token_hash(conn, &tokens::hash(token))?
            .ok_or(AcceptError::NoLongerValid)?;
        let now = ids::now();
        // The conditional update makes a second use (even a concurrent one) fail.
        if !queries::accept_invitation(conn, &invitation.id, now)? {
            return Err(AcceptError::NoLongerValid);
        }
        let space = open_space(conn, &invitation.space_id)?.ok_or(AcceptError::NoLongerValid)?;
        let user_id = match accepting {
            Accepting::ExistingUser { user_id } => user_id.to_owned(),
            Accepting::NewAccount {
                name,
                password_hash,
            } => {
                let id = ids::new_id();
                crate::users::queries::insert(
                    conn,
                    &crate::users::models::NewUser {
                        id: &id,
                        name,
                        email: &invitation.email,
                        password_hash,
                        created_at: now,
                    },
                )?;
                id
            }
        };
        if queries::membership_of(conn, &space.id, &user_id)?.is_none() {
            space_queries::insert_membership(
                conn,
                &NewMembership {
                    id: &ids::new_id(),
                    space_id: &space.id,
                    user_id: &user_id,
                    role: &invitation.role,
                    created_at: now,
                },
            )?;
        }
        let label = format!(
            "{} <{}>",
            crate::users::queries::find(conn, &user_id)?
                .map(|u| u.name)
                .unwrap_or_default(),
            invitation.email
        );
        audit::record(
            conn,
            &audit::Actor::Person {
                user_id: &user_id,
                label: &label,
            },
            &space.root_id,
            &space.id,
            AuditAction::InvitationAccepted,
            &format!(
                "{} joined as {}",
                invitation.email,
                Role::parse(&invitation.role)
                    .map(Role::label)
                    .unwrap_or("member")
            ),
        )?;
        Ok((user_id, space.id))
    })
}

/// Everything the Members tab shows.
pub struct MembersOverview {
    pub space: Space,
    pub seats: seats::SeatUsage,
    pub members: Vec<queries::MemberRow>,
    pub total_members: i64,
    pub invitations: Vec<(Invitation, String)>,
    /// Spaces the actor can invite to: this one and its live sub-workspaces.
    pub targets: Vec<(String, String)>,
    /// Where this plan's seats come from, naming only spaces the actor
    /// manages; seats held elsewhere on the plan (siblings, the parent) are
    /// one anonymous line.
    pub seat_sources: Vec<(String, i64)>,
}

/// The current space and its live descendants, with their names.
pub fn subtree(
    conn: &mut DbConnection,
    space: &Space,
) -> diesel::QueryResult<Vec<(String, String)>> {
    subtree_of(conn, space, false)
}

/// The current space and its descendants, archived ones too when asked
/// (the audit log keeps showing what happened in them).
pub fn subtree_of(
    conn: &mut DbConnection,
    space: &Space,
    with_archived: bool,
) -> diesel::QueryResult<Vec<(String, String)>> {
    let account = space_queries::account_spaces(conn, &space.root_id)?;
    let mut tree = vec![(space.id.clone(), space.name.clone())];
    let mut index = 0;
    while index < tree.len() {
        let parent = tree[index].0.clone();
        let parent_name = tree[index].1.clone();
        tree.extend(
            account
                .iter()
                .filter(|s| {
                    s.parent_id.as_deref() == Some(parent.as_str())
                        && (with_archived || !s.is_archived())
                })
                .map(|s| (s.id.clone(), format!("{parent_name} › {}", s.name))),
        );
        index += 1;
    }
    Ok(tree)
}

pub fn overview(
    conn: &mut DbConnection,
    actor: &User,
    space_id: &str,
    search: &str,
    limit: i64,
    offset: i64,
) -> Result<MembersOverview, MemberError> {
    let (space, _) = policy::authorize(conn, &actor.id, space_id, Action::ManageMembers)?;
    let targets = subtree(conn, &space)?;
    let ids: Vec<String> = targets.iter().map(|(id, _)| id.clone()).collect();
    let root = seats::billing_root(conn, &space)?;
    let seats = seats::usage(conn, &root)?;
    let (members, total_members) = queries::member_page(conn, &ids, search, limit, offset)?;
    let invitations = queries::pending_invitations(conn, &ids, ids::now())?;
    let names: std::collections::HashMap<&str, &str> = targets
        .iter()
        .map(|(id, path)| (id.as_str(), path.as_str()))
        .collect();
    let mut seat_sources = Vec::new();
    let mut elsewhere = 0;
    for (space_id, kind, count) in &seats.sources {
        match names.get(space_id.as_str()) {
            Some(path) => seat_sources.push((format!("{kind} {path}"), *count)),
            None => elsewhere += count,
        }
    }
    if elsewhere > 0 {
        seat_sources.push(("Other spaces on this plan".to_owned(), elsewhere));
    }
    Ok(MembersOverview {
        space,
        seats,
        members,
        total_members,
        invitations,
        targets,
        seat_sources,
    })
}

/// A membership with the person's name, for the removal confirmation.
pub fn removal_preview(
    conn: &mut DbConnection,
    actor: &User,
    membership_id: &str,
) -> Result<(String, String), MemberError> {
    let membership = queries::find_membership(conn, membership_id)?.ok_or(Denied::NotVisible)?;
    let (space, _) =
        policy::authorize(conn, &actor.id, &membership.space_id, Action::ManageMembers)?;
    Ok((person_label(conn, &membership.user_id)?, space.name))
}
