//! The disclosure office answers an application and reads its annual report, in a desktop
//! Chromium: a member of staff opens a case from the inbox, chooses its outcome (a row of the
//! report, with the reply of 条例第三十六条), answers, and downloads the 答复书 filled in from
//! the case; then opens 年度报告 for the year, sees the case counted and the balance hold, and
//! downloads the XLSX, which holds the page's figures cell by cell.
//!
//! At the window, staff register an application handed in on paper and print its 登记回执.
//!
//! With `GONGKAI_MANUAL_SCREENSHOTS=DIR` the pages are also written into DIR (the staff
//! manual's pictures).

mod common;

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use calamine::{DataType, Reader, Xlsx};
use chrono::Datelike;
use common::office::{page_text, picture, sign_in, wait_for_text};
use gongkai_hub::reports::annual_xlsx::APPLICATIONS_SHEET;
use gongkai_testkit::{
    hub::{DemoHub, add_staff_as, submit_application},
    pdf,
    webdriver::Browser,
};
use serde_json::json;

#[test]
fn staff_answer_an_application_and_download_the_annual_report_that_counts_it() {
    let demo = DemoHub::start();
    add_staff_as(&demo.hub.data, "clerk", "公开办小周", common::office::PASSWORD, &["起草"]);
    let url = demo.hub.url.clone();

    // A 法律服务机构 applies from its phone.
    let organisation = [("applicant_type", "法人或其他组织"), ("organisation_type", "法律服务机构"), ("name", "某某律师事务所"), ("contact_person", "李四"), ("id_type", "统一社会信用代码"), ("id_number", "91350100M000100Y43")];
    let code = submit_application(&url, &organisation);

    // Staff open it from the inbox and answer: the information is not held by this office.
    let dir = tempfile::tempdir().unwrap();
    let browser = Browser::desktop_downloading_to(dir.path());
    sign_in(&browser, &url, "clerk");
    browser.click(&format!("a[href='/staff/s/{code}']"));
    wait_for_text(&browser, "办理结果（年度报告的类别及告知申请人的答复）");
    let reply = "form:has(input[name=action][value=reply])";
    browser.click(&format!("{reply} select[name=outcome] option[value=not_held]"));
    browser.type_into(&format!("{reply} textarea[name=text]"), "经检索，本机关未制作、获取该政府信息。");
    picture(&browser, "case-reply");
    browser.click(&format!("{reply} button"));
    wait_for_text(&browser, "无法提供·本机关不掌握相关政府信息（经检索没有）：经检索没有所申请公开的信息，告知该政府信息不存在（第三十六条第四项）");

    // The 答复书, filled in from the case, downloaded from its 文书.
    wait_for_text(&browser, "政府信息公开申请答复书");
    browser.script("document.getElementById('letters').scrollIntoView();", json!([]));
    picture(&browser, "case-letters");
    browser.click(&format!("#letters a[href='/staff/s/{code}/letters/reply.pdf']"));
    let letter = downloaded(dir.path(), &format!("{code}-政府信息公开申请答复书.pdf"));
    let text = pdf::text_of(&letter);
    for phrase in ["某某律师事务所：", "经检索，本机关没有您所申请公开的政府信息。", "经检索，本机关未制作、获取该政府信息。", &code] {
        assert!(text.contains(&pdf::squeeze(phrase)), "the 答复书 lacks “{phrase}”: {text}");
    }

    // 年度报告 opens on last year; staff ask for this one.
    let year = chrono::Local::now().year();
    browser.click("nav.staff a[href='/staff/report']");
    wait_for_text(&browser, &format!("{}年度政府信息公开工作年度报告", year - 1));
    browser.type_into("input[name=year]", &year.to_string());
    browser.click("form.filters button");
    wait_for_text(&browser, &format!("{year}年度政府信息公开工作年度报告"));
    assert!(page_text(&browser).contains("勾稽关系成立"), "{}", page_text(&browser));
    let shown = browser.script(
        "return Array.from(document.querySelectorAll('#applications tr'))
            .map(tr => Array.from(tr.querySelectorAll('td:not(.item)')).map(td => Number(td.textContent)))
            .filter(row => row.length > 0);",
        json!([]),
    );
    let shown: Vec<Vec<u64>> = serde_json::from_value(shown).unwrap();
    assert_eq!(shown.len(), 25, "一, 二, 21 rows of results, （七）总计, 四");
    assert_eq!(shown[0], [0, 0, 0, 0, 1, 0, 1], "一、本年新收: one 法律服务机构");
    assert_eq!(shown[12], [0, 0, 0, 0, 1, 0, 1], "（四）1.本机关不掌握相关政府信息");
    let widths = browser.script("return [document.documentElement.scrollWidth, window.innerWidth];", json!([]));
    assert!(widths[0].as_i64() <= widths[1].as_i64(), "the table fits the window: {widths}");
    picture(&browser, "annual-report");

    // The XLSX downloaded from the page holds the same figures.
    browser.click("a[href^='/staff/report.xlsx']");
    let file = downloaded(dir.path(), &format!("{year}年度政府信息公开工作年度报告.xlsx"));
    let mut workbook: Xlsx<_> = calamine::open_workbook(&file).unwrap();
    let sheet = workbook.worksheet_range(APPLICATIONS_SHEET).unwrap();
    let downloaded: Vec<Vec<u64>> =
        (4..=28).map(|row| (3..10).map(|column| sheet.get_value((row, column)).and_then(|v| v.as_f64()).unwrap() as u64).collect()).collect();
    assert_eq!(downloaded, shown);
}

