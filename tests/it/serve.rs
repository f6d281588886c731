//! `gazette serve` over real HTTP: the server runs on a free port over a fixture site, the
//! tests fetch pages, listen on the live-reload endpoint, edit files and watch what happens.

use crate::common;

use std::collections::BTreeMap;
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::server::{Events, PATIENCE, Server};
use common::{Site, article_front, texts};
use serde_json::Value;

/// A site with two articles, `port` and `ferry`, and a stylesheet of its own.
fn two_article_site() -> Site {
    let site = common::two_article_site();
    site.write("static/extra.css", "body { color: black; }\n");
    site
}

const PORT: &str = "2026/03/14/port/";

/// The two-article site served, and a page open on it that has been told it is current (the
/// first good build is generation 1).
fn served_with_a_page_open() -> (Site, Server, Events) {
    let site = two_article_site();
    let server = Server::start(&site, &[]);
    let events = server.events();
    let hello = events.next();
    assert_eq!(hello.name, "hello");
    assert_eq!(hello.data["generation"], 1);
    (site, server, events)
}

fn title_of(server: &Server, path: &str) -> Vec<String> {
    texts(&server.get(path).html(), "h1.article-title")
}

#[test]
fn serves_pages_with_their_types_index_files_and_redirects() {
    let site = two_article_site();
    for (name, bytes) in [
        ("static/app.js", "console.log(1);"),
        (
            "static/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
        ("static/data.json", "{}"),
        ("static/fonts/body.woff2", "wOF2"),
        ("static/card.png", "\u{89}PNG"),
        ("static/tool.wasm", "\0asm"),
    ] {
        site.write(name, bytes);
    }
    let server = Server::start(&site, &[]);

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(home.header("cache-control"), "no-store");
    let html = home.html();
    let links = common::attrs(&html, "main a", "href");
    assert!(
        links.iter().any(|l| l.ends_with(PORT)),
        "the home page links the article: {links:?}"
    );
    assert_eq!(title_of(&server, PORT), ["Port strike ends"]);

    for (path, kind) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/extra.css", "text/css; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/logo.svg", "image/svg+xml; charset=utf-8"),
        ("/data.json", "application/json; charset=utf-8"),
        ("/fonts/body.woff2", "font/woff2"),
        ("/card.png", "image/png"),
        ("/tool.wasm", "application/wasm"),
    ] {
        let reply = server.get(path);
        assert_eq!(
            (reply.status, reply.header("content-type")),
            (200, kind),
            "{path}"
        );
    }

    let bare = server.get("/2026/03/14/port?x=1");
    assert_eq!(bare.status, 302);
    assert_eq!(bare.header("location"), "/2026/03/14/port/?x=1");

    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        texts(&missing.html(), "h1"),
        ["We can’t find that page"],
        "the site's own 404 page"
    );

    let head = server.head(PORT);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD has no body");
    assert_eq!(
        head.header("content-length"),
        server.get(PORT).body.len().to_string()
    );

    assert!(
        !site.path("public").exists(),
        "serve must never write the output folder"
    );
}

#[test]
fn links_use_the_local_address_and_pages_carry_the_reload_script() {
    let site = two_article_site();
    site.write("gazette.yaml", "base_url: https://news.example.org/\n");
    let server = Server::start(&site, &[]);
    let html = server.get(PORT).html();
    let canonical = common::attrs(&html, "link[rel=canonical]", "href");
    let scripts = common::attrs(
        &html,
        "body script[data-gazette-live-reload]",
        "data-gazette-live-reload",
    );
    assert_eq!(scripts.len(), 1, "one live-reload script, in <body>");
    assert_eq!(
        canonical,
        [format!("{}{PORT}", server.url)],
        "absolute links point at the preview, not the real site"
    );
}

#[test]
fn an_edit_sends_a_reload_event_and_the_new_page() {
    let (site, server, events) = served_with_a_page_open();
    let generation = 1;

    site.article(
        "world",
        "port",
        &article_front("Port strike is over"),
        "Dockers vote.",
    );
    let reload = events.next();
    assert_eq!(reload.name, "reload");
    assert_eq!(reload.data["generation"].as_u64(), Some(generation + 1));
    assert_eq!(title_of(&server, PORT), ["Port strike is over"]);
    let home = server.get("/").html();
    assert!(
        texts(&home, "main a").contains(&"Port strike is over".to_string()),
        "the home page lists the new title"
    );
}

