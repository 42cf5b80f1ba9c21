//! How the office handles a submission: the 依申请公开 states, the reply types of
//! 条例第三十六条 (and 第三十七条 for partial disclosure), and the staff actions that move a
//! case from one state to the next. Other kinds use the same states without the statutory
//! steps (补正, extension, third parties).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{deadline::Clock, form::Kind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Registered,
    AwaitingCorrection,
    InProgress,
    Extended,
    Replied,
    Archived,
    Withdrawn,
}

impl State {
    pub const ALL: [State; 7] = [
        State::Registered,
        State::AwaitingCorrection,
        State::InProgress,
        State::Extended,
        State::Replied,
        State::Archived,
        State::Withdrawn,
    ];

    pub fn label(self) -> &'static str {
        match self {
            State::Registered => "已登记",
            State::AwaitingCorrection => "待补正",
            State::InProgress => "办理中",
            State::Extended => "已延期",
            State::Replied => "已答复",
            State::Archived => "已归档",
            State::Withdrawn => "已撤回",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            State::Registered => "registered",
            State::AwaitingCorrection => "awaiting_correction",
            State::InProgress => "in_progress",
            State::Extended => "extended",
            State::Replied => "replied",
            State::Archived => "archived",
            State::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(text: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Still waiting for the office: the deadline runs (except while awaiting 补正).
    pub fn is_open(self) -> bool {
        matches!(self, State::Registered | State::InProgress | State::Extended | State::AwaitingCorrection)
    }
}

/// 条例第三十六条 (一)–(七), with 第三十七条's partial disclosure beside 予以公开.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyType {
    AlreadyPublic,
    Disclosed,
    PartlyDisclosed,
    NotDisclosed,
    NotHeld,
    NotThisOffice,
    Repeated,
    OtherProcedure,
}

impl ReplyType {
    pub const ALL: [ReplyType; 8] = [
        ReplyType::AlreadyPublic,
        ReplyType::Disclosed,
        ReplyType::PartlyDisclosed,
        ReplyType::NotDisclosed,
        ReplyType::NotHeld,
        ReplyType::NotThisOffice,
        ReplyType::Repeated,
        ReplyType::OtherProcedure,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ReplyType::AlreadyPublic => "已主动公开，告知获取方式和途径（第三十六条第一项）",
            ReplyType::Disclosed => "予以公开（第三十六条第二项）",
            ReplyType::PartlyDisclosed => "部分公开（第三十七条）",
            ReplyType::NotDisclosed => "不予公开，告知理由（第三十六条第三项）",
            ReplyType::NotHeld => "经检索没有所申请信息（第三十六条第四项）",
            ReplyType::NotThisOffice => "不属于本机关负责公开，告知负责机关（第三十六条第五项）",
            ReplyType::Repeated => "重复申请，告知不予重复处理（第三十六条第六项）",
            ReplyType::OtherProcedure => "法律、行政法规另有规定，告知按规定办理（第三十六条第七项）",
        }
    }

    /// The short name used in statistics and the status page.
    pub fn short_label(self) -> &'static str {
        match self {
            ReplyType::AlreadyPublic => "已主动公开",
            ReplyType::Disclosed => "予以公开",
            ReplyType::PartlyDisclosed => "部分公开",
            ReplyType::NotDisclosed => "不予公开",
            ReplyType::NotHeld => "信息不存在",
            ReplyType::NotThisOffice => "非本机关负责公开",
            ReplyType::Repeated => "重复申请",
            ReplyType::OtherProcedure => "按其他法定程序办理",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReplyType::AlreadyPublic => "already_public",
            ReplyType::Disclosed => "disclosed",
            ReplyType::PartlyDisclosed => "partly_disclosed",
            ReplyType::NotDisclosed => "not_disclosed",
            ReplyType::NotHeld => "not_held",
            ReplyType::NotThisOffice => "not_this_office",
            ReplyType::Repeated => "repeated",
            ReplyType::OtherProcedure => "other_procedure",
        }
    }

    pub fn parse(text: &str) -> Option<ReplyType> {
        ReplyType::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// What a member of staff does to a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// 受理: start handling.
    Accept,
    /// 一次性告知补正 (条例第三十条); at most once.
    RequestCorrection { note: String },
    /// The corrected application arrived: the clock restarts from `on`.
    CorrectionReceived { on: NaiveDate },
    /// 延长答复期限 by 20 working days (第三十三条); at most once.
    Extend { reason: String },
    /// 征求第三方意见 (第三十二条): the time until the answer does not count.
    ThirdPartyStarted { on: NaiveDate, party: String },
    ThirdPartyAnswered { on: NaiveDate },
    /// The answer; a reply type is required for 政府信息公开申请.
    Reply { reply_type: Option<ReplyType>, text: String },
    Withdraw { note: String },
    Archive,
    /// A remark in the audit log; the state does not change.
    Note { text: String },
}

