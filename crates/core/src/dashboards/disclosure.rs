//! 政务公开现状: 主动公开 by year and kind, 依申请公开 received and answered, and the 纠错率
//! of the reviews and lawsuits about disclosure.

use super::chart::{BarDirection, Chart, Dashboard, Kpi, Panel, Series, Slice};
use crate::{content::model::DisclosureYear, number_format};

pub fn dashboard(years: &[DisclosureYear]) -> Dashboard {
    let mut years: Vec<&DisclosureYear> = years.iter().collect();
    years.sort_by_key(|y| y.year);
    let title = "政务公开现状".to_string();
    let Some(latest) = years.last().copied() else {
        return Dashboard { title, kpis: Vec::new(), panels: vec![no_figures()] };
    };
    let proactive_total = |y: &DisclosureYear| y.proactive.iter().map(|k| u64::from(k.count)).sum::<u64>();
    let year_label = |y: &DisclosureYear| format!("{}年", y.year);
    let correction = correction_rate(latest);
    let kpis = vec![
        Kpi::new(&format!("{}年主动公开", latest.year), number_format::compact(proactive_total(latest)), "条"),
        Kpi::new("依申请公开新收", number_format::grouped(latest.requests.received.into()), "件"),
        Kpi::new("已办结答复", number_format::grouped(latest.requests.answered().into()), "件"),
        Kpi::new("复议诉讼纠错率", correction.map_or("—".into(), |r| format!("{:.1}", r * 100.0)), "%"),
    ];
    let mut by_kind: Vec<Slice> =
        latest.proactive.iter().filter(|k| k.count > 0).map(|k| Slice::count(k.kind.as_str(), k.count.into())).collect();
    by_kind.sort_by(|a, b| b.value.total_cmp(&a.value));
    by_kind.truncate(6);
    let outcomes: Vec<Slice> =
        latest.requests.outcomes.iter().filter(|o| o.count > 0).map(|o| Slice::count(o.kind.as_str(), o.count.into())).collect();
    let panels = vec![
        Panel {
            title: "主动公开（条）".into(),
            chart: Chart::Bars {
                direction: BarDirection::Vertical,
                bars: years.iter().map(|y| Slice::count(year_label(y), proactive_total(y))).collect(),
            },
        },
        Panel {
            title: format!("{}年依申请公开答复结果（件）", latest.year),
            chart: Chart::Donut { centre: number_format::grouped(latest.requests.answered().into()), slices: outcomes },
        },
        Panel {
            title: format!("{}年主动公开分类（条）", latest.year),
            chart: Chart::Bars { direction: BarDirection::Horizontal, bars: by_kind },
        },
        Panel {
            title: "依申请公开（件）".into(),
            chart: Chart::Line {
                x_labels: years.iter().map(|y| y.year.to_string()).collect(),
                series: vec![
                    Series { name: "新收申请".into(), values: years.iter().map(|y| y.requests.received.into()).collect() },
                    Series { name: "办结答复".into(), values: years.iter().map(|y| y.requests.answered().into()).collect() },
                ],
            },
        },
        Panel {
            title: "复议诉讼纠错率".into(),
            chart: Chart::Ring {
                ratio: correction.unwrap_or(0.0),
                caption: format!("{}年 被纠错 {} 件", latest.year, latest.reviews.corrected + latest.lawsuits.corrected),
            },
        },
    ];
    Dashboard { title, kpis, panels }
}

/// Of the reviews and lawsuits about disclosure that were concluded, the share corrected.
fn correction_rate(year: &DisclosureYear) -> Option<f64> {
    let concluded = |r: &crate::content::model::ReviewStats| r.total() - r.pending;
    let decided = concluded(&year.reviews) + concluded(&year.lawsuits);
    (decided > 0).then(|| f64::from(year.reviews.corrected + year.lawsuits.corrected) / f64::from(decided))
}

/// A page for a bundle without the figures: says so instead of drawing empty axes.
pub(super) fn no_figures() -> Panel {
    Panel { title: "暂无数据".into(), chart: Chart::Items(Vec::new()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboards::tests::demo;

    #[test]
    fn the_latest_year_leads_and_the_correction_rate_counts_concluded_cases() {
        let library = demo();
        let page = dashboard(&library.content.disclosure_stats);
        // 2025: reviews 13+3+2 concluded, lawsuits 7+1+1 concluded, 4 corrected.
        assert_eq!(page.kpis[3].value, "14.8");
        assert_eq!(page.kpis[1].value, "464");
        let Chart::Bars { bars, .. } = &page.panels[0].chart else { panic!("{:?}", page.panels[0]) };
        assert_eq!(bars.len(), 5);
        assert_eq!(bars[0].label, "2021年");
        let Chart::Donut { slices, centre } = &page.panels[1].chart else { panic!() };
        assert_eq!(slices.iter().map(|s| s.value).sum::<f64>(), 473.0);
        assert_eq!(centre, "473");
    }

    #[test]
    fn no_years_is_said_plainly() {
        let page = dashboard(&[]);
        assert_eq!(page.panels[0].title, "暂无数据");
    }
}
