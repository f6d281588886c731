//! How far a build has got, as data: the build updates a shared `Progress` (a few atomics, one
//! increment per file rendered) and whoever started it reads it to draw a progress line. The
//! library never prints, so this is how a long build shows it is alive.

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

/// The stages a build goes through, as shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// No build is running.
    Idle,
    Loading,
    Parsing,
    /// Ordering the articles, their tags and sections, and their related articles.
    Indexing,
    /// Rendering pages, feeds and sitemaps, each file written as it is rendered.
    Rendering,
    /// Copying static/, removing stale files and swapping the new build in.
    Finishing,
}

impl Stage {
    /// In the order of their discriminants, which is how `Progress` stores them.
    const ALL: [Stage; 6] = [
        Stage::Idle,
        Stage::Loading,
        Stage::Parsing,
        Stage::Indexing,
        Stage::Rendering,
        Stage::Finishing,
    ];

    /// The stage's name in a progress line.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Idle => "idle",
            Stage::Loading => "loading",
            Stage::Parsing => "parsing",
            Stage::Indexing => "indexing",
            Stage::Rendering => "rendering",
            Stage::Finishing => "finishing",
        }
    }
}

/// A build's progress, shared between the build and a reader on another thread.
#[derive(Debug, Default)]
pub struct Progress {
    stage: AtomicU8,
    /// Files done, and files known to be coming, in the current stage.
    done: AtomicUsize,
    total: AtomicUsize,
}

/// What `Progress` said at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    pub stage: Stage,
    pub done: usize,
    /// Zero in a stage that does not count files.
    pub total: usize,
}

impl Progress {
    pub fn snapshot(&self) -> Snapshot {
        let stage = self.stage.load(Ordering::Relaxed);
        Snapshot {
            stage: Stage::ALL[usize::from(stage)],
            done: self.done.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
        }
    }

    /// Marks a build as running until the returned guard is dropped, however the build ends.
    pub(crate) fn running(&self) -> Running<'_> {
        self.enter(Stage::Loading);
        Running(self)
    }

    /// Starts `stage`, with nothing counted yet.
    pub(crate) fn enter(&self, stage: Stage) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(0, Ordering::Relaxed);
        self.stage.store(stage as u8, Ordering::Relaxed);
    }

    /// Counts `files` more to come in this stage.
    pub(crate) fn to_come(&self, files: usize) {
        self.total.fetch_add(files, Ordering::Relaxed);
    }

    /// Counts one file done.
    pub(crate) fn advance(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }
}

/// A build in progress; dropping it sets the stage back to idle, leaving the last counts.
pub(crate) struct Running<'a>(&'a Progress);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.stage.store(Stage::Idle as u8, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_within_a_stage_and_goes_idle_when_the_build_ends() {
        let progress = Progress::default();
        assert_eq!(progress.snapshot().stage, Stage::Idle);
        {
            let _running = progress.running();
            assert_eq!(progress.snapshot().stage, Stage::Loading);
            progress.enter(Stage::Rendering);
            progress.to_come(3);
            progress.advance();
            let now = progress.snapshot();
            assert_eq!((now.stage, now.done, now.total), (Stage::Rendering, 1, 3));
        }
        assert_eq!(progress.snapshot().stage, Stage::Idle);
        assert_eq!(progress.snapshot().done, 1, "the last counts stay readable");
    }
}
