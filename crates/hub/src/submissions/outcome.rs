//! How a 政府信息公开申请 ended, as the annual report counts it: one row of its section 三
//! (国办公开办函〔2021〕30号), each with the reply of 条例第三十六条 (or the article it rests
//! on) that the applicant receives. 予以公开 and 本机关不掌握 each hold two replies, told apart
//! here because the applicant is told different things.

use serde::{Deserialize, Serialize};

/// The groups of section 三, （一） to （六）.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Disclosed,
    PartlyDisclosed,
    Withheld,
    CannotProvide,
    NotProcessed,
    OtherHandling,
}

impl Section {
    pub const ALL: [Section; 6] =
        [Section::Disclosed, Section::PartlyDisclosed, Section::Withheld, Section::CannotProvide, Section::NotProcessed, Section::OtherHandling];

    /// As the report heads its row or group.
    pub fn label(self) -> &'static str {
        match self {
            Section::Disclosed => "（一）予以公开",
            Section::PartlyDisclosed => "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            Section::Withheld => "（三）不予公开",
            Section::CannotProvide => "（四）无法提供",
            Section::NotProcessed => "（五）不予处理",
            Section::OtherHandling => "（六）其他处理",
        }
    }

    /// The group's name without its number.
    pub fn name(self) -> &'static str {
        match self {
            Section::Disclosed => "予以公开",
            Section::PartlyDisclosed => "部分公开",
            Section::Withheld => "不予公开",
            Section::CannotProvide => "无法提供",
            Section::NotProcessed => "不予处理",
            Section::OtherHandling => "其他处理",
        }
    }

    /// The outcomes counted in this group, in report order.
    pub fn outcomes(self) -> impl Iterator<Item = Outcome> {
        Outcome::ALL.into_iter().filter(move |o| o.section() == self)
    }
}

/// Kept as `as_str` names it, in the database and in a case's notices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Disclosed,
    AlreadyPublic,
    PartlyDisclosed,
    StateSecret,
    ForbiddenByLaw,
    EndangersSecurity,
    ThirdPartyRights,
    InternalAffairs,
    ProcessInformation,
    EnforcementFiles,
    AdministrativeQuery,
    NotHeld,
    NotThisOrgan,
    NeedsCreating,
    StillUnclear,
    Petition,
    Repeated,
    Publication,
    Excessive,
    Confirmation,
    CorrectionOverdue,
    FeeOverdue,
    Other,
}

/// What the report and the reply say of one outcome.
struct Wording {
    name: &'static str,
    section: Section,
    /// The numbered row within its group, as the report prints it; empty for a group counted
    /// as one row.
    row: &'static str,
    /// What the applicant is told and the article it rests on, for staff choosing it.
    reply: &'static str,
}

/// Tells apart the two outcomes counted in one row.
fn variant(outcome: Outcome) -> Option<&'static str> {
    match outcome {
        Outcome::AlreadyPublic => Some("已主动公开"),
        Outcome::NotHeld => Some("经检索没有"),
        Outcome::NotThisOrgan => Some("非本机关负责公开"),
        _ => None,
    }
}

impl Outcome {
    pub const ALL: [Outcome; 23] = [
        Outcome::Disclosed,
        Outcome::AlreadyPublic,
        Outcome::PartlyDisclosed,
        Outcome::StateSecret,
        Outcome::ForbiddenByLaw,
        Outcome::EndangersSecurity,
        Outcome::ThirdPartyRights,
        Outcome::InternalAffairs,
        Outcome::ProcessInformation,
        Outcome::EnforcementFiles,
        Outcome::AdministrativeQuery,
        Outcome::NotHeld,
        Outcome::NotThisOrgan,
        Outcome::NeedsCreating,
        Outcome::StillUnclear,
        Outcome::Petition,
        Outcome::Repeated,
        Outcome::Publication,
        Outcome::Excessive,
        Outcome::Confirmation,
        Outcome::CorrectionOverdue,
        Outcome::FeeOverdue,
        Outcome::Other,
    ];

