//! Signed content sync against a real hub process on 127.0.0.1: `gongkai-hub serve` and
//! `gongkai sync --once`, with the faults a kiosk meets. After every cycle the kiosk's
//! `current` bundle must be a complete bundle that passes the checker.

mod common;

use std::{
    fs,
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use common::fault_proxy::{Fault, FaultProxy};
use gongkai_testkit::{
    fixed_build_options, signed_minimal_bundle,
    hub::{HubProcess, add_staff, http, sign_in, start_hub as start_hub_with},
};
use ed25519_dalek::SigningKey;
use gongkai_core::{
    content::{build::BuildOptions, check::{CheckOptions, check_bundle}, manifest::Manifest},
    signing::sign_bundle,
};
use gongkai_core::sync::{
    Phase,
    layout::{PUBLISHED_MANIFEST, object_path},
};

fn start_hub(data: &Path) -> HubProcess {
    start_hub_with(data, &[])
}

/// A kiosk and a publisher in one temporary folder.
struct World {
    dir: tempfile::TempDir,
    key: SigningKey,
    store: PathBuf,
    /// Extra lines for the kiosk's [sync] section.
    sync_extra: String,
}

impl World {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("store");
        Self { dir, key: SigningKey::from_bytes(&[7; 32]), store, sync_extra: String::new() }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Builds and signs bundle `version` of the minimal content with `title` on document 1
    /// and a body of about 36 KB, so that transfers take long enough to break.
    fn bundle(&self, version: u64, title: &str, key: &SigningKey) -> PathBuf {
        signed_minimal_bundle(self.dir.path(), version, key, |source| {
            let documents = source.join("documents/a.json");
            let mut list: serde_json::Value = serde_json::from_str(&fs::read_to_string(&documents).unwrap()).unwrap();
            list[0]["title"] = title.into();
            list[0]["body"] = format!("{title}的正文。").repeat(1500).into();
            fs::write(&documents, serde_json::to_string_pretty(&list).unwrap()).unwrap();
        })
    }

    fn publish(&self, bundle: &Path) {
        let status = Command::new(gongkai_testkit::workspace_binary("gongkai-hub"))
            .args(["--data", self.path("hub").to_str().unwrap(), "publish", bundle.to_str().unwrap()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn config(&self, hub_url: &str) -> PathBuf {
        let public = hex::encode(self.key.verifying_key().to_bytes());
        let text = format!(
            "[kiosk]\nid = \"k-1\"\n[content]\nbundle = \"store/current\"\n\
             [handoff]\nbase_url = \"https://gk.example.cn\"\nsecret = \"00112233445566778899aabbccddeeff\"\n\
             [sync]\nhub_url = \"{hub_url}\"\nstore = {:?}\ntrusted_keys = [\"{public}\"]\n{}",
            self.store.display().to_string(),
            self.sync_extra
        );
        let path = self.path("kiosk.toml");
        fs::write(&path, text).unwrap();
        path
    }

    /// The shipped kiosk on `display`, with this world's config.
    fn run_kiosk(&self, hub_url: &str, display: &gongkai_testkit::x_display::XDisplay) -> std::process::Child {
        self.kiosk_command(hub_url, display).spawn().unwrap()
    }

    fn kiosk_command(&self, hub_url: &str, display: &gongkai_testkit::x_display::XDisplay) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gongkai"));
        command.arg("--config").arg(self.config(hub_url)).env("DISPLAY", &display.name).stdout(Stdio::null()).stderr(Stdio::null());
        // Its cover (`first_content`) in this world, not in the user's cache.
        command.env("XDG_CACHE_HOME", self.path("cache"));
        // Started by hand, even where the test itself runs under systemd.
        command.env_remove("INVOCATION_ID");
        command
    }

    /// A hub with bundle 1 published, this world's kiosk registered and staff `ops` to sign in.
    fn hub_with_its_kiosk(&self) -> HubProcess {
        self.publish(&self.bundle(1, "第一版标题", &self.key));
        let registry_path = self.path("kiosks.toml");
        fs::write(&registry_path, "[[kiosk]]\nid = \"k-1\"\nkey = \"00112233445566778899aabbccddeeff\"\n").unwrap();
        let hub = start_hub_with(&self.path("hub"), &["--kiosks", registry_path.to_str().unwrap()]);
        add_staff(&hub.data, "ops", "运维", "correct horse battery");
        hub
    }

    /// A hub and this world's kiosk on `display`, polling only once an hour and reporting
    /// every second, once it holds its push stream and shows the published bundle (not the
    /// built-in demo it starts on, also version 1); with staff `ops` signed in.
    fn kiosk_on_push(&mut self, display: &gongkai_testkit::x_display::XDisplay) -> (HubProcess, std::process::Child, [(&'static str, String); 1]) {
        let hub = self.hub_with_its_kiosk();
        self.sync_extra = "interval_s = 3600\nheartbeat_interval_s = 1\n".into();
        let kiosk = self.run_kiosk(&hub.url, display);
        let session = [("Cookie", sign_in(&hub.url, "ops", "correct horse battery"))];
        let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let kiosks: Vec<gongkai_hub::fleet::KioskSummary> = serde_json::from_str(&http(&hub.url, "GET", "/api/kiosks", &session, b"").body).unwrap();
            if kiosks[0].push_connected && kiosks[0].content == gongkai_hub::fleet::ContentStatus::Current {
                return (hub, kiosk, session);
            }
            assert!(std::time::Instant::now() < until, "never connected: {kiosks:?}");
            std::thread::sleep(std::time::Duration::from_millis(300));
        }
    }

    /// The settings of this world's kiosk, for a sync worker run in the test.
    fn sync_settings(&self, hub_url: &str) -> gongkai_core::sync::SyncSettings {
        gongkai_core::sync::SyncSettings {
            hub_url: hub_url.to_string(),
            store: self.store.clone(),
            trusted_keys: vec![self.key.verifying_key()],
            max_file_bytes: 1 << 26,
        }
    }

    fn sync_command(&self, hub_url: &str) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gongkai"));
        command.args(["sync", "--once", "--config"]).arg(self.config(hub_url));
        command
    }

    /// Runs `gongkai sync --once`; returns its exit code and what it printed.
    fn sync(&self, hub_url: &str) -> (i32, String) {
        let output = self.sync_command(hub_url).output().unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        (output.status.code().unwrap_or(-1), text)
    }

    /// The version shown now; also checks that it is a whole, valid bundle.
    fn shown_version(&self) -> Option<u64> {
        let current = self.store.join("current");
        let manifest: Manifest = serde_json::from_slice(&fs::read(current.join("manifest.json")).ok()?).ok()?;
        let checked = check_bundle(&current, &CheckOptions::at_local_now());
        assert!(checked.is_clean(), "current bundle is valid: {:?}", checked.problems);
        Some(manifest.bundle_version)
    }

    fn kept_versions(&self) -> Vec<String> {
        let mut kept: Vec<String> = fs::read_dir(self.store.join("bundles"))
            .map(|d| d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        kept.sort();
        kept
    }
}

#[test]
fn applies_new_bundles_fetching_only_what_changed() {
    let world = World::new();
    world.publish(&world.bundle(1, "第一版标题", &world.key));
    let hub = start_hub(&world.path("hub"));
    let (code, said) = world.sync(&hub.url);
    assert_eq!(code, 0, "{said}");
    assert!(said.starts_with("applied bundle version 1"), "{said}");
    assert_eq!(world.shown_version(), Some(1));

    // The tag saved with version 1 gets a 304: nothing but the request crosses the network.
    let (code, said) = world.sync(&hub.url);
    assert_eq!((code, said.trim()), (0, "up to date (bundle version 1; not modified since last time)"));
    // Without the tag the manifest comes again, and only its version says nothing is new.
    fs::remove_file(world.store.join("etag")).unwrap();
    let (code, said) = world.sync(&hub.url);
    assert_eq!((code, said.trim()), (0, "up to date (bundle version 1)"));

    world.publish(&world.bundle(2, "第二版标题", &world.key));
    let (code, said) = world.sync(&hub.url);
    assert_eq!(code, 0, "{said}");
    assert!(said.starts_with("applied bundle version 2: downloaded 1 files"), "only the changed document file: {said}");
    assert!(said.contains("reused 12"), "{said}");
    assert_eq!(world.shown_version(), Some(2));

    world.publish(&world.bundle(3, "第三版标题", &world.key));
    assert_eq!(world.sync(&hub.url).0, 0);
    assert_eq!(world.shown_version(), Some(3));
    assert_eq!(world.kept_versions(), ["2", "3"], "the current bundle and one previous");
}

#[test]
fn refusals_keep_the_shown_bundle() {
    let world = World::new();
    world.publish(&world.bundle(1, "第一版标题", &world.key));
    let hub = start_hub(&world.path("hub"));
    assert_eq!(world.sync(&hub.url).0, 0);

    // One corrupted byte in a published file.
    let v2 = world.bundle(2, "第二版标题", &world.key);
    world.publish(&v2);
    let manifest: Manifest = serde_json::from_slice(&fs::read(v2.join("manifest.json")).unwrap()).unwrap();
    let changed = manifest.files.iter().find(|f| f.path == "documents/a.json").unwrap();
    let object = hub.data.join(object_path(&changed.sha256));
    let mut bytes = fs::read(&object).unwrap();
    bytes[10] ^= 0x20;
    fs::write(&object, &bytes).unwrap();
    let (code, said) = world.sync(&hub.url);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("SHA-256 does not match"), "{said}");
    assert_eq!(world.shown_version(), Some(1));
    bytes[10] ^= 0x20;
    fs::write(&object, &bytes).unwrap();

    // A manifest changed after signing.
    let published = hub.data.join(PUBLISHED_MANIFEST);
    let original = fs::read(&published).unwrap();
    let tampered = String::from_utf8(original.clone()).unwrap().replace("\"bundle_version\": 2", "\"bundle_version\": 9");
    assert_ne!(tampered.as_bytes(), &original[..]);
    fs::write(&published, &tampered).unwrap();
    let (code, said) = world.sync(&hub.url);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("no signature for this manifest.json"), "{said}");
    assert_eq!(world.shown_version(), Some(1));
    fs::write(&published, &original).unwrap();

    // Signed by a key the kiosk does not trust.
    let stranger = SigningKey::from_bytes(&[9; 32]);
    world.publish(&world.bundle(3, "第三版标题", &stranger));
    let (code, said) = world.sync(&hub.url);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("does not trust"), "{said}");
    assert_eq!(world.shown_version(), Some(1));

    // A properly signed newer bundle is applied; then an older one is offered again.
    world.publish(&world.bundle(4, "第四版标题", &world.key));
    assert_eq!(world.sync(&hub.url).0, 0);
    assert_eq!(world.shown_version(), Some(4));
    fs::write(&published, &original).unwrap();
    let (code, said) = world.sync(&hub.url);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("older than the shown 4; no rollback"), "{said}");
    assert_eq!(world.shown_version(), Some(4));
}

