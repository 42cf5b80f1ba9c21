//! The content checker: everything a bundle must satisfy before a screen shows it.
//! See `docs/content-format.md` ("What the checker refuses") for the rules.

mod displayed_text;
mod files;
mod pages;
mod parse;
mod problem;
mod references;
mod rules;
mod shards;

use std::{collections::HashSet, path::Path};

use chrono::NaiveDateTime;
use serde::de::DeserializeOwned;

pub use problem::{Place, Problem};
pub use shards::ShardMemo;
pub(crate) use shards::CHECKER;
use parse::{Located, read_json, typed, typed_items};
use problem::Problems;
use files::Listing;
use shards::{Keeping, ShardReading, Shards};

use super::{
    bundle_files::{self as names, BundleFile},
    living_demo::DemoClock,
    manifest::Manifest,
    model::*,
    workspace::Kind,
};

#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    /// The hall's local time: nothing may be published after it.
    pub now: NaiveDateTime,
}

impl CheckOptions {
    /// Checks against the hall's local clock.
    pub fn at_local_now() -> Self {
        Self { now: chrono::Local::now().naive_local() }
    }
}

/// The outcome of checking a bundle: the content that parsed, and every problem found.
/// Content is only fit to show when `problems` is empty.
#[derive(Debug, Default)]
pub struct Checked {
    pub content: Content,
    pub manifest: Option<Manifest>,
    pub problems: Vec<Problem>,
}

impl Checked {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The outcome of verifying a bundle without loading it: every problem found, and the memo
/// of its clean shards for the next check.
#[derive(Debug, Default)]
pub struct Verified {
    pub manifest: Option<Manifest>,
    pub problems: Vec<Problem>,
    pub memo: ShardMemo,
    /// The document shards read, of `shard_count` in the bundle: the others were clean in the
    /// memo.
    pub shards_read: usize,
    pub shard_count: usize,
    pub counts: Counts,
}

/// How much a bundle holds, for a report.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub documents: usize,
    pub interpretations: usize,
    pub service_guides: usize,
    pub key_work: usize,
}

impl Counts {
    pub fn of(content: &Content) -> Self {
        Self {
            documents: content.documents.len(),
            interpretations: content.interpretations.len(),
            service_guides: content.service_guides.len(),
            key_work: content.key_work.len(),
        }
    }
}

