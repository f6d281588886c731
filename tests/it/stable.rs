//! Output that stays put: publishing one article changes a handful of files, however large the
//! archive, so that a deploy uploads only those (docs/src/templates.md, "Pagination").

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::common::{self, Site};

const PER_PAGE: usize = 3;

/// A site of `n` articles, one a day from 1 December 2025 into 2026, in two sections, with a
/// bot, a tag on every article and one of three on each.
fn archive(n: usize) -> Site {
    let site = Site::new();
    site.write(
        "gazette.yaml",
        // With search on: its index too must change by a bounded number of files.
        format!("title: Stable\npaginate_by: {PER_PAGE}\nsearch:\n  enabled: true\n"),
    );
    site.write(
        "content/bots/wirebot.md",
        "---\nname: WireBot\n---\nAbout.\n",
    );
    for i in 0..n {
        add(&site, i, &date(i));
    }
    site
}

/// Day `i` counted from 1 December 2025, in months of 28 days.
fn date(i: usize) -> String {
    match i {
        0..28 => format!("2025-12-{:02}", i + 1),
        _ => format!("2026-{:02}-{:02}", (i - 28) / 28 + 1, (i - 28) % 28 + 1),
    }
}

fn add(site: &Site, i: usize, date: &str) {
    let section = ["world", "business"][i % 2];
    let tag = ["ports", "rail", "roads"][i % 3];
    let front =
        format!("title: Story {i}\ndate: {date}\nauthor: wirebot\ntags: [transport, {tag}]");
    site.article(
        section,
        &format!("s{i}"),
        &front,
        &format!("Body of story {i}."),
    );
}

/// Every output file's bytes, by path below `public/`.
fn output(site: &Site) -> BTreeMap<PathBuf, Vec<u8>> {
    site.snapshot()
}

/// The files added, removed or whose bytes changed between two outputs.
fn changed(
    before: &BTreeMap<PathBuf, Vec<u8>>,
    after: &BTreeMap<PathBuf, Vec<u8>>,
) -> BTreeSet<PathBuf> {
    let paths: BTreeSet<&PathBuf> = before.keys().chain(after.keys()).collect();
    paths
        .into_iter()
        .filter(|p| before.get(*p) != after.get(*p))
        .cloned()
        .collect()
}

/// The files one new newest article changes in a site of `n`.
fn publish_one(n: usize) -> (BTreeMap<PathBuf, Vec<u8>>, BTreeMap<PathBuf, Vec<u8>>) {
    let site = archive(n);
    site.build_ok(&[]);
    let before = output(&site);
    add(&site, n, &date(n));
    site.build_ok(&[]);
    (before, output(&site))
}

/// What one new article may change: its page; on each of the 7 lists it joins (home, section,
/// two tags, bot, year, month) the first URL, the newest numbered page and the one before it
/// (whose "newer" link appears when the newest was full); the related lists it enters (at most
/// `related.count`, 5); the feeds of the site, bot and tags in three formats; the sitemap index,
/// its list and year parts and the news sitemap; the tags and bots indexes, which count.
/// And in the search index, where a file is named by a hash of its bytes (so that a change is a
/// file removed and one added): the entry, the meta (2), the new article's fragment, the chunk
/// of the words index (2) and the filters of its section, bot and two tags (2 each).
const BOUND: usize = 1 + 7 * 3 + 5 + 4 * 3 + 4 + 2 + (1 + 2 + 1 + 2 + 4 * 2);

#[test]
fn one_new_article_changes_a_few_files_however_long_the_archive() {
    for n in [40, 100] {
        let (before, after) = publish_one(n);
        let changed = changed(&before, &after);
        assert!(
            changed.len() <= BOUND,
            "{} files changed: {changed:#?}",
            changed.len()
        );
        // No page of the older year changes, nor the sitemap listing its articles.
        assert!(
            changed.iter().all(|p| !p.starts_with("2025")),
            "{changed:#?}"
        );
        assert!(before.contains_key(&PathBuf::from("sitemap-2025.xml")));
        assert!(!changed.contains(&PathBuf::from("sitemap-2025.xml")));
    }
}

#[test]
fn featuring_an_older_article_changes_the_front_page_alone() {
    let site = archive(40);
    site.build_ok(&[]);
    let before = output(&site);
    let date = date(10);
    let front = format!(
        "title: Story 10\ndate: {date}\nauthor: wirebot\ntags: [transport, rail]\nfeatured: true"
    );
    site.article("world", "s10", &front, "Body of story 10.");
    site.build_ok(&[]);
    let after = output(&site);
    assert_eq!(
        changed(&before, &after),
        BTreeSet::from([PathBuf::from("index.html")])
    );
    let home = site.html("index.html");
    assert_eq!(
        common::texts(&home, ".lead-story .lead-title"),
        ["Story 10"]
    );
}

/// The titles a list page shows.
fn titles(bytes: &[u8]) -> Vec<String> {
    let html = scraper::Html::parse_document(std::str::from_utf8(bytes).expect("UTF-8"));
    common::texts(&html, ".article-list .summary-title a")
}

