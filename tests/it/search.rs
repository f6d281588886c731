//! Search: the index Pagefind builds from the articles (what it holds and leaves out, the same
//! bytes from the same site), the search page and the box in every header.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;

use crate::common::{self, Site};

/// Search is off unless gazette.yaml turns it on: `site` with a gazette.yaml that does.
fn searchable(site: Site) -> Site {
    site.write("gazette.yaml", "search:\n  enabled: true\n");
    site
}

/// The text of every fragment of the index's parts (one per article: its URL, words, meta,
/// filters).
fn fragments(site: &Site) -> Vec<String> {
    let files = common::tree(&site.path("public/search/pagefind"));
    let mut all = Vec::new();
    let fragments = files.iter().filter(|(path, _)| {
        path.parent()
            .is_some_and(|folder| folder.ends_with("fragment"))
    });
    for (_, bytes) in fragments {
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .expect("gzip");
        all.push(text);
    }
    all.sort();
    all
}

/// A site whose words each say where they are: only `harbourword` is in an article that
/// search may find.
fn site_with_words_everywhere() -> Site {
    let site = Site::new();
    site.write(
        "gazette.yaml",
        "title: T\ndisclaimer: \"disclaimerword\"\nsections:\n  notices: { search: false }\nsearch:\n  enabled: true\n",
    );
    site.article(
        "world",
        "port",
        &format!(
            "{}\nsummary: \"summaryword\"",
            common::article_front("Port titleword")
        ),
        "The harbourword reopened.",
    );
    site.article(
        "world",
        "hidden",
        &format!("{}\nsearch: false", common::article_front("Hidden")),
        "The hiddenword stays out.",
    );
    site.article(
        "world",
        "draft",
        &format!("{}\ndraft: true", common::article_front("Draft")),
        "The draftword is not published.",
    );
    site.article(
        "world",
        "future",
        "title: Later\ndate: 2999-01-01\nauthor: wirebot",
        "The futureword is not yet published.",
    );
    site.article(
        "notices",
        "notice",
        &common::article_front("Notice"),
        "The noticeword is in a section left out.",
    );
    site.article(
        "world",
        "retracted",
        &format!(
            "{}\nretracted: {{ date: 2026-03-15, reason: The retractedword story was wrong. }}",
            common::article_front("Retracted")
        ),
        "The bodyofretractedword is no longer published.",
    );
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nThe pageword is on a page.\n",
    );
    site
}

#[test]
fn the_index_holds_the_articles_words_and_nothing_around_them() {
    let site = site_with_words_everywhere();
    site.build_ok(&[]);
    let fragments = fragments(&site);
    assert_eq!(fragments.len(), 1, "one article indexed: {fragments:#?}");
    let indexed = &fragments[0];
    for word in ["harbourword", "titleword", "summaryword", "shipping"] {
        assert!(indexed.contains(word), "{word} missing: {indexed}");
    }
    for left_out in [
        "hiddenword",
        "draftword",
        "futureword",
        "noticeword",
        "retractedword",
        "Retracted",
        "pageword",
        "disclaimerword",
        "Summarises wire reports",
        "Tags",
    ] {
        assert!(!indexed.contains(left_out), "{left_out} indexed: {indexed}");
    }
    // Meta the results show, filters they are narrowed by.
    for part in [
        r#""filters":{"bot":["WireBot"],"section":["World"],"tag":["shipping"]}"#,
        r#""title":"Port titleword""#,
        r#""bot":"WireBot""#,
        r#""date":"14 March 2026""#,
    ] {
        assert!(indexed.contains(part), "{part} missing: {indexed}");
    }
    assert!(site.exists("search/index.html"));
    assert!(site.exists("search/pagefind/2026-03/pagefind.js"));
    assert!(site.exists("search/pagefind/2026-03/pagefind-entry.json"));
    // Pagefind's ready-made interfaces are not used, so not published.
    assert!(!site.exists("search/pagefind/2026-03/pagefind-ui.js"));
}

