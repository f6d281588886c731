//! Sites of several languages (docs/src/languages.md): the default language at the root and
//! every other under `/<code>/`, each with its own lists, tags, feeds and sitemaps; hreflang
//! links that answer each other on every page, and the language switcher.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{Site, attrs, texts};
use scraper::{Html, Selector};

const BASE: &str = "https://x.org/";

/// English (the default), French and Arabic:
///
/// | file | language | translation of |
/// |---|---|---|
/// | world/port-strike.md | en | |
/// | world/port-strike.fr.md | fr | port-strike (by its name), translated from English |
/// | world/harbour.md | en | |
/// | world/souk.md | ar (`lang:`) | |
/// | world/quai.md | fr (`lang:`) | harbour-key, the key of world/harbour-key.md |
/// | pages/about.md, pages/about.fr.md | en, fr | each other |
/// | pages/ai-policy.md | en | the French and Arabic AI policy pages gazette makes |
fn fixture() -> Site {
    let site = Site::new();
    site.write(
        "gazette.yaml",
        format!(
            "title: The Desk\nbase_url: {BASE}\nlanguage: en\nlanguages:\n  fr: {{ title: \"Le Bureau\", disclaimer: \"Écrit par une IA.\" }}\n  ar: {{ title: \"المكتب\" }}\n"
        ),
    );
    site.write(
        "content/bots/wirebot.md",
        "---\nname: WireBot\nbio: Reads the wires.\n---\nAbout.\n",
    );
    site.write(
        "content/bots/wirebot.fr.md",
        "---\nname: WireBot FR\nbio: Lit les dépêches.\n---\nÀ propos.\n",
    );
    site.article(
        "world",
        "port-strike",
        "title: Port strike ends\ndate: 2026-03-14\nauthor: wirebot\ntags: [Shipping]",
        "English body.",
    );
    site.article(
        "world",
        "port-strike.fr",
        "title: Fin de la grève\ndate: 2026-03-14\nauthor: wirebot\ntags: [Transport]\ntranslated_from: en",
        "Corps français.",
    );
    site.article(
        "world",
        "harbour",
        "title: Harbour reopens\ndate: 2026-03-12\nauthor: wirebot\ntags: [Shipping]",
        "Harbour body.",
    );
    site.article(
        "world",
        "harbour-key",
        "title: Quay rebuilt\ndate: 2026-03-10\nauthor: wirebot\ntranslation_key: quay",
        "Quay body.",
    );
    site.article(
        "world",
        "quai",
        "title: Quai reconstruit\ndate: 2026-03-10\nauthor: wirebot\nlang: fr\ntranslation_key: quay",
        "Corps.",
    );
    site.article(
        "world",
        "souk",
        "title: السوق\ndate: 2026-03-13\nauthor: wirebot\nlang: ar",
        "نص.",
    );
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nAbout us.\n",
    );
    site.write(
        "content/pages/about.fr.md",
        "---\ntitle: À propos\n---\nÀ propos de nous.\n",
    );
    // The English AI policy is the site's own page; the others are made by gazette.
    site.write(
        "content/pages/ai-policy.md",
        "---\ntitle: How we use AI\n---\nOur policy.\n",
    );
    site
}

fn built() -> Site {
    let site = fixture();
    site.build_ok(&[]);
    site
}

/// Every HTML file of the output but the 404 page and the redirect pages, relative to it.
fn pages(site: &Site) -> Vec<String> {
    let out = site.path("public");
    walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(&out).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .filter(|rel| rel != "404.html")
        .collect()
}

/// The `hreflang` links of a page: language to URL.
fn hreflangs(html: &Html) -> BTreeMap<String, String> {
    let links = Selector::parse("link[rel=alternate][hreflang]").unwrap();
    html.select(&links)
        .map(|l| {
            let v = l.value();
            (
                v.attr("hreflang").unwrap().to_string(),
                v.attr("href").unwrap().to_string(),
            )
        })
        .collect()
}

