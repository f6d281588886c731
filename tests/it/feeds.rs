//! Feeds, sitemaps and robots.txt: what feed readers, aggregators and search engines get.
//!
//! Feeds are read back with real parsers (the feed-rs crate; Python's feedparser where
//! installed), sitemaps with an XML parser, and the checks are on the parsed fields.

use crate::common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Site, attrs};
use feed_rs::model::{Entry, Feed};

const BASE: &str = "https://x.org/news/";
const FORMATS: [&str; 3] = ["atom.xml", "rss.xml", "feed.json"];

/// Four articles under a sub-path base URL, by two bots, plus a bot with none:
///
/// | name | date | section | tags | author |
/// |---|---|---|---|---|
/// | alpha | 2026-03-10 09:00Z, updated 2026-03-20 | world | Shipping, Europe | wirebot |
/// | bravo | 2026-03-11 | world | Europe | wirebot |
/// | charlie | 2026-03-12 | business | Markets | deskbot |
/// | delta | 2026-03-13 10:00Z | science | Shipping | deskbot |
fn fixture(config: &str) -> Site {
    let site = Site::new();
    site.write(
        "gazette.yaml",
        format!("title: The Desk\nbase_url: {BASE}\n{config}"),
    );
    site.write(
        "content/bots/deskbot.md",
        "---\nname: DeskBot\n---\nAbout.\n",
    );
    site.write(
        "content/bots/idlebot.md",
        "---\nname: IdleBot\n---\nAbout.\n",
    );
    site.article(
        "world",
        "alpha",
        "title: Alpha\ndate: 2026-03-10T09:00:00Z\nupdated: 2026-03-20T12:00:00Z\nauthor: wirebot\ntags: [Shipping, Europe]\nsummary: \"Alpha in short.\"",
        "Alpha body text.",
    );
    site.article(
        "world",
        "bravo",
        "title: Bravo\ndate: 2026-03-11\nauthor: wirebot\ntags: [Europe]",
        "Bravo body.",
    );
    site.article(
        "business",
        "charlie",
        "title: Charlie\ndate: 2026-03-12\nauthor: deskbot\ntags: [Markets]",
        "Charlie body.",
    );
    site.article(
        "science",
        "delta",
        "title: Delta\ndate: 2026-03-13T10:00:00Z\nauthor: deskbot\ntags: [Shipping]",
        "Delta body.",
    );
    site
}

fn built(config: &str) -> Site {
    let site = fixture(config);
    site.build_ok(&[]);
    site
}

fn read(site: &Site, relative: &str) -> Vec<u8> {
    let path = site.path("public").join(relative);
    fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A built feed, parsed by feed-rs.
fn feed(site: &Site, relative: &str) -> Feed {
    feed_rs::parser::parse(&read(site, relative)[..])
        .unwrap_or_else(|e| panic!("{relative} does not parse: {e}"))
}

fn titles(feed: &Feed) -> Vec<String> {
    feed.entries.iter().map(title).collect()
}

fn title(entry: &Entry) -> String {
    entry
        .title
        .as_ref()
        .map(|t| t.content.clone())
        .unwrap_or_default()
}

fn entry<'f>(feed: &'f Feed, name: &str) -> &'f Entry {
    feed.entries
        .iter()
        .find(|e| title(e) == name)
        .unwrap_or_else(|| panic!("no entry {name} in {:?}", titles(feed)))
}

/// Each feed file of the folder `dir` (`""`, `tags/x/`), with its name.
fn feeds_in(site: &Site, dir: &str) -> Vec<(String, Feed)> {
    FORMATS
        .iter()
        .map(|f| {
            let name = format!("{dir}{f}");
            let parsed = feed(site, &name);
            (name, parsed)
        })
        .collect()
}

/// A built XML file, parsed.
fn xml(site: &Site, relative: &str) -> String {
    String::from_utf8(read(site, relative)).expect("UTF-8")
}

/// The text of every `name` element in namespace `ns` of `doc`.
fn texts_of(doc: &roxmltree::Document, ns: &str, name: &str) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name((ns, name)))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

// --- Feeds --------------------------------------------------------------------------------

