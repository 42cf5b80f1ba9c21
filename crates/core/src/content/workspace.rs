//! The content workspace's view of a bundle: every item of every content file as a JSON value,
//! with the file and place it came from, and the bundle's other files (attachments, images).
//! A bundle read into items and written back is a content folder that builds into the same
//! content; documents keep their shard, so one changed document changes one shard.

use std::{
    collections::BTreeMap,
    fs,
    path::Path,
};

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value};

use super::{
    attachment_pages,
    bundle_files::{self, ADMIN_RESULTS, CATALOGUE, COMMUNITIES, CONSULTATIONS, DISCLOSURE_STATS, DOCUMENTS_DIR, INTERPRETATIONS, KEY_WORK, NOTICES, SERVICE_GUIDES, SITE},
    check::{CheckOptions, Problem, check_bundle, is_document_shard},
};

/// A kind of content item, as staff find it in the workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Site,
    Domains,
    Documents,
    Interpretations,
    KeyWork,
    AdminRecords,
    AdminMonthly,
    DisclosureStats,
    Consultations,
    ServiceGuides,
    Notices,
    Communities,
}

/// Where a kind's items are kept in a content folder.
enum Place {
    /// The whole file is the one item.
    WholeFile(&'static str),
    /// The file is an array of items.
    Array(&'static str),
    /// The file is an object; one of its fields is the array of items.
    Field(&'static str, &'static str),
    /// Arrays in the shards of `documents/`.
    Shards,
}

impl Kind {
    pub const ALL: [Kind; 12] = [
        Kind::Site,
        Kind::Domains,
        Kind::Documents,
        Kind::Interpretations,
        Kind::KeyWork,
        Kind::AdminRecords,
        Kind::AdminMonthly,
        Kind::DisclosureStats,
        Kind::Consultations,
        Kind::ServiceGuides,
        Kind::Notices,
        Kind::Communities,
    ];

    /// The kind's name in addresses and the store.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Site => "site",
            Kind::Domains => "domains",
            Kind::Documents => "documents",
            Kind::Interpretations => "interpretations",
            Kind::KeyWork => "key_work",
            Kind::AdminRecords => "admin_records",
            Kind::AdminMonthly => "admin_monthly",
            Kind::DisclosureStats => "disclosure_stats",
            Kind::Consultations => "consultations",
            Kind::ServiceGuides => "service_guides",
            Kind::Notices => "notices",
            Kind::Communities => "communities",
        }
    }

    /// What staff call it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Site => "站点信息",
            Kind::Domains => "公开目录（领域与事项）",
            Kind::Documents => "政府信息",
            Kind::Interpretations => "政策解读",
            Kind::KeyWork => "重点工作",
            Kind::AdminRecords => "行政权力（决定公示）",
            Kind::AdminMonthly => "行政权力（月度统计）",
            Kind::DisclosureStats => "政务公开统计",
            Kind::Consultations => "意见征集",
            Kind::ServiceGuides => "办事指南",
            Kind::Notices => "通知公告",
            Kind::Communities => "居(村)务公开",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    fn place(self) -> Place {
        match self {
            Kind::Site => Place::WholeFile(SITE),
            Kind::Domains => Place::Field(CATALOGUE, "domains"),
            Kind::Documents => Place::Shards,
            Kind::Interpretations => Place::Array(INTERPRETATIONS),
            Kind::KeyWork => Place::Array(KEY_WORK),
            Kind::AdminRecords => Place::Field(ADMIN_RESULTS, "records"),
            Kind::AdminMonthly => Place::Field(ADMIN_RESULTS, "monthly"),
            Kind::DisclosureStats => Place::Array(DISCLOSURE_STATS),
            Kind::Consultations => Place::Array(CONSULTATIONS),
            Kind::ServiceGuides => Place::Array(SERVICE_GUIDES),
            Kind::Notices => Place::Array(NOTICES),
            Kind::Communities => Place::Array(COMMUNITIES),
        }
    }

