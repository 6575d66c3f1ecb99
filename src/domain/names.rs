use super::FieldError;

fn parse_name(input: &str, what: &str, max: usize) -> Result<String, FieldError> {
    let value = input.trim();
    if value.is_empty() {
        return Err(FieldError::new(format!("Enter {what}.")));
    }
    if value.chars().count() > max {
        return Err(FieldError::new(format!(
            "Keep {what} to {max} characters or fewer."
        )));
    }
    if value.chars().any(char::is_control) {
        return Err(FieldError::new(format!(
            "Remove line breaks and control characters from {what}."
        )));
    }
    Ok(value.to_owned())
}

/// A person's display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<PersonName, FieldError> {
        parse_name(input, "your name", 100).map(PersonName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name of a space or sub-workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpaceName(String);

impl SpaceName {
    pub fn parse(input: &str) -> Result<SpaceName, FieldError> {
        parse_name(input, "a space name", 80).map(SpaceName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn space_names_are_trimmed_and_bounded() {
        let cases = [
            ("  Acme Studio ", Ok("Acme Studio"), "trimmed"),
            ("", Err(()), "empty"),
            ("   ", Err(()), "only spaces"),
            ("a\nb", Err(()), "line break"),
        ];
        for (input, expected, reason) in cases {
            let got = SpaceName::parse(input)
                .map(|n| n.as_str().to_owned())
                .map_err(|_| ());
            assert_eq!(got, expected.map(str::to_owned), "{reason}");
        }
        assert!(SpaceName::parse(&"x".repeat(81)).is_err(), "81 characters");
        assert!(
            SpaceName::parse(&"é".repeat(80)).is_ok(),
            "80 characters, counted as characters"
        );
    }
}
