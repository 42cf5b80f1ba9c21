//! Editing a 政府信息 document in the workspace: the form's fields made into the document,
//! checked by the bundle checker's own rules and against the rest of the workspace (its
//! domain, its 解读, a free 编号), placed in a shard, and saved with an audit entry. A save
//! made against an older revision is refused, never written over another's.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use gongkai_core::{content::{
    check::{Place, check_item},
    synth::DOCUMENTS_PER_SHARD,
    workspace::{Item, Kind},
}, handoff::is_id};

use crate::submissions::store::{FileFill, Store, StoreError};

/// The form's fields, each with what staff call it, in the order the form shows them.
pub const FIELDS: [(&str, &str); 14] = [
    ("id", "编号"),
    ("title", "标题"),
    ("index_no", "索引号"),
    ("doc_no", "文号"),
    ("issuer", "发文机关"),
    ("written_on", "成文日期"),
    ("published_on", "发布日期"),
    ("topic", "主题分类"),
    ("domain", "所属领域"),
    ("disclosure", "公开属性"),
    ("validity", "有效性"),
    ("repealed_on", "废止或失效日期"),
    ("category", "文件类别"),
    ("body", "正文"),
];
/// Fields a document may leave out; the rest must be filled in.
const OPTIONAL: [&str; 4] = ["doc_no", "domain", "repealed_on", "category"];
/// 相关解读, as the 编号 of each, separated by commas or 、.
pub const INTERPRETATIONS: &str = "interpretations";
pub const DISCLOSURES: [&str; 3] = ["主动公开", "依申请公开", "不予公开"];
pub const VALIDITIES: [&str; 3] = ["有效", "失效", "废止"];
/// 文件类别 the annual report counts; a document of neither leaves it empty.
pub const CATEGORIES: [&str; 2] = ["规章", "行政规范性文件"];

/// Why a save did not happen.
#[derive(Debug)]
pub enum Refused {
    /// What is wrong, by field (`""` for the document as a whole), in Chinese.
    Invalid(BTreeMap<String, Vec<String>>),
    /// Someone saved it (or deleted it) since the form was opened.
    Changed,
    Gone,
    Store(StoreError),
}

impl From<StoreError> for Refused {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict => Refused::Changed,
            StoreError::NotFound => Refused::Gone,
            e => Refused::Store(e),
        }
    }
}

/// The document the form's fields make, on top of `current` (whose attachments it keeps).
pub fn from_form(current: Option<&Value>, form: &HashMap<String, String>) -> Value {
    let mut document = match current {
        Some(Value::Object(fields)) => fields.clone(),
        _ => Map::new(),
    };
    let field = |name: &str| form.get(name).map(|v| v.trim().replace("\r\n", "\n")).unwrap_or_default();
    for (name, _) in FIELDS {
        if current.is_some() && name == "id" {
            continue; // The 编号 of a saved document does not change.
        }
        match field(name) {
            value if value.is_empty() && OPTIONAL.contains(&name) => {
                document.remove(name);
            }
            value => {
                document.insert(name.into(), value.into());
            }
        }
    }
    let interpretations: Vec<Value> = field(INTERPRETATIONS).split([',', '，', '、', ' ']).filter(|id| !id.is_empty()).map(Value::from).collect();
    if interpretations.is_empty() {
        document.remove(INTERPRETATIONS);
    } else {
        document.insert(INTERPRETATIONS.into(), Value::Array(interpretations));
    }
    Value::Object(document)
}

