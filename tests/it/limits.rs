//! Resource limits: hostile or runaway input (alias bombs, deep nesting, huge files and lines,
//! thousands of tags or files) either fails with an error naming the file, the place and what to
//! do, leaving the previous output as it was, or builds, and either way in bounded time.
//! Inputs are generated here, never committed.

use crate::common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{Site, texts};

/// Everything below `public/`, file by file.
type Snapshot = BTreeMap<PathBuf, Vec<u8>>;

/// Kept in step with `content::MAX_FILE_BYTES`, `article::MAX_TAGS`,
/// `markdown::MAX_NESTING`, `yaml::limits::MAX_FLOW_COLLECTIONS`.
const MAX_FILE_BYTES: usize = 1 << 20;
const MAX_TAGS: usize = 100;
const MAX_NESTING: usize = 100;
const MAX_FLOW_COLLECTIONS: usize = 1_000;

/// What a case may take, in a debug build on a busy machine; what these limits prevent takes
/// minutes or never ends.
const BOUND: Duration = Duration::from_secs(60);

/// A site with one good article, built once, and what that build wrote.
fn built() -> (Site, Snapshot) {
    let site = Site::new();
    site.article(
        "world",
        "port-strike",
        "title: Port strike ends\ndate: 2026-03-14\nauthor: wirebot\ntags: [labour]",
        "Dockworkers return.",
    );
    site.build_ok(&[]);
    let before = site.snapshot();
    assert!(!before.is_empty());
    (site, before)
}

/// Builds `site` expecting exit 1, in bounded time, with one error at `location` (a file, perhaps
/// with a line and column) that says each of `words` and ends with a hint; `public/` must still
/// be `before`.
fn refused(site: &Site, before: &Snapshot, location: &str, words: &[&str]) {
    let run = within(BOUND, || site.build_fails());
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "expected one error:\n{}", run.stderr);
    let error = errors[0];
    let prefix = format!("error: {location}:");
    assert!(error.starts_with(&prefix), "expected `{prefix}`:\n{error}");
    for word in words {
        assert!(error.contains(word), "expected `{word}` in:\n{error}");
    }
    assert!(
        error.ends_with(')') && error.contains(" ("),
        "no hint:\n{error}"
    );
    assert!(site.snapshot() == *before, "a failed build changed public/");
}

/// Runs `work`, asserting it finished within `bound`.
fn within<T>(bound: Duration, work: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let done = work();
    let took = start.elapsed();
    assert!(took < bound, "took {took:?}, more than {bound:?}");
    done
}

/// An article file with `front_matter` lines after the usual title, date and author.
fn article(front_matter: &str, body: &str) -> String {
    format!("---\ntitle: T\ndate: 2026-03-01\nauthor: wirebot\n{front_matter}\n---\n{body}\n")
}

// YAML alias bombs

#[test]
fn billion_laughs_in_front_matter_is_an_error() {
    let (site, before) = built();
    let mut yaml =
        String::from("extra:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let aliases = vec![format!("*a{}", level - 1); 9].join(", ");
        writeln!(yaml, "  a{level}: &a{level} [{aliases}]").unwrap();
    }
    site.write("content/world/bomb.md", article(&yaml, "Body."));
    refused(
        &site,
        &before,
        // The first alias, in `a1` on line 7, after `  a1: &a1 [`.
        "content/world/bomb.md:7:12",
        &["aliases (`*name`) repeat values too many times", "`&name`"],
    );
}

#[test]
fn one_anchor_aliased_thousands_of_times_is_an_error_at_the_alias() {
    let (site, before) = built();
    // 3,000 values, each aliased 3,000 times: 9 million values from 15 KB of YAML, which
    // serde_yaml's own repetition limit lets through.
    let values = vec!["x"; 3_000].join(",");
    let aliases = vec!["*big"; 3_000].join(",");
    let yaml = format!("extra:\n  big: &big [{values}]\n  many: [{aliases}]");
    site.write("content/world/bomb.md", article(&yaml, "Body."));
    refused(
        &site,
        &before,
        "content/world/bomb.md:7:10",
        &["aliases (`*name`) expand it past 1.0 MiB"],
    );
}

#[test]
fn alias_bomb_in_gazette_yaml_is_an_error() {
    let (site, before) = built();
    let values = vec!["x"; 3_000].join(",");
    let aliases = vec!["*big"; 3_000].join(",");
    site.write(
        "gazette.yaml",
        format!("title: News\nextra:\n  big: &big [{values}]\n  many: [{aliases}]\n"),
    );
    refused(&site, &before, "gazette.yaml:4:10", &["aliases (`*name`)"]);
}

