//! The sync loop on its own thread: a cycle every `interval` (backing off after failures),
//! or at once when asked (the push channel heard of a new bundle); when a bundle is applied it loads and indexes it off the screen's thread and hands the
//! ready library over, then wakes the screen.

use std::{
    path::PathBuf,
    sync::{
        Arc, Mutex,
        mpsc::{Receiver, RecvTimeoutError, Sender, channel},
    },
    thread,
    time::{Duration, Instant},
};

use chrono::{DateTime, Local, NaiveDateTime, Utc};

use super::{Store, SyncOutcome, SyncSettings, backoff::next_delay, http_client, sync_once};
use crate::{
    content::{
        check::{CheckOptions, check_bundle},
        model::Content,
    },
    library::{Library, cover::save_cover},
    random::fraction,
};

/// A new bundle, checked and indexed, ready to show.
pub struct ContentUpdate {
    pub library: Arc<Library>,
    pub version: u64,
    pub built: Option<DateTime<Utc>>,
    pub folder: PathBuf,
}

impl ContentUpdate {
    /// Indexes `content`, checked clean, from the bundle in `folder` (version and build time
    /// in `bundle`). With `cover_checked_at`, the clock of that check, it also saves the
    /// bundle's cover, so that the next start shows it at once.
    pub fn index(content: Content, folder: PathBuf, bundle: (u64, Option<DateTime<Utc>>), cover_checked_at: Option<NaiveDateTime>) -> Self {
        let library = Library::new(content, &folder);
        if let (Some(checked_at), (version, Some(built))) = (cover_checked_at, bundle)
            && let Err(problem) = save_cover(&library, (version, built), checked_at)
        {
            eprintln!("the next start checks the bundle before showing it: cover not saved: {problem}");
        }
        Self { library: Arc::new(library), version: bundle.0, built: bundle.1, folder }
    }
}

/// The last cycle, for the admin panel and the heartbeat.
#[derive(Debug, Clone, Default)]
pub struct SyncStatus {
    pub last_attempt: Option<DateTime<Local>>,
    pub last_outcome: Option<SyncOutcome>,
    pub failures_in_a_row: u32,
}

pub struct SyncWorker {
    pub updates: Receiver<ContentUpdate>,
    pub status: Arc<Mutex<SyncStatus>>,
    /// Starts a cycle soon, whatever the timer says, unless the bundle asked for is shown.
    pub sync_now: Sender<SyncRequest>,
}

/// A bundle the hub has published, which this kiosk should fetch now.
#[derive(Debug, Clone)]
pub struct SyncRequest {
    pub manifest_sha256: String,
    /// The cycle starts after a random part of this, so a fleet does not all ask at once.
    pub spread: Duration,
}

/// Starts the loop; `wake` is called when an update is waiting (to wake a sleeping screen).
pub fn start(settings: SyncSettings, interval: Duration, wake: Box<dyn Fn() + Send>) -> SyncWorker {
    let (sender, updates) = channel();
    let (sync_now, asked) = channel();
    let status = Arc::new(Mutex::new(SyncStatus::default()));
    let shared = status.clone();
    thread::Builder::new()
        .name("content-sync".into())
        .spawn(move || run(settings, interval, wake, sender, asked, shared))
        .expect("a thread can be started");
    SyncWorker { updates, status, sync_now }
}

fn run(
    settings: SyncSettings,
    interval: Duration,
    wake: Box<dyn Fn() + Send>,
    sender: Sender<ContentUpdate>,
    asked: Receiver<SyncRequest>,
    status: Arc<Mutex<SyncStatus>>,
) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
    let client = http_client();
    let (Ok(runtime), Ok(client)) = (runtime, client) else {
        record(&status, SyncOutcome::Unreachable("cannot start the network client".into()), 1);
        return;
    };
    let store = Store::new(&settings.store);
    let mut failures = 0;
    loop {
        let outcome = runtime.block_on(sync_once(&settings, &client));
        match &outcome {
            SyncOutcome::Applied { .. } => {
                failures = 0;
                if let Some(update) = load(&store) {
                    if sender.send(update).is_err() {
                        return; // the screen has gone
                    }
                    wake();
                }
            }
            SyncOutcome::NotModified { .. } | SyncOutcome::UpToDate { .. } => failures = 0,
            SyncOutcome::Refused(_) | SyncOutcome::Unreachable(_) => failures += 1,
        }
        record(&status, outcome, failures);
        wait_for_turn(&asked, next_delay(interval, failures), &store);
    }
}

/// Waits `delay`, or less when asked for a bundle not shown yet (asks that came while a cycle
/// ran are answered by the next one, if any of them wants a bundle not shown).
fn wait_for_turn(asked: &Receiver<SyncRequest>, delay: Duration, store: &Store) {
    let until = Instant::now() + delay;
    loop {
        match asked.recv_timeout(until.saturating_duration_since(Instant::now())) {
            Ok(first) => {
                let shown = store.current_manifest_sha256();
                let wanted = std::iter::once(first).chain(asked.try_iter()).filter(|r| shown.as_deref() != Some(r.manifest_sha256.as_str())).last();
                if let Some(request) = wanted {
                    thread::sleep(request.spread.mul_f64(fraction()));
                    return;
                }
            }
            Err(RecvTimeoutError::Timeout) => return,
            Err(RecvTimeoutError::Disconnected) => return thread::sleep(until.saturating_duration_since(Instant::now())),
        }
    }
}

fn record(status: &Mutex<SyncStatus>, outcome: SyncOutcome, failures: u32) {
    if let Ok(mut status) = status.lock() {
        *status = SyncStatus { last_attempt: Some(Local::now()), last_outcome: Some(outcome), failures_in_a_row: failures };
    }
}

/// Reads the bundle just switched to, by its own folder so later switches cannot move it.
fn load(store: &Store) -> Option<ContentUpdate> {
    let folder = store.current().canonicalize().ok()?;
    let options = CheckOptions::at_local_now();
    let checked = check_bundle(&folder, &options);
    if !checked.is_clean() {
        return None;
    }
    let manifest = checked.manifest?;
    Some(ContentUpdate::index(checked.content, folder, (manifest.bundle_version, Some(manifest.created_at)), Some(options.now)))
}
