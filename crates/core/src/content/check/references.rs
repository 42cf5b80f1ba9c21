//! Ids are unique within their kind and every reference resolves.

use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashMap;

use super::{Parsed, problem::Problems};
use crate::handoff::is_id;
use crate::content::bundle_files::{
    CATALOGUE, SITE, ADMIN_RESULTS, has_image_extension, unconfined_reason,
};

/// Where an id was defined, for the "also at" part of a duplicate message.
struct Definition<'a> {
    id: &'a str,
    file: &'a str,
    path: At,
}

/// The JSON path of a definition: an array file's item by its index (a million documents
/// are not given a million strings), or any other path.
#[derive(Clone)]
enum At {
    Item(usize),
    Other(Box<str>),
}

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            At::Item(index) => write!(f, "$[{index}]"),
            At::Other(path) => f.write_str(path),
        }
    }
}

/// Each id of a kind, with where it was first defined.
type Ids<'a> = FxHashMap<&'a str, (&'a str, At)>;

/// Reports duplicates and returns the ids.
fn unique<'a>(definitions: impl Iterator<Item = Definition<'a>>, problems: &mut Problems) -> Ids<'a> {
    unique_into(Ids::default(), definitions, problems)
}

/// `unique`, into `seen` (sized beforehand for a kind with very many ids).
fn unique_into<'a>(mut seen: Ids<'a>, definitions: impl Iterator<Item = Definition<'a>>, problems: &mut Problems) -> Ids<'a> {
    for d in definitions {
        if let Some((file, path)) = seen.get(d.id) {
            problems.at(d.file, format!("{}.id", d.path), format!("duplicate id {:?} (also at {file} {path})", d.id));
        } else {
            seen.insert(d.id, (d.file, d.path));
        }
    }
    seen
}

/// Ids that QR handoff links carry must survive upper-casing and keep the link short.
fn linkable<'a>(definitions: impl Iterator<Item = Definition<'a>>, problems: &mut Problems) {
    for d in definitions {
        if !is_id(d.id) {
            problems.at(
                d.file,
                format!("{}.id", d.path),
                format!("id {:?} must be 1–24 lower-case letters, digits or hyphens (it goes into QR links)", d.id),
            );
        }
    }
}

macro_rules! located_ids {
    ($list:expr) => {
        $list.iter().map(|l| Definition { id: &l.item.id, file: &l.file, path: At::Item(l.index) })
    };
}

fn document_ids(parsed: &Parsed) -> impl Iterator<Item = Definition<'_>> {
    parsed.shards.facts().map(|(file, d)| Definition { id: &d.id, file, path: At::Item(d.index) })
}

pub fn check<'a>(parsed: &'a Parsed, bundle_files: &'a HashSet<&'a str>, problems: &mut Problems) {
    let departments = unique(
        parsed.site.iter().flat_map(|s| s.departments.iter().enumerate()).map(|(i, d)| Definition {
            id: &d.id,
            file: SITE,
            path: At::Other(format!("$.departments[{i}]").into()),
        }),
        problems,
    );
    let domains_list = parsed.catalogue.iter().flat_map(|c| c.domains.iter().enumerate());
    let domains = unique(
        domains_list.clone().map(|(i, d)| Definition { id: &d.id, file: CATALOGUE, path: At::Other(format!("$.domains[{i}]").into()) }),
        problems,
    );
    unique(
        domains_list.clone().flat_map(|(i, d)| {
            d.items.iter().enumerate().map(move |(j, item)| Definition {
                id: &item.id,
                file: CATALOGUE,
                path: At::Other(format!("$.domains[{i}].items[{j}]").into()),
            })
        }),
        problems,
    );
    linkable(document_ids(parsed), problems);
    linkable(located_ids!(parsed.consultations), problems);
    linkable(located_ids!(parsed.service_guides), problems);
    let sized = Ids::with_capacity_and_hasher(parsed.shards.document_count(), Default::default());
    let documents = unique_into(sized, document_ids(parsed), problems);
    unique(located_ids!(parsed.interpretations), problems);
    unique(located_ids!(parsed.key_work), problems);
    unique(located_ids!(parsed.consultations), problems);
    unique(located_ids!(parsed.service_guides), problems);
    unique(located_ids!(parsed.notices), problems);
    unique(located_ids!(parsed.communities), problems);
    if let Some(admin) = &parsed.admin_results {
        unique(
            admin.records.iter().enumerate().map(|(i, r)| Definition {
                id: &r.id,
                file: ADMIN_RESULTS,
                path: At::Other(format!("$.records[{i}]").into()),
            }),
            problems,
        );
    }

    let known = |ids: Ids<'a>, incomplete: bool| (!incomplete).then_some(ids);
    let refs = Resolver {
        departments: known(departments, parsed.incomplete.departments),
        domains: known(domains, parsed.incomplete.domains),
        documents: known(documents, !parsed.shards.complete),
        interpretations_complete: !parsed.incomplete.interpretations,
        bundle_files,
    };
    refs.check_all(parsed, problems);
}

