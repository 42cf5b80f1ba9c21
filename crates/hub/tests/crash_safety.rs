//! Nothing acknowledged is lost: `kill -9` the hub in the middle of a burst of concurrent
//! submissions, start it again on the same data, and every submission that got its 查询码
//! is there exactly once, under that 查询码. And `kill -9` a publish at any moment: the
//! published bundle is the old one or the new one, whole.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    thread,
    time::{Duration, Instant},
};

use gongkai_testkit::hub::{DemoHub, form_body, http, try_http};

const CLIENTS: usize = 16;

#[test]
fn acknowledged_submissions_survive_kill_9_exactly_once() {
    // A city's visitors at once, all from 127.0.0.1: the visitor limits are lifted.
    let mut demo = DemoHub::start_with(&[
        "--max-submits-per-address",
        "1000000000",
        "--challenge-cookieless-after",
        "1000000000",
        "--max-submits-per-second",
        "1000000",
    ]);
    let url = demo.hub.url.clone();
    let acknowledged: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    // When each unanswered request was sent: those sent before the kill were in flight.
    let unanswered: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (url, acknowledged, unanswered, stop) =
                (url.clone(), Arc::clone(&acknowledged), Arc::clone(&unanswered), Arc::clone(&stop));
            thread::spawn(move || {
                for n in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let key = format!("{client:032x}{n:032x}");
                    let body = form_body(&[("category", "其他"), ("content", &format!("并发提交 {client}-{n}")), ("key", &key)]);
                    let headers = [("Content-Type", "application/x-www-form-urlencoded".to_string())];
                    let sent = Instant::now();
                    match try_http(&url, "POST", "/f/opinion", &headers, &body) {
                        Ok(response) if response.status == 303 => {
                            let code = response.header("location").unwrap().trim_start_matches("/q/").trim_end_matches("?new=1").to_string();
                            acknowledged.lock().unwrap().push((key, code));
                        }
                        // Killed mid-request (or sent after): no answer, so nothing was promised.
                        Err(_) => unanswered.lock().unwrap().push(sent),
                        Ok(_) => {}
                    }
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.lock().unwrap().len() < 200 {
        assert!(Instant::now() < deadline, "the hub acknowledged too few submissions to test");
        thread::sleep(Duration::from_millis(20));
    }
    let killed_at = Instant::now();
    demo.hub.process.kill().unwrap(); // SIGKILL, in the middle of the burst
    demo.hub.process.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    let in_flight = unanswered.lock().unwrap().iter().filter(|sent| **sent < killed_at).count();
    assert!(in_flight > 0, "the kill landed while requests were in flight");

    demo.restart();
    let database = rusqlite::Connection::open(demo.hub.data.join("submissions.db")).unwrap();
    for (key, code) in &acknowledged {
        let stored: Vec<String> = database
            .prepare("SELECT code FROM submissions WHERE idempotency_key = ?1")
            .unwrap()
            .query_map([key], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(stored, vec![code.clone()], "submission {key} acknowledged as {code}");
    }
    let (key, code) = &acknowledged[acknowledged.len() / 2];
    assert_eq!(http(&demo.hub.url, "GET", &format!("/q/{code}"), &[], b"").status, 200, "its status page works after the restart");
    let body = form_body(&[("category", "其他"), ("content", "重发"), ("key", key)]);
    let resent = http(&demo.hub.url, "POST", "/f/opinion", &[("Content-Type", "application/x-www-form-urlencoded".to_string())], &body);
    assert_eq!(resent.header("location"), Some(format!("/q/{code}?new=1").as_str()), "a retry gets the same 查询码");
    eprintln!("{} submissions acknowledged before kill -9, {in_flight} in flight and unanswered; all acknowledged present once after restart", acknowledged.len());
}

/// The published manifest's version, after checking that its signature and every file it
/// lists are there with their SHA-256.
fn whole_published_version(data: &std::path::Path) -> u64 {
    use gongkai_core::sync::layout::{PUBLISHED_MANIFEST, manifest_sha256, object_path, signature_path};
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(data.join(PUBLISHED_MANIFEST)).expect("a manifest is always published");
    let manifest: gongkai_core::content::manifest::Manifest = serde_json::from_slice(&bytes).expect("the manifest is whole");
    assert!(data.join(signature_path(&manifest_sha256(&bytes))).is_file(), "its signature");
    for file in &manifest.files {
        let object = std::fs::read(data.join(object_path(&file.sha256))).unwrap_or_else(|e| panic!("{}: {e}", file.path));
        assert_eq!(hex::encode(Sha256::digest(&object)), file.sha256, "{}", file.path);
    }
    manifest.bundle_version
}

#[test]
fn a_publish_killed_at_any_moment_leaves_the_published_bundle_whole() {
    use gongkai_core::content::build::{BuildOptions, build_bundle};
    use gongkai_testkit::{DEMO_BUNDLE, fixed_build_options, signed_minimal_bundle, workspace_binary};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("hub");
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let publish = |bundle: &std::path::Path| std::process::Command::new(workspace_binary("gongkai-hub")).arg("--data").arg(&data).arg("publish").arg(bundle).spawn().unwrap();
    let first = signed_minimal_bundle(dir.path(), 1, &key, |_| {});
    assert!(publish(&first).wait().unwrap().success());
    // The demo, with its attachments' page images: hundreds of files, each written durably.
    let second = dir.path().join("demo-2");
    assert!(build_bundle(std::path::Path::new(DEMO_BUNDLE), &second, &BuildOptions { bundle_version: Some(2), ..fixed_build_options() }).unwrap().is_clean());
    gongkai_core::signing::sign_bundle(&second, &key).unwrap();

    let mut killed = 0;
    for delay_ms in (0..).map(|step| 5 + step * 10) {
        let mut process = publish(&second);
        std::thread::sleep(Duration::from_millis(delay_ms));
        let finished = process.try_wait().unwrap().is_some();
        if !finished {
            process.kill().unwrap(); // SIGKILL
            killed += 1;
        }
        process.wait().unwrap();
        let version = whole_published_version(&data);
        if finished {
            assert_eq!(version, 2, "a publish that finished published its bundle");
            break;
        }
        assert!(version == 1 || version == 2, "version {version}");
        if version == 2 {
            break; // Killed after its manifest was in place: done all the same.
        }
    }
    assert!(killed >= 3, "the publish was killed part-way {killed} times");
    let versions: Vec<u64> = gongkai_hub::publish_records(&data).iter().map(|r| r.version).collect();
    assert_eq!(versions, [1, 2], "each version once in the history, whatever was killed on the way");
    eprintln!("publish killed part-way {killed} times; the published bundle was whole after each");
}
