//! An attachment of a document, page by page: the page image fits the width, a tap zooms it
//! and a finger pans it (`zoom`), 上一页/下一页 turn the page. The images were made from the
//! PDF when the bundle was built; the kiosk renders no PDF itself.
//!
//! The route holds the document in `open`, the attachment in `domain` and the page in `page`.

use bevy::prelude::*;

use super::detail_layout::{side_panel, split};
use gongkai_core::{content::model::Attachment, handoff::Target, library::Library, listing::Pages};
use crate::kiosk::{
    Navigation, Shown,
    navigation::{Route, Screen},
    printing::{PrintOnTap, Printing, print_button},
    widgets::{QR_CARD_WIDTH, QrMaker, Ui, label, pager, paragraph, qr_card, spawn_page},
    zoom::spawn_zoomable_image,
};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Attachment), spawn);
}

/// The view of page `page` of attachment `attachment` of document `document`.
pub fn route(document: usize, attachment: usize, page: usize) -> Route {
    Route { domain: Some(attachment), ..Route::opening(Screen::Attachment, document) }.at_page(page)
}

fn spawn(
    mut commands: Commands,
    shown: Res<Shown>,
    navigation: Res<Navigation>,
    printing: Option<Res<Printing>>,
    ui: Ui,
    mut qr: QrMaker,
) {
    let Some(library) = shown.0.clone() else { return };
    let route = navigation.current;
    let (Some(d), Some(a)) = (route.open, route.domain) else { return };
    let Some(document) = library.content.documents.get(d) else { return };
    let Some(attachment) = document.attachments.get(a) else { return };
    let body = spawn_page(&mut commands, Screen::Attachment, "附件", &ui);
    let row = commands.spawn((ChildOf(body), split(&ui, FlexDirection::Column))).id();
    let route = route.at_page(route.page.min(attachment.pages.len().saturating_sub(1)));
    spawn_page_image(&mut commands, row, &ui, &library, attachment, route.page, qr.images());
    let side = commands.spawn((ChildOf(row), side_panel(&ui))).id();
    let column = spawn_turns(&mut commands, side, &ui, &document.title, attachment, route);
    print_button(&mut commands, column, &ui, printing.as_deref(), PrintOnTap::Attachment { document: d, attachment: a });
    qr_card(&mut commands, side, &Target::Document(document.id.clone()), "扫码带走：手机上阅读原文件及附件", &ui, &mut qr);
}

fn spawn_page_image(
    commands: &mut Commands,
    row: Entity,
    ui: &Ui,
    library: &Library,
    attachment: &Attachment,
    page: usize,
    images: &mut Assets<Image>,
) {
    // A zero basis keeps the frame its size when the zoomed image inside it grows.
    let frame = Node { flex_grow: 1.0, flex_basis: px(0), min_height: px(0), min_width: px(0), ..default() };
    let loaded = attachment.pages.get(page).map(|file| library.image(file));
    match loaded {
        Some(Ok(rgba)) => {
            spawn_zoomable_image(commands, row, rgba, frame, images);
        }
        // The checker decoded every page, so this is a disk gone bad: say so, never blank.
        other => {
            if let Some(Err(problem)) = other {
                warn!("{problem}");
            }
            let note = commands.spawn((ChildOf(row), frame)).id();
            let text = "此附件暂不能在屏幕上显示，请扫码在手机上查看。";
            commands.spawn((ChildOf(note), paragraph(text, ui, ui.theme.body(), ui.theme.colors.text)));
        }
    }
}

/// The attachment's title under the document it belongs to (which the QR code opens), and the
/// pager that turns its pages (上一页 / 第 n / m 页 / 下一页).
fn spawn_turns(commands: &mut Commands, side: Entity, ui: &Ui, document: &str, attachment: &Attachment, route: Route) -> Entity {
    let theme = &ui.theme;
    let column = commands
        .spawn((ChildOf(side), Node { flex_direction: FlexDirection::Column, align_items: AlignItems::Center, row_gap: px(12), ..default() }))
        .id();
    let title_node = Node { max_width: px(QR_CARD_WIDTH + 120.0), flex_direction: FlexDirection::Column, row_gap: px(4), ..default() };
    let title = commands.spawn((ChildOf(column), title_node)).id();
    commands.spawn((ChildOf(title), paragraph(document, ui, theme.caption(), theme.colors.text_muted)));
    commands.spawn((ChildOf(title), paragraph(&attachment.title, ui, theme.body(), theme.colors.text)));
    commands.spawn((ChildOf(column), label("轻触放大，手指拖动查看", ui, theme.caption(), theme.colors.text_muted, false)));
    let pages = Pages { total: attachment.pages.len(), per_page: 1, current: route.page };
    pager(pages, route, ui, commands, column);
    column
}
