//! gazette: a static site generator for news sites whose articles are written by AI.
//!
//! One way through: `config` reads gazette.yaml, `content` loads every file in parallel, `site`
//! orders and indexes what was loaded, `render` turns it into pages, `output` writes them.
//! Problems anywhere are `error::Diagnostic`s, collected and reported all at once.
//!
//! Each module uses only those below it (the `architecture` module lists the layers and its
//! test fails on a cycle): `error`; then the vocabulary `url`, `date`, `text`, `yaml`, `walk`,
//! `folders`, `clock`; then `config`, `content`, `site`, `render`, `output`; then the commands
//! `check`, `serve` and `scaffold`.

mod architecture;
pub mod check;
mod clock;
pub mod config;
pub mod content;
pub mod date;
pub mod error;
pub mod folders;
pub mod output;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod text;
pub mod url;
pub mod walk;
pub mod watch;
mod yaml;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub use check::{CheckOptions, CheckReport, check};
use clock::Clock;
use config::Settings;
use content::LoadOptions;
use error::{Diagnostic, Diagnostics, Warned};
use progress::{Progress, Stage};
use site::Site;

pub use serve::{ServeOptions, serve};

/// What `gazette build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Where to write; `<root>/public` when not given.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub future: bool,
    /// Where links in content/, templates/ and static/ may lead.
    pub symlinks: walk::Symlinks,
    /// Told when another build holds the output folder and this one waits for it.
    pub on_wait: output::OnWait,
    /// Updated as the build goes, for a progress line drawn by another thread.
    pub progress: Arc<Progress>,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub articles: usize,
    pub pages: usize,
    pub files: usize,
    /// Files whose bytes differ from the previous build's; the others were not written.
    pub changed: usize,
    /// Files of the previous build that this one no longer has.
    pub removed: usize,
    pub output: PathBuf,
    pub warnings: Vec<Diagnostic>,
    /// How long each stage took, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Builds the site under `options.root`; on failure the previous output is left as it was and
/// every error and warning found is returned (`Diagnostics::sorted` puts them in the order to
/// show).
pub fn build(options: &BuildOptions) -> error::Result<BuildReport> {
    let _running = options.progress.running();
    let root = options.root.as_path();
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| root.join(folders::OUTPUT_DIR));
    output::check_output_dir(root, &output).map_err(Diagnostics::from)?;
    let mut clock = Clock::default();
    let settings = Settings::load(root, options.base_url.as_deref())?;
    let publish_hidden = &settings.value().publish_hidden;
    let statics = output::statics::find(root, options.symlinks, publish_hidden);
    let skipped = statics.skipped_warning();
    let writer = output::Writer::begin(root, &output, statics, options.on_wait)?;
    let mut rendered = match render_loaded(options, settings, &mut clock, &writer) {
        Ok(rendered) => rendered,
        Err(errors) => return Err(writer.abandon(errors)),
    };
    options.progress.enter(Stage::Finishing);
    let written = writer.finish()?;
    rendered.warnings.extend(skipped);
    clock.lap("write");
    // Files are written as they are rendered: the writing threads' share of that stage is
    // the writing's.
    let writing = written.busy / rayon::current_num_threads().max(1) as u32;
    clock.shift("render", "write", writing);

    Ok(BuildReport {
        articles: rendered.site.articles.len(),
        pages: rendered.site.pages.len(),
        files: written.files,
        changed: written.changed,
        removed: written.removed,
        output,
        warnings: rendered.warnings.sorted(),
        timings: clock.into_laps(),
    })
}

/// A site loaded, indexed and rendered into a sink: what a build writes, and what `check` reads.
pub(crate) struct Rendered {
    pub site: Site,
    /// Articles left out because they are dated after the moment of the build.
    pub future: Vec<content::Article>,
    pub warnings: Diagnostics,
}

/// Every step of a build, each file going to `sink` as it is rendered; fails with every error
/// and warning found.
pub(crate) fn render_site(
    options: &BuildOptions,
    clock: &mut Clock,
    sink: &impl render::Sink,
) -> error::Result<Rendered> {
    let _running = options.progress.running();
    let settings = Settings::load(&options.root, options.base_url.as_deref())?;
    render_loaded(options, settings, clock, sink)
}

/// `render_site` with the configuration already read.
fn render_loaded(
    options: &BuildOptions,
    settings: Warned<Settings>,
    clock: &mut Clock,
    sink: &impl render::Sink,
) -> error::Result<Rendered> {
    let root = options.root.as_path();
    let load_options = LoadOptions {
        drafts: options.drafts,
        future: options.future,
        now: jiff::Timestamp::now(),
        symlinks: options.symlinks,
    };
    // Content and templates are independent: load both so that one run reports all errors.
    let (texts, templates) = rayon::join(
        || content::read(root, options.symlinks),
        || render::templates::load(root, options.symlinks),
    );
    clock.lap("load");
    options.progress.enter(Stage::Parsing);
    let mut diagnostics = Diagnostics::default();
    let settings = settings.report(&mut diagnostics);
    let content = texts.and_then(|texts| content::parse(texts, &settings, &load_options));
    clock.lap("parse");
    options.progress.enter(Stage::Indexing);
    let content = match content {
        Ok(content) => Some(content.report(&mut diagnostics)),
        Err(found) => {
            diagnostics.extend(found.sorted());
            None
        }
    };
    let tera = templates.map_err(|found| diagnostics.extend(found.sorted()));
    let (Some(mut content), Ok(mut tera)) = (content, tera) else {
        return Err(diagnostics);
    };

    let future = std::mem::take(&mut content.future);
    let site = Site::new(settings, content, clock).report(&mut diagnostics);
    options.progress.enter(Stage::Rendering);
    render::render(&site, root, &mut tera, sink, &options.progress).map_err(|mut errors| {
        errors.extend(diagnostics.clone().sorted());
        errors
    })?;
    clock.lap("render");
    Ok(Rendered {
        site,
        future,
        warnings: diagnostics,
    })
}

/// The site folder for a command run in `start`: the nearest folder upward that holds
/// gazette.yaml or content/.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| {
            dir.join(folders::CONFIG_FILE).is_file() || dir.join(folders::CONTENT_DIR).is_dir()
        })
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn rendering_counts_every_file_it_renders_in_the_progress() {
        let dir = tempfile::tempdir().expect("temp dir");
        let write = |path: &str, text: &str| {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        };
        write(
            "content/bots/wirebot.md",
            "---\nname: WireBot\n---\nAbout.\n",
        );
        for name in ["port", "ferry"] {
            let front = format!("title: {name}\ndate: 2026-03-14\nauthor: wirebot\ntags: [a]");
            write(
                &format!("content/world/{name}.md"),
                &format!("---\n{front}\n---\nBody.\n"),
            );
        }
        let options = BuildOptions {
            root: dir.path().to_path_buf(),
            ..BuildOptions::default()
        };
        let files = Mutex::new(Vec::new());
        render_site(&options, &mut Clock::default(), &files).expect("renders");
        let rendered = files.into_inner().expect("files").len();
        let after = options.progress.snapshot();
        assert_eq!(after.stage, Stage::Idle, "idle once the build is over");
        assert_eq!((after.done, after.total), (rendered, rendered));
    }
}
