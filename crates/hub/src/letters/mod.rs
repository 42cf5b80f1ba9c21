//! 文书: the letters an application's steps send, filled in from the case with the office's
//! wording (`templates`) and written as an A4 PDF with the shipped font embedded as a subset
//! (the kiosk's print layout, `gongkai_core::print`).

pub mod templates;

use chrono::NaiveDate;
use gongkai_core::print::{
    Block, Printable, chinese_date,
    pdf::{self, Fonts, Imprint, Pdf},
};

use crate::submissions::{
    calendar::WorkCalendar,
    channel::Channel,
    deadline::{Clock, Consultation},
    form::Kind as FormKind,
    outcome::{Outcome, Section},
    store::Submission,
    workflow::{Case, State},
};
use crate::organs::Organs;
use templates::{APPLICANT_ONLY, COMMON, COMPETENT_ORGAN, OUTCOME_PARAGRAPH, REMEDY, Templates, fill};

/// The kinds of letter, each with its template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 登记回执: the application is registered, with its 查询码 and due date.
    Receipt,
    /// 补正告知书 (第三十条).
    Correction,
    /// 延期答复告知书 (第三十三条第二款).
    Extension,
    /// 征求第三方意见书 (第三十二条).
    ThirdParty,
    /// 征求其他机关意见书, to another organ that made the information (第三十四条).
    OrganConsultation,
    /// 收费通知书 (第四十二条, 国办函〔2020〕109号).
    Fee,
    /// 政府信息公开申请答复书, worded by the outcome.
    Reply,
}

impl Kind {
    pub const ALL: [Kind; 7] = [Kind::Receipt, Kind::Correction, Kind::Extension, Kind::ThirdParty, Kind::OrganConsultation, Kind::Fee, Kind::Reply];

    /// Its table in `letters.toml`.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Receipt => "receipt",
            Kind::Correction => "correction",
            Kind::Extension => "extension",
            Kind::ThirdParty => "third_party",
            Kind::OrganConsultation => "organ_consultation",
            Kind::Fee => "fee",
            Kind::Reply => "reply",
        }
    }

    /// The placeholders its template may use. A consultation names nothing of the applicant,
    /// not even the 查询码 that opens the case's status page.
    pub fn placeholders(self) -> Vec<&'static str> {
        let own: &[&str] = match self {
            Kind::Receipt => &["提交方式", "答复期限"],
            Kind::Correction => &["补正内容", "补正期限"],
            Kind::Extension => &["延期理由", "答复期限"],
            Kind::ThirdParty => &["第三方", "意见期限"],
            Kind::OrganConsultation => &["被征求意见机关", "意见期限"],
            Kind::Fee => &["收费方式", "计费依据", "收费金额", "缴费期限"],
            Kind::Reply => &[OUTCOME_PARAGRAPH, "答复内容", REMEDY],
        };
        let common = COMMON.iter().filter(|name| !self.consults() || !APPLICANT_ONLY.contains(name));
        common.chain(own).copied().collect()
    }
}

impl Kind {
    /// A letter asking a third party or another organ: one per consultation.
    pub fn consults(self) -> bool {
        matches!(self, Kind::ThirdParty | Kind::OrganConsultation)
    }
}

/// One letter of one case: a consultation's letter is one per consultation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Letter {
    pub kind: Kind,
    /// Which consultation, from 0, for a consultation's letter.
    pub consultation: usize,
}

impl Letter {
    fn of(kind: Kind) -> Letter {
        Letter { kind, consultation: 0 }
    }

    /// The letters `submission` has sent so far: none but for a 政府信息公开申请.
    pub fn available(submission: &Submission) -> Vec<Letter> {
        let case = &submission.case;
        if case.kind != FormKind::Apply {
            return Vec::new();
        }
        // An application sent online is received the day 受理 confirms it: its 回执 waits for that day.
        let mut letters = Vec::new();
        if case.channel != Channel::Online || case.state != State::Registered {
            letters.push(Letter::of(Kind::Receipt));
        }
        if case.notices.correction.is_some() {
            letters.push(Letter::of(Kind::Correction));
        }
        if case.notices.extension.is_some() {
            letters.push(Letter::of(Kind::Extension));
        }
        let consultations = case.clock.third_party.len().min(case.notices.third_parties.len());
        letters.extend((0..consultations).map(|consultation| {
            let kind = if case.consults_organ(consultation) { Kind::OrganConsultation } else { Kind::ThirdParty };
            Letter { kind, consultation }
        }));
        if case.notices.fee.is_some() {
            letters.push(Letter::of(Kind::Fee));
        }
        if case.outcome.is_some() && case.reply_text.is_some() {
            letters.push(Letter::of(Kind::Reply));
        }
        letters
    }

    /// Its name in a URL: `reply`, `third_party-2`, `organ_consultation-3`.
    pub fn slug(self) -> String {
        match self.kind {
            kind if kind.consults() => format!("{}-{}", kind.key(), self.consultation + 1),
            kind => kind.key().to_string(),
        }
    }

