//! Logs when the first full frame is drawn: the fonts are in and the first screen is laid
//! out. Operators see how long a kiosk takes to come up (the kiosk benchmark measures until
//! the X server shows that frame).

use std::time::Instant;

use bevy::prelude::*;

use super::theme::UiFonts;

pub fn plugin(app: &mut App) {
    app.insert_resource(Started(Instant::now())).add_systems(Last, report_first_frame);
}

#[derive(Resource)]
struct Started(Instant);

/// Present once the first full frame has been drawn.
#[derive(Resource)]
pub struct FirstFrameShown;

const FIRST_FRAME: &str = "first full frame after";

fn report_first_frame(
    mut commands: Commands,
    started: Res<Started>,
    assets: Res<AssetServer>,
    fonts: Res<UiFonts>,
    laid_out: Query<(), (With<Text>, Changed<ComputedNode>)>,
    mut done: Local<bool>,
) {
    if *done || !assets.is_loaded_with_dependencies(&fonts.regular) || !assets.is_loaded_with_dependencies(&fonts.bold) {
        return;
    }
    if !laid_out.is_empty() {
        *done = true;
        commands.insert_resource(FirstFrameShown);
        eprintln!("{FIRST_FRAME} {} ms", started.0.elapsed().as_millis());
    }
}
