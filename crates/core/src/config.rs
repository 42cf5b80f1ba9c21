//! Per-screen configuration (`kiosk-config/*.toml`). Paths in a config file are relative to
//! that file, so a config folder can be copied to a kiosk PC as a whole.

use std::{
    fs,
    path::{Path, PathBuf},
};

use serde::Deserialize;

use crate::{
    admin_pin::PinHash, handoff::LinkSigner, signing::parse_public_key, speech::SpeechCommand, sync::SyncSettings,
    wall::{Playlist, WallConfig},
};

/// The configuration used when `--config` is not given.
pub const DEFAULT_CONFIG: &str = "kiosk-config/hall-touch.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KioskConfig {
    pub kiosk: KioskSection,
    #[serde(default)]
    pub display: DisplaySection,
    pub content: ContentSection,
    pub handoff: HandoffSection,
    #[serde(default)]
    pub idle: IdleSection,
    #[serde(default)]
    pub admin: AdminSection,
    #[serde(default)]
    pub speech: SpeechSection,
    #[serde(default)]
    pub input: InputSection,
    /// The hall printer; without it the kiosk offers no 打印.
    pub print: Option<PrintSection>,
    /// Content sync from the hub; without it the kiosk shows `content.bundle` as it is.
    pub sync: Option<SyncSection>,
    /// An LED wall: a passive playlist of pages instead of the touch kiosk.
    pub wall: Option<WallConfig>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KioskSection {
    /// Identifies this screen to the hub and in QR handoff links.
    pub id: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisplaySection {
    /// Borderless full screen on the primary monitor; false opens a window of `width`×`height`.
    #[serde(default = "yes")]
    pub fullscreen: bool,
    #[serde(default = "default_width")]
    pub width: u32,
    #[serde(default = "default_height")]
    pub height: u32,
}

impl Default for DisplaySection {
    fn default() -> Self {
        Self { fullscreen: true, width: default_width(), height: default_height() }
    }
}

fn yes() -> bool {
    true
}
fn default_width() -> u32 {
    1920
}
fn default_height() -> u32 {
    1080
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentSection {
    /// The bundle folder this screen shows.
    pub bundle: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoffSection {
    /// Where phones open handoff links: the hub's public address.
    pub base_url: String,
    /// The key this kiosk signs links with, hex; the hub holds the same key for this kiosk.
    pub secret: String,
    #[serde(default = "default_link_lifetime")]
    pub link_lifetime_s: u32,
}

fn default_link_lifetime() -> u32 {
    2 * 3600
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdleSection {
    /// Seconds without input before the countdown back to the attract loop starts.
    #[serde(default = "default_idle_timeout")]
    pub timeout_s: u32,
    #[serde(default = "default_countdown")]
    pub countdown_s: u32,
}

impl Default for IdleSection {
    fn default() -> Self {
        Self { timeout_s: default_idle_timeout(), countdown_s: default_countdown() }
    }
}

fn default_idle_timeout() -> u32 {
    90
}
fn default_countdown() -> u32 {
    10
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminSection {
    /// `gongkai hash-pin` output; without it the admin panel stays locked.
    pub pin_hash: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeechSection {
    /// The 朗读 command and its arguments; it reads the text from standard input.
    #[serde(default = "default_speech")]
    pub command: Vec<String>,
}

impl Default for SpeechSection {
    fn default() -> Self {
        Self { command: default_speech() }
    }
}

fn default_speech() -> Vec<String> {
    let SpeechCommand { program, args } = SpeechCommand::default();
    std::iter::once(program).chain(args).collect()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputSection {
    /// A touchscreen: hide the mouse cursor.
    #[serde(default = "yes")]
    pub touch: bool,
}

impl Default for InputSection {
    fn default() -> Self {
        Self { touch: true }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintSection {
    /// The CUPS queue of the hall printer, as `lpstat -p` names it.
    pub queue: String,
    /// The most pages one 打印 prints; a longer text prints its first pages.
    #[serde(default = "default_pages_per_job")]
    pub max_pages_per_job: usize,
    /// The most pages this kiosk prints in a day.
    #[serde(default = "default_pages_per_day")]
    pub pages_per_day: usize,
}

fn default_pages_per_job() -> usize {
    20
}

fn default_pages_per_day() -> usize {
    300
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncSection {
    /// The hub's address, e.g. `https://zwgk.example.cn` or `http://10.0.0.5:8470`.
    pub hub_url: String,
    /// Where synced bundles are kept; point `content.bundle` at `STORE/current`.
    pub store: PathBuf,
    /// Publisher public keys (hex, from `gongkai content keygen`); any of them may sign.
    pub trusted_keys: Vec<String>,
    #[serde(default = "default_sync_interval")]
    pub interval_s: u32,
    /// How often the kiosk reports its status to the hub (signed with `handoff.secret`).
    #[serde(default = "default_heartbeat_interval")]
    pub heartbeat_interval_s: u32,
    /// Largest single file accepted, in MiB.
    #[serde(default = "default_max_file_mib")]
    pub max_file_mib: u64,
    /// A 截图 for the fleet page this often, besides those staff ask for; 0 (the default) for
    /// none, else at least `MIN_SCREENSHOT_EVERY_S`.
    #[serde(default)]
    pub screenshot_every_s: u32,
}

/// Periodic screenshots no more often than this: each is an upload of up to a few hundred KB.
pub const MIN_SCREENSHOT_EVERY_S: u32 = 60;

fn default_sync_interval() -> u32 {
    300
}
fn default_heartbeat_interval() -> u32 {
    60
}
fn default_max_file_mib() -> u64 {
    64
}

impl KioskConfig {
    /// The sync settings, if `[sync]` is configured; `load` has checked the keys.
    pub fn sync_settings(&self) -> Option<SyncSettings> {
        let sync = self.sync.as_ref()?;
        Some(SyncSettings {
            hub_url: sync.hub_url.clone(),
            store: sync.store.clone(),
            trusted_keys: sync.trusted_keys.iter().filter_map(|k| parse_public_key(k).ok()).collect(),
            max_file_bytes: sync.max_file_mib * 1024 * 1024,
        })
    }

    /// The link signer; `load` has checked that it can be made.
    pub fn link_signer(&self) -> LinkSigner {
        self.try_link_signer().expect("checked by config::load")
    }

    /// This kiosk's own key (QR links, heartbeat); `load` has checked it is hex.
    pub fn handoff_secret(&self) -> Vec<u8> {
        hex::decode(&self.handoff.secret).unwrap_or_default()
    }

    fn try_link_signer(&self) -> Result<LinkSigner, String> {
        let handoff = &self.handoff;
        let secret = hex::decode(&handoff.secret).map_err(|e| format!("handoff.secret: not hex: {e}"))?;
        LinkSigner::new(&handoff.base_url, &self.kiosk.id, &secret, handoff.link_lifetime_s)
            .map_err(|e| format!("handoff: {e}"))
    }

    /// The admin PIN hash; `load` has checked that it parses.
    pub fn admin_pin(&self) -> Option<PinHash> {
        self.admin.pin_hash.as_deref().map(|text| PinHash::parse(text).expect("checked by config::load"))
    }

    /// The wall's playlist when this screen is a wall; `load` has checked it.
    pub fn playlist(&self) -> Option<Playlist> {
        self.wall.as_ref().map(|wall| wall.playlist().expect("checked by config::load"))
    }

    pub fn speech_command(&self) -> Option<SpeechCommand> {
        SpeechCommand::from_words(&self.speech.command)
    }
}

/// Reads and validates a config file; the error names the file, and the line and field.
pub fn load(path: &Path) -> Result<KioskConfig, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let mut config: KioskConfig =
        toml::from_str(&text).map_err(|e| format!("{}: {}", path.display(), e.to_string().trim_end()))?;
    if config.kiosk.id.trim().is_empty() {
        return Err(format!("{}: kiosk.id: must not be blank", path.display()));
    }
    if config.display.width == 0 || config.display.height == 0 {
        return Err(format!("{}: display: width and height must be above 0", path.display()));
    }
    let in_file = |reason: String| format!("{}: {reason}", path.display());
    config.try_link_signer().map_err(in_file)?;
    if let Some(text) = &config.admin.pin_hash {
        PinHash::parse(text).map_err(|e| in_file(format!("admin.pin_hash: {e}")))?;
    }
    if config.speech.command.is_empty() {
        return Err(in_file("speech.command: must name a program".into()));
    }
    if config.idle.timeout_s == 0 {
        return Err(in_file("idle.timeout_s: must be above 0".into()));
    }
    if let Some(print) = &config.print {
        if print.queue.trim().is_empty() {
            return Err(in_file("print.queue: must name a CUPS queue (see `lpstat -p`)".into()));
        }
        if print.max_pages_per_job == 0 || print.pages_per_day == 0 {
            return Err(in_file("print: max_pages_per_job and pages_per_day must be above 0".into()));
        }
    }
    if let Some(wall) = &config.wall {
        wall.playlist().map_err(in_file)?;
    }
    if let Some(sync) = &config.sync {
        for (i, key) in sync.trusted_keys.iter().enumerate() {
            parse_public_key(key).map_err(|e| in_file(format!("sync.trusted_keys[{i}]: {e}")))?;
        }
        if sync.trusted_keys.is_empty() {
            return Err(in_file("sync.trusted_keys: name at least one publisher key".into()));
        }
        if sync.screenshot_every_s != 0 && sync.screenshot_every_s < MIN_SCREENSHOT_EVERY_S {
            return Err(in_file(format!("sync.screenshot_every_s: {} is too often; 0 for none, or at least {MIN_SCREENSHOT_EVERY_S}", sync.screenshot_every_s)));
        }
        if !(sync.hub_url.starts_with("http://") || sync.hub_url.starts_with("https://")) {
            return Err(in_file(format!("sync.hub_url: {:?} must start with http:// or https://", sync.hub_url)));
        }
    }
    let base = path.parent().unwrap_or(Path::new("."));
    config.content.bundle = base.join(&config.content.bundle);
    if let Some(sync) = &mut config.sync {
        sync.store = base.join(&sync.store);
    }
    Ok(config)
}

/// The `assets` folder of the source tree (the workspace root), for `cargo run` and tests.
pub const SOURCE_TREE_ASSETS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets");

/// The folder holding fonts and the built-in demo bundle: `$BEVY_ASSET_ROOT/assets`, else
/// `assets/` beside the executable (a kiosk unpacked into one folder), else
/// `../share/gongkai/assets` from it (the Debian package: `/usr/bin` and `/usr/share/gongkai`),
/// else the source tree's `assets/`.
pub fn assets_dir() -> PathBuf {
    if let Some(root) = std::env::var_os("BEVY_ASSET_ROOT") {
        return PathBuf::from(root).join("assets");
    }
    let executable_dir = std::env::current_exe().ok().and_then(|exe| exe.parent().map(Path::to_path_buf));
    executable_dir
        .iter()
        .flat_map(|dir| [dir.join("assets"), dir.join("../share/gongkai/assets")])
        .find(|dir| dir.is_dir())
        .unwrap_or_else(|| PathBuf::from(SOURCE_TREE_ASSETS))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HANDOFF: &str = "[handoff]\nbase_url = \"https://gk.example.cn\"\nsecret = \"00112233445566778899aabbccddeeff\"\n";

    fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.toml");
        fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn resolves_bundle_relative_to_the_file() {
        let (dir, path) = write(&format!("[kiosk]\nid = \"hall-01\"\n[content]\nbundle = \"../assets/demo\"\n{HANDOFF}"));
        let config = load(&path).unwrap();
        assert_eq!(config.content.bundle, dir.path().join("../assets/demo"));
        assert!(config.display.fullscreen);
    }

    #[test]
    fn errors_name_file_and_field() {
        let (_dir, path) = write(&format!("[kiosk]\nid = \"a\"\ncolour = 1\n[content]\nbundle = \"x\"\n{HANDOFF}"));
        let error = load(&path).unwrap_err();
        assert!(error.starts_with(&path.display().to_string()), "{error}");
        assert!(error.contains("colour"), "{error}");
        let (_dir, path) = write(&format!("[kiosk]\nid = \" \"\n[content]\nbundle = \"x\"\n{HANDOFF}"));
        assert!(load(&path).unwrap_err().ends_with("kiosk.id: must not be blank"));
        let (_dir, path) = write(&format!("[kiosk]\nid = \"Hall 1\"\n[content]\nbundle = \"x\"\n{HANDOFF}"));
        assert!(load(&path).unwrap_err().contains("handoff: kiosk id \"Hall 1\""));
        let (_dir, path) = write(&format!("[kiosk]\nid = \"a\"\n[content]\nbundle = \"x\"\n{HANDOFF}[admin]\npin_hash = \"1234\"\n"));
        assert!(load(&path).unwrap_err().contains("admin.pin_hash: \"1234\" is not a PIN hash"));
        let publisher = hex::encode(ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key().to_bytes());
        let sync = format!("[sync]\nhub_url = \"http://hub\"\nstore = \"s\"\ntrusted_keys = [\"{publisher}\"]\nscreenshot_every_s = 30\n");
        let (_dir, path) = write(&format!("[kiosk]\nid = \"a\"\n[content]\nbundle = \"x\"\n{HANDOFF}{sync}"));
        assert!(load(&path).unwrap_err().ends_with("sync.screenshot_every_s: 30 is too often; 0 for none, or at least 60"));
    }

    #[test]
    fn shipped_configs_load() {
        for entry in fs::read_dir(Path::new(SOURCE_TREE_ASSETS).join("../kiosk-config")).unwrap() {
            let path = entry.unwrap().path();
            load(&path).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}
