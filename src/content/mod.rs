//! Loading: walk `content/`, read every Markdown file in parallel and turn it into an `Article`,
//! a `Bot`, an `Editor` or a `Page`, collecting every problem of every file.

pub mod article;
pub mod bot;
pub mod editor;
pub mod front_matter;
pub mod highlight;
pub mod markdown;
pub mod page;
mod profile;

use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Settings;
use crate::error::{self, Diagnostic, Diagnostics, Warned};
use crate::folders::{BOTS_DIR, CONTENT_DIR, EDITORS_DIR, PAGES_DIR};
use crate::walk::{self, Symlinks};
pub use article::{Article, Body};
pub use bot::Bot;
pub use editor::Editor;
pub use page::Page;

/// The largest content file gazette reads. A 1,000-word digest is some 6 KiB and a whole novel
/// fits in this; an article is repeated in its tags' pages and feeds, so its size is bounded
/// before anything else is done with it.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Which files make it into the build.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub drafts: bool,
    pub future: bool,
    /// Articles dated after this are left out unless `future` is set.
    pub now: jiff::Timestamp,
    /// Where links in content/ may lead.
    pub symlinks: Symlinks,
}

/// Everything read from `content/`, unsorted and unindexed.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Content {
    pub articles: Vec<Article>,
    pub bots: Vec<Bot>,
    pub editors: Vec<Editor>,
    pub pages: Vec<Page>,
    /// Articles dated after the moment of the build and left out of it, for `check` to name.
    pub future: Vec<Article>,
}

enum Kind {
    Article { section: String },
    Bot,
    Editor,
    Page,
}

/// What one content file holds.
#[derive(Debug)]
pub enum Loaded {
    Article(Box<Article>, Body),
    Bot(Bot),
    Editor(Editor),
    Page(Page),
}

/// One file loaded on its own, with a fingerprint of its text, so that a rebuild can re-read
/// only the files that changed and tell which pages read them.
#[derive(Debug)]
pub struct LoadedFile {
    pub file: PathBuf,
    pub revision: u64,
    /// What the file system said of the file before it was read, when the file had settled.
    pub stamp: Option<Stamp>,
    /// What it holds and its warnings, or its errors; none when its text is the one it had
    /// when it was last parsed, and it was not parsed again.
    pub outcome: Option<Result<Warned<Loaded>, Vec<Diagnostic>>>,
}

impl Content {
    /// Adds what a file holds where the build puts it: shown, left out for its date, or not
    /// at all. Returns the body of an article shown, which is not kept here.
    pub fn add(&mut self, loaded: Loaded, options: &LoadOptions) -> Option<Body> {
        let shown = options.includes(&loaded);
        match loaded {
            Loaded::Article(a, body) if shown => {
                self.articles.push(*a);
                return Some(body);
            }
            // Left out for its date only: `gazette check` says so.
            Loaded::Article(a, _) if !a.draft || options.drafts => self.future.push(*a),
            Loaded::Article(..) => {}
            Loaded::Bot(b) => self.bots.push(b),
            Loaded::Editor(e) => self.editors.push(e),
            Loaded::Page(p) if shown => self.pages.push(p),
            Loaded::Page(_) => {}
        }
        None
    }
}

impl LoadOptions {
    /// Whether the build shows an article.
    pub fn shows(&self, a: &Article) -> bool {
        let draft_hidden = a.draft && !self.drafts;
        let future_hidden = a.date.timestamp() > self.now && !self.future;
        !draft_hidden && !future_hidden
    }

    /// Whether the build shows what a file holds: drafts only with `drafts`, articles dated
    /// after `now` only with `future`.
    pub fn includes(&self, loaded: &Loaded) -> bool {
        match loaded {
            Loaded::Article(a, _) => self.shows(a),
            Loaded::Bot(_) | Loaded::Editor(_) => true,
            Loaded::Page(p) => !p.draft || self.drafts,
        }
    }
}