    /// The content file that holds every item of the kind; `None` for documents, which are
    /// kept in shards.
    pub fn file(self) -> Option<&'static str> {
        match self.place() {
            Place::WholeFile(file) | Place::Array(file) | Place::Field(file, _) => Some(file),
            Place::Shards => None,
        }
    }

    /// An item's key within its kind: its `id`, a year, a department's month, or the one site.
    pub fn id_of(self, body: &Value) -> Option<String> {
        let text = |field: &str| body.get(field).and_then(Value::as_str).map(str::to_string);
        match self {
            Kind::Site => Some("site".into()),
            Kind::DisclosureStats => body.get("year").and_then(Value::as_i64).map(|year| year.to_string()),
            Kind::AdminMonthly => Some(format!("{}/{}", text("department")?, text("month")?)),
            _ => text("id"),
        }
    }

    /// An item's name in lists: its title, or its name, or its key.
    pub fn title_of(self, body: &Value, id: &str) -> String {
        ["title", "name", "matter", "hall"]
            .iter()
            .find_map(|field| body.get(field).and_then(Value::as_str))
            .map_or_else(|| id.to_string(), str::to_string)
    }
}

/// One item, as the workspace keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub kind: Kind,
    pub id: String,
    /// The content file it is written to (a document's shard).
    pub file: String,
    /// Its place among the items of that file.
    pub position: i64,
    pub body: Value,
}

/// What the workspace's lists show of an item and search in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Listing {
    pub title: String,
    /// Lower-case text a search looks in: the title, 文号, 索引号, 发文机关 and the key.
    pub search: String,
    /// Its date (发布日期, 决定日期, or month) as written; empty when it has none.
    pub dated: String,
    /// Catalogue domain id; empty when none.
    pub domain: String,
    /// 有效性; empty when none.
    pub validity: String,
}

impl Item {
    pub fn listing(&self) -> Listing {
        let text = |field: &str| self.body.get(field).and_then(Value::as_str).unwrap_or_default().to_string();
        let title = self.kind.title_of(&self.body, &self.id);
        let search = [title.clone(), text("doc_no"), text("index_no"), text("issuer"), self.id.clone()].join("\n").to_lowercase();
        let dated = ["published_on", "decided_on", "month"].iter().map(|field| text(field)).find(|date| !date.is_empty()).unwrap_or_default();
        Listing { title, search, dated, domain: text("domain"), validity: text("validity") }
    }
}

/// A bundle file that is not content text: an attachment, an image, the logo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The items and files of the bundle `root`, which must pass the checker: content that does
/// not is refused with its problems, so nothing broken enters the workspace.
pub fn read_bundle(root: &Path, options: &CheckOptions) -> Result<(Vec<Item>, Vec<StoredFile>), Vec<Problem>> {
    let checked = check_bundle(root, options);
    if !checked.is_clean() {
        return Err(checked.problems);
    }
    read_items(root).map_err(|e| vec![Problem::whole(".", format!("{e:#}"))])
}

/// The items and files of a bundle already checked (one that was published): what a change
/// is measured against.
pub fn read_items(root: &Path) -> Result<(Vec<Item>, Vec<StoredFile>)> {
    let (files, _) = bundle_files::walk(root).with_context(|| format!("{}: cannot read", root.display()))?;
    let mut items = Vec::new();
    for kind in Kind::ALL {
        match kind.place() {
            Place::WholeFile(file) => items.extend(read_file(root, file)?.map(|body| item(kind, file, 0, body)).transpose()?),
            Place::Array(file) => items.extend(array_items(kind, file, read_file(root, file)?)?),
            Place::Field(file, field) => {
                let list = read_file(root, file)?.and_then(|mut object| object.get_mut(field).map(Value::take));
                items.extend(array_items(kind, file, list)?);
            }
            Place::Shards => {
                for shard in files.iter().filter(|f| is_document_shard(&f.path)) {
                    items.extend(array_items(kind, &shard.path, read_file(root, &shard.path)?)?);
                }
            }
        }
    }
    let mut stored = Vec::new();
    for file in files.iter().filter(|f| !is_content_text(&f.path) && !bundle_files::is_bundle_metadata(&f.path) && !attachment_pages::is_page_image(&f.path)) {
        let bytes = fs::read(root.join(&file.path)).with_context(|| format!("{}: cannot read", file.path))?;
        stored.push(StoredFile { path: file.path.clone(), bytes });
    }
    Ok((items, stored))
}

