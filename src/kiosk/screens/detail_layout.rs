//! The shape shared by detail views: scrolling text, and a side panel for the QR code and
//! actions, beside the text on landscape screens and under it on portrait ones.

use bevy::prelude::*;

use crate::kiosk::{scroll::scroll_area, widgets::Ui};

pub struct DetailLayout {
    /// The scroll area for the text.
    pub text: Entity,
    /// The panel for the QR code and buttons.
    pub side: Entity,
}

/// A node that fills the body with its children side by side on landscape screens and
/// stacked on portrait ones (`portrait` gives the stacking direction).
pub fn split(ui: &Ui, portrait: FlexDirection) -> Node {
    let theme = &ui.theme;
    Node {
        flex_grow: 1.0,
        min_height: px(0),
        column_gap: px(theme.gap() * 1.5),
        row_gap: px(theme.gap()),
        flex_direction: if theme.portrait { portrait } else { FlexDirection::Row },
        ..default()
    }
}

pub fn spawn_detail_layout(commands: &mut Commands, body: Entity, ui: &Ui) -> DetailLayout {
    let row = commands.spawn((ChildOf(body), split(ui, FlexDirection::Column))).id();
    let text = commands.spawn((ChildOf(row), scroll_area())).id();
    let side = commands.spawn((ChildOf(row), side_panel(ui))).id();
    DetailLayout { text, side }
}

/// The panel beside (landscape) or under (portrait) a detail view's main part: the QR code
/// and the actions, wrapped to fit.
pub fn side_panel(ui: &Ui) -> Node {
    Node {
        flex_direction: if ui.theme.portrait { FlexDirection::Row } else { FlexDirection::Column },
        flex_wrap: FlexWrap::Wrap,
        align_items: AlignItems::Center,
        justify_content: JustifyContent::Center,
        row_gap: px(16),
        column_gap: px(24),
        flex_shrink: 0.0,
        ..default()
    }
}
