//! One hub serving several organs (`hub-config/organs.toml`), run as a process: staff of one
//! organ cannot see or handle another's case, by its address either; 转办 hands a case on and
//! is audited; the 答复书 of a case the office does not hold names the organ responsible and
//! is signed by the organ that handled it; each organ's annual report counts its own cases;
//! an organ that made the information too is consulted (第三十四条).

use std::{io::Write, process::{Command, Stdio}};

use chrono::{Datelike, Local};
use gongkai_testkit::{
    hub::{DemoHub, Staff, add_staff_as, application, encode, hidden_value, http, submit_application},
    pdf, workspace_binary,
};

const ORGANS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../hub-config/organs.toml");
const PASSWORD: &str = "公开办 2025 secure";

/// Adds an account of `organ` with `gongkai-hub staff add --organ`.
fn add_staff_of(demo: &DemoHub, username: &str, name: &str, organ: &str) {
    let mut child = Command::new(workspace_binary("gongkai-hub"))
        .args(["--data", demo.hub.data.to_str().unwrap(), "staff", "add", username, "--name", name, "--organ", organ])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{PASSWORD}\n").as_bytes()).unwrap();
    assert!(child.wait().unwrap().success(), "staff add {username}");
}

/// Whether `body` names the case `code`, as a link or as printed (`ABCD-EFGH-…`).
fn mentions(body: &str, code: &str) -> bool {
    body.contains(code) || body.contains(&format!("{}-{}-{}", &code[..4], &code[4..8], &code[8..]))
}

/// `text` as a `filename*` gives it.
fn encode_name(text: &str) -> String {
    text.bytes().map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") }).collect()
}

fn act(staff: &Staff, code: &str, fields: &[(&str, &str)]) -> String {
    let done = staff.act(code, fields);
    assert_eq!(done.status, 303, "{fields:?}: {}", done.body);
    done.header("location").unwrap().to_string()
}

