//! 条例第三十条: 申请人无正当理由逾期不补正的，视为放弃申请. The hub ends each application
//! whose 补正期限 has passed without the corrected application, on the working day after the
//! period, as （六）1, so that no such case waits for someone to remember it.

use chrono::NaiveDate;
use gongkai_core::print::chinese_date;

use super::{
    calendar::WorkCalendar,
    form::Kind,
    query_code::QueryCode,
    store::{Cursor, InboxQuery, Store, StoreError},
    workflow::{Action, State},
};

/// Who the audit log names for what the hub does by itself.
pub const BY_THE_HUB: &str = "系统";

/// Cases read at a time.
const PAGE: usize = 200;

/// Ends every application awaiting 补正 that lapsed on or before `today`; returns their 查询码.
/// A case changed meanwhile by staff (a conflict) is left for them.
pub fn close_lapsed(store: &dyn Store, calendar: &WorkCalendar, today: NaiveDate) -> Result<Vec<QueryCode>, StoreError> {
    let query = InboxQuery { kind: Some(Kind::Apply), state: Some(State::AwaitingCorrection), ..InboxQuery::default() };
    let (mut closed, mut after) = (Vec::new(), None);
    loop {
        let page = store.inbox(&query, after, PAGE)?;
        for submission in &page {
            let (Some(on), Some(notice)) = (submission.case.lapses_on(calendar), &submission.case.notices.correction) else { continue };
            if on > today {
                continue;
            }
            // The facts only: the 答复书's paragraph for （六）1 gives the article and its effect.
            let until = notice.until.unwrap_or(on);
            let text = format!("本机关于{}告知您补正，补正期限为{}，截至该日未收到补正后的申请。", chinese_date(notice.on), chinese_date(until));
            match store.act(submission.id, submission.version, BY_THE_HUB, &Action::CorrectionOverdue { on, text }) {
                Ok(_) => closed.push(submission.code.clone()),
                Err(StoreError::Conflict) => {}
                Err(StoreError::Refused(reason)) => eprintln!("application {}: not ended after its 补正期限: {reason}", submission.code),
                Err(e) => return Err(e),
            }
        }
        match page.last() {
            Some(last) if page.len() == PAGE => after = Some(Cursor::after(last)),
            _ => return Ok(closed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::submissions::{
        channel::Channel,
        form::{Entry, Fields},
        outcome::Outcome,
        store::{NewSubmission, SqliteStore},
    };

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn application(store: &SqliteStore, key: &str, kind: Kind) -> i64 {
        let new = NewSubmission {
            key: key.into(),
            kind,
            subject: None,
            fields: Fields(vec![Entry { name: "content".into(), label: "所需信息".into(), value: "2025年道路维修清单".into() }]),
            kiosk: None,
            origin_note: None,
            submitted_at: 1_795_000_000,
            received_on: day("2025-03-03"),
            channel: Channel::InPerson,
        };
        store.submit(new).unwrap().id
    }

    fn ask_correction(store: &SqliteStore, id: i64, until: &str) {
        let version = store.by_id(id).unwrap().unwrap().version;
        let ask = Action::RequestCorrection { note: "请说明所需信息的年份".into(), on: day("2025-03-04"), until: day(until) };
        store.act(id, version, "clerk", &ask).unwrap();
    }

    #[test]
    fn applications_past_their_correction_period_end_on_the_next_working_day() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let calendar = WorkCalendar::builtin();
        // Until Friday 2025-03-21: ends Monday 03-24. Until Thursday 04-03: ends 04-07, after 清明.
        let (friday, before_holiday) = (application(&store, "a", Kind::Apply), application(&store, "b", Kind::Apply));
        ask_correction(&store, friday, "2025-03-21");
        ask_correction(&store, before_holiday, "2025-04-03");
        let corrected = application(&store, "c", Kind::Apply);
        ask_correction(&store, corrected, "2025-03-21");
        let version = store.by_id(corrected).unwrap().unwrap().version;
        store.act(corrected, version, "clerk", &Action::CorrectionReceived { on: day("2025-03-20") }).unwrap();
        let untouched = application(&store, "d", Kind::Apply);

        for today in ["2025-03-21", "2025-03-23"] {
            assert_eq!(close_lapsed(&store, &calendar, day(today)).unwrap(), Vec::new(), "still within the period on {today}");
        }
        let code_of = |id: i64| store.by_id(id).unwrap().unwrap().code;
        assert_eq!(close_lapsed(&store, &calendar, day("2025-03-24")).unwrap(), vec![code_of(friday)]);
        assert_eq!(close_lapsed(&store, &calendar, day("2025-04-06")).unwrap(), Vec::new(), "清明 is no working day");
        assert_eq!(close_lapsed(&store, &calendar, day("2025-04-08")).unwrap(), vec![code_of(before_holiday)], "a day late, after a stop");
        assert_eq!(close_lapsed(&store, &calendar, day("2025-05-01")).unwrap(), Vec::new(), "each once");

        let case = store.by_id(friday).unwrap().unwrap().case;
        assert_eq!((case.state, case.outcome, case.concluded_on), (State::Replied, Some(Outcome::CorrectionOverdue), Some(day("2025-03-24"))));
        let told = case.reply_text.unwrap();
        assert_eq!(told, "本机关于2025年3月4日告知您补正，补正期限为2025年3月21日，截至该日未收到补正后的申请。");
        assert_eq!(store.by_id(before_holiday).unwrap().unwrap().case.concluded_on, Some(day("2025-04-07")), "counted from the period, not the sweep");
        assert_eq!(store.by_id(corrected).unwrap().unwrap().case.state, State::InProgress);
        assert_eq!(store.by_id(untouched).unwrap().unwrap().case.state, State::Registered);
        let audit = store.audit_log(Some(&code_of(friday)), 10).unwrap();
        assert_eq!((audit[0].staff.as_str(), audit[0].action.as_str()), (BY_THE_HUB, "correction_overdue"));
    }

    #[test]
    fn more_cases_than_a_page_are_all_closed() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let ids: Vec<i64> = (0..PAGE + 3).map(|n| application(&store, &n.to_string(), Kind::Apply)).collect();
        for &id in &ids {
            ask_correction(&store, id, "2025-03-21");
        }
        let closed = close_lapsed(&store, &WorkCalendar::builtin(), day("2025-03-24")).unwrap();
        assert_eq!(closed.len(), ids.len());
    }
}