// Deep nesting

#[test]
fn yaml_nested_a_hundred_thousand_brackets_deep_is_an_error_at_the_bracket() {
    let (site, before) = built();
    let depth = 100_000;
    let yaml = format!("extra: {}{}", "[".repeat(depth), "]".repeat(depth));
    site.write("content/world/deep.md", article(&yaml, "Body."));
    // `extra:` is on line 5; the bracket one past the limit is the one that fails.
    let column = "extra: ".len() + MAX_FLOW_COLLECTIONS + 1;
    refused(
        &site,
        &before,
        &format!("content/world/deep.md:5:{column}"),
        &[
            "more than 1000 lists or maps",
            "100000 in all",
            "block style",
        ],
    );
}

#[test]
fn yaml_nested_deeper_than_serde_yaml_reads_is_an_error_naming_the_limit() {
    let (site, before) = built();
    let yaml: String = (0..200)
        .map(|level| format!("{}k{level}:\n", " ".repeat(level + 1)))
        .collect();
    site.write(
        "content/world/deep.md",
        article(&format!("extra:\n{yaml}"), "B."),
    );
    refused(
        &site,
        &before,
        "content/world/deep.md",
        &["nests deeper than 128 levels", "flatten"],
    );
}

#[test]
fn markdown_nested_a_hundred_thousand_quotes_deep_is_an_error_at_its_line() {
    let (site, before) = built();
    let body = format!("First paragraph.\n\n{} deep\n", ">".repeat(100_000));
    site.write("content/world/deep.md", article("", &body));
    // The body starts on line 7; the quote one level past the limit opens at column 101.
    let column = MAX_NESTING + 1;
    refused(
        &site,
        &before,
        &format!("content/world/deep.md:9:{column}"),
        &["nests more than 100 levels deep", "flatten"],
    );
}

#[test]
fn markdown_nested_to_the_limit_builds() {
    let site = Site::new();
    // Each list level is a list and an item: the limit allows half as many lists.
    let body: String = (0..MAX_NESTING / 2 - 1)
        .map(|level| format!("{}- level {level}\n", "  ".repeat(level)))
        .collect();
    site.write("content/world/lists.md", article("", &body));
    site.build_ok(&[]);
    let page = site.html("2026/03/01/lists/index.html");
    assert_eq!(
        texts(&page, "article .content li").len(),
        MAX_NESTING / 2 - 1
    );
}

// Huge files and lines

#[test]
fn a_50_mb_article_is_an_error_without_being_read() {
    let (site, before) = built();
    let paragraph = "The port strike ended after nine days when dockworkers accepted a raise.\n\n";
    let text = article("", &paragraph.repeat(50_000_000 / paragraph.len()));
    site.write("content/world/huge.md", &text);
    refused(
        &site,
        &before,
        "content/world/huge.md",
        &[&size(&text), "up to 1.0 MiB", "cut it down"],
    );
}

#[test]
fn a_line_of_ten_million_characters_is_an_error() {
    let (site, before) = built();
    let text = article("", &"x".repeat(10_000_000));
    site.write("content/world/line.md", &text);
    refused(&site, &before, "content/world/line.md", &[&size(&text)]);
}

/// `the file is 9.5 MiB`, as the error says it of `text`.
fn size(text: &str) -> String {
    format!("the file is {:.1} MiB", text.len() as f64 / 1_048_576.0)
}

#[test]
fn a_line_of_ten_million_characters_in_gazette_yaml_is_an_error_at_its_start() {
    let (site, before) = built();
    site.write(
        "gazette.yaml",
        format!("title: {}\n", "x".repeat(10_000_000)),
    );
    refused(
        &site,
        &before,
        "gazette.yaml:1:1",
        &["the YAML is 9.5 MiB long", "at most 1.0 MiB"],
    );
}

#[test]
fn a_line_of_a_million_characters_builds() {
    let site = Site::new();
    let words = "word ".repeat(200_000);
    let text = article("", &words);
    assert!(text.len() <= MAX_FILE_BYTES);
    site.write("content/world/line.md", text);
    within(BOUND, || site.build_ok(&[]));
    let page = site.html("2026/03/01/line/index.html");
    let body = texts(&page, "article .content p");
    assert!(
        body.iter().any(|p| p.len() == words.trim_end().len()),
        "the long paragraph is not on the page"
    );
}

