//! `kiosks.toml`: the kiosks the hub trusts, their keys, and how the office groups them.

use std::{collections::BTreeMap, fs, path::Path};

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KioskFile {
    kiosk: Vec<KioskEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KioskEntry {
    id: String,
    /// The kiosk's `handoff.secret`, hex.
    key: String,
    /// The service hall it stands in, for the statistics and the fleet page.
    #[serde(default)]
    hall: Option<String>,
    /// Groups to filter the fleet page by: the street, the kind of screen …
    #[serde(default)]
    tags: Vec<String>,
}

/// The kiosks the hub knows: their keys, the hall each stands in, and their tags.
#[derive(Debug, Clone, Default)]
pub struct Kiosks {
    pub keys: BTreeMap<String, Vec<u8>>,
    pub halls: BTreeMap<String, String>,
    pub tags: BTreeMap<String, Vec<String>>,
}

/// Reads `kiosks.toml`: `[[kiosk]]` tables with `id`, `key` and optionally `hall` and `tags`.
pub fn read_kiosks(path: &Path) -> Result<Kiosks, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file: KioskFile = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut kiosks = Kiosks::default();
    for (i, entry) in file.kiosk.into_iter().enumerate() {
        let key = hex::decode(&entry.key)
            .ok()
            .filter(|k| k.len() >= 16)
            .ok_or_else(|| format!("{}: kiosk[{i}].key: must be at least 16 bytes of hex", path.display()))?;
        if let Some(tag) = entry.tags.iter().find(|t| t.trim().is_empty()) {
            return Err(format!("{}: kiosk[{i}].tags: {tag:?} is empty", path.display()));
        }
        if kiosks.keys.insert(entry.id.clone(), key).is_some() {
            return Err(format!("{}: kiosk[{i}].id: {:?} is listed twice", path.display(), entry.id));
        }
        if let Some(hall) = entry.hall {
            kiosks.halls.insert(entry.id.clone(), hall);
        }
        if !entry.tags.is_empty() {
            kiosks.tags.insert(entry.id, entry.tags);
        }
    }
    Ok(kiosks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Kiosks, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosks.toml");
        fs::write(&path, text).unwrap();
        read_kiosks(&path).map_err(|e| e.replace(&path.display().to_string(), "kiosks.toml"))
    }

    #[test]
    fn halls_and_tags_are_read_and_mistakes_named() {
        let key = "00112233445566778899aabbccddeeff";
        let kiosks = read(&format!("[[kiosk]]\nid = \"a\"\nkey = \"{key}\"\nhall = \"云溪\"\ntags = [\"街道\", \"触摸屏\"]\n")).unwrap();
        assert_eq!(kiosks.halls["a"], "云溪");
        assert_eq!(kiosks.tags["a"], ["街道", "触摸屏"]);
        assert_eq!(read("[[kiosk]]\nid = \"a\"\nkey = \"00\"\n").unwrap_err(), "kiosks.toml: kiosk[0].key: must be at least 16 bytes of hex");
        assert_eq!(
            read(&format!("[[kiosk]]\nid = \"a\"\nkey = \"{key}\"\ntags = [\" \"]\n")).unwrap_err(),
            "kiosks.toml: kiosk[0].tags: \" \" is empty"
        );
        let twice = format!("[[kiosk]]\nid = \"a\"\nkey = \"{key}\"\n[[kiosk]]\nid = \"a\"\nkey = \"{key}\"\n");
        assert_eq!(read(&twice).unwrap_err(), "kiosks.toml: kiosk[1].id: \"a\" is listed twice");
    }
}
