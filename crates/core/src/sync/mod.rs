//! Signed content sync, offline first: one cycle fetches the hub's manifest, verifies its
//! signature, downloads only the files not already held (resuming partial ones), checks the
//! whole bundle, and switches to it atomically. Anything wrong leaves the shown bundle as it
//! is. Plain Rust with reqwest; the kiosk runs it on a background thread.

pub mod layout;

mod backoff;
mod fetch;
mod store;
mod worker;

use std::{fmt, path::PathBuf};

use ed25519_dalek::VerifyingKey;

pub use fetch::{http_client, sync_observed, sync_once};
pub use store::{CURRENT, Store};
pub use worker::{ContentUpdate, SyncRequest, SyncStatus, SyncWorker, start};

/// What one cycle needs.
#[derive(Debug, Clone)]
pub struct SyncSettings {
    /// The hub's base address, e.g. `http://127.0.0.1:8470`.
    pub hub_url: String,
    pub store: PathBuf,
    pub trusted_keys: Vec<VerifyingKey>,
    /// Largest single file accepted.
    pub max_file_bytes: u64,
}

/// The points of a cycle that brings a new bundle, announced as the cycle reaches each:
/// `sync --once` prints them, and the crash tests kill the process at each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Before fetching the files not already held.
    Downloading,
    /// Every file is staged; before the checker runs over the staged bundle.
    Checking,
    /// Checked; before the staged bundle is fsynced and moved among the complete ones.
    Keeping,
    /// Kept; before the link to it is made.
    Linking,
    /// The link is made; before the one rename that puts it in place of `current`.
    Switching,
    /// Shown; before bundles beyond the kept ones are dropped.
    Pruning,
}

impl Phase {
    pub const ALL: [Phase; 6] = [Phase::Downloading, Phase::Checking, Phase::Keeping, Phase::Linking, Phase::Switching, Phase::Pruning];

    pub fn name(self) -> &'static str {
        match self {
            Phase::Downloading => "downloading",
            Phase::Checking => "checking",
            Phase::Keeping => "keeping",
            Phase::Linking => "linking",
            Phase::Switching => "switching",
            Phase::Pruning => "pruning",
        }
    }
}

/// What one cycle did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncOutcome {
    /// The hub answered 304 Not Modified to the manifest's tag: nothing was downloaded.
    NotModified { version: u64 },
    /// The hub's manifest, fetched again, names the bundle shown.
    UpToDate { version: u64 },
    Applied { version: u64, downloaded_bytes: u64, fetched_files: usize, reused_files: usize },
    /// The hub offered something this kiosk must not show; the current bundle stays.
    Refused(String),
    /// The hub could not be reached or the transfer broke off; try again later.
    Unreachable(String),
}

impl SyncOutcome {
    pub fn is_refusal(&self) -> bool {
        matches!(self, SyncOutcome::Refused(_))
    }
}

impl fmt::Display for SyncOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyncOutcome::NotModified { version } => write!(f, "up to date (bundle version {version}; not modified since last time)"),
            SyncOutcome::UpToDate { version } => write!(f, "up to date (bundle version {version})"),
            SyncOutcome::Applied { version, downloaded_bytes, fetched_files, reused_files } => write!(
                f,
                "applied bundle version {version}: downloaded {fetched_files} files ({downloaded_bytes} bytes), reused {reused_files}"
            ),
            SyncOutcome::Refused(reason) => write!(f, "refused: {reason}"),
            SyncOutcome::Unreachable(reason) => write!(f, "hub unreachable: {reason}"),
        }
    }
}