#[test]
fn every_page_has_a_search_box_that_submits_to_the_search_page() {
    let site = searchable(common::two_article_site());
    site.build_ok(&["--base-url", "https://example.org/news/"]);
    for page in [
        "index.html",
        "2026/03/14/port/index.html",
        "tags/index.html",
    ] {
        let html = site.html(page);
        let forms = common::attrs(&html, "header form[role=search]", "action");
        assert_eq!(forms, ["/news/search/"], "{page}");
        let names = common::attrs(&html, "header form[role=search] input", "name");
        assert_eq!(names, ["q"], "{page}");
    }
    let page = site.html("search/index.html");
    let parts = common::attrs(&page, "#search_form", "data-parts");
    assert_eq!(parts, ["/news/search/pagefind/2026-03/ "]);
    assert_eq!(common::texts(&page, "noscript").len(), 1);
}

#[test]
fn search_left_off_or_turned_off_writes_no_index_and_no_box() {
    for config in ["title: T\n", "title: T\nsearch:\n  enabled: false\n"] {
        let site = common::two_article_site();
        site.write("gazette.yaml", config);
        site.build_ok(&[]);
        assert!(!site.exists("search"), "{config}");
        let html = site.html("index.html");
        let boxes = common::attrs(&html, "form[role=search]", "action");
        assert!(boxes.is_empty(), "{config}");
    }
}

/// The files below `search/` of a full build of `site` into `output`.
fn index_of(site: &Site, output: &std::path::Path) -> BTreeMap<PathBuf, Vec<u8>> {
    site.build_ok(&["--full", "--output", &output.to_string_lossy()]);
    common::tree(&output.join("search"))
        .into_iter()
        .map(|(path, bytes)| (path.strip_prefix(output).expect("inside").into(), bytes))
        .collect()
}

#[test]
fn two_builds_of_one_site_write_the_same_index() {
    let site = site_with_words_everywhere();
    for i in 0..30 {
        site.article(
            "world",
            &format!("more-{i}"),
            &format!(
                "title: More {i}\ndate: 2026-02-{:02}\nauthor: wirebot\ntags: [t{}]",
                1 + i % 28,
                i % 4
            ),
            &format!("Paragraph {i} about ports, ferries and word{i}."),
        );
    }
    let out = tempfile::tempdir().expect("out");
    let first = index_of(&site, &out.path().join("a"));
    let second = index_of(&site, &out.path().join("b"));
    assert!(first.len() > 30, "{} files", first.len());
    assert!(first == second, "the index differs between two builds");
}

#[test]
fn a_site_without_articles_has_a_working_empty_search() {
    let site = searchable(Site::new());
    site.build_ok(&[]);
    assert!(site.exists("search/index.html"));
    assert!(site.exists("search/pagefind/all/pagefind.js"));
    assert!(site.exists("search/pagefind/all/pagefind-entry.json"));
    let page = site.html("search/index.html");
    let parts = common::attrs(&page, "#search_form", "data-parts");
    assert_eq!(parts, ["/search/pagefind/all/ "]);
}

#[test]
fn the_index_has_a_part_for_the_newest_month_and_each_year_and_publishing_keeps_the_years() {
    let site = searchable(common::two_article_site());
    site.article(
        "world",
        "old",
        "title: Old\ndate: 2024-05-01\nauthor: wirebot",
        "An oldword story.",
    );
    site.article(
        "world",
        "february",
        "title: February\ndate: 2026-02-01\nauthor: wirebot",
        "A februaryword story.",
    );
    site.build_ok(&[]);
    let page = site.html("search/index.html");
    let parts = common::attrs(&page, "#search_form", "data-parts");
    assert_eq!(
        parts,
        ["/search/pagefind/2026-03/ /search/pagefind/2026/ /search/pagefind/2024/ "]
    );
    let year = common::tree(&site.path("public/search/pagefind/2026"));
    let older = common::tree(&site.path("public/search/pagefind/2024"));
    site.article(
        "world",
        "new",
        &common::article_front("New"),
        "A newword story.",
    );
    site.build_ok(&[]);
    assert_eq!(
        common::tree(&site.path("public/search/pagefind/2024")),
        older,
        "the part of 2024 stays as it was"
    );
    assert_eq!(
        common::tree(&site.path("public/search/pagefind/2026")),
        year,
        "the part of 2026 before March stays as it was"
    );
    let fragments = fragments(&site);
    assert!(fragments.iter().any(|f| f.contains("newword")));
    for word in ["oldword", "februaryword", "Dockers"] {
        assert!(fragments.iter().any(|f| f.contains(word)), "{word}");
    }
}

