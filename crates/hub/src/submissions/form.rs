//! The four forms a kiosk QR code opens, their fields and their validation. Every message
//! names the field (by its label, as the visitor sees it) and the reason.

use serde::{Deserialize, Serialize};

use super::applicant::{APPLICANT_TYPES, ORGANISATION, ORGANISATION_TYPES};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 政府信息公开申请 (条例第二十九条).
    Apply,
    /// 意见建议.
    Opinion,
    /// Feedback on an open 意见征集.
    Consultation,
    /// 满意度评价.
    Satisfaction,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Apply, Kind::Opinion, Kind::Consultation, Kind::Satisfaction];

    pub fn label(self) -> &'static str {
        match self {
            Kind::Apply => "政府信息公开申请",
            Kind::Opinion => "意见建议",
            Kind::Consultation => "意见征集反馈",
            Kind::Satisfaction => "满意度评价",
        }
    }

    /// The name in URLs and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Apply => "apply",
            Kind::Opinion => "opinion",
            Kind::Consultation => "consultation",
            Kind::Satisfaction => "satisfaction",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// How a field is entered and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// One line of text.
    Line,
    /// Several lines.
    Text,
    /// One of these values.
    Choice(&'static [&'static str]),
    Phone,
    Email,
    Postcode,
    /// An identity document number, checked against the chosen `id_type`.
    IdNumber,
    /// A day, YYYY-MM-DD (a date picker; staff forms only).
    Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub label: String,
    pub input: Input,
    pub required: bool,
    pub max_chars: usize,
    /// A line of help under the field; empty for none.
    pub hint: &'static str,
}

pub const ID_TYPES: &[&str] = &[
    "居民身份证",
    "护照",
    "港澳居民来往内地通行证",
    "台湾居民来往大陆通行证",
    "外国人永久居留身份证",
    "统一社会信用代码",
    "其他有效证件",
];
pub const FORMS_WANTED: &[&str] = &["纸质文本", "电子数据"];
pub const DELIVERY: &[&str] = &["邮寄", "电子邮件", "当面领取"];
pub const OPINION_CATEGORIES: &[&str] = &["政策建议", "公开内容", "政务服务", "办事体验", "其他"];
pub const SCORES: &[&str] = &["5", "4", "3", "2", "1"];

/// At most this many name=value pairs are read from one form.
pub const MAX_PAIRS: usize = 100;

fn field(name: &str, label: &str, input: Input, required: bool, max_chars: usize, hint: &'static str) -> Field {
    Field { name: name.into(), label: label.into(), input, required, max_chars, hint }
}

/// The fields of `kind`, in the order shown; `articles` names the articles of the draft
/// for consultation feedback (e.g. 第一条), one comment box each.
pub fn fields_of(kind: Kind, articles: &[String]) -> Vec<Field> {
    use Input::*;
    match kind {
        Kind::Apply => vec![
            field("applicant_type", "申请人类型", Choice(APPLICANT_TYPES), true, 20, ""),
            field("organisation_type", "单位类型", Choice(ORGANISATION_TYPES), false, 10, "法人或其他组织必选"),
            field("name", "姓名或者名称", Line, true, 60, "自然人填写姓名；法人或其他组织填写单位全称"),
            field("id_type", "身份证明类型", Choice(ID_TYPES), true, 20, ""),
            field("id_number", "身份证明号码", IdNumber, true, 30, ""),
            field("contact_person", "联系人", Line, false, 30, "法人或其他组织必填"),
            field("phone", "联系电话", Phone, true, 20, "手机或固定电话"),
            field("email", "电子邮箱", Email, false, 100, "选择电子邮件获取时必填"),
            field("address", "通信地址", Line, false, 200, "选择邮寄时必填"),
            field("postcode", "邮政编码", Postcode, false, 6, ""),
            field("info_title", "所需政府信息的名称", Line, false, 200, "名称与特征描述至少填写一项"),
            field("info_doc_no", "文号", Line, false, 100, ""),
            field("info_description", "所需政府信息的其他特征描述", Text, false, 2000, "如时间、发文机关、内容要点，便于准确查找"),
            field("form_wanted", "信息的提供形式", Choice(FORMS_WANTED), true, 10, ""),
            field("delivery", "获取信息的方式", Choice(DELIVERY), true, 10, ""),
        ],
        Kind::Opinion => vec![
            field("category", "类别", Choice(OPINION_CATEGORIES), true, 10, ""),
            field("content", "意见建议", Text, true, 2000, ""),
            field("name", "姓名", Line, false, 60, "可不填，匿名提交"),
            field("contact", "联系方式", Line, false, 100, "希望收到回复时填写电话或邮箱"),
        ],
        Kind::Consultation => {
            let mut fields = vec![field("general", "总体意见", Text, false, 2000, "")];
            fields.extend(articles.iter().enumerate().map(|(i, no)| Field {
                name: format!("article_{i}"),
                label: format!("对{no}的意见"),
                input: Text,
                required: false,
                max_chars: 1000,
                hint: "",
            }));
            fields.push(field("name", "姓名", Line, false, 60, "可不填"));
            fields.push(field("contact", "联系方式", Line, false, 100, ""));
            fields
        }
        Kind::Satisfaction => vec![
            field("score", "满意度（5 分最满意）", Choice(SCORES), true, 1, ""),
            field("comment", "评价意见", Text, false, 500, ""),
        ],
    }
}

