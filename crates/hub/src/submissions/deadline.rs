//! Statutory deadlines of a 政府信息公开申请 under the 2019《政府信息公开条例》, counted in
//! working days on a [`WorkCalendar`]:
//!
//! - 第三十三条: the answer is due on the 20th working day after receipt (the day of receipt
//!   does not count), and one extension adds at most 20 more;
//! - 第三十条: a 补正 request restarts the count from the day the corrected application
//!   arrives; the request itself must go out within 7 working days of receipt;
//! - 第三十二条, 第三十三条第二款: time spent consulting third parties does not count, up
//!   to the period the consultation gave them (15 working days from receiving it).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendar::WorkCalendar;

pub const ANSWER_WORKING_DAYS: u32 = 20;
pub const EXTENSION_WORKING_DAYS: u32 = 20;
/// 第三十条: a 补正 must be asked for within 7 working days of receipt, all at once.
pub const CORRECTION_NOTICE_WORKING_DAYS: u32 = 7;
/// 第三十二条: a third party answers within 15 working days of receiving the consultation.
pub const THIRD_PARTY_WORKING_DAYS: u32 = 15;
/// 第三十四条: another organ consulted answers within 15 working days of receiving the letter;
/// its silence counts as consent.
pub const ORGAN_WORKING_DAYS: u32 = 15;
/// The 补正期限 the console suggests: 15 working days, as offices commonly give.
pub const CORRECTION_WORKING_DAYS: u32 = 15;
/// Flagged as due soon with this many working days or fewer left.
pub const DUE_SOON_WORKING_DAYS: u32 = 3;

/// What the deadline of one application depends on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Clock {
    pub received_on: NaiveDate,
    /// When the corrected application arrived, after a 补正 request.
    pub corrected_on: Option<NaiveDate>,
    pub extended: bool,
    /// Third-party consultations, in the order asked.
    pub third_party: Vec<Consultation>,
    /// A 收费通知's days from the notice to the payment, up to its 缴费期限, which do not count
    /// either; kept with the notice (`Notices::fee`) and read from it.
    pub fee: Option<Consultation>,
}

/// One third-party consultation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StoredConsultation")]
pub struct Consultation {
    pub asked_on: NaiveDate,
    /// When the answer came, or the period ended without one; none while still waiting.
    pub answered_on: Option<NaiveDate>,
    /// The last day of the period the letter gave (意见期限); none on consultations kept
    /// before the hub recorded it.
    pub until: Option<NaiveDate>,
    /// Ended by the period passing without an answer (第三十二条第二款).
    pub lapsed: bool,
}

/// A consultation as kept: `[asked_on, answered_on]` before the period was recorded.
#[derive(Deserialize)]
#[serde(untagged)]
enum StoredConsultation {
    Dates(NaiveDate, Option<NaiveDate>),
    Whole {
        asked_on: NaiveDate,
        answered_on: Option<NaiveDate>,
        until: Option<NaiveDate>,
        #[serde(default)]
        lapsed: bool,
    },
}

impl From<StoredConsultation> for Consultation {
    fn from(stored: StoredConsultation) -> Self {
        match stored {
            StoredConsultation::Dates(asked_on, answered_on) => Self { asked_on, answered_on, until: None, lapsed: false },
            StoredConsultation::Whole { asked_on, answered_on, until, lapsed } => Self { asked_on, answered_on, until, lapsed },
        }
    }
}

