//! The 文书 of an application, as staff download them from the case page of a running hub
//! with the office's own `letters.toml`: each read back with poppler's `pdftotext` for the
//! filled-in fields and the Chinese text, and `pdffonts` for the embedded subset font.

use std::process::Command;

use chrono::{Duration, Local};
use gongkai_hub::submissions::calendar::WorkCalendar;
use gongkai_testkit::{
    hub::{DemoHub, Staff, add_staff, application, hidden_value, http, submit_application},
    pdf::{self, squeeze},
};

const SHIPPED: &str = include_str!("../../../hub-config/letters.toml");


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

    // Handed in at the window a month ago; each step on its own day since.
    let today = Local::now().date_naive();
    let received = today - Duration::days(30);
    let day = |n: i64| received + Duration::days(n);
    let on = |n: i64| day(n).to_string();
    let calendar = WorkCalendar::builtin();
    // Periods end on working days; the 补正期限 is still to come, or the hub would end the case.
    let (correct_by, answer_by) = (calendar.add_working_days(today, 10), calendar.add_working_days(day(7), 10));
    let form = staff.get("/staff/register").body;
    let mut answers = application(&form, &[("channel", "当面提交"), ("received_on", &on(0)), ("name", "陈美玲"), ("info_title", "2025年老旧小区改造项目清单"), ("info_doc_no", "云建〔2025〕8号")]);
    answers.push(("csrf".into(), hidden_value(&form, "csrf").unwrap()));
    let pairs: Vec<(&str, &str)> = answers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let registered = staff.post("/staff/register", &pairs);
    let code = registered.header("location").unwrap().trim_start_matches("/staff/s/").to_string();
    assert_eq!(letters_of(&code).len(), 1, "registered: the 登记回执 alone");
    act(&code, &[("action", "accept")]);
    act(&code, &[("action", "request_correction"), ("on", &on(1)), ("until", &correct_by.to_string()), ("note", "请说明所需清单的街道范围")]);
    act(&code, &[("action", "correction_received"), ("on", &on(4))]);
    act(&code, &[("action", "extend"), ("on", &on(6)), ("reason", "需调取历年档案")]);
    act(&code, &[("action", "third_party_started"), ("on", &on(7)), ("until", &answer_by.to_string()), ("party", "云溪物业管理有限公司")]);
    act(&code, &[("action", "third_party_answered"), ("on", &on(10)), ("lapsed", "no")]);
    act(&code, &[("action", "reply"), ("outcome", "partly_disclosed"), ("on", &on(12)), ("text", "清单见附件；其中施工单位报价涉及商业秘密，不予公开。")]);
    // Moved to another row of the report afterwards: the 答复书 stays as it was sent.
    act(&code, &[("action", "classify"), ("outcome", "third_party_rights")]);

    let letters = letters_of(&code);
    let names: Vec<&str> = letters.iter().map(|(_, name)| name.as_str()).collect();
    assert_eq!(
        names,
        ["政府信息公开申请登记回执", "政府信息公开申请补正告知书", "政府信息公开申请延期答复告知书", "政府信息公开征求第三方意见书（云溪物业管理有限公司）", "政府信息公开申请答复书"]
    );
    let asked = "“2025年老旧小区改造项目清单”，文号云建〔2025〕8号";
    let common = [asked, "云溪区人民政府办公室", "0591-87654321", &chinese(received)];
    let to_applicant = ["陈美玲：", code.as_str()];
    let expected: [Vec<String>; 5] = [
        vec![
            "政府信息公开申请登记回执".into(),
            "以当面提交方式提出".into(),
            format!("即不迟于{}；", chinese(calendar.add_working_days(received, 20))),
        ],
        vec![
            "政府信息公开申请补正告知书".into(),
            "请您对以下事项作出补正：请说明所需清单的街道范围".into(),
            format!("请您于{}前（含当日）提交补正后的申请", chinese(correct_by)),
            chinese(day(1)),
        ],
        // 20 + 20 working days from the corrected application; the consultation came after.
        vec![
            "政府信息公开申请延期答复告知书".into(),
            "因需调取历年档案，本机关不能".into(),
            format!("将不迟于{}作出答复", chinese(calendar.add_working_days(day(4), 40))),
            chinese(day(6)),
        ],
        vec![
            "政府信息公开征求第三方意见书".into(),
            "云溪物业管理有限公司：".into(),
            format!("请您于{}前（含当日）以书面形式提出意见", chinese(answer_by)),
            chinese(day(7)),
        ],
        vec![
            "政府信息公开申请答复书".into(),
            "能够作区分处理。根据《中华人民共和国政府信息公开条例》第三十七条的规定".into(),
            "清单见附件；其中施工单位报价涉及商业秘密，不予公开。".into(),
            "向示例区人民政府申请行政复议；对行政复议决定不服的".into(),
            "应当先向行政复议机关申请行政复议".into(),
            chinese(day(12)),
        ],
    ];
    for ((href, name), wanted) in letters.iter().zip(expected) {
        let pdf = get(href);
        assert_eq!((pdf.status, pdf.header("content-type")), (200, Some("application/pdf")), "{href}");
        let text = pdf::text_of_bytes(&pdf.bytes);
        let third_party = name.contains("第三方");
        let personal = if third_party { &[][..] } else { &to_applicant[..] };
        for phrase in common.iter().chain(personal).map(|p| p.to_string()).chain(wanted) {
            assert!(text.contains(&squeeze(&phrase)), "{name} lacks “{phrase}”: {text}");
        }
        assert!(!text.contains('{') && !text.contains('}'), "{name} has a placeholder left: {text}");
        let disposition = pdf.header("content-disposition").unwrap();
        if third_party {
            for private in ["陈美玲", "13800138000", "11010519491231002X", &code] {
                assert!(!text.contains(private) && !disposition.contains(private), "a third party is not told {private}: {text} {disposition}");
            }
            assert!(text.contains("编号："), "{text}");
        } else {
            assert!(disposition.contains(&format!("filename*=UTF-8''{code}-")), "{disposition}");
        }
    }
    let reply = get(&letters[4].0);
    assert!(!pdf::text_of_bytes(&reply.bytes).contains("第十五条"), "the row chosen later is not what the applicant was told");
    let path = dir.path().join("reply.pdf");
    std::fs::write(&path, &reply.bytes).unwrap();
    let fonts = String::from_utf8(Command::new("pdffonts").arg(&path).output().unwrap().stdout).unwrap();
    let font_line = fonts.lines().find(|l| l.contains("NotoSansCJK")).unwrap_or_else(|| panic!("the shipped font: {fonts}"));
    // name type encoding emb sub uni object generation
    let columns: Vec<&str> = font_line.split_whitespace().collect();
    assert_eq!(columns[columns.len() - 5..columns.len() - 2], ["yes", "yes", "yes"], "embedded, as a subset, with its Unicode map: {font_line}");
    assert!(columns[0].split_once('+').is_some_and(|(tag, _)| tag.len() == 6), "a subset's name carries its tag: {font_line}");

    // What a case has not sent is not there, nor is what no case sends; staff only.
    let open = submit_application(&demo.hub.url, &[]);
    assert_eq!(get(&format!("/staff/s/{open}/letters/reply.pdf")).status, 404, "not answered yet");
    assert_eq!(get(&format!("/staff/s/{open}/letters/third_party-1.pdf")).status, 404);
    assert_eq!(get(&format!("/staff/s/{code}/letters/third_party-2.pdf")).status, 404, "one consultation only");
    assert_eq!(get(&format!("/staff/s/{code}/letters/reply")).status, 404);
    assert_eq!(get(&format!("/staff/s/{code}/letters/..%2Freply.pdf")).status, 404);
    let stranger = http(&demo.hub.url, "GET", &format!("/staff/s/{code}/letters/reply.pdf"), &[], b"");
    assert!(stranger.status == 303 && stranger.bytes.is_empty(), "signed out: to the login, nothing of the letter");
    let audit = get(&format!("/staff/s/{code}")).body;
    assert!(audit.contains("下载文书：政府信息公开申请答复书"), "each download is audited on its case");
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