/// How many files a build rendered (the others were kept from the last build).
fn rendered(site: &Site) -> usize {
    crate::state::build(site, &[]).2
}

#[test]
fn the_index_is_built_again_only_when_what_it_indexes_changed() {
    let site = searchable(common::two_article_site());
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nWho we are.\n",
    );
    site.build_ok(&[]);
    let files = common::tree(&site.path("public/search/pagefind")).len();
    // A page is not indexed: its edit renders the page alone, and every index file is kept.
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nWho we are, again.\n",
    );
    assert_eq!(rendered(&site), 1, "a page edit renders that page alone");
    // An article's body is: the index is built again, and only its files that changed are
    // written.
    site.article(
        "world",
        "port",
        &common::article_front("Port strike ends"),
        "Dockers vote for the quaywords.",
    );
    let after = rendered(&site);
    assert!(
        after < 1 + 9 + files,
        "{after} files rendered of {files} in the index"
    );
    let fragments = fragments(&site);
    assert!(fragments.iter().any(|f| f.contains("quaywords")));
}

/// Starts chromedriver on a free port; none (with the test reported skipped) when Chromium or
/// its driver is missing.
pub(crate) fn chromedriver(test: &str) -> Option<(std::process::Child, u16)> {
    common::program(test, &["chromium"], "apt-get install chromium")?;
    let driver = common::program(test, &["chromedriver"], "apt-get install chromium-driver")?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = std::process::Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start chromedriver");
    Some((child, port))
}

/// The first result's title, the results' count line, and what clicking it opens.
const FIRST: &str = "#search_results .summary-title a";
const STATUS: &str = "#search_status";
const OPENED: &str = "h1.article-title";

/// A site with search on and a second bot, DeskBot, beside the fixture's WireBot.
fn with_deskbot() -> Site {
    let site = searchable(Site::new());
    site.write(
        "content/bots/deskbot.md",
        "---\nname: DeskBot\n---\nAbout.\n",
    );
    site
}

#[test]
fn a_browser_finds_an_article_narrows_by_bot_and_opens_it_from_the_page_and_the_header() {
    let test =
        "a_browser_finds_an_article_narrows_by_bot_and_opens_it_from_the_page_and_the_header";
    let Some((mut driver, port)) = chromedriver(test) else {
        return;
    };
    let site = with_deskbot();
    site.article(
        "world",
        "port",
        &common::article_front("Port strike ends"),
        "Dockers vote to end the strike at the harbour.",
    );
    site.article(
        "world",
        "ferry",
        "title: Ferry restored\ndate: 2026-03-13\nauthor: deskbot\ntags: [shipping]",
        "The harbour ferry runs again after the strike.",
    );
    site.article(
        "world",
        "rain",
        "title: Rain\ndate: 2026-03-12\nauthor: wirebot",
        "Rain falls on the hills.",
    );
    let server = crate::common::server::Server::start(&site, &[]);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let outcome = runtime.block_on(async {
        use crate::serve::{browser, text_of, wait_for, wait_for_port};
        wait_for_port(port).await;
        let client = browser(port).await;
        let url = &server.url;
        let open = |path: String| {
            let client = client.clone();
            async move { client.goto(&path).await.expect("open") }
        };
        open(format!("{url}search/?q=strike")).await;
        // Both articles say "strike"; the one that says it in its title too comes first.
        let found = wait_for(&client, STATUS, "2 articles found.").await;
        let first = text_of(&client, FIRST).await;
        open(format!("{url}search/?q=strike&bot=DeskBot")).await;
        let narrowed = wait_for(&client, STATUS, "1 article found.").await;
        let only = text_of(&client, FIRST).await;
        if let Ok(link) = client.find(fantoccini::Locator::Css(FIRST)).await {
            link.click().await.expect("click");
        }
        let opened = wait_for(&client, OPENED, "Ferry restored").await;
        open(url.clone()).await;
        let field = client.find(fantoccini::Locator::Id("header_search_q"));
        if let Ok(field) = field.await {
            field.send_keys("rain\n").await.expect("type");
        }
        let from_header = wait_for(&client, STATUS, "1 article found.").await;
        let header_first = text_of(&client, FIRST).await;
        let address = client.current_url().await.expect("url").to_string();
        let _ = client.close().await;
        (
            [
                found,
                first,
                narrowed,
                only,
                opened,
                from_header,
                header_first,
            ],
            address,
        )
    });
    let _ = driver.kill();
    let _ = driver.wait();
    let (seen, address) = outcome;
    assert_eq!(
        seen.map(|s| s.unwrap_or_default()),
        [
            "2 articles found.",
            "Port strike ends",
            "1 article found.",
            "Ferry restored",
            "Ferry restored",
            "1 article found.",
            "Rain",
        ]
    );
    assert!(address.contains("/search/?q=rain"), "{address}");
}

