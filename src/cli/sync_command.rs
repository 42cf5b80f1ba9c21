//! `gongkai sync --once`: one sync cycle without a window, for operators and scripts.

use std::{path::PathBuf, process::ExitCode};

use gongkai_core::{config::{self, DEFAULT_CONFIG}, sync::{Phase, SyncOutcome, http_client, sync_observed}};

/// Exit status when the hub could not be reached (refusals exit 1).
const UNREACHABLE: u8 = 3;
/// Names a phase at which the cycle stops and waits to be killed: the crash tests use it to
/// kill the process at exactly that point. Never set on a kiosk: the cycle would hang there.
const HOLD_AT: &str = "GONGKAI_SYNC_HOLD_AT";

/// Prints each phase on stderr as it begins, and holds at the one `HOLD_AT` names.
fn announce(phase: Phase) {
    eprintln!("phase: {}", phase.name());
    if std::env::var(HOLD_AT).is_ok_and(|held| held == phase.name()) {
        eprintln!("phase: {}: held by {HOLD_AT} until killed", phase.name());
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
}

pub fn run(config_path: Option<PathBuf>) -> ExitCode {
    let path = config_path.unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG));
    let config = match config::load(&path) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let Some(settings) = config.sync_settings() else {
        eprintln!("error: {}: no [sync] section", path.display());
        return ExitCode::from(2);
    };
    let outcome = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
        .and_then(|runtime| {
            let client = http_client()?;
            Ok(runtime.block_on(sync_observed(&settings, &client, &announce)))
        });
    match outcome {
        Ok(outcome) => {
            println!("{outcome}");
            match outcome {
                SyncOutcome::Refused(_) => ExitCode::FAILURE,
                SyncOutcome::Unreachable(_) => ExitCode::from(UNREACHABLE),
                _ => ExitCode::SUCCESS,
            }
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}
