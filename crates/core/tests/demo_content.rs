//! The built-in demo bundle passes the checker and is large enough to exercise every screen.

use std::{collections::HashSet, path::Path};

use gongkai_core::content::{
    check::{CheckOptions, check_bundle},
    model::{ConsultationStatus, KeyWorkStatus, NoticeLevel, STANDARD_DOMAINS},
};

#[test]
fn demo_bundle_passes_the_checker_today() {
    let checked = check_bundle(Path::new(gongkai_testkit::DEMO_BUNDLE), &CheckOptions::at_local_now());
    let problems: Vec<String> = checked.problems.iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn demo_bundle_covers_every_screen() {
    let checked = check_bundle(Path::new(gongkai_testkit::DEMO_BUNDLE), &gongkai_testkit::fixed_options());
    let c = checked.content;
    assert_eq!(c.site.demo_label.as_deref(), Some("示例数据"));

    let names: Vec<&str> = c.catalogue.domains.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, STANDARD_DOMAINS.map(|(_, name)| name), "all 26 standard domains, in order");
    for domain in &c.catalogue.domains {
        assert!(domain.items.len() >= 3, "{} has {} items", domain.name, domain.items.len());
    }

    assert!(c.documents.len() >= 300, "{} documents", c.documents.len());
    assert!(c.documents.iter().all(|d| d.body.chars().count() >= 200), "documents have real bodies");
    assert!(c.interpretations.len() >= 30);
    assert!(c.interpretations.iter().filter(|i| i.is_illustrated()).count() >= 5);

    assert!(c.key_work.len() >= 40);
    let statuses: HashSet<KeyWorkStatus> = c.key_work.iter().map(|k| k.status).collect();
    assert_eq!(statuses.len(), 4, "every status appears");
    let categories: HashSet<&str> = c.key_work.iter().map(|k| k.category.as_str()).collect();
    assert!(categories.len() >= 3);

    let admin = &c.admin_results;
    assert!(admin.records.len() >= 200);
    let months_per_department = admin.monthly.iter().fold(
        std::collections::HashMap::<&str, HashSet<&str>>::new(),
        |mut map, m| {
            map.entry(m.department.as_str()).or_default().insert(m.month.as_str());
            map
        },
    );
    assert!(months_per_department.values().filter(|months| months.len() >= 12).count() >= 8);

    assert!(c.disclosure_stats.len() >= 5);
    assert!(c.service_guides.len() >= 30);
    assert_eq!(c.communities.len(), 3);

    let today = gongkai_testkit::fixed_options().now.date();
    let statuses: Vec<ConsultationStatus> = c.consultations.iter().map(|x| x.status_on(today)).collect();
    assert!(c.consultations.len() >= 6);
    assert!(statuses.contains(&ConsultationStatus::Open) && statuses.contains(&ConsultationStatus::Closed));
    assert!(c.notices.iter().any(|n| n.level == NoticeLevel::Urgent));
}

/// A screen on the demo shows a living hall in any year: the demo is checked as of its own day
/// and its notices and consultations move with the calendar (`living_demo`).
#[test]
fn the_demo_stays_alive_in_any_year() {
    for now in ["2026-11-22T12:00:00", "2027-06-01T10:00:00", "2031-02-28T23:30:00", "2045-01-01T08:00:00"] {
        let now: chrono::NaiveDateTime = now.parse().unwrap();
        let checked = check_bundle(Path::new(gongkai_testkit::DEMO_BUNDLE), &CheckOptions { now });
        assert!(checked.is_clean(), "at {now}: {:?}", checked.problems);
        let c = &checked.content;
        let statuses: Vec<ConsultationStatus> = c.consultations.iter().map(|x| x.status_on(now.date())).collect();
        assert!(statuses.contains(&ConsultationStatus::Open), "at {now}: a consultation is open: {statuses:?}");
        assert!(statuses.contains(&ConsultationStatus::Closed), "at {now}: a consultation is closed: {statuses:?}");
        assert!(c.notices.iter().any(|n| n.is_active_at(now)), "at {now}: a notice is in force");
        let written = c.documents.iter().map(|d| d.published_on).max().unwrap();
        assert!(written <= "2026-11-22".parse().unwrap(), "at {now}: documents keep their dates ({written})");
    }
}
