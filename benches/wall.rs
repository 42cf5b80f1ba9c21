//! LED wall figures, on the demo content in a real window (Xvfb + Mesa llvmpipe when there is
//! no display, so the GPU work is done by the CPU and counted in the CPU figures):
//! - CPU time per frame while a page animates (the first 1.2 s after it arrives: digits
//!   roll, bars grow, rings sweep) and while it is settled (only the ticker moves);
//! - page switch: the wall-clock time of the frame after the next page is built, its first
//!   drawn slide-in frame (the building frame itself is the headless figure below);
//! - the soak: the playlist cycled N times (default 1,000) in the window, each page built,
//!   drawn and removed; memory, entities, images and font atlases after 10 cycles and after N;
//! - the same app headless: its own work per frame without drawing, and the slowest of the
//!   last 40 frames of a page, the frames in which the next page is built.
//!
//! `cargo bench --bench wall [-- CYCLES]`. Frames advance the wall's clock by a fixed step,
//! so every page gets the same number of frames however fast the machine draws them.

use std::{
    fs,
    process::Command,
    time::{Duration, Instant},
};

use bevy::{prelude::*, text::FontAtlasSet, time::TimeUpdateStrategy, window::WindowResolution, winit::WinitSettings};
use gongkai::kiosk::{self, AppKind, PageShown};
use gongkai_core::process_memory::rss_mb;

const CONFIG: &str = "kiosk-config/led-wall.toml";
/// Seconds each page stays while frame costs are measured.
const PAGE_S: f32 = 3.0;
/// One frame's step of the clock: while measuring frame costs, and during the soak (a page
/// then lasts one frame and its slide one: every page is still built, shown and removed).
const MEASURE_STEP: Duration = Duration::from_micros(16_667);
const SOAK_STEP: Duration = Duration::from_secs(3);

fn main() {
    let cycles: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1000);
    if std::env::var_os("DISPLAY").is_none() {
        let status = Command::new("xvfb-run")
            .args(["-a", "-s", "-screen 0 1920x1080x24"])
            .arg(std::env::current_exe().unwrap())
            .arg(cycles.to_string())
            .status()
            .expect("xvfb-run (apt-get install xvfb xauth mesa-vulkan-drivers)");
        std::process::exit(status.code().unwrap_or(1));
    }
    let window = Window { title: "gongkai wall bench".into(), resolution: WindowResolution::new(1920, 1080), ..default() };
    let mut app = kiosk::app(prepare(), AppKind::Window(Box::new(window)));
    app.insert_resource(WinitSettings::game())
        .insert_resource(TimeUpdateStrategy::ManualDuration(MEASURE_STEP))
        .insert_resource(Bench::default())
        .insert_resource(Soak::new("soak", cycles, false))
        .add_systems(Last, (measure, soak).chain());
    let_steps_through(&mut app);
    app.run();

    let mut app = kiosk::app(prepare(), AppKind::Headless { width: 1920, height: 1080 });
    app.insert_resource(TimeUpdateStrategy::ManualDuration(MEASURE_STEP));
    app.finish();
    app.cleanup();
    headless_frame_costs(&mut app);
}

/// The app's own work per frame, without drawing: the first page while it animates and once
/// settled, and the frame that builds the second page.
fn headless_frame_costs(app: &mut App) {
    let frames = (PAGE_S / MEASURE_STEP.as_secs_f32()) as usize + 20;
    let times: Vec<Duration> = (0..frames)
        .map(|_| {
            let started = Instant::now();
            app.update();
            started.elapsed()
        })
        .collect();
    let mean = |range: std::ops::Range<u32>| {
        let slice = &times[range.start as usize..range.end as usize];
        slice.iter().sum::<Duration>().as_secs_f64() * 1000.0 / slice.len() as f64
    };
    let switch = times[frames - 40..].iter().max().copied().unwrap_or_default();
    println!("headless (no drawing), per frame: animating {:.2} ms, settled {:.2} ms", mean(ANIMATING), mean(SETTLED));
    println!("headless, slowest of the last 40 frames of a page (the next page is built among them): {:.1} ms", switch.as_secs_f64() * 1000.0);
}

/// Virtual time takes at most 250 ms a frame by default; the soak's steps are longer.
fn let_steps_through(app: &mut App) {
    app.world_mut().resource_mut::<Time<Virtual>>().set_max_delta(SOAK_STEP * 2);
}

/// The wall config with every page on at any hour and `PAGE_S` long.
fn prepare() -> kiosk::Prepared {
    kiosk::prepare_with(Some(CONFIG.into()), |config| {
        if let Some(wall) = &mut config.wall {
            gongkai_testkit::wall_pages_always_on(&mut wall.pages, PAGE_S);
        }
    })
    .unwrap()
}

#[derive(Resource, Default)]
struct Bench {
    /// Frames since the current page arrived, and CPU seconds at its arrival.
    frame_in_page: u32,
    cpu_at: f64,
    animating: Vec<f64>,
    settled: Vec<f64>,
    switches: Vec<Duration>,
    /// The page that arrived in the last frame: time the frame after it.
    switch_started: Option<Instant>,
    /// The first cycle is over: frame costs are reported and the soak runs.
    measured: bool,
}

