//! How the office handles a submission: the 依申请公开 states, the outcome each answer
//! records (`outcome`), and the staff actions that move a case from one state to the next. Other kinds use the same states without the statutory
//! steps (补正, extension, third parties).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{
    calendar::WorkCalendar,
    channel::Channel,
    deadline::{Clock, Consultation},
    fees::{Basis, FeeNotice},
    form::Kind,
    outcome::Outcome,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Registered,
    AwaitingCorrection,
    /// A 收费通知 went out; the office waits for the fee.
    AwaitingPayment,
    InProgress,
    Extended,
    Replied,
    Archived,
    Withdrawn,
}

impl State {
    pub const ALL: [State; 8] = [
        State::Registered,
        State::AwaitingCorrection,
        State::AwaitingPayment,
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
            State::AwaitingPayment => "待缴费",
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
            State::AwaitingPayment => "awaiting_payment",
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
        matches!(self, State::Registered | State::InProgress | State::Extended | State::AwaitingCorrection | State::AwaitingPayment)
    }
}

/// What a member of staff does to a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// 受理: start handling. For an application sent online, the day the office confirms it,
    /// which becomes its day of receipt (条例第三十一条第三项); none keeps the day it was sent.
    Accept { confirmed_on: Option<NaiveDate> },
    /// 一次性告知补正 (条例第三十条) `on`, to be made by `until` (the 补正期限 the notice
    /// states); at most once.
    RequestCorrection { note: String, on: NaiveDate, until: NaiveDate },
    /// The corrected application arrived: the clock restarts from `on`.
    CorrectionReceived { on: NaiveDate },
    /// The applicant gave a 正当理由 for needing longer to correct (第三十条: only 无正当理由
    /// 逾期不补正 is 视为放弃申请): decided `on`, the 补正期限 moves to a later `until`.
    ExtendCorrection { on: NaiveDate, until: NaiveDate, reason: String },
    /// 延长答复期限 by 20 working days (第三十三条), told to the applicant `on`; at most once.
    Extend { reason: String, on: NaiveDate },
    /// 征求第三方意见 (第三十二条) `on`, or with `organ` 征求其他机关意见 (第三十四条: an organ
    /// that made the information with this one), to answer by `until` (the 意见期限 the letter
    /// states): the time until the answer does not count, up to that day.
    ThirdPartyStarted { on: NaiveDate, party: String, until: NaiveDate, organ: bool },
    /// The consultation ended `on`: the party answered, or (`lapsed`) its period passed
    /// without an answer: a third party's silence leaves the office to decide (第三十二条第二款),
    /// an organ's counts as consent to disclose (第三十四条). `organ` is the consultation's.
    ThirdPartyAnswered { on: NaiveDate, lapsed: bool, organ: bool },
    /// The answer, given `on`; a 政府信息公开申请 records its outcome, and an answer that the
    /// information is not this organ's to disclose names the organ responsible when known.
    Reply { outcome: Option<Outcome>, on: NaiveDate, text: String, competent: Option<Competent> },
    /// 转办: the organ `to` (named `to_name`) handles the case from now on, for `reason`; the
    /// letters `sent` so far (by their slug) stay signed by the organ that sent them.
    Transfer { to: String, to_name: String, reason: String, sent: Vec<String> },
    /// 逾期不补正 (第三十条): the application awaiting 补正 is no longer handled from `on`, a
    /// day after the 补正期限, and the applicant is told `text`; counted as （六）1.
    CorrectionOverdue { on: NaiveDate, text: String },
    /// 收费通知 `on` (国办函〔2020〕109号): `units` counted by `basis`, to pay by `until`; at most once.
    NotifyFee { on: NaiveDate, basis: Basis, units: u32, until: NaiveDate },
    /// The fee was paid `on`; handling goes on.
    FeePaid { on: NaiveDate },
    /// A 收费通知 sent by mistake is taken back, for `reason`; handling goes on, and a new
    /// notice may be sent.
    CancelFee { reason: String },
    /// 逾期未缴费: the application awaiting its fee is no longer handled from `on`, a day after
    /// the 缴费期限, and the applicant is told `text`; counted as （六）2.
    FeeOverdue { on: NaiveDate, text: String },
    /// Withdrawn `on` (an application withdrawn counts as （六）3 其他 in the report).
    Withdraw { note: String, on: NaiveDate },
    /// Puts an answered application in another row of the annual report: one answered before
    /// the report's rows were kept, or one put in the wrong row.
    Classify { outcome: Outcome },
    /// The 答复书 reached the applicant `on`, in one of `DELIVERY_WAYS` (送达): the applicant
    /// then knows of the answer, and the time for 复议 and 诉讼 runs (行政复议法第二十条,
    /// 行政诉讼法第四十六条: from the day they knew or ought to have known).
    Delivered { on: NaiveDate, how: String },
    Archive,
    /// A remark in the audit log; the state does not change.
    Note { text: String },
}

