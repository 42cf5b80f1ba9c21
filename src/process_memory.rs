//! This process's memory as Linux reports it in `/proc/self/status`: for the admin panel and
//! the benchmarks.

use std::fs;

/// A field of `/proc/self/status` such as `VmRSS:`, in MB (0 where there is no such file).
fn status_mb(field: &str) -> f64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok()))
        .unwrap_or(0.0)
        / 1024.0
}

/// Resident memory now.
pub fn rss_mb() -> f64 {
    status_mb("VmRSS:")
}

/// Resident-memory high-water mark since the start or the last `reset_peak`.
pub fn peak_mb() -> f64 {
    status_mb("VmHWM:")
}

/// Writing 5 to clear_refs resets the high-water mark.
pub fn reset_peak() {
    let _ = fs::write("/proc/self/clear_refs", "5");
}
