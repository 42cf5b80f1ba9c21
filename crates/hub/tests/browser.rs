//! End to end in a real browser: headless Chromium on a phone-sized screen opens the links a
//! kiosk's QR codes carry, fills every form, submits, sees its 查询码 and looks it up.
//! Needs Debian's `chromium` and `chromium-driver` (installed by scripts/test).

use gongkai_testkit::hub::{DemoHub, demo_consultations};
use gongkai_testkit::webdriver::Browser;
use gongkai_core::handoff::Target;
use serde_json::json;

/// Nothing on the page is wider than the phone's screen.
fn assert_fits_the_phone(browser: &Browser, what: &str) {
    let widths = browser.script("return [document.documentElement.scrollWidth, window.innerWidth];", json!([]));
    let (content, screen) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
    assert!(content <= screen, "{what}: the page is {content} px wide on a {screen} px screen");
}

/// Submits the form and returns the 查询码 shown on the page it lands on.
fn submit_and_read_code(browser: &Browser, what: &str) -> String {
    browser.click("button.submit");
    let code = browser.text("#query-code");
    assert!(browser.text(".ok").contains("提交成功"), "{what}: no confirmation");
    assert_eq!(code.len(), 14, "{what}: 查询码 {code:?}");
    assert_fits_the_phone(browser, &format!("{what} receipt"));
    code
}