#[test]
fn every_feed_parses_in_every_format_and_scope() {
    let site = fixture("");
    // Text that breaks naive XML: markup characters in the title, and `]]>`, which ends a
    // CDATA section, in raw HTML of the body.
    site.article(
        "world",
        "tricky",
        "title: \"Ports & <docks> \\\"quoted\\\"\"\ndate: 2026-03-01\nauthor: wirebot\ntags: [Shipping]",
        "Body with <!-- ]]> --> a CDATA end and <b>raw</b> HTML & more.",
    );
    site.build_ok(&[]);
    for dir in [
        "",
        "tags/shipping/",
        "tags/europe/",
        "bots/wirebot/",
        "bots/idlebot/",
    ] {
        for (name, feed) in feeds_in(&site, dir) {
            assert!(feed.title.is_some(), "{name} has no title");
            let expected = match dir {
                "" => 5,
                "tags/shipping/" | "bots/wirebot/" => 3,
                "bots/idlebot/" => 0,
                _ => 2,
            };
            assert_eq!(feed.entries.len(), expected, "{name}: {:?}", titles(&feed));
        }
    }
    for (name, feed) in feeds_in(&site, "") {
        assert_eq!(
            title(entry(&feed, "Ports & <docks> \"quoted\"")),
            "Ports & <docks> \"quoted\"",
            "{name}"
        );
    }
}

#[test]
fn feed_lists_the_newest_articles_first_up_to_the_limit() {
    let site = built("feeds:\n  limit: 2\n");
    for (name, feed) in feeds_in(&site, "") {
        assert_eq!(titles(&feed), ["Delta", "Charlie"], "{name}");
    }
    // Tag and bot feeds have the same limit: three articles carry Shipping, two are by each bot.
    let site = built("feeds:\n  limit: 1\n");
    for dir in ["tags/shipping/", "bots/deskbot/"] {
        for (name, feed) in feeds_in(&site, dir) {
            assert_eq!(titles(&feed), ["Delta"], "{name}");
        }
    }
}

#[test]
fn feed_holds_twenty_articles_by_default() {
    let site = Site::new();
    site.write("gazette.yaml", format!("base_url: {BASE}\n"));
    for day in 1..=25 {
        site.article(
            "world",
            &format!("a{day}"),
            &format!("title: A{day}\ndate: 2026-03-{day:02}"),
            "Body.",
        );
    }
    site.build_ok(&[]);
    for (name, feed) in feeds_in(&site, "") {
        assert_eq!(feed.entries.len(), 20, "{name}");
        assert_eq!(title(&feed.entries[0]), "A25", "{name}");
    }
}

#[test]
fn tag_and_bot_feeds_hold_only_their_articles() {
    let site = built("");
    let cases: [(&str, &[&str]); 4] = [
        ("tags/shipping/", &["Delta", "Alpha"]),
        ("tags/markets/", &["Charlie"]),
        ("bots/deskbot/", &["Delta", "Charlie"]),
        ("bots/wirebot/", &["Bravo", "Alpha"]),
    ];
    for (dir, expected) in cases {
        for (name, feed) in feeds_in(&site, dir) {
            assert_eq!(titles(&feed), expected, "{name}");
        }
    }
}

#[test]
fn feed_entries_carry_author_categories_and_dates() {
    let site = built("");
    for (name, feed) in feeds_in(&site, "") {
        let alpha = entry(&feed, "Alpha");
        let authors: Vec<_> = alpha.authors.iter().map(|a| a.name.as_deref()).collect();
        assert_eq!(authors, [Some("WireBot")], "{name}");
        let categories: Vec<_> = alpha.categories.iter().map(|c| c.term.as_str()).collect();
        assert_eq!(categories, ["Shipping", "Europe"], "{name}");
        let published = alpha.published.map(|d| d.to_rfc3339());
        assert_eq!(
            published.as_deref(),
            Some("2026-03-10T09:00:00+00:00"),
            "{name}"
        );
        let link: Vec<_> = alpha.links.iter().map(|l| l.href.as_str()).collect();
        assert!(
            link.contains(&"https://x.org/news/2026/03/10/alpha/"),
            "{name}: {link:?}"
        );
    }
    // RSS has no date of change for an item nor a link for its author; Atom and JSON Feed do.
    for name in ["atom.xml", "feed.json"] {
        let feed = feed(&site, name);
        let alpha = entry(&feed, "Alpha");
        let updated = alpha.updated.map(|d| d.to_rfc3339());
        assert_eq!(
            updated.as_deref(),
            Some("2026-03-20T12:00:00+00:00"),
            "{name}"
        );
        let uri = alpha.authors[0].uri.as_deref();
        assert_eq!(uri, Some("https://x.org/news/bots/wirebot/"), "{name}");
    }
}

