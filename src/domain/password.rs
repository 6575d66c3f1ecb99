use super::FieldError;

/// A password someone is choosing. Length is the rule (NIST SP 800-63B): at
/// least 10 characters, at most 128 so hashing stays bounded; no composition rules.
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(input: &str) -> Result<NewPassword, FieldError> {
        let count = input.chars().count();
        if count < 10 {
            return Err(FieldError::new(
                "Use at least 10 characters for your password.",
            ));
        }
        if count > 128 {
            return Err(FieldError::new(
                "Use at most 128 characters for your password.",
            ));
        }
        Ok(NewPassword(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

// Never print a password, even in debug output.
impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(…)")
    }
}
