//! A site deployed under a sub-path works: the example site is built for
//! `http://127.0.0.1:PORT/news/`, served from a folder holding only `news/`, and every internal
//! link and asset of every page is fetched over HTTP.

use crate::common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use common::attrs;
use scraper::Html;

/// Where a page links: anchors, stylesheets and other links, images, scripts, and the absolute
/// URLs of its head (canonical is a link; Open Graph are metas).
const LINKS: &[(&str, &str)] = &[
    ("a[href]", "href"),
    ("link[href]", "href"),
    ("img[src]", "src"),
    ("script[src]", "src"),
    ("meta[property='og:url']", "content"),
    ("meta[property='og:image']", "content"),
];

#[test]
fn sub_path_deploy_serves_every_internal_link_and_asset() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let origin = format!("http://{}", listener.local_addr().expect("addr"));
    let served = tempfile::tempdir().expect("temp dir");
    let status = common::gazette()
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--base-url"])
        .arg(format!("{origin}/news/"))
        .arg("--output")
        .arg(served.path().join("news"))
        .status()
        .expect("run gazette");
    assert!(status.success());
    let root = served.path().to_path_buf();
    std::thread::spawn(move || static_server(listener, &root));

    let mut targets = BTreeSet::new();
    let pages = html_pages(&served.path().join("news"));
    for page in &pages {
        let url = page_url(served.path(), page);
        let html = Html::parse_document(&std::fs::read_to_string(page).expect("read"));
        for (selector, attr) in LINKS {
            for link in attrs(&html, selector, attr) {
                if let Some(path) = internal_path(&origin, &url, &link) {
                    targets.insert((path, url.clone()));
                }
            }
        }
    }
    let paths: BTreeSet<&String> = targets.iter().map(|(path, _)| path).collect();
    // The crawl reaches every page, so every page's links were followed; but for the redirect
    // pages at old URLs (`aliases`), which nothing links any more, their own links followed.
    for page in &pages {
        let url = page_url(served.path(), page);
        let redirect = std::fs::read_to_string(page)
            .expect("read")
            .contains("http-equiv=\"refresh\"");
        assert!(
            url.ends_with("404.html") || redirect || paths.contains(&url),
            "{url} is linked from nowhere"
        );
    }
    for asset in [
        "/news/style.css",
        "/news/images/velmora-port.svg",
        "/news/2026/03/06/velmora-dockworkers-walk-out/",
    ] {
        assert!(paths.contains(&asset.to_string()), "{asset} not linked");
    }
    let broken: Vec<String> = paths
        .iter()
        .filter(|path| common::raw_get(origin.trim_start_matches("http://"), path).0 != 200)
        .map(|path| {
            let from: Vec<&str> = targets
                .iter()
                .filter(|(p, _)| p == *path)
                .map(|(_, page)| page.as_str())
                .collect();
            format!("{path} (linked from {})", from.join(", "))
        })
        .collect();
    assert!(broken.is_empty(), "not served:\n{}", broken.join("\n"));
}

fn html_pages(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect()
}

/// The URL path a file is served at: `/news/a/index.html` is `/news/a/`.
fn page_url(root: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(root).expect("inside");
    let path = format!("/{}", relative.to_string_lossy().replace('\\', "/"));
    path.strip_suffix("index.html").unwrap_or(&path).to_string()
}

/// The path `link` on the page at `page` asks our server for, without query and fragment;
/// none for other sites and for links within the page.
fn internal_path(origin: &str, page: &str, link: &str) -> Option<String> {
    let link = link.split(['#', '?']).next().unwrap_or_default();
    let path = if let Some(rest) = link.strip_prefix(origin) {
        rest.to_string()
    } else if link.is_empty() || link.starts_with("//") || link.contains(':') {
        return None;
    } else if link.starts_with('/') {
        link.to_string()
    } else {
        format!("{}{link}", &page[..=page.rfind('/').expect("a path")])
    };
    Some(normalize(&path))
}

/// Resolves `.` and `..` segments as a browser would.
fn normalize(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for segment in path.split('/').skip(1) {
        match segment {
            "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

/// A minimal static file server over `root`, as a web host would serve the output: a path
/// ending in `/` is that folder's index.html, and nothing outside `root` is reachable.
fn static_server(listener: TcpListener, root: &Path) {
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        let mut request = String::new();
        let mut reader = BufReader::new(&stream);
        if reader.read_line(&mut request).is_err() {
            continue;
        }
        // Headers end at the first empty line; nothing in them matters here.
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
            line.clear();
        }
        let target = request.split_whitespace().nth(1).unwrap_or("/");
        let file = if target.ends_with('/') {
            format!("{target}index.html")
        } else {
            target.to_string()
        };
        let body = (!file.split('/').any(|s| s == ".."))
            .then(|| std::fs::read(root.join(file.trim_start_matches('/'))).ok())
            .flatten();
        let head = match &body {
            Some(bytes) => format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n", bytes.len()),
            None => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n".to_string(),
        };
        let _ = stream.write_all(format!("{head}Connection: close\r\n\r\n").as_bytes());
        let _ = stream.write_all(&body.unwrap_or_default());
    }
}
