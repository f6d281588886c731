//! Incremental rebuilds: the previewed site kept in memory between saves by the pipeline's
//! `Engine`, with only what a change touches done again, and its files served from memory. A
//! failed rebuild changes nothing that is served.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;

use super::watch::Changes;
use crate::clock::Clock;
use crate::error::{Diagnostic, Diagnostics};
use crate::folders::STATIC_DIR;
use crate::output::statics::{self, Statics};
use crate::pipeline::{Engine, Flags};
use crate::progress::Progress;
use crate::render::{RenderedFile, Sink};
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

/// A site being previewed: the engine, and the files it last rendered, kept for the next
/// rebuild.
pub struct Preview {
    root: PathBuf,
    symlinks: Symlinks,
    engine: Engine,
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
        let flags = Flags {
            base_url: Some(base_url.to_string()),
            drafts,
            future,
            symlinks,
        };
        Self {
            root: root.to_path_buf(),
            symlinks,
            engine: Engine::new(root, flags),
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
        let mut clock = Clock::default();
        let loaded = self.engine.load(changes, &mut clock);
        let mut warnings = Vec::new();
        // Which hidden files are published is the configuration's to say.
        if !changes.statics.is_empty() || changes.config {
            warnings.extend(self.reload_statics(&changes.statics));
        }
        let loaded = loaded.map_err(|mut errors| {
            errors.extend(self.static_problems.iter().cloned());
            errors.sorted()
        })?;
        let mut problems = Diagnostics::from(self.static_problems.clone());
        if problems.has_errors() {
            problems.extend(self.engine.problems().sorted());
            return Err(problems.sorted());
        }
        warnings.extend(loaded.warnings);
        let sink = Rendering {
            last: &self.pages,
            pages: std::sync::Mutex::default(),
        };
        let progress = Progress::default();
        let rendered = self.engine.render(&sink, &progress, &mut clock, |_, _| ());
        let ((rendered, ()), site_warnings) = rendered.map_err(Diagnostics::sorted)?.into_parts();
        let pages = sink.pages.into_inner().unwrap_or_else(|e| e.into_inner());
        self.pages = Arc::new(pages);
        let meeting = self.listed.meet(self.pages.keys().map(PathBuf::as_path));
        if !meeting.errors.is_empty() {
            return Err(Diagnostics::from(meeting.errors).sorted());
        }
        // Only the site's warnings about the files read again are news.
        let reloaded = &loaded.reloaded;
        let touched = |d: &Diagnostic| reloaded.iter().any(|p| d.file.starts_with(p));
        warnings.extend(site_warnings.into_iter().filter(touched));
        Ok(Rebuilt {
            files: Files {
                pages: self.pages.clone(),
                statics: self.statics.clone(),
            },
            rendered,
            parsed: loaded.parsed,
            pages: self.pages.len(),
            warnings: Diagnostics::from(warnings).sorted(),
            took: started.elapsed(),
        })
    }

    /// Lists static/ again and reads the files at or below `changed`; returns the warning
    /// about the hidden files left out.
    fn reload_statics(&mut self, changed: &[PathBuf]) -> Option<Diagnostic> {
        let publish_hidden = match self.engine.settings() {
            Some(settings) => settings.publish_hidden.as_slice(),
            None => &[],
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
}

/// The pages of one rebuild: those rendered, and those kept from the last.
struct Rendering<'a> {
    last: &'a FileMap,
    pages: std::sync::Mutex<FileMap>,
}

impl Sink for Rendering<'_> {
    fn put(&self, file: RenderedFile) -> Result<(), Diagnostic> {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        pages.insert(file.path, Bytes::from(file.bytes));
        Ok(())
    }

    fn keep(&self, path: &Path) -> Result<(), Diagnostic> {
        let Some(bytes) = self.last.get(path) else {
            return Err(Diagnostic::error(
                path,
                "was kept from a rebuild that did not render it",
                "report this as a bug of gazette",
            ));
        };
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        pages.insert(path.to_path_buf(), bytes.clone());
        Ok(())
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
    use crate::folders::CONTENT_DIR;

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
