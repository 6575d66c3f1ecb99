//! Sign-in throttling, kept in the database so that every app instance behind
//! a load balancer counts the same attempts.
//!
//! Two limits over a sliding window: failures from one IP against one account
//! (stops guessing one password), and failures from one IP in all (stops
//! spraying many accounts). Neither keys on the account alone, so an attacker
//! elsewhere cannot lock a legitimate user out.

use chrono::TimeDelta;

use super::queries;
use crate::db::DbConnection;
use crate::ids;

pub const WINDOW_MINUTES: i64 = 15;
pub const PER_ACCOUNT_AND_IP: i64 = 5;
pub const PER_IP: i64 = 20;

/// `Some(minutes)` until the next attempt is allowed, `None` when allowed now.
pub fn retry_after(
    conn: &mut DbConnection,
    email: &str,
    ip: &str,
) -> diesel::QueryResult<Option<i64>> {
    let now = ids::now();
    let since = now - TimeDelta::minutes(WINDOW_MINUTES);
    let by_account = queries::failures_for_account_from_ip(conn, email, ip, since)?;
    let by_ip = queries::failures_from_ip(conn, ip, since)?;
    if by_account < PER_ACCOUNT_AND_IP && by_ip < PER_IP {
        return Ok(None);
    }
    let oldest = queries::oldest_failure_from_ip(conn, ip, since)?.unwrap_or(now);
    let lifts_at = oldest + TimeDelta::minutes(WINDOW_MINUTES);
    let seconds = (lifts_at - now).num_seconds().max(0);
    let minutes = ((seconds + 59) / 60).max(1);
    Ok(Some(minutes))
}
