//! Symbolic links in the site's folders: followed when they point inside the site, refused with
//! an error naming the link when they point outside it (unless `--follow-symlinks`), and an
//! error, never a hang, when they loop.

use crate::common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Run, Site, texts};
use tempfile::TempDir;

const GOOD: &str = "title: Port strike ends\ndate: 2026-03-14\nauthor: wirebot";

/// A built site and its output, to prove a failed build leaves it alone.
fn built() -> (Site, BTreeMap<PathBuf, Vec<u8>>) {
    let site = Site::new();
    site.article("world", "port-strike", GOOD, "Dockworkers return.");
    site.build_ok(&[]);
    let before = site.snapshot();
    assert!(!before.is_empty());
    (site, before)
}

/// A folder outside the site with a private file and an article in it.
fn elsewhere() -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("id_ed25519"), "PRIVATE KEY").expect("write");
    std::fs::write(
        dir.path().join("wire.md"),
        "---\ntitle: From elsewhere\ndate: 2026-03-12\n---\nBody.\n",
    )
    .expect("write");
    dir
}

/// Runs `args` on `site` and expects exit 1 with the output as it was.
fn fails(site: &Site, args: &[&str], before: &BTreeMap<PathBuf, Vec<u8>>) -> Run {
    let run = site.run(args);
    assert_eq!(run.code, 1, "{args:?}: {}{}", run.stdout, run.stderr);
    assert_eq!(&site.snapshot(), before, "the previous output changed");
    run
}

/// The one error of `run`, which must name `file` and say where its link points.
fn the_outside_error<'r>(run: &'r Run, file: &str, target: &Path) -> &'r str {
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    let error = errors[0];
    let target = std::fs::canonicalize(target).expect("canonical target");
    assert!(
        error.starts_with(&format!(
            "error: {file}: this link points outside the site, to "
        )) && error.contains(&target.display().to_string())
            && error.contains("--follow-symlinks"),
        "{error}"
    );
    error
}

#[test]
fn a_link_out_of_the_site_is_refused_in_content_static_and_templates() {
    for (link, target) in [
        ("content/world/wire.md", "wire.md"),
        ("static/key.txt", "id_ed25519"),
        ("templates/page.html", "wire.md"),
    ] {
        let (site, before) = built();
        let away = elsewhere();
        let target = away.path().join(target);
        site.write("static/robots.txt", "User-agent: *\n");
        std::fs::create_dir_all(site.path("templates")).expect("mkdir");
        symlink(&target, site.path(link)).expect("symlink");
        for command in ["build", "check"] {
            let run = fails(&site, &[command], &before);
            the_outside_error(&run, link, &target);
        }
    }
}

#[test]
fn a_folder_link_out_of_the_site_is_refused_and_not_read() {
    let (site, before) = built();
    let away = elsewhere();
    // Read, this would be an error of its own.
    symlink("nowhere", away.path().join("dangling")).expect("symlink");
    std::fs::create_dir_all(site.path("static")).expect("mkdir");
    symlink(away.path(), site.path("static/shared")).expect("symlink");
    let run = fails(&site, &["build"], &before);
    the_outside_error(&run, "static/shared", away.path());
}

#[test]
fn follow_symlinks_builds_with_what_links_out_of_the_site_point_at() {
    let (site, _) = built();
    let away = elsewhere();
    symlink(
        away.path().join("wire.md"),
        site.path("content/world/wire.md"),
    )
    .expect("symlink");
    std::fs::create_dir_all(site.path("static")).expect("mkdir");
    symlink(away.path(), site.path("static/shared")).expect("symlink");
    site.build_ok(&["--follow-symlinks"]);
    assert_eq!(
        texts(&site.html("2026/03/12/wire/index.html"), "h1"),
        ["From elsewhere"]
    );
    let copied = std::fs::read(site.path("public/shared/id_ed25519")).expect("copied");
    assert_eq!(copied, b"PRIVATE KEY");
    let run = site.run(&["check", "--follow-symlinks"]);
    assert!(run.errors().is_empty(), "{}", run.stderr);
}