#[test]
fn each_organ_handles_its_own_cases_and_hands_one_on() {
    let demo = DemoHub::start_with(&["--organs", ORGANS]);
    add_staff_of(&demo, "zhang", "张科员", "main");
    add_staff_of(&demo, "liu", "刘科员", "fgj");
    add_staff_as(&demo.hub.data, "zhou", "管理员老周", PASSWORD, &["管理员"]);
    let (office, bureau, admin) =
        (Staff::sign_in(&demo.hub.url, "zhang", PASSWORD), Staff::sign_in(&demo.hub.url, "liu", PASSWORD), Staff::sign_in(&demo.hub.url, "zhou", PASSWORD));

    // Sent online from a page without the choice of organ (one kept open from before): to the
    // first organ listed.
    let code = submit_application(&demo.hub.url, &[("name", "陈美玲"), ("info_title", "2025年城区道路改造项目清单")]);
    let case = format!("/staff/s/{code}");
    let page = office.get(&case);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<dt>承办机关</dt><dd id=\"organ\">示例区人民政府办公室</dd>"), "{}", page.body);

    // The bureau's clerk sees nothing of it, whatever address is typed.
    let refused = bureau.get(&case);
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("此案件由示例区人民政府办公室承办；您的账号属于示例区发展和改革局"), "{}", refused.body);
    assert!(!refused.body.contains("陈美玲"));
    let today = Local::now().date_naive().to_string();
    act(&office, &code, &[("action", "accept"), ("on", &today)]);
    for path in ["/staff", "/staff?organ=main", "/staff/export.csv", "/staff/export.csv?organ=main", "/staff/audit", "/staff/stats"] {
        let (theirs, ours) = (bureau.get(path), office.get(path));
        assert_eq!((theirs.status, ours.status), (200, 200), "{path}");
        assert!(!mentions(&theirs.body, &code), "{path} shows another organ's case: {}", theirs.body);
        if path != "/staff/stats" {
            assert!(mentions(&ours.body, &code), "{path} shows the organ's own case");
        }
    }
    let counted = |page: &str| page.contains("<td>1</td>");
    assert!(counted(&office.get("/staff/stats").body) && !counted(&bureau.get("/staff/stats").body), "the statistics count each organ's own");
    assert_eq!(bureau.get(&format!("{case}/letters/receipt.pdf")).status, 403);
    // Posts made by hand, with the clerk's own token and the case's current version.
    let csrf = hidden_value(&bureau.get("/staff").body, "csrf").unwrap();
    let version = hidden_value(&office.get(&case).body, "version").unwrap();
    let forged = bureau.post(&case, &[("csrf", &csrf), ("version", &version), ("action", "note"), ("text", "x")]);
    assert_eq!(forged.status, 403, "{}", forged.body);
    let appeal = bureau.post(&format!("{case}/appeals"), &[("csrf", &csrf), ("recorded", "0"), ("kind", "review"), ("filed_on", &today)]);
    assert_eq!(appeal.status, 403, "{}", appeal.body);
    let page = office.get(&case).body;
    assert!(!page.contains("备注：x") && !page.contains("行政复议（"), "a refused post changes nothing: {page}");

    // 转办: the office hands it on; from then on it is the bureau's, but the 回执 the office
    // sent stays the office's.
    let refused = office.act(&code, &[("action", "transfer"), ("to", "nowhere"), ("reason", "属于发展改革局职责")]);
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("转办至：请选择机关名单中的机关"), "{}", refused.body);
    assert_eq!(act(&office, &code, &[("action", "transfer"), ("to", "fgj"), ("reason", "项目清单由发展改革局制作和保存")]), "/staff");
    assert_eq!(office.get(&case).status, 403);
    assert!(office.get(&case).body.contains("此案件由示例区发展和改革局承办"));
    let office_csrf = hidden_value(&office.get("/staff").body, "csrf").unwrap();
    let late = office.post(&format!("{case}/appeals"), &[("csrf", &office_csrf), ("recorded", "0"), ("kind", "review"), ("filed_on", &today)]);
    assert!(late.status == 403 && late.body.contains("此案件由示例区发展和改革局承办"), "a 复议 by the organ that handed it on: {}", late.body);
    let page = bureau.get(&case);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("转办至示例区发展和改革局：项目清单由发展改革局制作和保存"), "the transfer is audited: {}", page.body);
    assert!(bureau.get("/staff").body.contains(&code));

    // Not the bureau's either: the answer names the organ responsible, from the list.
    act(&bureau, &code, &[("action", "reply"), ("outcome", "not_this_organ"), ("competent", "yunxi-jd"), ("on", &today), ("text", "请向云溪街道办事处申请。")]);
    let page = bureau.get(&case).body;
    assert!(page.contains("示例区云溪街道办事处，联系地址：示例区云溪路 18 号，联系电话：0571-00000002"), "{page}");
    let receipt = pdf::text_of_bytes(&bureau.get(&format!("{case}/letters/receipt.pdf")).bytes);
    assert!(receipt.contains(&pdf::squeeze("示例区人民政府办公室")) && !receipt.contains(&pdf::squeeze("示例区发展和改革局")), "{receipt}");
    let reply = bureau.get(&format!("{case}/letters/reply.pdf"));
    assert_eq!(reply.status, 200);
    let text = pdf::text_of_bytes(&reply.bytes);
    for expected in ["负责公开该政府信息的行政机关为示例区云溪街道办事处", "0571-00000002", "示例区发展和改革局", "示例区人民路 3 号"] {
        assert!(text.contains(&pdf::squeeze(expected)), "{expected}: {text}");
    }
    let noted = bureau.act(&code, &[("action", "note"), ("text", "已电话告知申请人")]);
    assert_eq!(noted.status, 303, "the organ that answered goes on with the case");

    // A 管理员 sees every organ's cases, and can narrow the inbox to one.
    let all = admin.get("/staff").body;
    assert!(all.contains(&code) && all.contains("<th>承办机关</th>"), "{all}");
    assert!(admin.get("/staff?organ=fgj").body.contains(&code));
    assert!(!admin.get("/staff?organ=main").body.contains(&code));
    assert_eq!(admin.get(&case).status, 200);
    let export = admin.get("/staff/export.csv").body;
    assert!(export.lines().next().unwrap().contains(",承办机关,"), "{export}");
    assert!(export.lines().any(|line| mentions(line, &code) && line.contains(",示例区发展和改革局,")), "the export names each case's organ: {export}");

    // An applicant picks the organ on the phone form: the case is then the bureau's from the start.
    let form = http(&demo.hub.url, "GET", "/f/apply", &[], b"").body;
    assert!(form.contains("<option value=\"main\" selected>示例区人民政府办公室</option>") && form.contains("<option value=\"fgj\">示例区发展和改革局</option>"), "{form}");
    let headers = [("Content-Type", "application/x-www-form-urlencoded".to_string())];
    let refused = http(&demo.hub.url, "POST", "/f/apply", &headers, &encode(&application(&form, &[("organ", "nowhere")])));
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("向哪个机关申请：不是可选的机关") && refused.body.contains("name=\"organ\""), "{}", refused.body);
    let chosen = submit_application(&demo.hub.url, &[("organ", "fgj"), ("name", "王小明")]);
    assert!(mentions(&bureau.get("/staff").body, &chosen) && !mentions(&office.get("/staff").body, &chosen));
    assert_eq!(office.get(&format!("/staff/s/{chosen}")).status, 403);
    let progress = http(&demo.hub.url, "GET", &format!("/q/{chosen}"), &[], b"").body;
    assert!(progress.contains("<dt>承办机关</dt><dd id=\"organ\">示例区发展和改革局</dd>"), "the applicant sees who handles it: {progress}");

    // Each organ's report counts its own answers.
    let year = Local::now().year();
    let report = |staff: &Staff, query: &str| staff.get(&format!("/staff/report?year={year}{query}")).body;
    let theirs = report(&bureau, "&organ=main");
    assert!(theirs.contains(&format!("示例区发展和改革局{year}年度政府信息公开工作年度报告")), "the address cannot widen the report: {theirs}");
    assert!(report(&office, "").contains(&format!("示例区人民政府办公室{year}年度")));
    assert!(report(&admin, "").contains(&format!("全部机关合计{year}年度")));
    let answered = |page: &str| page.matches("<td>1</td>").count();
    assert!(answered(&theirs) > 0, "the bureau's report counts its answer: {theirs}");
    assert_eq!(answered(&report(&office, "")), 0, "the office's report does not count a case it handed on");
    let xlsx = bureau.get(&format!("/staff/report.xlsx?year={year}&organ=main"));
    assert!(xlsx.header("content-disposition").unwrap().contains(&encode_name(&format!("示例区发展和改革局{year}年度"))), "{:?}", xlsx.header("content-disposition"));
    // Each organ enters its own 收费, whatever organ the form names; the total adds them.
    let fee = bureau.post("/staff/report/fee", &[("csrf", &csrf), ("year", &year.to_string()), ("organ", "main"), ("fee", "2.5")]);
    assert_eq!(fee.status, 200, "{}", fee.body);
    let fees = |query: &str| {
        let page = admin.get(&format!("/staff/report?year={year}{query}")).body;
        page[page.find("id=\"fees\">").unwrap() + 10..].split('<').next().unwrap().to_string()
    };
    assert_eq!((fees("&organ=fgj"), fees("&organ=main"), fees("")), ("2.5".into(), "0".into(), "2.5".into()));
    // The kiosks show the hub's total: one organ's figures are not written over it.
    let written = bureau.post("/staff/report/content", &[("csrf", &csrf), ("year", &year.to_string())]);
    assert_eq!(written.status, 403);
    assert!(written.body.contains("终端显示的是全部机关合计的数字"), "{}", written.body);
}

