//! Values that parse: a form field becomes one of these before it reaches a
//! service, so services never see an unchecked string. No I/O here.

mod email;
mod names;
mod password;
mod role;

pub use email::Email;
pub use names::{PersonName, SpaceName};
pub use password::NewPassword;
pub use role::Role;

/// Why a field was refused, in words for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FieldError(pub String);

impl FieldError {
    pub fn new(message: impl Into<String>) -> FieldError {
        FieldError(message.into())
    }
}
