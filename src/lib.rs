//! Subspace: the account and workspace control plane of a generative-video
//! platform. See `../shared/DESIGN.md` for the product and its rules.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod ids;
pub mod mail;
pub mod members;
pub mod policy;
pub mod sessions;
pub mod spaces;
pub mod startup;
pub mod telemetry;
pub mod users;
pub mod web;
pub mod workspaces;
