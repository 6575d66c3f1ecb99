use super::FieldError;

/// An email address, trimmed and lower-cased so that one person is one address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, FieldError> {
        let value = input.trim().to_lowercase();
        if value.is_empty() {
            return Err(FieldError::new("Enter an email address."));
        }
        if value.len() > 254 {
            return Err(FieldError::new("This email address is too long."));
        }
        let Some((local, domain)) = value.rsplit_once('@') else {
            return Err(FieldError::new(
                "Enter an email address like name@example.com.",
            ));
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        if local.is_empty()
            || !domain_ok
            || value.chars().any(|c| c.is_whitespace() || c.is_control())
            || local.contains('@')
        {
            return Err(FieldError::new(
                "Enter an email address like name@example.com.",
            ));
        }
        Ok(Email(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_or_refused() {
        let cases = [
            (
                "  Ada@Example.COM ",
                Some("ada@example.com"),
                "trimmed and lower-cased",
            ),
            ("ada@example", None, "domain without a dot"),
            ("@example.com", None, "no local part"),
            ("ada example@x.com", None, "space inside"),
            ("", None, "empty"),
            ("a@b@c.com", None, "two at signs"),
            ("ada@.com", None, "domain starts with a dot"),
        ];
        for (input, expected, reason) in cases {
            let got = Email::parse(input).ok().map(|e| e.as_str().to_owned());
            assert_eq!(got.as_deref(), expected, "{reason}");
        }
    }
}
