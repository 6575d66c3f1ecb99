//! One integration-test binary. Every test here runs on SQLite and on
//! PostgreSQL (see `helpers::both_backends!`), each in a database of its own.

mod helpers;

mod browser;
mod cli;
mod csrf;
mod headers;
mod images;
mod isolation;
mod members;
mod migrations;
mod pages;
mod passwords;
mod routes;
mod sessions;
mod setup;
mod sign_in;
mod space_settings;
mod throttling;
mod workspaces;