/// Playlist cycles counted by the first page coming round again.
#[derive(Resource)]
struct Soak {
    label: &'static str,
    wanted: usize,
    cycles: usize,
    running: bool,
    after_10: Option<Sample>,
}

impl Soak {
    fn new(label: &'static str, wanted: usize, running: bool) -> Self {
        Self { label, wanted, cycles: 0, running, after_10: None }
    }
}

#[derive(Clone, Copy)]
struct Sample {
    rss_mb: f64,
    entities: u32,
    images: usize,
    atlases: usize,
}

/// Frames measured after a page arrives: animating, then settled.
const ANIMATING: std::ops::Range<u32> = 2..70;
const SETTLED: std::ops::Range<u32> = 100..170;

fn measure(mut bench: ResMut<Bench>, mut shown: MessageReader<PageShown>, mut strategy: ResMut<TimeUpdateStrategy>, mut soak: ResMut<Soak>) {
    if bench.measured {
        return;
    }
    let now = Instant::now();
    if let Some(started) = bench.switch_started.take() {
        bench.switches.push(now - started);
    }
    let cpu = cpu_seconds();
    bench.frame_in_page += 1;
    let frame = bench.frame_in_page;
    for (range, settled) in [(ANIMATING, false), (SETTLED, true)] {
        if frame == range.start {
            bench.cpu_at = cpu;
        } else if frame == range.end {
            let per_frame = (cpu - bench.cpu_at) / range.len() as f64;
            if settled { bench.settled.push(per_frame) } else { bench.animating.push(per_frame) }
        }
    }
    for page in shown.read() {
        bench.frame_in_page = 0;
        bench.switch_started = Some(now);
        if page.entry == 0 && !bench.animating.is_empty() {
            // Back at the first page after one cycle: report, and soak from here.
            report_frames(&bench);
            bench.measured = true;
            soak.running = true;
            *strategy = TimeUpdateStrategy::ManualDuration(SOAK_STEP);
        }
    }
}

fn soak(
    mut soak: ResMut<Soak>,
    mut shown: MessageReader<PageShown>,
    entities: Query<Entity>,
    images: Res<Assets<Image>>,
    atlases: Res<FontAtlasSet>,
    mut exit: MessageWriter<AppExit>,
) {
    let first_pages = shown.read().filter(|page| page.entry == 0).count();
    if !soak.running {
        return;
    }
    for _ in 0..first_pages {
        soak.cycles += 1;
        let sample = Sample { rss_mb: rss_mb(), entities: entities.iter().count() as u32, images: images.len(), atlases: atlas_count(&atlases) };
        let label = soak.label;
        if soak.cycles == 10 {
            print_sample(&format!("{label}, after 10 cycles"), sample);
            soak.after_10 = Some(sample);
        } else if soak.cycles == soak.wanted {
            print_sample(&format!("{label}, after {} cycles", soak.cycles), sample);
            if let Some(base) = soak.after_10 {
                println!("{label}: memory growth from 10 to {} cycles: {:+.2}%", soak.cycles, 100.0 * (sample.rss_mb / base.rss_mb - 1.0));
            }
            exit.write(AppExit::Success);
        } else if soak.cycles % 10 == 0 {
            eprintln!("  {label}: {} cycles, {:.1} MB", soak.cycles, sample.rss_mb);
        }
    }
}

fn report_frames(bench: &Bench) {
    let mean = |v: &[f64]| 1000.0 * v.iter().sum::<f64>() / v.len().max(1) as f64;
    println!("window 1920x1080, {} pages", bench.animating.len());
    println!("soak: pages {} ms of the wall's clock, one frame each", SOAK_STEP.as_millis());
    // The first page's sample also holds start-up (font atlases, first pipelines): left out.
    let animating = &bench.animating[1.min(bench.animating.len())..];
    println!("CPU per frame while a page animates ({} pages after the first): {:.1} ms", animating.len(), mean(animating));
    println!("CPU per frame while a page is settled (ticker only): {:.1} ms", mean(&bench.settled));
    let mut switches = bench.switches.clone();
    switches.sort();
    if let (Some(median), Some(max)) = (switches.get(switches.len() / 2), switches.last()) {
        println!("page switch frame: median {:.1} ms, longest {:.1} ms", median.as_secs_f64() * 1000.0, max.as_secs_f64() * 1000.0);
    }
}

fn print_sample(when: &str, sample: Sample) {
    println!(
        "{when}: RSS {:.1} MB, {} entities, {} images, {} font atlases",
        sample.rss_mb, sample.entities, sample.images, sample.atlases
    );
}

fn atlas_count(set: &FontAtlasSet) -> usize {
    set.iter().map(|(_, atlases)| atlases.len()).sum()
}

/// User and system CPU time of this process, seconds (all threads, llvmpipe's included).
fn cpu_seconds() -> f64 {
    let stat = fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces), from the closing parenthesis.
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}
