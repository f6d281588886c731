//! The state a build keeps for the next (`.public.gazette-state`): a build after it reads only
//! the content files that changed and renders only the files whose inputs changed, and its
//! output is always the one a build from nothing gives; any state it cannot trust is ignored,
//! with a warning where the user should know, and everything is built again.

use std::fs;
use std::time::{Duration, SystemTime};

use crate::common::{Run, Site, tree};

const STATE: &str = ".public.gazette-state";

/// A site of a few articles in two sections, sharing tags, by a bot, with a page.
fn site() -> Site {
    let site = Site::new();
    site.write(
        "gazette.yaml",
        "title: The Daily Wire\nbase_url: https://example.com/\n",
    );
    for i in 0..6 {
        let (section, tag) = if i % 2 == 0 {
            ("world", "ports")
        } else {
            ("tech", "chips")
        };
        site.article(
            section,
            &format!("story-{i}"),
            &format!("title: Story {i}\ndate: 2026-03-1{i}\nauthor: wirebot\ntags: [{tag}, news]"),
            &format!("Body of story {i}.\n\n## A heading\n\nMore text."),
        );
    }
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nWho we are.\n",
    );
    settle(&site);
    site
}

/// Dates the content files written in the last minute an hour back: a file modified within
/// the last second is read again by the next build whatever its stamp (its next write could
/// keep the same time).
fn settle(site: &Site) {
    let now = SystemTime::now();
    let past = now - Duration::from_secs(3600);
    for entry in walkdir::WalkDir::new(site.path("content")) {
        let entry = entry.unwrap();
        let modified = entry.metadata().unwrap().modified().unwrap();
        let fresh = now
            .duration_since(modified)
            .is_ok_and(|d| d < Duration::from_secs(60));
        if entry.file_type().is_file() && fresh {
            let file = fs::File::options().write(true).open(entry.path()).unwrap();
            file.set_modified(past).unwrap();
        }
    }
}

/// `gazette build -v`, with what it says it parsed and rendered.
pub(crate) fn build(site: &Site, args: &[&str]) -> (Run, usize, usize) {
    let mut all = vec!["-v"];
    all.extend_from_slice(args);
    let run = site.build_ok(&all);
    let line = (run.stdout.lines())
        .find(|l| l.starts_with("parsed "))
        .unwrap_or_else(|| panic!("no counts in:\n{}", run.stdout));
    let numbers: Vec<usize> = (line.split(|c: char| !c.is_ascii_digit()))
        .filter_map(|n| n.parse().ok())
        .collect();
    (run, numbers[0], numbers[1])
}

