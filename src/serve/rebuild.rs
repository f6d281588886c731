//! Incremental rebuilds: the previewed site kept in memory between saves, with only what a
//! change touches done again.
//!
//! The rule: a changed content file is read and parsed again, alone; the `Site` indexes are
//! rebuilt from the kept content (related posts are reused when no article's date, tags, section
//! or story changed); and a page is rendered again only when its dependency key changed (see
//! `render::render_changed`). A change to gazette.yaml parses everything again, and a change to
//! the templates renders everything again. A failed rebuild changes nothing that is served.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use tera::Tera;

use super::watch::Changes;
use crate::config::{self, Settings};
use crate::content::{self, CONTENT_DIR, Content, LoadOptions, Loaded};
use crate::error::{Diagnostic, Diagnostics};
use crate::output::{self, STATIC_DIR};
use crate::render::{self, Previous, templates};
use crate::site::Site;
use crate::site::related::RelatedMemo;

/// The files a preview serves, by their path below the site's root (`index.html`,
/// `2026/03/14/port-strike/index.html`, `style.css`).
pub type Files = HashMap<String, Bytes>;

/// What a successful rebuild did.
#[derive(Debug)]
pub struct Rebuilt {
    pub files: Arc<Files>,
    /// Pages rendered again (the others were kept).
    pub rendered: usize,
    pub pages: usize,
    /// Warnings about the files read again.
    pub warnings: Vec<Diagnostic>,
    pub took: Duration,
}

/// One file of content/ as last read.
#[derive(Debug, Default)]
struct Entry {
    revision: u64,
    /// None while it is lent to a `Site`, or when it could not be loaded.
    loaded: Option<Loaded>,
    diagnostics: Vec<Diagnostic>,
}

/// A site being previewed: what was read and rendered, kept for the next rebuild.
pub struct Preview {
    root: PathBuf,
    base_url: String,
    drafts: bool,
    future: bool,
    /// gazette.yaml's text (none when there is no file), and what it gave.
    config_text: Option<String>,
    settings: Result<(Settings, Vec<Diagnostic>), Vec<Diagnostic>>,
    tera: Result<Tera, Vec<Diagnostic>>,
    /// Changes with the templates and the configuration, so that no page key survives them.
    seed: u64,
    content_missing: Option<Vec<Diagnostic>>,
    sources: BTreeMap<PathBuf, Entry>,
    revisions: HashMap<PathBuf, u64>,
    statics: BTreeMap<PathBuf, Bytes>,
    static_problems: Vec<Diagnostic>,
    related: Option<RelatedMemo>,
    keys: HashMap<PathBuf, u64>,
    pages: HashMap<PathBuf, Bytes>,
}

impl Preview {
    /// A preview of the site in `root` whose links start with `base_url`; nothing is read
    /// until the first `rebuild`, which should be given `Changes::everything()`.
    pub fn new(root: &Path, base_url: &str, drafts: bool, future: bool) -> Self {
        Self {
            root: root.to_path_buf(),
            base_url: base_url.to_string(),
            drafts,
            future,
            config_text: None,
            settings: Err(Vec::new()),
            tera: Err(Vec::new()),
            seed: 0,
            content_missing: None,
            sources: BTreeMap::new(),
            revisions: HashMap::new(),
            statics: BTreeMap::new(),
            static_problems: Vec::new(),
            related: None,
            keys: HashMap::new(),
            pages: HashMap::new(),
        }
    }

