//! What a kiosk shows first. Without a saved cover: the configured bundle checked and indexed
//! before the window opens, else the built-in one (`display_source`), and the cover of the
//! configured one saved. With the configured bundle's cover saved by an earlier start or sync
//! (`library::cover`): the cover at once, and, once its first frame is on screen, the same
//! check and index on a thread behind it. Their outcome then replaces the cover on whatever
//! screen is shown (a cover holds no document a visitor could be reading), or, when both
//! bundles are refused, takes the kiosk out of service as such a start would.

use std::{
    path::{Path, PathBuf},
    sync::{
        Arc, Mutex,
        mpsc::{Receiver, TryRecvError, channel},
    },
};

use bevy::{prelude::*, winit::EventLoopProxyWrapper};
use chrono::NaiveDateTime;
use gongkai_core::{
    content::{check::CheckOptions, display_source::{self, DisplaySource}},
    library::{Library, cover::{Cover, covers_folder}},
    sync::{ContentUpdate, layout::bundle_manifest_sha256},
};

use super::{
    KioskFacts, Shown,
    content_updates::{ContentChanged, ContentSwap, swap_in, waker},
    navigation::{Navigate, Route, Screen},
    startup_report::FirstFrameShown,
};

pub fn plugin(app: &mut App) {
    app.add_systems(Last, check_behind_cover.run_if(resource_exists::<BehindCover>).run_if(resource_exists::<FirstFrameShown>))
        .add_systems(Update, hand_over.run_if(resource_exists::<Checking>).in_set(ContentSwap));
}

/// A cover is shown: the bundles to check behind it once the first frame is on screen.
#[derive(Resource, Clone)]
pub struct BehindCover {
    /// The configured bundle's own folder, the link to it resolved when the cover was opened.
    configured: PathBuf,
    built_in: PathBuf,
}

impl BehindCover {
    pub fn new(configured: PathBuf, built_in: PathBuf) -> Self {
        Self { configured, built_in }
    }
}

/// The check behind the cover, running.
#[derive(Resource)]
struct Checking(Mutex<Receiver<Option<ContentUpdate>>>);

/// Whether a check also keeps the covers: a kiosk's start does, `render` and tools do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Covers {
    Kept,
    Untouched,
}

/// Checks and indexes the bundle to show (`configured`, else `built_in`) as of `now`, telling
/// the operator what was refused. With `Covers::Kept`, saves the cover of a configured bundle
/// shown, or forgets that of one refused. `None` when neither can be shown.
pub fn load(configured: &Path, built_in: &Path, now: NaiveDateTime, covers: Covers) -> Option<ContentUpdate> {
    let chosen = display_source::choose(configured, built_in, &CheckOptions { now });
    let configured_refused = chosen.as_ref().map_or(true, |source| !source.refused.is_empty());
    if configured_refused && covers == Covers::Kept
        && let (Some(folder), Some(manifest)) = (covers_folder(), bundle_manifest_sha256(configured))
    {
        Cover::forget(&folder, &manifest);
    }
    match chosen {
        Ok(DisplaySource { content, folder, bundle_version, created_at, refused }) => {
            for problem in &refused {
                eprintln!("refused {}: {problem}", configured.display());
            }
            let cover_checked_at = (covers == Covers::Kept && refused.is_empty()).then_some(now);
            let update = ContentUpdate::index(content, folder, (bundle_version, created_at), cover_checked_at);
            eprintln!("showing {} (bundle version {bundle_version})", update.folder.display());
            Some(update)
        }
        Err((configured_problems, built_in_problems)) => {
            for problem in configured_problems.iter().chain(&built_in_problems) {
                eprintln!("refused: {problem}");
            }
            None
        }
    }
}

