//! Bad input: every case must fail (or warn) with `error: <file>:<line>:<column>: <what> (<hint>)`,
//! never panic, report every error of the run, exit 1 and leave the previous `public/` as it was.

use crate::common;

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
/// build left beside it but the staging folder, the lock and the last good build's state,
/// which are kept by design.
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
        .filter(|name| {
            let kept = [
                ".public.gazette-staging",
                ".public.gazette-lock",
                ".public.gazette-state",
            ];
            !kept.contains(&&name[..])
        })
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

// 1. to 10.: one bad file each, a row each: the file, its text, the position and the message

/// A site that built, given `file` holding `text`: the build fails with the one error `message`
/// at `file:at` (at the file alone where `at` is empty) and leaves `public/` as it was.
fn one_error(file: &str, text: impl AsRef<[u8]>, at: &str, message: &str) {
    let (site, before) = built();
    site.write(file, text);
    assert_only_error(&fails(&site, &before), file, at, message);
}

/// Like `one_error`, for input that tries to lead the build out of the site: it writes nothing
/// around the site either.
fn one_error_writing_nothing_around(file: &str, text: impl AsRef<[u8]>, at: &str, message: &str) {
    let run = escape_attempt(|site| {
        site.write(file, text);
    });
    assert_only_error(&run, file, at, message);
}

/// The stderr of `run` is the error `message` at `file:at`, with its hint, and the summary.
fn assert_only_error(run: &Run, file: &str, at: &str, message: &str) {
    let location = match at {
        "" => file.to_string(),
        at => format!("{file}:{at}"),
    };
    let expected = format!("error: {location}: {message}");
    assert_has_hint(&expected);
    assert_eq!(
        run.stderr.lines().collect::<Vec<_>>(),
        [
            &expected[..],
            "build failed: 1 error; the previous output was left as it was"
        ],
        "for {file}:\n{}",
        run.stderr
    );
}

/// A test for each row `name: file, text, at, message;`, made by `check` (`one_error` or
/// `one_error_writing_nothing_around`).
macro_rules! bad_input {
    ($check:ident; $($name:ident: $file:expr, $text:expr, $at:expr, $message:expr;)*) => {
        $(
            #[test]
            fn $name() {
                $check($file, $text, $at, $message);
            }
        )*
    };
}

