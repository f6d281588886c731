//! Bad input: every case must fail (or warn) with `error: <file>:<line>:<column>: <what> (<hint>)`,
//! never panic, report every error of the run, exit 1 and leave the previous `public/` as it was.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{Run, Site, tree};

/// The front matter of an article that builds.
const GOOD: &str = "title: \"Port strike ends\"\ndate: 2026-03-14\nauthor: wirebot\ntags: [labour]";

/// A site with one good article, built once; and what that build wrote.
fn built() -> (Site, BTreeMap<PathBuf, Vec<u8>>) {
    let site = Site::new();
    site.article("world", "port-strike", GOOD, "Dockworkers return.");
    site.build_ok(&[]);
    let before = site.snapshot();
    assert!(!before.is_empty(), "the good build wrote nothing");
    (site, before)
}

/// Builds, expecting failure without a panic, with `public/` untouched and nothing of the
/// build left beside it but the staging folder and the lock, which are kept by design.
fn fails(site: &Site, before: &BTreeMap<PathBuf, Vec<u8>>) -> Run {
    let run = site.build_fails();
    assert_untouched(site, before, &run);
    run
}

fn assert_untouched(site: &Site, before: &BTreeMap<PathBuf, Vec<u8>>, run: &Run) {
    assert!(!run.stderr.contains("panicked"), "panic:\n{}", run.stderr);
    assert!(
        run.stderr
            .contains("the previous output was left as it was"),
        "{}",
        run.stderr
    );
    assert!(
        site.snapshot() == *before,
        "a failed build changed public/:\n{}",
        run.stderr
    );
    let leftovers: Vec<_> = fs::read_dir(site.root())
        .expect("read root")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("gazette-"))
        .filter(|name| ![".public.gazette-staging", ".public.gazette-lock"].contains(&&name[..]))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}

/// The one error line of `run`, checked to be `error: <location>: <words...> (<hint>)`.
fn only_error<'r>(run: &'r Run, location: &str, words: &[&str]) -> &'r str {
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "expected one error:\n{}", run.stderr);
    assert_error(errors[0], location, words);
    errors[0]
}

/// Checks one diagnostic line: its file and position, that it says `words`, and that it ends
/// with a hint in parentheses.
fn assert_error(line: &str, location: &str, words: &[&str]) {
    let prefix = format!("error: {location}: ");
    assert!(
        line.starts_with(&prefix),
        "expected `{prefix}...`, got:\n{line}"
    );
    for word in words {
        assert!(line.contains(word), "expected `{word}` in:\n{line}");
    }
    assert_has_hint(line);
}

fn assert_has_hint(line: &str) {
    let hint = line
        .strip_suffix(')')
        .and_then(|l| l.rfind(" (").map(|i| &l[i + 2..]));
    assert!(
        hint.is_some_and(|h| h.len() > 5),
        "no hint in parentheses:\n{line}"
    );
}

/// Writes `content/world/bad.md` as given, bytes and all.
fn bad(site: &Site, text: impl AsRef<[u8]>) {
    site.write("content/world/bad.md", text);
}

// 1. Malformed YAML

#[test]
fn malformed_yaml_names_file_line_and_column() {
    let (site, before) = built();
    bad(
        &site,
        "---\ndate: 2026-03-14\ntitle: \"unclosed\nauthor: wirebot\n---\nBody\n",
    );
    let run = fails(&site, &before);
    // The quote opens on line 3, column 8 of the file; libyaml only notices at the end.
    only_error(
        &run,
        "content/world/bad.md:3:8",
        &["invalid YAML", "quoted scalar"],
    );
    assert!(!run.stderr.contains(" at line "), "{}", run.stderr);
}

#[test]
fn bad_indentation_points_at_the_indented_line() {
    let (site, before) = built();
    bad(
        &site,
        "---\ntitle: x\ndate: 2026-03-14\n  tags: [a]\n---\nBody\n",
    );
    let run = fails(&site, &before);
    only_error(
        &run,
        "content/world/bad.md:4:7",
        &["invalid YAML", "mapping values are not allowed"],
    );
}

#[test]
fn unclosed_bracket_points_where_it_opens() {
    let (site, before) = built();
    bad(
        &site,
        "---\ntitle: x\ndate: 2026-03-14\ntags: [a, b\n---\nBody\n",
    );
    let run = fails(&site, &before);
    only_error(
        &run,
        "content/world/bad.md:4:7",
        &["invalid YAML", "flow sequence"],
    );
}

