//! The raw HTML policy: with `markdown.raw_html: false` (bots not trusted) no link, image or
//! attribute of a body can run code, whatever spelling it hides behind, and the words stay;
//! with the default `true` the body is published as written.

use crate::common;
use crate::common::hostile;

use common::{Site, attrs, texts};
use hostile::{PAGE, hostile_site};
use scraper::{Html, Selector};

const PAGE_URL: &str = "https://example.org/2026/03/14/hostile/";

/// The scheme a browser would use for `link` on the article's page, read by the `url` crate
/// (a WHATWG URL parser, so not our own reading of schemes).
fn scheme_in_browser(link: &str) -> String {
    let page = url::Url::parse(PAGE_URL).expect("page URL");
    page.join(link)
        .unwrap_or_else(|e| panic!("a browser could not follow {link:?}: {e}"))
        .scheme()
        .to_string()
}

/// Every attribute name of every element below `selector`.
fn attribute_names(html: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).expect("selector");
    html.select(&selector)
        .flat_map(|e| e.descendent_elements())
        .flat_map(|e| e.value().attrs().map(|(name, _)| name.to_string()))
        .collect()
}

#[test]
fn untrusted_bodies_carry_no_link_that_runs_code_and_keep_its_words() {
    let site = hostile_site(false);
    site.build_ok(&[]);
    let page = site.html(PAGE);

    let links = attrs(&page, "a[href]", "href");
    let sources = attrs(&page, "img[src]", "src");
    for link in links.iter().chain(&sources) {
        let scheme = scheme_in_browser(link);
        assert!(
            ["http", "https", "mailto"].contains(&scheme.as_str()),
            "{link:?} is a {scheme}: link"
        );
    }
    assert_eq!(
        attrs(&page, ".content a[href]", "href"),
        [
            "https://example.org/logo",
            "/",
            "https://example.org/report",
            "mailto:desk@example.org"
        ],
        "only the safe links stay, every spelling of the others is dropped"
    );
    assert!(attrs(&page, ".content img", "src").is_empty());
    let handlers: Vec<_> = attribute_names(&page, ".content")
        .into_iter()
        .filter(|name| name.starts_with("on") || name == "style")
        .collect();
    assert!(handlers.is_empty(), "{handlers:?}");

    let text = texts(&page, ".content").join(" ");
    for words in [
        "plain",
        "upper",
        "tab",
        "newline",
        "spaced",
        "percent",
        "vb",
        "data",
        "ref",
        "javascript:void(document.body.dataset.pwned=7)",
        "chart alt",
        "js alt",
        "logo alt",
        "<a href=\"javascript:void(document.body.dataset.pwned=8)\">raw link</a>",
        "Briefing",
    ] {
        assert!(text.contains(words), "`{words}` is gone from: {text}");
    }
    assert_eq!(
        texts(&page, ".content a[href='https://example.org/logo']"),
        ["logo alt"],
        "a dropped image inside a link leaves its alt text as the link's text"
    );
}

#[test]
fn trusted_bodies_are_published_as_written() {
    let site = hostile_site(true);
    site.build_ok(&[]);
    let page = site.html(PAGE);
    let links = attrs(&page, ".content a[href]", "href");
    for kept in [
        "javascript:void(document.body.dataset.pwned=1)",
        "vbscript:msgbox(1)",
        "javascript:void(document.body.dataset.pwned=8)",
        "javascript:void(document.body.dataset.pwned=11)",
    ] {
        assert!(links.contains(&kept.to_string()), "{kept} not in {links:?}");
    }
    assert_eq!(
        attrs(&page, ".content img[src^='data:']", "src"),
        ["data:image/svg+xml;base64,PHN2Zy8+"]
    );
    assert_eq!(
        attrs(&page, ".content h2", "onclick"),
        ["document.body.dataset.pwned=10"]
    );
    assert_eq!(
        attrs(&page, ".content img[onerror]", "onerror"),
        ["document.body.dataset.pwned=9"]
    );
}

#[test]
fn bot_profile_links_that_run_code_are_errors() {
    for (key, link) in [
        ("url", "javascript:alert(1)"),
        ("avatar", " JAVA\\tSCRIPT:alert(1)"),
        ("url", "data:text/html,hi"),
    ] {
        let site = Site::new();
        site.write(
            "content/bots/deskbot.md",
            format!("---\nname: DeskBot\n{key}: \"{link}\"\n---\nAbout.\n"),
        );
        let run = site.build_fails();
        let errors = run.errors();
        assert_eq!(errors.len(), 1, "{}", run.stderr);
        assert!(
            errors[0].starts_with(&format!("error: content/bots/deskbot.md:3:1: `{key}`:")),
            "{}",
            errors[0]
        );
    }
}

#[test]
fn front_matter_image_links_that_run_code_are_errors() {
    let site = Site::new();
    site.article(
        "world",
        "img",
        "title: Img\ndate: 2026-03-14\nimage: \"\\u0001 jav\\tascript:alert(1)\"",
        "Body.",
    );
    let run = site.build_fails();
    assert_eq!(run.errors().len(), 1, "{}", run.stderr);
    assert!(
        run.errors()[0].starts_with("error: content/world/img.md:4:1: `image`:"),
        "{}",
        run.stderr
    );
}
