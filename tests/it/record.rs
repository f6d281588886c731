//! The news record: `/corrections/` and its feeds, what a correction changes in an article's
//! dates, and what a retraction does to an article and to every list that showed it.

use std::fs;
use std::process::Command;

use feed_rs::model::Feed;

use crate::common::{self, Site, attrs, texts};

const BASE: &str = "https://x.org/";
const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// Four articles of one story in world/, tagged shipping, by wirebot:
///
/// | name | date | corrections | retracted |
/// |---|---|---|---|
/// | alpha | 2026-03-10 | 2026-03-12 "Alpha fix one.", 2026-03-15 "Alpha fix two." | |
/// | bravo | 2026-03-11 | 2026-03-15 "Bravo fix." | |
/// | charlie | 2026-03-13 | | 2026-03-16, "The source was fabricated." |
/// | delta | 2026-03-14 | | |
fn fixture(paginate_by: usize) -> Site {
    let site = Site::new();
    site.write(
        "gazette.yaml",
        format!("title: The Desk\nbase_url: {BASE}\npaginate_by: {paginate_by}\n"),
    );
    let front = |title: &str, date: &str, more: &str| {
        format!(
            "title: {title}\ndate: {date}\nauthor: wirebot\ntags: [shipping]\nstory: port\n{more}"
        )
    };
    site.article(
        "world",
        "alpha",
        &front(
            "Alpha",
            "2026-03-10",
            "corrections:\n  - { date: 2026-03-12, text: Alpha fix one. }\n  - { date: 2026-03-15, text: Alpha fix two. }",
        ),
        "Alpha body.",
    );
    site.article(
        "world",
        "bravo",
        &front(
            "Bravo",
            "2026-03-11",
            "corrections: [{ date: 2026-03-15, text: Bravo fix. }]",
        ),
        "Bravo body.",
    );
    site.article(
        "world",
        "charlie",
        &front(
            "Charlie",
            "2026-03-13",
            "retracted: { date: 2026-03-16, reason: The source was fabricated. }",
        ),
        "Charliesecretword body.",
    );
    site.article(
        "world",
        "delta",
        &front("Delta", "2026-03-14", ""),
        "Delta links to [Charlie](/2026/03/13/charlie/).",
    );
    site
}

