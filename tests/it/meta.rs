//! What a page's `<head>` says about it (title, description, canonical link, Open Graph, Twitter
//! card, JSON-LD) and how pages disclose that their articles are written by AI.

use crate::common;

use common::{Site, attrs, texts};
use scraper::Html;
use serde_json::{Value, json};

const BASE: &str = "https://example.org/news/";

/// The JSON-LD of a page, parsed; there must be exactly one.
fn json_ld(html: &Html) -> Value {
    let found = texts(html, "head script[type='application/ld+json']");
    assert_eq!(found.len(), 1, "one JSON-LD block: {found:?}");
    serde_json::from_str(&found[0]).unwrap_or_else(|e| panic!("{e}: {}", found[0]))
}

/// The `content` of every `<meta property=...>` (Open Graph) or `<meta name=...>` (the rest).
fn meta(html: &Html, key: &str) -> Vec<String> {
    let attr = if key.starts_with("og:") || key.starts_with("article:") {
        "property"
    } else {
        "name"
    };
    attrs(html, &format!("head meta[{attr}='{key}']"), "content")
}

fn canonical(html: &Html) -> Vec<String> {
    attrs(html, "head link[rel=canonical]", "href")
}

/// One article with every field the head describes.
fn full_article(site: &Site) {
    site.article(
        "world",
        "2026-03-14-port",
        "title: \"Port strike ends\"\n\
         date: 2026-03-14T08:30:00+01:00\n\
         updated: 2026-03-15\n\
         author: wirebot\n\
         tags: [Labour, shipping]\n\
         summary: \"Dockworkers accept a raise.\"\n\
         image: /images/port.svg\n\
         sources:\n\
         \x20 - { title: \"Dockers vote\", publisher: \"Example Wire\", url: \"https://example.org/a\" }\n\
         \x20 - { title: \"Deal explained\", url: \"https://example.com/b\" }\n\
         corrections:\n\
         \x20 - { date: 2026-03-15, text: \"Fixed the port's name.\" }",
        "One two three four.",
    );
}

#[test]
fn json_ld_describes_the_news_article_field_by_field() {
    let site = Site::new();
    site.write(
        "gazette.yaml",
        "title: The Digest\nlanguage: en-GB\n\
         publisher: { name: Digest Media, url: \"https://media.example/\", logo: /images/logo.png }\n",
    );
    full_article(&site);
    site.build_ok(&["--base-url", BASE]);
    let ld = json_ld(&site.html("2026/03/14/port/index.html"));
    let url = "https://example.org/news/2026/03/14/port/";
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["headline"], "Port strike ends");
    assert_eq!(ld["description"], "Dockworkers accept a raise.");
    assert_eq!(ld["url"], url);
    assert_eq!(ld["mainEntityOfPage"], url);
    assert_eq!(ld["datePublished"], "2026-03-14T08:30:00+01:00");
    assert_eq!(ld["dateModified"], "2026-03-15T00:00:00+00:00");
    assert_eq!(
        ld["image"],
        json!(["https://example.org/news/images/port.svg"])
    );
    assert_eq!(ld["keywords"], json!(["Labour", "shipping"]));
    assert_eq!(ld["articleSection"], "World");
    assert_eq!(ld["inLanguage"], "en-GB");
    assert_eq!(ld["wordCount"], 4);
    assert_eq!(
        ld["author"],
        json!({
            "@type": "Organization",
            "additionalType": "https://schema.org/SoftwareApplication",
            "name": "WireBot",
            "url": "https://example.org/news/bots/wirebot/",
            "description": "Summarises wire reports."
        })
    );
    assert_eq!(
        ld["publisher"],
        json!({
            "@type": "Organization",
            "name": "Digest Media",
            "url": "https://media.example/",
            "logo": { "@type": "ImageObject", "url": "https://example.org/news/images/logo.png" },
            "publishingPrinciples": "https://example.org/news/ai-policy/",
            "correctionsPolicy": "https://example.org/news/corrections/",
            "ethicsPolicy": "https://example.org/news/ai-policy/"
        })
    );
    assert_eq!(
        ld["isBasedOn"],
        json!([
            { "@type": "CreativeWork", "name": "Dockers vote", "url": "https://example.org/a",
              "publisher": { "@type": "Organization", "name": "Example Wire" } },
            { "@type": "CreativeWork", "name": "Deal explained", "url": "https://example.com/b" }
        ])
    );
    assert_eq!(
        ld["correction"],
        json!([{ "@type": "CorrectionComment", "datePublished": "2026-03-15T00:00:00+00:00",
                 "text": "Fixed the port's name." }])
    );
    assert_eq!(
        ld["digitalSourceType"],
        "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
    );
}

