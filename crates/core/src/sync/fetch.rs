//! One sync cycle against the hub's static layout.

use std::{
    collections::HashMap,
    fs::{self, File, OpenOptions},
    io::Write,
    path::{Path, PathBuf},
};

use reqwest::{Client, StatusCode, header};

use super::{
    Phase, Store, SyncOutcome, SyncSettings,
    SyncOutcome::{Refused, Unreachable},
};
use crate::{
    content::{
        bundle_files::{MANIFEST, SIGNATURE, unconfined_reason},
        check::{CheckOptions, ShardMemo, verify_bundle},
        manifest::{Manifest, ManifestEntry, hash_file},
    },
    sync::layout::{PUBLISHED_MANIFEST, manifest_sha256, object_path, signature_path},
    signing::verify_manifest,
};

/// The manifest and its signature are small; anything larger is not ours.
const MAX_MANIFEST_BYTES: usize = 64 * 1024 * 1024;
const MAX_SIGNATURE_BYTES: usize = 1024;

/// The client sync uses: it gives up on a hub that does not answer, never on a slow one
/// that keeps sending.
pub fn http_client() -> Result<Client, String> {
    Client::builder()
        .connect_timeout(std::time::Duration::from_secs(10))
        .read_timeout(std::time::Duration::from_secs(30))
        .build()
        .map_err(|e| format!("cannot start the network client: {e}"))
}

/// Runs one cycle; never panics, never touches the shown bundle unless all is well.
pub async fn sync_once(settings: &SyncSettings, client: &Client) -> SyncOutcome {
    sync_observed(settings, client, &|_| {}).await
}

/// `sync_once`, telling `on_phase` as each phase of applying a new bundle begins.
pub async fn sync_observed(settings: &SyncSettings, client: &Client, on_phase: &(dyn Fn(Phase) + Sync)) -> SyncOutcome {
    match cycle(settings, client, on_phase).await {
        Ok(outcome) | Err(outcome) => outcome,
    }
}

async fn cycle(settings: &SyncSettings, client: &Client, on_phase: &(dyn Fn(Phase) + Sync)) -> Result<SyncOutcome, SyncOutcome> {
    let store = Store::new(&settings.store);
    let base = settings.hub_url.trim_end_matches('/');
    let current = store.current_manifest();

    let mut request = client.get(format!("{base}/{PUBLISHED_MANIFEST}"));
    if let (Some(tag), Some(_)) = (store.etag(), &current) {
        request = request.header(header::IF_NONE_MATCH, tag);
    }
    let response = request.send().await.map_err(|e| Unreachable(e.to_string()))?;
    if response.status() == StatusCode::NOT_MODIFIED
        && let Some(current) = &current
    {
        return Ok(SyncOutcome::NotModified { version: current.bundle_version });
    }
    let tag = response.headers().get(header::ETAG).and_then(|v| v.to_str().ok()).map(String::from);
    let manifest_bytes = small_body(response, MAX_MANIFEST_BYTES, MANIFEST).await?;
    let manifest: Manifest =
        serde_json::from_slice(&manifest_bytes).map_err(|e| Refused(format!("{MANIFEST} from the hub: {e}")))?;

    let manifest_sha = manifest_sha256(&manifest_bytes);
    let signature_response = client
        .get(format!("{base}/{}", signature_path(&manifest_sha)))
        .send()
        .await
        .map_err(|e| Unreachable(e.to_string()))?;
    let signature = match signature_response.status() {
        StatusCode::NOT_FOUND => return Err(Refused(format!("no signature for this {MANIFEST} on the hub"))),
        _ => small_body(signature_response, MAX_SIGNATURE_BYTES, SIGNATURE).await?,
    };
    let signature = String::from_utf8_lossy(&signature).into_owned();
    verify_manifest(&manifest_bytes, &signature, &settings.trusted_keys).map_err(|problem| Refused(problem.to_string()))?;

    let version = manifest.bundle_version;
    if let Some(shown) = current.as_ref().map(|m| m.bundle_version) {
        if version == shown {
            remember(&store, tag.as_deref());
            return Ok(SyncOutcome::UpToDate { version });
        }
        if version < shown {
            return Err(Refused(format!("offered bundle version {version} is older than the shown {shown}; no rollback")));
        }
    }

    let staging = store.staging(version);
    let held: HashMap<&str, &ManifestEntry> =
        current.as_ref().map(|m| m.files.iter().map(|f| (f.sha256.as_str(), f)).collect()).unwrap_or_default();
    let (mut fetched_files, mut reused_files, mut downloaded_bytes) = (0, 0, 0);
    on_phase(Phase::Downloading);
    for entry in &manifest.files {
        if let Some(reason) = unconfined_reason(&entry.path) {
            return Err(Refused(format!("{MANIFEST} lists {:?}: {reason}", entry.path)));
        }
        if entry.size > settings.max_file_bytes {
            return Err(Refused(format!("{} is {} bytes, over the limit of {}", entry.path, entry.size, settings.max_file_bytes)));
        }
        let target = staging.join(&entry.path);
        if matches_entry(&target, entry) {
            reused_files += 1;
            continue;
        }
        create_parent(&target)?;
        if let Some(old) = held.get(entry.sha256.as_str()) {
            // Bundle files are never changed in place, so the new bundle can share them.
            let source = store.current().join(&old.path);
            let _ = fs::remove_file(&target);
            let linked = fs::hard_link(&source, &target).or_else(|_| fs::copy(&source, &target).map(drop));
            if linked.is_ok() && matches_entry(&target, entry) {
                reused_files += 1;
                continue;
            }
        }
        downloaded_bytes += download(client, base, entry, &target).await?;
        fetched_files += 1;
    }
    write_file(&staging.join(MANIFEST), &manifest_bytes)?;
    write_file(&staging.join(SIGNATURE), signature.as_bytes())?;

    on_phase(Phase::Checking);
    // The shards shared with the bundle checked last are not read again; the checks across
    // files run in full.
    let memo = ShardMemo::load(&store.shard_memo());
    let checked = verify_bundle(&staging, &CheckOptions::at_local_now(), memo);
    if let Some(first) = checked.problems.first() {
        let _ = fs::remove_dir_all(&staging);
        return Err(Refused(format!("the checker refused bundle version {version} ({} problems), first: {first}", checked.problems.len())));
    }
    let cannot_switch = |e: std::io::Error| Refused(format!("cannot switch to bundle version {version}: {e}"));
    on_phase(Phase::Keeping);
    store.keep(version).map_err(cannot_switch)?;
    on_phase(Phase::Linking);
    store.link(version).map_err(cannot_switch)?;
    on_phase(Phase::Switching);
    store.switch().map_err(cannot_switch)?;
    on_phase(Phase::Pruning);
    // The new bundle is shown whatever happens here: a bundle left over is dropped by the
    // next apply, so a failure must not keep the screen from taking the new content.
    let _ = store.prune(version);
    // Without it the next check reads every shard: not worth failing for.
    let _ = checked.memo.save(&store.shard_memo());
    remember(&store, tag.as_deref());
    Ok(SyncOutcome::Applied { version, downloaded_bytes, fetched_files, reused_files })
}