/// The output file of an absolute URL of the site.
fn file_of(url: &str) -> String {
    let path = url
        .strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{url} is not under {BASE}"));
    format!("{path}index.html")
}

#[test]
fn other_languages_live_under_their_code_and_shared_files_at_the_root() {
    let site = built();
    for file in [
        "index.html",
        "fr/index.html",
        "ar/index.html",
        "2026/03/14/port-strike/index.html",
        "fr/2026/03/14/port-strike/index.html",
        "ar/2026/03/13/souk/index.html",
        "fr/about/index.html",
        "fr/tags/transport/index.html",
        "fr/bots/wirebot/index.html",
        "fr/atom.xml",
        "fr/sitemap.xml",
        "ar/news-sitemap.xml",
        "style.css",
        "404.html",
    ] {
        assert!(site.exists(file), "{file} is missing");
    }
    for file in [
        "fr/style.css",
        "fr/404.html",
        "fr/robots.txt",
        "tags/transport/index.html",
        "fr/tags/shipping/index.html",
        "2026/03/13/souk/index.html",
    ] {
        assert!(!site.exists(file), "{file} should not be there");
    }
    let lang = |file: &str| attrs(&site.html(file), "html", "lang");
    assert_eq!(lang("index.html"), ["en"]);
    assert_eq!(lang("fr/2026/03/14/port-strike/index.html"), ["fr"]);
    assert_eq!(lang("ar/index.html"), ["ar"]);
    let french = site.html("fr/index.html");
    assert_eq!(
        attrs(&french, "link[rel=stylesheet]", "href"),
        ["/style.css"]
    );
    assert_eq!(texts(&french, ".site-title"), ["Le Bureau"]);
    let robots = fs::read_to_string(site.path("public/robots.txt")).unwrap();
    for sitemap in [
        "https://x.org/sitemap.xml",
        "https://x.org/fr/sitemap.xml",
        "https://x.org/ar/news-sitemap.xml",
    ] {
        assert!(
            robots.contains(&format!("Sitemap: {sitemap}\n")),
            "{robots}"
        );
    }
}

#[test]
fn every_page_links_its_alternates_both_ways_with_an_x_default() {
    let site = built();
    let all = pages(&site);
    assert!(all.len() > 30, "{all:?}");
    for file in &all {
        let html = site.html(file);
        if !attrs(&html, "meta[http-equiv=refresh]", "content").is_empty() {
            continue;
        }
        let links = hreflangs(&html);
        let lang = attrs(&html, "html", "lang").remove(0);
        let own = links
            .get(&lang)
            .unwrap_or_else(|| panic!("{file} has no hreflang for its own language: {links:?}"));
        assert_eq!(file_of(own), *file, "{file} names another URL for itself");
        let x_default = links
            .get("x-default")
            .unwrap_or_else(|| panic!("{file}: no x-default"));
        let default = links.get("en").unwrap_or(own);
        assert_eq!(x_default, default, "{file}");
        for (other, url) in links.iter().filter(|(l, _)| *l != "x-default") {
            let back = hreflangs(&site.html(&file_of(url)));
            assert_eq!(back, links, "{file} and its {other} version {url} disagree");
        }
    }
}

#[test]
fn translations_are_linked_by_file_name_and_by_key() {
    let site = built();
    let english = hreflangs(&site.html("2026/03/14/port-strike/index.html"));
    assert_eq!(
        english.get("fr").map(String::as_str),
        Some("https://x.org/fr/2026/03/14/port-strike/")
    );
    assert!(!english.contains_key("ar"), "{english:?}");
    let quay = hreflangs(&site.html("2026/03/10/harbour-key/index.html"));
    assert_eq!(
        quay.get("fr").map(String::as_str),
        Some("https://x.org/fr/2026/03/10/quai/")
    );
    let policy = hreflangs(&site.html("ai-policy/index.html"));
    assert_eq!(
        policy.get("ar").map(String::as_str),
        Some("https://x.org/ar/ai-policy/")
    );
    let about = hreflangs(&site.html("fr/about/index.html"));
    assert_eq!(
        about.get("en").map(String::as_str),
        Some("https://x.org/about/")
    );
}

