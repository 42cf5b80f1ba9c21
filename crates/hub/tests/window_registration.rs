//! 窗口登记 on a running hub: staff enter an application received by post with the day it
//! was signed for, which starts its clock and dates its 登记回执; an application sent online
//! counts from the day its receipt is confirmed (条例第三十一条).

use chrono::{Datelike, Duration, Local, NaiveDate};
use gongkai_hub::submissions::calendar::WorkCalendar;
use gongkai_testkit::{
    hub::{DemoHub, Staff, add_staff, application, hidden_value, submit_application},
    pdf,
};

fn chinese(day: NaiveDate) -> String {
    day.format("%Y年%-m月%-d日").to_string()
}

#[test]
fn staff_register_an_application_received_by_post_from_the_day_it_was_signed_for() {
    let demo = DemoHub::start();
    add_staff(&demo.hub.data, "clerk", "王科员", "公开办 2025 secure");
    let staff = Staff::sign_in(&demo.hub.url, "clerk", "公开办 2025 secure");
    let today = Local::now().date_naive();
    let signed_for = today - Duration::days(1);

    let page = staff.get("/staff/register");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("以行政机关签收之日为收到申请之日") && page.body.contains("name=\"received_on\""), "{}", page.body);
    let send = |extra: &[(&str, &str)]| {
        let mut answers = application(&page.body, extra);
        answers.push(("csrf".into(), hidden_value(&page.body, "csrf").unwrap()));
        let pairs: Vec<(&str, &str)> = answers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        staff.post("/staff/register", &pairs)
    };
    let day = signed_for.to_string();
    let tomorrow = (today + Duration::days(1)).to_string();

    // Mistakes come back named, with what was typed kept.
    let unnamed = send(&[("channel", "邮寄"), ("received_on", &day), ("name", "")]);
    assert_eq!(unnamed.status, 422);
    assert!(unnamed.body.contains("姓名或者名称：必填") && unnamed.body.contains("2024年区级财政预算执行情况"), "{}", unnamed.body);
    let no_channel = send(&[("received_on", &day), ("name", "陈美玲")]);
    assert!(no_channel.status == 422 && no_channel.body.contains("提交方式：请选择"), "{}", no_channel.body);
    let ahead = send(&[("channel", "邮寄"), ("received_on", &tomorrow), ("name", "陈美玲")]);
    assert!(ahead.status == 422 && ahead.body.contains(&format!("收到申请日期：{tomorrow} 晚于今天")), "{}", ahead.body);
    let long_ago = NaiveDate::from_ymd_opt(today.year() - 2, 12, 31).unwrap().to_string();
    let old = send(&[("channel", "邮寄"), ("received_on", &long_ago), ("name", "陈美玲")]);
    assert!(old.status == 422 && old.body.contains(&format!("收到申请日期：{long_ago} 早于上一年度")), "a closed year's report stays: {}", old.body);
    let garbled = send(&[("channel", "邮寄"), ("received_on", "昨天"), ("name", "陈美玲")]);
    assert!(garbled.status == 422 && garbled.body.contains("收到申请日期：格式应为 YYYY-MM-DD"), "{}", garbled.body);

    let registered = send(&[("channel", "邮寄"), ("received_on", &day), ("name", "陈美玲")]);
    assert_eq!(registered.status, 303, "{}", registered.body);
    let case = registered.header("location").unwrap().to_string();
    assert_eq!(send(&[("channel", "邮寄"), ("received_on", &day), ("name", "陈美玲")]).header("location"), Some(case.as_str()), "sent twice, registered once");
    let code = case.trim_start_matches("/staff/s/").to_string();

    let again = send(&[("channel", "邮寄"), ("received_on", &day), ("name", "李四")]);
    assert!(again.status == 409 && again.body.contains(&format!("这张登记表已经登记过（查询码 {code}）")), "another application on a form already used: {}", again.body);
    let page = staff.get(&case).body;
    assert!(page.contains("邮寄（王科员代为填写）") && page.contains("陈美玲") && !page.contains("李四"), "{page}");
    assert!(page.contains(&format!("{day}（条例第三十一条：邮寄的申请以行政机关签收之日为收到申请之日")), "{page}");
    assert!(page.contains(&format!("窗口登记：邮寄，{day} 收到")), "audited on the case: {page}");
    assert!(!page.contains("确认收到申请的日期"), "its day of receipt is settled: {page}");
    let calendar = WorkCalendar::builtin();
    let receipt = staff.get(&format!("{case}/letters/receipt.pdf"));
    assert_eq!(receipt.status, 200);
    let text = pdf::text_of_bytes(&receipt.bytes);
    for phrase in [
        "政府信息公开申请登记回执".to_string(),
        "陈美玲：".to_string(),
        format!("本机关已于{}收到您以邮寄方式提出的政府信息公开申请", chinese(signed_for)),
        format!("即不迟于{}", chinese(calendar.add_working_days(signed_for, 20))),
        code.clone(),
    ] {
        assert!(text.contains(&pdf::squeeze(&phrase)), "the 登记回执 lacks “{phrase}”: {text}");
    }

    // Without the CSRF token of a session, nothing is registered.
    let mut answers = application(&staff.get("/staff/register").body, &[("channel", "当面提交"), ("received_on", &day)]);
    answers.retain(|(n, _)| n != "csrf");
    let pairs: Vec<(&str, &str)> = answers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    assert_eq!(staff.post("/staff/register", &pairs).status, 403);
}

