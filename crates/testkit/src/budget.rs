//! Benchmark budgets: a figure printed beside its limit with PASS or FAIL, so that a run says
//! whether it met the budget instead of leaving the comparison to the reader.

/// Prints `what` = `value` against the budget `value ≤ limit`; true if it holds.
pub fn at_most(what: &str, value: f64, limit: f64, unit: &str) -> bool {
    let pass = value <= limit;
    println!("budget  {what:<30} {value:>10.3} {unit} (≤ {limit} {unit})  {}", if pass { "PASS" } else { "FAIL" });
    pass
}
