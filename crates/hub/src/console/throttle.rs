//! What stands between the log-in form and the password check.
//!
//! - **Few checks at once.** argon2 takes 19 MiB and tens of milliseconds a check, so at most
//!   one check per core runs at a time, `MAX_WAITING` more wait, and the rest are told the
//!   system is busy. Memory stays flat however many log-ins arrive together.
//! - **Delays, not locks.** Attempts are counted per address and account, per address, per
//!   account, and per known browser, as failures until they succeed (so that attempts sent
//!   together cannot slip past a delay) and also while delayed (so that hammering keeps the
//!   delay up). Past a few free failures each key must wait before its next check, doubling
//!   from 1 s up to 15 minutes. A hard lock would let anyone who knows a
//!   username keep its owner out; here the owner signs in from a browser that has signed in
//!   to the account before (the `gk_known` cookie, sealed by the hub) and is held only by
//!   that browser's own failures, not by the account's.
//! - **Nothing to tell names apart.** The decision uses only what the request says, never
//!   whether the account exists, and every attempt that passes runs the same path: one read,
//!   one argon2 check, one write.

use std::{
    collections::HashMap,
    sync::{
        Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use tokio::sync::{Semaphore, SemaphorePermit};

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
}

pub struct LoginGuard {
    checks: Semaphore,
    /// One work area per check the semaphore lets run.
    pub checker: Checker,
    waiting: AtomicUsize,
    failures: Mutex<HashMap<Key, Record>>,
}

/// The keys one attempt is counted under, each with its free failures.
pub struct Attempt {
    keys: Vec<(Key, Counted)>,
}

impl Attempt {
    /// An attempt on `username` from `source`; `known_browser` when the browser carries a
    /// cookie from an earlier sign-in to this very account.
    pub fn new(source: Source, username: &str, known_browser: Option<&[u8]>) -> Self {
        let account = username_key(username);
        let mut pair = source.key("login address").to_vec();
        pair.extend_from_slice(&account);
        let mut keys = vec![(key("login pair", &pair), Counted::AddressAndAccount), (source.key("login address"), Counted::Address)];
        match known_browser {
            Some(browser) => keys.push((key("login browser", browser), Counted::KnownBrowser)),
            None => keys.push((account, Counted::Account)),
        }
        Self { keys }
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
        Self { checks: Semaphore::new(checks), checker: Checker::new(checks), waiting: AtomicUsize::new(0), failures: Mutex::default() }
    }

    /// A turn at the password check, or why not now. The attempt is counted as a failure
    /// from here on, until `succeeded` says otherwise.
    pub async fn turn(&self, attempt: &Attempt) -> Result<SemaphorePermit<'_>, Refusal> {
        let now = Instant::now();
        let delay = {
            let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
            let delay = delay_of(&failures, attempt, now);
            count(&mut failures, attempt, now);
            delay
        };
        if let Some(wait) = delay {
            return Err(Refusal::Wait(wait));
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            self.uncount(attempt);
            return Err(Refusal::Busy);
        }
        let permit = tokio::time::timeout(MAX_WAIT, self.checks.acquire()).await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        match permit {
            Ok(Ok(permit)) => Ok(permit),
            _ => {
                self.uncount(attempt);
                Err(Refusal::Busy)
            }
        }
    }

    /// A success clears the keys of this address and browser, and takes the attempt back
    /// from the account's count; the account's earlier failures stay, so that signing in
    /// somewhere does not reset what an attacker has earned elsewhere.
    pub fn succeeded(&self, attempt: &Attempt) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for (key, counted) in &attempt.keys {
            match counted {
                Counted::AddressAndAccount | Counted::KnownBrowser => {
                    failures.remove(key);
                }
                Counted::Account | Counted::Address => take_back(&mut failures, key),
            }
        }
    }

    /// An attempt that never reached the check (the system was busy) is not held against it.
    fn uncount(&self, attempt: &Attempt) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for (key, _) in &attempt.keys {
            take_back(&mut failures, key);
        }
    }
}

fn delay_of(failures: &HashMap<Key, Record>, attempt: &Attempt, now: Instant) -> Option<Duration> {
    attempt
        .keys
        .iter()
        .filter_map(|(key, counted)| {
            let record = failures.get(key)?;
            let due = record.last + delay_after(record.failures, counted.free());
            (due > now).then(|| due - now)
        })
        .max()
}

