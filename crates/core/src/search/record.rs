//! What the index holds about each searchable item, taken from the content model.

use chrono::{Datelike, NaiveDate};

use crate::content::model::{Content, Document};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Document,
    Catalogue,
    Guide,
    Interpretation,
    KeyWork,
}

impl RecordKind {
    pub const ALL: [RecordKind; 5] =
        [Self::Document, Self::Catalogue, Self::Guide, Self::Interpretation, Self::KeyWork];

    /// The name used on the command line and in test fixtures.
    pub fn name(self) -> &'static str {
        match self {
            Self::Document => "document",
            Self::Catalogue => "catalogue",
            Self::Guide => "guide",
            Self::Interpretation => "interpretation",
            Self::KeyWork => "key_work",
        }
    }

    /// The label a visitor sees.
    pub fn label(self) -> &'static str {
        match self {
            Self::Document => "政府信息",
            Self::Catalogue => "公开目录",
            Self::Guide => "办事指南",
            Self::Interpretation => "政策解读",
            Self::KeyWork => "重点工作",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The number a saved index stores for this kind.
    pub fn code(self) -> u8 {
        Self::ALL.iter().position(|k| *k == self).unwrap_or(0) as u8
    }

    pub fn from_code(code: u64) -> Option<Self> {
        usize::try_from(code).ok().and_then(|i| Self::ALL.get(i).copied())
    }
}

/// One searchable item: the text of its fields and what results are filtered and sorted by.
#[derive(Debug, Clone)]
pub struct SearchRecord {
    pub kind: RecordKind,
    pub id: String,
    pub title: String,
    /// 文号, 发文机关, 主体 …: matched after the title and before the body.
    pub meta: String,
    pub body: String,
    /// Newer first; records without a date come last.
    pub date: Option<NaiveDate>,
    pub domain: Option<String>,
}

impl SearchRecord {
    pub fn year(&self) -> Option<i32> {
        self.date.map(|d| d.year())
    }
}

/// Everything searchable in a bundle.
pub fn records_from_content(content: &Content) -> Vec<SearchRecord> {
    let mut records: Vec<SearchRecord> = content.documents.iter().map(document_record).collect();
    for domain in &content.catalogue.domains {
        for item in &domain.items {
            records.push(SearchRecord {
                kind: RecordKind::Catalogue,
                id: item.id.clone(),
                title: format!("{} {}", item.level2, item.level1),
                meta: item.subject.clone(),
                body: format!("{} {}", item.content, item.basis),
                date: None,
                domain: Some(domain.id.clone()),
            });
        }
    }
    for g in &content.service_guides {
        records.push(SearchRecord {
            kind: RecordKind::Guide,
            id: g.id.clone(),
            title: g.title.clone(),
            meta: g.window.clone(),
            body: format!("{} {}", g.conditions.join(" "), g.steps.join(" ")),
            date: None,
            domain: g.domain.clone(),
        });
    }
    for i in &content.interpretations {
        let qa: Vec<String> = i.qa.iter().map(|qa| format!("{} {}", qa.q, qa.a)).collect();
        records.push(SearchRecord {
            kind: RecordKind::Interpretation,
            id: i.id.clone(),
            title: i.title.clone(),
            meta: i.author.clone(),
            body: format!("{} {}", i.text, qa.join(" ")),
            date: Some(i.published_on),
            domain: None,
        });
    }
    for k in &content.key_work {
        records.push(SearchRecord {
            kind: RecordKind::KeyWork,
            id: k.id.clone(),
            title: k.title.clone(),
            meta: k.category.clone(),
            body: k.target.clone(),
            date: Some(k.updated_on),
            domain: None,
        });
    }
    records
}

pub fn document_record(d: &Document) -> SearchRecord {
    SearchRecord {
        kind: RecordKind::Document,
        id: d.id.clone(),
        title: d.title.clone(),
        meta: format!("{} {} {}", d.doc_no.as_deref().unwrap_or(""), d.issuer, d.index_no),
        body: d.body.clone(),
        date: Some(d.published_on),
        domain: d.domain.clone(),
    }
}

/// The order results are ranked in within a class: newest first, undated records last.
pub fn sort_newest_first(records: &mut [SearchRecord]) {
    records.sort_by(|a, b| b.date.is_some().cmp(&a.date.is_some()).then(b.date.cmp(&a.date)));
}
