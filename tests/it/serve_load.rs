//! `gazette serve` under load: hundreds of readers at once while pages hold their live-reload
//! connections open, live-reload connections opened and closed by the thousand, and open pages
//! that stop reading while the site keeps changing. The server's memory, threads and open sockets
//! are read from /proc (Linux only). Every test bounds itself in time and in count, and talks
//! only to 127.0.0.1.

use crate::common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use common::Site;
use common::server::{PATIENCE, Server, Usage, assert_grew_less, note, sockets};

/// Readers fetching pages at once, each on its own kept-alive connection.
const READERS: usize = 300;
/// Open pages, each holding a live-reload connection for the whole test.
const OPEN_PAGES: usize = 100;
/// How long the readers keep fetching.
const LOAD_FOR: Duration = Duration::from_secs(3);
/// The most requests one reader sends, so that a fast machine also stops.
const MAX_REQUESTS_EACH: usize = 400;

/// Live-reload connections opened at once in each round, and the rounds.
const PAGES_EACH_ROUND: usize = 100;
const ROUNDS: usize = 25;
/// Rounds that grow the allocator's pools to what a round needs, before memory is compared.
const WARM_ROUNDS: usize = 5;

/// Broken articles, so that each failed rebuild sends every page an event of some 250 KB.
const BROKEN: usize = 1000;
/// Failed rebuilds while pages do not read: 15 MB of events for each page, more than the
/// kernel holds for a connection on loopback (some 4 MB).
const FAILED_REBUILDS: usize = 60;
/// Pages that stop reading, as a tab in the background or a sleeping laptop does.
const STALLED_PAGES: usize = 20;

/// Connections asked for beyond the server's limit.
const OVER_LIMIT: usize = 50;

/// `news_site` served and asked for one page, or `None` (said out loud) where /proc cannot
/// show what the server uses.
fn served(test: &str) -> Option<(Site, Server)> {
    let site = news_site();
    let server = Server::start(&site, &[]);
    if Usage::at_rest(&server).is_none() {
        common::skipped(test, "there is no /proc to read the server's memory from");
        return None;
    }
    Some((site, server))
}

/// A page's live-reload connection, read raw so that a test holds hundreds cheaply.
struct Page {
    reader: BufReader<TcpStream>,
}

impl Page {
    /// Connects as an open page does and waits for the `hello` event.
    fn open(server: &Server) -> Page {
        let mut page = Page::connect(server);
        page.hello();
        page
    }

    /// Connects and asks for the events, without waiting for an answer.
    fn connect(server: &Server) -> Page {
        let mut stream = TcpStream::connect(server.address()).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
        write!(
            stream,
            "GET /__gazette/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            server.address()
        )
        .expect("send");
        Page {
            reader: BufReader::new(stream),
        }
    }

    fn hello(&mut self) {
        let status = self.line();
        assert!(status.starts_with("HTTP/1.1 200 "), "events: {status}");
        assert_eq!(self.next_event(), "hello");
    }

    /// Whether nothing at all comes within `wait`.
    fn silent_for(&mut self, wait: Duration) -> bool {
        let stream = self.reader.get_ref();
        stream.set_read_timeout(Some(wait)).expect("timeout");
        let silent = self.reader.fill_buf().is_err();
        self.reader
            .get_ref()
            .set_read_timeout(Some(PATIENCE))
            .expect("timeout");
        silent
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        let read = self.reader.read_line(&mut line).expect("read an event");
        assert!(read > 0, "the server closed a live-reload connection");
        line.trim_end().to_string()
    }

    /// The name of the next event.
    fn next_event(&mut self) -> String {
        loop {
            if let Some(name) = self.line().strip_prefix("event: ") {
                return name.to_string();
            }
        }
    }
}

/// The most sockets the server had open at once, sampled every 20 ms.
struct PeakSockets {
    stop: Arc<AtomicBool>,
    sampler: std::thread::JoinHandle<usize>,
}

