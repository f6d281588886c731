//! What a browser renders: built pages opened in headless Chromium at phone and desktop widths.
//!
//! Chromium comes from Debian's `chromium` package, which `.ci/run` installs. Where it is
//! missing, each test says loudly that it was skipped rather than pass in silence.

use crate::common;
use crate::common::hostile;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{Site, attrs};
use scraper::Html;

/// Test-only layout: after loading, the page writes how far it overflows the window sideways,
/// and whether its first table scrolls inside its wrapper, onto `<body>`.
const MEASURING_BASE: &str = r#"{% extends "gazette/base.html" %}
{% block head %}{{ super() }}<script>
addEventListener('load', () => {
  const page = document.documentElement;
  const wrap = document.querySelector('.table-wrap');
  document.body.dataset.overflow = String(page.scrollWidth - page.clientWidth);
  document.body.dataset.tableScrolls = String(!!wrap && wrap.scrollWidth > wrap.clientWidth);
});
</script>{% endblock head %}
"#;

const WIDE_TABLE: &str = "Text before the timeline.\n\n\
| Time | Event | Place | Who | Note |\n|---|---|---|---|---|\n\
| 06:00 | Nightshiftworkersbeginawalkoutatdawn | Velmoracontainerterminalnorth | Dockworkersunionofvelmora | Alongnotewithoutanybreakatall |\n";

fn chromium(test: &str) -> Option<PathBuf> {
    common::program(
        test,
        &["chromium", "chromium-browser", "google-chrome"],
        "apt-get install chromium; .ci/run does it",
    )
}

/// Headless Chromium for one test, driven through chromedriver.
struct Chromium {
    driver: std::process::Child,
    port: u16,
    runtime: tokio::runtime::Runtime,
}

impl Chromium {
    /// None where Chromium or chromedriver is missing: the test says it was skipped (and fails
    /// under CI).
    fn start(test: &str) -> Option<Self> {
        chromium(test)?;
        let (driver, port) = crate::search::chromedriver(test)?;
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        runtime.block_on(crate::serve::wait_for_port(port));
        Some(Self {
            driver,
            port,
            runtime,
        })
    }

    /// The DOM of `page` once its `<body>` has the attribute `ready`, in a viewport `width` CSS
    /// pixels wide.
    fn render(&self, page: &Path, width: u32, ready: &str) -> Html {
        let mut found = self.render_all(&[page], width, &[], ready);
        found.pop().expect("one page")
    }