#[rustfmt::skip]
bad_input! {
    one_error;
    // 1. Malformed YAML
    malformed_yaml_names_file_line_and_column:
        "content/world/bad.md", "---\ndate: 2026-03-14\ntitle: \"unclosed\nauthor: wirebot\n---\nBody\n",
        "3:8", "invalid YAML: found unexpected end of stream, while scanning a quoted scalar (fix the YAML here: check quotes, brackets, colons and indentation)";

    bad_indentation_points_at_the_indented_line:
        "content/world/bad.md", "---\ntitle: x\ndate: 2026-03-14\n  tags: [a]\n---\nBody\n",
        "4:7", "invalid YAML: mapping values are not allowed in this context (fix the YAML here: check quotes, brackets, colons and indentation)";

    unclosed_bracket_points_where_it_opens:
        "content/world/bad.md", "---\ntitle: x\ndate: 2026-03-14\ntags: [a, b\n---\nBody\n",
        "4:7", "invalid YAML: did not find expected ',' or ']', while parsing a flow sequence (fix the YAML here: check quotes, brackets, colons and indentation)";

    duplicate_key_points_at_the_second_one:
        "content/world/bad.md", "---\ntitle: x\ndate: 2026-03-14\ntitle: y\n---\nBody\n",
        "4:1", "`title` is given twice (keep only one of the two)";

    // 2. Front matter not closed, or not there
    unclosed_front_matter_is_an_error:
        "content/world/bad.md", "---\ntitle: x\ndate: 2026-03-14\nBody\n",
        "1:1", "the front matter is not closed (add a `---` line after the last front matter key)";

    file_without_front_matter_is_an_error:
        "content/world/bad.md", "# Just a heading\n\nSome text.\n",
        "1:1", "the file does not start with front matter (make the first line `---`, then the YAML keys, then a closing `---` line)";

    // 3. Missing title
    missing_title_is_an_error:
        "content/world/bad.md", "---\ndate: 2026-03-14\n---\nBody\n",
        "1:1", "missing title (add `title: \"...\"` to the front matter)";

    empty_title_points_at_the_title_line:
        "content/world/bad.md", "---\ndate: 2026-03-14\ntitle: \"  \"\n---\nBody\n",
        "3:1", "the title is empty (give the article a title)";

    // 4. Missing or unparseable date
    missing_date_is_an_error:
        "content/world/no-date.md", "---\ntitle: x\n---\nBody\n",
        "1:1", "missing date (add `date: YYYY-MM-DD` to the front matter, or start the file name with YYYY-MM-DD-)";

    unparseable_date_points_at_the_date_line:
        "content/world/bad.md", "---\ntitle: x\ndate: next tuesday\n---\nBody\n",
        "3:7", "`date`: `next tuesday` is not a date: expected YYYY-MM-DD, such as 2026-03-14, optionally followed by a time (write it as 2026-03-14 or 2026-03-14T08:30:00+01:00)";

    impossible_date_is_an_error:
        "content/world/bad.md", "---\ntitle: x\ndate: 2026-02-30\n---\nBody\n",
        "3:7", "`date`: `2026-02-30` has no day 30: February 2026 has days 01 to 28 (write it as 2026-03-14 or 2026-03-14T08:30:00+01:00)";

    // 5. Wrong types and unsafe values
    tags_of_the_wrong_type_point_at_the_value:
        "content/world/bad.md", "---\ntitle: x\ndate: 2026-03-14\ntags: 5\n---\nBody\n",
        "4:7", "`tags`: expected a list, found the number 5 (give the key a value of the expected kind)";

    source_without_url_is_an_error:
        "content/world/bad.md", "---\ntitle: x\ndate: 2026-03-14\nsources: [{ title: x }]\n---\nBody\n",
        "4:11", "`sources[0]`: missing key `url` (add the missing key)";

    javascript_source_url_is_refused:
        "content/world/bad.md", "---\ntitle: x\ndate: 2026-03-14\nsources:\n  - { title: x, url: \"javascript:alert(1)\" }\n---\nBody\n",
        "5:17", "source url `javascript:alert(1)` is not an http(s) URL (link the report with its full https:// address)";

    bad_url_of_a_later_source_points_at_that_source:
        "content/world/bad.md", "---\ntitle: x\ndate: 2026-03-14\nsources:\n  - { title: a, url: \"https://example.org/a\" }\n  - title: b\n    url: \"ftp://example.org/b\"\n---\nBody\n",
        "7:5", "source url `ftp://example.org/b` is not an http(s) URL (link the report with its full https:// address)";

    bad_correction_date_points_at_the_correction:
        "content/world/bad.md", "---\ntitle: x\ncorrections:\n  - { date: 2026-03-15, text: fine }\n  - { date: last week, text: bad }\ndate: 2026-03-14\n---\nBody\n",
        "5:13", "`corrections[1].date`: `last week` is not a date: expected YYYY-MM-DD, such as 2026-03-14, optionally followed by a time (write it as 2026-03-14 or 2026-03-14T08:30:00+01:00)";

    unknown_time_zone_in_a_date_is_an_error:
        "content/world/bad.md", "---\ntitle: x\ndate: 2026-03-14T10:00:00[Europe/Nowhere]\n---\nBody\n",
        "3:7", "`date`: `2026-03-14T10:00:00[Europe/Nowhere]` names a time zone gazette does not know (write it as 2026-03-14 or 2026-03-14T08:30:00+01:00)";

    javascript_image_is_refused:
        "content/world/bad.md", "---\ntitle: x\ndate: 2026-03-14\nimage: \"javascript:alert(1)\"\n---\nBody\n",
        "4:1", "`image`: `javascript:alert(1)` is neither a web address nor a path (use an https:// URL or a path such as /images/photo.jpg)";

    // 6. Empty file
    empty_file_is_an_error:
        "content/world/bad.md", "",
        "1:1", "the file is empty (start it with front matter: a `---` line, `title:` and `date:`, and a closing `---`)";

    // 7. Not UTF-8
    file_that_is_not_utf8_names_the_line:
        "content/world/bad.md", b"---\ntitle: \xff\n---\n",
        "2:8", "the file is not valid UTF-8 (save it as UTF-8)";

    // 8. Two files, one URL
    two_articles_with_one_url_name_both_files:
        "content/business/other.md", "---\ntitle: Other\ndate: 2026-03-14\nslug: port-strike\n---\nBody\n",
        "", "produces the URL /2026/03/14/port-strike/, as does content/world/port-strike.md (give one of them another `slug:` or rename it)";

    page_with_a_section_slug_names_both:
        "content/pages/world-page.md", "---\ntitle: The world\nslug: world\n---\nAbout.\n",
        "", "produces the URL /world/, as does content/world/ (give one of them another `slug:` or rename it)";

    page_named_like_a_generated_index_is_an_error_on_the_page:
        "content/pages/tags.md", "---\ntitle: Our tags\n---\nAbout tags.\n",
        "", "produces the URL /tags/, as does the tags index (give one of them another `slug:` or rename it)";

    // 10. Templates
    template_syntax_error_names_file_line_and_column:
        "templates/article.html", "<p>\n  {{ y }\n</p>\n",
        "2:3", "`{{` opened at line 2 is never closed (close it with `}}`)";

    template_including_a_missing_template_is_an_error:
        "templates/article.html", "<main>\n  {% include \"partials/nope.html\" %}\n</main>\n",
        "2:14", "Unknown template `partials/nope.html` (name an existing template, such as partials/summary.html or gazette/partials/summary.html)";

    // A summary is rendered by `include_cached`: its error is still the partial's own.
    error_in_a_cached_partial_names_the_partial:
        "templates/partials/summary.html", "<article>\n  {{ item.nope }}\n</article>\n",
        "2:11", "Field `nope` is not defined. Available fields: author, date, image, reading, reading_time, section, story, summary, tags, title, updated, url (fix the template; see the Templates chapter of gazette's book (docs/src/templates.md) for the variables each gets)";

    template_extending_a_missing_template_is_an_error:
        "templates/article.html", "{# the article page #}\n{% extends \"nobase.html\" %}\n",
        "2:12", "extends `nobase.html`, which does not exist (name an existing template, such as base.html or gazette/base.html)";

    // Dates, gazette.yaml and file names
    gazette_yaml_that_is_not_utf8_is_named_so:
        "gazette.yaml", b"title: ok\ndescription: caf\xe9\n",
        "2:17", "the file is not valid UTF-8 (save it as UTF-8)";

    a_file_name_dated_a_day_that_does_not_exist_is_an_error:
        "content/world/2026-02-30-port.md", "---\ntitle: x\n---\nBody\n",
        "1:1", "the date in the file name: `2026-02-30` has no day 30: February 2026 has days 01 to 28 (rename the file to start with a real date, or add `date:` to the front matter)";
}