#[test]
fn publisher_defaults_to_the_site_under_its_title() {
    let site = Site::new();
    site.write("gazette.yaml", "title: The Digest\n");
    site.article("world", "a", "title: A\ndate: 2026-03-14", "Text.");
    site.build_ok(&["--base-url", BASE]);
    let ld = json_ld(&site.html("2026/03/14/a/index.html"));
    assert_eq!(
        ld["publisher"],
        json!({ "@type": "Organization", "name": "The Digest", "url": BASE,
                 "publishingPrinciples": "https://example.org/news/ai-policy/",
                 "correctionsPolicy": "https://example.org/news/corrections/",
                 "ethicsPolicy": "https://example.org/news/ai-policy/" })
    );
    assert_eq!(ld["dateModified"], ld["datePublished"], "not updated");
    assert!(
        ld.get("author").is_none(),
        "no author, no default_author: {ld}"
    );
}

#[test]
fn article_head_has_canonical_open_graph_and_twitter_tags() {
    let site = Site::new();
    full_article(&site);
    site.build_ok(&["--base-url", BASE]);
    let html = site.html("2026/03/14/port/index.html");
    let url = "https://example.org/news/2026/03/14/port/";
    let image = "https://example.org/news/images/port.svg";
    assert_eq!(canonical(&html), [url]);
    assert_eq!(texts(&html, "title"), ["Port strike ends — gazette"]);
    assert_eq!(meta(&html, "description"), ["Dockworkers accept a raise."]);
    assert_eq!(meta(&html, "og:type"), ["article"]);
    assert_eq!(meta(&html, "og:site_name"), ["gazette"]);
    assert_eq!(meta(&html, "og:title"), ["Port strike ends"]);
    assert_eq!(
        meta(&html, "og:description"),
        ["Dockworkers accept a raise."]
    );
    assert_eq!(meta(&html, "og:url"), [url]);
    assert_eq!(meta(&html, "og:image"), [image]);
    assert_eq!(meta(&html, "twitter:card"), ["summary_large_image"]);
    assert_eq!(meta(&html, "twitter:title"), ["Port strike ends"]);
    assert_eq!(meta(&html, "twitter:image"), [image]);
    assert_eq!(
        meta(&html, "article:published_time"),
        ["2026-03-14T08:30:00+01:00"]
    );
    assert_eq!(
        meta(&html, "article:modified_time"),
        ["2026-03-15T00:00:00+00:00"]
    );
    assert_eq!(meta(&html, "article:section"), ["World"]);
    assert_eq!(meta(&html, "article:tag"), ["Labour", "shipping"]);
}

