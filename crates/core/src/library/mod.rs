//! The content a screen shows, ready to browse: the checked content model, its search index
//! and where each id lives. Built once per bundle, before any screen needs it; at a start, a
//! saved cover (`cover`) may stand in for it until it is built.

pub mod cover;

use std::{collections::HashMap, path::{Path, PathBuf}};

use crate::{
    content::model::{Content, Document, Interpretation},
    handwriting::TitleChars,
    listing::Facets,
    search::{RecordKind, SearchIndex, part_id, records_from_content},
};

/// Where a searchable item is in the content model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    Document(usize),
    CatalogueItem { domain: usize, item: usize },
    Guide(usize),
    Interpretation(usize),
    KeyWork(usize),
    Notice(usize),
    Consultation(usize),
    /// The post's place in `Community::posts`.
    CommunityPost { community: usize, post: usize },
    AdminRecord(usize),
}

pub struct Library {
    pub content: Content,
    /// The bundle folder, for the images the content names.
    pub folder: PathBuf,
    pub search: SearchIndex,
    /// The titles' characters, for 手写: offered first, and 联想.
    pub title_chars: TitleChars,
    pub facets: Facets,
    positions: HashMap<(RecordKind, String), Position>,
    /// While a cover is shown: what the bundle holds that is not loaded yet.
    to_come: Option<ToCome>,
}

/// The parts of a bundle that grow with it, counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ToCome {
    pub documents: usize,
    pub interpretations: usize,
    /// 解读 with 图解 images.
    pub illustrated: usize,
}

impl ToCome {
    pub fn of(documents: &[Document], interpretations: &[Interpretation]) -> Self {
        let illustrated = interpretations.iter().filter(|i| i.is_illustrated()).count();
        Self { documents: documents.len(), interpretations: interpretations.len(), illustrated }
    }
}

impl Library {
    pub fn new(content: Content, folder: impl Into<PathBuf>) -> Self {
        let records = records_from_content(&content);
        let title_chars = TitleChars::from_titles(records.iter().map(|r| r.title.as_str()));
        let search = SearchIndex::build(records);
        let facets = Facets::of(&content);
        let mut positions = HashMap::new();
        let mut put = |kind, id: &str, position| {
            positions.insert((kind, id.to_string()), position);
        };
        for (i, d) in content.documents.iter().enumerate() {
            put(RecordKind::Document, &d.id, Position::Document(i));
            for n in 0..d.attachments.len() {
                put(RecordKind::Attachment, &part_id(&d.id, n), Position::Document(i));
            }
        }
        for (domain, d) in content.catalogue.domains.iter().enumerate() {
            for (item, it) in d.items.iter().enumerate() {
                put(RecordKind::Catalogue, &it.id, Position::CatalogueItem { domain, item });
            }
        }
        for (i, g) in content.service_guides.iter().enumerate() {
            put(RecordKind::Guide, &g.id, Position::Guide(i));
        }
        for (i, x) in content.interpretations.iter().enumerate() {
            put(RecordKind::Interpretation, &x.id, Position::Interpretation(i));
        }
        for (i, k) in content.key_work.iter().enumerate() {
            put(RecordKind::KeyWork, &k.id, Position::KeyWork(i));
            for n in 0..k.milestones.len() {
                put(RecordKind::Milestone, &part_id(&k.id, n), Position::KeyWork(i));
            }
        }
        for (i, n) in content.notices.iter().enumerate() {
            put(RecordKind::Notice, &n.id, Position::Notice(i));
        }
        for (i, c) in content.consultations.iter().enumerate() {
            put(RecordKind::Consultation, &c.id, Position::Consultation(i));
        }
        for (community, c) in content.communities.iter().enumerate() {
            for post in 0..c.posts().count() {
                put(RecordKind::CommunityPost, &part_id(&c.id, post), Position::CommunityPost { community, post });
            }
        }
        for (i, r) in content.admin_results.records.iter().enumerate() {
            put(RecordKind::AdminRecord, &r.id, Position::AdminRecord(i));
        }
        Self { content, folder: folder.into(), search, title_chars, facets, positions, to_come: None }
    }

    /// The library of a saved cover: all but the documents and 解读, which are still to come.
    pub fn of_cover(cover: cover::Cover, folder: impl Into<PathBuf>) -> Self {
        let to_come = cover.to_come;
        Self { to_come: Some(to_come), ..Self::new(cover.content, folder) }
    }

    /// Whether the documents and 解读 are loaded: false while a cover is shown.
    pub fn is_complete(&self) -> bool {
        self.to_come.is_none()
    }

    /// How many documents and 解读 the bundle holds, loaded or still to come.
    pub fn to_come(&self) -> ToCome {
        self.to_come.unwrap_or_else(|| ToCome::of(&self.content.documents, &self.content.interpretations))
    }

    /// An image of the bundle (checked to decode), as RGBA pixels.
    pub fn image(&self, file: &str) -> Result<image::RgbaImage, String> {
        let path: &Path = file.as_ref();
        image::open(self.folder.join(path)).map(|i| i.to_rgba8()).map_err(|e| format!("{file}: {e}"))
    }

    /// A department's name by its id (the id itself if unknown, which the checker prevents).
    pub fn department_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.content.site.department_name(id)
    }

    pub fn locate(&self, kind: RecordKind, id: &str) -> Option<Position> {
        self.positions.get(&(kind, id.to_string())).copied()
    }

    pub fn document(&self, id: &str) -> Option<usize> {
        match self.locate(RecordKind::Document, id)? {
            Position::Document(i) => Some(i),
            _ => None,
        }
    }

    pub fn interpretation(&self, id: &str) -> Option<usize> {
        match self.locate(RecordKind::Interpretation, id)? {
            Position::Interpretation(i) => Some(i),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        content::check::{CheckOptions, check_bundle},
        search::SearchQuery,
    };

    #[test]
    fn every_search_hit_has_a_place_to_open() {
        let demo = std::path::Path::new(crate::config::SOURCE_TREE_ASSETS).join("demo");
        let library = Library::new(check_bundle(&demo, &CheckOptions::at_local_now()).content, &demo);
        let results = library.search.search(&SearchQuery { text: "gz", limit: 1000, ..Default::default() });
        assert!(results.hits.len() > 5);
        for hit in results.hits {
            let info = library.search.record(hit.record);
            assert!(library.locate(info.kind, info.id).is_some(), "{info:?}");
        }
        let first = &library.content.documents[3];
        assert_eq!(library.document(&first.id), Some(3));
    }
}