fn no_content_folder() -> Diagnostics {
    Diagnostics::from(Diagnostic::error(
        CONTENT_DIR,
        "there is no content folder",
        "put articles in content/<section>/<file>.md, or point --root at the site",
    ))
}

/// Loads every Markdown file at or below each path of `under` (relative to `root`, inside
/// `content/`), all in parallel, each with its revision, following links as `options` allows;
/// beside them, the problems of the walk itself, errors and warnings (not a `Warned`: a file the
/// walk refused is an error of that file alone, which the preview keeps with the file).
/// A file whose text has the revision `parsed` gives for it (the one it was last parsed at) is
/// read but not parsed: a checkout or a bot that writes a file again with the same bytes gives
/// it a new stamp, not new content.
pub fn load_files(
    root: &Path,
    under: &[PathBuf],
    settings: &Settings,
    options: &LoadOptions,
    parsed: &(dyn Fn(&Path) -> Option<u64> + Sync),
) -> Result<(Vec<LoadedFile>, Vec<Diagnostic>), Diagnostics> {
    if !root.join(CONTENT_DIR).is_dir() {
        return Err(no_content_folder());
    }
    let mut diagnostics = Diagnostics::default();
    let files: Vec<(PathBuf, Kind)> = (under.iter())
        .flat_map(|path| markdown_files(root, path, options.symlinks, &mut diagnostics))
        .collect();
    let settled = Stamp::settled();
    let sources = files
        .into_par_iter()
        .map(|(file, kind)| {
            let stamp = Stamp::of(&root.join(&file)).filter(|s| s.settled_by(settled));
            let (revision, outcome) = match read_text(root, &file) {
                Ok(text) => {
                    let revision = revision(&text);
                    let same = parsed(&file) == Some(revision);
                    let outcome = (!same).then(|| parse_file(&file, &kind, &text, settings));
                    (revision, outcome)
                }
                Err(e) => (0, Some(Err(vec![e]))),
            };
            LoadedFile {
                file,
                revision,
                stamp,
                outcome,
            }
        })
        .collect();
    Ok((sources, diagnostics.sorted()))
}

/// The body of `article`, parsed again from its file as it is now, with the revision of the
/// text it was made from: another than the one read before when the file changed since.
pub fn body_of(
    root: &Path,
    article: &Article,
    settings: &Settings,
) -> Result<(u64, Body), Diagnostic> {
    let file = &article.file;
    let text = read_text(root, file)?;
    let input = article::Input {
        file,
        section: &article.section,
        text: &text,
        settings,
    };
    match Article::load(&input) {
        Ok(loaded) => Ok((revision(&text), loaded.into_parts().0.1)),
        Err(_) => Err(Diagnostic::error(
            file,
            "the file changed while the site was built, and has errors now",
            "build again to see them",
        )),
    }
}

/// A content file and its stamp, if it could be taken.
pub type Stamped = (PathBuf, Option<Stamp>);

/// What `stamps` found: every Markdown file of content/ with its stamp, and the problems of the
/// walk; or why content/ could not be walked.
pub type OnDisk = Result<(Vec<Stamped>, Diagnostics), Diagnostics>;

/// Every Markdown file of content/ with its stamp as it is now, without reading any: what a
/// build compares with the stamps of the files it read last time. Beside them, the problems of
/// the walk.
pub fn stamps(root: &Path, symlinks: Symlinks) -> OnDisk {
    if !root.join(CONTENT_DIR).is_dir() {
        return Err(no_content_folder());
    }
    match plain_stamps(root) {
        Some(stamps) => Ok((stamps, Diagnostics::default())),
        None => Ok(walked_stamps(root, symlinks)),
    }
}

/// The stamps of the files the walk of content/ finds, with its problems.
fn walked_stamps(root: &Path, symlinks: Symlinks) -> (Vec<Stamped>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let files = markdown_files(root, Path::new(CONTENT_DIR), symlinks, &mut diagnostics);
    let stamps = files
        .into_par_iter()
        .map(|(file, _)| {
            let stamp = Stamp::of(&root.join(&file));
            (file, stamp)
        })
        .collect();
    (stamps, diagnostics)
}

