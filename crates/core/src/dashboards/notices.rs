//! 通知公告: the notices current now, newest first; also the wall's ticker.

use chrono::NaiveDateTime;

use super::chart::{Chart, Dashboard, Item, Kpi, Panel};
use crate::{
    content::model::{Notice, NoticeLevel},
    number_format,
};

/// Notices published and not expired at `now`, newest first.
pub fn current(notices: &[Notice], now: NaiveDateTime) -> impl Iterator<Item = &Notice> {
    let mut shown: Vec<&Notice> = notices.iter().filter(|n| n.is_active_at(now)).collect();
    shown.sort_by(|a, b| b.published_at.cmp(&a.published_at));
    shown.into_iter()
}

pub fn dashboard(notices: &[Notice], now: NaiveDateTime) -> Dashboard {
    let shown: Vec<&Notice> = current(notices, now).collect();
    let items = shown
        .iter()
        .map(|n| Item {
            title: n.display_title(),
            meta: format!("{} · {}", n.issuer, n.published_at.format("%Y年%-m月%-d日")),
        })
        .collect();
    Dashboard {
        title: "通知公告".into(),
        kpis: vec![Kpi::new("现行通知公告", number_format::grouped(shown.len() as u64), "条")],
        panels: vec![Panel { title: "最新通知公告".into(), chart: Chart::Items(items) }],
    }
}

/// The urgent notice that takes over a wall at `now`: the newest current 紧急 one.
pub fn urgent(notices: &[Notice], now: NaiveDateTime) -> Option<&Notice> {
    current(notices, now).find(|n| n.level == NoticeLevel::Urgent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboards::tests::{at, demo};

    #[test]
    fn expired_notices_leave_and_an_urgent_one_takes_over_until_it_expires() {
        let library = demo();
        let notices = &library.content.notices;
        let urgent_one = notices.iter().find(|n| n.level == NoticeLevel::Urgent).unwrap();
        let during = urgent_one.published_at + chrono::Duration::minutes(1);
        assert_eq!(urgent(notices, during).map(|n| &n.id), Some(&urgent_one.id));
        let after = urgent_one.expires_at.unwrap();
        assert!(urgent(notices, after).is_none(), "gone the moment it expires");
        let page = dashboard(notices, at("2026-11-22T10:00"));
        let Chart::Items(items) = &page.panels[0].chart else { panic!() };
        assert!(items.iter().all(|i| !i.title.contains("紧急")));
        assert!(current(notices, at("2026-11-22T10:00")).all(|n| n.is_active_at(at("2026-11-22T10:00"))));
    }
}