impl Action {
    /// The form name of the action, as the console posts it.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Accept { .. } => "accept",
            Action::RequestCorrection { .. } => "request_correction",
            Action::CorrectionReceived { .. } => "correction_received",
            Action::ExtendCorrection { .. } => "extend_correction",
            Action::Extend { .. } => "extend",
            Action::ThirdPartyStarted { organ: false, .. } => "third_party_started",
            Action::ThirdPartyStarted { organ: true, .. } => "organ_consulted",
            Action::ThirdPartyAnswered { .. } => "third_party_answered",
            Action::Reply { .. } => "reply",
            Action::Transfer { .. } => "transfer",
            Action::Withdraw { .. } => "withdraw",
            Action::NotifyFee { .. } => "notify_fee",
            Action::FeePaid { .. } => "fee_paid",
            Action::CancelFee { .. } => "cancel_fee",
            Action::FeeOverdue { .. } => "fee_overdue",
            Action::CorrectionOverdue { .. } => "correction_overdue",
            Action::Classify { .. } => "classify",
            Action::Delivered { .. } => "delivered",
            Action::Archive => "archive",
            Action::Note { .. } => "note",
        }
    }

    /// The line written to the audit log.
    pub fn describe(&self) -> String {
        match self {
            Action::Accept { confirmed_on: Some(on) } => format!("受理，确认 {on} 收到申请"),
            Action::Accept { confirmed_on: None } => "受理".into(),
            Action::RequestCorrection { note, on, until } => format!("{on} 告知补正（补正期限 {until}）：{note}"),
            Action::CorrectionReceived { on } => format!("收到补正后的申请（{on}），答复期限重新计算"),
            Action::ExtendCorrection { on, until, reason } => format!("{on} 补正期限延长至 {until}：{reason}"),
            Action::Extend { reason, on } => format!("{on} 延长答复期限 20 个工作日：{reason}"),
            Action::ThirdPartyStarted { on, party, until, organ } => format!("{on} 起征求{}意见（意见期限 {until}）：{party}", consulted(*organ)),
            Action::ThirdPartyAnswered { on, lapsed: false, organ } => format!("{on} 收到{}意见", consulted(*organ)),
            Action::ThirdPartyAnswered { on, lapsed: true, organ: false } => format!("{on} 第三方逾期未提出意见，由本机关依照条例决定是否公开"),
            Action::ThirdPartyAnswered { on, lapsed: true, organ: true } => format!("{on} 其他机关逾期未提出意见，视为同意公开（条例第三十四条）"),
            Action::Reply { outcome, on, text, competent } => {
                let row = outcome.map(|o| format!("（{}）", o.report_row())).unwrap_or_default();
                let named = competent.as_ref().map(|c| format!("（告知负责公开的机关：{}）", c.name)).unwrap_or_default();
                format!("{on} 答复{row}{named}：{text}")
            }
            Action::Transfer { to_name, reason, .. } => format!("转办至{to_name}：{reason}"),
            Action::Withdraw { note, on } => format!("{on} 撤回：{note}"),
            Action::NotifyFee { on, basis, units, until } => {
                format!("{on} 收费通知：{}（{}），{} 元，缴费期限 {until}", basis.label(), basis.units(*units), basis.fee(*units))
            }
            Action::FeePaid { on } => format!("{on} 收到信息处理费"),
            Action::CancelFee { reason } => format!("撤销收费通知：{reason}"),
            Action::FeeOverdue { on, text } => format!("{on} 逾期未缴费，不再处理：{text}"),
            Action::CorrectionOverdue { on, text } => format!("{on} 逾期未补正，不再处理：{text}"),
            Action::Classify { outcome } => format!("年报归类：{}", outcome.report_row()),
            Action::Delivered { on, how } => format!("{on} 答复书送达（{how}）"),
            Action::Archive => "归档".into(),
            Action::Note { text } => format!("备注：{text}"),
        }
    }
}

/// Where a case stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub kind: Kind,
    /// The id of the organ that handles it (承办机关, `organs`).
    pub organ: String,
    pub channel: Channel,
    pub state: State,
    pub clock: Clock,
    pub correction_requested: bool,
    pub outcome: Option<Outcome>,
    /// The day it was answered or withdrawn: the report counts it in that year.
    pub concluded_on: Option<NaiveDate>,
    pub reply_text: Option<String>,
    /// What the office told the applicant or a third party on the way, for its 文书.
    pub notices: Notices,
}

/// The particulars of the 告知书 sent during a case, kept as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Notices {
    /// 补正告知: the day and what is to be corrected.
    pub correction: Option<Notice>,
    /// The latest extension of its 补正期限: the day, the applicant's reason and the new period.
    pub correction_extended: Option<Notice>,
    /// 延期答复告知: the day and the reason.
    pub extension: Option<Notice>,
    /// The third parties consulted, in the order of the clock's consultations.
    pub third_parties: Vec<String>,
    /// Which of those consultations (from 0) went to another organ (第三十四条).
    pub organ_consultations: Vec<usize>,
    /// The outcome the 答复书 gave, which a later 年报归类 does not change.
    pub replied_as: Option<Outcome>,
    /// 收费通知.
    pub fee: Option<FeeNotice>,
    /// The organ that signed each letter sent before the case was handed on, by the letter's
    /// slug; later letters are signed by the case's organ.
    pub signed_by: BTreeMap<String, String>,
    /// The 答复书's 送达: the day and the way.
    pub delivered: Option<Notice>,
    /// The organ responsible for the information, as an answer of `Outcome::NotThisOrgan`
    /// named it (条例第三十六条第五项).
    pub competent: Option<Competent>,
}

/// An organ an applicant is sent to, and how to reach it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Competent {
    pub name: String,
    /// Its address and telephone, as the letter gives them.
    pub contact: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub on: NaiveDate,
    pub text: String,
    /// The day the applicant is to answer by: the 补正期限 of a 补正告知 or of its extension
    /// (none on notices sent before the hub kept it, on a 延期答复告知 and on a 送达).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
}

impl Case {
    pub fn new(kind: Kind, received_on: NaiveDate) -> Self {
        Self {
            kind,
            organ: crate::organs::SINGLE.to_string(),
            channel: Channel::Online,
            state: State::Registered,
            clock: Clock { received_on, ..Clock::default() },
            correction_requested: false,
            outcome: None,
            concluded_on: None,
            reply_text: None,
            notices: Notices::default(),
        }
    }

    fn statutory(&self) -> bool {
        self.kind == Kind::Apply
    }

