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
    hub::{add_staff, add_staff_as, hidden_value, http, post_form, post_multipart, sign_in, start_hub},
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

    let audit = store.audit_log(None, None, 10).unwrap();
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
    // The year filter offers each year a document is dated in, newest first.
    let mut years: Vec<String> = demo_items().iter().filter(|i| i.kind == Kind::Documents).map(|i| i.listing().dated.chars().take(4).collect()).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let offered: Vec<&str> = first.split("<select name=\"year\"").nth(1).unwrap().split("</select>").next().unwrap().split("<option value=\"").skip(2).map(|o| o.split('"').next().unwrap()).collect();
    assert_eq!(offered, years, "{first}");
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

/// Posts a form as the signed-in `session`.
fn post(url: &str, path: &str, session: &[(&str, String)], fields: &[(&str, &str)]) -> gongkai_testkit::hub::Response {
    post_form(url, path, &session[0].1, fields)
}

/// The values of a document's form as it opens: every named input, select and textarea.
fn form_values(page: &str) -> Vec<(String, String)> {
    let mut values = Vec::new();
    for name in ["id", "title", "index_no", "doc_no", "issuer", "written_on", "published_on", "topic", "interpretations"] {
        values.push((name.to_string(), hidden_or_input_value(page, name)));
    }
    for name in ["domain", "disclosure", "validity"] {
        let select = page.split(&format!("<select id=\"{name}\"")).nth(1).and_then(|s| s.split("</select>").next()).unwrap_or_default();
        let chosen = select.split("<option value=\"").skip(1).find(|o| o.contains("selected")).and_then(|o| o.split('"').next()).unwrap_or_default();
        values.push((name.to_string(), chosen.to_string()));
    }
    let body = page.split("<textarea id=\"body\"").nth(1).and_then(|s| s.split_once('>')).map(|(_, rest)| rest.split("</textarea>").next().unwrap_or_default()).unwrap_or_default();
    values.push(("body".into(), body.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")));
    for name in ["csrf", "revision"] {
        values.push((name.to_string(), hidden_value(page, name).unwrap_or_default()));
    }
    values
}

fn hidden_or_input_value(page: &str, name: &str) -> String {
    let input = page.split(&format!("id=\"{name}\"")).nth(1).and_then(|s| s.split('>').next()).unwrap_or_default();
    input.split("value=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or_default().replace("&amp;", "&").replace("&quot;", "\"")
}

/// `values` with `changes` made.
fn changed(values: &[(String, String)], changes: &[(&str, &str)]) -> Vec<(String, String)> {
    values.iter().map(|(name, value)| (name.clone(), changes.iter().find(|(n, _)| n == name).map_or(value.clone(), |(_, v)| v.to_string()))).collect()
}

fn as_pairs(values: &[(String, String)]) -> Vec<(&str, &str)> {
    values.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()
}

#[test]
fn staff_edit_a_document_and_the_checker_names_each_problem_at_its_field() {
    let (dir, hub, session) = console();
    add_staff(&hub.data, "second", "编辑小李", "correct horse battery");
    let other = [("Cookie", sign_in(&hub.url, "second", "correct horse battery"))];
    let get = |path: &str, who: &[(&str, String)]| http(&hub.url, "GET", path, who, b"");
    let form_of = "/content/documents/item?id=doc-a-002";
    let opened = form_values(&get(form_of, &session).body);
    assert!(opened.iter().any(|(n, v)| n == "revision" && v == "1"), "{opened:?}");

    // A good change is saved, listed and audited.
    let saved = post(&hub.url, "/content/documents/save", &session, &as_pairs(&changed(&opened, &[("title", "关于做好第2项工作的通知（修订）")])));
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = get(saved.header("location").unwrap(), &session).body;
    assert!(page.contains("已保存，现为第 2 版") && page.contains("关于做好第2项工作的通知（修订）"), "{page}");
    assert!(get("/content/documents?q=%E4%BF%AE%E8%AE%A2", &session).body.contains("关于做好第2项工作的通知（修订）"));
    assert!(get("/staff/audit", &session).body.contains("修改内容：政府信息 doc-a-002「关于做好第2项工作的通知（修订）」"));

    // Each problem at its field, in Chinese; what was typed stays; nothing is saved.
    let now_open = form_values(&page);
    let bad = changed(&now_open, &[("title", "咨询电话13812345678"), ("published_on", "2999-01-01"), ("disclosure", "依申请公开"), ("issuer", ""), ("domain", "no-such-domain")]);
    let refused = post(&hub.url, "/content/documents/save", &session, &as_pairs(&bad));
    assert_eq!(refused.status, 422, "{}", refused.body);
    for message in ["有未遮挡的手机号码", "晚于今天", "终端只展示主动公开的文件", "请填写发文机关", "公开目录中没有领域“no-such-domain”"] {
        assert!(refused.body.contains(message), "{message}: {}", refused.body);
    }
    assert!(refused.body.contains("value=\"咨询电话13812345678\""), "the typed title stays in the form");
    assert!(get(form_of, &session).body.contains("第 2 版"), "nothing saved");

    // Two editors open revision 2; the first save wins, the second is refused with its text kept.
    let seen_by_second = form_values(&get(form_of, &other).body);
    assert_eq!(post(&hub.url, "/content/documents/save", &session, &as_pairs(&changed(&now_open, &[("topic", "城乡建设")]))).status, 303);
    let late = post(&hub.url, "/content/documents/save", &other, &as_pairs(&changed(&seen_by_second, &[("title", "小李的标题")])));
    assert!(late.status == 409 && late.body.contains("已被他人修改") && late.body.contains("value=\"小李的标题\""), "{}", late.body);
    let now = get(form_of, &session).body;
    assert!(now.contains("第 3 版") && !now.contains("小李的标题"), "nothing overwritten");

    // A new document: its 编号 must be free and fit a QR link.
    let blank = form_values(&get("/content/documents/new", &session).body);
    let new_document = changed(&blank, &[
        ("id", "doc-new-1"), ("title", "关于新建文件的通知"), ("index_no", "11360402MB1E0123XR/2026-00001"), ("issuer", "云溪区人民政府"),
        ("written_on", "2026-01-05"), ("published_on", "2026-01-06"), ("topic", "综合政务"), ("body", "第一段。\n第二段。"),
    ]);
    assert_eq!(post(&hub.url, "/content/documents/save", &session, &as_pairs(&new_document)).status, 303);
    let taken = post(&hub.url, "/content/documents/save", &session, &as_pairs(&new_document));
    assert!(taken.status == 422 && taken.body.contains("编号“doc-new-1”已被使用"), "{}", taken.body);
    let unfit = post(&hub.url, "/content/documents/save", &session, &as_pairs(&changed(&new_document, &[("id", "Doc 2")])));
    assert!(unfit.status == 422 && unfit.body.contains("编号只能由"), "{}", unfit.body);

    // Deleting asks first, and is refused while a 解读 refers to the document.
    let csrf = hidden_value(&get(form_of, &session).body, "csrf").unwrap();
    let referred = demo_items().into_iter().find(|i| i.kind == Kind::Interpretations).unwrap().body["document"].as_str().unwrap().to_string();
    let referred_revision = hidden_value(&get(&format!("/content/documents/item?id={referred}"), &session).body, "revision").unwrap();
    let kept = post(&hub.url, "/content/documents/delete", &session, &[("csrf", &csrf), ("id", &referred), ("revision", &referred_revision), ("confirmed", "1")]);
    assert!(kept.status == 422 && kept.body.contains("引用了这份文件"), "{}", kept.body);
    let asked = post(&hub.url, "/content/documents/delete", &session, &[("csrf", &csrf), ("id", "doc-new-1"), ("revision", "1")]);
    assert!(asked.status == 200 && asked.body.contains("确认删除"), "{}", asked.body);
    assert_eq!(get("/content/documents/item?id=doc-new-1", &session).status, 200, "not before it is confirmed");
    let deleted = post(&hub.url, "/content/documents/delete", &session, &[("csrf", &csrf), ("id", "doc-new-1"), ("revision", "1"), ("confirmed", "1")]);
    assert_eq!(deleted.status, 303);
    assert_eq!(get("/content/documents/item?id=doc-new-1", &session).status, 404);
    assert_eq!(post(&hub.url, "/content/documents/save", &session, &[("id", "x"), ("revision", "1")]).status, 403, "no CSRF token");

    // The edits go into the next bundle.
    let source = dir.path().join("after-edits");
    assert!(hub_command(&hub.data, &["content", "export", source.to_str().unwrap()]).status.success());
    let bundle = dir.path().join("after-edits-bundle");
    let built = build_bundle(&source, &bundle, &BuildOptions { bundle_version: Some(2), ..fixed_build_options() }).unwrap();
    assert!(built.is_clean(), "{:?}", built.problems);
    let document = built.content.documents.iter().find(|d| d.id == "doc-a-002").unwrap();
    assert_eq!((document.title.as_str(), document.topic.as_str()), ("关于做好第2项工作的通知（修订）", "城乡建设"));
}

#[test]
fn the_published_bundle_is_imported_from_the_hubs_own_data() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("hub");
    let nothing = hub_command(&data, &["content", "import-published"]);
    assert!(!nothing.status.success() && said(&nothing).contains("nothing published yet"), "{}", said(&nothing));
    gongkai_testkit::hub::publish_demo(dir.path(), &data);
    let imported = hub_command(&data, &["content", "import-published"]);
    assert!(imported.status.success(), "{}", said(&imported));
    assert!(said(&imported).contains(&format!("imported {} items", demo_items().len())), "{}", said(&imported));
    let leftovers: Vec<_> = std::fs::read_dir(&data).unwrap().map(|e| e.unwrap().file_name()).filter(|n| n.to_string_lossy().starts_with(".import")).collect();
    assert!(leftovers.is_empty(), "the assembled folder is removed: {leftovers:?}");
}

/// A published demo in the workspace, a hub holding the publisher key, and three accounts:
/// 起草, 审核, and one with both.
struct Office {
    dir: tempfile::TempDir,
    hub: gongkai_testkit::hub::HubProcess,
    public_key: ed25519_dalek::VerifyingKey,
    editor: [(&'static str, String); 1],
    reviewer: [(&'static str, String); 1],
    both: [(&'static str, String); 1],
}

impl Office {
    fn open() -> Self {
        Self::open_on(None)
    }

    /// As `open`, with the hub on a clock the test moves.
    fn open_on(clock: Option<&gongkai_testkit::hub::MovedClock>) -> Self {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("hub");
        gongkai_testkit::hub::publish_demo(dir.path(), &data);
        assert!(hub_command(&data, &["content", "import-published"]).status.success());
        let (key, public) = gongkai_core::signing::generate_key_pair(&dir.path().join("publisher")).unwrap();
        let public_key = gongkai_core::signing::parse_public_key(&std::fs::read_to_string(public).unwrap()).unwrap();

        // A key file others may read: the hub does not start.
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        let refused = hub_command(&data, &["serve", "--listen", "127.0.0.1:0", "--publisher-key", key.to_str().unwrap()]);
        assert!(!refused.status.success() && said(&refused).contains("chmod 600"), "{}", said(&refused));
        assert!(!said(&refused).contains(&std::fs::read_to_string(&key).unwrap().trim().to_string()), "the key is never printed");
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();

        let serve = ["--publisher-key", key.to_str().unwrap()];
        let hub = match clock {
            Some(clock) => gongkai_testkit::hub::start_hub_on_clock(&data, &serve, clock),
            None => start_hub(&data, &serve),
        };
        let account = |username: &str, name: &str, roles: &[&str]| {
            add_staff_as(&hub.data, username, name, "correct horse battery", roles);
            [("Cookie", sign_in(&hub.url, username, "correct horse battery"))]
        };
        let editor = account("editor", "编辑小王", &["起草"]);
        let reviewer = account("reviewer", "审核老李", &["审核"]);
        let both = account("both", "主任老张", &["起草", "审核"]);
        Office { dir, hub, public_key, editor, reviewer, both }
    }

    fn get(&self, path: &str, who: &[(&str, String)]) -> gongkai_testkit::hub::Response {
        http(&self.hub.url, "GET", path, who, b"")
    }

    fn csrf(&self, who: &[(&str, String)]) -> String {
        hidden_value(&self.get("/content/reviews", who).body, "csrf").unwrap()
    }

    fn retitle(&self, who: &[(&str, String)], id: &str, title: &str) {
        let opened = form_values(&self.get(&format!("/content/documents/item?id={id}"), who).body);
        let saved = post(&self.hub.url, "/content/documents/save", who, &as_pairs(&changed(&opened, &[("title", title)])));
        assert_eq!(saved.status, 303, "{}", saved.body);
    }

    /// Submits the workspace; returns the review's address.
    fn submit(&self, who: &[(&str, String)]) -> String {
        let submitted = post(&self.hub.url, "/content/reviews/submit", who, &[("csrf", &self.csrf(who))]);
        assert_eq!(submitted.status, 303, "{}", submitted.body);
        submitted.header("location").unwrap().to_string()
    }

    fn decide(&self, review: &str, action: &str, who: &[(&str, String)], fields: &[(&str, &str)]) -> gongkai_testkit::hub::Response {
        let csrf = self.csrf(who);
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        post(&self.hub.url, &format!("{review}/{action}"), who, &all)
    }

    /// Syncs a kiosk that trusts only the hub's publisher key; returns the version it applied
    /// and the title it shows for the document `id`.
    fn kiosk_syncs(&self, id: &str) -> (u64, String) {
        let kiosk = self.dir.path().join("kiosk");
        let settings = gongkai_core::sync::SyncSettings { hub_url: self.hub.url.clone(), store: kiosk.clone(), trusted_keys: vec![self.public_key], max_file_bytes: 64 << 20 };
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let outcome = runtime.block_on(gongkai_core::sync::sync_once(&settings, &gongkai_core::sync::http_client().unwrap()));
        let gongkai_core::sync::SyncOutcome::Applied { version, .. } = outcome else { panic!("not applied: {outcome:?}") };
        let shown = gongkai_core::content::check::check_bundle(&gongkai_core::sync::Store::new(&kiosk).current(), &CheckOptions::at_local_now());
        (version, shown.content.documents.iter().find(|d| d.id == id).unwrap().title.clone())
    }

    fn published(&self) -> (Vec<u8>, u64) {
        let manifest = std::fs::read(self.hub.data.join("bundle/manifest.json")).unwrap();
        let version = serde_json::from_slice::<serde_json::Value>(&manifest).unwrap()["bundle_version"].as_u64().unwrap();
        (manifest, version)
    }
}

#[test]
fn a_change_is_submitted_reviewed_by_another_with_secrecy_confirmed_signed_by_the_hub_and_synced_by_a_kiosk() {
    let office = Office::open();
    let (_, demo_version) = office.published();
    office.retitle(&office.editor, "doc-a-002", "关于做好第2项工作的通知（送审修订）");

    // Only 起草 edits: a reviewer reads the document, and cannot save it.
    let read = office.get("/content/documents/item?id=doc-a-002", &office.reviewer).body;
    assert!(read.contains("关于做好第2项工作的通知（送审修订）") && !read.contains("<form class=\"card\" method=\"post\" action=\"/content/documents/save\""), "{read}");
    let opened = form_values(&office.get("/content/documents/item?id=doc-a-002", &office.editor).body);
    let refused = post(&office.hub.url, "/content/documents/save", &office.reviewer, &as_pairs(&changed(&opened, &[("title", "审核人的标题")])));
    assert!(refused.status == 403 && refused.body.contains("需要「起草」角色"), "{}", refused.body);

    // Submitted: the reviewer reads what changes, field by field, and the checker's report.
    let review = office.submit(&office.editor);
    let page = office.get(&review, &office.reviewer).body;
    let was = demo_items().into_iter().find(|i| i.kind == Kind::Documents && i.id == "doc-a-002").unwrap().body["title"].as_str().unwrap().to_string();
    for expected in ["待审核", "修改 1 项", &format!("<td>标题</td><td><del>{was}</del></td>"), "<ins>关于做好第2项工作的通知（送审修订）</ins>", "内容检查报告", "未发现问题", "批准发布"] {
        assert!(page.contains(expected), "{expected}: {page}");
    }
    let again = post(&office.hub.url, "/content/reviews/submit", &office.editor, &[("csrf", &office.csrf(&office.editor))]);
    assert!(again.status == 422 && again.body.contains("审核人批准或退回后才能再次送审"), "one waits at a time: {}", again.body);

    // The author cannot approve: no 审核 role; and the form needs the CSRF token.
    let by_author = office.decide(&review, "approve", &office.editor, &[("secrecy", "on")]);
    assert!(by_author.status == 403 && by_author.body.contains("需要「审核」角色"), "{}", by_author.body);
    let forged = post(&office.hub.url, &format!("{review}/approve"), &office.reviewer, &[("secrecy", "on")]);
    assert_eq!(forged.status, 403, "no CSRF token");
    // Without 保密审查 confirmed: refused, nothing published.
    let unconfirmed = office.decide(&review, "approve", &office.reviewer, &[]);
    assert!(unconfirmed.status == 422 && unconfirmed.body.contains("保密审查"), "{}", unconfirmed.body);
    assert_eq!(office.published().1, demo_version);

    let approved = office.decide(&review, "approve", &office.reviewer, &[("secrecy", "on")]);
    assert_eq!(approved.status, 303, "{}", approved.body);
    let (manifest, version) = office.published();
    assert!(version > demo_version, "a new, higher version: {version}");
    let decided = office.get(&review, &office.editor).body;
    assert!(decided.contains("已批准发布") && decided.contains(&format!("已发布为第 {version} 版")) && decided.contains("保密审查：已由 reviewer"), "{decided}");

    // Signed with the key the hub holds: a kiosk that trusts only that key syncs it.
    let sha = gongkai_core::sync::layout::manifest_sha256(&manifest);
    let signature = std::fs::read_to_string(office.hub.data.join(gongkai_core::sync::layout::signature_path(&sha))).unwrap();
    gongkai_core::signing::verify_manifest(&manifest, &signature, &[office.public_key]).unwrap();
    assert_eq!(office.kiosk_syncs("doc-a-002"), (version, "关于做好第2项工作的通知（送审修订）".to_string()));

    // Nobody approves their own change, even with both roles.
    office.retitle(&office.both, "doc-a-003", "主任修改的标题");
    let own = office.submit(&office.both);
    let by_self = office.decide(&own, "approve", &office.both, &[("secrecy", "on")]);
    assert!(by_self.status == 422 && by_self.body.contains("不能批准自己提交的送审稿"), "{}", by_self.body);
    // Sent back: the reason is required, shown, and the would-be bundle removed.
    let no_reason = office.decide(&own, "return", &office.reviewer, &[("reason", "  ")]);
    assert!(no_reason.status == 422 && no_reason.body.contains("请写明退回理由"), "{}", no_reason.body);
    assert_eq!(office.decide(&own, "return", &office.reviewer, &[("reason", "标题须与原文一致")]).status, 303);
    let returned = office.get(&own, &office.both).body;
    assert!(returned.contains("已退回") && returned.contains("退回理由：标题须与原文一致"), "{returned}");
    assert_eq!(office.published().1, version, "nothing published");
    let kept: Vec<_> = std::fs::read_dir(office.hub.data.join("reviews")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(kept.is_empty(), "a decided review's bundle is not kept (the published one is among the objects): {kept:?}");
    let late = office.decide(&own, "approve", &office.reviewer, &[("secrecy", "on")]);
    assert!(late.status == 422 && late.body.contains("已退回"), "{}", late.body);

    // 撤回: the content of the version before comes back to the screens, as a new version.
    let offered = office.get("/content/reviews", &office.reviewer).body;
    assert!(offered.contains(&format!("终端正在显示第 {version} 版")) && offered.contains(&format!("恢复显示第 {demo_version} 版")), "{offered}");
    assert!(!office.get("/content/reviews", &office.editor).body.contains("/content/reviews/withdraw"), "only 审核 sees 撤回");
    let shown = version.to_string();
    let by_editor = office.decide("/content/reviews", "withdraw", &office.editor, &[("shown", &shown), ("confirmed", "on")]);
    assert_eq!(by_editor.status, 403, "{}", by_editor.body);
    let unconfirmed = office.decide("/content/reviews", "withdraw", &office.reviewer, &[("shown", &shown)]);
    assert!(unconfirmed.status == 422 && unconfirmed.body.contains("请先勾选确认"), "{}", unconfirmed.body);
    let stale = office.decide("/content/reviews", "withdraw", &office.reviewer, &[("shown", &demo_version.to_string()), ("confirmed", "on")]);
    assert!(stale.status == 422 && stale.body.contains(&format!("终端的内容已变为第 {version} 版")), "{}", stale.body);
    assert_eq!(office.published().1, version, "nothing withdrawn by a refused post");
    let open = office.submit(&office.both);
    let withdrawn = office.decide("/content/reviews", "withdraw", &office.reviewer, &[("shown", &shown), ("confirmed", "on")]);
    assert_eq!(withdrawn.status, 303, "{}", withdrawn.body);
    let restored = office.published().1;
    assert!(restored > version, "versions only increase: {restored}");
    assert_eq!(office.kiosk_syncs("doc-a-002"), (restored, was.clone()), "the kiosk shows the title before the change again");
    let after = office.get(withdrawn.header("location").unwrap(), &office.reviewer).body;
    assert!(after.contains(&format!("已重新发布为第 {restored} 版")), "{after}");
    assert!(after.contains("没有可以恢复的上一版"), "a second 撤回 would go before the first publish, which is not kept: {after}");
    let sent_back = office.get(&open, &office.both).body;
    assert!(sent_back.contains("已退回") && sent_back.contains(&format!("第 {version} 版已撤回")), "a review listing changes against the withdrawn content is sent back: {sent_back}");
    let workspace = office.get("/content/documents/item?id=doc-a-002", &office.editor).body;
    assert!(workspace.contains("关于做好第2项工作的通知（送审修订）"), "the workspace keeps the change, to be corrected and submitted again");

    // Each step is in the audit log, with who did it.
    let audit = office.get("/staff/audit", &office.reviewer).body;
    for entry in [
        "送审：送审稿 #1，新增 0 项、修改 1 项、删除 0 项",
        &format!("批准发布：送审稿 #1，已发布为第 {version} 版"),
        "退回：送审稿 #2，理由：标题须与原文一致",
        &format!("撤回：终端内容由第 {version} 版恢复为第 {demo_version} 版的内容，重新发布为第 {restored} 版"),
    ] {
        assert!(audit.contains(entry), "{entry}: {audit}");
    }
}

#[test]
fn an_approved_review_is_published_at_its_time_and_a_scheduled_one_can_be_sent_back_before() {
    let clock = gongkai_testkit::hub::MovedClock::new();
    let office = Office::open_on(Some(&clock));
    let (_, demo_version) = office.published();
    // 发布时间 as a browser's datetime-local input sends it, `minutes` ahead of the hub's clock
    // (`offset` seconds ahead of the real one), to the minute.
    let ahead = |offset: i64, minutes: i64| {
        let at = chrono::Local::now() + chrono::Duration::seconds(offset) + chrono::Duration::minutes(minutes);
        let typed = at.format("%Y-%m-%dT%H:%M").to_string();
        let unix = chrono::NaiveDateTime::parse_from_str(&typed, "%Y-%m-%dT%H:%M").unwrap().and_local_timezone(chrono::Local).unwrap().timestamp();
        (typed, unix)
    };
    let now_published = |at_least: u64| {
        for _ in 0..60 {
            if office.published().1 > at_least {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(500));
        }
        false
    };

    office.retitle(&office.editor, "doc-a-004", "定时发布的标题");
    let review = office.submit(&office.editor);
    for (typed, problem) in [("2020-01-01T09:00", "发布时间须晚于当前时间"), ("明天上午", "发布时间请按"), (&ahead(0, 100 * 24 * 60).0, "发布时间须在 90 天以内")] {
        let refused = office.decide(&review, "approve", &office.reviewer, &[("secrecy", "on"), ("publish_at", typed)]);
        assert!(refused.status == 422 && refused.body.contains(problem), "{problem}: {}", refused.body);
    }
    let (typed, at) = ahead(0, 3);
    assert_eq!(office.decide(&review, "approve", &office.reviewer, &[("secrecy", "on"), ("publish_at", &typed)]).status, 303);
    let shown = typed.replace('T', " ");
    let page = office.get(&review, &office.editor).body;
    assert!(page.contains("已批准，定时发布") && page.contains(&format!("发布时间：<strong>{shown}</strong>")), "{page}");

    // Before its time nothing is published (the hub looks every 5 s), and nothing else is
    // submitted meanwhile.
    std::thread::sleep(std::time::Duration::from_secs(6));
    assert_eq!(office.published().1, demo_version);
    office.retitle(&office.editor, "doc-a-005", "另一处修改");
    let meanwhile = post(&office.hub.url, "/content/reviews/submit", &office.editor, &[("csrf", &office.csrf(&office.editor))]);
    assert!(meanwhile.status == 422 && meanwhile.body.contains(&format!("已批准，将于 {shown} 发布；发布或退回后才能再次送审")), "{}", meanwhile.body);

    // At its time the hub signs and publishes it, as the reviewer who approved it.
    let offset = at - chrono::Utc::now().timestamp() + 20;
    clock.set_offset(offset);
    assert!(now_published(demo_version), "published within 30 s of its time");
    let (manifest, version) = office.published();
    let sha = gongkai_core::sync::layout::manifest_sha256(&manifest);
    let signature = std::fs::read_to_string(office.hub.data.join(gongkai_core::sync::layout::signature_path(&sha))).unwrap();
    gongkai_core::signing::verify_manifest(&manifest, &signature, &[office.public_key]).unwrap();
    let page = office.get(&review, &office.editor).body;
    assert!(page.contains("已批准发布") && page.contains(&format!("已发布为第 {version} 版")), "{page}");

    // A scheduled review is sent back before its time: nothing is published then.
    let second = office.submit(&office.editor);
    let (typed, at) = ahead(offset, 10);
    assert_eq!(office.decide(&second, "approve", &office.reviewer, &[("secrecy", "on"), ("publish_at", &typed)]).status, 303);
    assert!(office.get(&second, &office.reviewer).body.contains("取消定时发布并退回"));
    assert_eq!(office.decide(&second, "return", &office.reviewer, &[("reason", "等领导定稿后再发")]).status, 303);
    clock.set_offset(at - chrono::Utc::now().timestamp() + 20);
    std::thread::sleep(std::time::Duration::from_secs(8));
    assert_eq!(office.published().1, version, "a review sent back is not published");
    let kept: Vec<_> = std::fs::read_dir(office.hub.data.join("reviews")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(kept.is_empty(), "{kept:?}");

    let audit = office.get("/staff/audit", &office.reviewer).body;
    for entry in [
        format!("批准定时发布：送审稿 #1，将于 {shown} 发布；审核人确认已完成保密审查"),
        format!("定时发布：送审稿 #1，发布时间 {shown}，已发布为第 {version} 版"),
        "退回：送审稿 #2，理由：等领导定稿后再发".to_string(),
    ] {
        assert!(audit.contains(&entry), "{entry}: {audit}");
    }
}

#[test]
fn a_would_be_bundle_changed_after_it_was_submitted_is_not_published() {
    let office = Office::open();
    let (_, demo_version) = office.published();
    office.retitle(&office.editor, "doc-a-003", "送审后被改动的标题");
    let review = office.submit(&office.editor);

    // Someone who can write to the hub's data folder changes the title the reviewer reads,
    // keeping the file's size.
    let folder = std::fs::read_dir(office.hub.data.join("reviews")).unwrap().next().unwrap().unwrap().path();
    let shards = std::fs::read_dir(folder.join("documents")).unwrap().map(|e| e.unwrap().path());
    let shard = shards.into_iter().find(|p| std::fs::read_to_string(p).unwrap().contains("送审后被改动的标题")).unwrap();
    let text = std::fs::read_to_string(&shard).unwrap().replace("送审后被改动的标题", "审核之后换上的标题");
    std::fs::write(&shard, text).unwrap();

    let refused = office.decide(&review, "approve", &office.reviewer, &[("secrecy", "on")]);
    let file = format!("documents/{}", shard.file_name().unwrap().to_string_lossy());
    let reason = format!("发布前的内容检查未通过（1 处），第一处：{file}：送审后文件被改动过，与审核的内容不一致");
    assert!(refused.status == 422 && refused.body.contains(&reason), "{}", refused.body);
    assert_eq!(office.published().1, demo_version, "nothing is published");
}

#[test]
fn an_attachment_is_taken_for_what_it_is_listed_in_its_document_and_removed_with_its_file() {
    let (dir, hub, session) = console();
    let cookie = session[0].1.clone();
    let opened = |session: &[(&str, String)]| {
        let page = http(&hub.url, "GET", "/content/documents/item?id=doc-a-002", session, b"").body;
        (hidden_value(&page, "csrf").unwrap(), hidden_value(&page, "revision").unwrap(), page)
    };
    let (csrf, revision, page) = opened(&session);
    assert!(page.contains("action=\"/content/documents/attachments\"") && page.contains("附件1：YX-03单元控制性详细规划（修编）图则"), "{page}");
    let send = |revision: &str, name: &str, bytes: &[u8]| {
        let fields = [("csrf", csrf.as_str()), ("id", "doc-a-002"), ("revision", revision), ("title", "附件2：实施方案")];
        post_multipart(&hub.url, "/content/documents/attachments", &cookie, &fields, ("file", name, bytes))
    };
    // A program named as a PDF is refused for what it is.
    let refused = send(&revision, "方案.pdf", b"MZ\x90\x00 not a document");
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("只能上传 PDF、OFD、DOCX、XLSX 文件或 PNG、JPEG 图片"), "{}", refused.body);

    let pdf = std::fs::read(Path::new(DEMO_BUNDLE).join("attachments/doc-a-001-1.pdf")).unwrap();
    let added = send(&revision, "方案.pdf", &pdf);
    assert_eq!(added.status, 303, "{}", added.body);
    let store = SqliteStore::open(&hub.data.join("submissions.db")).unwrap();
    let document = store.workspace_item(Kind::Documents, "doc-a-002").unwrap().unwrap();
    assert_eq!(document.item.body["attachments"][1], serde_json::json!({"title": "附件2：实施方案", "format": "PDF", "file": "attachments/doc-a-002-1.pdf"}));
    let (_, files) = store.workspace_all().unwrap();
    assert!(files.iter().any(|f| f.path == "attachments/doc-a-002-1.pdf" && f.bytes == pdf), "the file is in the workspace");
    let stale = send(&revision, "又一份.pdf", &pdf);
    assert_eq!(stale.status, 409, "a page opened before the upload is out of date");

    // The bundle checker takes it: the workspace exported builds, with the PDF's page images.
    let source = dir.path().join("with-attachment");
    assert!(hub_command(&hub.data, &["content", "export", source.to_str().unwrap()]).status.success());
    let built = build_bundle(&source, &dir.path().join("built"), &BuildOptions { bundle_version: Some(2), ..fixed_build_options() }).unwrap();
    assert!(built.is_clean(), "{:?}", built.problems);
    assert!(dir.path().join("built/attachments/doc-a-002-1.pdf.pages").is_dir(), "its pages are drawn");

    // Removed: out of the document, and its file out of the workspace.
    let (csrf, revision, _) = opened(&session);
    let removed = post_form(&hub.url, "/content/documents/attachments/remove", &cookie, &[("csrf", &csrf), ("id", "doc-a-002"), ("revision", &revision), ("index", "1")]);
    assert_eq!(removed.status, 303, "{}", removed.body);
    let document = store.workspace_item(Kind::Documents, "doc-a-002").unwrap().unwrap();
    assert_eq!(document.item.body["attachments"].as_array().map(Vec::len), Some(1));
    assert!(!store.workspace_all().unwrap().1.iter().any(|f| f.path == "attachments/doc-a-002-1.pdf"));
    let audit = store.audit_log(None, None, 5).unwrap();
    assert!(audit.iter().any(|e| e.action == "上传附件" && e.detail.contains("doc-a-002「附件2：实施方案」（PDF")), "{audit:?}");
    assert!(audit.iter().any(|e| e.action == "删除附件"), "{audit:?}");
}

#[test]
fn a_notice_key_work_and_other_tabular_items_are_edited_in_their_forms() {
    let (_dir, hub, session) = console();
    let cookie = session[0].1.clone();
    let store = SqliteStore::open(&hub.data.join("submissions.db")).unwrap();
    let get = |path: &str| http(&hub.url, "GET", path, &session, b"");
    let csrf = hidden_value(&get("/content/notices/new").body, "csrf").unwrap();
    let notice = |fields: &[(&str, &str)]| {
        let mut all = vec![("csrf", csrf.as_str()), ("key", ""), ("revision", "")];
        all.extend_from_slice(fields);
        post_form(&hub.url, "/content/notices/save", &cookie, &all)
    };
    // A 紧急 notice without an end is refused at that field, what was typed kept.
    let urgent = [("id", "tz-urgent-1"), ("title", "暴雨红色预警：服务大厅今日下午暂停办公"), ("issuer", "区政务服务中心"), ("level", "紧急"), ("published_at", "2026-11-20T08:30"), ("body", "请市民改日办理或网上办理。")];
    let refused = notice(&urgent);
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("紧急通知会占据终端和大屏，必须填写截止时间") && refused.body.contains("暴雨红色预警"), "{}", refused.body);
    let mut with_end = urgent.to_vec();
    with_end.push(("expires_at", "2026-11-20T18:00"));
    let saved = notice(&with_end);
    assert_eq!(saved.status, 303, "{}", saved.body);
    let stored = store.workspace_item(Kind::Notices, "tz-urgent-1").unwrap().unwrap();
    assert_eq!((stored.item.body["level"].as_str(), stored.item.body["published_at"].as_str(), stored.item.body["expires_at"].as_str()), (Some("紧急"), Some("2026-11-20T08:30:00"), Some("2026-11-20T18:00:00")));
    assert!(get("/content/notices").body.contains("暴雨红色预警"), "listed");

    // 重点工作 in its form: departments by name, the milestones it has no field for kept.
    let page = get("/content/key_work/item?id=kw-2026-01").body;
    assert!(page.contains("<option value=\"fgw\" selected>区发展和改革委员会</option>") && page.contains("保存时保持不变：里程碑"), "{page}");
    let revision = hidden_value(&page, "revision").unwrap();
    let fields = [("csrf", csrf.as_str()), ("key", "kw-2026-01"), ("revision", revision.as_str()), ("id", "kw-2026-01"), ("category", "政府工作报告"), ("title", "地区生产总值增长6%左右"),
        ("lead", "区发展和改革委员会"), ("co", "区统计局、区工业和信息化局、区商务局"), ("target", "全年地区生产总值达到525亿元左右，同比增长6%"), ("progress", "80"), ("status", "推进中"), ("updated_on", "2026-11-20")];
    let saved = post_form(&hub.url, "/content/key_work/save", &cookie, &fields);
    assert_eq!(saved.status, 303, "{}", saved.body);
    let task = store.workspace_item(Kind::KeyWork, "kw-2026-01").unwrap().unwrap();
    assert_eq!((task.item.body["progress"].clone(), task.item.body["milestones"].as_array().map(Vec::len)), (80.into(), Some(4)));
    let mut late = fields.to_vec();
    late[9] = ("progress", "81");
    let stale = post_form(&hub.url, "/content/key_work/save", &cookie, &late);
    assert_eq!(stale.status, 409, "a change from a form opened before the last save");
    let revision_now = task.revision.to_string();
    let mut done = fields.to_vec();
    done[2] = ("revision", &revision_now);
    done[10] = ("status", "已完成");
    let refused = post_form(&hub.url, "/content/key_work/save", &cookie, &done);
    assert!(refused.status == 422 && refused.body.contains("状态为已完成时完成进度应为 100，现为 80"), "{}", refused.body);

    // Deleted after the question; a reviewer without 起草 only reads.
    let notice_page = get("/content/notices/item?id=tz-urgent-1").body;
    let revision = hidden_value(&notice_page, "revision").unwrap();
    let asked = post_form(&hub.url, "/content/notices/delete", &cookie, &[("csrf", &csrf), ("key", "tz-urgent-1"), ("revision", &revision)]);
    assert!(asked.body.contains("确认删除"));
    let deleted = post_form(&hub.url, "/content/notices/delete", &cookie, &[("csrf", &csrf), ("key", "tz-urgent-1"), ("revision", &revision), ("confirmed", "1")]);
    assert_eq!(deleted.status, 303);
    assert!(store.workspace_item(Kind::Notices, "tz-urgent-1").unwrap().is_none());
    add_staff_as(&hub.data, "reader", "审核老李", "correct horse battery", &["审核"]);
    let reader = [("Cookie", sign_in(&hub.url, "reader", "correct horse battery"))];
    let read_only = http(&hub.url, "GET", "/content/key_work/item?id=kw-2026-01", &reader, b"").body;
    assert!(!read_only.contains("/content/key_work/save") && read_only.contains("地区生产总值增长6%左右"), "{read_only}");
    let audit = store.audit_log(None, None, 10).unwrap();
    assert!(audit.iter().any(|e| e.detail == "新建内容：通知公告 tz-urgent-1「暴雨红色预警：服务大厅今日下午暂停办公」"), "{audit:?}");
}

/// The fields of the page's form that posts to `action`, as a browser sends them untouched.
fn fields_of_form(page: &str, action: &str) -> Vec<(String, String)> {
    let form = page.split(&format!("action=\"{action}\"")).nth(1).and_then(|rest| rest.split("</form>").next()).unwrap_or_else(|| panic!("no form to {action}"));
    let unescape = |text: &str| text.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    let attribute = |tag: &str, name: &str| tag.split(&format!(" {name}=\"")).nth(1).and_then(|rest| rest.split('"').next()).map(unescape);
    let (mut fields, mut select) = (Vec::new(), None);
    for part in form.split('<').skip(1) {
        let (tag, content) = part.split_once('>').unwrap_or((part, ""));
        match tag.split(' ').next() {
            // A checkbox is sent only when it is ticked.
            Some("input") if tag.contains("type=\"checkbox\"") && !tag.contains(" checked") => {}
            Some("input") => fields.extend(attribute(tag, "name").map(|name| (name, attribute(tag, "value").unwrap_or_default()))),
            Some("textarea") => fields.extend(attribute(tag, "name").map(|name| (name, unescape(content)))),
            Some("select") => select = attribute(tag, "name"),
            Some("option") if tag.ends_with(" selected") || tag.contains(" selected ") => fields.extend(select.clone().map(|name| (name, attribute(tag, "value").unwrap_or_default()))),
            _ => {}
        }
    }
    fields
}

#[test]
fn an_item_opened_and_saved_untouched_stays_as_it_was_and_only_起草_saves() {
    let (_dir, hub, session) = console();
    let cookie = session[0].1.clone();
    let store = SqliteStore::open(&hub.data.join("submissions.db")).unwrap();
    let every_kind = [
        (Kind::KeyWork, "kw-2026-01"),
        (Kind::AdminRecords, "ar-0001"),
        (Kind::AdminMonthly, "scjgj/2025-12"),
        (Kind::ServiceGuides, "bs-001"),
        (Kind::Notices, "tz-001"),
        (Kind::Site, "site"),
        (Kind::Domains, "cxgh"),
        (Kind::Interpretations, "jd-a-01"),
        (Kind::Interpretations, "jd-a-02"),
        (Kind::DisclosureStats, "2021"),
        (Kind::Consultations, "zj-2025-01"),
        (Kind::Communities, "sq-qingfeng"),
    ];
    for (kind, id) in every_kind {
        let before = store.workspace_item(kind, id).unwrap().unwrap();
        let page = http(&hub.url, "GET", &format!("/content/{}/item?id={id}", kind.name()), &session, b"").body;
        let fields = fields_of_form(&page, &format!("/content/{}/save", kind.name()));
        let saved = post_form(&hub.url, &format!("/content/{}/save", kind.name()), &cookie, &as_pairs(&fields));
        assert_eq!(saved.status, 303, "{id}: {}", saved.body);
        let after = store.workspace_item(kind, id).unwrap().unwrap();
        assert!(after.item.body == before.item.body && after.revision == before.revision, "{id} changed: {} → {}", before.item.body, after.item.body);
    }

    // The key of a saved item is its own, whatever the form says.
    let page = http(&hub.url, "GET", "/content/key_work/item?id=kw-2026-01", &session, b"").body;
    let fields = changed(&fields_of_form(&page, "/content/key_work/save"), &[("id", "kw-2026-02"), ("progress", "79")]);
    assert_eq!(post_form(&hub.url, "/content/key_work/save", &cookie, &as_pairs(&fields)).status, 303);
    assert_eq!(store.workspace_item(Kind::KeyWork, "kw-2026-01").unwrap().unwrap().item.body["progress"], 79);
    assert_eq!(store.workspace_item(Kind::KeyWork, "kw-2026-02").unwrap().unwrap().revision, 1, "the other task is untouched");

    // Without 起草, or without the form's token, nothing is saved or deleted.
    add_staff_as(&hub.data, "reader", "审核老李", "correct horse battery", &["审核"]);
    let reader = sign_in(&hub.url, "reader", "correct horse battery");
    let reader_csrf = hidden_value(&http(&hub.url, "GET", "/content/reviews", &[("Cookie", reader.clone())], b"").body, "csrf").unwrap();
    let by_reader = post_form(&hub.url, "/content/key_work/save", &reader, &as_pairs(&changed(&fields, &[("csrf", &reader_csrf)])));
    assert_eq!(by_reader.status, 403);
    let deleted = post_form(&hub.url, "/content/key_work/delete", &reader, &[("csrf", &reader_csrf), ("key", "kw-2026-01"), ("revision", "2"), ("confirmed", "1")]);
    assert_eq!(deleted.status, 403);
    let no_token = post_form(&hub.url, "/content/key_work/save", &cookie, &as_pairs(&changed(&fields, &[("csrf", "")])));
    assert_eq!(no_token.status, 403);
    assert!(store.workspace_item(Kind::KeyWork, "kw-2026-01").unwrap().is_some());
}

#[test]
fn the_site_logo_is_uploaded_as_a_png_or_a_jpeg_and_replaces_the_one_before() {
    let (_dir, hub, session) = console();
    let cookie = session[0].1.clone();
    let store = SqliteStore::open(&hub.data.join("submissions.db")).unwrap();
    let send = |bytes: &[u8], name: &str| {
        let page = http(&hub.url, "GET", "/content/site/item?id=site", &session, b"").body;
        assert!(page.contains("action=\"/content/site/logo\""), "{page}");
        let (csrf, revision) = (hidden_value(&page, "csrf").unwrap(), hidden_value(&page, "revision").unwrap());
        post_multipart(&hub.url, "/content/site/logo", &cookie, &[("csrf", &csrf), ("revision", &revision)], ("file", name, bytes))
    };
    let refused = send(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "logo.png");
    assert!(refused.status == 422 && refused.body.contains("单位标志只能是 PNG 或 JPEG 图片"), "{}", refused.status);
    let picture = image::RgbImage::from_pixel(96, 96, image::Rgb([180, 20, 30]));
    let encoded = |format: image::ImageFormat| {
        let mut bytes = std::io::Cursor::new(Vec::new());
        picture.write_to(&mut bytes, format).unwrap();
        bytes.into_inner()
    };
    let png = encoded(image::ImageFormat::Png);
    assert_eq!(send(&png, "标志.png").status, 303);
    let file = |path: &str| store.workspace_all().unwrap().1.into_iter().find(|f| f.path == path).map(|f| f.bytes);
    assert_eq!(store.workspace_item(Kind::Site, "site").unwrap().unwrap().item.body["logo"], "images/logo.png");
    assert_eq!(file("images/logo.png"), Some(png));
    let jpeg = encoded(image::ImageFormat::Jpeg);
    assert_eq!(send(&jpeg, "标志.jpg").status, 303);
    assert_eq!(store.workspace_item(Kind::Site, "site").unwrap().unwrap().item.body["logo"], "images/logo.jpg");
    assert_eq!((file("images/logo.jpg"), file("images/logo.png")), (Some(jpeg), None), "the one before is gone");
    assert!(store.audit_log(None, None, 5).unwrap().iter().any(|e| e.action == "上传单位标志"));
}

#[test]
fn lists_within_items_are_edited_row_by_row_and_problems_are_told_at_their_row() {
    let (dir, hub, session) = console();
    let cookie = session[0].1.clone();
    let store = SqliteStore::open(&hub.data.join("submissions.db")).unwrap();
    let form = |kind: &str, id: &str| fields_of_form(&http(&hub.url, "GET", &format!("/content/{kind}/item?id={id}"), &session, b"").body, &format!("/content/{kind}/save"));
    let save = |kind: &str, fields: &[(String, String)]| post_form(&hub.url, &format!("/content/{kind}/save"), &cookie, &as_pairs(fields));

    // A 解读's 问答: the first removed, one added in a blank row, one half filled refused at
    // its empty input, one with an unmasked mobile number refused at its answer.
    let before = store.workspace_item(Kind::Interpretations, "jd-a-01").unwrap().unwrap().item.body;
    let fields = form("interpretations", "jd-a-01");
    assert_eq!(fields.iter().find(|(name, _)| name == "qa.rows").map(|(_, n)| n.as_str()), Some("7"), "4 questions and 3 blank rows");
    let refused = save("interpretations", &changed(&fields, &[("qa.4.q", "可以网上查阅吗？"), ("qa.5.q", "多久更新一次？"), ("qa.6.q", "怎么咨询？"), ("qa.6.a", "请拨打13812345678咨询。")]));
    assert_eq!(refused.status, 422, "{}", refused.body);
    let after_field = |name: &str| refused.body.split(&format!("name=\"{name}\"")).nth(1).and_then(|rest| rest.split("</textarea>").nth(1)).and_then(|rest| rest.split("<label").next()).unwrap_or_default().to_string();
    assert!(after_field("qa.4.a").contains("请填写答") && after_field("qa.5.a").contains("请填写答"), "{}", after_field("qa.4.a"));
    assert!(refused.body.contains("可以网上查阅吗？"), "what was typed is kept");
    let mut fixed = changed(&fields, &[("qa.4.q", "可以网上查阅吗？"), ("qa.4.a", "可以，在区政府网站查阅。")]);
    fixed.push(("qa.0.remove".into(), "1".into()));
    let saved = save("interpretations", &fixed);
    assert_eq!(saved.status, 303, "{}", saved.body);
    let qa = store.workspace_item(Kind::Interpretations, "jd-a-01").unwrap().unwrap().item.body["qa"].clone();
    assert_eq!(qa.as_array().map(Vec::len), Some(4));
    assert_eq!(qa[0], before["qa"][1]);
    assert_eq!(qa[3], serde_json::json!({"q": "可以网上查阅吗？", "a": "可以，在区政府网站查阅。"}));
    let phone = save("interpretations", &changed(&form("interpretations", "jd-a-01"), &[("qa.1.a", "请拨打13812345678咨询。")]));
    assert_eq!(phone.status, 422);
    let at_answer = phone.body.split("name=\"qa.1.a\"").nth(1).and_then(|rest| rest.split("<label").next()).unwrap_or_default();
    assert!(at_answer.contains("未遮挡的手机号码"), "told under the row's answer: {}", phone.body);

    // 财务公开 one line a row: a line moved to a new period makes a new report.
    let fields = form("communities", "sq-qingfeng");
    let saved = save("communities", &changed(&fields, &[("finance.0.period", "2026年第四季度"), ("finance.0.amount", "31000")]));
    assert_eq!(saved.status, 303, "{}", saved.body);
    let finance = store.workspace_item(Kind::Communities, "sq-qingfeng").unwrap().unwrap().item.body["finance"].clone();
    assert_eq!(finance.as_array().map(Vec::len), Some(3));
    assert_eq!(finance[0]["period"], "2026年第四季度");
    assert_eq!(finance[0]["lines"], serde_json::json!([{"subject": "上级拨付社区工作经费", "flow": "收入", "amount": 31000}]));
    assert_eq!(finance[1]["lines"].as_array().map(Vec::len), Some(7));

    // 意见采纳情况 left blank is no feedback at all; a long draft (far over the 64 KB other
    // requests may send, as a browser encodes it) is taken.
    let fields = form("consultations", "zj-2025-01");
    let long_article = "本条规定的内容".repeat(3_000);
    assert_eq!(save("consultations", &changed(&fields, &[("articles.0.text", &long_article)])).status, 303);
    assert_eq!(store.workspace_item(Kind::Consultations, "zj-2025-01").unwrap().unwrap().item.body["articles"][0]["text"], long_article.as_str());
    let fields = form("consultations", "zj-2025-01");
    let blank: Vec<(&str, &str)> = ["feedback.published_on", "feedback.received", "feedback.adopted", "feedback.summary"].into_iter().map(|name| (name, "")).collect();
    assert_eq!(save("consultations", &changed(&fields, &blank)).status, 303);
    assert!(store.workspace_item(Kind::Consultations, "zj-2025-01").unwrap().unwrap().item.body.get("feedback").is_none());

    // The site is edited, never added or deleted.
    let site_page = http(&hub.url, "GET", "/content/site/item?id=site", &session, b"").body;
    assert!(site_page.contains("name=\"departments.0.name\"") && !site_page.contains("/content/site/delete"), "{site_page}");
    assert_eq!(http(&hub.url, "GET", "/content/site/new", &session, b"").status, 404);

    // A 图解 uploaded to the 解读: an image only, listed with its caption, in the bundle.
    let page = http(&hub.url, "GET", "/content/interpretations/item?id=jd-a-01", &session, b"").body;
    let (csrf, revision) = (hidden_value(&page, "csrf").unwrap(), hidden_value(&page, "revision").unwrap());
    let send = |name: &str, bytes: &[u8]| {
        post_multipart(&hub.url, "/content/interpretations/attachments", &cookie, &[("csrf", &csrf), ("id", "jd-a-01"), ("revision", &revision), ("title", "一图读懂分区规划")], ("file", name, bytes))
    };
    let pdf = std::fs::read(Path::new(DEMO_BUNDLE).join("attachments/doc-a-001-1.pdf")).unwrap();
    let refused = send("图解.pdf", &pdf);
    assert!(refused.status == 422 && refused.body.contains("图解只能是 PNG 或 JPEG 图片"), "{}", refused.body);
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(64, 48, image::Rgb([20, 80, 160])).write_to(&mut png, image::ImageFormat::Png).unwrap();
    assert_eq!(send("图解.png", png.get_ref()).status, 303);
    let images = store.workspace_item(Kind::Interpretations, "jd-a-01").unwrap().unwrap().item.body["images"].clone();
    assert_eq!(images, serde_json::json!([{"file": "images/tujie/jd-a-01-1.png", "caption": "一图读懂分区规划"}]));
    let source = dir.path().join("with-illustration");
    assert!(hub_command(&hub.data, &["content", "export", source.to_str().unwrap()]).status.success());
    let built = build_bundle(&source, &dir.path().join("built"), &BuildOptions { bundle_version: Some(2), ..fixed_build_options() }).unwrap();
    assert!(built.is_clean(), "{:?}", built.problems);
    assert!(dir.path().join("built/images/tujie/jd-a-01-1.png").is_file());
}

#[test]
fn a_reference_another_item_holds_is_kept_whole_when_an_item_is_saved_or_deleted() {
    let (_dir, hub, session) = console();
    let cookie = session[0].1.clone();
    let store = SqliteStore::open(&hub.data.join("submissions.db")).unwrap();
    let form = |kind: &str, id: &str| fields_of_form(&http(&hub.url, "GET", &format!("/content/{kind}/item?id={id}"), &session, b"").body, &format!("/content/{kind}/save"));
    let save = |kind: &str, fields: &[(String, String)]| post_form(&hub.url, &format!("/content/{kind}/save"), &cookie, &as_pairs(fields));
    let at_input = |page: &str, name: &str| page.split(&format!("name=\"{name}\"")).nth(1).and_then(|rest| rest.split("<label").next()).unwrap_or_default().to_string();

    // A department the content names keeps its 编号; two departments cannot share one.
    let site = form("site", "site");
    let row = |name: &str| site.iter().find(|(_, value)| value == name).map(|(input, _)| input.trim_end_matches(".name").to_string()).unwrap();
    let statistics = row("区统计局");
    let renamed = save("site", &changed(&site, &[(&format!("{statistics}.id"), "tongji")]));
    assert_eq!(renamed.status, 422, "{}", renamed.body);
    assert!(renamed.body.contains("部门“区统计局”（编号 tjj）仍被") && renamed.body.contains("重点工作 kw-2026-01"), "{}", renamed.body);
    let plus = |fields: &[(String, String)], name: String| fields.iter().cloned().chain([(name, "1".to_string())]).collect::<Vec<_>>();
    let removed = save("site", &plus(&site, format!("{statistics}.remove")));
    assert!(removed.status == 422 && removed.body.contains("编号 tjj）仍被"), "{}", removed.status);
    let twice = save("site", &changed(&site, &[(&format!("{}.id", row("区人民政府办公室")), "qzf")]));
    assert!(at_input(&twice.body, &format!("{}.id", row("区人民政府办公室"))).contains("部门编号“qzf”已被“云溪区人民政府”使用"), "{}", twice.body);
    let blank: usize = site.iter().find(|(name, _)| name == "departments.rows").unwrap().1.parse::<usize>().unwrap() - 3;
    let unused = save("site", &changed(&site, &[(&format!("departments.{blank}.id"), "xinbm"), (&format!("departments.{blank}.name"), "区新设部门")]));
    assert_eq!(unused.status, 303, "a department nobody names yet is added: {}", unused.body);
    let site = form("site", "site");
    let new_row = site.iter().find(|(_, value)| value == "区新设部门").map(|(input, _)| input.trim_end_matches(".name").to_string()).unwrap();
    assert_eq!(save("site", &plus(&site, format!("{new_row}.remove"))).status, 303, "and removed again");

    // A 公开事项's 编号 is unique in the catalogue; the documents it names exist.
    let domain = form("domains", "cxgh");
    let taken = save("domains", &changed(&domain, &[("items.1.id", "zdjsxm-01"), ("items.0.documents", "doc-a-001\ndoc-nope")]));
    assert_eq!(taken.status, 422, "{}", taken.body);
    assert!(at_input(&taken.body, "items.1.id").contains("事项编号“zdjsxm-01”已用于领域“重大建设项目”的公开事项"), "{}", taken.body);
    assert!(at_input(&taken.body, "items.0.documents").contains("政府信息中没有编号为“doc-nope”的文件"), "{}", taken.body);

    // A 解读 names a document that exists, and moves off one only once that document lets it go.
    let interpretation = form("interpretations", "jd-a-01");
    let nowhere = save("interpretations", &changed(&interpretation, &[("document", "doc-nope")]));
    assert!(nowhere.status == 422 && nowhere.body.contains("政府信息中没有编号为“doc-nope”的文件"), "{}", nowhere.body);
    let moved = save("interpretations", &changed(&interpretation, &[("document", "doc-a-002")]));
    assert!(moved.status == 422 && moved.body.contains("文件“doc-a-001”的“解读”中仍列着本解读"), "{}", moved.body);
    let retitled = save("interpretations", &changed(&interpretation, &[("title", "《云溪区国土空间分区规划》解读（修订）")]));
    assert_eq!(retitled.status, 303, "an edit that keeps its document is saved: {}", retitled.body);

    // Deleting what others name is refused with who names it.
    let delete = |kind: &str, id: &str| {
        let page = http(&hub.url, "GET", &format!("/content/{kind}/item?id={id}"), &session, b"").body;
        let fields = [("csrf", hidden_value(&page, "csrf").unwrap()), ("key", id.to_string()), ("revision", hidden_value(&page, "revision").unwrap()), ("confirmed", "1".into())];
        post_form(&hub.url, &format!("/content/{kind}/delete"), &cookie, &fields.iter().map(|(n, v)| (*n, v.as_str())).collect::<Vec<_>>())
    };
    let domain_kept = delete("domains", "cxgh");
    assert!(domain_kept.status == 422 && domain_kept.body.contains("份政府信息、") && domain_kept.body.contains("属于这个领域"), "{} {:?} {}", domain_kept.status, domain_kept.headers, domain_kept.body);
    let interpretation_kept = delete("interpretations", "jd-a-01");
    assert!(interpretation_kept.status == 422 && interpretation_kept.body.contains("文件“doc-a-001”的“解读”中列着这篇解读"), "{}", interpretation_kept.body);
    assert!(store.workspace_item(Kind::Domains, "cxgh").unwrap().is_some() && store.workspace_item(Kind::Interpretations, "jd-a-01").unwrap().is_some());
    assert_eq!(store.workspace_item(Kind::Site, "site").unwrap().unwrap().revision, 3, "only the two good saves were written");
}
