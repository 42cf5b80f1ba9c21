use std::process::ExitCode;

use clap::Parser;
use gongkai::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(command) => cli::run(command, cli.config),
        None => gongkai::kiosk::run(cli.config),
    }
}
