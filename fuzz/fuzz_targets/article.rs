//! Any bytes as an article file, through the whole build but the writing: decoded, checked and
//! rendered, then built with a bot into a site whose every page, feed and sitemap is rendered
//! (`gazette::check`, which builds in memory exactly what `build` would write).
//! The file either becomes a site or errors that all name it; rendering never fails.
#![no_main]

use std::path::{Component, Path, PathBuf};
use std::sync::LazyLock;

use gazette::config::Settings;
use gazette::content::Article;
use gazette::content::article::Input;
use gazette::error::Diagnostic;
use gazette::text::decode;
use gazette::{BuildOptions, CheckOptions};
use gazette_fuzz::{assert_diagnostics_point_into, assert_inside_output};
use libfuzzer_sys::fuzz_target;

/// The article's path in the site folder, as diagnostics name it.
const FILE: &str = "content/world/2026-03-14-fuzzed-article.md";

/// A site folder with a configuration and a bot but no templates of its own, so only the
/// built-in theme loads; each input is written over its one article. One folder per process,
/// so that parallel fuzzing jobs (`-jobs=N`) do not share it; it is left behind on exit, as
/// libFuzzer never returns.
static ROOT: LazyLock<PathBuf> = LazyLock::new(|| {
    let root = std::env::temp_dir().join(format!("gazette-fuzz-article-{}", std::process::id()));
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("a file in a folder")).expect("mkdir");
        std::fs::write(path, text).expect("the fuzz site is writable");
    };
    write(
        "gazette.yaml",
        "title: Fuzz\ndefault_author: wirebot\npermalink: \"/:section/:year/:month/:day/:slug/\"\n",
    );
    write(
        "content/bots/wirebot.md",
        "---\nname: WireBot\nbio: Summarises wire reports.\n---\nAbout WireBot.\n",
    );
    let article = root.join(FILE);
    std::fs::create_dir_all(article.parent().expect("in content/")).expect("mkdir");
    root
});

static SETTINGS: LazyLock<Settings> = LazyLock::new(|| {
    let settings = Settings::load(&ROOT, None).expect("the fuzz configuration is valid");
    settings.into_parts().0
});

/// Drafts and future articles are built too, so that every article that loads is rendered.
static CHECK: LazyLock<CheckOptions> = LazyLock::new(|| CheckOptions {
    build: BuildOptions {
        root: ROOT.clone(),
        drafts: true,
        future: true,
        ..BuildOptions::default()
    },
    strict: false,
});

fuzz_target!(|data: &[u8]| {
    let file = Path::new(FILE);
    let text = match decode(file, data) {
        Ok(text) => text,
        Err(e) => {
            let lossy = String::from_utf8_lossy(data);
            return assert_diagnostics_point_into(file, &lossy, &[e]);
        }
    };
    let input = Input {
        file,
        section: "world",
        text: &text,
        settings: &SETTINGS,
    };
    let article = match Article::load(&input) {
        Ok(loaded) => {
            let ((article, _body), warnings) = loaded.into_parts();
            assert_diagnostics_point_into(file, &text, &warnings);
            article
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "the article failed without an error");
            return assert_diagnostics_point_into(file, &text, &errors);
        }
    };
    assert_inside_output(&article.path);
    std::fs::write(ROOT.join(FILE), data).expect("the fuzz site is writable");
    match gazette::check(&CHECK) {
        Ok(report) => assert_about_the_article(&text, &report.diagnostics),
        // A site-wide error, such as a URL clash, is still about the article.
        Err(errors) => assert_about_the_article(&text, &errors.sorted()),
    }
});

/// What the site says is about the fuzzed file, the only one that changes; or, for a broken
/// link that a template wrote from it (a summary on a list page), about a page of the output,
/// which lies inside the output folder. A template error names a template, and fails this.
fn assert_about_the_article(text: &str, diagnostics: &[Diagnostic]) {
    let (built, about): (Vec<Diagnostic>, Vec<Diagnostic>) = diagnostics
        .iter()
        .cloned()
        .partition(|d| d.file.starts_with("public"));
    assert_diagnostics_point_into(Path::new(FILE), text, &about);
    for d in built {
        let page = d.file.strip_prefix("public").expect("partitioned on it");
        assert!(
            page.components().all(|c| matches!(c, Component::Normal(_))),
            "a page outside the output folder: {d}"
        );
    }
}
