//! What a reader sees: fixture sites built with the real binary, their pages parsed and checked
//! through CSS selectors of the default theme.

use crate::common;

use std::path::Path;

use common::{Site, attrs, texts};
use scraper::{ElementRef, Html, Selector};

/// The titles of the articles a list page shows, in order.
/// The titles of a page's list of `articles`: on the front page, its list of the latest.
fn listed(html: &Html) -> Vec<String> {
    texts(html, ".article-list .summary-title a, .latest-list a")
}

/// The footer disclaimer of a page, without its label.
fn disclaimer(html: &Html) -> String {
    let found = texts(html, "footer.site-footer .disclaimer");
    assert_eq!(found.len(), 1, "one disclaimer per page: {found:?}");
    let label = texts(html, "footer.site-footer .disclaimer .disclaimer-label").join(" ");
    found[0].trim_start_matches(&label).trim().to_string()
}

/// The related posts' titles of an article page, best first.
fn related(site: &Site, page: &str) -> Vec<String> {
    texts(&site.html(page), ".related li > a")
}

/// The text of `el` outside its child elements, trimmed.
fn own_text(el: ElementRef) -> String {
    el.children()
        .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
        .collect::<String>()
        .trim()
        .to_string()
}

/// `(name, count, url)` of every tag on the tags index.
fn tag_cloud(html: &Html) -> Vec<(String, usize, String)> {
    let link = Selector::parse(".tag-cloud a").expect("selector");
    let count = Selector::parse(".count").expect("selector");
    // The name is isolated (`<bdi>`), so that a name in another script keeps its order.
    let name = Selector::parse("bdi").expect("selector");
    html.select(&link)
        .map(|a| {
            let n = a
                .select(&count)
                .next()
                .map(own_text)
                .and_then(|t| t.parse().ok())
                .unwrap_or_else(|| panic!("no count in {}", a.html()));
            let url = a.value().attr("href").unwrap_or_default().to_string();
            let shown = a.select(&name).next().map(own_text);
            (
                shown.unwrap_or_else(|| panic!("no name in {}", a.html())),
                n,
                url,
            )
        })
        .collect()
}

/// A one-paragraph article by wirebot.
fn simple(site: &Site, section: &str, name: &str, title: &str, date: &str, extra: &str) {
    let front = format!("title: \"{title}\"\ndate: {date}\nauthor: wirebot\n{extra}");
    site.article(
        section,
        name,
        front.trim_end(),
        &format!("Body of {title}."),
    );
}

// --- Byline ---------------------------------------------------------------------------------

#[test]
fn byline_names_the_bot_links_to_its_page_and_shows_its_bio() {
    let site = Site::new();
    simple(&site, "world", "a", "Alpha", "2026-03-14", "");
    site.build_ok(&[]);
    let html = site.html("2026/03/14/a/index.html");
    assert_eq!(
        attrs(&html, ".byline a[rel=author]", "href"),
        ["/bots/wirebot/"]
    );
    assert_eq!(texts(&html, ".byline a[rel=author]"), ["WireBot"]);
    assert!(
        texts(&html, ".byline")
            .join(" ")
            .contains("Written by WireBot")
    );
    assert_eq!(texts(&html, ".byline .bio"), ["Summarises wire reports."]);
}

#[test]
fn author_without_profile_is_plain_text_and_warns() {
    let site = Site::new();
    site.article(
        "world",
        "a",
        "title: Alpha\ndate: 2026-03-14\nauthor: ghostbot",
        "Body.",
    );
    let run = site.build_ok(&[]);
    let html = site.html("2026/03/14/a/index.html");
    assert!(texts(&html, ".byline a").is_empty(), "no link for ghostbot");
    assert!(texts(&html, ".byline").join(" ").contains("ghostbot"));
    assert!(texts(&html, ".byline .bio").is_empty());
    let warnings = run.warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("ghostbot") && w.contains("a.md")),
        "{warnings:?}"
    );
}

// --- Disclaimer -----------------------------------------------------------------------------

/// Every kind of page of a small site with one article `a` (2026-03-14, world, tag `port`).
const EVERY_PAGE: &[&str] = &[
    "2026/03/14/a/index.html",
    "index.html",
    "tags/index.html",
    "tags/port/index.html",
    "world/index.html",
    "bots/index.html",
    "bots/wirebot/index.html",
    "2026/index.html",
    "2026/03/index.html",
    "about/index.html",
    "404.html",
];

fn every_page_site() -> Site {
    let site = Site::new();
    simple(&site, "world", "a", "Alpha", "2026-03-14", "tags: [port]");
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nAbout us.\n",
    );
    site
}

#[test]
fn default_disclaimer_is_in_the_footer_of_every_page() {
    let site = every_page_site();
    site.build_ok(&[]);
    for page in EVERY_PAGE {
        let text = disclaimer(&site.html(page)).to_lowercase();
        for words in ["written by an ai", "may contain errors", "another source"] {
            assert!(text.contains(words), "{page}: {text:?} lacks {words:?}");
        }
        // An article speaks of itself; every other page of the site's articles.
        let (speaks_of, not_of) = if page.starts_with("2026/03/14/") {
            ("this article was written", "articles on this site")
        } else {
            ("articles on this site are written by an ai", "this article")
        };
        assert!(text.starts_with(speaks_of), "{page}: {text:?}");
        assert!(!text.contains(not_of), "{page}: {text:?}");
    }
}

