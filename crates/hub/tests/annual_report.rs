//! The annual report: sections 三 and 四 counted from cases, against an independent count
//! of a generated two years of cases (every outcome, column, carry-over, 复议 and 诉讼 of every
//! kind and result), and through the staff console of a real hub, page and XLSX alike; and
//! section 二, from the workspace's documents and 行政权力 figures and the 收费 staff enter.

use chrono::{Datelike, Duration, NaiveDate};
use gongkai_hub::{
    reports::{annual_xlsx::{APPEALS_SHEET, APPLICATIONS_SHEET}, appeals::Appeals, applications::{Applications, COLUMNS}},
    submissions::{
        appeal::{AppealKind, AppealResult},
        channel::Channel,
        fees::Basis,
        form::{Entry, Fields, Kind},
        outcome::Outcome,
        store::{NewSubmission, SqliteStore, Store},
        workflow::Action,
    },
};
use gongkai_testkit::hub::{DemoHub, Staff, add_staff, hidden_value, submit_application};

/// The rows of section 三 as the official format prints them, each with the outcomes it counts.
const ROWS: [(&str, &[Outcome]); 21] = [
    ("（一）予以公开", &[Outcome::Disclosed, Outcome::AlreadyPublic]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", &[Outcome::PartlyDisclosed]),
    ("1.属于国家秘密", &[Outcome::StateSecret]),
    ("2.其他法律行政法规禁止公开", &[Outcome::ForbiddenByLaw]),
    ("3.危及“三安全一稳定”", &[Outcome::EndangersSecurity]),
    ("4.保护第三方合法权益", &[Outcome::ThirdPartyRights]),
    ("5.属于三类内部事务信息", &[Outcome::InternalAffairs]),
    ("6.属于四类过程性信息", &[Outcome::ProcessInformation]),
    ("7.属于行政执法案卷", &[Outcome::EnforcementFiles]),
    ("8.属于行政查询事项", &[Outcome::AdministrativeQuery]),
    ("1.本机关不掌握相关政府信息", &[Outcome::NotHeld, Outcome::NotThisOrgan]),
    ("2.没有现成信息需要另行制作", &[Outcome::NeedsCreating]),
    ("3.补正后申请内容仍不明确", &[Outcome::StillUnclear]),
    ("1.信访举报投诉类申请", &[Outcome::Petition]),
    ("2.重复申请", &[Outcome::Repeated]),
    ("3.要求提供公开出版物", &[Outcome::Publication]),
    ("4.无正当理由大量反复申请", &[Outcome::Excessive]),
    ("5.要求行政机关确认或重新出具已获取信息", &[Outcome::Confirmation]),
    ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", &[Outcome::CorrectionOverdue]),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", &[Outcome::FeeOverdue]),
    ("3.其他", &[Outcome::Other]),
];

/// The form's answers for the applicant of column `column`.
const APPLICANTS: [(&str, Option<&str>); 6] = [
    ("自然人", None),
    ("法人或其他组织", Some("商业企业")),
    ("法人或其他组织", Some("科研机构")),
    ("法人或其他组织", Some("社会公益组织")),
    ("法人或其他组织", Some("法律服务机构")),
    ("法人或其他组织", Some("其他")),
];

/// How a generated case ends: answered with an outcome, withdrawn, or still open.
#[derive(Clone, Copy)]
enum End {
    Answered(Outcome),
    Withdrawn,
    Open,
}

struct Case {
    column: usize,
    received_on: NaiveDate,
    ended: Option<(End, NaiveDate)>,
    /// A 复议 or 诉讼 filed against the answer, and how and when it ended if it has.
    appeal: Option<(AppealKind, NaiveDate, Option<(AppealResult, NaiveDate)>)>,
}