#[test]
fn full_numbered_pages_stay_byte_identical_and_keep_their_articles() {
    let (before, after) = publish_one(40);
    let numbered: Vec<&PathBuf> = before
        .keys()
        .filter(|p| p.components().any(|c| c.as_os_str() == "page"))
        .collect();
    assert!(numbered.len() > 20, "{numbered:#?}");
    let mut full = 0;
    for path in numbered {
        let shown = titles(&before[path]);
        assert!(!shown.is_empty(), "{} lists nothing", path.display());
        // The newest numbered page may take newer articles; none leaves a page.
        let now = titles(&after[path]);
        assert!(
            now.ends_with(&shown),
            "{}: {shown:?} became {now:?}",
            path.display()
        );
        // A full page followed by a newer one never changes again.
        let next = path
            .parent()
            .and_then(|dir| dir.file_name()?.to_str()?.parse::<usize>().ok())
            .map(|n| {
                path.parent()
                    .unwrap()
                    .with_file_name((n + 1).to_string())
                    .join("index.html")
            });
        if shown.len() == PER_PAGE && next.is_some_and(|next| before.contains_key(&next)) {
            full += 1;
            assert!(before[path] == after[path], "{} changed", path.display());
        }
    }
    assert!(full > 10, "only {full} full pages");
}

#[test]
fn a_year_s_sitemap_is_left_alone_by_articles_of_a_later_year() {
    let (before, after) = publish_one(40);
    let older = PathBuf::from("sitemap-2025.xml");
    let newer = PathBuf::from("sitemap-2026.xml");
    assert!(before.contains_key(&older) && before[&older] == after[&older]);
    assert_ne!(before[&newer], after[&newer]);
    let index = String::from_utf8(after[&PathBuf::from("sitemap.xml")].clone()).unwrap();
    let doc = roxmltree::Document::parse(&index).expect("well-formed index");
    let parts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        parts
            .iter()
            .map(|l| l.rsplit('/').next().unwrap())
            .collect::<Vec<_>>(),
        ["sitemap-pages.xml", "sitemap-2025.xml", "sitemap-2026.xml"]
    );
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("lastmod"))
            .count(),
        3
    );
}

#[test]
fn the_footer_lists_the_years_without_what_changes_with_each_article() {
    let site = archive(40);
    site.build_ok(&[]);
    let html = site.html("2026/01/01/s28/index.html");
    let years = common::texts(&html, ".site-footer .years li");
    assert_eq!(years, ["2026", "2025"]);
}

/// A site of `n` articles, two a day, each with three tags of twelve that differ in how many
/// articles carry them, so that related lists weigh tags against each other and against time.
fn mixed_archive(n: usize) -> Site {
    let site = Site::new();
    site.write("gazette.yaml", "title: Mixed\n");
    for i in 0..n {
        add_mixed(&site, i);
    }
    site
}

fn add_mixed(site: &Site, i: usize) {
    const TAGS: [&str; 12] = [
        "ports", "rail", "roads", "air", "sea", "trucks", "bikes", "buses", "canals", "trams",
        "cargo", "fuel",
    ];
    let tags = [TAGS[i % 3], TAGS[3 + i * 7 % 5], TAGS[8 + (i / 3) % 4]];
    let day = i / 2;
    let front = format!(
        "title: Story {i}\ndate: 2026-{:02}-{:02}T{:02}:00:00Z\ntags: [{}]",
        1 + day / 28,
        1 + day % 28,
        i * 5 % 24,
        tags.join(", ")
    );
    let section = ["world", "business"][i % 2];
    site.article(section, &format!("s{i}"), &front, "Body.");
}

/// With tag weights from exact counts, the 301st article of this site changes 5 article pages
/// that do not show it (their lists reorder); with rounded counts, none, as long as neither the
/// number of articles (301, rounded to 320) nor its tags' counts cross a rounding step.
#[test]
fn a_new_article_changes_only_the_article_pages_that_show_it() {
    let n = 300;
    let site = mixed_archive(n);
    site.build_ok(&[]);
    let before = output(&site);
    add_mixed(&site, n);
    site.build_ok(&[]);
    let after = output(&site);
    let new_page = format!("/s{n}/");
    let articles: Vec<PathBuf> = changed(&before, &after)
        .into_iter()
        .filter(|p| before.contains_key(p))
        .filter(|p| {
            p.parent().and_then(|d| d.file_name()).is_some_and(|d| {
                d.to_str()
                    .is_some_and(|d| d.starts_with('s') && d[1..].parse::<usize>().is_ok())
            })
        })
        .collect();
    // Some pages show it, none changed otherwise.
    assert!(!articles.is_empty());
    for page in articles {
        let html = site.html(&page.to_string_lossy());
        let related = common::attrs(&html, ".related a", "href");
        assert!(
            related.iter().any(|href| href.ends_with(&new_page)),
            "{} changed, but its related posts {related:?} do not show the new article",
            page.display()
        );
    }
}