#[test]
fn links_inside_the_site_need_no_flag() {
    let (site, _) = built();
    site.write(
        "shared/wire.md",
        "---\ntitle: Shared\ndate: 2026-03-12\n---\nBody.\n",
    );
    site.write(
        "assets/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    symlink("../../shared/wire.md", site.path("content/world/wire.md")).expect("symlink");
    std::fs::create_dir_all(site.path("static")).expect("mkdir");
    symlink("../assets", site.path("static/images")).expect("symlink");
    site.build_ok(&[]);
    assert_eq!(
        texts(&site.html("2026/03/12/wire/index.html"), "h1"),
        ["Shared"]
    );
    assert!(site.exists("images/logo.svg"));
}

/// Runs `gazette <args>` on `site`, failing the test if it takes more than 20 s.
fn run_bounded(site: &Site, args: &[&str]) -> (i32, String) {
    let mut child = common::gazette()
        .args(args)
        .arg("--root")
        .arg(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gazette");
    let mut stderr = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("gazette {args:?} hung on a link loop");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (status.code().unwrap_or(-1), reader.join().expect("stderr"))
}

#[test]
fn link_loops_are_errors_not_hangs() {
    let loops: [(&str, &[(&str, &str)]); 4] = [
        ("content/world/loop", &[("..", "content/world/loop")]),
        ("static/self", &[("self", "static/self")]),
        (
            "static/a/to-b/to-a",
            &[("../b", "static/a/to-b"), ("../a", "static/b/to-a")],
        ),
        ("templates/up", &[(".", "templates/up")]),
    ];
    for (named, links) in loops {
        let (site, before) = built();
        for folder in ["static/a", "static/b", "templates"] {
            std::fs::create_dir_all(site.path(folder)).expect("mkdir");
        }
        for (target, link) in links {
            symlink(target, site.path(link)).expect("symlink");
        }
        for args in [&["build"][..], &["build", "--follow-symlinks"], &["check"]] {
            let (code, stderr) = run_bounded(&site, args);
            assert_eq!(code, 1, "{named} {args:?}: {stderr}");
            let errors: Vec<_> = stderr
                .lines()
                .filter(|l| l.starts_with("error: "))
                .collect();
            assert!(
                errors
                    .iter()
                    .any(|e| e.starts_with(&format!("error: {named}: this link "))),
                "{named} {args:?}: {stderr}"
            );
            assert_eq!(site.snapshot(), before);
        }
    }
}

/// Lines a running program prints, gathered as they come.
#[derive(Clone, Default)]
struct Lines(Arc<Mutex<Vec<String>>>);

impl Lines {
    fn gather(from: impl Read + Send + 'static) -> Self {
        let lines = Self::default();
        let into = lines.0.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(from).lines().map_while(Result::ok) {
                into.lock().expect("lines").push(line);
            }
        });
        lines
    }

    fn count(&self, prefix: &str) -> usize {
        let lines = self.0.lock().expect("lines");
        lines.iter().filter(|l| l.starts_with(prefix)).count()
    }

    /// The first line starting with `prefix`, waiting up to 20 s for it.
    fn wait_for(&self, prefix: &str) -> String {
        let started = Instant::now();
        loop {
            let lines = self.0.lock().expect("lines");
            if let Some(line) = lines.iter().find(|l| l.starts_with(prefix)) {
                return line.clone();
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no line starts with {prefix:?}:\n{}",
                lines.join("\n")
            );
            drop(lines);
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn the_preview_refuses_links_out_of_the_site_and_does_not_watch_through_them() {
    let site = Site::new();
    site.article("world", "port-strike", GOOD, "Dockworkers return.");
    let away = elsewhere();
    std::fs::create_dir_all(site.path("static")).expect("mkdir");
    symlink(away.path(), site.path("static/shared")).expect("symlink");
    let mut child = common::gazette()
        .args(["serve", "--port", "0", "--root"])
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gazette serve");
    let stdout = Lines::gather(child.stdout.take().expect("stdout"));
    let stderr = Lines::gather(child.stderr.take().expect("stderr"));
    let serving = stdout.wait_for("serving the site at http://");
    let address = serving
        .trim_start_matches("serving the site at http://")
        .split('/')
        .next()
        .expect("address")
        .to_string();
    let refused = "error: static/shared: this link points outside the site";
    stderr.wait_for(refused);
    let (status, _) = common::raw_get(&address, "/shared/id_ed25519");

    // The watcher does not go through the link: a change out there rebuilds nothing.
    std::fs::write(away.path().join("id_ed25519"), "NEW KEY").expect("write");
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(
        stderr.count(refused),
        1,
        "a change outside the site was watched"
    );

    // A link made while the preview runs is read by the incremental loader, which refuses it.
    symlink(
        away.path().join("wire.md"),
        site.path("content/world/wire.md"),
    )
    .expect("symlink");
    stderr.wait_for("error: content/world/wire.md: this link points outside the site");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        status, 404,
        "the preview served a file from outside the site"
    );
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Every file below `dir`, relative, with its bytes.
fn relative_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    common::tree(dir)
        .into_iter()
        .map(|(path, bytes)| (path.strip_prefix(dir).expect("inside").to_path_buf(), bytes))
        .collect()
}

#[test]
fn an_output_that_is_a_link_stays_a_link_and_its_folder_gets_each_build() {
    let server = tempfile::tempdir().expect("temp dir");
    let www = server.path().join("www");
    let site = Site::new();
    symlink(&www, site.path("public")).expect("link the output");
    site.write("static/robots.txt", "User-agent: *\n");
    let site_names = names(site.root());
    for round in 0..3 {
        let body = format!("Dockworkers return, take {round}.");
        site.article("world", "port-strike", GOOD, &body);
        site.build_ok(&[]);

        let link = std::fs::symlink_metadata(site.path("public")).expect("the output");
        assert!(
            link.file_type().is_symlink(),
            "round {round}: no longer a link"
        );
        assert_eq!(std::fs::read_link(site.path("public")).expect("link"), www);
        let fresh = tempfile::tempdir().expect("temp dir");
        let out = fresh.path().join("public");
        site.build_ok(&["--output", out.to_str().expect("UTF-8 temp path")]);
        assert!(
            relative_tree(&www) == relative_tree(&out),
            "round {round}: the link's folder does not hold the newest build"
        );
        assert_eq!(
            names(site.root()),
            site_names,
            "round {round}: the site changed"
        );
        // The first build's staging folder became the output; later ones keep the build
        // before last beside it.
        let beside = match round {
            0 => vec![".www.gazette-lock", ".www.gazette-state", "www"],
            _ => vec![
                ".www.gazette-lock",
                ".www.gazette-staging",
                ".www.gazette-state",
                "www",
            ],
        };
        assert_eq!(names(server.path()), beside, "round {round}");
    }
}

#[test]
fn a_staging_folder_that_is_a_link_is_replaced_not_written_through() {
    // What a build before linked outputs were followed left: the link swapped into the staging
    // folder's place.
    let (site, _) = built();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    std::fs::write(elsewhere.path().join("index.html"), "theirs").expect("write");
    let before = common::tree(elsewhere.path());
    symlink(elsewhere.path(), site.path(".public.gazette-staging")).expect("link");
    site.article("world", "port-strike", GOOD, "Dockworkers return, later.");
    site.build_ok(&[]);
    assert!(
        common::tree(elsewhere.path()) == before,
        "written through the link"
    );
    let staging = std::fs::symlink_metadata(site.path(".public.gazette-staging")).expect("staging");
    assert!(staging.is_dir());
}
