//! The pipeline every command runs: gazette.yaml, templates and content read into an
//! `Engine`, which keeps them, indexes them into a `Site` and renders into a sink the pages
//! whose dependency keys changed. `build`, `check` and `serve` differ only in what they tell it
//! changed, where its files go, and when the search index is built (`serve` builds it in the
//! background): "render everything" is "render what changed" when everything did.
//!
//! The rule: a changed content file is read and parsed again, alone; the `Site` indexes are
//! rebuilt from the kept content (related posts are scored again only for the articles a change
//! can reach); and a page is rendered again only when its dependency key changed (see
//! `render::render`). A change to gazette.yaml parses everything again, and a change to the
//! templates renders everything again. A failed run changes nothing that was rendered.
//!
//! `gazette build` keeps the engine between runs on disk (`state`).

mod changes;
pub mod state;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;
use tera::Tera;

use crate::clock::Clock;
use crate::config::Settings;
use crate::content::{self, Article, Body, Content, LoadOptions, Stamp};
use crate::error::{Diagnostic, Diagnostics, Warned};
use crate::folders::{CACHE_DIR, CONFIG_FILE, CONTENT_DIR};
use crate::i18n;
use crate::progress::{Progress, Stage};
use crate::render::{self, Indexed, Indexing, Memo, Rendered, Sink, Swap, Versions, templates};
use crate::site::related::RelatedMemo;
use crate::site::{Site, language};
use crate::walk::Symlinks;
pub use changes::Changes;
use gazette_images::cache::Cache;
use state::Chunks;

/// What a run is asked for, besides the site: everything that changes what is built from the
/// same files.
#[derive(Debug, Clone, Default, Hash)]
pub struct Flags {
    /// Replaces gazette.yaml's `base_url` when given.
    pub base_url: Option<String>,
    pub drafts: bool,
    pub future: bool,
    pub symlinks: Symlinks,
}

/// One content file (or entry of content/ the walk could not read) as last read. Not a
/// `Source`: in this domain a source is a report an article cites.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ReadFile {
    /// `content::LoadedFile::revision`; 0 for an entry that was not read.
    revision: u64,
    /// Its stamp when it was read, if it had settled: a file whose stamp is unchanged is not
    /// read again by the next build.
    stamp: Option<Stamp>,
    /// Its errors and warnings.
    diagnostics: Vec<Diagnostic>,
}

/// Every file of content/ (and every entry of it the walk could not read), as last read. A
/// hash map with foldhash: a build looks each file up, and a saved state inserts them all, where
/// a sorted map compared paths component by component (a tenth of the time to read a state).
type Files = foldhash::HashMap<PathBuf, ReadFile>;

/// What a build saves for the next: the content files, what they hold (the articles, then the
/// bots, editors, pages and future articles), the related posts and the keys of every file rendered,
/// and the output's record. The two large parts, one entry per file and per article, are saved
/// in chunks that are decoded in parallel.
pub type Saved = (
    Chunks<Files>,
    Chunks<Vec<Article>>,
    Vec<content::Bot>,
    Vec<content::Editor>,
    Vec<content::Page>,
    Vec<Article>,
    BTreeMap<String, RelatedMemo>,
    BTreeMap<String, Memo>,
    crate::output::Record,
);

/// What was read, or the errors that stopped it; none until the first `load` reads it.
type Read<T> = Option<Result<T, Vec<Diagnostic>>>;

/// The pictures of every language's site, each image once; its warnings go to `warnings`.
fn pictures_of<'c>(
    sites: &[(String, Site)],
    root: &Path,
    cache: &'c Cache,
    warnings: &mut Vec<Diagnostic>,
) -> Result<render::pictures::Pictures<'c>, Diagnostics> {
    // `language::split` gives every site at least one part, the default language's.
    let Some(((_, first), rest)) = sites.split_first() else {
        return Err(Diagnostics::default());
    };
    let (mut all, found) = render::pictures::make(first, root, cache)?.into_parts();
    warnings.extend(found);
    for (_, site) in rest {
        let (made, found) = render::pictures::make(site, root, cache)?.into_parts();
        warnings.extend(found);
        all = all.merge(made);
    }
    Ok(all)
}

/// What a `load` did.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Content files read and parsed (the others were kept, parsed).
    pub parsed: usize,
    /// Warnings about what was read again.
    pub warnings: Vec<Diagnostic>,
    /// Paths of content/ read again (files or folders), for telling the site's warnings about
    /// them from the others.
    pub reloaded: Vec<PathBuf>,
}