#[test]
fn a_change_that_breaks_a_reference_held_in_an_unchanged_file_is_refused() {
    use gongkai_core::content::build::write_manifest;
    let world = World::new();
    let v1 = world.bundle(1, "第一版标题", &world.key);
    world.publish(&v1);
    let hub = start_hub(&world.path("hub"));
    assert_eq!(world.sync(&hub.url).0, 0);
    let memo = gongkai_core::content::check::ShardMemo::load(&world.store.join("checked-shards"));
    assert_eq!(memo.map(|m| m.len()), Some(1), "the check of version 1 left the facts of its shard");

    // Version 2 changes interpretations.json only: it drops the 解读 that doc-1 names in
    // documents/a.json, which the kiosk holds already and does not read again.
    let v2 = world.path("v2");
    gongkai_testkit::copy_dir(&v1, &v2);
    fs::write(v2.join("interpretations.json"), "[]").unwrap();
    write_manifest(&v2, &BuildOptions { bundle_version: Some(2), ..fixed_build_options() }).unwrap();
    sign_bundle(&v2, &world.key).unwrap();
    publish_unchecked(&v2, &hub.data);
    let (code, said) = world.sync(&hub.url);
    assert_eq!(code, 1, "{said}");
    let expected = "(1 problems), first: documents/a.json: $[0].interpretations[0]: refers to unknown interpretation \"jd-1\"";
    assert!(said.contains(expected), "{said}");
    assert_eq!(world.shown_version(), Some(1));
}