#[test]
fn without_a_host_absolute_urls_are_left_out_rather_than_guessed() {
    let site = Site::new();
    full_article(&site);
    site.article(
        "world",
        "b",
        "title: B\ndate: 2026-03-13\nimage: \"https://cdn.example/b.jpg\"",
        "Text.",
    );
    site.build_ok(&[]);
    let html = site.html("2026/03/14/port/index.html");
    assert!(canonical(&html).is_empty());
    assert!(meta(&html, "og:url").is_empty());
    assert!(meta(&html, "og:image").is_empty(), "a path has no origin");
    assert_eq!(meta(&html, "twitter:card"), ["summary"]);
    let ld = json_ld(&html);
    for key in ["url", "mainEntityOfPage", "image"] {
        assert!(ld.get(key).is_none(), "{key} in {ld}");
    }
    assert!(ld["publisher"].get("url").is_none());
    assert_eq!(attrs(&html, "img.avatar", "src").len(), 0);
    let other = site.html("2026/03/13/b/index.html");
    assert_eq!(meta(&other, "og:image"), ["https://cdn.example/b.jpg"]);
    assert_eq!(
        json_ld(&other)["image"],
        json!(["https://cdn.example/b.jpg"])
    );
}

/// Every kind of page, with its path below `public/`, its URL path and its og:title.
const PAGES: &[(&str, &str, &str)] = &[
    ("index.html", "/news/", "The Digest"),
    ("page/2/index.html", "/news/page/2/", "The Digest — page 2"),
    ("world/index.html", "/news/world/", "World"),
    ("tags/index.html", "/news/tags/", "Tags"),
    ("tags/port/index.html", "/news/tags/port/", "port"),
    ("bots/index.html", "/news/bots/", "Bots"),
    ("bots/wirebot/index.html", "/news/bots/wirebot/", "WireBot"),
    ("2026/index.html", "/news/2026/", "Archive: 2026"),
    (
        "2026/03/index.html",
        "/news/2026/03/",
        "Archive: March 2026",
    ),
    ("about/index.html", "/news/about/", "About us"),
    ("2026/03/14/a/index.html", "/news/2026/03/14/a/", "Alpha"),
];

fn every_page_site() -> Site {
    let site = Site::new();
    site.write(
        "gazette.yaml",
        "title: The Digest\ndescription: News by bots.\npaginate_by: 1\n",
    );
    site.write(
        "content/pages/about.md",
        "---\ntitle: About us\nsummary: Who we are.\n---\nHi.\n",
    );
    for (name, title, date) in [("a", "Alpha", "2026-03-14"), ("b", "Beta", "2026-03-13")] {
        let front = format!("title: {title}\ndate: {date}\nauthor: wirebot\ntags: [port]");
        site.article("world", name, &front, "Text.");
    }
    site
}

#[test]
fn every_page_has_title_description_canonical_and_open_graph_tags() {
    let site = every_page_site();
    site.build_ok(&["--base-url", BASE]);
    for &(file, path, title) in PAGES {
        let html = site.html(file);
        let url = format!("https://example.org{path}");
        assert_eq!(canonical(&html), std::slice::from_ref(&url), "{file}");
        assert_eq!(meta(&html, "og:url"), [url], "{file}");
        assert_eq!(meta(&html, "og:title"), [title], "{file}");
        assert_eq!(meta(&html, "twitter:title"), [title], "{file}");
        let description = meta(&html, "description");
        assert_eq!(description.len(), 1, "{file}");
        assert!(!description[0].is_empty(), "{file}");
        assert_eq!(meta(&html, "og:description"), description, "{file}");
        let kind = if title == "Alpha" {
            "article"
        } else {
            "website"
        };
        let kind = if title == "WireBot" { "profile" } else { kind };
        assert_eq!(meta(&html, "og:type"), [kind], "{file}");
        let document = texts(&html, "title");
        let expected = if file.starts_with("index") || file.starts_with("page/") {
            title.to_string()
        } else {
            format!("{title} — The Digest")
        };
        assert_eq!(document, [expected], "{file}");
    }
}

// --- AI disclosure --------------------------------------------------------------------------

/// The article label's text, whitespace folded.
fn label(html: &Html) -> Vec<String> {
    texts(html, "article .article-header .ai-label")
}

