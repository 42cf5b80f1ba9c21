//! The Bevy front end: a full-screen touch kiosk showing the checked content.
//! It only displays and reacts: files, checks, search and links come from the plain modules.

mod admin_entry;
mod care_mode;
mod charts;
mod content_updates;
mod first_content;
mod fleet_report;
mod proof_of_play;
mod remote_commands;
mod full_screen;
mod hall_clock;
mod handwriting;
mod idle;
mod layout_report;
mod navigation;
mod pacing;
mod printing;
mod render_to_file;
mod screen_capture;
mod screens;
mod service_manager;
mod scroll;
mod speech;
mod startup_report;
mod tap_input;
mod theme;
mod urgent_notice;
mod wall;
mod widgets;
mod zoom;

use std::{path::PathBuf, process::ExitCode, sync::Arc};

use bevy::{
    prelude::*,
    render::{RenderPlugin, settings::WgpuSettings},
    window::{CursorOptions, MonitorSelection, WindowMode, WindowResolution},
    winit::{WinitPlugin, WinitSettings},
};

pub use content_updates::SyncConnection;
pub use first_content::BehindCover;
use first_content::Covers;
pub use hall_clock::HallClock;
pub use handwriting::HandwritingPad;
pub use navigation::{Navigate, Navigation, Route, Screen};
pub use screen_capture::VisitorInput;
pub use screens::{KeypadGuard, PinEntry, SearchText, named_routes};
pub use theme::Theme;
pub use wall::{PageShown, Player};
pub use widgets::HandoffQr;

use render_to_file::RenderRequest;

use gongkai_core::{
    config::{self, DEFAULT_CONFIG, KioskConfig},
    library::Library,
    sync::layout::bundle_manifest_sha256,
};

/// The content on screen. `None` when neither the configured nor the built-in bundle passed
/// the checker: the kiosk then shows a plain out-of-service screen, never a blank one.
#[derive(Resource, Clone)]
pub struct Shown(pub Option<Arc<Library>>);

/// Facts about this screen for the admin panel.
#[derive(Resource, Clone, Debug)]
pub struct KioskFacts {
    pub kiosk_id: String,
    pub bundle_version: u64,
    /// When the bundle was built, local time, for the admin panel.
    pub bundle_built: String,
    pub bundle_folder: PathBuf,
    /// The identity of the manifest shown, for the hub's 最新 (empty without one).
    pub manifest_sha256: String,
}

impl KioskFacts {
    /// The facts of kiosk `kiosk_id` showing no bundle.
    fn showing_nothing(kiosk_id: String) -> Self {
        Self { kiosk_id, bundle_version: 0, bundle_built: String::new(), bundle_folder: PathBuf::new(), manifest_sha256: String::new() }
    }

    /// Records that no bundle is shown.
    pub fn show_nothing(&mut self) {
        *self = Self::showing_nothing(std::mem::take(&mut self.kiosk_id));
    }

    /// Records the bundle now shown.
    pub fn show_bundle(&mut self, version: u64, built: Option<chrono::DateTime<chrono::Utc>>, folder: PathBuf) {
        self.bundle_version = version;
        self.bundle_built =
            built.map(|at| at.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
        self.manifest_sha256 = bundle_manifest_sha256(&folder).unwrap_or_default();
        self.bundle_folder = folder;
    }
}

/// Everything the app is made from, read and checked before the window opens.
pub struct Prepared {
    pub config: KioskConfig,
    pub shown: Shown,
    pub facts: KioskFacts,
    /// Set when a saved cover is shown: what to check behind it (`first_content`).
    pub behind_cover: Option<first_content::BehindCover>,
}

/// How the bundle shown first is made ready.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FirstShown {
    /// Checked and indexed before the window opens (`render`, tools).
    Checked,
    /// A kiosk's start: the bundle's saved cover at once, checked behind it; without a
    /// cover, checked before the window opens and its cover saved for the next start.
    CoverFirst,
}

