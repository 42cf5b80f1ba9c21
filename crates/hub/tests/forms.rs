//! The mobile forms and the staff console against a real `gongkai-hub serve` on 127.0.0.1,
//! over plain HTTP: what a phone sends (including hostile input) and what staff do.

use gongkai_testkit::hub::{DemoHub, Response, add_staff, application, demo_consultations, encode, form_body, hidden_value, http, sign_in};
use gongkai_core::handoff::Target;
use gongkai_hub::submissions::calendar::WorkCalendar;

const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");

fn get(demo: &DemoHub, path: &str, cookie: Option<&str>) -> Response {
    let headers: Vec<(&str, String)> = cookie.map(|c| ("Cookie", c.to_string())).into_iter().collect();
    http(&demo.hub.url, "GET", path, &headers, b"")
}

fn post(demo: &DemoHub, path: &str, cookie: Option<&str>, body: &[u8]) -> Response {
    let mut headers = vec![(FORM.0, FORM.1.to_string())];
    headers.extend(cookie.map(|c| ("Cookie", c.to_string())));
    http(&demo.hub.url, "POST", path, &headers, body)
}

/// The 查询码 a 303 after submitting points to.
fn code_of(response: &Response) -> String {
    assert_eq!(response.status, 303, "expected a redirect to the 查询码: {}", response.body);
    let location = response.header("location").unwrap();
    location.trim_start_matches("/q/").trim_end_matches("?new=1").to_string()
}

fn staff_session(demo: &DemoHub) -> String {
    add_staff(&demo.hub.data, "clerk", "王科员", "公开办 2025 secure");
    sign_in(&demo.hub.url, "clerk", "公开办 2025 secure")
}

#[test]
fn a_kiosk_link_opens_the_prefilled_application_and_the_submission_is_credited_to_the_kiosk() {
    let demo = DemoHub::start();
    let page = get(&demo, &demo.link_path(&Target::Apply(Some("doc-a-001".into()))), None);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("云溪区国土空间分区规划"), "prefilled from the document");
    assert!(page.body.contains("云府发〔2024〕13号"), "with its 文号");
    assert!(page.body.contains("20 个工作日"), "the time limits are explained");
    assert!(page.cookies().iter().any(|c| c.starts_with("gk_device=")), "a device cookie for rate limits");
    assert!(!page.body.contains("<script"), "no scripts");

    let submitted = post(&demo, "/f/apply", None, &encode(&application(&page.body, &[])));
    let code = code_of(&submitted);
    let status = get(&demo, &format!("/q/{code}?new=1"), None);
    assert_eq!(status.status, 200);
    assert!(status.body.contains("提交成功") && status.body.contains("已登记") && status.body.contains("答复期限"), "{}", status.body);
    assert!(!status.body.contains("11010519491231002X") && !status.body.contains("13800138000"), "no personal data on the status page");

    // Sending the very same form again (a double tap) gives the same 查询码.
    let again = post(&demo, "/f/apply", None, &encode(&application(&page.body, &[])));
    assert_eq!(code_of(&again), code);

    let session = staff_session(&demo);
    let case = get(&demo, &format!("/staff/s/{code}"), Some(&session));
    assert!(case.body.contains("终端 yunxi-hall-01"), "credited to the kiosk: {}", case.body);
    assert!(case.body.contains("11010519491231002X"), "staff see the full application");
    let inbox = get(&demo, "/staff", Some(&session));
    assert_eq!(inbox.body.matches(&code[..4]).count() >= 1, true);
    assert!(inbox.body.contains("共 1 条"), "stored once: {}", inbox.body);
}

