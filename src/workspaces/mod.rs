//! Sub-workspaces: creating them, the settings their parent's Super admins
//! set through the gear dialog, archiving and restoring.

pub mod service;
