//! `gazette serve`: builds the site into memory, serves it over HTTP, and rebuilds what a
//! change touches on every save, telling open pages to reload.
//!
//! Nothing is written to disk: pages and static/ are held in memory, so a preview can never
//! clobber the output folder, and no request reaches the file system at all, so no path, link
//! or encoding trick can read a file outside the site. A failed rebuild keeps the last good site
//! served and shows its errors over every open page; the server only stops on Ctrl-C.

pub mod connections;
pub mod events;
pub mod indexer;
pub mod rebuild;
pub mod reload;
pub mod watch;

use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use tokio::sync::watch as channel;

use crate::error::Diagnostic;
use crate::walk::Symlinks;
pub use events::{Report, ServeEvent};
use indexer::{Done, Indexer};
use rebuild::{Files, Preview};
use watch::{Changes, Watcher};

/// The port `gazette serve` tries first.
pub const DEFAULT_PORT: u16 = 1111;

/// How many ports after the default one are tried when it is taken.
const PORT_TRIES: u16 = 10;

/// What `gazette serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// None: `DEFAULT_PORT`, or the next free one; 0: any free port.
    pub port: Option<u16>,
    pub drafts: bool,
    pub future: bool,
    /// Where links in content/, templates/ and static/ may lead; the watcher goes through
    /// links only when they may lead anywhere.
    pub symlinks: Symlinks,
    /// Open the site in the user's browser.
    pub open: bool,
}

/// The site as served at one moment: the files of the last good build and, while the latest
/// rebuild failed, its errors.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Counts good builds; a page knows the generation it was served from.
    pub generation: u64,
    pub files: Files,
    pub errors: Arc<Vec<Diagnostic>>,
    /// What changed since the snapshot before, which tells open pages what to do.
    pub change: Change,
}

/// What a snapshot changed from the one before.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Pages, maybe: every page reloads.
    #[default]
    Pages,
    /// Only stylesheets: pages swap them in place.
    Stylesheets,
    /// Only a part of the search index: the search page reloads, for its results to come from
    /// the new index; no other page shows it.
    SearchIndex,
}

/// What the thread that keeps the preview acts on.
enum Input {
    /// A burst of changes to the site's files.
    Changes(Changes),
    /// A part of the search index built in the background.
    Indexed(Done),
}

/// What every request handler shares.
#[derive(Clone)]
struct Shared {
    site: channel::Receiver<Arc<Snapshot>>,
    stop: channel::Receiver<bool>,
}

/// Serves the site until Ctrl-C, telling `report` what happens; fails only when it cannot
/// start (the port is taken, the site cannot be watched).
pub fn serve(options: &ServeOptions, report: Report) -> crate::error::Result<()> {
    let root = std::path::absolute(&options.root).unwrap_or_else(|_| options.root.clone());
    let listener = listen(options.bind, options.port, &report)?;
    let address = listener
        .local_addr()
        .map_err(|e| address_error(options.bind, &e))?;
    let url = local_url(address);
    if !options.bind.is_loopback() {
        report(&ServeEvent::Exposed(address));
    }
    let watcher = Watcher::new(&root, options.symlinks)?;
    let mut preview = Preview::new(
        &root,
        &url,
        options.drafts,
        options.future,
        options.symlinks,
    );
    let (inputs, received) = std::sync::mpsc::channel();
    let indexed = inputs.clone();
    let indexer = Indexer::start(move |done| {
        // The thread that takes them stops only with the server.
        let _ = indexed.send(Input::Indexed(done));
    });
    let (sender, site) = channel::channel(Arc::new(Snapshot::default()));
    publish(
        &sender,
        &mut preview,
        &indexer,
        &Changes::everything(),
        &report,
    );
    report(&ServeEvent::Serving { url: url.clone() });
    if options.open
        && let Err(e) = open::that_detached(&url)
    {
        let error = e.to_string();
        report(&ServeEvent::NoBrowser { error, url });
    }
    let rebuilds = report.clone();
    std::thread::spawn(move || watch(watcher, &inputs));
    std::thread::spawn(move || keep(&received, preview, &indexer, &sender, &rebuilds));
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| Diagnostic::error(&root, format!("cannot start the server: {e}"), ""))?;
    runtime
        .block_on(run(listener, site, report.clone()))
        .map_err(|e| address_error(options.bind, &e))?;
    report(&ServeEvent::Stopped);
    Ok(())
}