#[rustfmt::skip]
bad_input! {
    one_error_writing_nothing_around;
    // 9. Slugs that would leave the output folder
    slug_with_dot_dot_is_refused:
        "content/world/bad.md", "---\ntitle: x\ndate: 2026-03-14\nslug: ../../etc\n---\nBody\n",
        "4:1", "`slug`: `../../etc` contains a path separator (use a plain name such as port-strike-ends)";

    slug_with_nul_is_refused:
        "content/world/bad.md", "---\ntitle: x\ndate: 2026-03-14\nslug: \"a\\0b\"\n---\nBody\n",
        "4:1", "`slug`: `a\\0b` contains a NUL byte (use a plain name such as port-strike-ends)";

    page_slug_that_escapes_is_refused:
        "content/pages/about.md", "---\ntitle: About\nslug: ../../../about\n---\nAbout.\n",
        "3:1", "`slug`: `../../../about` contains a path separator (use a plain name such as about)";

    section_folder_with_backslash_is_refused:
        "content/a\\b/x.md", "---\ntitle: x\ndate: 2026-03-14\n---\nBody\n",
        "1:1", "section folder: `a\\\\b` contains a path separator (rename the folder under content/ to another plain name)";
}

// 1. to 10.: cases that assert more than a row can say

#[test]
fn absolute_slug_is_refused() {
    one_error_writing_nothing_around(
        "content/world/bad.md",
        "---\ntitle: x\ndate: 2026-03-14\nslug: /abs\n---\nBody\n",
        "4:1",
        "`slug`: `/abs` contains a path separator (use a plain name such as port-strike-ends)",
    );
    assert!(!Path::new("/abs").exists());
}

#[test]
fn date_in_the_file_name_is_enough() {
    let (site, _) = built();
    site.article("world", "2026-03-10-dated-by-name", "title: x", "Body");
    site.build_ok(&[]);
    assert!(site.exists("2026/03/10/dated-by-name/index.html"));
}

