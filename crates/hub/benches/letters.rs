//! One 文书 as a PDF: each letter of an application that went through every step (补正,
//! 延期, a third party, a reply), filled in from the stored case with the shipped wording and
//! written with the shipped font subset, against the budget of 100 ms a letter.
//!
//!     cargo bench -p gongkai-hub --bench letters

use std::time::Instant;

use chrono::NaiveDate;
use gongkai_core::{config::assets_dir, print::pdf::Fonts};
use gongkai_hub::{
    letters::{self, Letter, Office, templates::Templates},
    organs::Organs,
    submissions::{
        calendar::WorkCalendar,
        channel::Channel,
        form::{Entry, Fields, Kind},
        outcome::Outcome,
        store::{NewSubmission, SqliteStore, Store},
        workflow::Action,
    },
};
use gongkai_testkit::budget;

const RUNS: usize = 50;

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let store = SqliteStore::open(&dir.path().join("submissions.db")).expect("database");
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 3, d).expect("date");
    let entry = |name: &str, value: &str| Entry { name: name.into(), label: String::new(), value: value.into() };
    let fields = vec![
        entry("applicant_type", "自然人"),
        entry("name", "陈美玲"),
        entry("info_title", "2025年老旧小区改造项目清单"),
        entry("info_description", &"包括各街道项目名称、改造内容、资金来源和完成时间。".repeat(20)),
    ];
    let new = NewSubmission {
        key: "0".repeat(64),
        kind: Kind::Apply,
        subject: None,
        fields: Fields(fields),
        kiosk: None,
        origin_note: None,
        submitted_at: 0,
        received_on: day(2),
        channel: Channel::Online,
        organ: "main".into(),
    };
    let id = store.submit(new).expect("stored").id;
    let steps = [
        Action::Accept { confirmed_on: None },
        Action::RequestCorrection { note: "请说明所需清单的街道范围".into(), on: day(3), until: day(24) },
        Action::CorrectionReceived { on: day(5) },
        Action::Extend { reason: "需调取历年档案".into(), on: day(20) },
        Action::ThirdPartyStarted { on: day(23), party: "云溪物业管理有限公司".into(), until: day(31), organ: false },
        Action::ThirdPartyAnswered { on: day(25), lapsed: false, organ: false },
        Action::Reply { outcome: Some(Outcome::PartlyDisclosed), on: day(30), text: "清单见附件；施工单位报价涉及商业秘密，不予公开。".repeat(5), competent: None },
    ];
    let mut submission = None;
    for (version, step) in steps.iter().enumerate() {
        submission = Some(store.act(id, version as i64 + 1, "bench", step).expect("step"));
    }
    let submission = submission.expect("the case");
    let (templates, calendar) = (Templates::builtin(), WorkCalendar::builtin());
    let organs = Organs::single(&templates.issuer);
    let office = Office { templates: &templates, calendar: &calendar, organs: &organs };

    let started = Instant::now();
    let fonts = Fonts::load(&assets_dir()).expect("the shipped font");
    let first = Letter::available(&submission)[0];
    letters::render(first, &submission, &office, &fonts, day(31)).expect("sent").expect("written");
    println!("first letter, the font mapped too: {:.1} ms", started.elapsed().as_secs_f64() * 1000.0);

    let mut slowest = 0.0_f64;
    for letter in Letter::available(&submission) {
        let mut times = Vec::with_capacity(RUNS);
        let mut bytes = 0;
        for _ in 0..RUNS {
            let started = Instant::now();
            let pdf = letters::render(letter, &submission, &office, &fonts, day(31)).expect("sent").expect("written");
            times.push(started.elapsed().as_secs_f64());
            bytes = pdf.bytes.len();
        }
        times.sort_by(f64::total_cmp);
        let (median, worst) = (times[RUNS / 2], times[RUNS - 1]);
        slowest = slowest.max(median);
        println!("{:<16} {:>6.1} ms median, {:>6.1} ms slowest of {RUNS}, {:>6} bytes", letter.slug(), median * 1000.0, worst * 1000.0, bytes);
    }
    budget::at_most("one 文书 PDF (slowest median)", slowest * 1000.0, 100.0, "ms");
}
