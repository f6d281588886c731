//! Redirects: each old URL of an article (`aliases:`) gets a page that leads to it, and a line
//! in `/_redirects` for the hosts that read that file; an alias can neither take a page's URL
//! nor lead outside the site.

use crate::common;

use std::fs;

use common::{Site, attrs, texts};

const BASE: &str = "https://example.org/news/";

/// The lines of `_redirects`, each as (old URL, new URL), every line checked to be
/// `<old> <new> 301`.
fn redirects(site: &Site) -> Vec<(String, String)> {
    let text = fs::read_to_string(site.path("public/_redirects")).expect("_redirects");
    text.lines()
        .map(|line| {
            let parts: Vec<&str> = line.split(' ').collect();
            assert_eq!(parts.len(), 3, "{line:?}");
            assert_eq!(parts[2], "301", "{line:?}");
            (parts[0].to_string(), parts[1].to_string())
        })
        .collect()
}

/// The built file a URL path under the base path `/news/` is served from.
fn file_of(site: &Site, url: &str) -> std::path::PathBuf {
    let path = url.strip_prefix("/news/").expect("under the base path");
    site.path("public").join(path).join("index.html")
}

fn aliased_site() -> Site {
    let site = Site::new();
    site.article(
        "world",
        "port",
        "title: Port strike ends\ndate: 2026-03-14\n\
         aliases: [/2026/03/14/port-strike-over/, \"old/port\"]",
        "Dockers vote.",
    );
    site.article(
        "world",
        "ferry",
        "title: Ferry restored\ndate: 2026-03-12\naliases:\n  - /ferry/",
        "Boats run.",
    );
    site
}