/// The address pages are built for: the one the browser will use.
fn local_url(address: SocketAddr) -> String {
    let shown = match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => SocketAddr::from(([127, 0, 0, 1], address.port())),
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, address.port()))
        }
        _ => address,
    };
    format!("http://{shown}/")
}

/// Binds the port asked for; without one, `DEFAULT_PORT` or, when that is taken, the next
/// free port, saying so.
fn listen(ip: IpAddr, port: Option<u16>, report: &Report) -> Result<TcpListener, Diagnostic> {
    let first = port.unwrap_or(DEFAULT_PORT);
    match TcpListener::bind((ip, first)) {
        Ok(listener) => Ok(listener),
        Err(e) if e.kind() == io::ErrorKind::AddrInUse => {
            let next = (1..=PORT_TRIES)
                .filter_map(|n| first.checked_add(n))
                .find_map(|p| TcpListener::bind((ip, p)).ok());
            match (port, next) {
                (None, Some(listener)) => {
                    let taken = SocketAddr::from((ip, first));
                    if let Ok(free) = listener.local_addr() {
                        report(&ServeEvent::PortTaken {
                            taken,
                            used: free.port(),
                        });
                    }
                    Ok(listener)
                }
                (_, next) => {
                    let hint = match next.and_then(|l| l.local_addr().ok()) {
                        Some(free) => format!(
                            "stop the program using it, or use another port: --port {} is free",
                            free.port()
                        ),
                        None => {
                            "stop the program using it, or use another port with --port".to_string()
                        }
                    };
                    Err(Diagnostic::error(
                        SocketAddr::from((ip, first)).to_string(),
                        "the port is taken by another program",
                        hint,
                    ))
                }
            }
        }
        Err(e) => Err(address_error(ip, &e)),
    }
}

fn address_error(ip: IpAddr, e: &io::Error) -> Diagnostic {
    Diagnostic::error(
        ip.to_string(),
        format!("cannot listen: {e}"),
        "check the --bind address and --port",
    )
}

/// Sends each burst of changes to `inputs`, for as long as the server runs.
fn watch(mut watcher: Watcher, inputs: &Sender<Input>) {
    while let Ok(changes) = watcher.wait() {
        if !changes.is_empty() && inputs.send(Input::Changes(changes)).is_err() {
            return;
        }
    }
}

/// Keeps the preview for as long as the server runs: rebuilds after each burst of changes
/// (those that came during a rebuild in one more), and serves each part of the search index as
/// soon as it is built.
fn keep(
    received: &Receiver<Input>,
    mut preview: Preview,
    indexer: &Indexer,
    sender: &channel::Sender<Arc<Snapshot>>,
    report: &Report,
) {
    while let Ok(input) = received.recv() {
        let mut changes = Changes::default();
        for input in std::iter::once(input).chain(received.try_iter()) {
            match input {
                Input::Changes(more) => changes.merge(more),
                Input::Indexed(done) => publish_index(sender, &mut preview, done, report),
            }
        }
        if !changes.is_empty() {
            publish(sender, &mut preview, indexer, &changes, report);
        }
    }
}

/// Rebuilds, reports what happened, tells open pages, and has the parts of the search index
/// left to build built in the background.
fn publish(
    sender: &channel::Sender<Arc<Snapshot>>,
    preview: &mut Preview,
    indexer: &Indexer,
    changes: &Changes,
    report: &Report,
) {
    let last = sender.borrow().clone();
    let next = match preview.rebuild(changes) {
        Ok(rebuilt) => {
            if !rebuilt.warnings.is_empty() {
                report(&ServeEvent::Warnings(rebuilt.warnings));
            }
            report(&if last.generation == 0 {
                ServeEvent::Built {
                    files: rebuilt.pages,
                    took: rebuilt.took,
                }
            } else {
                ServeEvent::Rebuilt {
                    changed: changes.count(),
                    parsed: rebuilt.parsed,
                    rendered: rebuilt.rendered,
                    files: rebuilt.pages,
                    took: rebuilt.took,
                }
            });
            Snapshot {
                generation: last.generation + 1,
                files: rebuilt.files,
                errors: Arc::default(),
                change: match changes.only_stylesheets() {
                    true => Change::Stylesheets,
                    false => Change::Pages,
                },
            }
        }
        Err(diagnostics) => {
            let errors: Vec<Diagnostic> =
                diagnostics.into_iter().filter(|d| d.is_error()).collect();
            let errors = Arc::new(errors);
            report(&ServeEvent::RebuildFailed(errors.clone()));
            Snapshot {
                generation: last.generation,
                files: last.files.clone(),
                errors,
                change: Change::Pages,
            }
        }
    };
    sender.send_replace(Arc::new(next));
    indexer.send(preview.search_jobs());
}