/// Reads the config and chooses the bundle; the error is for the operator.
pub fn prepare(config_path: Option<PathBuf>) -> Result<Prepared, String> {
    prepare_with(config_path, |_| {})
}

/// `prepare`, with a change to the config before the bundle is chosen (tests, tools).
pub fn prepare_with(config_path: Option<PathBuf>, adjust: impl FnOnce(&mut KioskConfig)) -> Result<Prepared, String> {
    prepare_at(config_path, chrono::Local::now().naive_local(), FirstShown::Checked, adjust)
}

/// `prepare` as a kiosk starts: the saved cover first (`FirstShown::CoverFirst`).
fn prepare_cover_first(config_path: Option<PathBuf>) -> Result<Prepared, String> {
    prepare_at(config_path, chrono::Local::now().naive_local(), FirstShown::CoverFirst, |_| {})
}

/// Prepares the bundle as of the hall time `now` (`render --at`).
fn prepare_at(
    config_path: Option<PathBuf>,
    now: chrono::NaiveDateTime,
    first: FirstShown,
    adjust: impl FnOnce(&mut KioskConfig),
) -> Result<Prepared, String> {
    let path = config_path.unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG));
    let mut config = config::load(&path)?;
    adjust(&mut config);
    let built_in = config::assets_dir().join("demo");
    let mut facts = KioskFacts::showing_nothing(config.kiosk.id.clone());
    let configured = &config.content.bundle;
    let cover = (first == FirstShown::CoverFirst).then(|| first_content::open_cover(configured, &built_in, now)).flatten();
    let (update, behind_cover) = match cover {
        Some((update, behind)) => (Some(update), Some(behind)),
        None => {
            let covers = if first == FirstShown::CoverFirst { Covers::Kept } else { Covers::Untouched };
            (first_content::load(configured, &built_in, now, covers), None)
        }
    };
    let library = update.map(|update| {
        facts.show_bundle(update.version, update.built, update.folder);
        update.library
    });
    if let (Some(wanted), Some(library)) = (config.wall.as_ref().and_then(|w| w.community.as_deref()), &library)
        && !library.content.communities.iter().any(|c| c.id == wanted)
    {
        eprintln!("{}: wall.community: the bundle has no community {wanted:?}; the community page shows the first one", path.display());
    }
    Ok(Prepared { config, shown: Shown(library), facts, behind_cover })
}

/// The prepared app, or `None` after telling the operator why not.
fn report_failure(prepared: Result<Prepared, String>) -> Option<Prepared> {
    prepared.map_err(|error| eprintln!("error: {error}")).ok()
}

/// Runs the kiosk until it is closed.
pub fn run(config_path: Option<PathBuf>) -> ExitCode {
    let Some(prepared) = report_failure(prepare_cover_first(config_path)) else { return ExitCode::from(2) };
    let window = kiosk_window(&prepared.config);
    let touch = prepared.config.input.touch;
    let mut app = app(prepared, AppKind::Window(Box::new(window)));
    // An unchanging screen wakes only now and then and costs almost nothing.
    app.insert_resource(pacing::at_rest()).add_plugins((pacing::plugin, service_manager::plugin));
    if touch {
        app.add_systems(Startup, hide_cursor);
    }
    exit_code(app.run())
}

/// Where `gongkai render` puts its pictures.
pub enum RenderTarget {
    File(PathBuf),
    Folder(PathBuf),
    /// Print the view names instead.
    List,
}

/// `gongkai render` as given on the command line.
pub struct RenderOrder {
    pub width: u32,
    pub height: u32,
    /// View names; empty means the first screen, `all` every view.
    pub screens: Vec<String>,
    pub care: bool,
    /// Hall local time (`None`: now): the bundle is checked as of it, and a wall shows it.
    pub at: Option<chrono::NaiveDateTime>,
    pub target: RenderTarget,
}