/// The texts of every element matching `css`.
async fn texts_of(client: &fantoccini::Client, css: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for element in (client.find_all(fantoccini::Locator::Css(css)).await).unwrap_or_default() {
        texts.push(element.text().await.unwrap_or_default());
    }
    texts
}

#[test]
fn the_search_page_shows_ten_results_then_more_and_fills_its_filters_after_them() {
    let test = "the_search_page_shows_ten_results_then_more_and_fills_its_filters_after_them";
    let Some((mut driver, port)) = chromedriver(test) else {
        return;
    };
    let site = with_deskbot();
    for day in 1..=12 {
        let author = if day == 1 { "deskbot" } else { "wirebot" };
        site.article(
            "world",
            &format!("quay-{day}"),
            &format!("title: Quay report {day}\ndate: 2026-03-{day:02}\nauthor: {author}"),
            "The quay reopens after the storm.",
        );
    }
    let server = crate::common::server::Server::start(&site, &[]);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (found, first_page, all, bots) = runtime.block_on(async {
        use crate::serve::{browser, wait_for, wait_for_port};
        wait_for_port(port).await;
        let client = browser(port).await;
        client
            .goto(&format!("{}search/?q=quay", server.url))
            .await
            .expect("open");
        let found = wait_for(&client, STATUS, "12 articles found.").await;
        let first_page = texts_of(&client, FIRST).await.len();
        if let Ok(more) = client.find(fantoccini::Locator::Id("search_more")).await {
            more.click().await.expect("click");
        }
        let started = std::time::Instant::now();
        let (mut all, mut bots) = (0, Vec::new());
        // The filters' lists are fetched once the results are in.
        while started.elapsed() < common::server::PATIENCE && (all < 12 || bots.len() < 3) {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            all = texts_of(&client, FIRST).await.len();
            bots = texts_of(&client, "select[name=bot] option").await;
        }
        let _ = client.close().await;
        (found, first_page, all, bots)
    });
    let _ = driver.kill();
    let _ = driver.wait();
    assert_eq!(found.as_deref(), Some("12 articles found."));
    assert_eq!((first_page, all), (10, 12), "ten results, then the rest");
    assert_eq!(bots, ["All bots", "DeskBot", "WireBot"]);
}

#[test]
fn a_huge_an_empty_and_a_non_latin_article_are_each_indexed() {
    let site = searchable(Site::new());
    // Just under the 1 MiB a content file may have, its last word far from the first.
    let huge = "The harbour committee met again on the quay. ".repeat(22_000) + "lastwordofhuge";
    site.article("world", "huge", &common::article_front("Huge"), &huge);
    site.article("world", "empty", &common::article_front("Emptytitle"), "");
    let scripts = "港口罢工结束 — انتهى إضراب الميناء — การนัดหยุดงานที่ท่าเรือสิ้นสุดลง";
    site.article(
        "world",
        "scripts",
        &common::article_front("Scripts"),
        scripts,
    );
    let run = site.build_ok(&[]);
    assert!(run.warnings().is_empty(), "{:?}", run.warnings());
    let fragments = fragments(&site);
    assert_eq!(fragments.len(), 3, "each article indexed");
    let holding = |word: &str| fragments.iter().filter(|f| f.contains(word)).count();
    assert_eq!(
        holding("lastwordofhuge"),
        1,
        "the huge body indexed to its end"
    );
    assert_eq!(
        holding("Emptytitle"),
        1,
        "the empty body's article by its title"
    );
    for text in [
        "港口罢工结束",
        "انتهى إضراب الميناء",
        "การนัดหยุดงานที่ท่าเรือสิ้นสุดลง",
    ] {
        assert_eq!(holding(text), 1, "{text}");
    }
}
