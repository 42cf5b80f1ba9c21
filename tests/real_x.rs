//! The shipped binary as a kiosk PC runs it: started straight on an X server with no window
//! manager (Xvfb, Mesa llvmpipe), every tap a single `xdotool mousemove X Y click 1` (motion
//! and press together, as a touch frame that emulates a mouse sends them), and every check
//! made on the pixels the X server holds. Views are recognised by comparing the screen with
//! `gongkai render` pictures of the same views at the same size; tap targets come from those
//! pictures' layout reports.

mod common;

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use common::rendered::{Report, render};
use gongkai_testkit::{
    cpu_seconds,
    picture::{black_blocks, differing_share},
    shipped_config, shipped_config_showing,
    x_display::{FrameWatch, XDisplay},
};
use image::RgbImage;

const TOUCH: &str = "kiosk-config/hall-touch.toml";
const WALL: &str = "kiosk-config/led-wall.toml";
const STRIP: &str = "kiosk-config/led-strip.toml";

/// A view on screen within this of the tap, plus two frames of the renderer's own time.
const TAP_TO_VIEW: Duration = Duration::from_millis(500);
/// How long to wait at most for anything before calling it a failure.
const GIVE_UP: Duration = Duration::from_secs(20);

/// The timings are the kiosk's alone: one kiosk runs at a time.
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static ALONE: Mutex<()> = Mutex::new(());
    ALONE.lock().unwrap_or_else(|e| e.into_inner())
}

/// The kiosk binary, running on a display, with its log kept for failure messages.
struct Kiosk {
    process: Child,
    log: Arc<Mutex<String>>,
    started: Instant,
    /// Its own cache folder, unless the test gave it one: each start is a first start, with no
    /// saved cover (`first_content`) from another test.
    _cache: Option<tempfile::TempDir>,
}

impl Kiosk {
    fn start(display: &XDisplay, config: &Path) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gongkai"));
        command.arg("--config").arg(config);
        Self::spawn(display, command)
    }

    /// `start` with the cache folder `cache`, where it saves and finds its cover.
    fn start_with_cache(display: &XDisplay, config: &Path, cache: &Path) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gongkai"));
        command.arg("--config").arg(config).env("XDG_CACHE_HOME", cache);
        Self::spawn(display, command)
    }

    /// As systemd starts it with `Type=notify` and `WatchdogSec`: the notify socket and the
    /// watchdog's period and process id in the environment.
    fn start_as_service(display: &XDisplay, config: &Path, notify_socket: &Path, watchdog_usec: u64) -> Self {
        let mut command = Command::new("sh");
        // `exec` keeps the shell's process id, so WATCHDOG_PID names the kiosk itself.
        command
            .args(["-c", "export WATCHDOG_PID=$$; exec \"$0\" \"$@\"", env!("CARGO_BIN_EXE_gongkai"), "--config"])
            .arg(config)
            .env("NOTIFY_SOCKET", notify_socket)
            .env("WATCHDOG_USEC", watchdog_usec.to_string());
        Self::spawn(display, command)
    }

    fn spawn(display: &XDisplay, mut command: Command) -> Self {
        let given_cache = command.get_envs().any(|(name, _)| name == "XDG_CACHE_HOME");
        let cache = (!given_cache).then(|| tempfile::tempdir().unwrap());
        if let Some(cache) = &cache {
            command.env("XDG_CACHE_HOME", cache.path());
        }
        let started = Instant::now();
        let mut process = command.env("DISPLAY", &display.name).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("the kiosk binary");
        let log = Arc::new(Mutex::new(String::new()));
        let lines = BufReader::new(process.stderr.take().unwrap()).lines();
        let kept = log.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                kept.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        Self { process, log, started, _cache: cache }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn running(&mut self) -> bool {
        self.process.try_wait().ok().flatten().is_none()
    }
}