/// 第三十四条: the organ that made the information with another asks its opinion; the days
/// waiting do not count, and silence past the 15 working days counts as consent.
#[test]
fn an_organ_that_made_the_information_too_is_consulted_and_its_silence_is_consent() {
    let demo = DemoHub::start_with(&["--organs", ORGANS]);
    add_staff_of(&demo, "liu", "刘科员", "fgj");
    let bureau = Staff::sign_in(&demo.hub.url, "liu", PASSWORD);
    let today = Local::now().date_naive();
    let asked_on = today - chrono::Duration::days(40);
    let calendar = gongkai_hub::submissions::calendar::WorkCalendar::builtin();
    let until = calendar.add_working_days(asked_on, 15);
    // Registered at the bureau's window 41 days ago, so the consultation can have lapsed.
    let form = bureau.get("/staff/register").body;
    let received = (asked_on - chrono::Duration::days(1)).to_string();
    let mut answers = application(&form, &[("channel", "当面提交"), ("received_on", &received), ("name", "陈美玲")]);
    answers.push(("csrf".into(), hidden_value(&form, "csrf").unwrap()));
    let pairs: Vec<(&str, &str)> = answers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let registered = bureau.post("/staff/register", &pairs);
    assert_eq!(registered.status, 303, "{}", registered.body);
    let code = registered.header("location").unwrap().trim_start_matches("/staff/s/").to_string();
    let case = format!("/staff/s/{code}");
    assert!(bureau.get(&case).body.contains("<dd id=\"organ\">示例区发展和改革局</dd>"), "registered at the clerk's own organ");

    act(&bureau, &code, &[("action", "accept")]);
    let page = bureau.get(&case).body;
    assert!(page.contains("<option value=\"示例区云溪街道办事处\">"), "the other organs are offered: {page}");
    let due = |page: &str| -> chrono::NaiveDate {
        let field = &page[page.find("id=\"due\">").unwrap() + 9..];
        field[..10].parse().unwrap()
    };
    let unpaused = due(&bureau.get(&case).body);
    act(&bureau, &code, &[("action", "organ_consulted"), ("on", &asked_on.to_string()), ("party", "示例区云溪街道办事处"), ("until", &until.to_string())]);
    let page = bureau.get(&case).body;
    // The 15 working days of the period do not count: the answer is due 15 working days later.
    assert_eq!(due(&page), calendar.add_working_days(unpaused, 15), "{page}");
    assert!(page.contains("征求其他机关意见") && page.contains("条例第三十四条：自收到征求意见书之日起 15 个工作日") && page.contains("已过期限"), "{page}");
    assert!(page.contains("收到其他机关意见") && !page.contains(">答复</button>"), "no answer while waiting: {page}");
    let early = bureau.act(&code, &[("action", "third_party_answered"), ("lapsed", "yes"), ("on", &until.to_string())]);
    assert_eq!(early.status, 422);
    assert!(early.body.contains("不能记为其他机关逾期未提出意见"), "{}", early.body);
    act(&bureau, &code, &[("action", "third_party_answered"), ("lapsed", "yes"), ("on", &today.to_string())]);
    let page = bureau.get(&case).body;
    assert!(page.contains("逾期未提出意见，视为同意公开") && page.contains(">答复</button>"), "{page}");

    let letter = bureau.get(&format!("{case}/letters/organ_consultation-1.pdf"));
    assert_eq!(letter.status, 200);
    let text = pdf::text_of_bytes(&letter.bytes);
    let period = format!("{}前（含当日）", until.format("%Y年%-m月%-d日"));
    for expected in ["政府信息公开征求其他机关意见书", "示例区云溪街道办事处：", "第三十四条", "由本机关牵头、与贵机关共同制作", "逾期未提出意见的，视为同意公开", &period, "示例区发展和改革局"] {
        assert!(text.contains(&pdf::squeeze(expected)), "{expected}: {text}");
    }
    assert!(!text.contains("陈美玲") && !text.contains(&code), "the organ is not told who applied: {text}");
}

#[test]
fn a_bad_organs_file_stops_the_hub_with_the_organ_and_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("organs.toml");
    std::fs::write(&broken, std::fs::read_to_string(ORGANS).unwrap().replace("id = \"fgj\"", "id = \"main\"")).unwrap();
    let output = Command::new(workspace_binary("gongkai-hub"))
        .args(["--data", dir.path().join("hub").to_str().unwrap(), "serve", "--listen", "127.0.0.1:0", "--organs", broken.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("organ 2 (示例区发展和改革局): the same id or name as main (示例区人民政府办公室)"), "{said}");
}
