//! Shared helpers for integration tests: fixture sites in temp folders, the real `gazette`
//! binary run on them, and parsed HTML to assert on.
#![allow(dead_code)]

pub mod arabic;
pub mod hostile;
pub mod server;
#[path = "../../../examples/synthetic/mod.rs"]
pub mod synthetic;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};
use tempfile::TempDir;

/// A site folder in a temp dir, removed when dropped.
pub struct Site {
    dir: TempDir,
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The `error:` and `warning:` lines, in order.
    pub fn diagnostics(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("error: ") || l.starts_with("warning: "))
            .collect()
    }

    pub fn errors(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect()
    }

    pub fn warnings(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("warning: "))
            .collect()
    }
}

impl From<Output> for Run {
    fn from(out: Output) -> Self {
        Self {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// The `gazette` binary of this build, as a command to add arguments to.
pub fn gazette() -> Command {
    Command::new(gazette_path())
}

/// Where the `gazette` binary of this build is, for a test that runs it through a shell.
pub fn gazette_path() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_gazette"))
}

impl Site {
    /// An empty site: no gazette.yaml, no content/.
    pub fn empty() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A site with one bot (`wirebot`) and no articles yet.
    pub fn new() -> Self {
        Self::empty().with_bot()
    }

    /// Like `new`, with the site folder made inside `parent`, so a test can watch what is
    /// around the site too.
    pub fn new_in(parent: &Path) -> Self {
        Self {
            dir: tempfile::tempdir_in(parent).expect("temp dir"),
        }
        .with_bot()
    }

    fn with_bot(self) -> Self {
        self.write(
            "content/bots/wirebot.md",
            "---\nname: WireBot\nbio: \"Summarises wire reports.\"\nmodel: example-model-2\n---\nAbout WireBot.\n",
        );
        self
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    /// Writes a file, creating its folders.
    pub fn write(&self, relative: &str, text: impl AsRef<[u8]>) -> &Self {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
        self
    }

    /// Writes `content/<section>/<name>.md` from front matter lines and a body.
    pub fn article(&self, section: &str, name: &str, front_matter: &str, body: &str) -> &Self {
        self.write(
            &format!("content/{section}/{name}.md"),
            format!("---\n{front_matter}\n---\n{body}\n"),
        )
    }

    /// Runs `gazette <args> --root <site>` and returns what happened.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = gazette()
            .args(args)
            .arg("--root")
            .arg(self.root())
            .output()
            .expect("run gazette");
        Run::from(out)
    }

    /// `gazette build`, asserting it succeeded.
    pub fn build_ok(&self, args: &[&str]) -> Run {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let run = self.run(&all);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }

    /// `gazette build`, asserting it failed with exit status 1.
    pub fn build_fails(&self) -> Run {
        let run = self.run(&["build"]);
        assert_eq!(
            run.code, 1,
            "expected exit 1, got {}:\n{}{}",
            run.code, run.stdout, run.stderr
        );
        run
    }

    /// A built page of `public/`, parsed.
    pub fn html(&self, relative: &str) -> Html {
        let path = self.path("public").join(relative);
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Html::parse_document(&text)
    }

    pub fn exists(&self, relative: &str) -> bool {
        self.path("public").join(relative).exists()
    }

    /// Every file below `public/` and its bytes, to prove a failed build touched nothing.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let out = self.path("public");
        walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(&out).expect("inside").to_path_buf();
                (rel, fs::read(e.path()).expect("read"))
            })
            .collect()
    }
}

/// Every file below `dir` and its bytes.
/// Front matter of an article of 14 March 2026 by wirebot, tagged shipping.
pub fn article_front(title: &str) -> String {
    format!("title: \"{title}\"\ndate: 2026-03-14\nauthor: wirebot\ntags: [shipping]")
}

/// A site with two articles in world/: `port` ("Port strike ends") and `ferry` ("Ferry
/// restored").
pub fn two_article_site() -> Site {
    let site = Site::new();
    site.article(
        "world",
        "port",
        &article_front("Port strike ends"),
        "Dockers vote.",
    );
    site.article(
        "world",
        "ferry",
        &article_front("Ferry restored"),
        "Boats run.",
    );
    site
}

pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), fs::read(e.path()).expect("read")))
        .collect()
}

/// Every file and folder below a folder, relative, with each file's bytes (a folder has none),
/// so that an empty folder left behind shows too; empty when the folder does not exist.
pub type Listing = BTreeMap<PathBuf, Option<Vec<u8>>>;