/// Waits until the browser has gone to an address containing `part`: a click that submits or
/// follows a link returns before the next page is there.
fn wait_for_address(browser: &Browser, part: &str) {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !browser.current_url().contains(part) {
        assert!(std::time::Instant::now() < until, "never went to {part}: {}", browser.current_url());
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

fn save_screenshot(browser: &Browser, name: &str) {
    // Kept beside the build output for people reviewing the pages; not compared.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("mobile-pages");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), browser.screenshot()).unwrap();
}

#[test]
fn every_form_opened_from_a_kiosk_qr_code_submits_in_a_phone_browser() {
    let demo = DemoHub::start();
    let browser = Browser::phone();
    let open = |target: Target| browser.open(&format!("{}{}", demo.hub.url, demo.link_path(&target)));

    // 政府信息公开申请, prefilled from the document the visitor was reading.
    open(Target::Apply(Some("doc-a-001".into())));
    assert!(browser.value("#info_title").contains("云溪区国土空间分区规划"), "prefilled title");
    assert_eq!(browser.value("#info_doc_no"), "云府发〔2024〕13号");
    assert_fits_the_phone(&browser, "application form");
    save_screenshot(&browser, "apply");
    browser.click("input[name=applicant_type][value=自然人]");
    browser.type_into("#name", "张三");
    browser.click("#id_type option[value=居民身份证]");
    browser.type_into("#id_number", "11010519491231002X");
    browser.type_into("#phone", "13800138000");
    browser.click("input[name=form_wanted][value=电子数据]");
    browser.click("input[name=delivery][value=电子邮件]");
    // Forgetting the e-mail address for delivery by e-mail: the form comes back, answers kept.
    browser.click("button.submit");
    assert!(browser.text(".errors").contains("电子邮箱：选择电子邮件时必填"));
    assert_eq!(browser.value("#name"), "张三");
    browser.type_into("#email", "zhangsan@example.cn");
    let apply_code = submit_and_read_code(&browser, "application");
    assert!(browser.text("#state").contains("已登记"));
    save_screenshot(&browser, "receipt");

    // 意见建议, anonymous.
    open(Target::Opinion);
    browser.click("input[name=category][value=政务服务]");
    browser.type_into("#content", "建议在大厅增加老年人休息座椅。");
    submit_and_read_code(&browser, "opinion");

    // Feedback on an open consultation: a general comment and one on an article.
    let (open_consultation, _) = demo_consultations();
    open(Target::Consultation(open_consultation));
    assert_fits_the_phone(&browser, "consultation form");
    browser.type_into("#general", "总体赞成。");
    browser.type_into("#article_1", "建议明确补贴的发放时间。");
    submit_and_read_code(&browser, "consultation feedback");

    // 满意度评价.
    open(Target::Satisfaction);
    browser.click("input[name=score][value='5']");
    browser.type_into("#comment", "工作人员很耐心。");
    submit_and_read_code(&browser, "satisfaction");

    // Later, at home: the 查询码 typed by hand, lower case and without hyphens.
    browser.open(&format!("{}/q", demo.hub.url));
    browser.type_into("#code", &apply_code.replace('-', "").to_lowercase());
    browser.click("button.submit");
    assert_eq!(browser.text("#query-code"), apply_code);
    assert!(browser.current_url().ends_with(&format!("/q/{}", apply_code.replace('-', ""))), "{}", browser.current_url());
    assert!(browser.text("#state").contains("已登记"));
    assert_fits_the_phone(&browser, "status page");
}

#[test]
fn a_document_link_reads_on_the_phone_and_leads_to_the_forms() {
    let demo = DemoHub::start();
    let browser = Browser::phone();
    browser.open(&format!("{}{}", demo.hub.url, demo.link_path(&Target::Document("doc-a-001".into()))));
    assert!(browser.text("h1").contains("云溪区国土空间分区规划"));
    assert!(browser.text("dl").contains("云府发〔2024〕13号"));
    assert_fits_the_phone(&browser, "document page");
    save_screenshot(&browser, "document");
    browser.click(".links a[href^='/f/apply']");
    assert!(browser.value("#info_title").contains("云溪区国土空间分区规划"), "the application is prefilled from it");
}

#[test]
fn a_phone_that_lost_its_cookie_passes_the_challenge_by_sending_again() {
    // Every form without a device cookie is challenged here, not only past 20 from one address.
    let demo = DemoHub::start_with(&["--challenge-cookieless-after", "0"]);
    let browser = Browser::phone();
    browser.open(&format!("{}{}", demo.hub.url, demo.link_path(&Target::Opinion)));
    browser.click("input[name=category][value=政务服务]");
    browser.type_into("#content", "希望增加周末窗口。");
    browser.delete_cookies();
    browser.click("button.submit");
    assert!(browser.text(".notice").contains("请再点一次“提交”"), "challenged");
    assert_eq!(browser.value("#content"), "希望增加周末窗口。", "the answer is kept");
    assert_fits_the_phone(&browser, "challenge");
    submit_and_read_code(&browser, "opinion after the challenge");
}

/// The office's PC: a member of staff signs in, opens 终端状态 from the menu, sees which kiosk
/// shows the published content and which never reported, and narrows the list by hall.
#[test]
fn staff_watch_the_fleet_from_the_console_in_a_desktop_browser() {
    use gongkai_core::{
        fleet::{
            KIOSK_HEADER, KioskReport, PagePlay, SIGNATURE_HEADER, ScreenCount, sign_report,
            screenshot::{CONTENT_SHA256_HEADER, FrameCapture, SCREENSHOT_PATH, TAKEN_AT_HEADER, content_sha256, sign_screenshot, thumbnail},
        },
        sync::layout::{PUBLISHED_MANIFEST, manifest_sha256},
    };
    use gongkai_testkit::hub::{DEMO_KIOSK, DEMO_SECRET_HEX, add_staff, http, sign_in};
    let demo = DemoHub::start();
    add_staff(&demo.hub.data, "ops", "运维李工", "correct horse battery");
    let published = std::fs::read(demo.hub.data.join(PUBLISHED_MANIFEST)).unwrap();
    let now = chrono::Utc::now().timestamp();
    let report = KioskReport {
        plays: vec![PagePlay { seq: 1, page: "重点工作进展".into(), started_at: now - 100, seconds: 30 }],
        screens_opened: vec![ScreenCount { screen: "搜索".into(), hour: now - now.rem_euclid(3600), count: 3 }],
        kiosk_id: DEMO_KIOSK.into(),
        content_version: 1,
        manifest_sha256: manifest_sha256(&published),
        frames_drawn: 1200,
        resolution: "1920x1080".into(),
        sent_at: chrono::Utc::now().timestamp(),
        sequence: 1,
        ..Default::default()
    };
    let body = serde_json::to_vec(&report).unwrap();
    let headers = [(KIOSK_HEADER, DEMO_KIOSK.to_string()), (SIGNATURE_HEADER, sign_report(&hex::decode(DEMO_SECRET_HEX).unwrap(), &body))];
    assert_eq!(http(&demo.hub.url, "POST", "/api/heartbeat", &headers, &body).status, 204);
    // A periodic 截图 of 1920×1080, as the kiosk's uploader sends it.
    let frame = FrameCapture { command: None, taken_at_ms: now * 1000, width: 1920, height: 1080, rgb: vec![200; 1920 * 1080 * 3], blanked: vec![] };
    let png = thumbnail(&frame).unwrap();
    let signature = sign_screenshot(&hex::decode(DEMO_SECRET_HEX).unwrap(), DEMO_KIOSK, now * 1000, "", &png);
    let headers = [
        (KIOSK_HEADER, DEMO_KIOSK.to_string()),
        (TAKEN_AT_HEADER, (now * 1000).to_string()),
        (CONTENT_SHA256_HEADER, content_sha256(&png)),
        (SIGNATURE_HEADER, signature),
    ];
    assert_eq!(http(&demo.hub.url, "POST", SCREENSHOT_PATH, &headers, &png).status, 204);

    let browser = Browser::desktop();
    browser.open(&format!("{}/fleet", demo.hub.url));
    assert!(browser.current_url().contains("/staff/login"), "signed out: to the log-in page, not {}", browser.current_url());
    browser.type_into("#username", "ops");
    browser.type_into("#password", "correct horse battery");
    browser.click("button.submit");
    browser.click("nav.staff a[href='/fleet']");
    wait_for_address(&browser, "/fleet");
    let table = browser.text("table");
    let row = |id: &str| table.lines().find(|line| line.starts_with(id)).unwrap_or_else(|| panic!("no row for {id}: {table}")).to_string();
    let shown = row(DEMO_KIOSK);
    assert!(shown.contains("在线") && shown.contains("最新") && shown.contains("已绘制 1200 帧"), "{shown}");
    assert!(table.contains("截于 "), "the screenshot with its time: {table}");
    // The picture loads in the page, under its policy and with the session's cookie.
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let loaded = "const i = document.querySelector('img.screenshot'); return i && i.complete ? i.naturalWidth : 0;";
    while browser.script(loaded, json!([])).as_i64() != Some(640) {
        assert!(std::time::Instant::now() < until, "the screenshot never showed: {}", browser.script(loaded, json!([])));
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let silent = row("yunxi-hall-02");
    assert!(silent.contains("离线") && silent.contains("从未"), "{silent}");
    // The silent one counts as offline, not also as out of date: what it shows is unknown.
    assert!(browser.text(".card").contains("共 2 台：在线 1，离线 1，画面冻结 0，内容非最新 0"), "{}", browser.text(".card"));

    browser.click("select[name=hall] option[value='江北便民服务中心']");
    browser.click("form.filters button");
    // The filter is in the address, so a filtered list can be bookmarked.
    wait_for_address(&browser, "/fleet?hall=");
    let table = browser.text("table");
    assert!(table.contains("yunxi-hall-02") && !table.contains(DEMO_KIOSK), "{table}");
    let widths = browser.script("return [document.documentElement.scrollWidth, window.innerWidth];", json!([]));
    assert!(widths[0].as_i64() <= widths[1].as_i64(), "the page fits the window: {widths}");
    // 立即同步 for the kiosks shown: the one of 江北, which holds no stream, so it waits.
    browser.click("form.commands button[value=sync]");
    // The same address again: the new page is known by its list of commands.
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let body = loop {
        let body = browser.script("return document.body.innerText;", json!([])).as_str().unwrap_or_default().to_string();
        if body.contains("待送达") {
            break body;
        }
        assert!(std::time::Instant::now() < until, "no command listed: {body}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(browser.current_url().contains("/fleet?hall="), "back on the filtered list: {}", browser.current_url());
    let command = body.lines().find(|l| l.contains("立即同步") && l.contains("待送达")).unwrap_or_else(|| panic!("{body}"));
    assert!(command.contains("yunxi-hall-02") && command.contains("ops") && !body.contains(&format!("{DEMO_KIOSK}\t立即同步")), "{command}");

    // 播放记录: the last week by default, by kiosk, and as CSV.
    browser.click("nav.staff a[href='/fleet/plays']");
    wait_for_address(&browser, "/fleet/plays");
    let table = browser.text("table");
    let page_row = table.lines().find(|l| l.contains("重点工作进展")).unwrap_or_else(|| panic!("{table}"));
    assert!(page_row.contains(DEMO_KIOSK) && page_row.contains("大屏页面") && page_row.contains("1 次") && page_row.contains("30 秒"), "{page_row}");
    let screen_row = table.lines().find(|l| l.contains("搜索")).unwrap_or_else(|| panic!("{table}"));
    assert!(screen_row.contains("触摸屏页面") && screen_row.contains("3 次打开"), "{screen_row}");
    // The page's 导出 CSV link, fetched as the download would be (the console's policy keeps
    // scripts from fetching it).
    let link = browser.script("return document.querySelector('a.button').getAttribute('href');", json!([]));
    let session = [("Cookie", sign_in(&demo.hub.url, "ops", "correct horse battery"))];
    let csv = http(&demo.hub.url, "GET", link.as_str().unwrap(), &session, b"");
    assert_eq!((csv.status, csv.header("content-type")), (200, Some("text/csv; charset=utf-8")));
    let row = csv.body.lines().find(|l| l.contains("重点工作进展")).unwrap_or_else(|| panic!("{}", csv.body)).to_string();
    assert!(row.contains(&format!(",{DEMO_KIOSK},")) && row.ends_with(",大屏页面,重点工作进展,1,30"), "{row}");
    browser.click("select[name=kiosk] option[value='yunxi-hall-02']");
    browser.click("form.filters button");
    wait_for_address(&browser, "kiosk=yunxi-hall-02");
    let body = browser.text("body");
    assert!(body.contains("这段时间没有播放记录。") && !body.contains("重点工作进展"), "{body}");
}

#[test]
fn staff_find_and_edit_a_document_of_the_content_workspace_in_a_desktop_browser() {
    use gongkai_testkit::{DEMO_BUNDLE, hub::add_staff};
    let demo = DemoHub::start();
    let imported = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai-hub"))
        .arg("--data")
        .arg(&demo.hub.data)
        .args(["content", "import-bundle", DEMO_BUNDLE])
        .output()
        .unwrap();
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
    add_staff(&demo.hub.data, "editor", "编辑小王", "correct horse battery");

    let browser = Browser::desktop();
    browser.open(&format!("{}/content", demo.hub.url));
    browser.type_into("#username", "editor");
    browser.type_into("#password", "correct horse battery");
    browser.click("button.submit");
    browser.click("nav.staff a[href='/content']");
    wait_for_address(&browser, "/content");
    browser.click("a[href='/content/documents']");
    wait_for_address(&browser, "/content/documents");
    browser.type_into("input[name=q]", "年度报告");
    browser.click("form.filters button");
    wait_for_address(&browser, "q=");
    let table = browser.text("table");
    assert!(table.contains("2021年政府信息公开工作年度报告"), "{table}");
    let widths = browser.script("return [document.documentElement.scrollWidth, window.innerWidth];", json!([]));
    assert!(widths[0].as_i64() <= widths[1].as_i64(), "the list fits the window: {widths}");
    save_screenshot(&browser, "content-list");
    browser.click("table a");
    wait_for_address(&browser, "/content/documents/item");
    let form = browser.text("form.card");
    assert!(form.contains("索引号") && form.contains("发文机关") && form.contains("正文"), "{form}");
    save_screenshot(&browser, "content-item");
    // A title changed in the form is saved as the next revision.
    browser.type_into("#title", "政府信息公开工作年度报告（更正稿）");
    browser.click("button.submit");
    wait_for_address(&browser, "saved=1");
    let page = browser.script("return document.body.innerText;", json!([])).as_str().unwrap_or_default().to_string();
    assert!(page.contains("已保存，现为第 2 版"), "{page}");
    assert_eq!(browser.value("#title"), "政府信息公开工作年度报告（更正稿）");
}
