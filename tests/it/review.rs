//! Human review: editors' pages, `reviewed_by` and a correction's `by`, and how an article says
//! who wrote and who reviewed it, to readers and to machines (the W3C AI Content Disclosure
//! values, JSON-LD's `editor` and `digitalSourceType`).

use crate::common;

use common::{Site, attrs, texts};
use scraper::Html;
use serde_json::{Value, json};

const BASE: &str = "https://example.org/news/";
const ARTICLE: &str = "2026/03/14/a/index.html";
const OTHER: &str = "2026/03/13/b/index.html";

fn json_ld(html: &Html) -> Value {
    let found = texts(html, "head script[type='application/ld+json']");
    assert_eq!(found.len(), 1, "one JSON-LD block: {found:?}");
    serde_json::from_str(&found[0]).unwrap_or_else(|e| panic!("{e}: {}", found[0]))
}

fn disclosure_meta(html: &Html) -> Vec<String> {
    attrs(html, "head meta[name='ai-disclosure']", "content")
}

/// A site with a bot, an editor and two articles: `a` reviewed by the editor, with a
/// correction the editor wrote and one nobody signed; `b` not reviewed.
fn newsroom() -> Site {
    let site = Site::new();
    site.write("gazette.yaml", "title: The Digest\n");
    site.write(
        "content/bots/wirebot.md",
        "---\nname: WireBot\nmodel: example-model-2\noperator: Example Desk\n---\nA bot.\n",
    );
    site.write(
        "content/editors/anna.md",
        "---\nname: Anna Berg\nrole: Managing editor\nurl: https://example.org/anna\n---\nAnna reviews the **business** desk.\n",
    );
    site.article(
        "world",
        "a",
        "title: Alpha\ndate: 2026-03-14\nauthor: wirebot\nreviewed_by: anna\n\
         sources:\n  - { title: R, url: \"https://example.org/r\" }\n\
         corrections:\n  - { date: 2026-03-15, text: \"Fixed a name.\", by: anna }\n  - { date: 2026-03-16, text: \"Fixed a date.\" }",
        "Text.",
    );
    site.article(
        "world",
        "b",
        "title: Beta\ndate: 2026-03-13\nauthor: wirebot",
        "Text.",
    );
    site
}

#[test]
fn editors_have_an_index_and_a_page_each_listed_in_the_sitemap() {
    let site = newsroom();
    site.write("content/editors/bo.md", "---\nname: Bo Lund\n---\n");
    site.build_ok(&["--base-url", BASE]);
    let index = site.html("editors/index.html");
    assert_eq!(texts(&index, "h1"), ["Our editors"]);
    assert_eq!(texts(&index, ".editor-card h2 a"), ["Anna Berg", "Bo Lund"]);
    assert_eq!(
        attrs(&index, ".editor-card h2 a", "href"),
        ["/news/editors/anna/", "/news/editors/bo/"]
    );
    assert_eq!(
        texts(&index, ".editor-card .editor-role"),
        ["Managing editor"]
    );
    let anna = site.html("editors/anna/index.html");
    assert_eq!(texts(&anna, "h1"), ["Anna Berg"]);
    assert_eq!(texts(&anna, ".editor-role"), ["Managing editor"]);
    assert_eq!(texts(&anna, ".about .content strong"), ["business"]);
    assert_eq!(
        attrs(&anna, ".bot-facts a", "href"),
        ["https://example.org/anna"]
    );
    assert!(
        disclosure_meta(&anna).is_empty(),
        "a person's page claims nothing of AI"
    );
    let sitemap = std::fs::read_to_string(site.path("public/sitemap-pages.xml")).unwrap();
    for url in ["editors/", "editors/anna/", "editors/bo/"] {
        assert!(
            sitemap.contains(&format!("<loc>{BASE}{url}</loc>")),
            "{url}: {sitemap}"
        );
    }
    // Linked from the footer of every page, by a site with standalone pages.
    site.write("content/pages/about.md", "---\ntitle: About\n---\nHi.\n");
    site.build_ok(&["--base-url", BASE]);
    for page in ["index.html", ARTICLE, "about/index.html"] {
        let html = site.html(page);
        let footer = attrs(&html, ".footer-nav a", "href");
        assert!(
            footer.contains(&"/news/editors/".to_string()),
            "{page}: {footer:?}"
        );
    }
}

#[test]
fn a_site_without_editors_has_no_editors_pages() {
    let site = common::two_article_site();
    site.write("content/pages/about.md", "---\ntitle: About\n---\nHi.\n");
    site.build_ok(&[]);
    assert!(!site.exists("public/editors/index.html"));
    let footer = attrs(&site.html("index.html"), ".footer-nav a", "href");
    assert!(!footer.iter().any(|a| a.contains("editors")), "{footer:?}");
}

