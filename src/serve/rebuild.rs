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
use crate::render::{IndexJob, Indexed, RenderedFile, Sink};
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
    /// The parts of the search index the rebuilds left to build, not yet asked for.
    search_jobs: Vec<IndexJob>,
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
        let mut engine = Engine::new(root, flags);
        engine.index_later();
        Self {
            root: root.to_path_buf(),
            symlinks,
            engine,
            pages: Arc::default(),
            statics: Arc::default(),
            listed: Statics::default(),
            static_problems: Vec::new(),
            search_jobs: Vec::new(),
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
        self.search_jobs.extend(rendered.search);
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
            files: self.files(),
            rendered: rendered.files,
            parsed: loaded.parsed,
            pages: self.pages.len(),
            warnings: Diagnostics::from(warnings).sorted(),
            took: started.elapsed(),
        })
    }

    /// The parts of the search index that the rebuilds since the last call left to build, as
    /// jobs to run anywhere (`IndexJob::run`) and give back to `indexed`. Until then the site
    /// keeps the files each part had (none, at the first build).
    pub fn search_jobs(&mut self) -> Vec<IndexJob> {
        std::mem::take(&mut self.search_jobs)
    }

    /// Takes a part of the search index built by its job into the site; returns the files to
    /// serve now, or none when a later rebuild replaced the job (its result is dropped).
    pub fn indexed(&mut self, indexed: Indexed) -> Option<Files> {
        let swap = self.engine.indexed(indexed)?;
        let mut pages = FileMap::clone(&self.pages);
        for path in &swap.gone {
            pages.remove(path);
        }
        for file in swap.files {
            pages.insert(file.path, Bytes::from(file.bytes));
        }
        self.pages = Arc::new(pages);
        Some(self.files())
    }

    /// The files to serve, as last rendered.
    fn files(&self) -> Files {
        Files {
            pages: self.pages.clone(),
            statics: self.statics.clone(),
        }
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
    use std::collections::BTreeMap;

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

    /// A site with search, with one article in 2024 and one in the newest month.
    fn searched_site() -> tempfile::TempDir {
        let site = one_article_site();
        std::fs::write(
            site.path().join("gazette.yaml"),
            "search: {enabled: true}\n",
        )
        .unwrap();
        write(&site, "old", "2024-05-02", "Harbour.");
        site
    }

    /// Writes the article `content/world/{name}.md`; the changes that says.
    fn write(site: &tempfile::TempDir, name: &str, date: &str, body: &str) -> Changes {
        let file = PathBuf::from(format!("content/world/{name}.md"));
        let text = format!("---\ntitle: {name}\ndate: {date}\n---\n{body}\n");
        std::fs::write(site.path().join(&file), text).unwrap();
        Changes {
            content: vec![file],
            ..Changes::default()
        }
    }

    /// The files of the search index a preview serves, by path.
    fn served_index(files: &Files) -> BTreeMap<PathBuf, Bytes> {
        (files.pages.iter())
            .filter(|(path, _)| path.starts_with("search/pagefind"))
            .map(|(path, bytes)| (path.clone(), bytes.clone()))
            .collect()
    }

    fn parts(jobs: &[IndexJob]) -> Vec<&str> {
        jobs.iter().map(IndexJob::part).collect()
    }

    /// Runs `jobs` and takes each back, as `serve` does in the background; what the preview
    /// serves then.
    fn run(preview: &mut Preview, jobs: Vec<IndexJob>) -> Files {
        let mut files = None;
        for job in jobs {
            files = preview.indexed(job.run().unwrap());
            assert!(
                files.is_some(),
                "a job no later rebuild replaced is taken back"
            );
        }
        files.expect("a part to build")
    }

    /// The files of the search index a fresh `gazette build` of `site` writes.
    fn built_index(site: &tempfile::TempDir) -> BTreeMap<PathBuf, Bytes> {
        let out = tempfile::tempdir().unwrap();
        let public = out.path().join("public");
        let options = crate::BuildOptions {
            root: site.path().to_path_buf(),
            output: Some(public.clone()),
            base_url: Some("/".to_string()),
            ..crate::BuildOptions::default()
        };
        crate::build(&options).unwrap();
        (walkdir::WalkDir::new(public.join("search/pagefind")).into_iter())
            .map(Result::unwrap)
            .filter(|entry| entry.file_type().is_file())
            .map(|entry| {
                let path = entry.path().strip_prefix(&public).unwrap().to_path_buf();
                (path, Bytes::from(std::fs::read(entry.path()).unwrap()))
            })
            .collect()
    }

    /// A preview of `site` whose first build's index is built; the index it serves.
    fn indexed_preview(site: &tempfile::TempDir) -> (Preview, BTreeMap<PathBuf, Bytes>) {
        let mut preview = Preview::new(site.path(), "/", false, false, Symlinks::InsideSite);
        let first = preview.rebuild(&Changes::everything()).unwrap();
        assert!(
            served_index(&first.files).is_empty(),
            "the first build leaves it for later"
        );
        let jobs = preview.search_jobs();
        assert_eq!(parts(&jobs), ["2026-03", "2024"]);
        let index = served_index(&run(&mut preview, jobs));
        assert_eq!(index, built_index(site));
        (preview, index)
    }

    #[test]
    fn an_edit_is_served_at_once_and_its_part_of_the_search_index_when_built_again() {
        let site = searched_site();
        let (mut preview, before) = indexed_preview(&site);

        let rebuilt = preview.rebuild(&write(&site, "old", "2024-05-02", "Harbour cranes."));
        let rebuilt = rebuilt.unwrap();
        let page = rebuilt
            .files
            .get(Path::new("2024/05/02/old/index.html"))
            .unwrap();
        assert!(
            String::from_utf8_lossy(page).contains("cranes"),
            "the page is rebuilt"
        );
        assert_eq!(
            served_index(&rebuilt.files),
            before,
            "the part's old files are served"
        );
        let jobs = preview.search_jobs();
        assert_eq!(
            parts(&jobs),
            ["2024"],
            "only the edited article's part is built again"
        );

        let files = run(&mut preview, jobs);
        assert_ne!(served_index(&files), before);
        assert_eq!(served_index(&files), built_index(&site));
        // The next rebuild keeps the part taken back.
        let rebuilt = preview.rebuild(&write(&site, "a", "2026-03-14", "Body again."));
        assert_eq!(parts(&preview.search_jobs()), ["2026-03"]);
        assert_eq!(served_index(&rebuilt.unwrap().files), served_index(&files));
    }

    #[test]
    fn a_part_built_for_an_older_edit_is_dropped_and_a_part_being_built_is_not_handed_out_again() {
        let site = searched_site();
        let (mut preview, before) = indexed_preview(&site);

        preview
            .rebuild(&write(&site, "old", "2024-05-02", "Harbour cranes."))
            .unwrap();
        let older = preview.search_jobs();
        assert_eq!(parts(&older), ["2024"]);
        // Another change while that job is out does not hand the part out again.
        preview
            .rebuild(&write(&site, "a", "2026-03-14", "Body again."))
            .unwrap();
        let newest = preview.search_jobs();
        assert_eq!(parts(&newest), ["2026-03"]);
        run(&mut preview, newest);

        preview
            .rebuild(&write(&site, "old", "2024-05-02", "Harbour gulls."))
            .unwrap();
        let newer = preview.search_jobs();
        assert_eq!(parts(&newer), ["2024"]);
        for job in older {
            assert!(
                preview.indexed(job.run().unwrap()).is_none(),
                "a replaced job is dropped"
            );
        }
        let rebuilt = preview.rebuild(&Changes::default()).unwrap();
        let old_part = |files: &Files| {
            let index = served_index(files);
            index
                .into_iter()
                .filter(|(path, _)| path.starts_with("search/pagefind/2024"))
                .collect::<Vec<_>>()
        };
        let before: Vec<_> = before
            .into_iter()
            .filter(|(path, _)| path.starts_with("search/pagefind/2024"))
            .collect();
        assert_eq!(
            old_part(&rebuilt.files),
            before,
            "nothing of the dropped job is served"
        );
        assert!(preview.search_jobs().is_empty());
        let files = run(&mut preview, newer);
        assert_eq!(served_index(&files), built_index(&site));
    }
}