    /// Ended as not corrected within a 补正期限 that the hub knows: a correction that came
    /// within it, but was entered afterwards, still counts.
    fn ended_uncorrected(&self) -> bool {
        self.notices.replied_as == Some(Outcome::CorrectionOverdue) && self.correction_until().is_some()
    }

    /// The 补正期限 now: the notice's, or the latest extension's. None when the hub does not
    /// know it (a notice sent before it kept one).
    pub fn correction_until(&self) -> Option<NaiveDate> {
        let notices = &self.notices;
        notices.correction_extended.as_ref().or(notices.correction.as_ref())?.until
    }

    /// Whether consultation `n` (from 0) went to another organ rather than a third party.
    pub fn consults_organ(&self, n: usize) -> bool {
        self.notices.organ_consultations.contains(&n)
    }

    fn third_party_open(&self) -> bool {
        self.clock.third_party.last().is_some_and(|consultation| consultation.answered_on.is_none())
    }

    fn not_before_receipt(&self, on: NaiveDate, what: &str) -> Result<(), String> {
        if on < self.clock.received_on {
            return Err(format!("{what}日期不能早于收到申请的日期"));
        }
        Ok(())
    }

    /// Ends, `on`, an application whose applicant let a period pass (named, and its last day
    /// when known), as the lapse and its outcome, telling them `text`; not while it runs.
    fn end_lapsed(&mut self, on: NaiveDate, text: &str, period: (&str, Option<NaiveDate>), lapse: (&str, Outcome)) -> Result<(), String> {
        let ((name, until), (lapsed, outcome)) = (period, lapse);
        if text.trim().is_empty() {
            return Err("请填写告知申请人的内容".into());
        }
        if let Some(until) = until.filter(|until| on <= *until) {
            return Err(format!("{name}（{until}）尚未届满，{on} 不能以{lapsed}终止办理"));
        }
        self.conclude(on, "终止办理")?;
        self.outcome = Some(outcome);
        self.notices.replied_as = self.outcome;
        self.reply_text = Some(text.to_string());
        self.state = State::Replied;
        Ok(())
    }

    /// Takes back the end of an application the applicant had not in fact let lapse.
    fn reopen(&mut self) {
        self.outcome = None;
        self.concluded_on = None;
        self.reply_text = None;
        self.notices.replied_as = None;
        self.notices.delivered = None;
    }

    /// Answered with a 答复书 (by staff or by the hub) not yet recorded as delivered, archived
    /// or not (reopening an answer forgets it): the inbox marks it 答复书待送达.
    pub fn awaiting_delivery(&self) -> bool {
        self.statutory() && self.notices.replied_as.is_some() && self.notices.delivered.is_none()
    }

    /// Records the day it was answered or withdrawn.
    fn conclude(&mut self, on: NaiveDate, what: &str) -> Result<(), String> {
        self.not_before_receipt(on, what)?;
        self.concluded_on = Some(on);
        Ok(())
    }

    /// The day an application still awaiting 补正 or its fee is no longer handled (第三十条:
    /// 无正当理由逾期不补正的，视为放弃申请; likewise a fee not paid in time): the working day
    /// after the period its notice gave.
    pub fn lapses_on(&self, calendar: &WorkCalendar) -> Option<NaiveDate> {
        let until = match self.state {
            State::AwaitingCorrection => self.correction_until()?,
            State::AwaitingPayment => self.notices.fee.as_ref()?.until,
            _ => return None,
        };
        Some(calendar.add_working_days(until, 1))
    }

