//! LED wall figures, on the demo content in a real window (Xvfb + Mesa llvmpipe when there is
//! no display, so the GPU work is done by the CPU and counted in the CPU figures):
//! - CPU time per frame while a page animates (the first 1.2 s after it arrives: digits
//!   roll, bars grow, rings sweep) and while it is settled (only the ticker moves);
//! - time to switch pages: the frame in which the next page is built and starts sliding in;
//! - the soak: the playlist cycled N times (default 1,000) with pages a few frames long,
//!   memory, entities, images and font atlases after 10 cycles and after N.
//!
//! `cargo bench --bench wall [-- CYCLES]`. Frames advance the wall's clock by a fixed step,
//! so every page gets the same number of frames however fast the machine draws them.

use std::{
    fs,
    process::Command,
    time::{Duration, Instant},
};

use bevy::{prelude::*, text::FontAtlasSet, time::TimeUpdateStrategy, window::WindowResolution, winit::WinitSettings};
use gongkai::{
    kiosk::{self, AppKind, PageShown},
    process_memory::rss_mb,
};

const CONFIG: &str = "kiosk-config/led-wall.toml";
/// Seconds each page stays while frame costs are measured.
const PAGE_S: f32 = 3.0;
/// One frame's step of the clock: while measuring frame costs, and during the soak (a page
/// then lasts 8 frames, its slide 2).
const MEASURE_STEP: Duration = Duration::from_micros(16_667);
const SOAK_STEP: Duration = Duration::from_millis(375);

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
    let prepared = kiosk::prepare_with(Some(CONFIG.into()), |config| {
        if let Some(wall) = &mut config.wall {
            for page in &mut wall.pages {
                page.seconds = PAGE_S;
                // Every page, whatever the day and hour of the run.
                page.weekdays.clear();
                page.from = None;
                page.to = None;
            }
        }
    })
    .unwrap();
    let window = Window { title: "gongkai wall bench".into(), resolution: WindowResolution::new(1920, 1080), ..default() };
    let mut app = kiosk::app(prepared, AppKind::Window(Box::new(window)));
    app.insert_resource(WinitSettings::game())
        .insert_resource(TimeUpdateStrategy::ManualDuration(MEASURE_STEP))
        .insert_resource(Bench { cycles_wanted: cycles, ..default() })
        .add_systems(Last, measure);
    app.run();
}

#[derive(Resource, Default)]
struct Bench {
    cycles_wanted: usize,
    /// Frames since the current page arrived, and CPU seconds at its arrival.
    frame_in_page: u32,
    cpu_at: f64,
    wall_at: Option<Instant>,
    animating: Vec<f64>,
    settled: Vec<f64>,
    switches: Vec<Duration>,
    /// The page that arrived in the last frame: time the frame after it.
    switch_started: Option<Instant>,
    pages: usize,
    cycles: usize,
    soaking: bool,
    after_10: Option<Sample>,
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

#[allow(clippy::too_many_arguments)]
fn measure(
    mut bench: ResMut<Bench>,
    mut shown: MessageReader<PageShown>,
    mut strategy: ResMut<TimeUpdateStrategy>,
    entities: Query<Entity>,
    images: Res<Assets<Image>>,
    atlases: Res<FontAtlasSet>,
    mut exit: MessageWriter<AppExit>,
) {
    let now = Instant::now();
    if let Some(started) = bench.switch_started.take() {
        bench.switches.push(now - started);
    }
    let arrived: Vec<PageShown> = shown.read().copied().collect();
    let cpu = cpu_seconds();
    if !bench.soaking {
        bench.frame_in_page += 1;
        let frame = bench.frame_in_page;
        for (range, settled) in [(ANIMATING, false), (SETTLED, true)] {
            if frame == range.start {
                bench.cpu_at = cpu;
                bench.wall_at = Some(now);
            } else if frame == range.end {
                let per_frame = (cpu - bench.cpu_at) / range.len() as f64;
                if settled { bench.settled.push(per_frame) } else { bench.animating.push(per_frame) }
            }
        }
    }
    for page in arrived {
        bench.pages += 1;
        bench.frame_in_page = 0;
        bench.switch_started = Some(now);
        if page.entry != 0 {
            continue;
        }
        // Back at the first page: one more cycle.
        bench.cycles += 1;
        let sample = Sample { rss_mb: rss_mb(), entities: entities.iter().count() as u32, images: images.len(), atlases: atlas_count(&atlases) };
        if !bench.soaking && bench.cycles == 1 {
            report_frames(&bench);
            println!("soak: {} cycles of 6 pages, {} ms of wall-clock time a frame", bench.cycles_wanted, SOAK_STEP.as_millis());
            bench.soaking = true;
            bench.cycles = 0;
            *strategy = TimeUpdateStrategy::ManualDuration(SOAK_STEP);
        } else if bench.soaking && bench.cycles == 10 {
            print_sample("after 10 cycles", sample);
            bench.after_10 = Some(sample);
        } else if bench.soaking && bench.cycles == bench.cycles_wanted {
            print_sample(&format!("after {} cycles", bench.cycles), sample);
            if let Some(base) = bench.after_10 {
                println!("memory growth from 10 to {} cycles: {:+.2}%", bench.cycles, 100.0 * (sample.rss_mb / base.rss_mb - 1.0));
            }
            exit.write(AppExit::Success);
        } else if bench.soaking && bench.cycles % 100 == 0 {
            eprintln!("  {} cycles, {:.1} MB", bench.cycles, sample.rss_mb);
        }
    }
}

fn report_frames(bench: &Bench) {
    let mean = |v: &[f64]| 1000.0 * v.iter().sum::<f64>() / v.len().max(1) as f64;
    println!("window 1920x1080, {} pages", bench.animating.len());
    println!("CPU per frame while a page animates: {:.1} ms", mean(&bench.animating));
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