    /// Applies `changes`; fails with every error (and warning) of the site as it now is, in
    /// which case what `rebuild` returned last is still the site to serve.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuilt, Vec<Diagnostic>> {
        let started = Instant::now();
        let mut reload_content = changes.content.clone();
        if changes.config && self.reload_config() {
            reload_content = vec![PathBuf::from(CONTENT_DIR)];
        }
        if changes.templates {
            self.seed += 1;
            self.tera = templates::load(&self.root).map_err(Diagnostics::sorted);
        }
        let mut warnings = Vec::new();
        if let Ok((settings, config_warnings)) = &self.settings {
            if changes.config {
                warnings.extend(config_warnings.iter().cloned());
            }
            for path in &reload_content {
                warnings.extend(reload(
                    &self.root,
                    settings,
                    path,
                    &mut self.sources,
                    &mut self.revisions,
                    &mut self.content_missing,
                ));
            }
        }
        if !changes.statics.is_empty() {
            self.reload_statics(&changes.statics);
        }
        let errors = self.errors();
        if errors.has_errors() {
            return Err(errors.sorted());
        }
        let (rendered, pages) = self.render()?;
        Ok(Rebuilt {
            files: Arc::new(self.files()),
            rendered,
            pages,
            warnings: Diagnostics::from(warnings).sorted(),
            took: started.elapsed(),
        })
    }

    /// Reads gazette.yaml again; true when its text changed, so that all content must be
    /// parsed again under the new settings.
    fn reload_config(&mut self) -> bool {
        let text = std::fs::read_to_string(self.root.join(config::FILE_NAME)).ok();
        if text == self.config_text && self.settings.is_ok() {
            return false;
        }
        self.config_text = text;
        self.seed += 1;
        self.settings =
            Settings::load(&self.root, Some(&self.base_url)).map_err(Diagnostics::sorted);
        true
    }

    fn reload_statics(&mut self, changed: &[PathBuf]) {
        let (files, problems) = output::static_files(&self.root);
        self.static_problems = problems.sorted();
        let dir = self.root.join(STATIC_DIR);
        let mut kept = std::mem::take(&mut self.statics);
        for file in files {
            let Ok(relative) = file.strip_prefix(&dir).map(Path::to_path_buf) else {
                continue;
            };
            let touched = changed
                .iter()
                .any(|c| Path::new(STATIC_DIR).join(&relative).starts_with(c));
            let bytes = match kept.remove(&relative) {
                Some(bytes) if !touched => Some(bytes),
                _ => read_static(&file, &relative, &mut self.static_problems),
            };
            if let Some(bytes) = bytes {
                self.statics.insert(relative, bytes);
            }
        }
    }

    /// Every error in the site as it is now, with its warnings.
    fn errors(&self) -> Diagnostics {
        let mut all = Diagnostics::default();
        match &self.settings {
            Ok((_, warnings)) => all.extend(warnings.iter().cloned()),
            Err(errors) => all.extend(errors.iter().cloned()),
        }
        if let Err(errors) = &self.tera {
            all.extend(errors.iter().cloned());
        }
        all.extend(self.content_missing.iter().flatten().cloned());
        for entry in self.sources.values() {
            all.extend(entry.diagnostics.iter().cloned());
        }
        all.extend(self.static_problems.iter().cloned());
        all
    }

    /// Indexes the kept content and renders the pages whose keys changed; returns how many
    /// were rendered and how many there are.
    fn render(&mut self) -> Result<(usize, usize), Vec<Diagnostic>> {
        let (Ok((settings, _)), Ok(tera)) = (&self.settings, &mut self.tera) else {
            return Err(Vec::new());
        };
        let options = LoadOptions {
            drafts: self.drafts,
            future: self.future,
            now: jiff::Timestamp::now(),
        };
        let mut content = Content::default();
        for entry in self.sources.values_mut() {
            if entry.loaded.as_ref().is_some_and(|l| options.includes(l)) {
                content.push(entry.loaded.take().expect("checked above"));
            }
        }
        let (site, site_warnings) = Site::reusing(settings.clone(), content, self.related.take());
        let previous = Previous {
            seed: self.seed,
            revisions: &self.revisions,
            keys: &self.keys,
        };
        let result = render::render_changed(&site, &self.root, tera, &previous);
        let (_, content, memo) = site.into_parts();
        self.give_back(content);
        self.related = Some(memo);
        let files = result.map_err(|mut errors| {
            errors.extend(site_warnings);
            errors.sorted()
        })?;
        let mut pages = HashMap::with_capacity(files.len());
        let mut keys = HashMap::with_capacity(files.len());
        let mut rendered = 0;
        for file in files {
            let bytes = match file.bytes {
                Some(bytes) => {
                    rendered += 1;
                    Bytes::from(bytes)
                }
                None => self.pages.remove(&file.path).unwrap_or_default(),
            };
            if let Some(key) = file.key {
                keys.insert(file.path.clone(), key);
            }
            pages.insert(file.path, bytes);
        }
        let total = pages.len();
        self.pages = pages;
        self.keys = keys;
        Ok((rendered, total))
    }

    /// Puts what a `Site` was lent back in place, by the file each item came from.
    fn give_back(&mut self, content: Content) {
        let Content {
            articles,
            bots,
            pages,
        } = content;
        let loaded = articles
            .into_iter()
            .map(|a| (a.file.clone(), Loaded::Article(Box::new(a))))
            .chain(bots.into_iter().map(|b| (b.file.clone(), Loaded::Bot(b))))
            .chain(pages.into_iter().map(|p| (p.file.clone(), Loaded::Page(p))));
        for (file, item) in loaded {
            if let Some(entry) = self.sources.get_mut(&file) {
                entry.loaded = Some(item);
            }
        }
    }

    /// The rendered pages with `static/` over them, by URL path.
    fn files(&self) -> Files {
        let key = |path: &Path| {
            path.iter()
                .map(|p| p.to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        };
        self.pages
            .iter()
            .chain(&self.statics)
            .map(|(path, bytes)| (key(path), bytes.clone()))
            .collect()
    }
}

