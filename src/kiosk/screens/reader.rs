//! The reader: 文号, 索引号, 发文机关, dates and 有效性, the body in large type that scrolls by
//! drag (with inertia) or by screenful, attachments, links to its 解读, 朗读, and a QR code
//! to take the document away on the phone.

use bevy::prelude::*;

use super::{
    attachment,
    detail_layout::{DetailLayout, spawn_detail_layout},
};
use gongkai_core::{content::model::{Document, label_of}, handoff::Target, library::Library};
use crate::kiosk::{
    Navigation, Shown,
    navigation::{Navigate, NavigateOnTap, Route, Screen},
    scroll::ScrollPageOnTap,
    printing::{PrintOnTap, Printing, print_button},
    speech::{SpeakOnTap, Speaker},
    widgets::{ButtonStyle, QrMaker, Ui, button, field_row, fit, label, paragraph, qr_card, section_heading, spawn_page},
};

pub fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Reader), spawn);
}

fn spawn(
    mut commands: Commands,
    shown: Res<Shown>,
    navigation: Res<Navigation>,
    speaker: Res<Speaker>,
    printing: Option<Res<Printing>>,
    ui: Ui,
    mut qr: QrMaker,
) {
    let Some(library) = shown.0.clone() else { return };
    let Some(index) = navigation.current.open else { return };
    let Some(document) = library.content.documents.get(index) else { return };
    let body = spawn_page(&mut commands, Screen::Reader, "政府信息", &ui);
    let DetailLayout { text, side } = spawn_detail_layout(&mut commands, body, &ui);
    spawn_text(&mut commands, text, &ui, &library, index);

    qr_card(&mut commands, side, &Target::Document(document.id.clone()), "扫码带走：手机上阅读全文或申请公开", &ui, &mut qr);
    commands.spawn((ChildOf(side), button(speaker.button_label(), &ui, ButtonStyle::Primary), SpeakOnTap(spoken_text(document))));
    print_button(&mut commands, side, &ui, printing.as_deref(), PrintOnTap::Document(index));
    let pages = commands.spawn((ChildOf(side), Node { column_gap: px(12), ..default() })).id();
    commands.spawn((ChildOf(pages), button("上一屏", &ui, ButtonStyle::Secondary), ScrollPageOnTap { area: text, pages: -1.0 }));
    commands.spawn((ChildOf(pages), button("下一屏", &ui, ButtonStyle::Secondary), ScrollPageOnTap { area: text, pages: 1.0 }));
}

fn spawn_text(commands: &mut Commands, area: Entity, ui: &Ui, library: &Library, document_index: usize) {
    let theme = &ui.theme;
    let document = &library.content.documents[document_index];
    commands.spawn((ChildOf(area), paragraph(&document.title, ui, theme.heading(), theme.colors.text)));
    let mut fields = vec![("索引号", document.index_no.clone())];
    if let Some(no) = &document.doc_no {
        fields.push(("文号", no.clone()));
    }
    fields.extend([
        ("发文机关", document.issuer.clone()),
        ("成文日期", document.written_on.format("%Y年%m月%d日").to_string()),
        ("发布日期", document.published_on.format("%Y年%m月%d日").to_string()),
        ("主题分类", document.topic.clone()),
        ("有效性", label_of(&document.validity)),
    ]);
    for (name, value) in fields {
        commands.spawn((ChildOf(area), field_row(name, &value, ui)));
    }
    for paragraph_text in document.body.split('\n').filter(|p| !p.trim().is_empty()) {
        commands.spawn((ChildOf(area), paragraph(format!("　　{}", paragraph_text.trim()), ui, theme.body(), theme.colors.text)));
    }
    if !document.attachments.is_empty() {
        commands.spawn((ChildOf(area), section_heading("附件", ui)));
        let room = 2.0 * theme.content_width() / theme.body();
        for (n, attachment) in document.attachments.iter().enumerate() {
            let text = format!("{}. {}（{}）", n + 1, attachment.title, attachment.format);
            if attachment.pages.is_empty() {
                commands.spawn((ChildOf(area), paragraph(text, ui, theme.body(), theme.colors.text)));
            } else {
                let text = fit(&format!("{text} · 共{}页 ›", attachment.pages.len()), room);
                let view = attachment::route(document_index, n, 0);
                commands.spawn((ChildOf(area), button(text, ui, ButtonStyle::Secondary), NavigateOnTap(Navigate::To(view))));
            }
        }
    }
    if !document.interpretations.is_empty() {
        commands.spawn((ChildOf(area), section_heading("相关解读", ui)));
        let room = 2.0 * theme.content_width() / theme.body();
        for id in &document.interpretations {
            let Some(index) = library.interpretation(id) else { continue };
            let title = fit(&library.content.interpretations[index].title, room);
            commands.spawn((
                ChildOf(area),
                button(title, ui, ButtonStyle::Secondary),
                NavigateOnTap(Navigate::To(Route::opening(Screen::Interpretations, index))),
            ));
        }
    }
    commands.spawn((ChildOf(area), label("— 全文完 —", ui, theme.body(), theme.colors.text_muted, false)));
}

fn spoken_text(document: &Document) -> String {
    format!("{}。{}", document.title, document.body)
}
