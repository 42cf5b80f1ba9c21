//! 条例第三十条: 申请人无正当理由逾期不补正的，视为放弃申请; and a 信息处理费 not paid within
//! its 缴费期限 (国办函〔2020〕109号) likewise. The hub ends each application whose period has
//! passed, on the working day after it, as （六）1 or （六）2, so that no such case waits for
//! someone to remember it.

use chrono::NaiveDate;
use gongkai_core::print::chinese_date;

use super::{
    calendar::WorkCalendar,
    form::Kind,
    query_code::QueryCode,
    store::{Cursor, InboxQuery, Store, StoreError, Submission},
    workflow::{Action, State},
};

/// Who the audit log names for what the hub does by itself.
pub const BY_THE_HUB: &str = "系统";

/// Cases read at a time.
const PAGE: usize = 200;

/// Ends every application awaiting 补正 or its fee that lapsed on or before `today`; returns
/// their 查询码. A case changed meanwhile by staff (a conflict) is left for them.
pub fn close_lapsed(store: &dyn Store, calendar: &WorkCalendar, today: NaiveDate) -> Result<Vec<QueryCode>, StoreError> {
    let mut closed = Vec::new();
    for state in [State::AwaitingCorrection, State::AwaitingPayment] {
        let query = InboxQuery { kind: Some(Kind::Apply), state: Some(state), ..InboxQuery::default() };
        let mut after = None;
        loop {
            let page = store.inbox(&query, after, PAGE)?;
            for submission in &page {
                let Some((on, ending)) = ending(submission, calendar).filter(|(on, _)| *on <= today) else { continue };
                match store.act(submission.id, submission.version, BY_THE_HUB, &ending) {
                    Ok(_) => closed.push(submission.code.clone()),
                    Err(StoreError::Conflict) => {}
                    Err(StoreError::Refused(reason)) => eprintln!("application {}: not ended on {on}: {reason}", submission.code),
                    Err(e) => return Err(e),
                }
            }
            match page.last() {
                Some(last) if page.len() == PAGE => after = Some(Cursor::after(last)),
                _ => break,
            }
        }
    }
    Ok(closed)
}

/// The day an application lapses and the action that ends it, telling the applicant the facts;
/// the 答复书's paragraph for its row gives the rule and its effect.
fn ending(submission: &Submission, calendar: &WorkCalendar) -> Option<(NaiveDate, Action)> {
    let on = submission.case.lapses_on(calendar)?;
    let notices = &submission.case.notices;
    let action = match submission.case.state {
        State::AwaitingCorrection => {
            let notice = notices.correction.as_ref()?;
            let until = submission.case.correction_until()?;
            let period = if notices.correction_extended.is_some() { "经您说明理由，补正期限延长至" } else { "补正期限为" };
            let text = format!("本机关于{}告知您补正，{period}{}，截至该日未收到补正后的申请。", chinese_date(notice.on), chinese_date(until));
            Action::CorrectionOverdue { on, text }
        }
        _ => {
            let fee = notices.fee.as_ref()?;
            let text = format!("本机关于{}向您发出收费通知，缴费期限为{}，截至该日未收到您缴纳的信息处理费。", chinese_date(fee.on), chinese_date(fee.until));
            Action::FeeOverdue { on, text }
        }
    };
    Some((on, action))
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
            organ: "main".into(),
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
        let audit = store.audit_log(Some(&code_of(friday)), None, 10).unwrap();
        assert_eq!((audit[0].staff.as_str(), audit[0].action.as_str()), (BY_THE_HUB, "correction_overdue"));
    }

    #[test]
    fn an_extended_correction_period_ends_after_the_new_day() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let calendar = WorkCalendar::builtin();
        let id = application(&store, "a", Kind::Apply);
        ask_correction(&store, id, "2025-03-21");
        let version = store.by_id(id).unwrap().unwrap().version;
        let extend = Action::ExtendCorrection { on: day("2025-03-20"), until: day("2025-03-28"), reason: "需向原工作单位调取材料".into() };
        store.act(id, version, "clerk", &extend).unwrap();
        assert_eq!(close_lapsed(&store, &calendar, day("2025-03-24")).unwrap(), Vec::new(), "the old period has no effect");
        let code = store.by_id(id).unwrap().unwrap().code;
        assert_eq!(close_lapsed(&store, &calendar, day("2025-03-31")).unwrap(), vec![code]);
        let case = store.by_id(id).unwrap().unwrap().case;
        assert_eq!(case.concluded_on, Some(day("2025-03-31")));
        assert_eq!(case.reply_text.unwrap(), "本机关于2025年3月4日告知您补正，经您说明理由，补正期限延长至2025年3月28日，截至该日未收到补正后的申请。");
    }

    #[test]
    fn applications_whose_fee_was_not_paid_in_time_end_as_fee_overdue() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let calendar = WorkCalendar::builtin();
        let notify = |id: i64, paid: bool| {
            let version = store.by_id(id).unwrap().unwrap().version;
            store.act(id, version, "clerk", &Action::Accept { confirmed_on: None }).unwrap();
            let fee = Action::NotifyFee { on: day("2025-03-04"), basis: crate::submissions::fees::Basis::Pages, units: 150, until: day("2025-03-21") };
            store.act(id, version + 1, "clerk", &fee).unwrap();
            if paid {
                store.act(id, version + 2, "clerk", &Action::FeePaid { on: day("2025-03-20") }).unwrap();
            }
        };
        let (unpaid, paid) = (application(&store, "a", Kind::Apply), application(&store, "b", Kind::Apply));
        notify(unpaid, false);
        notify(paid, true);
        assert_eq!(close_lapsed(&store, &calendar, day("2025-03-21")).unwrap(), Vec::new(), "the last day to pay");
        let code = store.by_id(unpaid).unwrap().unwrap().code;
        assert_eq!(close_lapsed(&store, &calendar, day("2025-03-24")).unwrap(), vec![code]);
        let case = store.by_id(unpaid).unwrap().unwrap().case;
        assert_eq!((case.state, case.outcome, case.concluded_on), (State::Replied, Some(Outcome::FeeOverdue), Some(day("2025-03-24"))));
        assert_eq!(case.reply_text.unwrap(), "本机关于2025年3月4日向您发出收费通知，缴费期限为2025年3月21日，截至该日未收到您缴纳的信息处理费。");
        assert_eq!(store.by_id(paid).unwrap().unwrap().case.state, State::InProgress);
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