/// One answered field, with the label it had when submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub name: String,
    pub label: String,
    pub value: String,
}

/// The validated answers, in form order; fields left empty are not kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fields(pub Vec<Entry>);

impl Fields {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|e| e.name == name).map(|e| e.value.as_str())
    }
}

/// Why one field was refused, for the visitor: `message` starts with the field's label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Checks the submitted `pairs` against `fields`; every problem is reported at once so the
/// form can be shown again with the visitor's answers and all the messages.
pub fn validate(kind: Kind, fields: &[Field], pairs: &[(String, String)]) -> Result<Fields, Vec<FieldError>> {
    let raw = |name: &str| pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.trim()).unwrap_or_default();
    let mut errors = Vec::new();
    let mut entries = Vec::new();
    for f in fields {
        let value = normalise_newlines(raw(&f.name));
        let refuse = |reason: &str| FieldError { field: f.name.clone(), message: format!("{}：{reason}", f.label) };
        if value.is_empty() {
            if f.required {
                errors.push(refuse(if matches!(f.input, Input::Choice(_)) { "请选择" } else { "必填" }));
            }
            continue;
        }
        if let Some(reason) = check_value(f, &value, raw("id_type")) {
            errors.push(refuse(&reason));
            continue;
        }
        entries.push(Entry { name: f.name.clone(), label: f.label.clone(), value });
    }
    let answers = Fields(entries);
    errors.extend(cross_field_errors(kind, fields, &answers));
    if errors.is_empty() { Ok(answers) } else { Err(errors) }
}

fn normalise_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

fn check_value(f: &Field, value: &str, id_type: &str) -> Option<String> {
    let chars = value.chars().count();
    if chars > f.max_chars {
        return Some(format!("最多 {} 字，现有 {chars} 字", f.max_chars));
    }
    let multi_line = f.input == Input::Text;
    if value.chars().any(|c| c.is_control() && !(multi_line && (c == '\n' || c == '\t'))) {
        return Some("含有不可见的控制字符".into());
    }
    if value.contains('\u{FFFD}') {
        return Some("含有无法识别的字符（不是有效的 UTF-8 文本）".into());
    }
    match f.input {
        Input::Line | Input::Text => None,
        Input::Choice(options) => (!options.contains(&value)).then(|| "不是可选的值".into()),
        Input::Phone => (!is_phone(value)).then(|| "请填写 11 位手机号或带区号的固定电话".into()),
        Input::Email => (!is_email(value)).then(|| "格式不正确".into()),
        Input::Postcode => (!(value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit()))).then(|| "应为 6 位数字".into()),
        Input::IdNumber => id_number_problem(id_type, value),
        Input::Date => chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_err().then(|| "格式应为 YYYY-MM-DD".into()),
    }
}

