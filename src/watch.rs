//! `gazette build --watch`: builds, then rebuilds the output after every change to the site,
//! until Ctrl-C or SIGTERM. Each rebuild is a whole `build` (the lock, the atomic swap, errors
//! leaving the last good output), so what is published is always a build that succeeded.
//!
//! Changes come from the preview's watcher, which sees only gazette.yaml, content/, templates/,
//! static/ and i18n/: what a build writes (the output, its staging folder and lock beside it) is
//! never one of them, so a rebuild does not set off another.

use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use crate::error::{Diagnostic, Result};
use crate::progress::Stage;
use crate::serve::watch::{Changes, Watcher};
use crate::{BuildOptions, BuildReport, build};

/// How long a burst of changes must be over before a rebuild starts: longer than the
/// preview's, since a rebuild publishes, and a bot writing many files, or a `git pull`, should
/// give one rebuild rather than several.
const SETTLE: Duration = Duration::from_millis(100);

/// Where the watch loop sends its events; called from its threads.
pub type WatchReport = Arc<dyn Fn(&WatchEvent) + Send + Sync>;

/// One thing that happened while watching.
#[derive(Debug)]
pub enum WatchEvent {
    /// A build succeeded and its output is published; `again` after the first.
    Built {
        report: BuildReport,
        took: Duration,
        again: bool,
    },
    /// A build failed: its errors and warnings, sorted; the output still holds the last good
    /// build.
    Failed {
        diagnostics: Vec<Diagnostic>,
        took: Duration,
    },
    /// The first build is over and the site's folders are watched.
    Watching { root: PathBuf },
    /// Ctrl-C or SIGTERM came during a build, which is finished first.
    Stopping,
    /// Watching stopped after Ctrl-C or SIGTERM.
    Stopped,
}

/// What wakes the watch loop.
enum Wake {
    Changed(Changes),
    Stop,
}

/// Builds the site, then rebuilds it after every burst of changes until Ctrl-C or SIGTERM,
/// telling `report` about each build; fails only when it cannot start watching.
pub fn watch(options: &BuildOptions, report: WatchReport) -> Result<()> {
    let root = std::path::absolute(&options.root).unwrap_or_else(|_| options.root.clone());
    // Watching starts before the first build, so that a change made during it is not missed.
    let mut watcher = Watcher::new(&root, options.symlinks)?.settling(SETTLE);
    let (wake, woken) = channel();
    let stopping = Arc::new(AtomicBool::new(false));
    stop_on_signals(wake.clone(), stopping.clone(), options, report.clone()).map_err(|e| {
        Diagnostic::error(
            &root,
            format!("cannot listen for Ctrl-C: {e}"),
            "run the build without --watch",
        )
    })?;
    std::thread::spawn(move || {
        while let Ok(changes) = watcher.wait() {
            if wake.send(Wake::Changed(changes)).is_err() {
                break;
            }
        }
    });
    rebuild(options, &report, false);
    report(&WatchEvent::Watching { root });
    while let Some(changes) = next_changes(&woken) {
        if stopping.load(Ordering::Relaxed) {
            break;
        }
        if !changes.is_empty() {
            rebuild(options, &report, true);
        }
    }
    report(&WatchEvent::Stopped);
    Ok(())
}

/// The changes that woke the loop, with those queued behind them (made during the last
/// rebuild: one rebuild takes them all); none when it is time to stop.
fn next_changes(woken: &Receiver<Wake>) -> Option<Changes> {
    let Ok(Wake::Changed(mut changes)) = woken.recv() else {
        return None;
    };
    for queued in woken.try_iter() {
        match queued {
            Wake::Changed(more) => changes.merge(more),
            Wake::Stop => return None,
        }
    }
    Some(changes)
}

fn rebuild(options: &BuildOptions, report: &WatchReport, again: bool) {
    let started = Instant::now();
    report(&match build(options) {
        Ok(built) => WatchEvent::Built {
            report: built,
            took: started.elapsed(),
            again,
        },
        Err(errors) => WatchEvent::Failed {
            diagnostics: errors.sorted(),
            took: started.elapsed(),
        },
    });
}

/// Sends `Stop` on the first Ctrl-C or SIGTERM. The handlers are in place when this returns,
/// so that a signal during the first build waits for it rather than killing it.
fn stop_on_signals(
    wake: Sender<Wake>,
    stopping: Arc<AtomicBool>,
    options: &BuildOptions,
    report: WatchReport,
) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let signal = {
        let _entered = runtime.enter();
        signals()?
    };
    let progress = options.progress.clone();
    std::thread::spawn(move || {
        runtime.block_on(signal);
        stopping.store(true, Ordering::Relaxed);
        if progress.snapshot().stage != Stage::Idle {
            report(&WatchEvent::Stopping);
        }
        let _ = wake.send(Wake::Stop);
    });
    Ok(())
}

/// The first Ctrl-C or SIGTERM, as a future; the handlers are installed by this call.
#[cfg(unix)]
fn signals() -> io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

/// Ctrl-C, as a future (there is no SIGTERM here).
#[cfg(not(unix))]
fn signals() -> io::Result<impl Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
