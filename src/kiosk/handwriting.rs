//! The 手写 pad of the search screen: a visitor writes one character with a finger, the ink
//! shows as it is drawn, and each lifted stroke asks the search screen to offer candidates
//! again. The recogniser is opened once; without it the search screen offers no pad.

use std::path::Path;

use bevy::prelude::*;
use gongkai_core::handwriting::{DEFAULT_MODEL, Ink, Recogniser};

use crate::kiosk::{
    idle::VisitorLeft,
    navigation::{Navigate, Navigation},
    widgets::Ui,
};

pub fn plugin(app: &mut App) {
    let recogniser = Recogniser::open(Path::new(DEFAULT_MODEL))
        .inspect_err(|e| eprintln!("no 手写 pad: {e}"))
        .ok();
    app.insert_resource(Handwriting { recogniser, ink: Ink::default(), drawing: false })
        .add_observer(pen_down)
        .add_observer(pen_moved)
        .add_observer(pen_lifted_after_drag)
        .add_observer(pen_lifted)
        .add_systems(Update, forget.run_if(on_message::<VisitorLeft>));
}

/// The recogniser, if its library and model are installed, and the ink on the pad in the
/// pad's logical pixels.
#[derive(Resource)]
pub struct Handwriting {
    pub recogniser: Option<Recogniser>,
    pub ink: Ink,
    drawing: bool,
}

impl Handwriting {
    pub fn clear(&mut self) {
        self.ink.strokes.clear();
        self.drawing = false;
    }
}

/// The pad a finger writes on.
#[derive(Component)]
pub struct HandwritingPad;

/// Ink dots closer than this are not drawn; a fast stroke is filled in between.
const DOT_SPACING: f32 = 4.0;

/// A square pad of `side` logical pixels showing the ink already written.
pub fn spawn_pad(commands: &mut Commands, parent: Entity, side: f32, handwriting: &Handwriting, ui: &Ui) -> Entity {
    let colors = &ui.theme.colors;
    let pad = commands
        .spawn((
            ChildOf(parent),
            HandwritingPad,
            Node {
                width: px(side),
                height: px(side),
                flex_shrink: 0.0,
                align_self: AlignSelf::Center,
                border: UiRect::all(px(3)),
                border_radius: BorderRadius::all(px(12)),
                ..default()
            },
            BackgroundColor(colors.surface),
            BorderColor::all(colors.text_muted),
        ))
        .id();
    for stroke in &handwriting.ink.strokes {
        let mut last = None;
        for &point in stroke {
            draw_to(commands, pad, last, point, ui);
            last = Some(point);
        }
    }
    pad
}

/// Dots from `from` (if the stroke goes on) to `to`, in the pad's pixels.
fn draw_to(commands: &mut Commands, pad: Entity, from: Option<(f32, f32)>, to: (f32, f32), ui: &Ui) {
    let radius = 5.0;
    let (x0, y0) = from.unwrap_or(to);
    let steps = ((to.0 - x0).hypot(to.1 - y0) / DOT_SPACING).ceil().max(1.0) as usize;
    for step in 1..=steps {
        let t = step as f32 / steps as f32;
        let (x, y) = (x0 + (to.0 - x0) * t, y0 + (to.1 - y0) * t);
        commands.spawn((
            ChildOf(pad),
            Pickable::IGNORE,
            Node {
                position_type: PositionType::Absolute,
                left: px(x - radius),
                top: px(y - radius),
                width: px(2.0 * radius),
                height: px(2.0 * radius),
                border_radius: BorderRadius::all(px(radius)),
                ..default()
            },
            BackgroundColor(ui.theme.colors.text),
        ));
    }
}

/// Where a pointer is on the pad, in the pad's logical pixels, and the pad's side.
fn on_pad(pad: (&ComputedNode, &UiGlobalTransform), pointer: Vec2) -> ((f32, f32), f32) {
    let (node, transform) = pad;
    let size = node.size() * node.inverse_scale_factor;
    let top_left = transform.translation * node.inverse_scale_factor - size / 2.0;
    let local = (pointer - top_left).clamp(Vec2::ZERO, size);
    ((local.x, local.y), size.x)
}

fn pen_down(
    mut press: On<Pointer<Press>>,
    pads: Query<(&ComputedNode, &UiGlobalTransform), With<HandwritingPad>>,
    mut handwriting: ResMut<Handwriting>,
    mut commands: Commands,
    ui: Ui,
) {
    let Ok(pad) = pads.get(press.entity) else { return };
    press.propagate(false);
    let (point, side) = on_pad(pad, press.pointer_location.position);
    handwriting.ink.width = side;
    handwriting.ink.height = side;
    handwriting.ink.strokes.push(vec![point]);
    handwriting.drawing = true;
    draw_to(&mut commands, press.entity, None, point, &ui);
}

fn pen_moved(
    mut drag: On<Pointer<Drag>>,
    pads: Query<(&ComputedNode, &UiGlobalTransform), With<HandwritingPad>>,
    mut handwriting: ResMut<Handwriting>,
    mut commands: Commands,
    ui: Ui,
) {
    let Ok(pad) = pads.get(drag.entity) else { return };
    drag.propagate(false);
    if !handwriting.drawing {
        return;
    }
    let (point, _) = on_pad(pad, drag.pointer_location.position);
    let Some(stroke) = handwriting.ink.strokes.last_mut() else { return };
    let last = stroke.last().copied();
    stroke.push(point);
    draw_to(&mut commands, drag.entity, last, point, &ui);
}

fn pen_lifted_after_drag(mut end: On<Pointer<DragEnd>>, pads: Query<(), With<HandwritingPad>>, handwriting: ResMut<Handwriting>, navigation: Res<Navigation>, navigate: MessageWriter<Navigate>) {
    if pads.contains(end.entity) {
        end.propagate(false);
        stroke_done(handwriting, &navigation, navigate);
    }
}

fn pen_lifted(mut release: On<Pointer<Release>>, pads: Query<(), With<HandwritingPad>>, handwriting: ResMut<Handwriting>, navigation: Res<Navigation>, navigate: MessageWriter<Navigate>) {
    if pads.contains(release.entity) {
        release.propagate(false);
        stroke_done(handwriting, &navigation, navigate);
    }
}

/// A lifted finger ends the stroke; the search screen is drawn again, as it was, with new
/// candidates.
fn stroke_done(mut handwriting: ResMut<Handwriting>, navigation: &Navigation, mut navigate: MessageWriter<Navigate>) {
    if std::mem::take(&mut handwriting.drawing) {
        navigate.write(Navigate::Replace(navigation.current));
    }
}

fn forget(mut handwriting: ResMut<Handwriting>) {
    handwriting.clear();
}
