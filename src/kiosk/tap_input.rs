//! Pointer input for picking, spaced out so that no tap is lost.
//!
//! Bevy's picking sends a press to what is under the pointer in this frame, but the release,
//! and so the click, to what was under it in the previous frame. A touch frame that reaches X
//! as a mouse delivers motion, press and release in one batch, and a touch can start and end
//! within one frame: the click then went to wherever the pointer was before, and the tap was
//! lost. Here mouse and touch become pointer input as in Bevy, with two differences: a
//! release waits for the next frame when its pointer moved or pressed in this one (and that
//! frame is asked for at once), and a press is always preceded by a move to where it happened,
//! so a press with no motion before it hits the node under it.

use bevy::{
    camera::NormalizedRenderTarget,
    input::{
        ButtonState,
        touch::{TouchInput, TouchPhase},
    },
    picking::{
        PickingSystems,
        input::PointerInputSettings,
        pointer::{Location, PointerAction, PointerButton, PointerId, PointerInput, PointerLocation},
    },
    platform::collections::{HashMap, HashSet},
    prelude::*,
    window::{PrimaryWindow, RequestRedraw, WindowEvent, WindowRef},
};

pub fn plugin(app: &mut App) {
    // Bevy's own mouse and touch input would send every event a second time.
    app.insert_resource(PointerInputSettings { is_touch_enabled: false, is_mouse_enabled: false })
        .init_resource::<Pending>()
        .add_systems(First, translate.in_set(PickingSystems::Input))
        .add_systems(Last, despawn_lifted_touches);
}

/// Input held over to the next frame, and touch pointers to remove once their release is out.
#[derive(Resource, Default)]
struct Pending {
    held: Vec<PointerInput>,
    lifted: Vec<PointerId>,
}

/// Where each pointer was last sent, and the mouse's last position.
#[derive(Default)]
struct Positions {
    sent: HashMap<PointerId, Vec2>,
    cursor: Vec2,
}

fn translate(
    mut window_events: MessageReader<WindowEvent>,
    primary: Query<Entity, With<PrimaryWindow>>,
    mut positions: Local<Positions>,
    mut pending: ResMut<Pending>,
    mut commands: Commands,
    mut pointer_inputs: MessageWriter<PointerInput>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let primary = primary.single().ok();
    let target = |window: Entity| bevy::camera::RenderTarget::Window(WindowRef::Entity(window)).normalize(primary);
    let mut queue = std::mem::take(&mut pending.held);
    for event in window_events.read() {
        match event {
            WindowEvent::CursorMoved(moved) => {
                let Some(target) = target(moved.window) else { continue };
                positions.cursor = moved.position;
                queue.push(input(PointerId::Mouse, target, moved.position, PointerAction::Move { delta: Vec2::ZERO }));
            }
            WindowEvent::MouseButtonInput(button) => {
                let Some(target) = target(button.window) else { continue };
                let Some(pointer_button) = pointer_button(button.button) else { continue };
                let action = match button.state {
                    ButtonState::Pressed => PointerAction::Press(pointer_button),
                    ButtonState::Released => PointerAction::Release(pointer_button),
                };
                queue.push(input(PointerId::Mouse, target, positions.cursor, action));
            }
            WindowEvent::MouseWheel(wheel) => {
                let Some(target) = target(wheel.window) else { continue };
                let action = PointerAction::Scroll { x: wheel.x, y: wheel.y, unit: wheel.unit, phase: wheel.phase };
                queue.push(input(PointerId::Mouse, target, positions.cursor, action));
            }
            WindowEvent::TouchInput(touch) => {
                let Some(target) = target(touch.window) else { continue };
                queue.push(touch_input(touch, target, &mut commands));
            }
            _ => {}
        }
    }
    let mut moved_or_pressed = HashSet::new();
    let mut waiting = HashSet::new();
    for mut event in queue {
        let pointer = event.pointer_id;
        let lifts = matches!(event.action, PointerAction::Release(_) | PointerAction::Cancel);
        // Keep each pointer's events in order: once one waits, the rest of its events wait too.
        if waiting.contains(&pointer) || (lifts && moved_or_pressed.contains(&pointer)) {
            waiting.insert(pointer);
            pending.held.push(event);
            continue;
        }
        let at = event.location.position;
        match event.action {
            PointerAction::Press(_) if positions.sent.get(&pointer) != Some(&at) => {
                pointer_inputs.write(PointerInput::new(pointer, event.location.clone(), PointerAction::Move { delta: Vec2::ZERO }));
            }
            PointerAction::Move { ref mut delta } => *delta = positions.sent.get(&pointer).map_or(Vec2::ZERO, |last| at - *last),
            _ => {}
        }
        if lifts {
            positions.sent.remove(&pointer);
            if matches!(pointer, PointerId::Touch(_)) {
                pending.lifted.push(pointer);
            }
        } else {
            positions.sent.insert(pointer, at);
            moved_or_pressed.insert(pointer);
        }
        pointer_inputs.write(event);
    }
    if !pending.held.is_empty() {
        redraw.write(RequestRedraw);
    }
}

fn input(pointer: PointerId, target: NormalizedRenderTarget, position: Vec2, action: PointerAction) -> PointerInput {
    PointerInput::new(pointer, Location { target, position }, action)
}

fn pointer_button(button: MouseButton) -> Option<PointerButton> {
    match button {
        MouseButton::Left => Some(PointerButton::Primary),
        MouseButton::Right => Some(PointerButton::Secondary),
        MouseButton::Middle => Some(PointerButton::Middle),
        MouseButton::Other(_) | MouseButton::Back | MouseButton::Forward => None,
    }
}

/// A touch as pointer input; a new touch gets its pointer entity, as in Bevy.
fn touch_input(touch: &TouchInput, target: NormalizedRenderTarget, commands: &mut Commands) -> PointerInput {
    let pointer = PointerId::Touch(touch.id);
    let action = match touch.phase {
        TouchPhase::Started => {
            commands.spawn((pointer, PointerLocation::new(Location { target: target.clone(), position: touch.position })));
            PointerAction::Press(PointerButton::Primary)
        }
        TouchPhase::Moved => PointerAction::Move { delta: Vec2::ZERO },
        TouchPhase::Ended => PointerAction::Release(PointerButton::Primary),
        TouchPhase::Canceled => PointerAction::Cancel,
    };
    input(pointer, target, touch.position, action)
}

/// A lifted finger's pointer goes once its release has been handled this frame.
fn despawn_lifted_touches(mut pending: ResMut<Pending>, pointers: Query<(Entity, &PointerId)>, mut commands: Commands) {
    if pending.lifted.is_empty() {
        return;
    }
    for (entity, pointer) in &pointers {
        if pending.lifted.contains(pointer) {
            commands.entity(entity).despawn();
        }
    }
    pending.lifted.clear();
}