#[test]
fn duplicate_key_points_at_the_second_one() {
    let (site, before) = built();
    bad(
        &site,
        "---\ntitle: x\ndate: 2026-03-14\ntitle: y\n---\nBody\n",
    );
    let run = fails(&site, &before);
    assert_eq!(
        only_error(&run, "content/world/bad.md:4:1", &[]),
        "error: content/world/bad.md:4:1: invalid YAML: duplicate field `title` (keep only one of the two)"
    );
}

// 2. Front matter not closed, or not there

#[test]
fn unclosed_front_matter_is_an_error() {
    let (site, before) = built();
    bad(&site, "---\ntitle: x\ndate: 2026-03-14\nBody\n");
    let run = fails(&site, &before);
    assert_eq!(
        only_error(&run, "content/world/bad.md:1:1", &[]),
        "error: content/world/bad.md:1:1: the front matter is not closed (add a `---` line after the last front matter key)"
    );
}

#[test]
fn file_without_front_matter_is_an_error() {
    let (site, before) = built();
    bad(&site, "# Just a heading\n\nSome text.\n");
    let run = fails(&site, &before);
    only_error(
        &run,
        "content/world/bad.md:1:1",
        &["does not start with front matter"],
    );
}

// 3. Missing title

#[test]
fn missing_title_is_an_error() {
    let (site, before) = built();
    site.article("world", "bad", "date: 2026-03-14", "Body");
    let run = fails(&site, &before);
    assert_eq!(
        only_error(&run, "content/world/bad.md:1:1", &[]),
        "error: content/world/bad.md:1:1: missing title (add `title: \"...\"` to the front matter)"
    );
}

#[test]
fn empty_title_points_at_the_title_line() {
    let (site, before) = built();
    site.article("world", "bad", "date: 2026-03-14\ntitle: \"  \"", "Body");
    let run = fails(&site, &before);
    only_error(&run, "content/world/bad.md:3:1", &["the title is empty"]);
}

// 4. Missing or unparseable date

#[test]
fn missing_date_is_an_error() {
    let (site, before) = built();
    site.article("world", "no-date", "title: x", "Body");
    let run = fails(&site, &before);
    assert_eq!(
        only_error(&run, "content/world/no-date.md:1:1", &[]),
        "error: content/world/no-date.md:1:1: missing date (add `date: YYYY-MM-DD` to the front matter, or start the file name with YYYY-MM-DD-)"
    );
}

#[test]
fn date_in_the_file_name_is_enough() {
    let (site, _) = built();
    site.article("world", "2026-03-10-dated-by-name", "title: x", "Body");
    site.build_ok(&[]);
    assert!(site.exists("2026/03/10/dated-by-name/index.html"));
}

#[test]
fn unparseable_date_points_at_the_date_line() {
    let (site, before) = built();
    site.article("world", "bad", "title: x\ndate: next tuesday", "Body");
    let run = fails(&site, &before);
    only_error(
        &run,
        "content/world/bad.md:3:1",
        &["`date`", "`next tuesday` is not a date", "2026-03-14"],
    );
}

#[test]
fn impossible_date_is_an_error() {
    let (site, before) = built();
    site.article("world", "bad", "title: x\ndate: 2026-02-30", "Body");
    let run = fails(&site, &before);
    only_error(&run, "content/world/bad.md:3:1", &["`date`", "2026-02-30"]);
}

// 5. Wrong types and unsafe values

#[test]
fn tags_of_the_wrong_type_point_at_the_value() {
    let (site, before) = built();
    site.article(
        "world",
        "bad",
        "title: x\ndate: 2026-03-14\ntags: 5",
        "Body",
    );
    let run = fails(&site, &before);
    only_error(
        &run,
        "content/world/bad.md:4:7",
        &["tags", "invalid type", "integer `5`", "expected a sequence"],
    );
}

#[test]
fn source_without_url_is_an_error() {
    let (site, before) = built();
    site.article(
        "world",
        "bad",
        "title: x\ndate: 2026-03-14\nsources: [{ title: x }]",
        "Body",
    );
    let run = fails(&site, &before);
    only_error(
        &run,
        "content/world/bad.md:4:11",
        &["sources[0]", "missing field `url`"],
    );
}

