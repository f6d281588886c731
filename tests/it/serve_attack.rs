//! `gazette serve` against hostile requests: paths that try to leave the site in every
//! encoding, oversized and malformed requests, and clients that stall. Requests are sent raw
//! over TCP to 127.0.0.1, as no HTTP client library sends them unaltered.

use crate::common;

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::Site;
use common::server::{Answer, Server, Usage, assert_grew_less, note};
use percent_encoding::percent_decode_str;

/// In a file next to the site's folder.
const SECRET: &str = "TOP-SECRET-42";
/// In a file of the site's folder that a build does not publish.
const PRIVATE: &str = "ROOT-PRIVATE-7";
/// In /etc/passwd.
const PASSWD: &str = "root:x:0:0";

/// A served site with a secret next to its folder and a private file in it.
fn served_next_to_secrets() -> (tempfile::TempDir, Site, Server) {
    let parent = tempfile::tempdir().expect("temp dir");
    std::fs::write(parent.path().join("secret.txt"), SECRET).expect("secret");
    let site = Site::new_in(parent.path());
    site.article(
        "world",
        "port",
        "title: \"Port\"\ndate: 2026-03-14\nauthor: wirebot",
        "Body.",
    );
    site.write("static/ok.txt", "fine");
    site.write("private.txt", PRIVATE);
    let server = Server::start(&site, &[]);
    (parent, site, server)
}

/// Each way of writing `..` that a server, a decoder or a file system has been fooled by.
const DOTS: [&str; 12] = [
    "..",
    "%2e%2e",
    "%2E%2E",
    ".%2e",
    "%2e.",
    "%252e%252e",
    "%c0%ae%c0%ae",
    "%e0%80%ae%e0%80%ae",
    "%ef%bc%8e%ef%bc%8e",
    "%u002e%u002e",
    "..%00",
    "..;",
];

/// Each way of writing a path separator.
const SEPARATORS: [&str; 9] = [
    "/", "%2f", "%2F", "\\", "%5c", "%5C", "%252f", "%c0%af", "//",
];

/// `prefix`, then `depth` steps up, then `file`, for every spelling of a step.
fn climbs(prefix: &str, depth: usize, file: &str) -> Vec<String> {
    DOTS.iter()
        .flat_map(|dots| {
            SEPARATORS
                .iter()
                .map(move |sep| format!("{prefix}{}{file}", format!("{dots}{sep}").repeat(depth)))
        })
        .collect()
}

/// Whether `target`, percent-decoded once as the server does, has a `..` segment.
fn climbs_out(target: &str) -> bool {
    target.starts_with('/')
        && percent_decode_str(target)
            .decode_utf8_lossy()
            .split(['/', '\\'])
            .any(|segment| segment == "..")
}

#[test]
fn paths_in_every_encoding_cannot_read_outside_the_site() {
    let (parent, site, server) = served_next_to_secrets();
    let secret = parent.path().join("secret.txt");
    let secret = secret.display();
    let site_name = site.root().file_name().expect("name").to_string_lossy();
    let mut targets = Vec::new();
    for prefix in ["/", "/2026/03/14/port/"] {
        for (depth, file) in [(1, "private.txt"), (2, "secret.txt"), (6, "secret.txt")] {
            targets.extend(climbs(prefix, depth, file));
        }
        targets.extend(climbs(prefix, 8, "etc/passwd"));
    }
    targets.extend(
        [
            "/etc/passwd",
            "//etc/passwd",
            "///etc/passwd",
            "/%2fetc%2fpasswd",
            "/%2F%2Fetc%2Fpasswd",
            "/%00/etc/passwd",
            "/index.html%00.txt",
            "/private.txt",
            "/private.txt%00",
            "/./private.txt",
            "/%2e/private.txt",
            "/.%2fprivate.txt",
            "/world/./../private.txt",
            "/content/world/port.md",
            "/static/ok.txt",
            "/C:%5cWindows%5cwin.ini",
            "/C:\\Windows\\win.ini",
            "/\\\\localhost\\c$\\secret.txt",
            "http://127.0.0.1/../secret.txt",
            "http://127.0.0.1/%2e%2e/secret.txt",
            "file:///etc/passwd",
            "../secret.txt",
            "secret.txt",
            "*",
        ]
        .map(String::from),
    );
    targets.extend([
        format!("/{secret}"),
        format!("//{secret}"),
        format!("/../{site_name}/../secret.txt"),
        format!("/%2e%2e/{site_name}/private.txt"),
    ]);
    for target in &targets {
        let (status, bytes) = server.raw(target);
        assert!(
            matches!(status, 400 | 403 | 404),
            "{target} got status {status}"
        );
        if climbs_out(target) {
            assert_eq!(status, 403, "{target} climbs out of the site");
        }
        let text = String::from_utf8_lossy(&bytes);
        for canary in [SECRET, PRIVATE, PASSWD] {
            assert!(
                !text.contains(canary),
                "{target} read a file outside the site"
            );
        }
    }
    assert!(targets.len() > 800, "{} paths tried", targets.len());
    assert_eq!(server.get("/ok.txt").body, b"fine", "static/ is served");
}

