//! The content workspace through the shipped `gongkai-hub`: the demo bundle imported from the
//! command line, found and read by staff in the console, and exported as a content folder
//! that builds into the same content.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

use gongkai_core::content::{
    build::{BuildOptions, build_bundle},
    check::CheckOptions,
    workspace::{Kind, read_bundle},
};
use gongkai_hub::submissions::store::{SqliteStore, Store};
use gongkai_testkit::{
    DEMO_BUNDLE, fixed_build_options,
    hub::{add_staff, http, sign_in, start_hub},
};

fn hub_command(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai-hub")).arg("--data").arg(data).args(args).output().unwrap()
}

fn said(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// The demo's items, as the workspace takes them.
fn demo_items() -> Vec<gongkai_core::content::workspace::Item> {
    read_bundle(Path::new(DEMO_BUNDLE), &CheckOptions::at_local_now()).unwrap().0
}

fn import_demo(data: &Path) {
    let imported = hub_command(data, &["content", "import-bundle", DEMO_BUNDLE]);
    assert!(imported.status.success(), "{}", said(&imported));
    assert!(said(&imported).contains(&format!("imported {} items", demo_items().len())), "{}", said(&imported));
}

#[test]
fn the_demo_is_imported_once_and_exported_as_a_folder_that_builds_into_the_same_content() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("hub");
    import_demo(&data);

    // A second import would lose staff's changes: only with --replace.
    let again = hub_command(&data, &["content", "import-bundle", DEMO_BUNDLE]);
    assert!(!again.status.success() && said(&again).contains("--replace"), "{}", said(&again));

    // A bundle the checker refuses is named with its problems, and the workspace is as it was.
    let broken = dir.path().join("broken");
    let exported = hub_command(&data, &["content", "export", broken.to_str().unwrap()]);
    assert!(exported.status.success(), "{}", said(&exported));
    let shard = broken.join("documents/a.json");
    let mut list: serde_json::Value = serde_json::from_slice(&std::fs::read(&shard).unwrap()).unwrap();
    list[0]["published_on"] = "2999-01-01".into();
    std::fs::write(&shard, list.to_string()).unwrap();
    let refused = hub_command(&data, &["content", "import-bundle", "--replace", broken.to_str().unwrap()]);
    assert!(!refused.status.success() && said(&refused).contains("documents/a.json: $[0]"), "{}", said(&refused));
    let store = SqliteStore::open(&data.join("submissions.db")).unwrap();
    let (items, files) = store.workspace_all().unwrap();
    assert_eq!(items.len(), demo_items().len(), "nothing of the refused bundle came in");

    // Exported into a used folder: refused. Into a new one: it builds, and holds the demo.
    let used = hub_command(&data, &["content", "export", broken.to_str().unwrap()]);
    assert!(!used.status.success() && said(&used).contains("not empty"), "{}", said(&used));
    let source = dir.path().join("source");
    assert!(hub_command(&data, &["content", "export", source.to_str().unwrap()]).status.success());
    let bundle = dir.path().join("bundle");
    let built = build_bundle(&source, &bundle, &BuildOptions { bundle_version: Some(2), ..fixed_build_options() }).unwrap();
    assert!(built.is_clean(), "{:?}", built.problems);
    let (rebuilt, rebuilt_files) = read_bundle(&bundle, &CheckOptions::at_local_now()).unwrap();
    let sorted = |mut items: Vec<gongkai_core::content::workspace::Item>| {
        items.sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
        items
    };
    assert!(sorted(rebuilt) == sorted(demo_items()) && rebuilt_files == files, "the same content");

    let audit = store.audit_log(None, 10).unwrap();
    assert!(audit.iter().any(|entry| entry.action == "导入内容包"), "{audit:?}");
}

/// A hub on the imported demo, with staff `ops` signed in.
fn console() -> (tempfile::TempDir, gongkai_testkit::hub::HubProcess, [(&'static str, String); 1]) {
    let dir = tempfile::tempdir().unwrap();
    let data: PathBuf = dir.path().join("hub");
    import_demo(&data);
    let hub = start_hub(&data, &[]);
    add_staff(&hub.data, "ops", "编辑小王", "correct horse battery");
    let session = [("Cookie", sign_in(&hub.url, "ops", "correct horse battery"))];
    (dir, hub, session)
}

#[test]
fn staff_find_a_document_by_title_number_or_filter_and_read_every_field() {
    let (_dir, hub, session) = console();
    let get = |path: &str| http(&hub.url, "GET", path, &session, b"");
    assert_eq!(http(&hub.url, "GET", "/content/documents", &[], b"").status, 303, "signed out: to the log-in page");

    let documents = demo_items().into_iter().filter(|i| i.kind == Kind::Documents).count();
    let overview = get("/content");
    assert_eq!(overview.header("cache-control"), Some("no-store"), "staff pages are never kept by a browser or proxy");
    let overview = overview.body;
    assert!(overview.contains(&format!("政府信息</a></td><td>{documents}</td>")), "{overview}");

    // By words of the title, by 文号, and by filters; a page holds 50.
    let found = get("/content/documents?q=%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A").body;
    assert!(found.contains("2021年政府信息公开工作年度报告") && !found.contains("共 0 条"), "{found}");
    let first = get("/content/documents").body;
    assert!(first.contains(&format!("共 {documents} 条，第 1 / {} 页", documents.div_ceil(50))) && first.contains("下一页"), "{first}");
    assert_eq!(first.matches("<tr><td><a href=\"/content/documents/item?id=").count(), 50);
    let last_page = documents.div_ceil(50);
    let last = get(&format!("/content/documents?page={last_page}")).body;
    assert_eq!(last.matches("<tr><td><a href=\"/content/documents/item?id=").count(), documents - 50 * (last_page - 1));
    let repealed = get("/content/documents?validity=%E5%BA%9F%E6%AD%A2").body;
    assert!(repealed.matches("<td>废止</td>").count() >= 1 && !repealed.contains("<td>有效</td>"), "{repealed}");

    // One document: every field under its Chinese name.
    let link = found.split("href=\"/content/documents/item?id=").nth(1).and_then(|s| s.split('"').next()).unwrap().replace("&amp;", "&");
    let item = get(&format!("/content/documents/item?id={link}")).body;
    for label in ["索引号", "发文机关", "发布日期", "正文", "第 1 版，最后由 运维（命令行）"] {
        assert!(item.contains(label), "{label}: {item}");
    }
    assert_eq!(get("/content/nothing").status, 404);
    assert_eq!(get("/content/documents/item?id=no-such-document").status, 404);
}