impl PeakSockets {
    fn sample(server: &Server) -> PeakSockets {
        let stop = Arc::new(AtomicBool::new(false));
        let (stopped, pid) = (stop.clone(), server.pid());
        let sampler = std::thread::spawn(move || {
            let mut peak = 0;
            while !stopped.load(Ordering::Relaxed) {
                peak = peak.max(sockets(pid).unwrap_or(0));
                std::thread::sleep(Duration::from_millis(20));
            }
            peak
        });
        PeakSockets { stop, sampler }
    }

    fn stop(self) -> usize {
        self.stop.store(true, Ordering::Relaxed);
        self.sampler.join().expect("sampler")
    }
}

fn front(title: &str) -> String {
    format!("title: \"{title}\"\ndate: 2026-03-14\nauthor: wirebot\ntags: [shipping]")
}

/// A small site with pages, an asset, feeds and a 404 page.
fn news_site() -> Site {
    let site = Site::new();
    for (name, title) in [("port", "Port strike ends"), ("ferry", "Ferry restored")] {
        site.article("world", name, &front(title), "Dockers vote.\n\nBoats run.");
    }
    site.write("static/extra.css", "body { color: black; }\n");
    site
}

/// What readers ask for: pages, folders, an asset, feeds, a redirect and missing pages.
const PATHS: [&str; 12] = [
    "/",
    "/2026/03/14/port/",
    "/2026/03/14/ferry/",
    "/world/",
    "/tags/shipping/",
    "/extra.css",
    "/style.css",
    "/atom.xml",
    "/feed.json",
    "/sitemap.xml",
    "/world",
    "/no/such/page/",
];

/// A reader's agent: one kept-alive connection, redirects and error statuses returned as they
/// are.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(PATIENCE))
        .build()
        .into()
}

/// The status and body of `path`, or what went wrong.
fn fetch(agent: &ureq::Agent, url: &str) -> Result<(u16, Vec<u8>), String> {
    let response = agent.get(url).call().map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let body = response
        .into_body()
        .read_to_vec()
        .map_err(|e| e.to_string())?;
    Ok((status, body))
}

