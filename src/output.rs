//! Writing: rendered files and `static/` go into a staging folder beside the output as they
//! are rendered, and the staging folder then takes the output's place in one atomic exchange,
//! so a failed or killed build never leaves a half-written site. An output folder that is a
//! symbolic link (`public -> /srv/www`) stays one: the build replaces the folder it leads to.

pub mod statics;

use std::collections::HashSet;
use std::fmt;
use std::fs::{self, File, TryLockError};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{Diagnostic, Diagnostics};
use crate::folders::{LOCK, OLD, OUTPUT_DIR, SOURCE_DIRS, STAGING, STATE};
use crate::render::RenderedFile;
use statics::{StaticFile, Statics};

/// Refuses an output folder whose replacement would delete the site itself.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root = absolute(root);
    let out = absolute(&published_folder(output).unwrap_or_else(|_| output.to_path_buf()));
    let inside_sources = SOURCE_DIRS.iter().any(|d| out.starts_with(root.join(d)));
    if root.starts_with(&out) || inside_sources {
        return Err(Diagnostic::error(
            output,
            "the output folder would replace the site's own files",
            "choose an output folder of its own, such as public/",
        ));
    }
    if !replaceable(output) {
        return Err(Diagnostic::error(
            output,
            "the output folder holds files but no index.html, so it does not look like a built site",
            "empty it or choose another folder: a build replaces the whole output folder",
        ));
    }
    Ok(())
}

/// A build replaces its output folder whole, so it only replaces one that is missing, empty, or
/// a built site (one with an index.html), never a folder of other files named by mistake.
fn replaceable(output: &Path) -> bool {
    match fs::read_dir(output) {
        Ok(mut entries) => entries.next().is_none() || output.join("index.html").is_file(),
        Err(e) => e.kind() == io::ErrorKind::NotFound,
    }
}

fn absolute(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    // Normalise `..` without touching the disk, as the folder may not exist yet.
    let mut normal = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                normal.pop();
            }
            std::path::Component::CurDir => {}
            other => normal.push(other),
        }
    }
    normal
}

/// A build's writes in progress: files go into the staging folder as soon as each is rendered,
/// and `finish` puts the staging folder in the output's place.
///
/// The staging folder is the build before last, kept: a file is written only when its bytes
/// differ from what is there, and a file unchanged since the last build keeps that build's
/// modification time, so deploy tools that compare size and time upload only what changed.
/// A staged file that must become the output's is linked to the output's file rather than
/// copied, so the two folders share the files that did not change; a shared file is never
/// written through (it is replaced by a new one), so the output never changes under a build.
pub struct Writer {
    root: PathBuf,
    /// The folder replaced: the output, or the folder its link leads to.
    output: PathBuf,
    staging: PathBuf,
    /// Whether the output held files as the build began; on a first build nothing is compared.
    previous: bool,
    /// Whether the staging folder was empty as the build began, so that the only files in it are
    /// this build's own: nothing there to compare, and nothing stale to remove.
    fresh: bool,
    /// What each thread put, so that threads never wait on one another for each file; the
    /// last slot is for threads outside rayon's pool.
    slots: Vec<Mutex<Slot>>,
    /// The files of `static/`, found as the build begins.
    statics: Statics,
    /// Their paths relative to the output: a generated file of one of them is never written.
    overridden: foldhash::HashSet<PathBuf>,
    /// Writes that failed, one entry per kind of failure.
    failures: Mutex<Vec<Failure>>,
    /// Set when a write found no room: the writes after it are not tried.
    full: AtomicBool,
    /// Files to keep that were gone from the output (someone removed them since the last
    /// build): the build must render everything instead.
    lost: AtomicUsize,
    /// What the last build recorded, when it can be trusted.
    record: Option<Trusted>,
    /// Cleared once making a link failed: the file system has none, and files are copied.
    links: AtomicBool,
    /// Held until the writer is dropped, so that two builds never write one output at once.
    _lock: File,
}

/// What a build leaves for the next of the staging folder and the output, so that the next
/// build touches only the files that differ between them: after the swap, the staging folder
/// is the previous output, and holds the same bytes as the new one but in the files the build
/// wrote or removed.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Record {
    /// Every file of the build, relative to the output.
    files: Vec<PathBuf>,
    /// The files it wrote with other bytes than the previous build's, or added.
    differ: Vec<PathBuf>,
    /// The files of the previous build it no longer has.
    removed: Vec<PathBuf>,
}

