//! One module per page (or group of closely related endpoints).

pub mod health;
pub mod home;
pub mod images;
pub mod session;
pub mod setup;
pub mod space_settings;