// Many tags, many entries, many keys

#[test]
fn a_hundred_thousand_tags_on_one_article_is_an_error_at_the_tags() {
    let (site, before) = built();
    let tags: Vec<String> = (0..100_000).map(|i| format!("t{i}")).collect();
    let text = article(&format!("tags: [{}]", tags.join(",")), "Body.");
    assert!(text.len() <= MAX_FILE_BYTES, "{} bytes", text.len());
    site.write("content/world/tags.md", text);
    refused(
        &site,
        &before,
        "content/world/tags.md:5:1",
        &["100000 tags", "at most 100"],
    );
}

#[test]
fn an_article_with_the_most_tags_allowed_builds() {
    let site = Site::new();
    let tags: Vec<String> = (0..MAX_TAGS).map(|i| format!("tag {i}")).collect();
    site.write(
        "content/world/tags.md",
        article(&format!("tags: [{}]", tags.join(", ")), "Body."),
    );
    site.build_ok(&[]);
    let index = site.html("tags/index.html");
    assert_eq!(texts(&index, ".tag-cloud li").len(), MAX_TAGS);
    assert!(site.exists(&format!("tags/tag-{}/atom.xml", MAX_TAGS - 1)));
}

#[test]
fn thousands_of_bad_sources_are_each_reported_at_their_line() {
    let site = Site::new();
    let count = 15_000;
    let sources: String = (0..count)
        .map(|i| format!("  - title: s{i}\n    url: ftp://x.org/{i}\n"))
        .collect();
    site.write(
        "content/world/sources.md",
        article(&format!("sources:\n{sources}"), "Body."),
    );
    // Finding each source's line once per source read the YAML again each time: quadratic.
    let run = within(BOUND, || site.build_fails());
    let errors = run.errors();
    assert_eq!(errors.len(), count);
    // Source i names its url on line 7 + 2i, column 5.
    let last = format!("error: content/world/sources.md:{}:5: ", 5 + 2 * count);
    assert!(
        errors.iter().any(|e| e.starts_with(&last)),
        "no error at the last source:\n{}",
        errors[errors.len() - 1]
    );
}

#[test]
fn thousands_of_unknown_keys_give_twenty_warnings_and_a_count() {
    let site = Site::new();
    let keys: String = (0..5_000).map(|i| format!("stray{i}: 1\n")).collect();
    site.write("content/world/keys.md", article(keys.trim_end(), "Body."));
    let run = within(BOUND, || site.build_ok(&[]));
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 21, "{}", run.stderr);
    let at = |line: usize| format!("warning: content/world/keys.md:{line}:1: ");
    assert!(warnings[0].starts_with(&format!("{}unknown key `stray0`", at(5))));
    assert!(warnings[19].starts_with(&format!("{}unknown key `stray19`", at(24))));
    let rest = format!("{}4980 more unknown keys, from `stray20` on", at(25));
    assert!(warnings[20].starts_with(&rest), "{}", warnings[20]);
}

// Many files in one folder

/// Writes `count` tiny articles into `content/world/`, builds, and checks every one is there.
fn many_files_build(count: usize, bound: Duration) {
    let site = Site::new();
    for i in 0..count {
        site.write(
            &format!("content/world/a{i:06}.md"),
            format!(
                "---\ntitle: A{i}\ndate: 2026-03-01T00:00:{:02}Z\n---\nB{i}.\n",
                i % 60
            ),
        );
    }
    within(bound, || site.build_ok(&[]));
    let days = site.path("public/2026/03/01");
    let pages = std::fs::read_dir(days).expect("day folder").count();
    assert_eq!(pages, count);
    // Ten articles a page, numbered from the oldest: the last page holds the newest.
    let last = count.div_ceil(10);
    assert!(site.exists(&format!("world/page/{last}/index.html")));
    assert!(!site.exists(&format!("world/page/{}/index.html", last + 1)));
}

/// The mechanism at a size a debug build runs in seconds: one folder, listed once, read in
/// parallel; the time of a build grows in step with its files (docs/src/limits-and-security.md, "Limits").
#[test]
fn hundreds_of_files_in_one_folder_build() {
    many_files_build(500, BOUND);
}

/// The full size: `cargo test --release --test it -- --ignored limits::`.
#[test]
#[ignore = "builds 100,000 files; run with --release --ignored"]
fn a_hundred_thousand_files_in_one_folder_build() {
    many_files_build(100_000, Duration::from_secs(600));
}