pub fn listing(dir: &Path) -> Listing {
    if !dir.exists() {
        return Listing::new();
    }
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|entry| {
            let entry = entry.expect("walk");
            let path = entry.path().strip_prefix(dir).expect("inside");
            let bytes = entry
                .file_type()
                .is_file()
                .then(|| fs::read(entry.path()).expect("read"));
            (path.to_path_buf(), bytes)
        })
        .collect()
}

/// How `got` differs from `expected`: how many paths differ, and the first of them with a short
/// diff of its lines; `None` when both hold the same files and folders with the same bytes.
pub fn difference(expected: &Listing, got: &Listing) -> Option<String> {
    let differs = |path: &&PathBuf| expected.get(*path) != got.get(*path);
    let paths: std::collections::BTreeSet<&PathBuf> =
        expected.keys().chain(got.keys()).filter(differs).collect();
    let first = *paths.iter().next()?;
    let what = match (expected.get(first), got.get(first)) {
        (None, Some(_)) => "should not be there".to_string(),
        (Some(_), None) => "is missing".to_string(),
        (Some(Some(want)), Some(Some(have))) => format!("differs:\n{}", line_diff(want, have)),
        _ => "is a file in one and a folder in the other".to_string(),
    };
    Some(format!(
        "{} path(s) differ; the first, {}, {what}",
        paths.len(),
        first.display()
    ))
}

/// The lines around the first line where two files part, `-` expected and `+` got, each cut
/// to a readable width around where they part.
fn line_diff(want: &[u8], have: &[u8]) -> String {
    let want = String::from_utf8_lossy(want);
    let have = String::from_utf8_lossy(have);
    let (want, have): (Vec<&str>, Vec<&str>) = (want.lines().collect(), have.lines().collect());
    let at = want.iter().zip(&have).take_while(|(a, b)| a == b).count();
    let column = want.get(at).zip(have.get(at)).map_or(0, |(a, b)| {
        a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
    });
    let cut = |line: &str| -> String {
        line.chars()
            .skip(column.saturating_sub(60))
            .take(160)
            .collect()
    };
    let mut out = format!("  at line {}\n", at + 1);
    for line in &want[at.saturating_sub(2)..at] {
        out += &format!("   {}\n", cut(line));
    }
    for (sign, lines) in [('-', &want), ('+', &have)] {
        for line in lines.iter().skip(at).take(3) {
            out += &format!("  {sign}{}\n", cut(line));
        }
    }
    out
}

/// The first of `names` found on the PATH; where none is, the tool `test` needs is `missing`,
/// and `install` says how to get it.
pub fn program(test: &str, names: &[&str], install: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    let found = names
        .iter()
        .flat_map(|name| dirs.iter().map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file());
    if found.is_none() {
        missing(test, &format!("{} is not installed ({install})", names[0]));
    }
    found
}

/// An outside tool that `test` needs (a browser, the validator, a Python module) is missing.
/// Under CI (`CI=true`, as CI services set it) that fails the test: a CI run that passes must
/// have run every test. Elsewhere the test is `skipped`, loudly.
pub fn missing(test: &str, why: &str) {
    if in_ci() {
        panic!("{test} cannot run: {why}; with CI=true a missing tool fails the test");
    }
    skipped(test, why);
}

/// Whether this is a CI run: `CI` is `true` (or `1`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// Says that a test was skipped, where it will be seen: straight to stderr, since cargo test
/// swallows what passing tests print with `eprintln!`. For what this machine cannot do (run as
/// root, no /proc); a missing tool is `missing`, which CI does not skip.
pub fn skipped(test: &str, why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "\nSKIPPED {test}: {why}");
}

/// The trimmed, whitespace-folded text of every element matching `selector`.
pub fn texts(html: &Html, selector: &str) -> Vec<String> {
    let sel =
        Selector::parse(selector).unwrap_or_else(|e| panic!("bad selector {selector}: {e:?}"));
    html.select(&sel)
        .map(|el| {
            el.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The value of `attr` on every element matching `selector`.
pub fn attrs(html: &Html, selector: &str, attr: &str) -> Vec<String> {
    let sel =
        Selector::parse(selector).unwrap_or_else(|e| panic!("bad selector {selector}: {e:?}"));
    html.select(&sel)
        .filter_map(|el| el.value().attr(attr).map(str::to_string))
        .collect()
}

/// Sends `GET target` to the server at `address` (`127.0.0.1:PORT`) with the target exactly as
/// written, which no HTTP client library would do for `..`, backslashes or absolute URLs;
/// returns the status and the whole response.
pub fn raw_get(address: &str, target: &str) -> (u16, Vec<u8>) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .expect("timeout");
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("read");
    let text = String::from_utf8_lossy(&answer);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {text}"));
    (status, answer)
}