    /// The actions that make sense now, for the console's buttons.
    pub fn available(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        let handling = matches!(self.state, State::InProgress | State::Extended);
        match self.state {
            State::Registered => names.push("accept"),
            State::AwaitingCorrection => names.push("correction_received"),
            State::Replied if self.ended_uncorrected() => names.push("correction_received"),
            State::Replied if self.notices.replied_as == Some(Outcome::FeeOverdue) => names.push("fee_paid"),
            _ => {}
        }
        if self.statutory() {
            if matches!(self.state, State::Registered | State::InProgress) && !self.correction_requested {
                names.push("request_correction");
            }
            if self.state == State::AwaitingCorrection {
                names.push("extend_correction");
                names.push("correction_overdue");
            }
            if self.state == State::InProgress && !self.clock.extended {
                names.push("extend");
            }
            if handling && !self.third_party_open() {
                names.push("third_party_started");
                names.push("organ_consulted");
            }
            if self.third_party_open() {
                names.push("third_party_answered");
            }
            if handling && !self.third_party_open() && self.notices.fee.is_none() {
                names.push("notify_fee");
            }
            if self.state == State::AwaitingPayment {
                names.push("fee_paid");
                names.push("fee_overdue");
                names.push("cancel_fee");
            }
        }
        if matches!(self.state, State::Registered | State::InProgress | State::Extended) && !self.third_party_open() {
            names.push("reply");
        }
        if self.state.is_open() {
            names.push("withdraw");
            names.push("transfer");
        }
        // An answer may move to another row of the report; a withdrawal stays 其他.
        if self.statutory() && matches!(self.state, State::Replied | State::Archived) && self.reply_text.is_some() {
            names.push("classify");
        }
        if self.awaiting_delivery() {
            names.push("delivered");
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
            Action::Accept { confirmed_on } => {
                if let Some(on) = *confirmed_on {
                    if !self.statutory() {
                        return Err("只有政府信息公开申请需要确认收到申请的日期".into());
                    }
                    if self.channel != Channel::Online {
                        return Err(format!("{}的申请，收到申请日期在登记时已经确定", self.channel.label()));
                    }
                    if on < self.clock.received_on {
                        return Err(format!("确认收到申请的日期不能早于申请提交的日期（{}）", self.clock.received_on));
                    }
                    self.clock.received_on = on;
                }
                self.state = State::InProgress;
            }
            Action::RequestCorrection { note, on, until } => {
                blank(note, "需要补正的内容")?;
                self.not_before_receipt(*on, "告知补正")?;
                if until <= on {
                    return Err(format!("补正期限（{until}）应晚于告知补正日期（{on}）"));
                }
                self.notices.correction = Some(Notice { on: *on, text: note.clone(), until: Some(*until) });
                self.correction_requested = true;
                self.state = State::AwaitingCorrection;
            }
            Action::CorrectionReceived { on } => {
                self.not_before_receipt(*on, "补正")?;
                if self.state == State::Replied {
                    let until = self.correction_until().unwrap_or(*on);
                    if *on > until {
                        return Err(format!("补正期限（{until}）之后收到的补正，申请已终止办理"));
                    }
                    self.reopen();
                }
                self.clock.corrected_on = Some(*on);
                self.state = State::InProgress;
            }
            Action::ExtendCorrection { on, until, reason } => {
                blank(reason, "延长补正期限的理由")?;
                let (asked_on, current) = match &self.notices.correction {
                    Some(notice) => (notice.on, self.correction_until()),
                    None => return Err("没有补正告知，不能延长补正期限".into()),
                };
                if *on < asked_on {
                    return Err(format!("延长补正期限的日期不能早于告知补正日期（{asked_on}）"));
                }
                if let Some(current) = current.filter(|current| until <= current) {
                    return Err(format!("新的补正期限应晚于现在的补正期限（{current}）"));
                }
                if until <= on {
                    return Err(format!("新的补正期限（{until}）应晚于同意延长的日期（{on}）"));
                }
                self.notices.correction_extended = Some(Notice { on: *on, text: reason.clone(), until: Some(*until) });
            }
            Action::Extend { reason, on } => {
                blank(reason, "延期理由")?;
                self.not_before_receipt(*on, "延期告知")?;
                self.notices.extension = Some(Notice { on: *on, text: reason.clone(), until: None });
                self.clock.extended = true;
                self.state = State::Extended;
            }
            Action::ThirdPartyStarted { on, party, until, organ } => {
                blank(party, if *organ { "被征求意见的机关" } else { "第三方名称" })?;
                self.not_before_receipt(*on, &format!("征求{}意见的", consulted(*organ)))?;
                if until <= on {
                    return Err(format!("意见期限（{until}）应晚于征求意见日期（{on}）"));
                }
                // One consultation at a time, so no working day is paused twice.
                match self.clock.third_party.last().map(|c| c.answered_on) {
                    Some(None) => return Err("上一次征求意见尚未收到答复".into()),
                    Some(Some(answered)) if *on < answered => {
                        return Err("征求意见的日期不能早于上一次收到意见的日期".into());
                    }
                    _ => {}
                }
                if *organ {
                    self.notices.organ_consultations.push(self.clock.third_party.len());
                }
                self.clock.third_party.push(Consultation { asked_on: *on, answered_on: None, until: Some(*until), lapsed: false });
                self.notices.third_parties.push(party.clone());
            }
            Action::ThirdPartyAnswered { on, lapsed, organ } => {
                let last = self.clock.third_party.len().saturating_sub(1);
                if *organ != self.consults_organ(last) {
                    return Err(format!("这次征求的是{}的意见", consulted(self.consults_organ(last))));
                }
                if let Some(consultation) = self.clock.third_party.last_mut() {
                    if *on < consultation.asked_on {
                        return Err(format!("收到{}意见的日期不能早于征求日期", consulted(*organ)));
                    }
                    if let Some(until) = consultation.until.filter(|until| *lapsed && on <= until) {
                        return Err(format!("意见期限（{until}）尚未届满，{on} 不能记为{}逾期未提出意见", consulted(*organ)));
                    }
                    consultation.answered_on = Some(*on);
                    consultation.lapsed = *lapsed;
                }
            }
            Action::Reply { outcome, on, text, competent } => {
                blank(text, "答复内容")?;
                if self.statutory() && outcome.is_none() {
                    return Err("请选择办理结果（年度报告的类别及第三十六条的答复）".into());
                }
                if *outcome == Some(Outcome::CorrectionOverdue) {
                    return Err("逾期未补正的申请，请在待补正状态下用“逾期未补正，终止办理”".into());
                }
                if *outcome == Some(Outcome::FeeOverdue) {
                    return Err("逾期未缴费的申请，请在待缴费状态下用“逾期未缴费，终止办理”".into());
                }
                self.conclude(*on, "答复")?;
                self.outcome = if self.statutory() { *outcome } else { None };
                self.notices.replied_as = self.outcome;
                self.notices.competent = competent.clone().filter(|_| *outcome == Some(Outcome::NotThisOrgan));
                self.reply_text = Some(text.clone());
                self.state = State::Replied;
            }
            Action::Transfer { to, to_name, reason, sent } => {
                blank(reason, "转办理由")?;
                if *to == self.organ {
                    return Err(format!("已由{to_name}承办"));
                }
                for letter in sent {
                    self.notices.signed_by.entry(letter.clone()).or_insert_with(|| self.organ.clone());
                }
                self.organ = to.clone();
            }
            Action::Withdraw { note, on } => {
                blank(note, "撤回说明")?;
                self.conclude(*on, "撤回")?;
                self.outcome = self.statutory().then_some(Outcome::Other);
                self.state = State::Withdrawn;
            }
            Action::NotifyFee { on, basis, units, until } => {
                self.not_before_receipt(*on, "收费通知")?;
                if until <= on {
                    return Err(format!("缴费期限（{until}）应晚于收费通知日期（{on}）"));
                }
                let amount = basis.fee(*units);
                if amount == 0 {
                    return Err(format!("{}：{}，依照国办函〔2020〕109号不收费", basis.label(), basis.units(*units)));
                }
                let notice = FeeNotice { on: *on, basis: *basis, units: *units, amount, until: *until, paid_on: None };
                self.clock.fee = Some(notice.pause());
                self.notices.fee = Some(notice);
                self.state = State::AwaitingPayment;
            }
            Action::FeePaid { on } => {
                let Some(fee) = self.notices.fee.as_mut() else { return Err("没有收费通知".into()) };
                if *on < fee.on {
                    return Err(format!("缴费日期不能早于收费通知日期（{}）", fee.on));
                }
                if *on > fee.until {
                    return Err(format!("缴费日期晚于缴费期限（{}）：逾期未缴费的，视为放弃申请", fee.until));
                }
                fee.paid_on = Some(*on);
                self.clock.fee = Some(fee.pause());
                // A fee paid in time but entered after the hub ended the case: handled after all.
                if self.state == State::Replied {
                    self.reopen();
                }
                self.state = if self.clock.extended { State::Extended } else { State::InProgress };
            }
            Action::CancelFee { reason } => {
                blank(reason, "撤销理由")?;
                self.notices.fee = None;
                self.clock.fee = None;
                self.state = if self.clock.extended { State::Extended } else { State::InProgress };
            }
            Action::FeeOverdue { on, text } => {
                let until = self.notices.fee.as_ref().map(|f| f.until);
                self.end_lapsed(*on, text, ("缴费期限", until), ("逾期未缴费", Outcome::FeeOverdue))?;
            }
            Action::CorrectionOverdue { on, text } => {
                let until = self.correction_until();
                self.end_lapsed(*on, text, ("补正期限", until), ("逾期未补正", Outcome::CorrectionOverdue))?;
            }
            Action::Classify { outcome } => self.outcome = Some(*outcome),
            Action::Delivered { on, how } => {
                if !DELIVERY_WAYS.contains(&how.as_str()) {
                    return Err("送达方式：请选择".into());
                }
                if let Some(answered) = self.concluded_on.filter(|answered| on < answered) {
                    return Err(format!("送达日期不能早于答复日期（{answered}）"));
                }
                self.notices.delivered = Some(Notice { on: *on, text: how.clone(), until: None });
            }
            Action::Archive => self.state = State::Archived,
            Action::Note { text } => blank(text, "备注")?,
        }
        Ok(())
    }
}

