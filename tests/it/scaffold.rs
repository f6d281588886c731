//! `gazette init` and `gazette new`: the path from nothing to a first article.

use crate::common;

use std::fs;

use common::{Site, texts};
use gazette::render::templates::BUILT_IN;

fn today_in(zone: &str) -> String {
    let tz = jiff::tz::TimeZone::get(zone).unwrap();
    jiff::Timestamp::now()
        .to_zoned_datetime(tz)
        .strftime("%Y-%m-%d")
        .to_string()
}

/// The front matter of a Markdown file, parsed.
fn front_matter(path: &std::path::Path) -> serde_yaml::Value {
    let text = fs::read_to_string(path).unwrap();
    let yaml = text
        .strip_prefix("---\n")
        .unwrap()
        .split("\n---\n")
        .next()
        .unwrap();
    serde_yaml::from_str(yaml).unwrap()
}

#[test]
fn init_writes_a_site_that_builds_with_the_built_in_theme() {
    let site = Site::empty();
    let run = site.run(&["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("gazette serve"),
        "next steps: {}",
        run.stdout
    );
    assert!(site.path("gazette.yaml").is_file());
    assert!(site.path("content/bots/newsbot.md").is_file());
    assert!(!site.path("templates").exists(), "the theme stays embedded");

    let build = site.build_ok(&[]);
    assert_eq!(build.warnings(), Vec::<&str>::new());
    let home = site.html("index.html");
    assert_eq!(
        texts(&home, ".summary-title a"),
        ["Welcome to your gazette site"]
    );
    assert_eq!(
        texts(&site.html("bots/newsbot/index.html"), "h1"),
        ["NewsBot"]
    );
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let site = Site::empty();
    site.write("notes.txt", "keep me");
    let before = common::tree(site.root());
    let run = site.run(&["init"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.errors().len(), 1, "{}", run.stderr);
    assert!(
        run.errors()[0].contains("the folder is not empty"),
        "{}",
        run.stderr
    );
    assert_eq!(common::tree(site.root()), before, "nothing was written");
}

#[test]
fn init_theme_copies_the_built_in_templates() {
    let site = Site::empty();
    assert_eq!(site.run(&["init", "--theme"]).code, 0);
    for (name, text) in BUILT_IN {
        let copied = fs::read_to_string(site.path("templates").join(name)).unwrap();
        assert_eq!(&copied, text, "{name}");
    }
    site.build_ok(&[]);
}

#[test]
fn init_theme_in_an_existing_site_adds_only_the_templates_and_never_overwrites() {
    let site = Site::new();
    site.article("world", "a", "title: A\ndate: 2026-01-02", "Body.");
    let run = site.run(&["init", "--theme"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.path("templates/article.html").is_file());
    assert!(
        !site.path("gazette.yaml").exists(),
        "no starter files in a site"
    );

    site.write("templates/article.html", "mine");
    let run = site.run(&["init", "--theme"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        fs::read_to_string(site.path("templates/article.html")).unwrap(),
        "mine"
    );
}

#[test]
fn new_writes_front_matter_dated_now_in_the_site_time_zone() {
    let site = Site::empty();
    assert_eq!(site.run(&["init"]).code, 0);
    // Kiribati's Line Islands run 14 hours ahead of UTC: often another day.
    let config = fs::read_to_string(site.path("gazette.yaml")).unwrap();
    site.write(
        "gazette.yaml",
        config.replace("timezone: UTC", "timezone: Pacific/Kiritimati"),
    );
    let run = site.run(&[
        "new",
        "Port strike: day \"3\"",
        "--section",
        "world",
        "--tags",
        "labour, shipping",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let day = today_in("Pacific/Kiritimati");
    let path = site.path(&format!("content/world/{day}-port-strike-day-3.md"));
    assert_eq!(run.stdout.trim(), path.display().to_string());

    let meta = front_matter(&path);
    assert_eq!(meta["title"].as_str(), Some("Port strike: day \"3\""));
    assert_eq!(meta["author"].as_str(), Some("newsbot"), "the default bot");
    let tags: Vec<&str> = meta["tags"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(tags, ["labour", "shipping"]);
    assert_eq!(meta["sources"].as_sequence().map(Vec::len), Some(0));
    let date = meta["date"].as_str().unwrap();
    assert!(date.starts_with(&day) && date.ends_with("+14:00"), "{date}");

    site.build_ok(&[]);
    let url = format!("{}/port-strike-day-3/index.html", day.replace('-', "/"));
    assert_eq!(texts(&site.html(&url), "h1"), ["Port strike: day \"3\""]);
}

#[test]
fn new_refuses_to_overwrite_an_article() {
    let site = Site::empty();
    assert_eq!(site.run(&["init"]).code, 0);
    let first = site.run(&["new", "Same title", "--author", "ledgerbot"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let path = site.path(first.stdout.trim());
    let written = fs::read_to_string(&path).unwrap();
    assert_eq!(front_matter(&path)["author"].as_str(), Some("ledgerbot"));

    let second = site.run(&["new", "Same title"]);
    assert_eq!(second.code, 1);
    assert!(
        second.errors()[0].contains("nothing was overwritten"),
        "{}",
        second.stderr
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), written);
}

#[test]
fn new_rejects_a_title_without_words_and_a_reserved_section_as_usage_errors() {
    let site = Site::empty();
    assert_eq!(site.run(&["init"]).code, 0);
    let before = common::tree(site.root());
    assert_eq!(site.run(&["new", "!!!"]).code, 2);
    assert_eq!(site.run(&["new", "Fine", "--section", "bots"]).code, 2);
    assert_eq!(site.run(&["new", "Fine", "--section", "../out"]).code, 2);
    assert_eq!(common::tree(site.root()), before);
}

#[test]
fn new_refuses_every_section_the_build_refuses() {
    let site = Site::empty();
    assert_eq!(site.run(&["init"]).code, 0);
    let before = common::tree(site.root());
    let long = "a".repeat(256);
    for section in [
        "tags", "pages", "editors", "2024", "page", "search", "Tags", &long,
    ] {
        let run = site.run(&["new", "Fine", "--section", section]);
        assert_eq!(run.code, 2, "--section {section}: {}", run.stderr);
    }
    assert_eq!(common::tree(site.root()), before);
    // What `new` takes, the build takes.
    let run = site.run(&["new", "Fine", "--section", "tag-news"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site.build_ok(&[]);
}

#[test]
fn new_refuses_a_title_too_long_to_name_a_file() {
    let site = Site::empty();
    assert_eq!(site.run(&["init"]).code, 0);
    let run = site.run(&["new", &"word ".repeat(60)]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("255"), "{}", run.stderr);
}

#[test]
fn new_with_an_author_that_has_no_profile_warns_and_writes_the_article() {
    let site = Site::empty();
    assert_eq!(site.run(&["init"]).code, 0);
    let run = site.run(&["new", "Fine", "--author", "The Desk"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = site.path(run.stdout.trim());
    assert!(path.is_file(), "{}", run.stdout);
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].contains("has no bot profile")
            && warnings[0].contains("content/bots/the-desk.md")
            && warnings[0].contains("`author: the-desk`"),
        "{}",
        warnings[0]
    );
    // A known author, given or the default, is no warning.
    for args in [
        &["new", "Other", "--author", "newsbot"][..],
        &["new", "Third"],
    ] {
        let run = site.run(args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.warnings().is_empty(), "{}", run.stderr);
    }
}

#[test]
fn init_writes_a_gitignore_for_what_a_build_writes() {
    let site = Site::empty();
    assert_eq!(site.run(&["init"]).code, 0);
    let ignored = fs::read_to_string(site.path(".gitignore")).unwrap();
    // The second build leaves the staging folder too.
    site.build_ok(&[]);
    site.build_ok(&[]);
    let written: Vec<String> = fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name == "public" || name.contains("gazette-"))
        .collect();
    assert!(written.len() >= 3, "{written:?}");
    for name in written {
        assert!(
            ignored.lines().any(|line| line.trim_matches('/') == name),
            "{name} is not in .gitignore:\n{ignored}"
        );
    }
    assert!(ignored.contains("/.public.gazette-old"), "{ignored}");
    // git reads it as meant.
    if let Some(git) = common::program("init_writes_a_gitignore", &["git"], "git") {
        let repo = std::process::Command::new(&git)
            .args(["init", "-q"])
            .current_dir(site.root())
            .status()
            .unwrap();
        assert!(repo.success());
        let status = std::process::Command::new(&git)
            .args(["status", "--porcelain", "--untracked-files=all"])
            .current_dir(site.root())
            .output()
            .unwrap();
        let listed = String::from_utf8_lossy(&status.stdout);
        assert!(
            !listed.contains("public") && !listed.contains("gazette-"),
            "{listed}"
        );
        assert!(listed.contains("gazette.yaml"), "{listed}");
    }
}
