//! The admin panel's PIN, kept in the config only as a salted, iterated SHA-256 hash:
//! `sha256-ROUNDS$SALT$HASH` (hex), made with `gongkai hash-pin`.

use sha2::{Digest, Sha256};

use crate::handoff::link::constant_time_eq;

const ROUNDS: u32 = 50_000;

/// A parsed PIN hash from the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinHash {
    rounds: u32,
    salt: Vec<u8>,
    hash: Vec<u8>,
}

impl PinHash {
    pub fn parse(text: &str) -> Result<Self, String> {
        let invalid = || format!("{text:?} is not a PIN hash (make one with `gongkai hash-pin`)");
        let mut parts = text.split('$');
        let (Some(scheme), Some(salt), Some(hash), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let rounds = scheme.strip_prefix("sha256-").and_then(|r| r.parse().ok()).filter(|&r| r > 0);
        match (rounds, hex::decode(salt), hex::decode(hash)) {
            (Some(rounds), Ok(salt), Ok(hash)) if salt.len() >= 8 && hash.len() == 32 => Ok(Self { rounds, salt, hash }),
            _ => Err(invalid()),
        }
    }

    /// Hashes `pin` with a fresh random salt.
    pub fn new(pin: &str) -> std::io::Result<Self> {
        let salt = crate::random::bytes::<16>()?.to_vec();
        let hash = stretch(pin, &salt, ROUNDS);
        Ok(Self { rounds: ROUNDS, salt, hash })
    }

    pub fn matches(&self, pin: &str) -> bool {
        constant_time_eq(&stretch(pin, &self.salt, self.rounds), &self.hash)
    }
}

impl std::fmt::Display for PinHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "sha256-{}${}${}", self.rounds, hex::encode(&self.salt), hex::encode(&self.hash))
    }
}

/// Iterated hashing makes guessing all 10^6 six-digit PINs from a copied config take minutes,
/// not milliseconds, while one check on the kiosk stays instant.
fn stretch(pin: &str, salt: &[u8], rounds: u32) -> Vec<u8> {
    let mut state = Sha256::new().chain_update(salt).chain_update(pin.as_bytes()).finalize();
    for _ in 1..rounds {
        state = Sha256::new().chain_update(state).chain_update(salt).finalize();
    }
    state.to_vec()
}

#[cfg(test)]
mod tests {
    use super::PinHash;

    #[test]
    fn hash_round_trips_through_its_text() {
        let hash = PinHash::new("246810").unwrap();
        let parsed = PinHash::parse(&hash.to_string()).unwrap();
        assert_eq!(parsed, hash);
        assert!(parsed.matches("246810"));
        assert!(!parsed.matches("246811"));
        assert!(!parsed.matches(""));
        assert_ne!(PinHash::new("246810").unwrap(), hash, "salts differ");
    }

    #[test]
    fn malformed_hashes_are_refused() {
        for text in ["", "246810", "sha256-0$00$00", "md5-1$0011223344556677$00", "sha256-5$zz$00"] {
            assert!(PinHash::parse(text).is_err(), "{text}");
        }
    }
}
