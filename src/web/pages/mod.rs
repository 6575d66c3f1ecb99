//! One module per page (or group of closely related endpoints).

pub mod audit_log;
pub mod health;
pub mod home;
pub mod images;
pub mod invitations;
pub mod members;
pub mod session;
pub mod setup;
pub mod space_settings;
pub mod subscription;
pub mod workspaces;