#[test]
fn site_disclaimer_from_config_replaces_the_default_everywhere() {
    let site = every_page_site();
    site.write("gazette.yaml", "disclaimer: \"Machine-written; verify.\"\n");
    site.build_ok(&[]);
    for page in EVERY_PAGE {
        assert_eq!(
            disclaimer(&site.html(page)),
            "Machine-written; verify.",
            "{page}"
        );
    }
}

#[test]
fn article_disclaimer_beats_bot_disclaimer_beats_site_disclaimer() {
    let site = Site::new();
    site.write("gazette.yaml", "disclaimer: \"Site text.\"\n");
    site.write(
        "content/bots/ledgerbot.md",
        "---\nname: LedgerBot\ndisclaimer: \"Bot text.\"\n---\nAbout.\n",
    );
    simple(&site, "world", "plain", "Plain", "2026-03-14", "");
    site.article(
        "world",
        "by-ledger",
        "title: By ledger\ndate: 2026-03-14\nauthor: ledgerbot",
        "Body.",
    );
    site.article(
        "world",
        "own",
        "title: Own\ndate: 2026-03-14\nauthor: ledgerbot\ndisclaimer: \"Article text.\"",
        "Body.",
    );
    site.build_ok(&[]);
    let of = |slug: &str| disclaimer(&site.html(&format!("2026/03/14/{slug}/index.html")));
    assert_eq!(of("plain"), "Site text.");
    assert_eq!(of("by-ledger"), "Bot text.");
    assert_eq!(of("own"), "Article text.");
    assert_eq!(disclaimer(&site.html("index.html")), "Site text.");
    assert_eq!(
        disclaimer(&site.html("bots/ledgerbot/index.html")),
        "Site text."
    );
}

// --- Related posts --------------------------------------------------------------------------

/// Six articles whose scores against `target` are far apart (N = 6, default weights):
///
/// | article | why | score |
/// |---|---|---|
/// | A | same story, same section, 1 day | 3 + 0.5 + 0.98 = 4.48 |
/// | B | shares harbour (2 uses) and economy (5 uses), 2 days | 1.39 + 0.79 + 0.95 = 3.13 |
/// | D | economy, same section, 9 days | 0.79 + 0.5 + 0.81 = 2.10 |
/// | C | economy, 3 days | 0.79 + 0.93 = 1.72 |
/// | E | economy, 68 days | 0.79 + 0.21 = 1.00 |
fn related_site() -> Site {
    let site = Site::new();
    let add = |section: &str, name: &str, date: &str, extra: &str| {
        simple(&site, section, name, &name.to_uppercase(), date, extra);
    };
    add(
        "world",
        "target",
        "2026-03-10",
        "tags: [harbour, economy]\nstory: port",
    );
    add("world", "a", "2026-03-09", "story: port");
    add("business", "b", "2026-03-08", "tags: [harbour, economy]");
    add("business", "c", "2026-03-07", "tags: [economy]");
    add("world", "d", "2026-03-01", "tags: [economy]");
    add("science", "e", "2026-01-01", "tags: [economy]");
    site
}

const TARGET: &str = "2026/03/10/target/index.html";

#[test]
fn related_posts_are_ranked_by_rare_tags_story_section_and_recency() {
    let site = related_site();
    site.build_ok(&[]);
    assert_eq!(related(&site, TARGET), ["A", "B", "D", "C", "E"]);
}

#[test]
fn related_posts_never_list_the_article_itself() {
    let site = related_site();
    site.build_ok(&[]);
    for (page, title) in [
        (TARGET, "TARGET"),
        ("2026/03/09/a/index.html", "A"),
        ("2026/03/08/b/index.html", "B"),
        ("2026/01/01/e/index.html", "E"),
    ] {
        let list = related(&site, page);
        assert!(!list.is_empty(), "{page} has related posts");
        assert!(
            !list.iter().any(|t| t == title),
            "{page} lists itself: {list:?}"
        );
        let urls = attrs(&site.html(page), ".related li > a", "href");
        let own = format!("/{}", page.trim_end_matches("index.html"));
        assert!(!urls.contains(&own), "{page}: {urls:?}");
    }
}

#[test]
fn related_count_in_config_limits_the_list() {
    let site = related_site();
    site.write("gazette.yaml", "related:\n  count: 2\n");
    site.build_ok(&[]);
    assert_eq!(related(&site, TARGET), ["A", "B"]);
}

#[test]
fn related_posts_are_the_same_on_every_build() {
    let site = related_site();
    site.build_ok(&[]);
    let pages = ["2026/03/10/target/index.html", "2026/03/07/c/index.html"];
    let first: Vec<_> = pages.iter().map(|p| related(&site, p)).collect();
    site.build_ok(&[]);
    let second: Vec<_> = pages.iter().map(|p| related(&site, p)).collect();
    assert_eq!(first, second);
}

#[test]
fn article_without_tags_gets_same_section_neighbours() {
    let site = Site::new();
    simple(&site, "world", "lonely", "Lonely", "2026-03-10", "");
    // A day older than `other`, so only the same-section bonus puts it first.
    simple(&site, "world", "near", "Near", "2026-03-09", "tags: [x]");
    simple(
        &site,
        "science",
        "other",
        "Other",
        "2026-03-10",
        "tags: [y]",
    );
    site.build_ok(&[]);
    let list = related(&site, "2026/03/10/lonely/index.html");
    assert_eq!(list.first().map(String::as_str), Some("Near"), "{list:?}");
}

// --- Story thread ---------------------------------------------------------------------------

