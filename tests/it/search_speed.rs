//! How fast search is for a reader, measured in headless Chromium on a running server: the bytes
//! a reader downloads to open `/search/` and for a first query, and the time from typing to the
//! first results. A measurement for performance.md rather than a check, so it is ignored; it is
//! run by hand on a big site (commands in BENCHMARKS.md):
//!
//! ```sh
//! cargo run --release --example gen_site -- 10000 /dev/shm/s10k
//! printf 'search: {enabled: true}\n' >> /dev/shm/s10k/gazette.yaml
//! target/release/gazette serve --root /dev/shm/s10k --port 8111 &
//! SEARCH_SPEED_URL=http://127.0.0.1:8111/ cargo test --release --test it -- \
//!     --ignored --nocapture search_speed
//! ```
//!
//! `SEARCH_SPEED_WORDS` (comma-separated) and `SEARCH_SPEED_RUNS` choose the queries and how many
//! times each is measured, each time in a new browser profile (nothing cached); with
//! `SEARCH_SPEED_KEY_MS` the words are typed a letter at a time at that pace instead of at once.
//!
//! Pagefind fetches its index from a web worker, whose requests the page's resource timing does
//! not list, so the browser reaches the server through a proxy here that counts every response's
//! bytes (headers and body, as Chromium's transferred size does) and the request they answer.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::serve::{browser, wait_for_port};

/// How long the network must stay silent for a page to count as settled.
const QUIET: Duration = Duration::from_millis(800);
/// How long a query may take before it counts as giving nothing.
const PATIENCE: Duration = Duration::from_secs(20);

/// One response through the proxy: the path asked for and the bytes sent back.
#[derive(Clone)]
struct Fetch {
    path: String,
    bytes: u64,
}

/// Every response through the proxy so far, in the order asked.
#[derive(Default)]
struct Meter {
    fetches: Mutex<Vec<Fetch>>,
}

impl Meter {
    fn len(&self) -> usize {
        self.fetches.lock().expect("meter").len()
    }

    fn total(&self) -> u64 {
        let fetches = self.fetches.lock().expect("meter");
        fetches.iter().map(|f| f.bytes).sum()
    }

    fn since(&self, mark: usize) -> Vec<Fetch> {
        self.fetches.lock().expect("meter")[mark..].to_vec()
    }

    /// Waits until no byte has come for `QUIET`.
    async fn settle(&self) {
        let mut last = (self.len(), self.total());
        let mut still = Instant::now();
        while still.elapsed() < QUIET {
            tokio::time::sleep(Duration::from_millis(50)).await;
            let now = (self.len(), self.total());
            if now != last {
                (last, still) = (now, Instant::now());
            }
        }
    }
}

/// A proxy to `upstream` on a free port, counting into `meter`; returns the port.
async fn proxy(upstream: String, meter: Arc<Meter>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy port");
    let port = listener.local_addr().expect("proxy address").port();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let (upstream, meter) = (upstream.clone(), meter.clone());
            tokio::spawn(async move {
                let Ok(server) = TcpStream::connect(&upstream).await else {
                    return;
                };
                // HTTP/1.1 answers a connection's requests in order, so what comes back belongs
                // to the request sent last.
                let current = Mutex::new(None::<usize>);
                let (mut client_in, mut client_out) = client.into_split();
                let (mut server_in, mut server_out) = server.into_split();
                let asked = pump(&mut client_in, &mut server_out, |chunk| {
                    let line = chunk.split(|&b| b == b'\r').next().unwrap_or_default();
                    let line = String::from_utf8_lossy(line);
                    if let Some(path) = line.split(' ').nth(1) {
                        let mut fetches = meter.fetches.lock().expect("meter");
                        fetches.push(Fetch {
                            path: path.to_string(),
                            bytes: 0,
                        });
                        *current.lock().expect("current") = Some(fetches.len() - 1);
                    }
                });
                let answered = pump(&mut server_in, &mut client_out, |chunk| {
                    if let Some(i) = *current.lock().expect("current") {
                        meter.fetches.lock().expect("meter")[i].bytes += chunk.len() as u64;
                    }
                });
                tokio::join!(asked, answered);
            });
        }
    });
    port
}

