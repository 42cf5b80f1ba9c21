use std::process::ExitCode;

use clap::Parser;
use gongkai::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(command) => cli::run(command, cli.config),
        None => run_screen(cli.config),
    }
}

#[cfg(feature = "kiosk")]
fn run_screen(config: Option<std::path::PathBuf>) -> ExitCode {
    gongkai::kiosk::run(config)
}

#[cfg(not(feature = "kiosk"))]
fn run_screen(_config: Option<std::path::PathBuf>) -> ExitCode {
    eprintln!("error: this gongkai was built without the `kiosk` feature; only the tools are available (see --help)");
    ExitCode::from(2)
}
