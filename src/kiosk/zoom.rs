//! Images a visitor reads closely (图解, attachment pages): they fit the width, a tap doubles
//! them and the next tap fits them again, and a finger pans them either way.

use bevy::{asset::RenderAssetUsages, prelude::*};

use crate::kiosk::scroll::DragScroll;

pub fn plugin(app: &mut App) {
    app.add_observer(note_press).add_observer(note_pan).add_observer(zoom_on_tap);
}

/// How far a finger may move and still tap rather than pan.
const TAP_SLOP_PX: f32 = 12.0;

#[derive(Component, Default)]
struct ZoomOnTap {
    zoomed: bool,
    /// The press under way moved the image, so its release is no tap.
    panned: bool,
}

/// Spawns `rgba` under `parent` in a frame that pans, fit to the frame's width. `frame`
/// styles the frame (its size in the parent); it always clips and scrolls both ways.
pub fn spawn_zoomable_image(
    commands: &mut Commands,
    parent: Entity,
    rgba: image::RgbaImage,
    frame: Node,
    images: &mut Assets<Image>,
) -> Entity {
    let aspect = rgba.height() as f32 / rgba.width().max(1) as f32;
    let image = Image::from_dynamic(rgba.into(), true, RenderAssetUsages::RENDER_WORLD);
    let frame = commands
        // Items start at the top: stretched to the frame's height, the page would lose its shape.
        .spawn((
            ChildOf(parent),
            DragScroll::default(),
            Node { overflow: Overflow::scroll(), align_items: AlignItems::FlexStart, ..frame },
        ))
        .id();
    commands
        .spawn((
            ChildOf(frame),
            Button,
            ZoomOnTap::default(),
            ImageNode::new(images.add(image)),
            Node { width: percent(100), aspect_ratio: Some(1.0 / aspect), flex_shrink: 0.0, ..default() },
        ))
        .id()
}

fn note_press(press: On<Pointer<Press>>, mut images: Query<&mut ZoomOnTap>) {
    if let Ok(mut zoom) = images.get_mut(press.entity) {
        zoom.panned = false;
    }
}

fn note_pan(drag: On<Pointer<Drag>>, mut images: Query<&mut ZoomOnTap>) {
    if let Ok(mut zoom) = images.get_mut(drag.entity)
        && drag.distance.length() > TAP_SLOP_PX
    {
        zoom.panned = true;
    }
}

fn zoom_on_tap(click: On<Pointer<Click>>, mut images: Query<(&mut ZoomOnTap, &mut Node)>) {
    let Ok((mut zoom, mut node)) = images.get_mut(click.entity) else { return };
    if zoom.panned {
        return;
    }
    zoom.zoomed = !zoom.zoomed;
    node.width = percent(if zoom.zoomed { 200 } else { 100 });
}
