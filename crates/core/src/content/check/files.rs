//! File-level checks: the manifest against the files on disk, and images.

use std::{
    collections::{HashMap, HashSet},
    path::Path,
};

use image::{ImageFormat, ImageReader, Limits};

use super::{
    is_document_shard,
    parse::{read_json, typed},
    problem::Problems,
};
use crate::content::{
    bundle_files::{
        BundleFile, MANIFEST, MAX_IMAGE_BYTES, MAX_JSON_BYTES, is_bundle_metadata, MAX_IMAGE_SIDE, has_image_extension,
        unconfined_reason,
    },
    manifest::{FORMAT_VERSION, Manifest, hash_file},
};

/// The manifest, when it parses, and the files found as it lists them.
#[derive(Default)]
pub struct Listing {
    pub manifest: Option<Manifest>,
    /// The SHA-256 of each file whose size and hash match the manifest, by path.
    pub verified: HashMap<String, String>,
}

/// Checks `manifest.json` against the files on disk.
pub fn check_manifest(root: &Path, files: &[BundleFile], problems: &mut Problems) -> Listing {
    let mut listing = Listing::default();
    let Some(manifest_file) = files.iter().find(|f| f.path == MANIFEST) else {
        problems.whole(MANIFEST, "missing; build the bundle with `gongkai content build`");
        return listing;
    };
    let Some(manifest) = read_json(root, MANIFEST, manifest_file.size, problems)
        .and_then(|value| typed::<Manifest>(value, MANIFEST, "$", problems))
    else {
        return listing;
    };
    if manifest.format != FORMAT_VERSION {
        problems.at(
            MANIFEST,
            "$.format",
            format!("unsupported format {}; this program reads format {FORMAT_VERSION}", manifest.format),
        );
        listing.manifest = Some(manifest);
        return listing;
    }

    let on_disk: HashMap<&str, &BundleFile> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut listed = HashSet::new();
    for (i, entry) in manifest.files.iter().enumerate() {
        let at = format!("$.files[{i}]");
        if let Some(reason) = unconfined_reason(&entry.path) {
            problems.at(MANIFEST, format!("{at}.path"), format!("{reason}: {:?}", entry.path));
            continue;
        }
        if is_bundle_metadata(&entry.path) {
            problems.at(MANIFEST, format!("{at}.path"), format!("the manifest cannot list {}", entry.path));
            continue;
        }
        if !listed.insert(entry.path.as_str()) {
            problems.at(MANIFEST, format!("{at}.path"), format!("{:?} is listed twice", entry.path));
            continue;
        }
        let Some(file) = on_disk.get(entry.path.as_str()) else {
            problems.whole(&entry.path, "listed in manifest.json but missing from the bundle");
            continue;
        };
        if file.size != entry.size {
            problems.whole(
                &entry.path,
                format!("size {} bytes differs from manifest.json ({} bytes)", file.size, entry.size),
            );
            continue;
        }
        match hash_file(&root.join(&entry.path)) {
            Ok((sha256, _)) if sha256 == entry.sha256.to_ascii_lowercase() => {
                listing.verified.insert(entry.path.clone(), sha256);
            }
            Ok(_) => problems.whole(
                &entry.path,
                "SHA-256 differs from manifest.json (changed after the bundle was built)",
            ),
            Err(e) => problems.whole(&entry.path, format!("cannot read: {e}")),
        }
    }
    for file in files.iter().filter(|f| !is_bundle_metadata(&f.path) && !listed.contains(f.path.as_str())) {
        problems.whole(&file.path, "not listed in manifest.json");
    }
    listing.manifest = Some(manifest);
    listing
}

/// The SHA-256 the manifest gives each document shard, not yet verified: read apart from its
/// checks to plan the reading of the bundle while the files are hashed.
pub fn claimed_shard_hashes(root: &Path, files: &[BundleFile]) -> HashMap<String, String> {
    let manifest = files
        .iter()
        .any(|f| f.path == MANIFEST && f.size <= MAX_JSON_BYTES)
        .then(|| std::fs::read(root.join(MANIFEST)).ok())
        .flatten()
        .and_then(|bytes| serde_json::from_slice::<Manifest>(&bytes).ok());
    let shards = manifest.into_iter().flat_map(|m| m.files).filter(|f| is_document_shard(&f.path));
    shards.map(|f| (f.path, f.sha256.to_ascii_lowercase())).collect()
}

/// Checks every PNG/JPEG in the bundle: size, dimensions and a full decode (truncated or
/// corrupt files fail here instead of on a kiosk).
pub fn check_images(root: &Path, files: &[BundleFile], problems: &mut Problems) {
    for file in files.iter().filter(|f| has_image_extension(&f.path)) {
        if let Err(reason) = check_image(root, file) {
            problems.whole(&file.path, reason);
        }
    }
}

fn check_image(root: &Path, file: &BundleFile) -> Result<(), String> {
    if file.size > MAX_IMAGE_BYTES {
        return Err(format!("image is {} bytes; at most {MAX_IMAGE_BYTES} allowed", file.size));
    }
    let open = || {
        ImageReader::open(root.join(&file.path))
            .and_then(|r| r.with_guessed_format())
            .map_err(|e| format!("cannot read image: {e}"))
    };
    let reader = open()?;
    if !matches!(reader.format(), Some(ImageFormat::Png | ImageFormat::Jpeg)) {
        return Err("not a PNG or JPEG image".into());
    }
    let (width, height) = reader.into_dimensions().map_err(|e| format!("image does not decode: {e}"))?;
    if width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE {
        return Err(format!(
            "image is {width}×{height} pixels; at most {MAX_IMAGE_SIDE}×{MAX_IMAGE_SIDE} allowed"
        ));
    }
    let mut reader = open()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    reader.limits(limits);
    reader.decode().map_err(|e| format!("image does not decode: {e}"))?;
    Ok(())
}