#[test]
fn the_switcher_goes_to_the_translation_or_the_other_home() {
    let site = built();
    let switcher = |file: &str| {
        let html = site.html(file);
        let hrefs = attrs(&html, "nav.language-switcher a", "href");
        let langs = attrs(&html, "nav.language-switcher a", "hreflang");
        let current = attrs(&html, "nav.language-switcher a[aria-current]", "lang");
        (langs.into_iter().zip(hrefs).collect::<Vec<_>>(), current)
    };
    let (links, current) = switcher("2026/03/14/port-strike/index.html");
    assert_eq!(
        links,
        [
            ("en".into(), "/2026/03/14/port-strike/".into()),
            ("ar".into(), "/ar/".into()),
            ("fr".into(), "/fr/2026/03/14/port-strike/".into()),
        ]
    );
    assert_eq!(current, ["en"]);
    let (links, current) = switcher("fr/tags/transport/index.html");
    assert_eq!(
        links,
        [
            ("en".into(), "/".into()),
            ("ar".into(), "/ar/".into()),
            ("fr".into(), "/fr/tags/transport/".into()),
        ]
    );
    assert_eq!(current, ["fr"]);
    let (links, _) = switcher("ar/tags/index.html");
    assert_eq!(links[0], ("en".to_string(), "/tags/".to_string()));
}

#[test]
fn lists_tags_related_posts_and_profiles_are_per_language() {
    let site = built();
    let home = texts(&site.html("index.html"), "main h2, main h3");
    let all = home.join(" | ");
    assert!(all.contains("Port strike ends"), "{all}");
    assert!(
        !all.contains("Fin de la grève") && !all.contains("السوق"),
        "{all}"
    );
    let french = texts(&site.html("fr/index.html"), "main h2, main h3").join(" | ");
    assert!(french.contains("Fin de la grève"), "{french}");
    assert!(!french.contains("Harbour"), "{french}");
    let tags = texts(&site.html("fr/tags/index.html"), "main li a").join(" | ");
    assert!(
        tags.contains("Transport") && !tags.contains("Shipping"),
        "{tags}"
    );
    let article = site.html("2026/03/14/port-strike/index.html");
    let related = attrs(&article, ".related a", "href");
    assert!(
        !related.is_empty(),
        "the fixture's English articles share a tag"
    );
    assert!(
        !related
            .iter()
            .any(|h| h.starts_with("/fr/2026") || h.starts_with("/ar/2026")),
        "{related:?}"
    );
    let french = site.html("fr/2026/03/14/port-strike/index.html");
    let page = french.root_element().text().collect::<String>();
    assert!(
        page.contains("WireBot FR"),
        "the French profile is used on French pages"
    );
    assert!(page.contains("Écrit par une IA."), "the French disclaimer");
    let english = article.root_element().text().collect::<String>();
    assert!(!english.contains("WireBot FR"));
}

#[test]
fn feeds_are_per_language() {
    let site = built();
    let feed = |file: &str| {
        let bytes = fs::read(site.path("public").join(file)).unwrap();
        feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{file}: {e}"))
    };
    for format in ["atom.xml", "rss.xml", "feed.json"] {
        let french = feed(&format!("fr/{format}"));
        let titles: Vec<String> = (french.entries.iter())
            .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
            .collect();
        assert_eq!(titles, ["Fin de la grève", "Quai reconstruit"], "{format}");
        assert_eq!(french.language.as_deref(), Some("fr"), "{format}");
        let english = feed(format);
        assert_eq!(english.entries.len(), 3, "{format}");
    }
    let news = fs::read_to_string(site.path("public/ar/news-sitemap.xml")).unwrap();
    assert!(news.contains("<news:language>ar</news:language>"), "{news}");
}

