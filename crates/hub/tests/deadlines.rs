//! The statutory deadlines on a running hub: an application answered on the spot at the window
//! (条例第三十三条第一款), one not corrected within the 补正期限 its notice set, which the hub
//! ends by itself (第三十条), and a third party silent past its 意见期限 (第三十二条).

use std::time::{Duration as Wait, Instant};

use chrono::{Datelike, Duration, Local, NaiveDate};
use gongkai_hub::submissions::calendar::WorkCalendar;
use gongkai_testkit::{
    hub::{DemoHub, Staff, add_staff, application, hidden_value, http},
    pdf,
};

fn chinese(day: NaiveDate) -> String {
    day.format("%Y年%-m月%-d日").to_string()
}

/// A hub on the demo content, and a member of its staff signed in.
fn office() -> (DemoHub, Staff) {
    let demo = DemoHub::start();
    add_staff(&demo.hub.data, "clerk", "王科员", "公开办 2025 secure");
    let staff = Staff::sign_in(&demo.hub.url, "clerk", "公开办 2025 secure");
    (demo, staff)
}

/// Registers an application handed in at the window on `received_on`; returns its 查询码.
fn register(staff: &Staff, received_on: NaiveDate, name: &str) -> String {
    let form = staff.get("/staff/register").body;
    let mut answers = application(&form, &[("channel", "当面提交"), ("received_on", &received_on.to_string()), ("name", name)]);
    answers.push(("csrf".into(), hidden_value(&form, "csrf").unwrap()));
    let pairs: Vec<(&str, &str)> = answers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let registered = staff.post("/staff/register", &pairs);
    assert_eq!(registered.status, 303, "{}", registered.body);
    registered.header("location").unwrap().trim_start_matches("/staff/s/").to_string()
}

fn act(staff: &Staff, code: &str, fields: &[(&str, &str)]) {
    let done = staff.act(code, fields);
    assert_eq!(done.status, 303, "{fields:?}: {}", done.body);
}

/// The text of the field `id` on a case page.
fn field(page: &str, id: &str) -> String {
    let start = page.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no {id}: {page}"));
    let rest = &page[start..];
    rest[rest.find('>').unwrap() + 1..rest.find("</dd>").unwrap()].to_string()
}

/// The case page of `code` once the hub has ended it: it looks every few seconds.
fn ended_by_the_hub(staff: &Staff, code: &str) -> String {
    let deadline = Instant::now() + Wait::from_secs(40);
    loop {
        let page = staff.get(&format!("/staff/s/{code}")).body;
        if field(&page, "state").contains("已答复") {
            return page;
        }
        assert!(Instant::now() < deadline, "not ended within 40 s: {page}");
        std::thread::sleep(Wait::from_millis(500));
    }
}

#[test]
fn an_application_at_the_window_is_answered_on_the_spot() {
    let (_hub, staff) = office();
    let today = Local::now().date_naive();
    let code = register(&staff, today, "陈美玲");
    let page = staff.get(&format!("/staff/s/{code}")).body;
    assert!(page.contains("能够当场答复的，应当当场答复（条例第三十三条第一款）"), "{page}");
    let on = today.to_string();
    act(&staff, &code, &[("action", "reply"), ("outcome", "already_public"), ("on", &on), ("text", "该信息已在区政府门户网站主动公开，网址见下。")]);
    let page = staff.get(&format!("/staff/s/{code}")).body;
    assert!(field(&page, "state").contains("已答复") && page.contains(&format!("<dt>办结日期</dt><dd>{on}</dd>")), "{page}");
    let reply = staff.get(&format!("/staff/s/{code}/letters/reply.pdf"));
    assert_eq!(reply.status, 200);
    let text = pdf::text_of_bytes(&reply.bytes);
    assert!(text.contains(&pdf::squeeze("该信息已在区政府门户网站主动公开")), "{text}");
}

