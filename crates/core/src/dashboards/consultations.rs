//! 意见征集: the open consultations, each with a QR code to comment from a phone, and what
//! earlier ones received and adopted.

use chrono::NaiveDate;

use super::chart::{Chart, ConsultationCard, Dashboard, Item, Kpi, Panel};
use crate::{
    content::model::ConsultationStatus,
    library::Library,
    number_format,
};

pub fn dashboard(library: &Library, today: NaiveDate) -> Dashboard {
    let all = &library.content.consultations;
    let mut open: Vec<_> = all.iter().filter(|c| c.status_on(today) == ConsultationStatus::Open).collect();
    open.sort_by_key(|c| c.close_on);
    let concluded: Vec<_> = all.iter().filter_map(|c| c.feedback.as_ref().map(|f| (c, f))).collect();
    let received: u64 = concluded.iter().map(|(_, f)| u64::from(f.received)).sum();
    let adopted: u64 = concluded.iter().map(|(_, f)| u64::from(f.adopted)).sum();
    let kpis = vec![
        Kpi::new("正在征集", number_format::grouped(open.len() as u64), "项"),
        Kpi::new("已收到意见", number_format::grouped(received), "条"),
        Kpi::new("已采纳", number_format::grouped(adopted), "条"),
    ];
    let cards = open
        .iter()
        .map(|c| ConsultationCard {
            id: c.id.clone(),
            title: c.title.clone(),
            caption: format!("{} 截止 · 扫码提意见", c.close_on.format("%-m月%-d日")),
        })
        .collect();
    let mut panels = vec![Panel { title: "正在征集意见，欢迎扫码参与".into(), chart: Chart::Consultations(cards) }];
    if !concluded.is_empty() {
        panels.push(Panel {
            title: "意见采纳情况".into(),
            chart: Chart::Items(
                concluded
                    .iter()
                    .map(|(c, f)| Item {
                        title: c.title.clone(),
                        meta: format!("收到意见 {} 条，采纳 {} 条 · {}", f.received, f.adopted, library.department_name(&c.department)),
                    })
                    .collect(),
            ),
        });
    }
    Dashboard { title: "意见征集".into(), kpis, panels }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboards::tests::demo;

    #[test]
    fn only_open_consultations_get_a_code() {
        let library = demo();
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let page = dashboard(&library, today);
        let open = library.content.consultations.iter().filter(|c| c.open_on <= today && today <= c.close_on).count();
        assert!(open > 0, "the demo has an open consultation");
        let Chart::Consultations(cards) = &page.panels[0].chart else { panic!() };
        assert_eq!(cards.len(), open);
        let far_future = NaiveDate::from_ymd_opt(2099, 1, 1).unwrap();
        let Chart::Consultations(cards) = &dashboard(&library, far_future).panels[0].chart else { panic!() };
        assert!(cards.is_empty());
    }
}
