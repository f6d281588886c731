//! Invariants that hold for any input, checked on generated input with proptest: an article
//! file of any bytes builds or fails with errors about that file, never a panic; slugs are
//! single safe path segments; permalinks stay inside the output folder.

use crate::common;

use std::path::{Component, Path};

use common::Site;
use gazette::config::{Config, Settings};
use gazette::content::Article;
use gazette::content::article::Input;
use gazette::error::Warned;
use gazette::url::BaseUrl;
use gazette::url::{Pattern, PermalinkFields, Slug, UrlPath};
use proptest::prelude::*;
use proptest::sample::select;

const ARTICLE: &str = "content/world/2026-03-14-fuzzed.md";

/// Front matter keys an article may have besides `title`, and one unknown, so that generated
/// files reach the checks behind the YAML. `slug`, `date` and `draft` are left out: an article
/// that builds is then always at the same URL.
const KEYS: &[&str] = &[
    "tags",
    "summary",
    "author",
    "story",
    "image",
    "updated",
    "disclaimer",
    "extra",
    "sources",
    "corrections",
    "titel",
];

/// Text as it comes: a YAML value as written (any kind of scalar, flow list or map, or broken
/// syntax), or any string quoted as JSON, which is YAML.
fn yaml_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z ]{0,12}",
        "[-\\[\\]{}:,'\"#&*!|>%@` a-z0-9.]{0,16}",
        any::<String>().prop_map(|s| serde_json::to_string(&s).expect("a string")),
    ]
}

/// An article file: any bytes at all, any text, or (most often) front matter with a title and a
/// few keys followed by any body.
fn article_file() -> impl Strategy<Value = Vec<u8>> {
    let front_matter = (
        yaml_value(),
        proptest::collection::vec((select(KEYS), yaml_value()), 0..4),
        any::<String>(),
    )
        .prop_map(|(title, lines, body)| {
            let lines: String = lines.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
            format!("---\ntitle: {title}\n{lines}---\n{body}").into_bytes()
        });
    prop_oneof![
        1 => proptest::collection::vec(any::<u8>(), 0..256),
        1 => any::<String>().prop_map(|s| format!("---\n{s}").into_bytes()),
        4 => front_matter,
    ]
}

proptest! {
    // Each case is a whole build by the debug binary, so few of them.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_article_file_builds_a_page_or_fails_naming_the_file(bytes in article_file()) {
        let site = Site::new();
        site.write(ARTICLE, &bytes);
        let run = site.run(&["build"]);
        match run.code {
            0 => {
                let page = site.html("2026/03/14/fuzzed/index.html");
                prop_assert_eq!(common::texts(&page, "h1.article-title").len(), 1);
            }
            1 => {
                let errors = run.errors();
                prop_assert!(!errors.is_empty(), "failed without an error:\n{}", run.stderr);
                for error in errors {
                    let named = error.strip_prefix("error: ").is_some_and(|e| e.starts_with(ARTICLE));
                    prop_assert!(named, "an error that does not name the article: {}", error);
                }
            }
            code => prop_assert!(false, "exit status {}:\n{}", code, run.stderr),
        }
    }
}

/// Text that looks like a path at least as often as like a name.
fn path_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[./\\\\\\x00a-zA-Z0-9 ~:-]{0,12}",
        select(&[".", "..", "/", "\\", "./x", "../x", "x/..", "C:\\x", "\0"][..])
            .prop_map(String::from),
    ]
}

/// Whether `s` names exactly one ordinary entry of a folder.
fn is_safe_segment(s: &str) -> bool {
    let mut parts = Path::new(s).components();
    !s.is_empty()
        && !s.contains(['/', '\\', '\0'])
        && matches!(parts.next(), Some(Component::Normal(_)))
        && parts.next().is_none()
        && s != "."
        && s != ".."
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn slugs_are_safe_single_path_segments_or_refused(text in path_like()) {
        for slug in [Slug::from_text(&text), Slug::from_user(&text).ok()].iter().flatten() {
            prop_assert!(is_safe_segment(slug.as_str()), "{:?} from {:?}", slug, text);
        }
        if text.contains(['/', '\\', '\0']) {
            prop_assert!(Slug::from_user(&text).is_err(), "{:?} was taken as a name", text);
        }
    }
}