/// A record taken in: the files a kept file must be brought in step for, what the output
/// holds, and where stale files can be.
struct Trusted {
    differ: foldhash::HashSet<PathBuf>,
    /// The previous build's files: what the output holds.
    files: Vec<PathBuf>,
    /// The files it removed, which the staging folder can still hold.
    removed: Vec<PathBuf>,
}

/// What one thread put.
#[derive(Default)]
struct Slot {
    /// Every file put, relative to the output, to tell stale files from current ones.
    put: Vec<PathBuf>,
    /// The files whose bytes differ from the previous build's.
    differ: Vec<PathBuf>,
    /// Time spent putting them.
    busy: Duration,
}

impl Slot {
    fn append(&mut self, other: Slot) {
        self.put.extend(other.put);
        self.differ.extend(other.differ);
        self.busy += other.busy;
    }
}

/// What a build wrote.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// Files in the output.
    pub files: usize,
    /// Of those, the ones whose bytes differ from the previous build.
    pub changed: usize,
    /// Files of the previous build that this one no longer has.
    pub removed: usize,
    /// Time spent writing files as they were rendered, summed over threads.
    pub busy: Duration,
    /// For the next build.
    pub record: Record,
}

impl Writer {
    /// Takes the output's lock (waiting for a build that holds it, after telling `on_wait`)
    /// and readies the staging folder.
    pub fn begin(
        root: &Path,
        output: &Path,
        statics: Statics,
        on_wait: OnWait,
    ) -> Result<Writer, Diagnostics> {
        let output = &published_folder(output)
            .map_err(|e| fail(output, "cannot follow the output folder's link", &e))?;
        let parent = beside(output);
        fs::create_dir_all(parent).map_err(|e| fail(parent, "cannot create the folder", &e))?;
        let lock = lock(output, on_wait)?;
        let staging = sibling(output, STAGING);
        recover(output, &staging)
            .map_err(|e| fail(output, "cannot restore the output folder", &e))?;
        // A link here (left by a build that swapped a linked output away) would send the
        // writes to wherever it leads.
        if fs::symlink_metadata(&staging).is_ok_and(|m| !m.is_dir()) {
            fs::remove_file(&staging)
                .map_err(|e| fail(&staging, "cannot clear the staging folder", &e))?;
        }
        fs::create_dir_all(&staging)
            .map_err(|e| fail(&staging, "cannot create the staging folder", &e))?;
        let holds_files =
            |folder: &Path| fs::read_dir(folder).is_ok_and(|mut e| e.next().is_some());
        let overridden = statics.files.iter().map(|f| f.path.clone()).collect();
        Ok(Writer {
            root: root.to_path_buf(),
            output: output.to_path_buf(),
            previous: holds_files(output),
            fresh: !holds_files(&staging),
            staging,
            slots: (0..=rayon::current_num_threads())
                .map(|_| Mutex::default())
                .collect(),
            statics,
            overridden,
            failures: Mutex::default(),
            full: AtomicBool::new(false),
            record: None,
            links: AtomicBool::new(true),
            lost: AtomicUsize::new(0),
            _lock: lock,
        })
    }

    /// How many files `keep` found gone from the output.
    pub fn lost(&self) -> usize {
        self.lost.load(Ordering::Relaxed)
    }

    /// Where the build's state is kept, beside the staging folder.
    pub fn state_file(&self) -> PathBuf {
        state_file(&self.output)
    }

    /// Takes in what the last build recorded: from then on neither folder is walked; a kept
    /// file is brought in step only if that build changed it, and stale files are looked for
    /// only where that build had files. For a staging folder made anew or found empty, only
    /// what the record says of the output holds.
    pub fn trust(&mut self, record: Record) {
        self.record = Some(Trusted {
            differ: record.differ.into_iter().collect(),
            files: record.files,
            removed: record.removed,
        });
    }

