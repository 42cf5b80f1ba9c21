//! What stands between the log-in form and the password check.
//!
//! - **Few checks at once.** argon2 takes 19 MiB and tens of milliseconds a check, so at most
//!   one check per core runs at a time, `MAX_WAITING` more wait, and the rest are told the
//!   system is busy. Memory stays flat however many log-ins arrive together.
//! - **Delays, not locks.** Attempts are counted per address and account, per address and
//!   per account, as failures from the moment they start until they succeed (so that
//!   attempts sent together cannot slip past a delay), and again while delayed (so that
//!   hammering keeps the delay up). Past a few free failures each key must wait before its
//!   next check, doubling from 1 s up to 15 minutes. A hard lock would let anyone who knows a
//!   username keep its owner out; here the owner signs in from a browser that has signed in
//!   to the account before (the `gk_known` cookie, sealed by the hub), which is counted by
//!   that browser's own failures only — not the account's, not its address's — and may wait
//!   for a check however many others are waiting. A browser that has never signed in to the
//!   account can be held at the longest delay by someone who keeps failing on it.
//! - **Nothing to tell names apart.** The decision uses only what the request says, never
//!   whether the account exists, and every attempt that passes runs the same path: one read,
//!   one argon2 check, one write.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::password::Checker;
use crate::{
    client::Source,
    rate_limit::{Key, key},
};

/// Attempts that may wait for a password check; more are told to try again.
const MAX_WAITING: usize = 32;
/// The longest an attempt waits for a check.
const MAX_WAIT: Duration = Duration::from_secs(10);
/// The longest delay a key can earn.
pub const MAX_DELAY: Duration = Duration::from_secs(15 * 60);
/// A key's failures are forgotten this long after its last one.
const FORGET_AFTER: Duration = Duration::from_secs(24 * 3600);
/// Keys held at most (about 50 bytes each).
const MAX_KEYS: usize = 100_000;

/// What a failure is counted against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Counted {
    AddressAndAccount,
    Address,
    Account,
    KnownBrowser,
}