#[test]
fn stale_and_forged_links_still_submit_without_attribution() {
    let demo = DemoHub::start();
    let stale = demo.signer.link(&Target::Opinion, chrono::Utc::now().timestamp() - 3 * 3600).unwrap();
    let stale_path = &stale[stale.find("/H/").unwrap()..];
    let page = get(&demo, stale_path, None);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("此二维码已过期"), "{}", page.body);
    let mut pairs = vec![("category".to_string(), "政务服务".to_string()), ("content".to_string(), "希望延长周末办理时间".to_string())];
    pairs.push(("key".into(), hidden_value(&page.body, "key").unwrap()));
    pairs.push(("via".into(), hidden_value(&page.body, "via").unwrap()));
    let stale_code = code_of(&post(&demo, "/f/opinion", None, &encode(&pairs)));

    let fresh = demo.link_path(&Target::Opinion);
    let forged = format!("{}AAAA", &fresh[..fresh.len() - 4]);
    let page = get(&demo, &forged, None);
    assert!(page.body.contains("无法确认此二维码的来源"), "{}", page.body);
    pairs.retain(|(n, _)| n != "key" && n != "via");
    pairs.push(("key".into(), hidden_value(&page.body, "key").unwrap()));
    pairs.push(("via".into(), hidden_value(&page.body, "via").unwrap()));
    let forged_code = code_of(&post(&demo, "/f/opinion", None, &encode(&pairs)));

    let session = staff_session(&demo);
    assert!(get(&demo, &format!("/staff/s/{stale_code}"), Some(&session)).body.contains("未记录终端（二维码已过期）"));
    assert!(get(&demo, &format!("/staff/s/{forged_code}"), Some(&session)).body.contains("未记录终端（二维码无法验证）"));
    let junk = get(&demo, "/H/NOT-A-LINK", None);
    assert_eq!(junk.status, 404);
    assert!(junk.body.contains("二维码无法识别") && junk.body.contains("/f/opinion"), "a way on: {}", junk.body);
}