#[test]
fn every_alias_gets_a_page_that_leads_to_its_article() {
    let site = aliased_site();
    site.build_ok(&["--base-url", BASE]);
    let lines = redirects(&site);
    assert_eq!(
        lines,
        [
            (
                "/news/2026/03/14/port-strike-over/",
                "/news/2026/03/14/port/"
            ),
            ("/news/old/port/", "/news/2026/03/14/port/"),
            ("/news/ferry/", "/news/2026/03/12/ferry/"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    for (old, new) in &lines {
        assert!(file_of(&site, new).is_file(), "{new} is not built");
        let page = site.html(
            file_of(&site, old)
                .strip_prefix(site.path("public"))
                .unwrap()
                .to_str()
                .unwrap(),
        );
        let target = format!("https://example.org{new}");
        assert_eq!(
            attrs(&page, "meta[http-equiv=refresh]", "content"),
            [format!("0; url={target}")]
        );
        assert_eq!(
            attrs(&page, "link[rel=canonical]", "href"),
            [target.as_str()]
        );
        assert_eq!(attrs(&page, "meta[name=robots]", "content"), ["noindex"]);
        assert_eq!(attrs(&page, "body a", "href"), [target]);
    }
    assert_eq!(
        texts(&site.html("ferry/index.html"), "body a"),
        ["Ferry restored"]
    );
    // Not pages of their own: no sitemap lists them.
    for sitemap in ["sitemap-pages.xml", "sitemap-2026.xml"] {
        let text = fs::read_to_string(site.path("public").join(sitemap)).unwrap();
        assert!(
            !text.contains("port-strike-over") && !text.contains("news/ferry/<"),
            "{text}"
        );
    }
}

#[test]
fn without_a_host_redirect_pages_lead_to_the_path() {
    let site = aliased_site();
    site.build_ok(&[]);
    let page = site.html("ferry/index.html");
    assert_eq!(
        attrs(&page, "meta[http-equiv=refresh]", "content"),
        ["0; url=/2026/03/12/ferry/"]
    );
    assert!(redirects(&site).contains(&("/ferry/".into(), "/2026/03/12/ferry/".into())));
}

#[test]
fn a_page_keeps_its_old_urls_too() {
    let site = aliased_site();
    site.write(
        "content/pages/about.md",
        "---\ntitle: About us\naliases: [/who-we-are/]\n---\nUs.\n",
    );
    site.build_ok(&[]);
    let page = site.html("who-we-are/index.html");
    assert_eq!(attrs(&page, "body a", "href"), ["/about/"]);
    assert_eq!(texts(&page, "body a"), ["About us"]);
    let text = fs::read_to_string(site.path("public/_redirects")).unwrap();
    assert!(text.ends_with("/who-we-are/ /about/ 301\n"), "{text}");
    site.write(
        "content/pages/about.md",
        "---\ntitle: About us\naliases: [/2026/03/14/port/]\n---\nUs.\n",
    );
    let run = site.build_fails();
    assert!(
        run.stderr.contains("error: content/pages/about.md: `aliases`: /2026/03/14/port/ is the URL of content/world/port.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_site_without_aliases_has_no_redirects_file() {
    let site = common::two_article_site();
    site.build_ok(&[]);
    assert!(!site.exists("_redirects"));
}

#[test]
fn an_alias_that_is_a_page_url_is_an_error_naming_both_files() {
    let site = aliased_site();
    site.article(
        "world",
        "other",
        "title: Other\ndate: 2026-03-10\naliases: [/2026/03/14/port/]",
        "Text.",
    );
    let run = site.build_fails();
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with("error: content/world/other.md: `aliases`: /2026/03/14/port/ is the URL of content/world/port.md"),
        "{}",
        run.stderr
    );
    // Two articles claiming one old URL.
    site.article(
        "world",
        "other",
        "title: Other\ndate: 2026-03-10\naliases: [/ferry/]",
        "Text.",
    );
    let run = site.build_fails();
    assert!(
        run.stderr
            .contains("/ferry/ is the URL of an alias of content/world/"),
        "{}",
        run.stderr
    );
}

#[test]
fn aliases_outside_the_site_are_refused_where_they_are_written() {
    let site = Site::new();
    site.article(
        "world",
        "port",
        "title: Port\ndate: 2026-03-14\naliases:\n  - /fine/\n  - ../../escaped/\n  - \"https://evil.example/x/\"\n  - /a?b=1\n  - '/back\\slash/'\n  - /old.html",
        "Text.",
    );
    let run = site.build_fails();
    let errors = run.errors();
    let expected = [
        ("6:5", "`../../escaped/`"),
        ("7:6", "is an address on another site"),
        ("8:5", "has a query or a fragment"),
        ("9:6", "back\\\\slash"),
        ("10:5", "`/old.html`"),
    ];
    assert_eq!(errors.len(), expected.len(), "{}", run.stderr);
    for (error, (at, what)) in errors.iter().zip(expected) {
        assert!(
            error.starts_with(&format!("error: content/world/port.md:{at}: `aliases`: "))
                && error.contains(what),
            "{error:?} should be at {at} and say {what}\n{}",
            run.stderr
        );
    }
    assert!(
        !site.path("escaped").exists() && !site.root().parent().unwrap().join("escaped").exists()
    );
}

#[test]
fn redirect_pages_are_never_written_outside_the_output() {
    let site = Site::new();
    let outside = site.path("outside");
    for alias in [
        "/../outside/",
        "..%2F..%2Foutside",
        "/%2e%2e/outside/",
        "/.../",
    ] {
        site.article(
            "world",
            "port",
            &format!("title: Port\ndate: 2026-03-14\naliases: [\"{alias}\"]"),
            "Text.",
        );
        let run = site.run(&[
            "build",
            "--output",
            site.path("deep/public").to_str().unwrap(),
        ]);
        assert_eq!(run.code, 1, "{alias}: {}", run.stderr);
        assert!(!outside.exists(), "{alias}");
        assert!(!site.path("deep/outside").exists(), "{alias}");
    }
}

#[test]
fn removing_an_alias_removes_its_page_and_the_redirects_file() {
    let site = aliased_site();
    site.build_ok(&[]);
    assert!(site.exists("ferry/index.html") && site.exists("_redirects"));
    site.article(
        "world",
        "port",
        "title: Port strike ends\ndate: 2026-03-14",
        "Dockers vote.",
    );
    site.article(
        "world",
        "ferry",
        "title: Ferry restored\ndate: 2026-03-12",
        "Boats run.",
    );
    site.build_ok(&[]);
    assert!(!site.exists("ferry/index.html"));
    assert!(!site.exists("old/port/index.html"));
    assert!(!site.exists("_redirects"));
    let kept = common::tree(&site.path("public"));
    site.build_ok(&["--full"]);
    assert_eq!(
        kept,
        common::tree(&site.path("public")),
        "same as a clean build"
    );
}

#[test]
fn alias_pages_are_served_and_lead_to_a_page_that_is_served() {
    let site = aliased_site();
    let server = common::server::Server::start(&site, &[]);
    let reply = server.get("/old/port/");
    assert_eq!(reply.status, 200);
    let page = reply.html();
    // The preview serves the site at its own address.
    let target = attrs(&page, "body a", "href");
    let path = target[0]
        .strip_prefix(&format!("http://{}", server.address()))
        .unwrap();
    assert_eq!(path, "/2026/03/14/port/", "{target:?}");
    assert_eq!(server.get(path).status, 200);
}

/// The warnings of `gazette check` about URLs that changed.
fn moved(site: &Site) -> Vec<String> {
    let run = site.run(&["check", "--verbose"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (run.warnings().into_iter())
        .filter(|w| w.contains("URL changed"))
        .map(str::to_string)
        .collect()
}

#[test]
fn check_warns_when_a_slug_changed_since_the_last_build_until_an_alias_keeps_the_old_url() {
    let site = Site::new();
    let front = "title: Port strike ends\ndate: 2026-03-14\nsources: [{ title: R, url: \"https://example.org/r\" }]";
    site.article("world", "port", front, "Dockers vote.");
    site.build_ok(&[]);
    assert!(moved(&site).is_empty(), "nothing changed yet");
    site.article(
        "world",
        "port",
        &format!("{front}\nslug: port-strike-over"),
        "Dockers vote.",
    );
    assert_eq!(
        moved(&site),
        [
            "warning: content/world/port.md:5:1: its URL changed from /2026/03/14/port/ to \
          /2026/03/14/port-strike-over/ since the last build (add `aliases: [/2026/03/14/port/]` \
          to keep old links working)"
        ]
    );
    site.article(
        "world",
        "port",
        &format!("{front}\nslug: port-strike-over\naliases: [/2026/03/14/port/]"),
        "Dockers vote.",
    );
    assert!(moved(&site).is_empty(), "the alias keeps the old URL");
}

#[test]
fn check_follows_a_renamed_file_by_its_title() {
    let site = Site::new();
    let front = "title: Port strike ends\ndate: 2026-03-14\nsources: [{ title: R, url: \"https://example.org/r\" }]";
    site.article("world", "port", front, "Dockers vote.");
    site.build_ok(&[]);
    fs::remove_file(site.path("content/world/port.md")).unwrap();
    site.article("world", "port-strike-ends", front, "Dockers vote.");
    let warnings = moved(&site);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("warning: content/world/port-strike-ends.md: its URL changed from /2026/03/14/port/ to /2026/03/14/port-strike-ends/ since the last build (it was content/world/port.md)"),
        "{warnings:?}"
    );
    // A deleted article is no slip to warn about.
    fs::remove_file(site.path("content/world/port-strike-ends.md")).unwrap();
    site.article("world", "other", "title: Other\ndate: 2026-03-14", "Text.");
    assert!(moved(&site).is_empty());
}