/// A site read, indexed and rendered, kept for the next run.
pub struct Engine {
    root: PathBuf,
    flags: Flags,
    /// gazette.yaml's bytes as read (or why they could not be), and what they gave. Bytes, not
    /// text: a file that stops being UTF-8, or readable, is a change that must be reported.
    config_bytes: Result<Vec<u8>, std::io::ErrorKind>,
    /// Each i18n/<lang>.yaml's bytes as read, which are part of the configuration.
    i18n_bytes: Vec<(PathBuf, Result<Vec<u8>, std::io::ErrorKind>)>,
    settings: Read<Warned<Settings>>,
    tera: Read<Tera>,
    /// A hash of the site's own templates, as last read.
    templates: u64,
    content_missing: Option<Vec<Diagnostic>>,
    /// Every file of content/ (and every entry the walk could not read).
    files: Files,
    /// What the build shows of content/, in the order the last `Site` left it.
    content: Content,
    /// The bodies of the articles parsed since the last render, which takes them: the engine
    /// does not keep bodies (render reads those it needs again).
    bodies: HashMap<PathBuf, Body>,
    /// The related posts of each language's `Site`, by its code.
    related: BTreeMap<String, RelatedMemo>,
    /// What each language's render keeps for the next, by its code.
    memos: BTreeMap<String, Memo>,
    /// Pictures made, kept in the site's cache folder.
    pictures: Cache,
    /// When `render` builds the stale parts of the search index.
    indexing: Indexing,
}

impl Engine {
    /// An engine for the site in `root`; nothing is read until the first `load`, which should
    /// be given `Changes::everything()`.
    pub fn new(root: &Path, flags: Flags) -> Self {
        Self {
            root: root.to_path_buf(),
            flags,
            config_bytes: Err(std::io::ErrorKind::NotFound),
            i18n_bytes: Vec::new(),
            settings: None,
            tera: None,
            templates: 0,
            content_missing: None,
            files: Files::default(),
            content: Content::default(),
            bodies: HashMap::new(),
            related: BTreeMap::new(),
            memos: BTreeMap::new(),
            pictures: Cache::new(root.join(CACHE_DIR).join("images")),
            indexing: Indexing::InLine,
        }
    }

    /// Has every `render` from now on hand back the stale parts of the search index as jobs
    /// (`Rendered::search`) rather than build them, for `indexed` to take back once built:
    /// what a preview does, so that showing a change never waits for the index.
    pub fn index_later(&mut self) {
        self.indexing = Indexing::Later;
    }

    /// Takes back a part of the search index built by a job a `render` handed out; returns
    /// what it changes in the site's files, or none when a later render replaced the job.
    pub fn indexed(&mut self, indexed: Indexed) -> Option<Swap> {
        let language = self.settings().map(|s| s.language.clone());
        self.memos.get_mut(&language?)?.indexed(indexed)
    }

    /// The settings read from gazette.yaml, once read without error.
    pub fn settings(&self) -> Option<&Settings> {
        match &self.settings {
            Some(Ok(settings)) => Some(settings.value()),
            _ => None,
        }
    }

    /// Articles left out for being dated after the moment of the run, for `check` to name.
    pub fn future(&self) -> &[content::Article] {
        &self.content.future
    }

    /// Reads gazette.yaml and the templates, and nothing of content/ yet: what decides whether
    /// a saved state can be used.
    pub fn read_settings(&mut self) {
        self.reload_config();
        self.reload_templates();
    }

