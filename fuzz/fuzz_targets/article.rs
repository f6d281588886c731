//! Any bytes as an article file, through the whole build but the writing: decoded, checked and
//! rendered, then indexed with a bot into a site whose every page, feed and sitemap is rendered.
//! The file either becomes a site or errors that all name it; rendering never fails.
#![no_main]

use std::path::Path;
use std::sync::{LazyLock, Mutex};

use gazette::config::{Config, Settings};
use gazette::content::article::Input;
use gazette::content::{Article, Bot, Content};
use gazette::text::decode;
use gazette::render;
use gazette::site::Site;
use gazette_fuzz::{assert_diagnostics_point_into, assert_inside_output};
use libfuzzer_sys::fuzz_target;

/// A site folder without templates of its own, so only the built-in theme loads.
const ROOT: &str = "/nonexistent-gazette-site";

static SETTINGS: LazyLock<Settings> = LazyLock::new(|| {
    let config = Config {
        default_author: Some("wirebot".into()),
        permalink: "/:section/:year/:month/:day/:slug/".into(),
        ..Config::default()
    };
    Settings::check(config).expect("the fuzz configuration is valid")
});

static TEMPLATES: LazyLock<Mutex<tera::Tera>> = LazyLock::new(|| {
    let tera = render::templates::load(Path::new(ROOT)).expect("the built-in theme loads");
    Mutex::new(tera)
});

static BOT: LazyLock<Bot> = LazyLock::new(|| {
    let text = "---\nname: WireBot\nbio: Summarises wire reports.\n---\nAbout WireBot.\n";
    Bot::load(Path::new("content/bots/wirebot.md"), text, &SETTINGS)
        .expect("the fuzz bot is valid")
        .into_parts()
        .0
});

fuzz_target!(|data: &[u8]| {
    let file = Path::new("content/world/2026-03-14-fuzzed-article.md");
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
        Ok((article, warnings)) => {
            assert_diagnostics_point_into(file, &text, &warnings);
            article
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "the article failed without an error");
            return assert_diagnostics_point_into(file, &text, &errors);
        }
    };
    assert_inside_output(&article.path);
    let content = Content {
        articles: vec![article],
        bots: vec![BOT.clone()],
        ..Content::default()
    };
    let (site, _warnings) = Site::new(SETTINGS.clone(), content);
    let mut tera = TEMPLATES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Err(errors) = render::render(&site, Path::new(ROOT), &mut tera) {
        panic!(
            "an article that loads fails to render: {:?}",
            errors.sorted()
        );
    }
});
