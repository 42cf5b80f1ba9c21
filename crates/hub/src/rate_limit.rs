//! Limits on how often one phone or one QR link may submit. A hall's visitors share one
//! Wi-Fi and so one IP address, so the keys are the device cookie and the handoff token, never
//! the address.

use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
    time::{Duration, Instant},
};

/// At most `limit` events per key within any `window`.
pub struct RateLimit {
    limit: usize,
    window: Duration,
    max_keys: usize,
    table: Mutex<Table>,
}

#[derive(Default)]
struct Table {
    /// Each key's counted events, oldest first.
    by_key: HashMap<String, VecDeque<Instant>>,
    /// Every counted event in the order it happened, so expiry costs O(1) per event
    /// instead of a scan of all keys.
    in_order: VecDeque<(Instant, String)>,
}

/// Keys held at most: past this the oldest events are forgotten even inside their window,
/// so a flood of fresh cookies costs memory and time in proportion to nothing but the cap.
const MAX_KEYS: usize = 50_000;

impl RateLimit {
    pub fn new(limit: usize, window: Duration) -> Self {
        Self { limit, window, max_keys: MAX_KEYS, table: Mutex::default() }
    }

    /// Counts an event for each key and says whether all are within their limit. Nothing is
    /// counted when any key is over, so a refused attempt does not extend the wait.
    pub fn allow(&self, keys: &[&str], now: Instant) -> bool {
        let mut table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        self.forget_old(&mut table, now);
        if keys.iter().any(|key| table.by_key.get(*key).is_some_and(|times| times.len() >= self.limit)) {
            return false;
        }
        for key in keys {
            table.by_key.entry((*key).to_string()).or_default().push_back(now);
            table.in_order.push_back((now, (*key).to_string()));
        }
        true
    }

    /// Drops events that left the window, then the oldest ones while there are too many keys.
    fn forget_old(&self, table: &mut Table, now: Instant) {
        while let Some((time, key)) = table.in_order.front() {
            if now.duration_since(*time) < self.window && table.by_key.len() <= self.max_keys {
                break;
            }
            // Events are counted in time order, so this key's oldest is this very event.
            if let Some(times) = table.by_key.get_mut(key) {
                times.pop_front();
                if times.is_empty() {
                    table.by_key.remove(key);
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
        let limit = RateLimit::new(2, Duration::from_secs(60));
        let start = Instant::now();
        assert!(limit.allow(&["device:a", "token:t"], start));
        assert!(limit.allow(&["device:a"], start));
        assert!(!limit.allow(&["device:a"], start), "third within the minute");
        assert!(limit.allow(&["device:b"], start), "another phone on the same Wi-Fi is not affected");
        assert!(limit.allow(&["device:c", "token:t"], start));
        assert!(!limit.allow(&["device:d", "token:t"], start), "one link's limit holds across phones");
        assert!(limit.allow(&["device:d"], start), "a refused attempt was not counted");
        assert!(limit.allow(&["device:a"], start + Duration::from_secs(61)), "the window moved on");
    }

    #[test]
    fn a_flood_of_new_keys_is_capped() {
        let limit = RateLimit { max_keys: 100, ..RateLimit::new(1, Duration::from_secs(600)) };
        let start = Instant::now();
        assert!(limit.allow(&["device:first"], start));
        assert!(!limit.allow(&["device:first"], start));
        for n in 0..1000 {
            assert!(limit.allow(&[&format!("device:{n}")], start));
        }
        let table = limit.table.lock().unwrap();
        assert!(table.by_key.len() <= 101 && table.in_order.len() <= 101, "{} keys kept", table.by_key.len());
        drop(table);
        assert!(limit.allow(&["device:first"], start), "the oldest key was the one forgotten");
        assert!(!limit.allow(&["device:999"], start), "recent keys are still limited");
    }
}
