use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One 政府信息 document, stored in `documents/*.json` shards.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub id: String,
    /// 索引号.
    pub index_no: String,
    /// 文号; many documents (e.g. 工作动态) have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_no: Option<String>,
    pub title: String,
    /// 发文机关.
    pub issuer: String,
    /// 成文日期.
    pub written_on: NaiveDate,
    /// 发布日期.
    pub published_on: NaiveDate,
    /// 主题分类.
    pub topic: String,
    /// Catalogue domain id, when the document belongs to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// 公开属性.
    pub disclosure: Disclosure,
    /// 有效性.
    pub validity: Validity,
    /// 文件类别, as the annual report counts documents (条例第二十条第一项); none for others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// The day a document 废止 or 失效 ended: the annual report counts a repeal in that year,
    /// and either as no longer in force from then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repealed_on: Option<NaiveDate>,
    /// Body text; paragraphs separated by `\n`.
    pub body: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// Ids of the 解读 published with this document.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interpretations: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Disclosure {
    #[serde(rename = "主动公开")]
    Proactive,
    #[serde(rename = "依申请公开")]
    OnRequest,
    #[serde(rename = "不予公开")]
    NotDisclosed,
}

/// The kinds of document the annual report's section 二 counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Category {
    #[serde(rename = "规章")]
    Rule,
    #[serde(rename = "行政规范性文件")]
    NormativeDocument,
}

impl Category {
    pub const ALL: [Category; 2] = [Category::Rule, Category::NormativeDocument];

    pub fn label(self) -> &'static str {
        match self {
            Category::Rule => "规章",
            Category::NormativeDocument => "行政规范性文件",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Validity {
    #[serde(rename = "有效")]
    Valid,
    #[serde(rename = "失效")]
    Expired,
    #[serde(rename = "废止")]
    Repealed,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    pub title: String,
    /// File format shown to the visitor, e.g. PDF, DOCX, XLSX.
    pub format: String,
    /// Bundle path when the attachment itself ships in the bundle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Page images of a PDF `file`, from the manifest (made by `gongkai content build`).
    #[serde(skip)]
    pub pages: Vec<String>,
}
