//! gazette: a static site generator for news sites whose articles are written by AI.
//!
//! One way through, the `pipeline`: `config` reads gazette.yaml, `content` loads every file in
//! parallel, `site` orders and indexes what was loaded, `render` turns into pages what changed,
//! `output` writes them.
//! Problems anywhere are `error::Diagnostic`s, collected and reported all at once.
//!
//! Each module uses only those below it (the `architecture` module lists the layers and its
//! test fails on a cycle): `error`; then the vocabulary `url`, `date`, `text`, `yaml`, `walk`,
//! `folders`, `clock`; then `config`, `content`, `site`, `render`, `output`, `pipeline`; then the commands
//! `check`, `serve` and `scaffold`.

mod architecture;
pub mod check;
mod clock;
pub mod config;
pub mod content;
pub mod date;
pub mod error;
pub mod folders;
pub mod i18n;
pub mod output;
mod pipeline;
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
use error::{Diagnostic, Diagnostics};
use pipeline::{Changes, Engine, Flags};
use progress::{Progress, Stage};

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
    /// Ignores the state the last build saved: reads and renders everything.
    pub full: bool,
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
    /// Content files read and parsed; the others were kept from the last build's state.
    pub parsed: usize,
    /// Files rendered; the others were kept from the last build.
    pub rendered: usize,
    pub output: PathBuf,
    pub warnings: Vec<Diagnostic>,
    /// How long each stage took, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Builds the site under `options.root`; on failure the previous output is left as it was and
/// every error and warning found is returned (`Diagnostics::sorted` puts them in the order to
/// show).
///
/// A build starts from the state the last one saved beside the output, when it is one for the
/// same program, configuration, templates and flags: then only the content files whose stamp
/// changed are read again, and only the files whose key changed are rendered.
pub fn build(options: &BuildOptions) -> error::Result<BuildReport> {
    let _running = options.progress.running();
    let root = options.root.as_path();
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| root.join(folders::OUTPUT_DIR));
    output::check_output_dir(root, &output).map_err(Diagnostics::from)?;
    let mut clock = Clock::default();
    let mut engine = Engine::new(root, options.flags());
    engine.read_settings();
    let publish_hidden = engine.settings().map_or(&[][..], |s| &s.publish_hidden);
    let statics = output::statics::find(root, options.symlinks, publish_hidden);
    let mut warnings = Diagnostics::default();
    warnings.extend(statics.skipped_warning());
    let mut writer = output::Writer::begin(root, &output, statics, options.on_wait)?;
    let state_file = writer.state_file();
    let identity = engine.identity(&output);
    // gazette.yaml and the templates are read: what is left to read is content/.
    let mut changes = Changes {
        content: vec![std::path::PathBuf::from(folders::CONTENT_DIR)],
        ..Changes::default()
    };
    // Without anything at the state's place (a first build) there is nothing to read, and no
    // stamps to compare: the load below walks content/ itself.
    let kept = std::fs::symlink_metadata(&state_file).is_ok();
    if !options.full && kept {
        // Content/ is walked and its files stamped while the state is read and decoded: at
        // 100,000 articles each takes most of a second, and neither needs the other.
        let (on_disk, (saved, ignored)) = rayon::join(
            || content::stamps(root, options.symlinks),
            || pipeline::state::read(&state_file, &identity),
        );
        warnings.extend(ignored);
        if let Some(saved) = saved {
            writer.trust(engine.restore(saved));
            changes = engine.changes_on_disk(on_disk);
        }
    }
    options.progress.enter(Stage::Parsing);
    let loaded = match engine.load(&changes, &mut clock) {
        Ok(loaded) => loaded,
        Err(errors) => return Err(writer.abandon(errors)),
    };
    // From here the staging folder changes: a state saved before no longer describes it.
    if let Err(e) = pipeline::state::remove(&state_file) {
        return Err(writer.abandon(Diagnostics::from(e)));
    }
    let rendered = engine.render(&writer, &options.progress, &mut clock, |sites, _| {
        let articles = sites.iter().map(|site| site.articles.len()).sum::<usize>();
        (
            articles,
            sites.iter().map(|site| site.pages.len()).sum::<usize>(),
        )
    });
    let ((rendered, (articles, pages)), site_warnings) = match rendered {
        Ok(rendered) => rendered.into_parts(),
        Err(errors) => return Err(writer.abandon(errors)),
    };
    let lost = writer.lost();
    if lost > 0 && !options.full {
        // Files removed from the output by hand: what the state says is there is not.
        drop(writer.abandon(Diagnostics::default()));
        return build_again(options, lost);
    }
    options.progress.enter(Stage::Finishing);
    let written = writer.finish()?;
    clock.lap("write");
    // Files are written as they are rendered: the writing threads' share of that stage is
    // the writing's.
    let writing = written.busy / rayon::current_num_threads().max(1) as u32;
    clock.shift("render", "write", writing);
    warnings.extend(engine.save(&state_file, &identity, &written.record));
    if let Err(e) = engine.clean_pictures() {
        warnings.push(Diagnostic::warning(
            folders::CACHE_DIR,
            format!("pictures no longer used could not be removed from the cache: {e}"),
            "check the folder's permissions, or delete it (gazette makes it again)",
        ));
    }
    clock.lap("save");
    warnings.extend(engine.problems().sorted());
    warnings.extend(site_warnings);
    // Freeing what the engine holds (hundreds of thousands of small allocations at 10,000
    // articles) took longer than saving it: another thread does it, and the build returns, and
    // `gazette build` exits, without waiting. Where no thread can be made, it is freed here.
    let _ = std::thread::Builder::new().spawn(move || drop(engine));

    Ok(BuildReport {
        articles,
        pages,
        files: written.files,
        changed: written.changed,
        removed: written.removed,
        parsed: loaded.parsed,
        rendered: rendered.files,
        output,
        warnings: warnings.sorted(),
        timings: clock.into_laps(),
    })
}

/// A full build, after `lost` files that the state said the output held were not there.
fn build_again(options: &BuildOptions, lost: usize) -> error::Result<BuildReport> {
    let mut report = build(&BuildOptions {
        full: true,
        ..options.clone()
    })?;
    let mut warnings = Diagnostics::from(std::mem::take(&mut report.warnings));
    warnings.push(Diagnostic::warning(
        &report.output,
        format!(
            "{lost} file{} of the last build had been removed from the output, so the build \
             rendered every file",
            if lost == 1 { "" } else { "s" }
        ),
        "nothing to do; to save the time, leave the output folder to gazette",
    ));
    report.warnings = warnings.sorted();
    Ok(report)
}

impl BuildOptions {
    /// What the pipeline is asked for.
    pub(crate) fn flags(&self) -> Flags {
        Flags {
            base_url: self.base_url.clone(),
            drafts: self.drafts,
            future: self.future,
            symlinks: self.symlinks,
        }
    }
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
        let mut engine = Engine::new(&options.root, options.flags());
        let mut clock = Clock::default();
        engine
            .load(&Changes::everything(), &mut clock)
            .expect("loads");
        let files = std::sync::Mutex::new(Vec::new());
        let rendered = engine.render(&files, &options.progress, &mut clock, |_, _| ());
        assert!(rendered.is_ok());
        let rendered = files.into_inner().expect("files").len();
        let after = options.progress.snapshot();
        assert_eq!((after.done, after.total), (rendered, rendered));
    }
}