/// The stamps `stamps` gives, in the same order, when content/ holds only folders and files
/// (no link, nothing the walk would warn about): then a walk of its own finds them, folders in
/// parallel, each file stamped by its name in its folder, not by a path looked up from the root
/// (at 100,000 articles the walk and the stamps took most of a second). `None` when content/
/// holds anything else or cannot be read: the walk, with its rules, handles that.
fn plain_stamps(root: &Path) -> Option<Vec<Stamped>> {
    let content = root.join(CONTENT_DIR);
    if std::fs::symlink_metadata(&content)
        .ok()?
        .file_type()
        .is_symlink()
    {
        return None;
    }
    plain_folder(&content, Path::new(CONTENT_DIR))
}

/// What one entry of a folder gives to `plain_stamps`.
enum Plain {
    File(Stamped),
    Folder(Vec<Stamped>),
    Nothing,
}

/// The stamps of the Markdown files at and below `dir` (`relative` from the root), in the walk's
/// order: entries by name, each folder's files where the folder is.
fn plain_folder(dir: &Path, relative: &Path) -> Option<Vec<Stamped>> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        entries.push((entry.file_name(), entry));
    }
    entries.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    let found: Vec<Plain> = entries
        .par_iter()
        .map(|(name, entry)| {
            if name.as_encoded_bytes().starts_with(b".") {
                return Some(Plain::Nothing);
            }
            let file = relative.join(name);
            let kind = entry.file_type().ok()?;
            if kind.is_dir() {
                return plain_folder(&entry.path(), &file).map(Plain::Folder);
            }
            if !kind.is_file() {
                return None;
            }
            if !is_markdown(&file) {
                return Some(Plain::Nothing);
            }
            if file.to_str().is_none() || classify(&file).is_none() {
                return None;
            }
            // Not a link: the entry's own metadata is the file's.
            let stamp = entry.metadata().ok().and_then(|meta| Stamp::from(&meta));
            Some(Plain::File((file, stamp)))
        })
        .collect::<Option<_>>()?;
    let mut stamps = Vec::with_capacity(found.len());
    for found in found {
        match found {
            Plain::File(stamped) => stamps.push(stamped),
            Plain::Folder(below) => stamps.extend(below),
            Plain::Nothing => {}
        }
    }
    Some(stamps)
}

/// What the file system says of a file without reading it: its length, its modification time
/// and its inode. A file whose stamp is the one it had when it was read holds the same text,
/// with one exception that `settled_by` rules out: a write within the same tick of the file
/// system's clock as the read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    len: u64,
    modified_ns: i128,
    inode: u64,
}

impl Stamp {
    pub fn of(path: &Path) -> Option<Stamp> {
        Stamp::from(&std::fs::metadata(path).ok()?)
    }

    fn from(meta: &std::fs::Metadata) -> Option<Stamp> {
        let modified = meta.modified().ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp {
            len: meta.len(),
            modified_ns: nanos(modified),
            inode,
        })
    }

    /// The moment before which a file's modification time must lie for its stamp to be
    /// trusted: a second before now, as file system clocks tick coarser than the wall clock.
    pub fn settled() -> i128 {
        nanos(std::time::SystemTime::now()) - 1_000_000_000
    }

    /// Whether the file was last modified before `settled`, so that any later write gives it
    /// another modification time.
    pub fn settled_by(&self, settled: i128) -> bool {
        self.modified_ns < settled
    }
}

fn nanos(time: std::time::SystemTime) -> i128 {
    match time.duration_since(std::time::UNIX_EPOCH) {
        Ok(after) => after.as_nanos() as i128,
        Err(before) => -(before.duration().as_nanos() as i128),
    }
}

