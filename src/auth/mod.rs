//! Signing in: password hashing, throttling of failed attempts, and the
//! first-run setup that creates the owner.

pub mod password;
pub mod queries;
pub mod service;
pub mod throttle;