/// Cases received from November 2024 to December 2026: every column, every outcome, some
/// withdrawn, some still open, many answered in the year after they came.
fn generate() -> Vec<Case> {
    let first = NaiveDate::from_ymd_opt(2024, 11, 1).unwrap();
    (0..1_200u32)
        .map(|i| {
            let received_on = first + Duration::days(i64::from(i * 7 % 790));
            let end = match i % 26 {
                n if (n as usize) < Outcome::ALL.len() => End::Answered(Outcome::ALL[n as usize]),
                23 | 24 => End::Withdrawn,
                _ => End::Open,
            };
            let ended = match end {
                End::Open => None,
                // 逾期未补正 and 逾期未缴费 take two days at least: the notice, then its period.
                End::Answered(Outcome::CorrectionOverdue | Outcome::FeeOverdue) => Some((end, received_on + Duration::days(i64::from(i * 13 % 50).max(2)))),
                end => Some((end, received_on + Duration::days(i64::from(i * 13 % 50)))),
            };
            let appeal = match ended {
                Some((End::Answered(_), on)) if i % 7 == 0 => {
                    let filed_on = on + Duration::days(10);
                    let result = AppealResult::ALL.get((i / 7) as usize % 4).map(|r| (*r, filed_on + Duration::days(i64::from(i % 90))));
                    Some((AppealKind::ALL[(i / 7) as usize % 3], filed_on, result))
                }
                _ => None,
            };
            Case { column: (i as usize * 5) % 6, received_on, ended, appeal }
        })
        .collect()
}

/// What the report of `year` must say, counted here case by case: (一, 二, each row, （七）, 四).
fn expected(cases: &[Case], year: i32) -> (Vec<u64>, Vec<u64>, Vec<Vec<u64>>, Vec<u64>, Vec<u64>) {
    let (start, end) = (NaiveDate::from_ymd_opt(year, 1, 1).unwrap(), NaiveDate::from_ymd_opt(year, 12, 31).unwrap());
    let mut counted = (vec![0; COLUMNS], vec![0; COLUMNS], vec![vec![0; COLUMNS]; ROWS.len()], vec![0; COLUMNS], vec![0; COLUMNS]);
    let add = |counts: &mut Vec<u64>, column: usize| {
        counts[column] += 1;
        counts[COLUMNS - 1] += 1;
    };
    for case in cases {
        let ended_before = case.ended.is_some_and(|(_, on)| on < start);
        if case.received_on > end || ended_before {
            continue;
        }
        add(if case.received_on >= start { &mut counted.0 } else { &mut counted.1 }, case.column);
        match case.ended {
            Some((end_as, on)) if on <= end => {
                let outcome = match end_as {
                    End::Answered(outcome) => outcome,
                    _ => Outcome::Other,
                };
                let row = ROWS.iter().position(|(_, outcomes)| outcomes.contains(&outcome)).unwrap();
                add(&mut counted.2[row], case.column);
                add(&mut counted.3, case.column);
            }
            _ => add(&mut counted.4, case.column),
        }
    }
    counted
}

fn fields(column: usize) -> Fields {
    let (applicant, organisation) = APPLICANTS[column];
    let entry = |name: &str, value: &str| Entry { name: name.into(), label: String::new(), value: value.into() };
    Fields([Some(entry("applicant_type", applicant)), organisation.map(|o| entry("organisation_type", o))].into_iter().flatten().collect())
}

