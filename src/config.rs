//! Per-screen configuration (`kiosk-config/*.toml`). Paths in a config file are relative to
//! that file, so a config folder can be copied to a kiosk PC as a whole.

use std::{
    fs,
    path::{Path, PathBuf},
};

use serde::Deserialize;

/// The configuration used when `--config` is not given.
pub const DEFAULT_CONFIG: &str = "kiosk-config/hall-touch.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KioskConfig {
    pub kiosk: KioskSection,
    #[serde(default)]
    pub display: DisplaySection,
    pub content: ContentSection,
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
    let base = path.parent().unwrap_or(Path::new("."));
    config.content.bundle = base.join(&config.content.bundle);
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.toml");
        fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn resolves_bundle_relative_to_the_file() {
        let (dir, path) = write("[kiosk]\nid = \"hall-01\"\n[content]\nbundle = \"../assets/demo\"\n");
        let config = load(&path).unwrap();
        assert_eq!(config.content.bundle, dir.path().join("../assets/demo"));
        assert!(config.display.fullscreen);
    }

    #[test]
    fn errors_name_file_and_field() {
        let (_dir, path) = write("[kiosk]\nid = \"a\"\ncolour = 1\n[content]\nbundle = \"x\"\n");
        let error = load(&path).unwrap_err();
        assert!(error.starts_with(&path.display().to_string()), "{error}");
        assert!(error.contains("colour"), "{error}");
        let (_dir, path) = write("[kiosk]\nid = \" \"\n[content]\nbundle = \"x\"\n");
        assert!(load(&path).unwrap_err().ends_with("kiosk.id: must not be blank"));
    }

    #[test]
    fn shipped_configs_load() {
        for entry in fs::read_dir("kiosk-config").unwrap() {
            let path = entry.unwrap().path();
            load(&path).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// The folder holding fonts and the built-in demo bundle: `$BEVY_ASSET_ROOT/assets`, else
/// `assets/` beside the executable (an installed kiosk), else the source tree's `assets/`.
pub fn assets_dir() -> PathBuf {
    if let Some(root) = std::env::var_os("BEVY_ASSET_ROOT") {
        return PathBuf::from(root).join("assets");
    }
    let beside_executable = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("assets")));
    match beside_executable {
        Some(dir) if dir.is_dir() => dir,
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets"),
    }
}