/// The output of a build of the same files from nothing, into a folder of its own.
fn clean_build(site: &Site) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("clean");
    let run = site.run(&["build", "-o", folder.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    relative(&folder)
}

/// Every file below `dir` and its bytes, by its path inside `dir`.
fn relative(dir: &std::path::Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    (tree(dir).into_iter())
        .map(|(path, bytes)| (path.strip_prefix(dir).unwrap().to_path_buf(), bytes))
        .collect()
}

fn assert_same_as_clean(site: &Site, what: &str) {
    let built = relative(&site.path("public"));
    let clean = clean_build(site);
    let differ: Vec<_> = (built.keys().chain(clean.keys()))
        .filter(|k| built.get(*k) != clean.get(*k))
        .collect();
    assert!(
        differ.is_empty(),
        "{what}: these files differ from a clean build: {differ:?}"
    );
}

/// Content files of `site()`: 6 articles, a page and the bot.
const FILES: usize = 8;

#[test]
fn a_second_build_with_nothing_changed_reads_and_renders_nothing() {
    let site = site();
    let (_, parsed, rendered) = build(&site, &[]);
    assert_eq!(parsed, FILES);
    assert!(
        rendered > 20,
        "the first build renders everything: {rendered}"
    );
    assert!(site.path(STATE).is_file(), "the build saved no state");
    let (_, parsed, rendered) = build(&site, &[]);
    assert_eq!((parsed, rendered), (0, 0));
    assert_same_as_clean(&site, "nothing changed");
}

#[test]
fn an_edited_article_is_the_only_file_read_again_and_the_output_is_a_clean_builds() {
    let site = site();
    build(&site, &[]);
    let (_, all, everything) = build(&site, &["--full"]);
    assert_eq!(all, FILES, "--full reads everything");
    let story = "content/world/story-2.md";
    let before = fs::read_to_string(site.path(story)).unwrap();
    site.write(story, before.replace("Body of story 2.", "A new body."));
    settle(&site);
    let (_, parsed, rendered) = build(&site, &[]);
    assert_eq!(parsed, 1);
    assert!(
        rendered > 0 && rendered < everything,
        "rendered {rendered} of {everything}"
    );
    assert_same_as_clean(&site, "one body edited");

    // Edits one after the other, and one undone: the staging folder (the build before last)
    // must be brought in step for the files the last build changed.
    site.write(
        "content/tech/story-1.md",
        "---\ntitle: Retitled\ndate: 2026-03-11\ntags: [news]\n---\nNew.\n",
    );
    settle(&site);
    build(&site, &[]);
    assert_same_as_clean(&site, "a second article retitled");
    site.write(story, &before);
    settle(&site);
    let (_, parsed, _) = build(&site, &[]);
    assert_eq!(parsed, 1);
    assert_same_as_clean(&site, "the first edit undone");
    fs::remove_file(site.path("content/world/story-4.md")).unwrap();
    let (_, parsed, _) = build(&site, &[]);
    assert_eq!(parsed, 0, "a removed file is not read");
    assert_same_as_clean(&site, "an article removed");
    site.article(
        "world",
        "story-9",
        "title: Nine\ndate: 2026-03-19\ntags: [ports]",
        "Nine.",
    );
    let (_, parsed, _) = build(&site, &[]);
    assert_eq!(parsed, 1);
    assert_same_as_clean(&site, "an article added");
}

/// Builds twice, spoils the state or what it was saved for with `spoil`, and checks that the
/// next build reads everything, says so in a warning exactly when `warned`, and writes what a
/// clean build writes.
fn ignored_after(spoil: impl FnOnce(&Site), args: &[&str], warned: bool, what: &str) {
    let site = site();
    build(&site, args);
    build(&site, args);
    spoil(&site);
    let (run, parsed, _) = build(&site, args);
    assert_eq!(parsed, FILES, "{what}: the state was used");
    let warnings = run.warnings();
    let about_state = warnings.iter().any(|w| w.contains("build state"));
    assert_eq!(about_state, warned, "{what}: {warnings:?}");
    if args.is_empty() {
        assert_same_as_clean(&site, what);
    }
}

fn rewrite_state(site: &Site, change: impl FnOnce(&mut Vec<u8>)) {
    let mut bytes = fs::read(site.path(STATE)).unwrap();
    change(&mut bytes);
    fs::write(site.path(STATE), bytes).unwrap();
}

#[test]
fn a_damaged_state_is_ignored_with_a_warning() {
    let flip = |site: &Site| rewrite_state(site, |b| *b.last_mut().unwrap() ^= 0x55);
    ignored_after(flip, &[], true, "a corrupt state");
    let cut = |site: &Site| rewrite_state(site, |b| b.truncate(b.len() / 2));
    ignored_after(cut, &[], true, "a truncated state");
    let folder = |site: &Site| {
        fs::remove_file(site.path(STATE)).unwrap();
        fs::create_dir(site.path(STATE)).unwrap();
    };
    ignored_after(folder, &[], true, "a folder in the state's place");
    // A link to itself: unreadable even by root.
    let unreadable = |site: &Site| {
        fs::remove_file(site.path(STATE)).unwrap();
        std::os::unix::fs::symlink(STATE, site.path(STATE)).unwrap();
    };
    ignored_after(unreadable, &[], true, "an unreadable state");
}

/// Replaces the version written in the state's header.
fn written_by(version: &'static str) -> impl FnOnce(&Site) {
    move |site: &Site| {
        rewrite_state(site, |bytes| {
            let ours = env!("CARGO_PKG_VERSION").as_bytes();
            assert_eq!(
                ours.len(),
                version.len(),
                "same length, so the header still reads"
            );
            let at = (bytes.windows(ours.len()))
                .position(|w| w == ours)
                .expect("the version in the header");
            bytes[at..at + ours.len()].copy_from_slice(version.as_bytes());
        });
    }
}

#[test]
fn a_state_of_another_gazette_is_ignored_and_a_newer_ones_is_reported() {
    ignored_after(written_by("0.0.0"), &[], false, "an older gazette's state");
    ignored_after(written_by("9.9.9"), &[], true, "a newer gazette's state");
}

#[test]
fn a_state_saved_for_another_configuration_templates_or_flags_is_ignored() {
    let config = |site: &Site| {
        site.write(
            "gazette.yaml",
            "title: The Evening Wire\nbase_url: https://example.com/\n",
        );
    };
    ignored_after(config, &[], false, "gazette.yaml changed");
    let template = |site: &Site| {
        site.write("templates/404.html", "{% extends \"base.html\" %}");
    };
    ignored_after(template, &[], false, "a template added");
    let site = site();
    build(&site, &[]);
    let (_, parsed, _) = build(&site, &["--drafts"]);
    assert_eq!(parsed, FILES, "--drafts used a state saved without it");
    let (_, parsed, _) = build(&site, &["--base-url", "https://other.example/"]);
    assert_eq!(parsed, FILES, "another base URL used the state");
    let (_, parsed, _) = build(&site, &["--base-url", "https://other.example/"]);
    assert_eq!(parsed, 0);
}

#[test]
fn a_failed_build_leaves_no_state_behind_it_to_trust() {
    let site = site();
    build(&site, &[]);
    build(&site, &[]);
    // Renders, then fails at the template: files were written into the staging folder.
    site.write("templates/article.html", "{{ nothing_here.at_all }}");
    let failed = site.run(&["build"]);
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    assert!(!site.path(STATE).exists(), "a failed render kept the state");
    fs::remove_file(site.path("templates/article.html")).unwrap();
    let (_, parsed, _) = build(&site, &[]);
    assert_eq!(parsed, FILES);
    assert_same_as_clean(&site, "after a failed build");
}

#[test]
fn bodies_are_not_saved_but_read_again_for_the_pages_that_show_them() {
    let site = site();
    build(&site, &[]);
    let state = fs::read(site.path(STATE)).unwrap();
    let body = b"More text.";
    assert!(
        !state.windows(body.len()).any(|w| w == body),
        "the state holds the articles' bodies"
    );
    // Story 9 is related to the stories of its tags: their pages list it, and are rendered
    // again from files that did not change.
    site.article(
        "world",
        "story-9",
        "title: Story 9\ndate: 2026-03-19\nauthor: wirebot\ntags: [ports, news]",
        "Body of story 9.\n\nMore text.",
    );
    let (_, parsed, rendered) = build(&site, &[]);
    assert_eq!(parsed, 1, "only the new article is read");
    assert!(
        rendered > 2,
        "the related pages are rendered again: {rendered}"
    );
    assert_same_as_clean(&site, "a new related article");
}

#[test]
fn sources_are_not_saved_but_read_again_with_the_body_for_the_pages_that_show_them() {
    let site = site();
    let front = "title: Story 0\ndate: 2026-03-10\nauthor: wirebot\ntags: [ports, news]\n\
                 sources:\n  - { title: Harbour log, publisher: Port Wire, url: \"https://example.org/harbour-log\" }";
    site.article("world", "story-0", front, "Body of story 0.");
    settle(&site);
    build(&site, &[]);
    let state = fs::read(site.path(STATE)).unwrap();
    let url = b"https://example.org/harbour-log";
    assert!(
        !state.windows(url.len()).any(|w| w == url),
        "the state holds the articles' sources"
    );
    let page = "public/2026/03/10/story-0/index.html";
    let before = fs::read_to_string(site.path(page)).unwrap();
    // Story 9 joins the related posts of story 0, whose page is rendered again from its file.
    site.article(
        "world",
        "story-9",
        "title: Story 9\ndate: 2026-03-19\nauthor: wirebot\ntags: [ports, news]",
        "Body of story 9.",
    );
    let (_, parsed, _) = build(&site, &[]);
    assert_eq!(parsed, 1, "only the new article is read");
    let after = fs::read_to_string(site.path(page)).unwrap();
    assert_ne!(before, after, "story 0's page is rendered again");
    assert!(
        after.contains("Harbour log"),
        "its sources are shown: {after}"
    );
    assert!(after.contains("\"isBasedOn\""), "and named in its JSON-LD");
    assert_same_as_clean(&site, "a page rendered again shows its sources");
}

#[test]
fn a_new_article_renders_no_page_of_the_articles_that_share_its_tag() {
    // Related posts are off, so that nothing but the shared tag and section tie them.
    let site = Site::new();
    site.write("gazette.yaml", "title: T\nrelated:\n  count: 0\n");
    let older = 60;
    for i in 0..older {
        site.article(
            "world",
            &format!("port-{i}"),
            &format!(
                "title: Port {i}\ndate: 2026-03-{:02}\nauthor: wirebot\ntags: [ports]",
                1 + i % 28
            ),
            "The port reopened.",
        );
    }
    settle(&site);
    build(&site, &[]);
    site.article(
        "world",
        "new",
        "title: New\ndate: 2026-04-01\nauthor: wirebot\ntags: [ports]",
        "Another port.",
    );
    let (_, parsed, rendered) = build(&site, &[]);
    assert_eq!(parsed, 1);
    // Its page, the first and newest pages of its lists, their feeds, the indexes and the
    // sitemaps: what a count of the tag or section in every summary once sent to all of them.
    assert!(
        rendered < older,
        "{rendered} files rendered for one article beside {older} sharing its tag and section"
    );
    assert_same_as_clean(&site, "a new article sharing a tag");
}

#[test]
fn a_new_article_renders_no_numbered_page_that_stays_the_same() {
    // 20 articles, 3 to a page, all in one section, tag, bot, year and month: each list has
    // numbered pages 1 to 7, the 7th holding 2. A new article fills page 7 and leaves pages 1
    // to 6 of every list as they were, counts of the list and of the year's months included.
    let site = Site::new();
    site.write(
        "gazette.yaml",
        "title: T\npaginate_by: 3\nrelated:\n  count: 0\n",
    );
    let older = 20;
    for i in 0..older {
        site.article(
            "world",
            &format!("port-{i}"),
            &format!(
                "title: Port {i}\ndate: 2026-03-{:02}T{:02}:00:00Z\nauthor: wirebot\ntags: [ports]",
                1 + i / 2,
                i % 2
            ),
            "The port reopened.",
        );
    }
    settle(&site);
    build(&site, &[]);
    let before = relative(&site.path("public"));
    site.article(
        "world",
        "new",
        "title: New\ndate: 2026-03-30\nauthor: wirebot\ntags: [ports]",
        "Another port.",
    );
    let (_, parsed, rendered) = build(&site, &[]);
    assert_eq!(parsed, 1);
    let after = relative(&site.path("public"));
    let changed = (after.iter())
        .filter(|(path, bytes)| before.get(*path) != Some(*bytes))
        .count();
    let numbered = (after.keys())
        .filter(|path| path.components().any(|c| c.as_os_str() == "page"))
        .filter(|path| before.get(*path) == after.get(*path))
        .count();
    assert_eq!(numbered, 6 * 6, "pages 1 to 6 of six lists stay the same");
    // Of the files rendered, only the sitemap index and robots.txt (written with the sitemaps
    // whenever one changes) come out the same: no numbered page that stays the same.
    assert!(
        rendered <= changed + 2,
        "{rendered} files rendered where {changed} changed"
    );
    assert_same_as_clean(&site, "a new article filling a numbered page");
}

#[test]
fn files_removed_from_the_output_by_hand_make_a_full_build_not_a_failed_one() {
    let site = site();
    build(&site, &[]);
    let story = "content/world/story-2.md";
    let before = fs::read_to_string(site.path(story)).unwrap();
    site.write(story, before.replace("Body of story 2.", "A new body."));
    settle(&site);
    build(&site, &[]);
    // Pages the next build keeps, not renders: one the last build left as it was, one it
    // changed.
    fs::remove_file(site.path("public/about/index.html")).unwrap();
    fs::remove_file(site.path("public/2026/03/12/story-2/index.html")).unwrap();
    let (run, parsed, _) = build(&site, &[]);
    assert_eq!(parsed, FILES, "built from nothing: {}", run.stdout);
    // A file the staging folder (the build before last) still holds comes back from there;
    // one the last build changed had to come from the output, and was not there.
    assert!(
        run.stderr
            .contains("1 file of the last build had been removed from the output"),
        "{}",
        run.stderr
    );
    assert_same_as_clean(&site, "pages removed from the output");
    let (_, parsed, rendered) = build(&site, &[]);
    assert_eq!((parsed, rendered), (0, 0), "and the state is good again");
}

/// `gazette build -v` with files limited to `bytes` each (RLIMIT_FSIZE) and SIGXFSZ ignored,
/// so that a write past the limit fails as on a full disk instead of killing the process.
fn build_with_files_limited_to(site: &Site, bytes: u64) -> Run {
    use std::os::unix::process::CommandExt;
    let mut command = crate::common::gazette();
    command.args(["build", "-v", "--root"]).arg(site.root());
    let limit = libc::rlimit {
        rlim_cur: bytes,
        rlim_max: bytes,
    };
    // SAFETY: between fork and exec only async-signal-safe calls, setrlimit and signal.
    unsafe {
        command.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            match libc::setrlimit(libc::RLIMIT_FSIZE, &limit) {
                0 => Ok(()),
                _ => Err(std::io::Error::last_os_error()),
            }
        });
    }
    Run::from(command.output().unwrap())
}

