//! 公开目录: the standard domains → their items → one item with all its elements and the
//! documents linked to it.

use bevy::prelude::*;

use gongkai_core::{content::model::{CatalogueItem, Domain, label_of}, library::Library};
use crate::kiosk::{
    Navigation, Shown,
    navigation::{Navigate, NavigateOnTap, Route, Screen},
    printing::{PrintOnTap, Printing, print_button},
    scroll::scroll_area,
    widgets::{ButtonStyle, Ui, button, still_loading, field_row, fit, paged_list, section_heading, spawn_page},
};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Catalogue), spawn);
}

fn spawn(mut commands: Commands, shown: Res<Shown>, navigation: Res<Navigation>, printing: Option<Res<Printing>>, ui: Ui) {
    let Some(library) = shown.0.clone() else { return };
    let route = navigation.current;
    let domains = &library.content.catalogue.domains;
    match (route.domain.and_then(|d| domains.get(d)), route.open) {
        (None, _) => {
            let body = spawn_page(&mut commands, Screen::Catalogue, "公开目录", &ui);
            paged_list(&mut commands, body, &ui, route, domains.len(), 0.0, |i| {
                let domain = &domains[i];
                let linked: usize = domain.items.iter().map(|item| item.documents.len()).sum();
                let detail = format!("{} 个公开事项 · {linked} 件文件", domain.items.len());
                (domain.name.clone(), detail, NavigateOnTap(Navigate::To(Route { domain: Some(i), ..Route::to(Screen::Catalogue) })))
            });
        }
        (Some(domain), None) => {
            let body = spawn_page(&mut commands, Screen::Catalogue, &domain.name, &ui);
            paged_list(&mut commands, body, &ui, route, domain.items.len(), 0.0, |i| {
                let item = &domain.items[i];
                let detail = format!("{} · {}", item.subject, item.time_limit);
                (format!("{} · {}", item.level1, item.level2), detail, NavigateOnTap(Navigate::To(Route { open: Some(i), ..route.at_page(0) })))
            });
        }
        (Some(domain), Some(open)) => {
            let Some(item) = domain.items.get(open) else { return };
            let body = spawn_page(&mut commands, Screen::Catalogue, &domain.name, &ui);
            let print = route.domain.map(|domain| PrintOnTap::CatalogueItem { domain, item: open });
            spawn_item(&mut commands, body, &ui, &library, (domain, item), (printing.as_deref(), print));
        }
    }
}

fn spawn_item(
    commands: &mut Commands,
    body: Entity,
    ui: &Ui,
    library: &Library,
    (domain, item): (&Domain, &CatalogueItem),
    (printing, print): (Option<&Printing>, Option<PrintOnTap>),
) {
    let area = commands.spawn((ChildOf(body), scroll_area())).id();
    commands.spawn((ChildOf(area), section_heading(&format!("{} · {}", item.level1, item.level2), ui)));
    let fields = [
        ("公开领域", domain.name.clone()),
        ("公开内容", item.content.clone()),
        ("公开依据", item.basis.clone()),
        ("公开时限", item.time_limit.clone()),
        ("公开主体", item.subject.clone()),
        ("公开渠道", item.channels.join("、")),
        ("公开对象", label_of(&item.audience)),
        ("公开方式", label_of(&item.mode)),
        ("公开层级", item.levels.join("、")),
    ];
    for (name, value) in fields {
        commands.spawn((ChildOf(area), field_row(name, &value, ui)));
    }
    if let Some(print) = print {
        print_button(commands, area, ui, printing, print);
    }
    commands.spawn((ChildOf(area), section_heading(&format!("相关文件（{} 件）", item.documents.len()), ui)));
    if !library.is_complete() {
        commands.spawn((ChildOf(area), still_loading(library, ui)));
    }
    for id in &item.documents {
        let Some(index) = library.document(id) else { continue };
        let document = &library.content.documents[index];
        // Body-size text in the reading area: title and date on one button.
        let text = format!("{}（{}）", document.title, document.published_on.format("%Y-%m-%d"));
        let room = 2.0 * ui.theme.content_width() / ui.theme.body() - 4.0;
        commands.spawn((
            ChildOf(area),
            button(fit(&text, room), ui, ButtonStyle::Secondary),
            NavigateOnTap(Navigate::To(Route::opening(Screen::Reader, index))),
        ));
    }
}
