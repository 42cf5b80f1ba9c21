//! 行政权力运行结果: 许可 and 处罚 per month and per department, the on-time rate and the
//! satisfaction of the latest month.

use std::collections::BTreeMap;

use super::chart::{Chart, Dashboard, Group, Kpi, Panel, Series};
use crate::{
    content::model::{AdminKind, DepartmentMonth},
    library::Library,
    number_format,
};

pub fn dashboard(library: &Library) -> Dashboard {
    let monthly = &library.content.admin_results.monthly;
    let months: Vec<&str> = {
        let mut months: Vec<&str> = monthly.iter().map(|m| m.month.as_str()).collect();
        months.sort_unstable();
        months.dedup();
        months
    };
    let count = |m: &DepartmentMonth, kind| u64::from(m.counts.get(&kind).copied().unwrap_or(0));
    let per_month = |kind| -> Vec<f64> {
        months.iter().map(|month| monthly.iter().filter(|m| m.month == *month).map(|m| count(m, kind) as f64).sum()).collect()
    };
    let latest: Vec<&DepartmentMonth> = months.last().map_or(Vec::new(), |last| monthly.iter().filter(|m| m.month == *last).collect());
    let average = |rows: &[&DepartmentMonth], field: fn(&DepartmentMonth) -> f32| {
        if rows.is_empty() { f64::NAN } else { rows.iter().map(|m| f64::from(field(m))).sum::<f64>() / rows.len() as f64 }
    };
    let latest_total = |kind| latest.iter().map(|m| count(m, kind)).sum::<u64>();
    let on_time = average(&latest, |m| m.on_time_rate);
    let satisfaction = average(&latest, |m| m.satisfaction);
    let month_label = months.last().map_or(String::new(), |m| month_name(m));
    let kpis = vec![
        Kpi::new(&format!("{month_label}行政许可"), number_format::grouped(latest_total(AdminKind::Licensing)), "件"),
        Kpi::new(&format!("{month_label}行政处罚"), number_format::grouped(latest_total(AdminKind::Penalty)), "件"),
        Kpi::new("按时办结率", one_decimal(on_time), "%"),
        Kpi::new("群众满意度", one_decimal(satisfaction), "%"),
    ];

    // Per department over the whole period: 许可, 处罚, the other kinds.
    let mut by_department: BTreeMap<&str, [f64; 3]> = BTreeMap::new();
    let mut rates: BTreeMap<&str, Vec<&DepartmentMonth>> = BTreeMap::new();
    for m in monthly {
        let totals = by_department.entry(&m.department).or_default();
        for (kind, n) in &m.counts {
            let slot = match kind {
                AdminKind::Licensing => 0,
                AdminKind::Penalty => 1,
                _ => 2,
            };
            totals[slot] += f64::from(*n);
        }
        rates.entry(&m.department).or_default().push(m);
    }
    let mut departments: Vec<(&str, [f64; 3])> = by_department.into_iter().collect();
    departments.sort_by(|a, b| b.1.iter().sum::<f64>().total_cmp(&a.1.iter().sum::<f64>()));
    let ranking = departments
        .iter()
        .enumerate()
        .map(|(i, (id, totals))| {
            let rows = &rates[id];
            vec![
                format!("{}", i + 1),
                short_department(library.department_name(id)),
                number_format::grouped(totals.iter().sum::<f64>() as u64),
                format!("{}%", one_decimal(average(rows, |m| m.on_time_rate))),
                format!("{}%", one_decimal(average(rows, |m| m.satisfaction))),
            ]
        })
        .collect();
    let panels = vec![
        Panel {
            title: "许可、处罚月度趋势（件）".into(),
            chart: Chart::Line {
                x_labels: months.iter().map(|m| month_name(m)).collect(),
                series: vec![
                    Series { name: "行政许可".into(), values: per_month(AdminKind::Licensing) },
                    Series { name: "行政处罚".into(), values: per_month(AdminKind::Penalty) },
                ],
            },
        },
        Panel {
            title: "各部门办理情况（件）".into(),
            chart: Chart::Stacked {
                series: vec!["许可".into(), "处罚".into(), "其他".into()],
                groups: departments
                    .iter()
                    .take(6)
                    .map(|(id, totals)| Group { label: short_department(library.department_name(id)), values: totals.to_vec() })
                    .collect(),
            },
        },
        Panel {
            title: "部门排名".into(),
            chart: Chart::Ranking {
                columns: ["名次", "部门", "办件", "按时办结", "满意度"].map(String::from).to_vec(),
                rows: ranking,
            },
        },
        Panel {
            title: format!("{month_label}群众满意度"),
            chart: Chart::Ring { ratio: satisfaction / 100.0, caption: format!("{} 个部门平均", latest.len()) },
        },
    ];
    Dashboard { title: "行政权力运行结果".into(), kpis, panels }
}

/// `2026-11` → `11月`; the year is in the page's context.
fn month_name(month: &str) -> String {
    month.split_once('-').and_then(|(_, m)| m.parse::<u32>().ok()).map_or_else(|| month.to_string(), |m| format!("{m}月"))
}

fn one_decimal(value: f64) -> String {
    if value.is_finite() { format!("{value:.1}") } else { "—".into() }
}

/// `云溪区市场监督管理局` → `市场监督管理局`: the district is the same for every bar.
fn short_department(name: &str) -> String {
    name.split_once('区').map_or(name, |(_, rest)| if rest.is_empty() { name } else { rest }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboards::tests::demo;

    #[test]
    fn months_add_up_and_departments_rank_by_total() {
        let library = demo();
        let page = dashboard(&library);
        let Chart::Line { x_labels, series } = &page.panels[0].chart else { panic!() };
        assert_eq!(x_labels.len(), 12);
        assert_eq!(x_labels[0], "12月");
        let licensing_total: u64 = library.content.admin_results.monthly.iter().map(|m| u64::from(m.counts.get(&AdminKind::Licensing).copied().unwrap_or(0))).sum();
        assert_eq!(series[0].values.iter().sum::<f64>() as u64, licensing_total);
        let Chart::Ranking { rows, .. } = &page.panels[2].chart else { panic!() };
        assert_eq!(rows.len(), 10);
        let totals: Vec<u64> = rows.iter().map(|r| r[2].replace(',', "").parse().unwrap()).collect();
        assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");
        assert_eq!(month_name("2026-03"), "3月");
        assert_eq!(short_department("云溪区市场监督管理局"), "市场监督管理局");
    }
}