#[test]
fn an_application_not_corrected_within_its_period_is_ended_by_the_hub() {
    let (demo, staff) = office();
    let calendar = WorkCalendar::builtin();
    let today = Local::now().date_naive();
    let received = today - Duration::days(30);
    let asked_on = calendar.add_working_days(received, 1);
    // Periods end on working days: one long past, and one still to come.
    let (past, to_come) = (calendar.add_working_days(asked_on, 5), calendar.add_working_days(today, 5));
    let ask = |code: &str, until: NaiveDate| {
        staff.act(code, &[("action", "request_correction"), ("on", &asked_on.to_string()), ("until", &until.to_string()), ("note", "请说明所需信息的年份")])
    };

    let lapsed = register(&staff, received, "陈美玲");
    act(&staff, &lapsed, &[("action", "accept")]);
    let none = ask(&lapsed, asked_on);
    assert!(none.status == 422 && none.body.contains("应晚于告知补正日期"), "{}", none.body);
    let sunday = (1..8).map(|n| today + Duration::days(n)).find(|d| !calendar.is_working_day(*d)).unwrap();
    let rest_day = ask(&lapsed, sunday);
    assert!(rest_day.status == 422 && rest_day.body.contains(&format!("期限：{sunday} 不是工作日")), "{}", rest_day.body);
    assert_eq!(ask(&lapsed, past).status, 303);
    let waiting = register(&staff, received, "李四");
    assert_eq!(ask(&waiting, to_come).status, 303);
    let refused = staff.act(&waiting, &[("action", "correction_overdue"), ("on", &today.to_string()), ("text", "逾期未补正")]);
    assert!(refused.status == 422 && refused.body.contains(&format!("补正期限（{to_come}）尚未届满")), "{}", refused.body);

    let page = ended_by_the_hub(&staff, &lapsed);
    assert!(field(&page, "outcome").contains("其他处理·申请人无正当理由逾期不补正"), "{page}");
    assert!(page.contains(&format!("补正期限为{}，截至该日未收到补正后的申请", chinese(past))) && page.contains("<td>系统</td>"), "told and audited: {page}");
    let ended = calendar.add_working_days(past, 1);
    assert!(page.contains(&format!("<dt>办结日期</dt><dd>{ended}</dd>")), "the working day after the period, {ended}: {page}");
    let letter = staff.get(&format!("/staff/s/{lapsed}/letters/reply.pdf"));
    let text = pdf::text_of_bytes(&letter.bytes);
    assert!(text.contains(&pdf::squeeze("视为您放弃申请")), "{text}");
    // The 答复书 of the hub's ending awaits delivery, marked in the inbox until it is recorded.
    assert!(field(&page, "delivery").contains("待送达"), "{page}");
    let undelivered = |code: &str| staff.get("/staff?urgency=undelivered").body.contains(&format!("/staff/s/{code}"));
    assert!(undelivered(&lapsed) && !undelivered(&waiting));
    act(&staff, &lapsed, &[("action", "delivered"), ("on", &today.to_string()), ("how", "邮寄送达")]);
    assert!(!undelivered(&lapsed));
    assert_eq!(field(&staff.get(&format!("/staff/s/{lapsed}")).body, "delivery"), format!("{today}，邮寄送达"));
    let told = http(&demo.hub.url, "GET", &format!("/q/{lapsed}"), &[], b"").body;
    assert_eq!(field(&told, "delivered"), format!("{today}，邮寄送达"), "the applicant sees it: {told}");

    let page = staff.get(&format!("/staff/s/{waiting}")).body;
    assert!(field(&page, "state").contains("待补正") && field(&page, "correction").contains(&format!("补正期限 {to_come}")), "{page}");
    let told = http(&demo.hub.url, "GET", &format!("/q/{waiting}"), &[], b"").body;
    assert!(field(&told, "correction-until").contains(&to_come.to_string()), "the applicant sees the period: {told}");
    // The applicant gives a reason for needing longer (第三十条 ends only 无正当理由 delays):
    // the period moves, audited, and the applicant sees the new one.
    let later = calendar.add_working_days(to_come, 10);
    let extend = [("action", "extend_correction"), ("on", &today.to_string()), ("until", &later.to_string()), ("reason", "需向原工作单位调取材料")];
    act(&staff, &waiting, &extend);
    let page = staff.get(&format!("/staff/s/{waiting}")).body;
    assert!(field(&page, "correction").contains(&format!("补正期限 {to_come}；{today} 延长至 {later}（需向原工作单位调取材料）")), "{page}");
    assert!(page.contains(&format!("补正期限延长至 {later}：需向原工作单位调取材料")), "audited: {page}");
    let told = http(&demo.hub.url, "GET", &format!("/q/{waiting}"), &[], b"").body;
    assert!(field(&told, "correction-until").contains(&later.to_string()), "{told}");

    // A correction signed for on the period's last day and entered after the end reopens it.
    let late = staff.act(&lapsed, &[("action", "correction_received"), ("on", &ended.to_string())]);
    assert!(late.status == 422 && late.body.contains("之后收到的补正，申请已终止办理"), "{}", late.body);
    act(&staff, &lapsed, &[("action", "correction_received"), ("on", &past.to_string())]);
    let page = staff.get(&format!("/staff/s/{lapsed}")).body;
    assert!(field(&page, "state").contains("办理中") && !page.contains("id=\"outcome\""), "{page}");
}