/// Renders views into PNG files (with a layout report beside each) and exits.
pub fn render(config_path: Option<PathBuf>, order: RenderOrder) -> ExitCode {
    let hall_time = order.at.unwrap_or_else(|| chrono::Local::now().naive_local());
    let Some(prepared) = report_failure(prepare_at(config_path, hall_time, FirstShown::Checked, |_| {})) else { return ExitCode::from(2) };
    let views = match (prepared.config.playlist(), prepared.shown.0.as_deref()) {
        (Some(playlist), Some(_)) => wall::named_routes(&playlist),
        (_, library) => named_routes(library),
    };
    let at = order.at;
    let request = match render_request(order, &views) {
        Ok(Some(request)) => request,
        Ok(None) => return ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let window = Window {
        title: "gongkai".into(),
        resolution: WindowResolution::new(request.width, request.height),
        resizable: false,
        ..default()
    };
    let mut app = app(prepared, AppKind::Window(Box::new(window)));
    // The finished picture: charts drawn complete rather than mid-animation.
    app.insert_resource(WinitSettings::game())
        .insert_resource(charts::ChartMotion { animate: false })
        .insert_resource(hall_clock::HallClock { fixed: at })
        .add_plugins(render_to_file::plugin(request));
    exit_code(app.run())
}

/// Resolves view names; `Ok(None)` when the names were listed instead.
fn render_request(order: RenderOrder, views: &[(&'static str, Route)]) -> Result<Option<RenderRequest>, String> {
    let RenderOrder { width, height, screens, care, target, .. } = order;
    let folder = match target {
        RenderTarget::List => {
            for (name, _) in views {
                println!("{name}");
            }
            return Ok(None);
        }
        RenderTarget::File(file) => {
            let route = match screens.as_slice() {
                [] => views[0].1,
                [name] => find_view(views, name)?,
                _ => return Err("-o takes one --screen; use --out-dir for several".into()),
            };
            return Ok(Some(RenderRequest { width, height, care, shots: vec![(route, file)] }));
        }
        RenderTarget::Folder(folder) => folder,
    };
    std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let names: Vec<&str> = if screens.is_empty() || screens.iter().any(|s| s == "all") {
        views.iter().map(|(name, _)| *name).collect()
    } else {
        screens.iter().map(String::as_str).collect()
    };
    let shots = names
        .into_iter()
        .map(|name| Ok((find_view(views, name)?, folder.join(format!("{name}.png")))))
        .collect::<Result<_, String>>()?;
    Ok(Some(RenderRequest { width, height, care, shots }))
}

fn find_view(views: &[(&'static str, Route)], name: &str) -> Result<Route, String> {
    views.iter().find(|(n, _)| *n == name).map(|(_, route)| *route).ok_or_else(|| {
        let known: Vec<&str> = views.iter().map(|(n, _)| *n).collect();
        format!("no view {name:?}; views: {}", known.join(", "))
    })
}

/// How the app meets the world.
pub enum AppKind {
    /// A real window through winit.
    Window(Box<Window>),
    /// No window system and no GPU: driven by `App::update` in tests, input written as
    /// messages, layout computed as for a window of this logical size.
    Headless { width: u32, height: u32 },
}

/// The kiosk app, ready to run or to drive.
pub fn app(prepared: Prepared, kind: AppKind) -> App {
    let Prepared { config, shown, facts, behind_cover } = prepared;
    let mut app = App::new();
    if let Some(behind_cover) = behind_cover {
        app.insert_resource(behind_cover);
    }
    if let Some(settings) = config.sync_settings() {
        let interval = std::time::Duration::from_secs(config.sync.as_ref().map_or(300, |s| u64::from(s.interval_s)));
        app.insert_resource(fleet_report::HeartbeatSettings {
            hub_url: settings.hub_url.clone(),
            key: config.handoff_secret(),
            interval: std::time::Duration::from_secs(config.sync.as_ref().map_or(60, |s| u64::from(s.heartbeat_interval_s))),
            screenshot_every: config.sync.as_ref().filter(|s| s.screenshot_every_s > 0).map(|s| std::time::Duration::from_secs(u64::from(s.screenshot_every_s))),
        });
        let (plays, problem) = gongkai_core::fleet::PlayLog::open(&settings.store.join("plays.json"));
        if let Some(problem) = problem {
            eprintln!("proof of play: {problem}");
        }
        app.insert_resource(proof_of_play::Plays(std::sync::Arc::new(std::sync::Mutex::new(plays))));
        app.insert_resource(content_updates::SyncToStart(settings, interval));
    }
    let assets = AssetPlugin { file_path: config::assets_dir().to_string_lossy().into_owned(), ..default() };
    match kind {
        AppKind::Window(window) => {
            // A full-screen kiosk ignores a window manager's close (Alt+F4, a close button):
            // the only way out is 退出程序 behind the admin PIN.
            let close_when_requested = window.mode == WindowMode::Windowed;
            let windows = WindowPlugin { primary_window: Some(*window), close_when_requested, ..default() };
            app.add_plugins(DefaultPlugins.set(windows).set(assets));
        }
        AppKind::Headless { width, height } => {
            let window = Window { resolution: WindowResolution::new(width, height), ..default() };
            app.add_plugins(
                DefaultPlugins
                    .set(WindowPlugin { primary_window: Some(window), ..default() })
                    .set(assets)
                    .set(RenderPlugin { render_creation: WgpuSettings { backends: None, ..default() }.into(), ..default() })
                    .disable::<WinitPlugin>(),
            );
        }
    }
    if let Some(print) = &config.print {
        // Without its fonts the kiosk cannot make a printable page: it offers no 打印 then.
        match gongkai_core::print::pdf::Fonts::load(&config::assets_dir()) {
            Ok(fonts) => {
                app.insert_resource(printing::Printing::new(print, fonts));
            }
            Err(problem) => warn!("打印 is off: {problem:#}"),
        }
    }
    app.insert_resource(shown)
        .insert_resource(facts)
        .init_resource::<pacing::NextChange>()
        .insert_resource(widgets::HandoffSigner(config.link_signer()))
        .init_resource::<widgets::QrShownCounts>()
        .insert_resource(idle::IdleSettings {
            timeout_s: config.idle.timeout_s as f32,
            countdown_s: config.idle.countdown_s as f32,
        })
        .insert_resource(screens::AdminPin(config.admin_pin()))
        .insert_resource(speech::Speaker::new(config.speech_command()))
        .init_resource::<urgent_notice::UrgentNotice>()
        .add_plugins(bevy::diagnostic::FrameTimeDiagnosticsPlugin::default())
        .add_plugins((content_updates::plugin, first_content::plugin, remote_commands::plugin, screen_capture::plugin, fleet_report::plugin, proof_of_play::plugin, charts::plugin))
        .add_plugins((
            theme::plugin,
            hall_clock::plugin,
            navigation::plugin,
            care_mode::plugin,
            idle::plugin,
            scroll::plugin,
            zoom::plugin,
            speech::plugin,
            printing::plugin,
            admin_entry::plugin,
            screens::plugin,
            startup_report::plugin,
            tap_input::plugin,
            full_screen::plugin,
        ));
    // A wall: the same app with the wall's plugin and its dark look instead of the kiosk's.
    if let (Some(playlist), Some(wall)) = (config.playlist(), &config.wall) {
        app.insert_resource(wall::WallSettings {
            playlist,
            transition_s: wall.transition_ms as f32 / 1000.0,
            community: wall.community.clone(),
        })
        .insert_resource(ClearColor(theme::Palette::WALL.background))
        .insert_resource(Theme { colors: theme::Palette::WALL, ..default() })
        .add_plugins(wall::plugin);
    } else {
        app.add_plugins((urgent_notice::plugin, handwriting::plugin));
    }
    app
}

fn kiosk_window(config: &KioskConfig) -> Window {
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

fn hide_cursor(mut cursors: Query<&mut CursorOptions>) {
    for mut cursor in &mut cursors {
        cursor.visible = false;
    }
}

fn exit_code(exit: AppExit) -> ExitCode {
    match exit {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}