/// Serves a part of the search index built in the background, unless a later change replaced
/// it, and says so; the site's errors, if its last rebuild failed, still show.
fn publish_index(
    sender: &channel::Sender<Arc<Snapshot>>,
    preview: &mut Preview,
    done: Done,
    report: &Report,
) {
    let Done { part, took, built } = done;
    let built = match built {
        Ok(built) => built,
        Err(errors) => {
            let errors = errors.sorted();
            return report(&ServeEvent::NotIndexed { part, errors });
        }
    };
    let Some(files) = preview.indexed(built) else {
        return;
    };
    report(&ServeEvent::Indexed { part, took });
    let last = sender.borrow().clone();
    sender.send_replace(Arc::new(Snapshot {
        generation: last.generation + 1,
        files,
        errors: last.errors.clone(),
        change: Change::SearchIndex,
    }));
}

/// Serves until Ctrl-C, then ends every open live-reload stream so that shutdown is quick.
async fn run(
    listener: TcpListener,
    site: channel::Receiver<Arc<Snapshot>>,
    report: Report,
) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let (stopper, stop) = channel::channel(false);
    let app = Router::new()
        .fallback(respond)
        .with_state(Shared { site, stop });
    connections::serve(listener, app, report, async move {
        let _ = tokio::signal::ctrl_c().await;
        let _ = stopper.send(true);
    })
    .await;
    Ok(())
}

async fn respond(State(shared): State<Shared>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = StatusCode::METHOD_NOT_ALLOWED.into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    if uri.path() == reload::EVENTS_PATH {
        return reload::events(shared.site.clone(), shared.stop.clone()).into_response();
    }
    let snapshot = shared.site.borrow().clone();
    match resolve(&snapshot.files, uri.path()) {
        Resolved::File(name, bytes) => file(StatusCode::OK, &name, &bytes, &snapshot),
        Resolved::Folder => {
            let to = match uri.query() {
                Some(query) => format!("{}/?{query}", uri.path()),
                None => format!("{}/", uri.path()),
            };
            let mut response = StatusCode::FOUND.into_response();
            if let Ok(to) = HeaderValue::from_str(&to) {
                response.headers_mut().insert(header::LOCATION, to);
            }
            no_cache(response)
        }
        Resolved::Forbidden => no_cache((StatusCode::FORBIDDEN, "forbidden\n").into_response()),
        Resolved::Missing => not_found(&snapshot),
    }
}

/// What a request path names.
#[derive(Debug, PartialEq, Eq)]
enum Resolved {
    /// A file: its path below the site's root, and its bytes.
    File(PathBuf, Bytes),
    /// A folder asked for without its trailing `/`.
    Folder,
    /// A path that tries to leave the site.
    Forbidden,
    Missing,
}

/// Maps a request path to a served file: `/a/b/` to `a/b/index.html`, after percent-decoding.
/// A `..` or `.` segment, a backslash or a NUL is refused outright rather than normalised, as
/// no link of a site contains one.
fn resolve(files: &Files, path: &str) -> Resolved {
    let Ok(decoded) = percent_decode_str(path).decode_utf8() else {
        return Resolved::Missing;
    };
    let Some(relative) = decoded.strip_prefix('/') else {
        return Resolved::Forbidden;
    };
    let segments: Vec<&str> = relative.split('/').collect();
    let escapes = |s: &&str| matches!(*s, "." | "..") || s.contains(['\\', '\0']);
    if segments.iter().any(escapes) {
        return Resolved::Forbidden;
    }
    let (last, folders) = segments.split_last().unwrap_or((&"", &[]));
    if folders.iter().any(|s| s.is_empty()) {
        return Resolved::Missing;
    }
    let name = Path::new(relative);
    let name = if last.is_empty() {
        name.join("index.html")
    } else {
        name.to_path_buf()
    };
    if let Some(bytes) = files.get(&name) {
        Resolved::File(name, bytes.clone())
    } else if !last.is_empty() && files.get(&name.join("index.html")).is_some() {
        Resolved::Folder
    } else {
        Resolved::Missing
    }
}

