//! Buttons: at least `Theme::tap_height` high, one line of text, centred.

use bevy::prelude::*;

use super::text::{Ui, label};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ButtonStyle {
    /// Filled with the primary colour: the main action of a view.
    Primary,
    /// Outlined on the surface colour: everything else.
    Secondary,
}

pub fn button(text: impl Into<String>, ui: &Ui, style: ButtonStyle) -> impl Bundle {
    let colors = &ui.theme.colors;
    let (fill, ink) = match style {
        ButtonStyle::Primary => (colors.primary, colors.on_primary),
        ButtonStyle::Secondary => (colors.surface, colors.accent_text),
    };
    (
        Button,
        Node {
            min_height: px(ui.theme.tap_height()),
            padding: UiRect::axes(px(28), px(8)),
            justify_content: JustifyContent::Center,
            align_items: AlignItems::Center,
            border: UiRect::all(px(2)),
            border_radius: BorderRadius::all(px(ui.theme.radius())),
            flex_shrink: 0.0,
            ..default()
        },
        BackgroundColor(fill),
        BorderColor::all(colors.primary),
        children![label(text, ui, ui.theme.body(), ink, true)],
    )
}