fn count(failures: &mut HashMap<Key, Record>, attempt: &Attempt, now: Instant) {
    if failures.len() + attempt.keys.len() > MAX_KEYS {
        forget_old(failures, now);
    }
    for (key, _) in &attempt.keys {
        let record = failures.entry(*key).or_insert(Record { failures: 0, last: now });
        record.failures = record.failures.saturating_add(1);
        record.last = now;
    }
}

fn take_back(failures: &mut HashMap<Key, Record>, key: &Key) {
    if let Some(record) = failures.get_mut(key) {
        record.failures = record.failures.saturating_sub(1);
    }
}

/// The wait after `failures` failures of which `free` cost nothing: 1 s, 2 s, 4 s … 15 min.
fn delay_after(failures: u32, free: u32) -> Duration {
    match failures.checked_sub(free) {
        None => Duration::ZERO,
        Some(over) => Duration::from_secs(1u64 << over.min(20)).min(MAX_DELAY),
    }
}

/// Drops keys idle for `FORGET_AFTER`, then, if still too many, the older half.
fn forget_old(failures: &mut HashMap<Key, Record>, now: Instant) {
    failures.retain(|_, r| now.duration_since(r.last) < FORGET_AFTER);
    if failures.len() > MAX_KEYS / 2 {
        let mut times: Vec<Instant> = failures.values().map(|r| r.last).collect();
        let middle = times.len() / 2;
        let (_, cut, _) = times.select_nth_unstable(middle);
        let cut = *cut;
        failures.retain(|_, r| r.last > cut);
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
        let mut failures = HashMap::new();
        let now = Instant::now();
        let attacker = Attempt::new(source("203.0.113.9"), "clerk", None);
        for _ in 0..30 {
            count(&mut failures, &attacker, now);
        }
        assert!(delay_of(&failures, &attacker, now).is_some_and(|d| d > Duration::from_secs(60)));
        // From another address on a new browser the account's own delay holds.
        let stranger = Attempt::new(source("198.51.100.4"), "clerk", None);
        assert!(delay_of(&failures, &stranger, now).is_some(), "the account's failures count everywhere");
        // The owner's browser signed in before: only its own failures hold it.
        let owner = Attempt::new(source("198.51.100.4"), "clerk", Some(b"owner's browser"));
        assert_eq!(delay_of(&failures, &owner, now), None);
        // Another account from the attacker's address is held by the address key.
        let other = Attempt::new(source("203.0.113.9"), "chief", None);
        assert!(delay_of(&failures, &other, now).is_some(), "30 failures from one address");
        let elsewhere = Attempt::new(source("192.0.2.1"), "chief", None);
        assert_eq!(delay_of(&failures, &elsewhere, now), None, "an unrelated account and address");
    }

    #[tokio::test]
    async fn attempts_sent_together_cannot_slip_past_the_delay_and_a_success_is_taken_back() {
        let guard = LoginGuard::new();
        let owner = Attempt::new(source("198.51.100.4"), "clerk", None);
        for _ in 0..4 {
            drop(guard.turn(&owner).await.ok().unwrap());
        }
        guard.succeeded(&owner);
        let record = |attempt: &Attempt, n: usize| guard.failures.lock().unwrap().get(&attempt.keys[n].0).map(|r| r.failures);
        assert_eq!(record(&owner, 0), None, "the address and account pair is cleared");
        assert_eq!(record(&owner, 2), Some(3), "the account keeps the three failures, not the success");
        // Ten attempts at once, none checked yet: the pair's five free ones pass, the rest wait.
        let attacker = Attempt::new(source("203.0.113.9"), "chief", None);
        let mut passed = 0;
        let mut turns = Vec::new();
        for _ in 0..10 {
            match guard.turn(&attacker).await {
                Ok(turn) => {
                    passed += 1;
                    turns.push(turn);
                }
                Err(Refusal::Wait(_)) => {}
                Err(Refusal::Busy) => panic!("not busy"),
            }
            turns.clear();
        }
        assert_eq!(passed, 5);
    }

    #[test]
    fn the_table_stays_bounded() {
        let mut failures = HashMap::new();
        let now = Instant::now();
        for n in 0..(MAX_KEYS as u32) {
            count(&mut failures, &Attempt::new(source("203.0.113.9"), &n.to_string(), None), now + Duration::from_millis(u64::from(n)));
        }
        assert!(failures.len() <= MAX_KEYS);
    }
}