    /// `render` for each of `pages` in turn, in one browser given more of Chromium's
    /// `switches`. The width is chromedriver's device emulation, as a phone of that width shows
    /// a page: headless Chromium makes no window narrower than 500 px, whatever
    /// `--window-size` asks, and each page checks that it got the width asked.
    fn render_all(&self, pages: &[&Path], width: u32, switches: &[&str], ready: &str) -> Vec<Html> {
        let options = serde_json::json!({
            "args": switches,
            "mobileEmulation": { "deviceMetrics": { "width": width, "height": 900, "pixelRatio": 1.0 } },
        });
        let options = options.as_object().expect("an object").clone();
        let script = format!(
            "return document.body && document.body.hasAttribute('{ready}') \
             ? [innerWidth, document.documentElement.outerHTML] : null"
        );
        self.runtime.block_on(async {
            let client = crate::serve::browser_with(self.port, options).await;
            let mut found = Vec::new();
            for page in pages {
                client
                    .goto(&format!("file://{}", page.display()))
                    .await
                    .expect("open the page");
                let started = Instant::now();
                let (shown_width, html) = loop {
                    let written = client
                        .execute(&script, vec![])
                        .await
                        .expect("read the page");
                    if let Some([shown_width, html]) = written.as_array().map(Vec::as_slice) {
                        let html = html.as_str().expect("the page's HTML");
                        break (shown_width.as_u64(), Html::parse_document(html));
                    }
                    assert!(
                        started.elapsed() < Duration::from_secs(60),
                        "{}: no {ready} on <body> within 60 s",
                        page.display()
                    );
                    tokio::time::sleep(Duration::from_millis(50)).await;
                };
                assert_eq!(shown_width, Some(u64::from(width)), "{}", page.display());
                found.push(html);
            }
            let _ = client.close().await;
            found
        })
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Test-only layout: after loading, the page counts the links and images of the article body
/// whose scheme, as the browser reads it, runs code or carries a document, clicks those links
/// and every heading, and marks `<body>` as done; an injected script that runs marks it
/// `data-pwned`.
const CLICKING_BASE: &str = r#"{% extends "gazette/base.html" %}
{% block head %}{{ super() }}<script>
addEventListener('load', () => {
  const active = ['javascript:', 'vbscript:', 'data:'];
  const body = document.querySelector('.content');
  const links = [...body.querySelectorAll('a[href]')].filter(a => active.includes(a.protocol));
  const images = [...body.querySelectorAll('img[src]')]
    .filter(i => active.includes(new URL(i.src).protocol));
  document.body.dataset.active = String(links.length + images.length);
  links.forEach(a => a.click());
  body.querySelectorAll('h1, h2, h3, h4, h5, h6').forEach(h => h.click());
  document.body.dataset.clicked = 'yes';
});
</script>{% endblock head %}
"#;

/// A site built with `base` as its base template so that its pages open from disk: every link
/// starts with the output folder.
fn build_for_file_urls(site: &Site, base: &str) -> PathBuf {
    site.write("templates/base.html", base);
    let public = site.path("public");
    let base = format!("{}/", public.display());
    site.build_ok(&["--base-url", &base]);
    public
}

/// Test-only layout: after loading, the front page writes how far it overflows the window
/// sideways, whether its lead picture lies wholly inside the first screen, and how many columns
/// its grid of top stories has (the distinct left edges of its cards).
const FRONT_MEASURING_BASE: &str = r#"{% extends "gazette/base.html" %}
{% block head %}{{ super() }}<script>
addEventListener('load', () => {
  const page = document.documentElement;
  const picture = document.querySelector('.lead-story .picture').getBoundingClientRect();
  const cards = [...document.querySelectorAll('.front-top .story-grid > *')];
  const columns = new Set(cards.map(c => Math.round(c.getBoundingClientRect().left)));
  document.body.dataset.overflow = String(page.scrollWidth - page.clientWidth);
  document.body.dataset.leadVisible = String(picture.width > 100 && picture.height > 50
    && picture.top >= 0 && picture.bottom <= innerHeight && picture.right <= innerWidth);
  document.body.dataset.columns = String(columns.size);
});
</script>{% endblock head %}
"#;

/// A picture drawn for this test: a 1200 x 800 box.
const PICTURE: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800" viewBox="0 0 1200 800"><rect width="1200" height="800" fill="#5b7d99"/></svg>"##;

#[test]
fn the_front_page_leads_with_a_picture_above_the_fold_and_a_grid_that_folds_on_a_phone() {
    let Some(browser) = Chromium::start(
        "the_front_page_leads_with_a_picture_above_the_fold_and_a_grid_that_folds_on_a_phone",
    ) else {
        return;
    };
    let site = Site::new();
    site.write("static/images/box.svg", PICTURE);
    for (i, section) in [
        "world", "business", "science", "world", "business", "science",
    ]
    .iter()
    .enumerate()
    {
        let featured = if i == 1 { "\nfeatured: true" } else { "" };
        site.article(
            section,
            &format!("story-{i}"),
            &format!(
                "title: \"A headline long enough to wrap over two lines, number {i}\"\n\
                 date: 2026-03-{:02}\nauthor: wirebot\nimage: {{ src: images/box.svg, alt: \"A box\" }}{featured}",
                i + 1
            ),
            "A summary of the story in a sentence or two, as a digest gives it.",
        );
    }
    let public = build_for_file_urls(&site, FRONT_MEASURING_BASE);
    let page = public.join("index.html");
    for (width, columns) in [(1366, "2"), (390, "1")] {
        let html = browser.render(&page, width, "data-columns");
        assert_eq!(
            body_data(&html, "data-overflow"),
            "0",
            "overflow at {width} px"
        );
        assert_eq!(
            body_data(&html, "data-columns"),
            columns,
            "top stories at {width} px"
        );
        if width == 1366 {
            assert_eq!(
                body_data(&html, "data-lead-visible"),
                "true",
                "the lead picture is on the first screen at {width} px"
            );
        }
    }
}

fn body_data(html: &Html, name: &str) -> String {
    attrs(html, "body", name)
        .pop()
        .unwrap_or_else(|| panic!("no {name} on <body>: did the page load?"))
}

#[test]
fn wide_tables_scroll_inside_the_page_instead_of_widening_it() {
    let Some(browser) =
        Chromium::start("wide_tables_scroll_inside_the_page_instead_of_widening_it")
    else {
        return;
    };
    let site = Site::new();
    site.article(
        "world",
        "wide",
        "title: Wide timeline\ndate: 2026-03-14\nauthor: wirebot",
        WIDE_TABLE,
    );
    let public = build_for_file_urls(&site, MEASURING_BASE);
    let page = public.join("2026/03/14/wide/index.html");
    for width in [320, 375, 768, 1280] {
        let html = browser.render(&page, width, "data-overflow");
        assert_eq!(
            body_data(&html, "data-overflow"),
            "0",
            "page wider than a {width} px window"
        );
    }
    let phone = browser.render(&page, 320, "data-table-scrolls");
    assert_eq!(
        body_data(&phone, "data-table-scrolls"),
        "true",
        "the table should scroll on a phone"
    );
}

/// A copy of the repo's example site: its articles, pages, bots, pictures and gazette.yaml.
fn example_site() -> Site {
    let site = Site::empty();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    site.write(
        "gazette.yaml",
        std::fs::read(repo.join("gazette.yaml")).expect("read gazette.yaml"),
    );
    for folder in ["content", "static"] {
        for entry in walkdir::WalkDir::new(repo.join(folder))
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.file_type().is_file() {
                let relative = entry.path().strip_prefix(repo).expect("inside the repo");
                site.write(
                    &relative.to_string_lossy(),
                    std::fs::read(entry.path()).expect("read"),
                );
            }
        }
    }
    site
}

#[test]
fn example_site_pages_fit_a_phone_screen() {
    let Some(browser) = Chromium::start("example_site_pages_fit_a_phone_screen") else {
        return;
    };
    let site = example_site();
    let public = build_for_file_urls(&site, MEASURING_BASE);
    let pages = [
        "index.html",
        "2026/03/14/port-strike-ends/index.html",
        "2026/05/21/kessling-ferry-service-restored/index.html",
        "tags/index.html",
        "bots/wirebot/index.html",
        "editors/index.html",
        "editors/marta-lind/index.html",
        "2026/index.html",
        "about/index.html",
        "ai-policy/index.html",
        "ar/index.html",
        "ar/2026/03/14/port-strike-ends/index.html",
        "fr/2026/03/14/port-strike-ends/index.html",
    ];
    let files: Vec<PathBuf> = pages.iter().map(|page| public.join(page)).collect();
    let files: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let found = browser.render_all(&files, 320, &[], "data-overflow");
    for (page, html) in pages.iter().zip(&found) {
        assert_eq!(
            body_data(html, "data-overflow"),
            "0",
            "{page} is wider than a 320 px phone"
        );
    }
}

#[test]
fn untrusted_bodies_run_no_injected_script_in_a_browser() {
    let Some(browser) = Chromium::start("untrusted_bodies_run_no_injected_script_in_a_browser")
    else {
        return;
    };
    // Trusted first: the scripts run, which shows that the page would tell if one did.
    for (raw_html, active, pwned) in [(true, true, true), (false, false, false)] {
        let site = hostile::hostile_site(raw_html);
        let public = build_for_file_urls(&site, CLICKING_BASE);
        let html = browser.render(&public.join(hostile::PAGE), 1280, "data-clicked");
        assert_eq!(body_data(&html, "data-clicked"), "yes");
        let found = body_data(&html, "data-active");
        assert_eq!(
            found != "0",
            active,
            "raw_html: {raw_html}: {found} active links"
        );
        assert_eq!(
            !attrs(&html, "body", "data-pwned").is_empty(),
            pwned,
            "raw_html: {raw_html}: an injected script ran: {:?}",
            attrs(&html, "body", "data-pwned")
        );
    }
}

/// Test-only, put into each built page's `<head>` after the build. It loads every picture late,
/// as a slow network would: their addresses are taken away as the parser meets them and given
/// back once the page has been laid out, so that a picture without a size moves what is below
/// it when it comes. Then it sums the layout shifts since, runs axe-core for WCAG 2.1 A and AA and
/// axe's best practices, and writes one line per element axe faults, and the sum, onto
/// `<body>`.
const AXE_RUN: &str = r#"<script>
let shifted = 0;
const shifts = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) shifted += entry.value;
});
shifts.observe({ type: 'layout-shift', buffered: true });
const held = [];
const holding = new MutationObserver((records) => {
  for (const record of records) for (const node of record.addedNodes) {
    if (node.nodeType !== Node.ELEMENT_NODE) continue;
    for (const el of [node, ...node.querySelectorAll('img, source')]) {
      if (!el.matches('img, source')) continue;
      held.push([el, el.getAttribute('srcset'), el.getAttribute('src')]);
      el.removeAttribute('srcset');
      el.removeAttribute('src');
    }
  }
});
holding.observe(document, { childList: true, subtree: true });
const later = (ms) => new Promise((done) => setTimeout(done, ms));
addEventListener('load', async () => {
  await later(500);
  holding.disconnect();
  // Only what moves while the pictures come counts: a page painted while still being parsed,
  // as on a busy machine, would shift for reasons of its own.
  shifts.takeRecords();
  shifted = 0;
  for (const [el, srcset, src] of held) {
    if (srcset !== null) el.setAttribute('srcset', srcset);
    if (src !== null) el.setAttribute('src', src);
  }
  await later(1000);
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
  const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
  const found = result.violations.flatMap((v) => v.nodes.map((node) =>
    `${v.id} (${v.impact}): ${v.help}: ${node.target.join(' ')}: ${node.failureSummary}`));
  document.body.dataset.shifted = String(shifted);
  document.body.dataset.violations = JSON.stringify(found);
});
</script>"#;

