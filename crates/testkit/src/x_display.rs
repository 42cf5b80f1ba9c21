//! A real X server for the tests that run the shipped kiosk binary: Xvfb with no window
//! manager and a black root, input through XTEST by `xdotool` (as a touch frame that
//! emulates a mouse sends it), the screen read back with GetImage, and the frames the app
//! presents counted through the DAMAGE extension.

use std::{
    path::Path,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex, atomic::{AtomicU32, Ordering}},
    time::{Duration, Instant},
};

use image::RgbImage;
use x11rb::{
    connection::Connection,
    protocol::{
        Event,
        damage::{ConnectionExt as _, ReportLevel},
        xproto::{ClientMessageEvent, ConnectionExt as _, EventMask, ImageFormat, MapState, Window},
    },
    rust_connection::RustConnection,
};

/// Display numbers for this process's servers; `xvfb-run -a` counts down from 99.
static NEXT_DISPLAY: AtomicU32 = AtomicU32::new(40);

/// An Xvfb screen of a given size.
pub struct XDisplay {
    server: Child,
    pub name: String,
    connection: RustConnection,
    root: Window,
    pub width: u16,
    pub height: u16,
}

impl XDisplay {
    /// Starts Xvfb with one `width`×`height` screen and waits until it takes connections.
    pub fn start(width: u16, height: u16) -> Self {
        for _ in 0..40 {
            let number = NEXT_DISPLAY.fetch_add(1, Ordering::SeqCst) + std::process::id() % 7 * 40;
            if display_in_use(number) {
                continue;
            }
            let name = format!(":{number}");
            let mut server = Command::new("Xvfb")
                .args([name.as_str(), "-screen", "0", &format!("{width}x{height}x24"), "-br", "-nolisten", "tcp", "-noreset"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot run Xvfb ({e}); install xvfb (scripts/test does, as root)"));
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if server.try_wait().ok().flatten().is_some() {
                    break; // the number was taken after all: try the next
                }
                if let Ok((connection, screen)) = RustConnection::connect(Some(&name)) {
                    let root = connection.setup().roots[screen].root;
                    return Self { server, name, connection, root, width, height };
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = server.kill();
            let _ = server.wait();
        }
        panic!("no X display number free for Xvfb");
    }

    /// The whole screen as the X server holds it.
    pub fn grab(&self) -> RgbImage {
        let reply = self
            .connection
            .get_image(ImageFormat::Z_PIXMAP, self.root, 0, 0, self.width, self.height, !0)
            .expect("GetImage request")
            .reply()
            .expect("GetImage reply");
        // Depth 24 in 32-bit pixels, blue first.
        let pixels = reply.data.chunks_exact(4).flat_map(|bgrx| [bgrx[2], bgrx[1], bgrx[0]]).collect();
        RgbImage::from_raw(self.width.into(), self.height.into(), pixels).expect("one pixel per screen point")
    }

    /// Grabs the screen until `wanted` holds, for at most `give_up`; returns when the frame
    /// that first showed it was presented (with `frames`; else when it was grabbed), and the
    /// grab.
    pub fn wait_until(
        &self,
        give_up: Duration,
        frames: Option<&FrameWatch>,
        mut wanted: impl FnMut(&RgbImage) -> bool,
    ) -> Option<(Instant, RgbImage)> {
        let started = Instant::now();
        let mut previous_grab = started;
        while started.elapsed() < give_up {
            let grabbed_at = Instant::now();
            let screen = self.grab();
            if wanted(&screen) {
                // It appeared between the previous grab and this one: with the last frame
                // presented in between, or at this grab if no frame was seen in time.
                let presented = frames.and_then(|f| f.since(previous_grab).into_iter().rfind(|&at| at <= grabbed_at));
                return Some((presented.unwrap_or(grabbed_at), screen));
            }
            previous_grab = grabbed_at;
            // Grabbing without pause keeps the X server from showing the app's frames.
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    /// The mapped top-level windows: with no window manager, the app's own.
    pub fn windows(&self) -> Vec<WindowPlace> {
        let tree = self.connection.query_tree(self.root).expect("QueryTree").reply().expect("QueryTree reply");
        tree.children
            .into_iter()
            .filter(|&window| {
                let attributes = self.connection.get_window_attributes(window).ok().and_then(|c| c.reply().ok());
                attributes.is_some_and(|a| a.map_state == MapState::VIEWABLE)
            })
            .filter_map(|window| {
                let geometry = self.connection.get_geometry(window).ok()?.reply().ok()?;
                Some(WindowPlace { window, x: geometry.x, y: geometry.y, width: geometry.width, height: geometry.height })
            })
            .collect()
    }

    /// Runs `xdotool ARGS` on this display: input through XTEST, as a real device sends it.
    pub fn xdotool(&self, args: &[&str]) {
        let status = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.name)
            .status()
            .unwrap_or_else(|e| panic!("cannot run xdotool ({e}); install xdotool (scripts/test does, as root)"));
        assert!(status.success(), "xdotool {args:?} failed");
    }

    /// Asks `window` to close as a window manager does for Alt+F4 or its close button: a
    /// `WM_DELETE_WINDOW` message.
    pub fn ask_to_close(&self, window: Window) {
        let atom = |name: &str| self.connection.intern_atom(false, name.as_bytes()).expect("InternAtom").reply().expect("an atom").atom;
        let (protocols, delete) = (atom("WM_PROTOCOLS"), atom("WM_DELETE_WINDOW"));
        let message = ClientMessageEvent::new(32, window, protocols, [delete, x11rb::CURRENT_TIME, 0, 0, 0]);
        self.connection.send_event(false, window, EventMask::NO_EVENT, message).expect("SendEvent");
        self.connection.flush().expect("flush");
    }

    /// A tap as a touch frame that emulates a mouse sends it: the move and the click together.
    pub fn tap(&self, x: f32, y: f32) -> Instant {
        let at = Instant::now();
        self.xdotool(&["mousemove", &format!("{}", x.round()), &format!("{}", y.round()), "click", "1"]);
        at
    }

    /// Starts counting the frames presented to `window`, on a connection of its own.
    pub fn watch_frames(&self, window: Window) -> FrameWatch {
        let (connection, _) = RustConnection::connect(Some(&self.name)).expect("a second connection");
        connection.damage_query_version(1, 1).expect("DAMAGE").reply().expect("the DAMAGE extension");
        let damage = connection.generate_id().expect("an id");
        connection.damage_create(damage, window, ReportLevel::NON_EMPTY).expect("DamageCreate");
        connection.flush().expect("flush");
        let presented = Arc::new(Mutex::new(Vec::new()));
        let log = presented.clone();
        std::thread::spawn(move || {
            while let Ok(event) = connection.wait_for_event() {
                if let Event::DamageNotify(_) = event {
                    log.lock().unwrap().push(Instant::now());
                    // Empty the damage again, so that the next frame is reported on its own.
                    if connection.damage_subtract(damage, 0u32, 0u32).is_err() || connection.flush().is_err() {
                        return;
                    }
                }
            }
        });
        FrameWatch { presented }
    }
}

/// A display number is taken while the server named in its lock file runs; Xvfb itself
/// replaces the lock file of a server that has gone.
fn display_in_use(number: u32) -> bool {
    let Ok(lock) = std::fs::read_to_string(format!("/tmp/.X{number}-lock")) else { return false };
    lock.trim().parse::<u32>().map_or(true, |pid| Path::new(&format!("/proc/{pid}")).exists())
}

impl Drop for XDisplay {
    fn drop(&mut self) {
        // SIGTERM, so that the server removes its lock file and socket.
        let _ = Command::new("kill").arg(self.server.id().to_string()).status();
        if self.server.wait().is_err() {
            let _ = self.server.kill();
        }
    }
}

/// Where a top-level window is on the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowPlace {
    pub window: Window,
    pub x: i16,
    pub y: i16,
    pub width: u16,
    pub height: u16,
}

/// When the app put a new frame on the screen, as the X server saw it.
#[derive(Clone)]
pub struct FrameWatch {
    presented: Arc<Mutex<Vec<Instant>>>,
}

impl FrameWatch {
    /// The frames presented after `since`.
    pub fn since(&self, since: Instant) -> Vec<Instant> {
        self.presented.lock().unwrap().iter().copied().filter(|&at| at > since).collect()
    }

    /// The frames presented so far.
    pub fn all(&self) -> Vec<Instant> {
        self.presented.lock().unwrap().clone()
    }
}
