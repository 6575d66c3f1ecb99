//! Seats: one per distinct person (member or pending invitation, by email)
//! anywhere in a billing root's inherited-billing tree.

use std::collections::BTreeMap;

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

/// Who holds the seats of a billing root, and where each seat comes from.
#[derive(Debug)]
pub struct SeatUsage {
    pub total: Option<i32>,
    /// email → where it holds a seat ("Member of X", "Invited to Y").
    pub holders: BTreeMap<String, Vec<String>>,
}

impl SeatUsage {
    pub fn used(&self) -> i64 {
        self.holders.len() as i64
    }

    pub fn free(&self) -> Option<i64> {
        self.total.map(|total| i64::from(total) - self.used())
    }

    pub fn holds(&self, email: &str) -> bool {
        self.holders.contains_key(email)
    }
}

pub fn usage(conn: &mut DbConnection, root: &Space) -> QueryResult<SeatUsage> {
    let account = space_queries::account_spaces(conn, &root.root_id)?;
    let tree = billing_tree(&account, &root.id);
    let mut holders: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (email, space_name) in queries::member_emails_in(conn, &tree)? {
        holders
            .entry(email)
            .or_default()
            .push(format!("Member of {space_name}"));
    }
    for (email, space_name) in queries::invited_emails_in(conn, &tree, crate::ids::now())? {
        holders
            .entry(email)
            .or_default()
            .push(format!("Invited to {space_name}"));
    }
    Ok(SeatUsage {
        total: root.seats,
        holders,
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