/// axe-core's browser script, from npm's global packages.
fn axe_core(test: &str) -> Option<PathBuf> {
    let axe = Command::new("npm")
        .args(["root", "--global"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| {
            Path::new(String::from_utf8_lossy(&out.stdout).trim()).join("axe-core/axe.min.js")
        })
        .filter(|axe| axe.is_file());
    if axe.is_none() {
        common::missing(
            test,
            "axe-core is not installed (npm install --global axe-core; .ci/run does it)",
        );
    }
    axe
}

/// The page at `page` with axe-core and `AXE_RUN` loaded in its `<head>`.
fn with_axe(page: &Path, axe: &Path) {
    let html = std::fs::read_to_string(page).expect("read page");
    let scripts = format!(
        "<script src=\"file://{}\"></script>{AXE_RUN}</head>",
        axe.display()
    );
    std::fs::write(page, html.replacen("</head>", &scripts, 1)).expect("write page");
}

/// What is wrong with the `<img>` elements of `html`: one missing `alt`, or a made picture
/// missing `width` or `height`, which the browser needs to keep room for it while it loads.
fn image_faults(html: &Html) -> Vec<String> {
    let img = scraper::Selector::parse("img").expect("selector");
    html.select(&img)
        .flat_map(|img| {
            let src = img.attr("src").unwrap_or_default();
            // A remote picture is left alone: it is never measured, so it gets no size.
            let measured = !src.contains("://");
            let needed: &[&str] = if measured {
                &["alt", "width", "height"]
            } else {
                &["alt"]
            };
            needed
                .iter()
                .filter(|name| img.attr(name).is_none())
                .map(move |name| format!("<img src=\"{src}\"> has no {name}"))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn every_kind_of_page_passes_axe_and_keeps_still_while_its_pictures_load() {
    let test = "every_kind_of_page_passes_axe_and_keeps_still_while_its_pictures_load";
    let Some(browser) = Chromium::start(test) else {
        return;
    };
    let Some(axe) = axe_core(test) else {
        return;
    };
    let site = example_site();
    let public = site.path("public");
    site.build_ok(&["--base-url", &format!("{}/", public.display())]);
    let pages = [
        "index.html",
        "2026/03/14/port-strike-ends/index.html",
        "2026/05/21/kessling-ferry-service-restored/index.html",
        "world/index.html",
        "tags/index.html",
        "tags/climate/index.html",
        "bots/index.html",
        "bots/wirebot/index.html",
        "editors/index.html",
        "editors/marta-lind/index.html",
        "2026/index.html",
        "about/index.html",
        "ai-policy/index.html",
        "search/index.html",
        "corrections/index.html",
        "2026/05/02/harrowmere-battery-claim/index.html",
        "404.html",
        "ar/index.html",
        "ar/2026/03/14/port-strike-ends/index.html",
        "ar/bots/wirebot/index.html",
        "fr/2026/03/14/port-strike-ends/index.html",
    ];
    let files: Vec<PathBuf> = pages.iter().map(|page| public.join(page)).collect();
    for file in &files {
        with_axe(file, &axe);
    }
    let files: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let mut faults = Vec::new();
    for width in [390, 1366] {
        for (scheme, switches) in [("light", &[][..]), ("dark", &["--force-dark-mode"][..])] {
            let found = browser.render_all(&files, width, switches, "data-violations");
            for (page, html) in pages.iter().zip(&found) {
                let at = format!("{page} at {width} px, {scheme}");
                let violations: Vec<String> =
                    serde_json::from_str(&body_data(html, "data-violations"))
                        .unwrap_or_else(|e| panic!("{at}: axe's findings: {e}"));
                faults.extend(violations.iter().map(|v| format!("{at}: {v}")));
                let shifted = body_data(html, "data-shifted");
                if shifted != "0" {
                    faults.push(format!("{at}: the layout shifted by {shifted}"));
                }
                faults.extend(image_faults(html).iter().map(|f| format!("{at}: {f}")));
            }
        }
    }
    assert!(faults.is_empty(), "\n{}\n", faults.join("\n"));

    // The measure can fail: a picture without a size moves the text below it as it comes.
    let jpeg = std::fs::read_dir(public.join("images"))
        .expect("the pictures made")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .find(|name| name.ends_with(".jpg"))
        .expect("a JPEG picture made");
    let sizeless = public.join("unsized.html");
    std::fs::write(
        &sizeless,
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta name=\"viewport\" content=\"width=device-width\">\
             <title>Unsized</title><style>img {{ max-width: 100% }}</style></head>\
             <body><img src=\"images/{jpeg}\" alt=\"\"><p>Text below.</p></body></html>"
        ),
    )
    .expect("write page");
    with_axe(&sizeless, &axe);
    let html = browser.render(&sizeless, 390, "data-violations");
    assert_ne!(
        body_data(&html, "data-shifted"),
        "0",
        "a picture without a size moved nothing: the measure is broken"
    );
}

/// Test-only layout: after loading, the page writes onto `<body>`, as JSON, how it lies out
/// sideways: its overflow, the computed direction of its text, where the first line of its first
/// paragraph, and of its table's first heading cell, starts and ends within it, the indent of its
/// first list on each side, the left edges of the first and last cells of
/// its table's first row and of its first two navigation links, of its search box and button,
/// of the front page's main column and rail, the direction of its code block and where its
/// first line starts, the transform of the arrow of "Earlier stories", how the first date of the
/// front page's latest stories takes its direction and how far it stays from the right, the gap
/// between the lead story's date and its "Updated" date.
const RTL_MEASURING_BASE: &str = r#"{% extends "gazette/base.html" %}
{% block head %}{{ super() }}<script>
addEventListener('load', () => {
  const page = document.scrollingElement;
  const left = (selector) => {
    const el = document.querySelector(selector);
    return el && el.getBoundingClientRect().left;
  };
  // The first line box of `el` against its content box: how far the line stays from each side.
  const firstLine = (el) => {
    if (!el) return null;
    const range = document.createRange();
    range.selectNodeContents(el);
    const line = range.getClientRects()[0];
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const px = (name) => parseFloat(style[name]);
    return {
      fromLeft: line.left - (box.left + px('borderLeftWidth') + px('paddingLeft')),
      fromRight: (box.right - px('borderRightWidth') - px('paddingRight')) - line.right,
    };
  };
  const paragraph = document.querySelector('.content > p, .lead-summary');
  const pre = document.querySelector('pre');
  const arrow = document.querySelector('.more-link [aria-hidden="true"]');
  const date = document.querySelector('.latest-list time');
  const published = document.querySelector('.lead-story .summary-meta > time');
  const updated = document.querySelector('.lead-story .summary-updated');
  document.body.dataset.layout = JSON.stringify({
    overflow: page.scrollWidth - page.clientWidth,
    direction: paragraph && getComputedStyle(paragraph).direction,
    paragraph: firstLine(paragraph),
    firstCell: left('.content tr:first-child > :first-child'),
    lastCell: left('.content tr:first-child > :last-child'),
    firstNav: left('.site-nav li:nth-child(1)'),
    secondNav: left('.site-nav li:nth-child(2)'),
    searchInput: left('.header-search input'),
    searchButton: left('.header-search button'),
    frontMain: left('.front-main'),
    frontRail: left('.front-latest'),
    heading: firstLine(document.querySelector('.content th')),
    listIndent: (() => {
      const list = document.querySelector('.content ul');
      return list && { left: parseFloat(getComputedStyle(list).paddingLeft),
        right: parseFloat(getComputedStyle(list).paddingRight) };
    })(),
    codeDirection: pre && getComputedStyle(pre).direction,
    code: firstLine(pre),
    arrow: arrow && getComputedStyle(arrow).transform,
    date: date && {
      bidi: getComputedStyle(date).unicodeBidi,
      fromRight: date.parentElement.getBoundingClientRect().right - date.getBoundingClientRect().right,
    },
    updatedGap: published && updated && (() => {
      const [p, u] = [published.getBoundingClientRect(), updated.getBoundingClientRect()];
      return Math.min(Math.abs(u.left - p.right), Math.abs(p.left - u.right));
    })(),
  });
});
</script>{% endblock head %}
"#;

/// What `RTL_MEASURING_BASE` wrote about each of `pages` in a viewport `width` pixels wide.
fn layouts(browser: &Chromium, pages: &[&Path], width: u32) -> Vec<serde_json::Value> {
    (browser.render_all(pages, width, &[], "data-layout").iter())
        .map(|html| serde_json::from_str(&body_data(html, "data-layout")).expect("its JSON"))
        .collect()
}

fn number(layout: &serde_json::Value, pointer: &str) -> f64 {
    layout
        .pointer(pointer)
        .and_then(serde_json::Value::as_f64)
        .unwrap_or_else(|| panic!("no {pointer} in {layout}"))
}

#[test]
fn an_arabic_site_reads_right_to_left_at_phone_and_desktop_widths() {
    let test = "an_arabic_site_reads_right_to_left_at_phone_and_desktop_widths";
    let Some(browser) = Chromium::start(test) else {
        return;
    };
    let site = common::arabic::arabic_site("ar");
    let public = build_for_file_urls(&site, RTL_MEASURING_BASE);
    let article = public.join(common::arabic::ARTICLE);
    let home = public.join("index.html");
    for width in [390, 1366] {
        let [found_article, found_home] =
            <[serde_json::Value; 2]>::try_from(layouts(&browser, &[&article, &home], width))
                .expect("two layouts");
        for (name, found) in [
            ("the article", &found_article),
            ("the front page", &found_home),
        ] {
            let at = format!("{name} at {width} px");
            assert_eq!(number(found, "/overflow"), 0.0, "{at}: overflow");
            assert_eq!(found["direction"], "rtl", "{at}: {found}");
            // Right-aligned: the first line ends at the paragraph's right edge.
            assert!(
                number(found, "/paragraph/fromRight").abs() < 1.5,
                "{at}: the first line of text does not start at the right: {found}"
            );
            assert!(
                number(found, "/firstNav") > number(found, "/secondNav"),
                "{at}: the first section link is not right of the second: {found}"
            );
            assert!(
                number(found, "/searchInput") > number(found, "/searchButton"),
                "{at}: the search box is not right of its button: {found}"
            );
        }
        let at = format!("the front page at {width} px");
        // A date in another script keeps its own order, and its block keeps to the right.
        assert_eq!(
            found_home["date"]["bidi"], "plaintext",
            "{at}: {found_home}"
        );
        assert!(
            number(&found_home, "/date/fromRight").abs() < 1.5,
            "{at}: the date of a latest story is not at the right: {found_home}"
        );
        // The date's own direction moves nothing around it: "Updated" stays beside it.
        assert!(
            number(&found_home, "/updatedGap") < 30.0,
            "{at}: the lead's update date is pushed away from its date: {found_home}"
        );
        // Flipped: "Earlier stories →" points left, the way the page reads onward.
        assert_eq!(
            found_home["arrow"], "matrix(-1, 0, 0, 1, 0, 0)",
            "{at}: the arrow of the link to earlier stories: {found_home}"
        );
        let found = &found_article;
        let at = format!("the article at {width} px");
        assert!(
            number(found, "/paragraph/fromLeft") > 40.0,
            "{at}: the short first paragraph reaches the left edge: {found}"
        );
        assert!(
            number(found, "/firstCell") > number(found, "/lastCell"),
            "{at}: the timeline's first column is not on the right: {found}"
        );
        assert!(
            number(found, "/heading/fromRight").abs() < 1.5,
            "{at}: the timeline's headings are not right-aligned: {found}"
        );
        assert!(
            number(found, "/listIndent/right") > 0.0 && number(found, "/listIndent/left") == 0.0,
            "{at}: the list is not indented on the right: {found}"
        );
        assert_eq!(found["codeDirection"], "ltr", "{at}: {found}");
        assert!(
            number(found, "/code/fromLeft").abs() < 1.5,
            "{at}: the code block's line does not start at the left: {found}"
        );
        if width == 1366 {
            assert!(
                number(&found_home, "/frontMain") > number(&found_home, "/frontRail"),
                "the front page's main column is not right of its rail: {found_home}"
            );
        }
    }

    // The measure can fail: the same pages left to right start their lines at the left.
    let site = common::arabic::arabic_site("en");
    let public = build_for_file_urls(&site, RTL_MEASURING_BASE);
    let article = public.join(common::arabic::ARTICLE);
    let home = public.join("index.html");
    let [found, found_home] =
        <[serde_json::Value; 2]>::try_from(layouts(&browser, &[&article, &home], 1366))
            .expect("two");
    assert_eq!(found["direction"], "ltr", "{found}");
    assert!(number(&found, "/paragraph/fromRight") > 40.0, "{found}");
    assert!(
        number(&found, "/firstCell") < number(&found, "/lastCell"),
        "{found}"
    );
    assert!(number(&found, "/heading/fromRight") > 10.0, "{found}");
    assert_eq!(number(&found, "/listIndent/right"), 0.0, "{found}");
    assert!(
        number(&found, "/firstNav") < number(&found, "/secondNav"),
        "{found}"
    );
    assert!(
        number(&found_home, "/frontMain") < number(&found_home, "/frontRail"),
        "{found_home}"
    );
    assert_eq!(found_home["arrow"], "none", "{found_home}");
    assert!(
        number(&found_home, "/date/fromRight") > 40.0,
        "{found_home}"
    );
    assert!(number(&found_home, "/updatedGap") < 30.0, "{found_home}");
}
