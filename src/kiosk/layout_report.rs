//! The laid-out UI as JSON, written beside each rendered PNG, so tests can check what a
//! visitor would see: text that fits its box and the screen, tap targets large enough, type
//! sizes and contrast, and which QR link each code on screen carries.
//!
//! Positions and sizes are logical pixels (1080p design units), top-left origin.

use std::{fs, path::Path};

use bevy::{ecs::system::SystemParam, prelude::*, text::TextLayoutInfo};
use serde::Serialize;

use super::{charts::Reel, widgets::HandoffQr};

#[derive(SystemParam)]
pub struct LayoutQuery<'w, 's> {
    nodes: Query<'w, 's, (Entity, &'static ComputedNode, &'static UiGlobalTransform, &'static InheritedVisibility, &'static Node)>,
    parents: Query<'w, 's, &'static ChildOf>,
    texts: Query<'w, 's, (&'static Text, &'static TextLayoutInfo, &'static TextFont, &'static TextColor)>,
    backgrounds: Query<'w, 's, &'static BackgroundColor>,
    buttons: Query<'w, 's, (), With<Button>>,
    qrs: Query<'w, 's, &'static HandoffQr>,
    reels: Query<'w, 's, (), With<Reel>>,
    windows: Query<'w, 's, &'static Window>,
    ui_scale: Res<'w, UiScale>,
}

#[derive(Serialize)]
struct Report {
    /// The window in logical pixels.
    width: f32,
    height: f32,
    nodes: Vec<NodeReport>,
}

#[derive(Serialize)]
struct NodeReport {
    id: u64,
    parent: Option<u64>,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    /// Inside a scrolling area: may extend below its parent by design.
    in_scroll: bool,
    /// Part of a reel moving through a clipping window (rolling digits, ticker, long tables):
    /// may extend past its window by design.
    in_reel: bool,
    /// Clips its children (scroll areas, cut titles).
    clips: bool,
    tappable: bool,
    text: Option<TextReport>,
    qr: Option<String>,
}

#[derive(Serialize)]
struct TextReport {
    value: String,
    font_px: f32,
    /// The laid-out text block.
    laid_w: f32,
    laid_h: f32,
    /// sRGB 0–1.
    color: [f32; 3],
    /// The nearest opaque background behind the text.
    background: [f32; 3],
}

pub fn write(layout: &LayoutQuery, path: &Path) -> Result<(), String> {
    let json = serde_json::to_string_pretty(&report(layout)).map_err(|e| e.to_string())?;
    fs::write(path, json).map_err(|e| e.to_string())
}

fn report(layout: &LayoutQuery) -> Report {
    let scale = layout.ui_scale.0;
    let (width, height) = layout.windows.iter().next().map_or((0.0, 0.0), |w| (w.width() / scale, w.height() / scale));
    let mut nodes = Vec::new();
    for (entity, computed, transform, visibility, node) in &layout.nodes {
        if !visibility.get() {
            continue;
        }
        // The box as drawn: rotated nodes (chart lines) by the bounds of their corners.
        let half = computed.size / 2.0;
        let corners = [Vec2::new(-1.0, -1.0), Vec2::new(1.0, -1.0), Vec2::new(1.0, 1.0), Vec2::new(-1.0, 1.0)]
            .map(|corner| transform.transform_point2(corner * half) * computed.inverse_scale_factor);
        let low = corners.iter().copied().fold(Vec2::MAX, Vec2::min);
        let high = corners.iter().copied().fold(Vec2::MIN, Vec2::max);
        let parent = layout.parents.get(entity).ok().map(|p| p.parent());
        let text = layout.texts.get(entity).ok().map(|(text, info, font, color)| TextReport {
            value: text.0.clone(),
            font_px: match font.font_size {
                FontSize::Px(px) => px,
                _ => 0.0,
            },
            laid_w: info.size.x,
            laid_h: info.size.y,
            color: srgb(color.0),
            background: background_of(layout, entity),
        });
        nodes.push(NodeReport {
            id: entity.to_bits(),
            parent: parent.map(Entity::to_bits),
            x: low.x,
            y: low.y,
            w: high.x - low.x,
            h: high.y - low.y,
            in_scroll: ancestors(layout, entity).any(|a| layout.nodes.get(a).is_ok_and(|(.., n)| scrolls(n))),
            in_reel: std::iter::once(entity).chain(ancestors(layout, entity)).any(|e| layout.reels.contains(e)),
            clips: node.overflow.x != OverflowAxis::Visible || node.overflow.y != OverflowAxis::Visible,
            tappable: layout.buttons.contains(entity),
            text,
            qr: layout.qrs.get(entity).ok().map(|q| q.0.clone()),
        });
    }
    Report { width, height, nodes }
}

fn scrolls(node: &Node) -> bool {
    node.overflow.x == OverflowAxis::Scroll || node.overflow.y == OverflowAxis::Scroll
}

fn ancestors<'a>(layout: &'a LayoutQuery, entity: Entity) -> impl Iterator<Item = Entity> + 'a {
    std::iter::successors(layout.parents.get(entity).ok().map(|p| p.parent()), |e| {
        layout.parents.get(*e).ok().map(|p| p.parent())
    })
}

fn background_of(layout: &LayoutQuery, entity: Entity) -> [f32; 3] {
    std::iter::once(entity)
        .chain(ancestors(layout, entity))
        .filter_map(|e| layout.backgrounds.get(e).ok())
        .find(|b| b.0.alpha() > 0.5)
        .map_or([1.0; 3], |b| srgb(b.0))
}

fn srgb(color: Color) -> [f32; 3] {
    let c = color.to_srgba();
    [c.red, c.green, c.blue]
}