#[test]
fn a_hub_that_is_down_leaves_a_cold_kiosk_on_its_fallback() {
    let world = World::new();
    // Nothing listens on this port once the listener is dropped.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (code, said) = world.sync(&format!("http://127.0.0.1:{port}"));
    assert_eq!(code, 3, "{said}");
    assert!(said.starts_with("hub unreachable"), "{said}");
    assert_eq!(world.shown_version(), None, "no half bundle appears");
}

/// A kiosk that shows bundle version 1, fetched through a fault proxy in front of the hub.
fn showing_version_1_behind_a_proxy() -> (World, HubProcess, FaultProxy) {
    let world = World::new();
    world.publish(&world.bundle(1, "第一版标题", &world.key));
    let hub = start_hub(&world.path("hub"));
    let proxy = FaultProxy::start(&hub.url);
    assert_eq!(world.sync(&proxy.url).0, 0);
    (world, hub, proxy)
}

/// The number in "downloaded N files (B bytes)".
fn downloaded_bytes(said: &str) -> u64 {
    let after = said.split(" files (").nth(1).unwrap_or_else(|| panic!("{said}"));
    after.split(' ').next().unwrap().parse().unwrap()
}

fn changed_file_size(bundle: &Path) -> u64 {
    fs::metadata(bundle.join("documents/a.json")).unwrap().len()
}

#[test]
fn a_dropped_transfer_resumes_where_it_stopped() {
    let (world, _hub, proxy) = showing_version_1_behind_a_proxy();

    let v2 = world.bundle(2, "第二版标题", &world.key);
    world.publish(&v2);
    proxy.set(Fault::DropFilesAfter(12_000));
    let (code, said) = world.sync(&proxy.url);
    assert_eq!(code, 3, "a broken transfer is retried later: {said}");
    assert!(said.contains("will resume") || said.contains("broke off"), "{said}");
    assert_eq!(world.shown_version(), Some(1));

    proxy.set(Fault::None);
    let (code, said) = world.sync(&proxy.url);
    assert_eq!(code, 0, "{said}");
    let fetched = downloaded_bytes(&said);
    assert!(fetched < changed_file_size(&v2) - 5_000, "resumed: {fetched} of {} bytes fetched", changed_file_size(&v2));
    assert_eq!(world.shown_version(), Some(2));
}

#[test]
fn a_slow_link_still_delivers() {
    let world = World::new();
    world.publish(&world.bundle(1, "第一版标题", &world.key));
    let hub = start_hub(&world.path("hub"));
    let proxy = FaultProxy::start(&hub.url);
    proxy.set(Fault::Throttle(24_000));
    let started = std::time::Instant::now();
    let (code, said) = world.sync(&proxy.url);
    assert_eq!(code, 0, "{said}");
    assert!(started.elapsed().as_secs_f64() > 1.0, "the link really was slow");
    assert_eq!(world.shown_version(), Some(1));
}

#[test]
fn server_errors_are_tried_again_later() {
    let (world, _hub, proxy) = showing_version_1_behind_a_proxy();
    world.publish(&world.bundle(2, "第二版标题", &world.key));
    proxy.set(Fault::ServerError);
    let (code, said) = world.sync(&proxy.url);
    assert_eq!(code, 3, "{said}");
    assert!(said.contains("HTTP 500"), "{said}");
    assert_eq!(world.shown_version(), Some(1));
    proxy.set(Fault::None);
    assert_eq!(world.sync(&proxy.url).0, 0);
    assert_eq!(world.shown_version(), Some(2));
}

/// Kills `gongkai sync --once` with SIGKILL at each point of applying a new bundle: in the
/// middle of a file's transfer, then held by `GONGKAI_SYNC_HOLD_AT` at each later point
/// (staged, checked, kept, linked but not yet switched, switched). The store must stay
/// valid, show the old bundle until `current` has been switched, and the next cycle must
/// finish the job; a bundle left over by the kill before pruning goes at the next apply.
#[test]
fn killed_in_every_phase_the_store_stays_valid() {
    let (world, _hub, proxy) = showing_version_1_behind_a_proxy();
    proxy.set(Fault::Throttle(20_000));
    for (round, phase) in Phase::ALL.into_iter().enumerate() {
        let version = round as u64 + 2;
        world.publish(&world.bundle(version, &format!("第{version}版标题"), &world.key));
        let mut command = world.sync_command(&proxy.url);
        if phase != Phase::Downloading {
            command.env("GONGKAI_SYNC_HOLD_AT", phase.name());
        }
        let mut child = command.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
        let mut said = BufReader::new(child.stderr.take().unwrap()).lines();
        let marker = format!("phase: {}", phase.name());
        let reached = said.by_ref().map_while(Result::ok).any(|line| line == marker);
        assert!(reached, "round {round}: the cycle announced {marker:?}");
        if phase == Phase::Downloading {
            assert!(wait_for_partial_file(&world.store.join("staging").join(version.to_string())), "round {round}: a file is mid-transfer");
        } else {
            let held = said.next().and_then(Result::ok).unwrap_or_default();
            assert!(held.ends_with("held by GONGKAI_SYNC_HOLD_AT until killed"), "round {round}: {held}");
        }
        assert!(child.try_wait().unwrap().is_none(), "round {round}: still running in {} when killed", phase.name());
        child.kill().unwrap();
        child.wait().unwrap();

        let switched = phase == Phase::Pruning;
        let shown = world.shown_version().expect("a bundle is always shown");
        assert_eq!(shown, if switched { version } else { version - 1 }, "round {round}: killed while {}", phase.name());
        let (code, said) = world.sync(&proxy.url);
        assert_eq!(code, 0, "round {round}: the next cycle finishes the job: {said}");
        assert_eq!(world.shown_version(), Some(version));
    }
    assert_eq!(world.kept_versions().len(), 3, "the kill before pruning left one bundle too many");
    let last = Phase::ALL.len() as u64 + 2;
    world.publish(&world.bundle(last, "最后一版标题", &world.key));
    assert_eq!(world.sync(&proxy.url).0, 0);
    assert_eq!(world.kept_versions(), [(last - 1).to_string(), last.to_string()], "the next apply prunes");
}