#[test]
fn a_generated_two_years_of_cases_report_as_counted_case_by_case_and_balance_across_the_new_year() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("submissions.db")).unwrap();
    let cases = generate();
    for (i, case) in cases.iter().enumerate() {
        let new = NewSubmission {
            key: format!("case-{i}"),
            kind: Kind::Apply,
            subject: None,
            fields: fields(case.column),
            kiosk: None,
            origin_note: None,
            submitted_at: 0,
            received_on: case.received_on,
            channel: Channel::Online,
            organ: "main".into(),
        };
        let id = store.submit(new).unwrap().id;
        let mut version = 1;
        let action = match case.ended {
            None => continue,
            Some((End::Answered(Outcome::CorrectionOverdue), on)) => {
                store.act(id, version, "clerk", &Action::RequestCorrection { note: "请说明所需信息的年份".into(), on: case.received_on, until: case.received_on + Duration::days(1) }).unwrap();
                version += 1;
                Action::CorrectionOverdue { on, text: "逾期未补正，视为放弃申请".into() }
            }
            Some((End::Answered(Outcome::FeeOverdue), on)) => {
                let until = case.received_on + Duration::days(1);
                store.act(id, version, "clerk", &Action::Accept { confirmed_on: None }).unwrap();
                store.act(id, version + 1, "clerk", &Action::NotifyFee { on: case.received_on, basis: Basis::Pages, units: 100, until }).unwrap();
                version += 2;
                Action::FeeOverdue { on, text: "逾期未缴纳信息处理费，视为放弃申请".into() }
            }
            Some((End::Answered(outcome), on)) => Action::Reply { outcome: Some(outcome), on, text: "答复".into(), competent: None },
            Some((_, on)) => Action::Withdraw { note: "申请人撤回".into(), on },
        };
        store.act(id, version, "clerk", &action).unwrap();
        if let Some((kind, filed_on, decided)) = case.appeal {
            store.add_appeal(id, None, kind, filed_on, "clerk", 0).unwrap();
            if let Some((result, on)) = decided {
                let appeal = store.appeals(id).unwrap()[0].id;
                store.decide_appeal(id, None, appeal, result, on, "clerk").unwrap();
            }
        }
    }

    let mut carried = None;
    for year in [2025, 2026] {
        let report = Applications::count(year, &store.year_groups(year, None).unwrap());
        let (received, carried_in, rows, concluded, carried_out) = expected(&cases, year);
        assert_eq!(report.received.to_vec(), received, "{year} 一、本年新收");
        assert_eq!(report.carried_in.to_vec(), carried_in, "{year} 二、上年结转");
        let lines: Vec<&str> = report.results.iter().map(|r| r.line).collect();
        assert_eq!(lines, ROWS.map(|(line, _)| line).to_vec(), "{year}: the rows of the official format");
        for ((line, _), (row, counts)) in ROWS.iter().zip(report.results.iter().zip(&rows)) {
            assert_eq!(&row.counts.to_vec(), counts, "{year} {line}");
        }
        assert_eq!(report.concluded.to_vec(), concluded, "{year} （七）总计");
        assert_eq!(report.carried_out.to_vec(), carried_out, "{year} 四、结转下年度继续办理");
        assert_eq!(report.breaks(), vec![], "{year}: 一 + 二 = 三（七）+ 四 in every column");
        assert!(rows.iter().all(|r| r[COLUMNS - 1] > 0), "{year}: every row has cases");
        assert!(received.iter().chain(&carried_in).chain(&carried_out).all(|n| *n > 0), "{year}: every column comes and goes");
        if let Some(carried) = carried {
            assert_eq!(report.carried_in, carried, "what 2025 carried on is what 2026 carried in");
        }
        carried = Some(report.carried_out);

        // Section 四: filed in the year, by kind, by how each had ended by the year's end.
        let mut appeals = [[0u64; 5]; 3];
        let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap();
        for (kind, filed_on, decided) in cases.iter().filter_map(|c| c.appeal) {
            if filed_on.year() != year {
                continue;
            }
            let column = match decided {
                Some((result, on)) if on <= last => AppealResult::ALL.iter().position(|r| *r == result).unwrap(),
                _ => 3,
            };
            let row = AppealKind::ALL.iter().position(|k| *k == kind).unwrap();
            appeals[row][column] += 1;
            appeals[row][4] += 1;
        }
        assert_eq!(Appeals::count(year, &store.year_appeals(year, None).unwrap()).counts, appeals, "{year} 四");
        assert!(appeals.iter().flatten().all(|n| *n > 0), "{year}: every kind and result: {appeals:?}");
    }
}

/// The numbers of the page's table, row by row, in reading order.
fn page_counts(page: &str) -> Vec<Vec<u64>> {
    let table = page.split("id=\"applications\"").nth(1).unwrap().split("</table>").next().unwrap();
    table
        .split("<tr>")
        .skip(1)
        .map(|row| row.split("<td>").skip(1).map(|cell| cell.split("</td>").next().unwrap().parse().unwrap()).collect::<Vec<u64>>())
        .filter(|row| !row.is_empty())
        .collect()
}