#[test]
fn the_search_index_is_built_after_the_reload_and_then_reloads_the_search_page_alone() {
    let site = two_article_site();
    site.write("gazette.yaml", "search:\n  enabled: true\n");
    let server = Server::start(&site, &[]);
    let events = server.events();
    // Both articles are of March 2026: the index is that month's part alone.
    let updated = "search index updated (2026-03) in ";
    server.wait_printed(updated, 1);
    while events.quiet_for(Duration::from_millis(300)).is_some() {}
    let reloads_on_search = |path: &str| {
        let page = String::from_utf8(server.get(path).body).expect("text");
        page.contains("const searchPage = true;")
    };
    assert!(
        reloads_on_search("/search/"),
        "the search page reloads with its index"
    );
    assert!(!reloads_on_search(PORT), "an article's page does not");

    site.article(
        "world",
        "port",
        &article_front("Port strike"),
        "Dockers vote to end the walkout.",
    );
    let first = events.next();
    assert_eq!(
        first.name, "reload",
        "the edit is served before the index is built"
    );
    let generation = first.data["generation"].as_u64().expect("generation");
    let second = events.next();
    assert_eq!(second.name, "search", "then the part built again");
    assert_eq!(second.data["generation"].as_u64(), Some(generation + 1));
    server.wait_printed(updated, 2);
}