    /// Keeps the file `path` (relative to the output) as the current output has it: brings
    /// the staged copy in step, which it already is unless the last build changed the file.
    pub fn keep(&self, path: &Path) -> Result<(), Diagnostic> {
        let started = Instant::now();
        let in_step =
            !self.fresh && (self.record.as_ref()).is_some_and(|r| !r.differ.contains(path));
        if !in_step {
            let brought = match self.full.load(Ordering::Relaxed) {
                true => Err(io::ErrorKind::StorageFull.into()),
                false => self.bring(path),
            };
            match brought {
                // A full disk is one error with the writes it stopped, not one per file.
                Err(e) if no_room(e.kind()).is_some() => self.failed(path, &e),
                // Removed from the output since the last build: the build cannot use its state.
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    self.lost.fetch_add(1, Ordering::Relaxed);
                    return Ok(());
                }
                Err(e) => {
                    return Err(Diagnostic::error(
                        self.output.join(path),
                        format!("cannot keep the file of the last build: {e}"),
                        "build again: the state is gone, so the next build renders every file",
                    ));
                }
                Ok(()) => {}
            }
        }
        self.record(path, false, started);
        Ok(())
    }

    /// Notes in this thread's slot that `path` was put (and whether its bytes differ from the
    /// previous build's), and the time since `started`.
    fn record(&self, path: &Path, differs: bool, started: Instant) {
        let mut slot = self.slot();
        if differs {
            slot.differ.push(path.to_path_buf());
        }
        slot.put.push(path.to_path_buf());
        slot.busy += started.elapsed();
    }

    /// Makes the staged file `path` the current output's, with its modification time.
    fn bring(&self, path: &Path) -> io::Result<()> {
        let current = fs::symlink_metadata(self.output.join(path))?;
        self.bring_as(path, &current)
    }

    /// `bring`, for the output's file `path` whose metadata is `current`.
    fn bring_as(&self, path: &Path, current: &fs::Metadata) -> io::Result<()> {
        let found = self.staged(path);
        if !found.as_ref().is_some_and(|m| in_step(m, current)) {
            self.link(path, current, found.as_ref())?;
        }
        Ok(())
    }

    /// What the previous build's output holds at `path`, if there is one.
    fn published(&self, path: &Path) -> Option<fs::Metadata> {
        (self.previous)
            .then(|| fs::symlink_metadata(self.output.join(path)).ok())
            .flatten()
    }

    /// What the staging folder holds at `path`; a first build skips the look-up, which is a
    /// system call per file and cannot find anything.
    fn staged(&self, path: &Path) -> Option<fs::Metadata> {
        match self.fresh {
            true => None,
            false => fs::symlink_metadata(self.staging.join(path)).ok(),
        }
    }

    /// Puts the output's file `path` (whose metadata is `current`) in the staging folder, in
    /// the place of `found`: the same file, linked, or a copy with its time where the file
    /// system cannot link.
    fn link(
        &self,
        path: &Path,
        current: &fs::Metadata,
        found: Option<&fs::Metadata>,
    ) -> io::Result<()> {
        let from = self.output.join(path);
        self.link_from(&from, path, Some(current.modified()?), found)
    }

    /// Puts the file `from` in the staging folder as `path`, in the place of `found`: the
    /// same file, linked, or a copy (with the time `modified`, if given) where the file
    /// system cannot link.
    fn link_from(
        &self,
        from: &Path,
        path: &Path,
        modified: Option<SystemTime>,
        found: Option<&fs::Metadata>,
    ) -> io::Result<()> {
        let to = self.staging.join(path);
        clear(&to, found)?;
        if self.links.load(Ordering::Relaxed) {
            match make_room(&self.staging, path, || fs::hard_link(from, &to)) {
                Ok(()) => return Ok(()),
                // The output's file is gone, or the disk is full: copying would fail the same.
                Err(e) if e.kind() == io::ErrorKind::NotFound || no_room(e.kind()).is_some() => {
                    return Err(e);
                }
                Err(_) => self.links.store(false, Ordering::Relaxed),
            }
        }
        let bytes = fs::read(from)?;
        write_new(&self.staging, path, &bytes, modified, None)
    }

    /// Puts the file at `from`, whose `path` names its bytes (`Sink::put_named`), as the file
    /// `path` of the new build without reading it: the output's file of that name when there
    /// is one, else `from` linked (or copied).
    pub fn put_named(&self, path: &Path, from: &Path) -> Result<(), Diagnostic> {
        let started = Instant::now();
        let current = self.published(path).filter(fs::Metadata::is_file);
        let result = match &current {
            _ if self.full.load(Ordering::Relaxed) => Err(io::ErrorKind::StorageFull.into()),
            Some(current) => self.bring_as(path, current),
            None => match self.staged(path) {
                // Staged by the build before last under this name: the same bytes.
                Some(staged) if staged.is_file() => Ok(()),
                found => self.link_from(from, path, None, found.as_ref()),
            },
        };
        match result {
            Err(e) if e.kind() == io::ErrorKind::NotFound && current.is_none() => {
                return Err(crate::render::unreadable_made_file(from, &e));
            }
            Err(e) => self.failed(path, &e),
            Ok(()) => {}
        }
        self.record(path, current.is_none(), started);
        Ok(())
    }

    /// Writes `bytes` as the file `path` (relative to the output) of the new build.
    /// A write that fails is kept for `finish` to report, with the others of its kind, as one
    /// error; once the disk is full, nothing more is tried.
    pub fn put(&self, path: &Path, bytes: &[u8]) {
        self.put_dated(path, bytes, None);
    }

    /// `put`, giving the file the time `modified` (else now).
    fn put_dated(&self, path: &Path, bytes: &[u8], modified: Option<SystemTime>) {
        let started = Instant::now();
        let result = if self.full.load(Ordering::Relaxed) {
            Err(io::ErrorKind::StorageFull.into())
        } else {
            self.update(path, bytes, modified)
        };
        let differs = match result {
            Ok(differs) => differs,
            Err(e) => {
                self.failed(path, &e);
                false
            }
        };
        self.record(path, differs, started);
    }

    /// This thread's slot.
    fn slot(&self) -> MutexGuard<'_, Slot> {
        let outside = self.slots.len() - 1;
        let index = rayon::current_thread_index().filter(|i| *i < outside);
        let slot = &self.slots[index.unwrap_or(outside)];
        slot.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Everything the slots hold, taken out of them.
    fn take_slots(&self) -> Slot {
        let mut all = Slot::default();
        for slot in &self.slots {
            let mut slot = slot.lock().unwrap_or_else(PoisonError::into_inner);
            all.append(std::mem::take(&mut *slot));
        }
        all
    }

    /// Makes the staged file hold `bytes`, with the time `modified` if given; true when they
    /// differ from the current output's.
    fn update(&self, path: &Path, bytes: &[u8], modified: Option<SystemTime>) -> io::Result<bool> {
        let found = self.staged(path);
        let current = self.output.join(path);
        let kept = (self.published(path)).filter(|m| holds_bytes(&current, m, bytes));
        let untimed = |m: &fs::Metadata| modified.is_some_and(|t| m.modified().ok() != Some(t));
        if kept.as_ref().is_some_and(untimed) {
            // The same bytes with another time (a static file copied by an older gazette): a
            // copy with the given time, so that the next build's quick check knows it.
            write_new(&self.staging, path, bytes, modified, found.as_ref())?;
            return Ok(false);
        }
        if let Some(kept) = kept {
            // Unchanged since the last build: the staged file must be the output's.
            if !found.as_ref().is_some_and(|m| in_step(m, &kept)) {
                self.link(path, &kept, found.as_ref())?;
            }
            return Ok(false);
        }
        let staged = self.staging.join(path);
        // The build before last had these bytes: only the time is new. A file the output
        // shares is never written to, not even its time.
        let held = found
            .as_ref()
            .is_some_and(|m| !shared(m) && holds_bytes(&staged, m, bytes));
        if held {
            File::options()
                .write(true)
                .open(&staged)?
                .set_modified(modified.unwrap_or_else(SystemTime::now))?;
        } else {
            write_new(&self.staging, path, bytes, modified, found.as_ref())?;
        }
        Ok(true)
    }

    /// Counts a failed write of `path`, keeping the first of each kind of failure.
    fn failed(&self, path: &Path, e: &io::Error) {
        let kind = e.kind();
        if no_room(kind).is_some() {
            self.full.store(true, Ordering::Relaxed);
        }
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        match failures
            .iter_mut()
            .find(|f| f.kind == kind || both_full(f.kind, kind))
        {
            Some(f) => f.count += 1,
            None => failures.push(Failure {
                kind,
                path: self.staging.join(path),
                error: e.to_string(),
                count: 1,
            }),
        }
    }

    /// Ends a build that failed with `errors`, adding the writes that failed. After a full disk
    /// the staging folder goes whole: the half-written files in it would take room that the
    /// next build needs.
    pub fn abandon(self, mut errors: Diagnostics) -> Diagnostics {
        let failures = self
            .failures
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        if self.full.into_inner() {
            // Best effort: the error that brought the build here is the one to report.
            let _ = fs::remove_dir_all(&self.staging);
        }
        let folder = beside(&self.staging);
        errors.extend(failures.iter().map(|f| f.diagnostic(&self.root, folder)));
        errors
    }

    /// Copies `static/` in, removes what the new build no longer has, and puts the new build in
    /// the output's place; refuses a static file or folder that would delete generated files.
    pub fn finish(mut self) -> Result<Written, Diagnostics> {
        let mut statics = std::mem::take(&mut self.statics);
        let mut errors = std::mem::take(&mut statics.errors);
        let mut all = self.take_slots();
        errors.extend(statics.meet(all.put.iter().map(PathBuf::as_path)).errors);
        if !errors.has_errors() {
            errors.extend(self.put_static(&statics.files));
            all.append(self.take_slots());
        }
        let failures = self
            .failures
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        let failed = !failures.is_empty();
        if errors.has_errors() || failed {
            return Err(self.abandon(errors));
        }
        let put: foldhash::HashSet<&Path> = all.put.iter().map(PathBuf::as_path).collect();
        let not_put = |path: &&PathBuf| !put.contains(path.as_path());
        let cleared = match &self.record {
            Some(trusted) => {
                let gone: Vec<PathBuf> = trusted.files.iter().filter(not_put).cloned().collect();
                let stale = trusted.files.iter().chain(&trusted.removed).filter(not_put);
                let cleared = match self.fresh {
                    true => Ok(()),
                    false => remove_listed(&self.staging, stale.collect()),
                };
                cleared.map(|()| gone)
            }
            None => {
                // Two walks of two folders: side by side.
                let (cleared, gone) = rayon::join(
                    || match self.fresh {
                        true => Ok(()),
                        false => remove_stale(&self.staging, &put),
                    },
                    || match self.previous {
                        true => files_gone(&self.output, &put),
                        false => Vec::new(),
                    },
                );
                cleared.map(|()| gone)
            }
        };
        let gone =
            cleared.map_err(|e| fail(&self.staging, "cannot clear the staging folder", &e))?;
        drop(put);
        exchange(&self.staging, &self.output)
            .map_err(|e| fail(&self.output, "cannot replace the output folder", &e))?;
        Ok(Written {
            files: all.put.len(),
            changed: all.differ.len(),
            removed: gone.len(),
            busy: all.busy,
            record: Record {
                files: all.put,
                differ: all.differ,
                removed: gone,
            },
        })
    }

    /// Copies `static/` in: a file there wins over a generated one. Returns the files that
    /// could not be read.
    fn put_static(&self, files: &[StaticFile]) -> Vec<Diagnostic> {
        (files.par_iter())
            .filter_map(|file| self.copy_static(file).err())
            .collect()
    }

    /// Puts the static file `file` with its own time: the output's copy, unread, when that has
    /// the file's length and time (the quick check rsync makes), else a copy made now.
    fn copy_static(&self, file: &StaticFile) -> Result<(), Diagnostic> {
        let cannot = |e: io::Error| {
            let shown = file.source.strip_prefix(&self.root).unwrap_or(&file.source);
            Diagnostic::error(shown, format!("cannot copy: {e}"), "check its permissions")
        };
        let source = fs::metadata(&file.source).map_err(cannot)?;
        let modified = source.modified().ok();
        let current = (self.published(&file.path))
            .filter(|c| c.is_file() && c.len() == source.len() && modified.is_some())
            .filter(|c| c.modified().ok() == modified);
        if let Some(current) = current {
            let started = Instant::now();
            if let Err(e) = self.bring_as(&file.path, &current) {
                self.failed(&file.path, &e);
            }
            self.record(&file.path, false, started);
            return Ok(());
        }
        let bytes = fs::read(&file.source).map_err(cannot)?;
        self.put_dated(&file.path, &bytes, modified);
        Ok(())
    }
}

