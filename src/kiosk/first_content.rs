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
    navigation::{Navigate, Screen},
    startup_report::FirstFrameShown,
};

pub fn plugin(app: &mut App) {
    app.add_systems(Last, check_behind_cover.run_if(resource_exists::<BehindCover>).run_if(resource_exists::<FirstFrameShown>))
        .add_systems(Update, hand_over.run_if(resource_exists::<Checking>).in_set(ContentSwap));
}

/// A cover is shown: the bundles to check behind it once the first frame is on screen.
#[derive(Resource, Clone)]
pub struct BehindCover {
    configured: PathBuf,
    built_in: PathBuf,
}

/// The check behind the cover, running.
#[derive(Resource)]
struct Checking(Mutex<Receiver<Option<ContentUpdate>>>);

/// Checks and indexes the bundle to show (`configured`, else `built_in`) as of `now`, telling
/// the operator what was refused; with `save_cover`, saves the cover of a configured bundle
/// shown. `None` when neither can be shown.
pub fn load(configured: &Path, built_in: &Path, now: NaiveDateTime, save_cover: bool) -> Option<ContentUpdate> {
    match display_source::choose(configured, built_in, &CheckOptions { now }) {
        Ok(DisplaySource { content, folder, bundle_version, created_at, refused }) => {
            for problem in &refused {
                eprintln!("refused {}: {problem}", configured.display());
            }
            eprintln!("showing {} (bundle version {bundle_version})", folder.display());
            let library = Library::new(content, &folder);
            if let (true, true, Some(created_at)) = (save_cover, refused.is_empty(), created_at)
                && let Err(problem) = library.save_cover((bundle_version, created_at), now)
            {
                eprintln!("the next start checks the bundle before showing it: cover not saved: {problem}");
            }
            Some(ContentUpdate { library: Arc::new(library), version: bundle_version, built: created_at, folder })
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
    let cover = Cover::open(&covers_folder()?, &bundle_manifest_sha256(configured)?, now)?;
    eprintln!(
        "showing the saved cover of {} (bundle version {}) while its {} documents are checked",
        configured.display(),
        cover.bundle_version,
        cover.documents
    );
    let update = ContentUpdate {
        version: cover.bundle_version,
        built: Some(cover.created_at),
        library: Arc::new(Library::of_cover(cover, configured)),
        folder: configured.to_path_buf(),
    };
    Some((update, BehindCover { configured: configured.to_path_buf(), built_in: built_in.to_path_buf() }))
}

fn check_behind_cover(mut commands: Commands, behind: Res<BehindCover>, proxy: Option<Res<EventLoopProxyWrapper>>) {
    let BehindCover { configured, built_in } = behind.clone();
    let wake = waker(proxy);
    let (sender, outcome) = channel();
    let started = std::thread::Builder::new().name("check-behind-cover".into()).spawn(move || {
        let now = chrono::Local::now().naive_local();
        // The screen has gone when nobody receives; nothing is then left to do.
        let _ = sender.send(load(&configured, &built_in, now, true));
        wake();
    });
    match started {
        Ok(_) => commands.insert_resource(Checking(Mutex::new(outcome))),
        Err(problem) => eprintln!("the bundle cannot be checked behind its cover ({problem}); the cover stays shown"),
    }
    commands.remove_resource::<BehindCover>();
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
        _ => {
            eprintln!("the check behind the cover ended without an outcome; the cover stays shown");
            commands.remove_resource::<Checking>();
            return;
        }
    };
    commands.remove_resource::<Checking>();
    let Some(cover) = shown.0.as_ref().filter(|library| !library.is_complete()) else {
        return; // a synced bundle, newer than the one under the cover, is already shown
    };
    let same_bundle = outcome.as_ref().is_some_and(|update| update.folder == cover.folder);
    match outcome {
        Some(update) => swap_in(update, &mut shown, &mut facts, &mut changed),
        None => {
            shown.0 = None;
            changed.write(ContentChanged);
        }
    }
    // The same bundle: the same screen, now with the documents; another: start over.
    match (screen.get(), same_bundle) {
        (Screen::Wall, true) => {}
        (_, true) => {
            navigate.write(Navigate::Refresh);
        }
        (_, false) => {
            navigate.write(Navigate::Reset);
        }
    }
}
