//! Operator use cases, run from the server's shell: create an account (a root
//! space with a one-time owner invitation) and set a billing root's plan.

use chrono::TimeDelta;

use crate::audit::{self, AuditAction};
use crate::db::{DbConnection, write_transaction};
use crate::domain::{Email, Role, SpaceName};
use crate::ids;
use crate::members::queries::{self as member_queries, NewInvitation};
use crate::members::{seats, tokens};
use crate::spaces::models::{Billing, NewSpace, Space};
use crate::spaces::queries as space_queries;

#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    #[error("no space has the id or name {0:?}")]
    NoSuchSpace(String),
    #[error("{0:?} names more than one space; use its id")]
    Ambiguous(String),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Creates a root space and an invitation making `owner` its Super admin.
/// Returns the space and the invitation token (shown once).
pub fn create_account(
    conn: &mut DbConnection,
    name: &SpaceName,
    owner: &Email,
) -> Result<(Space, String), OperatorError> {
    write_transaction(conn, |conn| {
        let now = ids::now();
        let id = ids::new_id();
        space_queries::insert(conn, &NewSpace::root(&id, name.as_str(), now))?;
        let (token, token_hash) = tokens::generate();
        member_queries::insert_invitation(
            conn,
            &NewInvitation {
                id: &ids::new_id(),
                space_id: &id,
                email: owner.as_str(),
                role: Role::SuperAdmin.as_str(),
                token_hash: &token_hash,
                invited_by: None,
                created_at: now,
                expires_at: now + TimeDelta::days(tokens::VALID_DAYS),
            },
        )?;
        audit::record(
            conn,
            &audit::Actor::Operator,
            &id,
            &id,
            AuditAction::AccountCreated,
            &format!(
                "Created account {} with owner {}",
                name.as_str(),
                owner.as_str()
            ),
        )?;
        let space =
            space_queries::find(conn, &id)?.ok_or(OperatorError::NoSuchSpace(id.clone()))?;
        Ok((space, token))
    })
}

/// Finds a space by id, or by a name only one space has.
fn find_space(conn: &mut DbConnection, reference: &str) -> Result<Space, OperatorError> {
    if let Some(space) = space_queries::find(conn, reference)? {
        return Ok(space);
    }
    let mut named = space_queries::named(conn, reference)?;
    match named.len() {
        0 => Err(OperatorError::NoSuchSpace(reference.to_owned())),
        1 => Ok(named.remove(0)),
        _ => Err(OperatorError::Ambiguous(reference.to_owned())),
    }
}

/// Sets the plan and seats of a billing root. Returns the space and the seats
/// now in use (which may exceed the new number: nobody is removed, but new
/// invitations are refused until enough seats are free).
pub fn set_plan(
    conn: &mut DbConnection,
    reference: &str,
    plan: &str,
    seat_count: i32,
) -> Result<(Space, i64), OperatorError> {
    write_transaction(conn, |conn| {
        let space = find_space(conn, reference)?;
        // A plan is a subscription of its own: a sub-workspace that used its
        // parent's plan is billed separately from now on.
        let converted = !space.is_billing_root();
        seats::lock(conn, &space.id)?;
        space_queries::set_plan(conn, &space.id, plan, seat_count)?;
        if converted {
            space_queries::set_billing(conn, &space.id, Billing::Separate.as_str())?;
        }
        audit::record(
            conn,
            &audit::Actor::Operator,
            &space.root_id,
            &space.id,
            AuditAction::PlanChanged,
            &format!(
                "Set the plan of {} to {plan} with {seat_count} seats",
                space.name
            ),
        )?;
        let space = space_queries::find(conn, &space.id)?
            .ok_or(OperatorError::NoSuchSpace(reference.to_owned()))?;
        let used = seats::usage(conn, &space)?.used();
        Ok((space, used))
    })
}
