//! The Bevy front end: a full-screen touch kiosk showing the checked content.
//! It only displays and reacts: files, checks and data come from the plain modules.

mod render_to_file;
mod screens;
mod theme;
mod widgets;

use std::{path::PathBuf, process::ExitCode, sync::Arc};

use bevy::{
    prelude::*,
    window::{MonitorSelection, WindowMode, WindowResolution},
    winit::WinitSettings,
};

use crate::{
    config::{self, DEFAULT_CONFIG, KioskConfig},
    content::{
        check::CheckOptions,
        display_source::{self, DisplaySource},
        model::Content,
    },
};

/// The content on screen. `None` when neither the configured nor the built-in bundle passed
/// the checker: the kiosk then shows a plain out-of-service screen, never a blank one.
#[derive(Resource, Clone)]
pub struct ShownContent(pub Option<Arc<Content>>);

/// Runs the kiosk until it is closed.
pub fn run(config_path: Option<PathBuf>) -> ExitCode {
    let Some((config, shown)) = prepare(config_path) else { return ExitCode::from(2) };
    let mut app = app(&config, shown, window_mode(&config));
    app.insert_resource(WinitSettings::desktop_app());
    exit_code(app.run())
}

/// Renders the first screen at `width`×`height` into the PNG `out` and exits.
pub fn render(config_path: Option<PathBuf>, width: u32, height: u32, out: PathBuf) -> ExitCode {
    let Some((config, shown)) = prepare(config_path) else { return ExitCode::from(2) };
    let window = Window {
        title: "gongkai".into(),
        resolution: WindowResolution::new(width, height),
        resizable: false,
        ..default()
    };
    let mut app = app(&config, shown, window);
    app.insert_resource(WinitSettings::game()).add_plugins(render_to_file::plugin(out));
    exit_code(app.run())
}

fn prepare(config_path: Option<PathBuf>) -> Option<(KioskConfig, ShownContent)> {
    let path = config_path.unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG));
    let config = match config::load(&path) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("error: {error}");
            return None;
        }
    };
    let built_in = config::assets_dir().join("demo");
    let shown = match display_source::choose(&config.content.bundle, &built_in, &CheckOptions::at_local_now()) {
        Ok(DisplaySource { content, folder, bundle_version, refused }) => {
            for problem in &refused {
                eprintln!("refused {}: {problem}", config.content.bundle.display());
            }
            eprintln!("showing {} (bundle version {bundle_version})", folder.display());
            Some(Arc::new(content))
        }
        Err((configured, built_in_problems)) => {
            for problem in configured.iter().chain(&built_in_problems) {
                eprintln!("refused: {problem}");
            }
            None
        }
    };
    Some((config, ShownContent(shown)))
}

fn window_mode(config: &KioskConfig) -> Window {
    let display = &config.display;
    Window {
        title: "gongkai".into(),
        resolution: WindowResolution::new(display.width, display.height),
        mode: if display.fullscreen {
            WindowMode::BorderlessFullscreen(MonitorSelection::Primary)
        } else {
            WindowMode::Windowed
        },
        decorations: !display.fullscreen,
        ..default()
    }
}

fn app(config: &KioskConfig, shown: ShownContent, window: Window) -> App {
    let mut app = App::new();
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin { primary_window: Some(window), ..default() })
            .set(AssetPlugin {
                file_path: config::assets_dir().to_string_lossy().into_owned(),
                ..default()
            }),
    )
    .insert_resource(shown)
    .insert_resource(KioskId(config.kiosk.id.clone()))
    .add_plugins((theme::plugin, screens::plugin));
    app
}

/// This screen's id from its configuration.
#[derive(Resource, Clone)]
pub struct KioskId(pub String);

fn exit_code(exit: AppExit) -> ExitCode {
    match exit {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}