fn read_file(root: &Path, file: &str) -> Result<Option<Value>> {
    match fs::read(root.join(file)) {
        Ok(bytes) => Ok(Some(serde_json::from_slice(&bytes).with_context(|| format!("{file}: not JSON"))?)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("{file}: cannot read")),
    }
}

fn array_items(kind: Kind, file: &str, list: Option<Value>) -> Result<Vec<Item>> {
    let Some(list) = list else { return Ok(Vec::new()) };
    let Value::Array(list) = list else { bail!("{file}: not a list") };
    list.into_iter().enumerate().map(|(position, body)| item(kind, file, position as i64, body)).collect()
}

fn item(kind: Kind, file: &str, position: i64, body: Value) -> Result<Item> {
    let id = kind.id_of(&body).with_context(|| format!("{file}: item {position} of {} has no key", kind.label()))?;
    Ok(Item { kind, id, file: file.to_string(), position, body })
}

/// The JSON files this module reads and writes.
fn is_content_text(path: &str) -> bool {
    is_document_shard(path)
        || Kind::ALL.iter().any(|kind| match kind.place() {
            Place::WholeFile(file) | Place::Array(file) | Place::Field(file, _) => file == path,
            Place::Shards => false,
        })
}

/// Writes `items` and `files` as the content folder `dir` (which must not hold content yet),
/// ready for `content build`: each file's items in their order, every content file present.
pub fn write_source(items: &[Item], files: &[StoredFile], dir: &Path) -> Result<()> {
    let mut texts: BTreeMap<String, Value> = BTreeMap::new();
    for kind in Kind::ALL {
        match kind.place() {
            Place::WholeFile(file) | Place::Array(file) => {
                texts.entry(file.into()).or_insert(if matches!(kind.place(), Place::Array(_)) { Value::Array(Vec::new()) } else { Value::Object(Map::new()) });
            }
            Place::Field(file, field) => {
                let object = texts.entry(file.into()).or_insert_with(|| Value::Object(Map::new()));
                object[field] = Value::Array(Vec::new());
            }
            Place::Shards => {}
        }
    }
    let mut ordered: Vec<&Item> = items.iter().collect();
    ordered.sort_by(|a, b| (&a.file, a.position, &a.id).cmp(&(&b.file, b.position, &b.id)));
    for item in ordered {
        let slot = match item.kind.place() {
            Place::WholeFile(file) => {
                texts.insert(file.into(), item.body.clone());
                continue;
            }
            Place::Array(file) => texts.entry(file.into()).or_insert_with(|| Value::Array(Vec::new())),
            Place::Field(file, field) => &mut texts.entry(file.into()).or_insert_with(|| Value::Object(Map::new()))[field],
            Place::Shards => texts.entry(item.file.clone()).or_insert_with(|| Value::Array(Vec::new())),
        };
        if let Value::Array(list) = slot {
            list.push(item.body.clone());
        }
    }
    fs::create_dir_all(dir.join(DOCUMENTS_DIR)).with_context(|| format!("{}: cannot create", dir.display()))?;
    for (file, value) in &texts {
        let text = serde_json::to_string_pretty(value).context("JSON")?;
        fs::write(dir.join(file), text).with_context(|| format!("{file}: cannot write"))?;
    }
    for file in files {
        if let Some(reason) = bundle_files::unconfined_reason(&file.path) {
            bail!("{}: {reason}", file.path);
        }
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("{}: cannot create", parent.display()))?;
        }
        fs::write(&path, &file.bytes).with_context(|| format!("{}: cannot write", file.path))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::build::{BuildOptions, build_bundle};

    fn demo() -> std::path::PathBuf {
        Path::new(crate::config::SOURCE_TREE_ASSETS).join("demo")
    }

    fn json(path: &Path) -> Value {
        serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
    }

    #[test]
    fn the_demo_read_into_items_and_written_back_builds_into_the_same_content() {
        let options = CheckOptions::at_local_now();
        let (items, files) = read_bundle(&demo(), &options).unwrap();
        let count = |kind: Kind| items.iter().filter(|i| i.kind == kind).count();
        assert_eq!((count(Kind::Site), count(Kind::Domains), count(Kind::AdminRecords), count(Kind::AdminMonthly)), (1, 26, 240, 120));
        assert!(count(Kind::Documents) > 100 && items.iter().all(|i| !i.id.is_empty()));
        assert!(files.iter().any(|f| f.path == "images/logo.png") && files.iter().any(|f| f.path.ends_with(".pdf")));
        assert!(!files.iter().any(|f| f.path.contains(".pages/") || f.path.ends_with(".json")), "no page images, no content text");

        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("source");
        write_source(&items, &files, &source).unwrap();
        let (written, _) = bundle_files::walk(&source).unwrap();
        for file in written.iter().filter(|f| f.path.ends_with(".json")) {
            assert_eq!(json(&source.join(&file.path)), json(&demo().join(&file.path)), "{}", file.path);
        }
        let options_for_build = BuildOptions { bundle_version: Some(2), created_at: chrono::Utc::now(), check: options };
        let built = build_bundle(&source, &dir.path().join("bundle"), &options_for_build).unwrap();
        assert!(built.is_clean(), "{:?}", built.problems);
        let (again, again_files) = read_bundle(&dir.path().join("bundle"), &options).unwrap();
        assert!(again == items && again_files == files, "the same items and files once more");
    }

    #[test]
    fn a_document_is_listed_by_its_title_numbers_date_domain_and_validity() {
        let body = serde_json::json!({"id": "d-1", "title": "关于印发《方案》的通知", "doc_no": "样府发〔2024〕1号", "index_no": "X/2024-001",
            "issuer": "样例区人民政府", "published_on": "2024-03-05", "domain": "d01", "validity": "有效"});
        let listing = Item { kind: Kind::Documents, id: "d-1".into(), file: "documents/a.json".into(), position: 0, body }.listing();
        assert_eq!((listing.title.as_str(), listing.dated.as_str(), listing.domain.as_str(), listing.validity.as_str()), ("关于印发《方案》的通知", "2024-03-05", "d01", "有效"));
        assert!(["方案", "〔2024〕1号", "x/2024-001", "样例区", "d-1"].iter().all(|part| listing.search.contains(part)), "{}", listing.search);
        let month = Item { kind: Kind::AdminMonthly, id: "a/2024-03".into(), file: ADMIN_RESULTS.into(), position: 0, body: serde_json::json!({"department": "a", "month": "2024-03"}) };
        assert_eq!((month.listing().title, month.listing().dated), ("a/2024-03".to_string(), "2024-03".to_string()));
    }

    #[test]
    fn content_the_checker_refuses_stays_out_with_its_problems() {
        let dir = tempfile::tempdir().unwrap();
        let (items, files) = read_bundle(&demo(), &CheckOptions::at_local_now()).unwrap();
        let mut broken = items.clone();
        let document = broken.iter_mut().find(|i| i.kind == Kind::Documents).unwrap();
        document.body["published_on"] = "2999-01-01".into();
        let source = dir.path().join("source");
        write_source(&broken, &files, &source).unwrap();
        let problems = read_bundle(&source, &CheckOptions::at_local_now()).unwrap_err();
        assert!(problems.iter().any(|p| p.reason.contains("2999")), "{problems:?}");
    }
}
