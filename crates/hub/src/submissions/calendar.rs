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
///
/// Counting is O(log n) in the listed days, whatever the span: the working days up to a
/// date are the Mondays–Fridays up to it (arithmetic) plus the listed days' corrections up
/// to it (a running sum, found by binary search). A deadline therefore costs the same for
/// a date entered as `-200000-01-01` as for yesterday.
#[derive(Debug, Clone)]
pub struct WorkCalendar {
    years: BTreeMap<i32, Year>,
    /// Every listed day that differs from Monday–Friday, in date order, with the running sum
    /// of the corrections through it (+1 a 调休 weekend day, −1 a holiday on a weekday).
    corrections: Vec<(NaiveDate, i64)>,
    /// Holidays on weekdays: the most working days a span can lose to the list.
    weekday_holidays: u32,
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
        Ok(Self::from_years(years))
    }

    fn from_years(years: BTreeMap<i32, Year>) -> Self {
        let mut changes: Vec<(NaiveDate, i64)> = years
            .values()
            .flat_map(|y| {
                let off = y.holidays.iter().filter(|d| !is_weekend(**d)).map(|d| (*d, -1));
                off.chain(y.workdays.iter().map(|d| (*d, 1)))
            })
            .collect();
        changes.sort_unstable();
        let weekday_holidays = u32::try_from(changes.iter().filter(|(_, c)| *c < 0).count()).unwrap_or(u32::MAX);
        let mut sum = 0;
        let corrections = changes
            .into_iter()
            .map(|(date, change)| {
                sum += change;
                (date, sum)
            })
            .collect();
        Self { years, corrections, weekday_holidays }
    }

    /// The working days from a fixed origin through `date`: only differences are meaningful.
    fn working_days_through(&self, date: NaiveDate) -> i64 {
        // Counting days from Monday 0001-01-01 as day 0, `num_days_from_ce` is the date's
        // number plus one, so this counts the Mondays–Fridays up to and including it.
        let n = i64::from(date.num_days_from_ce());
        let weekdays = 5 * n.div_euclid(7) + n.rem_euclid(7).min(5);
        let listed = self.corrections.partition_point(|(d, _)| *d <= date);
        weekdays + listed.checked_sub(1).map_or(0, |i| self.corrections[i].1)
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

    /// The `n`-th working day strictly after `after` (`n = 0` returns `after` itself); the
    /// last date chrono knows when there is none before it.
    pub fn add_working_days(&self, after: NaiveDate, n: u32) -> NaiveDate {
        if n == 0 {
            return after;
        }
        let target = self.working_days_through(after) + i64::from(n);
        // Every 7 days hold 5 weekdays, and the list can take away at most its holidays:
        // the day sought lies within `high` days.
        let needed = u64::from(n) + u64::from(self.weekday_holidays);
        let mut high = (needed.div_ceil(5) * 7 + 7).min(u64::try_from((NaiveDate::MAX - after).num_days()).unwrap_or(0));
        let day = |k: u64| after.checked_add_days(chrono::Days::new(k)).unwrap_or(NaiveDate::MAX);
        if self.working_days_through(day(high)) < target {
            return NaiveDate::MAX;
        }
        // The first day whose count reaches the target is the working day sought.
        let mut low = 0;
        while high - low > 1 {
            let middle = low + (high - low) / 2;
            if self.working_days_through(day(middle)) >= target { high = middle } else { low = middle }
        }
        day(high)
    }

    /// The number of working days in (`after`, `through`]; 0 when `through <= after`.
    pub fn working_days_between(&self, after: NaiveDate, through: NaiveDate) -> u32 {
        let count = self.working_days_through(through) - self.working_days_through(after);
        u32::try_from(count.max(0)).unwrap_or(u32::MAX)
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

    /// The counts agree with walking the calendar one day at a time, across weekends,
    /// holidays, 调休 days, year ends and years without a table.
    #[test]
    fn counting_agrees_with_walking_day_by_day() {
        let calendar = WorkCalendar::builtin();
        let walk_between = |after: NaiveDate, through: NaiveDate| {
            after.iter_days().skip(1).take_while(|d| *d <= through).filter(|d| calendar.is_working_day(*d)).count() as u32
        };
        let walk_add = |after: NaiveDate, n: u32| {
            let mut date = after;
            for _ in 0..n {
                date = date.succ_opt().unwrap();
                while !calendar.is_working_day(date) {
                    date = date.succ_opt().unwrap();
                }
            }
            date
        };
        let start = day("2024-12-01");
        // Every third day, so that each weekday starts a span.
        for offset in (0..1200).step_by(3) {
            let after = start + chrono::Days::new(offset);
            for span in [0u64, 1, 2, 6, 13, 40, 97] {
                let through = after + chrono::Days::new(span);
                assert_eq!(calendar.working_days_between(after, through), walk_between(after, through), "{after}..{through}");
            }
            for n in [0, 1, 5, 7, 20, 40, 63] {
                assert_eq!(calendar.add_working_days(after, n), walk_add(after, n), "{n} after {after}");
            }
        }
    }

    #[test]
    fn spans_of_millennia_count_at_once() {
        let calendar = WorkCalendar::builtin();
        let ancient = NaiveDate::from_ymd_opt(-200_000, 1, 1).unwrap();
        // 200,000 years of 52 weeks and a bit, all Monday–Friday except the listed days.
        let days = calendar.working_days_between(ancient, day("2026-01-01"));
        let weeks = (day("2026-01-01") - ancient).num_days() / 7;
        assert!((i64::from(days) - weeks * 5).abs() <= 100, "{days} working days in {weeks} weeks");
        assert_eq!(calendar.add_working_days(NaiveDate::MAX - chrono::Days::new(3), 10), NaiveDate::MAX);
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
