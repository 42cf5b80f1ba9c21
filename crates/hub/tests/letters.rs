//! The 文书 of an application, as staff download them from the case page of a running hub
//! with the office's own `letters.toml`: each read back with poppler's `pdftotext` for the
//! filled-in fields and the Chinese text, and `pdffonts` for the embedded subset font.

use std::process::Command;

use chrono::Local;
use gongkai_hub::submissions::calendar::WorkCalendar;
use gongkai_testkit::{
    hub::{DemoHub, Staff, add_staff, http, submit_application},
    pdf::{self, squeeze},
};

const SHIPPED: &str = include_str!("../../../hub-config/letters.toml");

/// The text of a PDF's bytes, as `pdf::text_of` reads it.
fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("letter.pdf");
    std::fs::write(&path, bytes).unwrap();
    pdf::text_of(&path)
}

fn chinese(day: chrono::NaiveDate) -> String {
    day.format("%Y年%-m月%-d日").to_string()
}

#[test]
fn each_step_of_an_application_gives_its_letter_filled_in_with_the_offices_wording() {
    let dir = tempfile::tempdir().unwrap();
    let office_letters = dir.path().join("letters.toml");
    std::fs::write(&office_letters, SHIPPED.replace("示例区人民政府办公室", "云溪区人民政府办公室").replace("0571-00000000", "0591-87654321")).unwrap();
    let demo = DemoHub::start_with(&["--letters", office_letters.to_str().unwrap()]);
    add_staff(&demo.hub.data, "clerk", "王科员", "公开办 2025 secure");
    let staff = Staff::sign_in(&demo.hub.url, "clerk", "公开办 2025 secure");
    let get = |path: &str| staff.get(path);
    let apply = |extra: &[(&str, &str)]| submit_application(&demo.hub.url, extra);
    let act = |code: &str, pairs: &[(&str, &str)]| {
        let done = staff.act(code, pairs);
        assert_eq!(done.status, 303, "{pairs:?}: {}", done.body);
    };
    let letters_of = |code: &str| -> Vec<(String, String)> {
        let page = get(&format!("/staff/s/{code}")).body;
        let Some(card) = page.split("id=\"letters\"").nth(1) else { return Vec::new() };
        let card = card.split("</ul>").next().unwrap();
        card.split("<a href=\"").skip(1).map(|link| {
            let (href, rest) = link.split_once("\">").unwrap();
            (href.to_string(), rest.split("</a>").next().unwrap().to_string())
        }).collect()
    };

    let today = Local::now().date_naive();
    let on = today.to_string();
    let code = apply(&[("name", "陈美玲"), ("info_title", "2025年老旧小区改造项目清单"), ("info_doc_no", "云建〔2025〕8号")]);
    assert_eq!(letters_of(&code).len(), 1, "registered: the 登记回执 alone");
    act(&code, &[("action", "accept")]);
    act(&code, &[("action", "request_correction"), ("on", &on), ("note", "请说明所需清单的街道范围")]);
    act(&code, &[("action", "correction_received"), ("on", &on)]);
    act(&code, &[("action", "extend"), ("on", &on), ("reason", "需调取历年档案")]);
    act(&code, &[("action", "third_party_started"), ("on", &on), ("party", "云溪物业管理有限公司")]);
    act(&code, &[("action", "third_party_answered"), ("on", &on)]);
    act(&code, &[("action", "reply"), ("outcome", "partly_disclosed"), ("on", &on), ("text", "清单见附件；其中施工单位报价涉及商业秘密，不予公开。")]);

    let letters = letters_of(&code);
    let names: Vec<&str> = letters.iter().map(|(_, name)| name.as_str()).collect();
    assert_eq!(
        names,
        ["政府信息公开申请登记回执", "政府信息公开申请补正告知书", "政府信息公开申请延期答复告知书", "政府信息公开征求第三方意见书（云溪物业管理有限公司）", "政府信息公开申请答复书"]
    );
    let calendar = WorkCalendar::builtin();
    let asked = "“2025年老旧小区改造项目清单”，文号云建〔2025〕8号";
    let common = [asked, "云溪区人民政府办公室", "0591-87654321", &chinese(today), &code];
    let expected: [&[&str]; 5] = [
        &["政府信息公开申请登记回执", "陈美玲：", &format!("即不迟于{}；", chinese(calendar.add_working_days(today, 20)))],
        &["政府信息公开申请补正告知书", "陈美玲：", "请您对以下事项作出补正：请说明所需清单的街道范围"],
        // The clock restarts from the correction (today), 20 + 20 working days; the consultation
        // asked and answered the same day pauses none.
        &["政府信息公开申请延期答复告知书", "陈美玲：", "因需调取历年档案，本机关不能", &format!("将不迟于{}作出答复", chinese(calendar.add_working_days(today, 40)))],
        &["政府信息公开征求第三方意见书", "云溪物业管理有限公司：", &format!("请您于{}前", chinese(calendar.add_working_days(today, 15)))],
        &[
            "政府信息公开申请答复书",
            "陈美玲：",
            "能够作区分处理。根据《中华人民共和国政府信息公开条例》第三十七条的规定",
            "清单见附件；其中施工单位报价涉及商业秘密，不予公开。",
            "六十日内依法申请行政复议",
        ],
    ];
    for ((href, name), wanted) in letters.iter().zip(expected) {
        let pdf = get(href);
        assert_eq!((pdf.status, pdf.header("content-type")), (200, Some("application/pdf")), "{href}");
        assert!(pdf.header("content-disposition").unwrap().contains(&format!("filename*=UTF-8''{code}-")), "{href}");
        let text = pdf_text(&pdf.bytes);
        for phrase in common.iter().chain(wanted) {
            assert!(text.contains(&squeeze(phrase)), "{name} lacks “{phrase}”: {text}");
        }
        assert!(!text.contains('{') && !text.contains('}'), "{name} has a placeholder left: {text}");
        if name.contains("第三方") {
            assert!(!text.contains("陈美玲"), "a third party is not told who applied: {text}");
        }
    }
    let reply = get(&letters[4].0);
    let path = dir.path().join("reply.pdf");
    std::fs::write(&path, &reply.bytes).unwrap();
    let fonts = String::from_utf8(Command::new("pdffonts").arg(&path).output().unwrap().stdout).unwrap();
    let font_line = fonts.lines().find(|l| l.contains("NotoSansCJK")).unwrap_or_else(|| panic!("the shipped font: {fonts}"));
    // name type encoding emb sub uni object generation
    let columns: Vec<&str> = font_line.split_whitespace().collect();
    assert_eq!(columns[columns.len() - 5..columns.len() - 2], ["yes", "yes", "yes"], "embedded, as a subset, with its Unicode map: {font_line}");
    assert!(columns[0].split_once('+').is_some_and(|(tag, _)| tag.len() == 6), "a subset's name carries its tag: {font_line}");

    // What a case has not sent is not there, nor is what no case sends; staff only.
    let open = apply(&[]);
    assert_eq!(get(&format!("/staff/s/{open}/letters/reply.pdf")).status, 404, "not answered yet");
    assert_eq!(get(&format!("/staff/s/{open}/letters/third_party-1.pdf")).status, 404);
    assert_eq!(get(&format!("/staff/s/{code}/letters/third_party-2.pdf")).status, 404, "one consultation only");
    assert_eq!(get(&format!("/staff/s/{code}/letters/reply")).status, 404);
    assert_eq!(get(&format!("/staff/s/{code}/letters/..%2Freply.pdf")).status, 404);
    let stranger = http(&demo.hub.url, "GET", &format!("/staff/s/{code}/letters/reply.pdf"), &[], b"");
    assert!(stranger.status == 303 && stranger.bytes.is_empty(), "signed out: to the login, nothing of the letter");
    let audit = get("/staff/audit").body;
    assert!(audit.contains(&format!("{code} 下载文书：政府信息公开申请答复书")), "each download is audited");
}

#[test]
fn a_hub_does_not_start_with_a_letter_that_has_a_hole_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("letters.toml");
    std::fs::write(&broken, SHIPPED.replace("不迟于{答复期限}", "不迟于{答复日}")).unwrap();
    let started = Command::new(env!("CARGO_BIN_EXE_gongkai-hub"))
        .arg("--data")
        .arg(dir.path().join("hub"))
        .args(["serve", "--listen", "127.0.0.1:0", "--letters"])
        .arg(&broken)
        .output()
        .unwrap();
    assert_eq!(started.status.code(), Some(2));
    let said = String::from_utf8_lossy(&started.stderr);
    assert!(said.contains(&format!("{}: receipt.body: {{答复日}} is not filled in this letter", broken.display())), "{said}");
}
