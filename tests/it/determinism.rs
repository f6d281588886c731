//! A build's output depends on the site alone: the same synthetic site built with one thread and
//! with two, and built again over its own output, gives the same files, byte for byte.

use crate::common;
#[path = "../../examples/synthetic/mod.rs"]
mod synthetic;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Enough articles for several pages of every listing, story threads, and tags shared by many
/// articles, and still quick in a debug build.
const ARTICLES: usize = 300;

/// A synthetic site in a temp folder, where its outputs go too.
fn synthetic_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    synthetic::write(&site, ARTICLES).expect("generate the synthetic site");
    (dir, site)
}

/// `gazette build` of `site` into `output` on `threads` rayon threads.
fn build(site: &Path, output: &Path, threads: usize) -> BTreeMap<PathBuf, Vec<u8>> {
    let run = common::gazette()
        .args(["build", "--root"])
        .arg(site)
        .arg("--output")
        .arg(output)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()
        .expect("run gazette");
    assert!(
        run.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    common::tree(output)
        .into_iter()
        .map(|(path, bytes)| {
            let relative = path.strip_prefix(output).expect("inside the output");
            (relative.to_path_buf(), bytes)
        })
        .collect()
}

/// Fails on the first file that one output has and the other lacks, or that differs.
fn assert_same(a: &BTreeMap<PathBuf, Vec<u8>>, b: &BTreeMap<PathBuf, Vec<u8>>, what: &str) {
    assert!(a.len() > ARTICLES, "{what}: only {} files written", a.len());
    let only = |x: &BTreeMap<PathBuf, Vec<u8>>, y: &BTreeMap<PathBuf, Vec<u8>>| {
        x.keys().find(|path| !y.contains_key(*path)).cloned()
    };
    if let Some(path) = only(a, b) {
        panic!("{what}: {} is only in the first output", path.display());
    }
    if let Some(path) = only(b, a) {
        panic!("{what}: {} is only in the second output", path.display());
    }
    if let Some((path, bytes)) = a.iter().find(|(path, bytes)| b[*path] != **bytes) {
        let at = bytes
            .iter()
            .zip(&b[path])
            .take_while(|(x, y)| x == y)
            .count();
        panic!(
            "{what}: {} differs from byte {at}:\n  first:  {}\n  second: {}",
            path.display(),
            excerpt(bytes, at),
            excerpt(&b[path], at)
        );
    }
}

/// The text around byte `at`, to show where two files part.
fn excerpt(bytes: &[u8], at: usize) -> String {
    let start = at.saturating_sub(40);
    let end = (at + 80).min(bytes.len());
    format!("{:?}", String::from_utf8_lossy(&bytes[start..end]))
}

#[test]
fn one_and_two_threads_write_identical_bytes() {
    let (dir, site) = synthetic_site();
    let one = build(&site, &dir.path().join("one-thread"), 1);
    let two = build(&site, &dir.path().join("two-threads"), 2);
    assert_same(&one, &two, "one thread, then two");
}

#[test]
fn building_again_writes_identical_bytes() {
    let (dir, site) = synthetic_site();
    let output = dir.path().join("public");
    let first = build(&site, &output, 2);
    // Twice over its own output: the first rebuild writes every file anew, the second reuses
    // the staging folder the first one kept and rewrites only the files whose bytes changed.
    for rebuild in ["first", "second"] {
        let again = build(&site, &output, 2);
        assert_same(&first, &again, &format!("the {rebuild} rebuild"));
    }
}