impl Action {
    /// The form name of the action, as the console posts it.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::RequestCorrection { .. } => "request_correction",
            Action::CorrectionReceived { .. } => "correction_received",
            Action::Extend { .. } => "extend",
            Action::ThirdPartyStarted { .. } => "third_party_started",
            Action::ThirdPartyAnswered { .. } => "third_party_answered",
            Action::Reply { .. } => "reply",
            Action::Withdraw { .. } => "withdraw",
            Action::Archive => "archive",
            Action::Note { .. } => "note",
        }
    }

    /// The line written to the audit log.
    pub fn describe(&self) -> String {
        match self {
            Action::Accept => "受理".into(),
            Action::RequestCorrection { note } => format!("告知补正：{note}"),
            Action::CorrectionReceived { on } => format!("收到补正后的申请（{on}），答复期限重新计算"),
            Action::Extend { reason } => format!("延长答复期限 20 个工作日：{reason}"),
            Action::ThirdPartyStarted { on, party } => format!("{on} 起征求第三方意见：{party}"),
            Action::ThirdPartyAnswered { on } => format!("{on} 收到第三方意见"),
            Action::Reply { reply_type, text } => match reply_type {
                Some(t) => format!("答复：{}。{text}", t.short_label()),
                None => format!("答复：{text}"),
            },
            Action::Withdraw { note } => format!("撤回：{note}"),
            Action::Archive => "归档".into(),
            Action::Note { text } => format!("备注：{text}"),
        }
    }
}

/// Where a case stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub kind: Kind,
    pub state: State,
    pub clock: Clock,
    pub correction_requested: bool,
    pub reply_type: Option<ReplyType>,
    pub reply_text: Option<String>,
}

impl Case {
    pub fn new(kind: Kind, received_on: NaiveDate) -> Self {
        Self {
            kind,
            state: State::Registered,
            clock: Clock { received_on, ..Clock::default() },
            correction_requested: false,
            reply_type: None,
            reply_text: None,
        }
    }

    fn statutory(&self) -> bool {
        self.kind == Kind::Apply
    }

    fn third_party_open(&self) -> bool {
        self.clock.third_party.last().is_some_and(|(_, end)| end.is_none())
    }

    /// The actions that make sense now, for the console's buttons.
    pub fn available(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        let handling = matches!(self.state, State::InProgress | State::Extended);
        match self.state {
            State::Registered => names.push("accept"),
            State::AwaitingCorrection => names.push("correction_received"),
            _ => {}
        }
        if self.statutory() {
            if matches!(self.state, State::Registered | State::InProgress) && !self.correction_requested {
                names.push("request_correction");
            }
            if self.state == State::InProgress && !self.clock.extended {
                names.push("extend");
            }
            if handling && !self.third_party_open() {
                names.push("third_party_started");
            }
            if self.third_party_open() {
                names.push("third_party_answered");
            }
        }
        if matches!(self.state, State::Registered | State::InProgress | State::Extended) && !self.third_party_open() {
            names.push("reply");
        }
        if self.state.is_open() {
            names.push("withdraw");
        }
        if matches!(self.state, State::Replied | State::Withdrawn) {
            names.push("archive");
        }
        names.push("note");
        names
    }

