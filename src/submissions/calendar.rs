//! The working calendar: which days count toward a statutory deadline. China's official
//! schedule moves days: holidays fall on weekdays, and some weekends become working days
//! (调休). The schedule is data (`hub-config/work-calendar.toml`), editable each year.

use std::{
    collections::{BTreeMap, BTreeSet},
    fmt,
    path::Path,
};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    years: BTreeMap<String, YearFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    /// The notice the dates come from.
    source: String,
    #[serde(default)]
    provisional: bool,
    holidays: Vec<String>,
    workdays: Vec<String>,
}

#[derive(Debug, Clone, Default)]
struct Year {
    holidays: BTreeSet<NaiveDate>,
    workdays: BTreeSet<NaiveDate>,
    provisional: bool,
}

#[derive(Debug, Clone)]
pub struct WorkCalendar {
    years: BTreeMap<i32, Year>,
}

/// Why a calendar file was refused: names the file, the field and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarError(pub String);

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CalendarError {}

impl WorkCalendar {
    pub fn parse(text: &str, file: &str) -> Result<Self, CalendarError> {
        let fail = |field: &str, reason: String| CalendarError(format!("{file}: {field}: {reason}"));
        let parsed: CalendarFile = toml::from_str(text).map_err(|e| CalendarError(format!("{file}: {}", e.message())))?;
        let mut years = BTreeMap::new();
        for (key, entry) in parsed.years {
            let year: i32 = key
                .parse()
                .ok()
                .filter(|y| (1900..=2200).contains(y))
                .ok_or_else(|| fail(&format!("years.{key}"), "the table name must be a year, 1900–2200".into()))?;
            if entry.source.trim().is_empty() {
                return Err(fail(&format!("years.{key}.source"), "name the notice the dates come from".into()));
            }
            let dates = |list: &[String], name: &str| -> Result<BTreeSet<NaiveDate>, CalendarError> {
                let mut set = BTreeSet::new();
                for (i, text) in list.iter().enumerate() {
                    let field = format!("years.{key}.{name}[{i}]");
                    for date in expand(text).map_err(|reason| fail(&field, reason))? {
                        if date.year() != year {
                            return Err(fail(&field, format!("{date} is not in {year}")));
                        }
                        set.insert(date);
                    }
                }
                Ok(set)
            };
            let holidays = dates(&entry.holidays, "holidays")?;
            let workdays = dates(&entry.workdays, "workdays")?;
            if let Some(both) = holidays.intersection(&workdays).next() {
                return Err(fail(&format!("years.{key}"), format!("{both} is listed both as a holiday and as a working day")));
            }
            years.insert(year, Year { holidays, workdays, provisional: entry.provisional });
        }
        Ok(Self { years })
    }

    pub fn load(path: &Path) -> Result<Self, CalendarError> {
        let text = std::fs::read_to_string(path).map_err(|e| CalendarError(format!("{}: {e}", path.display())))?;
        Self::parse(&text, &path.display().to_string())
    }

    /// The calendar shipped with the hub: 2025–2027.
    pub fn builtin() -> Self {
        Self::parse(include_str!("../../hub-config/work-calendar.toml"), "hub-config/work-calendar.toml")
            .expect("the shipped working calendar parses (a unit test checks it)")
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        let year = self.years.get(&date.year());
        if year.is_some_and(|y| y.holidays.contains(&date)) {
            return false;
        }
        if year.is_some_and(|y| y.workdays.contains(&date)) {
            return true;
        }
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// Whether the calendar has a table for the date's year (outside it, Monday–Friday).
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.years.contains_key(&date.year())
    }

    pub fn provisional_years(&self) -> Vec<i32> {
        self.years.iter().filter(|(_, y)| y.provisional).map(|(year, _)| *year).collect()
    }

    /// The `n`-th working day after `after` (the day itself does not count).
    pub fn add_working_days(&self, after: NaiveDate, n: u32) -> NaiveDate {
        let mut date = after;
        let mut left = n;
        while left > 0 {
            date = date + Days::new(1);
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        date
    }

    /// Working days in (`after`, `through`].
    pub fn working_days_between(&self, after: NaiveDate, through: NaiveDate) -> u32 {
        after.iter_days().skip(1).take_while(|d| *d <= through).filter(|d| self.is_working_day(*d)).count() as u32
    }
}

/// `YYYY-MM-DD` or an inclusive range `YYYY-MM-DD..YYYY-MM-DD`.
fn expand(text: &str) -> Result<Vec<NaiveDate>, String> {
    let date = |t: &str| NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").map_err(|_| format!("{t:?} is not a date YYYY-MM-DD"));
    match text.split_once("..") {
        None => Ok(vec![date(text)?]),
        Some((from, to)) => {
            let (from, to) = (date(from)?, date(to)?);
            if from > to {
                return Err(format!("the range {text:?} ends before it starts"));
            }
            Ok(from.iter_days().take_while(|d| *d <= to).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_shipped_calendar_knows_the_holidays_and_the_adjusted_weekends() {
        let calendar = WorkCalendar::builtin();
        assert!(calendar.is_working_day(day(2025, 9, 28)), "Sunday 2025-09-28 is a 调休 working day");
        assert!(!calendar.is_working_day(day(2025, 10, 6)), "Monday in the National Day holiday");
        assert!(!calendar.is_working_day(day(2026, 2, 16)), "Spring Festival 2026");
        assert!(calendar.is_working_day(day(2026, 2, 14)), "Saturday 2026-02-14 is a 调休 working day");
        assert!(!calendar.is_working_day(day(2025, 3, 8)), "an ordinary Saturday");
        assert_eq!(calendar.provisional_years(), vec![2027]);
        assert!(calendar.covers(day(2027, 6, 1)) && !calendar.covers(day(2028, 1, 3)));
        // 10-01..10-08 are off; 10-09, 10-10 and Saturday 10-11 (调休) are working days.
        assert_eq!(calendar.working_days_between(day(2025, 9, 30), day(2025, 10, 11)), 3);
        assert_eq!(calendar.add_working_days(day(2025, 9, 30), 1), day(2025, 10, 9));
    }

    #[test]
    fn bad_files_are_refused_naming_the_field() {
        let refuse = |text: &str| WorkCalendar::parse(text, "cal.toml").unwrap_err().0;
        let year = |holidays: &str, workdays: &str| {
            format!("[years.2026]\nsource = \"x\"\nholidays = [{holidays}]\nworkdays = [{workdays}]\n")
        };
        assert_eq!(refuse(&year("\"2026-02-30\"", "")), "cal.toml: years.2026.holidays[0]: \"2026-02-30\" is not a date YYYY-MM-DD");
        assert_eq!(
            refuse(&year("\"2026-01-01\", \"2026-02-23..2026-02-15\"", "")),
            "cal.toml: years.2026.holidays[1]: the range \"2026-02-23..2026-02-15\" ends before it starts"
        );
        assert_eq!(refuse(&year("\"2025-12-31\"", "")), "cal.toml: years.2026.holidays[0]: 2025-12-31 is not in 2026");
        assert_eq!(
            refuse(&year("\"2026-02-14\"", "\"2026-02-14\"")),
            "cal.toml: years.2026: 2026-02-14 is listed both as a holiday and as a working day"
        );
        assert!(refuse("[years.2026]\nsource = \"x\"\nholidays = []\nworkdays = []\nextra = 1\n").contains("extra"));
        assert_eq!(refuse("[years.next]\nsource = \"x\"\nholidays = []\nworkdays = []\n"), "cal.toml: years.next: the table name must be a year, 1900–2200");
    }
}
