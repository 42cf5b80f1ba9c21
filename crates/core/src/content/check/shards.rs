//! Document shards, read one at a time. A shard's own checks (its text, its types, the rules
//! on each document's values) run while it is in memory; of each document only the facts the
//! checks across files need are kept, and the document itself only when the content is to be
//! shown. So a bundle is verified holding one shard at a time, and a shard found clean before
//! (`ShardMemo`) need not be read again.

use std::{
    collections::{HashMap, HashSet},
    fs, io,
    path::Path,
};

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::{Reader, files::Listing, is_document_shard, parse::Located, problem::Problems, rules};
use crate::{content::model::Document, replace_file::replace_file};

/// What the checks across files need of one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentFacts {
    /// Its place in its shard's array.
    pub index: usize,
    pub id: Box<str>,
    #[serde(with = "day_number")]
    pub published_on: NaiveDate,
    pub domain: Option<Box<str>>,
    pub interpretations: Vec<Box<str>>,
    /// The attachments that name a bundle file: their place in the list and the file.
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
    /// Its place among the bundle's shards.
    position: usize,
    pub documents: Vec<DocumentFacts>,
    /// Whether the shard had no problem of its own: what the memo keeps.
    clean: bool,
}

pub struct Shards {
    /// In the bundle's order, once `finish`ed.
    pub list: Vec<Shard>,
    /// Whether every document of every shard was typed.
    pub complete: bool,
    /// How many shards were read (not taken from a memo).
    pub read: usize,
    /// The documents themselves, when kept to be shown.
    pub documents: Vec<Document>,
}

impl Default for Shards {
    fn default() -> Self {
        Self { list: Vec::new(), complete: true, read: 0, documents: Vec::new() }
    }
}

impl Shards {
    pub fn facts(&self) -> impl Iterator<Item = (&str, &DocumentFacts)> {
        self.list.iter().flat_map(|s| s.documents.iter().map(move |d| (s.path.as_str(), d)))
    }

    pub fn document_count(&self) -> usize {
        self.list.iter().map(|s| s.documents.len()).sum()
    }

    /// Puts the shards read in several passes back in the bundle's order.
    pub fn finish(&mut self) {
        self.list.sort_by_key(|s| s.position);
    }
}

/// What is kept of the shards read.
pub enum Keeping {
    /// The documents, to show them.
    Documents,
    /// Only their facts; the shards of `memo` found in the bundle are not read.
    Facts { memo: Option<ShardMemo> },
}

/// How the shards are read.
pub struct ShardReading {
    pub keep_documents: bool,
    /// The clock the rules check against.
    pub checked_at: NaiveDateTime,
}

impl ShardReading {
    /// Reads the shards of the bundle that `wanted` names, in the bundle's order, unless
    /// `remembered` gives the facts of one found clean before. Problems of reading go to
    /// `problems`; those of the rules on documents' values to `rule_problems`, as they are
    /// reported after the checks across files.
    pub fn read(
        &self,
        reader: &Reader,
        shards: &mut Shards,
        wanted: impl Fn(&str) -> bool,
        mut remembered: impl FnMut(&str) -> Option<Vec<DocumentFacts>>,
        problems: &mut Problems,
        rule_problems: &mut Problems,
    ) {
        let files = reader.files.iter().filter(|f| is_document_shard(&f.path)).enumerate();
        for (position, file) in files.filter(|(_, f)| wanted(&f.path)) {
            let path = file.path.clone();
            if let Some(documents) = remembered(&file.path) {
                shards.list.push(Shard { path, position, documents, clean: true });
                continue;
            }
            shards.read += 1;
            let (mut own, mut own_rules) = (Problems::default(), Problems::default());
            let (documents, complete) = reader.array::<Document>(&file.path, "documents", &mut own);
            rules::documents(&documents, self.checked_at, &mut own_rules);
            let clean = complete && own.0.is_empty() && own_rules.0.is_empty();
            shards.complete &= complete;
            shards.list.push(Shard { path, position, documents: documents.iter().map(DocumentFacts::of).collect(), clean });
            if self.keep_documents {
                shards.documents.extend(documents.into_iter().map(|l| l.item));
            }
            problems.0.append(&mut own.0);
            rule_problems.0.append(&mut own_rules.0);
        }
    }

