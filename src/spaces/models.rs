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
}

impl Space {
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
}

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
