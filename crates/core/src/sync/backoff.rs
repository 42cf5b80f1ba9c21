//! When to try again: the regular interval after a good cycle; after failures, twice as long
//! each time up to an hour, with jitter so a fleet that lost its hub together does not come
//! back together.

use std::time::Duration;

use crate::random::fraction;

const FIRST_RETRY: Duration = Duration::from_secs(5);
const LONGEST_WAIT: Duration = Duration::from_secs(3600);

/// The wait before the next cycle after `failures` failed cycles in a row.
pub fn next_delay(interval: Duration, failures: u32) -> Duration {
    if failures == 0 {
        return interval;
    }
    let doubled = FIRST_RETRY.saturating_mul(1u32 << failures.min(20).saturating_sub(1));
    let ceiling = doubled.min(LONGEST_WAIT).min(interval.max(FIRST_RETRY) * 12);
    // Somewhere between half and all of the ceiling.
    ceiling.mul_f64(0.5 + 0.5 * fraction())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_with_failures_within_bounds_and_vary() {
        let interval = Duration::from_secs(300);
        assert_eq!(next_delay(interval, 0), interval);
        for failures in 1..30 {
            let ceiling = FIRST_RETRY.saturating_mul(1 << (failures.min(20) - 1)).min(LONGEST_WAIT).min(interval * 12);
            let delay = next_delay(interval, failures);
            assert!(delay >= ceiling / 2 && delay <= ceiling, "{failures}: {delay:?} of {ceiling:?}");
        }
        let samples: std::collections::HashSet<Duration> = (0..20).map(|_| next_delay(interval, 6)).collect();
        assert!(samples.len() > 10, "jitter spreads retries");
    }
}
