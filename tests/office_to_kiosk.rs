//! From the office to the screens, as staff and a kiosk do it. In a desktop Chromium an editor
//! downloads the 重点工作 template, fills it in (here, with a spreadsheet writer), imports it,
//! edits a document's title and submits; the same editor cannot approve; a reviewer sees the
//! differences and the checker's report, confirms 保密审查 and approves. Then `gongkai sync
//! --once` on a kiosk that trusts only the hub's publisher key takes the new version, and
//! `gongkai render` draws the imported title on the 重点工作 screen.
//!
//! The pages are saved as PNGs on the way; with `GONGKAI_MANUAL_SCREENSHOTS=DIR` they are
//! also written into DIR (the staff manual's pictures: `docs/操作手册/`).

mod common;

use std::{
    collections::HashMap,
    io::Cursor,
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use calamine::{Reader, Xlsx};
use gongkai_core::content::check::{CheckOptions, check_bundle};
use common::office::{PASSWORD, page_text, picture, sign_in, wait_for_text};
use gongkai_testkit::{
    hub::{add_staff_as, publish_demo, start_hub},
    webdriver::Browser,
    workspace_binary,
};
use serde_json::json;

const NEW_TITLE: &str = "地区生产总值增长6.5%左右";
const ADDED_TITLE: &str = "新建城区公办幼儿园3所";
const DOCUMENT_TITLE: &str = "云溪区国土空间分区规划（修订稿）";

/// The template filled in below its example row: kw-2026-01 retitled, one task added, every
/// other column as the workspace has it.
fn filled_in(template: &[u8]) -> Vec<u8> {
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(template)).unwrap();
    let first = workbook.sheet_names()[0].clone();
    let range = workbook.worksheet_range(&first).unwrap();
    let mut rows_of_template = range.rows().map(|row| row.iter().map(ToString::to_string).collect::<Vec<String>>());
    let (header, example) = (rows_of_template.next().unwrap(), rows_of_template.next().unwrap());
    let rows: [HashMap<&str, &str>; 2] = [
        HashMap::from([("编号", "kw-2026-01"), ("类别", "政府工作报告"), ("任务名称", NEW_TITLE), ("牵头单位", "区发展和改革委员会"), ("配合单位", "区统计局、区工业和信息化局、区商务局"),
            ("目标任务", "全年地区生产总值达到525亿元左右，同比增长6%"), ("完成进度（%）", "78"), ("状态", "推进中"), ("更新日期", "2026-10-30")]),
        HashMap::from([("编号", "kw-2026-88"), ("类别", "民生实事"), ("任务名称", ADDED_TITLE), ("牵头单位", "区教育体育局"), ("配合单位", "区财政局"),
            ("目标任务", "年底前建成并开园，新增学位1080个"), ("完成进度（%）", "60"), ("状态", "推进中"), ("更新日期", "2026-11-18")]),
    ];
    let mut filled = rust_xlsxwriter::Workbook::new();
    let sheet = filled.add_worksheet();
    for (column, label) in header.iter().enumerate() {
        sheet.write_string(0, column as u16, label).unwrap();
        sheet.write_string(1, column as u16, &example[column]).unwrap();
        for (at, row) in rows.iter().enumerate() {
            let value = row.get(label.as_str()).unwrap_or_else(|| panic!("the template's column {label}"));
            sheet.write_string(at as u32 + 2, column as u16, *value).unwrap();
        }
    }
    filled.save_to_buffer().unwrap()
}