#[test]
fn a_third_party_silent_past_its_period_no_longer_stops_the_clock() {
    let (_hub, staff) = office();
    let calendar = WorkCalendar::builtin();
    let today = Local::now().date_naive();
    let asked_on = today - Duration::days(18);
    let until = calendar.add_working_days(asked_on, 3);
    let code = register(&staff, today - Duration::days(20), "陈美玲");
    act(&staff, &code, &[("action", "accept")]);
    act(&staff, &code, &[("action", "third_party_started"), ("on", &asked_on.to_string()), ("until", &until.to_string()), ("party", "云溪物业管理有限公司")]);
    let page = staff.get(&format!("/staff/s/{code}")).body;
    assert!(page.contains(&format!("意见期限 {until}")) && page.contains("已过期限"), "{page}");
    assert!(!page.contains("value=\"reply\""), "no answer while the consultation is open: {page}");
    let early = staff.act(&code, &[("action", "third_party_answered"), ("lapsed", "yes"), ("on", &until.to_string())]);
    assert!(early.status == 422 && early.body.contains(&format!("意见期限（{until}）尚未届满")), "{}", early.body);
    act(&staff, &code, &[("action", "third_party_answered"), ("lapsed", "yes"), ("on", &today.to_string())]);
    let page = staff.get(&format!("/staff/s/{code}")).body;
    assert!(page.contains("value=\"reply\"") && page.contains("第三方逾期未提出意见，由本机关依照条例决定是否公开"), "{page}");
    assert!(page.contains("，逾期未提出意见"), "shown beside the consultation: {page}");
    let letter = staff.get(&format!("/staff/s/{code}/letters/third_party-1.pdf"));
    let text = pdf::text_of_bytes(&letter.bytes);
    assert!(text.contains(&pdf::squeeze(&format!("请您于{}前（含当日）以书面形式提出意见", chinese(until)))), "{text}");
}