fn cross_field_errors(kind: Kind, fields: &[Field], answers: &Fields) -> Vec<FieldError> {
    let label = |name: &str| fields.iter().find(|f| f.name == name).map(|f| f.label.clone()).unwrap_or_default();
    let missing = |name: &str, reason: &str| FieldError { field: name.into(), message: format!("{}：{reason}", label(name)) };
    let mut errors = Vec::new();
    match kind {
        Kind::Apply => {
            if answers.get("info_title").is_none() && answers.get("info_description").is_none() {
                errors.push(missing("info_title", "请填写所需信息的名称或特征描述，至少一项"));
            }
            let organisation = answers.get("applicant_type") == Some(ORGANISATION);
            if organisation && answers.get("organisation_type").is_none() {
                errors.push(missing("organisation_type", "法人或其他组织申请时请选择"));
            }
            if !organisation && answers.get("organisation_type").is_some() {
                errors.push(missing("organisation_type", "自然人申请时不选单位类型"));
            }
            if organisation && answers.get("contact_person").is_none() {
                errors.push(missing("contact_person", "法人或其他组织申请时必填"));
            }
            if !organisation && answers.get("id_type") == Some("统一社会信用代码") {
                errors.push(missing("id_type", "自然人请选择个人身份证件"));
            }
            if answers.get("delivery") == Some("邮寄") && answers.get("address").is_none() {
                errors.push(missing("address", "选择邮寄时必填"));
            }
            if answers.get("delivery") == Some("电子邮件") && answers.get("email").is_none() {
                errors.push(missing("email", "选择电子邮件时必填"));
            }
        }
        Kind::Consultation => {
            let any_comment = answers.0.iter().any(|e| e.name == "general" || e.name.starts_with("article_"));
            if !any_comment {
                errors.push(missing("general", "请至少对草案整体或其中一条提出意见"));
            }
        }
        Kind::Opinion | Kind::Satisfaction => {}
    }
    errors
}

fn is_phone(value: &str) -> bool {
    let digits: String = value.chars().filter(|c| *c != '-' && *c != ' ').collect();
    let all_digits = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let mobile = digits.len() == 11 && digits.starts_with('1');
    let landline = digits.starts_with('0') && (10..=12).contains(&digits.len());
    let hotline = digits.len() == 5 && digits.starts_with("123");
    all_digits && (mobile || landline || hotline)
}

fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else { return false };
    let plain = |s: &str| !s.is_empty() && !s.chars().any(|c| c.is_whitespace() || "<>@\"".contains(c));
    plain(local) && plain(domain) && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
}

fn id_number_problem(id_type: &str, value: &str) -> Option<String> {
    match id_type {
        "居民身份证" => (!is_resident_id(value)).then(|| "不是有效的 18 位居民身份证号码（请核对最后一位校验码）".into()),
        "统一社会信用代码" => (!is_credit_code(value)).then(|| "不是有效的 18 位统一社会信用代码".into()),
        _ => {
            let ok = (3..=30).contains(&value.len())
                && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'(' || b == b')');
            (!ok).then(|| "应为 3–30 位字母、数字或连字符".into())
        }
    }
}

/// GB 11643: 17 digits and an ISO 7064 MOD 11-2 check character.
fn is_resident_id(value: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let bytes = value.as_bytes();
    if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = bytes[..17].iter().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    CHECK[(sum % 11) as usize] == bytes[17].to_ascii_uppercase()
}

