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
    events: Mutex<HashMap<String, VecDeque<Instant>>>,
}

/// Keys held at most before idle ones are dropped, so the table cannot grow without bound.
const MAX_KEYS: usize = 50_000;

impl RateLimit {
    pub fn new(limit: usize, window: Duration) -> Self {
        Self { limit, window, events: Mutex::new(HashMap::new()) }
    }

    /// Counts an event for each key and says whether all are within their limit. Nothing is
    /// counted when any key is over, so a refused attempt does not extend the wait.
    pub fn allow(&self, keys: &[&str], now: Instant) -> bool {
        let mut events = self.events.lock().unwrap_or_else(|p| p.into_inner());
        if events.len() > MAX_KEYS {
            events.retain(|_, times| times.back().is_some_and(|t| now.duration_since(*t) < self.window));
        }
        let over = keys.iter().any(|key| {
            events.get(*key).is_some_and(|times| {
                times.iter().filter(|t| now.duration_since(**t) < self.window).count() >= self.limit
            })
        });
        if over {
            return false;
        }
        for key in keys {
            let times = events.entry((*key).to_string()).or_default();
            while times.front().is_some_and(|t| now.duration_since(*t) >= self.window) {
                times.pop_front();
            }
            times.push_back(now);
        }
        true
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
}
