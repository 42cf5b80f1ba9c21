//! Process memory as Linux reports it in `/proc/self/status`: for the admin panel and
//! the benchmarks.

use std::fs;

/// A field of `/proc/PROCESS/status` such as `VmRSS:`, in MB (0 where there is no such file).
fn status_mb(process: &str, field: &str) -> f64 {
    fs::read_to_string(format!("/proc/{process}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok()))
        .unwrap_or(0.0)
        / 1024.0
}

/// Resident memory now.
pub fn rss_mb() -> f64 {
    status_mb("self", "VmRSS:")
}

/// Resident-memory high-water mark since the start or the last `reset_peak`.
pub fn peak_mb() -> f64 {
    status_mb("self", "VmHWM:")
}

/// Another process's resident memory now (tests and benchmarks of a spawned hub).
pub fn rss_mb_of(pid: u32) -> f64 {
    status_mb(&pid.to_string(), "VmRSS:")
}

/// Another process's resident-memory high-water mark (benchmarks of a spawned kiosk).
pub fn peak_mb_of(pid: u32) -> f64 {
    status_mb(&pid.to_string(), "VmHWM:")
}

/// Writing 5 to clear_refs resets the high-water mark.
pub fn reset_peak() {
    let _ = fs::write("/proc/self/clear_refs", "5");
}