#[test]
fn staff_read_the_years_report_check_its_balance_classify_an_old_answer_and_download_the_same_figures() {
    let demo = DemoHub::start();
    add_staff(&demo.hub.data, "clerk", "王科员", "公开办 2025 secure");
    let staff = Staff::sign_in(&demo.hub.url, "clerk", "公开办 2025 secure");
    let (get, post) = (|path: &str| staff.get(path), |path: &str, pairs: &[(&str, &str)]| staff.post(path, pairs));
    let year = chrono::Local::now().year();
    let today = chrono::Local::now().date_naive().to_string();

    // Three applications from phones: a person's answered, a law firm's answered, a person's open.
    let law_firm = [("applicant_type", "法人或其他组织"), ("organisation_type", "法律服务机构"), ("contact_person", "李四"), ("id_type", "统一社会信用代码"), ("id_number", "91350100M000100Y43")];
    let codes: Vec<String> = [&[][..], &law_firm, &[]].iter().map(|extra| submit_application(&demo.hub.url, extra)).collect();
    let act = |code: &str, pairs: &[(&str, &str)]| assert_eq!(staff.act(code, pairs).status, 303);
    act(&codes[0], &[("action", "reply"), ("outcome", "not_held"), ("on", &today), ("text", "经检索，本机关未制作该信息")]);
    act(&codes[1], &[("action", "reply"), ("outcome", "state_secret"), ("on", &today), ("text", "属于国家秘密")]);

    // An answer kept before outcomes were: the report's balance breaks, and names the case.
    let db = rusqlite::Connection::open(demo.hub.data.join("submissions.db")).unwrap();
    assert_eq!(db.execute("UPDATE submissions SET outcome = NULL WHERE code = ?1", [&codes[1]]).unwrap(), 1);
    let page = get(&format!("/staff/report?year={year}"));
    assert_eq!(page.status, 200);
    let counts = page_counts(&page.body);
    let totals: Vec<u64> = counts.iter().map(|row| row[COLUMNS - 1]).collect();
    assert_eq!(counts[0], vec![2, 0, 0, 0, 1, 0, 3], "一、本年新收 by column");
    assert_eq!(counts[12], vec![1, 0, 0, 0, 0, 0, 1], "（四）1.本机关不掌握相关政府信息");
    assert_eq!((totals[1], totals[23], totals[24]), (0, 1, 1), "二, （七）总计, 四");
    let balance = page.body.split("id=\"balance\"").nth(1).unwrap();
    assert!(balance.contains("勾稽关系不成立") && balance.contains("法律服务机构：一 + 二 = 1，三（七）+ 四 = 0"), "{balance}");
    assert!(balance.contains(&format!("href=\"/staff/s/{}\"", codes[1])), "the case behind the break: {balance}");

    // Unbalanced, the figures are not written into the content.
    let csrf = hidden_value(&get(&format!("/staff/report?year={year}")).body, "csrf").unwrap();
    let write = || post("/staff/report/content", &[("csrf", &csrf), ("year", &year.to_string())]);
    let refused = write();
    assert!(refused.status == 422 && refused.body.contains("请先完成年报归类"), "{}", refused.body);

    act(&codes[1], &[("action", "classify"), ("outcome", "state_secret")]);
    let page = get(&format!("/staff/report?year={year}"));
    assert!(page.body.contains("勾稽关系成立"), "{}", page.body);
    let counts = page_counts(&page.body);
    assert_eq!(counts[4], vec![0, 0, 0, 0, 1, 0, 1], "（三）1.属于国家秘密");

    // A 行政复议 against the first answer, corrected; a 诉讼 after 复议 against the second, pending.
    let record = |code: &str, path: &str, pairs: &[(&str, &str)]| {
        let page = get(&format!("/staff/s/{code}"));
        let csrf = hidden_value(&page.body, "csrf").unwrap();
        let appeal = hidden_value(&page.body, "appeal").unwrap_or_default();
        let recorded = hidden_value(&page.body, "recorded").unwrap();
        let mut all = vec![("csrf", csrf.as_str()), ("appeal", appeal.as_str()), ("recorded", recorded.as_str())];
        all.extend_from_slice(pairs);
        post(&format!("/staff/s/{code}/appeals{path}"), &all)
    };
    // Sent twice from the same page (a double click): recorded once. From a page outdated
    // since, refused.
    let csrf = hidden_value(&get(&format!("/staff/s/{}", codes[0])).body, "csrf").unwrap();
    let filed = |kind: &str| post(&format!("/staff/s/{}/appeals", codes[0]), &[("csrf", csrf.as_str()), ("recorded", "0"), ("kind", kind), ("filed_on", &today)]);
    assert_eq!((filed("review").status, filed("review").status), (303, 303));
    let stale = filed("lawsuit_direct");
    assert!(stale.status == 409 && stale.body.contains("已被他人修改"), "{}", stale.body);
    let yesterday = (chrono::Local::now().date_naive() - Duration::days(1)).to_string();
    let early = record(&codes[0], "/decide", &[("result", "corrected"), ("on", &yesterday)]);
    assert!(early.status == 422 && early.body.contains(&format!("审结日期不能早于提起日期（{today}）")), "{}", early.body);
    assert_eq!(record(&codes[0], "/decide", &[("result", "corrected"), ("on", &today)]).status, 303);
    assert_eq!(record(&codes[1], "", &[("kind", "lawsuit_after_review"), ("filed_on", &today)]).status, 303);
    let case = get(&format!("/staff/s/{}", codes[0])).body;
    assert!(case.contains(&format!("行政复议</strong>：{today} 提起；{today} 审结，结果纠正")), "{case}");
    let page = get(&format!("/staff/report?year={year}"));
    let appeals: Vec<u64> = page.body.split("id=\"appeals\"").nth(1).unwrap().split("</table>").next().unwrap()
        .split("<td>").skip(1).map(|cell| cell.split("</td>").next().unwrap().parse().unwrap()).collect();
    assert_eq!(appeals, [0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1], "复议 corrected; 复议后起诉 pending");

    // Written into the year's 政务公开统计 for the wall, once; 主动公开 is left to staff.
    let written = write();
    assert_eq!(written.header("location"), Some(format!("/staff/report?year={year}&written=saved").as_str()));
    let stored: String = db
        .query_row("SELECT body FROM workspace_bodies WHERE kind = 'disclosure_stats' AND id = ?1", [year.to_string()], |r| r.get(0))
        .unwrap();
    let stats: serde_json::Value = serde_json::from_str(&stored).unwrap();
    let outcome = |kind: &str| stats["requests"]["outcomes"].as_array().unwrap().iter().find(|o| o["kind"] == kind).unwrap()["count"].as_u64();
    assert_eq!((stats["requests"]["received"].as_u64(), stats["requests"]["carried_forward"].as_u64()), (Some(3), Some(1)));
    assert_eq!((outcome("不予公开"), outcome("无法提供"), outcome("予以公开")), (Some(1), Some(1), Some(0)));
    assert_eq!(stats["reviews"], serde_json::json!({ "upheld": 0, "corrected": 1, "other": 0, "pending": 0 }));
    assert_eq!(stats["lawsuits"], serde_json::json!({ "upheld": 0, "corrected": 0, "other": 0, "pending": 1 }));
    assert_eq!(stats["proactive"], serde_json::json!([]));
    assert_eq!(write().header("location"), Some(format!("/staff/report?year={year}&written=unchanged").as_str()));

    // The XLSX holds the same figures, in the official layout's merged cells.
    let download = get(&format!("/staff/report.xlsx?year={year}"));
    assert_eq!(download.status, 200);
    assert!(download.header("content-disposition").unwrap().contains(&format!("{year}%E5%B9%B4")), "named by its year");
    use calamine::{DataType, Reader, Xlsx};
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(download.bytes.clone())).unwrap();
    let sheet = workbook.worksheet_range(APPLICATIONS_SHEET).unwrap();
    let cell = |row: u32, column: u32| sheet.get_value((row, column)).map(|v| v.to_string()).unwrap_or_default();
    assert_eq!(cell(1, 0), "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）");
    assert_eq!((cell(2, 4), cell(3, 8), cell(2, 9)), ("法人或其他组织".into(), "其他".into(), "总计".into()));
    assert_eq!((cell(6, 0), cell(8, 1), cell(8, 2)), ("三、本年度办理结果".into(), "（三）不予公开".into(), "1.属于国家秘密".into()));
    let xlsx_counts: Vec<Vec<u64>> = (4..=28)
        .map(|row| (3..10).map(|column| sheet.get_value((row, column)).and_then(|v| v.as_f64()).unwrap() as u64).collect())
        .collect();
    assert_eq!(xlsx_counts, counts, "the XLSX and the page agree cell by cell");
    let merged = workbook.merge_cells_by_sheet_name(APPLICATIONS_SHEET).unwrap();
    assert!(merged.iter().any(|m| m.start == (1, 0) && m.end == (3, 2)), "the corner note spans three rows and three columns");
    let sheet = workbook.worksheet_range(APPEALS_SHEET).unwrap();
    let xlsx_appeals: Vec<u64> = (0..15).map(|column| sheet.get_value((4, column)).and_then(|v| v.as_f64()).unwrap() as u64).collect();
    assert_eq!(xlsx_appeals, appeals);
    assert_eq!(sheet.get_value((2, 5)).map(|v| v.to_string()), Some("未经复议直接起诉".into()));
    let audit = get("/staff/audit").body;
    assert!(audit.contains(&format!("导出{year}年度政府信息公开工作年度报告（XLSX）")));
    assert!(audit.contains(&format!("{today} 行政复议审结：结果纠正")), "{audit}");

    // A year that is not one is named.
    let refused = get("/staff/report?year=二〇二五");
    assert!(refused.status == 422 && refused.body.contains("年份：“二〇二五”不是"), "{}", refused.body);
}

