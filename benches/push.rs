//! Publish to screen over the push channel: a real hub on 127.0.0.1 (run in this process) and
//! the shipped `gongkai` kiosk on a bare X server (Xvfb + llvmpipe, no window manager), which
//! polls only once an hour, so every bundle comes by the push. Each round publishes the
//! minimal content with an urgent notice, then without it, and times from the start of the
//! publish until the first frame that shows the urgent band (or no longer shows it) is on
//! the X server's screen. Then it asks for a 截图 as the fleet page does, each round, and
//! times from the command until the thumbnail is kept at the hub.
//!
//! `cargo bench --bench push [-- ROUNDS]` (needs Xvfb; default 10 rounds).

use std::{
    fs,
    path::Path,
    process::{Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use ed25519_dalek::SigningKey;
use gongkai_core::fleet::push::KioskCommand;
use gongkai_hub::{Hub, HubConfig, fleet::{commands, read_kiosks}};
use gongkai_testkit::{budget, picture::urgent_band_share, signed_bundle_on_today, x_display::XDisplay};

const KIOSK_KEY: &str = "00112233445566778899aabbccddeeff";

fn main() {
    let rounds: u64 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(10);
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path();
    let publisher = SigningKey::from_bytes(&[7; 32]);
    let data = work.join("hub");
    gongkai_hub::publish(&signed_bundle_on_today(work, 1, &publisher, false), &data).unwrap();
    let (hub, runtime, url) = start_hub(work, &data);
    let config = kiosk_config(work, &url, &publisher);
    let display = XDisplay::start(1920, 1080);
    let mut kiosk = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--config")
        .arg(&config)
        .env("DISPLAY", &display.name)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the kiosk binary");
    display.wait_until(Duration::from_secs(60), None, |screen| gongkai_testkit::picture::blank_problem(screen).is_none()).expect("the kiosk never drew");
    // Give the stream time to open, then leave the attract loop for the home screen, which
    // carries the band.
    std::thread::sleep(Duration::from_secs(3));
    display.tap(960.0, 540.0);
    std::thread::sleep(Duration::from_secs(2));
    let window = display.windows().into_iter().next().expect("the kiosk's window").window;
    let frames = display.watch_frames(window);

    let (mut shown, mut withdrawn) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        for urgent in [true, false] {
            let version = 2 + 2 * round + u64::from(!urgent);
            let bundle = signed_bundle_on_today(work, version, &publisher, urgent);
            let started = Instant::now();
            gongkai_hub::publish(&bundle, &data).unwrap();
            let (at, _) = display
                .wait_until(Duration::from_secs(30), Some(&frames), |screen| (urgent_band_share(screen) > 0.005) == urgent)
                .unwrap_or_else(|| panic!("bundle {version} never showed"));
            let took = at.saturating_duration_since(started).as_secs_f64();
            if urgent { shown.push(took) } else { withdrawn.push(took) }
            // Each publish on its own: the next comes after this one is settled.
            std::thread::sleep(Duration::from_millis(500));
        }
    }
    let mut screenshots = Vec::new();
    for _ in 0..rounds {
        let before = hub.store.screenshot("bench-1").unwrap().map(|s| s.taken_at_ms);
        let started = Instant::now();
        runtime.block_on(commands::issue(&hub, vec!["bench-1".into()], KioskCommand::Screenshot, "bench".into())).unwrap();
        while hub.store.screenshot("bench-1").unwrap().map(|s| s.taken_at_ms) == before {
            assert!(started.elapsed() < Duration::from_secs(30), "no screenshot came");
            std::thread::sleep(Duration::from_millis(2));
        }
        screenshots.push(started.elapsed().as_secs_f64());
        // Each taken at a later millisecond than the last.
        std::thread::sleep(Duration::from_millis(200));
    }
    let thumbnail = hub.store.screenshot("bench-1").unwrap().unwrap().png.len();
    let _ = kiosk.kill();
    let _ = kiosk.wait();
    for (what, times) in [("urgent notice shown", &mut shown), ("urgent notice withdrawn", &mut withdrawn), ("screenshot round trip", &mut screenshots)] {
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        let worst = times[times.len() - 1];
        println!("{what}: median {median:.2} s, worst {worst:.2} s over {} rounds", times.len());
    }
    println!("(publish to frame on screen; 截图 command to thumbnail kept at the hub, {} KB from a 1920×1080 screen)", thumbnail / 1024);
    budget::at_most("urgent notice on screen, worst", shown[shown.len() - 1], 5.0, "s");
}

/// The hub, serving `data` on 127.0.0.1 from a thread of this process; returns it, a runtime
/// to call it on, and its address.
fn start_hub(work: &Path, data: &Path) -> (Arc<Hub>, tokio::runtime::Runtime, String) {
    let registry = work.join("kiosks.toml");
    fs::write(&registry, format!("[[kiosk]]\nid = \"bench-1\"\nkey = \"{KIOSK_KEY}\"\n")).unwrap();
    let config = HubConfig { kiosks: read_kiosks(&registry).unwrap(), ..HubConfig::default() };
    let hub: Arc<Hub> = Hub::open(data, config).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    runtime.spawn(gongkai_hub::serve(listener, Arc::clone(&hub)));
    (hub, runtime, url)
}

fn kiosk_config(work: &Path, url: &str, publisher: &SigningKey) -> std::path::PathBuf {
    let store = work.join("store");
    let text = format!(
        "[kiosk]\nid = \"bench-1\"\n[content]\nbundle = {:?}\n[idle]\ntimeout_s = 3600\n\
         [handoff]\nbase_url = \"https://gk.example.cn\"\nsecret = \"{KIOSK_KEY}\"\n\
         [sync]\nhub_url = \"{url}\"\nstore = {:?}\ntrusted_keys = [\"{}\"]\ninterval_s = 3600\n",
        store.join("current").display().to_string(),
        store.display().to_string(),
        hex::encode(publisher.verifying_key().to_bytes()),
    );
    let path = work.join("kiosk.toml");
    fs::write(&path, text).unwrap();
    path
}