    fn wording(self) -> Wording {
        use Section::*;
        let (name, section, row, reply) = match self {
            Outcome::Disclosed => ("disclosed", Disclosed, "", "予以公开，告知获取的方式、途径和时间（第三十六条第二项）"),
            Outcome::AlreadyPublic => ("already_public", Disclosed, "", "已主动公开，告知获取的方式、途径（第三十六条第一项）"),
            Outcome::PartlyDisclosed => ("partly_disclosed", PartlyDisclosed, "", "部分公开，对不予公开的部分说明理由（第三十七条）"),
            Outcome::StateSecret => ("state_secret", Withheld, "1.属于国家秘密", "不予公开并说明理由（第十四条、第三十六条第三项）"),
            Outcome::ForbiddenByLaw => ("forbidden_by_law", Withheld, "2.其他法律行政法规禁止公开", "不予公开并说明理由（第十四条、第三十六条第三项）"),
            Outcome::EndangersSecurity => ("endangers_security", Withheld, "3.危及“三安全一稳定”", "不予公开并说明理由（第十四条、第三十六条第三项）"),
            Outcome::ThirdPartyRights => ("third_party_rights", Withheld, "4.保护第三方合法权益", "不予公开并说明理由（第十五条、第三十二条、第三十六条第三项）"),
            Outcome::InternalAffairs => ("internal_affairs", Withheld, "5.属于三类内部事务信息", "不予公开并说明理由（第十六条第一款、第三十六条第三项）"),
            Outcome::ProcessInformation => ("process_information", Withheld, "6.属于四类过程性信息", "不予公开并说明理由（第十六条第二款、第三十六条第三项）"),
            Outcome::EnforcementFiles => ("enforcement_files", Withheld, "7.属于行政执法案卷", "不予公开并说明理由（第十六条第二款、第三十六条第三项）"),
            Outcome::AdministrativeQuery => ("administrative_query", Withheld, "8.属于行政查询事项", "告知按有关法律、行政法规的规定办理（第三十六条第七项）"),
            Outcome::NotHeld => ("not_held", CannotProvide, "1.本机关不掌握相关政府信息", "经检索没有所申请公开的信息，告知该政府信息不存在（第三十六条第四项）"),
            Outcome::NotThisOrgan => ("not_this_organ", CannotProvide, "1.本机关不掌握相关政府信息", "不属于本机关负责公开，告知负责公开的机关及其联系方式（第三十六条第五项）"),
            Outcome::NeedsCreating => ("needs_creating", CannotProvide, "2.没有现成信息需要另行制作", "需要另行制作或加工、分析，不予提供（第三十八条）"),
            Outcome::StillUnclear => ("still_unclear", CannotProvide, "3.补正后申请内容仍不明确", "补正后申请内容仍不明确，无法提供（第二十九条、第三十条）"),
            Outcome::Petition => ("petition", NotProcessed, "1.信访举报投诉类申请", "告知通过相应渠道提出，不作为政府信息公开申请处理（第三十九条第一款）"),
            Outcome::Repeated => ("repeated", NotProcessed, "2.重复申请", "重复申请，告知不予重复处理（第三十六条第六项）"),
            Outcome::Publication => ("publication", NotProcessed, "3.要求提供公开出版物", "要求提供公开出版物，告知获取途径，不予处理（第三十九条第二款）"),
            Outcome::Excessive => ("excessive", NotProcessed, "4.无正当理由大量反复申请", "申请数量、频次明显超过合理范围，不予处理（第三十五条）"),
            Outcome::Confirmation => ("confirmation", NotProcessed, "5.要求行政机关确认或重新出具已获取信息", "要求确认或重新出具已获取的信息，不作为政府信息公开申请处理（第二条）"),
            Outcome::CorrectionOverdue => ("correction_overdue", OtherHandling, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "逾期未补正，视为放弃申请（第三十条）"),
            Outcome::FeeOverdue => ("fee_overdue", OtherHandling, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "逾期未按收费通知缴纳信息处理费，不再处理（第四十二条、国办函〔2020〕109号）"),
            Outcome::Other => ("other", OtherHandling, "3.其他", "其他处理，告知申请人处理结果（如申请人撤回申请）"),
        };
        Wording { name, section, row, reply }
    }