#[test]
fn story_thread_lists_the_whole_story_in_date_order_marking_the_current_article() {
    let site = Site::new();
    // Written out of order on purpose: the thread follows the dates, not the files.
    simple(
        &site,
        "world",
        "end",
        "Strike ends",
        "2026-03-14",
        "story: strike",
    );
    simple(
        &site,
        "world",
        "start",
        "Strike starts",
        "2026-03-06",
        "story: strike",
    );
    simple(
        &site,
        "business",
        "talks",
        "Talks resume",
        "2026-03-10",
        "story: strike",
    );
    simple(
        &site,
        "world",
        "alone",
        "Alone",
        "2026-03-12",
        "story: other",
    );
    site.build_ok(&[]);
    let thread = ["Strike starts", "Talks resume", "Strike ends"];
    for (page, current) in [
        ("2026/03/06/start/index.html", "Strike starts"),
        ("2026/03/10/talks/index.html", "Talks resume"),
        ("2026/03/14/end/index.html", "Strike ends"),
    ] {
        let html = site.html(page);
        let items = texts(&html, ".story li");
        assert_eq!(items.len(), 3, "{page}: {items:?}");
        for (item, title) in items.iter().zip(thread) {
            assert!(item.ends_with(title), "{page}: {items:?}");
        }
        assert_eq!(texts(&html, ".story [aria-current]"), [current], "{page}");
        let links = texts(&html, ".story li a");
        let others: Vec<_> = thread.iter().filter(|t| **t != current).collect();
        assert_eq!(links.iter().collect::<Vec<_>>(), others, "{page}");
        let dates = attrs(&html, ".story li time", "datetime");
        assert_eq!(
            dates.iter().map(|d| &d[..10]).collect::<Vec<_>>(),
            ["2026-03-06", "2026-03-10", "2026-03-14"]
        );
    }
    let alone = site.html("2026/03/12/alone/index.html");
    assert!(
        texts(&alone, ".story").is_empty(),
        "a story of one shows no thread"
    );
}

// --- Tags -----------------------------------------------------------------------------------

fn tag_site() -> Site {
    let site = Site::new();
    simple(
        &site,
        "world",
        "old",
        "Old",
        "2026-03-01",
        "tags: [Climate Change, ice]",
    );
    simple(&site, "world", "mid", "Mid", "2026-03-05", "tags: [ice]");
    simple(
        &site,
        "science",
        "new",
        "New",
        "2026-03-09",
        "tags: [Climate Change]",
    );
    site
}

#[test]
fn tags_index_lists_every_tag_with_its_count() {
    let site = tag_site();
    site.build_ok(&[]);
    let cloud = tag_cloud(&site.html("tags/index.html"));
    assert_eq!(
        cloud,
        [
            (
                "Climate Change".to_string(),
                2,
                "/tags/climate-change/".to_string()
            ),
            ("ice".to_string(), 2, "/tags/ice/".to_string()),
        ]
    );
}

#[test]
fn tag_page_lists_exactly_its_articles_newest_first() {
    let site = tag_site();
    site.build_ok(&[]);
    assert_eq!(listed(&site.html("tags/ice/index.html")), ["Mid", "Old"]);
    assert_eq!(
        listed(&site.html("tags/climate-change/index.html")),
        ["New", "Old"]
    );
}

#[test]
fn tag_is_slugged_for_its_url_but_shown_as_written() {
    let site = tag_site();
    site.build_ok(&[]);
    let page = site.html("tags/climate-change/index.html");
    assert_eq!(texts(&page, "main h1"), ["Climate Change"]);
    let article = site.html("2026/03/09/new/index.html");
    assert_eq!(texts(&article, ".tags a"), ["Climate Change"]);
    assert_eq!(
        attrs(&article, ".tags a", "href"),
        ["/tags/climate-change/"]
    );
}

#[test]
fn tags_that_slugging_would_merge_keep_pages_of_their_own() {
    let site = Site::new();
    simple(&site, "tech", "cpp", "Cpp", "2026-03-01", "tags: [C++]");
    simple(&site, "tech", "cs", "Cs", "2026-03-02", "tags: [C#]");
    simple(&site, "tech", "c", "C", "2026-03-03", "tags: [C]");
    simple(
        &site,
        "tech",
        "net",
        "Net",
        "2026-03-04",
        "tags: [.NET, NET]",
    );
    let run = site.build_ok(&[]);
    assert!(run.warnings().is_empty(), "{}", run.stderr);
    let cloud: Vec<(String, String)> = (tag_cloud(&site.html("tags/index.html")).into_iter())
        .map(|(name, _, url)| (name, url))
        .collect();
    let expected = [
        ("C", "/tags/c/"),
        ("C++", "/tags/c-plus-plus/"),
        ("C#", "/tags/c-sharp/"),
        (".NET", "/tags/dotnet/"),
        ("NET", "/tags/net/"),
    ];
    assert_eq!(
        cloud,
        expected.map(|(n, u)| (n.to_string(), u.to_string())),
        "each tag its own page"
    );
    assert_eq!(listed(&site.html("tags/c/index.html")), ["C"]);
    let article = site.html("2026/03/01/cpp/index.html");
    assert_eq!(texts(&article, ".tags a"), ["C++"]);
    assert_eq!(attrs(&article, ".tags a", "href"), ["/tags/c-plus-plus/"]);
}