impl crate::render::Sink for Writer {
    fn put(&self, file: RenderedFile) -> Result<(), Diagnostic> {
        // Writing it before the static file would write that file again on every build.
        if !self.overridden.contains(&file.path) {
            Writer::put(self, &file.path, &file.bytes);
        }
        Ok(())
    }

    fn keep(&self, path: &Path) -> Result<(), Diagnostic> {
        if self.overridden.contains(path) {
            return Ok(());
        }
        Writer::keep(self, path)
    }

    fn put_named(&self, path: &Path, from: &Path) -> Result<(), Diagnostic> {
        if self.overridden.contains(path) {
            return Ok(());
        }
        Writer::put_named(self, path, from)
    }
}

/// The writes that failed for one reason: the first, and how many in all.
struct Failure {
    kind: io::ErrorKind,
    /// The file written, in the staging folder.
    path: PathBuf,
    error: String,
    count: usize,
}

impl Failure {
    /// The error for these failures; `folder` holds the output and the staging folder.
    fn diagnostic(&self, root: &Path, folder: &Path) -> Diagnostic {
        let shown = self.path.strip_prefix(root).unwrap_or(&self.path);
        let more = match self.count - 1 {
            0 => String::new(),
            1 => ", and 1 more file could not be written".into(),
            n => format!(", and {n} more files could not be written"),
        };
        match no_room(self.kind) {
            Some(why) => Diagnostic::error(
                shown,
                format!("cannot write: {why} ({}){more}", self.error),
                format!(
                    "free space where {} is (a build needs room for the site twice: the \
                     output and the new build beside it), then build again; the previous \
                     output is untouched",
                    folder.display()
                ),
            ),
            None => Diagnostic::error(
                shown,
                format!("cannot write: {}{more}", self.error),
                "check that the folder is writable and that no name is over 255 bytes",
            ),
        }
    }
}