    pub fn parse(slug: &str) -> Option<Letter> {
        for kind in Kind::ALL.into_iter().filter(|kind| kind.consults()) {
            if let Some(n) = slug.strip_prefix(kind.key()).and_then(|rest| rest.strip_prefix('-')) {
                let n: usize = n.parse().ok()?;
                return n.checked_sub(1).map(|consultation| Letter { kind, consultation });
            }
        }
        Kind::ALL.into_iter().find(|k| !k.consults() && k.key() == slug).map(Letter::of)
    }
}

/// What a letter is filled from besides the case.
pub struct Office<'a> {
    pub templates: &'a Templates,
    pub calendar: &'a WorkCalendar,
    /// The case's organ signs its letters.
    pub organs: &'a Organs,
}

/// `letter` of `submission` as a printable page: `None` when the case has not sent it.
pub fn compose(letter: Letter, submission: &Submission, office: &Office) -> Option<Printable> {
    if !Letter::available(submission).contains(&letter) {
        return None;
    }
    let case = &submission.case;
    let (calendar, templates) = (office.calendar, office.templates);
    // A letter sent before the case was handed on stays signed by the organ that sent it.
    let issuer = &office.organs.or_receiving(signer(letter, case)).details;
    let mut values: Vec<(&str, String)> = vec![
        ("申请人", submission.fields.get("name").unwrap_or_default().to_string()),
        ("查询码", submission.code.as_str().to_string()),
        ("收到日期", chinese_date(case.clock.received_on)),
        ("所需信息", information_asked(submission)),
        ("机关", issuer.name.clone()),
        ("机关地址", issuer.address.clone()),
        ("联系电话", issuer.phone.clone()),
    ];
    let notices = &case.notices;
    let dated = match letter.kind {
        Kind::Receipt => {
            let clock = Clock { received_on: case.clock.received_on, ..Clock::default() };
            values.push(("提交方式", case.channel.label().to_string()));
            values.push(("答复期限", chinese_date(clock.due_on(calendar, clock.received_on))));
            case.clock.received_on
        }
        Kind::Correction => {
            let notice = notices.correction.as_ref()?;
            values.push(("补正内容", notice.text.clone()));
            values.push(("补正期限", period(notice.until, "告知书")));
            notice.on
        }
        Kind::Extension => {
            let notice = notices.extension.as_ref()?;
            values.push(("延期理由", notice.text.clone()));
            values.push(("答复期限", chinese_date(due_as_of(&case.clock, calendar, notice.on))));
            notice.on
        }
        Kind::ThirdParty | Kind::OrganConsultation => {
            let consultation = case.clock.third_party.get(letter.consultation)?;
            let addressee = if letter.kind == Kind::ThirdParty { "第三方" } else { "被征求意见机关" };
            values.push((addressee, notices.third_parties.get(letter.consultation)?.clone()));
            values.push(("意见期限", period(consultation.until, "意见书")));
            consultation.asked_on
        }
        Kind::Fee => {
            let fee = notices.fee.as_ref()?;
            values.push(("收费方式", fee.basis.label().to_string()));
            values.push(("计费依据", fee.basis.describe(fee.units, case.clock.received_on)));
            values.push(("收费金额", format!("{} 元", fee.amount)));
            values.push(("缴费期限", period(Some(fee.until), "通知书")));
            fee.on
        }
        Kind::Reply => {
            // As answered: a later 年报归类 moves the report's row, not what was sent.
            let outcome = notices.replied_as.or(case.outcome)?;
            let remedy = ["复议机关", "管辖法院"].into_iter().zip([issuer.review_organ.clone(), issuer.court.clone()]);
            let with_remedy: Vec<(&str, String)> = values.iter().cloned().chain(remedy).collect();
            values.push((REMEDY, fill(templates.remedy(review_first(outcome)), &with_remedy)));
            let competent = match &notices.competent {
                Some(organ) => format!("负责公开该政府信息的行政机关为{}，{}。", organ.name, organ.contact),
                None => "本机关无法确定负责公开该政府信息的行政机关。".to_string(),
            };
            let with_competent: Vec<(&str, String)> = values.iter().cloned().chain([(COMPETENT_ORGAN, competent)]).collect();
            values.push((OUTCOME_PARAGRAPH, fill(templates.outcome_paragraph(outcome), &with_competent)));
            values.push(("答复内容", case.reply_text.clone()?));
            case.concluded_on?
        }
    };
    let allowed = letter.kind.placeholders();
    values.retain(|(name, _)| allowed.contains(name));
    let template = templates.template(letter.kind);
    let mut blocks = vec![Block::Line(fill(&template.greeting, &values))];
    let body = fill(&template.body, &values);
    blocks.extend(body.lines().map(str::trim).filter(|line| !line.is_empty()).map(|line| Block::Paragraph(line.to_string())));
    blocks.push(Block::Signature(vec![issuer.name.clone(), chinese_date(dated)]));
    Some(Printable { title: template.title.clone(), header: vec![reference(letter, submission)], facts: Vec::new(), blocks })
}

