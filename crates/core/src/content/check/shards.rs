//! Document shards, read one at a time. A shard's own checks (its text, its types, the rules
//! on each document's values) run while it is in memory; of each document only the facts the
//! checks across files need are kept, and the document itself only when the content is to be
//! shown. So a bundle is verified holding one shard at a time, and a shard found clean before
//! (`ShardMemo`) need not be read again.

use std::{
    collections::HashMap,
    fs, io,
    path::Path,
};

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::{Reader, is_document_shard, parse::Located, problem::Problems, rules};
use crate::content::model::Document;

/// What the checks across files need of one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentFacts {
    /// Its place in its shard's array.
    pub index: usize,
    pub id: Box<str>,
    pub published_on: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<Box<str>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interpretations: Vec<Box<str>>,
    /// The attachments that name a bundle file: their place in the list and the file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attached_files: Vec<(usize, Box<str>)>,
}

impl DocumentFacts {
    fn of(located: &Located<Document>) -> Self {
        let document = &located.item;
        Self {
            index: located.index,
            id: document.id.as_str().into(),
            published_on: document.published_on,
            domain: document.domain.as_deref().map(Into::into),
            interpretations: document.interpretations.iter().map(|id| id.as_str().into()).collect(),
            attached_files: document
                .attachments
                .iter()
                .enumerate()
                .filter_map(|(k, a)| Some((k, a.file.as_deref()?.into())))
                .collect(),
        }
    }

    /// JSON path of a field of this document, e.g. `field(".domain")` → `$[3].domain`.
    pub fn field(&self, suffix: &str) -> String {
        format!("$[{}]{suffix}", self.index)
    }
}

pub struct Shard {
    pub path: String,
    pub documents: Vec<DocumentFacts>,
    /// Whether the shard had no problem of its own: what the memo keeps.
    clean: bool,
}

#[derive(Default)]
pub struct Shards {
    pub list: Vec<Shard>,
    /// Whether every document of every shard was typed.
    pub complete: bool,
    /// How many shards were read (not taken from a memo).
    pub read: usize,
    /// The documents themselves, when kept to be shown.
    pub documents: Vec<Document>,
}

impl Shards {
    pub fn facts(&self) -> impl Iterator<Item = (&str, &DocumentFacts)> {
        self.list.iter().flat_map(|s| s.documents.iter().map(move |d| (s.path.as_str(), d)))
    }
}

/// What is kept of the shards read.
#[derive(Clone, Copy)]
pub enum Keeping<'a> {
    /// The documents, to show them.
    Documents,
    /// Only their facts; the shards of `memo` found in the bundle are not read.
    Facts { memo: Option<&'a ShardMemo> },
}

/// How the shards are read.
pub struct ShardReading<'a> {
    pub keeping: Keeping<'a>,
    /// The SHA-256 of each file whose bytes were verified against the manifest.
    pub verified: Option<&'a HashMap<String, String>>,
    /// The clock the rules check against.
    pub checked_at: NaiveDateTime,
}

impl ShardReading<'_> {
    /// Reads every shard of the bundle. Problems of reading go to `problems`; those of the
    /// rules on documents' values to `rule_problems`, as they are reported after the checks
    /// across files.
    pub fn read(&self, reader: &Reader, problems: &mut Problems, rule_problems: &mut Problems) -> Shards {
        let mut shards = Shards { complete: true, ..Shards::default() };
        for file in reader.files.iter().filter(|f| is_document_shard(&f.path)) {
            let sha256 = self.verified.and_then(|v| v.get(&file.path));
            let memo = match self.keeping {
                Keeping::Facts { memo } => memo,
                Keeping::Documents => None,
            };
            if let Some(documents) = sha256.and_then(|sha| memo?.clean(sha, self.checked_at)) {
                shards.list.push(Shard { path: file.path.clone(), documents: documents.to_vec(), clean: true });
                continue;
            }
            shards.read += 1;
            let (mut own, mut own_rules) = (Problems::default(), Problems::default());
            let (documents, complete) = reader.array::<Document>(&file.path, "documents", &mut own);
            rules::documents(&documents, self.checked_at, &mut own_rules);
            let clean = complete && own.0.is_empty() && own_rules.0.is_empty();
            shards.complete &= complete;
            shards.list.push(Shard {
                path: file.path.clone(),
                documents: documents.iter().map(DocumentFacts::of).collect(),
                clean,
            });
            if let Keeping::Documents = self.keeping {
                shards.documents.extend(documents.into_iter().map(|l| l.item));
            }
            problems.0.append(&mut own.0);
            rule_problems.0.append(&mut own_rules.0);
        }
        shards
    }
}

/// The facts of shards found clean, by SHA-256, so that a later check of a bundle sharing
/// them (the next version synced) reads only the shards that changed. The checks across files
/// run again in full on the facts.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct ShardMemo {
    /// The program that checked: another may check differently (a new rule, another font).
    checker: String,
    /// The clock they were checked against. A shard clean then is clean at any later time
    /// (no date in it has come to lie in the future), not at an earlier one.
    checked_at: Option<NaiveDateTime>,
    shards: HashMap<String, Vec<DocumentFacts>>,
}

const CHECKER: &str = concat!("gongkai-core ", env!("CARGO_PKG_VERSION"), ", memo 1");

impl ShardMemo {
    /// The memo of the shards of a check just made: those clean, by the SHA-256 their files
    /// were `verified` to have against the manifest (hashed as they were read: a shard
    /// written over during the check is not told apart).
    pub fn of(shards: Shards, verified: &HashMap<String, String>, checked_at: NaiveDateTime) -> Self {
        let clean = shards.list.into_iter().filter(|s| s.clean).filter_map(|s| Some((verified.get(&s.path)?.clone(), s.documents)));
        Self { checker: CHECKER.into(), checked_at: Some(checked_at), shards: clean.collect() }
    }

    fn clean(&self, sha256: &str, checked_at: NaiveDateTime) -> Option<&[DocumentFacts]> {
        let usable = self.checker == CHECKER && self.checked_at.is_some_and(|then| then <= checked_at);
        usable.then(|| self.shards.get(sha256).map(Vec::as_slice)).flatten()
    }

    pub fn len(&self) -> usize {
        self.shards.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shards.is_empty()
    }

    /// The memo saved at `path`; `None` when there is none or it cannot be read (a check then
    /// reads every shard, as without one).
    pub fn load(path: &Path) -> Option<Self> {
        serde_json::from_slice(&fs::read(path).ok()?).ok()
    }

    /// Saves the memo at `path`, replaced whole.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let fresh = path.with_extension("new");
        fs::write(&fresh, serde_json::to_vec(self)?)?;
        fs::rename(&fresh, path)
    }
}