/// Whether two failures are both for want of room, to be reported as one.
fn both_full(a: io::ErrorKind, b: io::ErrorKind) -> bool {
    no_room(a).is_some() && no_room(b).is_some()
}

/// Why a write found no room, when that is why it failed.
fn no_room(kind: io::ErrorKind) -> Option<&'static str> {
    match kind {
        io::ErrorKind::StorageFull => Some("the disk is full"),
        io::ErrorKind::QuotaExceeded => Some("the disk quota is used up"),
        io::ErrorKind::FileTooLarge => Some("a limit on file sizes was reached"),
        _ => None,
    }
}

/// The folder a build replaces: `output` itself, or, when `output` is a symbolic link, the
/// folder it leads to, so that the link stays a link.
fn published_folder(output: &Path) -> io::Result<PathBuf> {
    let mut folder = output.to_path_buf();
    // As many links as the system itself follows.
    for _ in 0..40 {
        match fs::symlink_metadata(&folder) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = fs::read_link(&folder)?;
                folder = beside(&folder).join(target);
            }
            _ => return Ok(folder),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Another build holds the output's lock, so this one waits for it to finish.
#[derive(Debug)]
pub struct Waiting<'a> {
    pub output: &'a Path,
    pub lock: &'a Path,
}

impl fmt::Display for Waiting<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "waiting: another gazette build is writing to {} (it holds {})",
            self.output.display(),
            self.lock.display()
        )
    }
}