impl Verified {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks the bundle folder `root` and loads its content. Never panics, whatever the folder
/// holds. A demo bundle is checked as of its own day and its content moved to `options.now`
/// (`living_demo`).
pub fn check_bundle(root: &Path, options: &CheckOptions) -> Checked {
    let Examined { mut parsed, listing: Listing { manifest, .. }, problems, clock } = examine(root, options, Keeping::Documents);
    let documents = std::mem::take(&mut parsed.shards.documents);
    let mut content = parsed.into_content(documents);
    clock.apply(&mut content);
    pages::attach(&mut content, manifest.as_ref());
    Checked { content, manifest, problems }
}

/// Finds the same problems as `check_bundle` holding one document shard at a time, and reads
/// only the shards not clean in `memo` (the memo of the bundle checked before, which shares
/// most of them).
pub fn verify_bundle(root: &Path, options: &CheckOptions, memo: Option<ShardMemo>) -> Verified {
    let Examined { parsed, listing, problems, clock } = examine(root, options, Keeping::Facts { memo });
    let (shards_read, shard_count) = (parsed.shards.read, parsed.shards.list.len());
    let counts = Counts {
        documents: parsed.shards.document_count(),
        interpretations: parsed.interpretations.len(),
        service_guides: parsed.service_guides.len(),
        key_work: parsed.key_work.len(),
    };
    let memo = ShardMemo::of(parsed.shards, &listing.verified, clock.checked_at);
    Verified { manifest: listing.manifest, problems, memo, shards_read, shard_count, counts }
}

struct Examined {
    parsed: Parsed,
    listing: Listing,
    problems: Vec<Problem>,
    clock: DemoClock,
}

fn examine(root: &Path, options: &CheckOptions, keeping: Keeping) -> Examined {
    let mut problems = Problems::default();
    let (files, rejected) = match names::walk(root) {
        Ok(found) => found,
        Err(e) => {
            problems.whole(".", format!("cannot read the bundle folder {}: {e}", root.display()));
            let clock = DemoClock::for_site(None, options.now);
            return Examined { parsed: Parsed::default(), listing: Listing::default(), problems: problems.0, clock };
        }
    };
    for entry in rejected {
        problems.whole(&entry.path, entry.reason);
    }
    let mut document_rules = Problems::default();
    // Hashing every file against the manifest is most of a large bundle's reading; it runs
    // beside the parsing on a second core. Its problems come first, as when run in turn.
    let (listing, parsed, clock, later) = std::thread::scope(|scope| {
        let hashing = scope.spawn(|| {
            let mut problems = Problems::default();
            (files::check_manifest(root, &files, &mut problems), problems)
        });
        let join = || hashing.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let mut later = Problems::default();
        files::check_images(root, &files, &mut later);
        let reader = Reader { root, files: &files };
        let mut parsed = Parsed::load(&reader, &mut later);
        let clock = DemoClock::for_site(parsed.site.as_ref(), options.now);
        let reading = ShardReading { keep_documents: matches!(keeping, Keeping::Documents), checked_at: clock.checked_at };
        let memo = match keeping {
            Keeping::Facts { memo } => memo.filter(|memo| memo.usable(clock.checked_at)),
            Keeping::Documents => None,
        };
        let mut shards = Shards::default();
        let (listing, found) = match memo {
            Some(memo) => {
                let claimed = files::claimed_shard_hashes(root, &files);
                reading.read_with_memo(&reader, memo, &claimed, join, &mut shards, &mut later, &mut document_rules)
            }
            None => {
                reading.read(&reader, &mut shards, |_| true, |_| None, &mut later, &mut document_rules);
                join()
            }
        };
        shards.finish();
        parsed.shards = shards;
        let file_set: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        references::check(&parsed, &file_set, &mut later);
        problems.0.extend(found.0);
        (listing, parsed, clock, later)
    });
    problems.0.extend(later.0);
    if let Some(manifest) = &listing.manifest {
        pages::check(&parsed, &files, manifest, &mut problems);
    }
    rules::check(&parsed, &CheckOptions { now: clock.checked_at }, &mut problems);
    problems.0.extend(document_rules.0);

    let mut problems = problems.0;
    problems.sort_by(|a, b| a.file.cmp(&b.file));
    Examined { parsed, listing, problems, clock }
}

/// Checks one workspace item of `kind` by the bundle's own rules (its displayed text, its
/// type, the rules on its values), with problems placed at the item's own fields (`$.title`).
/// What needs the rest of the content (references, unique keys) is left to the whole bundle.
pub fn check_item(kind: Kind, body: &serde_json::Value, options: &CheckOptions) -> Vec<Problem> {
    const FILE: &str = "item";
    let mut problems = Problems::default();
    displayed_text::check(body, FILE, &mut problems);
    fn one<T: DeserializeOwned>(body: &serde_json::Value, problems: &mut Problems) -> Option<Vec<Located<T>>> {
        typed::<T>(body.clone(), FILE, "$", problems).map(|item| vec![Located { file: FILE.into(), index: 0, item }])
    }
    let mut parsed = Parsed::default();
    let typed_ok = match kind {
        Kind::Documents => one(body, &mut problems).map(|items| rules::documents(&items, options.now, &mut problems)),
        Kind::Interpretations => one(body, &mut problems).map(|items| parsed.interpretations = items),
        Kind::KeyWork => one(body, &mut problems).map(|items| parsed.key_work = items),
        Kind::DisclosureStats => one(body, &mut problems).map(|items| parsed.disclosure_stats = items),
        Kind::Consultations => one(body, &mut problems).map(|items| parsed.consultations = items),
        Kind::ServiceGuides => one(body, &mut problems).map(|items| parsed.service_guides = items),
        Kind::Notices => one(body, &mut problems).map(|items| parsed.notices = items),
        Kind::Communities => one(body, &mut problems).map(|items| parsed.communities = items),
        Kind::AdminRecords => typed(body.clone(), FILE, "$", &mut problems).map(|record| parsed.admin_results = Some(AdminResults { records: vec![record], monthly: Vec::new() })),
        Kind::AdminMonthly => typed(body.clone(), FILE, "$", &mut problems).map(|month| parsed.admin_results = Some(AdminResults { records: Vec::new(), monthly: vec![month] })),
        Kind::Site => typed(body.clone(), FILE, "$", &mut problems).map(|site| parsed.site = Some(site)),
        Kind::Domains => typed::<Domain>(body.clone(), FILE, "$", &mut problems).map(drop),
    };
    if typed_ok.is_some() {
        rules::check(&parsed, options, &mut problems);
    }
    // The rules place an item at its place in its file (`$[0]`, `$.records[0]`); here the
    // item is the whole value.
    for problem in &mut problems.0 {
        if let Place::Json(path) = &mut problem.place
            && let Some(rest) = ["$[0]", "$.records[0]", "$.monthly[0]"].iter().find_map(|prefix| path.strip_prefix(prefix))
        {
            *path = format!("${rest}");
        }
        problem.file = FILE.into();
    }
    problems.0
}

/// Content as parsed, each array item with the place it came from.
#[derive(Default)]
struct Parsed {
    /// Kinds of which something failed to parse. References to them are not checked: an
    /// item that did not parse would otherwise show up again as "unknown" wherever it is
    /// referred to, burying the real problem. (For documents, `shards.complete` says it.)
    incomplete: Incomplete,
    site: Option<Site>,
    catalogue: Option<Catalogue>,
    shards: Shards,
    interpretations: Vec<Located<Interpretation>>,
    key_work: Vec<Located<KeyWork>>,
    admin_results: Option<AdminResults>,
    disclosure_stats: Vec<Located<DisclosureYear>>,
    consultations: Vec<Located<Consultation>>,
    service_guides: Vec<Located<ServiceGuide>>,
    notices: Vec<Located<Notice>>,
    communities: Vec<Located<Community>>,
}

#[derive(Default)]
struct Incomplete {
    departments: bool,
    domains: bool,
    interpretations: bool,
}

impl Parsed {
    /// Reads every file but the document shards, which `ShardReading` reads.
    fn load(reader: &Reader, problems: &mut Problems) -> Self {
        let (interpretations, interpretations_complete) =
            reader.array(names::INTERPRETATIONS, "interpretations", problems);
        let mut parsed = Parsed {
            site: reader.object(names::SITE, true, problems),
            catalogue: reader.object(names::CATALOGUE, true, problems),
            interpretations,
            key_work: reader.array(names::KEY_WORK, "key work tasks", problems).0,
            admin_results: reader.object(names::ADMIN_RESULTS, false, problems),
            disclosure_stats: reader.array(names::DISCLOSURE_STATS, "yearly statistics", problems).0,
            consultations: reader.array(names::CONSULTATIONS, "consultations", problems).0,
            service_guides: reader.array(names::SERVICE_GUIDES, "service guides", problems).0,
            notices: reader.array(names::NOTICES, "notices", problems).0,
            communities: reader.array(names::COMMUNITIES, "communities", problems).0,
            ..Parsed::default()
        };
        parsed.incomplete = Incomplete {
            departments: parsed.site.is_none(),
            domains: parsed.catalogue.is_none(),
            interpretations: !interpretations_complete,
        };
        parsed
    }