#[test]
fn an_application_sent_online_counts_from_the_day_its_receipt_is_confirmed() {
    let demo = DemoHub::start();
    add_staff(&demo.hub.data, "clerk", "王科员", "公开办 2025 secure");
    let staff = Staff::sign_in(&demo.hub.url, "clerk", "公开办 2025 secure");
    let code = submit_application(&demo.hub.url, &[]);
    let today = Local::now().date_naive();
    // Sent three days ago, over a weekend perhaps: the office confirms it today.
    let sent = today - Duration::days(3);
    let db = rusqlite::Connection::open(demo.hub.data.join("submissions.db")).unwrap();
    db.execute("UPDATE submissions SET received_on = ?1 WHERE code = ?2", [sent.to_string(), code.clone()]).unwrap();

    let page = staff.get(&format!("/staff/s/{code}")).body;
    assert!(page.contains("确认收到申请的日期") && page.contains("网上提交的申请以双方确认之日为收到申请之日"), "{page}");
    assert!(!page.contains("/letters/receipt.pdf"), "no 登记回执 before the day of receipt is confirmed: {page}");
    assert_eq!(staff.get(&format!("/staff/s/{code}/letters/receipt.pdf")).status, 404);
    let before = (sent - Duration::days(1)).to_string();
    let early = staff.act(&code, &[("action", "accept"), ("on", &before)]);
    assert!(early.status == 422 && early.body.contains(&format!("确认收到申请的日期不能早于申请提交的日期（{sent}）")), "{}", early.body);
    assert_eq!(staff.act(&code, &[("action", "accept"), ("on", &today.to_string())]).status, 303);
    let page = staff.get(&format!("/staff/s/{code}")).body;
    let due = WorkCalendar::builtin().add_working_days(today, 20);
    assert!(page.contains(&format!("{today}（条例第三十一条")), "received the day it was confirmed: {page}");
    assert!(page.contains(&due.to_string()), "due 20 working days after the confirmation ({due}): {page}");
    assert!(staff.get("/staff/audit").body.contains(&format!("受理，确认 {today} 收到申请")));
    assert_eq!(staff.get(&format!("/staff/s/{code}/letters/receipt.pdf")).status, 200, "the 登记回执 once confirmed");

    // Confirmed after the answer would have been due counted from the day it was sent: refused.
    let late = submit_application(&demo.hub.url, &[]);
    let long_ago = today - Duration::days(60);
    db.execute("UPDATE submissions SET received_on = ?1 WHERE code = ?2", [long_ago.to_string(), late.clone()]).unwrap();
    let refused = staff.act(&late, &[("action", "accept"), ("on", &today.to_string())]);
    assert!(refused.status == 422 && refused.body.contains("晚于按提交日期计算的答复期限"), "{}", refused.body);
}
