//! `gazette check`: every kind of broken internal link planted in a fixture is reported where it
//! is written, working links are not, each front matter lint fires on its case and stays quiet
//! otherwise, and `--strict` turns warnings into exit 1.

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{Run, Site};

/// One `error:` or `warning:` line, taken apart.
#[derive(Debug)]
struct Diag<'r> {
    error: bool,
    location: &'r str,
    message: &'r str,
    hint: &'r str,
}

fn parse(line: &str) -> Diag<'_> {
    let (error, rest) = match line.strip_prefix("error: ") {
        Some(rest) => (true, rest),
        None => (false, line.strip_prefix("warning: ").expect("a diagnostic")),
    };
    let (location, rest) = rest.split_once(": ").expect("a location");
    let (message, hint) = rest
        .strip_suffix(')')
        .and_then(|r| r.rsplit_once(" ("))
        .unwrap_or_else(|| panic!("no hint in parentheses: {line}"));
    Diag {
        error,
        location,
        message,
        hint,
    }
}

fn diagnostics(run: &Run) -> Vec<Diag<'_>> {
    run.diagnostics().into_iter().map(parse).collect()
}

/// The diagnostic that names `href` in backquotes; there must be exactly one.
fn about<'r>(run: &'r Run, href: &str) -> Diag<'r> {
    let quoted = format!("`{href}`");
    let mut found: Vec<Diag> = diagnostics(run)
        .into_iter()
        .filter(|d| d.message.contains(&quoted))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one report of {href} expected:\n{}",
        run.stderr
    );
    found.remove(0)
}

/// `file:line:column` of the first `needle` in `text`, a file written as `Site::article` does.
fn location_in(file: &str, text: &str, needle: &str) -> String {
    let at = text.find(needle).expect("needle in text");
    let line = text[..at].matches('\n').count() + 1;
    let column = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    format!("{file}:{line}:{column}")
}

