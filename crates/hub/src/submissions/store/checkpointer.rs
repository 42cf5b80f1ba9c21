//! Copies the write-ahead log back into the database file from a thread of its own. Left to
//! SQLite, the commit that crosses the log's size limit does this copy and its fsync before
//! answering, and the forms waiting behind it see a latency spike.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    thread,
    time::Duration,
};

use rusqlite::Connection;

const EVERY: Duration = Duration::from_millis(500);

/// Stops the thread when dropped.
pub struct Checkpointer {
    stop: Arc<AtomicBool>,
}

impl Checkpointer {
    /// `connection` is the checkpointer's own; the writer's has `wal_autocheckpoint = 0`.
    pub fn start(connection: Connection, name: &str) -> std::io::Result<Checkpointer> {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        thread::Builder::new().name(format!("{name}-checkpoint")).spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                thread::sleep(EVERY);
                // PASSIVE never waits for the writer or readers; what it cannot copy now it
                // copies next time. A failure here loses nothing: the log still holds it all.
                if let Err(e) = connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                    eprintln!("checkpoint of the submissions database: {e}");
                }
            }
        })?;
        Ok(Checkpointer { stop })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
