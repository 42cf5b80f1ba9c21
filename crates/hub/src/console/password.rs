//! Staff passwords: argon2id hashes in PHC form, checked in a fixed set of work areas.
//!
//! argon2 needs 19 MiB of memory per check. Allocating it per check, on whichever blocking
//! thread runs it, left each thread's allocator arena holding its own 19 MiB after a burst of
//! log-ins (hundreds of MB, never given back). The areas here are allocated once, one per
//! check allowed at a time (`LoginGuard`), and reused.

use std::sync::{Mutex, OnceLock};

use argon2::{
    Algorithm, Argon2, Block, Params, Version,
    password_hash::{PasswordHash, PasswordHasher, SaltString},
};

use gongkai_core::handoff::constant_time_eq;

pub const MIN_PASSWORD_CHARS: usize = 10;

/// Whether `password` is shorter than a password may be.
pub fn too_short(password: &str) -> bool {
    password.chars().count() < MIN_PASSWORD_CHARS
}

/// An argon2id hash in PHC form, with a fresh salt and the default cost.
pub fn hash_password(password: &str) -> Result<String, String> {
    if too_short(password) {
        return Err(format!("password: must be at least {MIN_PASSWORD_CHARS} characters"));
    }
    let salt_bytes = gongkai_core::random::bytes::<16>().map_err(|e| format!("no randomness for the salt: {e}"))?;
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| e.to_string())?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// A hash to check unknown user names against, so that they take as long as known ones.
pub fn stand_in_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password("no such account, only for timing").unwrap_or_default())
}

/// Work areas for `checks` password checks at a time.
pub struct Checker {
    areas: Mutex<Vec<Vec<Block>>>,
}

impl Checker {
    pub fn new(checks: usize) -> Self {
        let blocks = Params::default().block_count();
        Self { areas: Mutex::new((0..checks).map(|_| vec![Block::default(); blocks]).collect()) }
    }

    /// Whether `password` matches `hash`; `None` when no work area is free (the caller runs
    /// more checks at once than it made areas for), rather than allocating one. A hash costing
    /// more memory than the default is refused rather than checked.
    pub fn verify(&self, hash: &str, password: &str) -> Option<bool> {
        let mut area = self.areas.lock().unwrap_or_else(|p| p.into_inner()).pop()?;
        let matches = check(hash, password, &mut area);
        self.areas.lock().unwrap_or_else(|p| p.into_inner()).push(area);
        Some(matches)
    }
}

fn check(hash: &str, password: &str, area: &mut [Block]) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else { return false };
    let (Ok(algorithm), Ok(params)) = (Algorithm::try_from(parsed.algorithm), Params::try_from(&parsed)) else { return false };
    let version = match parsed.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(version)) => version,
        Some(Err(_)) => return false,
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else { return false };
    if params.block_count() > area.len() {
        eprintln!("password check refused: the stored hash asks for more memory than the hub allows");
        return false;
    }
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else { return false };
    let mut out = vec![0u8; expected.len()];
    let blocks = params.block_count();
    let hashed = Argon2::new(algorithm, version, params).hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut area[..blocks]);
    hashed.is_ok() && constant_time_eq(&out, expected.as_bytes())
}

#[cfg(test)]
mod tests {
    use argon2::PasswordVerifier;

    use super::*;

    #[test]
    fn checks_agree_with_argon2_and_refuse_costlier_hashes() {
        let checker = Checker::new(1);
        let hash = hash_password("公开办 2025 secure").unwrap();
        assert_eq!(checker.verify(&hash, "公开办 2025 secure"), Some(true));
        assert_eq!(checker.verify(&hash, "公开办 2025 secure!"), Some(false));
        assert!(Argon2::default().verify_password("公开办 2025 secure".as_bytes(), &PasswordHash::new(&hash).unwrap()).is_ok());
        assert_eq!(checker.verify("not a hash", "x"), Some(false));
        let costly = Params::new(64 * 1024, 2, 1, None).unwrap();
        let salt = SaltString::encode_b64(&[1; 16]).unwrap();
        let hash = Argon2::new(Algorithm::Argon2id, Version::V0x13, costly).hash_password(b"long enough", &salt).unwrap().to_string();
        assert_eq!(checker.verify(&hash, "long enough"), Some(false), "64 MiB asked for");
        assert_eq!(Checker::new(0).verify(&hash, "long enough"), None, "no area, no check");
        assert!(hash_password("short").unwrap_err().contains("10 characters"));
    }
}