#[test]
fn template_syntax_errors_name_the_tag_and_its_line() {
    let cases = [
        (
            "<p>\n{% if x %}\nhello</p>\n",
            "4:1: unclosed `{% if %}` opened at line 2 (close it with `{% endif %}`)",
        ),
        (
            "{% block content %}\n{% for a in b %}\n{{ a }}\n{% endfor %}\n",
            "5:1: unclosed `{% block %}` opened at line 1 (close it with `{% endblock %}`)",
        ),
        (
            "<ul>\n{% for a in b %}\n<li>{{ a }}\n{% endfro %}\n</ul>\n",
            "4:4: unknown tag `{% endfro %}` (did you mean `{% endfor %}`?)",
        ),
        (
            "{% if x %}\n{% for a in b %}\n{{ a }}\n{% endif %}\n",
            "4:4: `{% endif %}` where `{% for %}` opened at line 2 is still open (close the \
             `{% for %}` with `{% endfor %}` first)",
        ),
        (
            "<p>\n{% endif %}\n",
            "2:4: `{% endif %}` closes no `{% if %}` (remove it, or add the `{% if %}` it closes)",
        ),
        (
            "<p>\n{% else %}\n",
            "2:4: `{% else %}` outside any `{% if %}` or `{% for %}` (move it inside the tag it \
             belongs to, or remove it)",
        ),
        (
            "{% macro title() %}x{% endmacro %}\n",
            "1:4: unknown tag `{% macro %}` (this version of Tera has no macros: use \
             `{% include %}` or a `{% component %}`)",
        ),
        (
            "<p>{# a note\n</p>\n",
            "1:4: `{#` opened at line 1 is never closed (close it with `#}`)",
        ),
        (
            "{% for item in %}{% endfor %}\n",
            "1:16: found `%}` where a value or a name was expected (write a value or a name \
             here, or fix what comes before)",
        ),
        (
            "{% for item %}{% endfor %}\n",
            "1:13: found `%}` where `in` was expected (write `in` here, or fix what comes before)",
        ),
    ];
    for (template, expected) in cases {
        let (at, message) = expected.split_once(": ").expect("line:column: message");
        one_error("templates/article.html", template, at, message);
    }
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
        ("content/business/d-bad-tags.md:2:7", "expected a list"),
        ("content/business/e-two-problems.md:1:1", "missing date"),
        ("content/business/e-two-problems.md:1:1", "missing title"),
        ("content/world/a-no-title.md:1:1", "missing title"),
        ("content/world/b-bad-date.md:3:7", "`soon` is not a date"),
        ("content/world/c-bad-yaml.md:2:8", "quoted scalar"),
        (
            "templates/article.html:2:1",
            "unclosed `{% if %}` opened at line 1",
        ),
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
fn alike_warnings_are_one_line_and_errors_come_last_above_the_summary() {
    let (site, before) = built();
    for n in 1..=6 {
        site.article(
            "world",
            &format!("post-{n}"),
            &format!("title: x\ndate: 2026-03-0{n}\nlayout: post"),
            "Body",
        );
    }
    site.article("world", "z-broken", "title: [x", "Body");
    let run = fails(&site, &before);
    let lines: Vec<&str> = run.stderr.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines,
        [
            "warning: unknown key `layout` in 6 files: content/world/post-1.md, \
             content/world/post-2.md, content/world/post-3.md and 3 more (unknown keys are \
             ignored; put free-form values under `extra:`)",
            "(6 warnings in 1 line; --verbose lists each)",
            lines[2],
            "build failed: 1 error; the previous output was left as it was",
        ],
        "{}",
        run.stderr
    );
    assert!(lines[2].starts_with("error: content/world/z-broken.md:2:8: "));
    // Every warning on its own line with --verbose, still before the error.
    let verbose = site.run(&["build", "--verbose"]);
    let warnings = verbose.warnings();
    assert_eq!(warnings.len(), 6, "{}", verbose.stderr);
    assert!(warnings.contains(
        &"warning: content/world/post-5.md:4:1: unknown key `layout` \
         (unknown keys are ignored; put free-form values under `extra:`)"
    ));
    let error_at = verbose.stderr.find("error: ").expect("the error");
    assert!(
        verbose
            .stderr
            .rfind("warning: ")
            .is_some_and(|w| w < error_at)
    );
}

