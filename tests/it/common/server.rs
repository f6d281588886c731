//! A `gazette serve` child process for the serve tests: started on a free port over a fixture
//! site, fetched from with `ureq`, listened to on the live-reload endpoint.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdout, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use scraper::Html;
use serde_json::Value;

use super::Site;

/// How long anything the server does may take before a test gives up.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// A running `gazette serve`, stopped when dropped.
pub struct Server {
    pub child: Child,
    pub url: String,
    /// Every line the server printed so far, stdout and stderr.
    output: Arc<Mutex<Vec<String>>>,
    agent: ureq::Agent,
}

/// One live-reload event: its name and its JSON data.
#[derive(Debug)]
pub struct Event {
    pub name: String,
    pub data: Value,
}

/// A page's connection to the live-reload endpoint.
pub struct Events {
    received: Receiver<Event>,
}

/// What the server did with bytes sent to it raw.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    /// A response: its status, and everything read.
    Status(u16, Vec<u8>),
    /// The connection closed (or was reset) without a response.
    Closed,
}

impl Answer {
    fn of(bytes: Vec<u8>) -> Self {
        let status = bytes
            .strip_prefix(b"HTTP/1.")
            .and_then(|rest| rest.get(2..5))
            .and_then(|code| std::str::from_utf8(code).ok()?.parse().ok());
        match status {
            Some(status) => Answer::Status(status, bytes),
            None if bytes.is_empty() => Answer::Closed,
            None => panic!("not an HTTP response: {}", String::from_utf8_lossy(&bytes)),
        }
    }

    /// The status, if there is a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Answer::Status(status, _) => Some(*status),
            Answer::Closed => None,
        }
    }
}

/// A response, read whole.
pub struct Reply {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", String::as_str)
    }

    pub fn html(&self) -> Html {
        Html::parse_document(&String::from_utf8_lossy(&self.body))
    }
}

impl Server {
    pub fn start(site: &Site, args: &[&str]) -> Server {
        let mut child = super::gazette()
            .arg("serve")
            .args(["--port", "0"])
            .args(args)
            .arg("--root")
            .arg(site.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gazette serve");
        let output = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().expect("stderr");
        collect_lines(stderr, output.clone());
        let url = wait_for_address(child.stdout.take().expect("stdout"), output.clone());
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(PATIENCE))
            .build()
            .into();
        Server {
            child,
            url,
            output,
            agent,
        }
    }

    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path)
    }

    pub fn head(&self, path: &str) -> Reply {
        self.request("HEAD", path)
    }

    pub fn request(&self, method: &str, path: &str) -> Reply {
        let url = format!("{}{}", self.url, path.trim_start_matches('/'));
        let request = ureq::http::Request::builder()
            .method(method)
            .uri(&url)
            .body(())
            .expect("request");
        let response = self
            .agent
            .run(request)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        reply(response)
    }

    /// The `127.0.0.1:PORT` the server listens on.
    pub fn address(&self) -> &str {
        self.url.trim_start_matches("http://").trim_end_matches('/')
    }

    /// The server's process id, to read its use of memory and files in `/proc`.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `GET target` with the target exactly as written (see `super::raw_get`).
    pub fn raw(&self, target: &str) -> (u16, Vec<u8>) {
        super::raw_get(self.address(), target)
    }

    /// Sends `request` byte for byte on a new connection, then reads until the server closes
    /// it, failing the test if it does not within `PATIENCE`.
    pub fn send_raw(&self, request: &[u8]) -> Answer {
        let mut stream = TcpStream::connect(self.address()).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
        // The server may answer and close before reading everything, and then the rest of a
        // large request cannot be sent: what counts is what comes back.
        let _ = stream.write_all(request);
        let mut answer = Vec::new();
        match stream.read_to_end(&mut answer) {
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
            Err(e) => panic!("the server neither answered nor closed the connection: {e}"),
        }
        Answer::of(answer)
    }

    /// Connects to the live-reload endpoint, as an open page does.
    pub fn events(&self) -> Events {
        let response = self
            .agent
            .get(format!("{}__gazette/events", self.url))
            .config()
            .timeout_global(None)
            .build()
            .call()
            .expect("connect to the events");
        assert_eq!(
            response.headers()["content-type"],
            "text/event-stream",
            "the live-reload endpoint speaks Server-Sent Events"
        );
        let (sender, received) = channel();
        let body = response.into_body().into_reader();
        std::thread::spawn(move || {
            let mut name = String::new();
            for line in BufReader::new(body).lines() {
                let Ok(line) = line else { return };
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(data) = line.strip_prefix("data: ") {
                    let data = serde_json::from_str(data).expect("event data is JSON");
                    let event = Event {
                        name: std::mem::take(&mut name),
                        data,
                    };
                    if sender.send(event).is_err() {
                        return;
                    }
                }
            }
        });
        Events { received }
    }

    /// The lines printed so far that start with `prefix`.
    pub fn printed(&self, prefix: &str) -> Vec<String> {
        let lines = self.output.lock().expect("output");
        lines
            .iter()
            .filter(|l| l.starts_with(prefix))
            .cloned()
            .collect()
    }

    /// Waits until the server has printed a line starting with `prefix`.
    pub fn wait_printed(&self, prefix: &str, count: usize) {
        let started = Instant::now();
        while self.printed(prefix).len() < count {
            assert!(
                started.elapsed() < PATIENCE,
                "the server never printed {count} `{prefix}` lines; it printed:\n{}",
                self.output.lock().expect("output").join("\n")
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Events {
    /// The next event, failing the test if none comes.
    pub fn next(&self) -> Event {
        self.received
            .recv_timeout(PATIENCE)
            .expect("no live-reload event came")
    }

    /// Whether an event comes within `wait`.
    pub fn quiet_for(&self, wait: Duration) -> Option<Event> {
        self.received.recv_timeout(wait).ok()
    }
}

fn reply(response: ureq::http::Response<ureq::Body>) -> Reply {
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let body = response
        .into_body()
        .with_config()
        .limit(100 * 1024 * 1024)
        .read_to_vec()
        .expect("body");
    Reply {
        status,
        headers,
        body,
    }
}

pub fn collect_lines(from: impl Read + Send + 'static, into: Arc<Mutex<Vec<String>>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines().map_while(Result::ok) {
            into.lock().expect("output").push(line);
        }
    });
}