/// A fingerprint of a file's text: the same text always gives the same number.
fn revision(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// Every `.md` file at or below `under` (relative to `root`, inside `content/`), with what it
/// is, in a stable order; a path that is no longer there has none.
fn markdown_files(
    root: &Path,
    under: &Path,
    symlinks: Symlinks,
    diagnostics: &mut Diagnostics,
) -> Vec<(PathBuf, Kind)> {
    let start = root.join(under);
    if !start.exists() {
        return Vec::new();
    }
    let dir = root.join(CONTENT_DIR);
    let mut files = Vec::new();
    let hidden = |part: &std::ffi::OsStr| part.as_encoded_bytes().starts_with(b".");
    let visible = |e: &walkdir::DirEntry| {
        // A hidden folder is not entered: below the start, only an entry's own name can be.
        if e.depth() > 0 {
            return !hidden(e.file_name());
        }
        let below = e.path().strip_prefix(&dir).unwrap_or(e.path());
        !below.iter().any(hidden)
    };
    for entry in walk::walk(root, &start, symlinks, visible) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(refused) => {
                // Only Markdown files are read, so a dangling link to anything else is no loss.
                if !refused.dangling || is_markdown(&refused.diagnostic.file) {
                    diagnostics.push(refused.diagnostic);
                }
                continue;
            }
        };
        if !entry.file_type().is_file() || !is_markdown(entry.path()) {
            continue;
        }
        let file = relative(root, entry.path());
        if file.to_str().is_none() {
            // Slugs, sections and bot ids are made from names, so the name must be text.
            diagnostics.push(Diagnostic::error(
                &file,
                "the file or folder name is not valid UTF-8",
                "rename it in UTF-8 (for example with `mv`): gazette makes URLs from names",
            ));
            continue;
        }
        match classify(&file) {
            Some(kind) => files.push((file, kind)),
            None => diagnostics.push(Diagnostic::warning(
                &file,
                "this file is neither an article, a bot, an editor nor a page and is left out",
                "move it to content/<section>/, content/bots/, content/editors/ or content/pages/",
            )),
        }
    }
    files
}

fn is_markdown(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "md")
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// What a file is, from where it lies: `content/bots/x.md`, `content/editors/x.md`,
/// `content/pages/x.md`, or an article
/// in the section named by its first folder.
fn classify(file: &Path) -> Option<Kind> {
    let mut parts = file.strip_prefix(CONTENT_DIR).ok()?.iter();
    let first = parts.next()?.to_str()?;
    let depth = parts.count();
    match (first, depth) {
        (_, 0) => None,
        (BOTS_DIR, 1) => Some(Kind::Bot),
        (EDITORS_DIR, 1) => Some(Kind::Editor),
        (PAGES_DIR, 1) => Some(Kind::Page),
        (BOTS_DIR | EDITORS_DIR | PAGES_DIR, _) => None,
        (section, _) => Some(Kind::Article {
            section: section.to_string(),
        }),
    }
}

fn parse_file(
    file: &Path,
    kind: &Kind,
    text: &str,
    settings: &Settings,
) -> Result<Warned<Loaded>, Vec<Diagnostic>> {
    match kind {
        Kind::Article { section } => {
            let input = article::Input {
                file,
                section,
                text,
                settings,
            };
            Article::load(&input).map(|a| a.map(|(a, body)| Loaded::Article(Box::new(a), body)))
        }
        Kind::Bot => Bot::load(file, text, settings).map(|b| b.map(Loaded::Bot)),
        Kind::Editor => Editor::load(file, text, settings).map(|e| e.map(Loaded::Editor)),
        Kind::Page => Page::load(file, text, settings).map(|p| p.map(Loaded::Page)),
    }
}

