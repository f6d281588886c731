//! The theme's words in the site's language: the built-in catalogues, a site's i18n/<lang>.yaml,
//! dates and numbers by CLDR, and `check` listing what falls back to English.

use scraper::Html;

use crate::common::{Site, texts};

/// A site in `language` with two articles, one with sources, tags, an update and a correction,
/// and search on.
fn site_in(language: &str) -> Site {
    let site = Site::new();
    site.write(
        "gazette.yaml",
        format!("title: Digest\nlanguage: {language}\nsearch:\n  enabled: true\n"),
    );
    site.article(
        "world",
        "port-strike",
        "title: Port strike ends\ndate: 2026-03-14\nupdated: 2026-03-15\nauthor: wirebot\ntags: [labour, shipping]\nsources:\n  - { title: \"Dockers vote\", url: \"https://example.org/a\" }\n  - { title: \"Port reopens\", url: \"https://example.org/b\" }\n  - { title: \"Union statement\", url: \"https://example.org/c\" }\ncorrections:\n  - { date: 2026-03-15, text: \"Fixed the port's name.\" }",
        "The strike is over.",
    );
    site.article(
        "world",
        "rail",
        "title: Rail deal\ndate: 2026-03-10\nauthor: wirebot\ntags: [labour]",
        "A deal.",
    );
    site
}

fn text(html: &Html, selector: &str) -> String {
    texts(html, selector).join(" ")
}

const ARTICLE: &str = "2026/03/14/port-strike/index.html";

#[test]
fn a_french_site_shows_french_words_and_dates_on_articles_lists_and_search() {
    let site = site_in("fr");
    site.build_ok(&[]);
    let article = site.html(ARTICLE);
    assert_eq!(text(&article, ".published"), "Publié le 14 mars 2026");
    assert_eq!(text(&article, ".updated"), "Mis à jour le 15 mars 2026");
    assert_eq!(text(&article, "#article_sources"), "Sources");
    assert_eq!(text(&article, ".ai-label-sources"), "· d’après 3 sources");
    assert!(text(&article, ".byline-name").starts_with("Écrit par WireBot"));
    assert_eq!(text(&article, "#related_posts"), "Articles liés");
    assert_eq!(
        text(&article, ".sources .section-note"),
        "Ce résumé a été rédigé à partir de ces 3 dépêches :"
    );
    // The machine-readable date stays ISO.
    let iso = crate::common::attrs(&article, ".published time", "datetime");
    assert_eq!(iso, ["2026-03-14T00:00:00+00:00"]);
    assert!(text(&article, ".disclaimer").starts_with("Transparence sur l’IA : Cet article"));

    let section = site.html("world/index.html");
    assert_eq!(text(&section, ".list-count"), "2 articles");
    assert_eq!(text(&section, ".kicker"), "Rubrique");
    assert!(text(&section, ".summary-meta").contains("10 mars 2026"));

    let tags = site.html("tags/index.html");
    assert_eq!(text(&tags, ".list-count"), "2 mots-clés");
    // What search engines are told of a page is in the page's language too.
    let description = crate::common::attrs(&tags, "meta[name=description]", "content");
    assert!(
        description[0].starts_with("Tous les sujets traités sur "),
        "{description:?}"
    );

    let search = site.html("search/index.html");
    assert_eq!(text(&search, "h1"), "Recherche");
    let status = crate::common::attrs(&search, "#search_status", "data-found-one");
    assert_eq!(status, ["{count} article trouvé."]);

    let month = site.html("2026/03/index.html");
    assert_eq!(text(&month, "h1"), "mars 2026");
    let description = crate::common::attrs(&month, "meta[name=description]", "content");
    assert!(
        description[0].starts_with("Articles publiés sur "),
        "{description:?}"
    );
    assert!(
        description[0].ends_with(" en mars 2026."),
        "{description:?}"
    );
}

#[test]
fn german_spanish_and_arabic_spot_checks() {
    for (language, published, count) in [
        ("de", "Veröffentlicht am 14. März 2026", "2 Artikel"),
        ("es", "Publicado el 14 de marzo de 2026", "2 artículos"),
        // CLDR writes Arabic dates with Latin digits unless a region says otherwise.
        ("ar", "نُشر في 14 مارس 2026", "مقالتان"),
        ("ar-EG", "نُشر في ١٤ مارس ٢٠٢٦", "مقالتان"),
    ] {
        let site = site_in(language);
        site.build_ok(&[]);
        let article = site.html(ARTICLE);
        assert_eq!(text(&article, ".published"), published, "{language}");
        let section = site.html("world/index.html");
        assert_eq!(text(&section, ".list-count"), count, "{language}");
    }
}

#[test]
fn an_arabic_plural_takes_each_of_its_six_forms() {
    let site = site_in("ar");
    for n in 3..=11 {
        site.article(
            "world",
            &format!("more-{n}"),
            &format!("title: More {n}\ndate: 2026-02-01\nauthor: wirebot"),
            "More.",
        );
    }
    site.build_ok(&[]);
    // 2 + 9 articles in world: 11, CLDR's `many` in Arabic.
    let section = site.html("world/index.html");
    assert_eq!(text(&section, ".list-count"), "11 مقالة");
}