impl Drop for Kiosk {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// `gongkai render` pictures of `views` at the display's size, with their layout reports.
struct References {
    _dir: tempfile::TempDir,
    pictures: Vec<(String, RgbImage, Report)>,
}

impl References {
    fn render(config: &Path, width: u16, height: u16, views: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let size = format!("{width}x{height}");
        let mut args = vec!["--size", size.as_str(), "--out-dir", dir.path().to_str().unwrap()];
        for view in views {
            args.extend(["--screen", view]);
        }
        render(config, &args, None);
        let pictures = views
            .iter()
            .map(|view| {
                let png = dir.path().join(format!("{view}.png"));
                let report = serde_json::from_str(&std::fs::read_to_string(png.with_extension("layout.json")).unwrap()).unwrap();
                (view.to_string(), image::open(&png).unwrap().to_rgb8(), report)
            })
            .collect();
        Self { _dir: dir, pictures }
    }

    fn picture(&self, view: &str) -> &RgbImage {
        &self.pictures.iter().find(|(name, ..)| name == view).unwrap().1
    }

    fn report(&self, view: &str) -> &Report {
        &self.pictures.iter().find(|(name, ..)| name == view).unwrap().2
    }

    /// The centre of the first text reading `text` on `view`, in screen pixels.
    fn centre_of(&self, view: &str, text: &str) -> (f32, f32) {
        let report = self.report(view);
        let node = report.nodes.iter().find(|n| n.text.as_ref().is_some_and(|t| t.value == text)).unwrap_or_else(|| panic!("no {text:?} on {view}"));
        let scale = self.picture(view).width() as f32 / report.width;
        ((node.x + node.w / 2.0) * scale, (node.y + node.h / 2.0) * scale)
    }

