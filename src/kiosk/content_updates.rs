//! New content from the sync worker, which the push channel starts at once when the hub
//! publishes (`remote_commands` handles what the hub pushes). The worker has already checked
//! and indexed it; the screen swaps it in within one frame, but only when nobody is in the
//! middle of something (attract loop, home, out of service, or once the visitor has left), so
//! a visitor's document never changes under their finger.

use std::{
    sync::{Arc, Mutex, mpsc::Receiver},
    time::Duration,
};

use bevy::{
    prelude::*,
    winit::{EventLoopProxyWrapper, WinitUserEvent},
};

use super::{
    KioskFacts, Shown,
    fleet_report::HeartbeatSettings,
    remote_commands::{self, RestartAsked},
    screen_capture::CaptureAsked,
    idle::VisitorLeft,
    navigation::{Navigate, Screen},
};
use gongkai_core::{
    fleet::{PushState, start_listener},
    sync::{self, ContentUpdate, SyncSettings, SyncStatus},
};

pub fn plugin(app: &mut App) {
    app.add_message::<ContentChanged>()
        .init_resource::<PendingContent>()
        .add_systems(Startup, start_worker)
        .add_systems(Update, (receive, apply_when_at_rest).chain().in_set(ContentSwap));
}

/// Where new content is swapped in: what looks at it in the same frame runs after.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContentSwap;

/// Sent when new content is on screen; lists drop what they computed from the old.
#[derive(Message, Debug, Clone, Copy)]
pub struct ContentChanged;

/// The sync configuration, until the worker is started.
#[derive(Resource)]
pub struct SyncToStart(pub SyncSettings, pub Duration);

/// The running worker's hand-over channel and status, and the push channel's.
#[derive(Resource)]
pub struct SyncConnection {
    updates: Mutex<Receiver<ContentUpdate>>,
    pub status: Arc<Mutex<SyncStatus>>,
    /// Present when the kiosk reports to a hub, which can then push to it.
    pub push: Option<Arc<Mutex<PushState>>>,
}

impl SyncConnection {
    pub fn new(updates: Receiver<ContentUpdate>, status: Arc<Mutex<SyncStatus>>) -> Self {
        Self { updates: Mutex::new(updates), status, push: None }
    }
}

#[derive(Resource, Default)]
struct PendingContent(Option<ContentUpdate>);

fn start_worker(
    mut commands: Commands,
    to_start: Option<Res<SyncToStart>>,
    heartbeat: Option<Res<HeartbeatSettings>>,
    facts: Res<KioskFacts>,
    restart: Res<RestartAsked>,
    capture: Res<CaptureAsked>,
    proxy: Option<Res<EventLoopProxyWrapper>>,
) {
    let Some(to_start) = to_start else { return };
    let wake = waker(proxy);
    let worker = sync::start(to_start.0.clone(), to_start.1, Box::new(wake.clone()));
    let push = heartbeat.map(|heartbeat| {
        let handler = remote_commands::handler(worker.sync_now.clone(), restart.clone(), capture.clone(), wake);
        start_listener(heartbeat.push_settings(&facts.kiosk_id), Box::new(handler))
    });
    commands.insert_resource(SyncConnection { updates: Mutex::new(worker.updates), status: worker.status, push });
    commands.remove_resource::<SyncToStart>();
}

fn receive(connection: Option<Res<SyncConnection>>, mut pending: ResMut<PendingContent>) {
    let Some(connection) = connection else { return };
    let Ok(updates) = connection.updates.lock() else { return };
    // Only the newest matters when several arrived while the visitor was busy.
    while let Ok(update) = updates.try_recv() {
        pending.0 = Some(update);
    }
}

fn apply_when_at_rest(
    mut pending: ResMut<PendingContent>,
    screen: Res<State<Screen>>,
    mut left: MessageReader<VisitorLeft>,
    mut shown: ResMut<Shown>,
    mut facts: ResMut<KioskFacts>,
    mut navigate: MessageWriter<Navigate>,
    mut changed: MessageWriter<ContentChanged>,
) {
    let visitor_left = left.read().count() > 0;
    let at_rest = matches!(screen.get(), Screen::Attract | Screen::Home | Screen::OutOfService | Screen::Wall);
    if pending.0.is_none() || !(at_rest || visitor_left) {
        return;
    }
    let Some(update) = pending.0.take() else { return };
    swap_in(update, &mut shown, &mut facts, &mut changed);
    // Show the same resting screen with the new content, with no history into the old. A wall
    // keeps its page on screen and shows the new content from its next page on.
    match screen.get() {
        Screen::Wall => {}
        Screen::Home => {
            navigate.write(Navigate::Home);
        }
        _ => {
            navigate.write(Navigate::Reset);
        }
    }
}

/// Puts `update` on screen in place of what is shown, and tells the lists.
pub(super) fn swap_in(update: ContentUpdate, shown: &mut Shown, facts: &mut KioskFacts, changed: &mut MessageWriter<ContentChanged>) {
    // Freeing a large library takes a while; let it go off the screen's thread.
    let old = shown.0.replace(update.library);
    std::thread::spawn(move || drop(old));
    facts.show_bundle(update.version, update.built, update.folder);
    changed.write(ContentChanged);
}

/// Wakes a screen at rest, from another thread, to take what that thread made.
pub(super) fn waker(proxy: Option<Res<EventLoopProxyWrapper>>) -> impl Fn() + Send + Clone + 'static {
    let proxy = proxy.map(|p| (**p).clone());
    move || {
        if let Some(proxy) = &proxy {
            // A closed loop means the kiosk is exiting; nothing to wake.
            let _ = proxy.send_event(WinitUserEvent::WakeUp);
        }
    }
}