/// The file `path` is written to stays inside the output folder: joined to it, the result
/// is below it and has no `..`, root or drive that would lead elsewhere.
fn assert_inside_output(path: &UrlPath) -> Result<(), TestCaseError> {
    let file = path.output_file();
    let out = Path::new("/site/public");
    let normal = file.components().all(|c| matches!(c, Component::Normal(_)));
    prop_assert!(
        normal && out.join(&file).starts_with(out),
        "{}",
        file.display()
    );
    Ok(())
}

/// A date as bots write them: any text, or a date or RFC 3339 moment with any year and offset.
fn date_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        (-9999i32..=9999, 0u8..=13, 0u8..=32).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        (
            0i32..=9999,
            1u8..=12,
            1u8..=28,
            0u8..=23,
            select(&["Z", "+14:00", "-23:59", "[Pacific/Kiritimati]"][..])
        )
            .prop_map(|(y, m, d, h, z)| format!("{y:04}-{m:02}-{d:02}T{h:02}:30:00{z}")),
    ]
}

fn settings_with(permalink: &str) -> Settings {
    let config = Config {
        permalink: permalink.into(),
        ..Config::default()
    };
    Settings::check(config).expect("a valid configuration")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn permalinks_from_any_front_matter_stay_inside_the_output_folder(
        slug in path_like(),
        section in path_like(),
        date in date_text(),
        nested in any::<bool>(),
    ) {
        let settings = settings_with("/:section/:year/:month/:day/:slug/");
        let folder = if nested { format!("{section}/2026") } else { section.clone() };
        let file = format!("content/{folder}/x.md");
        let quote = |s: &str| serde_json::to_string(s).expect("a string");
        let text = format!("---\ntitle: T\nslug: {}\ndate: {}\n---\n", quote(&slug), quote(&date));
        let input = Input { file: Path::new(&file), section: &section, text: &text, settings: &settings };
        if let Ok(((article, _), _)) = Article::load(&input).map(Warned::into_parts) {
            assert_inside_output(&article.path)?;
            let url = article.path.url(&settings.base);
            prop_assert!(url.split('/').all(|s| s != ".." && s != "."), "{}", url);
        }
    }

    #[test]
    fn permalinks_from_any_pattern_stay_inside_the_output_folder(
        parts in proptest::collection::vec(
            prop_oneof![
                select(&[":year", ":month", ":day", ":slug", ":section", "..", ".", "", "~x", "a.b"][..]).prop_map(String::from),
                path_like(),
            ],
            0..6,
        ),
        base in prop_oneof![path_like().prop_map(|p| format!("https://x.org/{p}")), path_like()],
        slug in path_like(),
        year in any::<i16>(),
        month in any::<i8>(),
        day in any::<i8>(),
        page in 0usize..100_000,
    ) {
        let pattern = Pattern::parse(&parts.join("/")).unwrap_or_default();
        let base = BaseUrl::parse(&base).unwrap_or_default();
        let slug = Slug::from_text(&slug).unwrap_or_else(|| Slug::from_text("x").expect("a slug"));
        let section = Slug::from_text("world").expect("a slug");
        let path = pattern
            .expand(&PermalinkFields { year, month, day, slug: &slug, section: &section })
            .page(page);
        assert_inside_output(&path)?;
        let url = path.url(&base);
        let below = url.strip_prefix(&base.path);
        prop_assert!(below.is_some_and(|b| b.split('/').all(|s| s != ".." && s != ".")), "{}", url);
    }
}