    /// Applies `action`, or says plainly why it does not apply now.
    pub fn apply(&mut self, action: &Action) -> Result<(), String> {
        if !self.available().contains(&action.name()) {
            return Err(format!("“{}”在{}状态下不可用", action_label(action.name()), self.state.label()));
        }
        let blank = |text: &str, what: &str| if text.trim().is_empty() { Err(format!("请填写{what}")) } else { Ok(()) };
        match action {
            Action::Accept => self.state = State::InProgress,
            Action::RequestCorrection { note } => {
                blank(note, "需要补正的内容")?;
                self.correction_requested = true;
                self.state = State::AwaitingCorrection;
            }
            Action::CorrectionReceived { on } => {
                if *on < self.clock.received_on {
                    return Err("补正日期不能早于收到申请的日期".into());
                }
                self.clock.corrected_on = Some(*on);
                self.state = State::InProgress;
            }
            Action::Extend { reason } => {
                blank(reason, "延期理由")?;
                self.clock.extended = true;
                self.state = State::Extended;
            }
            Action::ThirdPartyStarted { on, party } => {
                blank(party, "第三方名称")?;
                if *on < self.clock.received_on {
                    return Err("征求第三方意见的日期不能早于收到申请的日期".into());
                }
                // One consultation at a time, so no working day is paused twice.
                match self.clock.third_party.last() {
                    Some((_, None)) => return Err("上一次征求第三方意见尚未收到答复".into()),
                    Some((_, Some(answered))) if on < answered => {
                        return Err("征求第三方意见的日期不能早于上一次收到第三方意见的日期".into());
                    }
                    _ => {}
                }
                self.clock.third_party.push((*on, None));
            }
            Action::ThirdPartyAnswered { on } => {
                if let Some((start, end)) = self.clock.third_party.last_mut() {
                    if *on < *start {
                        return Err("收到第三方意见的日期不能早于征求日期".into());
                    }
                    *end = Some(*on);
                }
            }
            Action::Reply { reply_type, text } => {
                blank(text, "答复内容")?;
                if self.statutory() && reply_type.is_none() {
                    return Err("请选择答复类型（条例第三十六条）".into());
                }
                self.reply_type = *reply_type;
                self.reply_text = Some(text.clone());
                self.state = State::Replied;
            }
            Action::Withdraw { note } => {
                blank(note, "撤回说明")?;
                self.state = State::Withdrawn;
            }
            Action::Archive => self.state = State::Archived,
            Action::Note { text } => blank(text, "备注")?,
        }
        Ok(())
    }
}

/// The button text of an action.
pub fn action_label(name: &str) -> &'static str {
    match name {
        "accept" => "受理",
        "request_correction" => "告知补正",
        "correction_received" => "收到补正",
        "extend" => "延长期限",
        "third_party_started" => "征求第三方意见",
        "third_party_answered" => "收到第三方意见",
        "reply" => "答复",
        "withdraw" => "撤回",
        "archive" => "归档",
        "note" => "添加备注",
        _ => "未知操作",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, d).unwrap()
    }

    #[test]
    fn an_application_goes_through_correction_extension_and_reply() {
        let mut case = Case::new(Kind::Apply, day(3));
        case.apply(&Action::Accept).unwrap();
        case.apply(&Action::RequestCorrection { note: "请说明所需信息的年份".into() }).unwrap();
        assert_eq!(case.state, State::AwaitingCorrection);
        assert!(case.apply(&Action::Extend { reason: "x".into() }).is_err(), "no extension while awaiting 补正");
        case.apply(&Action::CorrectionReceived { on: day(20) }).unwrap();
        assert_eq!(case.clock.corrected_on, Some(day(20)));
        let again = case.apply(&Action::RequestCorrection { note: "再次".into() }).unwrap_err();
        assert!(again.contains("告知补正"), "补正 is requested once: {again}");
        case.apply(&Action::Extend { reason: "信息量大".into() }).unwrap();
        assert!(case.apply(&Action::Extend { reason: "again".into() }).is_err(), "one extension only");
        case.apply(&Action::ThirdPartyStarted { on: day(24), party: "某公司".into() }).unwrap();
        assert!(case.apply(&Action::Reply { reply_type: Some(ReplyType::Disclosed), text: "x".into() }).is_err());
        case.apply(&Action::ThirdPartyAnswered { on: day(27) }).unwrap();
        assert_eq!(case.clock.third_party, vec![(day(24), Some(day(27)))]);
        let missing_type = case.apply(&Action::Reply { reply_type: None, text: "答复".into() }).unwrap_err();
        assert!(missing_type.contains("第三十六条"));
        case.apply(&Action::Reply { reply_type: Some(ReplyType::PartlyDisclosed), text: "见附件".into() }).unwrap();
        assert_eq!(case.state, State::Replied);
        case.apply(&Action::Archive).unwrap();
        assert_eq!(case.available(), vec!["note"]);
    }

    #[test]
    fn opinions_have_no_statutory_steps() {
        let mut case = Case::new(Kind::Opinion, day(3));
        assert!(!case.available().contains(&"request_correction"));
        assert!(case.apply(&Action::Extend { reason: "x".into() }).is_err());
        case.apply(&Action::Reply { reply_type: None, text: "感谢您的建议".into() }).unwrap();
        assert_eq!(case.state, State::Replied);
    }

    #[test]
    fn names_round_trip() {
        for state in State::ALL {
            assert_eq!(State::parse(state.as_str()), Some(state));
        }
        for reply in ReplyType::ALL {
            assert_eq!(ReplyType::parse(reply.as_str()), Some(reply));
        }
        assert_eq!(State::parse("'; DROP TABLE x"), None);
    }
}