fn check(site: &Site, args: &[&str]) -> Run {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    let run = site.run(&all);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

const SOURCES: &str = "sources:\n  - { title: \"Report\", url: \"https://example.org/r\" }";

/// Front matter of a clean article dated `date`.
fn front(date: &str) -> String {
    format!("title: \"Story of {date}\"\ndate: {date}\nauthor: wirebot\ntags: [labour]\n{SOURCES}")
}

const A_FILE: &str = "content/world/a.md";

/// The body of article A: links that work, then one of each broken kind.
const A_BODY: &str = "\
Fine: [page](/2026/03/02/b/), [anchor](/2026/03/02/b/#timeline), [relative](../../02/b/),
[up](../../), ![image](/images/ok.png), [file](/files/ok.pdf), [own heading](#links),
[top](#top), [query](/2026/03/02/b/?from=a), [index](/2026/03/02/b/index.html),
[elsewhere](https://example.org/x), [mail](mailto:desk@example.org).

## Links

Missing page: [one](/2026/01/01/nope/).

Missing relative page: [two](../../02/nope/).

Missing anchor on another page: [three](/2026/03/02/b/#no-such-heading).

Missing anchor on this page: [four](#not-here).

Missing image: ![five](/images/missing.png)

Missing static asset: [six](/files/missing.pdf).

No trailing slash: [seven](/2026/03/02/b).

Trailing slash on a file: [eight](/images/ok.png/).
";

/// The broken hrefs of `A_BODY`.
const BROKEN: &[&str] = &[
    "/2026/01/01/nope/",
    "../../02/nope/",
    "/2026/03/02/b/#no-such-heading",
    "#not-here",
    "/images/missing.png",
    "/files/missing.pdf",
    "/2026/03/02/b",
    "/images/ok.png/",
];

/// Article A (`/2026/03/01/a/`) with every kind of broken link, article B
/// (`/2026/03/02/b/`) with a `#timeline` heading, and two static files.
fn planted() -> Site {
    let site = Site::new();
    site.article("world", "a", &front("2026-03-01"), A_BODY);
    site.article(
        "world",
        "b",
        &front("2026-03-02"),
        "Intro.\n\n## Timeline\n\nDays.",
    );
    // A real PNG: the build makes pictures of the images a body shows.
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbImage::new(2, 2)
        .write_to(&mut png, image::ImageFormat::Png)
        .unwrap();
    site.write("static/images/ok.png", png.into_inner());
    site.write("static/files/ok.pdf", "pdf");
    site
}

/// The whole text of article A's file, as `Site::article` writes it.
fn a_text() -> String {
    format!("---\n{}\n---\n{A_BODY}\n", front("2026-03-01"))
}

/// Asserts that `href` is reported as an error at its place in article A, saying `words`.
fn reported_in_a(run: &Run, href: &str, words: &[&str]) {
    let d = about(run, href);
    assert!(d.error, "{d:?}");
    let written = format!("({href})");
    let expected = location_in(A_FILE, &a_text(), &written);
    // The location is the href's, one past the opening parenthesis.
    let (file_line, column) = expected.rsplit_once(':').unwrap();
    let column: usize = column.parse().unwrap();
    assert_eq!(d.location, format!("{file_line}:{}", column + 1));
    for word in words {
        assert!(d.message.contains(word), "`{word}` not in {d:?}");
    }
    assert!(d.hint.len() > 5, "{d:?}");
}

#[test]
fn check_reports_exactly_the_broken_links_and_exits_1() {
    let site = planted();
    let run = check(&site, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let reported: BTreeSet<&str> = diagnostics(&run)
        .iter()
        .filter(|d| d.error)
        .map(|d| d.message.split('`').nth(1).expect("a quoted href"))
        .collect();
    let expected: BTreeSet<&str> = BROKEN.iter().copied().collect();
    assert_eq!(reported, expected, "{}", run.stderr);
    assert!(run.warnings().is_empty(), "{}", run.stderr);
    let summary = run.stdout.trim();
    assert!(summary.starts_with("checked "), "{summary}");
    assert!(summary.contains(": 8 broken"), "{summary}");
}

#[test]
fn check_reports_a_missing_page() {
    let run = check(&planted(), &[]);
    reported_in_a(
        &run,
        "/2026/01/01/nope/",
        &["nothing is built at /2026/01/01/nope/"],
    );
    reported_in_a(
        &run,
        "../../02/nope/",
        &["nothing is built at /2026/03/02/nope/"],
    );
}

#[test]
fn check_reports_a_missing_anchor_on_another_page() {
    let run = check(&planted(), &[]);
    reported_in_a(
        &run,
        "/2026/03/02/b/#no-such-heading",
        &["/2026/03/02/b/ has no element with the id `no-such-heading`"],
    );
}

#[test]
fn check_reports_a_missing_anchor_on_the_same_page() {
    let run = check(&planted(), &[]);
    reported_in_a(
        &run,
        "#not-here",
        &["/2026/03/01/a/ has no element with the id `not-here`"],
    );
}

#[test]
fn a_missing_anchor_s_hint_names_the_nearest_id_of_its_page() {
    let site = Site::new();
    site.article(
        "world",
        "a",
        &front("2026-03-01"),
        "See [next](#what-is-next) and [b](/2026/03/02/b/#timelin).\n\n## What is next?\n",
    );
    site.article(
        "world",
        "b",
        &front("2026-03-02"),
        "## Timeline\n\n## Background\n",
    );
    site.article(
        "world",
        "c",
        &front("2026-03-03"),
        "[a](/2026/03/01/a/#what-s-nxt)",
    );
    let run = check(&site, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        !run.stderr.contains("link `#what-is-next`"),
        "{}",
        run.stderr
    );
    assert_eq!(
        about(&run, "/2026/03/02/b/#timelin").hint,
        "the nearest id on that page is `#timeline`"
    );
    assert_eq!(
        about(&run, "/2026/03/01/a/#what-s-nxt").hint,
        "the nearest id on that page is `#what-is-next`"
    );
}

#[test]
fn check_reports_a_missing_image_and_static_asset() {
    let run = check(&planted(), &[]);
    reported_in_a(&run, "/images/missing.png", &["nothing is built"]);
    reported_in_a(&run, "/files/missing.pdf", &["nothing is built"]);
}

#[test]
fn check_reports_a_page_link_without_its_trailing_slash() {
    let run = check(&planted(), &[]);
    reported_in_a(&run, "/2026/03/02/b", &["lacks the trailing slash"]);
}

#[test]
fn check_reports_a_file_link_with_a_trailing_slash() {
    let run = check(&planted(), &[]);
    reported_in_a(&run, "/images/ok.png/", &["is a file"]);
}

#[test]
fn check_passes_a_site_whose_links_all_resolve() {
    let site = Site::new();
    site.article(
        "world",
        "b",
        &front("2026-03-02"),
        "Intro.\n\n## Timeline\n\nDays.",
    );
    site.article(
        "world",
        "c",
        &front("2026-03-03"),
        "See [b](/2026/03/02/b/#timeline) and [tags](/tags/labour/).",
    );
    let run = check(&site, &["--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    assert!(
        run.stdout.contains(": 0 broken, 0 warnings"),
        "{}",
        run.stdout
    );
}

#[test]
fn check_passes_the_example_site_and_writes_nothing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let before = common::tree(&root.join("public"));
    let out = common::gazette()
        .args(["check", "--strict", "--root"])
        .arg(root)
        .output()
        .expect("run gazette");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.trim().is_empty(), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(": 0 broken, 0 warnings"), "{stdout}");
    assert!(
        common::tree(&root.join("public")) == before,
        "check changed public/"
    );
}

#[test]
fn a_broken_link_in_a_template_is_reported_once_with_its_page_count() {
    let site = planted();
    let theme = include_str!("../../templates/base.html");
    let with_link = theme.replace("</footer>", "<a href=\"/nowhere/\">x</a></footer>");
    assert_ne!(theme, with_link, "the theme has no footer to change");
    site.write("templates/base.html", with_link);
    let run = check(&site, &[]);
    let d = about(&run, "/nowhere/");
    assert!(d.error, "{d:?}");
    assert!(d.location.starts_with("public/"), "{d:?}");
    assert!(d.location.ends_with(".html"), "{d:?}");
    assert!(d.message.contains("more pages)"), "{d:?}");
}

#[test]
fn a_bot_link_is_reported_in_the_bot_profile() {
    let site = Site::new();
    site.write(
        "content/bots/deskbot.md",
        "---\nname: DeskBot\nurl: /bots/deskbot\n---\nAbout.\n",
    );
    site.article(
        "world",
        "b",
        &front("2026-03-02").replace("wirebot", "deskbot"),
        "B.",
    );
    let run = check(&site, &[]);
    let d = about(&run, "/bots/deskbot");
    assert_eq!(d.location, "content/bots/deskbot.md:3:6", "{d:?}");
}

#[test]
fn links_of_a_static_html_page_are_checked_there() {
    let site = planted();
    site.write(
        "static/legacy.html",
        "<!DOCTYPE html>\n<p><a href=\"/2026/03/02/b/\">fine</a>\n<a href=\"/gone/\">gone</a>\n",
    );
    let run = check(&site, &[]);
    assert_eq!(about(&run, "/gone/").location, "static/legacy.html:3:10");
}

#[test]
fn under_a_sub_path_links_must_stay_below_it() {
    let site = Site::new();
    site.write("gazette.yaml", "base_url: https://example.org/news/\n");
    site.article("world", "b", &front("2026-03-02"), "B.");
    site.article(
        "world",
        "c",
        &front("2026-03-03"),
        // Markdown links from `/` go below the base path; raw HTML is taken as written.
        "[in](/2026/03/02/b/) [absolute](https://example.org/news/2026/03/02/b/) \
         <a href=\"/2026/03/02/b/\">out</a> [gone](https://example.org/news/gone/) \
         <a href=\"/news\">home</a> [home page](/) \
         [elsewhere on the host](https://example.org/other/)",
    );
    let run = check(&site, &[]);
    assert_eq!(run.errors().len(), 3, "{}", run.stderr);
    assert!(
        about(&run, "/news")
            .message
            .contains("lacks the trailing slash of the page /news/")
    );
    assert!(
        about(&run, "/2026/03/02/b/")
            .message
            .contains("leaves the site")
    );
    assert!(
        about(&run, "https://example.org/news/gone/")
            .message
            .contains("nothing is built at /news/gone/")
    );
}

#[test]
fn a_site_that_does_not_build_fails_the_check_with_the_build_errors() {
    let site = Site::new();
    site.article("world", "bad", "date: 2026-03-02", "No title.");
    let run = check(&site, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let d = parse(run.errors()[0]);
    assert!(d.location.starts_with("content/world/bad.md"), "{d:?}");
    assert!(d.message.contains("missing title"), "{d:?}");
    assert!(run.stderr.contains("does not build"), "{}", run.stderr);
}

// Front matter lints

/// The warnings of `check` on `site`, which must exit 0 without --strict and 1 with it.
fn warnings_of(site: &Site, args: &[&str]) -> Run {
    let run = check(site, args);
    assert_eq!(run.code, 0, "warnings alone must not fail:\n{}", run.stderr);
    assert!(run.errors().is_empty(), "{}", run.stderr);
    run
}

#[test]
fn strict_turns_warnings_into_exit_1() {
    let site = Site::new();
    site.article(
        "world",
        "bare",
        "title: Bare\ndate: 2026-03-02",
        "No sources.",
    );
    assert_eq!(warnings_of(&site, &[]).warnings().len(), 1);
    let strict = check(&site, &["--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert_eq!(strict.warnings().len(), 1, "{}", strict.stderr);
}

#[test]
fn article_without_sources_warns() {
    let site = Site::new();
    site.article("world", "sourced", &front("2026-03-01"), "Fine.");
    site.article(
        "world",
        "bare",
        "title: Bare\ndate: 2026-03-02\nsources: []",
        "None.",
    );
    let run = warnings_of(&site, &[]);
    let warnings: Vec<Diag> = diagnostics(&run);
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert_eq!(warnings[0].location, "content/world/bare.md:4:1");
    assert!(warnings[0].message.contains("no sources"), "{warnings:?}");
}

#[test]
fn a_picture_without_alt_text_warns_at_its_line() {
    let site = Site::new();
    for (name, day, image) in [
        (
            "described",
            "01",
            "{ src: \"https://cdn.example/a.jpg\", alt: Cranes }",
        ),
        ("bare", "02", "\"https://cdn.example/b.jpg\""),
    ] {
        let front_matter = format!("{}\nimage: {image}", front(&format!("2026-03-{day}")));
        site.article("world", name, &front_matter, "Body.");
    }
    let run = warnings_of(&site, &[]);
    let warnings: Vec<Diag> = diagnostics(&run);
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].location.starts_with("content/world/bare.md:"),
        "{warnings:?}"
    );
    assert!(warnings[0].message.contains("no alt text"), "{warnings:?}");
}

#[test]
fn written_summary_over_300_characters_warns_at_its_line() {
    let site = Site::new();
    let long = "word ".repeat(61); // 305 characters
    let fits = "x".repeat(300);
    site.article(
        "world",
        "long",
        &format!("{}\nsummary: \"{long}\"", front("2026-03-01")),
        "Body.",
    );
    site.article(
        "world",
        "fits",
        &format!("{}\nsummary: {fits}", front("2026-03-02")),
        "B.",
    );
    // A long first paragraph is the body's business, not a front matter slip.
    site.article(
        "world",
        "derived",
        &front("2026-03-03"),
        &"word ".repeat(100),
    );
    let run = warnings_of(&site, &[]);
    let warnings = diagnostics(&run);
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert_eq!(warnings[0].location, "content/world/long.md:8:1");
    assert!(
        warnings[0].message.contains("305 characters"),
        "{warnings:?}"
    );
}

#[test]
fn future_date_warns_that_the_article_is_left_out() {
    let site = Site::new();
    site.article("world", "now", &front("2026-03-01"), "Now.");
    site.article("world", "later", &front("2999-01-01"), "Later.");
    let run = warnings_of(&site, &[]);
    let warnings = diagnostics(&run);
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert_eq!(warnings[0].location, "content/world/later.md:3:1");
    assert!(
        warnings[0].message.contains("in the future"),
        "{warnings:?}"
    );
    assert!(warnings[0].message.contains("left out"), "{warnings:?}");
    // With --future the article is built, as asked, and checked like any other.
    assert!(warnings_of(&site, &["--future"]).warnings().is_empty());
}

/// A clean article with `tags`.
fn tagged(site: &Site, name: &str, date: &str, tags: &str) {
    let fm = front(date).replace("tags: [labour]", &format!("tags: [{tags}]"));
    site.article("world", name, &fm, "Body.");
}

#[test]
fn tag_written_in_another_case_warns_on_the_rarer_spelling() {
    let site = Site::new();
    tagged(&site, "one", "2026-03-01", "AI");
    tagged(&site, "two", "2026-03-02", "AI");
    tagged(&site, "three", "2026-03-03", "ai");
    tagged(&site, "four", "2026-03-04", "AI");
    let run = warnings_of(&site, &[]);
    let warnings = diagnostics(&run);
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert_eq!(warnings[0].location, "content/world/three.md:5:1");
    // The build's warning, shown once by check too.
    assert_eq!(
        warnings[0].message, "tags written differently share one URL",
        "{warnings:?}"
    );
    assert!(
        warnings[0].hint.contains("`ai` in content/world/three.md"),
        "{warnings:?}"
    );
}

#[test]
fn tags_one_letter_apart_warn_unless_short() {
    let site = Site::new();
    tagged(&site, "one", "2026-03-01", "labour, rail");
    tagged(&site, "two", "2026-03-02", "labour, mail");
    tagged(&site, "three", "2026-03-03", "labor");
    let run = warnings_of(&site, &[]);
    let warnings = diagnostics(&run);
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert_eq!(warnings[0].location, "content/world/three.md:5:1");
    assert_eq!(
        warnings[0].message, "a tag looks like a misspelling of another",
        "{warnings:?}"
    );
    assert!(
        (warnings[0].hint).contains("`labor`, on 1 article, and `labour`, on 2 articles"),
        "{warnings:?}"
    );
}

#[test]
fn many_look_alike_tags_are_one_line() {
    let site = Site::new();
    for n in 0..5 {
        tagged(
            &site,
            &format!("t{n}"),
            &format!("2026-03-0{}", n + 1),
            &format!("topic-{n}"),
        );
    }
    let run = warnings_of(&site, &[]);
    assert_eq!(
        run.warnings(),
        [
            "warning: tags that look like misspellings of others (10): `topic-1` (like `topic-0`), \
          `topic-2` (like `topic-0`), `topic-2` (like `topic-1`) and 7 more (write the tag one way)"
        ],
        "{}",
        run.stderr
    );
    assert_eq!(warnings_of(&site, &["--verbose"]).warnings().len(), 10);
}

#[test]
fn unknown_author_is_warned_about_once() {
    let site = Site::new();
    let fm = front("2026-03-01").replace("wirebot", "ghostbot");
    site.article("world", "ghost", &fm, "Boo.");
    let run = warnings_of(&site, &[]);
    assert_eq!(run.warnings().len(), 1, "{}", run.stderr);
    assert!(run.warnings()[0].contains("`ghostbot`"), "{}", run.stderr);
}

// Transparency lints

#[test]
fn many_ai_articles_without_sources_are_one_line() {
    let site = Site::new();
    for n in 1..=5 {
        site.article(
            "world",
            &format!("bare-{n}"),
            &format!("title: Bare {n}\ndate: 2026-03-0{n}"),
            "None.",
        );
    }
    let run = warnings_of(&site, &[]);
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].starts_with("warning: the AI-written article lists no sources in 5 files: "),
        "{}",
        warnings[0]
    );
    assert_eq!(warnings_of(&site, &["--verbose"]).warnings().len(), 5);
}

#[test]
fn a_bot_with_no_model_warns_in_its_profile() {
    let site = Site::new();
    site.write("content/bots/wirebot.md", "---\nname: WireBot\n---\n");
    site.write(
        "content/bots/modelbot.md",
        "---\nname: ModelBot\nmodel: example-model-2\n---\n",
    );
    site.article("world", "a", &front("2026-03-01"), "Fine.");
    let run = warnings_of(&site, &[]);
    let warnings: Vec<Diag> = diagnostics(&run);
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert_eq!(warnings[0].location, "content/bots/wirebot.md");
    assert!(
        warnings[0].message.contains("names no model"),
        "{warnings:?}"
    );
    // A site written by people has no AI label for a model to go in.
    site.write("gazette.yaml", "ai_disclosure: false\n");
    site.write(
        "content/bots/wirebot.md",
        "---\nname: WireBot\nmodel: m\n---\n",
    );
    let run = warnings_of(&site, &[]);
    assert!(!run.stderr.contains("names no model"), "{}", run.stderr);
}

#[test]
fn ai_disclosure_false_on_a_site_of_bots_warns_at_the_key() {
    let site = Site::new();
    site.write(
        "content/bots/wirebot.md",
        "---\nname: WireBot\nmodel: example-model-2\n---\n",
    );
    site.write("gazette.yaml", "title: T\nai_disclosure: false\n");
    site.article("world", "a", &front("2026-03-01"), "Fine.");
    site.article("world", "b", &front("2026-03-02"), "Fine.");
    let run = warnings_of(&site, &[]);
    let warnings: Vec<Diag> = diagnostics(&run);
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert_eq!(warnings[0].location, "gazette.yaml:2:16");
    assert!(
        warnings[0]
            .message
            .contains("`ai_disclosure: false`, but 2 articles are by bots"),
        "{warnings:?}"
    );
    // Articles by people (no bot profile behind their author) are what `false` is for.
    site.write("gazette.yaml", "title: T\nai_disclosure: false\n");
    std::fs::remove_file(site.path("content/bots/wirebot.md")).unwrap();
    let run = check(&site, &[]);
    assert!(!run.stderr.contains("ai_disclosure"), "{}", run.stderr);
}
