use super::FieldError;

/// A member's role in one space (DESIGN.md, Members, roles, seats).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    SuperAdmin,
    Developer,
    Creator,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::SuperAdmin,
        Role::Developer,
        Role::Creator,
        Role::Viewer,
    ];

    /// The value stored in the database and sent by forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::SuperAdmin => "super_admin",
            Role::Developer => "developer",
            Role::Creator => "creator",
            Role::Viewer => "viewer",
        }
    }

    /// The name people see.
    pub fn label(self) -> &'static str {
        match self {
            Role::SuperAdmin => "Super admin",
            Role::Developer => "Developer",
            Role::Creator => "Creator",
            Role::Viewer => "Viewer",
        }
    }

    pub fn parse(input: &str) -> Result<Role, FieldError> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == input)
            .ok_or_else(|| FieldError::new("Choose a role."))
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}