/// Everything wrong with `document`, by field, in Chinese: the checker's rules, then what the
/// rest of the workspace says of its domain and 解读.
pub fn problems(store: &dyn Store, document: &Value) -> Result<BTreeMap<String, Vec<String>>, StoreError> {
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut note = |field: &str, reason: String| found.entry(field.to_string()).or_default().push(reason);
    let text = |name: &str| document.get(name).and_then(Value::as_str).unwrap_or_default().trim().to_string();
    let blank: Vec<&str> = FIELDS.iter().map(|(name, _)| *name).filter(|name| !OPTIONAL.contains(name) && text(name).is_empty()).collect();
    for (name, label) in FIELDS.iter().filter(|(name, _)| blank.contains(name)) {
        note(name, format!("请填写{label}"));
    }
    let id = text("id");
    if !id.is_empty() && !is_id(&id) {
        note("id", super::items::unlinkable("编号"));
    }
    for problem in check_item(Kind::Documents, document, &super::check_options(store)?) {
        let field = match &problem.place {
            Place::Json(path) => path.trim_start_matches('$').trim_start_matches('.').split(['.', '[']).next().unwrap_or_default().to_string(),
            _ => String::new(),
        };
        // A blank field is named once, above; the checker would name it again, or fail to
        // read the rest for it.
        if !blank.contains(&field.as_str()) && !blank.iter().any(|name| problem.reason.contains(&format!("`{name}`"))) {
            note(&field, in_chinese(&problem.reason));
        }
    }
    let domain = text("domain");
    if !domain.is_empty() && !store.workspace_kind(Kind::Domains)?.iter().any(|d| d.id == domain) {
        note("domain", format!("公开目录中没有领域“{domain}”"));
    }
    let wanted: Vec<&str> = document.get(INTERPRETATIONS).and_then(Value::as_array).map(|ids| ids.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    if !wanted.is_empty() {
        let interpreted: HashMap<String, String> = store
            .workspace_kind(Kind::Interpretations)?
            .into_iter()
            .map(|i| (i.id, i.body.get("document").and_then(Value::as_str).unwrap_or_default().to_string()))
            .collect();
        for wanted in wanted {
            match interpreted.get(wanted) {
                None => note(INTERPRETATIONS, format!("没有编号为“{wanted}”的解读")),
                Some(target) if *target != id => note(INTERPRETATIONS, format!("解读“{wanted}”解读的是文件“{target}”，不是这份文件")),
                Some(_) => {}
            }
        }
    }
    Ok(found)
}

/// The checker's reasons, as staff read them.
pub(super) fn in_chinese(reason: &str) -> String {
    let at_character = |rest: &str| rest.split(';').next().and_then(|n| n.trim().parse::<usize>().ok()).unwrap_or(0);
    if let Some(rest) = reason.strip_prefix("unmasked 身份证号 at character ") {
        return format!("第 {} 个字起有未遮挡的身份证号，请遮去出生日期，如 360402********1234", at_character(rest));
    }
    if let Some(rest) = reason.strip_prefix("unmasked mobile number at character ") {
        return format!("第 {} 个字起有未遮挡的手机号码，请遮去中间四位，如 138****5678", at_character(rest));
    }
    if let Some(chars) = reason.strip_prefix("characters missing from the font: ") {
        return format!("屏幕字库中没有这些字，终端上无法显示：{chars}");
    }
    if reason.contains("differs from manifest.json") {
        return "送审后文件被改动过，与审核的内容不一致".into();
    }
    if reason.starts_with("only 主动公开") {
        return "终端只展示主动公开的文件；依申请公开、不予公开的文件不能发布到终端".into();
    }
    if let Some((date, today)) = reason.split_once(" is in the future (today is ") {
        return format!("{date} 晚于今天（{}），不能发布未来日期的内容", today.trim_end_matches(')'));
    }
    if let Some(rest) = reason.strip_prefix("published ")
        && let Some((published, written)) = rest.split_once(", before it was written (")
    {
        return format!("发布日期 {published} 早于成文日期 {}", written.trim_end_matches(')'));
    }
    if reason == "an end date, but the validity is 有效" {
        return "填写了废止或失效日期，有效性应为“废止”或“失效”".into();
    }
    if let Some(rest) = reason.strip_prefix("repealed ")
        && let Some((repealed, written)) = rest.split_once(", before it was written (")
    {
        return format!("废止日期 {repealed} 早于成文日期 {}", written.trim_end_matches(')'));
    }
    if let Some(value) = reason.strip_suffix(" is outside 0–100") {
        return format!("{value} 不在 0 到 100 之间");
    }
    if let Some(rest) = reason.strip_prefix("status ")
        && let Some((status, rest)) = rest.split_once(" needs progress ")
        && let Some((wanted, found)) = rest.split_once(", not ")
    {
        return format!("状态为{status}时完成进度应为 {wanted}，现为 {found}");
    }
    if reason.starts_with("a 紧急 notice takes over the screens") {
        return "紧急通知会占据终端和大屏，必须填写截止时间".into();
    }
    if let Some(rest) = reason.strip_prefix("expires ")
        && let Some((end, published)) = rest.split_once(", not after it is published (")
    {
        return format!("截止时间 {end} 应晚于发布时间 {}", published.trim_end_matches(')'));
    }
    if let Some((at, now)) = reason.split_once(" is in the future (now is ") {
        return format!("{at} 晚于现在（{}），发布时间不能在将来；定时发布请在审核时设置发布时间", now.trim_end_matches(')'));
    }
    if reason.starts_with("a natural person must be shown masked") {
        return "自然人的姓名须遮挡，只显示姓氏，如 张**".into();
    }
    if let Some(period) = reason.strip_prefix("period ").and_then(|rest| rest.split(" has a report already").next()).filter(|_| reason.contains(" has a report already")) {
        return format!("期间“{}”已有一份报表，同一期间的收支请写在一份报表中", period.trim_matches('"'));
    }
    if let Some(period) = reason.strip_prefix("the report of ").and_then(|rest| rest.strip_suffix(" has no lines")) {
        return format!("期间“{}”的报表没有收支行", period.trim_matches('"'));
    }
    if reason.starts_with("must not be blank") {
        return "不能只填空格".into();
    }
    if reason.starts_with("unknown variant") || reason.starts_with("input contains invalid characters") || reason.contains("expected a date") {
        return format!("填写的值无效（{reason}）");
    }
    format!("内容检查未通过：{reason}")
}

/// Saves a document from the form: new when `expected` is `None`, else over revision
/// `expected`. Returns the document's key and its revision now.
pub fn save(store: &dyn Store, document: Value, expected: Option<i64>, staff: &str) -> Result<(String, i64), Refused> {
    let invalid = problems(store, &document)?;
    if !invalid.is_empty() {
        return Err(Refused::Invalid(invalid));
    }
    let id = Kind::Documents.id_of(&document).unwrap_or_default();
    let (file, position) = match expected {
        None => place_new(store)?,
        Some(_) => match store.workspace_item(Kind::Documents, &id)? {
            Some(entry) => (entry.item.file, entry.item.position),
            None => return Err(Refused::Gone),
        },
    };
    let title = Kind::Documents.title_of(&document, &id);
    let item = Item { kind: Kind::Documents, id: id.clone(), file, position, body: document };
    let action = if expected.is_none() { "新建内容" } else { "修改内容" };
    let detail = format!("{action}：政府信息 {id}「{title}」");
    match store.workspace_save(item, expected, staff, (action, &detail)) {
        Err(StoreError::Refused(reason)) => Err(Refused::Invalid(BTreeMap::from([("id".to_string(), vec![reason])]))),
        saved => Ok((id, saved?)),
    }
}

/// Where a new document goes.
fn place_new(store: &dyn Store) -> Result<(String, i64), StoreError> {
    Ok(ShardPlacer::read(store)?.next_place())
}

/// Places new documents: into the last shard while it has room, then into new ones, so that
/// publishing them changes as few shards as it can.
pub struct ShardPlacer {
    fills: Vec<FileFill>,
}

impl ShardPlacer {
    pub fn read(store: &dyn Store) -> Result<Self, StoreError> {
        Ok(Self { fills: store.workspace_fills(Kind::Documents)? })
    }

    /// The shard and position of the next new document.
    pub fn next_place(&mut self) -> (String, i64) {
        match self.fills.last_mut() {
            Some(last) if (last.items as usize) < DOCUMENTS_PER_SHARD => {
                last.items += 1;
                last.last_position += 1;
                (last.file.clone(), last.last_position)
            }
            _ => {
                let file = format!("documents/w{:05}.json", self.fills.len() + 1);
                self.fills.push(FileFill { file: file.clone(), items: 1, last_position: 0 });
                (file, 0)
            }
        }
    }
}

/// Removes a document no 解读 refers to, if it is still at revision `expected`.
pub fn delete(store: &dyn Store, id: &str, expected: i64, staff: &str) -> Result<(), Refused> {
    let mut referring: Vec<String> = store
        .workspace_kind(Kind::Interpretations)
        ?
        .into_iter()
        .filter(|i| i.body.get("document").and_then(Value::as_str) == Some(id))
        .map(|i| format!("解读“{}”", i.id))
        .collect();
    for domain in store.workspace_kind(Kind::Domains)? {
        let items = domain.body.get("items").and_then(Value::as_array).cloned().unwrap_or_default();
        let lists = |item: &Value| item.get("documents").and_then(Value::as_array).is_some_and(|ids| ids.iter().any(|d| d.as_str() == Some(id)));
        referring.extend(items.iter().filter(|item| lists(item)).map(|item| format!("公开目录事项“{}”", item.get("level2").and_then(Value::as_str).unwrap_or_default())));
    }
    if !referring.is_empty() {
        let reason = format!("{}引用了这份文件，请先修改这些内容，再删除", referring.join("、"));
        return Err(Refused::Invalid(BTreeMap::from([(String::new(), vec![reason])])));
    }
    let title = match store.workspace_item(Kind::Documents, id)? {
        Some(entry) => Kind::Documents.title_of(&entry.item.body, id),
        None => return Err(Refused::Gone),
    };
    Ok(store.workspace_delete(Kind::Documents, id, expected, staff, ("删除内容", &format!("删除内容：政府信息 {id}「{title}」")))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checkers_reasons_read_in_chinese() {
        assert_eq!(in_chinese("unmasked mobile number at character 5; mask the middle four digits, e.g. 138****5678"), "第 5 个字起有未遮挡的手机号码，请遮去中间四位，如 138****5678");
        assert_eq!(in_chinese("2999-01-01 is in the future (today is 2026-12-05)"), "2999-01-01 晚于今天（2026-12-05），不能发布未来日期的内容");
        assert_eq!(in_chinese("published 2024-03-01, before it was written (2024-03-05)"), "发布日期 2024-03-01 早于成文日期 2024-03-05");
        assert_eq!(in_chinese("status 已完成 needs progress 100, not 90"), "状态为已完成时完成进度应为 100，现为 90");
        assert_eq!(in_chinese("120 is outside 0–100"), "120 不在 0 到 100 之间");
        assert_eq!(in_chinese("period \"2026年第三季度\" has a report already (finance[0]); a period is one report"), "期间“2026年第三季度”已有一份报表，同一期间的收支请写在一份报表中");
        assert_eq!(in_chinese("the report of \"2026年第三季度\" has no lines"), "期间“2026年第三季度”的报表没有收支行");
        assert!(in_chinese("something new").starts_with("内容检查未通过："));
    }

    #[test]
    fn a_form_keeps_what_it_does_not_show_and_leaves_out_empty_optional_fields() {
        let current = serde_json::json!({"id": "d-1", "doc_no": "样府发〔2024〕1号", "attachments": [{"title": "附件", "format": "PDF", "file": "attachments/a.pdf"}]});
        let form: HashMap<String, String> = [("id", "changed"), ("title", " 新标题 "), ("doc_no", ""), ("body", "第一段\r\n第二段"), ("interpretations", "i-1、i-2")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let document = from_form(Some(&current), &form);
        assert_eq!(document["id"], "d-1", "the 编号 stays");
        assert_eq!(document["title"], "新标题");
        assert!(document.get("doc_no").is_none());
        assert_eq!(document["body"], "第一段\n第二段");
        assert_eq!(document["interpretations"], serde_json::json!(["i-1", "i-2"]));
        assert_eq!(document["attachments"][0]["file"], "attachments/a.pdf");
    }
}
