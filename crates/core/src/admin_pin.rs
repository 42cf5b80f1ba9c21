//! The admin panel's PIN, kept in the config only as a salted, iterated SHA-256 hash:
//! `pin6-sha256-ROUNDS$SALT$HASH` (hex), made with `gongkai hash-pin`; and the guard that
//! slows down anyone trying PINs at the kiosk.

use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::handoff::link::constant_time_eq;

const ROUNDS: u32 = 50_000;

/// The PIN's length: the keypad has digits only, and a visitor must not be able to try every
/// PIN of a kiosk in a day (with `PinGuard`, 10^6 PINs take decades).
pub const PIN_DIGITS: std::ops::RangeInclusive<usize> = 6..=12;

/// The scheme of hashes made since PINs are at least 6 digits long. Older hashes
/// (`sha256-…`) may hide a 4-digit PIN, so they are refused with a way to make a new one.
const SCHEME: &str = "pin6-sha256-";

/// Why `pin` cannot be an admin PIN, for `gongkai hash-pin`.
pub fn pin_problem(pin: &str) -> Option<String> {
    (!PIN_DIGITS.contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit())).then(|| {
        format!("the PIN must be {} to {} digits (the admin keypad has only digits)", PIN_DIGITS.start(), PIN_DIGITS.end())
    })
}

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
        if scheme.starts_with("sha256-") {
            return Err(format!(
                "made by an older `gongkai hash-pin` that allowed PINs shorter than {} digits; make a new one with `gongkai hash-pin`",
                PIN_DIGITS.start()
            ));
        }
        let rounds = scheme.strip_prefix(SCHEME).and_then(|r| r.parse().ok()).filter(|&r| r > 0);
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
        write!(f, "{SCHEME}{}${}${}", self.rounds, hex::encode(&self.salt), hex::encode(&self.hash))
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

/// Wrong PINs in a row before the keypad locks, and how long the first lock lasts; each
/// further wrong PIN doubles it, up to `LONGEST_LOCK`.
const FREE_TRIES: u32 = 3;
const FIRST_LOCK: Duration = Duration::from_secs(60);
const LONGEST_LOCK: Duration = Duration::from_secs(3600);

/// Counts wrong PINs and locks the keypad after them. It lives as long as the kiosk program,
/// whatever screen is shown, so leaving the panel does not reset it.
#[derive(Debug, Default, Clone)]
pub struct PinGuard {
    wrong_in_a_row: u32,
    locked_until: Option<Instant>,
    /// Wrong PINs since the program started, for the heartbeat.
    pub wrong_total: u64,
}

impl PinGuard {
    /// How long the keypad stays locked from `now`; `None` when a PIN may be tried.
    pub fn locked_for(&self, now: Instant) -> Option<Duration> {
        self.locked_until.and_then(|until| until.checked_duration_since(now)).filter(|left| !left.is_zero())
    }

    /// Checks `pin` unless the keypad is locked: `Some(true)` opens the panel.
    pub fn try_pin(&mut self, hash: &PinHash, pin: &str, now: Instant) -> Option<bool> {
        if self.locked_for(now).is_some() {
            return None;
        }
        if hash.matches(pin) {
            self.wrong_in_a_row = 0;
            return Some(true);
        }
        self.wrong_in_a_row += 1;
        self.wrong_total += 1;
        if let Some(beyond) = self.wrong_in_a_row.checked_sub(FREE_TRIES) {
            let lock = FIRST_LOCK.saturating_mul(1 << beyond.min(16)).min(LONGEST_LOCK);
            self.locked_until = Some(now + lock);
        }
        Some(false)
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::{PinGuard, PinHash, pin_problem};

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
        for text in ["", "246810", "pin6-sha256-0$00$00", "md5-1$0011223344556677$00", "pin6-sha256-5$zz$00"] {
            assert!(PinHash::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn hashes_from_before_the_length_rule_are_refused_with_the_way_out() {
        let old = "sha256-50000$3f8ec74468e178018cbd0888722d4ef5$1bfd16d881ac348e728a1a10b1f180b8280a160d930b46ad32f2f48c7a847ebf";
        let error = PinHash::parse(old).unwrap_err();
        assert!(error.contains("shorter than 6 digits") && error.contains("gongkai hash-pin"), "{error}");
    }

    #[test]
    fn pins_are_6_to_12_digits() {
        for bad in ["", "1234", "12345", "1234567890123", "12345a", "１２３４５６"] {
            assert!(pin_problem(bad).is_some(), "{bad:?}");
        }
        for good in ["123456", "000000000000"] {
            assert_eq!(pin_problem(good), None, "{good:?}");
        }
    }

    #[test]
    fn wrong_pins_lock_the_keypad_for_longer_each_time() {
        let hash = PinHash::new("246810").unwrap();
        let mut guard = PinGuard::default();
        let start = Instant::now();
        for _ in 0..2 {
            assert_eq!(guard.try_pin(&hash, "111111", start), Some(false));
            assert_eq!(guard.locked_for(start), None, "two wrong PINs are forgiven");
        }
        assert_eq!(guard.try_pin(&hash, "111111", start), Some(false));
        assert_eq!(guard.locked_for(start), Some(Duration::from_secs(60)), "the third locks for a minute");
        assert_eq!(guard.try_pin(&hash, "246810", start + Duration::from_secs(59)), None, "even the right PIN waits");
        let later = start + Duration::from_secs(60);
        assert_eq!(guard.try_pin(&hash, "111111", later), Some(false));
        assert_eq!(guard.locked_for(later), Some(Duration::from_secs(120)), "the next wrong one doubles the lock");
        let mut at = later;
        for _ in 0..10 {
            at += guard.locked_for(at).unwrap();
            guard.try_pin(&hash, "111111", at);
        }
        assert_eq!(guard.locked_for(at), Some(Duration::from_secs(3600)), "an hour at most");
        assert_eq!(guard.wrong_total, 14);
        at += Duration::from_secs(3600);
        assert_eq!(guard.try_pin(&hash, "246810", at), Some(true));
        guard.try_pin(&hash, "111111", at);
        assert_eq!(guard.locked_for(at), None, "the right PIN starts the count again");
    }
}