#[test]
fn staff_register_an_application_handed_in_at_the_window_and_print_its_receipt() {
    let demo = DemoHub::start();
    add_staff_as(&demo.hub.data, "clerk", "公开办小周", common::office::PASSWORD, &["起草"]);
    let dir = tempfile::tempdir().unwrap();
    let browser = Browser::desktop_downloading_to(dir.path());
    sign_in(&browser, &demo.hub.url, "clerk");
    browser.click("nav.staff a[href='/staff/register']");
    wait_for_text(&browser, "以提交之日为收到申请之日");
    assert_eq!(browser.value("input[name=received_on]"), chrono::Local::now().date_naive().to_string(), "received today unless changed");
    for choice in ["channel][value=当面提交", "applicant_type][value=自然人", "form_wanted][value=纸质文本", "delivery][value=当面领取"] {
        browser.click(&format!("input[name={choice}]"));
    }
    browser.type_into("input[name=name]", "陈美玲");
    browser.click("select[name=id_type] option[value=居民身份证]");
    browser.type_into("input[name=id_number]", "11010519491231002X");
    browser.type_into("input[name=phone]", "13800138000");
    browser.type_into("input[name=info_title]", "2025年老旧小区改造项目清单");
    browser.script("window.scrollTo(0, 0);", json!([]));
    picture(&browser, "window-register");
    browser.click("form button.submit");
    wait_for_text(&browser, "当面提交（公开办小周代为填写）");
    let code = browser.current_url().rsplit('/').next().unwrap().to_string();
    browser.click(&format!("#letters a[href='/staff/s/{code}/letters/receipt.pdf']"));
    let text = pdf::text_of(&downloaded(dir.path(), &format!("{code}-政府信息公开申请登记回执.pdf")));
    for phrase in ["陈美玲：", "收到您以当面提交方式提出的政府信息公开申请", "“2025年老旧小区改造项目清单”", &code] {
        assert!(text.contains(&pdf::squeeze(phrase)), "the 登记回执 lacks “{phrase}”: {text}");
    }
}

/// The file `name` once the browser has finished downloading it into `dir`.
fn downloaded(dir: &Path, name: &str) -> PathBuf {
    let file = dir.join(name);
    let until = Instant::now() + Duration::from_secs(20);
    while !file.is_file() {
        assert!(Instant::now() < until, "{name} not downloaded: {:?}", std::fs::read_dir(dir).unwrap().collect::<Vec<_>>());
        std::thread::sleep(Duration::from_millis(100));
    }
    file
}
