//! 热门搜索 counted on one kiosk: how often each search led a visitor to open a result today.
//! Only the words are kept, in memory, and they start again each day. A search is offered
//! only once several visits made it, so that no visitor's own search is shown to the next.

use std::collections::HashMap;

use chrono::NaiveDate;

/// Searches made fewer times than this today are not offered.
pub const MIN_COUNT: u32 = 3;

#[derive(Debug, Default, Clone)]
pub struct SearchTally {
    day: Option<NaiveDate>,
    counts: HashMap<String, u32>,
}

impl SearchTally {
    /// Counts `query` on `day`; the first search of a new day forgets the day before.
    pub fn record(&mut self, query: &str, day: NaiveDate) {
        let query = query.trim();
        if query.is_empty() {
            return;
        }
        if self.day != Some(day) {
            self.day = Some(day);
            self.counts.clear();
        }
        *self.counts.entry(query.to_string()).or_default() += 1;
    }

    /// The `n` searches counted most on `day`, at least `MIN_COUNT` times each, most first
    /// (ties in text order).
    pub fn most_searched(&self, day: NaiveDate, n: usize) -> Vec<String> {
        if self.day != Some(day) {
            return Vec::new();
        }
        let mut counted: Vec<(&String, &u32)> = self.counts.iter().filter(|(_, count)| **count >= MIN_COUNT).collect();
        counted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        counted.into_iter().take(n).map(|(query, _)| query.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn most_searched_first_and_forgotten_the_next_day() {
        let mut tally = SearchTally::default();
        let today = day("2026-12-03");
        for query in ["dbz", "低保", "低保", "gjj", "低保", "gjj", "gjj", "gjj", "yb", "yb", "yb", " "] {
            tally.record(query, today);
        }
        assert_eq!(tally.most_searched(today, 2), ["gjj", "yb"], "most first, ties in text order");
        assert_eq!(tally.most_searched(today, 10), ["gjj", "yb", "低保"], "one visitor's dbz is not shown to the next");
        let tomorrow = day("2026-12-04");
        assert!(tally.most_searched(tomorrow, 5).is_empty(), "yesterday's searches are not offered");
        for _ in 0..MIN_COUNT {
            tally.record("医保", tomorrow);
        }
        assert_eq!(tally.most_searched(tomorrow, 5), ["医保"]);
        assert!(tally.most_searched(today, 5).is_empty());
    }
}