/// Id sets of each kind; `None` when that kind did not parse completely.
struct Resolver<'a> {
    departments: Option<Ids<'a>>,
    domains: Option<Ids<'a>>,
    documents: Option<Ids<'a>>,
    interpretations_complete: bool,
    bundle_files: &'a HashSet<&'a str>,
}

impl Resolver<'_> {
    fn check_all(&self, parsed: &Parsed, problems: &mut Problems) {
        if let Some(logo) = parsed.site.as_ref().and_then(|s| s.logo.as_deref()) {
            self.file(logo, true, SITE, "$.logo".into(), problems);
        }
        for (i, domain) in parsed.catalogue.iter().flat_map(|c| c.domains.iter().enumerate()) {
            for (j, item) in domain.items.iter().enumerate() {
                for (k, id) in item.documents.iter().enumerate() {
                    let path = format!("$.domains[{i}].items[{j}].documents[{k}]");
                    self.known(&self.documents, "document", id, CATALOGUE, path, problems);
                }
            }
        }
        let interpreted: HashMap<&str, &str> = parsed
            .interpretations
            .iter()
            .map(|l| (l.item.id.as_str(), l.item.document.as_str()))
            .collect();
        for (shard, doc) in parsed.shards.facts() {
            if let Some(domain) = &doc.domain {
                self.known(&self.domains, "catalogue domain", domain, shard, doc.field(".domain"), problems);
            }
            for (k, id) in doc.interpretations.iter().enumerate() {
                let path = doc.field(&format!(".interpretations[{k}]"));
                match interpreted.get(&**id) {
                    None if !self.interpretations_complete => {}
                    None => problems.at(shard, path, format!("refers to unknown interpretation {id:?}")),
                    Some(target) if *target != &*doc.id => problems.at(
                        shard,
                        path,
                        format!("interpretation {id:?} interprets document {target:?}, not this one"),
                    ),
                    Some(_) => {}
                }
            }
            for (k, file) in &doc.attached_files {
                self.file(file, false, shard, doc.field(&format!(".attachments[{k}].file")), problems);
            }
        }
        for l in &parsed.interpretations {
            let path = l.field(".document");
            self.known(&self.documents, "document", &l.item.document, &l.file, path, problems);
            for (k, image) in l.item.images.iter().enumerate() {
                self.file(&image.file, true, &l.file, l.field(&format!(".images[{k}].file")), problems);
            }
        }
        for l in &parsed.key_work {
            self.department(&l.item.lead, &l.file, l.field(".lead"), problems);
            for (k, id) in l.item.co.iter().enumerate() {
                self.department(id, &l.file, l.field(&format!(".co[{k}]")), problems);
            }
        }
        if let Some(admin) = &parsed.admin_results {
            for (i, r) in admin.records.iter().enumerate() {
                self.department(&r.authority, ADMIN_RESULTS, format!("$.records[{i}].authority"), problems);
            }
            for (i, m) in admin.monthly.iter().enumerate() {
                self.department(&m.department, ADMIN_RESULTS, format!("$.monthly[{i}].department"), problems);
            }
        }
        for l in &parsed.consultations {
            self.department(&l.item.department, &l.file, l.field(".department"), problems);
        }
        for l in &parsed.service_guides {
            self.department(&l.item.department, &l.file, l.field(".department"), problems);
            if let Some(domain) = &l.item.domain {
                self.known(&self.domains, "catalogue domain", domain, &l.file, l.field(".domain"), problems);
            }
        }
    }

    fn department(&self, id: &str, file: &str, path: String, problems: &mut Problems) {
        self.known(&self.departments, "department (see site.json departments)", id, file, path, problems);
    }

    fn known(
        &self,
        ids: &Option<Ids>,
        what: &str,
        id: &str,
        file: &str,
        path: String,
        problems: &mut Problems,
    ) {
        if ids.as_ref().is_some_and(|ids| !ids.contains_key(id)) {
            problems.at(file, path, format!("refers to unknown {what} {id:?}"));
        }
    }

    fn file(&self, target: &str, image: bool, file: &str, path: String, problems: &mut Problems) {
        if let Some(reason) = unconfined_reason(target) {
            problems.at(file, path, format!("{reason}: {target:?}"));
        } else if !self.bundle_files.contains(target) {
            problems.at(file, path, format!("names {target:?}, which is not in the bundle"));
        } else if image && !has_image_extension(target) {
            problems.at(file, path, format!("{target:?} is not a .png or .jpg image"));
        }
    }
}
