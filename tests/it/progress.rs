//! What `gazette build` tells while and after it runs: the counts of files written, unchanged
//! and removed, and the progress line, which a terminal gets and a pipe or a CI log never does.

use crate::common;

use std::process::Command;

use common::{Run, Site, article_front};

/// The `N written, N unchanged, N removed` of a build's summary line.
fn counts(run: &Run) -> (usize, usize, usize) {
    let line = run.stdout.lines().last().unwrap_or_default();
    let number_before = |word: &str| -> usize {
        let before = &line[..line.find(word).unwrap_or_else(|| panic!("{word}: {line}"))];
        let digits = before.trim_end().rsplit(' ').next().unwrap_or_default();
        digits.parse().unwrap_or_else(|_| panic!("{word}: {line}"))
    };
    (
        number_before(" written"),
        number_before(" unchanged"),
        number_before(" removed"),
    )
}

#[test]
fn a_build_tells_how_many_files_it_wrote_left_alone_and_removed() {
    let site = common::two_article_site();
    let (written, unchanged, removed) = counts(&site.build_ok(&[]));
    assert!(written > 0 && unchanged == 0 && removed == 0);
    let files = written;

    assert_eq!(
        counts(&site.build_ok(&[])),
        (0, files, 0),
        "nothing changed"
    );

    // The build before last did not have this article's page, so the staging folder that
    // becomes the new output never held it: it must still count as removed.
    site.article("world", "extra", &article_front("Extra"), "More.");
    site.build_ok(&[]);
    std::fs::remove_file(site.path("content/world/extra.md")).expect("remove");
    let (_, _, removed) = counts(&site.build_ok(&[]));
    assert!(!site.exists("2026/03/14/extra/index.html"));
    assert_eq!(removed, 1, "the article's page");
}

/// A site of `articles` stories, each long enough to take some parsing.
fn site_of(articles: usize) -> Site {
    let site = Site::new();
    for n in 0..articles {
        let front = article_front(&format!("Story {n}"));
        let body = "A paragraph of the story, long enough to take some parsing. ".repeat(40);
        site.article("world", &format!("story-{n:03}"), &front, &body);
    }
    site
}

/// Whether `stderr` holds a progress line: a count drawn in place.
fn shows_progress(stderr: &str) -> bool {
    stderr.contains("rendering ") || stderr.contains('\r') || stderr.contains('\x1b')
}

/// Builds `site` with stderr in a pipe and returns its stderr.
fn build_piped(site: &Site) -> String {
    let piped = common::gazette()
        .args(["build", "--full", "--root"])
        .arg(site.root())
        .env_remove("CI")
        .output()
        .expect("run gazette");
    let stderr = String::from_utf8_lossy(&piped.stderr).into_owned();
    assert!(piped.status.success(), "{stderr}");
    stderr
}

/// The seconds a build says it took, from the `in N s` that ends its summary line.
fn seconds_taken(summary: &str) -> f64 {
    let taken = summary.trim_end().rsplit(" in ").next().unwrap_or_default();
    (taken.trim_end_matches(" s").parse())
        .unwrap_or_else(|_| panic!("no time in the summary line: {summary:?}"))
}

#[test]
fn the_progress_line_shows_on_a_terminal_and_never_in_a_pipe_or_ci() {
    let test = "the_progress_line_shows_on_a_terminal_and_never_in_a_pipe_or_ci";
    let Some(script) = common::program(test, &["script"], "apt-get install bsdutils") else {
        return;
    };
    // `script` runs the build on a pseudo-terminal and copies what it drew to our pipe.
    let on_terminal = |site: &Site, ci: Option<&str>| {
        let command = format!(
            "{} build --full --root {}",
            common::gazette_path().display(),
            site.root().display()
        );
        let mut script = Command::new(&script);
        script
            .args(["-qec", &command, "/dev/null"])
            .env_remove("CI");
        if let Some(ci) = ci {
            script.env("CI", ci);
        }
        let out = script.output().expect("run script");
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // The line waits a second before it shows. How long a build runs depends on how busy the
    // machine is at that moment (the suite runs tests in parallel), so the build on the
    // terminal is judged by the time it reports itself: one under 1.5 s proves nothing, and
    // the site doubles until a build runs longer.
    let mut articles = 500;
    let (site, drawn) = loop {
        let site = site_of(articles);
        build_piped(&site);
        let piped = build_piped(&site);
        assert!(!shows_progress(&piped), "progress in a pipe: {piped:?}");
        let drawn = on_terminal(&site, None);
        let last = (drawn.rsplit('\r'))
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default()
            .to_owned();
        assert!(
            last.contains(&format!("built {articles} articles")),
            "the line is not cleared: {last:?}"
        );
        if seconds_taken(&last) >= 1.5 {
            break (site, drawn);
        }
        assert!(
            articles < 64_000,
            "no build ran long enough to show its progress"
        );
        articles *= 2;
    };
    assert!(drawn.contains("rendering "), "no progress line: {drawn:?}");
    let in_ci = on_terminal(&site, Some("true"));
    assert!(!in_ci.contains("rendering "), "progress in CI: {in_ci:?}");
}
