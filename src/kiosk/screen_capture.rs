//! 截图 for the fleet page: when the hub asks (a 截图 command) or every
//! `sync.screenshot_every_s`, the window is captured as the visitor sees it and handed to the
//! core's uploader, with where a visitor's input is on screen (nodes marked `VisitorInput` by
//! the screens that show it), which is painted over before the picture leaves the kiosk.

use std::{
    sync::{Arc, Mutex, mpsc::Sender},
    time::{Duration, Instant},
};

use bevy::{
    prelude::*,
    render::view::screenshot::{Screenshot, ScreenshotCaptured},
    ui::{ComputedNode, UiGlobalTransform, UiSystems},
    window::RequestRedraw,
};

use super::{KioskFacts, fleet_report::HeartbeatSettings};
use gongkai_core::fleet::screenshot::{Capture, FrameCapture, PixelRect, start_uploader};

pub fn plugin(app: &mut App) {
    app.init_resource::<CaptureAsked>()
        .add_systems(Startup, start)
        .add_systems(Update, ask_when_due.run_if(resource_exists::<Capturing>))
        .add_systems(PostUpdate, capture.after(UiSystems::PostLayout).run_if(resource_exists::<Capturing>));
}

/// What a visitor typed or wrote (search text, handwriting, PIN digits): never in a capture.
#[derive(Component)]
pub struct VisitorInput;

/// Captures asked for and not yet begun, each with the command it answers (`None` for a
/// periodic one). Filled from the push thread.
#[derive(Resource, Default, Clone)]
pub struct CaptureAsked(pub Arc<Mutex<Vec<Option<i64>>>>);

impl CaptureAsked {
    /// Asks once: a command sent again (with a new stream) is not captured twice.
    pub fn ask(&self, command: Option<i64>) {
        if let Ok(mut asked) = self.0.lock() {
            if command.is_none() || !asked.contains(&command) {
                asked.push(command);
            }
        }
    }

    fn next(&self) -> Option<Option<i64>> {
        self.0.lock().ok().and_then(|mut asked| (!asked.is_empty()).then(|| asked.remove(0)))
    }
}

#[derive(Resource)]
struct Capturing {
    uploader: Sender<Capture>,
    every: Option<Duration>,
    last_periodic: Instant,
    /// Counts captures, so that a late one is told from the one on its way.
    count: u64,
    /// The capture on its way (one at a time): its number, when it began, its command.
    on_its_way: Option<(u64, Instant, Option<i64>)>,
}

impl Capturing {
    /// Answers the command of a capture that came to nothing.
    fn failed(&self, command: Option<i64>, reason: &str) {
        warn!("截图: {reason}");
        if let Some(command) = command {
            // The uploader runs as long as the app: a send fails only while it exits.
            let _ = self.uploader.send(Capture::Failed { command, reason: reason.into() });
        }
    }
}

/// A capture not back by then is given up and its command answered as failed.
const GIVE_UP: Duration = Duration::from_secs(10);

fn start(mut commands: Commands, settings: Option<Res<HeartbeatSettings>>, facts: Res<KioskFacts>) {
    let Some(settings) = settings else { return };
    let uploader = start_uploader(settings.push_settings(&facts.kiosk_id));
    commands.insert_resource(Capturing { uploader, every: settings.screenshot_every, last_periodic: Instant::now(), count: 0, on_its_way: None });
}

fn ask_when_due(mut capturing: ResMut<Capturing>, asked: Res<CaptureAsked>) {
    if capturing.every.is_some_and(|every| capturing.last_periodic.elapsed() >= every) {
        capturing.last_periodic = Instant::now();
        asked.ask(None);
    }
}

/// Runs once layout is final, so the areas blanked are those of the frame captured.
fn capture(
    mut commands: Commands,
    asked: Res<CaptureAsked>,
    mut capturing: ResMut<Capturing>,
    inputs: Query<(&ComputedNode, &UiGlobalTransform, &InheritedVisibility), With<VisitorInput>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    if let Some((_, begun, command)) = capturing.on_its_way {
        if begun.elapsed() < GIVE_UP {
            // A resting screen sleeps between frames; the capture comes back with the next one.
            redraw.write(RequestRedraw);
            return;
        }
        capturing.failed(command, "屏幕 10 秒内未完成截图");
        capturing.on_its_way = None;
    }
    let Some(command) = asked.next() else { return };
    let blanked: Vec<PixelRect> = inputs.iter().filter(|(.., visible)| visible.get()).map(|(node, transform, _)| area(node, transform)).collect();
    let taken_at_ms = chrono::Utc::now().timestamp_millis();
    capturing.count += 1;
    let number = capturing.count;
    capturing.on_its_way = Some((number, Instant::now(), command));
    redraw.write(RequestRedraw);
    commands.spawn(Screenshot::primary_window()).observe(move |captured: On<ScreenshotCaptured>, mut capturing: ResMut<Capturing>| {
        if capturing.on_its_way.is_none_or(|(on_its_way, ..)| on_its_way != number) {
            return; // Given up on already.
        }
        capturing.on_its_way = None;
        match captured.image.clone().try_into_dynamic() {
            Ok(frame) => {
                let frame = frame.to_rgb8();
                let (width, height) = frame.dimensions();
                let capture = FrameCapture { command, taken_at_ms, width, height, rgb: frame.into_raw(), blanked: blanked.clone() };
                let _ = capturing.uploader.send(Capture::Frame(capture));
            }
            Err(e) => capturing.failed(command, &format!("截图无法读取：{e}")),
        }
    });
}

/// A node's box on screen in physical pixels, as the capture has them: the bounds of its
/// corners, should it be turned.
fn area(node: &ComputedNode, transform: &UiGlobalTransform) -> PixelRect {
    let half = node.size / 2.0;
    let corners = [Vec2::new(-1.0, -1.0), Vec2::new(1.0, -1.0), Vec2::new(1.0, 1.0), Vec2::new(-1.0, 1.0)].map(|corner| transform.transform_point2(corner * half));
    let low = corners.iter().copied().fold(Vec2::MAX, Vec2::min);
    let high = corners.iter().copied().fold(Vec2::MIN, Vec2::max);
    PixelRect { x: low.x, y: low.y, width: high.x - low.x, height: high.y - low.y }
}
