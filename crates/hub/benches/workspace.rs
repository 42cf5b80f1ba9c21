//! Content workspace figures: a synthetic bundle of 10^5 documents imported into the hub's
//! store, then the console's document list fetched over HTTP from a hub on 127.0.0.1 by a
//! signed-in member of staff, as staff ask it: the first page, words of a title, an id, a
//! year, a domain with 有效性, the last page; each the median of 20 fetches. Then one
//! document is changed, submitted for review and approved to published. Last, a spreadsheet of
//! 10^4 行政权力 decisions is previewed and applied, and so is a CSV of 10^4 财务公开 lines of
//! one community (rows of a list within an item).
//!
//!     cargo bench -p gongkai-hub --bench workspace [-- DOCUMENTS]

use std::time::Instant;

use ed25519_dalek::SigningKey;
use gongkai_core::content::{
    check::CheckOptions,
    workspace::{Kind, read_bundle},
};
use gongkai_hub::{self as hub, submissions::store::{SqliteStore, Store, WorkspaceQuery}};
use gongkai_testkit::{budget, hub::{http, sign_in}};

const PASSWORD: &str = "correct horse battery";

fn main() {
    let documents: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temporary folder");
    let bundle = gongkai_testkit::synthetic_bundle(dir.path(), documents);
    gongkai_core::signing::sign_bundle(&bundle, &SigningKey::from_bytes(&[3; 32])).expect("sign");
    let data = dir.path().join("hub");
    hub::publish(&bundle, &data).expect("publish");

    let started = Instant::now();
    let (items, files) = read_bundle(&bundle, &CheckOptions::at_local_now()).expect("a clean bundle");
    let read = started.elapsed().as_secs_f64();
    let store = SqliteStore::open(&data.join("submissions.db")).expect("store");
    let count = items.len();
    let started = Instant::now();
    store.workspace_replace(items, files, "bench", 0).expect("import");
    println!("import of {documents} documents ({count} items): checked and read {read:.2} s, stored {:.2} s", started.elapsed().as_secs_f64());
    store.add_staff("bench", "测试", &hub::hash_password(PASSWORD).expect("hash"), Default::default(), "", "bench").expect("staff");
    let (sample, _) = store.workspace_list(&WorkspaceQuery::all(Kind::Documents), 0, 50).expect("list");
    drop(store);

    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    runtime.spawn(hub::serve(listener, hub::Hub::open(&data, hub::HubConfig::default()).expect("hub")));
    let session = [("Cookie", sign_in(&url, "bench", PASSWORD))];

    let encode = |text: &str| form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>();
    let title_words: String = sample[0].title.chars().skip(2).take(4).collect();
    let year = sample[0].dated.get(..4).unwrap_or_default().to_string();
    let domain = sample.iter().map(|row| row.domain.clone()).find(|d| !d.is_empty()).unwrap_or_default();
    let last_page = documents.div_ceil(50);
    let asks = [
        ("first page", String::new()),
        ("words of a title", format!("q={}", encode(&title_words))),
        ("an id", format!("q={}", encode(&sample[25].id))),
        ("a year", format!("year={year}")),
        ("a domain, 有效", format!("domain={}&validity={}", encode(&domain), encode("有效"))),
        ("the last page", format!("page={last_page}")),
    ];
    let mut slowest = 0.0_f64;
    for (what, query) in asks {
        let path = format!("/content/documents?{query}");
        let mut times = Vec::new();
        for _ in 0..20 {
            let started = Instant::now();
            let page = http(&url, "GET", &path, &session, b"");
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            assert!(page.status == 200 && page.body.contains("/content/documents/item?id="), "{what}: {}", page.status);
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        slowest = slowest.max(median);
        println!("list page, {what}: {median:.1} ms median of 20");
    }
    budget::at_most("slowest list page at 10^5 docs", slowest, 100.0, "ms");

    // One document retitled, submitted for review, approved and published; twice, because the
    // first publish from the console writes every file as the workspace writes it (once), and
    // the second shows what each edit costs from then on.
    let store = SqliteStore::open(&data.join("submissions.db")).expect("store");
    for (round, edit) in ["first publish from the console", "a later edit"].iter().enumerate() {
        let mut entry = store.workspace_item(Kind::Documents, &sample[round].id).expect("read").expect("the document");
        entry.item.body["title"] = format!("{}（修订）", sample[round].title).into();
        store.workspace_save(entry.item, Some(entry.revision), "bench", ("修改内容", "bench")).expect("save");
        let started = Instant::now();
        let review = hub::content::review::submit(&store, &data, "bench").expect("submit");
        let submitted = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let version = hub::content::review::approve(&store, &data, Some(&SigningKey::from_bytes(&[3; 32])), "reviewer", review, true, None)
            .expect("approve")
            .expect("published at once");
        let approved = started.elapsed().as_secs_f64();
        let fetched = kiosk_downloads(&data);
        println!("{edit}, one document changed among {documents}: submitted for review (built, checked, compared) {submitted:.2} s; approved to published (version {version}) {approved:.2} s");
        if round == 1 {
            budget::at_most("one-document edit, approved to published", approved, 5.0, "s");
            budget::at_most("files a kiosk downloads after a one-document edit", fetched as f64, 1.0, "files");
        }
    }

    spreadsheet_import(&store);
    finance_import(&store);
}

/// What a kiosk downloads to take the last publish: the files of its manifest that the one
/// before lacks (a kiosk keeps the files it has by their hash and fetches only the others).
fn kiosk_downloads(data: &std::path::Path) -> usize {
    let manifest = |sha: &str| -> gongkai_core::content::manifest::Manifest { serde_json::from_slice(&std::fs::read(data.join(hub::kept_manifest(sha))).expect("kept manifest")).expect("a manifest") };
    let records = hub::publish_records(data);
    let [.., before, after] = &records[..] else { panic!("two publishes") };
    let had: std::collections::HashSet<(String, String)> = manifest(&before.manifest_sha).files.into_iter().map(|entry| (entry.path, entry.sha256)).collect();
    let fetched: Vec<_> = manifest(&after.manifest_sha).files.into_iter().filter(|entry| !had.contains(&(entry.path.clone(), entry.sha256.clone()))).collect();
    let bytes: u64 = fetched.iter().map(|entry| entry.size).sum();
    let shown: Vec<&str> = fetched.iter().take(5).map(|entry| entry.path.as_str()).collect();
    println!("a kiosk then downloads {} file(s), {} KB: {}{}", fetched.len(), bytes / 1024, shown.join(", "), if fetched.len() > 5 { ", …" } else { "" });
    fetched.len()
}

const IMPORTED_ROWS: u32 = 10_000;

/// 10^4 new decisions in one XLSX: read and previewed (every cell converted and checked,
/// compared with the workspace), then applied in one transaction.
fn spreadsheet_import(store: &SqliteStore) {
    let site = store.workspace_item(Kind::Site, "site").expect("read").expect("the site");
    let department = site.item.body["departments"][0]["name"].as_str().expect("a department").to_string();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, spec) in hub::content::import::columns::ADMIN_RECORDS.columns.iter().enumerate() {
        sheet.write_string(0, column as u16, spec.label).expect("write");
    }
    for row in 1..=IMPORTED_ROWS {
        let values = [format!("bench-{row:05}"), "许可".into(), format!("云市监许〔2026〕{row}号"), "法人".into(), format!("云溪区某某商贸有限公司{row}"), "食品经营许可".into(), "准予许可".into(), format!("2026-{:02}-{:02}", row % 11 + 1, row % 28 + 1), department.clone()];
        for (column, value) in values.iter().enumerate() {
            sheet.write_string(row, column as u16, value).expect("write");
        }
    }
    let bytes = workbook.save_to_buffer().expect("xlsx");
    timed_import(store, Kind::AdminRecords, "决定公示.xlsx", &bytes, &format!("spreadsheet of {IMPORTED_ROWS} decisions"), "spreadsheet import of 10^4 rows, preview and apply");
}

