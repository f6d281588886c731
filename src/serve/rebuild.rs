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
use crate::clock::Clock;
use crate::config::Settings;
use crate::content::{self, Content, LoadOptions};
use crate::error::{Diagnostic, Diagnostics, Warned};
use crate::folders::CONTENT_DIR;
use crate::folders::STATIC_DIR;
use crate::output::statics::{self, Statics};
use crate::render::{self, Memo, Versions, templates};
use crate::site::Site;
use crate::site::related::RelatedMemo;
use crate::walk::Symlinks;

/// Files by path. Rebuilt after every save with one entry per page, so hashed with foldhash
/// rather than SipHash; its keys are our own paths, never chosen by a request.
pub type FileMap = HashMap<PathBuf, Bytes, foldhash::fast::RandomState>;

/// The files a preview serves, by their path below the site's root (`index.html`,
/// `2026/03/14/port-strike/index.html`, `style.css`).
#[derive(Debug, Clone, Default)]
pub struct Files {
    pages: Arc<FileMap>,
    statics: Arc<FileMap>,
}

impl Files {
    pub fn new(pages: FileMap, statics: FileMap) -> Self {
        Self {
            pages: Arc::new(pages),
            statics: Arc::new(statics),
        }
    }

    /// A file by its path below the site's root; a file of static/ wins over a page, as in a
    /// built site.
    pub fn get(&self, path: &Path) -> Option<&Bytes> {
        self.statics.get(path).or_else(|| self.pages.get(path))
    }
}

/// What a successful rebuild did.
#[derive(Debug)]
pub struct Rebuilt {
    pub files: Files,
    /// Pages rendered again (the others were kept).
    pub rendered: usize,
    /// Content files read and parsed again (the others were kept, parsed).
    pub parsed: usize,
    pub pages: usize,
    /// Warnings about the files read again.
    pub warnings: Vec<Diagnostic>,
    pub took: Duration,
}

/// What was read, or the errors that stopped it; none until the first `rebuild` reads it.
type Read<T> = Option<Result<T, Vec<Diagnostic>>>;

/// A site being previewed: what was read and rendered, kept for the next rebuild.
pub struct Preview {
    root: PathBuf,
    base_url: String,
    drafts: bool,
    future: bool,
    symlinks: Symlinks,
    /// gazette.yaml's bytes as read (or why they could not be), and what they gave. Bytes, not
    /// text: a file that stops being UTF-8, or readable, is a change that `build` would report.
    config_bytes: Result<Vec<u8>, std::io::ErrorKind>,
    settings: Read<Warned<Settings>>,
    tera: Read<Tera>,
    /// Changes with the templates and the configuration, so that no page key survives them.
    seed: u64,
    content_missing: Option<Vec<Diagnostic>>,
    /// Every file of content/ (and every entry the walk could not read), with its problems.
    sources: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// The revision of every file read.
    revisions: HashMap<PathBuf, u64>,
    /// What the build shows of content/, in the order the last `Site` left it.
    content: Content,
    related: Option<RelatedMemo>,
    memo: Memo,
    pages: Arc<FileMap>,
    /// static/, by path below it.
    statics: Arc<FileMap>,
    /// The files of static/ as last listed, to tell where they meet the pages.
    listed: Statics,
    static_problems: Vec<Diagnostic>,
}

impl Preview {
    /// A preview of the site in `root` whose links start with `base_url`; nothing is read
    /// until the first `rebuild`, which should be given `Changes::everything()`.
    pub fn new(
        root: &Path,
        base_url: &str,
        drafts: bool,
        future: bool,
        symlinks: Symlinks,
    ) -> Self {
        Self {
            root: root.to_path_buf(),
            base_url: base_url.to_string(),
            drafts,
            future,
            symlinks,
            config_bytes: Err(std::io::ErrorKind::NotFound),
            settings: None,
            tera: None,
            seed: 0,
            content_missing: None,
            sources: BTreeMap::new(),
            revisions: HashMap::new(),
            content: Content::default(),
            related: None,
            memo: Memo::default(),
            pages: Arc::default(),
            statics: Arc::default(),
            listed: Statics::default(),
            static_problems: Vec::new(),
        }
    }