/// Waits up to 30 s for a `.part` file with some bytes in it below `staging`.
fn wait_for_partial_file(staging: &Path) -> bool {
    fn has_part(dir: &Path) -> bool {
        fs::read_dir(dir).into_iter().flatten().flatten().any(|entry| {
            let path = entry.path();
            if path.is_dir() {
                return has_part(&path);
            }
            path.extension().is_some_and(|e| e == "part") && entry.metadata().is_ok_and(|m| m.len() > 0)
        })
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        if has_part(staging) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    false
}

/// Needs root and leave to mount a tmpfs, so it is ignored by default and `scripts/test` runs
/// it as root with `--ignored`; there a refused mount fails the test rather than skip it.
#[test]
#[ignore = "mounts a small tmpfs: needs root (scripts/test runs it as root)"]
fn disk_full_while_staging_keeps_the_old_bundle() {
    let mut world = World::new();
    let mount = world.path("small-disk");
    fs::create_dir_all(&mount).unwrap();
    let v1 = world.bundle(1, "第一版标题", &world.key);
    world.publish(&v1);
    // Room for one bundle and a little more: the second one cannot be staged beside it.
    let blocks: u64 = fs::read_dir(v1.join("documents")).unwrap().count() as u64;
    let size_kb = 4 * (20 + blocks) + 2 * changed_file_size(&v1) / 1024;
    let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size_kb}k"), "tmpfs"]).arg(&mount).status();
    assert!(mounted.is_ok_and(|s| s.success()), "mounting a {size_kb} KB tmpfs to fill was refused: run as root");
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(mount.clone());
    world.store = mount.join("store");
    let hub = start_hub(&world.path("hub"));
    let (code, said) = world.sync(&hub.url);
    assert_eq!(code, 0, "the first bundle fits: {said}");
    world.publish(&world.bundle(2, &"很长的第二版标题".repeat(3), &world.key));
    let (code, said) = world.sync(&hub.url);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("No space left on device"), "a clear error: {said}");
    assert_eq!(world.shown_version(), Some(1), "old content kept");
}

#[test]
fn the_background_worker_hands_over_each_new_bundle_ready_to_show() {
    let world = World::new();
    world.publish(&world.bundle(1, "第一版标题", &world.key));
    let hub = start_hub(&world.path("hub"));
    let settings = world.sync_settings(&hub.url);
    let woken = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = woken.clone();
    let worker = gongkai_core::sync::start(
        settings,
        std::time::Duration::from_millis(300),
        Box::new(move || {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }),
    );
    let wait = std::time::Duration::from_secs(20);
    let first = worker.updates.recv_timeout(wait).expect("the first bundle arrives");
    assert_eq!(first.version, 1);
    assert_eq!(first.library.content.documents[0].title, "第一版标题");
    world.publish(&world.bundle(2, "第二版标题", &world.key));
    let second = worker.updates.recv_timeout(wait).expect("the next bundle arrives");
    assert_eq!(second.version, 2);
    assert_eq!(second.library.content.documents[0].title, "第二版标题");
    assert!(!second.library.search.is_empty(), "indexed before it is handed over");
    // The wake follows the hand-over (so a woken screen always finds it): allow it a moment.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    while woken.load(std::sync::atomic::Ordering::SeqCst) < 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(woken.load(std::sync::atomic::Ordering::SeqCst) >= 2, "the screen is woken for each");
    let status = worker.status.lock().unwrap().clone();
    assert!(status.last_attempt.is_some());
}