    /// The view the screen shows, if it is one of these: the closest, if close enough.
    fn recognise(&self, screen: &RgbImage) -> Option<&str> {
        let (name, share) = self
            .pictures
            .iter()
            .map(|(name, picture, _)| (name.as_str(), differing_share(screen, picture, None)))
            .min_by(|a, b| a.1.total_cmp(&b.1))?;
        (share < SAME_VIEW).then_some(name)
    }
}

/// Below this share of differing pixels two pictures show the same view (a clock's minute or
/// a highlight may differ); different views differ in far more.
const SAME_VIEW: f64 = 0.03;

/// `XDisplay::wait_until` with this suite's patience.
fn wait_until(display: &XDisplay, frames: Option<&FrameWatch>, wanted: impl FnMut(&RgbImage) -> bool) -> Option<(Instant, RgbImage)> {
    display.wait_until(GIVE_UP, frames, wanted)
}

/// The app's own window: the one mapped top-level window, once it is up.
fn app_window(display: &XDisplay, kiosk: &Kiosk) -> u32 {
    let started = Instant::now();
    while started.elapsed() < GIVE_UP {
        if let [window] = display.windows().as_slice() {
            return window.window;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("no window on {}; log:\n{}", display.name, kiosk.log());
}

/// The typical time the renderer takes for a frame here: the median gap between frames
/// presented back to back (less than a second apart).
fn frame_time(frames: &FrameWatch) -> Duration {
    let presented = frames.all();
    let mut gaps: Vec<Duration> = presented.windows(2).map(|w| w[1] - w[0]).filter(|gap| *gap < Duration::from_secs(1)).collect();
    gaps.sort();
    gaps.get(gaps.len() / 2).copied().unwrap_or(Duration::from_millis(100))
}

#[test]
fn the_shipped_full_screen_configs_cover_every_screen_without_a_window_manager() {
    let _alone = one_at_a_time();
    let mut failures = Vec::new();
    for shipped in [TOUCH, WALL, STRIP] {
        for (width, height) in [(1920, 1080), (1366, 768), (1080, 1920), (1920, 270)] {
            let display = XDisplay::start(width, height);
            let (_dir, config) = shipped_config(shipped, |text| text);
            let kiosk = Kiosk::start(&display, &config);
            let covered = wait_until(&display, None, |screen| {
                let windows = display.windows();
                windows.len() == 1 && (windows[0].x, windows[0].y, windows[0].width, windows[0].height) == (0, 0, width, height) && black_blocks(screen).is_empty()
            });
            if covered.is_none() {
                let screen = display.grab();
                let black = black_blocks(&screen);
                failures.push(format!(
                    "{shipped} on {width}×{height}: windows {:?}; {} black 32 px blocks{}; log:\n{}",
                    display.windows(),
                    black.len(),
                    black.first().map_or(String::new(), |(x, y)| format!(", the first at {x},{y}")),
                    kiosk.log()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_first_full_frame_is_on_screen_without_waiting_for_the_rest_wake() {
    let _alone = one_at_a_time();
    let (width, height) = (1920, 1080);
    let (_dir, config) = shipped_config(TOUCH, |text| text);
    let references = References::render(&config, width, height, &["attract"]);
    let display = XDisplay::start(width, height);
    let kiosk = Kiosk::start(&display, &config);
    let frames = display.watch_frames(app_window(&display, &kiosk));
    let shown = wait_until(&display, Some(&frames), |screen| references.recognise(screen) == Some("attract"));
    let (at, _) = shown.unwrap_or_else(|| panic!("the attract loop never appeared; log:\n{}", kiosk.log()));
    let after = at - kiosk.started;
    let frame = frame_time(&frames);
    println!("exec to the first full frame on the X server: {} ms ({} ms frames)", after.as_millis(), frame.as_millis());
    // The 1 s promise is the release build's, measured by `cargo bench --bench kiosk` (the
    // README's figure). This debug build, on a machine shared with other tests, asserts what
    // it can without timing noise: the frame does not wait for the 5 s wake of a screen at
    // rest, as it once did.
    let budget = Duration::from_secs(3) + 2 * frame;
    assert!(after <= budget, "the first full frame took {} ms (budget {} ms); log:\n{}", after.as_millis(), budget.as_millis(), kiosk.log());
}

#[test]
fn a_visitor_walks_through_the_screens_with_single_taps_and_each_view_shows_at_once() {
    let _alone = one_at_a_time();
    let (width, height) = (1920, 1080);
    let (_dir, config) = shipped_config(TOUCH, |text| text);
    let references = References::render(&config, width, height, &["attract", "home", "documents", "reader"]);
    let display = XDisplay::start(width, height);
    let mut kiosk = Kiosk::start(&display, &config);
    let window = app_window(&display, &kiosk);
    let frames = display.watch_frames(window);
    wait_until(&display, Some(&frames), |screen| references.recognise(screen) == Some("attract"))
        .unwrap_or_else(|| panic!("no attract loop; log:\n{}", kiosk.log()));
    // Let the start-up settle: the walk starts on a screen at rest.
    std::thread::sleep(Duration::from_secs(1));

    let documents_report = references.report("documents");
    // The list's rows are the tap targets that span the page.
    let first_row = documents_report.nodes.iter().find(|n| n.tappable && n.w > documents_report.width / 2.0).expect("a document row on the list");
    let first_row = (first_row.x + first_row.w / 2.0, first_row.y + first_row.h / 2.0);
    let back = references.centre_of("reader", "返回");
    let reader_back_area = {
        let (x, y) = back;
        ((x - 40.0) as u32, (y - 20.0) as u32, 80, 40)
    };
    let steps: [(&str, (f32, f32), &str); 5] = [
        ("attract → home", (width as f32 / 2.0, height as f32 / 2.0), "home"),
        ("home → 政府信息", references.centre_of("home", "政府信息"), "documents"),
        ("政府信息 → a document", first_row, "reader"),
        ("document → 返回", back, "documents"),
        ("政府信息 → 首页", references.centre_of("documents", "首页"), "home"),
    ];
    let mut timings = Vec::new();
    for (step, (x, y), view) in steps {
        let tapped = display.tap(x, y);
        let shows = |screen: &RgbImage| match view {
            // The document opened is the list's first, not necessarily the reference's: its
            // page chrome is the reader's and the list is gone.
            "reader" => {
                differing_share(screen, references.picture("documents"), None) > 0.1
                    && differing_share(screen, references.picture("reader"), Some(reader_back_area)) < SAME_VIEW
            }
            _ => references.recognise(screen) == Some(view),
        };
        let (shown, _) = wait_until(&display, Some(&frames), shows)
            .unwrap_or_else(|| panic!("{step}: {view} never appeared (screen is {:?}); log:\n{}", references.recognise(&display.grab()), kiosk.log()));
        timings.push((step, shown.saturating_duration_since(tapped), frames.since(tapped).iter().filter(|&&at| at <= shown).count()));
    }
    let frame = frame_time(&frames);
    let budget = TAP_TO_VIEW + 2 * frame;
    let report: Vec<String> = timings.iter().map(|(step, took, count)| format!("{step}: {} ms, {count} frames", took.as_millis())).collect();
    println!("frame time {} ms; {}", frame.as_millis(), report.join("; "));
    for (step, took, _) in &timings {
        assert!(*took <= budget, "{step} took {} ms (budget {} ms with {} ms frames): {report:?}", took.as_millis(), budget.as_millis(), frame.as_millis());
    }

    // At rest the kiosk draws next to nothing: no frame loop left running after the walk.
    std::thread::sleep(Duration::from_secs(1));
    let before = cpu_seconds(kiosk.process.id());
    std::thread::sleep(Duration::from_secs(6));
    let used = cpu_seconds(kiosk.process.id()) - before;
    assert!(used < 1.5, "{used:.2} s of CPU in 6 s on an unchanging home screen");
    assert!(kiosk.running());
}

#[test]
fn the_idle_countdown_shows_and_the_kiosk_returns_to_the_attract_loop() {
    let _alone = one_at_a_time();
    let (width, height) = (1920, 1080);
    // Short enough that the reset comes before the attract loop's first highlight turn (10 s).
    let (timeout, countdown) = (3, 2);
    let (_dir, config) = shipped_config(TOUCH, |text| {
        text.replace("timeout_s = 90", &format!("timeout_s = {timeout}")).replace("countdown_s = 10", &format!("countdown_s = {countdown}"))
    });
    let references = References::render(&config, width, height, &["attract", "home"]);
    let display = XDisplay::start(width, height);
    let kiosk = Kiosk::start(&display, &config);
    let window = app_window(&display, &kiosk);
    let frames = display.watch_frames(window);
    wait_until(&display, Some(&frames), |screen| references.recognise(screen) == Some("attract")).expect("the attract loop");
    let tapped = display.tap(960.0, 540.0);
    wait_until(&display, Some(&frames), |screen| references.recognise(screen) == Some("home")).expect("home after a tap");
    // The countdown covers part of home: no longer home, not yet the attract loop.
    let (countdown_at, _) = wait_until(&display, Some(&frames), |screen| {
        differing_share(screen, references.picture("home"), None) > SAME_VIEW && references.recognise(screen) != Some("attract")
    })
    .unwrap_or_else(|| panic!("no countdown; log:\n{}", kiosk.log()));
    let (reset_at, _) = wait_until(&display, Some(&frames), |screen| references.recognise(screen) == Some("attract"))
        .unwrap_or_else(|| panic!("no return to the attract loop; log:\n{}", kiosk.log()));
    // The upper bound tells a countdown on real time from one on the frame clock, which ran
    // many times late at rest; it is not a speed figure, so a loaded machine gets a second more.
    let slack = TAP_TO_VIEW + 2 * frame_time(&frames) + Duration::from_secs(1);
    let countdown_after = countdown_at - tapped;
    let reset_after = reset_at - tapped;
    println!("countdown after {} ms, attract loop after {} ms", countdown_after.as_millis(), reset_after.as_millis());
    let due = Duration::from_secs(timeout);
    assert!(countdown_after + Duration::from_millis(200) >= due && countdown_after <= due + slack, "countdown after {} ms, due at {timeout} s", countdown_after.as_millis());
    let due = Duration::from_secs(timeout + countdown);
    assert!(reset_after + Duration::from_millis(200) >= due && reset_after <= due + slack, "reset after {} ms, due at {} s", reset_after.as_millis(), timeout + countdown);
}

/// Without a window manager these keys reach the app itself; with one, Alt+F4 and a close
/// button become a `WM_DELETE_WINDOW` message, sent here as a window manager would.
#[test]
fn keys_and_close_requests_do_not_end_the_kiosk() {
    let _alone = one_at_a_time();
    let (_dir, config) = shipped_config(TOUCH, |text| text);
    let display = XDisplay::start(1920, 1080);
    let mut kiosk = Kiosk::start(&display, &config);
    let window = app_window(&display, &kiosk);
    wait_until(&display, None, |screen| black_blocks(screen).is_empty()).expect("the kiosk on screen");
    for keys in ["Escape", "alt+F4", "ctrl+w", "ctrl+q", "F11", "alt+Tab", "ctrl+alt+BackSpace"] {
        display.xdotool(&["key", keys]);
    }
    display.ask_to_close(window);
    std::thread::sleep(Duration::from_secs(2));
    assert!(kiosk.running(), "the kiosk ended; log:\n{}", kiosk.log());
    assert_eq!(display.windows().len(), 1, "its window is still up");
    assert!(black_blocks(&display.grab()).is_empty(), "and still covers the screen");
}


/// Under systemd (`Type=notify`, `WatchdogSec`), the kiosk says it is ready once its frame
/// loop runs and then pings the watchdog from that loop, even on a screen at rest.
#[test]
fn the_kiosk_tells_the_service_manager_it_is_ready_and_pings_its_watchdog() {
    use std::os::unix::net::UnixDatagram;
    let _alone = one_at_a_time();
    let (dir, config) = shipped_config(TOUCH, |text| text);
    let socket_path = dir.path().join("notify.socket");
    let socket = UnixDatagram::bind(&socket_path).unwrap();
    socket.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    let display = XDisplay::start(1920, 1080);
    // A 2 s watchdog: a ping every second, though a screen at rest wakes only every 5 s.
    let mut kiosk = Kiosk::start_as_service(&display, &config, &socket_path, 2_000_000);
    let mut messages: Vec<(Instant, String)> = Vec::new();
    let mut buffer = [0u8; 256];
    let listen_until = Instant::now() + GIVE_UP;
    while Instant::now() < listen_until && messages.iter().filter(|(_, m)| m.contains("WATCHDOG=1")).count() < 8 {
        if let Ok(n) = socket.recv(&mut buffer) {
            messages.push((Instant::now(), String::from_utf8_lossy(&buffer[..n]).into_owned()));
        }
    }
    assert!(kiosk.running(), "log:\n{}", kiosk.log());
    let texts: Vec<&str> = messages.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(texts.iter().filter(|m| m.contains("READY=1")).count(), 1, "{texts:?}");
    let pings: Vec<Instant> = messages.iter().filter(|(_, m)| m.contains("WATCHDOG=1")).map(|(at, _)| *at).collect();
    assert_eq!(pings.len(), 8, "eight pings within {GIVE_UP:?}: {texts:?}");
    // After start-up, no gap as long as the watchdog's 2 s: systemd would restart the kiosk.
    let longest = pings.windows(2).skip(2).map(|w| w[1] - w[0]).max().unwrap();
    assert!(longest < Duration::from_secs(2), "a gap of {} ms between pings", longest.as_millis());
}

/// Waits until the kiosk's log holds `line`.
fn wait_for_log(kiosk: &Kiosk, line: &str) {
    let started = Instant::now();
    while !kiosk.log().contains(line) {
        assert!(started.elapsed() < GIVE_UP * 3, "the log never said {line:?}:\n{}", kiosk.log());
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_restart_shows_the_saved_cover_and_the_documents_come_onto_the_screen_a_visitor_opened() {
    let _alone = one_at_a_time();
    let (width, height) = (1920, 1080);
    let work = tempfile::tempdir().unwrap();
    // Large enough that its check and index take seconds behind the cover.
    let bundle = gongkai_testkit::synthetic_bundle(work.path(), 100_000);
    let (_dir, config) = shipped_config_showing(TOUCH, &bundle);
    let references = References::render(&config, width, height, &["home", "documents"]);
    let cache = work.path().join("cache");
    let display = XDisplay::start(width, height);
    let checked = format!("showing {} (bundle version 1)", bundle.display());

    // A first start checks the bundle before its first frame, and saves the cover.
    let first = Kiosk::start_with_cache(&display, &config, &cache);
    wait_for_log(&first, "first full frame after");
    assert!(first.log().contains(&checked) && !first.log().contains("saved cover"), "{}", first.log());
    let covers: Vec<_> = std::fs::read_dir(cache.join("gongkai/covers")).unwrap().flatten().collect();
    assert_eq!(covers.len(), 1, "one cover saved");
    drop(first);

    // The next shows the cover, and a visitor goes to 政府信息 while the check runs.
    let kiosk = Kiosk::start_with_cache(&display, &config, &cache);
    let frames = display.watch_frames(app_window(&display, &kiosk));
    wait_for_log(&kiosk, "first full frame after");
    let log = kiosk.log();
    assert!(log.contains("showing the saved cover of") && log.contains("while its 100000 documents are checked"), "{log}");
    display.tap(width as f32 / 2.0, height as f32 / 2.0);
    // 首页 from the cover looks as that of the checked bundle.
    wait_until(&display, Some(&frames), |screen| references.recognise(screen) == Some("home"))
        .unwrap_or_else(|| panic!("no 首页 from the cover (screen is {:?}); log:\n{}", references.recognise(&display.grab()), kiosk.log()));
    let (x, y) = references.centre_of("home", "政府信息");
    display.tap(x, y);
    let still_checking = !kiosk.log().contains(&checked);
    // Until the documents are in, the page says they are coming; then it lists them, with no
    // further tap.
    wait_until(&display, Some(&frames), |screen| references.recognise(screen).is_none())
        .unwrap_or_else(|| panic!("no page in place of the list (screen is {:?}); log:\n{}", references.recognise(&display.grab()), kiosk.log()));
    let listed = display.wait_until(GIVE_UP * 3, Some(&frames), |screen| references.recognise(screen) == Some("documents"));
    assert!(listed.is_some(), "the documents never came onto 政府信息 (screen is {:?}); log:\n{}", references.recognise(&display.grab()), kiosk.log());
    assert!(still_checking, "the check behind the cover ended before the visitor reached 政府信息: nothing was shown in its place; log:\n{}", kiosk.log());
    let log = kiosk.log();
    assert!(log.find("showing the saved cover").unwrap() < log.find(&checked).unwrap(), "{log}");
}

#[test]
fn a_bundle_changed_after_its_cover_was_saved_is_refused_behind_the_cover() {
    let _alone = one_at_a_time();
    let work = tempfile::tempdir().unwrap();
    let bundle = work.path().join("bundle");
    gongkai_testkit::copy_dir(Path::new(gongkai_testkit::DEMO_BUNDLE), &bundle);
    let (_dir, config) = shipped_config_showing(TOUCH, &bundle);
    let cache = work.path().join("cache");
    let display = XDisplay::start(1920, 1080);
    let first = Kiosk::start_with_cache(&display, &config, &cache);
    wait_for_log(&first, "first full frame after");
    drop(first);

    // A document edited in place: the manifest, and so the cover found by it, is unchanged.
    let shard = bundle.join("documents/a.json");
    let text = std::fs::read_to_string(&shard).unwrap();
    std::fs::write(&shard, text.replacen("\"title\": \"", "\"title\": \"改", 1)).unwrap();
    let mut kiosk = Kiosk::start_with_cache(&display, &config, &cache);
    wait_for_log(&kiosk, "showing the saved cover of");
    // The built-in demo bundle, as at any start that refuses the configured one.
    wait_for_log(&kiosk, "demo (bundle version");
    let log = kiosk.log();
    assert!(log.contains("refused") && log.contains("documents/a.json"), "{log}");
    let covers = std::fs::read_dir(cache.join("gongkai/covers")).unwrap().flatten().count();
    assert_eq!(covers, 0, "the refused bundle's cover is forgotten: the next start checks before showing");
    let covered = wait_until(&display, None, |screen| black_blocks(screen).is_empty());
    assert!(covered.is_some() && kiosk.running(), "log:\n{log}");
}