#[test]
fn an_author_without_a_profile_is_named_and_no_author_is_the_site() {
    let site = fixture("");
    site.article(
        "world",
        "guest",
        "title: Guest\ndate: 2026-03-01\nauthor: Guest Desk",
        "Body.",
    );
    site.article(
        "world",
        "nobody",
        "title: Nobody\ndate: 2026-03-02",
        "Body.",
    );
    site.build_ok(&[]);
    for (name, feed) in feeds_in(&site, "") {
        for (article, author) in [("Guest", "Guest Desk"), ("Nobody", "The Desk")] {
            let authors = &entry(&feed, article).authors;
            let names: Vec<_> = authors.iter().map(|a| a.name.as_deref()).collect();
            assert_eq!(names, [Some(author)], "{name}: {article}");
            assert!(authors[0].uri.is_none(), "{name}: {article}");
        }
    }
}

#[test]
fn feed_updated_is_the_newest_change_not_the_build_time() {
    let site = built("");
    // Alpha is the oldest article but was updated last.
    for (name, feed) in feeds_in(&site, "")
        .into_iter()
        .chain(feeds_in(&site, "tags/europe/"))
    {
        if name.ends_with("feed.json") {
            continue; // JSON Feed has no date of the feed itself.
        }
        let updated = feed.updated.map(|d| d.to_rfc3339());
        assert_eq!(
            updated.as_deref(),
            Some("2026-03-20T12:00:00+00:00"),
            "{name}"
        );
    }
    let shipping = feed(&site, "bots/deskbot/atom.xml");
    let updated = shipping.updated.map(|d| d.to_rfc3339());
    assert_eq!(updated.as_deref(), Some("2026-03-13T10:00:00+00:00"));
}

/// The HTML body an entry carries, parsed; none when it carries only a summary.
fn content(entry: &Entry) -> Option<scraper::Html> {
    let body = entry.content.as_ref()?.body.as_deref()?;
    Some(scraper::Html::parse_fragment(body))
}

#[test]
fn full_feeds_carry_the_article_and_its_disclaimer() {
    let site = built("disclaimer: \"Written by a bot & checked by none.\"\n");
    for (name, feed) in feeds_in(&site, "") {
        let alpha = entry(&feed, "Alpha");
        let html = content(alpha).unwrap_or_else(|| panic!("{name}: no content"));
        assert_eq!(
            common::texts(&html, "p:not(.disclaimer)"),
            ["Alpha body text."],
            "{name}"
        );
        assert_eq!(
            common::texts(&html, "p.disclaimer"),
            ["AI disclosure: Written by a bot & checked by none."],
            "{name}"
        );
        let summary = alpha.summary.as_ref().map(|s| s.content.as_str());
        assert_eq!(summary, Some("Alpha in short."), "{name}");
    }
}

#[test]
fn summary_feeds_carry_only_the_summary() {
    let site = built("feeds:\n  content: summary\n");
    for name in ["atom.xml", "rss.xml"] {
        let feed = feed(&site, name);
        let alpha = entry(&feed, "Alpha");
        assert!(alpha.content.is_none(), "{name}: {:?}", alpha.content);
        let summary = alpha.summary.as_ref().map(|s| s.content.as_str());
        assert_eq!(summary, Some("Alpha in short."), "{name}");
    }
    // JSON Feed requires content: the summary as text, never the article's HTML.
    let json: serde_json::Value = serde_json::from_slice(&read(&site, "feed.json")).unwrap();
    let alpha = &json["items"][3];
    assert_eq!(alpha["title"], "Alpha");
    assert_eq!(alpha["content_text"], "Alpha in short.");
    assert!(alpha.get("content_html").is_none(), "{alpha}");
}

#[test]
fn links_inside_feed_content_are_absolute() {
    let site = fixture("");
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nAbout us.\n",
    );
    site.article(
        "world",
        "links",
        "title: Links\ndate: 2026-03-14\nauthor: wirebot\nimage: card.jpg",
        "See [about](/about/), ![chart](chart.png), <a href=\"../../13/x/\">raw</a>, \
         [elsewhere](https://example.org/a?b=1&c=2) and a note.[^1]\n\n[^1]: The note.",
    );
    site.build_ok(&[]);
    let page = "https://x.org/news/2026/03/14/links/";
    for (name, feed) in feeds_in(&site, "") {
        let html = content(entry(&feed, "Links")).unwrap_or_else(|| panic!("{name}"));
        let hrefs = attrs(&html, "a[href]", "href");
        let expected = [
            "https://x.org/news/about/".to_string(),
            "https://x.org/news/2026/03/13/x/".into(),
            "https://example.org/a?b=1&c=2".into(),
        ];
        for href in &expected {
            assert!(hrefs.contains(href), "{name}: {href} not in {hrefs:?}");
        }
        assert!(
            hrefs.iter().all(|h| h.starts_with("https://")),
            "{name}: {hrefs:?}"
        );
        assert_eq!(
            attrs(&html, "img", "src"),
            [format!("{page}chart.png")],
            "{name}"
        );
    }
    let json: serde_json::Value = serde_json::from_slice(&read(&site, "feed.json")).unwrap();
    assert_eq!(json["items"][0]["image"], format!("{page}card.jpg"));
}

