//! The content model: what a bundle holds, as typed Rust values.
//!
//! Field names are English; enum values are the Chinese terms office staff use, so that
//! hand-edited JSON reads naturally. Every struct denies unknown fields so that a typo in a
//! bundle is reported instead of silently ignored.

mod admin;
mod catalogue;
mod community;
mod consultation;
mod disclosure_stats;
mod document;
mod guide;
mod interpretation;
mod key_work;
mod notice;
mod site;

use serde::{Deserialize, Serialize};

pub use admin::{AdminKind, AdminRecord, AdminResults, DepartmentMonth, Party, PartyType};
pub use catalogue::{Audience, Catalogue, CatalogueItem, DisclosureMode, Domain, STANDARD_DOMAINS};
pub use community::{Community, CommunityKind, CommunityPost, FinanceLine, FinanceReport, MoneyFlow};
pub use consultation::{Consultation, ConsultationFeedback, ConsultationStatus, DraftArticle};
pub use disclosure_stats::{CountByKind, DisclosureYear, RequestStats, ReviewStats};
pub use document::{Attachment, Category, Disclosure, Document, Validity};
pub use guide::{Material, ServiceGuide};
pub use interpretation::{Illustration, Interpretation, QuestionAnswer};
pub use key_work::{KeyWork, KeyWorkStatus, Milestone};
pub use notice::{Notice, NoticeLevel};
pub use site::{Department, Site};

/// Everything one bundle holds, after parsing. (It is serialized only into a saved cover,
/// `library::cover`.)
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Content {
    pub site: Site,
    pub catalogue: Catalogue,
    pub documents: Vec<Document>,
    pub interpretations: Vec<Interpretation>,
    pub key_work: Vec<KeyWork>,
    pub admin_results: AdminResults,
    pub disclosure_stats: Vec<DisclosureYear>,
    pub consultations: Vec<Consultation>,
    pub service_guides: Vec<ServiceGuide>,
    pub notices: Vec<Notice>,
    pub communities: Vec<Community>,
}

/// The Chinese name of an enum value, as the content files write it.
pub fn label_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        _ => String::new(),
    }
}
