//! Text in the kiosk font, and shortening text to the space it has.

use bevy::{ecs::system::SystemParam, prelude::*};

use crate::kiosk::{theme::{Theme, UiFonts}, urgent_notice::UrgentNotice};

/// What every widget needs: the look, the fonts, and the urgent notice every page carries.
#[derive(SystemParam)]
pub struct Ui<'w> {
    pub theme: Res<'w, Theme>,
    pub fonts: Res<'w, UiFonts>,
    pub urgent: Res<'w, UrgentNotice>,
}

/// One run of text; `bold` picks the bold face.
pub fn label(value: impl Into<String>, ui: &Ui, px: f32, color: Color, bold: bool) -> impl Bundle {
    let font = if bold { ui.fonts.bold.clone() } else { ui.fonts.regular.clone() };
    (Text::new(value), TextFont { font: font.into(), font_size: FontSize::Px(px), ..default() }, TextColor(color))
}

/// Body text that wraps within its parent and may break inside long Latin runs (URLs, 索引号).
pub fn paragraph(value: impl Into<String>, ui: &Ui, px: f32, color: Color) -> impl Bundle {
    (label(value, ui, px, color, false), TextLayout::linebreak(LineBreak::AnyCharacter), Node {
        max_width: percent(100),
        ..default()
    })
}

/// A CJK character is one em, other characters about half.
fn char_em(c: char) -> f32 {
    if c.is_ascii() { 0.55 } else { 1.0 }
}

/// The width of `text` in ems.
pub fn text_width_em(text: &str) -> f32 {
    text.chars().map(char_em).sum()
}

/// Shortens `text` to at most `width_em` ems (a CJK character is one em, other characters
/// about half), ending with "…" when cut, so a list row never grows past its lines.
pub fn fit(text: &str, width_em: f32) -> String {
    if text_width_em(text) <= width_em {
        return text.to_string();
    }
    let mut used = 1.0; // room for the ellipsis
    let mut out = String::new();
    for c in text.chars() {
        used += char_em(c);
        if used > width_em {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn fit_keeps_short_text_and_cuts_long_text() {
        assert_eq!(fit("政府信息", 4.0), "政府信息");
        assert_eq!(fit("政府信息公开", 4.0), "政府信…");
        assert_eq!(fit("abcdefgh", 4.0), "abcde…");
    }
}