/// A kiosk's configuration that shows what it syncs from `hub_url`, trusting only `public_key`.
fn kiosk_config(dir: &Path, hub_url: &str, public_key: &str) -> PathBuf {
    let text = format!(
        "[kiosk]\nid = \"hall-e2e\"\n[content]\nbundle = \"store/current\"\n[display]\nfullscreen = false\nwidth = 1920\nheight = 1080\n\
         [handoff]\nbase_url = \"https://zwgk.example.cn\"\nsecret = \"00112233445566778899aabbccddeeff\"\n\
         [sync]\nhub_url = \"{hub_url}\"\nstore = \"store\"\ntrusted_keys = [\"{public_key}\"]\n"
    );
    let path = dir.join("kiosk.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_office_imports_edits_reviews_and_publishes_in_a_browser_and_a_kiosk_shows_it() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("hub");
    publish_demo(dir.path(), &data);
    let imported = Command::new(workspace_binary("gongkai-hub")).arg("--data").arg(&data).args(["content", "import-published"]).output().unwrap();
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
    let (key, public) = gongkai_core::signing::generate_key_pair(&dir.path().join("publisher")).unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    let hub = start_hub(&data, &["--publisher-key", key.to_str().unwrap()]);
    add_staff_as(&data, "editor", "编辑小王", PASSWORD, &["起草"]);
    add_staff_as(&data, "reviewer", "审核老李", PASSWORD, &["审核"]);
    let downloads = dir.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let browser = Browser::desktop_downloading_to(&downloads);
    let url = hub.url.clone();

    // The editor finds 从表格导入 under 内容 → 重点工作 and downloads the template.
    sign_in(&browser, &url, "editor");
    browser.click("nav.staff a[href='/content']");
    browser.click("a[href='/content/key_work']");
    browser.click("a[href='/content/key_work/import']");
    picture(&browser, "import-page");
    browser.click("a[href='/content/key_work/template.xlsx']");
    let template = downloads.join("重点工作-导入模板.xlsx");
    let until = Instant::now() + Duration::from_secs(20);
    while !template.is_file() {
        assert!(Instant::now() < until, "the template was not downloaded: {:?}", std::fs::read_dir(&downloads).unwrap().collect::<Vec<_>>());
        std::thread::sleep(Duration::from_millis(100));
    }

    // The filled-in sheet uploaded: the preview lists the change and the addition.
    let sheet = dir.path().join("重点工作.xlsx");
    std::fs::write(&sheet, filled_in(&std::fs::read(&template).unwrap())).unwrap();
    browser.type_into("input[type=file]", sheet.to_str().unwrap());
    browser.click("form[enctype='multipart/form-data'] button");
    wait_for_text(&browser, "导入预览");
    let preview = page_text(&browser);
    assert!(preview.contains("新增 1 条，修改 1 条，未变 0 条") && preview.contains(NEW_TITLE) && preview.contains(ADDED_TITLE), "{preview}");
    assert!(preview.contains("第 2 行是模板的示例"), "the example row is left out: {preview}");
    picture(&browser, "import-preview");
    browser.click("form[action='/content/key_work/import/apply'] button");
    wait_for_text(&browser, "已导入：新增 1 条，修改 1 条");

    // A document's title edited in its form.
    browser.open(&format!("{url}/content/documents/item?id=doc-a-001"));
    browser.type_into("#title", DOCUMENT_TITLE);
    browser.click("button.submit");
    wait_for_text(&browser, "已保存");

    // 送审; the editor cannot approve it.
    browser.open(&format!("{url}/content/reviews"));
    browser.click("form[action='/content/reviews/submit'] button");
    wait_for_text(&browser, "审核需要「审核」角色");
    let review = browser.current_url();
    let approvable = browser.script("return document.querySelector(\"form[action$='/approve']\") !== null;", json!([]));
    assert_eq!(approvable, json!(false), "the editor has no 批准发布");

    // The reviewer sees what changes and the checker's report, confirms 保密审查 and approves.
    sign_in(&browser, &url, "reviewer");
    browser.open(&review);
    let shown = page_text(&browser);
    for expected in [NEW_TITLE, ADDED_TITLE, DOCUMENT_TITLE, "内容检查报告", "未发现问题"] {
        assert!(shown.contains(expected), "{expected}: {shown}");
    }
    picture(&browser, "review");
    browser.click("input[name=secrecy]");
    browser.click("form[action$='/approve'] button");
    wait_for_text(&browser, "已发布");
    picture(&browser, "review-published");

    // A kiosk that trusts only the hub's key syncs the new version and shows it.
    let public_key = std::fs::read_to_string(&public).unwrap().trim().to_string();
    let config = kiosk_config(dir.path(), &url, &public_key);
    let synced = Command::new(env!("CARGO_BIN_EXE_gongkai")).arg("--config").arg(&config).args(["sync", "--once"]).output().unwrap();
    assert!(synced.status.success(), "{}{}", String::from_utf8_lossy(&synced.stdout), String::from_utf8_lossy(&synced.stderr));
    let shown = check_bundle(&dir.path().join("store/current"), &CheckOptions::at_local_now());
    assert!(shown.is_clean(), "{:?}", shown.problems);
    let titles: Vec<&str> = shown.content.key_work.iter().map(|k| k.title.as_str()).collect();
    assert!(titles.contains(&NEW_TITLE) && titles.contains(&ADDED_TITLE), "{titles:?}");
    assert_eq!(shown.content.documents.iter().find(|d| d.id == "doc-a-001").map(|d| d.title.as_str()), Some(DOCUMENT_TITLE));
    let png = dir.path().join("key-work.png");
    common::rendered::render(&config, &["--screen", "key-work", "--out", png.to_str().unwrap()], None);
    let layout = std::fs::read_to_string(png.with_extension("layout.json")).unwrap();
    assert!(layout.contains(NEW_TITLE), "the 重点工作 screen shows the imported title");
}
