//! Everything a request handler of the hub needs, shared behind one `Arc`.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
    time::Duration,
};

use chrono::NaiveDate;

use super::{published::Published, rate_limit::RateLimit};
use gongkai_core::handoff::{Refusal, Verified, verify};
use crate::{fleet::{Fleet, Kiosks}, submissions::{calendar::WorkCalendar, store::{SqliteStore, Store}}};

/// Submissions one phone, or one QR link, may send within `SUBMIT_WINDOW`.
pub const SUBMITS_PER_WINDOW: usize = 10;
pub const SUBMIT_WINDOW: Duration = Duration::from_secs(600);
/// 查询码 look-ups one phone may make per minute: enough for a person, useless for guessing.
pub const LOOKUPS_PER_MINUTE: usize = 30;

pub struct Hub {
    pub data: PathBuf,
    pub fleet: Mutex<Fleet>,
    /// Kiosk id → the hall it stands in.
    pub halls: BTreeMap<String, String>,
    pub store: Arc<dyn Store>,
    pub calendar: WorkCalendar,
    pub published: Published,
    pub submit_limit: RateLimit,
    pub lookup_limit: RateLimit,
}

impl Hub {
    /// A hub over `data` with its SQLite database at `database` (default
    /// `DATA/submissions.db`).
    pub fn open(
        data: &Path,
        kiosks: Kiosks,
        offline_after_s: i64,
        database: Option<&Path>,
        calendar: WorkCalendar,
    ) -> Result<Arc<Hub>, String> {
        std::fs::create_dir_all(data).map_err(|e| format!("{}: {e}", data.display()))?;
        let database = database.map_or_else(|| data.join("submissions.db"), Path::to_path_buf);
        let store = SqliteStore::open(&database).map_err(|e| e.to_string())?;
        Ok(Arc::new(Hub {
            data: data.to_path_buf(),
            fleet: Mutex::new(Fleet::new(kiosks.keys, offline_after_s)),
            halls: kiosks.halls,
            store: Arc::new(store),
            calendar,
            published: Published::new(data),
            submit_limit: RateLimit::new(SUBMITS_PER_WINDOW, SUBMIT_WINDOW),
            lookup_limit: RateLimit::new(LOOKUPS_PER_MINUTE, Duration::from_secs(60)),
        }))
    }

    /// Checks a handoff link against the kiosks' keys.
    pub fn verify_link(&self, link: &str) -> Result<Verified, Refusal> {
        let fleet = self.fleet.lock().unwrap_or_else(|p| p.into_inner());
        verify(link, |kiosk| fleet.key(kiosk).map(<[u8]>::to_vec), chrono::Utc::now().timestamp())
    }

    /// The office's date: deadlines count in the hall's local calendar.
    pub fn today(&self) -> NaiveDate {
        chrono::Local::now().date_naive()
    }
}