#[test]
fn javascript_source_url_is_refused() {
    let (site, before) = built();
    site.article(
        "world",
        "bad",
        "title: x\ndate: 2026-03-14\nsources:\n  - { title: x, url: \"javascript:alert(1)\" }",
        "Body",
    );
    let run = fails(&site, &before);
    only_error(
        &run,
        "content/world/bad.md:5:17",
        &["`javascript:alert(1)`", "not an http(s) URL"],
    );
}

#[test]
fn bad_url_of_a_later_source_points_at_that_source() {
    let (site, before) = built();
    site.article(
        "world",
        "bad",
        "title: x\ndate: 2026-03-14\nsources:\n  - { title: a, url: \"https://example.org/a\" }\n  - title: b\n    url: \"ftp://example.org/b\"",
        "Body",
    );
    let run = fails(&site, &before);
    only_error(
        &run,
        "content/world/bad.md:7:5",
        &["`ftp://example.org/b`", "not an http(s) URL"],
    );
}

#[test]
fn bad_correction_date_points_at_the_correction() {
    let (site, before) = built();
    site.article(
        "world",
        "bad",
        "title: x\ncorrections:\n  - { date: 2026-03-15, text: fine }\n  - { date: last week, text: bad }\ndate: 2026-03-14",
        "Body",
    );
    let run = fails(&site, &before);
    only_error(
        &run,
        "content/world/bad.md:5:7",
        &["`corrections[1].date`", "`last week` is not a date"],
    );
}

#[test]
fn unknown_time_zone_in_a_date_is_an_error() {
    let (site, before) = built();
    site.article(
        "world",
        "bad",
        "title: x\ndate: 2026-03-14T10:00:00[Europe/Nowhere]",
        "Body",
    );
    let run = fails(&site, &before);
    only_error(
        &run,
        "content/world/bad.md:3:1",
        &["`date`", "unknown time zone", "Europe/Nowhere"],
    );
}

#[test]
fn javascript_image_is_refused() {
    let (site, before) = built();
    site.article(
        "world",
        "bad",
        "title: x\ndate: 2026-03-14\nimage: \"javascript:alert(1)\"",
        "Body",
    );
    let run = fails(&site, &before);
    only_error(
        &run,
        "content/world/bad.md:4:1",
        &["`image`", "javascript:"],
    );
}

// 6. Empty file

#[test]
fn empty_file_is_an_error() {
    let (site, before) = built();
    bad(&site, "");
    let run = fails(&site, &before);
    assert_eq!(
        only_error(&run, "content/world/bad.md:1:1", &[]),
        "error: content/world/bad.md:1:1: the file is empty (start it with front matter: a `---` line, `title:` and `date:`, and a closing `---`)"
    );
}

// 7. Not UTF-8

#[test]
fn file_that_is_not_utf8_names_the_line() {
    let (site, before) = built();
    bad(&site, b"---\ntitle: \xff\n---\n");
    let run = fails(&site, &before);
    assert_eq!(
        only_error(&run, "content/world/bad.md:2:8", &[]),
        "error: content/world/bad.md:2:8: the file is not valid UTF-8 (save it as UTF-8)"
    );
}

// 8. Two files, one URL

#[test]
fn two_articles_with_one_url_name_both_files() {
    let (site, before) = built();
    site.article(
        "business",
        "other",
        "title: Other\ndate: 2026-03-14\nslug: port-strike",
        "Body",
    );
    let run = fails(&site, &before);
    let line = only_error(
        &run,
        "content/business/other.md",
        &["/2026/03/14/port-strike/", "content/world/port-strike.md"],
    );
    assert!(line.contains("slug:"), "{line}");
}

#[test]
fn page_with_a_section_slug_names_both() {
    let (site, before) = built();
    site.write(
        "content/pages/world-page.md",
        "---\ntitle: The world\nslug: world\n---\nAbout.\n",
    );
    let run = fails(&site, &before);
    only_error(
        &run,
        "content/pages/world-page.md",
        &["/world/", "content/world/"],
    );
}

#[test]
fn page_named_like_a_generated_index_is_an_error_on_the_page() {
    let (site, before) = built();
    site.write(
        "content/pages/tags.md",
        "---\ntitle: Our tags\n---\nAbout tags.\n",
    );
    let run = fails(&site, &before);
    only_error(
        &run,
        "content/pages/tags.md",
        &["/tags/", "as does the tags index"],
    );
}

// 9. Slugs that would leave the output folder