#[test]
fn feed_urls_are_absolute_under_the_base_url() {
    let site = built("");
    let atom = feed(&site, "tags/shipping/atom.xml");
    let links: Vec<_> = atom
        .links
        .iter()
        .map(|l| (l.rel.as_deref().unwrap_or_default(), l.href.as_str()))
        .collect();
    assert_eq!(
        links,
        [
            ("self", "https://x.org/news/tags/shipping/atom.xml"),
            ("alternate", "https://x.org/news/tags/shipping/")
        ]
    );
    let json: serde_json::Value =
        serde_json::from_slice(&read(&site, "bots/deskbot/feed.json")).unwrap();
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(
        json["feed_url"],
        "https://x.org/news/bots/deskbot/feed.json"
    );
    assert_eq!(json["home_page_url"], "https://x.org/news/bots/deskbot/");
    let rss = feed(&site, "rss.xml");
    let entry_links: Vec<_> = rss.entries.iter().map(|e| e.id.as_str()).collect();
    assert!(
        entry_links.iter().all(|l| l.starts_with(BASE)),
        "{entry_links:?}"
    );
}

#[test]
fn feeds_without_a_host_use_site_paths() {
    let site = Site::new();
    site.article(
        "world",
        "a",
        "title: A\ndate: 2026-03-14\nauthor: wirebot",
        "![c](c.png)",
    );
    site.build_ok(&[]);
    let atom = feed(&site, "atom.xml");
    assert_eq!(atom.entries[0].id, "/2026/03/14/a/");
    let html = content(&atom.entries[0]).expect("content");
    assert_eq!(attrs(&html, "img", "src"), ["/2026/03/14/a/c.png"]);
}

/// Every file of a build to `dir`, by path below it.
fn output(site: &Site, dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let run = site.run(&["build", "--output", dir.to_str().expect("UTF-8 path")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    common::tree(dir)
        .into_iter()
        .map(|(path, bytes)| (path.strip_prefix(dir).expect("inside").to_path_buf(), bytes))
        .collect()
}

#[test]
fn building_twice_gives_identical_feeds_and_sitemaps() {
    let site = fixture("");
    let temp = tempfile::tempdir().expect("temp dir");
    let first = output(&site, &temp.path().join("one"));
    let second = output(&site, &temp.path().join("two"));
    let machine_files = |files: &[(PathBuf, Vec<u8>)]| -> Vec<PathBuf> {
        files
            .iter()
            .map(|(p, _)| p.clone())
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e == "xml" || e == "json" || e == "txt")
            })
            .collect()
    };
    // Three feeds for the site, each of three tags, each of three bots and the corrections;
    // three crawler files and the sitemap index's two parts (lists, one year).
    assert_eq!(
        machine_files(&first).len(),
        3 * 8 + 3 + 2,
        "{:?}",
        machine_files(&first)
    );
    assert!(first == second, "two builds of the same input differ");
}

#[test]
fn pages_link_the_site_feeds_and_their_own() {
    let site = built("");
    let alternates = |page: &str, kind: &str| {
        attrs(
            &site.html(page),
            &format!("link[rel=alternate][type=\"{kind}\"]"),
            "href",
        )
    };
    let site_feeds = |file: &str| vec![format!("/news/{file}")];
    let kinds = [
        ("application/atom+xml", "atom.xml"),
        ("application/rss+xml", "rss.xml"),
        ("application/feed+json", "feed.json"),
    ];
    for (kind, file) in kinds {
        for page in [
            "index.html",
            "2026/03/10/alpha/index.html",
            "tags/index.html",
            "404.html",
        ] {
            assert_eq!(alternates(page, kind), site_feeds(file), "{page}");
        }
        for own in ["tags/shipping/", "bots/deskbot/"] {
            let mut expected = vec![format!("/news/{own}{file}")];
            expected.extend(site_feeds(file));
            assert_eq!(
                alternates(&format!("{own}index.html"), kind),
                expected,
                "{own}"
            );
        }
    }
    // Every feed linked from a page exists.
    for href in attrs(
        &site.html("bots/deskbot/index.html"),
        "link[rel=alternate]",
        "href",
    ) {
        let file = href.strip_prefix("/news/").expect("under the base path");
        assert!(site.exists(file), "{href} is linked but not built");
    }
}