#[test]
fn the_worker_syncs_when_asked_for_a_bundle_it_does_not_show_and_only_then() {
    use gongkai_core::sync::{SyncRequest, layout::manifest_sha256};
    let world = World::new();
    world.publish(&world.bundle(1, "第一版标题", &world.key));
    let hub = start_hub(&world.path("hub"));
    let settings = world.sync_settings(&hub.url);
    // Its timer would not come round within the test.
    let worker = gongkai_core::sync::start(settings, std::time::Duration::from_secs(3600), Box::new(|| {}));
    assert_eq!(worker.updates.recv_timeout(std::time::Duration::from_secs(20)).expect("the first bundle").version, 1);
    let published = || manifest_sha256(&fs::read(world.path("hub").join(PUBLISHED_MANIFEST)).unwrap());
    let attempts = || worker.status.lock().unwrap().last_attempt;
    // The cycle is recorded just after its bundle is handed over.
    while attempts().is_none() {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let first_attempt = attempts();
    let ask = |manifest_sha256: String| worker.sync_now.send(SyncRequest { manifest_sha256, spread: std::time::Duration::from_millis(200) }).unwrap();
    // Asked for what it shows (a stream opening says so): nothing is fetched.
    ask(published());
    std::thread::sleep(std::time::Duration::from_secs(1));
    assert_eq!(attempts(), first_attempt);
    world.publish(&world.bundle(2, "第二版标题", &world.key));
    ask(published());
    let second = worker.updates.recv_timeout(std::time::Duration::from_secs(20)).expect("the asked-for bundle");
    assert_eq!((second.version, second.library.content.documents[0].title.as_str()), (2, "第二版标题"));
}

/// One plain HTTP/1.1 exchange; returns the status code and the body.
#[test]
fn heartbeats_list_kiosks_online_offline_and_behind() {
    use gongkai_core::fleet::{KIOSK_HEADER, KioskReport, SIGNATURE_HEADER, sign_report, start_heartbeat};
    use gongkai_hub::fleet::{ContentStatus, KioskSummary};
    let world = World::new();
    world.publish(&world.bundle(3, "第三版标题", &world.key));
    let keys = [("hall-1", [1u8; 16]), ("hall-2", [2u8; 16]), ("hall-3", [3u8; 16])];
    let registry: String = keys.iter().map(|(id, key)| format!("[[kiosk]]\nid = \"{id}\"\nkey = \"{}\"\n", hex::encode(key))).collect();
    let registry_path = world.path("kiosks.toml");
    fs::write(&registry_path, registry).unwrap();
    let hub = start_hub_with(&world.path("hub"), &["--kiosks", registry_path.to_str().unwrap(), "--offline-after-s", "1"]);

    // hall-1 beats every 200 ms, two versions behind the published bundle.
    start_heartbeat(hub.url.clone(), keys[0].1.to_vec(), std::time::Duration::from_millis(200), None, || KioskReport {
        kiosk_id: "hall-1".into(),
        mode: "touch".into(),
        content_version: 1,
        resolution: "1920x1080".into(),
        ..Default::default()
    });
    // hall-3 reports once and then goes quiet.
    let once = |key: &[u8], kiosk: &str| {
        let report = KioskReport { kiosk_id: "hall-3".into(), content_version: 3, sent_at: chrono::Utc::now().timestamp(), ..Default::default() };
        let body = serde_json::to_vec(&report).unwrap();
        let headers = [(KIOSK_HEADER, kiosk.to_string()), (SIGNATURE_HEADER, sign_report(key, &body))];
        http(&hub.url, "POST", "/api/heartbeat", &headers, &body).status
    };
    assert_eq!(once(&keys[2].1, "hall-3"), 204);
    assert_eq!(once(&keys[0].1, "hall-3"), 401, "another kiosk's key is refused");
    assert_eq!(once(&keys[2].1, "hall-9"), 401, "an unknown kiosk is refused");

    std::thread::sleep(std::time::Duration::from_millis(2_500));
    assert_eq!(http(&hub.url, "GET", "/api/kiosks", &[], b"").status, 401, "the fleet is for signed-in staff");
    assert_eq!(http(&hub.url, "GET", "/fleet", &[], b"").status, 303, "to the log-in page");
    add_staff(&hub.data, "ops", "运维", "correct horse battery");
    let session = [("Cookie", sign_in(&hub.url, "ops", "correct horse battery"))];
    let response = http(&hub.url, "GET", "/api/kiosks", &session, b"");
    let (status, body) = (response.status, response.body);
    assert_eq!(status, 200);
    let kiosks: Vec<KioskSummary> = serde_json::from_str(&body).unwrap();
    let by_id = |id: &str| kiosks.iter().find(|k| k.kiosk_id == id).unwrap();
    assert!(by_id("hall-1").online, "{body}");
    // Only version 3 was published on this hub: the kiosk on 1 is one published version behind.
    assert_eq!(by_id("hall-1").content, ContentStatus::Behind { versions: 1 });
    assert_eq!((by_id("hall-2").online, by_id("hall-2").last_seen_s), (false, None), "never reported");
    assert!(!by_id("hall-3").online, "its heartbeat expired");
    // Version 3, but without the manifest's identity it is not called 最新 either.
    assert_eq!(by_id("hall-3").content, ContentStatus::SameVersion);
    let response = http(&hub.url, "GET", "/fleet", &session, b"");
    let (status, page) = (response.status, response.body);
    assert_eq!(status, 200);
    assert!(page.contains("hall-1") && page.contains("落后 1 版") && page.contains("离线"), "{page}");
}

/// The shipped kiosk, syncing from a real hub under Xvfb: the fleet page calls it 最新 only
/// while the manifest on its screen is the published one, counts the versions it is behind,
/// sees its frames move, and keeps all of it across a restart of the hub.
#[test]
fn a_running_kiosk_is_current_only_while_it_shows_the_published_manifest() {
    use gongkai_hub::fleet::{ContentStatus, KioskSummary};
    use gongkai_testkit::x_display::XDisplay;
    let mut world = World::new();
    world.publish(&world.bundle(1, "第一版标题", &world.key));
    let registry_path = world.path("kiosks.toml");
    fs::write(&registry_path, "[[kiosk]]\nid = \"k-1\"\nkey = \"00112233445566778899aabbccddeeff\"\nhall = \"云溪\"\ntags = [\"街道\"]\n").unwrap();
    let hub_args = ["--kiosks", registry_path.to_str().unwrap(), "--frozen-after-s", "15"];
    let mut hub = start_hub_with(&world.path("hub"), &hub_args);
    add_staff(&hub.data, "ops", "运维", "correct horse battery");
    // It syncs once at start, then not again within the test; it reports every second.
    world.sync_extra = "interval_s = 3600\nheartbeat_interval_s = 1\n".into();
    let display = XDisplay::start(1280, 720);
    let mut kiosk = world.run_kiosk(&hub.url, &display);
    let session = |url: &str| [("Cookie", sign_in(url, "ops", "correct horse battery"))];
    let fleet = |url: &str, session: &[(&str, String)]| -> KioskSummary {
        let kiosks: Vec<KioskSummary> = serde_json::from_str(&http(url, "GET", "/api/kiosks", session, b"").body).unwrap();
        kiosks.into_iter().next().unwrap()
    };
    let signed_in = session(&hub.url);
    let wait_for = |url: &str, wanted: &dyn Fn(&KioskSummary) -> bool| {
        let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let kiosk = fleet(url, &signed_in);
            if wanted(&kiosk) {
                return kiosk;
            }
            assert!(std::time::Instant::now() < until, "never came: {kiosk:?}");
            std::thread::sleep(std::time::Duration::from_millis(300));
        }
    };
    let current = wait_for(&hub.url, &|k| k.content == ContentStatus::Current);
    assert_eq!((current.content_version, current.online, current.frozen), (Some(1), true, false));
    let first_frames = current.report.as_ref().unwrap().frames_drawn;
    // A screen at rest still draws every 5 s: its count moves, and over more than the 15 s
    // of --frozen-after-s it is never called frozen.
    let later = wait_for(&hub.url, &|k| k.report.as_ref().is_some_and(|r| r.frames_drawn > first_frames));
    assert!(!later.frozen, "{later:?}");
    for _ in 0..20 {
        std::thread::sleep(std::time::Duration::from_secs(1));
        let now = fleet(&hub.url, &signed_in);
        assert!(now.online && !now.frozen, "{now:?}");
    }

    // A visitor's tap through X leaves the attract loop: proof of play counts the screen it
    // opens, once, and the hub has it by the next heartbeats.
    display.tap(640.0, 360.0);
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let csv = http(&hub.url, "GET", "/fleet/plays.csv", &signed_in, b"").body;
        let opened: Vec<&str> = csv.lines().filter(|l| l.contains(",k-1,云溪,触摸屏页面,")).collect();
        if !opened.is_empty() {
            assert!(opened.len() == 1 && opened[0].ends_with(",1,"), "{csv}");
            // And it stays one over the next heartbeats, which send the running count again.
            std::thread::sleep(std::time::Duration::from_secs(3));
            let again = http(&hub.url, "GET", "/fleet/plays.csv", &signed_in, b"").body;
            assert_eq!(again, csv);
            break;
        }
        assert!(std::time::Instant::now() < until, "no screen opened in {csv}");
        std::thread::sleep(std::time::Duration::from_millis(300));
    }

    world.publish(&world.bundle(2, "第二版标题", &world.key));
    world.publish(&world.bundle(3, "第三版标题", &world.key));
    let behind = wait_for(&hub.url, &|k| k.content != ContentStatus::Current);
    assert_eq!(behind.content, ContentStatus::Behind { versions: 2 }, "the kiosk still shows version 1");
    let page = http(&hub.url, "GET", "/fleet?tag=%E8%A1%97%E9%81%93", &signed_in, b"").body;
    assert!(page.contains("k-1") && page.contains("落后 2 版") && page.contains("云溪"), "{page}");
    let page = http(&hub.url, "GET", "/fleet?tag=other", &signed_in, b"").body;
    assert!(!page.contains("<td>k-1</td>") && page.contains("没有符合条件的终端"), "{page}");

    // The hub restarts while the kiosk is gone: the page still knows what it last showed.
    let _ = kiosk.kill();
    let _ = kiosk.wait();
    drop(hub);
    hub = start_hub_with(&world.path("hub"), &hub_args);
    let kept = fleet(&hub.url, &session(&hub.url));
    assert_eq!((kept.content_version, &kept.content), (Some(1), &ContentStatus::Behind { versions: 2 }));
    assert!(kept.last_seen_s.is_some() && kept.report.is_some_and(|r| r.frames_drawn > first_frames));
}

