//! What the index holds about each searchable item, taken from the content model.

use chrono::{Datelike, NaiveDate};

use crate::content::model::{AdminRecord, Content, Document, PartyType, label_of};

/// What a record is. New kinds go at the end: a saved index stores the position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Document,
    Catalogue,
    Guide,
    Interpretation,
    KeyWork,
    Notice,
    Consultation,
    /// A 居(村)务公开 or 惠民政策 post of a community.
    CommunityPost,
    /// A 行政权力运行结果 decision.
    AdminRecord,
    /// A document's attachment; it opens its document.
    Attachment,
    /// A 重点工作 milestone; it opens its task.
    Milestone,
}

impl RecordKind {
    pub const ALL: [RecordKind; 11] = [
        Self::Document,
        Self::Catalogue,
        Self::Guide,
        Self::Interpretation,
        Self::KeyWork,
        Self::Notice,
        Self::Consultation,
        Self::CommunityPost,
        Self::AdminRecord,
        Self::Attachment,
        Self::Milestone,
    ];

    /// The name used on the command line and in test fixtures.
    pub fn name(self) -> &'static str {
        match self {
            Self::Document => "document",
            Self::Catalogue => "catalogue",
            Self::Guide => "guide",
            Self::Interpretation => "interpretation",
            Self::KeyWork => "key_work",
            Self::Notice => "notice",
            Self::Consultation => "consultation",
            Self::CommunityPost => "community",
            Self::AdminRecord => "admin_record",
            Self::Attachment => "attachment",
            Self::Milestone => "milestone",
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
            Self::Notice => "通知公告",
            Self::Consultation => "意见征集",
            Self::CommunityPost => "居(村)务公开",
            Self::AdminRecord => "行政权力",
            Self::Attachment => "附件",
            Self::Milestone => "工作节点",
        }
    }

    /// Decisions, posts and parts of items: many share the words of the item a visitor
    /// looks for, so they rank after the items in each match class.
    pub fn is_detail(self) -> bool {
        matches!(self, Self::CommunityPost | Self::AdminRecord | Self::Attachment | Self::Milestone)
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
    let mut records: Vec<SearchRecord> = content.documents.iter().flat_map(document_records).collect();
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
    records.extend(notice_and_consultation_records(content));
    records.extend(community_records(content));
    records.extend(content.admin_results.records.iter().map(|r| admin_record(content, r)));
    records.extend(milestone_records(content));
    records
}

/// The id of the `n`th part (attachment, milestone, post) of the item `parent`.
pub fn part_id(parent: &str, n: usize) -> String {
    format!("{parent}#{n}")
}

fn notice_and_consultation_records(content: &Content) -> impl Iterator<Item = SearchRecord> + '_ {
    let notices = content.notices.iter().map(|n| SearchRecord {
        kind: RecordKind::Notice,
        id: n.id.clone(),
        title: n.title.clone(),
        meta: n.issuer.clone(),
        body: n.body.clone(),
        date: Some(n.published_at.date()),
        domain: None,
    });
    let consultations = content.consultations.iter().map(|c| {
        let articles: Vec<&str> = c.articles.iter().map(|a| a.text.as_str()).collect();
        SearchRecord {
            kind: RecordKind::Consultation,
            id: c.id.clone(),
            title: c.title.clone(),
            meta: content.site.department_name(&c.department).to_string(),
            body: format!("{} {}", c.summary, articles.join(" ")),
            date: Some(c.open_on),
            domain: None,
        }
    });
    notices.chain(consultations)
}

fn community_records(content: &Content) -> impl Iterator<Item = SearchRecord> + '_ {
    content.communities.iter().flat_map(|community| {
        community.posts().enumerate().map(move |(n, (_, post))| SearchRecord {
            kind: RecordKind::CommunityPost,
            id: part_id(&community.id, n),
            title: post.title.clone(),
            meta: format!("{} {}", community.name, community.street),
            body: post.body.clone(),
            date: Some(post.published_on),
            domain: None,
        })
    })
}

/// A decision is found by its party (an organisation), its matter and its 文书号. A natural
/// person's name, even masked, is in no field: nobody is searchable by name.
fn admin_record(content: &Content, r: &AdminRecord) -> SearchRecord {
    let party = if r.party.party_type == PartyType::NaturalPerson { "" } else { r.party.name.as_str() };
    SearchRecord {
        kind: RecordKind::AdminRecord,
        id: r.id.clone(),
        title: r.matter.clone(),
        meta: format!("{} {party} {} {}", r.decision_no, content.site.department_name(&r.authority), label_of(&r.kind)),
        body: r.result.clone(),
        date: Some(r.decided_on),
        domain: None,
    }
}

/// Milestones: found by their own titles, opening their task.
fn milestone_records(content: &Content) -> impl Iterator<Item = SearchRecord> + '_ {
    content.key_work.iter().flat_map(|k| {
        k.milestones.iter().enumerate().map(move |(n, m)| SearchRecord {
            kind: RecordKind::Milestone,
            id: part_id(&k.id, n),
            title: m.title.clone(),
            meta: String::new(),
            body: String::new(),
            date: Some(m.date),
            domain: None,
        })
    })
}

/// A document and each of its attachments, found by its own title and opening the document.
pub fn document_records(d: &Document) -> impl Iterator<Item = SearchRecord> + '_ {
    let document = SearchRecord {
        kind: RecordKind::Document,
        id: d.id.clone(),
        title: d.title.clone(),
        meta: format!("{} {} {}", d.doc_no.as_deref().unwrap_or(""), d.issuer, d.index_no),
        body: d.body.clone(),
        date: Some(d.published_on),
        domain: d.domain.clone(),
    };
    let attachments = d.attachments.iter().enumerate().map(|(n, a)| SearchRecord {
        kind: RecordKind::Attachment,
        id: part_id(&d.id, n),
        title: a.title.clone(),
        meta: a.format.clone(),
        body: String::new(),
        date: Some(d.published_on),
        domain: d.domain.clone(),
    });
    std::iter::once(document).chain(attachments)
}

/// The order records are numbered in, which ranks them within a match class: the items a
/// visitor looks for (documents, guides, catalogue items …) before the many records and parts
/// that share their words (decisions, community posts, attachments, milestones); in each,
/// newest first and undated records last.
pub fn sort_in_rank_order(records: &mut [SearchRecord]) {
    records.sort_by(|a, b| {
        a.kind.is_detail()
            .cmp(&b.kind.is_detail())
            .then(b.date.is_some().cmp(&a.date.is_some()))
            .then(b.date.cmp(&a.date))
    });
}
