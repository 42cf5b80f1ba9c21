//! What a member of staff may do with content: 起草 (edit, import, submit for review),
//! 审核 (review, approve and publish) and 管理员 (accounts and roles). The 依申请公开 inbox
//! is open to every account.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Drafter,
    Reviewer,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Drafter, Role::Reviewer, Role::Admin];

    pub fn label(self) -> &'static str {
        match self {
            Role::Drafter => "起草",
            Role::Reviewer => "审核",
            Role::Admin => "管理员",
        }
    }

    /// A role by its Chinese label or its English name; an unknown name is an error that names it.
    pub fn parse(name: &str) -> Result<Role, String> {
        let name = name.trim();
        Role::ALL
            .into_iter()
            .find(|role| role.label() == name || format!("{role:?}").eq_ignore_ascii_case(name))
            .ok_or_else(|| format!("unknown role {name:?}; the roles are 起草, 审核 and 管理员"))
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// A set of roles, stored as their labels joined by commas.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Roles(u8);

impl Roles {
    pub fn of(roles: &[Role]) -> Self {
        Roles(roles.iter().fold(0, |bits, role| bits | role.bit()))
    }

    pub fn has(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    /// Parses a stored or typed list (`起草,审核`; `、` and spaces also separate); an unknown
    /// name is an error that names it.
    pub fn parse(text: &str) -> Result<Roles, String> {
        let mut roles = Vec::new();
        for name in text.split([',', '，', '、', ' ']).filter(|n| !n.trim().is_empty()) {
            roles.push(Role::parse(name)?);
        }
        Ok(Roles::of(&roles))
    }

    pub fn stored(self) -> String {
        self.labels().join(",")
    }

    fn labels(self) -> Vec<&'static str> {
        Role::ALL.into_iter().filter(|role| self.has(*role)).map(Role::label).collect()
    }
}

impl fmt::Display for Roles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 { write!(f, "无") } else { write!(f, "{}", self.labels().join("、")) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_stored_and_read_back_by_their_labels() {
        let roles = Roles::parse("审核，起草").unwrap();
        assert!(roles.has(Role::Drafter) && roles.has(Role::Reviewer) && !roles.has(Role::Admin));
        assert_eq!(roles.stored(), "起草,审核");
        assert_eq!(Roles::parse(&roles.stored()), Ok(roles));
        assert_eq!(Roles::parse("reviewer admin"), Ok(Roles::of(&[Role::Reviewer, Role::Admin])));
        assert_eq!(roles.to_string(), "起草、审核");
        assert_eq!(Roles::default().to_string(), "无");
        assert!(Roles::parse("起草,发布").unwrap_err().contains("\"发布\""));
    }
}