/// The site's own 404 page with status 404, or, before any good build, a page that only
/// carries the live-reload script, so that the errors show.
fn not_found(snapshot: &Snapshot) -> Response {
    const NAME: &str = "404.html";
    match snapshot.files.get(Path::new(NAME)) {
        Some(page) => file(StatusCode::NOT_FOUND, NAME, page, snapshot),
        None => {
            let page = Bytes::from_static(
                b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
                  <title>Not found</title></head><body><h1>Not found</h1>\
                  <p>Nothing is served here yet.</p></body></html>",
            );
            file(StatusCode::NOT_FOUND, NAME, &page, snapshot)
        }
    }
}

/// A served file, typed by its extension; HTML pages get the live-reload script.
fn file(
    status: StatusCode,
    name: impl AsRef<Path>,
    bytes: &Bytes,
    snapshot: &Snapshot,
) -> Response {
    let kind = content_type(name.as_ref());
    let body = if kind.starts_with("text/html") {
        let search = name.as_ref() == crate::url::UrlPath::folder(crate::url::SEARCH).output_file();
        Body::from(reload::inject(bytes, snapshot.generation, search))
    } else {
        Body::from(bytes.clone())
    };
    let mut response = (status, body).into_response();
    if let Ok(kind) = HeaderValue::from_str(&kind) {
        response.headers_mut().insert(header::CONTENT_TYPE, kind);
    }
    no_cache(response)
}

/// Every response may change with the next save, so none may be reused without asking.
fn no_cache(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The content type of a file, with `charset=utf-8` for text: gazette writes only UTF-8.
fn content_type(path: &Path) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.subtype().as_str(),
            "javascript" | "json" | "xml" | "atom+xml" | "rss+xml" | "feed+json" | "manifest+json"
        )
        || mime.suffix().is_some_and(|s| s == "xml" || s == "json");
    if textual && mime.get_param("charset").is_none() {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rebuild::FileMap;

    fn files(names: &[&str]) -> Files {
        let pages = names
            .iter()
            .map(|n| (PathBuf::from(n), Bytes::from_static(b"x")))
            .collect();
        Files::new(pages, FileMap::default())
    }

    fn found(name: &str) -> Resolved {
        Resolved::File(name.into(), Bytes::from_static(b"x"))
    }

    #[test]
    fn folders_serve_their_index_and_bare_folder_paths_redirect() {
        let site = files(&["index.html", "world/index.html", "style.css"]);
        assert_eq!(resolve(&site, "/"), found("index.html"));
        assert_eq!(resolve(&site, "/world/"), found("world/index.html"));
        assert_eq!(resolve(&site, "/world"), Resolved::Folder);
        assert_eq!(resolve(&site, "/style.css"), found("style.css"));
        assert_eq!(resolve(&site, "/sty%6Ce.css"), found("style.css"));
        assert_eq!(resolve(&site, "/nope/"), Resolved::Missing);
    }

    #[test]
    fn paths_that_try_to_leave_the_site_are_refused() {
        let site = files(&["index.html", "world/index.html"]);
        for path in [
            "/../etc/passwd",
            "/world/../../x",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc",
            "/world/..%5c..%5cx",
            "/world\\..\\x",
            "/./index.html",
            "/a%00.html",
        ] {
            assert_eq!(resolve(&site, path), Resolved::Forbidden, "{path}");
        }
        assert_eq!(resolve(&site, "//etc/passwd"), Resolved::Missing);
    }

    #[test]
    fn content_types_by_extension() {
        let kind = |name: &str| content_type(Path::new(name));
        assert_eq!(kind("index.html"), "text/html; charset=utf-8");
        assert_eq!(kind("style.css"), "text/css; charset=utf-8");
        assert!(kind("app.js").contains("javascript"));
        assert_eq!(kind("feed.json"), "application/json; charset=utf-8");
        assert!(kind("atom.xml").contains("xml") && kind("atom.xml").ends_with("charset=utf-8"));
        assert_eq!(kind("logo.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(kind("card.png"), "image/png");
        assert_eq!(kind("photo.jpg"), "image/jpeg");
        assert_eq!(kind("font.woff2"), "font/woff2");
        assert_eq!(kind("app.wasm"), "application/wasm");
    }
}
