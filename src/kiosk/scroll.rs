//! Drag-to-scroll with inertia for long text, and 上一页/下一页 buttons that move it by a
//! screenful, since not every visitor drags.

use bevy::{prelude::*, window::RequestRedraw};

pub fn plugin(app: &mut App) {
    app.add_observer(drag).add_observer(release).add_observer(page_on_tap).add_systems(Update, glide);
}

/// A node whose content moves with a finger.
#[derive(Component, Default)]
pub struct DragScroll {
    /// Logical pixels a second, after the finger lifts.
    velocity: f32,
    /// Recent drag speed, to hand over to the glide.
    last_delta: f32,
}

/// A spawned scroll area: fills the space left in its parent and clips what does not fit.
pub fn scroll_area() -> impl Bundle {
    (
        DragScroll::default(),
        Node {
            flex_grow: 1.0,
            min_height: px(0),
            flex_direction: FlexDirection::Column,
            row_gap: px(20),
            overflow: Overflow::scroll_y(),
            ..default()
        },
    )
}

/// Put on a button: scrolls `area` by `pages` screenfuls (negative is up).
#[derive(Component)]
pub struct ScrollPageOnTap {
    pub area: Entity,
    pub pages: f32,
}

fn drag(mut event: On<Pointer<Drag>>, mut areas: Query<(&mut DragScroll, &mut ScrollPosition)>) {
    if let Ok((mut area, mut position)) = areas.get_mut(event.entity) {
        position.x -= event.delta.x;
        position.y -= event.delta.y;
        area.last_delta = event.delta.y;
        area.velocity = 0.0;
        event.propagate(false);
    }
}

fn release(mut event: On<Pointer<DragEnd>>, mut areas: Query<&mut DragScroll>) {
    if let Ok(mut area) = areas.get_mut(event.entity) {
        // A flick keeps going: about one frame's movement at 60 frames a second.
        area.velocity = -area.last_delta * 60.0;
        area.last_delta = 0.0;
        event.propagate(false);
    }
}

fn glide(
    time: Res<Time>,
    mut areas: Query<(&mut DragScroll, &mut ScrollPosition, &ComputedNode)>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let dt = time.delta_secs().min(0.1);
    for (mut area, mut position, node) in &mut areas {
        if area.velocity.abs() < 20.0 {
            area.velocity = 0.0;
            continue;
        }
        let max = max_scroll(node);
        position.y = (position.y + area.velocity * dt).clamp(0.0, max);
        area.velocity *= (-4.0 * dt).exp();
        if position.y <= 0.0 || position.y >= max {
            area.velocity = 0.0;
        }
        redraw.write(RequestRedraw);
    }
}

fn max_scroll(node: &ComputedNode) -> f32 {
    ((node.content_size.y - node.size.y + node.scrollbar_size.y) * node.inverse_scale_factor).max(0.0)
}

fn page_on_tap(
    click: On<Pointer<Click>>,
    buttons: Query<&ScrollPageOnTap>,
    mut areas: Query<(&mut ScrollPosition, &ComputedNode)>,
) {
    let Ok(button) = buttons.get(click.entity) else { return };
    if let Ok((mut position, node)) = areas.get_mut(button.area) {
        let screenful = node.size.y * node.inverse_scale_factor * 0.9;
        position.y = (position.y + button.pages * screenful).clamp(0.0, max_scroll(node));
    }
}