#[test]
fn a_reviewed_article_names_its_reviewer_in_the_byline_and_the_label() {
    let site = newsroom();
    site.build_ok(&[]);
    let a = site.html(ARTICLE);
    assert_eq!(
        texts(&a, ".article-header .byline-name"),
        ["Written by WireBot · Reviewed by Anna Berg , Managing editor"]
    );
    assert_eq!(attrs(&a, ".byline-review a", "href"), ["/editors/anna/"]);
    assert_eq!(
        texts(&a, ".article-header .ai-label"),
        [
            "AI-generated · from 1 source · model example-model-2 · reviewed by Anna Berg before publication"
        ]
    );
    let b = site.html(OTHER);
    assert_eq!(
        texts(&b, ".article-header .byline-name"),
        ["Written by WireBot"]
    );
    assert_eq!(
        texts(&b, ".article-header .ai-label-review"),
        ["· not reviewed by a person before publication"]
    );
}

#[test]
fn every_article_discloses_how_its_text_was_written_page_and_body_alike() {
    let site = newsroom();
    site.build_ok(&[]);
    let a = site.html(ARTICLE);
    assert_eq!(disclosure_meta(&a), ["ai-assisted"]);
    let body = ".article > .content";
    assert_eq!(attrs(&a, body, "data-ai-disclosure"), ["ai-assisted"]);
    assert_eq!(attrs(&a, body, "data-ai-model"), ["example-model-2"]);
    assert_eq!(attrs(&a, body, "data-ai-provider"), ["Example Desk"]);
    // The correction the editor wrote is a person's text, and says whose; the other one
    // inherits the page's value.
    let corrections = ".corrections li";
    assert_eq!(
        texts(&a, corrections),
        [
            "15 March 2026 : Fixed a name. — Anna Berg",
            "16 March 2026 : Fixed a date."
        ]
    );
    assert_eq!(
        attrs(
            &a,
            ".corrections li[data-ai-disclosure]",
            "data-ai-disclosure"
        ),
        ["human-only"]
    );
    assert_eq!(attrs(&a, ".correction-by a", "href"), ["/editors/anna/"]);
    let b = site.html(OTHER);
    assert_eq!(disclosure_meta(&b), ["ai-autonomous"]);
    assert_eq!(attrs(&b, body, "data-ai-disclosure"), ["ai-autonomous"]);
    // No bare attribute of the report's draft, which HTML does not know yet.
    for html in [&a, &b] {
        assert!(texts(html, "[ai-disclosure]").is_empty());
    }
    // A list mixing reviewed and unreviewed articles makes no page-wide claim.
    assert!(disclosure_meta(&site.html("index.html")).is_empty());
}

#[test]
fn json_ld_names_the_reviewer_as_a_person_and_the_bot_never_as_one() {
    let site = newsroom();
    site.article(
        "world",
        "c",
        "title: Gamma\ndate: 2026-03-12\nauthor: ghostbot",
        "Text.",
    );
    site.build_ok(&["--base-url", BASE]);
    let a = json_ld(&site.html(ARTICLE));
    assert_eq!(
        a["editor"],
        json!({ "@type": "Person", "name": "Anna Berg", "jobTitle": "Managing editor",
                "url": "https://example.org/news/editors/anna/" })
    );
    assert_eq!(
        a["digitalSourceType"],
        "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"
    );
    let b = json_ld(&site.html(OTHER));
    assert!(b.get("editor").is_none());
    assert_eq!(
        b["digitalSourceType"],
        "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
    );
    // A bot with a profile, and an author with none on a site of bots: software, not people.
    let c = json_ld(&site.html("2026/03/12/c/index.html"));
    for (ld, name) in [(&a, "WireBot"), (&b, "WireBot"), (&c, "ghostbot")] {
        assert_eq!(ld["author"]["name"], name);
        assert_eq!(ld["author"]["@type"], "Organization", "{name}");
        assert_eq!(
            ld["author"]["additionalType"],
            "https://schema.org/SoftwareApplication"
        );
    }
}

