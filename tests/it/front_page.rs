//! The front page (lead, top stories, section blocks, latest list) and the editors' levers
//! that choose it (`featured:`, `front_page` in gazette.yaml), and articles' pictures
//! (`image:` in its two shapes) on articles, cards and lists.

use crate::common::{Site, attrs, texts};

/// An article of `world`, `business` or `science` dated `day` March 2026.
fn story(site: &Site, section: &str, name: &str, day: u32, extra: &str) {
    site.article(
        section,
        name,
        &format!("title: \"{name}\"\ndate: 2026-03-{day:02}\nauthor: wirebot\n{extra}"),
        &format!("Body of {name}."),
    );
}

/// Nine articles, one a day from 1 March: w1..w3 in world, b1..b3 in business, s1..s3 in
/// science, each section's newest last (w1 on the 1st, b1 on the 2nd, ...).
fn nine(site: &Site) {
    for (n, day) in (1..=9).enumerate() {
        let (section, prefix) = [("world", "w"), ("business", "b"), ("science", "s")][n % 3];
        story(site, section, &format!("{prefix}{}", n / 3 + 1), day, "");
    }
}

fn lead(site: &Site) -> Vec<String> {
    texts(&site.html("index.html"), ".lead-story .lead-title")
}

fn top(site: &Site) -> Vec<String> {
    texts(&site.html("index.html"), ".front-top .card-title")
}

#[test]
fn the_newest_article_leads_unless_one_is_featured_and_the_newest_featured_wins() {
    let site = Site::new();
    nine(&site);
    site.build_ok(&[]);
    assert_eq!(lead(&site), ["s3"]);
    assert_eq!(
        top(&site),
        ["b3", "w3", "s2", "b2"],
        "the four after the lead"
    );

    story(&site, "world", "w1", 1, "featured: true");
    story(&site, "business", "b1", 2, "featured: true");
    site.build_ok(&[]);
    assert_eq!(lead(&site), ["b1"], "the newer of the two featured");
    assert_eq!(
        top(&site),
        ["s3", "b3", "w3", "s2"],
        "the newest stories after the lead"
    );
    // `featured:` leads the front page only: the section's first page opens with its newest.
    let business = site.html("business/index.html");
    assert_eq!(texts(&business, ".lead-story .lead-title"), ["b3"]);
}

#[test]
fn section_blocks_follow_gazette_yaml_and_skip_stories_shown_above() {
    let site = Site::new();
    nine(&site);
    site.build_ok(&[]);
    let html = site.html("index.html");
    assert_eq!(
        texts(&html, ".front-section > .rubric"),
        ["Business", "Science", "World"],
        "every section, as the navigation orders them"
    );
    // Lead s3, top b3 w3 s2 b2: what is left of each section.
    assert_eq!(
        texts(&html, ".front-section .card-title"),
        ["b1", "s1", "w2", "w1"]
    );

    site.write(
        "gazette.yaml",
        "front_page:\n  top: 1\n  sections: [world, business]\n  stories: 2\n",
    );
    site.build_ok(&[]);
    let html = site.html("index.html");
    assert_eq!(texts(&html, ".front-top .card-title"), ["b3"]);
    assert_eq!(
        texts(&html, ".front-section > .rubric"),
        ["World", "Business"],
        "the sections named, in their order"
    );
    assert_eq!(
        texts(&html, ".front-section .card-title"),
        ["w3", "w2", "b2", "b1"]
    );
    assert_eq!(
        attrs(&html, ".front-section > .rubric a", "href"),
        ["/world/", "/business/"]
    );
    // The latest list is the first page of the list of every article.
    assert_eq!(
        texts(&html, ".latest-list a"),
        ["s3", "b3", "w3", "s2", "b2", "w2", "s1", "b1", "w1"]
    );
}

#[test]
fn numbered_pages_of_the_home_list_have_no_front_page() {
    let site = Site::new();
    nine(&site);
    site.write("gazette.yaml", "paginate_by: 4\n");
    site.build_ok(&[]);
    let html = site.html("index.html");
    assert_eq!(texts(&html, ".latest-list a").len(), 4);
    assert_eq!(
        attrs(&html, ".front-latest .more-link a", "href"),
        ["/page/2/"]
    );
    let page = site.html("page/2/index.html");
    assert!(texts(&page, ".lead-story").is_empty());
    assert!(texts(&page, ".front-section").is_empty());
    assert_eq!(texts(&page, ".summary-title").len(), 4);
}

#[test]
fn an_empty_site_says_so_on_its_front_page() {
    let site = Site::new();
    site.build_ok(&[]);
    let html = site.html("index.html");
    assert_eq!(texts(&html, ".empty"), ["Nothing has been published yet."]);
}

const LONG_IMAGE: &str = "image:\n  src: /images/port.svg\n  alt: \"Cranes at the port\"\n  \
caption: \"The quay at dawn.\"\n  credit: \"Photo: Example Wire\"";