#[test]
fn a_disk_that_fills_while_the_state_is_written_gives_a_warning_and_a_full_build_next() {
    // Many small articles, dated over a year: a state larger than any file of the output.
    let site = Site::new();
    site.write("gazette.yaml", "title: T\nbase_url: https://example.com/\n");
    for i in 0..300 {
        let date = jiff::civil::date(2025, 1, 1) + jiff::Span::new().days(i);
        let front = format!("title: Story {i}\ndate: {date}");
        site.article("news", &format!("s{i}"), &front, "A.");
    }
    settle(&site);
    let (_, files, _) = build(&site, &[]);
    let state = fs::metadata(site.path(STATE)).unwrap().len();
    let largest = (tree(&site.path("public")).values().map(Vec::len).max()).unwrap() as u64;
    assert!(largest < state / 2, "state {state}, largest file {largest}");
    site.article("news", "s0", "title: Story 0 again\ndate: 2025-01-01", "B.");
    settle(&site);
    let run = build_with_files_limited_to(&site, (largest + state) / 2);
    assert_eq!(run.code, 0, "the publish went through: {}", run.stderr);
    let warnings = run.warnings();
    assert!(
        warnings.iter().any(|w| w.contains("build state")),
        "{warnings:?}"
    );
    assert_same_as_clean(&site, "a build whose state could not be written");
    let (_, parsed, _) = build(&site, &[]);
    assert_eq!(parsed, files, "no half-written state was trusted");
    assert_same_as_clean(&site, "the build after it");
}

#[test]
fn files_touched_but_not_changed_are_not_parsed_again_and_a_changed_byte_is_seen() {
    let site = site();
    build(&site, &[]);
    let story = site.path("content/world/story-2.md");
    let text = fs::read_to_string(&story).unwrap();
    let stamp = |minutes_ago: u64| {
        let file = fs::File::options().write(true).open(&story).unwrap();
        let time = SystemTime::now() - Duration::from_secs(60 * minutes_ago);
        file.set_modified(time).unwrap();
    };
    // A checkout, or a bot writing the same text again: a new time, the same bytes.
    site.write("content/world/story-2.md", &text);
    stamp(30);
    let (run, parsed, rendered) = build(&site, &[]);
    assert_eq!((parsed, rendered), (0, 0), "{}", run.stdout);
    // One byte changed, the length the same.
    site.write(
        "content/world/story-2.md",
        text.replace("story 2.", "story 9."),
    );
    stamp(20);
    let (_, parsed, rendered) = build(&site, &[]);
    assert_eq!(parsed, 1);
    assert!(rendered > 0);
    assert_same_as_clean(&site, "a byte changed");
}