#[test]
fn hostile_input_gets_clear_pages_and_is_stored_only_as_text() {
    let demo = DemoHub::start();
    let page = get(&demo, "/f/opinion", None);
    let key = hidden_value(&page.body, "key").unwrap();
    let hostile = "<script>alert('x')</script>'; DROP TABLE submissions; --";
    let pairs = [("category", "其他"), ("content", hostile), ("name", "<b>李四</b>"), ("key", key.as_str())];
    let code = code_of(&post(&demo, "/f/opinion", None, &form_body(&pairs)));

    // Missing fields: every one named, the answers kept.
    let missing = post(&demo, "/f/apply", None, &form_body(&[("name", "王五"), ("phone", "12")]));
    assert_eq!(missing.status, 422);
    for message in ["申请人类型：请选择", "身份证明号码：必填", "联系电话：请填写", "所需政府信息的名称："] {
        assert!(missing.body.contains(message), "{message} in {}", missing.body);
    }
    assert!(missing.body.contains("value=\"王五\""), "what was typed is kept");

    let huge = vec![b'a'; 1024 * 1024];
    let too_big = post(&demo, "/f/opinion", None, &huge);
    assert_eq!(too_big.status, 413);
    assert!(too_big.body.contains("64 KB"), "{}", too_big.body);

    let bad_utf8 = post(&demo, "/f/opinion", None, b"category=%E5%85&content=\xff\xfe");
    assert_eq!(bad_utf8.status, 400);
    assert!(bad_utf8.body.contains("UTF-8"), "{}", bad_utf8.body);
    let bad_percent = post(&demo, "/f/opinion", None, b"category=%E5%85&content=%FF%FE");
    assert_eq!(bad_percent.status, 422, "{}", bad_percent.body);
    assert!(bad_percent.body.contains("不是有效的 UTF-8"), "{}", bad_percent.body);

    let bot = post(&demo, "/f/opinion", None, &form_body(&[("category", "其他"), ("content", "广告"), ("website", "http://spam")]));
    assert_eq!(bot.status, 400, "the honeypot field refuses the post");

    let many: String = (0..500).map(|i| format!("f{i}=x&")).collect();
    assert_eq!(post(&demo, "/f/opinion", None, many.as_bytes()).status, 400);

    let (open, closed) = demo_consultations();
    assert_eq!(get(&demo, "/f/consultation/no-such-draft", None).status, 404);
    let gone = get(&demo, &format!("/f/consultation/{closed}"), None);
    assert_eq!(gone.status, 410);
    assert!(gone.body.contains("已于") && gone.body.contains("结束征集"));
    assert_eq!(get(&demo, &format!("/f/consultation/{open}"), None).status, 200);

    assert_eq!(get(&demo, "/q/%27%20OR%201%3D1%20--", None).status, 404);
    let lookup = get(&demo, "/q?code=%3Cscript%3E", None);
    assert_eq!(lookup.status, 422);
    assert!(lookup.body.contains("&lt;script&gt;") && !lookup.body.contains("<script>"));

    // Staff see the hostile text as text.
    let session = staff_session(&demo);
    let case = get(&demo, &format!("/staff/s/{code}"), Some(&session));
    assert!(case.body.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") || case.body.contains("&lt;script&gt;alert('x')&lt;/script&gt;"), "{}", case.body);
    assert!(!case.body.contains("<script>") && !case.body.contains("<b>李四</b>"));
    let search = get(&demo, "/staff?q=%27%3B+DROP+TABLE+submissions%3B+--", Some(&session));
    assert!(search.body.contains("共 1 条"), "a SQL fragment is only a search term: {}", search.body);
    assert!(get(&demo, "/staff", Some(&session)).body.contains("共 1 条"), "and the table is still there");
}

#[test]
fn rate_limits_follow_the_phone_not_the_shared_network() {
    let demo = DemoHub::start();
    let submit = |cookie: &str, n: usize| {
        let body = form_body(&[("score", "5"), ("comment", &format!("第 {n} 次"))]);
        post(&demo, "/f/satisfaction", Some(cookie), &body)
    };
    // Each phone has the cookie the hub set when the form was opened.
    let phone = || {
        let page = get(&demo, "/f/satisfaction", None);
        page.cookies().into_iter().find(|c| c.starts_with("gk_device=")).expect("a device cookie")
    };
    let phone_a = phone();
    for n in 0..10 {
        assert_eq!(submit(&phone_a, n).status, 303);
    }
    let refused = submit(&phone_a, 10);
    assert_eq!(refused.status, 429);
    assert!(refused.body.contains("提交过于频繁") && refused.body.contains("第 10 次"), "answers kept: {}", refused.body);
    let phone_b = phone();
    assert_eq!(submit(&phone_b, 0).status, 303, "another phone in the same hall is not affected");

    // Looking up 查询码: 30 a minute per phone.
    let phone_c = phone();
    let code = code_of(&submit(&phone_c, 0));
    for n in 0..30 {
        assert_eq!(get(&demo, &format!("/q/{code}"), Some(&phone_c)).status, 200, "lookup {n}");
    }
    let refused = get(&demo, &format!("/q/{code}"), Some(&phone_c));
    assert_eq!(refused.status, 429, "the 31st lookup within a minute");
    assert!(refused.body.contains("查询过于频繁"), "{}", refused.body);
    assert_eq!(get(&demo, &format!("/q/{code}"), Some(&phone_b)).status, 200, "another phone may still look up");
}

#[test]
fn the_staff_console_runs_the_statutory_workflow_with_csrf_and_an_audit_trail() {
    let demo = DemoHub::start();
    assert_eq!(get(&demo, "/staff", None).status, 303, "sign in first");
    let page = get(&demo, &demo.link_path(&Target::Apply(None)), None);
    let code = code_of(&post(&demo, "/f/apply", None, &encode(&application(&page.body, &[]))));

    add_staff(&demo.hub.data, "clerk", "王科员", "公开办 2025 secure");
    // Five wrong passwords from one browser delay its next try, even with the right password.
    let wrong = |password: &str| {
        let login = get(&demo, "/staff/login", None);
        let cookie = login.cookies().into_iter().find(|c| c.starts_with("gk_login=")).unwrap();
        let token = cookie.trim_start_matches("gk_login=").to_string();
        post(&demo, "/staff/login", Some(&cookie), &form_body(&[("username", "clerk"), ("password", password), ("csrf", &token)]))
    };
    for _ in 0..5 {
        assert_eq!(wrong("guess").status, 401);
    }
    let delayed = wrong("公开办 2025 secure");
    assert_eq!(delayed.status, 429, "delayed");
    assert!(delayed.body.contains("秒后再试"), "{}", delayed.body);
    add_staff(&demo.hub.data, "chief", "李主任", "另一个 secure 密码");
    let session = sign_in(&demo.hub.url, "chief", "另一个 secure 密码");

    let case_page = get(&demo, &format!("/staff/s/{code}"), Some(&session));
    let csrf = hidden_value(&case_page.body, "csrf").unwrap();
    let act = |action: &[(&str, &str)], with_csrf: bool| {
        let page = get(&demo, &format!("/staff/s/{code}"), Some(&session));
        let version = hidden_value(&page.body, "version").unwrap();
        let mut pairs = vec![("version", version.as_str())];
        if with_csrf {
            pairs.push(("csrf", csrf.as_str()));
        }
        pairs.extend_from_slice(action);
        post(&demo, &format!("/staff/s/{code}"), Some(&session), &form_body(&pairs))
    };
    assert_eq!(act(&[("action", "accept")], false).status, 403, "no CSRF token, no change");
    assert_eq!(act(&[("action", "accept")], true).status, 303);
    let today = chrono::Local::now().date_naive().to_string();
    assert_eq!(act(&[("action", "extend"), ("reason", ""), ("on", &today)], true).status, 422, "a reason is required");
    let in_a_fortnight = WorkCalendar::builtin().add_working_days(chrono::Local::now().date_naive(), 10).to_string();
    let no_period = act(&[("action", "request_correction"), ("note", "请说明所需信息的年份"), ("on", &today)], true);
    assert!(no_period.status == 422 && no_period.body.contains("期限：格式应为"), "{}", no_period.body);
    let asked = [("action", "request_correction"), ("note", "请说明所需信息的年份"), ("on", &today), ("until", &in_a_fortnight)];
    assert_eq!(act(&asked, true).status, 303);
    let waiting = get(&demo, &format!("/staff/s/{code}"), Some(&session)).body;
    assert!(waiting.contains(&format!("补正期限 {in_a_fortnight}")), "{waiting}");
    let inbox = get(&demo, "/staff", Some(&session)).body;
    assert!(inbox.contains(&format!("待补正，补正期限 {in_a_fortnight}")), "{inbox}");
    assert_eq!(act(&[("action", "correction_received"), ("on", &today)], true).status, 303);
    assert_eq!(act(&[("action", "extend"), ("reason", "需调取档案"), ("on", &today)], true).status, 303);
    let detail = get(&demo, &format!("/staff/s/{code}"), Some(&session)).body;
    assert!(detail.contains("已延期") && detail.contains("收到补正日期") && detail.contains("已延长 20 个工作日"), "{detail}");

    // A page loaded before someone else's change cannot overwrite it.
    let stale_version = hidden_value(&detail, "version").unwrap();
    assert_eq!(act(&[("action", "note"), ("text", "电话联系申请人")], true).status, 303);
    let conflict = post(
        &demo,
        &format!("/staff/s/{code}"),
        Some(&session),
        &form_body(&[("version", &stale_version), ("csrf", &csrf), ("action", "note"), ("text", "旧页面")]),
    );
    assert_eq!(conflict.status, 409);
    assert!(conflict.body.contains("已被他人修改"));

    let unclassified = act(&[("action", "reply"), ("on", &today), ("text", "见附件")], true);
    assert!(unclassified.status == 422 && unclassified.body.contains("请选择办理结果"), "an outcome is required: {}", unclassified.body);
    assert_eq!(act(&[("action", "reply"), ("outcome", "disclosed"), ("on", &today), ("text", "已通过电子邮件提供")], true).status, 303);
    assert_eq!(act(&[("action", "archive")], true).status, 303);
    let status = get(&demo, &format!("/q/{code}"), None).body;
    assert!(status.contains("已归档") && status.contains("<dd>予以公开</dd>") && status.contains("已通过电子邮件提供"), "{status}");
    // Put in another row of the annual report afterwards, and the applicant reads it too.
    assert_eq!(act(&[("action", "classify"), ("outcome", "already_public")], true).status, 303);
    let detail = get(&demo, &format!("/staff/s/{code}"), Some(&session)).body;
    assert!(detail.contains(&format!("<dd>{today}</dd>")) && detail.contains("予以公开（已主动公开）：已主动公开，告知获取的方式、途径（第三十六条第一项）"), "{detail}");
    assert!(get(&demo, &format!("/q/{code}"), None).body.contains("<dd>已主动公开</dd>"));

    let audit = get(&demo, "/staff/audit", Some(&session)).body;
    let replied = format!("{today} 答复（予以公开）：已通过电子邮件提供");
    for entry in ["受理", "告知补正", "收到补正后的申请", "延长答复期限", "备注：电话联系申请人", &replied, "归档", "年报归类：予以公开（已主动公开）", "登录"] {
        assert!(audit.contains(entry), "{entry} in the audit log");
    }
    let failures = audit.split("id=\"login-failures\"").nth(1).expect("the failed log-ins' table");
    assert_eq!(failures.matches("<td>clerk</td>").count(), 5, "the five wrong passwords; the delayed try never reached the check");
    assert!(failures.contains("<td>密码错误</td>"));

    let export = get(&demo, "/staff/export.csv?kind=apply", Some(&session));
    assert_eq!(export.status, 200);
    assert!(export.body.starts_with('\u{FEFF}'), "a BOM for spreadsheet programs");
    assert!(export.body.contains("110*************2X") && !export.body.contains("11010519491231002X"), "ID masked");
    let mut lines = export.body.trim_start_matches('\u{FEFF}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = |name: &str| row[header.iter().position(|h| *h == name).unwrap_or_else(|| panic!("no {name}: {header:?}"))];
    assert_eq!(column("查询码").replace('-', ""), code);
    assert_eq!([column("提交方式"), column("收到申请日期"), column("办结日期")], ["网上提交", today.as_str(), today.as_str()]);
    assert_eq!(column("承办机关"), "示例区人民政府办公室", "the one organ of a hub started without a list: the letters' issuer");
    assert!(get(&demo, "/staff/audit", Some(&session)).body.contains("导出 1 条"));

    let logout = post(&demo, "/staff/logout", Some(&session), &form_body(&[("csrf", &csrf)]));
    assert_eq!(logout.status, 303);
    assert_eq!(get(&demo, "/staff", Some(&session)).status, 303, "the session ended");
}

#[test]
fn the_funnel_counts_qr_shown_opened_and_submitted_per_kiosk_and_hall() {
    use gongkai_core::fleet::{KIOSK_HEADER, KioskReport, SIGNATURE_HEADER, sign_report};
    let demo = DemoHub::start();
    let started_at = chrono::Utc::now().timestamp() - 600;
    let beat = |sequence: u64, apply: u64| {
        let report = KioskReport {
            kiosk_id: gongkai_testkit::hub::DEMO_KIOSK.into(),
            sent_at: chrono::Utc::now().timestamp(),
            started_at,
            sequence,
            qr_shown: [("apply".to_string(), apply), ("opinion".to_string(), 2)].into(),
            ..Default::default()
        };
        let body = serde_json::to_vec(&report).unwrap();
        let key = hex::decode(gongkai_testkit::hub::DEMO_SECRET_HEX).unwrap();
        let headers = [(KIOSK_HEADER, gongkai_testkit::hub::DEMO_KIOSK.to_string()), (SIGNATURE_HEADER, sign_report(&key, &body))];
        http(&demo.hub.url, "POST", "/api/heartbeat", &headers, &body).status
    };
    assert_eq!(beat(2, 3), 204);
    assert_eq!(beat(1, 2), 409, "an older report arriving late is refused and does not lower the total");
    // Three phones open the link (a phone opening it again would not count again).
    let link = demo.link_path(&Target::Apply(None));
    let phone = || get(&demo, "/f/opinion", None).cookies().into_iter().find(|c| c.starts_with("gk_device=")).unwrap();
    for _ in 0..2 {
        get(&demo, &link, Some(&phone()));
    }
    let page = get(&demo, &link, Some(&phone()));
    code_of(&post(&demo, "/f/apply", None, &encode(&application(&page.body, &[]))));

    let session = staff_session(&demo);
    let stats = get(&demo, "/staff/stats", Some(&session)).body;
    let row = |name: &str| {
        let start = stats.find(&format!("<td>{name}</td>")).unwrap_or_else(|| panic!("{name} in {stats}"));
        stats[start..].split("</tr>").next().unwrap().to_string()
    };
    assert_eq!(row("yunxi-hall-01"), "<td>yunxi-hall-01</td><td>5</td><td>3</td><td>1</td><td>60.0%</td><td>33.3%</td>");
    assert!(row("云溪区政务服务中心").contains("<td>5</td><td>3</td><td>1</td>"), "per hall");
}
