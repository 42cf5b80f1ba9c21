//! Demo content that stays alive in any year. A demo bundle names the day it was written
//! (`site.json` `demo_as_of`). It is checked as of the end of that day, so nothing in it is
//! ever "in the future", and its notices and consultations are then moved forward by the days
//! since, so that a screen on the demo always has notices in force and consultations open,
//! closing and closed, as on the day the demo was written. Documents, statistics and other
//! dated records keep their dates: they are history. The move is worked out when the bundle
//! is loaded.

use chrono::{Days, NaiveDateTime, NaiveTime};

use super::model::{Content, Site};

/// The clock a bundle is checked against, and how far its time-bound items move afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoClock {
    pub checked_at: NaiveDateTime,
    pub shift: Days,
}

impl DemoClock {
    /// For a bundle with `site`, loaded at `now`. Content without `demo_as_of` is checked at
    /// `now` and not moved; a demo is not moved before its day either.
    pub fn for_site(site: Option<&Site>, now: NaiveDateTime) -> Self {
        let Some(as_of) = site.and_then(|s| s.demo_as_of) else { return Self { checked_at: now, shift: Days::new(0) } };
        let end_of_day = NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default();
        let days = u64::try_from((now.date() - as_of).num_days()).unwrap_or(0);
        Self { checked_at: as_of.and_time(end_of_day), shift: Days::new(days) }
    }

    /// Moves the notices and consultations of `content` forward by the shift.
    pub fn apply(&self, content: &mut Content) {
        if self.shift == Days::new(0) {
            return;
        }
        let moved = |t: NaiveDateTime| t.checked_add_days(self.shift).unwrap_or(t);
        for notice in &mut content.notices {
            notice.published_at = moved(notice.published_at);
            notice.expires_at = notice.expires_at.map(moved);
        }
        let moved_day = |d: chrono::NaiveDate| d.checked_add_days(self.shift).unwrap_or(d);
        for consultation in &mut content.consultations {
            consultation.open_on = moved_day(consultation.open_on);
            consultation.close_on = moved_day(consultation.close_on);
            if let Some(feedback) = &mut consultation.feedback {
                feedback.published_on = moved_day(feedback.published_on);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::content::model::{Consultation, ConsultationStatus, Notice, NoticeLevel};

    fn at(text: &str) -> NaiveDateTime {
        text.parse().unwrap()
    }

    fn demo_site(as_of: &str) -> Site {
        Site { demo_label: Some("示例数据".into()), demo_as_of: Some(as_of.parse().unwrap()), ..Site::default() }
    }

    fn content() -> Content {
        Content {
            notices: vec![Notice {
                id: "tz".into(),
                title: "通知".into(),
                body: "正文".into(),
                issuer: "区政府".into(),
                level: NoticeLevel::Normal,
                published_at: at("2026-11-20T08:00:00"),
                expires_at: Some(at("2026-12-10T18:00:00")),
            }],
            consultations: vec![Consultation {
                id: "zj".into(),
                title: "征求意见".into(),
                department: "zfb".into(),
                summary: "说明".into(),
                articles: Vec::new(),
                open_on: "2026-11-10".parse().unwrap(),
                close_on: "2026-12-20".parse().unwrap(),
                feedback: None,
            }],
            ..Content::default()
        }
    }

    #[test]
    fn a_demo_years_later_is_checked_as_of_its_day_and_its_items_are_current_again() {
        let now = at("2031-02-28T10:30:00");
        let clock = DemoClock::for_site(Some(&demo_site("2026-12-02")), now);
        assert_eq!(clock.checked_at, at("2026-12-02T23:59:59"));
        let mut content = content();
        clock.apply(&mut content);
        assert!(content.notices[0].is_active_at(now), "{:?}", content.notices[0]);
        let consultation = &content.consultations[0];
        assert_eq!(consultation.status_on(now.date()), ConsultationStatus::Open);
        assert_eq!(consultation.close_on - now.date(), "2026-12-20".parse::<NaiveDate>().unwrap() - "2026-12-02".parse::<NaiveDate>().unwrap());
    }

    #[test]
    fn real_content_is_checked_now_and_left_as_written() {
        let now = at("2031-02-28T10:30:00");
        let clock = DemoClock::for_site(Some(&Site::default()), now);
        assert_eq!(clock, DemoClock { checked_at: now, shift: Days::new(0) });
        let mut content = content();
        clock.apply(&mut content);
        assert_eq!(content.consultations[0].open_on, "2026-11-10".parse::<NaiveDate>().unwrap());
        assert_eq!(content.notices[0].published_at, at("2026-11-20T08:00:00"));
    }

    #[test]
    fn a_demo_is_checked_at_the_end_of_its_day_and_not_moved_before_it() {
        for now in ["2026-11-22T12:00:00", "2026-12-02T00:00:01"] {
            let clock = DemoClock::for_site(Some(&demo_site("2026-12-02")), at(now));
            assert_eq!(clock, DemoClock { checked_at: at("2026-12-02T23:59:59"), shift: Days::new(0) }, "at {now}");
        }
    }
}