/// Lays a bundle out on the hub by hand, as a broken or compromised publisher might,
/// without the checks of `gongkai-hub publish`.
fn publish_unchecked(bundle: &Path, data: &Path) {
    use sha2::{Digest, Sha256};
    let manifest_bytes = fs::read(bundle.join("manifest.json")).unwrap();
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes).unwrap();
    for entry in &manifest.files {
        let target = data.join(object_path(&entry.sha256));
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(bundle.join(&entry.path), target).unwrap();
    }
    let sha = hex::encode(Sha256::digest(&manifest_bytes));
    fs::create_dir_all(data.join("signatures")).unwrap();
    fs::copy(bundle.join("manifest.sig"), data.join(format!("signatures/{sha}.sig"))).unwrap();
    fs::write(data.join(PUBLISHED_MANIFEST), manifest_bytes).unwrap();
}

#[test]
fn signed_but_invalid_or_oversized_bundles_are_refused() {
    use gongkai_core::content::build::write_manifest;
    let mut world = World::new();
    world.publish(&world.bundle(1, "第一版标题", &world.key));
    let hub = start_hub(&world.path("hub"));
    assert_eq!(world.sync(&hub.url).0, 0);

    // Signed by the trusted key, but the content breaks a rule (an unmasked ID card number).
    let bad = world.bundle(2, "第二版标题", &world.key);
    let documents = bad.join("documents/a.json");
    let text = fs::read_to_string(&documents).unwrap().replacen("的正文。", "的正文，身份证号360402199001011234。", 1);
    fs::write(&documents, text).unwrap();
    let options = BuildOptions { bundle_version: Some(2), ..fixed_build_options() };
    write_manifest(&bad, &options).unwrap();
    sign_bundle(&bad, &world.key).unwrap();
    publish_unchecked(&bad, &hub.data);
    let (code, said) = world.sync(&hub.url);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("the checker refused bundle version 2"), "{said}");
    assert_eq!(world.shown_version(), Some(1));

    // A signature that belongs to another manifest.
    let other = world.bundle(3, "第三版标题", &world.key);
    fs::copy(bad.join("manifest.sig"), other.join("manifest.sig")).unwrap();
    publish_unchecked(&other, &hub.data);
    let (code, said) = world.sync(&hub.url);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("signature does not match"), "{said}");
    assert_eq!(world.shown_version(), Some(1));

    // A file over this kiosk's size limit.
    world.publish(&world.bundle(4, "第四版标题", &world.key));
    world.sync_extra = "max_file_mib = 0\n".into();
    let (code, said) = world.sync(&hub.url);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("over the limit"), "{said}");
    assert_eq!(world.shown_version(), Some(1));
}

#[test]
fn proof_of_play_waits_out_an_outage_on_disk_and_reaches_the_hub_once() {
    use gongkai_core::fleet::{KioskReport, PlayLog, start_heartbeat};
    use std::{sync::{Arc, Mutex}, thread, time::{Duration, Instant}};
    let world = World::new();
    let key = [4u8; 16];
    let registry_path = world.path("kiosks.toml");
    fs::write(&registry_path, format!("[[kiosk]]\nid = \"wall-1\"\nkey = \"{}\"\nhall = \"云溪\"\n", hex::encode(key))).unwrap();
    let hub = start_hub_with(&world.path("hub"), &["--kiosks", registry_path.to_str().unwrap()]);
    let proxy = FaultProxy::start(&hub.url);
    proxy.set(Fault::ServerError);

    // Two hours ago, so that the hour of the screen count is over and it can go too.
    let now = chrono::Utc::now().timestamp();
    let hour = now - now.rem_euclid(3600) - 7200;
    let log_path = world.path("plays.json");
    let (mut log, _) = PlayLog::open(&log_path);
    log.page_shown("重点工作进展", hour + 10, 30);
    log.page_shown("通知公告", hour + 40, 25);
    log.screen_opened("搜索", hour + 100);
    log.screen_opened("搜索", hour + 200);
    let log = Arc::new(Mutex::new(log));
    let report = || KioskReport { kiosk_id: "wall-1".into(), mode: "wall".into(), ..Default::default() };
    start_heartbeat(proxy.url.clone(), key.to_vec(), Duration::from_millis(200), Some(log.clone()), report);

    // The hub answers 500: everything stays, and on disk, where a restarted kiosk finds it.
    thread::sleep(Duration::from_millis(1500));
    let (pages, screens) = PlayLog::open(&log_path).0.batch();
    assert_eq!((pages.len(), screens.len()), (2, 1));

    proxy.set(Fault::None);
    let deadline = Instant::now() + Duration::from_secs(20);
    while log.lock().unwrap().batch() != (vec![], vec![]) {
        assert!(Instant::now() < deadline, "the hub never took the proof of play");
        thread::sleep(Duration::from_millis(100));
    }
    // Beats go on, now without records: each record is in the hub once.
    thread::sleep(Duration::from_millis(600));
    add_staff(&hub.data, "ops", "运维", "correct horse battery");
    let session = [("Cookie", sign_in(&hub.url, "ops", "correct horse battery"))];
    let day = chrono::DateTime::from_timestamp(hour + 10, 0).unwrap().with_timezone(&chrono::Local).date_naive();
    let csv = http(&hub.url, "GET", &format!("/fleet/plays.csv?from={day}&to={day}&kiosk=wall-1"), &session, b"");
    assert_eq!(csv.status, 200);
    assert_eq!(
        csv.body.lines().collect::<Vec<_>>(),
        [
            "\u{FEFF}日期,终端,大厅,类别,页面,次数,播放时长（秒）".to_string(),
            format!("{day},wall-1,云溪,大屏页面,通知公告,1,25"),
            format!("{day},wall-1,云溪,大屏页面,重点工作进展,1,30"),
            format!("{day},wall-1,云溪,触摸屏页面,搜索,2,"),
        ]
    );
}