#[test]
fn feed_settings_are_checked() {
    let site = Site::new();
    site.article("world", "a", "title: A\ndate: 2026-03-14", "Body.");
    // Each configuration and the errors it gives: where, and a word each must say.
    let cases: [(&str, &[(&str, &str)]); 2] = [
        (
            "feeds:\n  limit: 0\nnews_sitemap:\n  days: 0\n",
            &[
                ("error: gazette.yaml:2:10: ", "`feeds.limit`"),
                ("error: gazette.yaml:4:9: ", "`news_sitemap.days`"),
            ],
        ),
        (
            "feeds:\n  content: everything\n",
            &[("error: gazette.yaml:2:", "`summary`")],
        ),
    ];
    for (config, expected) in cases {
        site.write("gazette.yaml", config);
        let run = site.build_fails();
        let errors = run.errors();
        assert_eq!(errors.len(), expected.len(), "{}", run.stderr);
        for (error, (start, word)) in errors.iter().zip(expected) {
            let ok = error.starts_with(start) && error.contains(word) && error.ends_with(')');
            assert!(ok, "expected {start}...{word}...(hint), got {error}");
        }
    }
}

#[test]
fn feedparser_reads_every_feed_without_complaint() {
    let test = "feedparser_reads_every_feed_without_complaint";
    let Some(python) = common::program(test, &["python3"], "install Python 3") else {
        return;
    };
    let has_feedparser = Command::new(&python)
        .args(["-c", "import feedparser"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_feedparser {
        common::missing(
            test,
            "feedparser is not installed (pip install feedparser; .ci/run does it)",
        );
        return;
    }
    let site = fixture("");
    site.article(
        "world",
        "tricky",
        "title: \"Ports & <docks>\"\ndate: 2026-03-01\nauthor: wirebot",
        "Body with <!-- ]]> --> and <b>raw</b> HTML & [a link](/news/).",
    );
    site.build_ok(&[]);
    // feedparser 6 reads Atom and RSS; it has no JSON Feed parser (feed-rs checks that one).
    let mut files = Vec::new();
    for dir in ["", "tags/shipping/", "bots/wirebot/", "bots/idlebot/"] {
        for format in ["atom.xml", "rss.xml"] {
            files.push(site.path("public").join(format!("{dir}{format}")));
        }
    }
    // One line per file: its version, whether feedparser found it malformed, and why.
    let script = "import sys, feedparser\n\
        for path in sys.argv[1:]:\n\
        \x20   d = feedparser.parse(path)\n\
        \x20   print(d.version, int(d.bozo), len(d.entries), repr(d.get('bozo_exception', '')))\n";
    let out = Command::new(&python)
        .arg("-c")
        .arg(script)
        .args(&files)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines.len(), files.len(), "{report}");
    for (file, line) in files.iter().zip(lines) {
        let fields: Vec<&str> = line.splitn(4, ' ').collect();
        let expected_version = if file.ends_with("rss.xml") {
            "rss20"
        } else {
            "atom10"
        };
        assert_eq!(fields[0], expected_version, "{}: {line}", file.display());
        assert_eq!(
            fields[1],
            "0",
            "{} is malformed to feedparser: {line}",
            file.display()
        );
    }
}

// --- Sitemaps and robots.txt ---------------------------------------------------------------

#[test]
fn sitemaps_list_every_page_once_with_lastmod() {
    let site = built("paginate_by: 1\n");
    let index = xml(&site, "sitemap.xml");
    let index = roxmltree::Document::parse(&index).expect("well-formed sitemap index");
    assert!(
        index
            .root_element()
            .has_tag_name((SITEMAP_NS, "sitemapindex"))
    );
    // Every page's URL and lastmod, from every sitemap the index lists.
    let mut pages: Vec<(String, Option<String>)> = Vec::new();
    for part in texts_of(&index, SITEMAP_NS, "loc") {
        let name = part.strip_prefix(BASE).expect("a sitemap of the site");
        let text = xml(&site, name);
        let doc = roxmltree::Document::parse(&text).expect("well-formed sitemap");
        assert!(doc.root_element().has_tag_name((SITEMAP_NS, "urlset")));
        pages.extend(
            (doc.descendants())
                .filter(|n| n.has_tag_name((SITEMAP_NS, "url")))
                .map(|n| {
                    (
                        texts_of_node(n, "loc").unwrap_or_default(),
                        texts_of_node(n, "lastmod"),
                    )
                }),
        );
    }
    let locs: Vec<String> = pages.iter().map(|(loc, _)| loc.clone()).collect();
    let unique: BTreeSet<&String> = locs.iter().collect();
    assert_eq!(unique.len(), locs.len(), "a URL is listed twice: {locs:?}");
    let url = |path: &str| format!("{BASE}{path}");
    for path in [
        "",
        "2026/03/10/alpha/",
        "world/",
        "tags/",
        "tags/shipping/",
        "bots/",
        "bots/idlebot/",
        "2026/",
        "2026/03/",
    ] {
        assert!(locs.contains(&url(path)), "{path} missing from {locs:?}");
    }
    assert!(locs.iter().all(|l| l.starts_with(BASE)), "{locs:?}");
    assert!(
        !locs
            .iter()
            .any(|l| l.contains("/page/") || l.ends_with("404.html")),
        "{locs:?}"
    );
    let lastmod = |path: &str| {
        (pages.iter())
            .find(|(loc, _)| *loc == url(path))
            .and_then(|(_, lastmod)| lastmod.clone())
    };
    assert_eq!(
        lastmod("2026/03/10/alpha/").as_deref(),
        Some("2026-03-20T12:00:00+00:00")
    );
    assert_eq!(lastmod("").as_deref(), Some("2026-03-20T12:00:00+00:00"));
    assert_eq!(
        lastmod("tags/markets/").as_deref(),
        Some("2026-03-12T00:00:00+00:00")
    );
    assert_eq!(lastmod("bots/idlebot/"), None);
}

/// The text of the child `name` of `node`.
fn texts_of_node(node: roxmltree::Node, name: &str) -> Option<String> {
    node.children()
        .find(|c| c.has_tag_name((SITEMAP_NS, name)))
        .and_then(|c| c.text().map(str::to_string))
}

/// The titles of the articles the news sitemap lists, and the URLs it gives them.
fn news(site: &Site) -> (Vec<String>, Vec<String>) {
    let text = xml(site, "news-sitemap.xml");
    let doc = roxmltree::Document::parse(&text).expect("well-formed news sitemap");
    assert!(doc.root_element().has_tag_name((SITEMAP_NS, "urlset")));
    let names = texts_of(&doc, NEWS_NS, "name");
    assert!(names.iter().all(|n| n == "The Desk"), "{names:?}");
    (
        texts_of(&doc, NEWS_NS, "title"),
        texts_of(&doc, SITEMAP_NS, "loc"),
    )
}

#[test]
fn news_sitemap_holds_two_days_before_the_newest_article() {
    let site = built("");
    let (titles, locs) = news(&site);
    // Delta is at 13 March 10:00; Bravo (11 March, midnight) is more than two days before.
    assert_eq!(titles, ["Delta", "Charlie"]);
    assert_eq!(locs[0], format!("{BASE}2026/03/13/delta/"));
    let text = xml(&site, "news-sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let dates = texts_of(&doc, NEWS_NS, "publication_date");
    assert_eq!(dates[0], "2026-03-13T10:00:00+00:00");
    assert_eq!(texts_of(&doc, NEWS_NS, "language")[0], "en");
}

#[test]
fn news_sitemap_window_is_configurable() {
    let site = built("news_sitemap:\n  days: 3\n");
    assert_eq!(news(&site).0, ["Delta", "Charlie", "Bravo"]);
}

#[test]
fn robots_txt_points_at_both_sitemaps() {
    let site = built("");
    let robots = String::from_utf8(read(&site, "robots.txt")).unwrap();
    let sitemaps: Vec<&str> = robots
        .lines()
        .filter_map(|l| l.strip_prefix("Sitemap: "))
        .collect();
    assert_eq!(
        sitemaps,
        [
            "https://x.org/news/sitemap.xml",
            "https://x.org/news/news-sitemap.xml"
        ]
    );
    assert!(robots.lines().any(|l| l == "User-agent: *"), "{robots}");
}