#[test]
fn an_image_in_its_long_form_is_the_articles_lead_figure_with_caption_and_credit() {
    let site = Site::new();
    story(&site, "world", "port", 1, LONG_IMAGE);
    story(&site, "world", "ferry", 2, "image: /images/ferry.svg");
    story(&site, "world", "plain", 3, "");
    site.write(
        "gazette.yaml",
        "front_page:\n  top: 2\nbase_url: https://example.org/news/\n",
    );
    site.build_ok(&[]);

    let article = site.html("2026/03/01/port/index.html");
    let figure = ".article > .lead-figure";
    assert_eq!(
        attrs(&article, &format!("{figure} img"), "src"),
        ["/news/images/port.svg"]
    );
    assert_eq!(
        attrs(&article, &format!("{figure} img"), "alt"),
        ["Cranes at the port"]
    );
    assert!(
        attrs(&article, &format!("{figure} img"), "loading").is_empty(),
        "at the top"
    );
    assert_eq!(
        texts(&article, &format!("{figure} figcaption .caption")),
        ["The quay at dawn."]
    );
    assert_eq!(
        texts(&article, &format!("{figure} figcaption .credit")),
        ["Photo: Example Wire"]
    );
    assert_eq!(
        attrs(&article, "meta[property='og:image']", "content"),
        ["https://example.org/news/images/port.svg"]
    );
    // The short form: a picture with no words.
    let ferry = site.html("2026/03/02/ferry/index.html");
    assert_eq!(attrs(&ferry, ".lead-figure img", "alt"), [""]);
    assert!(texts(&ferry, ".lead-figure figcaption").is_empty());
    assert!(texts(&site.html("2026/03/03/plain/index.html"), ".lead-figure").is_empty());

    // The front page: the lead has no picture (plain leads), the cards of the top stories do,
    // fetched lazily and decoded off the main thread.
    let home = site.html("index.html");
    assert_eq!(lead(&site), ["plain"]);
    assert!(attrs(&home, ".lead-story img", "src").is_empty());
    let cards = ".front-top .card img";
    assert_eq!(
        attrs(&home, cards, "src"),
        ["/news/images/ferry.svg", "/news/images/port.svg"]
    );
    assert_eq!(attrs(&home, cards, "alt"), ["", "Cranes at the port"]);
    assert_eq!(attrs(&home, cards, "loading"), ["lazy", "lazy"]);
    assert_eq!(attrs(&home, cards, "decoding"), ["async", "async"]);

    // A section's first page leads with its newest story; its picture, once featured, leads
    // the front page too, fetched at once.
    story(
        &site,
        "world",
        "ferry",
        2,
        "image: /images/ferry.svg\nfeatured: true",
    );
    site.build_ok(&[]);
    let home = site.html("index.html");
    assert_eq!(
        attrs(&home, ".lead-story img", "src"),
        ["/news/images/ferry.svg"]
    );
    assert!(attrs(&home, ".lead-story img", "loading").is_empty());
    assert_eq!(attrs(&home, ".lead-story img", "decoding"), ["async"]);
    let world = site.html("world/index.html");
    assert_eq!(texts(&world, ".lead-story .lead-title"), ["plain"]);
    let listed = ".article-list .summary img";
    assert_eq!(attrs(&world, listed, "alt"), ["", "Cranes at the port"]);
    assert_eq!(attrs(&world, listed, "loading"), ["lazy", "lazy"]);
}

#[test]
fn an_image_of_the_wrong_shape_is_an_error_at_its_line() {
    for (image, expected) in [
        (
            "image: 5",
            "content/world/bad.md:5:8: `image`: expected `a path` or `{ src, alt, caption, credit }`, found the number 5",
        ),
        (
            "image:\n  alt: \"no src\"",
            "content/world/bad.md:6:3: `image`: missing key `src`",
        ),
        (
            "image: [a.png]",
            "content/world/bad.md:5:8: `image`: expected `a path` or `{ src, alt, caption, credit }`, found a list",
        ),
        (
            "image: { src: \"javascript:alert(1)\" }",
            "content/world/bad.md:5:1: ",
        ),
    ] {
        let site = Site::new();
        story(&site, "world", "bad", 1, image);
        let run = site.build_fails();
        let errors = run.errors();
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with(&format!("error: {expected}"))),
            "{image}: {errors:?}"
        );
    }
    // A key the long form does not know is a warning, as anywhere in front matter.
    let site = Site::new();
    story(
        &site,
        "world",
        "odd",
        1,
        "image: { src: /a.svg, captoin: x }",
    );
    let run = site.build_ok(&[]);
    assert!(
        run.warnings()
            .iter()
            .any(|w| w.contains("`image.captoin`") && w.contains("`caption`")),
        "{:?}",
        run.warnings()
    );
}

#[test]
fn front_page_settings_that_cannot_work_are_errors_naming_their_place() {
    let site = Site::new();
    nine(&site);
    site.write(
        "gazette.yaml",
        "title: x\nfront_page:\n  sections: [world, sport, world]\n  stories: 0\n  top: many\n",
    );
    let run = site.build_fails();
    let errors = run.errors();
    for expected in [
        "error: gazette.yaml:3:13: `front_page.sections`: `sport` names no folder under content/",
        "error: gazette.yaml:3:13: `front_page.sections`: `world` is listed twice",
        "error: gazette.yaml:4:12: `front_page.stories`: must be at least 1",
        "error: gazette.yaml:5:8: `front_page.top`: expected a whole number, 0 or more",
    ] {
        assert!(
            errors.iter().any(|e| e.starts_with(expected)),
            "{expected}\nin {errors:?}"
        );
    }
}
