//! One file a screen; each screen's entities live only while its `Screen` state is active
//! and are spawned from the current `Route`.

mod admin;
mod admin_records;
mod apply;
mod attachment;
mod attract;
mod catalogue;
mod community;
mod consultations;
mod dashboard;
mod detail_layout;
mod documents;
mod guides;
mod home;
mod interaction;
mod interpretations;
mod key_work;
mod notices;
mod out_of_service;
mod reader;
mod search;

use bevy::prelude::*;

pub use admin::{AdminPin, KeypadGuard, PinEntry, unlock_time};
pub use search::SearchText;

use super::{
    Shown,
    navigation::{Navigate, Route, Screen},
};
use gongkai_core::{content::model::ConsultationStatus, library::Library};

pub fn plugin(app: &mut App) {
    app.add_systems(Startup, (spawn_camera, leave_attract_without_content))
        .add_plugins((attract::plugin, home::plugin, search::plugin, admin::plugin, out_of_service::plugin))
        .add_plugins((
            catalogue::plugin,
            documents::plugin,
            reader::plugin,
            attachment::plugin,
            interpretations::plugin,
            key_work::plugin,
            guides::plugin,
            consultations::plugin,
            notices::plugin,
            community::plugin,
            admin_records::plugin,
            apply::plugin,
            interaction::plugin,
            dashboard::plugin,
        ));
}

fn spawn_camera(mut commands: Commands) {
    commands.spawn(Camera2d);
}

fn leave_attract_without_content(shown: Res<Shown>, mut navigate: MessageWriter<Navigate>) {
    if shown.0.is_none() {
        navigate.write(Navigate::Replace(Route::to(Screen::OutOfService)));
    }
}

/// Every view by a name, for `gongkai render --screen NAME` and the tests: each screen, and
/// for screens that open something, one view with an item open (those show a QR code).
pub fn named_routes(library: Option<&Library>) -> Vec<(&'static str, Route)> {
    let Some(library) = library else { return vec![("out-of-service", Route::to(Screen::OutOfService))] };
    let content = &library.content;
    let today = chrono::Local::now().date_naive();
    let open_consultation = content.consultations.iter().position(|c| c.status_on(today) == ConsultationStatus::Open);
    let closed_consultation = content.consultations.iter().position(|c| c.feedback.is_some());
    let interpreted = content.documents.iter().position(|d| !d.interpretations.is_empty());
    let paged = content.documents.iter().enumerate().find_map(|(d, document)| {
        document.attachments.iter().position(|a| a.pages.len() > 1).map(|a| (d, a))
    });
    let illustrated = content.interpretations.iter().position(|i| i.is_illustrated());
    let linked_item = content.catalogue.domains.iter().enumerate().find_map(|(d, domain)| {
        domain.items.iter().position(|item| !item.documents.is_empty()).map(|i| (d, i))
    });
    let mut routes = vec![
        ("attract", Route::to(Screen::Attract)),
        ("home", Route::to(Screen::Home)),
        ("catalogue", Route::to(Screen::Catalogue)),
        ("documents", Route::to(Screen::Documents)),
        ("interpretations", Route::to(Screen::Interpretations)),
        ("key-work", Route::to(Screen::KeyWork)),
        ("guides", Route::to(Screen::Guides)),
        ("consultations", Route::to(Screen::Consultations)),
        ("notices", Route::to(Screen::Notices)),
        ("community", Route::to(Screen::Community)),
        ("admin-records", Route::to(Screen::AdminRecords)),
        ("apply", Route::to(Screen::Apply)),
        ("interaction", Route::to(Screen::Interaction)),
        ("dashboard", Route::to(Screen::Dashboard)),
        ("search", Route::to(Screen::Search)),
        ("search-handwriting", search::route(search::InputMode::Handwriting)),
        ("admin", Route::to(Screen::Admin)),
    ];
    let mut add = |name, route: Option<Route>| {
        if let Some(route) = route {
            routes.push((name, route));
        }
    };
    add("catalogue-domain", linked_item.map(|(d, _)| Route { domain: Some(d), ..Route::to(Screen::Catalogue) }));
    add("catalogue-item", linked_item.map(|(d, i)| Route { domain: Some(d), open: Some(i), ..Route::to(Screen::Catalogue) }));
    add("reader", interpreted.or((!content.documents.is_empty()).then_some(0)).map(|i| Route::opening(Screen::Reader, i)));
    add("attachment", paged.map(|(d, a)| attachment::route(d, a, 1)));
    add("interpretation", illustrated.map(|i| Route::opening(Screen::Interpretations, i)));
    add("key-work-detail", (!content.key_work.is_empty()).then(|| Route::opening(Screen::KeyWork, 0)));
    add("guide", (!content.service_guides.is_empty()).then(|| Route::opening(Screen::Guides, 0)));
    add("consultation-open", open_consultation.map(|i| Route::opening(Screen::Consultations, i)));
    add("consultation-closed", closed_consultation.map(|i| Route::opening(Screen::Consultations, i)));
    add("notice", (!content.notices.is_empty()).then(|| Route::opening(Screen::Notices, 0)));
    let first_post = content.communities.first().is_some_and(|c| c.posts().next().is_some());
    add("community-post", first_post.then(|| Route { domain: Some(0), open: Some(0), ..Route::to(Screen::Community) }));
    add("admin-record", (!content.admin_results.records.is_empty()).then(|| Route::opening(Screen::AdminRecords, 0)));
    add("dashboard-key-work", Some(Route::opening(Screen::Dashboard, 1)));
    add("dashboard-admin-results", Some(Route::opening(Screen::Dashboard, 2)));
    routes
}
