//! How long `gazette serve` works on a rebuild: builds the site in DIR into memory as `serve`
//! does, then edits one article RUNS times in each of three ways (a line added to its body, a
//! new title, a new tag) and times each rebuild; the article is restored at the end. The parts of
//! the search index that `serve` builds in the background after a rebuild are not built.
//!
//! `cargo run --release --example rebuild_times -- DIR [RUNS]`

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gazette::serve::rebuild::Preview;
use gazette::serve::watch::Changes;
use gazette::walk::Symlinks;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("usage: rebuild_times DIR [RUNS]"));
    let runs: u32 = args
        .next()
        .map_or(5, |n| n.parse().expect("RUNS is a number"));
    let url = "http://127.0.0.1:1111/";
    let mut preview = Preview::new(&root, url, false, false, Symlinks::default());
    let started = Instant::now();
    let built = preview
        .rebuild(&Changes::everything())
        .unwrap_or_else(|errors| panic!("the site has {} errors", errors.len()));
    println!(
        "full build: {} files in {} ms",
        built.pages,
        started.elapsed().as_millis()
    );
    let file = an_article(&root);
    let original = std::fs::read_to_string(root.join(&file)).expect("read the article");
    let _restore = Restore(root.join(&file), original.clone());
    let changes = Changes {
        content: vec![file.clone()],
        ..Changes::default()
    };
    let edits: [(&str, &dyn Fn(u32) -> String); 3] = [
        ("body line", &|n| {
            format!("{original}\nOne more line, {n}.\n")
        }),
        ("title", &|n| {
            original.replacen("title: \"", &format!("title: \"Take {n}, "), 1)
        }),
        ("tag", &|n| {
            original.replacen("tags: [", &format!("tags: [extra-{n}, "), 1)
        }),
    ];
    for (what, edit) in edits {
        let mut times = Vec::new();
        let mut rendered = 0;
        for n in 0..runs {
            std::fs::write(root.join(&file), edit(n)).expect("edit the article");
            let started = Instant::now();
            let rebuilt = preview.rebuild(&changes).expect("the edit builds");
            times.push(started.elapsed());
            rendered = rebuilt.rendered;
        }
        times.sort();
        println!(
            "{what} edit: median {} ms (min {}, max {}), {rendered} files rendered",
            millis(times[times.len() / 2]),
            millis(times[0]),
            millis(times[times.len() - 1]),
        );
    }
}

/// Puts the article back as it was, whatever happens.
struct Restore(PathBuf, String);

impl Drop for Restore {
    fn drop(&mut self) {
        std::fs::write(&self.0, &self.1).expect("restore the article");
    }
}

/// The middle article of the first section, relative to the root.
fn an_article(root: &Path) -> PathBuf {
    let content = root.join("content");
    let mut sections: Vec<PathBuf> = std::fs::read_dir(&content)
        .expect("content/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir() && !p.ends_with("bots") && !p.ends_with("pages"))
        .collect();
    sections.sort();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&sections[0])
        .expect("a section")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let file = &files[files.len() / 2];
    file.strip_prefix(root).expect("inside").to_path_buf()
}

fn millis(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}
