//! `letters.toml`: the wording of each 文书, which the office may edit. Every placeholder
//! (`{申请人}`) is checked when the hub starts, so no letter goes out with a hole in it, and
//! every outcome of the annual report has its paragraph of the 答复书.

use std::{collections::BTreeMap, fs, path::Path};

use serde::Deserialize;

use super::Kind;
use crate::submissions::outcome::Outcome;

/// The placeholders every letter fills (but a third party's: see `APPLICANT_ONLY`).
pub const COMMON: [&str; 7] = ["申请人", "查询码", "收到日期", "所需信息", "机关", "机关地址", "联系电话"];

/// What names the applicant or opens the case, kept from a third party.
pub const APPLICANT_ONLY: [&str; 2] = ["申请人", "查询码"];

/// The outcome's paragraph, put into the 答复书 in place of this placeholder.
pub const OUTCOME_PARAGRAPH: &str = "答复意见";

/// The applicant's remedies, put into the 答复书 in place of this placeholder: the paragraph
/// for the outcome (`remedy` or `remedy_review_first`).
pub const REMEDY: &str = "救济途径";

/// What the paragraph for `Outcome::NotThisOrgan` may name besides `COMMON`: the organ that
/// is responsible, with its contact (条例第三十六条第五项).
pub const COMPETENT_ORGAN: &str = "负责公开的机关";

/// What the remedy paragraphs may name besides `COMMON`.
const REMEDY_PLACES: [&str; 2] = ["复议机关", "管辖法院"];

/// The shipped `hub-config/letters.toml`.
const SHIPPED: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../hub-config/letters.toml"));