/// The id of the organ that signs `letter` of `case`.
pub fn signer<'a>(letter: Letter, case: &'a Case) -> &'a str {
    case.notices.signed_by.get(&letter.slug()).unwrap_or(&case.organ)
}

/// What each page's header names the letter by: the 查询码, but for a party consulted, who
/// gets a number that opens nothing.
pub fn reference(letter: Letter, submission: &Submission) -> (String, String) {
    match letter.kind {
        kind if kind.consults() => ("编号".to_string(), format!("{}-{}", submission.id, letter.consultation + 1)),
        _ => ("查询码".to_string(), submission.code.as_str().to_string()),
    }
}

/// Whether an applicant who disputes this answer must apply for 行政复议 before suing: an
/// application not granted in whole or in part (《行政复议法》第二十三条第一款第四项).
fn review_first(outcome: Outcome) -> bool {
    matches!(outcome.section(), Section::Withheld | Section::PartlyDisclosed)
}

/// `letter` of `submission` as a PDF printed `today`, `None` when the case has not sent it, or
/// why the PDF could not be written.
pub fn render(letter: Letter, submission: &Submission, office: &Office, fonts: &Fonts, today: NaiveDate) -> Option<Result<Pdf, String>> {
    let printable = compose(letter, submission, office)?;
    let imprint = Imprint { hall: &office.organs.or_receiving(signer(letter, &submission.case)).details.name, printed_on: today };
    Some(pdf::make(&printable, &imprint, fonts).map_err(|e| format!("{e:#}")))
}

/// What the applicant asked for, from the form's 名称, 文号 and 特征描述.
fn information_asked(submission: &Submission) -> String {
    let field = |name: &str| submission.fields.get(name).map(str::trim).filter(|v| !v.is_empty());
    let mut parts = Vec::new();
    if let Some(title) = field("info_title") {
        parts.push(format!("“{title}”"));
    }
    if let Some(number) = field("info_doc_no") {
        parts.push(format!("文号{number}"));
    }
    if let Some(description) = field("info_description") {
        parts.push(description.to_string());
    }
    parts.join("，")
}

/// The period a letter gives, as its sentence needs it: “请您于{补正期限}提交”. A notice kept
/// before the hub recorded the date gave 15 working days from receiving the `letter`.
fn period(until: Option<NaiveDate>, letter: &str) -> String {
    match until {
        Some(day) => format!("{}前（含当日）", chinese_date(day)),
        None => format!("收到本{letter}之日起 15 个工作日内"),
    }
}

/// The due date as an extension told on `on` stated it: consultations count as far as they
/// had gone by then, so the letter says the same whenever it is printed.
fn due_as_of(clock: &Clock, calendar: &WorkCalendar, on: NaiveDate) -> NaiveDate {
    let mut then = clock.clone();
    then.third_party = clock
        .third_party
        .iter()
        .filter(|consultation| consultation.asked_on <= on)
        .map(|consultation| Consultation { answered_on: Some(consultation.answered_on.map_or(on, |day| day.min(on))), ..*consultation })
        .collect();
    then.due_on(calendar, on)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_extensions_due_date_is_the_one_it_stated_the_day_it_was_told() {
        let calendar = WorkCalendar::builtin();
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        // Told on the 12th, while a consultation begun on the 9th was open; answered on the 20th.
        let asked = |answered: u32| Consultation { asked_on: day(9), answered_on: Some(day(answered)), until: Some(day(30)), lapsed: false };
        let clock = Clock { received_on: day(2), corrected_on: None, extended: true, third_party: vec![asked(20)], fee: None };
        let stated = Clock { third_party: vec![asked(12)], ..clock.clone() }.due_on(&calendar, day(12));
        assert_eq!(due_as_of(&clock, &calendar, day(12)), stated);
        assert!(stated < clock.due_on(&calendar, day(30)), "the later answer moves the case's due date, not the letter's");
    }

    #[test]
    fn slugs_round_trip_and_strangers_are_refused() {
        let consultation = |kind: Kind| Letter { kind, consultation: 2 };
        for letter in [Letter::of(Kind::Receipt), Letter::of(Kind::Reply), consultation(Kind::ThirdParty), consultation(Kind::OrganConsultation)] {
            assert_eq!(Letter::parse(&letter.slug()), Some(letter));
        }
        assert_eq!(Letter { kind: Kind::ThirdParty, consultation: 0 }.slug(), "third_party-1");
        assert_eq!(consultation(Kind::OrganConsultation).slug(), "organ_consultation-3");
        for stranger in ["third_party", "third_party-0", "third_party-x", "organ_consultation", "third_party3", "../reply", "REPLY", ""] {
            assert_eq!(Letter::parse(stranger), None, "{stranger}");
        }
    }
}
