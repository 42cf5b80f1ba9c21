//! 居(村)务公开 for a community screen: this period's income and spending, and the latest
//! decisions and 惠民政策.

use super::chart::{BarDirection, Chart, Dashboard, Item, Kpi, Panel, Slice};
use crate::{content::model::{Community, MoneyFlow}, number_format::yuan};

pub fn dashboard(communities: &[Community], wanted: Option<&str>) -> Dashboard {
    let Some(community) = wanted.and_then(|id| communities.iter().find(|c| c.id == id)).or(communities.first()) else {
        return Dashboard { title: "居(村)务公开".into(), kpis: Vec::new(), panels: vec![super::disclosure::no_figures()] };
    };
    let kind = community.affairs_label();
    let mut kpis = Vec::new();
    let mut panels = Vec::new();
    if let Some(report) = community.finance.last() {
        kpis.push(Kpi::new(&format!("{}收入", report.period), yuan(report.total(MoneyFlow::Income)), "元"));
        kpis.push(Kpi::new(&format!("{}支出", report.period), yuan(report.total(MoneyFlow::Expense)), "元"));
        let bars = report
            .lines
            .iter()
            .filter(|l| l.flow == MoneyFlow::Expense)
            .map(|l| Slice { label: l.subject.clone(), value: l.amount, text: format!("{} 元", yuan(l.amount)) })
            .collect();
        panels.push(Panel { title: format!("{}财务支出", report.period), chart: Chart::Bars { direction: BarDirection::Horizontal, bars } });
    }
    let posts = |list: &[crate::content::model::CommunityPost]| {
        let mut items: Vec<Item> =
            list.iter().map(|p| Item { title: p.title.clone(), meta: p.published_on.format("%Y年%-m月%-d日").to_string() }).collect();
        items.reverse();
        items
    };
    panels.push(Panel { title: kind.into(), chart: Chart::Items(posts(&community.affairs)) });
    panels.push(Panel { title: "惠民政策".into(), chart: Chart::Items(posts(&community.benefits)) });
    Dashboard { title: format!("{} · {kind}", community.name), kpis, panels }
}


#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboards::tests::demo;

    #[test]
    fn a_named_community_is_shown_and_amounts_read_as_yuan() {
        let library = demo();
        let communities = &library.content.communities;
        let last = communities.last().unwrap();
        let page = dashboard(communities, Some(&last.id));
        assert!(page.title.starts_with(&last.name), "{}", page.title);
        assert!(dashboard(communities, None).title.starts_with(&communities[0].name));
        assert_eq!(yuan(1234567.5), "1,234,567.50");
        assert_eq!(yuan(80.0), "80");
    }
}
