//! Watching the site: a debounced file watcher over gazette.yaml, content/, templates/ and
//! static/, whose bursts of events become one `Changes` each.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvError, RecvTimeoutError, channel};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, DebouncedEvent, Debouncer, NoCache, new_debouncer_opt,
};

use crate::error::Diagnostic;
use crate::folders::{CONTENT_DIR, I18N_DIR, STATIC_DIR, TEMPLATES_DIR};
use crate::walk::Symlinks;

/// How long a file must be quiet before its change is taken: an editor's write-and-rename
/// is one change, and a save still shows at once.
const QUIET: Duration = Duration::from_millis(30);

/// How often the debouncer looks for quiet files.
const TICK: Duration = Duration::from_millis(10);

/// How long to wait for more changes after some arrive, so that a burst spread over a few
/// ticks (a bot dropping fifty files) still gives one rebuild.
const SETTLE: Duration = Duration::from_millis(25);

pub use crate::pipeline::Changes;

/// The watcher of one site.
pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, NoCache>,
    events: Receiver<DebounceEventResult>,
    /// The folders watched so far, among content/, templates/ and static/.
    watched: Vec<PathBuf>,
    /// How long a burst must be over before it is taken.
    settle: Duration,
}

impl Watcher {
    /// Starts watching `root` (an absolute path). Watching a folder means walking all of it,
    /// so links are gone through only when they may lead anywhere: a link to `/` would
    /// otherwise have the preview watch the whole disk before a build refuses it.
    pub fn new(root: &Path, symlinks: Symlinks) -> Result<Self, Diagnostic> {
        Self::start(root, symlinks).map_err(|e| {
            Diagnostic::error(
                root,
                format!("cannot watch the site for changes: {e}"),
                "check that the folder exists and is readable; on Linux, raise fs.inotify.max_user_watches",
            )
        })
    }

    fn start(root: &Path, symlinks: Symlinks) -> notify::Result<Self> {
        let (sender, events) = channel();
        let config = notify::Config::default().with_follow_symlinks(symlinks == Symlinks::Anywhere);
        let mut debouncer = new_debouncer_opt(QUIET, Some(TICK), sender, NoCache, config)?;
        // The root itself, not below it: gazette.yaml, and the folders appearing.
        debouncer.watch(root, RecursiveMode::NonRecursive)?;
        let mut watcher = Self {
            root: root.to_path_buf(),
            debouncer,
            events,
            watched: Vec::new(),
            settle: SETTLE,
        };
        watcher.watch_folders();
        Ok(watcher)
    }

    /// Waits `settle` rather than the preview's few milliseconds for a burst to be over: a
    /// build that publishes can take a slow writer's files in one go.
    pub fn settling(self, settle: Duration) -> Self {
        Self { settle, ..self }
    }

    /// Waits for the next burst of changes and takes everything that follows it closely or
    /// queued up behind it, so that changes made during a rebuild give one more rebuild, not
    /// one each.
    pub fn wait(&mut self) -> Result<Changes, RecvError> {
        let mut changes = Changes::default();
        let mut batch = self.events.recv()?;
        loop {
            match batch {
                Ok(events) => {
                    let paths = events
                        .iter()
                        .filter(|e| changes_files(e))
                        .flat_map(|e| e.paths.iter().map(PathBuf::as_path));
                    changes.merge(Changes::from_paths(&self.root, paths));
                }
                // The watcher lost track (too many events): look at everything again.
                Err(_) => changes.merge(Changes::everything()),
            }
            batch = match self.events.recv_timeout(self.settle) {
                Ok(more) => more,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return Err(RecvError),
            };
        }
        self.watch_folders();
        Ok(changes)
    }

    /// Watches each of content/, templates/, static/ and i18n/ that exists and is not watched yet.
    /// The output folder is never watched: it is not an input, and can be huge.
    fn watch_folders(&mut self) {
        self.watched.retain(|d| d.is_dir());
        for name in [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR, I18N_DIR] {
            let dir = self.root.join(name);
            if dir.is_dir() && !self.watched.contains(&dir) {
                let watching = self.debouncer.watch(&dir, RecursiveMode::Recursive);
                if watching.is_ok() {
                    self.watched.push(dir);
                }
            }
        }
    }
}

/// Whether an event can change what a file holds: reading one (gazette's own reads included)
/// cannot, closing it after writing can.
fn changes_files(event: &DebouncedEvent) -> bool {
    match event.kind {
        EventKind::Access(kind) => kind == AccessKind::Close(AccessMode::Write),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_paths_by_what_they_change() {
        let root = Path::new("/site");
        let paths = [
            "/site/gazette.yaml",
            "/site/content/world/a.md",
            "/site/content/world/a.md",
            "/site/static/style.css",
            "/site/public/index.html",
            "/elsewhere/x",
        ];
        let changes = Changes::from_paths(root, paths.iter().map(Path::new));
        assert!(changes.config && !changes.templates);
        assert_eq!(changes.content, [PathBuf::from("content/world/a.md")]);
        assert_eq!(changes.statics, [PathBuf::from("static/style.css")]);
        assert_eq!(changes.count(), 3);
    }

    #[test]
    fn only_static_stylesheets_can_be_swapped_in_place() {
        let css = Changes {
            statics: vec!["static/site.css".into()],
            ..Changes::default()
        };
        assert!(css.only_stylesheets());
        let mut with_article = css.clone();
        with_article.content.push("content/world/a.md".into());
        assert!(!with_article.only_stylesheets());
        assert!(!Changes::default().only_stylesheets());
    }
}
