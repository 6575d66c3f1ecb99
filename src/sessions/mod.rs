//! Server-side sessions for actix-session, stored in the database so that they
//! survive restarts, are shared by every instance, and can be revoked: deleting
//! a person's rows ends their sessions at the next request.

pub mod queries;
mod store;

pub use store::DbSessionStore;

/// Keys the app keeps in a session's state.
pub mod keys {
    pub const USER_ID: &str = "user_id";
    pub const CSRF: &str = "csrf";
    pub const SPACE_ID: &str = "space_id";
}
