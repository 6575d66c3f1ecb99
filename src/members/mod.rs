//! Members, invitations and seats.

pub mod queries;
pub mod seats;
pub mod service;
pub mod tokens;