/// The whole numbers of the page's section 二, row by row: the documents' three columns, each
/// decision count, and the 收费 when it is one.
fn published_counts(page: &str) -> Vec<Vec<u64>> {
    let table = page.split("id=\"published\"").nth(1).unwrap().split("</table>").next().unwrap();
    table
        .split("<tr>")
        .skip(1)
        .map(|row| row.split("<td").skip(1).filter_map(|cell| cell.split('>').nth(1)?.split("</td").next()?.parse().ok()).collect::<Vec<u64>>())
        .filter(|row| !row.is_empty())
        .collect()
}

#[test]
fn section_two_counts_the_workspaces_documents_and_decisions_and_the_fee_entered() {
    use gongkai_hub::reports::annual_xlsx::PUBLISHED_SHEET;
    let demo = DemoHub::start();
    gongkai_testkit::hub::import_demo_workspace(&demo.hub.data);
    add_staff(&demo.hub.data, "clerk", "王科员", "公开办 2025 secure");
    let staff = Staff::sign_in(&demo.hub.url, "clerk", "公开办 2025 secure");
    // The year of the demo's latest 行政权力 figures.
    let demo_figures: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(format!("{}/admin_results.json", gongkai_testkit::DEMO_BUNDLE)).unwrap()).unwrap();
    let months = demo_figures["monthly"].as_array().unwrap();
    let year: i32 = months.iter().map(|m| m["month"].as_str().unwrap()[..4].parse().unwrap()).max().unwrap();

    // Two 行政规范性文件 of that year, one since repealed; a 规章 repealed without its day.
    let csrf = hidden_value(&staff.get("/content/documents/new").body, "csrf").unwrap();
    let save = |id: &str, written: &str, validity: &str, repealed: &str, category: &str| {
        let fields = [
            ("csrf", csrf.as_str()), ("revision", ""), ("id", id), ("title", "关于规范性文件的通知"), ("index_no", &format!("11360402MB1E0123XR/{id}")),
            ("issuer", "云溪区人民政府办公室"), ("written_on", written), ("published_on", written), ("topic", "综合政务"),
            ("disclosure", "主动公开"), ("validity", validity), ("repealed_on", repealed), ("category", category), ("body", "正文。"),
        ];
        staff.post("/content/documents/save", &fields)
    };
    let (first, repeal) = (format!("{year}-01-02"), format!("{year}-01-03"));
    assert_eq!(save("reg-1", &first, "有效", "", "行政规范性文件").status, 303);
    assert_eq!(save("reg-2", &first, "废止", &repeal, "行政规范性文件").status, 303);
    assert_eq!(save("rule-1", "2019-03-01", "废止", "", "规章").status, 303);
    let refused = save("reg-3", &first, "有效", &repeal, "行政规范性文件");
    assert!(refused.status == 422 && refused.body.contains("填写了废止或失效日期，有效性应为“废止”或“失效”"), "{}", refused.body);
    let refused = save("reg-4", &repeal, "废止", &first, "行政规范性文件");
    assert!(refused.status == 422 && refused.body.contains(&format!("废止日期 {first} 早于成文日期 {repeal}")), "{}", refused.body);

    // 行政许可, 处罚, 强制: the demo's monthly figures of the year, counted here from the file.
    let decided = |kind: &str| -> u64 {
        months.iter().filter(|m| m["month"].as_str().unwrap().starts_with(&format!("{year}-"))).map(|m| m["counts"][kind].as_u64().unwrap_or(0)).sum()
    };
    // The last row is the 收费, none entered yet.
    let expected = vec![vec![0, 0, 0], vec![2, 1, 1], vec![decided("许可")], vec![decided("处罚")], vec![decided("强制")], vec![0]];
    assert!(expected[2..5].iter().flatten().any(|n| *n > 0), "the demo has decisions in {year}");
    let page = staff.get(&format!("/staff/report?year={year}")).body;
    assert_eq!(published_counts(&page), expected, "{page}");

    // The 收费 is entered in 万元, to four places.
    let fee = |typed: &str| staff.post("/staff/report/fee", &[("csrf", &csrf), ("year", &year.to_string()), ("fee", typed)]);
    let refused = fee("1.23456");
    assert!(refused.status == 422 && refused.body.contains("收费金额：“1.23456”不是以万元为单位、最多四位小数的金额"), "{}", refused.body);
    let saved = fee("12.5");
    assert_eq!(saved.status, 200);
    assert!(saved.body.contains("<td colspan=\"3\" id=\"fees\">12.5</td>"), "{}", saved.body);
    assert!(staff.get("/staff/audit").body.contains(&format!("年度报告 {year} 年行政事业性收费：12.5 万元")));

    // The XLSX's first sheet holds the same, in merged cells.
    let download = staff.get(&format!("/staff/report.xlsx?year={year}"));
    use calamine::{DataType, Reader, Xlsx};
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(download.bytes.clone())).unwrap();
    assert_eq!(workbook.sheet_names()[0], PUBLISHED_SHEET);
    let sheet = workbook.worksheet_range(PUBLISHED_SHEET).unwrap();
    let number = |row: u32, column: u32| sheet.get_value((row, column)).and_then(|v| v.as_f64()).unwrap();
    assert_eq!((number(4, 1), number(4, 2), number(4, 3)), (2.0, 1.0, 1.0), "行政规范性文件");
    assert_eq!((number(7, 1), number(10, 1), number(11, 1)), (expected[2][0] as f64, expected[3][0] as f64, expected[4][0] as f64));
    assert_eq!(number(14, 1), 12.5);
    assert_eq!(sheet.get_value((14, 0)).map(|v| v.to_string()), Some("行政事业性收费".into()));
    let merged = workbook.merge_cells_by_sheet_name(PUBLISHED_SHEET).unwrap();
    assert!(merged.iter().any(|m| m.start == (14, 1) && m.end == (14, 3)), "the amount spans three columns");
}
