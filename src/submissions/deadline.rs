//! Statutory deadlines of a 政府信息公开申请, in working days (条例第三十三条): the answer is
//! due on the 20th working day after receipt; one extension adds at most 20 more; a 补正
//! request restarts the count from the day the corrected application arrives (第三十条);
//! time spent consulting third parties does not count (第三十二条).

use chrono::NaiveDate;

use super::calendar::WorkCalendar;

pub const ANSWER_WORKING_DAYS: u32 = 20;
pub const EXTENSION_WORKING_DAYS: u32 = 20;
/// 第三十条: a 补正 must be asked for within 7 working days of receipt, all at once.
pub const CORRECTION_NOTICE_WORKING_DAYS: u32 = 7;
/// Flagged as due soon with this many working days or fewer left.
pub const DUE_SOON_WORKING_DAYS: u32 = 3;

/// What the deadline of one application depends on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Clock {
    pub received_on: NaiveDate,
    /// When the corrected application arrived, after a 补正 request.
    pub corrected_on: Option<NaiveDate>,
    pub extended: bool,
    /// Third-party consultations: start, and the day the answer came (none while waiting).
    pub third_party: Vec<(NaiveDate, Option<NaiveDate>)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    OnTime,
    DueSoon,
    Overdue,
}

impl Clock {
    /// The answer's due date as of `today` (an open consultation keeps moving it).
    pub fn due_on(&self, calendar: &WorkCalendar, today: NaiveDate) -> NaiveDate {
        let start = self.corrected_on.unwrap_or(self.received_on);
        let days = ANSWER_WORKING_DAYS + if self.extended { EXTENSION_WORKING_DAYS } else { 0 };
        let paused: u32 = self
            .third_party
            .iter()
            .map(|(from, to)| calendar.working_days_between(*from, to.unwrap_or(today)))
            .sum();
        calendar.add_working_days(calendar.add_working_days(start, days), paused)
    }

    /// The last day to ask for 补正.
    pub fn correction_notice_due_on(&self, calendar: &WorkCalendar) -> NaiveDate {
        calendar.add_working_days(self.received_on, CORRECTION_NOTICE_WORKING_DAYS)
    }

    /// Working days left until the due date; negative once it has passed.
    pub fn working_days_left(&self, calendar: &WorkCalendar, today: NaiveDate) -> i64 {
        let due = self.due_on(calendar, today);
        if today <= due {
            i64::from(calendar.working_days_between(today, due))
        } else {
            -i64::from(calendar.working_days_between(due, today))
        }
    }

    pub fn urgency(&self, calendar: &WorkCalendar, today: NaiveDate) -> Urgency {
        if today > self.due_on(calendar, today) {
            Urgency::Overdue
        } else if self.working_days_left(calendar, today) <= i64::from(DUE_SOON_WORKING_DAYS) {
            Urgency::DueSoon
        } else {
            Urgency::OnTime
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn received(on: &str) -> Clock {
        Clock { received_on: day(on), ..Clock::default() }
    }

    /// Each due date counted by hand from the 2025/2026 notices; the counts are in the names.
    #[test]
    fn deadline_table() {
        let calendar = WorkCalendar::builtin();
        let due = |clock: &Clock| clock.due_on(&calendar, day("2027-01-01")).to_string();
        // A quiet month: 03-04 … 03-31 are the 20 weekdays after Monday 03-03.
        assert_eq!(due(&received("2025-03-03")), "2025-03-31");
        // National Day 2025: Sunday 09-28 works (1), 09-29 (2), 09-30 (3), 10-01…10-08 off,
        // 10-09 (4), 10-10 (5), Saturday 10-11 works (6), then 14 weekdays to 10-30.
        assert_eq!(due(&received("2025-09-26")), "2025-10-30");
        // Spring Festival 2026: 02-11…02-13 (1–3), Saturday 02-14 works (4), 02-15…02-23 off,
        // 02-24…02-27 (5–8), Saturday 02-28 works (9), then 11 weekdays to 03-16.
        assert_eq!(due(&received("2026-02-10")), "2026-03-16");
        // Received on a holiday: counting starts with the first working day, 10-09.
        assert_eq!(due(&received("2025-10-03")), "2025-11-04");
        // 补正: 20 working days from the corrected application (Thursday 03-20); 清明
        // 04-04…04-06 is skipped.
        let corrected = Clock { corrected_on: Some(day("2025-03-20")), ..received("2025-03-03") };
        assert_eq!(due(&corrected), "2025-04-18");
        // Extended: 40 working days; Sunday 04-27 works (劳动节 调休), so day 40 is Monday 04-28.
        let extended = Clock { extended: true, ..received("2025-03-03") };
        assert_eq!(due(&extended), "2025-04-28");
        // A third party consulted 03-10…03-14: 4 working days (03-11…03-14) added after 03-31,
        // skipping 清明: 04-01, 04-02, 04-03, 04-07.
        let consulted = Clock { third_party: vec![(day("2025-03-10"), Some(day("2025-03-14")))], ..received("2025-03-03") };
        assert_eq!(due(&consulted), "2025-04-07");
    }

    #[test]
    fn an_open_consultation_moves_the_deadline_day_by_day() {
        let calendar = WorkCalendar::builtin();
        let waiting = Clock { third_party: vec![(day("2025-03-24"), None)], ..received("2025-03-03") };
        // As of 03-26, 03-25 and 03-26 do not count: two days after 03-31.
        assert_eq!(waiting.due_on(&calendar, day("2025-03-26")), day("2025-04-02"));
    }

    #[test]
    fn urgency_flags() {
        let calendar = WorkCalendar::builtin();
        let clock = received("2025-03-03"); // due 03-31
        assert_eq!(clock.urgency(&calendar, day("2025-03-25")), Urgency::OnTime, "4 working days left");
        assert_eq!(clock.urgency(&calendar, day("2025-03-26")), Urgency::DueSoon, "3 left: 03-27, 03-28, 03-31");
        assert_eq!(clock.urgency(&calendar, day("2025-03-31")), Urgency::DueSoon, "due today");
        assert_eq!(clock.urgency(&calendar, day("2025-04-01")), Urgency::Overdue);
        assert_eq!(clock.working_days_left(&calendar, day("2025-04-02")), -2);
        assert_eq!(clock.correction_notice_due_on(&calendar), day("2025-03-12"));
    }
}
