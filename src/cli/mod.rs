//! The command line: `gongkai [--config FILE]` runs a screen, subcommands are tools.

mod content_commands;
mod search_command;
mod sync_command;

use std::{path::PathBuf, process::ExitCode};

use chrono::{NaiveDate, NaiveDateTime};
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "gongkai", version, about = "政务公开 kiosk and LED wall, with its content tools")]
pub struct Cli {
    /// Screen configuration (TOML). Default: kiosk-config/hall-touch.toml
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build, check and generate content bundles.
    #[command(subcommand)]
    Content(ContentCommand),
    /// Search a bundle as the kiosk does; print the top results as `kind<TAB>id<TAB>title`.
    Search {
        #[arg(long, value_name = "DIR")]
        bundle: PathBuf,
        query: String,
        /// Only these kinds: document, catalogue, guide, interpretation, key_work.
        #[arg(long, value_delimiter = ',')]
        kind: Vec<String>,
        /// Only this catalogue domain id, e.g. shbx.
        #[arg(long)]
        domain: Option<String>,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Run sync cycles against the hub of the config's [sync] section without a window;
    /// print what each did; exit 1 if something was refused, 3 if the hub was unreachable.
    Sync {
        /// One cycle, then exit (the only mode without a window for now).
        #[arg(long)]
        once: bool,
    },
    /// Print the hash of an admin PIN for a config's `admin.pin_hash`.
    HashPin {
        /// 4 to 12 digits.
        pin: String,
    },
    /// Render views of a configuration into PNGs, each with a layout report
    /// `NAME.layout.json` beside it (needs a display, e.g. Xvfb).
    Render {
        /// Window size, e.g. 1920x1080.
        #[arg(long, value_parser = parse_size, default_value = "1920x1080")]
        size: (u32, u32),
        /// A view from `--list` (repeatable), or `all`. Default: the first screen (on a wall,
        /// its first page; `--page` is the same option).
        #[arg(long = "screen", alias = "page", value_name = "NAME")]
        screens: Vec<String>,
        /// Show the screens as at this local time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS): which
        /// consultations are open, which notices current or urgent, what a wall's clock says.
        /// The bundle is checked as of it too.
        #[arg(long, value_parser = parse_moment)]
        at: Option<NaiveDateTime>,
        /// In 关怀模式 (larger text, stronger contrast).
        #[arg(long)]
        care: bool,
        /// The PNG for a single view.
        #[arg(short, long, value_name = "FILE.png", conflicts_with = "out_dir")]
        out: Option<PathBuf>,
        /// A folder for several views, written as NAME.png.
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
        /// Print the names of the views and exit.
        #[arg(long)]
        list: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ContentCommand {
    /// Copy SRC to the new bundle OUT with a manifest, if it passes the checker
    /// (OUT = SRC rewrites the manifest in place).
    Build {
        src: PathBuf,
        out: PathBuf,
        /// Bundle version; default: the build time as YYYYMMDDhhmmss.
        #[arg(long)]
        bundle_version: Option<u64>,
        /// Check as if it were this local time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS).
        #[arg(long, value_parser = parse_moment)]
        now: Option<NaiveDateTime>,
        /// Sign the new manifest with this secret key (from `content keygen`).
        #[arg(long, value_name = "FILE.key")]
        key: Option<PathBuf>,
    },
    /// Make an ed25519 key pair PREFIX.key (secret) and PREFIX.pub (for kiosk configs).
    Keygen { prefix: PathBuf },
    /// Sign a built bundle's manifest (writes manifest.sig).
    Sign {
        dir: PathBuf,
        #[arg(long, value_name = "FILE.key")]
        key: PathBuf,
    },
    /// Check a bundle; print every problem as `FILE: PLACE: reason`; exit 1 if any.
    Check {
        dir: PathBuf,
        /// Check as if it were this local time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS).
        #[arg(long, value_parser = parse_moment)]
        now: Option<NaiveDateTime>,
    },
    /// Write a large valid synthetic bundle to the new folder OUT (for benchmarks).
    Synth {
        #[arg(long)]
        documents: usize,
        out: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// Runs a tool; `config` is the screen configuration for the commands that show a screen.
pub fn run(command: Command, config: Option<PathBuf>) -> ExitCode {
    match command {
        Command::Content(command) => content_commands::run(command),
        Command::Search { bundle, query, kind, domain, year, limit } => {
            search_command::run(&bundle, &query, &kind, domain.as_deref(), year, limit)
        }
        Command::HashPin { pin } => hash_pin(&pin),
        Command::Sync { once: _ } => sync_command::run(config),
            Command::Render { size: (width, height), screens, at, care, out, out_dir, list } => {
            let target = match (out, out_dir) {
                (Some(file), None) => crate::kiosk::RenderTarget::File(file),
                (None, Some(dir)) => crate::kiosk::RenderTarget::Folder(dir),
                _ if list => crate::kiosk::RenderTarget::List,
                _ => {
                    eprintln!("error: give -o FILE.png, --out-dir DIR or --list");
                    return ExitCode::from(2);
                }
            };
            crate::kiosk::render(config, crate::kiosk::RenderOrder { width, height, screens, care, at, target })
        }
    }
}

fn hash_pin(pin: &str) -> ExitCode {
    if let Some(problem) = gongkai_core::admin_pin::pin_problem(pin) {
        eprintln!("error: {problem}");
        return ExitCode::from(2);
    }
    match gongkai_core::admin_pin::PinHash::new(pin) {
        Ok(hash) => {
            println!("{hash}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: no randomness for the salt: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let parsed = text.split_once(['x', 'X', '×']).and_then(|(w, h)| {
        let (w, h) = (w.trim().parse::<u32>().ok()?, h.trim().parse::<u32>().ok()?);
        (w > 0 && h > 0 && w <= 16384 && h <= 16384).then_some((w, h))
    });
    parsed.ok_or_else(|| format!("{text:?} is not a size like 1920x1080"))
}

fn parse_moment(text: &str) -> Result<NaiveDateTime, String> {
    if let Ok(moment) = text.parse::<NaiveDateTime>() {
        return Ok(moment);
    }
    text.parse::<NaiveDate>()
        .map(|d| d.and_hms_opt(12, 0, 0).unwrap_or_default())
        .map_err(|_| format!("{text:?} is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS"))
}