/// The one error of the next event, which must be an `errors` event about `file`.
fn the_error(events: &Events, file: &str) -> Value {
    let failed = events.next();
    assert_eq!(failed.name, "errors", "{failed:?}");
    let errors = failed.data["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["file"], file);
    errors[0].clone()
}

#[test]
fn a_broken_file_shows_its_errors_and_keeps_the_last_good_site_until_fixed() {
    let (site, server, events) = served_with_a_page_open();

    site.write(
        "content/world/port.md",
        "---\ntitle: [unclosed\ndate: 2026-03-14\n---\nBody.\n",
    );
    let error = the_error(&events, "content/world/port.md");
    assert!(error["line"].as_u64().is_some() && error["column"].as_u64().is_some());
    assert!(!error["message"].as_str().unwrap_or("").is_empty());
    assert_eq!(
        title_of(&server, PORT),
        ["Port strike ends"],
        "the last good page is still served"
    );
    server.wait_printed("error: content/world/port.md:", 1);

    // A page opened while the site is broken learns of the errors as it connects.
    let late = server.events();
    assert_eq!(late.next().name, "errors");

    site.article(
        "world",
        "port",
        &article_front("Port strike ends, fixed"),
        "Body.",
    );
    assert_eq!(events.next().name, "reload");
    assert_eq!(title_of(&server, PORT), ["Port strike ends, fixed"]);
}

#[test]
fn a_template_error_shows_its_place_and_a_fix_renders_every_page_again() {
    let (site, server, events) = served_with_a_page_open();
    site.write(
        "templates/article.html",
        "{% extends \"gazette/article.html\" %}\n{% block main %}{{ nope( }}{% endblock main %}\n",
    );
    assert_eq!(the_error(&events, "templates/article.html")["line"], 2);
    assert_eq!(title_of(&server, PORT), ["Port strike ends"]);
    site.write(
        "templates/article.html",
        "{% extends \"gazette/article.html\" %}\n{% block title %}Own: {{ article.title }}{% endblock title %}\n",
    );
    assert_eq!(events.next().name, "reload");
    assert_eq!(
        texts(&server.get(PORT).html(), "title"),
        ["Own: Port strike ends"]
    );
    server.wait_printed("rebuilt ", 1);
    let (parsed, rendered, pages) = last_rebuild(&server);
    assert_eq!(
        rendered,
        pages - search_index_files(&site, &server),
        "a template change renders every page"
    );
    assert_eq!(parsed, 0, "and parses no Markdown again");
}

#[test]
fn a_first_build_that_fails_still_serves_and_recovers() {
    let site = Site::new();
    site.write(
        "content/world/bad.md",
        "---\ndate: 2026-03-14\n---\nNo title.\n",
    );
    let server = Server::start(&site, &[]);
    let home = server.get("/");
    assert_eq!(home.status, 404);
    let html = home.html();
    assert_eq!(
        common::attrs(
            &html,
            "script[data-gazette-live-reload]",
            "data-gazette-live-reload"
        )
        .len(),
        1,
        "even the placeholder page listens, so the errors show"
    );
    let events = server.events();
    assert_eq!(events.next().name, "errors");
    site.article("world", "bad", &article_front("Now with a title"), "Body.");
    assert_eq!(events.next().name, "reload");
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn a_burst_of_saves_gives_one_rebuild() {
    let (site, server, events) = served_with_a_page_open();
    // The watcher ends a burst after 30 ms without a change. On a loaded machine this test can
    // itself be descheduled for that long between two saves, which really is two bursts: count
    // those pauses, so that the test checks the watcher and not the machine's load.
    let mut pauses = 0;
    let mut last = Instant::now();
    for n in 0..50 {
        site.article(
            "world",
            &format!("bulk-{n:02}"),
            &article_front(&format!("Bulk {n}")),
            "Body.",
        );
        pauses += usize::from(last.elapsed() >= Duration::from_millis(25));
        last = Instant::now();
    }
    assert_eq!(events.next().name, "reload");
    while events.quiet_for(Duration::from_millis(800)).is_some() {}
    let rebuilds = server.printed("rebuilt ").len();
    assert!(
        (1..=1 + pauses).contains(&rebuilds),
        "{rebuilds} rebuilds for one burst with {pauses} pauses: {:?}",
        server.printed("")
    );
    assert_eq!(server.get("/2026/03/14/bulk-49/").status, 200);
}

#[test]
fn a_stylesheet_change_alone_swaps_stylesheets_instead_of_reloading() {
    let (site, server, events) = served_with_a_page_open();
    site.write("static/extra.css", "body { color: navy; }\n");
    assert_eq!(events.next().name, "css");
    assert_eq!(server.get("/extra.css").body, b"body { color: navy; }\n");
}

/// Every page of a fresh `gazette build` of the same site, by its path.
fn fresh_build(site: &Site, url: &str) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().expect("out");
    let public = out.path().join("public");
    site.build_ok(&["--base-url", url, "--output", &public.to_string_lossy()]);
    common::tree(&public)
        .into_iter()
        .map(|(path, bytes)| {
            let relative = path.strip_prefix(&public).expect("inside");
            (relative.to_string_lossy().replace('\\', "/"), bytes)
        })
        .collect()
}

/// What the server sends for a file, without the live-reload script it adds to pages; none
/// when it sends no such file.
fn served_without_script(server: &Server, file: &str) -> Option<Vec<u8>> {
    let path = file.strip_suffix("index.html").unwrap_or(file);
    let reply = server.get(path);
    if reply.status != 200 {
        return None;
    }
    // The search index's files are binary, and hold no script.
    let Ok(text) = String::from_utf8(reply.body.clone()) else {
        return Some(reply.body);
    };
    Some(match text.find("<script data-gazette-live-reload>") {
        Some(start) => {
            let end = start + text[start..].find("</script>\n").expect("script end") + 10;
            format!("{}{}", &text[..start], &text[end..]).into_bytes()
        }
        None => text.into_bytes(),
    })
}

fn is_index(file: &str) -> bool {
    file.starts_with("search/pagefind/")
}

/// Every file of a fresh build is served as built: the pages at once, the search index, built
/// in the background, once it is.
fn assert_same_as_fresh_build(site: &Site, server: &Server, step: &str) {
    let expected = fresh_build(site, &server.url);
    let differs = |file: &String, bytes: &Vec<u8>| {
        served_without_script(server, file).as_ref() != Some(bytes)
    };
    for (file, bytes) in expected.iter().filter(|(file, _)| !is_index(file)) {
        assert!(
            !differs(file, bytes),
            "after {step}: {file} differs from a fresh build"
        );
    }
    let started = Instant::now();
    while let Some((file, _)) =
        (expected.iter()).find(|(file, bytes)| is_index(file) && differs(file, bytes))
    {
        assert!(
            started.elapsed() < PATIENCE,
            "after {step}: {file} of the search index differs from a fresh build"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The next event that is not about the search index alone (which may come after the change
/// before).
fn next_but_search(events: &Events) -> common::server::Event {
    loop {
        let event = events.next();
        if event.name != "search" {
            return event;
        }
    }
}

/// How many files the search index has: made of the articles alone, they come out the same after
/// a template change, and are kept.
fn search_index_files(site: &Site, server: &Server) -> usize {
    (fresh_build(site, &server.url).keys())
        .filter(|file| file.starts_with("search/pagefind/"))
        .count()
}

/// The content files the last rebuild parsed, the pages it rendered and all pages, from its
/// summary line.
fn last_rebuild(server: &Server) -> (usize, usize, usize) {
    let line = server.printed("rebuilt ").pop().expect("a rebuild");
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    // "rebuilt N changed: C content files parsed, R of P files rendered in T ms"
    (numbers[1], numbers[2], numbers[3])
}

/// A named change to a site.
type Step<'a> = (&'static str, Box<dyn Fn() + 'a>);

#[test]
fn incremental_rebuilds_match_a_fresh_build_and_render_only_what_changed() {
    let site = two_article_site();
    // With search on, so that its index is rebuilt by serve as a build makes it.
    site.write("gazette.yaml", "search:\n  enabled: true\n");
    for n in 0..12 {
        site.article(
            "business",
            &format!("b{n:02}"),
            &format!(
                "title: \"Business {n}\"\ndate: 2026-02-{:02}\ntags: [markets]",
                n + 1
            ),
            "Numbers.",
        );
    }
    site.article(
        "world",
        "story-one",
        "title: \"Story part one\"\ndate: 2026-03-10\nstory: strike\ntags: [shipping]",
        "One.",
    );
    let server = Server::start(&site, &[]);
    let events = server.events();
    assert_eq!(events.next().name, "hello");
    assert_same_as_fresh_build(&site, &server, "the first build");

    let steps: Vec<Step> = vec![
        (
            "a body edit",
            Box::new(|| {
                site.article(
                    "world",
                    "port",
                    &article_front("Port strike ends"),
                    "Dockers vote.\n\nThe details, corrected.",
                );
            }),
        ),
        (
            "a title edit",
            Box::new(|| {
                site.article(
                    "world",
                    "ferry",
                    &article_front("Ferries back"),
                    "Boats run.",
                );
            }),
        ),
        (
            "a tag change",
            Box::new(|| {
                site.article(
                    "business",
                    "b03",
                    "title: \"Business 3\"\ndate: 2026-02-04\ntags: [markets, shipping]",
                    "Numbers.",
                );
            }),
        ),
        (
            "a new article in a story",
            Box::new(|| {
                site.article(
                    "world",
                    "story-two",
                    "title: \"Story part two\"\ndate: 2026-03-12\nstory: strike",
                    "Two.",
                );
            }),
        ),
        (
            // The first article in the site's order names the tag for every page that shows it.
            "a tag written anew by the first article",
            Box::new(|| {
                site.article(
                    "world",
                    "ferry",
                    "title: \"Ferries back\"\ndate: 2026-03-14\nauthor: wirebot\ntags: [SHIPPING]",
                    "Boats run.",
                );
            }),
        ),
        (
            "a deleted article",
            Box::new(|| std::fs::remove_file(site.path("content/business/b05.md")).expect("rm")),
        ),
        (
            "a renamed article",
            Box::new(|| {
                std::fs::rename(
                    site.path("content/business/b06.md"),
                    site.path("content/business/b06-renamed.md"),
                )
                .expect("mv")
            }),
        ),
        (
            "a bot's new bio",
            Box::new(|| {
                site.write(
                    "content/bots/wirebot.md",
                    "---\nname: WireBot\nbio: \"A new bio.\"\n---\nAbout.\n",
                );
            }),
        ),
        (
            "a configuration change",
            Box::new(|| {
                site.write(
                    "gazette.yaml",
                    "title: Renamed Gazette\npaginate_by: 5\nsearch:\n  enabled: true\n",
                );
            }),
        ),
        (
            "a template change",
            Box::new(|| {
                site.write("templates/page.html", "{% extends \"gazette/page.html\" %}");
            }),
        ),
    ];
    for (n, (step, change)) in steps.iter().enumerate() {
        change();
        let event = next_but_search(&events);
        assert_eq!(event.name, "reload", "after {step}: {event:?}");
        server.wait_printed("rebuilt ", n + 1);
        assert_same_as_fresh_build(&site, &server, step);
        let (parsed, rendered, pages) = last_rebuild(&server);
        if *step == "a template change" {
            assert_eq!(parsed, 0, "a template change parses no Markdown again");
            assert_eq!(
                rendered,
                pages - search_index_files(&site, &server),
                "a template change renders every page again"
            );
        }
        if *step == "a body edit" {
            assert_eq!(parsed, 1, "a body edit parses only its file again");
            // The article's page; the Atom, RSS and JSON files of each feed that lists it
            // (the site's, its bot's, its one tag's); not the sitemaps, which show no body;
            // not the search index, whose part is built again after the rebuild.
            assert_eq!(
                rendered,
                1 + 3 * 3,
                "a body edit renders only the article's page and feeds, of {pages}"
            );
            let updated = server.printed("search index updated (2026-03) in ");
            assert_eq!(updated.len(), 2, "the first build's part, then the edit's");
        }
    }
    assert_eq!(
        server.get("/2026/02/06/b05/").status,
        404,
        "a deleted article is gone"
    );
    assert_eq!(
        server.get("/2026/02/07/b06/").status,
        404,
        "a renamed article's old URL is gone"
    );
}

#[test]
fn a_taken_port_is_reported_with_a_free_one() {
    let site = two_article_site();
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("address").port().to_string();
    let run = site.run(&["serve", "--port", &port]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with(&format!("error: 127.0.0.1:{port}: the port is taken")),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].contains("--port "),
        "suggests a port: {}",
        errors[0]
    );
}

#[test]
fn listening_beyond_this_machine_is_said_out_loud() {
    let site = two_article_site();
    let server = Server::start(&site, &["--bind", "0.0.0.0"]);
    server.wait_printed("warning: listening on 0.0.0.0:", 1);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    let quiet = Server::start(&site, &[]);
    quiet.wait_printed("built ", 1);
    assert!(quiet.printed("warning: listening").is_empty());
}

#[test]
fn ctrl_c_stops_the_server_cleanly_even_with_pages_listening() {
    let (_site, mut server, _events) = served_with_a_page_open();
    let interrupted = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .expect("kill");
    assert!(interrupted.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "still running 5 s after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
}

/// A WebDriver session on headless Chromium, through chromedriver.
pub(crate) async fn browser(driver_port: u16) -> fantoccini::Client {
    browser_with(driver_port, serde_json::Map::new()).await
}

/// `browser`, with more of chromedriver's options for Chromium (`mobileEmulation`, ...).
pub(crate) async fn browser_with(
    driver_port: u16,
    more: serde_json::Map<String, serde_json::Value>,
) -> fantoccini::Client {
    let profile = tempfile::tempdir().expect("profile").keep();
    let mut options = serde_json::json!({
        "binary": "/usr/bin/chromium",
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
            format!("--user-data-dir={}", profile.display()),
        ],
    });
    // Switches of the caller's are added to these, other options set.
    for (key, value) in more {
        match (key.as_str(), value) {
            ("args", serde_json::Value::Array(switches)) => options["args"]
                .as_array_mut()
                .expect("a list")
                .extend(switches),
            (_, value) => {
                options[key] = value;
            }
        }
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    fantoccini::ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("a WebDriver session")
}

#[test]
fn a_real_browser_shows_edits_and_errors_without_reloading_by_hand() {
    let test = "a_real_browser_shows_edits_and_errors_without_reloading_by_hand";
    let Some(_) = common::program(test, &["chromium"], "apt-get install chromium") else {
        return;
    };
    let Some(driver) = common::program(test, &["chromedriver"], "apt-get install chromium-driver")
    else {
        return;
    };
    let site = two_article_site();
    let server = Server::start(&site, &[]);
    let driver_port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let mut chromedriver = Command::new(driver)
        .arg(format!("--port={driver_port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let outcome = runtime.block_on(async {
        wait_for_port(driver_port).await;
        let client = browser(driver_port).await;
        client
            .goto(&format!("{}{PORT}", server.url))
            .await
            .expect("open the page");
        let title = text_of(&client, TITLE).await;
        site.article(
            "world",
            "port",
            &article_front("Edited while open"),
            "Body.",
        );
        let edited = wait_for(&client, TITLE, "Edited while open").await;
        site.write("content/world/port.md", "---\ntitle: [unclosed\n---\n");
        let overlay = wait_for(&client, PLACE, "content/world/port.md:2:8").await;
        site.article("world", "port", &article_front("Fixed while open"), "Body.");
        let fixed = wait_for(&client, TITLE, "Fixed while open").await;
        let overlay_after = text_of(&client, PLACE).await;
        let _ = client.close().await;
        [title, edited, overlay, fixed, overlay_after]
    });
    let _ = chromedriver.kill();
    let _ = chromedriver.wait();
    assert_eq!(
        outcome,
        [
            Some("Port strike ends".to_string()),
            Some("Edited while open".to_string()),
            Some("content/world/port.md:2:8".to_string()),
            Some("Fixed while open".to_string()),
            None,
        ],
        "the page before, after an edit, the overlay's error after a broken edit, the page \
         after the fix, and the overlay after the fix"
    );
}

/// The article's heading, and the place of the first error in the overlay.
const TITLE: &str = "h1.article-title";
const PLACE: &str = "#__gazette_errors .gazette-error-place";

/// Polls the open page until the first element matching `css` reads `want`, or patience runs
/// out; returns what it read last.
pub(crate) async fn wait_for(client: &fantoccini::Client, css: &str, want: &str) -> Option<String> {
    let started = Instant::now();
    loop {
        let seen = text_of(client, css).await;
        if seen.as_deref() == Some(want) || started.elapsed() > PATIENCE {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) async fn wait_for_port(port: u16) {
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < PATIENCE, "chromedriver never listened");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The text of the first element matching `css`, if there is one; between a reload and the new
/// page there may be none.
pub(crate) async fn text_of(client: &fantoccini::Client, css: &str) -> Option<String> {
    let element = client.find(fantoccini::Locator::Css(css)).await.ok()?;
    element.text().await.ok()
}

#[test]
fn the_preview_refuses_static_files_where_pages_go_and_hides_hidden_files_as_a_build_does() {
    let site = two_article_site();
    site.write("static/.env", "SECRET=1");
    site.write(
        "static/.well-known/security.txt",
        "Contact: mailto:desk@example.org",
    );
    let server = Server::start(&site, &[]);
    let events = server.events();
    assert_eq!(events.next().name, "hello");
    assert_eq!(server.get("/.env").status, 404, "a hidden file is served");
    assert_eq!(server.get("/.well-known/security.txt").status, 200);

    for (file, error_file, names) in [
        ("static/2026", "static/2026", "2026/03/14/"),
        (
            "static/index.html/x.txt",
            "static/index.html",
            "the file index.html",
        ),
    ] {
        site.write(file, "mine");
        let error = the_error(&events, error_file);
        let message = error["message"].as_str().unwrap_or_default();
        assert!(message.contains(names), "{file}: {message}");
        assert_eq!(
            title_of(&server, PORT),
            ["Port strike ends"],
            "{file}: the pages are still served"
        );
        std::fs::remove_file(site.path(file)).expect("remove");
        if let Some(folder) = std::path::Path::new(file)
            .parent()
            .filter(|p| p.ends_with("index.html"))
        {
            std::fs::remove_dir(site.path(&folder.to_string_lossy())).expect("remove folder");
        }
        assert_eq!(events.next().name, "reload", "{file}: removed");
    }
}