/// GB 32100: 18 characters of its 31-character alphabet, the last a MOD 31 check character.
fn is_credit_code(value: &str) -> bool {
    const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [usize; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let upper = value.to_ascii_uppercase();
    let Some(codes) = upper.bytes().map(|b| ALPHABET.iter().position(|&a| a == b)).collect::<Option<Vec<_>>>() else {
        return false;
    };
    if codes.len() != 18 {
        return false;
    }
    let sum: usize = codes[..17].iter().zip(WEIGHTS).map(|(c, w)| c * w).sum();
    (31 - sum % 31) % 31 == codes[17]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
    }

    fn apply(extra: &[(&str, &str)]) -> Result<Fields, Vec<FieldError>> {
        let mut items = vec![
            ("applicant_type", "自然人"),
            ("name", "张三"),
            ("id_type", "居民身份证"),
            ("id_number", "11010519491231002X"),
            ("phone", "13800138000"),
            ("info_title", "2024年财政预算"),
            ("form_wanted", "电子数据"),
            ("delivery", "当面领取"),
        ];
        items.extend_from_slice(extra);
        // Later pairs must not override earlier ones: the first value of a name counts.
        let mut seen = std::collections::HashSet::new();
        items.reverse();
        items.retain(|(n, _)| seen.insert(*n));
        items.reverse();
        validate(Kind::Apply, &fields_of(Kind::Apply, &[]), &pairs(&items))
    }

    fn messages(result: Result<Fields, Vec<FieldError>>) -> Vec<String> {
        result.unwrap_err().into_iter().map(|e| e.message).collect()
    }

    #[test]
    fn a_complete_application_is_kept_in_form_order() {
        let fields = apply(&[]).unwrap();
        assert_eq!(fields.get("name"), Some("张三"));
        assert_eq!(fields.0.first().map(|e| e.label.as_str()), Some("申请人类型"));
        assert!(fields.get("email").is_none(), "empty fields are not kept");
    }

    #[test]
    fn missing_and_malformed_fields_are_named() {
        let errors = messages(validate(Kind::Apply, &fields_of(Kind::Apply, &[]), &[]));
        assert!(errors.contains(&"姓名或者名称：必填".to_string()), "{errors:?}");
        assert!(errors.contains(&"申请人类型：请选择".to_string()));
        assert!(errors.iter().any(|m| m.starts_with("所需政府信息的名称：")));

        let errors = messages(apply(&[("id_number", "110105194912310021"), ("phone", "1380013")]));
        assert!(errors.iter().any(|m| m.starts_with("身份证明号码：不是有效的 18 位居民身份证号码")), "{errors:?}");
        assert!(errors.iter().any(|m| m.starts_with("联系电话：")));
    }

    #[test]
    fn delivery_and_applicant_type_require_their_details() {
        let errors = messages(apply(&[("delivery", "邮寄")]));
        assert_eq!(errors, vec!["通信地址：选择邮寄时必填"]);
        let errors = messages(apply(&[("delivery", "电子邮件")]));
        assert_eq!(errors, vec!["电子邮箱：选择电子邮件时必填"]);
        let organisation = [("applicant_type", "法人或其他组织"), ("id_type", "统一社会信用代码"), ("id_number", "91350100M000100Y43")];
        let errors = messages(apply(&organisation));
        assert_eq!(errors, vec!["单位类型：法人或其他组织申请时请选择", "联系人：法人或其他组织申请时必填"]);
        let complete = [&organisation[..], &[("organisation_type", "法律服务机构"), ("contact_person", "李四")]].concat();
        assert!(apply(&complete).is_ok());
        let errors = messages(apply(&[("organisation_type", "商业企业"), ("id_type", "统一社会信用代码"), ("id_number", "91350100M000100Y43")]));
        assert_eq!(errors, vec!["单位类型：自然人申请时不选单位类型", "身份证明类型：自然人请选择个人身份证件"]);
    }

    #[test]
    fn limits_choices_and_hostile_text() {
        let long = "字".repeat(61);
        let errors = messages(apply(&[("name", &long), ("form_wanted", "' OR 1=1"), ("postcode", "12ab")]));
        assert!(errors.contains(&"姓名或者名称：最多 60 字，现有 61 字".to_string()), "{errors:?}");
        assert!(errors.contains(&"信息的提供形式：不是可选的值".to_string()));
        assert!(errors.contains(&"邮政编码：应为 6 位数字".to_string()));
        let errors = messages(apply(&[("name", "张\u{0}三")]));
        assert_eq!(errors, vec!["姓名或者名称：含有不可见的控制字符"]);
        // Markup is kept as typed: it is text, escaped wherever it is shown.
        let fields = apply(&[("info_title", "<script>alert(1)</script>")]).unwrap();
        assert_eq!(fields.get("info_title"), Some("<script>alert(1)</script>"));
    }

    #[test]
    fn consultation_feedback_needs_one_comment() {
        let articles = vec!["第一条".to_string(), "第二条".to_string()];
        let fields = fields_of(Kind::Consultation, &articles);
        assert_eq!(fields[2].label, "对第二条的意见");
        assert!(validate(Kind::Consultation, &fields, &pairs(&[("name", "王五")])).is_err());
        let ok = validate(Kind::Consultation, &fields, &pairs(&[("article_1", "建议删除")])).unwrap();
        assert_eq!(ok.0[0].label, "对第二条的意见");
    }

    #[test]
    fn identity_checksums() {
        assert!(is_resident_id("11010519491231002X"));
        assert!(is_resident_id("11010519491231002x"));
        assert!(!is_resident_id("110105194912310021"));
        assert!(is_credit_code("91350100M000100Y43"));
        assert!(!is_credit_code("91350100M000100Y44"));
        assert!(is_phone("13800138000") && is_phone("0571-87654321") && is_phone("12345"));
        assert!(!is_phone("138001380001") && !is_phone("abc"));
        assert!(is_email("a@b.cn") && !is_email("a@b") && !is_email("a b@c.cn") && !is_email("@c.cn"));
    }
}
