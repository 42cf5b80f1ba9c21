//! The working calendar: which days count toward a statutory deadline, since the 2019
//! 《政府信息公开条例》counts in working days. China's official schedule moves days around:
//! holidays fall on weekdays, and some weekends become working days (调休). The schedule is
//! data, `hub-config/work-calendar.toml`, edited each year when 国务院办公厅 publishes the
//! next year's 部分节假日安排; a year without a table falls back to Monday–Friday.

use std::{
    collections::{BTreeMap, BTreeSet},
    fmt,
    ops::Range,
    path::Path,
};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;

/// The file as written: one `[years.YYYY]` table per year.
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
    /// True while the year's notice is not out: only the statutory days are listed.
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

/// Days off and 调休 working days by year; other days follow Monday–Friday.
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

/// `FILE: FIELD: REASON`, the one shape of every calendar error.
fn refuse(file: &str, field: &str, reason: &str) -> CalendarError {
    CalendarError(format!("{file}: {field}: {reason}"))
}

impl WorkCalendar {
    /// Reads a calendar file's text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Self, CalendarError> {
        // Syntax errors have no field yet: name the line instead.
        let document = toml::Deserializer::parse(text)
            .map_err(|e| refuse(file, &line_of(text, e.span()), e.message()))?;
        // serde_path_to_error turns a type error or an unknown key into a field path.
        let parsed: CalendarFile = serde_path_to_error::deserialize(document).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." { line_of(text, e.inner().span()) } else { path };
            refuse(file, &field, e.inner().message())
        })?;

        let mut years = BTreeMap::new();
        for (key, entry) in parsed.years {
            let table = format!("years.{key}");
            // The key must be the year written plainly, so "02025" cannot shadow "2025".
            let year = key
                .parse::<i32>()
                .ok()
                .filter(|y| (1900..=2200).contains(y) && y.to_string() == key)
                .ok_or_else(|| refuse(file, &table, "the table name must be a year, 1900 to 2200"))?;
            if entry.source.trim().is_empty() {
                let field = format!("{table}.source");
                return Err(refuse(file, &field, "name the notice the dates come from"));
            }

            let mut holidays = BTreeSet::new();
            for (i, item) in entry.holidays.iter().enumerate() {
                let field = format!("{table}.holidays[{i}]");
                holidays.extend(dates(item, year).map_err(|reason| refuse(file, &field, &reason))?);
            }
            let mut workdays = BTreeSet::new();
            for (i, item) in entry.workdays.iter().enumerate() {
                let field = format!("{table}.workdays[{i}]");
                for date in dates(item, year).map_err(|reason| refuse(file, &field, &reason))? {
                    if holidays.contains(&date) {
                        let reason = format!("{date} is also listed in holidays");
                        return Err(refuse(file, &field, &reason));
                    }
                    // A weekday already works: listing one is a typo for the 调休 weekend day.
                    if !is_weekend(date) {
                        let reason = format!(
                            "{date} is a {}, a working day anyway; list only 调休 weekend days",
                            date.format("%A")
                        );
                        return Err(refuse(file, &field, &reason));
                    }
                    workdays.insert(date);
                }
            }
            years.insert(year, Year { holidays, workdays, provisional: entry.provisional });
        }
        Ok(Self { years })
    }

    pub fn load(path: &Path) -> Result<Self, CalendarError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| refuse(&file, "the file", &format!("cannot read it: {e}")))?;
        Self::parse(&text, &file)
    }

    /// The calendar shipped with the hub, `hub-config/work-calendar.toml` (2025–2027).
    pub fn builtin() -> Self {
        Self::parse(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../hub-config/work-calendar.toml")), "hub-config/work-calendar.toml")
            .expect("the shipped working calendar parses (a unit test checks it)")
    }

    /// A listed holiday is off, a listed 调休 day works, any other day follows Monday–Friday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.years.get(&date.year()) {
            Some(year) if year.holidays.contains(&date) => false,
            Some(year) if year.workdays.contains(&date) => true,
            _ => !is_weekend(date),
        }
    }

    /// Whether the date's year has a table (outside one, the calendar only knows weekends).
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.years.contains_key(&date.year())
    }

    /// Years whose table is marked provisional: statutory days only, no 调休 yet.
    pub fn provisional_years(&self) -> Vec<i32> {
        self.years.iter().filter(|(_, y)| y.provisional).map(|(year, _)| *year).collect()
    }

    /// The `n`-th working day strictly after `after` (`n = 0` returns `after` itself).
    pub fn add_working_days(&self, after: NaiveDate, n: u32) -> NaiveDate {
        let mut date = after;
        let mut left = n;
        while left > 0 {
            // Only at the end of chrono's range is there no next day; stop there.
            let Some(next) = date.succ_opt() else { break };
            date = next;
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        date
    }

    /// The number of working days in (`after`, `through`]; 0 when `through <= after`.
    pub fn working_days_between(&self, after: NaiveDate, through: NaiveDate) -> u32 {
        let count = after
            .iter_days()
            .skip(1)
            .take_while(|d| *d <= through)
            .filter(|d| self.is_working_day(*d))
            .count();
        u32::try_from(count).unwrap_or(u32::MAX)
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Where a TOML error sits, for errors that have no field path.
fn line_of(text: &str, span: Option<Range<usize>>) -> String {
    match span.and_then(|span| text.get(..span.start)) {
        Some(before) => format!("line {}", before.matches('\n').count() + 1),
        None => "the file".to_string(),
    }
}

/// The days of one entry, `YYYY-MM-DD` or an inclusive range `YYYY-MM-DD..YYYY-MM-DD`,
/// all of which must fall in `year` (the table the entry is listed under).
fn dates(text: &str, year: i32) -> Result<Vec<NaiveDate>, String> {
    let (from, to) = match text.split_once("..") {
        None => {
            let day = date(text)?;
            (day, day)
        }
        Some((from, to)) => (date(from)?, date(to)?),
    };
    if from > to {
        return Err(format!("the range {text:?} ends before it starts"));
    }
    // Checking both ends before expanding keeps a mistyped range from spanning centuries.
    for end in [from, to] {
        if end.year() != year {
            return Err(format!("{end} is not in {year}"));
        }
    }
    Ok(from.iter_days().take_while(|d| *d <= to).collect())
}

/// Exactly `YYYY-MM-DD`: chrono alone would also take "2026-2-5".
fn date(text: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|d| d.format("%Y-%m-%d").to_string() == text)
        .ok_or_else(|| format!("{text:?} is not a date written YYYY-MM-DD"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_shipped_calendar_parses_and_knows_holidays_and_adjusted_weekends() {
        let calendar = WorkCalendar::builtin();
        let works = |text: &str| calendar.is_working_day(day(text));
        assert!(works("2025-09-28"), "Sunday 2025-09-28 is a 调休 working day");
        assert!(!works("2025-10-06"), "Monday in the National Day holiday");
        assert!(works("2025-10-11"), "Saturday 2025-10-11 is a 调休 working day");
        assert!(!works("2025-03-08"), "an ordinary Saturday");
        assert!(works("2025-03-10"), "an ordinary Monday");
        assert!(works("2026-01-04"), "Sunday 2026-01-04 is a 调休 working day");
        assert!(!works("2026-02-16"), "Spring Festival 2026");
        assert!(works("2026-02-14") && works("2026-02-28"), "Saturdays around Spring Festival 2026");
        assert!(works("2026-10-08"), "National Day 2026 ends on 10-07");
        // 2027: statutory days only. 02-05 (除夕, a Friday) and 02-08 (初三, a Monday) are off.
        assert!(!works("2027-02-05") && !works("2027-02-08") && works("2027-02-09"));
        assert_eq!(calendar.provisional_years(), vec![2027]);
        assert!(calendar.covers(day("2027-06-01")) && !calendar.covers(day("2028-01-03")));
        assert!(works("2028-01-03"), "a year without a table follows Monday–Friday");
    }

    #[test]
    fn counting_working_days() {
        let calendar = WorkCalendar::builtin();
        // 10-01…10-08 are off; 10-09, 10-10 and Saturday 10-11 (调休) work.
        assert_eq!(calendar.working_days_between(day("2025-09-30"), day("2025-10-11")), 3);
        assert_eq!(calendar.add_working_days(day("2025-09-30"), 1), day("2025-10-09"));
        assert_eq!(calendar.add_working_days(day("2025-10-03"), 0), day("2025-10-03"));
        assert_eq!(calendar.working_days_between(day("2025-03-10"), day("2025-03-10")), 0);
        assert_eq!(calendar.working_days_between(day("2025-03-14"), day("2025-03-10")), 0);
        // Across the new year: 2025-12-31 (Wednesday) → 2026-01-05, the day after 调休 01-04.
        assert_eq!(calendar.add_working_days(day("2025-12-31"), 2), day("2026-01-05"));
    }

    #[test]
    fn bad_files_are_refused_naming_the_field() {
        let refused = |text: &str| WorkCalendar::parse(text, "cal.toml").unwrap_err().0;
        let year = |holidays: &str, workdays: &str| {
            format!("[years.2026]\nsource = \"x\"\nholidays = [{holidays}]\nworkdays = [{workdays}]\n")
        };
        assert_eq!(
            refused(&year(r#""2026-02-30""#, "")),
            r#"cal.toml: years.2026.holidays[0]: "2026-02-30" is not a date written YYYY-MM-DD"#
        );
        assert_eq!(
            refused(&year(r#""2026-01-01", "2026-2-5""#, "")),
            r#"cal.toml: years.2026.holidays[1]: "2026-2-5" is not a date written YYYY-MM-DD"#
        );
        assert_eq!(
            refused(&year(r#""2026-01-01", "2026-02-23..2026-02-15""#, "")),
            r#"cal.toml: years.2026.holidays[1]: the range "2026-02-23..2026-02-15" ends before it starts"#
        );
        assert_eq!(
            refused(&year(r#""2025-12-31""#, "")),
            "cal.toml: years.2026.holidays[0]: 2025-12-31 is not in 2026"
        );
        assert_eq!(
            refused(&year(r#""2026-12-30..2027-01-02""#, "")),
            "cal.toml: years.2026.holidays[0]: 2027-01-02 is not in 2026"
        );
        assert_eq!(
            refused(&year(r#""2026-02-15..2026-02-23""#, r#""2026-02-14", "2026-02-15""#)),
            "cal.toml: years.2026.workdays[1]: 2026-02-15 is also listed in holidays"
        );
        assert_eq!(
            refused(&year("", r#""2026-02-13""#)),
            "cal.toml: years.2026.workdays[0]: 2026-02-13 is a Friday, a working day anyway; \
             list only 调休 weekend days"
        );
        let unknown = refused("[years.2026]\nsource = \"x\"\nholidays = []\nworkdays = []\nextra = 1\n");
        assert!(unknown.starts_with("cal.toml: years.2026") && unknown.contains("extra"), "{unknown}");
        let missing = refused("[years.2026]\nsource = \"x\"\nholidays = []\n");
        assert!(missing.starts_with("cal.toml: years.2026") && missing.contains("workdays"), "{missing}");
        let mistyped = refused("[years.2026]\nsource = \"x\"\nholidays = \"2026-01-01\"\nworkdays = []\n");
        assert!(mistyped.starts_with("cal.toml: years.2026.holidays: "), "{mistyped}");
        for key in ["next", "1899", "02026"] {
            assert_eq!(
                refused(&format!("[years.{key}]\nsource = \"x\"\nholidays = []\nworkdays = []\n")),
                format!("cal.toml: years.{key}: the table name must be a year, 1900 to 2200")
            );
        }
        assert_eq!(
            refused("[years.2026]\nsource = \" \"\nholidays = []\nworkdays = []\n"),
            "cal.toml: years.2026.source: name the notice the dates come from"
        );
        // A syntax error has no field yet: the line says where (the bare `oops`).
        let syntax = refused("[years.2026]\nsource = oops\nholidays = []\nworkdays = []\n");
        assert!(syntax.starts_with("cal.toml: line 2: "), "{syntax}");
    }

    #[test]
    fn a_missing_file_is_named() {
        let error = WorkCalendar::load(Path::new("/nonexistent/cal.toml")).unwrap_err().0;
        assert!(error.starts_with("/nonexistent/cal.toml: the file: cannot read it: "), "{error}");
    }
}