    /// Reads the shards as `read` does, taking from `memo` the facts of those it holds clean.
    /// A shard is taken only once the hashing has verified that its bytes are the ones the
    /// memo knows, so those wait for `hashing` (whose outcome is returned); the shards the
    /// manifest (`claimed`) says are new are read while it runs.
    #[allow(clippy::too_many_arguments)]
    pub fn read_with_memo(
        &self,
        reader: &Reader,
        mut memo: ShardMemo,
        claimed: &HashMap<String, String>,
        hashing: impl FnOnce() -> (Listing, Problems),
        shards: &mut Shards,
        problems: &mut Problems,
        rule_problems: &mut Problems,
    ) -> (Listing, Problems) {
        let held: HashMap<&str, &str> = claimed
            .iter()
            .filter(|(_, sha)| memo.holds(sha, self.checked_at))
            .map(|(path, sha)| (path.as_str(), sha.as_str()))
            .collect();
        // The facts of shards no longer in the bundle are not needed.
        let wanted: HashSet<&str> = held.values().copied().collect();
        memo.shards.retain(|sha, _| wanted.contains(sha.as_str()));
        self.read(reader, shards, |path| !held.contains_key(path), |_| None, problems, rule_problems);
        let hashed = hashing();
        let remembered = |path: &str| memo.take(hashed.0.verified.get(path)?, self.checked_at);
        self.read(reader, shards, |path| held.contains_key(path), remembered, problems, rule_problems);
        hashed
    }
}

/// The facts of shards found clean, by SHA-256, so that a later check of a bundle sharing
/// them (the next version synced) reads only the shards that changed. The checks across files
/// run again in full on the facts.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ShardMemo {
    /// The checker that found them clean: another build may check differently (a new rule,
    /// another font, other facts).
    checker: String,
    /// The clock they were checked against. A shard clean then is clean at any later time
    /// (no date in it has come to lie in the future), not at an earlier one.
    checked_at: Option<NaiveDateTime>,
    shards: HashMap<String, Vec<DocumentFacts>>,
}

/// Which checker build this is: a fingerprint of its code and font coverage (`build.rs`).
pub(crate) const CHECKER: &str = env!("GONGKAI_CHECKER_FINGERPRINT");

impl ShardMemo {
    /// The memo of the shards of a check just made: those clean, by the SHA-256 their files
    /// were `verified` to have against the manifest. (The hashing reads a file apart from
    /// its parsing: a shard written over during the check could be kept under the hash of
    /// other bytes. Nothing writes into a bundle being checked.)
    pub fn of(shards: Shards, verified: &HashMap<String, String>, checked_at: NaiveDateTime) -> Self {
        let clean = shards.list.into_iter().filter(|s| s.clean).filter_map(|s| Some((verified.get(&s.path)?.clone(), s.documents)));
        Self { checker: CHECKER.into(), checked_at: Some(checked_at), shards: clean.collect() }
    }

    /// Whether this memo serves a check at `checked_at` by this checker.
    pub fn usable(&self, checked_at: NaiveDateTime) -> bool {
        self.checker == CHECKER && self.checked_at.is_some_and(|then| then <= checked_at)
    }

    /// Whether the shard with this SHA-256 was clean for a check at `checked_at`.
    fn holds(&self, sha256: &str, checked_at: NaiveDateTime) -> bool {
        self.usable(checked_at) && self.shards.contains_key(sha256)
    }

    /// The facts of the shard with this SHA-256, if it was clean for a check at `checked_at`,
    /// taken out of the memo (a second shard of the same bytes is read).
    fn take(&mut self, sha256: &str, checked_at: NaiveDateTime) -> Option<Vec<DocumentFacts>> {
        if !self.holds(sha256, checked_at) {
            return None;
        }
        self.shards.remove(sha256)
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
        postcard::from_bytes(&fs::read(path).ok()?).ok()
    }

    /// Saves the memo at `path`, replaced whole.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        replace_file(path, &postcard::to_stdvec(self).map_err(io::Error::other)?)
    }
}

/// A day as its number from the common era: the memo is read on every sync, and a number
/// reads faster than a date's text.
mod day_number {
    use chrono::{Datelike, NaiveDate};
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(day: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i32(day.num_days_from_ce())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        let number = i32::deserialize(deserializer)?;
        NaiveDate::from_num_days_from_ce_opt(number).ok_or_else(|| D::Error::custom(format!("no day number {number}")))
    }
}
