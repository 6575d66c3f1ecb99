use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{memberships, spaces};

/// A space without its image bytes (those are loaded only to serve the image).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = spaces)]
pub struct Space {
    pub id: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub image_version: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub root_id: String,
    pub billing: String,
    pub api_access: bool,
    pub strict_quota: bool,
    pub archived_at: Option<NaiveDateTime>,
    pub plan_name: Option<String>,
    pub seats: Option<i32>,
}

impl Space {
    pub fn billing(&self) -> Billing {
        Billing::parse(&self.billing)
    }

    /// A root space, or a sub-workspace with its own subscription.
    pub fn is_billing_root(&self) -> bool {
        self.parent_id.is_none() || self.billing() == Billing::Separate
    }

    pub fn is_archived(&self) -> bool {
        self.archived_at.is_some()
    }

    /// Cache-busted URL of the space's image, if it has one.
    pub fn image_url(&self) -> Option<String> {
        self.image_version
            .as_ref()
            .map(|version| format!("/spaces/{}/image/{version}.png", self.id))
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = spaces)]
pub struct NewSpace<'a> {
    pub id: &'a str,
    pub parent_id: Option<&'a str>,
    pub name: &'a str,
    pub image_png: Option<&'a [u8]>,
    pub image_version: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub root_id: &'a str,
    pub billing: &'a str,
    pub api_access: bool,
    pub strict_quota: bool,
    pub plan_name: Option<&'a str>,
    pub seats: Option<i32>,
}

impl<'a> NewSpace<'a> {
    /// A new account: a root space that is its own billing root, with API
    /// access and the default plan.
    pub fn root(id: &'a str, name: &'a str, now: NaiveDateTime) -> NewSpace<'a> {
        NewSpace {
            id,
            parent_id: None,
            name,
            image_png: None,
            image_version: None,
            created_at: now,
            updated_at: now,
            root_id: id,
            billing: Billing::Separate.as_str(),
            api_access: true,
            strict_quota: false,
            plan_name: Some(DEFAULT_PLAN),
            seats: Some(DEFAULT_SEATS),
        }
    }
}

/// Who pays for a space: its own subscription, or its parent's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Billing {
    /// Uses the parent's seats, quota and avatar slots.
    Inherited,
    /// Has its own subscription; does not draw on the parent.
    Separate,
}

impl Billing {
    pub fn as_str(self) -> &'static str {
        match self {
            Billing::Inherited => "inherited",
            Billing::Separate => "separate",
        }
    }

    /// Unknown values are read as separate: the safer reading, it never draws on a parent.
    pub fn parse(value: &str) -> Billing {
        if value == "inherited" {
            Billing::Inherited
        } else {
            Billing::Separate
        }
    }
}

/// Plan and seats given to a new root space until an operator sets a plan.
pub const DEFAULT_PLAN: &str = "Starter";
pub const DEFAULT_SEATS: i32 = 5;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = memberships)]
pub struct Membership {
    pub id: String,
    pub space_id: String,
    pub user_id: String,
    pub role: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = memberships)]
pub struct NewMembership<'a> {
    pub id: &'a str,
    pub space_id: &'a str,
    pub user_id: &'a str,
    pub role: &'a str,
    pub created_at: NaiveDateTime,
}
