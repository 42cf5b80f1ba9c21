//! 关怀模式: larger text and stronger contrast for older visitors, one tap away on every page.

use bevy::prelude::*;

use super::{
    idle::VisitorLeft,
    navigation::Navigate,
    theme::Theme,
};

pub fn plugin(app: &mut App) {
    app.add_observer(toggle_on_tap)
        .add_systems(Update, back_to_standard.run_if(on_message::<VisitorLeft>));
}

/// Put on the 关怀模式 button.
#[derive(Component)]
pub struct ToggleCareOnTap;

fn toggle_on_tap(
    click: On<Pointer<Click>>,
    buttons: Query<(), With<ToggleCareOnTap>>,
    mut theme: ResMut<Theme>,
    mut clear: ResMut<ClearColor>,
    mut navigate: MessageWriter<Navigate>,
) {
    if buttons.contains(click.entity) {
        set_care(!theme.care, &mut theme, &mut clear);
        navigate.write(Navigate::Refresh);
    }
}

/// The next visitor starts in the standard look.
fn back_to_standard(mut theme: ResMut<Theme>, mut clear: ResMut<ClearColor>) {
    if theme.care {
        set_care(false, &mut theme, &mut clear);
    }
}

pub fn set_care(care: bool, theme: &mut Theme, clear: &mut ClearColor) {
    *theme = theme.with_care(care);
    clear.0 = theme.colors.background;
}