/// A site inside a folder of its own, built once, then changed by `setup`; the build must fail
/// and write nothing, neither in `public/` nor anywhere around the site.
fn escape_attempt(setup: impl FnOnce(&Site)) -> Run {
    let outer = tempfile::tempdir().expect("temp dir");
    let site = Site::new_in(outer.path());
    site.article("world", "port-strike", GOOD, "Body");
    site.build_ok(&[]);
    let before = site.snapshot();
    setup(&site);
    let around = tree(outer.path());
    let run = fails(&site, &before);
    assert!(
        tree(outer.path()) == around,
        "the failed build wrote or changed files:\n{}",
        run.stderr
    );
    run
}

#[test]
fn slug_with_dot_dot_is_refused() {
    let run = escape_attempt(|site| {
        site.article(
            "world",
            "bad",
            "title: x\ndate: 2026-03-14\nslug: ../../etc",
            "Body",
        );
    });
    assert_eq!(
        only_error(&run, "content/world/bad.md:4:1", &[]),
        "error: content/world/bad.md:4:1: `slug`: `../../etc` contains a path separator (use a plain name such as port-strike-ends)"
    );
}

#[test]
fn absolute_slug_is_refused() {
    let run = escape_attempt(|site| {
        site.article(
            "world",
            "bad",
            "title: x\ndate: 2026-03-14\nslug: /abs",
            "Body",
        );
    });
    only_error(
        &run,
        "content/world/bad.md:4:1",
        &["`slug`", "`/abs`", "path separator"],
    );
    assert!(!Path::new("/abs").exists());
}

#[test]
fn slug_with_nul_is_refused() {
    let run = escape_attempt(|site| {
        site.article(
            "world",
            "bad",
            "title: x\ndate: 2026-03-14\nslug: \"a\\0b\"",
            "Body",
        );
    });
    only_error(&run, "content/world/bad.md:4:1", &["`slug`", "NUL"]);
}

#[test]
fn page_slug_that_escapes_is_refused() {
    let run = escape_attempt(|site| {
        site.write(
            "content/pages/about.md",
            "---\ntitle: About\nslug: ../../../about\n---\nAbout.\n",
        );
    });
    only_error(
        &run,
        "content/pages/about.md:3:1",
        &["`slug`", "path separator"],
    );
}

#[test]
fn section_folder_with_backslash_is_refused() {
    let run = escape_attempt(|site| {
        site.article("a\\b", "x", "title: x\ndate: 2026-03-14", "Body");
    });
    only_error(
        &run,
        "content/a\\b/x.md:1:1",
        &["section folder", "path separator", "rename the folder"],
    );
}

// 10. Templates

#[test]
fn template_syntax_error_names_file_line_and_column() {
    let (site, before) = built();
    site.write("templates/article.html", "<p>\n  {{ y }\n</p>\n");
    let run = fails(&site, &before);
    only_error(&run, "templates/article.html:2:8", &["expected }}"]);
}

#[test]
fn template_if_never_closed_is_an_error() {
    let (site, before) = built();
    site.write("templates/article.html", "<p>\n{% if x %}hello</p>\n");
    let run = fails(&site, &before);
    only_error(
        &run,
        "templates/article.html:3:1",
        &["Unexpected end of input"],
    );
}

#[test]
fn template_including_a_missing_template_is_an_error() {
    let (site, before) = built();
    site.write(
        "templates/article.html",
        "<main>\n  {% include \"partials/nope.html\" %}\n</main>\n",
    );
    let run = fails(&site, &before);
    only_error(
        &run,
        "templates/article.html:2:14",
        &["Unknown template `partials/nope.html`"],
    );
    assert_eq!(
        run.stderr.matches('\n').count(),
        2,
        "one line each:\n{}",
        run.stderr
    );
}

#[test]
fn template_extending_a_missing_template_is_an_error() {
    let (site, before) = built();
    site.write(
        "templates/article.html",
        "{# the article page #}\n{% extends \"nobase.html\" %}\n",
    );
    let run = fails(&site, &before);
    assert_eq!(
        only_error(&run, "templates/article.html:2:12", &[]),
        "error: templates/article.html:2:12: extends `nobase.html`, which does not exist (name an existing template, such as base.html or gazette/base.html)"
    );
}

#[test]
fn every_unknown_filter_is_reported() {
    let (site, before) = built();
    site.write(
        "templates/article.html",
        "{{ article.title | shout }}\n{{ article.title | whisper }}\n",
    );
    let run = fails(&site, &before);
    let errors = run.errors();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert_error(
        errors[0],
        "templates/article.html:1:20",
        &["Unknown filter `shout`"],
    );
    assert_error(
        errors[1],
        "templates/article.html:2:20",
        &["Unknown filter `whisper`"],
    );
}