/// Forgets every kept file at or below `path` (relative to the root) and loads what is there
/// now; returns the warnings of the files read.
fn reload(
    root: &Path,
    settings: &Settings,
    path: &Path,
    sources: &mut BTreeMap<PathBuf, Entry>,
    revisions: &mut HashMap<PathBuf, u64>,
    content_missing: &mut Option<Vec<Diagnostic>>,
) -> Vec<Diagnostic> {
    let gone: Vec<PathBuf> = sources
        .range(path.to_path_buf()..)
        .map(|(file, _)| file)
        .take_while(|file| file.starts_with(path))
        .cloned()
        .collect();
    for file in gone {
        sources.remove(&file);
        revisions.remove(&file);
    }
    let (found, walk_problems) = match content::load_sources(root, path, settings) {
        Ok(found) => {
            *content_missing = None;
            found
        }
        Err(errors) => {
            *content_missing = Some(errors.sorted());
            return Vec::new();
        }
    };
    let mut warnings = Vec::new();
    for problem in walk_problems {
        if !problem.is_error() {
            warnings.push(problem.clone());
        }
        sources
            .entry(problem.file.clone())
            .or_default()
            .diagnostics
            .push(problem);
    }
    for source in found {
        let entry = match source.outcome {
            Ok((loaded, found_warnings)) => {
                warnings.extend(found_warnings.iter().cloned());
                Entry {
                    revision: source.revision,
                    loaded: Some(loaded),
                    diagnostics: found_warnings,
                }
            }
            Err(errors) => Entry {
                revision: source.revision,
                loaded: None,
                diagnostics: errors,
            },
        };
        revisions.insert(source.file.clone(), entry.revision);
        sources.insert(source.file, entry);
    }
    warnings
}

fn read_static(file: &Path, relative: &Path, problems: &mut Vec<Diagnostic>) -> Option<Bytes> {
    match std::fs::read(file) {
        Ok(bytes) => Some(Bytes::from(bytes)),
        Err(e) => {
            problems.push(Diagnostic::error(
                Path::new(STATIC_DIR).join(relative),
                format!("cannot read: {e}"),
                "check its permissions",
            ));
            None
        }
    }
}