fn read(site: &Site, relative: &str) -> String {
    let path = site.path("public").join(relative);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn feed(site: &Site, relative: &str) -> Feed {
    feed_rs::parser::parse(read(site, relative).as_bytes())
        .unwrap_or_else(|e| panic!("{relative} does not parse: {e}"))
}

fn titles(feed: &Feed) -> Vec<String> {
    (feed.entries.iter())
        .map(|e| {
            e.title
                .as_ref()
                .map(|t| t.content.clone())
                .unwrap_or_default()
        })
        .collect()
}

/// Every page of every sitemap, with its lastmod.
fn sitemap(site: &Site) -> Vec<(String, Option<String>)> {
    let mut pages = Vec::new();
    for entry in fs::read_dir(site.path("public")).expect("public") {
        let name = entry.expect("entry").file_name();
        let name = name.to_string_lossy();
        if !name.starts_with("sitemap-") {
            continue;
        }
        let text = read(site, &name);
        let doc = roxmltree::Document::parse(&text).expect("well-formed sitemap");
        for url in doc
            .descendants()
            .filter(|n| n.has_tag_name((SITEMAP_NS, "url")))
        {
            let field = |f: &str| {
                (url.children())
                    .find(|c| c.has_tag_name((SITEMAP_NS, f)))
                    .and_then(|c| c.text().map(str::to_string))
            };
            pages.push((field("loc").unwrap_or_default(), field("lastmod")));
        }
    }
    pages
}

#[test]
fn the_corrections_page_lists_every_notice_newest_first_and_pages_from_the_oldest() {
    let site = fixture(2);
    site.build_ok(&[]);
    let html = site.html("corrections/index.html");
    // 16 March: the retraction; 15 March: bravo (the newer article) before alpha; then 12 March.
    assert_eq!(
        texts(&html, ".record .record-title"),
        ["Charlie", "Bravo"],
        "the first page shows the newest two"
    );
    assert_eq!(
        texts(&html, ".record .record-text"),
        ["The source was fabricated.", "Bravo fix."]
    );
    assert_eq!(
        attrs(&html, ".record .record-title a", "href"),
        [
            "/2026/03/13/charlie/#retraction",
            "/2026/03/11/bravo/#article_corrections"
        ]
    );
    assert_eq!(
        texts(&html, ".record-retraction .record-kind"),
        ["Retracted"]
    );
    assert_eq!(
        attrs(&html, ".record time", "datetime"),
        ["2026-03-16T00:00:00+00:00", "2026-03-15T00:00:00+00:00"]
    );
    // Numbered pages count from the oldest: /page/1/ holds the two oldest notices.
    let oldest = site.html("corrections/page/1/index.html");
    assert_eq!(
        texts(&oldest, ".record .record-text"),
        ["Alpha fix two.", "Alpha fix one."]
    );
    assert_eq!(
        attrs(&html, ".paginator a[rel=next]", "href"),
        ["/corrections/page/1/"]
    );
    assert!(site.exists("corrections/page/2/index.html"));
    assert!(!site.exists("corrections/page/3/index.html"));
    // Linked from the footer, and listed in the sitemap.
    let home = site.html("index.html");
    assert!(
        attrs(&home, "footer a", "href").contains(&"/corrections/".to_string()),
        "the footer links to /corrections/"
    );
    let pages = sitemap(&site);
    let record = pages
        .iter()
        .find(|(loc, _)| loc == "https://x.org/corrections/");
    assert_eq!(
        record.and_then(|(_, lastmod)| lastmod.as_deref()),
        Some("2026-03-16T00:00:00+00:00"),
        "{pages:?}"
    );
}

#[test]
fn a_site_without_corrections_still_has_the_page_and_empty_feeds() {
    let site = common::two_article_site();
    site.build_ok(&[]);
    let html = site.html("corrections/index.html");
    assert_eq!(texts(&html, ".empty"), ["No corrections yet."]);
    for format in ["atom.xml", "rss.xml", "feed.json"] {
        let parsed = feed(&site, &format!("corrections/{format}"));
        assert!(parsed.entries.is_empty(), "{format}");
    }
}

#[test]
fn the_corrections_feeds_carry_one_entry_per_notice_with_ids_that_stay() {
    let site = fixture(10);
    site.build_ok(&[]);
    for format in ["atom.xml", "rss.xml", "feed.json"] {
        let parsed = feed(&site, &format!("corrections/{format}"));
        assert_eq!(
            titles(&parsed),
            [
                "Retracted: Charlie",
                "Correction: Bravo",
                "Correction: Alpha",
                "Correction: Alpha"
            ],
            "{format}"
        );
        let ids: Vec<&str> = parsed.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "https://x.org/2026/03/13/charlie/#retraction",
                "https://x.org/2026/03/11/bravo/#correction-1",
                "https://x.org/2026/03/10/alpha/#correction-2",
                "https://x.org/2026/03/10/alpha/#correction-1",
            ],
            "{format}"
        );
        let first = &parsed.entries[0];
        assert_eq!(
            first.links[0].href,
            "https://x.org/2026/03/13/charlie/#retraction"
        );
    }
    // A new correction of alpha, listed after its others: the older entries keep their ids.
    site.article(
        "world",
        "alpha",
        "title: Alpha\ndate: 2026-03-10\nauthor: wirebot\ntags: [shipping]\nstory: port\ncorrections:\n  - { date: 2026-03-12, text: Alpha fix one. }\n  - { date: 2026-03-15, text: Alpha fix two. }\n  - { date: 2026-03-17, text: Alpha fix three. }",
        "Alpha body.",
    );
    site.build_ok(&[]);
    let parsed = feed(&site, "corrections/atom.xml");
    let ids: Vec<&str> = parsed.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids[0], "https://x.org/2026/03/10/alpha/#correction-3");
    assert!(ids.contains(&"https://x.org/2026/03/10/alpha/#correction-2"));
    feedparser_reads(
        &site,
        &[
            "corrections/atom.xml",
            "corrections/rss.xml",
            "atom.xml",
            "rss.xml",
        ],
    );
}

