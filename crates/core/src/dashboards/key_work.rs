//! 重点工作完成情况: overall progress, progress by category, tasks by status, and the delayed
//! (滞后) tasks named with their lead department.

use std::collections::BTreeMap;

use super::chart::{BarDirection, Chart, Dashboard, Kpi, Panel, Slice};
use crate::{content::model::{KeyWorkStatus, label_of}, library::Library, number_format};

pub fn dashboard(library: &Library) -> Dashboard {
    let tasks = &library.content.key_work;
    let count = |status| tasks.iter().filter(|t| t.status == status).count() as u64;
    let overall = if tasks.is_empty() { 0.0 } else { tasks.iter().map(|t| f64::from(t.progress)).sum::<f64>() / tasks.len() as f64 };
    let kpis = vec![
        Kpi::new("重点工作", number_format::grouped(tasks.len() as u64), "项"),
        Kpi::new("总体进度", format!("{overall:.1}"), "%"),
        Kpi::new("已完成", number_format::grouped(count(KeyWorkStatus::Done)), "项"),
        Kpi::new("滞后", number_format::grouped(count(KeyWorkStatus::Delayed)), "项"),
    ];
    let mut by_category: BTreeMap<&str, (f64, usize)> = BTreeMap::new();
    for task in tasks {
        let entry = by_category.entry(&task.category).or_default();
        entry.0 += f64::from(task.progress);
        entry.1 += 1;
    }
    let statuses = [KeyWorkStatus::Done, KeyWorkStatus::InProgress, KeyWorkStatus::NotStarted, KeyWorkStatus::Delayed];
    let delayed: Vec<Vec<String>> = tasks
        .iter()
        .filter(|t| t.status == KeyWorkStatus::Delayed)
        .map(|t| vec![t.title.clone(), library.department_name(&t.lead).to_string(), number_format::percent(f64::from(t.progress) / 100.0, 0)])
        .collect();
    let panels = vec![
        Panel {
            title: "总体完成进度".into(),
            chart: Chart::Ring { ratio: overall / 100.0, caption: format!("{} 项重点工作平均进度", tasks.len()) },
        },
        Panel {
            title: "分类推进情况".into(),
            chart: Chart::Bars {
                direction: BarDirection::Horizontal,
                bars: by_category.into_iter().map(|(name, (sum, n))| Slice::percent(format!("{name}（{n}项）"), sum / n as f64)).collect(),
            },
        },
        Panel {
            title: "滞后事项".into(),
            chart: Chart::Ranking { columns: vec!["事项".into(), "牵头单位".into(), "进度".into()], rows: delayed },
        },
        Panel {
            title: "任务状态（项）".into(),
            chart: Chart::Donut {
                centre: format!("{}项", tasks.len()),
                slices: statuses.into_iter().map(|s| Slice::count(label_of(&s), count(s))).filter(|s| s.value > 0.0).collect(),
            },
        },
    ];
    Dashboard { title: "重点工作完成情况".into(), kpis, panels }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboards::tests::demo;

    #[test]
    fn delayed_tasks_are_named_with_their_lead() {
        let library = demo();
        let page = dashboard(&library);
        let delayed = library.content.key_work.iter().filter(|t| t.status == KeyWorkStatus::Delayed).count();
        assert_eq!(page.kpis[3].value, delayed.to_string());
        let Chart::Ranking { rows, .. } = &page.panels[2].chart else { panic!() };
        assert_eq!(rows.len(), delayed);
        let leads: Vec<&str> = library.content.key_work.iter().filter(|t| t.status == KeyWorkStatus::Delayed).map(|t| t.lead.as_str()).collect();
        for (row, lead) in rows.iter().zip(leads) {
            assert_ne!(row[1], lead, "the department's name, not its id");
        }
        let Chart::Donut { slices, .. } = &page.panels[3].chart else { panic!() };
        assert_eq!(slices.iter().map(|s| s.value).sum::<f64>(), library.content.key_work.len() as f64);
        let Chart::Bars { bars, .. } = &page.panels[1].chart else { panic!() };
        assert_eq!(bars.len(), 4);
        assert!(bars.iter().all(|b| (0.0..=100.0).contains(&b.value)));
    }
}