#[test]
fn spellings_that_share_a_url_warn_once_and_each_article_shows_its_own() {
    let site = Site::new();
    simple(&site, "world", "a", "A", "2026-03-01", "tags: [AI]");
    simple(&site, "world", "b", "B", "2026-03-02", "tags: [AI]");
    simple(&site, "world", "c", "C", "2026-03-03", "tags: [ai]");
    simple(&site, "world", "d", "D", "2026-03-04", "tags: [Ai]");
    let run = site.build_ok(&[]);
    let warnings = run.warnings();
    assert_eq!(
        warnings.len(),
        1,
        "one warning for the URL:\n{}",
        run.stderr
    );
    // On the newest article of a rarest spelling, at its `tags:` line, naming every spelling
    // and file.
    assert!(
        warnings[0].starts_with(
            "warning: content/world/d.md:5:1: tags written differently share one URL ("
        ),
        "{}",
        warnings[0]
    );
    for named in [
        "`AI` in content/world/b.md, content/world/a.md",
        "`Ai` in content/world/d.md",
        "`ai` in content/world/c.md",
        "/tags/ai/",
    ] {
        assert!(warnings[0].contains(named), "{named}: {}", warnings[0]);
    }
    // One page, titled with the newest spelling; every article shows the tag as it wrote it,
    // in its page, in lists, in its JSON-LD and in the feeds.
    assert_eq!(
        listed(&site.html("tags/ai/index.html")),
        ["D", "C", "B", "A"]
    );
    let shown = |page: &str| texts(&site.html(page), ".tags a");
    assert_eq!(shown("2026/03/03/c/index.html"), ["ai"]);
    assert_eq!(shown("2026/03/01/a/index.html"), ["AI"]);
    assert_eq!(
        attrs(
            &site.html("2026/03/03/c/index.html"),
            "meta[property='article:tag']",
            "content"
        ),
        ["ai"]
    );
    let ld = texts(
        &site.html("2026/03/03/c/index.html"),
        "script[type='application/ld+json']",
    );
    assert!(ld[0].contains(r#""keywords":["ai"]"#), "{}", ld[0]);
    let feed = std::fs::read_to_string(site.path("public/feed.json")).unwrap();
    let feed: serde_json::Value = serde_json::from_str(&feed).unwrap();
    let tags: Vec<&serde_json::Value> = (feed["items"].as_array().unwrap().iter())
        .map(|item| &item["tags"][0])
        .collect();
    assert_eq!(tags, ["Ai", "ai", "AI", "AI"]);
}

// --- Bots -----------------------------------------------------------------------------------

fn bot_site() -> Site {
    let site = Site::new();
    site.write(
        "content/bots/ledgerbot.md",
        "---\nname: LedgerBot\nbio: \"Reads filings.\"\n---\nAbout LedgerBot.\n",
    );
    simple(&site, "world", "w1", "Wire one", "2026-03-01", "");
    simple(&site, "world", "w2", "Wire two", "2026-03-05", "");
    site.article(
        "business",
        "l1",
        "title: Ledger one\ndate: 2026-03-03\nauthor: ledgerbot",
        "Body.",
    );
    site
}

#[test]
fn bots_index_lists_every_bot() {
    let site = bot_site();
    site.build_ok(&[]);
    let html = site.html("bots/index.html");
    assert_eq!(texts(&html, ".bot-card h2 a"), ["LedgerBot", "WireBot"]);
    assert_eq!(
        attrs(&html, ".bot-card h2 a", "href"),
        ["/bots/ledgerbot/", "/bots/wirebot/"]
    );
    assert_eq!(
        texts(&html, ".bot-card .bio"),
        ["Reads filings.", "Summarises wire reports."]
    );
}

#[test]
fn bot_page_shows_name_bio_about_and_exactly_its_articles() {
    let site = bot_site();
    site.build_ok(&[]);
    let html = site.html("bots/wirebot/index.html");
    assert_eq!(texts(&html, "main h1"), ["WireBot"]);
    assert_eq!(texts(&html, "main .bio"), ["Summarises wire reports."]);
    assert_eq!(texts(&html, ".about .content"), ["About WireBot."]);
    assert_eq!(listed(&html), ["Wire two", "Wire one"]);
    let ledger = site.html("bots/ledgerbot/index.html");
    assert_eq!(listed(&ledger), ["Ledger one"]);
}

// --- Sections and archives ------------------------------------------------------------------

fn dated_site() -> Site {
    let site = Site::new();
    simple(&site, "world", "dec", "December", "2025-12-20", "");
    simple(&site, "world", "mar1", "March one", "2026-03-02", "");
    simple(&site, "business", "mar2", "March two", "2026-03-20", "");
    simple(&site, "world", "apr", "April", "2026-04-01", "");
    site
}

#[test]
fn section_page_lists_its_articles_newest_first() {
    let site = dated_site();
    site.build_ok(&[]);
    assert_eq!(
        listed(&site.html("world/index.html")),
        ["April", "March one", "December"]
    );
    assert_eq!(listed(&site.html("business/index.html")), ["March two"]);
}

#[test]
fn section_titles_come_from_gazette_yaml_or_keep_the_words_of_the_folder() {
    let site = Site::new();
    simple(&site, "inside-rust", "a", "A", "2026-03-01", "");
    simple(&site, "world_news", "b", "B", "2026-03-02", "");
    simple(&site, "state-of-the-art", "c", "C", "2026-03-03", "");
    site.write(
        "gazette.yaml",
        "sections:\n  state-of-the-art:\n    title: \"The State of AI\"\n",
    );
    site.build_ok(&[]);
    for (page, title) in [
        ("inside-rust", "Inside Rust"),
        ("world-news", "World News"),
        ("state-of-the-art", "The State of AI"),
    ] {
        let html = site.html(&format!("{page}/index.html"));
        assert_eq!(texts(&html, "main h1"), [title], "{page}");
    }
    let nav = texts(&site.html("index.html"), ".site-nav a");
    for title in ["Inside Rust", "World News", "The State of AI"] {
        assert!(nav.iter().any(|a| a == title), "{title} not in {nav:?}");
    }
}

#[test]
fn year_and_month_archives_list_their_articles() {
    let site = dated_site();
    site.build_ok(&[]);
    assert_eq!(
        listed(&site.html("2026/index.html")),
        ["April", "March two", "March one"]
    );
    assert_eq!(
        listed(&site.html("2026/03/index.html")),
        ["March two", "March one"]
    );
    assert_eq!(listed(&site.html("2026/04/index.html")), ["April"]);
    assert_eq!(listed(&site.html("2025/index.html")), ["December"]);
    assert_eq!(listed(&site.html("2025/12/index.html")), ["December"]);
}

#[test]
fn archives_follow_local_dates_when_offsets_reorder_instants() {
    // Newest first by instant: Jan 5, then 23:30 UTC on 31 Dec, then 01:00+02:00 on 1 Jan,
    // which is earlier as an instant but later as a local date.
    let site = Site::new();
    simple(&site, "world", "jan5", "Jan five", "2024-01-05", "");
    simple(
        &site,
        "world",
        "dec31",
        "Dec 31",
        "2023-12-31T23:30:00Z",
        "",
    );
    simple(
        &site,
        "world",
        "jan1",
        "Jan one",
        "2024-01-01T01:00:00+02:00",
        "",
    );
    site.build_ok(&[]);
    assert_eq!(
        listed(&site.html("2024/01/index.html")),
        ["Jan five", "Jan one"]
    );
    assert_eq!(
        listed(&site.html("2024/index.html")),
        ["Jan five", "Jan one"]
    );
    assert_eq!(listed(&site.html("2023/12/index.html")), ["Dec 31"]);
}

// --- Pagination -----------------------------------------------------------------------------

#[test]
fn home_shows_the_newest_and_numbers_its_pages_from_the_oldest() {
    let site = Site::new();
    site.write("gazette.yaml", "paginate_by: 2\n");
    for day in 1..=5 {
        let name = format!("n{day}");
        simple(
            &site,
            "world",
            &name,
            &format!("Number {day}"),
            &format!("2026-03-0{day}"),
            "",
        );
    }
    site.build_ok(&[]);
    // Page 1 holds the oldest; the home page the newest two, its "older" link the page with
    // the article just before them (shown with one the home page shows too).
    let pages = [
        (
            "index.html",
            ["Number 5", "Number 4"].as_slice(),
            None,
            Some("/page/2/"),
        ),
        (
            "page/1/index.html",
            &["Number 2", "Number 1"],
            Some("/page/2/"),
            None,
        ),
        (
            "page/2/index.html",
            &["Number 4", "Number 3"],
            Some("/page/3/"),
            Some("/page/1/"),
        ),
        ("page/3/index.html", &["Number 5"], None, Some("/page/2/")),
    ];
    for (file, titles, prev, next) in pages {
        let html = site.html(file);
        assert_eq!(listed(&html), titles, "{file}");
        let prev_links = attrs(&html, ".paginator a[rel=prev]", "href");
        let next_links = attrs(&html, ".paginator a[rel=next]", "href");
        assert_eq!(prev_links, prev.into_iter().collect::<Vec<_>>(), "{file}");
        assert_eq!(next_links, next.into_iter().collect::<Vec<_>>(), "{file}");
        // Nothing on a numbered page says how many pages there are.
        assert!(!html.html().contains(" of 3"), "{file}");
    }
    assert!(!site.exists("page/4/index.html"));
}

#[test]
fn a_list_that_fits_on_its_first_page_has_no_numbered_pages() {
    let site = Site::new();
    site.write("gazette.yaml", "paginate_by: 2\n");
    simple(&site, "world", "n1", "Number 1", "2026-03-01", "");
    simple(&site, "world", "n2", "Number 2", "2026-03-02", "");
    site.build_ok(&[]);
    assert!(!site.exists("page/1/index.html"));
    assert!(!site.exists("world/page/1/index.html"));
    let paginator = Selector::parse(".paginator").unwrap();
    assert!(site.html("index.html").select(&paginator).next().is_none());
}

// --- Escaping -------------------------------------------------------------------------------

#[test]
fn front_matter_text_is_escaped_on_every_page_that_shows_it() {
    let site = Site::new();
    site.article(
        "world",
        "xss",
        "title: \"<script>alert(1)</script>\"\n\
         date: 2026-03-14\n\
         author: wirebot\n\
         summary: \"<em>Loud</em> & <script>alert(2)</script>\"\n\
         tags: [\"<b>bold</b>\"]\n\
         sources:\n  - { title: \"<b>Wire</b>\", publisher: \"<i>Pub</i>\", url: \"https://example.org/a\" }",
        "Body.",
    );
    site.build_ok(&[]);
    let article = site.html("2026/03/14/xss/index.html");
    let executable = "script:not([type='application/ld+json'])";
    assert_eq!(texts(&article, executable).len(), 0, "no script element");
    assert_eq!(
        texts(&article, "h1.article-title"),
        ["<script>alert(1)</script>"]
    );
    assert_eq!(texts(&article, ".tags a"), ["<b>bold</b>"]);
    assert!(texts(&article, ".tags b").is_empty());
    assert_eq!(texts(&article, ".sources li a"), ["<b>Wire</b>"]);
    assert_eq!(texts(&article, ".sources .publisher"), ["<i>Pub</i>"]);
    assert!(texts(&article, ".sources b, .sources i").is_empty());
    let tag_url = attrs(&article, ".tags a", "href").remove(0);

    let home = site.html("index.html");
    assert_eq!(texts(&home, "script").len(), 0);
    assert_eq!(listed(&home), ["<script>alert(1)</script>"]);
    assert_eq!(
        texts(&home, ".summary-text"),
        ["<em>Loud</em> & <script>alert(2)</script>"]
    );
    assert!(texts(&home, ".summary-text em").is_empty());

    let tag_page = site.html(&format!("{}index.html", tag_url.trim_start_matches('/')));
    assert_eq!(texts(&tag_page, "script").len(), 0);
    assert_eq!(texts(&tag_page, "main h1"), ["<b>bold</b>"]);
    assert!(texts(&tag_page, "main h1 b").is_empty());
    let cloud = tag_cloud(&site.html("tags/index.html"));
    assert_eq!(cloud[0].0, "<b>bold</b>");
}

// --- Markdown -------------------------------------------------------------------------------

#[test]
fn duplicate_headings_get_distinct_ids_and_custom_ids_are_kept() {
    let site = Site::new();
    site.article(
        "world",
        "h",
        "title: Headings\ndate: 2026-03-14",
        "## Timeline\n\nOne.\n\n## Timeline\n\nTwo.\n\n## Background {#custom}\n\nThree.",
    );
    site.build_ok(&[]);
    let html = site.html("2026/03/14/h/index.html");
    assert_eq!(
        attrs(&html, ".content h2", "id"),
        ["timeline", "timeline-1", "custom"]
    );
    assert_eq!(
        texts(&html, ".content h2"),
        ["Timeline", "Timeline", "Background"]
    );
}

#[test]
fn heading_ids_drop_punctuation_as_github_does() {
    let site = Site::new();
    site.article(
        "world",
        "h",
        "title: Headings\ndate: 2026-03-14",
        "See [below](#whats-next).\n\n## What's next?\n\nSoon.\n\n## Rust 1.80: LazyCell & co.\n\n\
         ## Zürich\n",
    );
    site.build_ok(&[]);
    let html = site.html("2026/03/14/h/index.html");
    assert_eq!(
        attrs(&html, ".content h2", "id"),
        ["whats-next", "rust-180-lazycell--co", "zürich"]
    );
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(!check.stderr.contains("whats-next"), "{}", check.stderr);
}

#[test]
fn markdown_extensions_render() {
    let site = Site::new();
    site.article(
        "world",
        "md",
        "title: Extensions\ndate: 2026-03-14",
        "| Port | Ships |\n|---|---|\n| Velmora | 19 |\n\n\
         A claim.[^src]\n\n\
         ~~Nine~~ Ten days.\n\n\
         - [x] vote held\n- [ ] backlog cleared\n\n\
         [^src]: The wire report.",
    );
    site.build_ok(&[]);
    let html = site.html("2026/03/14/md/index.html");
    assert_eq!(
        texts(&html, ".content div.table-wrap > table th"),
        ["Port", "Ships"]
    );
    assert_eq!(
        texts(&html, ".content div.table-wrap > table td"),
        ["Velmora", "19"]
    );
    let refs = attrs(&html, ".content .footnote-reference a", "href");
    assert_eq!(refs.len(), 1, "one footnote reference");
    let ids = attrs(&html, ".content .footnote-definition", "id");
    assert_eq!(
        refs,
        ids.iter().map(|id| format!("#{id}")).collect::<Vec<_>>()
    );
    assert!(texts(&html, ".content .footnote-definition")[0].contains("The wire report."));
    assert_eq!(texts(&html, ".content del"), ["Nine"]);
    let boxes = Selector::parse(".content li input[type=checkbox]").expect("selector");
    let checked: Vec<bool> = html
        .select(&boxes)
        .map(|b| b.value().attr("checked").is_some())
        .collect();
    assert_eq!(checked, [true, false]);
}

/// An article with a Rust block that carries a script, a block in a language no grammar knows,
/// and a block without a language; built with `markdown:` set to `config`.
fn code_site(config: &str) -> Html {
    let site = Site::new();
    site.write("gazette.yaml", format!("markdown:\n{config}\n"));
    site.article(
        "world",
        "code",
        "title: Code\ndate: 2026-03-14",
        "```rust\nfn main() { let s = \"<script>alert(1)</script>\"; }\n```\n\n\
         ```klingon\nqaStaH <b>nuq</b>\n```\n\n\
         ```\nplain <i>text</i>\n```",
    );
    site.build_ok(&[]);
    site.html("2026/03/14/code/index.html")
}

/// The text of every element matching `selector`, exactly as written (`texts` spaces out the
/// pieces of highlighted code).
fn exact_texts(html: &Html, selector: &str) -> Vec<String> {
    html.select(&Selector::parse(selector).expect("selector"))
        .map(|el| el.text().collect())
        .collect()
}

/// The number of elements matching `selector`.
fn count(html: &Html, selector: &str) -> usize {
    html.select(&Selector::parse(selector).expect("selector"))
        .count()
}

#[test]
fn fenced_code_in_a_known_language_gets_highlight_classes_and_stays_escaped() {
    for trust in ["  raw_html: true", "  raw_html: false"] {
        let html = code_site(trust);
        assert!(
            count(
                &html,
                ".content pre > code.language-rust span[class*='hl-keyword']"
            ) > 0,
            "{trust}: no keyword highlighted"
        );
        assert!(
            count(
                &html,
                ".content pre > code.language-rust span[class*='hl-string']"
            ) > 0,
            "{trust}: no string highlighted"
        );
        assert_eq!(
            count(&html, ".content pre [style]"),
            0,
            "{trust}: inline styles"
        );
        assert_eq!(
            count(&html, ".content script"),
            0,
            "{trust}: the script ran loose"
        );
        assert_eq!(
            exact_texts(&html, ".content code.language-rust"),
            ["fn main() { let s = \"<script>alert(1)</script>\"; }\n"],
            "{trust}"
        );
    }
}

#[test]
fn unknown_languages_and_plain_blocks_are_plain_escaped_text() {
    let html = code_site("  raw_html: true");
    assert_eq!(count(&html, ".content code.language-klingon *"), 0);
    assert_eq!(
        texts(&html, ".content code.language-klingon"),
        ["qaStaH <b>nuq</b>"]
    );
    assert_eq!(count(&html, ".content pre > code:not([class]) *"), 0);
    assert_eq!(
        texts(&html, ".content pre > code:not([class])"),
        ["plain <i>text</i>"]
    );
}

#[test]
fn highlighting_can_be_turned_off() {
    let html = code_site("  highlight_code: false");
    assert_eq!(count(&html, ".content pre span"), 0);
    assert_eq!(count(&html, ".content pre > code.language-rust"), 1);
}

// --- Dates, drafts, future ------------------------------------------------------------------

#[test]
fn date_comes_from_the_file_name_when_front_matter_has_none() {
    let site = Site::new();
    site.article(
        "world",
        "2026-03-14-port-strike",
        "title: Port strike",
        "Body.",
    );
    site.build_ok(&[]);
    let html = site.html("2026/03/14/port-strike/index.html");
    let published = attrs(&html, ".article-header .published time", "datetime");
    assert_eq!(published.len(), 1);
    assert!(published[0].starts_with("2026-03-14"), "{published:?}");
}

#[test]
fn drafts_are_built_only_with_the_drafts_flag() {
    let site = Site::new();
    simple(&site, "world", "live", "Live", "2026-03-14", "");
    simple(
        &site,
        "world",
        "wip",
        "Work in progress",
        "2026-03-14",
        "draft: true",
    );
    site.build_ok(&[]);
    assert!(!site.exists("2026/03/14/wip/index.html"));
    assert_eq!(listed(&site.html("index.html")), ["Live"]);
    site.build_ok(&["--drafts"]);
    assert!(site.exists("2026/03/14/wip/index.html"));
    assert_eq!(listed(&site.html("index.html")).len(), 2);
}

#[test]
fn future_articles_are_built_only_with_the_future_flag() {
    let site = Site::new();
    simple(&site, "world", "now", "Now", "2026-03-14", "");
    simple(&site, "world", "later", "Later", "2099-01-01", "");
    site.build_ok(&[]);
    assert!(!site.exists("2099/01/01/later/index.html"));
    assert!(!site.exists("2099/index.html"));
    assert_eq!(listed(&site.html("index.html")), ["Now"]);
    site.build_ok(&["--future"]);
    assert!(site.exists("2099/01/01/later/index.html"));
    assert_eq!(listed(&site.html("index.html")), ["Later", "Now"]);
}

// --- Templates, static files, built-in theme ------------------------------------------------

#[test]
fn site_template_replaces_the_built_in_one() {
    let site = Site::new();
    simple(&site, "world", "a", "Alpha", "2026-03-14", "");
    site.write(
        "templates/article.html",
        "<!DOCTYPE html><html><head><title>{{ article.title }}</title></head>\
         <body><h1 class=\"mine\">{{ article.title }}</h1></body></html>",
    );
    site.build_ok(&[]);
    let article = site.html("2026/03/14/a/index.html");
    assert_eq!(texts(&article, "h1.mine"), ["Alpha"]);
    assert!(
        texts(&article, ".byline").is_empty(),
        "the built-in article is gone"
    );
    // Every other page still comes from the built-in theme.
    assert_eq!(listed(&site.html("index.html")), ["Alpha"]);
}

/// `include_cached` renders a partial once per key in a build: every list shows what the first
/// render made for that key, and a key that tells items apart shows each its own.
#[test]
fn include_cached_renders_a_partial_once_per_key() {
    let site = common::two_article_site();
    site.write(
        "templates/partials/title.html",
        "<b class=\"t\">{{ item.title }}</b>",
    );
    site.write(
        "templates/partials/article_list.html",
        "<div class=\"own\">{% for item in articles %}\
         {{ include_cached(name=\"partials/title.html\", key=\"one\", item=item) }}\
         {% endfor %}</div>\
         <div class=\"keyed\">{% for item in articles %}\
         {{ include_cached(name=\"partials/title.html\", key=item.url, item=item) }}\
         {% endfor %}</div>",
    );
    site.build_ok(&[]);
    let mut shown = Vec::new();
    for page in [
        "world/index.html",
        "tags/shipping/index.html",
        "bots/wirebot/index.html",
    ] {
        let html = site.html(page);
        let once = texts(&html, ".own b.t");
        assert_eq!(once.len(), 2, "{page}");
        shown.extend(once);
        let mut keyed = texts(&html, ".keyed b.t");
        keyed.sort();
        assert_eq!(keyed, ["Ferry restored", "Port strike ends"], "{page}");
    }
    shown.dedup();
    assert_eq!(shown.len(), 1, "one render for the key `one`: {shown:?}");
}

#[test]
fn site_base_extending_the_built_in_base_applies_to_every_page() {
    let site = every_page_site();
    site.write(
        "templates/base.html",
        "{% extends \"gazette/base.html\" %}\
         {% block head %}<meta name=\"x-own-head\" content=\"yes\">{{ super() }}{% endblock head %}",
    );
    site.build_ok(&[]);
    for page in EVERY_PAGE {
        let html = site.html(page);
        assert_eq!(
            attrs(&html, "head meta[name=x-own-head]", "content"),
            ["yes"],
            "{page}"
        );
        assert_eq!(
            texts(&html, "footer.site-footer .disclaimer").len(),
            1,
            "{page}"
        );
    }
    let article = site.html("2026/03/14/a/index.html");
    assert_eq!(texts(&article, ".byline a[rel=author]"), ["WireBot"]);
    let og = attrs(&article, "head meta[property='og:title']", "content");
    assert_eq!(og, ["Alpha"], "the article's own head block still renders");
    assert_eq!(listed(&site.html("tags/port/index.html")), ["Alpha"]);
}

#[test]
fn a_folder_with_only_content_builds_a_complete_site() {
    let site = Site::empty();
    site.article(
        "world",
        "a",
        "title: Alpha\ndate: 2026-03-14\ntags: [port]",
        "Body.",
    );
    site.build_ok(&[]);
    assert!(!site.path("templates").exists() && !site.path("static").exists());
    let css = std::fs::read_to_string(site.path("public/style.css")).expect("style.css");
    assert!(!css.trim().is_empty());
    for page in [
        "index.html",
        "2026/03/14/a/index.html",
        "world/index.html",
        "tags/index.html",
        "tags/port/index.html",
        "bots/index.html",
        "2026/index.html",
        "404.html",
    ] {
        let html = site.html(page);
        assert_eq!(
            attrs(&html, "head link[rel=stylesheet]", "href"),
            ["/style.css"],
            "{page}"
        );
    }
    let article = site.html("2026/03/14/a/index.html");
    assert_eq!(texts(&article, "h1.article-title"), ["Alpha"]);
}

#[test]
fn static_files_are_copied_to_the_output_root() {
    let site = Site::new();
    simple(&site, "world", "a", "Alpha", "2026-03-14", "");
    site.write("static/robots-note.txt", "hello");
    site.write("static/images/port.svg", "<svg/>");
    site.build_ok(&[]);
    let read = |p: &str| std::fs::read_to_string(site.path("public").join(p)).expect(p);
    assert_eq!(read("robots-note.txt"), "hello");
    assert_eq!(read("images/port.svg"), "<svg/>");
}

// --- Article furniture ----------------------------------------------------------------------

#[test]
fn sources_show_publisher_and_link_and_corrections_show_their_date() {
    let site = Site::new();
    site.article(
        "world",
        "a",
        "title: Alpha\ndate: 2026-03-14\nauthor: wirebot\n\
         sources:\n\
         \x20 - { title: \"Dockers vote\", publisher: \"Example Wire\", url: \"https://example.org/a\" }\n\
         \x20 - { title: \"Deal explained\", publisher: \"Harbour Gazette\", url: \"https://example.com/b\" }\n\
         corrections:\n\
         \x20 - { date: 2026-03-15, text: \"An earlier version gave the wrong port.\" }",
        "Body.",
    );
    site.build_ok(&[]);
    let html = site.html("2026/03/14/a/index.html");
    assert_eq!(
        texts(&html, ".sources li a"),
        ["Dockers vote", "Deal explained"]
    );
    assert_eq!(
        attrs(&html, ".sources li a", "href"),
        ["https://example.org/a", "https://example.com/b"]
    );
    assert_eq!(
        texts(&html, ".sources li .publisher"),
        ["Example Wire", "Harbour Gazette"]
    );
    let dates = attrs(&html, ".corrections li time", "datetime");
    assert_eq!(dates.len(), 1);
    assert!(dates[0].starts_with("2026-03-15"), "{dates:?}");
    let entry = texts(&html, ".corrections li");
    assert!(
        entry[0].contains("An earlier version gave the wrong port."),
        "{entry:?}"
    );
}

#[test]
fn not_found_page_exists_and_links_home() {
    let site = Site::new();
    simple(&site, "world", "a", "Alpha", "2026-03-14", "");
    site.build_ok(&[]);
    let html = site.html("404.html");
    assert!(attrs(&html, "main a", "href").iter().any(|h| h == "/"));
}

// --- The repository's own example site ------------------------------------------------------

#[test]
fn repository_example_site_builds_without_warnings() {
    let out = tempfile::tempdir().expect("temp dir");
    let output = out.path().join("public");
    let run = common::gazette()
        .arg("build")
        .arg("--root")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .arg("--output")
        .arg(&output)
        .output()
        .expect("run gazette");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    let warnings: Vec<_> = stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(article_pages(&output) >= 8, "at least 8 articles");
}

/// How many `YYYY/MM/DD/<slug>/index.html` pages there are below `output`.
fn article_pages(output: &Path) -> usize {
    walkdir::WalkDir::new(output)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .filter(|e| {
            let rel = e.path().strip_prefix(output).expect("inside");
            let parts: Vec<_> = rel.iter().map(|p| p.to_string_lossy()).collect();
            parts.len() == 5
                && parts[..3]
                    .iter()
                    .all(|p| p.chars().all(|c| c.is_ascii_digit()))
        })
        .count()
}
