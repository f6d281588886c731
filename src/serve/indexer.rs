//! Building the search index in the background: the parts of it that rebuilds leave to build
//! run on threads of their own, so that neither a reload nor the watching of files ever waits
//! for Pagefind.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use crate::error::Diagnostics;
use crate::render::{IndexJob, Indexed, each_job};

/// One part of the index built, or why it could not be.
#[derive(Debug)]
pub struct Done {
    pub part: String,
    pub took: Duration,
    pub built: Result<Indexed, Diagnostics>,
}

/// The thread that builds the parts it is sent, for as long as it is kept.
pub struct Indexer {
    jobs: Sender<Vec<IndexJob>>,
}

impl Indexer {
    /// Starts the thread, which hands each part it builds to `done`.
    pub fn start(done: impl Fn(Done) + Send + Sync + 'static) -> Self {
        let (jobs, waiting) = channel();
        std::thread::spawn(move || build_all(&waiting, &done));
        Self { jobs }
    }

    /// Has `jobs` built after those sent before; a job for a part replaces the earlier jobs
    /// for it that have not started.
    pub fn send(&self, jobs: Vec<IndexJob>) {
        if !jobs.is_empty() {
            // The thread stops only when this sender is gone.
            let _ = self.jobs.send(jobs);
        }
    }
}

/// Builds what `waiting` sends until it is closed: what has come by the time the last batch
/// is done, each part at most once, two at once. On a pool of its own, so that a rebuild's
/// parallel work (on rayon's global pool) never queues behind Pagefind's.
fn build_all(waiting: &Receiver<Vec<IndexJob>>, done: &(impl Fn(Done) + Sync)) {
    let pool = rayon::ThreadPoolBuilder::new()
        .thread_name(|n| format!("search index {n}"))
        .build();
    while let Ok(first) = waiting.recv() {
        let mut latest: Vec<IndexJob> = Vec::new();
        let sent: Vec<IndexJob> = first
            .into_iter()
            .chain(waiting.try_iter().flatten())
            .collect();
        for job in sent.into_iter().rev() {
            if !latest.iter().any(|later| later.part() == job.part()) {
                latest.push(job);
            }
        }
        // At most two parts at once, whatever the cores (each holds all of it in memory);
        // Pagefind's own parallel loops run on the pool.
        each_job(latest, |job| match &pool {
            Ok(pool) => pool.install(|| done(build(job))),
            // No thread could be made for it: built by this one (and the global pool).
            Err(_) => done(build(job)),
        });
    }
}

fn build(job: IndexJob) -> Done {
    let started = Instant::now();
    let part = job.part().to_string();
    let built = job.run();
    Done {
        part,
        took: started.elapsed(),
        built,
    }
}
