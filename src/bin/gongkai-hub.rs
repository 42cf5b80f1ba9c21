//! `gongkai-hub`: publishes signed bundles and serves them to the kiosks. No Bevy:
//! `cargo build --release --no-default-features --bin gongkai-hub`.

use std::{net::SocketAddr, path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};
use gongkai::{fleet, hub};

#[derive(Parser)]
#[command(name = "gongkai-hub", version, about = "政务公开 hub: publishes signed content bundles to the kiosks")]
struct Cli {
    /// The hub's data folder (the static layout it serves).
    #[arg(long, global = true, value_name = "DIR", default_value = "hub-data")]
    data: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the published bundle over HTTP.
    Serve {
        /// Address to listen on; port 0 picks a free one (printed on start).
        #[arg(long, default_value = "127.0.0.1:8470")]
        listen: SocketAddr,
        /// The kiosks and their keys (`[[kiosk]]` with `id` and `key`, the kiosk's
        /// handoff.secret); heartbeats from others are refused.
        #[arg(long, value_name = "FILE")]
        kiosks: Option<PathBuf>,
        /// A kiosk is listed as offline after this many seconds without a heartbeat.
        #[arg(long, default_value_t = 180)]
        offline_after_s: i64,
    },
    /// Publish a checked, signed bundle (newer than the published one).
    Publish { bundle: PathBuf },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Publish { bundle } => match hub::publish(&bundle, &cli.data) {
            Ok(manifest) => {
                println!("published bundle version {} ({} files)", manifest.bundle_version, manifest.files.len());
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        },
        Command::Serve { listen, kiosks, offline_after_s } => {
            let keys = match kiosks.as_deref().map(fleet::read_kiosk_keys).transpose() {
                Ok(keys) => keys.unwrap_or_default(),
                Err(error) => {
                    eprintln!("error: {error}");
                    return ExitCode::from(2);
                }
            };
            serve(listen, cli.data, fleet::Fleet::new(keys, offline_after_s))
        }
    }
}

fn serve(listen: SocketAddr, data: PathBuf, fleet: fleet::Fleet) -> ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        // The line scripts and tests wait for; with port 0 it names the port chosen.
        println!("listening on http://{}", listener.local_addr()?);
        hub::serve(listener, data, fleet).await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {listen}: {e}");
            ExitCode::FAILURE
        }
    }
}
