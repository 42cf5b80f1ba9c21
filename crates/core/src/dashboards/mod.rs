//! What the 数据看板 and the LED wall pages show, counted from the content model into chart
//! data. Plain Rust: the screens only draw what is built here, so every figure is tested
//! without a window.

mod admin_results;
mod chart;
mod community;
mod consultations;
mod disclosure;
mod key_work;
mod notices;

use chrono::NaiveDateTime;

pub use notices::current as current_notices;
pub use chart::{BarDirection, Chart, ConsultationCard, Dashboard, Group, Item, Kpi, Panel, Series, Slice, axis_ticks};

use crate::library::Library;

/// The pages a wall can show; the first three are also the kiosk's 数据看板 tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DashboardKind {
    /// 政务公开现状.
    Disclosure,
    /// 重点工作完成情况.
    KeyWork,
    /// 行政权力运行结果.
    AdminResults,
    /// 意见征集, with a QR code for each open consultation.
    Consultations,
    /// 通知公告.
    Notices,
    /// 居(村)务公开 of one community.
    Community,
}

impl DashboardKind {
    pub const ALL: [DashboardKind; 6] =
        [Self::Disclosure, Self::KeyWork, Self::AdminResults, Self::Consultations, Self::Notices, Self::Community];

    /// The name in configs and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Disclosure => "disclosure",
            Self::KeyWork => "key-work",
            Self::AdminResults => "admin-results",
            Self::Consultations => "consultations",
            Self::Notices => "notices",
            Self::Community => "community",
        }
    }

    /// The page's name in Chinese, as proof of play reports it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Disclosure => "政务公开统计",
            Self::KeyWork => "重点工作进展",
            Self::AdminResults => "行政权力运行结果",
            Self::Consultations => "意见征集",
            Self::Notices => "通知公告",
            Self::Community => "居(村)务公开",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

/// What a page depends on besides the content.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// Hall local time: which consultations are open, which notices current.
    pub now: NaiveDateTime,
    /// The community a 居务公开 page shows (its id); the first one when not given.
    pub community: Option<&'a str>,
}

pub fn build(kind: DashboardKind, library: &Library, context: &Context) -> Dashboard {
    let content = &library.content;
    match kind {
        DashboardKind::Disclosure => disclosure::dashboard(&content.disclosure_stats),
        DashboardKind::KeyWork => key_work::dashboard(library),
        DashboardKind::AdminResults => admin_results::dashboard(library),
        DashboardKind::Consultations => consultations::dashboard(library, context.now.date()),
        DashboardKind::Notices => notices::dashboard(&content.notices, context.now),
        DashboardKind::Community => community::dashboard(&content.communities, context.community),
    }
}

/// The 通知公告 titles current at `now`, newest first, for the ticker.
pub fn ticker_lines(library: &Library, now: NaiveDateTime) -> Vec<String> {
    notices::current(&library.content.notices, now).map(|n| n.title.clone()).collect()
}

/// The 紧急 notice that takes over a wall at `now`, if any.
pub fn urgent_notice(library: &Library, now: NaiveDateTime) -> Option<&crate::content::model::Notice> {
    notices::urgent(&library.content.notices, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::check::{CheckOptions, check_bundle};

    pub(super) fn demo() -> Library {
        let folder = std::path::Path::new(crate::config::SOURCE_TREE_ASSETS).join("demo");
        let checked = check_bundle(&folder, &CheckOptions::at_local_now());
        assert!(checked.is_clean(), "{:?}", checked.problems);
        Library::new(checked.content, folder)
    }

    pub(super) fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").unwrap()
    }

    #[test]
    fn every_page_of_the_demo_has_figures() {
        let library = demo();
        let context = Context { now: at("2026-11-22T10:00"), community: None };
        for kind in DashboardKind::ALL {
            let page = build(kind, &library, &context);
            assert!(!page.title.is_empty(), "{kind:?}");
            assert!(!page.panels.is_empty(), "{kind:?} has panels");
            assert_eq!(DashboardKind::from_name(kind.name()), Some(kind));
        }
    }
}
