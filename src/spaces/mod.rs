//! Spaces (accounts and their sub-workspaces), memberships and space images.

pub mod image;
pub mod models;
pub mod queries;
pub mod service;