/// Reads stdout up to the line that gives the address, then keeps collecting it.
fn wait_for_address(stdout: ChildStdout, output: Arc<Mutex<Vec<String>>>) -> String {
    let mut lines = BufReader::new(stdout);
    let started = Instant::now();
    loop {
        let mut line = String::new();
        let read = lines.read_line(&mut line).expect("read stdout");
        assert!(
            read > 0 && started.elapsed() < PATIENCE,
            "the server stopped before giving its address:\n{}",
            output.lock().expect("output").join("\n")
        );
        let line = line.trim_end().to_string();
        output.lock().expect("output").push(line.clone());
        if let Some(rest) = line.strip_prefix("serving the site at ") {
            let url = rest.split(' ').next().expect("url").to_string();
            collect_lines(lines.into_inner(), output);
            return url;
        }
    }
}

/// Prints a measurement where it will be seen, as `super::skipped` does.
pub fn note(text: &str) {
    let _ = writeln!(std::io::stderr(), "{text}");
}

/// What the server process uses, from /proc.
#[derive(Debug, Clone, Copy)]
pub struct Usage {
    /// Resident memory now and at its peak, in KiB.
    pub rss_kb: u64,
    pub peak_kb: u64,
    pub threads: u64,
    /// Open sockets: the listening one and a connection each.
    pub sockets: usize,
}

impl Usage {
    /// `None` where there is no /proc to read.
    pub fn of(server: &Server) -> Option<Usage> {
        let pid = server.pid();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let field = |name: &str| -> Option<u64> {
            let line = status.lines().find(|l| l.starts_with(name))?;
            line.split_whitespace().nth(1)?.parse().ok()
        };
        Some(Usage {
            rss_kb: field("VmRSS:")?,
            peak_kb: field("VmHWM:")?,
            threads: field("Threads:")?,
            sockets: sockets(pid)?,
        })
    }

    /// What the server uses at rest: with its runtime up after one request (on a connection
    /// closed after it), and every connection closed. `None` where there is no /proc to read.
    pub fn at_rest(server: &Server) -> Option<Usage> {
        server.raw("/");
        let first = Usage::of(server)?;
        Some(Usage::settled(server, first, PATIENCE))
    }

    pub fn now(server: &Server) -> Usage {
        Usage::of(server).expect("/proc is readable")
    }

    /// Waits up to `patience` until the server has closed every connection, keeping only its
    /// listening socket, and has no more threads than `baseline`.
    pub fn settled(server: &Server, baseline: Usage, patience: Duration) -> Usage {
        let started = Instant::now();
        loop {
            let now = Usage::now(server);
            if now.sockets == 1 && now.threads <= baseline.threads {
                return now;
            }
            assert!(
                started.elapsed() < patience,
                "the server still holds {} sockets and {} threads, against 1 and {} at rest",
                now.sockets,
                now.threads,
                baseline.threads
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Fails the test if memory grew from `from_kb` to `to_kb` by `allowed_kb` or more.
pub fn assert_grew_less(from_kb: u64, to_kb: u64, allowed_kb: u64, when: &str) {
    let grown = to_kb.saturating_sub(from_kb);
    assert!(
        grown < allowed_kb,
        "memory grew by {grown} KiB {when}, from {from_kb} KiB; at most {allowed_kb} KiB expected"
    );
}

/// The TCP sockets the server holds: the file descriptors whose socket is listed in the
/// kernel's TCP tables (the others are the runtime's own).
pub fn sockets(pid: u32) -> Option<usize> {
    let mut tcp = std::collections::HashSet::new();
    for table in ["tcp", "tcp6"] {
        let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/net/{table}")) else {
            continue;
        };
        // Each line after the heading: ... uid timeout inode ...; the inode is the tenth field.
        tcp.extend(
            text.lines()
                .skip(1)
                .filter_map(|line| line.split_whitespace().nth(9).map(str::to_string)),
        );
    }
    let files = std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?;
    let is_tcp = |file: &std::fs::DirEntry| {
        std::fs::read_link(file.path()).is_ok_and(|to| {
            let to = to.to_string_lossy();
            to.strip_prefix("socket:[")
                .and_then(|rest| rest.strip_suffix(']'))
                .is_some_and(|inode| tcp.contains(inode))
        })
    };
    Some(files.filter_map(Result::ok).filter(is_tcp).count())
}