    fn into_content(self, documents: Vec<Document>) -> Content {
        fn items<T>(list: Vec<Located<T>>) -> Vec<T> {
            list.into_iter().map(|l| l.item).collect()
        }
        Content {
            site: self.site.unwrap_or_default(),
            catalogue: self.catalogue.unwrap_or_default(),
            documents,
            interpretations: items(self.interpretations),
            key_work: items(self.key_work),
            admin_results: self.admin_results.unwrap_or_default(),
            disclosure_stats: items(self.disclosure_stats),
            consultations: items(self.consultations),
            service_guides: items(self.service_guides),
            notices: items(self.notices),
            communities: items(self.communities),
        }
    }
}

/// `documents/NAME.json`, directly inside the documents folder.
pub fn is_document_shard(path: &str) -> bool {
    path.strip_prefix("documents/")
        .is_some_and(|name| !name.contains('/') && name.ends_with(".json"))
}

struct Reader<'a> {
    root: &'a Path,
    files: &'a [BundleFile],
}

impl Reader<'_> {
    /// Reads `file` and checks its displayed text; `None` when absent or unparsable.
    fn value(&self, file: &str, required: bool, problems: &mut Problems) -> Option<serde_json::Value> {
        let Some(found) = self.files.iter().find(|f| f.path == file) else {
            if required {
                problems.whole(file, "required file is missing");
            }
            return None;
        };
        let value = read_json(self.root, file, found.size, problems)?;
        displayed_text::check(&value, file, problems);
        Some(value)
    }

    fn object<T: DeserializeOwned>(&self, file: &str, required: bool, problems: &mut Problems) -> Option<T> {
        let value = self.value(file, required, problems)?;
        typed(value, file, "$", problems)
    }

    /// The typed items of an optional array file, and whether all of them could be read.
    fn array<T: DeserializeOwned>(&self, file: &str, what: &str, problems: &mut Problems) -> (Vec<Located<T>>, bool) {
        if !self.files.iter().any(|f| f.path == file) {
            return (Vec::new(), true);
        }
        match self.value(file, false, problems) {
            Some(value) => typed_items(value, file, what, problems),
            None => (Vec::new(), false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_document_is_checked_by_the_bundle_rules_at_its_fields() {
        let document = serde_json::json!({
            "id": "d-1", "index_no": "X/2024-001", "title": "联系电话13812345678", "issuer": "样例区人民政府",
            "written_on": "2024-03-05", "published_on": "2024-03-01", "topic": "综合政务",
            "disclosure": "依申请公开", "validity": "有效", "body": " "
        });
        let options = CheckOptions { now: chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap().and_hms_opt(9, 0, 0).unwrap() };
        let found: Vec<String> = check_item(Kind::Documents, &document, &options).iter().map(ToString::to_string).collect();
        for expected in ["$.title: unmasked mobile number", "$.body: must not be blank", "$.disclosure: only 主动公开", "$.published_on: published 2024-03-01, before"] {
            assert!(found.iter().any(|p| p.contains(expected)), "{expected}: {found:?}");
        }
        let mut future = document.clone();
        future["published_on"] = "2024-07-01".into();
        future["written_on"] = "2024-07-01".into();
        assert!(check_item(Kind::Documents, &future, &options).iter().any(|p| p.to_string().contains("$.published_on: 2024-07-01 is in the future")));
        let mut wrong_type = document;
        wrong_type["validity"] = "作废".into();
        assert!(check_item(Kind::Documents, &wrong_type, &options).iter().any(|p| p.to_string().contains("$.validity: unknown variant")));
    }
}
