//! Live reload: a Server-Sent Events endpoint that tells open pages about each rebuild, the
//! small script injected into served HTML pages (never into files on disk) that listens to it,
//! and the overlay that script shows while the site has errors.

use std::convert::Infallible;
use std::sync::Arc;

use axum::response::sse::{Event, KeepAlive, Sse};
use serde::Serialize;
use tokio::sync::watch;
use tokio_stream::wrappers::WatchStream;
use tokio_stream::{Stream, StreamExt};

use super::{Change, Snapshot};
use crate::error::Diagnostic;

/// Where pages listen; `__` cannot begin a slug, so no page of a site has this address.
pub const EVENTS_PATH: &str = "/__gazette/events";

/// The events of the endpoint, each with the generation of the site it is about:
/// `hello` on connecting (the page reloads if it is older), `reload` after a rebuild, `css`
/// after a rebuild that only changed stylesheets, `search` when a part of the search index
/// built in the background is served (only the search page reloads), and `errors` while a
/// rebuild has failed.
#[derive(Debug, Serialize)]
struct Message<'a> {
    generation: u64,
    errors: Vec<ErrorView<'a>>,
}

/// One error as the overlay shows it.
#[derive(Debug, Serialize)]
struct ErrorView<'a> {
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
    hint: &'a str,
    /// The whole line, as the terminal prints it.
    text: String,
}

impl<'a> ErrorView<'a> {
    fn new(d: &'a Diagnostic) -> Self {
        Self {
            file: d.file.display().to_string(),
            line: d.position.map(|p| p.line),
            column: d.position.map(|p| p.column),
            message: &d.message,
            hint: &d.hint,
            text: d.to_string(),
        }
    }
}

/// The event stream of one open page: the state of the site now, then each change, until
/// `stop` says the server is shutting down.
pub fn events(
    site: watch::Receiver<Arc<Snapshot>>,
    stop: watch::Receiver<bool>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut first = true;
    let states = WatchStream::new(site).map(move |snapshot| {
        let name = match (first, snapshot.errors.is_empty(), snapshot.change) {
            (_, false, _) => "errors",
            (true, true, _) => "hello",
            (false, true, Change::Stylesheets) => "css",
            (false, true, Change::SearchIndex) => "search",
            (false, true, Change::Pages) => "reload",
        };
        first = false;
        Some(event(name, &snapshot))
    });
    let stopping = WatchStream::from_changes(stop).map(|_| None);
    let stream = states
        .merge(stopping)
        .take_while(Option::is_some)
        .map(|e| Ok(e.unwrap_or_default()));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn event(name: &str, snapshot: &Snapshot) -> Event {
    let message = Message {
        generation: snapshot.generation,
        errors: snapshot.errors.iter().map(ErrorView::new).collect(),
    };
    let data = serde_json::to_string(&message).unwrap_or_else(|_| "{}".into());
    Event::default().event(name).data(data)
}

/// The script every served HTML page gets, for the site's `generation` it was served from;
/// `search` for the search page, which shows the search index.
pub fn script(generation: u64, search: bool) -> String {
    format!(
        "<script data-gazette-live-reload>\n(() => {{\nlet generation = {generation};\n\
         const searchPage = {search};\n\
         const events = new EventSource({EVENTS_PATH:?});\n{SCRIPT}}})();\n</script>\n"
    )
}

/// The listener: reloads on a newer site, swaps stylesheets when only they changed, reloads
/// the search page alone when only the search index changed, and shows each error in an
/// overlay built with `textContent`, so no message can inject markup.
const SCRIPT: &str = r#"const overlayId = '__gazette_errors';
function hideErrors() {
  const old = document.getElementById(overlayId);
  if (old) old.remove();
}
function showErrors(errors) {
  hideErrors();
  const box = document.createElement('div');
  box.id = overlayId;
  box.setAttribute('role', 'alert');
  box.style.cssText = 'position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;' +
    'padding:1.5rem;background:rgba(20,0,0,.92);color:#fff;font:14px/1.5 monospace';
  const title = document.createElement('h2');
  title.textContent = 'gazette: the site has ' + errors.length +
    (errors.length === 1 ? ' error' : ' errors') + '; still showing the last good build';
  box.append(title);
  const list = document.createElement('ul');
  for (const e of errors) {
    const item = document.createElement('li');
    item.className = 'gazette-error';
    const place = document.createElement('strong');
    place.className = 'gazette-error-place';
    place.textContent = e.file + (e.line ? ':' + e.line + ':' + e.column : '');
    const message = document.createElement('span');
    message.className = 'gazette-error-message';
    message.textContent = ' ' + e.message + (e.hint ? ' (' + e.hint + ')' : '');
    item.append(place, message);
    list.append(item);
  }
  box.append(list);
  document.body.append(box);
}
function swapStylesheets(to) {
  for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
    const url = new URL(link.href);
    url.searchParams.set('gazette', to);
    link.href = url.href;
  }
}
function listen(name, act) {
  events.addEventListener(name, (e) => act(JSON.parse(e.data)));
}
listen('errors', (m) => showErrors(m.errors));
listen('hello', (m) => { hideErrors(); if (m.generation !== generation) location.reload(); });
listen('reload', () => location.reload());
listen('css', (m) => {
  hideErrors();
  if (m.generation === generation + 1) { generation = m.generation; swapStylesheets(generation); }
  else location.reload();
});
listen('search', (m) => {
  if (searchPage || m.generation !== generation + 1) location.reload();
  else generation = m.generation;
});
"#;

/// `html` with the live-reload script before its closing `</body>`, or at its end; `search`
/// for the search page.
pub fn inject(html: &[u8], generation: u64, search: bool) -> Vec<u8> {
    let script = script(generation, search);
    let at = last_body_close(html).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn last_body_close(html: &[u8]) -> Option<usize> {
    const CLOSE: &[u8] = b"</body";
    html.windows(CLOSE.len())
        .rposition(|w| w.eq_ignore_ascii_case(CLOSE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_into_the_body_before_it_closes() {
        let page = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(page, 7, false)).unwrap();
        assert!(out.ends_with("</script>\n</BODY></html>"));
        let html = scraper::Html::parse_document(&out);
        let script = scraper::Selector::parse("body > p + script[data-gazette-live-reload]");
        let script = html.select(&script.unwrap()).next().expect("the script");
        assert!(script.inner_html().contains("let generation = 7;"));
    }

    #[test]
    fn only_the_search_page_is_told_it_shows_the_search_index() {
        let search = String::from_utf8(inject(b"<body></body>", 3, true)).unwrap();
        assert!(search.contains("const searchPage = true;"));
        let other = String::from_utf8(inject(b"<body></body>", 3, false)).unwrap();
        assert!(other.contains("const searchPage = false;"));
    }

    #[test]
    fn pages_without_a_body_get_the_script_at_the_end() {
        let out = String::from_utf8(inject(b"<p>fragment</p>", 1, false)).unwrap();
        assert!(out.starts_with("<p>fragment</p><script"));
    }
}