fn remember(store: &Store, tag: Option<&str>) {
    if let Some(tag) = tag {
        // Without it the next cycle only re-reads the manifest: not worth failing for.
        let _ = store.save_etag(tag);
    }
}

async fn small_body(response: reqwest::Response, limit: usize, name: &str) -> Result<Vec<u8>, SyncOutcome> {
    let status = response.status();
    if !status.is_success() {
        return Err(Unreachable(format!("{name}: HTTP {status}")));
    }
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(Refused(format!("{name} is over {limit} bytes")));
    }
    let bytes = response.bytes().await.map_err(|e| Unreachable(format!("{name}: {e}")))?;
    if bytes.len() > limit {
        return Err(Refused(format!("{name} is over {limit} bytes")));
    }
    Ok(bytes.to_vec())
}

fn matches_entry(path: &Path, entry: &ManifestEntry) -> bool {
    fs::metadata(path).is_ok_and(|m| m.len() == entry.size)
        && hash_file(path).is_ok_and(|(sha, _)| sha == entry.sha256.to_ascii_lowercase())
}

/// Downloads one file into `target`, resuming a `.part` left by an interrupted cycle.
/// Returns the bytes transferred.
async fn download(client: &Client, base: &str, entry: &ManifestEntry, target: &Path) -> Result<u64, SyncOutcome> {
    let part = part_path(target);
    let mut have = fs::metadata(&part).map(|m| m.len()).unwrap_or(0);
    if have > entry.size {
        let _ = fs::remove_file(&part);
        have = 0;
    }
    let mut request = client.get(format!("{base}/{}", object_path(&entry.sha256)));
    if have > 0 && have < entry.size {
        request = request.header(header::RANGE, format!("bytes={have}-"));
    }
    let mut response = request.send().await.map_err(|e| Unreachable(format!("{}: {e}", entry.path)))?;
    let mut file = match response.status() {
        StatusCode::PARTIAL_CONTENT => OpenOptions::new().append(true).open(&part),
        StatusCode::OK => {
            have = 0;
            File::create(&part)
        }
        StatusCode::RANGE_NOT_SATISFIABLE => {
            let _ = fs::remove_file(&part);
            return Err(Unreachable(format!("{}: partial download no longer matches; starting over next time", entry.path)));
        }
        StatusCode::NOT_FOUND => return Err(Refused(format!("{}: listed in {MANIFEST} but missing on the hub", entry.path))),
        status => return Err(Unreachable(format!("{}: HTTP {status}", entry.path))),
    }
    .map_err(|e| Refused(format!("{}: {e}", part.display())))?;
    let mut received = 0u64;
    let mut written = have;
    while let Some(chunk) = response.chunk().await.map_err(|e| Unreachable(format!("{}: transfer broke off: {e}", entry.path)))? {
        written += chunk.len() as u64;
        received += chunk.len() as u64;
        if written > entry.size {
            drop(file);
            let _ = fs::remove_file(&part);
            return Err(Refused(format!("{}: the hub sent more than the {} bytes in {MANIFEST}", entry.path, entry.size)));
        }
        file.write_all(&chunk).map_err(|e| Refused(format!("{}: cannot write: {e}", part.display())))?;
    }
    file.sync_all().map_err(|e| Refused(format!("{}: cannot write: {e}", part.display())))?;
    if written < entry.size {
        return Err(Unreachable(format!("{}: transfer ended at {written} of {} bytes; will resume", entry.path, entry.size)));
    }
    let (sha, _) = hash_file(&part).map_err(|e| Refused(format!("{}: {e}", part.display())))?;
    if sha != entry.sha256.to_ascii_lowercase() {
        let _ = fs::remove_file(&part);
        return Err(Refused(format!("{}: SHA-256 does not match {MANIFEST} (corrupted on the hub or in transit)", entry.path)));
    }
    fs::rename(&part, target).map_err(|e| Refused(format!("{}: {e}", target.display())))?;
    Ok(received)
}

fn part_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    target.with_file_name(name)
}

fn create_parent(path: &Path) -> Result<(), SyncOutcome> {
    let parent = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| Refused(format!("{}: cannot create: {e}", parent.display())))
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), SyncOutcome> {
    create_parent(path)?;
    fs::write(path, bytes).map_err(|e| Refused(format!("{}: cannot write: {e}", path.display())))
}
