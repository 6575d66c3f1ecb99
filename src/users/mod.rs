//! People who can sign in. A person may belong to many spaces (see `spaces`).

pub mod models;
pub mod queries;