#[test]
fn ai_label_says_how_the_article_was_made_and_the_byline_who_wrote_it() {
    let site = every_page_site();
    site.write("content/bots/quietbot.md", "---\nname: QuietBot\n---\n");
    site.article(
        "world",
        "q",
        "title: Q\ndate: 2026-03-12\nauthor: quietbot\nsources:\n  - { title: R, url: \"https://example.org/r\" }",
        "Text.",
    );
    site.article(
        "world",
        "two",
        "title: Two\ndate: 2026-03-11\nauthor: wirebot\nsources:\n  - { title: R, url: \"https://example.org/r\" }\n  - { title: S, url: \"https://example.org/s\" }",
        "Text.",
    );
    site.build_ok(&[]);
    let byline = |html: &Html| texts(html, "article .article-header .byline-name");
    let html = site.html("2026/03/14/a/index.html");
    let unreviewed = "· not reviewed by a person before publication";
    assert_eq!(
        label(&html),
        [format!("AI-generated · model example-model-2 {unreviewed}")]
    );
    assert_eq!(
        texts(&html, "article .article-header .ai-label .ai-label-model"),
        ["example-model-2"]
    );
    assert_eq!(byline(&html), ["Written by WireBot"]);
    let two = site.html("2026/03/11/two/index.html");
    assert_eq!(
        label(&two),
        [format!(
            "AI-generated · from 2 sources · model example-model-2 {unreviewed}"
        )]
    );
    let quiet = site.html("2026/03/12/q/index.html");
    assert_eq!(
        label(&quiet),
        [format!("AI-generated · from 1 source {unreviewed}")],
        "no model given"
    );
    assert_eq!(byline(&quiet), ["Written by QuietBot"]);
    // The two never say the same thing: the label names no bot, the byline no model.
    for page in [&html, &two, &quiet] {
        let label = label(page).join(" ");
        let byline = byline(page).join(" ");
        assert!(!label.contains("Bot"), "{label}");
        assert!(
            !byline.contains("model") && !byline.contains("AI"),
            "{byline}"
        );
    }
}

/// The W3C AI Content Disclosure report's value for text an AI published without review.
const AUTONOMOUS: &str = "ai-autonomous";

#[test]
fn ai_disclosure_meta_is_on_articles_and_their_lists_not_on_the_sites_own_pages() {
    let site = every_page_site();
    site.build_ok(&[]);
    for &(file, _, _) in PAGES {
        // The tags and bots indexes and standalone pages are the site's own words.
        let own = ["about/", "tags/index.html", "bots/index.html"];
        let expected: &[&str] = if own.iter().any(|o| file.starts_with(o)) {
            &[]
        } else {
            &[AUTONOMOUS]
        };
        assert_eq!(meta(&site.html(file), "ai-disclosure"), expected, "{file}");
    }
    assert!(meta(&site.html("404.html"), "ai-disclosure").is_empty());
}

#[test]
fn ai_disclosure_false_drops_the_label_the_meta_tag_and_the_default_disclaimer() {
    let site = every_page_site();
    site.write(
        "gazette.yaml",
        "title: The Digest\npaginate_by: 1\nai_disclosure: false\n",
    );
    site.article(
        "world",
        "own",
        "title: Own\ndate: 2026-03-12\ndisclaimer: \"Figures are preliminary.\"",
        "Text.",
    );
    site.build_ok(&["--base-url", BASE]);
    for &(file, _, _) in PAGES {
        let html = site.html(file);
        assert!(meta(&html, "ai-disclosure").is_empty(), "{file}");
        assert!(texts(&html, ".ai-label").is_empty(), "{file}");
        assert!(texts(&html, ".disclaimer").is_empty(), "{file}");
    }
    let article = site.html("2026/03/14/a/index.html");
    assert!(json_ld(&article).get("digitalSourceType").is_none());
    assert_eq!(texts(&article, ".byline a[rel=author]"), ["WireBot"]);
    let own = site.html("2026/03/12/own/index.html");
    assert_eq!(
        texts(&own, "footer .disclaimer"),
        ["Note: Figures are preliminary."],
        "a disclaimer the site wrote stays"
    );
}