/// The letters a letters file may leave out, written later than the others: the shipped
/// wording is used for them.
const OPTIONAL: [&str; 2] = ["fee", "organ_consultation"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LettersFile {
    issuer: Issuer,
    receipt: Template,
    correction: Template,
    extension: Template,
    third_party: Template,
    /// Optional (`OPTIONAL`), so that a letters file written before these letters still serves.
    fee: Option<Template>,
    organ_consultation: Option<Template>,
    reply: ReplyFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplyFile {
    title: String,
    greeting: String,
    body: String,
    remedy: String,
    remedy_review_first: String,
    outcomes: BTreeMap<String, String>,
}

/// The organ that signs the letters, and where applicants reach it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Issuer {
    pub name: String,
    pub address: String,
    pub phone: String,
    /// Where the applicant applies for 行政复议.
    pub review_organ: String,
    /// The court an applicant sues in.
    pub court: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub title: String,
    /// The salutation, flush left (`{申请人}：`).
    pub greeting: String,
    /// One paragraph a line.
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct Templates {
    pub issuer: Issuer,
    receipt: Template,
    correction: Template,
    extension: Template,
    third_party: Template,
    organ_consultation: Template,
    fee: Template,
    reply: Template,
    remedy: String,
    remedy_review_first: String,
    outcomes: BTreeMap<Outcome, String>,
}

impl Templates {
    /// The templates shipped with the hub, `hub-config/letters.toml`.
    pub fn builtin() -> Templates {
        Templates::parse(SHIPPED, "hub-config/letters.toml").expect("the shipped letters.toml is checked by a test")
    }

    /// The optional letters (`[fee]`, `[organ_consultation]`) the letters file at `path`
    /// leaves out, for a warning at start.
    pub fn missing(path: &Path) -> Vec<&'static str> {
        let Some(file) = fs::read_to_string(path).ok().and_then(|text| toml::from_str::<LettersFile>(&text).ok()) else { return Vec::new() };
        OPTIONAL.into_iter().zip([file.fee.is_none(), file.organ_consultation.is_none()]).filter(|(_, missing)| *missing).map(|(name, _)| name).collect()
    }

    pub fn load(path: &Path) -> Result<Templates, String> {
        let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Templates::parse(&text, &path.display().to_string())
    }

    /// Reads and checks the text of a letters file called `file` in what it says.
    pub fn parse(text: &str, file: &str) -> Result<Templates, String> {
        let parsed: LettersFile = toml::from_str(text).map_err(|e| format!("{file}: {}", e.to_string().trim_end()))?;
        let ReplyFile { title, greeting, body, remedy, remedy_review_first, outcomes: written } = parsed.reply;
        let remedy_allowed: Vec<&str> = COMMON.iter().chain(&REMEDY_PLACES).copied().collect();
        check(&remedy, &remedy_allowed, &format!("{file}: reply.remedy"))?;
        check(&remedy_review_first, &remedy_allowed, &format!("{file}: reply.remedy_review_first"))?;
        let mut outcomes = BTreeMap::new();
        for (key, paragraph) in written {
            let outcome = Outcome::parse(&key).ok_or_else(|| format!("{file}: reply.outcomes.{key}: no such outcome (the names are those of the shipped letters.toml)"))?;
            let allowed: Vec<&str> = COMMON.iter().copied().chain((outcome == Outcome::NotThisOrgan).then_some(COMPETENT_ORGAN)).collect();
            check(&paragraph, &allowed, &format!("{file}: reply.outcomes.{key}"))?;
            outcomes.insert(outcome, paragraph);
        }
        if let Some(missing) = Outcome::ALL.into_iter().find(|o| !outcomes.contains_key(o)) {
            return Err(format!("{file}: reply.outcomes: no paragraph for {} ({})", missing.as_str(), missing.report_row()));
        }
        let templates = Templates {
            issuer: parsed.issuer,
            receipt: parsed.receipt,
            correction: parsed.correction,
            extension: parsed.extension,
            third_party: parsed.third_party,
            organ_consultation: match parsed.organ_consultation {
                Some(letter) => letter,
                None => shipped(|file| file.organ_consultation)?,
            },
            fee: match parsed.fee {
                Some(fee) => fee,
                None => shipped(|file| file.fee)?,
            },
            reply: Template { title, greeting, body },
            remedy,
            remedy_review_first,
            outcomes,
        };
        for kind in Kind::ALL {
            let template = templates.template(kind);
            let allowed = kind.placeholders();
            for (field, text) in [("title", &template.title), ("greeting", &template.greeting), ("body", &template.body)] {
                let place = format!("{file}: {}.{field}", kind.key());
                if text.trim().is_empty() && field != "greeting" {
                    return Err(format!("{place}: is empty"));
                }
                // A title is the same on every letter: the card and the file are named by it.
                check(text, if field == "title" { &[] } else { &allowed }, &place)?;
            }
        }
        Ok(templates)
    }

    pub fn template(&self, kind: Kind) -> &Template {
        match kind {
            Kind::Receipt => &self.receipt,
            Kind::Correction => &self.correction,
            Kind::Extension => &self.extension,
            Kind::ThirdParty => &self.third_party,
            Kind::OrganConsultation => &self.organ_consultation,
            Kind::Fee => &self.fee,
            Kind::Reply => &self.reply,
        }
    }

    /// The applicant's remedies: those of an answer that must go to 行政复议 first, or the
    /// choice of 复议 or a lawsuit.
    pub fn remedy(&self, review_first: bool) -> &str {
        if review_first { &self.remedy_review_first } else { &self.remedy }
    }

    /// Whether the 答复书 of `Outcome::NotThisOrgan` prints the organ the answer names (a
    /// letters file written before it could may not).
    pub fn names_competent(&self) -> bool {
        self.outcome_paragraph(Outcome::NotThisOrgan).contains(&format!("{{{COMPETENT_ORGAN}}}"))
    }

    /// The 答复书's paragraph for `outcome`.
    pub fn outcome_paragraph(&self, outcome: Outcome) -> &str {
        self.outcomes.get(&outcome).map_or("", String::as_str)
    }
}

/// Refuses a placeholder that `allowed` does not name, or a brace left open or typed
/// full-width (｛申请人｝ would print as it is).
fn check(text: &str, allowed: &[&str], place: &str) -> Result<(), String> {
    if text.contains(['｛', '｝']) {
        return Err(format!("{place}: a full-width brace “｛” or “｝”: placeholders are written with {{ }}"));
    }
    let mut rest = text;
    while let Some(found) = next_placeholder(rest) {
        let (_, name, after) = found.map_err(|()| format!("{place}: a “{{” is not closed by “}}” on its line"))?;
        if allowed.is_empty() {
            return Err(format!("{place}: {{{name}}}: a title is plain text, without placeholders"));
        }
        if !allowed.contains(&name) {
            return Err(format!("{place}: {{{name}}} is not filled in this letter; it may use {}", list(allowed)));
        }
        rest = after;
    }
    Ok(())
}

/// The first `{name}` in `text`: the text before it, its name and the text after it; `Err`
/// for a `{` not closed on its line.
fn next_placeholder(text: &str) -> Option<Result<(&str, &str, &str), ()>> {
    let start = text.find('{')?;
    let after = &text[start + 1..];
    let end = after.find(['}', '{', '\n']).filter(|&end| after[end..].starts_with('}'));
    Some(end.map(|end| (&text[..start], &after[..end], &after[end + 1..])).ok_or(()))
}

fn list(names: &[&str]) -> String {
    names.iter().map(|n| format!("{{{n}}}")).collect::<Vec<_>>().join(" ")
}

/// `text` with each placeholder replaced by its value (checked at load, so all are known).
pub fn fill(text: &str, values: &[(&str, String)]) -> String {
    let mut filled = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(Ok((before, name, after))) = next_placeholder(rest) {
        filled.push_str(before);
        match values.iter().find(|(known, _)| *known == name) {
            Some((_, value)) => filled.push_str(value),
            None => filled.push_str(&rest[before.len()..rest.len() - after.len()]),
        }
        rest = after;
    }
    filled.push_str(rest);
    filled
}

/// The 收费通知书 of the shipped letters file.
/// An optional letter as shipped.
fn shipped(letter: fn(LettersFile) -> Option<Template>) -> Result<Template, String> {
    let file: LettersFile = toml::from_str(SHIPPED).map_err(|e| format!("hub-config/letters.toml: {e}"))?;
    letter(file).ok_or_else(|| format!("hub-config/letters.toml: lacks one of {OPTIONAL:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(from: &str, to: &str) -> String {
        assert!(SHIPPED.contains(from), "{from}");
        Templates::parse(&SHIPPED.replacen(from, to, 1), "letters.toml").expect_err(from)
    }

    #[test]
    fn each_shipped_answer_paragraph_cites_what_its_outcome_rests_on() {
        let templates = Templates::builtin();
        // 确认或重新出具 is refused as not being an application at all, on no one article.
        for outcome in Outcome::ALL.into_iter().filter(|o| !matches!(o, Outcome::Other | Outcome::Confirmation)) {
            let (_, cited) = outcome.reply().trim_end_matches('）').rsplit_once('（').unwrap();
            let paragraph = templates.outcome_paragraph(outcome);
            for source in cited.split('、') {
                assert!(paragraph.contains(source), "{outcome:?} cites {source}: {paragraph}");
            }
        }
    }

    #[test]
    fn a_letters_file_written_before_the_later_letters_takes_the_shipped_ones() {
        let start = SHIPPED.find("[organ_consultation]").unwrap();
        let end = start + SHIPPED[start..].find("[reply]").unwrap();
        let older = format!("{}{}", &SHIPPED[..start], &SHIPPED[end..]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("letters.toml");
        std::fs::write(&path, &older).unwrap();
        assert_eq!(Templates::missing(&path), vec!["fee", "organ_consultation"], "warned at start");
        let templates = Templates::load(&path).unwrap();
        assert_eq!(templates.template(Kind::Fee).title, "政府信息公开信息处理费收费通知书");
        assert_eq!(templates.template(Kind::OrganConsultation).title, "政府信息公开征求其他机关意见书");
        std::fs::write(&path, SHIPPED).unwrap();
        assert!(Templates::missing(&path).is_empty());
    }

    #[test]
    fn an_answer_paragraph_written_before_the_organ_named_is_told_at_start() {
        assert!(Templates::builtin().names_competent());
        let older = SHIPPED.replace("现告知您：{负责公开的机关}", "现告知您负责公开该政府信息的行政机关及其联系方式如下。");
        assert!(!Templates::parse(&older, "letters.toml").unwrap().names_competent());
    }

    #[test]
    fn a_mistake_in_the_templates_is_named_with_its_place() {
        assert_eq!(
            refusal("不迟于{答复期限}；", "不迟于{答复日期}；"),
            "letters.toml: receipt.body: {答复日期} is not filled in this letter; it may use {申请人} {查询码} {收到日期} {所需信息} {机关} {机关地址} {联系电话} {提交方式} {答复期限}"
        );
        assert_eq!(
            refusal("greeting = \"{第三方}：\"", "greeting = \"{申请人}：\""),
            "letters.toml: third_party.greeting: {申请人} is not filled in this letter; it may use {收到日期} {所需信息} {机关} {机关地址} {联系电话} {第三方} {意见期限}",
            "a third party is not told who applied"
        );
        assert_eq!(refusal("补正：{补正内容}\n", "补正：{补正内容\n"), "letters.toml: correction.body: a “{” is not closed by “}” on its line");
        assert_eq!(refusal("not_held = ", "not_kept = "), "letters.toml: reply.outcomes.not_kept: no such outcome (the names are those of the shipped letters.toml)");
        let without = SHIPPED.lines().filter(|l| !l.starts_with("fee_overdue")).collect::<Vec<_>>().join("\n");
        assert_eq!(
            Templates::parse(&without, "letters.toml").unwrap_err(),
            "letters.toml: reply.outcomes: no paragraph for fee_overdue (其他处理·申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请)"
        );
        assert!(refusal("[issuer]\n", "[issuer]\nfax = \"1\"\n").starts_with("letters.toml: "), "an unknown key is named");
        assert_eq!(refusal("title = \"政府信息公开申请答复书\"", "title = \" \""), "letters.toml: reply.title: is empty");
        assert_eq!(
            refusal("title = \"政府信息公开申请答复书\"", "title = \"{机关}答复书\""),
            "letters.toml: reply.title: {机关}: a title is plain text, without placeholders"
        );
        assert_eq!(
            refusal("补正：{补正内容}", "补正：｛补正内容｝"),
            "letters.toml: correction.body: a full-width brace “｛” or “｝”: placeholders are written with { }"
        );
        assert!(refusal("向{管辖法院}提起", "向{复议机关}{法院}提起").starts_with("letters.toml: reply.remedy: {法院} is not filled"));
        assert!(refusal("court = ", "courts = ").starts_with("letters.toml: "), "the court is asked for");
    }

    #[test]
    fn placeholders_are_filled_and_other_text_kept() {
        let values = [("申请人", "张三".to_string()), ("查询码", "AB12".to_string())];
        assert_eq!(fill("{申请人}：查询码 {查询码}，{未知}。", &values), "张三：查询码 AB12，{未知}。");
        assert_eq!(fill("开{", &values), "开{");
    }
}