#[test]
fn an_unknown_editor_is_an_error_naming_the_id_and_the_editors() {
    let site = newsroom();
    site.build_ok(&[]);
    let before = site.snapshot();
    site.article(
        "world",
        "a",
        "title: Alpha\ndate: 2026-03-14\nauthor: wirebot\nreviewed_by: anne\n\
         corrections:\n  - { date: 2026-03-15, text: \"Fixed.\", by: bob }",
        "Text.",
    );
    let run = site.build_fails();
    assert_eq!(run.code, 1);
    let errors = run.errors();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(
        errors[0].starts_with("error: content/world/a.md:5:1: `reviewed_by: anne` names no editor"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].starts_with("error: content/world/a.md:7:41: `by: bob` names no editor"),
        "{}",
        errors[1]
    );
    assert!(
        run.stderr.contains("the editors are `anna`"),
        "{}",
        run.stderr
    );
    assert_eq!(
        site.snapshot(),
        before,
        "a failed build leaves the output as it was"
    );
    // Unlike an unknown bot, which is a warning.
    site.article(
        "world",
        "a",
        "title: Alpha\ndate: 2026-03-14\nauthor: nobot",
        "Text.",
    );
    let run = site.build_ok(&[]);
    assert!(run.errors().is_empty(), "{}", run.stderr);
}

#[test]
fn removing_an_editor_still_named_by_an_unchanged_article_is_an_error() {
    let site = newsroom();
    site.build_ok(&[]);
    std::fs::remove_file(site.path("content/editors/anna.md")).unwrap();
    let run = site.build_fails();
    assert!(
        run.stderr.contains("`reviewed_by: anna` names no editor"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("there are no editors yet"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_edit_of_an_editor_shows_on_the_articles_they_reviewed() {
    let site = newsroom();
    site.build_ok(&[]);
    site.write(
        "content/editors/anna.md",
        "---\nname: Anna Berg-Holm\nrole: Editor in chief\n---\n",
    );
    site.build_ok(&[]);
    let a = site.html(ARTICLE);
    assert_eq!(
        texts(&a, ".byline-review"),
        ["· Reviewed by Anna Berg-Holm , Editor in chief"]
    );
    assert_eq!(texts(&a, ".correction-by"), ["— Anna Berg-Holm"]);
    assert_eq!(json_ld(&a)["editor"]["jobTitle"], "Editor in chief");
}

#[test]
fn the_eu_icon_is_an_accessible_svg_in_the_label_only_when_asked_for() {
    let site = newsroom();
    site.build_ok(&[]);
    assert!(texts(&site.html(ARTICLE), ".ai-label svg").is_empty());
    site.write(
        "gazette.yaml",
        "title: The Digest\nlabels:\n  eu_icon: true\n",
    );
    site.build_ok(&[]);
    let a = site.html(ARTICLE);
    assert_eq!(attrs(&a, ".article-header .ai-label svg", "role"), ["img"]);
    assert_eq!(
        attrs(&a, ".article-header .ai-label svg", "aria-label"),
        ["AI-generated"]
    );
    assert_eq!(
        texts(&a, ".article-header .ai-label svg title"),
        ["AI-generated"]
    );
    // Drawn in the label's colour, so that it follows light and dark mode.
    let svg = a
        .select(&scraper::Selector::parse(".ai-label svg").unwrap())
        .next()
        .unwrap()
        .html();
    assert!(
        svg.contains("currentColor") && !svg.contains("fill=\"#"),
        "{svg}"
    );
}

#[test]
fn an_editors_note_is_marked_as_a_persons_words_and_must_name_an_editor() {
    let site = newsroom();
    site.article(
        "world",
        "b",
        "title: Beta\ndate: 2026-03-13\nauthor: wirebot\n\
         editor_note: { text: \"We held this digest for a day to check a figure.\", by: anna }",
        "Text.",
    );
    site.build_ok(&[]);
    let html = site.html(OTHER);
    assert_eq!(
        texts(&html, ".editor-note p"),
        ["Editor's note: We held this digest for a day to check a figure. — Anna Berg"]
    );
    assert_eq!(
        attrs(&html, ".editor-note", "data-ai-disclosure"),
        ["human-only"]
    );
    assert_eq!(attrs(&html, ".editor-note a", "href"), ["/editors/anna/"]);
    // The body stays the bot's.
    assert_eq!(
        attrs(&html, ".content", "data-ai-disclosure"),
        ["ai-autonomous"]
    );
    // No note on the other article.
    assert!(texts(&site.html(ARTICLE), ".editor-note").is_empty());

    site.article(
        "world",
        "b",
        "title: Beta\ndate: 2026-03-13\nauthor: wirebot\neditor_note: { text: \"Held.\", by: bob }",
        "Text.",
    );
    let run = site.build_fails();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("content/world/b.md:5:1: `editor_note.by: bob` names no editor"),
        "{}",
        run.stderr
    );
}