#[test]
fn ai_disclosure_on_keeps_label_meta_and_disclaimer_together() {
    let site = every_page_site();
    site.write("gazette.yaml", "title: The Digest\nai_disclosure: true\n");
    site.build_ok(&[]);
    let html = site.html("2026/03/14/a/index.html");
    assert_eq!(label(&html).len(), 1);
    assert_eq!(meta(&html, "ai-disclosure"), [AUTONOMOUS]);
    assert_eq!(
        texts(&html, "footer .disclaimer .disclaimer-label"),
        ["AI disclosure:"]
    );
}

// --- Escaping -------------------------------------------------------------------------------

#[test]
fn a_hostile_title_cannot_break_out_of_the_json_ld_or_the_attributes() {
    let title = r#"</script><script>alert(1)</script> "quoted" & 'single' <!--"#;
    let site = Site::new();
    site.write(
        "content/bots/wirebot.md",
        "---\nname: \"Wire</script>Bot\"\nbio: \"<b>x</b> & y\"\n---\n",
    );
    let yaml_title = title.replace('\\', "\\\\").replace('"', "\\\"");
    site.article(
        "world",
        "x",
        &format!(
            "title: \"{yaml_title}\"\ndate: 2026-03-14\nauthor: wirebot\nsummary: \"{yaml_title}\"\ntags: [\"</script>\"]"
        ),
        "Text.",
    );
    site.build_ok(&["--base-url", BASE]);
    let html = site.html("2026/03/14/x/index.html");
    assert_eq!(texts(&html, "script").len(), 1, "only the JSON-LD");
    let ld = json_ld(&html);
    assert_eq!(ld["headline"], title);
    assert_eq!(ld["description"], title);
    assert_eq!(ld["keywords"], json!(["</script>"]));
    assert_eq!(ld["author"]["name"], "Wire</script>Bot");
    for key in ["og:title", "og:description", "twitter:title", "description"] {
        assert_eq!(meta(&html, key), [title], "{key}");
    }
    let raw = std::fs::read_to_string(site.path("public/2026/03/14/x/index.html")).unwrap();
    let document = Html::parse_document(&raw);
    let script = texts(&document, "script").remove(0);
    assert!(
        !script.contains(['<', '>', '&']),
        "escaped as \\u003c etc.: {script}"
    );
}

// --- Sub-paths ------------------------------------------------------------------------------

#[test]
fn front_matter_images_avatars_and_body_links_follow_the_sub_path() {
    let site = Site::new();
    site.write(
        "content/bots/wirebot.md",
        "---\nname: WireBot\navatar: /images/wirebot.svg\n---\nSee [the home page](/).\n",
    );
    site.article(
        "world",
        "a",
        "title: A\ndate: 2026-03-14\nauthor: wirebot\nimage: images/a.svg",
        "Read [the earlier report](/2026/03/13/b/) and ![a map](/images/map.svg).",
    );
    site.build_ok(&["--base-url", BASE]);
    let html = site.html("2026/03/14/a/index.html");
    assert_eq!(attrs(&html, ".content a", "href"), ["/news/2026/03/13/b/"]);
    assert_eq!(
        attrs(&html, ".content img", "src"),
        ["/news/images/map.svg"]
    );
    assert_eq!(
        attrs(&html, ".byline img.avatar", "src"),
        ["/news/images/wirebot.svg"]
    );
    assert_eq!(
        meta(&html, "og:image"),
        ["https://example.org/news/images/a.svg"]
    );
    let bot = site.html("bots/wirebot/index.html");
    assert_eq!(
        attrs(&bot, "img.avatar", "src"),
        ["/news/images/wirebot.svg"]
    );
    assert_eq!(attrs(&bot, ".about a", "href"), ["/news/"]);
    assert_eq!(
        meta(&bot, "og:image"),
        ["https://example.org/news/images/wirebot.svg"]
    );
}
