//! Identifiers and clocks shared by every area.

use chrono::{NaiveDateTime, SubsecRound, Utc};

/// A new time-ordered id (UUIDv7 as text): the same on both backends, and a
/// URL holding one says nothing about how many rows exist.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Now, in UTC, at the precision both backends store (microseconds), so a
/// value read back compares equal to the one written.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}