#[test]
fn a_site_file_overrides_a_word_and_an_explicit_date_format_stays() {
    let site = site_in("fr");
    site.write("i18n/fr.yaml", "related_posts: \"À lire aussi\"\n");
    site.write(
        "gazette.yaml",
        "title: Digest\nlanguage: fr\ndate_format: \"%d/%m/%Y\"\n",
    );
    site.build_ok(&[]);
    let article = site.html(ARTICLE);
    assert_eq!(text(&article, "#related_posts"), "À lire aussi");
    assert_eq!(text(&article, ".published"), "Publié le 14/03/2026");
}

/// A word holding `<`, `>` and `&` shows as written, escaped once, whether a template prints it,
/// fills it in or gazette fills it in for every summary (the byline) and the reading time.
#[test]
fn a_word_with_markup_characters_shows_as_written() {
    let site = site_in("fr");
    site.write(
        "i18n/fr.yaml",
        "related_posts: \"Lire <aussi> & plus\"\nwritten_by: \"Par <{author}> & co\"\n\
         reading_time: { one: \"{count} < min\", other: \"{count} <min> & plus\" }\n",
    );
    site.build_ok(&[]);
    let article = site.html(ARTICLE);
    assert_eq!(text(&article, "#related_posts"), "Lire <aussi> & plus");
    let byline = text(&article, ".byline-name");
    // (`texts` puts a space between the text around the link and the link's.)
    assert!(byline.starts_with("Par < WireBot > & co"), "{byline}");
    let section = site.html("world/index.html");
    let bylines = texts(&section, ".summary-byline");
    assert_eq!(bylines.len(), 2);
    for byline in bylines {
        assert!(
            byline.contains("Par < WireBot > & co · 1 < min"),
            "{byline}"
        );
    }
}

#[test]
fn changing_a_site_file_renders_again() {
    let site = site_in("fr");
    site.build_ok(&[]);
    site.write("i18n/fr.yaml", "sources: \"Dépêches\"\n");
    site.build_ok(&[]);
    assert_eq!(text(&site.html(ARTICLE), "#article_sources"), "Dépêches");
}

#[test]
fn a_bad_site_file_is_an_error_at_its_line_and_column() {
    let site = site_in("fr");
    site.write(
        "i18n/fr.yaml",
        "sources: \"Dépêches\"\nrelated_posts: [unclosed\n",
    );
    let run = site.build_fails();
    let errors = run.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("error: i18n/fr.yaml:2:")),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_key_warns_with_the_nearest_known_one() {
    let site = site_in("fr");
    site.write("i18n/fr.yaml", "# ours\nrelated_post: \"À lire aussi\"\n");
    let run = site.build_ok(&["--verbose"]);
    let warning = (run.warnings().into_iter())
        .find(|w| w.contains("related_post"))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(
        warning.starts_with("warning: i18n/fr.yaml:2:1:"),
        "{warning}"
    );
    assert!(run.stderr.contains("`related_posts`"), "{}", run.stderr);
}

#[test]
fn a_missing_word_falls_back_to_english_and_check_lists_it() {
    let site = site_in("it");
    site.write("i18n/it.yaml", "related_posts: \"Articoli correlati\"\n");
    site.build_ok(&[]);
    let article = site.html(ARTICLE);
    assert_eq!(text(&article, "#related_posts"), "Articoli correlati");
    assert_eq!(text(&article, "#article_sources"), "Sources");
    let run = site.run(&["check"]);
    let untranslated: Vec<&str> = (run.warnings().into_iter())
        .filter(|w| w.contains("shown in English"))
        .collect();
    assert_eq!(untranslated.len(), 1, "{}", run.stderr);
    assert!(untranslated[0].starts_with("warning: i18n/it.yaml"));
    assert!(untranslated[0].contains("`sources`"));
    assert!(!untranslated[0].contains("`related_posts`"));
    // A built-in language misses nothing.
    let french = site_in("fr");
    let run = french.run(&["check"]);
    assert!(!run.stderr.contains("shown in English"), "{}", run.stderr);
}

#[test]
fn an_english_site_keeps_its_words_and_dates() {
    let site = site_in("en");
    site.build_ok(&[]);
    let article = site.html(ARTICLE);
    assert_eq!(text(&article, ".published"), "Published 14 March 2026");
    assert_eq!(text(&article, ".ai-label-sources"), "· from 3 sources");
    assert_eq!(
        text(&article, ".sources .section-note"),
        "This digest was written from these 3 reports:"
    );
    assert_eq!(
        text(&site.html("world/index.html"), ".list-count"),
        "2 articles"
    );
    assert_eq!(text(&site.html("2026/03/index.html"), "h1"), "March 2026");
}
