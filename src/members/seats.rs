//! Seats: one per distinct person (member or pending invitation, by email)
//! anywhere in a billing root's inherited-billing tree.

use std::collections::HashSet;

use diesel::prelude::*;

use super::queries;
use crate::db::DbConnection;
use crate::db::schema::spaces;
use crate::spaces::models::{Billing, Space};
use crate::spaces::queries as space_queries;

/// The space whose subscription pays for `space`: itself if it is a billing
/// root, else the nearest ancestor that is.
pub fn billing_root(conn: &mut DbConnection, space: &Space) -> QueryResult<Space> {
    let mut current = space.clone();
    while !current.is_billing_root() {
        let Some(parent_id) = current.parent_id.clone() else {
            break;
        };
        match space_queries::find(conn, &parent_id)? {
            Some(parent) => current = parent,
            None => break,
        }
    }
    Ok(current)
}

/// Ids of the spaces drawing on `root`'s seats: the root and every descendant
/// reached through inherited-billing sub-workspaces.
pub fn billing_tree(account: &[Space], root_id: &str) -> Vec<String> {
    let mut tree = vec![root_id.to_owned()];
    let mut index = 0;
    while index < tree.len() {
        let parent = tree[index].clone();
        tree.extend(
            account
                .iter()
                .filter(|s| {
                    s.parent_id.as_deref() == Some(parent.as_str())
                        && s.billing() == Billing::Inherited
                })
                .map(|s| s.id.clone()),
        );
        index += 1;
    }
    tree
}

/// How many seats of a billing root are used, and where they come from.
/// Counted in the database: nothing here grows with the number of members.
#[derive(Debug)]
pub struct SeatUsage {
    pub total: Option<i32>,
    pub used: i64,
    /// (space id, "Member of"/"Invited to", seats), most first. Someone in
    /// several spaces appears under each.
    pub sources: Vec<(String, &'static str, i64)>,
    tree: Vec<String>,
}

impl SeatUsage {
    pub fn used(&self) -> i64 {
        self.used
    }

    pub fn free(&self) -> Option<i64> {
        self.total.map(|total| i64::from(total) - self.used)
    }

    /// Of `emails`, those that already hold a seat here (inviting them again
    /// takes no new seat).
    pub fn holders_among(
        &self,
        conn: &mut DbConnection,
        emails: &[String],
    ) -> QueryResult<HashSet<String>> {
        let mut found: HashSet<String> = queries::members_among(conn, &self.tree, emails)?
            .into_iter()
            .collect();
        found.extend(queries::invited_among(
            conn,
            &self.tree,
            emails,
            crate::ids::now(),
        )?);
        Ok(found)
    }

    /// The emails of everyone holding a seat here; for moving a small
    /// sub-workspace's people into its parent's pool.
    pub fn holders(&self, conn: &mut DbConnection) -> QueryResult<HashSet<String>> {
        let mut all: HashSet<String> = queries::member_emails_in(conn, &self.tree)?
            .into_iter()
            .map(|(e, _)| e)
            .collect();
        all.extend(
            queries::invited_emails_in(conn, &self.tree, crate::ids::now())?
                .into_iter()
                .map(|(e, _)| e),
        );
        Ok(all)
    }
}

pub fn usage(conn: &mut DbConnection, root: &Space) -> QueryResult<SeatUsage> {
    let account = space_queries::account_spaces(conn, &root.root_id)?;
    let tree = billing_tree(&account, &root.id);
    let now = crate::ids::now();
    let members = queries::distinct_member_emails(conn, &tree)?;
    // Pending invitations are few (each holds a seat): load their emails, and
    // count those who are not members already.
    let invited: Vec<String> = queries::invited_emails_in(conn, &tree, now)?
        .into_iter()
        .map(|(email, _)| email)
        .collect();
    let invited: Vec<String> = invited
        .into_iter()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let invited_members = queries::members_among(conn, &tree, &invited)?.len() as i64;
    let used = members + invited.len() as i64 - invited_members;

    let mut sources: Vec<(String, &'static str, i64)> = Vec::new();
    for (space_id, count) in queries::member_counts(conn, &tree)? {
        sources.push((space_id, "Member of", count));
    }
    for (space_id, count) in queries::invitation_counts(conn, &tree, now)? {
        sources.push((space_id, "Invited to", count));
    }
    sources.sort_by_key(|source| std::cmp::Reverse(source.2));
    Ok(SeatUsage {
        total: root.seats,
        used,
        sources,
        tree,
    })
}

/// Takes the billing root's row lock until the transaction ends, so that two
/// transactions changing its seats run one after the other on PostgreSQL
/// (SQLite's IMMEDIATE transactions already serialise all writers).
pub fn lock(conn: &mut DbConnection, root_id: &str) -> QueryResult<()> {
    diesel::update(spaces::table.find(root_id))
        .set(spaces::seat_version.eq(spaces::seat_version + 1))
        .execute(conn)
        .map(drop)
}

/// Locks the seat pool `space_id` draws on, then the space itself, and returns
/// both as they are once locked. A billing switch holds the same two rows in
/// the same order, so an invitation and a switch of one space never both
/// count against a pool that changed under them.
pub fn lock_pool_of(conn: &mut DbConnection, space_id: &str) -> QueryResult<(Space, Space)> {
    loop {
        let space = space_queries::find(conn, space_id)?.ok_or(diesel::result::Error::NotFound)?;
        let root = billing_root(conn, &space)?;
        lock(conn, &root.id)?;
        lock(conn, &space.id)?;
        let space = space_queries::find(conn, space_id)?.ok_or(diesel::result::Error::NotFound)?;
        let now_root = billing_root(conn, &space)?;
        if now_root.id == root.id {
            return Ok((space, now_root));
        }
        // The billing changed while we waited: lock the new pool instead (the
        // extra lock held meanwhile is released at the end of the transaction).
    }
}
