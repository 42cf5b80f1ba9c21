//! The wall's playlist: pages with durations, some only on certain weekdays or hours. Also
//! the `[wall]` section of a screen config that it is read from.

use chrono::{Datelike, NaiveDateTime, NaiveTime};
use serde::Deserialize;

use crate::dashboards::DashboardKind;

/// `[wall]` as written in a screen config.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WallConfig {
    /// How long one page slides into the next, in milliseconds.
    #[serde(default = "default_transition")]
    pub transition_ms: u32,
    /// The community whose 居务公开 the `community` page shows (its id in the bundle).
    pub community: Option<String>,
    pub pages: Vec<PageConfig>,
}

fn default_transition() -> u32 {
    800
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageConfig {
    /// disclosure, key-work, admin-results, consultations, notices or community.
    pub page: String,
    pub seconds: f32,
    /// ISO weekdays the page is shown on, 1 = Monday … 7 = Sunday; every day when absent.
    #[serde(default)]
    pub weekdays: Vec<u8>,
    /// Shown from this time of day (`HH:MM`) …
    pub from: Option<String>,
    /// … until this one; both or neither.
    pub to: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Playlist {
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub page: DashboardKind,
    pub seconds: f32,
    pub weekdays: Vec<u8>,
    /// Start and end of the daily window; an end before the start runs past midnight.
    pub hours: Option<(NaiveTime, NaiveTime)>,
}

impl WallConfig {
    /// The playlist, or the first mistake as `wall.pages[N].FIELD: reason`.
    pub fn playlist(&self) -> Result<Playlist, String> {
        if self.pages.is_empty() {
            return Err("wall.pages: list at least one page".into());
        }
        let entries: Result<Vec<Entry>, String> =
            self.pages.iter().enumerate().map(|(i, p)| p.entry().map_err(|e| format!("wall.pages[{i}].{e}"))).collect();
        Ok(Playlist { entries: entries? })
    }
}

impl PageConfig {
    fn entry(&self) -> Result<Entry, String> {
        let page = DashboardKind::from_name(&self.page).ok_or_else(|| {
            let names: Vec<&str> = DashboardKind::ALL.iter().map(|k| k.name()).collect();
            format!("page: {:?} is not a page; pages: {}", self.page, names.join(", "))
        })?;
        if !(self.seconds.is_finite() && self.seconds > 0.0) {
            return Err(format!("seconds: {} must be above 0", self.seconds));
        }
        if let Some(day) = self.weekdays.iter().find(|d| !(1..=7).contains(*d)) {
            return Err(format!("weekdays: {day} is not 1 (Monday) to 7 (Sunday)"));
        }
        let time = |field: &str, text: &str| {
            NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| format!("{field}: {text:?} is not a time of day HH:MM"))
        };
        let hours = match (&self.from, &self.to) {
            (None, None) => None,
            (Some(from), Some(to)) => Some((time("from", from)?, time("to", to)?)),
            _ => return Err("from: give both from and to, or neither".into()),
        };
        Ok(Entry { page, seconds: self.seconds, weekdays: self.weekdays.clone(), hours })
    }
}

impl Entry {
    pub fn is_on_at(&self, now: NaiveDateTime) -> bool {
        let weekday = now.weekday().number_from_monday() as u8;
        let day_ok = self.weekdays.is_empty() || self.weekdays.contains(&weekday);
        let time = now.time();
        let hour_ok = self.hours.is_none_or(|(from, to)| if from <= to { from <= time && time < to } else { time >= from || time < to });
        day_ok && hour_ok
    }
}

impl Playlist {
    /// The entry to show after `current` (the first when `None`): the next one that is on at
    /// `now`. When none is, the next one anyway: a wall never goes blank.
    pub fn next(&self, current: Option<usize>, now: NaiveDateTime) -> usize {
        let len = self.entries.len();
        let start = current.map_or(0, |i| i + 1);
        (0..len).map(|k| (start + k) % len).find(|&i| self.entries[i].is_on_at(now)).unwrap_or(start % len)
    }

    /// The pages that may appear, once each, in playlist order.
    pub fn pages(&self) -> Vec<DashboardKind> {
        let mut pages: Vec<DashboardKind> = Vec::new();
        for entry in &self.entries {
            if !pages.contains(&entry.page) {
                pages.push(entry.page);
            }
        }
        pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Playlist, String> {
        toml::from_str::<WallConfig>(text).map_err(|e| e.to_string())?.playlist()
    }

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").unwrap()
    }

    const LIST: &str = r#"
        [[pages]]
        page = "disclosure"
        seconds = 20
        [[pages]]
        page = "community"
        seconds = 15
        weekdays = [6, 7]
        [[pages]]
        page = "notices"
        seconds = 10
        from = "08:30"
        to = "17:30"
    "#;

    #[test]
    fn pages_outside_their_window_are_skipped() {
        let list = parse(LIST).unwrap();
        // 2026-11-22 is a Sunday, 2026-11-23 a Monday.
        assert_eq!(list.next(Some(0), at("2026-11-22T10:00")), 1, "community on Sunday");
        assert_eq!(list.next(Some(0), at("2026-11-23T10:00")), 2, "no community on Monday");
        assert_eq!(list.next(Some(0), at("2026-11-23T18:00")), 0, "no notices after hours");
        assert_eq!(list.next(None, at("2026-11-23T18:00")), 0);
        assert_eq!(list.next(Some(2), at("2026-11-23T10:00")), 0, "wraps around");
    }

    #[test]
    fn a_window_may_run_past_midnight_and_an_empty_moment_still_shows_a_page() {
        let list = parse("[[pages]]\npage = \"notices\"\nseconds = 5\nfrom = \"22:00\"\nto = \"06:00\"\n").unwrap();
        assert!(list.entries[0].is_on_at(at("2026-11-23T23:30")));
        assert!(list.entries[0].is_on_at(at("2026-11-23T05:59")));
        assert!(!list.entries[0].is_on_at(at("2026-11-23T12:00")));
        assert_eq!(list.next(Some(0), at("2026-11-23T12:00")), 0, "never blank");
    }

    #[test]
    fn mistakes_name_the_page_and_field() {
        let bad = |text: &str| parse(text).unwrap_err();
        assert!(bad("pages = []").contains("wall.pages: list at least one page"));
        assert!(bad("[[pages]]\npage = \"weather\"\nseconds = 5\n").starts_with("wall.pages[0].page: \"weather\" is not a page"));
        assert!(bad("[[pages]]\npage = \"notices\"\nseconds = 0\n").starts_with("wall.pages[0].seconds"));
        assert!(bad("[[pages]]\npage = \"notices\"\nseconds = 5\nweekdays = [0]\n").starts_with("wall.pages[0].weekdays: 0"));
        assert!(bad("[[pages]]\npage = \"notices\"\nseconds = 5\nfrom = \"8:30\"\n").starts_with("wall.pages[0].from: give both"));
        assert!(bad("[[pages]]\npage = \"notices\"\nseconds = 5\nfrom = \"8h\"\nto = \"9:00\"\n").starts_with("wall.pages[0].from: \"8h\""));
    }

    #[test]
    fn pages_are_listed_once_each() {
        let list = parse("[[pages]]\npage = \"notices\"\nseconds = 5\n[[pages]]\npage = \"key-work\"\nseconds = 5\n[[pages]]\npage = \"notices\"\nseconds = 5\n").unwrap();
        assert_eq!(list.pages(), [DashboardKind::Notices, DashboardKind::KeyWork]);
    }
}