/// Previews the file `bytes` as an import of `kind` that adds `IMPORTED_ROWS` rows, applies it,
/// and prints both times against the budget of 2 s together.
fn timed_import(store: &SqliteStore, kind: Kind, file_name: &str, bytes: &[u8], what: &str, budget_name: &str) {
    let started = Instant::now();
    let plan = hub::content::import::plan(store, kind, file_name, bytes).expect("store").expect("a sheet");
    let planned = started.elapsed().as_secs_f64();
    assert!(plan.problems.is_empty() && plan.added.len() == IMPORTED_ROWS as usize, "{:?}", plan.problems.first());
    let started = Instant::now();
    hub::content::import::apply(store, &plan, file_name, "bench").expect("apply");
    let applied = started.elapsed().as_secs_f64();
    println!("{what} ({} KB): read and previewed {planned:.2} s, applied {applied:.2} s", bytes.len() / 1024);
    budget::at_most(budget_name, planned + applied, 2.0, "s");
}

/// 10^4 财务公开 lines of one community, 250 a quarter, from a CSV named after its sheet: read
/// and previewed (each line keyed within the community, the community checked whole), then
/// applied as one item.
fn finance_import(store: &SqliteStore) {
    let community = serde_json::json!({"id": "sq-bench", "name": "基准社区", "kind": "社区", "street": "基准街道", "finance": [], "benefits": [], "affairs": []});
    let item = gongkai_core::content::workspace::Item { kind: Kind::Communities, id: "sq-bench".into(), file: "communities.json".into(), position: 0, body: community };
    store.workspace_save(item, None, "bench", ("新建内容", "bench")).expect("a community");
    let mut csv = String::from("社区（村）,期间,科目,收支,金额（元）\n");
    for row in 0..IMPORTED_ROWS {
        let (year, quarter) = (2017 + row / 1000, row / 250 % 4 + 1);
        csv.push_str(&format!("基准社区,{year}年第{quarter}季度,支出科目{row},{},{}.{:02}\n", if row % 3 == 0 { "收入" } else { "支出" }, row * 7 % 10_000, row % 100));
    }
    let what = format!("CSV of {IMPORTED_ROWS} 财务公开 lines of one community");
    timed_import(store, Kind::Communities, "财务公开.csv", csv.as_bytes(), &what, "import of 10^4 rows of a list within an item, preview and apply");
}