/// The 送达 of an answer given before the hub recorded deliveries (migration 18).
pub const DELIVERY_UNRECORDED: &str = "启用送达记录前答复，未记录送达";

/// How a 答复书 is delivered (送达).
pub const DELIVERY_WAYS: [&str; 4] = ["当面送达", "邮寄送达", "电子邮件送达", "其他方式送达"];

/// Whom a consultation asks: a third party (第三十二条) or another organ (第三十四条).
pub fn consulted(organ: bool) -> &'static str {
    if organ { "其他机关" } else { "第三方" }
}

/// The button text of an action.
pub fn action_label(name: &str) -> &'static str {
    match name {
        "accept" => "受理",
        "request_correction" => "告知补正",
        "correction_received" => "收到补正",
        "extend_correction" => "延长补正期限",
        "extend" => "延长期限",
        "third_party_started" => "征求第三方意见",
        "third_party_answered" => "收到第三方意见",
        "organ_consulted" => "征求其他机关意见",
        "reply" => "答复",
        "withdraw" => "撤回",
        "transfer" => "转办",
        "correction_overdue" => "逾期未补正，终止办理",
        "notify_fee" => "收费通知",
        "fee_paid" => "已缴费",
        "cancel_fee" => "撤销收费通知",
        "fee_overdue" => "逾期未缴费，终止办理",
        "classify" => "年报归类",
        "delivered" => "记录送达",
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
        case.apply(&Action::Accept { confirmed_on: None }).unwrap();
        case.apply(&Action::RequestCorrection { note: "请说明所需信息的年份".into(), on: day(4), until: day(18) }).unwrap();
        assert_eq!(case.state, State::AwaitingCorrection);
        assert!(case.apply(&Action::Extend { reason: "x".into(), on: day(5) }).is_err(), "no extension while awaiting 补正");
        case.apply(&Action::CorrectionReceived { on: day(20) }).unwrap();
        assert_eq!(case.clock.corrected_on, Some(day(20)));
        let again = case.apply(&Action::RequestCorrection { note: "再次".into(), on: day(21), until: day(28) }).unwrap_err();
        assert!(again.contains("告知补正"), "补正 is requested once: {again}");
        case.apply(&Action::Extend { reason: "信息量大".into(), on: day(21) }).unwrap();
        assert!(case.apply(&Action::Extend { reason: "again".into(), on: day(22) }).is_err(), "one extension only");
        let no_time = case.apply(&Action::ThirdPartyStarted { on: day(24), party: "某公司".into(), until: day(24), organ: false }).unwrap_err();
        assert_eq!(no_time, "意见期限（2025-03-24）应晚于征求意见日期（2025-03-24）");
        case.apply(&Action::ThirdPartyStarted { on: day(24), party: "某公司".into(), until: day(31), organ: false }).unwrap();
        assert!(case.apply(&Action::Reply { outcome: Some(Outcome::Disclosed), on: day(27), text: "x".into(), competent: None }).is_err());
        let early = case.apply(&Action::ThirdPartyAnswered { on: day(27), lapsed: true, organ: false }).unwrap_err();
        assert_eq!(early, "意见期限（2025-03-31）尚未届满，2025-03-27 不能记为第三方逾期未提出意见");
        case.apply(&Action::ThirdPartyAnswered { on: day(27), lapsed: false, organ: false }).unwrap();
        assert_eq!(case.clock.third_party, vec![Consultation { asked_on: day(24), answered_on: Some(day(27)), until: Some(day(31)), lapsed: false }]);
        let missing_outcome = case.apply(&Action::Reply { outcome: None, on: day(28), text: "答复".into(), competent: None }).unwrap_err();
        assert!(missing_outcome.contains("第三十六条"));
        let too_early = case.apply(&Action::Reply { outcome: Some(Outcome::PartlyDisclosed), on: day(2), text: "见附件".into(), competent: None }).unwrap_err();
        assert_eq!(too_early, "答复日期不能早于收到申请的日期");
        case.apply(&Action::Reply { outcome: Some(Outcome::PartlyDisclosed), on: day(28), text: "见附件".into(), competent: None }).unwrap();
        assert_eq!((case.state, case.outcome, case.concluded_on), (State::Replied, Some(Outcome::PartlyDisclosed), Some(day(28))));
        let notices = &case.notices;
        let correction = Notice { on: day(4), text: "请说明所需信息的年份".into(), until: Some(day(18)) };
        assert_eq!(notices.correction, Some(correction), "kept for the 补正告知书");
        assert_eq!(notices.extension, Some(Notice { on: day(21), text: "信息量大".into(), until: None }));
        assert_eq!(notices.third_parties, vec!["某公司".to_string()]);
        case.apply(&Action::Archive).unwrap();
        assert_eq!(case.available(), vec!["classify", "delivered", "note"]);
        case.apply(&Action::Classify { outcome: Outcome::ThirdPartyRights }).unwrap();
        assert_eq!((case.state, case.outcome), (State::Archived, Some(Outcome::ThirdPartyRights)));
        assert_eq!(case.notices.replied_as, Some(Outcome::PartlyDisclosed), "the 答复书 stays as sent");
    }

    #[test]
    fn an_application_sent_online_counts_as_received_the_day_the_office_confirms_it() {
        let mut online = Case::new(Kind::Apply, day(3));
        let early = online.apply(&Action::Accept { confirmed_on: Some(day(2)) }).unwrap_err();
        assert_eq!(early, "确认收到申请的日期不能早于申请提交的日期（2025-03-03）");
        online.apply(&Action::Accept { confirmed_on: Some(day(5)) }).unwrap();
        assert_eq!((online.state, online.clock.received_on), (State::InProgress, day(5)), "the clock starts at the confirmation");
        let mut posted = Case { channel: Channel::Post, ..Case::new(Kind::Apply, day(3)) };
        let refused = posted.apply(&Action::Accept { confirmed_on: Some(day(5)) }).unwrap_err();
        assert_eq!(refused, "邮寄的申请，收到申请日期在登记时已经确定");
        let mut opinion = Case::new(Kind::Opinion, day(3));
        assert_eq!(opinion.apply(&Action::Accept { confirmed_on: Some(day(5)) }).unwrap_err(), "只有政府信息公开申请需要确认收到申请的日期");
    }

    #[test]
    fn an_application_not_corrected_in_time_ends_as_correction_overdue() {
        let calendar = WorkCalendar::builtin();
        let mut case = Case::new(Kind::Apply, day(3));
        assert_eq!(case.lapses_on(&calendar), None);
        let none = case.apply(&Action::RequestCorrection { note: "请说明所需信息的年份".into(), on: day(4), until: day(4) }).unwrap_err();
        assert_eq!(none, "补正期限（2025-03-04）应晚于告知补正日期（2025-03-04）");
        // Until Friday 03-21: it lapses on Monday 03-24, the next working day.
        case.apply(&Action::RequestCorrection { note: "请说明所需信息的年份".into(), on: day(4), until: day(21) }).unwrap();
        assert_eq!(case.lapses_on(&calendar), Some(day(24)));
        assert_eq!(case.available(), vec!["correction_received", "extend_correction", "correction_overdue", "withdraw", "transfer", "note"]);
        let early = case.apply(&Action::CorrectionOverdue { on: day(21), text: "逾期未补正".into() }).unwrap_err();
        assert_eq!(early, "补正期限（2025-03-21）尚未届满，2025-03-21 不能以逾期未补正终止办理");
        case.apply(&Action::CorrectionOverdue { on: day(25), text: "逾期未补正，视为放弃申请".into() }).unwrap();
        assert_eq!(case.lapses_on(&calendar), None, "closed");
        // A correction signed for within the period but entered after the end reopens it.
        let late = case.clone().apply(&Action::CorrectionReceived { on: day(22) }).unwrap_err();
        assert_eq!(late, "补正期限（2025-03-21）之后收到的补正，申请已终止办理");
        let mut reopened = case.clone();
        reopened.apply(&Action::CorrectionReceived { on: day(21) }).unwrap();
        assert_eq!((reopened.state, reopened.outcome, reopened.concluded_on, reopened.clock.corrected_on), (State::InProgress, None, None, Some(day(21))));
        assert_eq!((reopened.reply_text, reopened.notices.replied_as), (None, None));
        assert_eq!((case.state, case.outcome, case.concluded_on), (State::Replied, Some(Outcome::CorrectionOverdue), Some(day(25))));
        // A notice sent before the hub kept its 补正期限 is closed by staff, on any day.
        let mut older = Case::new(Kind::Apply, day(3));
        older.state = State::AwaitingCorrection;
        older.notices.correction = Some(Notice { on: day(4), text: "x".into(), until: None });
        assert_eq!(older.lapses_on(&calendar), None);
        older.apply(&Action::CorrectionOverdue { on: day(5), text: "逾期未补正".into() }).unwrap();
        assert!(!older.available().contains(&"correction_received"), "without a known period it stays ended");
        let mut answered = Case::new(Kind::Apply, day(3));
        let refused = answered.apply(&Action::Reply { outcome: Some(Outcome::CorrectionOverdue), on: day(4), text: "x".into(), competent: None }).unwrap_err();
        assert!(refused.contains("待补正状态"), "{refused}");
    }

    #[test]
    fn an_answer_awaits_delivery_until_its_day_and_way_are_recorded() {
        let mut case = Case::new(Kind::Apply, day(3));
        case.apply(&Action::Accept { confirmed_on: None }).unwrap();
        assert!(!case.awaiting_delivery() && !case.available().contains(&"delivered"), "nothing to deliver before the answer");
        case.apply(&Action::Reply { outcome: Some(Outcome::Disclosed), on: day(10), text: "予以公开".into(), competent: None }).unwrap();
        assert!(case.awaiting_delivery());
        let refused = |case: &Case, on: u32, how: &str| case.clone().apply(&Action::Delivered { on: day(on), how: how.into() }).unwrap_err();
        assert_eq!(refused(&case, 12, "托人带话"), "送达方式：请选择");
        assert_eq!(refused(&case, 7, "邮寄送达"), "送达日期不能早于答复日期（2025-03-10）");
        case.apply(&Action::Archive).unwrap();
        assert!(case.awaiting_delivery(), "archived, still marked");
        case.apply(&Action::Delivered { on: day(12), how: "邮寄送达".into() }).unwrap();
        assert_eq!(case.notices.delivered, Some(Notice { on: day(12), text: "邮寄送达".into(), until: None }));
        assert!(!case.available().contains(&"delivered"), "recorded once");
        // An application ended for want of 补正 and reopened by a correction in time is
        // answered, and delivered, again.
        let mut lapsed = Case::new(Kind::Apply, day(3));
        lapsed.apply(&Action::RequestCorrection { note: "请说明年份".into(), on: day(4), until: day(21) }).unwrap();
        lapsed.apply(&Action::CorrectionOverdue { on: day(24), text: "逾期未补正".into() }).unwrap();
        assert!(lapsed.awaiting_delivery(), "the hub's ending is delivered too");
        lapsed.apply(&Action::Delivered { on: day(25), how: "邮寄送达".into() }).unwrap();
        lapsed.apply(&Action::CorrectionReceived { on: day(21) }).unwrap();
        assert_eq!((lapsed.notices.delivered.clone(), lapsed.awaiting_delivery()), (None, false));
    }

    #[test]
    fn a_correction_period_extended_for_a_reason_lapses_after_the_new_one() {
        let calendar = WorkCalendar::builtin();
        let mut case = Case::new(Kind::Apply, day(3));
        case.apply(&Action::RequestCorrection { note: "请说明所需信息的年份".into(), on: day(4), until: day(21) }).unwrap();
        let extend = |on: u32, until: u32, reason: &str| Action::ExtendCorrection { on: day(on), until: day(until), reason: reason.into() };
        let refused = |case: &Case, action: Action| case.clone().apply(&action).unwrap_err();
        assert_eq!(refused(&case, extend(10, 28, " ")), "请填写延长补正期限的理由");
        assert_eq!(refused(&case, extend(3, 28, "需向原单位调取材料")), "延长补正期限的日期不能早于告知补正日期（2025-03-04）");
        assert_eq!(refused(&case, extend(10, 21, "需向原单位调取材料")), "新的补正期限应晚于现在的补正期限（2025-03-21）");
        let mut unknown = case.clone();
        unknown.notices.correction.as_mut().unwrap().until = None;
        assert_eq!(refused(&unknown, extend(24, 24, "需向原单位调取材料")), "新的补正期限（2025-03-24）应晚于同意延长的日期（2025-03-24）", "a notice sent before periods were kept");
        case.apply(&extend(20, 28, "需向原单位调取材料")).unwrap();
        assert_eq!((case.state, case.correction_until()), (State::AwaitingCorrection, Some(day(28))));
        // Until Friday 03-28: it lapses on Monday 03-31.
        assert_eq!(case.lapses_on(&calendar), Some(day(31)));
        assert_eq!(case.notices.correction.as_ref().unwrap().until, Some(day(21)), "the 补正告知书 keeps the period it gave");
        assert_eq!(refused(&case, extend(24, 28, "再次说明")), "新的补正期限应晚于现在的补正期限（2025-03-28）");
        let early = case.clone().apply(&Action::CorrectionOverdue { on: day(25), text: "逾期未补正".into() }).unwrap_err();
        assert!(early.contains("尚未届满"), "{early}");
        case.apply(&Action::CorrectionReceived { on: day(27) }).unwrap();
        assert_eq!((case.state, case.clock.corrected_on), (State::InProgress, Some(day(27))));
        assert!(!case.available().contains(&"extend_correction"));
    }

    #[test]
    fn another_organ_silent_past_its_period_is_taken_to_consent() {
        let mut case = Case::new(Kind::Apply, day(3));
        case.apply(&Action::Accept { confirmed_on: None }).unwrap();
        case.apply(&Action::ThirdPartyStarted { on: day(4), party: "某公司".into(), until: day(10), organ: false }).unwrap();
        case.apply(&Action::ThirdPartyAnswered { on: day(5), lapsed: false, organ: false }).unwrap();
        assert!(case.available().contains(&"organ_consulted"));
        case.apply(&Action::ThirdPartyStarted { on: day(6), party: "区住建局".into(), until: day(27), organ: true }).unwrap();
        assert_eq!((case.consults_organ(0), case.consults_organ(1)), (false, true));
        assert!(!case.available().contains(&"reply") && !case.available().contains(&"organ_consulted"), "waiting for the organ");
        let early = case.apply(&Action::ThirdPartyAnswered { on: day(27), lapsed: true, organ: true }).unwrap_err();
        assert!(early.contains("意见期限（2025-03-27）尚未届满"), "{early}");
        let mistaken = case.apply(&Action::ThirdPartyAnswered { on: day(28), lapsed: true, organ: false }).unwrap_err();
        assert_eq!(mistaken, "这次征求的是其他机关的意见");
        let lapsed = Action::ThirdPartyAnswered { on: day(28), lapsed: true, organ: true };
        case.apply(&lapsed).unwrap();
        assert_eq!(lapsed.describe(), "2025-03-28 其他机关逾期未提出意见，视为同意公开（条例第三十四条）");
        assert!(case.available().contains(&"reply"));
        assert_eq!(case.clock.third_party.len(), case.notices.third_parties.len());
    }

    #[test]
    fn a_third_party_silent_past_its_period_leaves_the_decision_to_the_office() {
        let mut case = Case::new(Kind::Apply, day(3));
        case.apply(&Action::Accept { confirmed_on: None }).unwrap();
        case.apply(&Action::ThirdPartyStarted { on: day(4), party: "某公司".into(), until: day(10), organ: false }).unwrap();
        assert!(!case.available().contains(&"reply"), "waiting for the third party");
        case.apply(&Action::ThirdPartyAnswered { on: day(11), lapsed: true, organ: false }).unwrap();
        assert!(case.available().contains(&"reply"));
        let told = Action::ThirdPartyAnswered { on: day(11), lapsed: true, organ: false }.describe();
        assert_eq!(told, "2025-03-11 第三方逾期未提出意见，由本机关依照条例决定是否公开");
    }

    #[test]
    fn a_fee_notice_waits_for_payment_within_its_period() {
        let mut case = Case::new(Kind::Apply, day(3));
        case.apply(&Action::Accept { confirmed_on: None }).unwrap();
        let notice = |units: u32| Action::NotifyFee { on: day(4), basis: Basis::Count, units, until: day(21) };
        let free = case.apply(&notice(10)).unwrap_err();
        assert_eq!(free, "按件计收：当月第 10 件，依照国办函〔2020〕109号不收费");
        case.apply(&notice(11)).unwrap();
        assert_eq!((case.state, case.notices.fee.as_ref().map(|f| f.amount)), (State::AwaitingPayment, Some(100)));
        assert_eq!(case.available(), vec!["fee_paid", "fee_overdue", "cancel_fee", "withdraw", "transfer", "note"], "no answer before the fee is paid");
        let mut mistaken = case.clone();
        assert_eq!(mistaken.apply(&Action::CancelFee { reason: " ".into() }).unwrap_err(), "请填写撤销理由");
        mistaken.apply(&Action::CancelFee { reason: "页数有误".into() }).unwrap();
        assert_eq!((mistaken.state, mistaken.notices.fee.clone(), mistaken.clock.fee), (State::InProgress, None, None));
        assert!(mistaken.available().contains(&"notify_fee"), "a new notice may be sent");
        assert!(case.apply(&Action::FeeOverdue { on: day(21), text: "x".into() }).unwrap_err().contains("尚未届满"));
        let late = case.clone().apply(&Action::FeePaid { on: day(24) }).unwrap_err();
        assert_eq!(late, "缴费日期晚于缴费期限（2025-03-21）：逾期未缴费的，视为放弃申请");
        let mut unpaid = case.clone();
        unpaid.apply(&Action::FeeOverdue { on: day(24), text: "逾期未缴费".into() }).unwrap();
        assert_eq!((unpaid.state, unpaid.outcome), (State::Replied, Some(Outcome::FeeOverdue)));
        // Paid on the last day, entered after the end: handled after all.
        unpaid.apply(&Action::FeePaid { on: day(21) }).unwrap();
        assert_eq!((unpaid.state, unpaid.outcome, unpaid.concluded_on), (State::InProgress, None, None));
        case.apply(&Action::FeePaid { on: day(20) }).unwrap();
        assert_eq!(case.state, State::InProgress);
        assert!(!case.available().contains(&"notify_fee"), "one notice an application");
        assert!(case.available().contains(&"reply"));
    }

    #[test]
    fn a_withdrawn_application_is_counted_as_other_handling_on_its_day() {
        let mut case = Case::new(Kind::Apply, day(3));
        case.apply(&Action::Withdraw { note: "申请人来电撤回".into(), on: day(5) }).unwrap();
        assert_eq!((case.state, case.outcome, case.concluded_on), (State::Withdrawn, Some(Outcome::Other), Some(day(5))));
        case.apply(&Action::Archive).unwrap();
        assert!(!case.available().contains(&"classify"), "a withdrawal is not an answer to classify");
    }

    #[test]
    fn opinions_have_no_statutory_steps() {
        let mut case = Case::new(Kind::Opinion, day(3));
        assert!(!case.available().contains(&"request_correction"));
        assert!(case.apply(&Action::Extend { reason: "x".into(), on: day(5) }).is_err());
        case.apply(&Action::Reply { outcome: Some(Outcome::Disclosed), on: day(4), text: "感谢您的建议".into(), competent: None }).unwrap();
        assert_eq!((case.state, case.outcome), (State::Replied, None), "only applications are counted in the report");
        assert!(!case.available().contains(&"classify"));
    }

    #[test]
    fn names_round_trip() {
        for state in State::ALL {
            assert_eq!(State::parse(state.as_str()), Some(state));
        }
        assert_eq!(State::parse("'; DROP TABLE x"), None);
    }
}
