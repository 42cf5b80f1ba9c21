//! `gongkai-hub`: publishes signed bundles and serves them to the kiosks. No Bevy:
//! `cargo build --release --no-default-features --bin gongkai-hub`.

use std::{net::SocketAddr, path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};
use gongkai::hub;

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
        Command::Serve { listen } => serve(listen, cli.data),
    }
}

fn serve(listen: SocketAddr, data: PathBuf) -> ExitCode {
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
        hub::serve(listener, data).await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {listen}: {e}");
            ExitCode::FAILURE
        }
    }
}
