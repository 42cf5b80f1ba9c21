//! 政府信息: the document list, newest first, filtered by domain, year, issuer and 有效性.
//! A filter button opens a picker of the values the documents actually have.

use bevy::prelude::*;

use gongkai_core::{content::model::{Validity, label_of}, library::Library, listing::{DocumentFilter, filter_documents}};
use crate::kiosk::{
    Navigation, Shown, content_updates::ContentChanged, idle::VisitorLeft,
    navigation::{Navigate, NavigateOnTap, Route, Screen},
    widgets::{ButtonStyle, Ui, button, chip_rows_height, still_loading, fit, paged_list, spawn_chip_bar, spawn_page},
};

pub fn plugin(app: &mut App) {
    app.init_resource::<DocumentList>()
        .add_systems(OnEnter(Screen::Documents), spawn)
        .add_systems(Update, forget_filters.run_if(on_message::<VisitorLeft>.or_eager(on_message::<ContentChanged>)))
        .add_observer(pick_facet)
        .add_observer(choose_value);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Facet {
    Domain,
    Year,
    Issuer,
    Validity,
}

const FACETS: [Facet; 4] = [Facet::Domain, Facet::Year, Facet::Issuer, Facet::Validity];
const VALIDITIES: [Validity; 3] = [Validity::Valid, Validity::Expired, Validity::Repealed];

impl Facet {
    fn name(self) -> &'static str {
        match self {
            Facet::Domain => "领域",
            Facet::Year => "年份",
            Facet::Issuer => "发文机关",
            Facet::Validity => "有效性",
        }
    }

    /// The values to choose from, as labels.
    fn values(self, library: &Library) -> Vec<String> {
        let facets = &library.facets;
        match self {
            Facet::Domain => facets.domains.iter().map(|(_, name)| name.clone()).collect(),
            Facet::Year => facets.years.iter().map(|y| format!("{y}年")).collect(),
            Facet::Issuer => facets.issuers.clone(),
            Facet::Validity => VALIDITIES.iter().map(label_of).collect(),
        }
    }

    fn set(self, filter: &mut DocumentFilter, library: &Library, value: Option<usize>) {
        let facets = &library.facets;
        match self {
            Facet::Domain => filter.domain = value.and_then(|i| facets.domains.get(i)).map(|(id, _)| id.clone()),
            Facet::Year => filter.year = value.and_then(|i| facets.years.get(i)).copied(),
            Facet::Issuer => filter.issuer = value.and_then(|i| facets.issuers.get(i)).cloned(),
            Facet::Validity => filter.validity = value.and_then(|i| VALIDITIES.get(i)).copied(),
        }
    }

    fn current(self, filter: &DocumentFilter, library: &Library) -> Option<String> {
        match self {
            Facet::Domain => filter
                .domain
                .as_ref()
                .and_then(|id| library.facets.domains.iter().find(|(d, _)| d == id))
                .map(|(_, name)| name.clone()),
            Facet::Year => filter.year.map(|y| format!("{y}年")),
            Facet::Issuer => filter.issuer.clone(),
            Facet::Validity => filter.validity.as_ref().map(label_of),
        }
    }
}

/// The visitor's filter, the documents it admits, and the picker when one is open.
#[derive(Resource, Default)]
struct DocumentList {
    filter: DocumentFilter,
    /// `None` until first shown or after the filter changes.
    found: Option<Vec<usize>>,
    picking: Option<Facet>,
}

#[derive(Component)]
struct PickFacetOnTap(Facet);

#[derive(Component)]
struct ChooseValueOnTap(Facet, Option<usize>);

fn spawn(mut commands: Commands, shown: Res<Shown>, navigation: Res<Navigation>, mut list: ResMut<DocumentList>, ui: Ui) {
    let Some(library) = shown.0.clone() else { return };
    let route = navigation.current;
    let body = spawn_page(&mut commands, Screen::Documents, "政府信息", &ui);
    if !library.is_complete() {
        commands.spawn((ChildOf(body), still_loading(&library, &ui)));
        return;
    }
    if let Some(facet) = list.picking {
        let values = facet.values(&library);
        paged_list(&mut commands, body, &ui, route, values.len() + 1, 0.0, |i| {
            let (title, value) = if i == 0 { ("全部".to_string(), None) } else { (values[i - 1].clone(), Some(i - 1)) };
            (title, format!("按{}筛选", facet.name()), ChooseValueOnTap(facet, value))
        });
        return;
    }
    if list.found.is_none() {
        list.found = Some(filter_documents(&library.content, &list.filter));
    }
    let found = list.found.clone().unwrap_or_default();
    let bar = spawn_chip_bar(&mut commands, body);
    let theme = &ui.theme;
    let columns = if theme.portrait { 2.0 } else { 4.0 };
    let room = theme.content_width() / columns / theme.body() - 2.5;
    for facet in FACETS {
        let value = facet.current(&list.filter, &library).unwrap_or_else(|| "全部".into());
        let text = fit(&format!("{}：{value}", facet.name()), room);
        commands.spawn((ChildOf(bar), button(text, &ui, ButtonStyle::Secondary), PickFacetOnTap(facet)));
    }
    let bar_rows = if theme.portrait { 2.0 } else { 1.0 };
    let reserved = chip_rows_height(bar_rows, &ui) + theme.gap();
    let documents = &library.content.documents;
    paged_list(&mut commands, body, &ui, route, found.len(), reserved, |i| {
        let d = &documents[found[i]];
        let detail = format!("{} · {} · {}", d.doc_no.as_deref().unwrap_or(&d.issuer), d.published_on.format("%Y-%m-%d"), label_of(&d.validity));
        (d.title.clone(), detail, NavigateOnTap(Navigate::To(Route::opening(Screen::Reader, found[i]))))
    });
}

fn pick_facet(click: On<Pointer<Click>>, buttons: Query<&PickFacetOnTap>, mut list: ResMut<DocumentList>, mut navigate: MessageWriter<Navigate>) {
    if let Ok(PickFacetOnTap(facet)) = buttons.get(click.entity) {
        list.picking = Some(*facet);
        navigate.write(Navigate::Replace(Route::to(Screen::Documents)));
    }
}

fn choose_value(
    click: On<Pointer<Click>>,
    buttons: Query<&ChooseValueOnTap>,
    mut list: ResMut<DocumentList>,
    shown: Res<Shown>,
    mut navigate: MessageWriter<Navigate>,
) {
    let (Ok(ChooseValueOnTap(facet, value)), Some(library)) = (buttons.get(click.entity), shown.0.as_ref()) else { return };
    facet.set(&mut list.filter, library, *value);
    list.found = None;
    list.picking = None;
    navigate.write(Navigate::Replace(Route::to(Screen::Documents)));
}

fn forget_filters(mut list: ResMut<DocumentList>) {
    *list = DocumentList::default();
}
