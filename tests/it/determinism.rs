//! A build's output depends on the site alone: the same synthetic site built with one thread and
//! with two, and built again over its own output, gives the same files, byte for byte.

use crate::common::{self, Listing, synthetic};

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
fn build(site: &Path, output: &Path, threads: usize) -> Listing {
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
    common::listing(output)
}

/// Fails on the first file or folder that one output has and the other lacks, or that differs.
fn assert_same(a: &Listing, b: &Listing, what: &str) {
    assert!(a.len() > ARTICLES, "{what}: only {} files written", a.len());
    if let Some(difference) = common::difference(a, b) {
        panic!("{what}: {difference}");
    }
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