/// Python's feedparser reads each of `files` as a well-formed feed, where it is installed.
fn feedparser_reads(site: &Site, files: &[&str]) {
    let test = "the_corrections_feeds_carry_one_entry_per_notice_with_ids_that_stay";
    let Some(python) = common::program(test, &["python3"], "install Python 3") else {
        return;
    };
    let has = Command::new(&python)
        .args(["-c", "import feedparser"])
        .status();
    if !has.is_ok_and(|s| s.success()) {
        common::missing(test, "feedparser is not installed (pip install feedparser)");
        return;
    }
    let script = "import sys, feedparser\n\
        for path in sys.argv[1:]:\n\
        \x20   d = feedparser.parse(path)\n\
        \x20   print(int(d.bozo), len(d.entries), d.entries[0].id if d.entries else '')\n";
    let paths = files.iter().map(|f| site.path("public").join(f));
    let out = Command::new(&python)
        .arg("-c")
        .arg(script)
        .args(paths)
        .output()
        .expect("run python3");
    let report = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(
        lines.len(),
        files.len(),
        "{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (file, line) in files.iter().zip(lines) {
        assert!(
            line.starts_with("0 "),
            "{file} is malformed to feedparser: {line}"
        );
        assert!(!line.ends_with(' '), "{file}: an entry with no id: {line}");
    }
}

#[test]
fn a_correction_dates_the_article_s_last_change_everywhere() {
    let site = fixture(10);
    site.build_ok(&[]);
    // alpha: published 10 March, corrected 12 and 15 March, no `updated`.
    let html = site.html("2026/03/10/alpha/index.html");
    let ld = texts(&html, "head script[type='application/ld+json']");
    let ld: serde_json::Value = serde_json::from_str(&ld[0]).expect("JSON-LD");
    assert_eq!(ld["dateModified"], "2026-03-15T00:00:00+00:00", "{ld}");
    let entry = |format: &str| {
        let parsed = feed(&site, format);
        let alpha = parsed
            .entries
            .into_iter()
            .find(|e| e.id.contains("/alpha/"));
        alpha.expect("alpha in the site feed")
    };
    let updated = entry("atom.xml").updated.map(|d| d.to_rfc3339());
    assert_eq!(updated.as_deref(), Some("2026-03-15T00:00:00+00:00"));
    let updated = entry("feed.json").updated.map(|d| d.to_rfc3339());
    assert_eq!(updated.as_deref(), Some("2026-03-15T00:00:00+00:00"));
    let pages = sitemap(&site);
    let alpha = pages.iter().find(|(loc, _)| loc.ends_with("/alpha/"));
    assert_eq!(
        alpha.and_then(|(_, m)| m.as_deref()),
        Some("2026-03-15T00:00:00+00:00")
    );
}

#[test]
fn a_retracted_article_keeps_a_noindex_notice_and_leaves_every_list() {
    let site = fixture(10);
    site.write(
        "gazette.yaml",
        format!("title: The Desk\nbase_url: {BASE}\nsearch:\n  enabled: true\n"),
    );
    site.build_ok(&[]);
    let page = site.html("2026/03/13/charlie/index.html");
    assert_eq!(texts(&page, "h1"), ["Charlie"]);
    assert_eq!(attrs(&page, "meta[name=robots]", "content"), ["noindex"]);
    let notice = texts(&page, "#retraction p");
    assert!(
        notice[0].contains("16 March 2026") || notice[0].contains("2026"),
        "{notice:?}"
    );
    assert!(
        notice[0].contains("The source was fabricated."),
        "{notice:?}"
    );
    assert_eq!(
        attrs(&page, "#retraction time", "datetime"),
        ["2026-03-16T00:00:00+00:00"]
    );
    let text = read(&site, "2026/03/13/charlie/index.html");
    assert!(!text.contains("Charliesecretword"), "the body is not shown");
    // Out of every list a reader or a crawler follows.
    for list in [
        "index.html",
        "world/index.html",
        "tags/shipping/index.html",
        "bots/wirebot/index.html",
        "2026/index.html",
        "2026/03/index.html",
    ] {
        let html = site.html(list);
        let links = attrs(&html, "main a", "href");
        assert!(
            !links.iter().any(|l| l.contains("/charlie/")),
            "{list} links the retracted article: {links:?}"
        );
    }
    let tag = site.html("tags/shipping/index.html");
    assert_eq!(texts(&tag, ".list-count"), ["3 articles"]);
    // Out of others' related posts and story threads.
    let delta = site.html("2026/03/14/delta/index.html");
    for selector in [".related a", ".story a"] {
        let links = attrs(&delta, selector, "href");
        assert!(!links.is_empty(), "{selector}");
        assert!(
            !links.iter().any(|l| l.contains("/charlie/")),
            "{selector}: {links:?}"
        );
    }
    assert!(texts(&page, ".related, .story").is_empty());
    // Out of the sitemaps and the search index.
    assert!(
        !sitemap(&site)
            .iter()
            .any(|(loc, _)| loc.contains("/charlie/"))
    );
    assert!(!read(&site, "news-sitemap.xml").contains("/charlie/"));
    assert!(read(&site, "news-sitemap.xml").contains("/delta/"));
    let tag_feed = feed(&site, "tags/shipping/atom.xml");
    assert!(!tag_feed.entries.iter().any(|e| e.id.contains("/charlie/")));
    // In the site's feed, saying it was retracted, dated by the retraction.
    let parsed = feed(&site, "atom.xml");
    let entry = (parsed.entries.iter())
        .find(|e| e.id.contains("/charlie/"))
        .expect("the retracted article stays in the site's feed");
    assert_eq!(
        titles(&Feed {
            entries: vec![entry.clone()],
            ..parsed.clone()
        }),
        ["Retracted: Charlie"]
    );
    let content = entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .unwrap_or_default();
    assert!(content.contains("The source was fabricated."), "{content}");
    assert!(!content.contains("Charliesecretword"), "{content}");
    assert_eq!(
        entry.updated.map(|d| d.to_rfc3339()).as_deref(),
        Some("2026-03-16T00:00:00+00:00")
    );
}

