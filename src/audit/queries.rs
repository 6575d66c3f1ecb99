use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{audit_events, spaces};

#[derive(Insertable)]
#[diesel(table_name = audit_events)]
pub struct NewAuditEvent<'a> {
    pub id: &'a str,
    pub root_id: &'a str,
    pub space_id: &'a str,
    pub actor_user_id: Option<&'a str>,
    pub actor_label: &'a str,
    pub action: &'a str,
    pub summary: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, event: &NewAuditEvent<'_>) -> QueryResult<()> {
    diesel::insert_into(audit_events::table)
        .values(event)
        .execute(conn)
        .map(drop)
}

/// One row of the Audit Log page.
#[derive(Debug, Queryable)]
pub struct AuditRow {
    pub id: String,
    pub space_name: String,
    pub actor_label: String,
    pub action: String,
    pub summary: String,
    pub created_at: NaiveDateTime,
}

/// A page of events in `space_ids`, newest first, optionally of one action.
pub fn page(
    conn: &mut DbConnection,
    space_ids: &[String],
    action: Option<&str>,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<AuditRow>, i64)> {
    let filtered = || {
        let mut query = audit_events::table
            .filter(audit_events::space_id.eq_any(space_ids.to_vec()))
            .into_boxed();
        if let Some(action) = action {
            query = query.filter(audit_events::action.eq(action.to_owned()));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .inner_join(spaces::table.on(spaces::id.eq(audit_events::space_id)))
        .order((audit_events::created_at.desc(), audit_events::id.desc()))
        .limit(limit)
        .offset(offset)
        .select((
            audit_events::id,
            spaces::name,
            audit_events::actor_label,
            audit_events::action,
            audit_events::summary,
            audit_events::created_at,
        ))
        .load(conn)?;
    Ok((rows, total))
}