    /// What a state saved by a build must have been saved for, to be of use to this one, which
    /// writes to `output`; after `read_settings`.
    pub fn identity(&self, output: &Path) -> state::Identity {
        let output = std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf());
        state::Identity {
            gazette: env!("CARGO_PKG_VERSION").to_string(),
            program: state::Identity::program(),
            config: render::hash_of(&(self.config_bytes.as_ref().ok(), &self.i18n_bytes)),
            templates: self.templates,
            flags: render::hash_of(&(&self.flags, output)),
        }
    }

    /// Takes in what a build saved (`saved`, read with `state::read` for this engine's
    /// identity); returns the output's record that came with it.
    pub fn restore(&mut self, saved: Saved) -> crate::output::Record {
        let (files, articles, bots, editors, pages, future, related, memo, record) = saved;
        self.files = files.0;
        self.content = Content {
            articles: articles.0,
            bots,
            editors,
            pages,
            future,
        };
        self.related = related;
        self.memos = memo;
        record
    }

    /// Saves what the next build needs at `path`, with the record of the output just written;
    /// a warning when it could not be.
    pub fn save(
        &self,
        path: &Path,
        identity: &state::Identity,
        record: &crate::output::Record,
    ) -> Option<Diagnostic> {
        let saving = (
            Chunks(&self.files),
            Chunks(&self.content.articles),
            &self.content.bots,
            &self.content.editors,
            &self.content.pages,
            &self.content.future,
            &self.related,
            &self.memos,
            record,
        );
        state::write(path, identity, &saving)
    }

    /// The content files that changed on disk since they were read, by their stamps (`on_disk`,
    /// what `content::stamps` found now): only those need reading again. All of content/ when
    /// that is simpler or the walk had problems (they are told by reading again).
    pub fn changes_on_disk(&self, on_disk: content::OnDisk) -> Changes {
        let everything = Changes {
            content: vec![PathBuf::from(CONTENT_DIR)],
            ..Changes::default()
        };
        let Ok((stamps, problems)) = on_disk else {
            return everything;
        };
        if !problems.sorted().is_empty() {
            return everything;
        }
        // Looked up in parallel: at 100,000 files, hashing their paths is a tenth of a second.
        let mut changed: Vec<PathBuf> = stamps
            .par_iter()
            .filter(|(file, stamp)| {
                !matches!(self.files.get(file),
                    Some(source) if source.stamp.is_some() && source.stamp == *stamp)
            })
            .map(|(file, _)| file.clone())
            .collect();
        let unchanged = stamps.len() - changed.len();
        if unchanged < self.files.len() {
            let now: std::collections::HashSet<&PathBuf> = stamps.iter().map(|(f, _)| f).collect();
            changed.extend(self.files.keys().filter(|f| !now.contains(f)).cloned());
        }
        // Each path reloaded is a walk of its own: past a share, one walk of content/ is faster.
        if changed.len() > 64 && changed.len() > stamps.len() / 8 {
            return everything;
        }
        Changes {
            content: changed,
            ..Changes::default()
        }
    }

    /// Reads what `changes` names again; fails with every error (and warning) of the site as
    /// it now is, in which case what was rendered last is still the site.
    pub fn load(&mut self, changes: &Changes, clock: &mut Clock) -> Result<Loaded, Diagnostics> {
        let mut reloaded = changes.content.clone();
        let config_changed = (changes.config || self.settings.is_none()) && self.reload_config();
        if config_changed {
            reloaded = vec![PathBuf::from(CONTENT_DIR)];
        }
        if changes.templates || self.tera.is_none() {
            self.reload_templates();
        }
        clock.lap("load");
        let mut loaded = Loaded::default();
        if let Some(Ok(settings)) = &self.settings {
            if changes.config {
                loaded.warnings.extend(settings.warnings().iter().cloned());
            }
            let (found, read) = self.reload(&reloaded, !config_changed);
            loaded.warnings.extend(found);
            loaded.parsed += read;
        }
        self.publish_due();
        clock.lap("parse");
        let problems = self.problems();
        if problems.has_errors() {
            return Err(problems);
        }
        loaded.reloaded = reloaded;
        Ok(loaded)
    }

    /// Every problem of the site as it is now: its errors and warnings.
    pub fn problems(&self) -> Diagnostics {
        let mut all = Diagnostics::default();
        match &self.settings {
            Some(Ok(settings)) => all.extend(settings.warnings().iter().cloned()),
            Some(Err(errors)) => all.extend(errors.iter().cloned()),
            None => {}
        }
        if let Some(Err(errors)) = &self.tera {
            all.extend(errors.iter().cloned());
        }
        all.extend(self.content_missing.iter().flatten().cloned());
        for file in self.files.values() {
            all.extend(file.diagnostics.iter().cloned());
        }
        all
    }

    /// Indexes the kept content and renders into `sink` the files whose keys changed, then
    /// hands every language's site (the default's first) and the clock to `then`; returns what
    /// the render did and what `then` gave, with the warnings of the site's indexes. Fails with
    /// the errors found, and every warning.
    pub fn render<R>(
        &mut self,
        sink: &impl Sink,
        progress: &Progress,
        clock: &mut Clock,
        then: impl FnOnce(&[&Site], &mut Clock) -> R,
    ) -> Result<Warned<(Rendered, R)>, Diagnostics> {
        let seed = self.seed();
        let (Some(Ok(settings)), Some(Ok(tera))) = (&self.settings, &mut self.tera) else {
            // `load` read both and returned their errors before rendering.
            return Err(self.problems());
        };
        let content = std::mem::take(&mut self.content);
        let future = std::mem::take(&mut self.content.future);
        progress.enter(Stage::Indexing);
        let settings = settings.value();
        let (parts, profiles) = language::split(content, settings);
        let mut warnings = Vec::new();
        let mut sites = Vec::with_capacity(parts.len());
        for (code, part) in parts {
            let memo = self.related.remove(&code);
            let site = Site::reusing(settings.for_language(&code), part, memo, clock);
            let (site, found) = site.into_parts();
            warnings.extend(found);
            sites.push((code, site));
        }
        warnings.extend(language::translation_warnings(&sites));
        let pictures = pictures_of(&sites, &self.root, &self.pictures, &mut warnings);
        clock.lap("pictures");
        let files = &self.files;
        let revision = |file: &Path| files.get(file).map(|s| s.revision);
        let parsed = Mutex::new(std::mem::take(&mut self.bodies));
        let root = &self.root;
        let body = |article: &Article| {
            let kept =
                (parsed.lock().unwrap_or_else(PoisonError::into_inner)).remove(&article.file);
            match kept {
                Some(body) => Ok((revision(&article.file).unwrap_or_default(), body)),
                None => content::body_of(root, article, settings),
            }
        };
        progress.enter(Stage::Rendering);
        let indexing = self.indexing;
        let memos = &mut self.memos;
        memos.retain(|code, _| settings.has_language(code));
        let result = pictures.and_then(|pictures| {
            let versions = Versions {
                seed,
                revision: &revision,
                body: &body,
                pictures: &pictures,
            };
            let all: Vec<&Site> = sites.iter().map(|(_, site)| site).collect();
            let languages = render::Languages::of(&all)?;
            let mut rendered = Rendered::default();
            for (i, (code, site)) in sites.iter().enumerate() {
                let memo = memos.entry(code.clone()).or_default();
                let scope = languages.scope(i);
                let prefixed = render::Prefixed::new(sink, &site.settings.base.lang);
                // A job handed out writes its files where the default language's go, and is
                // taken back into the default language's memo: the other languages' search
                // index is built in the render.
                let indexing = if i == 0 { indexing } else { Indexing::InLine };
                let more = render::render(
                    site, &self.root, tera, &versions, memo, indexing, &prefixed, progress, &scope,
                )?;
                rendered.files += more.files;
                rendered.search.extend(more.search);
            }
            Ok(rendered)
        });
        clock.lap("render");
        let all: Vec<&Site> = sites.iter().map(|(_, site)| site).collect();
        let then = result.is_ok().then(|| then(&all, clock));
        let mut parts = Vec::with_capacity(sites.len());
        for (code, site) in sites {
            let (_, content, related) = site.into_parts();
            parts.push(content);
            self.related.insert(code, related);
        }
        self.content = language::join(parts, profiles);
        self.content.future = future;
        match (result, then) {
            (Ok(rendered), Some(then)) => Ok(Warned::new((rendered, then), warnings)),
            (result, _) => {
                let mut errors = result.err().unwrap_or_default();
                errors.extend(warnings);
                Err(errors)
            }
        }
    }

    /// Removes from the picture cache what this engine's renders did not use; a build does it
    /// once it succeeded, so that images taken out of the site do not fill the disk.
    pub fn clean_pictures(&self) -> std::io::Result<usize> {
        self.pictures.clean()
    }

    /// Part of every key: changes with the configuration and the templates, which keys do not
    /// otherwise see.
    fn seed(&self) -> u64 {
        let config = self.config_bytes.as_ref().ok();
        render::hash_of(&(config, &self.i18n_bytes, self.templates))
    }

    /// Reads gazette.yaml and the site's i18n/ again; true when their bytes changed, so that
    /// all content must be parsed again under the new settings.
    fn reload_config(&mut self) -> bool {
        let bytes = std::fs::read(self.root.join(CONFIG_FILE)).map_err(|e| e.kind());
        let i18n: Vec<_> = (i18n::site_files(&self.root).into_iter())
            .map(|(file, read)| (file, read.map_err(|e| e.kind())))
            .collect();
        let same = bytes == self.config_bytes && i18n == self.i18n_bytes;
        if same && matches!(self.settings, Some(Ok(_))) {
            return false;
        }
        self.config_bytes = bytes;
        self.i18n_bytes = i18n;
        let settings = Settings::load(&self.root, self.flags.base_url.as_deref());
        self.settings = Some(settings.map_err(Diagnostics::sorted));
        true
    }

    fn reload_templates(&mut self) {
        let loaded = templates::load(&self.root, self.flags.symlinks);
        self.templates = loaded.as_ref().map_or(0, |(_, hash)| *hash);
        self.tera = Some(loaded.map(|(tera, _)| tera).map_err(Diagnostics::sorted));
    }

    fn load_options(&self) -> LoadOptions {
        LoadOptions {
            drafts: self.flags.drafts,
            future: self.flags.future,
            now: jiff::Timestamp::now(),
            symlinks: self.flags.symlinks,
        }
    }

    /// Articles left out for their date whose moment has come go in: no file changed, but
    /// time did.
    fn publish_due(&mut self) {
        let options = self.load_options();
        let content = &mut self.content;
        let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut content.future)
            .into_iter()
            .partition(|a| options.shows(a));
        content.future = later;
        content.articles.extend(due);
    }

    /// Forgets every file at or below each of `paths` (relative to the root) and loads what is
    /// there now; returns the warnings of the files parsed, and how many were parsed. Whether an
    /// article shows (drafts, future dates) is decided as it is read. With `reuse`, a file whose
    /// bytes are those it was last parsed from keeps what it gave (only its stamp is new);
    /// without, as after a change of the settings, every file is parsed again.
    fn reload(&mut self, paths: &[PathBuf], reuse: bool) -> (Vec<Diagnostic>, usize) {
        let options = self.load_options();
        let Some(Ok(settings)) = &self.settings else {
            return (Vec::new(), 0);
        };
        // A path is a file known, a file new (nothing below it), or a folder, for which one
        // pass over the kept content serves all: a bot that writes thousands of files, or a
        // checkout that touches them all, must not cost paths x files.
        let mut gone: HashSet<PathBuf> = HashSet::new();
        let mut folders: HashSet<&Path> = HashSet::new();
        for path in paths {
            if self.files.contains_key(path) {
                gone.insert(path.clone());
            } else if !self.root.join(path).is_file() {
                folders.insert(path);
            }
        }
        if !folders.is_empty() {
            let below = (self.files.keys())
                .filter(|file| file.ancestors().any(|above| folders.contains(above)));
            gone.extend(below.cloned());
        }
        let files = &self.files;
        // Revision 0 is a file that could not be read: nothing was parsed from it.
        let parsed = |file: &Path| match reuse {
            true => files.get(file).map(|f| f.revision).filter(|r| *r != 0),
            false => None,
        };
        let found = content::load_files(&self.root, paths, settings.value(), &options, &parsed);
        let same = found.iter().flat_map(|(found, _)| found);
        let same: Vec<(PathBuf, Option<content::Stamp>)> = same
            .filter(|loaded| loaded.outcome.is_none())
            .map(|loaded| (loaded.file.clone(), loaded.stamp))
            .collect();
        for (file, stamp) in same {
            gone.remove(&file);
            if let Some(kept) = self.files.get_mut(&file) {
                kept.stamp = stamp;
            }
        }
        for file in &gone {
            self.files.remove(file);
            self.bodies.remove(file);
        }
        let content = &mut self.content;
        content.articles.retain(|a| !gone.contains(&a.file));
        content.future.retain(|a| !gone.contains(&a.file));
        content.bots.retain(|b| !gone.contains(&b.file));
        content.editors.retain(|e| !gone.contains(&e.file));
        content.pages.retain(|p| !gone.contains(&p.file));
        let (found, walk_problems) = match found {
            Ok(found) => {
                self.content_missing = None;
                found
            }
            Err(errors) => {
                self.content_missing = Some(errors.sorted());
                return (Vec::new(), 0);
            }
        };
        let read = found.iter().filter(|f| f.outcome.is_some()).count();
        let mut warnings: Vec<Diagnostic> = walk_problems.clone();
        for problem in walk_problems {
            let entry = self.files.entry(problem.file.clone()).or_default();
            entry.diagnostics.push(problem);
        }
        for loaded in found {
            let Some(outcome) = loaded.outcome else {
                continue;
            };
            let diagnostics = match outcome {
                Ok(outcome) => {
                    let (outcome, found_warnings) = outcome.into_parts();
                    if let Some(body) = content.add(outcome, &options) {
                        self.bodies.insert(loaded.file.clone(), body);
                    }
                    found_warnings
                }
                Err(errors) => errors,
            };
            warnings.extend(diagnostics.iter().filter(|d| !d.is_error()).cloned());
            let source = ReadFile {
                revision: loaded.revision,
                stamp: loaded.stamp,
                diagnostics,
            };
            self.files.insert(loaded.file, source);
        }
        warnings.retain(|d| !d.is_error());
        (warnings, read)
    }
}
