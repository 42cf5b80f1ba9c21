//! The annual report over a year of N applications (default 10^5), stored as the hub stores
//! them (concurrent submissions, group-committed; each answered or withdrawn through the
//! workflow, or left open), with a content workspace of 10^5 synthetic documents (one in ten a
//! 行政规范性文件, one in a hundred a 规章) for section 二: the report's page and its XLSX over
//! HTTP on 127.0.0.1 with a signed-in session, against the budget of 1 s.
//!
//!     cargo bench -p gongkai-hub --bench annual_report [-- N]

use std::{sync::Arc, time::Instant};

use chrono::{Duration, NaiveDate};
use gongkai_core::content::{check::CheckOptions, workspace::read_bundle};
use gongkai_hub::{
    self as hub,
    submissions::{
        channel::Channel,
        fees::Basis,
        form::{Entry, Fields, Kind},
        outcome::Outcome,
        store::{NewSubmission, SqliteStore, Store},
        workflow::Action,
    },
};
use gongkai_testkit::{budget, hub::{http, sign_in}};

const FILLERS: usize = 8;
const PASSWORD: &str = "correct horse battery";
const YEAR: i32 = 2025;
const WORKSPACE_DOCUMENTS: usize = 100_000;

fn main() {
    let cases: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temporary folder");
    let data = dir.path().join("hub");
    std::fs::create_dir_all(&data).expect("data folder");
    let started = Instant::now();
    fill(&data.join("submissions.db"), cases);
    println!("{cases} applications received in {YEAR} stored and handled in {:.1} s", started.elapsed().as_secs_f64());
    let bundle = gongkai_testkit::synthetic_bundle(dir.path(), WORKSPACE_DOCUMENTS);
    let (items, files) = read_bundle(&bundle, &CheckOptions::at_local_now()).expect("a clean bundle");
    SqliteStore::open(&data.join("submissions.db")).expect("database").workspace_replace(items, files, "bench", 0).expect("workspace");

    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    runtime.spawn(hub::serve(listener, hub::Hub::open(&data, hub::HubConfig::default()).expect("hub")));
    let session = [("Cookie", sign_in(&url, "bench", PASSWORD))];
    let mut slowest = 0.0_f64;
    for (what, path) in [("page", format!("/staff/report?year={YEAR}")), ("XLSX", format!("/staff/report.xlsx?year={YEAR}"))] {
        let mut times = Vec::new();
        for _ in 0..10 {
            let started = Instant::now();
            let answer = http(&url, "GET", &path, &session, b"");
            times.push(started.elapsed().as_secs_f64());
            assert_eq!(answer.status, 200, "{what}");
            if what == "page" {
                assert!(answer.body.contains("勾稽关系成立"), "the generated year balances");
                let none = "<td class=\"item\">行政规范性文件</td><td>0</td><td>0</td><td>0</td>";
                assert!(answer.body.contains("<td class=\"item\">行政规范性文件</td>") && !answer.body.contains(none), "section 二 counts the workspace");
            }
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        slowest = slowest.max(median);
        println!("annual report of {YEAR}, {what}: {:.1} ms median of 10", median * 1000.0);
    }
    budget::at_most("annual report over a year of 10^5 cases", slowest, 1.0, "s");
}

/// Stores `cases` applications received through the year, in every column, each answered
/// with one of the outcomes a month later, withdrawn, or left open.
fn fill(database: &std::path::Path, cases: usize) {
    let store = Arc::new(SqliteStore::open(database).expect("database"));
    let first = NaiveDate::from_ymd_opt(YEAR, 1, 1).expect("date");
    let applicants = [("自然人", None), ("法人或其他组织", Some("商业企业")), ("法人或其他组织", Some("法律服务机构"))];
    let threads: Vec<_> = (0..FILLERS)
        .map(|filler| {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                for n in (filler..cases).step_by(FILLERS) {
                    let (applicant, organisation) = applicants[n % applicants.len()];
                    let entry = |name: &str, value: &str| Entry { name: name.into(), label: String::new(), value: value.into() };
                    let fields = [Some(entry("applicant_type", applicant)), organisation.map(|o| entry("organisation_type", o))];
                    let received_on = first + Duration::days((n % 365) as i64);
                    let new = NewSubmission {
                        key: format!("{n:064x}"),
                        kind: Kind::Apply,
                        subject: None,
                        fields: Fields(fields.into_iter().flatten().collect()),
                        kiosk: None,
                        origin_note: None,
                        submitted_at: 0,
                        received_on,
                        channel: Channel::Online,
                        organ: "main".into(),
                    };
                    let id = store.submit(new).expect("stored").id;
                    let on = received_on + Duration::days(30);
                    let mut version = 1;
                    let action = match n % (Outcome::ALL.len() + 2) {
                        i if Outcome::ALL.get(i) == Some(&Outcome::CorrectionOverdue) => {
                            store.act(id, version, "bench", &Action::RequestCorrection { note: "请补正".into(), on: received_on, until: received_on + Duration::days(1) }).expect("补正");
                            version += 1;
                            Action::CorrectionOverdue { on, text: "逾期未补正".into() }
                        }
                        i if Outcome::ALL.get(i) == Some(&Outcome::FeeOverdue) => {
                            let until = received_on + Duration::days(1);
                            store.act(id, version, "bench", &Action::Accept { confirmed_on: None }).expect("受理");
                            let notice = Action::NotifyFee { on: received_on, basis: Basis::Pages, units: 100, until };
                            store.act(id, version + 1, "bench", &notice).expect("收费通知");
                            version += 2;
                            Action::FeeOverdue { on, text: "逾期未缴费".into() }
                        }
                        i if i < Outcome::ALL.len() => Action::Reply { outcome: Some(Outcome::ALL[i]), on, text: "答复".into(), competent: None },
                        i if i == Outcome::ALL.len() => Action::Withdraw { note: "申请人撤回".into(), on },
                        _ => continue,
                    };
                    store.act(id, version, "bench", &action).expect("handled");
                }
            })
        })
        .collect();
    threads.into_iter().for_each(|t| t.join().expect("filler"));
    store.add_staff("bench", "测试", &hub::hash_password(PASSWORD).expect("hash"), Default::default(), "", "bench").expect("staff");
}
