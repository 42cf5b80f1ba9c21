//! Idle reset: after `idle.timeout_s` without input a countdown overlay appears; when it runs
//! out the kiosk returns to the attract loop and forgets the visitor (search text, filters,
//! history, QR codes on screen, 关怀模式).

use bevy::{picking::pointer::PointerInput, prelude::*};

use super::{
    navigation::{Navigate, Screen},
    pacing::NextChange,
    theme::Theme,
    widgets::{ButtonStyle, Ui, button, label},
};

pub fn plugin(app: &mut App) {
    app.add_message::<VisitorLeft>()
        .init_resource::<IdleClock>()
        // After picking, so the touch that dismisses the overlay lands on the overlay.
        // A wall has no visitors to forget.
        .add_systems(Update, (note_input, count_down).chain().run_if(not(in_state(Screen::Wall))));
}

/// Sent when the visitor is taken to be gone; plugins drop what the visitor left behind.
#[derive(Message, Debug, Clone, Copy)]
pub struct VisitorLeft;

#[derive(Resource, Debug, Clone, Copy)]
pub struct IdleSettings {
    pub timeout_s: f32,
    pub countdown_s: f32,
}

/// Durations are real time: Bevy's virtual clock advances at most 0.25 s a frame, and a
/// screen at rest draws a frame only every few seconds.
#[derive(Resource, Default)]
struct IdleClock {
    last_input_s: f32,
}

/// The countdown on screen.
#[derive(Component)]
struct CountdownOverlay;

#[derive(Component)]
struct CountdownText;

fn note_input(
    mut pointers: MessageReader<PointerInput>,
    mut keys: MessageReader<bevy::input::keyboard::KeyboardInput>,
    time: Res<Time<Real>>,
    mut clock: ResMut<IdleClock>,
    overlays: Query<Entity, With<CountdownOverlay>>,
    mut commands: Commands,
) {
    let touched = pointers.read().count() + keys.read().count() > 0;
    if touched {
        clock.last_input_s = time.elapsed_secs();
        for overlay in &overlays {
            commands.entity(overlay).despawn();
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn count_down(
    time: Res<Time<Real>>,
    mut clock: ResMut<IdleClock>,
    settings: Res<IdleSettings>,
    screen: Res<State<Screen>>,
    overlays: Query<Entity, With<CountdownOverlay>>,
    mut texts: Query<&mut Text, With<CountdownText>>,
    mut commands: Commands,
    mut navigate: MessageWriter<Navigate>,
    mut left: MessageWriter<VisitorLeft>,
    mut next_change: ResMut<NextChange>,
    ui: Ui,
) {
    let now = time.elapsed_secs();
    if matches!(screen.get(), Screen::Attract | Screen::OutOfService) {
        clock.last_input_s = now;
        return;
    }
    let idle = now - clock.last_input_s;
    if idle < settings.timeout_s {
        next_change.within(std::time::Duration::from_secs_f32(settings.timeout_s - idle));
        return;
    }
    let seconds_left = settings.timeout_s + settings.countdown_s - idle;
    if seconds_left <= 0.0 {
        for overlay in &overlays {
            commands.entity(overlay).despawn();
        }
        clock.last_input_s = now;
        navigate.write(Navigate::Reset);
        left.write(VisitorLeft);
        return;
    }
    let remaining = seconds_left.ceil();
    // The number on screen drops at each whole second left, and the reset comes at none.
    next_change.within(std::time::Duration::from_secs_f32(seconds_left - (remaining - 1.0)));
    let message = countdown_text(remaining as u32);
    if overlays.is_empty() {
        spawn_overlay(&mut commands, &ui, message);
    } else {
        for mut text in &mut texts {
            if text.0 != message {
                text.0.clone_from(&message);
            }
        }
    }
}

fn countdown_text(seconds: u32) -> String {
    format!("{seconds} 秒后返回首页")
}

fn spawn_overlay(commands: &mut Commands, ui: &Ui, message: String) {
    let theme: &Theme = &ui.theme;
    commands.spawn((
        CountdownOverlay,
        GlobalZIndex(100),
        Node {
            position_type: PositionType::Absolute,
            width: percent(100),
            height: percent(100),
            flex_direction: FlexDirection::Column,
            justify_content: JustifyContent::Center,
            align_items: AlignItems::Center,
            row_gap: px(32),
            ..default()
        },
        BackgroundColor(theme.colors.overlay),
        children![
            label("您还在使用吗？", ui, theme.title(), Color::WHITE, true),
            (CountdownText, label(message, ui, theme.heading(), Color::WHITE, false)),
            button("继续使用", ui, ButtonStyle::Primary),
        ],
    ));
}
