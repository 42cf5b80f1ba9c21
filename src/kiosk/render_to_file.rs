//! `gongkai render`: wait until fonts are loaded and the layout has settled, capture the
//! window into a PNG and exit. Used by tests and to preview a configuration.

use std::path::PathBuf;

use bevy::{
    prelude::*,
    render::view::screenshot::{Screenshot, ScreenshotCaptured},
};

use super::theme::UiFonts;

/// Frames to let text layout and UI scaling settle once the fonts are loaded.
const SETTLE_FRAMES: u32 = 8;

pub fn plugin(out: PathBuf) -> impl Fn(&mut App) {
    move |app: &mut App| {
        app.insert_resource(RenderTarget(out.clone())).add_systems(Update, capture_when_ready);
    }
}

#[derive(Resource)]
struct RenderTarget(PathBuf);

fn capture_when_ready(
    mut commands: Commands,
    assets: Res<AssetServer>,
    fonts: Res<UiFonts>,
    target: Res<RenderTarget>,
    mut settled: Local<u32>,
) {
    let loaded = assets.is_loaded_with_dependencies(&fonts.regular)
        && assets.is_loaded_with_dependencies(&fonts.bold);
    if !loaded || *settled > SETTLE_FRAMES {
        return;
    }
    *settled += 1;
    if *settled == SETTLE_FRAMES {
        let path = target.0.clone();
        commands.spawn(Screenshot::primary_window()).observe(
            move |captured: On<ScreenshotCaptured>, mut exit: MessageWriter<AppExit>| {
                let saved = captured
                    .image
                    .clone()
                    .try_into_dynamic()
                    .map_err(|e| e.to_string())
                    .and_then(|image| image.to_rgb8().save(&path).map_err(|e| e.to_string()));
                match saved {
                    Ok(()) => {
                        eprintln!("rendered {}", path.display());
                        exit.write(AppExit::Success);
                    }
                    Err(e) => {
                        eprintln!("error: {}: {e}", path.display());
                        exit.write(AppExit::from_code(1));
                    }
                }
            },
        );
    }
}
