//! A deterministic synthetic gazette site of N articles, written to a folder: the input of the
//! `gen_site` and `bench` examples and of `tests/it/determinism.rs`.
//!
//! The same N always gives byte-identical files: everything comes from a small seeded PRNG
//! (splitmix64), never from the clock or a hash map's order. The site has 6 bots, 8 sections of
//! skewed sizes, about 300 tags drawn from a Zipf-like distribution (2-5 per article), about 5%
//! of articles in story threads of 3-6, dates over three years (RFC 3339 with an offset in the
//! front matter, or only a `YYYY-MM-DD-` file name prefix), 2-4 sources each, a correction on
//! about 2%, and bodies of about 950 words with headings, a timeline table on about 30%, a
//! bulleted list of quotes and a link or two. Every name and event is invented.
//!
//! The folder must be missing, empty, or an earlier output of this generator: it holds the
//! marker file `.gazette-gen-site`, which records N and a fingerprint of the generated text once
//! every file is written. A folder whose marker matches is left as it is; any other folder of
//! ours is emptied and written again.

mod generate;
mod rng;
mod words;

use std::convert::Infallible;
use std::fmt;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use generate::{File, Generator};

/// Left in the folder so that a later run knows it may clear it, or reuse it.
const MARKER: &str = ".gazette-gen-site";
const MARKER_LINE: &str = "written by `cargo run --example gen_site` of gazette: a synthetic site; this whole folder is replaced by the next run";

/// What `write` left in the folder.
pub struct Written {
    dir: PathBuf,
    articles: usize,
    files: usize,
    bytes: u64,
    /// The folder already held this very site, so nothing was written.
    reused: bool,
}

impl fmt::Display for Written {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = format!(
            "{} files ({} articles, {:.1} MB)",
            self.files,
            self.articles,
            self.bytes as f64 / 1e6
        );
        if self.reused {
            write!(f, "{} already holds the site: {what}", self.dir.display())
        } else {
            write!(f, "wrote {what} to {}", self.dir.display())
        }
    }
}

/// Writes the synthetic site of `articles` articles to `dir`, unless `dir` already holds it.
pub fn write(dir: &Path, articles: usize) -> Result<Written, String> {
    if let Some(recorded) = read_marker(dir).filter(|m| m.articles == articles) {
        let mut tally = Tally::default();
        let Ok(()) = Generator::new(articles).each_file(|file| {
            tally.add(&file);
            Ok::<_, Infallible>(())
        });
        if Some(tally.fingerprint()) == recorded.fingerprint {
            return Ok(tally.written(dir, articles, true));
        }
    }
    prepare(dir)?;
    let mut tally = Tally::default();
    Generator::new(articles).each_file(|file| {
        let full = dir.join(&file.0);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent).map_err(|e| io(parent, &e))?;
        }
        fs::write(&full, &file.1).map_err(|e| io(&full, &e))?;
        tally.add(&file);
        Ok::<_, String>(())
    })?;
    // Written last, so that a run cut short is never taken for a complete site.
    let marker = dir.join(MARKER);
    let text = format!(
        "{MARKER_LINE}\narticles: {articles}\nfingerprint: {:016x}\n",
        tally.fingerprint()
    );
    fs::write(&marker, text).map_err(|e| io(&marker, &e))?;
    Ok(tally.written(dir, articles, false))
}

/// The article a bot would publish next on the site of `articles` articles, dated after all of
/// them: its path below the site's folder and its text. Not part of the site `write` writes.
#[allow(
    dead_code,
    reason = "bench and the tests publish it; gen_site includes this module too"
)]
pub fn newest_article(articles: usize) -> (PathBuf, String) {
    Generator::new(articles).newest_article()
}

/// The files of a site counted and hashed, paths and text, in order.
#[derive(Default)]
struct Tally {
    hasher: DefaultHasher,
    files: usize,
    bytes: u64,
}

impl Tally {
    fn add(&mut self, (path, text): &File) {
        path.hash(&mut self.hasher);
        text.hash(&mut self.hasher);
        self.files += 1;
        self.bytes += text.len() as u64;
    }

    fn fingerprint(&self) -> u64 {
        self.hasher.finish()
    }

    fn written(self, dir: &Path, articles: usize, reused: bool) -> Written {
        Written {
            dir: dir.to_path_buf(),
            articles,
            files: self.files,
            bytes: self.bytes,
            reused,
        }
    }
}

/// What a marker of ours records; `None` for a folder that is not ours.
struct Marker {
    articles: usize,
    /// Missing while the site is being written.
    fingerprint: Option<u64>,
}

fn read_marker(dir: &Path) -> Option<Marker> {
    let path = dir.join(MARKER);
    if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let text = fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    if lines.next() != Some(MARKER_LINE) {
        return None;
    }
    let mut marker = Marker {
        articles: usize::MAX,
        fingerprint: None,
    };
    for line in lines {
        if let Some(n) = line.strip_prefix("articles: ") {
            marker.articles = n.parse().unwrap_or(usize::MAX);
        } else if let Some(hex) = line.strip_prefix("fingerprint: ") {
            marker.fingerprint = u64::from_str_radix(hex, 16).ok();
        }
    }
    Some(marker)
}

fn io(path: &Path, e: &std::io::Error) -> String {
    format!("{}: {e}", path.display())
}

/// Makes `dir` an empty folder holding only the marker; refuses a folder this generator did not
/// make, and never follows a symbolic link out of it.
fn prepare(dir: &Path) -> Result<(), String> {
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            fs::create_dir_all(dir).map_err(|e| io(dir, &e))?;
        }
        Err(e) => return Err(io(dir, &e)),
        Ok(meta) if !meta.is_dir() => {
            return Err(format!(
                "{} exists and is not a folder; choose another folder",
                dir.display()
            ));
        }
        Ok(_) => {
            let entries: Vec<PathBuf> = fs::read_dir(dir)
                .map_err(|e| io(dir, &e))?
                .map(|entry| entry.map(|e| e.path()))
                .collect::<std::io::Result<_>>()
                .map_err(|e| io(dir, &e))?;
            if !entries.is_empty() && read_marker(dir).is_none() {
                return Err(format!(
                    "{} is not empty and was not made by gen_site (it holds no {MARKER} written by gen_site); \
                     choose a new or empty folder",
                    dir.display()
                ));
            }
            for entry in entries {
                let meta = fs::symlink_metadata(&entry).map_err(|e| io(&entry, &e))?;
                let removed = if meta.is_dir() {
                    fs::remove_dir_all(&entry)
                } else {
                    fs::remove_file(&entry)
                };
                removed.map_err(|e| io(&entry, &e))?;
            }
        }
    }
    let marker = dir.join(MARKER);
    fs::write(&marker, format!("{MARKER_LINE}\n")).map_err(|e| io(&marker, &e))
}