/// Copies `from` to `to` until either closes, showing each chunk to `seen` first.
async fn pump(
    from: &mut tokio::net::tcp::OwnedReadHalf,
    to: &mut tokio::net::tcp::OwnedWriteHalf,
    mut seen: impl FnMut(&[u8]),
) {
    let mut buffer = vec![0; 64 * 1024];
    while let Ok(n @ 1..) = from.read(&mut buffer).await {
        seen(&buffer[..n]);
        if to.write_all(&buffer[..n]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}

/// Test-only script: watches the results list and notes when the first result shows
/// (`performance.now()`, from the page's start), and types `arguments[0]` into the search field
/// when there is one, at once or a letter each `arguments[1]` milliseconds, noting when the
/// last letter came.
const WATCH_AND_TYPE: &str = r#"
const [word, pace] = arguments;
const list = document.getElementById("search_results");
const input = document.getElementById("search_q");
const speed = window.__speed = { typed: null, shown: null };
const seen = () => list.querySelector(".summary-title a");
// Results of a shorter prefix typed before may still show: only results put there after the
// whole word was typed count.
let fresh = !word;
if (seen() && fresh) speed.shown = performance.now();
new MutationObserver((records, observer) => {
  if (word && (speed.typed === null || input.value !== word)) return;
  if (records.some((r) => r.removedNodes.length)) fresh = true;
  if (speed.shown === null && fresh && seen()) {
    speed.shown = performance.now();
    observer.disconnect();
  }
}).observe(list, { childList: true, subtree: true });
const type = (text) => {
  input.value = text;
  if (text === word) {
    speed.typed = performance.now();
    fresh = !seen();
  }
  input.dispatchEvent(new Event("input", { bubbles: true }));
};
if (word && !pace) type(word);
for (let i = 1; word && pace && i <= word.length; i++) {
  setTimeout(() => type(word.slice(0, i)), (i - 1) * pace);
}
"#;

/// What one measured visit saw.
struct Visit {
    /// Milliseconds from typing (or, for a query in the URL, from the page's start) to the first
    /// result; none when no result came.
    millis: Option<f64>,
    /// What opening the page fetched (until the network settled), then what the query fetched.
    opened: Vec<Fetch>,
    queried: Vec<Fetch>,
}

/// When the reader asks.
#[derive(Clone, Copy)]
enum When {
    /// Types the word once the opened page has settled.
    Settled,
    /// Types the word as soon as the page has loaded.
    AtLoad,
    /// Comes with the word in the URL (`/search/?q=`), as the header's box sends it.
    InUrl,
}

async fn visit(driver: u16, proxy: u16, meter: &Meter, word: &str, when: When, pace: u64) -> Visit {
    let client = browser(driver).await;
    let start = meter.len();
    let page = format!("http://127.0.0.1:{proxy}/search/");
    let typed = match when {
        When::InUrl => {
            client
                .goto(&format!("{page}?q={word}"))
                .await
                .expect("open");
            ""
        }
        When::AtLoad => {
            client.goto(&page).await.expect("open");
            word
        }
        When::Settled => {
            client.goto(&page).await.expect("open");
            meter.settle().await;
            word
        }
    };
    let typing = meter.len();
    let arguments = vec![Value::from(typed), Value::from(pace)];
    (client.execute(WATCH_AND_TYPE, arguments).await).expect("type");
    tokio::time::sleep(Duration::from_millis(pace * word.len() as u64)).await;
    let asked = Instant::now();
    let mut millis = None;
    while millis.is_none() && asked.elapsed() < PATIENCE {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let speed = (client.execute("return window.__speed", vec![]).await).expect("read");
        if let Some(shown) = speed["shown"].as_f64() {
            millis = Some(shown - speed["typed"].as_f64().unwrap_or(0.0));
        }
    }
    meter.settle().await;
    let _ = client.close().await;
    let fetches = meter.since(start);
    let (opened, queried) = fetches.split_at(typing - start);
    Visit {
        millis,
        opened: opened.to_vec(),
        queried: queried.to_vec(),
    }
}

fn kilobytes(fetches: &[Fetch]) -> f64 {
    fetches.iter().map(|f| f.bytes).sum::<u64>() as f64 / 1000.0
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Bytes and count of `fetches` by kind: the file's extension, or the page.
fn by_kind(fetches: &[Fetch]) -> String {
    let mut kinds: BTreeMap<String, (usize, u64)> = BTreeMap::new();
    for fetch in fetches {
        let path = fetch.path.split('?').next().unwrap_or_default();
        let name = path.rsplit('/').next().unwrap_or_default();
        let kind = match name.rsplit_once('.') {
            Some((_, extension)) => extension.to_string(),
            None => "page".to_string(),
        };
        let entry = kinds.entry(kind).or_default();
        *entry = (entry.0 + 1, entry.1 + fetch.bytes);
    }
    (kinds.iter())
        .map(|(kind, (n, bytes))| format!("{kind} {n}x {:.1} KB", *bytes as f64 / 1000.0))
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
#[ignore = "a measurement, run by hand on a big site: see the module's comment"]
fn search_speed() {
    let Ok(url) = std::env::var("SEARCH_SPEED_URL") else {
        println!("search_speed: set SEARCH_SPEED_URL to a served site with search on");
        return;
    };
    let upstream = (url.trim_start_matches("http://").split('/').next())
        .unwrap_or_default()
        .to_string();
    let words = std::env::var("SEARCH_SPEED_WORDS")
        .unwrap_or_else(|_| "pipeline,zennor,lindqvist".to_string());
    let runs: usize = (std::env::var("SEARCH_SPEED_RUNS").ok())
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let pace: u64 = (std::env::var("SEARCH_SPEED_KEY_MS").ok())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let Some((mut driver, driver_port)) = crate::search::chromedriver("search_speed") else {
        return;
    };
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        wait_for_port(driver_port).await;
        let meter = Arc::new(Meter::default());
        let port = proxy(upstream, meter.clone()).await;
        for when in [When::Settled, When::AtLoad, When::InUrl] {
            for word in words.split(',') {
                let mut visits = Vec::new();
                for _ in 0..runs {
                    visits.push(visit(driver_port, port, &meter, word, when, pace).await);
                }
                let times: Vec<f64> = visits.iter().filter_map(|v| v.millis).collect();
                let opened = median(visits.iter().map(|v| kilobytes(&v.opened)).collect());
                let queried = median(visits.iter().map(|v| kilobytes(&v.queried)).collect());
                let (label, from) = match when {
                    When::Settled => ("typed once settled", "typing"),
                    When::AtLoad => ("typed at load", "typing"),
                    When::InUrl => ("in the URL", "the page's start"),
                };
                println!(
                    "{word:>12} {label}: first results {:.0} ms after {from} ({} of {runs} \
                     runs found some); open {opened:.1} KB, query {queried:.1} KB",
                    median(times.clone()),
                    times.len(),
                );
                if let Some(first) = visits.first() {
                    println!("    open:  {}", by_kind(&first.opened));
                    println!("    query: {}", by_kind(&first.queried));
                }
            }
        }
    });
    let _ = driver.kill();
    let _ = driver.wait();
}