    /// Applies `changes`; fails with every error (and warning) of the site as it now is, in
    /// which case what `rebuild` returned last is still the site to serve.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuilt, Vec<Diagnostic>> {
        let started = Instant::now();
        let mut reloaded = changes.content.clone();
        let config_changed = (changes.config || self.settings.is_none()) && self.reload_config();
        if config_changed {
            reloaded = vec![PathBuf::from(CONTENT_DIR)];
        }
        if changes.templates || self.tera.is_none() {
            self.seed += 1;
            let tera = templates::load(&self.root, self.symlinks).map_err(Diagnostics::sorted);
            self.tera = Some(tera);
        }
        let mut warnings = Vec::new();
        let mut parsed = 0;
        if let Some(Ok(settings)) = &self.settings {
            if changes.config {
                warnings.extend(settings.warnings().iter().cloned());
            }
            for path in &reloaded {
                let (found, read) = self.reload(path);
                warnings.extend(found);
                parsed += read;
            }
        }
        // Which hidden files are published is the configuration's to say.
        if !changes.statics.is_empty() || config_changed {
            warnings.extend(self.reload_statics(&changes.statics));
        }
        let errors = self.errors();
        if errors.has_errors() {
            return Err(errors.sorted());
        }
        // Only the site's warnings about the files read again are news.
        let (rendered, site_warnings) = self.render()?.into_parts();
        let meeting = self.listed.meet(self.pages.keys().map(PathBuf::as_path));
        if !meeting.errors.is_empty() {
            return Err(Diagnostics::from(meeting.errors).sorted());
        }
        let touched = |d: &Diagnostic| reloaded.iter().any(|p| d.file.starts_with(p));
        warnings.extend(site_warnings.into_iter().filter(touched));
        Ok(Rebuilt {
            files: Files {
                pages: self.pages.clone(),
                statics: self.statics.clone(),
            },
            rendered,
            parsed,
            pages: self.pages.len(),
            warnings: Diagnostics::from(warnings).sorted(),
            took: started.elapsed(),
        })
    }

    /// Reads gazette.yaml again; true when its bytes changed, so that all content must be
    /// parsed again under the new settings.
    fn reload_config(&mut self) -> bool {
        let bytes =
            std::fs::read(self.root.join(crate::folders::CONFIG_FILE)).map_err(|e| e.kind());
        if bytes == self.config_bytes && matches!(self.settings, Some(Ok(_))) {
            return false;
        }
        self.config_bytes = bytes;
        self.seed += 1;
        let settings = Settings::load(&self.root, Some(&self.base_url));
        self.settings = Some(settings.map_err(Diagnostics::sorted));
        true
    }

    /// Forgets every file at or below `path` (relative to the root) and loads what is there
    /// now; returns the warnings of the files read, and how many were read. Whether an article shows (drafts, future
    /// dates) is decided as it is read.
    fn reload(&mut self, path: &Path) -> (Vec<Diagnostic>, usize) {
        let Some(Ok(settings)) = &self.settings else {
            return (Vec::new(), 0);
        };
        let gone: Vec<PathBuf> = (self.sources.range(path.to_path_buf()..))
            .map(|(file, _)| file)
            .take_while(|file| file.starts_with(path))
            .cloned()
            .collect();
        for file in gone {
            self.sources.remove(&file);
            self.revisions.remove(&file);
        }
        let content = &mut self.content;
        content.articles.retain(|a| !a.file.starts_with(path));
        content.bots.retain(|b| !b.file.starts_with(path));
        content.pages.retain(|p| !p.file.starts_with(path));
        let options = LoadOptions {
            drafts: self.drafts,
            future: self.future,
            now: jiff::Timestamp::now(),
            symlinks: self.symlinks,
        };
        let found = content::load_files(&self.root, path, settings.value(), &options);
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
        let read = found.len();
        let mut warnings: Vec<Diagnostic> = walk_problems.clone();
        for problem in walk_problems {
            let entry = self.sources.entry(problem.file.clone()).or_default();
            entry.push(problem);
        }
        for source in found {
            let diagnostics = match source.outcome {
                Ok(loaded) => {
                    let (loaded, found_warnings) = loaded.into_parts();
                    if options.includes(&loaded) {
                        content.push(loaded);
                    }
                    found_warnings
                }
                Err(errors) => errors,
            };
            warnings.extend(diagnostics.iter().filter(|d| !d.is_error()).cloned());
            self.revisions.insert(source.file.clone(), source.revision);
            self.sources.insert(source.file, diagnostics);
        }
        warnings.retain(|d| !d.is_error());
        (warnings, read)
    }

    /// Lists static/ again and reads the files at or below `changed`; returns the warning
    /// about the hidden files left out.
    fn reload_statics(&mut self, changed: &[PathBuf]) -> Option<Diagnostic> {
        let publish_hidden = match &self.settings {
            Some(Ok(settings)) => settings.value().publish_hidden.as_slice(),
            _ => &[],
        };
        let mut listed = statics::find(&self.root, self.symlinks, publish_hidden);
        self.static_problems = std::mem::take(&mut listed.errors).sorted();
        let mut statics = FileMap::with_capacity_and_hasher(listed.files.len(), Default::default());
        for file in &listed.files {
            let touched = changed
                .iter()
                .any(|c| Path::new(STATIC_DIR).join(&file.path).starts_with(c));
            let bytes = match self.statics.get(&file.path) {
                Some(bytes) if !touched => Some(bytes.clone()),
                _ => read_static(&file.source, &file.path, &mut self.static_problems),
            };
            if let Some(bytes) = bytes {
                statics.insert(file.path.clone(), bytes);
            }
        }
        self.statics = Arc::new(statics);
        let skipped = listed.skipped_warning();
        self.listed = listed;
        skipped
    }

    /// Every error in the site as it is now, with its warnings.
    fn errors(&self) -> Diagnostics {
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
        for diagnostics in self.sources.values() {
            all.extend(diagnostics.iter().cloned());
        }
        all.extend(self.static_problems.iter().cloned());
        all
    }

    /// Indexes the kept content and renders the pages whose keys changed; returns how many
    /// were rendered, and the warnings of the site's indexes.
    fn render(&mut self) -> Result<Warned<usize>, Vec<Diagnostic>> {
        let (Some(Ok(settings)), Some(Ok(tera))) = (&self.settings, &mut self.tera) else {
            // `rebuild` read both and returned their errors before rendering.
            return Err(self.errors().sorted());
        };
        let content = std::mem::take(&mut self.content);
        let (site, warnings) = Site::reusing(
            settings.value().clone(),
            content,
            self.related.take(),
            &mut Clock::default(),
        )
        .into_parts();
        let versions = Versions {
            seed: self.seed,
            revisions: &self.revisions,
        };
        let result = render::render_changed(&site, &self.root, tera, &versions, &mut self.memo);
        let (_, content, related) = site.into_parts();
        self.content = content;
        self.related = Some(related);
        let files = result.map_err(|mut errors| {
            errors.extend(warnings.iter().cloned());
            errors.sorted()
        })?;
        let mut pages = FileMap::with_capacity_and_hasher(files.len(), Default::default());
        let mut rendered = 0;
        for file in files {
            let bytes = match file.bytes {
                Some(bytes) => {
                    rendered += 1;
                    Bytes::from(bytes)
                }
                None => self.pages.get(&file.path).cloned().unwrap_or_default(),
            };
            pages.insert(file.path, bytes);
        }
        self.pages = Arc::new(pages);
        Ok(Warned::new(rendered, warnings))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn one_article_site() -> tempfile::TempDir {
        let site = tempfile::tempdir().unwrap();
        let article = site.path().join("content/world/a.md");
        std::fs::create_dir_all(article.parent().unwrap()).unwrap();
        std::fs::write(&article, "---\ntitle: A\ndate: 2026-03-14\n---\nBody.\n").unwrap();
        site
    }

    #[test]
    fn a_first_rebuild_of_content_alone_reads_the_configuration_and_templates_too() {
        let site = one_article_site();
        let mut preview = Preview::new(site.path(), "/", false, false, Symlinks::InsideSite);
        let content_changed = Changes {
            content: vec![PathBuf::from(CONTENT_DIR)],
            ..Changes::default()
        };
        let rebuilt = preview.rebuild(&content_changed);
        assert!(
            rebuilt
                .as_ref()
                .is_ok_and(|r| r.files.get(Path::new("index.html")).is_some()),
            "{rebuilt:?}"
        );
    }

    #[test]
    fn a_gazette_yaml_that_stops_being_utf8_fails_the_preview_as_it_fails_the_build() {
        let site = one_article_site();
        let mut preview = Preview::new(site.path(), "/", false, false, Symlinks::InsideSite);
        assert!(preview.rebuild(&Changes::everything()).is_ok());
        // No gazette.yaml before, and none that reads as text now.
        std::fs::write(
            site.path().join(crate::folders::CONFIG_FILE),
            b"title: caf\xe9\n",
        )
        .unwrap();
        let config_changed = Changes {
            config: true,
            templates: false,
            content: Vec::new(),
            statics: Vec::new(),
        };
        let Err(errors) = preview.rebuild(&config_changed) else {
            panic!("the preview kept serving the site built before the change");
        };
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            ["error: gazette.yaml:1:11: the file is not valid UTF-8 (save it as UTF-8)"]
        );
    }
}
