//! Times as staff read and type them: in the hub's local time zone, the hall's.

use chrono::{Local, NaiveDateTime, TimeZone};

/// Local date and time of a Unix timestamp, to the minute.
pub fn local_time(unix: i64) -> String {
    local_time_as(unix, "%Y-%m-%d %H:%M")
}

/// Local time of a Unix timestamp in `format` (chrono's).
pub fn local_time_as(unix: i64, format: &str) -> String {
    Local.timestamp_opt(unix, 0).single().map(|t| t.format(format).to_string()).unwrap_or_default()
}

/// The Unix time of a local time typed in a form as `<input type="datetime-local">` sends it
/// (`2026-12-07T09:30`); `None` for anything else, or a time the clocks skip.
pub fn parse_local_minute(text: &str) -> Option<i64> {
    let naive = NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M").ok()?;
    Local.from_local_datetime(&naive).earliest().map(|t| t.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_minute_reads_back_as_typed() {
        let at = parse_local_minute("2026-12-07T09:30").unwrap();
        assert_eq!(local_time(at), "2026-12-07 09:30");
        for bad in ["", "2026-12-07", "2026-13-07T09:30", "明天九点"] {
            assert_eq!(parse_local_minute(bad), None, "{bad}");
        }
    }
}
