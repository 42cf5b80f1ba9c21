//! Filtering the 政府信息 list by domain, year, issuer and validity.

use std::collections::BTreeSet;

use chrono::Datelike;

use crate::content::model::{Content, Document, Validity};

/// The visitor's choices; `None` means all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentFilter {
    pub domain: Option<String>,
    pub year: Option<i32>,
    pub issuer: Option<String>,
    pub validity: Option<Validity>,
}

impl DocumentFilter {
    fn admits(&self, document: &Document) -> bool {
        self.domain.as_ref().is_none_or(|d| document.domain.as_ref() == Some(d))
            && self.year.is_none_or(|y| document.published_on.year() == y)
            && self.issuer.as_ref().is_none_or(|i| &document.issuer == i)
            && self.validity.is_none_or(|v| document.validity == v)
    }
}

/// Indexes into `content.documents` of the documents the filter admits, newest first.
pub fn filter_documents(content: &Content, filter: &DocumentFilter) -> Vec<usize> {
    let mut found: Vec<usize> =
        (0..content.documents.len()).filter(|&i| filter.admits(&content.documents[i])).collect();
    found.sort_by(|&a, &b| {
        let (a, b) = (&content.documents[a], &content.documents[b]);
        b.published_on.cmp(&a.published_on).then_with(|| a.id.cmp(&b.id))
    });
    found
}

/// The values each filter can take, from the documents themselves.
#[derive(Debug, Clone, Default)]
pub struct Facets {
    /// Domain ids with their names, in catalogue order, only those with documents.
    pub domains: Vec<(String, String)>,
    /// Newest first.
    pub years: Vec<i32>,
    pub issuers: Vec<String>,
}

impl Facets {
    pub fn of(content: &Content) -> Self {
        let used: BTreeSet<&str> = content.documents.iter().filter_map(|d| d.domain.as_deref()).collect();
        let domains = content
            .catalogue
            .domains
            .iter()
            .filter(|d| used.contains(d.id.as_str()))
            .map(|d| (d.id.clone(), d.name.clone()))
            .collect();
        let years: BTreeSet<i32> = content.documents.iter().map(|d| d.published_on.year()).collect();
        let issuers: BTreeSet<&str> = content.documents.iter().map(|d| d.issuer.as_str()).collect();
        Self {
            domains,
            years: years.into_iter().rev().collect(),
            issuers: issuers.into_iter().map(String::from).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::check::{CheckOptions, check_bundle};

    #[test]
    fn filters_combine_and_sort_newest_first() {
        let demo = std::path::Path::new(crate::config::SOURCE_TREE_ASSETS).join("demo");
        let content = check_bundle(&demo, &CheckOptions::at_local_now()).content;
        let all = filter_documents(&content, &DocumentFilter::default());
        assert_eq!(all.len(), content.documents.len());
        assert!(all.windows(2).all(|w| content.documents[w[0]].published_on >= content.documents[w[1]].published_on));

        let facets = Facets::of(&content);
        let year = facets.years[0];
        let issuer = facets.issuers[0].clone();
        let filter = DocumentFilter { year: Some(year), issuer: Some(issuer.clone()), ..Default::default() };
        let found = filter_documents(&content, &filter);
        let expected = content
            .documents
            .iter()
            .filter(|d| d.published_on.year() == year && d.issuer == issuer)
            .count();
        assert_eq!(found.len(), expected);
        assert!(found.iter().all(|&i| content.documents[i].issuer == issuer));

        let repealed = DocumentFilter { validity: Some(Validity::Repealed), ..Default::default() };
        assert!(filter_documents(&content, &repealed).iter().all(|&i| content.documents[i].validity == Validity::Repealed));
    }
}
