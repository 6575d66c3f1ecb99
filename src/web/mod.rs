//! The HTTP face of the app: routes, pages, middleware and their helpers.

pub mod assets;
pub mod context;
pub mod csrf;
pub mod forms;
pub mod headers;
pub mod htmx;
pub mod pages;
pub mod pagination;
pub mod routes;
pub mod sent_invitations;
pub mod state;
