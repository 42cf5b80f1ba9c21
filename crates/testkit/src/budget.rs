//! Benchmark budgets: a figure printed beside its limit with PASS or FAIL, so that a run says
//! whether it met the budget instead of leaving the comparison to the reader.

/// Prints `what` = `value` against the budget `value ≤ limit`.
pub fn at_most(what: &str, value: f64, limit: f64, unit: &str) {
    let verdict = if value <= limit { "PASS" } else { "FAIL" };
    println!("budget  {what:<30} {value:>10.3} {unit} (≤ {limit} {unit})  {verdict}");
}

/// Prints `what` = `value` against the budget `value ≥ limit`.
pub fn at_least(what: &str, value: f64, limit: f64, unit: &str) {
    let verdict = if value >= limit { "PASS" } else { "FAIL" };
    println!("budget  {what:<30} {value:>10.3} {unit} (≥ {limit} {unit})  {verdict}");
}
