//! Which visitor requests the hub takes, and when. Every bound holds without cookies:
//!
//! - a phone (its sealed device cookie) may submit 10 forms in 10 minutes, and so may one QR
//!   link (only a verified one is counted, by its hash);
//! - one address may submit `Limits::submits_per_address` forms in 10 minutes: a hall's
//!   visitors share one Wi-Fi, so this is set far above a hall's traffic;
//! - once an address has sent `Limits::challenge_after` forms in the window, a form without a
//!   device cookie is shown again with one, to be sent once more: a phone's browser keeps the
//!   cookie and passes, a script that drops cookies stays at the address limit;
//! - the whole hub takes `Limits::submits_per_second` forms a second; more wait their turn
//!   up to `MAX_QUEUE_WAIT`, and beyond that are asked to send again shortly;
//! - 查询码 look-ups: 30 a minute per phone and 300 per address;
//! - a QR link opened again from the same phone (or address) is counted once, and one address
//!   counts at most `OPENS_PER_ADDRESS` openings of one link.

use std::{
    sync::Mutex,
    time::{Duration, Instant},
};

use crate::{
    Limits,
    client::Source,
    cookies::Device,
    rate_limit::{Key, RateLimit, key},
    state::{LOOKUPS_PER_ADDRESS_MINUTE, LOOKUPS_PER_MINUTE},
};

/// Submissions one phone, or one QR link, may send within `SUBMIT_WINDOW`.
pub const SUBMITS_PER_WINDOW: u32 = 10;
pub const SUBMIT_WINDOW: Duration = Duration::from_secs(600);
/// The longest a form waits in the hub-wide queue.
pub const MAX_QUEUE_WAIT: Duration = Duration::from_secs(5);
/// How long a link counts as opened by one phone: a link's own lifetime.
const OPENED_WINDOW: Duration = Duration::from_secs(2 * 3600);
/// Openings of one link counted from one address within that window: a hall's visitors,
/// each on their own phone, but not an address minting cookies to inflate the funnel.
const OPENS_PER_ADDRESS: u32 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Admit,
    /// Show the form again with a device cookie.
    Challenge,
    /// Over a phone's, a link's or an address's limit.
    TooMany,
    /// The hub-wide queue is full.
    Busy,
}

pub struct Admission {
    /// Phones', links' and addresses' submissions, each key with its own limit.
    submissions: RateLimit,
    per_address: u32,
    challenge_after: u32,
    queue: Queue,
    lookups: RateLimit,
    opened: RateLimit,
}

impl Admission {
    pub fn new(limits: &Limits) -> Self {
        Self {
            submissions: RateLimit::new(SUBMIT_WINDOW),
            per_address: limits.submits_per_address,
            challenge_after: limits.challenge_after,
            queue: Queue::new(limits.submits_per_second),
            lookups: RateLimit::new(Duration::from_secs(60)),
            opened: RateLimit::new(OPENED_WINDOW),
        }
    }

    /// Whether to take a form now; waits in the hub-wide queue when it is busy. `link` is
    /// the QR link the visitor came by, only when it verified.
    pub async fn submission(&self, source: Source, device: &Device, link: Option<&str>) -> Verdict {
        let now = Instant::now();
        let address = source.key("address");
        if device.id.is_none() && self.submissions.count(&address, now) >= self.challenge_after {
            return Verdict::Challenge;
        }
        let mut keys: Vec<(Key, u32)> = vec![(address, self.per_address)];
        keys.extend(device.id.iter().map(|id| (key("device", id), SUBMITS_PER_WINDOW)));
        keys.extend(link.map(|l| (key("link", l.to_ascii_uppercase().as_bytes()), SUBMITS_PER_WINDOW)));
        if !self.submissions.allow(&keys, now) {
            return Verdict::TooMany;
        }
        if self.queue.wait_turn().await { Verdict::Admit } else { Verdict::Busy }
    }

    /// Whether a 查询码 may be looked up now.
    pub fn lookup(&self, source: Source, device: &Device) -> bool {
        let mut keys = vec![(source.key("address"), LOOKUPS_PER_ADDRESS_MINUTE)];
        keys.extend(device.id.iter().map(|id| (key("device", id), LOOKUPS_PER_MINUTE)));
        self.lookups.allow(&keys, Instant::now())
    }

    /// Whether this is the first time this phone (or, without a cookie, this address) opens
    /// `link`: only then is it counted in the funnel.
    pub fn first_open(&self, link: &str, source: Source, device: &Device) -> bool {
        let address = source.key("address");
        let opened_by = |opener: &[u8]| {
            let mut value = link.to_ascii_uppercase().into_bytes();
            value.extend_from_slice(opener);
            value
        };
        let phone = match &device.id {
            Some(id) => key("opened by phone", &opened_by(&key("device", id))),
            None => key("opened by phone", &opened_by(&address)),
        };
        let from_address = key("opened from address", &opened_by(&address));
        self.opened.allow(&[(phone, 1), (from_address, OPENS_PER_ADDRESS)], Instant::now())
    }
}

/// The hub-wide queue: forms are taken one `interval` apart, with a second's worth of burst.
struct Queue {
    interval: Duration,
    next: Mutex<Instant>,
}

impl Queue {
    fn new(per_second: u32) -> Self {
        let now = Instant::now();
        Self { interval: Duration::from_secs(1) / per_second.max(1), next: Mutex::new(now.checked_sub(Duration::from_secs(1)).unwrap_or(now)) }
    }

    /// The time this form may go, reserved; `None` when that is more than `MAX_QUEUE_WAIT`
    /// after `now`.
    fn reserve(&self, now: Instant) -> Option<Instant> {
        let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
        let burst = now.checked_sub(Duration::from_secs(1)).unwrap_or(now);
        let turn = (*next).max(burst);
        if turn > now + MAX_QUEUE_WAIT {
            return None;
        }
        *next = turn + self.interval;
        Some(turn)
    }

    /// Waits for this form's turn; false when the queue is full.
    async fn wait_turn(&self) -> bool {
        match self.reserve(Instant::now()) {
            Some(turn) => {
                tokio::time::sleep_until(tokio::time::Instant::from_std(turn)).await;
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_takes_a_second_of_burst_then_paces_and_refuses_past_its_wait() {
        let start = Instant::now();
        // Idle for a while: the burst is there.
        let queue = Queue { interval: Duration::from_millis(100), next: Mutex::new(start - Duration::from_secs(3)) };
        let turns: Vec<Instant> = std::iter::from_fn(|| queue.reserve(start)).take(1000).collect();
        let at_once = turns.iter().filter(|t| **t <= start).count();
        assert_eq!(at_once, 11, "a second's worth of burst, and the form due now");
        assert_eq!(turns.len(), 11 + 50, "then one every 100 ms for the 5 s a form may wait");
        assert!(turns.windows(2).all(|w| w[1] - w[0] == Duration::from_millis(100)));
        assert_eq!(queue.reserve(start + Duration::from_millis(100)).map(|t| t - start), Some(Duration::from_millis(5100)), "a place opens as time passes");
    }
}
