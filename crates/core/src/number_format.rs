//! Numbers as Chinese public displays write them: thousands separators for counts, 万 and 亿
//! for large ones, and percentages. Shared by the kiosk and the wall so a figure reads the same
//! on every screen.

/// `1234567` → `1,234,567`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Yuan with thousands separators and two decimals when there are cents.
pub fn yuan(amount: f64) -> String {
    let cents = (amount * 100.0).round() as u64;
    let whole = grouped(cents / 100);
    if cents % 100 == 0 { whole } else { format!("{whole}.{:02}", cents % 100) }
}

/// Short enough for a counter: up to 99,999 grouped; then 万 (`12.35万`) and 亿 (`3.5亿`),
/// with at most two decimals and no trailing zeros.
pub fn compact(n: u64) -> String {
    const WAN: f64 = 1e4;
    const YI: f64 = 1e8;
    if n < 100_000 {
        return grouped(n);
    }
    // Round first: 99,999,999 is 1亿, not 10000万.
    let wan = round2(n as f64 / WAN);
    if wan < WAN {
        return format!("{}万", trim(wan));
    }
    let yi = round2(n as f64 / YI);
    format!("{}亿", if yi < 1e5 { trim(yi) } else { grouped(yi.round() as u64) })
}

/// `0.853` → `85.3%`; `decimals` digits after the point; a missing ratio is a dash.
pub fn percent(ratio: f64, decimals: usize) -> String {
    if !ratio.is_finite() {
        return "—".to_string();
    }
    format!("{:.*}%", decimals, ratio * 100.0)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Two decimals at most, without trailing zeros or a bare point.
fn trim(x: f64) -> String {
    let text = format!("{x:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }

    #[test]
    fn large_counts_use_wan_and_yi() {
        assert_eq!(compact(99_999), "99,999");
        assert_eq!(compact(100_000), "10万");
        assert_eq!(compact(123_456), "12.35万");
        assert_eq!(compact(1_230_000), "123万");
        assert_eq!(compact(99_999_999), "1亿");
        assert_eq!(compact(350_000_000), "3.5亿");
        assert_eq!(compact(u64::MAX), "184,467,440,737亿");
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(0.853, 1), "85.3%");
        assert_eq!(percent(1.0, 0), "100%");
        assert_eq!(percent(f64::NAN, 1), "—");
    }
}