/// The file as UTF-8 text without BOM and with `\n` line ends.
pub(crate) fn read_text(root: &Path, file: &Path) -> Result<String, Diagnostic> {
    let mut bytes = Vec::new();
    // Never more than the limit and a byte, even from a file that grows while it is read.
    std::fs::File::open(root.join(file))
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| {
            Diagnostic::error(
                file,
                format!("cannot read the file: {e}"),
                "check its permissions",
            )
        })?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let size = std::fs::metadata(root.join(file)).map_or(bytes.len() as u64, |m| m.len());
        return Err(Diagnostic::error(
            file,
            format!(
                "the file is {}; gazette reads content files of up to {}",
                error::mebibytes(size),
                error::mebibytes(MAX_FILE_BYTES)
            ),
            "cut it down to the article: a digest is a few kilobytes",
        ));
    }
    crate::text::decode(file, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_folder() {
        let kind = |p: &str| classify(Path::new(p));
        assert!(matches!(kind("content/bots/wirebot.md"), Some(Kind::Bot)));
        assert!(matches!(kind("content/pages/about.md"), Some(Kind::Page)));
        assert!(matches!(
            kind("content/editors/anna.md"),
            Some(Kind::Editor)
        ));
        assert!(kind("content/editors/old/x.md").is_none());
        assert!(
            matches!(kind("content/world/2026/a.md"), Some(Kind::Article { section }) if section == "world")
        );
        assert!(kind("content/stray.md").is_none());
        assert!(kind("content/bots/old/x.md").is_none());
    }

    /// A site holding `files`, each with its own path as its text.
    fn site_with(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, file).unwrap();
        }
        dir
    }

    #[test]
    fn hidden_files_and_folders_of_content_are_left_out_at_any_depth() {
        let dir = site_with(&[
            "content/world/a.md",
            "content/world/.b.md",
            "content/world/.drafts/c.md",
            "content/.hidden/d.md",
            "content/world/2026/.e.md",
            "content/world/2026/f.md",
        ]);
        let root = dir.path();
        let found = |under: &str| -> Vec<PathBuf> {
            let mut diagnostics = Diagnostics::default();
            let files = markdown_files(
                root,
                Path::new(under),
                Symlinks::default(),
                &mut diagnostics,
            );
            files.into_iter().map(|(file, _)| file).collect()
        };
        let expected = ["content/world/2026/f.md", "content/world/a.md"].map(PathBuf::from);
        assert_eq!(found("content"), expected);
        assert_eq!(found("content/world"), expected);
        // Started inside a hidden folder, or at a hidden file.
        assert!(found("content/.hidden").is_empty());
        assert!(found("content/world/.drafts/c.md").is_empty());
        assert!(found("content/world/.b.md").is_empty());
    }

    #[test]
    fn a_plain_content_folder_is_stamped_as_the_walk_stamps_it_and_anything_else_by_the_walk() {
        let dir = site_with(&[
            "content/world/b.md",
            "content/world/2026/a.md",
            "content/world/a.md",
            "content/world/c.txt",
            "content/world/.d.md",
            "content/.git/x.md",
            "content/bots/wirebot.md",
            "content/pages/about.md",
            "content/sport/z.md",
        ]);
        let root = dir.path();
        let plain = plain_stamps(root).expect("a plain folder");
        let (walked, problems) = walked_stamps(root, Symlinks::default());
        assert!(problems.sorted().is_empty());
        assert_eq!(plain, walked);
        assert_eq!(plain.len(), 6);
        assert_eq!(stamps(root, Symlinks::default()).unwrap().0, walked);

        // A file the walk warns about, and a link: the walk's rules, and its warnings.
        std::fs::write(root.join("content/stray.md"), "x").unwrap();
        assert!(plain_stamps(root).is_none());
        let (_, problems) = stamps(root, Symlinks::default()).unwrap();
        assert!(!problems.sorted().is_empty(), "the stray file is told");
        std::fs::remove_file(root.join("content/stray.md")).unwrap();
        std::os::unix::fs::symlink("/", root.join("content/world/out")).unwrap();
        assert!(plain_stamps(root).is_none());
        let (_, problems) = stamps(root, Symlinks::default()).unwrap();
        assert!(
            !problems.sorted().is_empty(),
            "the link out of the site is refused"
        );
    }
}