#[test]
fn a_language_the_site_does_not_have_is_an_error_at_its_line() {
    let site = fixture();
    site.article(
        "world",
        "german",
        "title: Deutsch\ndate: 2026-03-10\nlang: de",
        "Text.",
    );
    let run = site.build_fails();
    let errors = run.errors().join("\n");
    assert!(
        errors.contains("content/world/german.md:4:") && errors.contains("`de`"),
        "{errors}"
    );
    assert!(errors.contains("`en`, `ar`, `fr`"), "{errors}");
    assert_eq!(run.errors().len(), 1, "{errors}");
    site.article(
        "world",
        "german",
        "title: Deutsch\ndate: 2026-03-10\ntranslated_from: de",
        "Text.",
    );
    site.write(
        "content/bots/wirebot.de.md",
        "---\nname: Draht\nlang: de\n---\n",
    );
    let run = site.build_fails();
    let errors = run.errors().join("\n");
    assert!(
        errors.contains("content/world/german.md:4:") && errors.contains("`translated_from`"),
        "{errors}"
    );
    assert!(
        errors.contains("content/bots/wirebot.de.md:3:") && errors.contains("`lang`"),
        "{errors}"
    );
}

#[test]
fn language_codes_are_checked_in_the_configuration() {
    let site = fixture();
    site.write(
        "gazette.yaml",
        "language: en\nlanguages:\n  en: {}\n  French: {}\n  tags: {}\n",
    );
    let run = site.build_fails();
    let errors = run.errors().join("\n");
    assert!(
        errors.contains("gazette.yaml:3:") && errors.contains("default `language`"),
        "{errors}"
    );
    assert!(
        errors.contains("gazette.yaml:4:") && errors.contains("not a language code"),
        "{errors}"
    );
    assert!(errors.contains("gazette.yaml:5:"), "{errors}");
}

#[test]
fn a_section_named_like_a_language_is_an_error() {
    let site = fixture();
    site.article("fr", "note", "title: Note\ndate: 2026-03-10", "Text.");
    site.write("content/pages/ar.md", "---\ntitle: Ar\n---\nText.\n");
    let run = site.build_fails();
    let errors = run.errors().join("\n");
    assert!(
        errors.contains("content/fr/") && errors.contains("`fr`"),
        "{errors}"
    );
    // Every file at fault is named, each once.
    assert!(errors.contains("content/pages/ar.md"), "{errors}");
    assert_eq!(run.errors().len(), 2, "{errors}");
}

#[test]
fn a_site_of_one_language_keeps_dotted_names_and_has_no_alternates() {
    let site = Site::new();
    site.write("gazette.yaml", "base_url: https://x.org/\n");
    site.article(
        "world",
        "notes.fr",
        "title: Notes\ndate: 2026-03-10",
        "Text.",
    );
    site.build_ok(&[]);
    let page = site.html("2026/03/10/notes-fr/index.html");
    assert!(hreflangs(&page).is_empty());
    assert!(attrs(&page, "nav.language-switcher a", "href").is_empty());
    assert!(!Path::new(&site.path("public/fr")).exists());
}