impl Counted {
    /// Failures before delays start.
    fn free(self) -> u32 {
        match self {
            Counted::AddressAndAccount | Counted::KnownBrowser => 5,
            Counted::Account => 10,
            Counted::Address => 20,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Record {
    failures: u32,
    last: Instant,
    /// When the delay these failures earned ends.
    due: Instant,
}

pub struct LoginGuard {
    checks: Arc<Semaphore>,
    /// One work area per check the semaphore lets run.
    pub checker: Checker,
    waiting: AtomicUsize,
    failures: Mutex<HashMap<Key, Record>>,
}

/// The keys one attempt is counted under.
pub struct Attempt {
    keys: Vec<(Key, Counted)>,
    known_browser: bool,
}

impl Attempt {
    /// An attempt on `username` from `source`; `known_browser` when the browser carries a
    /// cookie from an earlier sign-in to this very account.
    pub fn new(source: Source, username: &str, known_browser: Option<&[u8]>) -> Self {
        if let Some(browser) = known_browser {
            return Self { keys: vec![(key("login browser", browser), Counted::KnownBrowser)], known_browser: true };
        }
        let account = username_key(username);
        let mut pair = source.key("login address").to_vec();
        pair.extend_from_slice(&account);
        let keys = vec![
            (key("login pair", &pair), Counted::AddressAndAccount),
            (source.key("login address"), Counted::Address),
            (account, Counted::Account),
        ];
        Self { keys, known_browser: false }
    }
}

/// The account's key: also what a known-browser cookie is bound to.
pub fn username_key(username: &str) -> Key {
    key("login account", username.as_bytes())
}

pub enum Refusal {
    /// Try again in this long.
    Wait(Duration),
    /// Too many attempts are waiting for a check.
    Busy,
}

impl LoginGuard {
    pub fn new() -> Self {
        let checks = std::thread::available_parallelism().map_or(1, usize::from).clamp(1, 4);
        // Made now, not on the first unknown name (it allocates outside the work areas).
        super::password::stand_in_hash();
        Self {
            checks: Arc::new(Semaphore::new(checks)),
            checker: Checker::new(checks),
            waiting: AtomicUsize::new(0),
            failures: Mutex::default(),
        }
    }

    /// A turn at the password check, or why not now. The attempt is counted as a failure
    /// from here on, until `succeeded` or `not_checked` says otherwise. The turn lasts as long
    /// as the permit: hand it to the code that runs the check.
    pub async fn turn(&self, attempt: &Attempt) -> Result<OwnedSemaphorePermit, Refusal> {
        if let Some(wait) = self.count(attempt, Instant::now()) {
            return Err(Refusal::Wait(wait));
        }
        // The owner's known browser waits its turn however many others wait.
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING && !attempt.known_browser {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            self.not_checked(attempt);
            return Err(Refusal::Busy);
        }
        let permit = tokio::time::timeout(MAX_WAIT, Arc::clone(&self.checks).acquire_owned()).await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        match permit {
            Ok(Ok(permit)) => Ok(permit),
            _ => {
                self.not_checked(attempt);
                Err(Refusal::Busy)
            }
        }
    }

    /// Counts the attempt and returns the delay it had to wait, if any. A delayed attempt
    /// only raises the keys that already have failures: it costs no check, so it must not be
    /// able to fill the table.
    fn count(&self, attempt: &Attempt, now: Instant) -> Option<Duration> {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let delay = attempt
            .keys
            .iter()
            .filter_map(|(key, _)| failures.get(key)?.due.checked_duration_since(now).filter(|d| !d.is_zero()))
            .max();
        if delay.is_none() && failures.len() + attempt.keys.len() > MAX_KEYS {
            forget_idle(&mut failures, now);
        }
        for (key, counted) in &attempt.keys {
            let room = delay.is_none() && failures.len() < MAX_KEYS;
            if !failures.contains_key(key) && !room {
                continue;
            }
            let record = failures.entry(*key).or_insert(Record { failures: 0, last: now, due: now });
            record.failures = record.failures.saturating_add(1);
            record.last = now;
            record.due = now + delay_after(record.failures, counted.free());
        }
        delay
    }

    /// A success clears the keys of this address and browser, and takes the attempt back
    /// from the account's and the address's count; the account's earlier failures stay, so
    /// that signing in somewhere does not reset what an attacker has earned elsewhere.
    pub fn succeeded(&self, attempt: &Attempt) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for (key, counted) in &attempt.keys {
            match counted {
                Counted::AddressAndAccount | Counted::KnownBrowser => {
                    failures.remove(key);
                }
                Counted::Account | Counted::Address => take_back(&mut failures, key, *counted),
            }
        }
    }

    /// An attempt that never reached the check (the system was busy) is not held against it.
    pub fn not_checked(&self, attempt: &Attempt) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for (key, counted) in &attempt.keys {
            take_back(&mut failures, key, *counted);
        }
    }
}

fn take_back(failures: &mut HashMap<Key, Record>, key: &Key, counted: Counted) {
    if let Some(record) = failures.get_mut(key) {
        record.failures = record.failures.saturating_sub(1);
        record.due = record.last + delay_after(record.failures, counted.free());
    }
}

/// The wait after `failures` failures of which `free` cost nothing: 1 s, 2 s, 4 s … 15 min.
fn delay_after(failures: u32, free: u32) -> Duration {
    match failures.checked_sub(free) {
        None => Duration::ZERO,
        Some(over) => Duration::from_secs(1u64 << over.min(20)).min(MAX_DELAY),
    }
}

/// Drops keys idle for `FORGET_AFTER`, then, if still too many, the older half of those whose
/// delay has run out. A running delay is never forgotten.
fn forget_idle(failures: &mut HashMap<Key, Record>, now: Instant) {
    failures.retain(|_, r| now.duration_since(r.last) < FORGET_AFTER);
    if failures.len() > MAX_KEYS / 2 {
        let mut idle: Vec<Instant> = failures.values().filter(|r| r.due <= now).map(|r| r.last).collect();
        if idle.is_empty() {
            return;
        }
        let middle = idle.len() / 2;
        let cut = *idle.select_nth_unstable(middle).1;
        failures.retain(|_, r| r.due > now || r.last > cut);
    }
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use axum::http::HeaderMap;

    use super::*;
    use crate::client::Peer;

    fn source(address: &str) -> Source {
        Source::of(Some(Peer(format!("{address}:4000").parse::<SocketAddr>().unwrap())), &HeaderMap::new(), &[])
    }

    #[test]
    fn delays_double_after_the_free_failures_up_to_15_minutes() {
        assert_eq!(delay_after(4, 5), Duration::ZERO);
        assert_eq!(delay_after(5, 5), Duration::from_secs(1));
        assert_eq!(delay_after(8, 5), Duration::from_secs(8));
        assert_eq!(delay_after(40, 5), MAX_DELAY);
        assert_eq!(delay_after(u32::MAX, 0), MAX_DELAY);
    }

    #[test]
    fn an_attacker_delays_the_account_but_not_its_owner_on_a_known_browser() {
        let guard = LoginGuard::new();
        let now = Instant::now();
        let attacker = Attempt::new(source("203.0.113.9"), "clerk", None);
        for _ in 0..30 {
            guard.count(&attacker, now);
        }
        assert!(guard.count(&attacker, now).is_some_and(|d| d > Duration::from_secs(60)));
        // From another address on a new browser the account's own delay holds.
        let stranger = Attempt::new(source("198.51.100.4"), "clerk", None);
        assert!(guard.count(&stranger, now).is_some(), "the account's failures count everywhere");
        // The owner's browser signed in before, even from the attacker's own address: only its
        // own failures hold it.
        let owner = Attempt::new(source("203.0.113.9"), "clerk", Some(b"owner's browser"));
        assert_eq!(guard.count(&owner, now), None);
        // Another account from the attacker's address is held by the address key.
        let other = Attempt::new(source("203.0.113.9"), "chief", None);
        assert!(guard.count(&other, now).is_some(), "30 failures from one address");
        let elsewhere = Attempt::new(source("192.0.2.1"), "chief", None);
        assert_eq!(guard.count(&elsewhere, now), None, "an unrelated account and address");
    }

    #[test]
    fn attempts_count_when_they_start_and_delayed_ones_make_no_new_keys() {
        let guard = LoginGuard::new();
        let now = Instant::now();
        // Ten attempts started before any is checked: the pair's five free ones pass.
        let attacker = Attempt::new(source("203.0.113.9"), "chief", None);
        let passed = (0..10).filter(|_| guard.count(&attacker, now).is_none()).count();
        assert_eq!(passed, 5);
        // Delayed attempts under ever new names add no keys: the address holds them back.
        let keys = guard.failures.lock().unwrap().len();
        for n in 0..1000 {
            assert!(guard.count(&Attempt::new(source("203.0.113.9"), &format!("junk-{n}"), None), now).is_some() || n < 15);
        }
        assert!(guard.failures.lock().unwrap().len() <= keys + 15 * 2, "{} keys", guard.failures.lock().unwrap().len());
        // A success is taken back from the account, and clears the pair.
        let owner = Attempt::new(source("198.51.100.4"), "clerk", None);
        for _ in 0..4 {
            guard.count(&owner, now);
        }
        guard.succeeded(&owner);
        let record = |n: usize| guard.failures.lock().unwrap().get(&owner.keys[n].0).map(|r| r.failures);
        assert_eq!(record(0), None, "the address and account pair is cleared");
        assert_eq!(record(2), Some(3), "the account keeps the three failures, not the success");
    }

    #[test]
    fn the_table_stays_bounded_and_keeps_running_delays() {
        let guard = LoginGuard::new();
        let now = Instant::now();
        let target = Attempt::new(source("198.51.100.4"), "clerk", None);
        for _ in 0..30 {
            guard.count(&target, now);
        }
        for n in 0..(MAX_KEYS as u32) {
            // Each from its own address, so that no delay holds them back.
            let address = format!("10.{}.{}.{}", n >> 16 & 255, n >> 8 & 255, n & 255);
            guard.count(&Attempt::new(source(&address), &n.to_string(), None), now + Duration::from_millis(u64::from(n)));
        }
        assert!(guard.failures.lock().unwrap().len() <= MAX_KEYS);
        assert!(guard.count(&Attempt::new(source("192.0.2.1"), "clerk", None), now).is_some(), "the account's delay survived");
    }
}
