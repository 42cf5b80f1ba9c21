//! Counting what a phone, an address or a QR link does within a time window. Keys are 16-byte
//! hashes of values the hub has verified or bounded itself, so what a client sends never
//! sits in the table, and the table is bounded in events, and so in bytes.

use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
    time::{Duration, Instant},
};

use sha2::{Digest, Sha256};

pub type Key = [u8; 16];

/// The key of `value` counted as `kind` (`device`, `address`, `link`, …).
pub fn key(kind: &str, value: &[u8]) -> Key {
    let mut hash = Sha256::new();
    hash.update(kind.as_bytes());
    hash.update([0]);
    hash.update(value);
    let mut out = [0; 16];
    out.copy_from_slice(&hash.finalize()[..16]);
    out
}

/// Events held at most by one limit, within their window or not: about 40 bytes each in the
/// queue and at most as many keys, so a flood costs a few MB and no more.
const MAX_EVENTS: usize = 100_000;

/// At most a given number of events per key within any `window`; each key comes with its
/// own limit, so that a phone's, a link's and an address's count are taken or refused
/// together.
pub struct RateLimit {
    window: Duration,
    max_events: usize,
    table: Mutex<Table>,
}

#[derive(Default)]
struct Table {
    /// Each key's events within the window.
    by_key: HashMap<Key, u32>,
    /// Every counted event in the order it happened, so expiry costs O(1) per event.
    in_order: VecDeque<(Instant, Key)>,
}

impl RateLimit {
    pub fn new(window: Duration) -> Self {
        Self { window, max_events: MAX_EVENTS, table: Mutex::default() }
    }

    /// Counts an event for each key and says whether all were within their limit. Nothing is
    /// counted when any key is over, so a refused attempt does not extend the wait.
    pub fn allow(&self, keys: &[(Key, u32)], now: Instant) -> bool {
        let mut table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        self.forget_old(&mut table, now);
        if keys.iter().any(|(key, limit)| table.by_key.get(key).is_some_and(|count| count >= limit)) {
            return false;
        }
        for (key, _) in keys {
            *table.by_key.entry(*key).or_default() += 1;
            table.in_order.push_back((now, *key));
        }
        self.forget_old(&mut table, now);
        true
    }

    /// Events counted for `key` within the window.
    pub fn count(&self, key: &Key, now: Instant) -> u32 {
        let mut table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        self.forget_old(&mut table, now);
        table.by_key.get(key).copied().unwrap_or(0)
    }

    /// Drops events that left the window, then the oldest ones while there are too many.
    fn forget_old(&self, table: &mut Table, now: Instant) {
        while let Some((time, key)) = table.in_order.front().copied() {
            if now.duration_since(time) < self.window && table.in_order.len() <= self.max_events {
                break;
            }
            if let Some(count) = table.by_key.get_mut(&key) {
                *count -= 1;
                if *count == 0 {
                    table.by_key.remove(&key);
                }
            }
            table.in_order.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_each_key_within_the_window() {
        let limit = RateLimit::new(Duration::from_secs(60));
        let [a, b, c, d, t] = ["a", "b", "c", "d", "t"].map(|v| (key("device", v.as_bytes()), 2));
        let start = Instant::now();
        assert!(limit.allow(&[a, t], start));
        assert!(limit.allow(&[a], start));
        assert!(!limit.allow(&[a], start), "third within the minute");
        assert_eq!(limit.count(&a.0, start), 2);
        assert!(limit.allow(&[b], start), "another phone on the same Wi-Fi is not affected");
        assert!(limit.allow(&[c, t], start));
        assert!(!limit.allow(&[d, t], start), "one link's limit holds across phones");
        assert!(limit.allow(&[d], start), "a refused attempt was not counted");
        assert!(limit.allow(&[a], start + Duration::from_secs(61)), "the window moved on");
        let address = (key("address", b"10.0.0.1"), 3);
        assert!(limit.allow(&[address], start) && limit.allow(&[address], start) && limit.allow(&[address], start));
        assert!(!limit.allow(&[(key("device", b"e"), 2), address], start), "each key keeps its own limit");
        assert_ne!(key("device", b"x"), key("link", b"x"), "kinds never share a key");
    }

    #[test]
    fn a_flood_of_new_keys_is_bounded_in_events() {
        let limit = RateLimit { max_events: 100, ..RateLimit::new(Duration::from_secs(600)) };
        let first = (key("device", b"first"), 1);
        let start = Instant::now();
        assert!(limit.allow(&[first], start));
        assert!(!limit.allow(&[first], start));
        for n in 0..1000u32 {
            assert!(limit.allow(&[(key("device", &n.to_be_bytes()), 1)], start));
        }
        let table = limit.table.lock().unwrap();
        assert!(table.by_key.len() <= 100 && table.in_order.len() <= 100, "{} keys kept", table.by_key.len());
        drop(table);
        assert!(limit.allow(&[first], start), "the oldest event was the one forgotten");
        assert!(!limit.allow(&[(key("device", &999u32.to_be_bytes()), 1)], start), "recent keys are still limited");
    }
}