#[test]
fn a_running_wall_reports_each_page_it_showed_and_for_how_long() {
    use gongkai_testkit::x_display::XDisplay;
    let mut world = World::new();
    let hub = world.hub_with_its_kiosk();
    world.sync_extra = "interval_s = 3600\nheartbeat_interval_s = 1\n[input]\ntouch = false\n[wall]\ntransition_ms = 200\n\
        [[wall.pages]]\npage = \"disclosure\"\nseconds = 2\n[[wall.pages]]\npage = \"notices\"\nseconds = 3\n"
        .into();
    let display = XDisplay::start(1280, 720);
    let mut kiosk = world.run_kiosk(&hub.url, &display);
    let signed_in = [("Cookie", sign_in(&hub.url, "ops", "correct horse battery"))];
    // Each page is reported when it leaves the stage: after two rounds both are in, each
    // with the time it stayed (its seconds, and the slide to the next).
    let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let rows = loop {
        let csv = http(&hub.url, "GET", "/fleet/plays.csv", &signed_in, b"").body;
        let rows: Vec<Vec<String>> =
            csv.lines().filter(|l| l.contains(",大屏页面,")).map(|l| l.split(',').map(str::to_string).collect()).collect();
        if rows.iter().all(|r| r[5].parse::<u64>().unwrap() >= 2) && rows.len() == 2 {
            break rows;
        }
        assert!(std::time::Instant::now() < until, "the wall's pages never all came twice: {csv}");
        std::thread::sleep(std::time::Duration::from_millis(500));
    };
    let _ = kiosk.kill();
    let _ = kiosk.wait();
    for (row, (title, seconds)) in rows.iter().zip([("政务公开统计", 2), ("通知公告", 3)]) {
        assert_eq!(row[4], title);
        let (times, total): (u64, u64) = (row[5].parse().unwrap(), row[6].parse().unwrap());
        let each = total as f64 / times as f64;
        assert!((seconds as f64..=seconds as f64 + 3.0).contains(&each), "{title}: {times} times, {total} s in all");
    }
}

