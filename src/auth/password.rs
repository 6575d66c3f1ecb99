//! Password hashing with argon2id at no less than OWASP's minimum
//! (m = 19456 KiB, t = 2, p = 1). Callers run these on the blocking pool.

use std::sync::LazyLock;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

pub const MEMORY_KIB: u32 = 19_456;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

fn hasher() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string with a fresh random salt.
pub fn hash(password: &str) -> anyhow::Result<String> {
    hasher()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password failed: {e}"))
}

/// Outcome of checking a password against a stored hash.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Wrong,
    Right { needs_rehash: bool },
}

/// Checks `password` against `stored`. A hash made with weaker parameters
/// (or another variant) verifies, and asks to be replaced.
pub fn verify(password: &str, stored: &str) -> Verdict {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return Verdict::Wrong;
    };
    // The stored hash's own parameters are used to verify, not ours.
    if hasher()
        .verify_password(password.as_bytes(), &parsed)
        .is_err()
    {
        return Verdict::Wrong;
    }
    let needs_rehash = match Params::try_from(&parsed) {
        Ok(params) => {
            parsed.algorithm != Algorithm::Argon2id.ident()
                || params.m_cost() < MEMORY_KIB
                || params.t_cost() < ITERATIONS
                || params.p_cost() < PARALLELISM
        }
        Err(_) => true,
    };
    Verdict::Right { needs_rehash }
}

/// Spends the same time as a real check, for emails that have no account, so
/// that timing does not tell which emails are registered.
pub fn verify_against_nothing(password: &str) {
    static DUMMY: LazyLock<String> =
        LazyLock::new(|| hash("not a real password, only for equal timing").unwrap_or_default());
    let _ = verify(password, &DUMMY);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_no_other() {
        let stored = hash("correct horse battery").unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert_eq!(
            verify("correct horse battery", &stored),
            Verdict::Right {
                needs_rehash: false
            }
        );
        assert_eq!(verify("correct horse batterY", &stored), Verdict::Wrong);
        assert_eq!(verify("anything", "not a phc string"), Verdict::Wrong);
    }

    #[test]
    fn weaker_hashes_verify_and_ask_for_a_rehash() {
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(4096, 1, 1, None).unwrap(),
        )
        .hash_password(b"old password 1")
        .unwrap()
        .to_string();
        assert_eq!(
            verify("old password 1", &weak),
            Verdict::Right { needs_rehash: true }
        );
    }
}