#[test]
fn authors_with_no_profile_are_one_line_naming_each() {
    let (site, _) = built();
    for (n, author) in ["Old Team", "ghostbot", "Old Team"].iter().enumerate() {
        site.article(
            "world",
            &format!("post-{n}"),
            &format!("title: x\ndate: 2026-03-0{}\nauthor: {author}", n + 1),
            "Body",
        );
    }
    let run = site.build_ok(&[]);
    assert_eq!(
        run.warnings(),
        [
            "warning: authors with no bot profile, shown as plain text (2): `Old Team` (2 files), \
          `ghostbot` (add a bot profile for each, or fix the ids; --verbose says how)"
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn timings_and_verbose_are_separate_flags() {
    let (site, _) = built();
    let timed = site.build_ok(&["--timings"]);
    assert!(timed.stderr.contains(" render "), "{}", timed.stderr);
    let verbose = site.build_ok(&["-v"]);
    assert!(!verbose.stderr.contains(" render "), "{}", verbose.stderr);
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
    // A folder name of the permalink pattern too long for the file system.
    let long = "a".repeat(300);
    site.write("gazette.yaml", format!("permalink: /{long}/:slug/\n"));
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

// 17. Dates, gazette.yaml and the base URL

/// The hint every date error ends with.
const DATE_HINT: &str = "(write it as 2026-03-14 or 2026-03-14T08:30:00+01:00)";

#[test]
fn bad_dates_are_errors_at_their_value_in_plain_words() {
    let (site, before) = built();
    let offsets = "is not a UTC offset: offsets run from -23:59 to +23:59, written +HH:MM";
    let years = "is out of range: gazette takes years 0001 to 9998";
    // Each article's front matter, and the error it gives: where, and what.
    let cases = [
        (
            "date: 2026-03-14T10:00:00+24:00",
            "3:7",
            format!("`date`: `+24:00` {offsets}"),
        ),
        (
            "date: 2026-03-14T10:00:00+25:00",
            "3:7",
            format!("`date`: `+25:00` {offsets}"),
        ),
        (
            "date: 2026-03-14T10:00:00-24:00",
            "3:7",
            format!("`date`: `-24:00` {offsets}"),
        ),
        (
            "date: 2026-03-14T10:00:00+23:60",
            "3:7",
            format!("`date`: `+23:60` {offsets}"),
        ),
        (
            "date: 9999-12-31",
            "3:7",
            format!("`date`: `9999-12-31` {years}"),
        ),
        (
            "date:   0000-01-01",
            "3:9",
            format!("`date`: `0000-01-01` {years}"),
        ),
        (
            "date: \"yesterday\"",
            "3:7",
            "`date`: `yesterday` is not a date: expected YYYY-MM-DD, such as 2026-03-14, \
             optionally followed by a time"
                .into(),
        ),
        (
            "date: 2026-03-14\nupdated: 2026-13-01",
            "4:10",
            "`updated`: `2026-13-01` has no month 13: months run from 01 to 12".into(),
        ),
        (
            "date: 2026-03-14\ncorrections:\n  - date: 2026-03-15T25:00:00Z\n    text: x",
            "5:11",
            "`corrections[0].date`: `2026-03-15T25:00:00Z`: cannot read the time after the \
             date (expected a time such as T08:30:00, then Z or an offset such as +01:00)"
                .into(),
        ),
    ];
    for (i, (front_matter, _, _)) in cases.iter().enumerate() {
        site.article(
            "world",
            &format!("bad-{i}"),
            &format!("title: x\n{front_matter}"),
            "",
        );
    }
    let run = fails(&site, &before);
    let expected: Vec<String> = (cases.iter().enumerate())
        .map(|(i, (_, at, message))| {
            format!("error: content/world/bad-{i}.md:{at}: {message} {DATE_HINT}")
        })
        .collect();
    assert_eq!(run.errors(), expected, "{}", run.stderr);
}

#[test]
fn no_feed_dates_a_real_article_1970() {
    let site = Site::new();
    for (name, date) in [
        ("east", "2026-03-14T10:00:00+23:59"),
        ("west", "2026-03-14T10:00:00-23:59"),
        ("first", "0001-01-01T00:00:00Z"),
        ("last", "9998-12-31T23:59:00-23:59"),
    ] {
        let front_matter = format!("title: {name}\ndate: {date}\nauthor: wirebot\ntags: [t]");
        site.article("world", name, &front_matter, "Body.");
    }
    site.build_ok(&["--future"]);
    let atom = String::from_utf8(site.snapshot()[Path::new("atom.xml")].clone()).unwrap();
    for published in ["2026-03-14T10:00:00+23:59", "2026-03-14T10:00:00-23:59"] {
        assert!(atom.contains(published), "{published} not in:\n{atom}");
    }
    // The feeds of the corrections, of which there are none: a feed with no entries is dated
    // at the epoch (see feeds/atom.rs), which names no article.
    let files = site.snapshot().into_iter();
    for (file, bytes) in files.filter(|(file, _)| !file.starts_with("corrections")) {
        let text = String::from_utf8_lossy(&bytes);
        for epoch in ["1970-01-01", "Jan 1970"] {
            assert!(!text.contains(epoch), "{} says {epoch}", file.display());
        }
    }
}

#[test]
fn gazette_yaml_reports_every_error_at_once_in_plain_words() {
    let (site, before) = built();
    site.write(
        "gazette.yaml",
        "title: x\npaginate_by: ten\ntimezone: Mars/Olympus\nfeeds:\n  limit: -1\n  \
         content: partial\nmarkdown:\n  raw_html: maybe\nsections:\n  world: 5\n\
         base_url: https://me:secret@example.org/\nnews_sitemap:\n  days: 0\n\
         date_format: \"%-d %i\"\n",
    );
    let run = fails(&site, &before);
    let kind = "(give the key a value of the expected kind)";
    assert_eq!(
        run.errors(),
        [
            format!(
                "error: gazette.yaml:2:14: `paginate_by`: expected a whole number, 0 or more, \
                 found the text \"ten\" {kind}"
            ),
            "error: gazette.yaml:3:11: `timezone`: `Mars/Olympus` is not a time zone gazette \
             knows (use an IANA name such as Europe/Berlin, or UTC)"
                .into(),
            format!(
                "error: gazette.yaml:5:10: `feeds.limit`: expected a whole number, 0 or more, \
                 found the number -1 {kind}"
            ),
            "error: gazette.yaml:6:12: `feeds.content`: expected `full` or `summary`, found \
             `partial` (use one of the values named)"
                .into(),
            format!(
                "error: gazette.yaml:8:13: `markdown.raw_html`: expected `true` or `false`, \
                 found the text \"maybe\" {kind}"
            ),
            format!(
                "error: gazette.yaml:10:10: `sections.world`: expected keys with values \
                 (`key: value` lines), found the number 5 {kind}"
            ),
            "error: gazette.yaml:11:11: `base_url`: `https://me:secret@example.org/` holds a \
             user name or password, which every page would publish (use a URL such as \
             https://example.org/ or a path such as /)"
                .into(),
            "error: gazette.yaml:13:9: `news_sitemap.days`: must be at least 1 (set it to 2, as \
             Google News expects)"
                .into(),
            "error: gazette.yaml:14:14: `date_format`: `%i` is not a strftime directive (use \
             strftime directives such as %-d %B %Y)"
                .into(),
        ],
        "{}",
        run.stderr
    );
    for jargon in ["usize", "u32", "struct", "invalid type", "field", "Config"] {
        assert!(!run.stderr.contains(jargon), "{jargon}:\n{}", run.stderr);
    }
}

#[test]
fn bad_base_url_flag_is_a_usage_error() {
    let (site, before) = built();
    for (url, why) in [
        ("example.org", "is neither an absolute URL nor a path"),
        ("ftp://example.org/", "is not an http or https URL"),
        (
            "https://me:secret@example.org/",
            "holds a user name or password, which every page would publish",
        ),
    ] {
        let run = site.run(&["build", "--base-url", url]);
        assert_eq!(run.code, 2, "{url}:\n{}", run.stderr);
        let expected = format!(
            "error: invalid value '{url}' for '--base-url <URL>': `{url}` {why} (use a URL such \
             as https://example.org/ or a path such as /)"
        );
        assert_eq!(
            run.stderr.lines().next(),
            Some(&expected[..]),
            "{}",
            run.stderr
        );
        assert!(site.snapshot() == before, "a refused build changed public/");
    }
}

#[test]
fn bots_and_pages_report_every_problem_of_a_file() {
    let (site, before) = built();
    site.write(
        "content/bots/mutebot.md",
        "---\nbio: no name\navatar: \"javascript:alert(1)\"\n---\n",
    );
    site.write(
        "content/pages/about.md",
        "---\nslug: ../about\n---\nAbout.\n",
    );
    let run = fails(&site, &before);
    let errors: Vec<(&str, &str)> = (run.errors().into_iter())
        .map(|e| e.split_once(": ").unwrap().1.split_once(": ").unwrap())
        .map(|(at, message)| (at, message.split(" (").next().unwrap()))
        .collect();
    assert_eq!(
        errors,
        [
            ("content/bots/mutebot.md:1:1", "missing name"),
            (
                "content/bots/mutebot.md:3:1",
                "`avatar`: `javascript:alert(1)` is neither a web address nor a path"
            ),
            ("content/pages/about.md:1:1", "missing title"),
            (
                "content/pages/about.md:2:1",
                "`slug`: `../about` contains a path separator"
            ),
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn front_matter_of_the_wrong_kind_is_told_in_plain_words() {
    let (site, before) = built();
    site.write("content/world/a.md", "---\njust a line\n---\nBody\n");
    site.write("content/bots/b.md", "---\nname: [B]\n---\n");
    site.write("content/pages/c.md", "---\ntitle: C\ndraft: maybe\n---\n");
    let run = fails(&site, &before);
    let kind = "(give the key a value of the expected kind)";
    assert_eq!(
        run.errors(),
        [
            format!("error: content/bots/b.md:2:7: `name`: expected text, found a list {kind}"),
            format!(
                "error: content/pages/c.md:3:8: `draft`: expected `true` or `false`, found the \
                 text \"maybe\" {kind}"
            ),
            "error: content/world/a.md:2:1: expected keys with values (`key: value` lines), \
             found the text \"just a line\" (write the YAML as `key: value` lines)"
                .into(),
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn a_section_title_for_a_folder_that_does_not_exist_is_a_warning() {
    let (site, _) = built();
    site.write(
        "gazette.yaml",
        "sections:\n  world:\n    title: World\n  wrold:\n    title: Typo\n",
    );
    let run = site.build_ok(&[]);
    assert_eq!(
        run.warnings(),
        [
            "warning: gazette.yaml:4:3: `sections.wrold` names no folder under content/ (a \
             section is titled by its folder's name, such as `sections.world` for content/world/)"
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn gazette_yaml_that_is_a_folder_is_not_called_a_permissions_problem() {
    let (site, before) = built();
    fs::create_dir(site.path("gazette.yaml")).expect("mkdir");
    let run = fails(&site, &before);
    let error = only_error(&run, "gazette.yaml", &["cannot read the configuration"]);
    assert!(
        error.ends_with("(make gazette.yaml a readable file, or remove it to use the defaults)"),
        "{error}"
    );
}

// Names too long for a file, or not text

/// Builds and checks, expecting both to fail with the one error at `location`, saying `words`.
fn build_and_check_fail_alike(site: &Site, location: &str, words: &[&str]) {
    let before = site.snapshot();
    let build = fails(site, &before);
    let error = only_error(&build, location, words);
    let check = site.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert_eq!(check.errors(), [error], "check and build disagree");
}

#[test]
fn slug_too_long_for_a_file_name_is_an_error_at_its_line() {
    let (site, _) = built();
    let long = "a".repeat(256);
    site.article(
        "world",
        "long",
        &format!("title: x\ndate: 2026-03-14\nslug: {long}"),
        "Body",
    );
    build_and_check_fail_alike(
        &site,
        "content/world/long.md:4:1",
        &["`slug`", "256 characters", "255"],
    );
}

#[test]
fn tag_too_long_for_a_file_name_is_an_error_at_its_line() {
    let (site, _) = built();
    let long = "Ünïcödé ".repeat(40);
    site.article(
        "world",
        "long",
        &format!("title: x\ndate: 2026-03-14\ntags: [fine, \"{long}\"]"),
        "Body",
    );
    build_and_check_fail_alike(
        &site,
        "content/world/long.md:4:1",
        &["tag", "319 characters", "255"],
    );
}

#[test]
fn file_name_too_long_for_a_url_is_an_error_at_the_title() {
    let (site, _) = built();
    // 80 characters of 3 bytes make a file name the disk takes, but each is slugged to 4 or 5
    // letters and a `-`.
    let name = "東京".repeat(40);
    site.article("world", &name, "title: Tokyo\ndate: 2026-03-14", "Body");
    build_and_check_fail_alike(
        &site,
        &format!("content/world/{name}.md:2:1"),
        &["file name is too long", "255"],
    );
}

#[cfg(unix)]
#[test]
fn file_name_that_is_not_utf8_is_shown_escaped() {
    use std::os::unix::ffi::OsStrExt;
    let (site, before) = built();
    let name = std::ffi::OsStr::from_bytes(b"caf\xE9.md");
    fs::write(
        site.path("content/world").join(name),
        "---\ntitle: x\ndate: 2026-03-14\n---\nBody\n",
    )
    .unwrap();
    let run = fails(&site, &before);
    only_error(&run, "content/world/caf\\xE9.md", &["not valid UTF-8"]);
}

#[test]
fn section_named_like_gazette_s_own_pages_is_refused() {
    for folder in ["tags", "2024", "page", "search", "Editors"] {
        let (site, before) = built();
        site.article(folder, "a", GOOD, "Body");
        let run = fails(&site, &before);
        let url = format!("/{}/", folder.to_lowercase());
        only_error(
            &run,
            &format!("content/{folder}/a.md:1:1"),
            &["section folder", &url],
        );
    }
}

// Content from other generators

#[test]
fn blank_lines_before_the_front_matter_are_skipped_and_lines_still_count() {
    let (site, _) = built();
    bad(
        &site,
        "\n  \n---\ntitle: x\ndate: 2026-03-14\nlayout: post\n---\nBody\n",
    );
    let run = site.build_ok(&[]);
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].starts_with("warning: content/world/bad.md:6:1: "),
        "{}",
        warnings[0]
    );
    assert!(site.exists("2026/03/14/bad/index.html"));
}

#[test]
fn bots_and_pages_take_blank_lines_before_the_front_matter_and_pages_a_description() {
    let (site, _) = built();
    site.write(
        "content/bots/wirebot.md",
        "\n\n---\nname: WireBot\nbio: Reads wires.\n---\nAbout.\n",
    );
    site.write(
        "content/pages/about.md",
        "\n---\ntitle: About\ndescription: \"Who we are.\"\n---\nUs.\n",
    );
    let run = site.build_ok(&[]);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let about = site.html("about/index.html");
    assert_eq!(
        common::attrs(&about, "meta[name='description']", "content"),
        ["Who we are."]
    );
    assert_eq!(
        common::texts(&site.html("bots/wirebot/index.html"), "h1"),
        ["WireBot"]
    );
}

#[test]
fn description_is_the_summary_and_both_warn() {
    let (site, _) = built();
    bad(
        &site,
        "---\ntitle: x\ndate: 2026-03-14\ndescription: \"From Hugo.\"\n---\nBody\n",
    );
    let run = site.build_ok(&[]);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let html = site.html("index.html");
    let summaries = common::texts(&html, ".summary-text");
    assert!(
        summaries.contains(&"From Hugo.".to_string()),
        "{summaries:?}"
    );

    bad(
        &site,
        "---\ntitle: x\ndate: 2026-03-14\nsummary: Ours.\ndescription: Theirs.\n---\nBody\n",
    );
    let run = site.build_ok(&[]);
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0]
            .starts_with("warning: content/world/bad.md:5:1: both `summary` and `description`"),
        "{}",
        warnings[0]
    );
    let summaries = common::texts(&site.html("index.html"), ".summary-text");
    assert!(summaries.contains(&"Ours.".to_string()), "{summaries:?}");
}

#[test]
fn author_with_no_profile_gets_an_id_that_works() {
    let (site, _) = built();
    site.article(
        "world",
        "team",
        "title: x\ndate: 2026-03-14\nauthor: The Rust Core Team",
        "Body",
    );
    let run = site.build_ok(&[]);
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    for words in [
        "add content/bots/the-rust-core-team.md",
        "`name: The Rust Core Team`",
        "write `author: the-rust-core-team`",
    ] {
        assert!(warnings[0].contains(words), "{words}: {}", warnings[0]);
    }
    // Doing what it says works.
    site.write(
        "content/bots/the-rust-core-team.md",
        "---\nname: The Rust Core Team\n---\n",
    );
    site.article(
        "world",
        "team",
        "title: x\ndate: 2026-03-14\nauthor: the-rust-core-team",
        "Body",
    );
    let run = site.build_ok(&[]);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
}
