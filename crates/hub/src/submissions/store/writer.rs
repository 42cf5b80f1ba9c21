//! One thread owns the write connection and commits in groups: whatever jobs are waiting
//! run in one transaction, each inside its own savepoint, and one fsync makes the whole group
//! durable. Each job's caller hears back only after that commit, so nothing is acknowledged
//! before it is on disk, and a burst of submissions costs one fsync per group, not per form.

use std::{
    sync::{
        Arc, Mutex,
        mpsc::{Receiver, Sender, channel, sync_channel},
    },
    thread,
};

use rusqlite::Connection;

use super::StoreError;

/// One caller's work: `work` runs inside the group's transaction and says whether to keep
/// its changes; `finish` hears the outcome of the commit.
struct Job {
    work: Box<dyn FnOnce(&Connection) -> bool + Send>,
    finish: Box<dyn FnOnce(Result<(), StoreError>) + Send>,
}

/// Jobs taken into one transaction at most, so one group cannot hold the others for long.
const MAX_GROUP: usize = 512;

pub struct Writer {
    jobs: Sender<Job>,
}

impl Writer {
    pub fn start(mut connection: Connection, name: &str) -> std::io::Result<Writer> {
        let (jobs, queue) = channel::<Job>();
        thread::Builder::new().name(format!("{name}-writer")).spawn(move || run(&mut connection, queue))?;
        Ok(Writer { jobs })
    }

    /// Runs `work` in the writer's next transaction and returns its result once committed.
    pub fn write<R: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<R, StoreError> + Send + 'static,
    ) -> Result<R, StoreError> {
        let stopped = || StoreError::Failed("the database writer has stopped".into());
        let slot = Arc::new(Mutex::new(None));
        let filled = Arc::clone(&slot);
        let (reply, answer) = sync_channel(1);
        let job = Job {
            work: Box::new(move |connection| {
                let result = work(connection);
                let keep = result.is_ok();
                *filled.lock().unwrap_or_else(|p| p.into_inner()) = Some(result);
                keep
            }),
            finish: Box::new(move |committed: Result<(), StoreError>| {
                let result = slot.lock().unwrap_or_else(|p| p.into_inner()).take();
                let _ = reply.send(committed.and_then(|()| result.unwrap_or_else(|| Err(stopped()))));
            }),
        };
        self.jobs.send(job).map_err(|_| stopped())?;
        answer.recv().map_err(|_| stopped())?
    }
}

fn run(connection: &mut Connection, queue: Receiver<Job>) {
    while let Ok(first) = queue.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match queue.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        commit_group(connection, group);
    }
}

fn commit_group(connection: &mut Connection, group: Vec<Job>) {
    let failed = |e: rusqlite::Error| StoreError::Failed(format!("database: {e}"));
    let mut transaction = match connection.transaction() {
        Ok(t) => t,
        Err(e) => {
            let error = failed(e);
            group.into_iter().for_each(|job| (job.finish)(Err(error.clone())));
            return;
        }
    };
    let mut finished = Vec::with_capacity(group.len());
    for job in group {
        let kept = match transaction.savepoint() {
            Ok(savepoint) => {
                // A job whose work failed is rolled back alone when its savepoint drops.
                if (job.work)(&savepoint) { savepoint.commit().map_err(failed) } else { Ok(()) }
            }
            Err(e) => Err(failed(e)),
        };
        finished.push((job.finish, kept));
    }
    let committed = transaction.commit().map_err(failed);
    for (finish, kept) in finished {
        finish(kept.and(committed.clone()));
    }
}