#[test]
fn an_urgent_notice_reaches_a_running_kiosk_by_push_long_before_its_next_poll() {
    use gongkai_testkit::{picture::urgent_band_share, x_display::XDisplay};
    let mut world = World::new();
    let display = XDisplay::start(1280, 720);
    // It polls once at start and then not for an hour: only the push can bring the notice.
    let (hub, mut kiosk, signed_in) = world.kiosk_on_push(&display);
    let page = http(&hub.url, "GET", "/fleet", &signed_in, b"").body;
    assert!(page.contains("推送已连接") && page.contains("推送通道已连接 1"), "{page}");

    // A visitor's tap through X opens the home screen, which carries the urgent band; proof of
    // play says when it is open.
    display.tap(640.0, 360.0);
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !http(&hub.url, "GET", "/fleet/plays.csv", &signed_in, b"").body.contains(",触摸屏页面,首页,") {
        assert!(std::time::Instant::now() < until, "the tap never opened the home screen");
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    assert_eq!(urgent_band_share(&display.grab()), 0.0, "no urgent notice yet");

    let bundle = gongkai_testkit::signed_bundle_on_today(world.dir.path(), 2, &world.key, true);
    let published = std::time::Instant::now();
    world.publish(&bundle);
    let shown = display.wait_until(std::time::Duration::from_secs(30), None, |screen| urgent_band_share(screen) > 0.005);
    let _ = kiosk.kill();
    let _ = kiosk.wait();
    let (at, _) = shown.expect("the urgent notice never showed");
    // The budget (5 s) is measured by `cargo bench --bench push`; here it is enough that it
    // came by the push, and not by the poll an hour away.
    println!("urgent notice on screen {:?} after publishing", at - published);
}

#[test]
fn a_restart_from_the_fleet_page_ends_a_kiosk_run_by_a_service_manager_and_no_other() {
    use gongkai_testkit::{hub::{form_body, hidden_value}, x_display::XDisplay};
    let mut world = World::new();
    let hub = world.hub_with_its_kiosk();
    world.sync_extra = "interval_s = 3600\nheartbeat_interval_s = 1\n".into();
    let display = XDisplay::start(1280, 720);
    let session = [("Cookie", sign_in(&hub.url, "ops", "correct horse battery"))];
    let page = || http(&hub.url, "GET", "/fleet", &session, b"").body;
    let restart = || {
        let form = form_body(&[("csrf", &hidden_value(&page(), "csrf").unwrap()), ("kiosk", "k-1"), ("command", "restart"), ("confirmed", "1")]);
        let headers = [session[0].clone(), ("Content-Type", "application/x-www-form-urlencoded".to_string())];
        assert_eq!(http(&hub.url, "POST", "/fleet/commands", &headers, &form).status, 303);
    };
    // The run the hub last heard from, by its start.
    let run = || -> Option<i64> {
        let kiosks: Vec<gongkai_hub::fleet::KioskSummary> = serde_json::from_str(&http(&hub.url, "GET", "/api/kiosks", &session, b"").body).unwrap();
        kiosks[0].report.as_ref().map(|r| r.started_at)
    };
    // A new run reports within a second and opens its stream as it starts. A command sent
    // meanwhile into the last run's stream (which the hub may not yet know is gone) is sent
    // again with the new one, being unanswered.
    let wait_for_new_run = |before: Option<i64>| {
        let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while run() == before || !page().contains("推送通道已连接 1") {
            assert!(std::time::Instant::now() < until, "the kiosk never reported");
            std::thread::sleep(std::time::Duration::from_millis(300));
        }
    };
    let answered = |answer: &str| {
        let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while !page().contains(answer) {
            assert!(std::time::Instant::now() < until, "no answer {answer:?}: {}", page());
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    };

    // Started by hand: nothing would start it again, so it refuses and runs on.
    let mut by_hand = world.run_kiosk(&hub.url, &display);
    wait_for_new_run(None);
    restart();
    answered("未由服务管理器运行，重启后不会自动启动，已拒绝");
    std::thread::sleep(std::time::Duration::from_secs(3));
    assert!(by_hand.try_wait().unwrap().is_none(), "still running");
    let _ = by_hand.kill();
    let _ = by_hand.wait();
    let first_run = run();

    // As systemd runs it (which names each run with INVOCATION_ID): it answers, then ends
    // cleanly for the unit's Restart=always.
    std::thread::sleep(std::time::Duration::from_secs(1));
    let mut service = world.kiosk_command(&hub.url, &display).env("INVOCATION_ID", "0123456789abcdef0123456789abcdef").spawn().unwrap();
    wait_for_new_run(first_run);
    restart();
    answered("正在重启");
    let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(status) = service.try_wait().unwrap() {
            break status;
        }
        assert!(std::time::Instant::now() < until, "the kiosk did not end");
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_screenshot_from_the_fleet_page_shows_the_screen_with_what_a_visitor_typed_blanked() {
    use common::rendered::{Report, render};
    use gongkai_core::fleet::screenshot::BLANK;
    use gongkai_testkit::{hub::{form_body, hidden_value}, picture::differing_share, x_display::XDisplay};
    let mut world = World::new();
    let display = XDisplay::start(1280, 720);
    let (hub, mut kiosk, session) = world.kiosk_on_push(&display);
    let page = || http(&hub.url, "GET", "/fleet", &session, b"").body;

    // Where things are, from the same content rendered apart (a config without [sync], so
    // that it does not stand in for the running kiosk at the hub).
    let render_config = world.path("render.toml");
    let config_text = fs::read_to_string(world.config(&hub.url)).unwrap();
    fs::write(&render_config, &config_text[..config_text.find("[sync]").unwrap()]).unwrap();
    let out = world.path("references");
    render(&render_config, &["--size", "1280x720", "--out-dir", out.to_str().unwrap(), "--screen", "home", "--screen", "search"], None);
    let report = |view: &str| -> Report { serde_json::from_str(&fs::read_to_string(out.join(format!("{view}.layout.json"))).unwrap()).unwrap() };
    let search_reference = image::open(out.join("search.png")).unwrap().to_rgb8();
    let (home, search) = (report("home"), report("search"));
    // The first text that reads `text` (or begins so, for a text ending in …), in screen
    // pixels (a report is in 1080p units).
    let box_of = |report: &Report, text: &str| {
        let wanted = |value: &str| text.strip_suffix('…').map_or(value == text, |start| value.starts_with(start));
        let node = report.nodes.iter().find(|n| n.text.as_ref().is_some_and(|t| wanted(&t.value))).unwrap_or_else(|| panic!("no {text:?}"));
        let scale = 1280.0 / report.width;
        (node.x * scale, node.y * scale, node.w * scale, node.h * scale)
    };
    let centre = |(x, y, w, h): (f32, f32, f32, f32)| (x + w / 2.0, y + h / 2.0);

    // A visitor, through X: the attract loop, 首页, 搜索, then two keys.
    let shows = |view: &str| {
        let reference = image::open(out.join(format!("{view}.png"))).unwrap().to_rgb8();
        let shown = display.wait_until(std::time::Duration::from_secs(20), None, |screen| differing_share(screen, &reference, None) < 0.03);
        assert!(shown.is_some(), "{view} never showed; {} of the screen differs", differing_share(&display.grab(), &reference, None));
    };
    display.tap(640.0, 360.0);
    shows("home");
    let (x, y) = centre(box_of(&home, "搜索…"));
    display.tap(x, y);
    shows("search");
    for key in ["Z", "W"] {
        let (x, y) = centre(box_of(&search, key));
        display.tap(x, y);
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    let query_line = box_of(&search, "请用左侧键盘…");
    let typed = display.grab();
    let query_area = (query_line.0 as u32, query_line.1 as u32, query_line.2 as u32, query_line.3 as u32);
    assert!(differing_share(&typed, &search_reference, Some(query_area)) > 0.02, "the typed text is on screen");

    let form = form_body(&[("csrf", &hidden_value(&page(), "csrf").unwrap()), ("kiosk", "k-1"), ("command", "screenshot")]);
    let headers = [session[0].clone(), ("Content-Type", "application/x-www-form-urlencoded".to_string())];
    let asked = std::time::Instant::now();
    assert_eq!(http(&hub.url, "POST", "/fleet/commands", &headers, &form).status, 303);
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !page().contains("已上传截图") {
        assert!(std::time::Instant::now() < until, "never uploaded: {}", page());
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    println!("screenshot on the hub {:?} after it was asked for", asked.elapsed());
    let shown = page();
    let src = gongkai_testkit::hub::screenshot_address(&shown).expect("on the fleet page");
    let thumbnail = image::load_from_memory(&http(&hub.url, "GET", &src, &session, b"").bytes).unwrap().to_rgb8();
    let _ = kiosk.kill();
    let _ = kiosk.wait();

    // Half size: the screen as it was, but grey wherever the visitor's text showed.
    assert_eq!(thumbnail.dimensions(), (640, 360));
    let half = image::imageops::resize(&typed, 640, 360, image::imageops::FilterType::Triangle);
    let keyboard = box_of(&search, "A");
    let keyboard_area = ((keyboard.0 / 2.0) as u32, (keyboard.1 / 2.0) as u32, (keyboard.2 * 7.0 / 2.0) as u32, (keyboard.3 * 4.0 / 2.0) as u32);
    assert!(differing_share(&thumbnail, &half, Some(keyboard_area)) < 0.05, "the keyboard as on screen");
    let (x, y, w, h) = query_line;
    let inside = |px: f32, py: f32| thumbnail.get_pixel((px / 2.0) as u32, (py / 2.0) as u32).0;
    for (px, py) in [(x + 4.0, y + h / 2.0), (x + w / 2.0, y + 4.0), (x + w - 4.0, y + h - 4.0), (x + w / 2.0, y + h + 60.0)] {
        assert_eq!(inside(px, py), BLANK, "the query and results are blanked at ({px}, {py})");
    }
    assert_ne!(typed.get_pixel((x + 4.0) as u32, (y + h / 2.0) as u32).0, BLANK, "the screen itself is not grey there");
}