#[test]
fn a_fee_is_noticed_by_count_or_by_pages_and_an_unpaid_one_ends_the_application() {
    let (demo, staff) = office();
    let calendar = WorkCalendar::builtin();
    let today = Local::now().date_naive();
    let pay_by = calendar.add_working_days(today, 20);
    let notify = |code: &str, basis: &str, pages: &str, on: NaiveDate, until: NaiveDate| {
        staff.act(code, &[("action", "notify_fee"), ("basis", basis), ("pages", pages), ("on", &on.to_string()), ("until", &until.to_string())])
    };

    // The same applicant's 10th and 11th applications this month: the 10th is free by count.
    let codes: Vec<String> = (0..11).map(|_| register(&staff, today, "陈美玲")).collect();
    for code in &codes[9..] {
        act(&staff, code, &[("action", "accept")]);
    }
    let tenth = staff.get(&format!("/staff/s/{}", codes[9])).body;
    let month = format!("申请人于{}年{}月提出的第", today.year(), today.month());
    assert!(tenth.contains(&format!("按件计收：{month} 10 件申请，0 元")), "{tenth}");
    let both = notify(&codes[9], "count", "150", today, pay_by);
    assert!(both.status == 422 && both.body.contains("按件计收不按页数计算"), "never both: {}", both.body);
    let free = notify(&codes[9], "count", "", today, pay_by);
    assert!(free.status == 422 && free.body.contains("依照国办函〔2020〕109号不收费"), "{}", free.body);
    assert_eq!(notify(&codes[10], "count", "", today, pay_by).status, 303);
    let page = staff.get(&format!("/staff/s/{}", codes[10])).body;
    assert!(field(&page, "state").contains("待缴费") && field(&page, "fee").contains("第 11 件申请，100 元"), "{page}");
    let told = http(&demo.hub.url, "GET", &format!("/q/{}", codes[10]), &[], b"").body;
    assert!(field(&told, "fee").contains(&format!("100 元，请于 {}前（含当日）", chinese(pay_by))), "the applicant is told: {told}");
    let letter = staff.get(&format!("/staff/s/{}/letters/fee.pdf", codes[10]));
    assert_eq!(letter.status, 200);
    let text = pdf::text_of_bytes(&letter.bytes);
    for phrase in ["政府信息公开信息处理费收费通知书", "本机关对该申请按件计收信息处理费", &format!("{month}11件申请"), "应缴金额：100元", &format!("请您于{}前（含当日）缴纳", chinese(pay_by))] {
        assert!(text.contains(&pdf::squeeze(phrase)), "lacks {phrase}: {text}");
    }
    act(&staff, &codes[10], &[("action", "fee_paid"), ("on", &today.to_string())]);
    let page = staff.get(&format!("/staff/s/{}", codes[10])).body;
    assert!(field(&page, "state").contains("办理中") && field(&page, "fee").contains("已缴费"), "{page}");

    // By pages, noticed weeks ago and never paid: the hub ends it.
    let received = today - Duration::days(50);
    let asked_on = calendar.add_working_days(received, 1);
    let until = calendar.add_working_days(asked_on, 20);
    let unpaid = register(&staff, received, "李四");
    act(&staff, &unpaid, &[("action", "accept")]);
    let no_pages = notify(&unpaid, "pages", "", asked_on, until);
    assert!(no_pages.status == 422 && no_pages.body.contains("页数：按量计收请填写"), "{}", no_pages.body);
    let short = notify(&unpaid, "pages", "150", asked_on, calendar.add_working_days(asked_on, 19));
    assert!(short.status == 422 && short.body.contains(&format!("缴费期限：不能早于 {until}")), "{}", short.body);
    // 1,500 pages typed for 150: taken back, and sent again.
    assert_eq!(notify(&unpaid, "pages", "1500", asked_on, until).status, 303);
    act(&staff, &unpaid, &[("action", "cancel_fee"), ("reason", "页数有误")]);
    let page = staff.get(&format!("/staff/s/{unpaid}")).body;
    assert!(field(&page, "state").contains("办理中") && !page.contains("id=\"fee\"") && page.contains("撤销收费通知：页数有误"), "{page}");
    assert_eq!(notify(&unpaid, "pages", "150", asked_on, until).status, 303);
    let page = ended_by_the_hub(&staff, &unpaid);
    assert!(field(&page, "outcome").contains("其他处理·申请人逾期未按收费通知要求缴纳费用"), "{page}");
    assert!(field(&page, "fee").contains("信息处理量共 150 页，1700 元"), "{page}");
    let ended = calendar.add_working_days(until, 1);
    assert!(page.contains(&format!("<dt>办结日期</dt><dd>{ended}</dd>")) && page.contains("截至该日未收到您缴纳的信息处理费"), "{page}");
    // Paid on the last day, entered after the end: handled after all.
    act(&staff, &unpaid, &[("action", "fee_paid"), ("on", &until.to_string())]);
    assert!(field(&staff.get(&format!("/staff/s/{unpaid}")).body, "state").contains("办理中"));
}