/// What a malformed request may get: an answer with one of these statuses, or, with `None`
/// among them, the connection closed without one.
struct Case {
    name: &'static str,
    request: Vec<u8>,
    allowed: &'static [Option<u16>],
}

fn case(name: &'static str, request: impl Into<Vec<u8>>, allowed: &'static [Option<u16>]) -> Case {
    Case {
        name,
        request: request.into(),
        allowed,
    }
}

/// A request of `method` with `extra` header lines and a body, asking to close after it.
fn request(method: &str, target: &str, extra: &str, body: &[u8]) -> Vec<u8> {
    let mut bytes = format!(
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{extra}\r\n"
    )
    .into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

#[test]
fn oversized_and_malformed_requests_get_a_client_error_and_the_server_carries_on() {
    const CLIENT_ERROR: &[Option<u16>] = &[Some(400)];
    const TOO_LARGE: &[Option<u16>] = &[Some(414), Some(431), None];
    const NOT_ALLOWED: &[Option<u16>] = &[Some(405)];
    let (_parent, _site, server) = served_next_to_secrets();
    let many_headers: String = (0..1000).map(|i| format!("X-{i}: y\r\n")).collect();
    let garbage: Vec<u8> = (0..100_000u32).map(|i| (i * 7919 % 251) as u8).collect();
    let cases = [
        case(
            "100 KB request line",
            request("GET", &format!("/{}", "a".repeat(100_000)), "", b""),
            TOO_LARGE,
        ),
        case(
            "100 KB of cookies, more than the server's 64 KiB for a request's head",
            request(
                "GET",
                "/",
                &format!("Cookie: a={}\r\n", "b".repeat(100_000)),
                b"",
            ),
            TOO_LARGE,
        ),
        case(
            "1 MB header",
            request(
                "GET",
                "/",
                &format!("X-Big: {}\r\n", "a".repeat(1 << 20)),
                b"",
            ),
            TOO_LARGE,
        ),
        case(
            "1,000 headers",
            request("GET", "/", &many_headers, b""),
            TOO_LARGE,
        ),
        case("100 KB of binary garbage", garbage, &[Some(400), None]),
        case(
            "a TLS handshake",
            b"\x16\x03\x01\x00\xf8\x01\x00\x00\xf4\x03\x03".repeat(20),
            &[Some(400), None],
        ),
        case(
            "an HTTP/2 preface",
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
            &[Some(400), Some(505), None],
        ),
        case("HTTP/0.9", "GET /\r\n\r\n", CLIENT_ERROR),
        case(
            "HTTP/9.9",
            "GET / HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n",
            &[Some(400), Some(505)],
        ),
        case(
            "tabs in the request line",
            "GET\t/\tHTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            CLIENT_ERROR,
        ),
        case(
            "a control character in the path",
            request("GET", "/a\x01b", "", b""),
            CLIENT_ERROR,
        ),
        case(
            "a NUL in a header",
            request("GET", "/", "X-A: a\0b\r\n", b""),
            CLIENT_ERROR,
        ),
        case(
            "a header line without a colon",
            request("GET", "/", "no colon here\r\n", b""),
            CLIENT_ERROR,
        ),
        case(
            "a folded header",
            request("GET", "/", "X-A: a\r\n b\r\n", b""),
            CLIENT_ERROR,
        ),
        case(
            "a length that is not a number",
            request("GET", "/", "Content-Length: abc\r\n", b""),
            CLIENT_ERROR,
        ),
        case(
            "two lengths",
            request(
                "GET",
                "/",
                "Content-Length: 1\r\nContent-Length: 2\r\n",
                b"ab",
            ),
            CLIENT_ERROR,
        ),
        case(
            "POST with a body",
            request("POST", "/", "Content-Length: 5\r\n", b"hello"),
            NOT_ALLOWED,
        ),
        case(
            "PUT of a gigabyte that never comes",
            request("PUT", "/index.html", "Content-Length: 1000000000\r\n", b"x"),
            NOT_ALLOWED,
        ),
        case(
            "a broken chunked body",
            request("POST", "/", "Transfer-Encoding: chunked\r\n", b"zz\r\n"),
            NOT_ALLOWED,
        ),
        case(
            "DELETE",
            request("DELETE", "/2026/03/14/port/", "", b""),
            NOT_ALLOWED,
        ),
        case("OPTIONS *", request("OPTIONS", "*", "", b""), NOT_ALLOWED),
        case("TRACE", request("TRACE", "/", "", b""), NOT_ALLOWED),
        case(
            "CONNECT",
            request("CONNECT", "127.0.0.1:22", "", b""),
            NOT_ALLOWED,
        ),
        case(
            "an unknown method",
            request("BREW", "/", "", b""),
            NOT_ALLOWED,
        ),
        case(
            "a POST to the live-reload endpoint",
            request("POST", "/__gazette/events", "Content-Length: 0\r\n", b""),
            NOT_ALLOWED,
        ),
    ];
    for case in &cases {
        let answer = server.send_raw(&case.request);
        assert!(
            case.allowed.contains(&answer.status()),
            "{}: got {:?}, expected one of {:?}",
            case.name,
            answer.status(),
            case.allowed
        );
        assert_eq!(server.get("/ok.txt").status, 200, "after {}", case.name);
    }
    // Well-formed but unusual requests are served.
    for (name, bytes) in [
        ("HTTP/1.0", b"GET /ok.txt HTTP/1.0\r\n\r\n".to_vec()),
        (
            "a GET with a body",
            request("GET", "/ok.txt", "Content-Length: 5\r\n", b"hello"),
        ),
        (
            "16 KB of cookies",
            request(
                "GET",
                "/ok.txt",
                &format!("Cookie: a={}\r\n", "b".repeat(16_000)),
                b"",
            ),
        ),
        (
            "a bare LF",
            b"GET /ok.txt HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n\n".to_vec(),
        ),
    ] {
        let Answer::Status(status, bytes) = server.send_raw(&bytes) else {
            panic!("{name}: closed without an answer");
        };
        assert_eq!(status, 200, "{name}");
        assert!(bytes.ends_with(b"\r\n\r\nfine"), "{name}: the whole file");
    }
}

/// How long the server may leave a stalled connection open: its header timeout (10 s) with
/// room for a loaded machine.
const STALL_LIMIT: Duration = Duration::from_secs(60);

/// Connections of each kind that stalls, at once.
const STALLED_EACH: usize = 100;

#[test]
fn clients_that_stall_are_disconnected_in_bounded_memory_and_others_are_still_served() {
    let (_parent, _site, server) = served_next_to_secrets();
    let Some(before) = Usage::at_rest(&server) else {
        common::skipped(
            "clients_that_stall",
            "there is no /proc to read the server from",
        );
        return;
    };
    let connect = |sent: &[u8]| {
        let mut stream = TcpStream::connect(server.address()).expect("connect");
        stream.write_all(sent).expect("send");
        stream
    };
    let half = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: {}\r\n",
        "a".repeat(48 * 1024)
    );
    let mut stalled = Vec::new();
    let mut drips = Vec::new();
    for _ in 0..STALLED_EACH {
        // Sends nothing.
        stalled.push(connect(b""));
        // Sends most of what a request's head may take, and stops.
        stalled.push(connect(half.as_bytes()));
        // Asks for a page, then leaves the kept-alive connection idle.
        stalled.push(connect(b"GET /ok.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        // Sends a header a byte at a time and never ends it (slowloris).
        let drip = connect(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
        drips.push(drip.try_clone().expect("clone"));
        stalled.push(drip);
    }
    let started = Instant::now();
    let dripping = std::thread::spawn(move || {
        while !drips.is_empty() && started.elapsed() < STALL_LIMIT {
            drips.retain_mut(|drip| drip.write_all(b"a").is_ok());
            std::thread::sleep(Duration::from_millis(250));
        }
    });
    assert_eq!(server.get("/ok.txt").body, b"fine", "served meanwhile");
    let after = Usage::settled(&server, before, STALL_LIMIT);
    let took = started.elapsed();
    assert_eq!(server.get("/ok.txt").body, b"fine", "served after");
    // Each connection holds at most `MAX_HEAD` of request and as much of response.
    let connection_kb = 2 * gazette::serve::connections::MAX_HEAD as u64 / 1024 + 16;
    let allowed = stalled.len() as u64 * connection_kb;
    assert_grew_less(
        before.rss_kb,
        after.peak_kb,
        allowed,
        "with connections stalled",
    );
    note(&format!(
        "{} stalled connections all closed by the server after {took:.1?}; RSS {} KiB before, \
         peak {} KiB",
        stalled.len(),
        before.rss_kb,
        after.peak_kb
    ));
    drop(stalled);
    let _ = dripping.join();
}
