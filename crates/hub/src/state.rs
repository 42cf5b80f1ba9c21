//! Everything a request handler of the hub needs, shared behind one `Arc`.

use std::{
    collections::BTreeMap,
    net::IpAddr,
    path::{Path, PathBuf},
    sync::{Arc, Mutex, MutexGuard, OnceLock},
};

use chrono::NaiveDate;
use ed25519_dalek::SigningKey;

use super::{
    console::LoginGuard, forms::Admission, publish::read_publisher_key, published::Published, secret::HubSecret,
};
use gongkai_core::{config::assets_dir, handoff::{Refusal, Verified, verify}, print::pdf::Fonts};
use crate::{letters::templates::Templates, organs::Organs, fleet::{Fleet, Kiosks, alerts::{AlertConfig, Alerter}, push::PushChannels}, submissions::{calendar::WorkCalendar, store::{SqliteStore, Store}}};

/// What an integrator may tune when starting the hub; the defaults suit one hub serving a
/// district's halls directly.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Submissions from one address (an IPv6 /64) within 10 minutes. A hall's visitors share
    /// one Wi-Fi and so one address: this is set far above what one hall sends.
    pub submits_per_address: u32,
    /// Submissions from one address in 10 minutes after which a form without a device cookie
    /// is shown again with one, to be sent once more.
    pub challenge_after: u32,
    /// Submissions the whole hub takes per second; more wait in a short queue.
    pub submits_per_second: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<IpAddr>,
    /// Set when the hub's public address is https: cookies then carry `Secure`.
    pub secure_cookies: bool,
    /// Open connections at most; more are closed at once.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            submits_per_address: 300,
            challenge_after: 20,
            submits_per_second: 50,
            trusted_proxies: Vec::new(),
            secure_cookies: false,
            max_connections: 4096,
        }
    }
}

/// How the hub is set up: its kiosks, database, calendar and limits.
pub struct HubConfig {
    pub kiosks: Kiosks,
    /// A kiosk is listed as offline after this many seconds without a heartbeat.
    pub offline_after_s: i64,
    /// A kiosk is listed as frozen when its heartbeats show no new frame for this long.
    pub frozen_after_s: i64,
    /// The SQLite database; default `DATA/submissions.db`.
    pub database: Option<PathBuf>,
    pub calendar: WorkCalendar,
    pub limits: Limits,
    /// Where fleet alerts go, if anywhere.
    pub alerts: Option<AlertConfig>,
    /// Proof of play older than this many days is removed.
    pub keep_plays_days: i64,
    /// The publisher's secret key file, for publishing approved content.
    pub publisher_key: Option<PathBuf>,
    /// The wording of the 文书.
    pub letters: Templates,
    /// The organs the hub serves; none: the one that signs `letters`.
    pub organs: Option<Organs>,
}

impl Default for HubConfig {
    fn default() -> Self {
        Self { kiosks: Kiosks::default(), offline_after_s: 180, frozen_after_s: 180, database: None, calendar: WorkCalendar::builtin(), limits: Limits::default(), alerts: None, keep_plays_days: 400, publisher_key: None, letters: Templates::builtin(), organs: None }
    }
}

/// 查询码 look-ups one phone may make per minute: enough for a person, useless for guessing.
pub const LOOKUPS_PER_MINUTE: u32 = 30;
/// 查询码 look-ups from one address per minute: a hall's worth of phones.
pub const LOOKUPS_PER_ADDRESS_MINUTE: u32 = 300;

pub struct Hub {
    /// The data folder, as its real path (symlinks resolved), so that what is served from it
    /// can be checked to lie inside it.
    pub data: PathBuf,
    pub fleet: Mutex<Fleet>,
    /// The kiosks' open push streams.
    pub push: PushChannels,
    /// Kiosk id → the hall it stands in.
    pub halls: BTreeMap<String, String>,
    pub store: Arc<dyn Store>,
    pub calendar: WorkCalendar,
    pub published: Published,
    pub secret: HubSecret,
    pub limits: Limits,
    pub admission: Admission,
    pub login: LoginGuard,
    /// Started by `serve`.
    pub alerter: Option<Alerter>,
    pub keep_plays_days: i64,
    /// Signs approved content; without it nothing is published from the console.
    pub publisher_key: Option<SigningKey>,
    /// Held while content is submitted or published: one at a time (`one_publish_at_a_time`).
    publishing: Mutex<()>,
    pub letters: Templates,
    pub organs: Organs,
    /// The shipped font, mapped at the first 文书 (`letter_fonts`).
    fonts: OnceLock<Result<Fonts, String>>,
}

impl Hub {
    pub fn open(data: &Path, config: HubConfig) -> Result<Arc<Hub>, String> {
        std::fs::create_dir_all(data).map_err(|e| format!("{}: {e}", data.display()))?;
        let data = &std::fs::canonicalize(data).map_err(|e| format!("{}: {e}", data.display()))?;
        let database = config.database.unwrap_or_else(|| data.join("submissions.db"));
        let store = SqliteStore::open(&database).map_err(|e| e.to_string())?;
        let halls = config.kiosks.halls.clone();
        let mut fleet = Fleet::new(config.kiosks, config.offline_after_s, config.frozen_after_s);
        fleet.restore(store.kiosk_states().map_err(|e| e.to_string())?);
        let alerter = config.alerts.as_ref().map(|alerts| Alerter::new(alerts, &store)).transpose()?;
        let organs = config.organs.unwrap_or_else(|| Organs::single(&config.letters.issuer));
        store.adopt_unassigned(&organs.receiving().id).map_err(|e| e.to_string())?;
        Ok(Arc::new(Hub {
            data: data.to_path_buf(),
            fleet: Mutex::new(fleet),
            push: PushChannels::default(),
            halls,
            store: Arc::new(store),
            calendar: config.calendar,
            published: Published::new(data),
            secret: HubSecret::load_or_create(data)?,
            admission: Admission::new(&config.limits),
            login: LoginGuard::new(),
            limits: config.limits,
            alerter,
            keep_plays_days: config.keep_plays_days,
            publisher_key: config.publisher_key.as_deref().map(read_publisher_key).transpose()?,
            publishing: Mutex::new(()),
            letters: config.letters,
            organs,
            fonts: OnceLock::new(),
        }))
    }

    /// Checks a handoff link against the kiosks' keys.
    pub fn verify_link(&self, link: &str) -> Result<Verified, Refusal> {
        let fleet = self.fleet.lock().unwrap_or_else(|p| p.into_inner());
        verify(link, |kiosk| fleet.key(kiosk).map(<[u8]>::to_vec), chrono::Utc::now().timestamp())
    }

    /// Held while content is submitted, decided, published or withdrawn.
    pub fn one_publish_at_a_time(&self) -> MutexGuard<'_, ()> {
        self.publishing.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The font the 文书 embed, or why it cannot be read.
    pub fn letter_fonts(&self) -> Result<&Fonts, String> {
        let loaded = self.fonts.get_or_init(|| Fonts::load(&assets_dir()).map_err(|e| format!("{e:#}")));
        loaded.as_ref().map_err(Clone::clone)
    }

    /// The office's date: deadlines count in the hall's local calendar.
    pub fn today(&self) -> NaiveDate {
        chrono::Local::now().date_naive()
    }
}