    pub fn section(self) -> Section {
        self.wording().section
    }

    /// The report's row in a line of text, with what tells apart two outcomes of one row:
    /// `不予公开·属于国家秘密`, `予以公开（已主动公开）`.
    pub fn report_row(self) -> String {
        let Wording { section, row, .. } = self.wording();
        let row = match row.split_once('.') {
            Some((_, text)) => format!("{}·{text}", section.name()),
            None => section.name().to_string(),
        };
        match variant(self) {
            Some(variant) => format!("{row}（{variant}）"),
            None => row,
        }
    }

    /// The reply the applicant receives and its article, for staff.
    pub fn reply(self) -> &'static str {
        self.wording().reply
    }

    /// What the applicant reads of it on the status page: the kind of answer, without the
    /// office's reasons (those are in the reply itself).
    pub fn for_applicant(self) -> &'static str {
        match self {
            Outcome::AlreadyPublic | Outcome::NotThisOrgan => variant(self).unwrap_or_default(),
            Outcome::AdministrativeQuery => "按有关法律、行政法规的规定办理",
            _ => self.section().name(),
        }
    }

    /// The report row as listed in the group it belongs to (`1.属于国家秘密`), or the group.
    pub fn row_label(self) -> &'static str {
        let Wording { section, row, .. } = self.wording();
        if row.is_empty() { section.label() } else { row }
    }

    pub fn as_str(self) -> &'static str {
        self.wording().name
    }

    pub fn parse(text: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_of_section_three_has_an_outcome_in_report_order() {
        let rows: Vec<(Section, &str)> = Outcome::ALL.iter().map(|o| (o.section(), o.row_label())).collect();
        let mut deduplicated = rows.clone();
        deduplicated.dedup();
        assert_eq!(deduplicated.len(), 21, "three groups of one row, and 8 + 3 + 5 + 3 numbered rows");
        let mut sorted = deduplicated.clone();
        sorted.sort_by_key(|(section, _)| *section);
        assert_eq!(sorted, deduplicated, "grouped in the report's order");
        for section in Section::ALL {
            let mut numbers: Vec<&str> = section.outcomes().filter_map(|o| o.row_label().split_once('.')).map(|(n, _)| n).collect();
            numbers.dedup();
            let expected: Vec<String> = (1..=numbers.len()).map(|n| n.to_string()).collect();
            assert_eq!(numbers, expected, "{section:?} numbers its rows from 1");
        }
    }

    #[test]
    fn names_round_trip_and_replies_name_their_article() {
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::parse(outcome.as_str()), Some(outcome));
            assert_eq!(serde_json::to_value(outcome).unwrap(), outcome.as_str(), "one name, wherever it is kept");
            // What rests on no one article (a withdrawal) says so by not naming one.
            let names_article = outcome.reply().ends_with('）') && outcome.reply().contains("（第");
            assert_eq!(names_article, outcome != Outcome::Other, "{outcome:?}");
        }
        assert_eq!(Outcome::parse("not_disclosed"), None, "the old reply type is reclassified by staff");
        assert_eq!(Outcome::StateSecret.report_row(), "不予公开·属于国家秘密");
        assert_eq!(Outcome::AlreadyPublic.report_row(), "予以公开（已主动公开）");
        let rows: std::collections::HashSet<String> = Outcome::ALL.iter().map(|o| o.report_row()).collect();
        assert_eq!(rows.len(), Outcome::ALL.len(), "each outcome is told apart in a line");
    }
}
