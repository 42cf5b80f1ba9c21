//! `gongkai render`: shows each requested view in turn, waits until fonts are loaded and the
//! layout has settled, captures the window into a PNG with a layout report beside it
//! (`NAME.layout.json`, see `layout_report`), and exits. Used by the tests and for the
//! screenshots in `docs/`.

use std::path::PathBuf;

use bevy::{
    prelude::*,
    render::view::screenshot::{Screenshot, ScreenshotCaptured},
};

use super::{
    care_mode::set_care,
    layout_report::{self, LayoutQuery},
    navigation::{Navigate, Route},
    theme::{Theme, UiFonts},
};

/// What to render: views by route, each into its own PNG.
#[derive(Debug, Clone)]
pub struct RenderRequest {
    pub width: u32,
    pub height: u32,
    pub care: bool,
    pub shots: Vec<(Route, PathBuf)>,
}

/// Frames to let text layout, images and UI scaling settle after a view is shown.
const SETTLE_FRAMES: u32 = 10;

pub fn plugin(request: RenderRequest) -> impl Fn(&mut App) {
    move |app: &mut App| {
        app.insert_resource(Progress { request: request.clone(), next: 0, frames: 0, waiting: false })
            .add_systems(Update, step);
    }
}

#[derive(Resource)]
struct Progress {
    request: RenderRequest,
    /// The shot being prepared.
    next: usize,
    frames: u32,
    /// A screenshot is on its way.
    waiting: bool,
}

#[allow(clippy::too_many_arguments)]
fn step(
    mut commands: Commands,
    assets: Res<AssetServer>,
    fonts: Res<UiFonts>,
    mut progress: ResMut<Progress>,
    mut navigate: MessageWriter<Navigate>,
    mut theme: ResMut<Theme>,
    mut clear: ResMut<ClearColor>,
    mut exit: MessageWriter<AppExit>,
    layout: LayoutQuery,
) {
    let loaded = assets.is_loaded_with_dependencies(&fonts.regular) && assets.is_loaded_with_dependencies(&fonts.bold);
    if !loaded || progress.waiting {
        return;
    }
    let Some((route, path)) = progress.request.shots.get(progress.next).cloned() else {
        exit.write(AppExit::Success);
        return;
    };
    if progress.frames == 0 {
        if theme.care != progress.request.care {
            set_care(progress.request.care, &mut theme, &mut clear);
        }
        navigate.write(Navigate::Replace(route));
    }
    progress.frames += 1;
    if progress.frames < SETTLE_FRAMES {
        return;
    }
    // The layout now is what the screenshot shows: report it with the picture.
    let report_path = path.with_extension("layout.json");
    if let Err(e) = layout_report::write(&layout, &report_path) {
        error!("{}: {e}", report_path.display());
        exit.write(AppExit::from_code(1));
        return;
    }
    progress.waiting = true;
    let index = progress.next;
    commands.spawn(Screenshot::primary_window()).observe(
        move |captured: On<ScreenshotCaptured>, mut progress: ResMut<Progress>, mut exit: MessageWriter<AppExit>| {
            let saved = captured
                .image
                .clone()
                .try_into_dynamic()
                .map_err(|e| e.to_string())
                .and_then(|image| image.to_rgb8().save(&path).map_err(|e| e.to_string()));
            match saved {
                Ok(()) => eprintln!("rendered {}", path.display()),
                Err(e) => {
                    eprintln!("error: {}: {e}", path.display());
                    exit.write(AppExit::from_code(1));
                }
            }
            progress.next = index + 1;
            progress.frames = 0;
            progress.waiting = false;
        },
    );
}