/// What to tell the user before waiting for another build's lock; the library never prints.
pub type OnWait = Option<fn(&Waiting)>;

/// Locks `.<output>.gazette-lock`; a second build waits for the first rather than mixing its
/// files into the same output.
fn lock(output: &Path, on_wait: OnWait) -> Result<File, Diagnostics> {
    let path = sibling(output, LOCK);
    let file = File::create(&path).map_err(|e| fail(&path, "cannot create the lock file", &e))?;
    match file.try_lock() {
        Ok(()) => return Ok(file),
        Err(TryLockError::WouldBlock) => {
            if let Some(tell) = on_wait {
                tell(&Waiting {
                    output,
                    lock: &path,
                });
            }
        }
        Err(TryLockError::Error(e)) => return Err(fail(&path, "cannot lock", &e)),
    }
    file.lock().map_err(|e| fail(&path, "cannot lock", &e))?;
    Ok(file)
}

/// Whether the file at `path`, whose metadata is `meta`, holds exactly `bytes`. A link is never
/// taken for a file: the new build replaces it.
fn holds_bytes(path: &Path, meta: &fs::Metadata, bytes: &[u8]) -> bool {
    meta.is_file() && meta.len() == bytes.len() as u64 && holds(path, bytes)
}

/// Whether the staged file `staged` is in step with the output's `current`: the same file,
/// or one of the same length and time, which the build that wrote it gave the same bytes.
fn in_step(staged: &fs::Metadata, current: &fs::Metadata) -> bool {
    same_inode(staged, current)
        || (staged.is_file()
            && staged.len() == current.len()
            && staged.modified().ok() == current.modified().ok())
}

