//! The page's language and writing direction: `<html lang dir>` from gazette.yaml `language`,
//! and the theme's isolation of names and titles that may be written the other way.

use crate::common;

use common::arabic::{ALIAS, ARTICLE, arabic_site};
use common::{Site, attrs};

/// `(lang, dir)` of the `<html>` of every page below `public/`, with the page's path.
fn html_attributes(site: &Site) -> Vec<(String, String, String)> {
    let public = site.path("public");
    walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let page = e.path().strip_prefix(&public).expect("inside");
            let html = site.html(&page.to_string_lossy());
            let lang = attrs(&html, "html", "lang").join(",");
            let dir = attrs(&html, "html", "dir").join(",");
            (page.display().to_string(), lang, dir)
        })
        .collect()
}

#[test]
fn an_arabic_site_is_right_to_left_on_every_page_and_an_english_one_left_to_right() {
    for (language, dir) in [("ar", "rtl"), ("en", "ltr"), ("fa", "rtl"), ("fr", "ltr")] {
        let site = arabic_site(language);
        site.build_ok(&[]);
        let pages = html_attributes(&site);
        for page in [ARTICLE, ALIAS, "index.html", "404.html", "tags/index.html"] {
            assert!(
                pages.iter().any(|(p, _, _)| p == page),
                "{page} was not built"
            );
        }
        for (page, lang, found) in pages {
            assert_eq!(
                (lang.as_str(), found.as_str()),
                (language, dir),
                "<html> of {page}"
            );
        }
    }
}

#[test]
fn names_tags_and_source_titles_are_isolated_from_the_text_around_them() {
    let site = arabic_site("ar");
    site.build_ok(&[]);
    let article = site.html(ARTICLE);
    for selector in [
        ".byline a[rel=author]",
        ".tags a",
        ".sources li > a",
        ".sources .publisher",
    ] {
        let dirs = attrs(&article, selector, "dir");
        assert!(
            !dirs.is_empty() && dirs.iter().all(|d| d == "auto"),
            "{selector}: {dirs:?}"
        );
    }
    let tags = site.html("tags/index.html");
    let mut isolated = common::texts(&tags, ".tag-cloud bdi");
    isolated.sort();
    assert_eq!(isolated, ["Velmora 2026", "شحن", "عمل"]);
    let home = site.html("page/2/index.html");
    assert!(
        !common::texts(&home, ".summary-byline a[dir=auto]").is_empty(),
        "summary bylines"
    );
}