#[test]
fn undefined_variable_in_a_template_is_an_error() {
    let (site, before) = built();
    site.write("templates/article.html", "<h1>{{ nosuch.title }}</h1>\n");
    let run = fails(&site, &before);
    only_error(&run, "templates/article.html:1:8", &["`nosuch`"]);
}

// 11. No content folder

#[test]
fn missing_content_folder_is_an_error() {
    let (site, before) = built();
    fs::remove_dir_all(site.path("content")).expect("remove content");
    let run = fails(&site, &before);
    assert_eq!(
        only_error(&run, "content", &[]),
        "error: content: there is no content folder (put articles in content/<section>/<file>.md, or point --root at the site)"
    );
}

#[test]
fn failed_first_build_creates_no_output() {
    let site = Site::empty();
    let run = site.build_fails();
    only_error(&run, "content", &["no content folder"]);
    assert!(!site.path("public").exists());
}

// 12. Files that cannot be read

#[test]
fn unreadable_article_is_an_error() {
    use std::os::unix::fs::PermissionsExt;
    let (site, before) = built();
    site.article("world", "locked", "title: x\ndate: 2026-03-14", "Body");
    let path = site.path("content/world/locked.md");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).expect("chmod");
    if fs::read(&path).is_ok() {
        common::skipped(
            "unreadable_article_is_an_error",
            "running as root, cannot make a file unreadable (the dangling and looping link tests \
             cover read errors)",
        );
        return;
    }
    let run = fails(&site, &before);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod back");
    only_error(
        &run,
        "content/world/locked.md",
        &["cannot read", "ermission"],
    );
}

#[test]
fn dangling_link_article_is_an_error() {
    let (site, before) = built();
    std::os::unix::fs::symlink("nowhere.md", site.path("content/world/linked.md"))
        .expect("symlink");
    let run = fails(&site, &before);
    assert_eq!(
        only_error(&run, "content/world/linked.md", &[]),
        "error: content/world/linked.md: this link points at a file that does not exist (fix the link or remove it)"
    );
}

#[test]
fn link_loop_in_content_is_an_error() {
    let (site, before) = built();
    std::os::unix::fs::symlink("..", site.path("content/world/loop")).expect("symlink");
    let run = fails(&site, &before);
    only_error(&run, "content/world/loop", &["loops"]);
}

#[test]
fn linked_article_is_built() {
    let (site, _) = built();
    site.write(
        "shared/linked.md",
        "---\ntitle: Linked\ndate: 2026-03-12\n---\nBody\n",
    );
    std::os::unix::fs::symlink(
        "../../shared/linked.md",
        site.path("content/world/linked.md"),
    )
    .expect("symlink");
    site.build_ok(&[]);
    assert!(site.exists("2026/03/12/linked/index.html"));
}

// 13. Many errors at once

#[test]
fn all_errors_of_a_build_are_reported_at_once() {
    let (site, before) = built();
    site.article("world", "a-no-title", "date: 2026-03-14", "Body");
    site.article("world", "b-bad-date", "title: B\ndate: soon", "Body");
    site.article(
        "world",
        "c-bad-yaml",
        "title: \"C\ndate: 2026-03-14",
        "Body",
    );
    site.article("business", "d-bad-tags", "tags: 5\nsummary: x", "Body");
    site.article("business", "e-two-problems", "summary: x", "Body");
    site.write("content/bots/mutebot.md", "---\nbio: no name\n---\n");
    site.write("templates/article.html", "{% if x %}\n");
    let run = fails(&site, &before);
    let errors = run.errors();
    let expected = [
        ("content/bots/mutebot.md:1:1", "missing name"),
        ("content/business/d-bad-tags.md:2:7", "invalid type"),
        ("content/business/e-two-problems.md:1:1", "missing date"),
        ("content/business/e-two-problems.md:1:1", "missing title"),
        ("content/world/a-no-title.md:1:1", "missing title"),
        ("content/world/b-bad-date.md:3:1", "`soon` is not a date"),
        ("content/world/c-bad-yaml.md:2:8", "quoted scalar"),
        ("templates/article.html:2:1", "Unexpected end of input"),
    ];
    assert_eq!(errors.len(), expected.len(), "{}", run.stderr);
    for (line, (location, words)) in errors.iter().zip(expected) {
        assert_error(line, location, &[words]);
    }
    assert!(
        run.stderr
            .contains(&format!("build failed: {} errors", expected.len())),
        "{}",
        run.stderr
    );
}

