//! `gongkai sync --once`: one sync cycle without a window, for operators and scripts.

use std::{path::PathBuf, process::ExitCode};

use gongkai_core::{config::{self, DEFAULT_CONFIG}, sync::{SyncOutcome, http_client, sync_once}};

/// Exit status when the hub could not be reached (refusals exit 1).
const UNREACHABLE: u8 = 3;

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
            Ok(runtime.block_on(sync_once(&settings, &client)))
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