/// The saved cover of the `configured` bundle, if one is usable at `now`, with what to check
/// behind it.
pub fn open_cover(configured: &Path, built_in: &Path, now: NaiveDateTime) -> Option<(ContentUpdate, BehindCover)> {
    // Sync switches a link to the newest bundle; the cover and its check stay on one bundle.
    let folder = configured.canonicalize().ok()?;
    let cover = Cover::open(&covers_folder()?, &bundle_manifest_sha256(&folder)?, now)?;
    eprintln!(
        "showing the saved cover of {} (bundle version {}) while its {} documents are checked",
        folder.display(),
        cover.bundle_version,
        cover.to_come.documents
    );
    let update = ContentUpdate {
        version: cover.bundle_version,
        built: Some(cover.created_at),
        library: Arc::new(Library::of_cover(cover, &folder)),
        folder: folder.clone(),
    };
    Some((update, BehindCover::new(folder, built_in.to_path_buf())))
}

fn check_behind_cover(mut commands: Commands, behind: Res<BehindCover>, proxy: Option<Res<EventLoopProxyWrapper>>) {
    let BehindCover { configured, built_in } = behind.clone();
    let wake = waker(proxy);
    let (sender, outcome) = channel();
    let started = std::thread::Builder::new().name("check-behind-cover".into()).spawn(move || {
        yield_to_the_screen();
        let now = chrono::Local::now().naive_local();
        // The screen has gone when nobody receives; nothing is then left to do.
        let _ = sender.send(load(&configured, &built_in, now, Covers::Kept));
        wake();
    });
    // Without a thread the sender is gone, and `hand_over` finds no outcome.
    if let Err(problem) = &started {
        eprintln!("the bundle cannot be checked behind its cover: {problem}");
    }
    commands.insert_resource(Checking(Mutex::new(outcome)));
    commands.remove_resource::<BehindCover>();
}

/// Lowers this thread's priority (nice 10), so that the screen's frames and a visitor's taps
/// come before a check that takes most of a minute at 10^6 documents on a 2-core kiosk PC.
fn yield_to_the_screen() {
    // SAFETY: plain system calls on this thread's own id. Linux gives each thread its own
    // nice value; a failure leaves the priority as it was, which only costs speed.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, 10);
    }
}

fn hand_over(
    mut commands: Commands,
    checking: Res<Checking>,
    screen: Res<State<Screen>>,
    mut shown: ResMut<Shown>,
    mut facts: ResMut<KioskFacts>,
    mut navigate: MessageWriter<Navigate>,
    mut changed: MessageWriter<ContentChanged>,
) {
    let outcome = match checking.0.lock().map(|receiver| receiver.try_recv()) {
        Ok(Err(TryRecvError::Empty)) => return,
        Ok(Ok(outcome)) => outcome,
        // The check ended without a verdict (it failed to start, or panicked): nothing checked
        // can be shown, as at a start that failed so.
        _ => {
            eprintln!("the check behind the cover ended without an outcome");
            None
        }
    };
    commands.remove_resource::<Checking>();
    let Some(cover) = shown.0.as_ref().filter(|library| !library.is_complete()) else {
        // A synced bundle, newer than the one under the cover, is already shown. Freeing a
        // large library takes a while; let it go off the screen's thread.
        std::thread::spawn(move || drop(outcome));
        return;
    };
    let Some(update) = outcome else {
        shown.0 = None;
        facts.show_nothing();
        changed.write(ContentChanged);
        navigate.write(Navigate::Replace(Route::to(Screen::OutOfService)));
        return;
    };
    let same_bundle = update.folder == cover.folder;
    swap_in(update, &mut shown, &mut facts, &mut changed);
    // The same bundle: the same screen, now with the documents; another: start over. A wall
    // keeps its page and shows the new content from its next page on.
    match (screen.get(), same_bundle) {
        (Screen::Wall, _) => {}
        (_, true) => {
            navigate.write(Navigate::Refresh);
        }
        (_, false) => {
            navigate.write(Navigate::Reset);
        }
    }
}