// 14. Warnings

#[test]
fn unknown_key_is_a_warning_with_line_and_nearest_key() {
    let (site, _) = built();
    site.article(
        "world",
        "typo",
        "title: x\ndate: 2026-03-14\ntitel: y",
        "Body",
    );
    let run = site.build_ok(&[]);
    assert!(run.errors().is_empty(), "{}", run.stderr);
    assert_eq!(
        run.warnings(),
        vec![
            "warning: content/world/typo.md:4:1: unknown key `titel` (did you mean `title`? unknown keys are ignored)"
        ]
    );
    assert!(site.exists("2026/03/14/typo/index.html"));
}

#[test]
fn unknown_author_is_a_warning_naming_it() {
    let (site, _) = built();
    site.article(
        "world",
        "ghost",
        "title: x\ndate: 2026-03-14\nauthor: ghostbot",
        "Body",
    );
    let run = site.build_ok(&[]);
    assert!(run.errors().is_empty(), "{}", run.stderr);
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].starts_with("warning: content/world/ghost.md:4:1: "),
        "{}",
        warnings[0]
    );
    assert!(warnings[0].contains("`ghostbot`"), "{}", warnings[0]);
    assert_has_hint(warnings[0]);
}

#[test]
fn empty_author_falls_back_without_a_warning() {
    let (site, _) = built();
    site.article(
        "world",
        "anon",
        "title: x\ndate: 2026-03-14\nauthor: \"\"",
        "Body",
    );
    let run = site.build_ok(&[]);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
}

// 15. An output folder that would replace the site

#[test]
fn output_folder_that_would_replace_the_site_is_refused() {
    let (site, before) = built();
    let sources = tree(site.root());
    let root = site.root().to_str().expect("utf-8 temp path").to_string();
    for output in [
        root.clone(),
        format!("{root}/content"),
        format!("{root}/content/.."),
    ] {
        let run = site.run(&["build", "--output", &output]);
        assert_eq!(run.code, 1, "--output {output}:\n{}", run.stderr);
        assert_untouched(&site, &before, &run);
        assert_eq!(run.errors().len(), 1, "{}", run.stderr);
        assert_error(
            run.errors()[0],
            &output,
            &["the output folder would replace the site's own files"],
        );
        assert!(
            tree(site.root()) == sources,
            "--output {output} changed the site"
        );
    }
}

#[test]
fn output_folder_of_other_files_is_refused_and_kept() {
    let (site, before) = built();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    std::fs::write(elsewhere.path().join("notes.txt"), "not a site").expect("write");
    let kept = tree(elsewhere.path());
    let output = elsewhere.path().to_str().expect("utf-8 temp path");
    let run = site.run(&["build", "--output", output]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_untouched(&site, &before, &run);
    assert_error(
        only_error(&run, output, &["does not look like a built site"]),
        output,
        &["no index.html"],
    );
    assert!(tree(elsewhere.path()) == kept, "the folder was changed");
}

// 16. Positive control

#[test]
fn crlf_file_with_bom_builds() {
    let (site, _) = built();
    bad(
        &site,
        b"\xEF\xBB\xBF---\r\ntitle: \"Windows line ends\"\r\ndate: 2026-03-15\r\ntags: [a]\r\n---\r\nBody text.\r\n",
    );
    let run = site.build_ok(&[]);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let html = site.html("2026/03/15/bad/index.html");
    assert_eq!(common::texts(&html, "h1"), vec!["Windows line ends"]);
}

// Beyond the list: a failure while writing leaves the output as it was.

#[test]
fn failure_while_writing_leaves_the_output_as_it_was() {
    let (site, before) = built();
    let long = "a".repeat(300);
    site.article(
        "world",
        "long",
        &format!("title: x\ndate: 2026-03-14\nslug: {long}"),
        "Body",
    );
    let run = fails(&site, &before);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(errors[0].contains("cannot write"), "{}", errors[0]);
    // The file really written, in the staging folder beside the output.
    assert!(
        errors[0].starts_with("error: .public.gazette-staging/"),
        "{}",
        errors[0]
    );
    assert_has_hint(errors[0]);
}