/// A build over the last output, after each edit, gives what a clean build gives.
fn same_as_clean(site: &Site) {
    site.build_ok(&[]);
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("public");
    let run = site.run(&["build", "--output", clean.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (expected, got) = (
        common::listing(&clean),
        common::listing(&site.path("public")),
    );
    if let Some(difference) = common::difference(&expected, &got) {
        panic!("the rebuild differs from a clean build: {difference}");
    }
}

#[test]
fn a_translation_that_appears_or_goes_renders_the_other_languages_again() {
    let site = built();
    site.article(
        "world",
        "harbour.fr",
        "title: Le port rouvre\ndate: 2026-03-12\nauthor: wirebot\ntags: [Transport]",
        "Corps.",
    );
    same_as_clean(&site);
    let english = hreflangs(&site.html("2026/03/12/harbour/index.html"));
    assert_eq!(
        english.get("fr").map(String::as_str),
        Some("https://x.org/fr/2026/03/12/harbour/")
    );
    fs::remove_file(site.path("content/world/port-strike.fr.md")).unwrap();
    same_as_clean(&site);
    let english = hreflangs(&site.html("2026/03/14/port-strike/index.html"));
    assert!(!english.contains_key("fr"), "{english:?}");
    site.write(
        "content/bots/wirebot.fr.md",
        "---\nname: Robot Fil\n---\nÀ propos.\n",
    );
    same_as_clean(&site);
    let french = site.html("fr/2026/03/12/harbour/index.html");
    assert!(
        french
            .root_element()
            .text()
            .collect::<String>()
            .contains("Robot Fil")
    );
}

#[test]
fn translations_that_do_not_link_back_are_warned_about() {
    let site = fixture();
    site.article(
        "world",
        "orphan",
        "title: Orphelin\ndate: 2026-03-10\nlang: fr\ntranslated_from: ar",
        "Corps.",
    );
    site.article(
        "world",
        "twin",
        "title: Jumeau\ndate: 2026-03-09\nlang: fr\ntranslation_key: quay",
        "Corps.",
    );
    let run = site.build_ok(&[]);
    let warnings = run.warnings().join("\n");
    assert!(
        warnings.contains("content/world/orphan.md:5:")
            && warnings.contains("`translated_from: ar`"),
        "{warnings}"
    );
    assert!(
        warnings.contains("`quay`")
            && warnings.contains("content/world/quai.md")
            && warnings.contains("content/world/twin.md"),
        "{warnings}"
    );
    let check = site.run(&["check"]);
    assert!(
        check.stderr.contains("`translated_from: ar`"),
        "{}",
        check.stderr
    );
}

/// The JSON-LD of a built page, parsed.
fn json_ld(site: &Site, file: &str) -> serde_json::Value {
    let html = site.html(file);
    let script = Selector::parse("script[type='application/ld+json']").unwrap();
    let text = html.select(&script).next().expect("JSON-LD").inner_html();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn json_ld_links_a_translation_and_its_original() {
    let site = built();
    let french = json_ld(&site, "fr/2026/03/14/port-strike/index.html");
    assert_eq!(french["inLanguage"], "fr");
    assert_eq!(
        french["translationOfWork"]["url"],
        "https://x.org/2026/03/14/port-strike/"
    );
    assert_eq!(french["translationOfWork"]["inLanguage"], "en");
    let english = json_ld(&site, "2026/03/14/port-strike/index.html");
    assert_eq!(english["inLanguage"], "en");
    assert!(english.get("translationOfWork").is_none(), "{english}");
    assert_eq!(
        english["workTranslation"][0]["url"],
        "https://x.org/fr/2026/03/14/port-strike/"
    );
    // The label's text as a reader reads it: its text nodes run together, with no space
    // between the words and the link.
    let page = site.html("fr/2026/03/14/port-strike/index.html");
    let selector = Selector::parse(".ai-label-translation").unwrap();
    let label: Vec<String> = (page.select(&selector))
        .map(|e| e.text().collect::<String>())
        .collect();
    assert_eq!(label.len(), 1);
    assert!(
        label[0].contains("traduit par WireBot FR depuis l’original (EN)"),
        "{label:?}"
    );
    let link = attrs(
        &site.html("fr/2026/03/14/port-strike/index.html"),
        ".ai-label-translation a",
        "href",
    );
    assert_eq!(link, ["/2026/03/14/port-strike/"]);
    assert!(
        texts(
            &site.html("2026/03/14/port-strike/index.html"),
            ".ai-label-translation"
        )
        .is_empty()
    );
}

#[test]
fn sitemaps_carry_the_alternates_of_each_page() {
    let site = built();
    let index = fs::read_to_string(site.path("public/fr/sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&index).unwrap();
    let parts: Vec<String> = (doc.descendants())
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap().to_string())
        .collect();
    assert!(
        parts.iter().all(|p| p.starts_with("https://x.org/fr/")),
        "{parts:?}"
    );
    let part = parts
        .iter()
        .find(|p| p.ends_with("sitemap-2026.xml"))
        .unwrap();
    let text =
        fs::read_to_string(site.path("public").join(part.strip_prefix(BASE).unwrap())).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let xhtml = "http://www.w3.org/1999/xhtml";
    let entry = (doc.descendants())
        .find(|n| {
            n.has_tag_name("url")
                && n.children().any(|c| {
                    c.has_tag_name("loc")
                        && c.text() == Some("https://x.org/fr/2026/03/14/port-strike/")
                })
        })
        .expect("the French article is listed");
    let links: BTreeMap<String, String> = (entry.children())
        .filter(|c| c.has_tag_name((xhtml, "link")))
        .map(|c| {
            (
                c.attribute("hreflang").unwrap().into(),
                c.attribute("href").unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        links,
        BTreeMap::from([
            (
                "en".to_string(),
                "https://x.org/2026/03/14/port-strike/".to_string()
            ),
            (
                "fr".to_string(),
                "https://x.org/fr/2026/03/14/port-strike/".to_string()
            ),
            (
                "x-default".to_string(),
                "https://x.org/2026/03/14/port-strike/".to_string()
            ),
        ])
    );
}

#[test]
fn each_language_has_its_own_search_index() {
    let site = fixture();
    let config = fs::read_to_string(site.path("gazette.yaml")).unwrap();
    site.write(
        "gazette.yaml",
        format!("{config}search: {{ enabled: true }}\n"),
    );
    site.build_ok(&[]);
    let parts = |file: &str| {
        let html = site.html(file);
        attrs(&html, "#search_form", "data-parts").remove(0)
    };
    let french = parts("fr/search/index.html");
    assert!(french.starts_with("/fr/search/pagefind/"), "{french}");
    let english = parts("search/index.html");
    assert!(english.starts_with("/search/pagefind/"), "{english}");
    for part in [&french, &english] {
        let folder = part
            .split_whitespace()
            .next()
            .unwrap()
            .trim_start_matches('/');
        assert!(site.exists(&format!("{folder}pagefind.js")), "{folder}");
    }
}

#[test]
fn check_finds_no_broken_link_and_lints_every_language() {
    let site = fixture();
    let run = site.run(&["check", "--strict", "--verbose"]);
    let problems: Vec<&str> = (run.diagnostics().into_iter())
        .filter(|d| d.contains("link") || d.contains("error"))
        .collect();
    assert!(problems.is_empty(), "{}", run.stderr);
    // Lints read every language's articles.
    for file in [
        "content/world/port-strike.md",
        "content/world/port-strike.fr.md",
    ] {
        let linted = format!("warning: {file}: the AI-written article lists no sources");
        assert!(run.stderr.contains(&linted), "{file}: {}", run.stderr);
    }
}

#[test]
fn one_redirects_file_at_the_root_lists_every_languages_aliases() {
    let site = fixture();
    site.article(
        "world",
        "port-strike.fr",
        "title: Fin de la grève\ndate: 2026-03-14\nauthor: wirebot\naliases: [/ancien/]",
        "Corps.",
    );
    site.build_ok(&[]);
    assert!(site.exists("fr/ancien/index.html"));
    assert!(!site.exists("fr/_redirects"));
    let redirects = fs::read_to_string(site.path("public/_redirects")).unwrap();
    assert!(
        redirects.contains("/fr/ancien/ /fr/2026/03/14/port-strike/"),
        "{redirects}"
    );
}