#[test]
fn a_retraction_needs_a_reason_and_a_date() {
    let site = Site::new();
    for (retracted, at, what) in [
        (
            "retracted: { date: 2026-03-16, reason: \"  \" }",
            "content/world/a.md:4:",
            "`retracted.reason` is empty",
        ),
        (
            "retracted:\n  date: 2026-03-16",
            "content/world/a.md:5:3",
            "`retracted`: missing key `reason`",
        ),
        (
            "retracted: { date: last week, reason: Wrong. }",
            "content/world/a.md:4:20",
            "`retracted.date`: `last week` is not a date",
        ),
    ] {
        site.article(
            "world",
            "a",
            &format!("title: A\ndate: 2026-03-14\n{retracted}"),
            "Body.",
        );
        let run = site.build_fails();
        let errors = run.errors();
        assert_eq!(errors.len(), 1, "{}", run.stderr);
        let expected = format!("error: {at}");
        assert!(
            errors[0].starts_with(&expected) && errors[0].contains(what),
            "expected {expected}...{what}, got {}",
            errors[0]
        );
    }
}

#[test]
fn no_section_or_page_can_take_the_corrections_url() {
    let site = Site::new();
    site.article("corrections", "a", &common::article_front("A"), "Body.");
    let run = site.build_fails();
    assert!(
        run.errors()
            .iter()
            .any(|e| e.contains("content/corrections") && e.contains("/corrections/")),
        "{}",
        run.stderr
    );
    let site = common::two_article_site();
    site.write(
        "content/pages/fixes.md",
        "---\ntitle: Fixes\nslug: corrections\n---\nOur fixes.\n",
    );
    let run = site.build_fails();
    assert!(
        run.errors()
            .iter()
            .any(|e| e.contains("content/pages/fixes.md") && e.contains("the corrections page")),
        "{}",
        run.stderr
    );
}

#[test]
fn check_warns_about_articles_that_still_link_to_a_retracted_one() {
    let site = fixture(10);
    let run = site.run(&["check"]);
    let warnings: Vec<&str> = (run.warnings().into_iter())
        .filter(|w| w.contains("retracted"))
        .collect();
    assert_eq!(
        warnings,
        [
            "warning: content/world/delta.md:9:26: links to /2026/03/13/charlie/, an article that \
          was retracted (remove the link, or say in the text that the article was retracted)"
        ],
        "{}",
        run.stderr
    );
    // Many: one line, naming the retracted article and the first files.
    for n in 0..5 {
        site.article(
            "world",
            &format!("echo-{n}"),
            &format!("title: Echo {n}\ndate: 2026-03-15\nauthor: wirebot"),
            "See [the retracted one](/2026/03/13/charlie/).",
        );
    }
    let run = site.run(&["check"]);
    let warnings: Vec<&str> = (run.warnings().into_iter())
        .filter(|w| w.contains("retracted"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].contains("links to /2026/03/13/charlie/, an article that was retracted")
            && warnings[0].contains("content/world/delta.md")
            && warnings[0].contains("6 files"),
        "{}",
        warnings[0]
    );
}