#[cfg(unix)]
fn same_inode(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_inode(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    false
}

/// Whether the file is also the output's (or may be, where that cannot be told).
#[cfg(unix)]
fn shared(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.nlink() > 1
}

#[cfg(not(unix))]
fn shared(_: &fs::Metadata) -> bool {
    true
}

/// Whether the file at `path` holds `bytes`, read a piece at a time: reading whole files into
/// fresh buffers cost more than the comparison.
fn holds(path: &Path, mut bytes: &[u8]) -> bool {
    let Ok(mut file) = File::open(path) else {
        return false;
    };
    let mut piece = [0; 16 * 1024];
    loop {
        match file.read(&mut piece) {
            Ok(0) => return bytes.is_empty(),
            Ok(n) if bytes.starts_with(&piece[..n]) => bytes = &bytes[n..],
            Ok(_) => return false,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// Writes `bytes` to `path` in `staging` as a new file, in the place of `found` (what the
/// caller knows to be there). Never through a file that is there: it may be the output's too.
fn write_new(
    staging: &Path,
    path: &Path,
    bytes: &[u8],
    modified: Option<SystemTime>,
    found: Option<&fs::Metadata>,
) -> io::Result<()> {
    let target = staging.join(path);
    clear(&target, found)?;
    let create = || File::options().write(true).create_new(true).open(&target);
    let mut file = make_room(staging, path, create)?;
    file.write_all(bytes)?;
    if let Some(time) = modified {
        file.set_modified(time)?;
    }
    Ok(())
}

/// Removes `found`, what is at `target`, if anything.
fn clear(target: &Path, found: Option<&fs::Metadata>) -> io::Result<()> {
    match found {
        Some(m) if m.is_dir() => fs::remove_dir_all(target),
        Some(_) => fs::remove_file(target),
        None => Ok(()),
    }
}

/// Runs `make`, which creates `path` in `staging`, making room when it fails for want of it:
/// most files go into folders that already exist, so folders are made only when missing, and
/// what stands in the place of the file or of one of its folders is left from an older build
/// and goes.
fn make_room<T>(staging: &Path, path: &Path, make: impl Fn() -> io::Result<T>) -> io::Result<T> {
    match make() {
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            make_folders(staging, path)?;
            make()
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let target = staging.join(path);
            clear(&target, fs::symlink_metadata(&target).ok().as_ref())?;
            make()
        }
        made => made,
    }
}

/// Makes the folders of `path` in `staging`, removing a file that stands where one goes.
fn make_folders(staging: &Path, path: &Path) -> io::Result<()> {
    let target = staging.join(path);
    if let Some(dir) = target.parent()
        && fs::create_dir_all(dir).is_err()
    {
        let inside = path.parent().map(|p| p.ancestors()).into_iter().flatten();
        for above in inside.filter(|p| !p.as_os_str().is_empty()) {
            let above = staging.join(above);
            if fs::symlink_metadata(&above).is_ok_and(|m| !m.is_dir()) {
                fs::remove_file(&above)?;
            }
        }
        fs::create_dir_all(dir)?;
    }
    Ok(())
}

/// `.<name>.gazette-<what>` next to `output`, on the same file system so renames are atomic.
/// Where a build into `output` keeps its state.
pub fn state_file(output: &Path) -> PathBuf {
    sibling(output, STATE)
}

fn sibling(output: &Path, what: &str) -> PathBuf {
    let name = output
        .file_name()
        .map_or(OUTPUT_DIR.into(), |n| n.to_string_lossy().into_owned());
    beside(output).join(sibling_name(&name, what))
}

/// The name of what a build keeps beside the output folder `output_name`: `STAGING`, `LOCK`
/// or `OLD`.
pub fn sibling_name(output_name: &str, what: &str) -> String {
    format!(".{output_name}.gazette-{what}")
}

/// The folder that holds `output` (`.` for a bare name).
fn beside(output: &Path) -> &Path {
    output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn fail(path: &Path, what: &str, e: &io::Error) -> Diagnostics {
    Diagnostics::from(Diagnostic::error(
        path,
        format!("{what}: {e}"),
        "check that the folder is writable and the disk has room",
    ))
}

/// Removes the files of `staging` that the new build did not put, and the folders left empty.
fn remove_stale(staging: &Path, put: &foldhash::HashSet<&Path>) -> io::Result<()> {
    let entries = WalkDir::new(staging)
        .min_depth(1)
        .contents_first(true)
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map_err(io::Error::from)?;
    // Contents come first, so whether a folder still holds anything is known when it is
    // reached, without reading it again.
    let mut holding: HashSet<&Path> = HashSet::new();
    let (mut stale, mut empty) = (Vec::new(), Vec::new());
    for entry in &entries {
        let path = entry.path();
        let is_folder = entry.file_type().is_dir();
        let kept = if is_folder {
            holding.contains(path)
        } else {
            put.contains(path.strip_prefix(staging).unwrap_or(path))
        };
        match (kept, is_folder) {
            (true, _) => {
                holding.extend(path.parent());
            }
            (false, true) => empty.push(path),
            (false, false) => stale.push(path),
        }
    }
    stale.par_iter().try_for_each(fs::remove_file)?;
    empty.iter().try_for_each(fs::remove_dir)?;
    Ok(())
}

/// The files of the output that `put` no longer has, found by walking it. Not what
/// `remove_stale` removes: the staging folder it clears is the build before last, which lacks
/// the files the last build added.
fn files_gone(output: &Path, put: &foldhash::HashSet<&Path>) -> Vec<PathBuf> {
    WalkDir::new(output)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| !entry.file_type().is_dir())
        .filter_map(|entry| {
            let path = entry.path().strip_prefix(output).ok()?;
            (!put.contains(path)).then(|| path.to_path_buf())
        })
        .collect()
}

/// Removes `stale` (files the staging folder can hold that the new build did not put) from
/// `staging`, and the folders they leave empty.
fn remove_listed(staging: &Path, stale: Vec<&PathBuf>) -> io::Result<()> {
    stale.par_iter().try_for_each(|path| {
        let file = staging.join(path);
        match fs::remove_file(&file) {
            // Gone already, or a folder in the new build, or below a file that now
            // stands where its folder was: what the new build wrote stays.
            Err(e) if e.kind() != io::ErrorKind::NotFound && !replaced(&file) => Err(e),
            _ => Ok(()),
        }
    })?;
    for path in &stale {
        // Up to the first folder that still holds something.
        let folders = path
            .ancestors()
            .skip(1)
            .filter(|p| !p.as_os_str().is_empty());
        for folder in folders {
            if fs::remove_dir(staging.join(folder)).is_err() {
                break;
            }
        }
    }
    Ok(())
}

/// Whether what stands at `file`, or in the place of one of its folders, is not a file to
/// remove: a folder there, or a file above it.
fn replaced(file: &Path) -> bool {
    match fs::symlink_metadata(file) {
        Ok(m) => m.is_dir(),
        Err(e) => e.kind() == io::ErrorKind::NotADirectory,
    }
}

/// Repairs a previous build killed between the renames of the fallback `exchange`: between the
/// first two, the output is under its old name and goes back in place; between the last two,
/// the old output is the build before last, which the staging folder keeps.
fn recover(output: &Path, staging: &Path) -> io::Result<()> {
    let old = sibling(output, OLD);
    if !old.is_dir() {
        Ok(())
    } else if !output.exists() {
        fs::rename(&old, output)
    } else if !staging.exists() {
        fs::rename(&old, staging)
    } else {
        fs::remove_dir_all(&old)
    }
}

/// Puts `staging` in the place of `output`, and the old output in the place of `staging`.
fn exchange(staging: &Path, output: &Path) -> io::Result<()> {
    if !output.exists() {
        return fs::rename(staging, output);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        // One atomic step: a reader, or a build killed at any moment, sees one whole site.
        if renameat_with(CWD, staging, CWD, output, RenameFlags::EXCHANGE).is_ok() {
            return Ok(());
        }
    }
    // Where the file system cannot exchange, three renames; `recover` repairs a kill between
    // the first two.
    let old = sibling(output, OLD);
    fs::rename(output, &old)?;
    if let Err(e) = fs::rename(staging, output) {
        fs::rename(&old, output)?;
        return Err(e);
    }
    fs::rename(&old, staging)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_may_not_contain_or_sit_inside_the_site_sources() {
        let root = Path::new("/site");
        assert!(check_output_dir(root, Path::new("/site/public")).is_ok());
        assert!(check_output_dir(root, Path::new("/elsewhere/out")).is_ok());
        assert!(check_output_dir(root, Path::new("/site")).is_err());
        assert!(check_output_dir(root, Path::new("/site/public/..")).is_err());
        assert!(check_output_dir(root, Path::new("/")).is_err());
        assert!(check_output_dir(root, Path::new("/site/content/out")).is_err());
    }

    #[test]
    fn where_links_cannot_be_made_a_kept_file_is_copied_with_its_time() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let file = out.join("a/index.html");
        fs::create_dir_all(out.join("a")).unwrap();
        fs::write(&file, "kept").unwrap();
        let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        let opened = File::options().write(true).open(&file).unwrap();
        opened.set_modified(old).unwrap();
        let writer = Writer::begin(dir.path(), &out, Statics::default(), None).unwrap();
        writer.links.store(false, Ordering::Relaxed);
        writer.keep(Path::new("a/index.html")).unwrap();
        let staged = sibling(&out, STAGING).join("a/index.html");
        let meta = fs::metadata(&staged).unwrap();
        assert_eq!(fs::read(&staged).unwrap(), b"kept");
        assert_eq!(meta.modified().unwrap(), old);
        assert!(!same_inode(&meta, &fs::metadata(&file).unwrap()));
    }

    #[test]
    fn only_missing_empty_or_built_folders_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        assert!(replaceable(&out), "missing");
        fs::create_dir(&out).unwrap();
        assert!(replaceable(&out), "empty");
        fs::write(out.join("notes.txt"), "mine").unwrap();
        assert!(!replaceable(&out), "someone's files");
        fs::write(out.join("index.html"), "<p>built</p>").unwrap();
        assert!(replaceable(&out), "a built site");
    }
}