impl Consultation {
    /// The working days it stops the clock for as seen on `today`: those after it was asked,
    /// up to and including the day the answer came (or today, while still waiting), but not
    /// beyond its period.
    fn paused(&self, calendar: &WorkCalendar, today: NaiveDate) -> u32 {
        let end = self.answered_on.unwrap_or(today);
        calendar.working_days_between(self.asked_on, self.until.map_or(end, |until| end.min(until)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    OnTime,
    DueSoon,
    Overdue,
}

impl Clock {
    /// The answer's due date as seen on `today`: an open consultation keeps moving it.
    pub fn due_on(&self, calendar: &WorkCalendar, today: NaiveDate) -> NaiveDate {
        let start = self.corrected_on.unwrap_or(self.received_on);
        let days = ANSWER_WORKING_DAYS + if self.extended { EXTENSION_WORKING_DAYS } else { 0 };
        let paused: u32 = self.third_party.iter().chain(&self.fee).map(|pause| pause.paused(calendar, today)).sum();
        calendar.add_working_days(calendar.add_working_days(start, days), paused)
    }

    /// The last day to send a 补正 request.
    pub fn correction_notice_due_on(&self, calendar: &WorkCalendar) -> NaiveDate {
        calendar.add_working_days(self.received_on, CORRECTION_NOTICE_WORKING_DAYS)
    }

    /// Working days left after `today` up to the due date (0 on the due date itself);
    /// once it has passed, minus the working days since it.
    pub fn working_days_left(&self, calendar: &WorkCalendar, today: NaiveDate) -> i64 {
        let due = self.due_on(calendar, today);
        if today <= due {
            i64::from(calendar.working_days_between(today, due))
        } else {
            -i64::from(calendar.working_days_between(due, today))
        }
    }

    pub fn urgency(&self, calendar: &WorkCalendar, today: NaiveDate) -> Urgency {
        let due = self.due_on(calendar, today);
        if today > due {
            Urgency::Overdue
        } else if calendar.working_days_between(today, due) <= DUE_SOON_WORKING_DAYS {
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

    /// A consultation kept before its period was recorded.
    fn answered(asked: &str, answer: &str) -> Consultation {
        Consultation { asked_on: day(asked), answered_on: Some(day(answer)), until: None, lapsed: false }
    }

    /// Every due date counted by hand, day by day, from the 2025 and 2026 notices. "(n)"
    /// marks the n-th working day; the day of receipt never counts.
    #[test]
    fn deadline_table() {
        let calendar = WorkCalendar::builtin();
        // No consultation is open, so `today` does not matter here.
        let due = |clock: &Clock| clock.due_on(&calendar, day("2027-01-01")).to_string();

        // Monday 2025-03-03, a quiet month: 03-04…03-07 (1–4), 03-10…03-14 (5–9),
        // 03-17…03-21 (10–14), 03-24…03-28 (15–19), Monday 03-31 (20).
        assert_eq!(due(&received("2025-03-03")), "2025-03-31");

        // Friday 2025-09-26, before National Day: Saturday 09-27 off, Sunday 09-28 调休 (1),
        // 09-29 (2), 09-30 (3), 10-01…10-08 off, 10-09 (4), 10-10 (5), Saturday 10-11 调休
        // (6), Sunday 10-12 off, 10-13…10-17 (7–11), 10-20…10-24 (12–16),
        // 10-27…10-30 (17–20): Thursday 10-30.
        assert_eq!(due(&received("2025-09-26")), "2025-10-30");

        // Tuesday 2026-02-10, before Spring Festival: 02-11…02-13 (1–3), Saturday 02-14 调休
        // (4), 02-15…02-23 off, 02-24…02-27 (5–8), Saturday 02-28 调休 (9), Sunday 03-01
        // off, 03-02…03-06 (10–14), 03-09…03-13 (15–19), Monday 03-16 (20).
        assert_eq!(due(&received("2026-02-10")), "2026-03-16");

        // Received on a holiday, Friday 2025-10-03: 10-04…10-08 off, 10-09 (1), 10-10 (2),
        // Saturday 10-11 调休 (3), 10-13…10-17 (4–8), 10-20…10-24 (9–13),
        // 10-27…10-31 (14–18), 11-03 (19), Tuesday 11-04 (20).
        assert_eq!(due(&received("2025-10-03")), "2025-11-04");

        // Received on a Saturday, 2025-03-08: 03-10…03-14 (1–5), 03-17…03-21 (6–10),
        // 03-24…03-28 (11–15), 03-31 (16), 04-01…04-03 (17–19), 04-04…04-06 清明 off,
        // Monday 04-07 (20).
        assert_eq!(due(&received("2025-03-08")), "2025-04-07");

        // 补正: received 03-03, the corrected application came Thursday 03-20, so the count
        // starts again from 03-20: 03-21 (1), 03-24…03-28 (2–6), 03-31 (7), 04-01…04-03
        // (8–10), 04-04…04-06 清明 off, 04-07…04-11 (11–15), 04-14…04-18 (16–20): Friday 04-18.
        let corrected = Clock { corrected_on: Some(day("2025-03-20")), ..received("2025-03-03") };
        assert_eq!(due(&corrected), "2025-04-18");

        // Extended: 40 working days from 03-03. Day 20 is 03-31 (above), then 04-01…04-03
        // (21–23), 清明 off, 04-07…04-11 (24–28), 04-14…04-18 (29–33), 04-21…04-25 (34–38),
        // Saturday 04-26 off, Sunday 04-27 劳动节调休 (39), Monday 04-28 (40).
        let extended = Clock { extended: true, ..received("2025-03-03") };
        assert_eq!(due(&extended), "2025-04-28");

        // Extended after a 补正 from 03-20: day 20 is 04-18 (above), then 04-21…04-25
        // (21–25), Sunday 04-27 调休 (26), 04-28…04-30 (27–29), 05-01…05-05 劳动节 off,
        // 05-06…05-09 (30–33), 05-12…05-16 (34–38), 05-19 (39), Tuesday 05-20 (40).
        let both = Clock { extended: true, ..corrected.clone() };
        assert_eq!(due(&both), "2025-05-20");
    }

    #[test]
    fn third_party_consultations_do_not_count() {
        let calendar = WorkCalendar::builtin();
        let today = day("2027-01-01");

        // Closed, Monday 03-10 to Friday 03-14: 03-11…03-14 are 4 working days, added after
        // 03-31: 04-01, 04-02, 04-03, (清明 04-04…04-06 off), Monday 04-07.
        let closed = Clock {
            third_party: vec![answered("2025-03-10", "2025-03-14")],
            ..received("2025-03-03")
        };
        assert_eq!(closed.due_on(&calendar, today), day("2025-04-07"));

        // A period over National Day counts only its working days: (09-30, 10-10] holds
        // 10-09 and 10-10, 2 days. Due 10-30 without it (deadline_table), so 10-31, 11-03.
        let over_holiday = Clock {
            third_party: vec![answered("2025-09-30", "2025-10-10")],
            ..received("2025-09-26")
        };
        assert_eq!(over_holiday.due_on(&calendar, today), day("2025-11-03"));

        // Two periods add up: 4 days (above) + 1 day (03-17, 03-18] = 5 after 03-31:
        // 04-01, 04-02, 04-03, 04-07, 04-08.
        let two = Clock {
            third_party: vec![
                answered("2025-03-10", "2025-03-14"),
                answered("2025-03-17", "2025-03-18"),
            ],
            ..received("2025-03-03")
        };
        assert_eq!(two.due_on(&calendar, today), day("2025-04-08"));
    }

    #[test]
    fn an_open_consultation_moves_the_deadline_day_by_day() {
        let calendar = WorkCalendar::builtin();
        // Asked Monday 03-24, no answer yet; due 03-31 without the consultation.
        let waiting = Clock { third_party: vec![Consultation { asked_on: day("2025-03-24"), answered_on: None, until: None, lapsed: false }], ..received("2025-03-03") };
        // On the day it was sent nothing is excluded yet.
        assert_eq!(waiting.due_on(&calendar, day("2025-03-24")), day("2025-03-31"));
        // On 03-26: 03-25 and 03-26 do not count, 2 days after 03-31: 04-01, 04-02.
        assert_eq!(waiting.due_on(&calendar, day("2025-03-26")), day("2025-04-02"));
        // On Friday 03-28: 03-25…03-28, 4 days: 04-01, 04-02, 04-03, (清明) 04-07.
        assert_eq!(waiting.due_on(&calendar, day("2025-03-28")), day("2025-04-07"));
        // A weekend adds nothing: on Sunday 03-30 still 4 days.
        assert_eq!(waiting.due_on(&calendar, day("2025-03-30")), day("2025-04-07"));
        // While it stays open the case cannot fall overdue.
        assert_eq!(waiting.urgency(&calendar, day("2025-05-06")), Urgency::OnTime);
    }

    #[test]
    fn a_consultation_pauses_the_clock_no_longer_than_its_period() {
        let calendar = WorkCalendar::builtin();
        // Asked Monday 03-10 with 15 working days, until 03-31; due 03-31 without it.
        let asked = Consultation { asked_on: day("2025-03-10"), answered_on: None, until: Some(day("2025-03-31")), lapsed: false };
        let clock = Clock { third_party: vec![asked], ..received("2025-03-03") };
        // Still waiting on 03-14: 4 days, as without a period (a_consultation_…_day_by_day).
        assert_eq!(clock.due_on(&calendar, day("2025-03-14")), day("2025-04-07"));
        // Waiting long after the period: 03-11…03-31 are 15 working days and no more, after
        // 03-31: 04-01…04-03 (3), 04-07…04-11 (8), 04-14…04-18 (13), 04-21, Tuesday 04-22 (15).
        let stalled = clock.due_on(&calendar, day("2025-06-30"));
        assert_eq!(stalled, day("2025-04-22"));
        // An answer after the period counts the same.
        let late = Clock { third_party: vec![Consultation { answered_on: Some(day("2025-04-15")), ..asked }], ..clock.clone() };
        assert_eq!(late.due_on(&calendar, day("2025-06-30")), stalled);
        // An answer within it ends the pause then: 03-14 as above.
        let early = Clock { third_party: vec![Consultation { answered_on: Some(day("2025-03-14")), ..asked }], ..clock };
        assert_eq!(early.due_on(&calendar, day("2025-06-30")), day("2025-04-07"));
    }

    #[test]
    fn the_days_a_fee_is_awaited_do_not_count() {
        let calendar = WorkCalendar::builtin();
        // Noticed Monday 03-10, paid Friday 03-14: 4 days, as a consultation (due 04-07).
        let fee = Consultation { asked_on: day("2025-03-10"), answered_on: Some(day("2025-03-14")), until: Some(day("2025-04-08")), lapsed: false };
        let clock = Clock { fee: Some(fee), ..received("2025-03-03") };
        assert_eq!(clock.due_on(&calendar, day("2025-06-30")), day("2025-04-07"));
    }

    #[test]
    fn consultations_kept_as_two_dates_still_read() {
        let kept: Vec<Consultation> = serde_json::from_str(r#"[["2025-03-10","2025-03-14"],["2025-03-17",null]]"#).unwrap();
        let open = Consultation { asked_on: day("2025-03-17"), answered_on: None, until: None, lapsed: false };
        assert_eq!(kept, vec![answered("2025-03-10", "2025-03-14"), open]);
        let written = serde_json::to_string(&open).unwrap();
        assert_eq!(serde_json::from_str::<Consultation>(&written).unwrap(), open);
    }

    #[test]
    fn urgency_flags() {
        let calendar = WorkCalendar::builtin();
        let clock = received("2025-03-03"); // due Monday 03-31
        let urgency = |on: &str| clock.urgency(&calendar, day(on));
        let left = |on: &str| clock.working_days_left(&calendar, day(on));
        // Tuesday 03-25: 03-26, 03-27, 03-28, 03-31 are left.
        assert_eq!((urgency("2025-03-25"), left("2025-03-25")), (Urgency::OnTime, 4));
        // Wednesday 03-26: 03-27, 03-28, 03-31.
        assert_eq!((urgency("2025-03-26"), left("2025-03-26")), (Urgency::DueSoon, 3));
        // The due date itself.
        assert_eq!((urgency("2025-03-31"), left("2025-03-31")), (Urgency::DueSoon, 0));
        // The day after.
        assert_eq!((urgency("2025-04-01"), left("2025-04-01")), (Urgency::Overdue, -1));
        assert_eq!(left("2025-04-02"), -2);
        // Over 清明 the overdue count stands still: 04-01…04-03, then 04-07.
        assert_eq!(left("2025-04-06"), -3);
        assert_eq!(left("2025-04-07"), -4);
    }

    #[test]
    fn the_correction_notice_is_due_within_7_working_days() {
        let calendar = WorkCalendar::builtin();
        // Monday 03-03: 03-04…03-07 (1–4), 03-10…03-12 (5–7).
        assert_eq!(received("2025-03-03").correction_notice_due_on(&calendar), day("2025-03-12"));
        // Friday 2025-09-26: 09-28 调休 (1), 09-29 (2), 09-30 (3), 10-09 (4), 10-10 (5),
        // 10-11 调休 (6), Monday 10-13 (7).
        assert_eq!(received("2025-09-26").correction_notice_due_on(&calendar), day("2025-10-13"));
        // The correction does not move it: it is counted from the original receipt.
        let corrected = Clock { corrected_on: Some(day("2025-03-20")), ..received("2025-03-03") };
        assert_eq!(corrected.correction_notice_due_on(&calendar), day("2025-03-12"));
    }
}