/// Fetches `PATHS` in turn from `readers` threads at once, each on its own connection, for
/// `LOAD_FOR` or `MAX_REQUESTS_EACH` requests; returns how many were sent and every answer that
/// was not `expected`.
fn load(
    server: &Server,
    readers: usize,
    expected: &Arc<BTreeMap<String, (u16, Vec<u8>)>>,
) -> (usize, Vec<String>) {
    let start = Arc::new(Barrier::new(readers));
    let threads: Vec<_> = (0..readers)
        .map(|n| {
            let (start, expected) = (start.clone(), expected.clone());
            let base = server.url.trim_end_matches('/').to_string();
            std::thread::spawn(move || {
                let agent = agent();
                start.wait();
                let began = Instant::now();
                let mut wrong = Vec::new();
                let mut sent = 0;
                while began.elapsed() < LOAD_FOR && sent < MAX_REQUESTS_EACH {
                    let path = PATHS[(n + sent) % PATHS.len()];
                    sent += 1;
                    match fetch(&agent, &format!("{base}{path}")) {
                        Ok(answer) if answer == expected[path] => {}
                        Ok((status, body)) => {
                            wrong.push(format!("{path}: status {status}, {} bytes", body.len()))
                        }
                        Err(e) => wrong.push(format!("{path}: {e}")),
                    }
                }
                (sent, wrong)
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().expect("reader")).fold(
        (0, Vec::new()),
        |(sent, mut wrong), (s, w)| {
            wrong.extend(w);
            (sent + s, wrong)
        },
    )
}

#[test]
fn hundreds_of_readers_with_pages_open_get_every_answer_in_bounded_memory() {
    let Some((site, server)) = served("hundreds_of_readers") else {
        return;
    };
    let one = agent();
    let expected: BTreeMap<String, (u16, Vec<u8>)> = PATHS
        .iter()
        .map(|path| {
            let answer = fetch(&one, &format!("{}{}", server.url, &path[1..])).expect(path);
            (path.to_string(), answer)
        })
        .collect();
    let statuses: Vec<u16> = expected.values().map(|(status, _)| *status).collect();
    assert!([200, 302, 404].iter().all(|s| statuses.contains(s)));
    let before = Usage::now(&server);

    let mut pages: Vec<Page> = (0..OPEN_PAGES).map(|_| Page::open(&server)).collect();
    let sampling = PeakSockets::sample(&server);
    let began = Instant::now();
    let (sent, wrong) = load(&server, READERS, &Arc::new(expected));
    let took = began.elapsed();
    let during = Usage::now(&server);
    assert!(
        wrong.is_empty(),
        "{} of {sent} answers were wrong, the first: {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(10)]
    );
    assert!(sent >= READERS, "only {sent} requests");

    // The open pages still hear about a rebuild.
    site.article("world", "port", &front("Port strike over"), "Dockers vote.");
    for page in &mut pages {
        assert_eq!(page.next_event(), "reload");
    }
    drop(pages);
    let after = Usage::settled(&server, before, PATIENCE);
    let peak_sockets = sampling.stop();
    note(&format!(
        "{READERS} readers and {OPEN_PAGES} open pages: {sent} requests in {took:.1?} \
         ({:.0}/s); at most {peak_sockets} sockets open; RSS {} KiB before, peak {} KiB, {} KiB \
         after; threads {} before, {} during, {} after",
        sent as f64 / took.as_secs_f64(),
        before.rss_kb,
        during.peak_kb,
        after.rss_kb,
        before.threads,
        during.threads,
        after.threads
    ));
    assert!(
        peak_sockets > OPEN_PAGES + READERS / 2,
        "the connections were open at once: at most {peak_sockets} sockets"
    );
    // A connection costs the server its task and its read and write buffers, 64 KiB each at
    // most (`MAX_HEAD`), and the readers ask for small pages: 400 connections stay well
    // within 128 KiB each.
    let allowed = (OPEN_PAGES + READERS) as u64 * 128;
    assert_grew_less(before.rss_kb, during.peak_kb, allowed, "under load");
}

#[test]
fn thousands_of_live_reload_connections_opened_and_closed_leave_nothing_behind() {
    let Some((_site, server)) = served("thousands_of_live_reload_connections") else {
        return;
    };
    let start = Usage::now(&server);
    let round = || {
        let pages: Vec<Page> = (0..PAGES_EACH_ROUND).map(|_| Page::open(&server)).collect();
        let open = Usage::now(&server);
        assert!(open.sockets > PAGES_EACH_ROUND, "all open at once");
        drop(pages);
        Usage::settled(&server, start, PATIENCE)
    };
    let began = Instant::now();
    let rounds: Vec<Usage> = (0..ROUNDS).map(|_| round()).collect();
    let (warm, last) = (rounds[WARM_ROUNDS - 1], rounds[ROUNDS - 1]);
    note(&format!(
        "{} live-reload connections opened and closed in {ROUNDS} rounds ({:.1?}): RSS {} KiB \
         at start, {} KiB after {WARM_ROUNDS} rounds, {} KiB after the last (peak {} KiB); {} \
         sockets and {} threads at start and {} and {} after",
        PAGES_EACH_ROUND * ROUNDS,
        began.elapsed(),
        start.rss_kb,
        warm.rss_kb,
        last.rss_kb,
        last.peak_kb,
        start.sockets,
        start.threads,
        last.sockets,
        last.threads,
    ));
    // A connection's task, buffers and stream take some kilobytes: if any of that stayed
    // behind, 2,000 connections would leave megabytes. The allocator itself wanders by a few
    // hundred KiB after warming up.
    assert_grew_less(
        warm.rss_kb,
        last.rss_kb,
        2048,
        "over connections opened and closed",
    );
}

#[test]
fn pages_that_stop_reading_make_the_server_hold_only_the_latest_event() {
    let Some((site, server)) = served("pages_that_stop_reading") else {
        return;
    };
    let before = Usage::now(&server);
    let stalled: Vec<Page> = (0..STALLED_PAGES).map(|_| Page::open(&server)).collect();
    let mut reading = Page::open(&server);
    let broken = |n: usize, title: &str| {
        site.write(
            &format!("content/broken/b{n}.md"),
            format!("---\ntitle: [{title}\n---\nBody.\n"),
        );
    };
    for n in 0..BROKEN {
        broken(n, "");
    }
    // The watcher may take the files in more than one rebuild.
    server.wait_printed(&format!("rebuild failed: {BROKEN} errors"), 1);
    assert_eq!(reading.next_event(), "errors");
    let began = Instant::now();
    for round in 1..=FAILED_REBUILDS {
        let failed = server.printed("rebuild failed").len();
        broken(round % BROKEN, &round.to_string());
        server.wait_printed("rebuild failed", failed + 1);
    }
    let took = began.elapsed();
    let during = Usage::now(&server);
    std::fs::remove_dir_all(site.path("content/broken")).expect("fix the site");
    while reading.next_event() != "reload" {}
    drop((stalled, reading));
    let after = Usage::settled(&server, before, PATIENCE);
    note(&format!(
        "{STALLED_PAGES} pages not reading through {FAILED_REBUILDS} failed rebuilds of \
         {BROKEN} errors each ({took:.1?}): RSS {} KiB before, peak {} KiB, {} KiB after",
        before.rss_kb, during.peak_kb, after.rss_kb
    ));
    // Each page is sent the site's latest state when its connection can take it, never a
    // queue of the states it missed: the server holds at most an event or two for each page
    // (some 250 KB each) and the errors themselves, where a queue would hold some 11 MB for
    // each page, what the kernel does not.
    let event_kb = 300;
    let allowed = (STALLED_PAGES * 2 * event_kb + 8 * 1024) as u64;
    assert_grew_less(
        before.rss_kb,
        during.peak_kb,
        allowed,
        "with pages not reading",
    );
}

#[test]
fn beyond_the_connection_limit_new_connections_wait_their_turn() {
    let limit = gazette::serve::connections::MAX_CONNECTIONS;
    if open_files_allowed().is_none_or(|allowed| allowed < 2 * (limit + OVER_LIMIT)) {
        common::skipped(
            "beyond_the_connection_limit",
            "this process may not open enough files (raise `ulimit -n`)",
        );
        return;
    }
    let Some((_site, server)) = served("beyond_the_connection_limit") else {
        return;
    };
    let before = Usage::now(&server);
    let mut pages: Vec<Page> = (0..limit).map(|_| Page::open(&server)).collect();
    let mut waiting: Vec<Page> = (0..OVER_LIMIT).map(|_| Page::connect(&server)).collect();
    for page in &mut waiting {
        assert!(
            page.silent_for(Duration::from_millis(20)),
            "a connection beyond the limit was served"
        );
    }
    let full = Usage::now(&server);
    assert!(
        full.sockets <= 1 + limit,
        "{} sockets open with {limit} connections allowed",
        full.sockets
    );
    pages.truncate(limit - OVER_LIMIT);
    for page in &mut waiting {
        page.hello();
    }
    note(&format!(
        "{} connections asked for, {limit} served at once: {} sockets open, RSS {} KiB before, \
         {} KiB with all served",
        limit + OVER_LIMIT,
        full.sockets,
        before.rss_kb,
        full.rss_kb,
    ));
}

/// This process's limit of open files, from /proc.
fn open_files_allowed() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}
