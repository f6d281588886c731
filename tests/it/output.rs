//! The output folder across builds: a file whose bytes did not change is not written again and
//! keeps its modification time, files of the previous build that the new one lacks go, the new
//! build takes the old one's place in one step (so a killed or failed build leaves the previous
//! output whole), and two builds of one output never interleave.

use crate::common;

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use common::{Listing, Site, listing};

/// When a file was last written, and which file it is: the inode, and the inode's change time,
/// which any write, truncation or time change moves, so an equal stamp means not written at all.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Stamp {
    modified: SystemTime,
    inode: u64,
    changed: (i64, i64),
}

/// Every file below `dir` with its bytes and stamp.
fn files(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, Stamp)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| entry.expect("walk"))
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let meta = entry.metadata().expect("metadata");
            let stamp = Stamp {
                modified: meta.modified().expect("mtime"),
                inode: meta.ino(),
                changed: (meta.ctime(), meta.ctime_nsec()),
            };
            let path = entry.path().strip_prefix(dir).expect("inside");
            (
                path.to_path_buf(),
                (fs::read(entry.path()).expect("read"), stamp),
            )
        })
        .collect()
}

/// The files with their bytes, times and inodes, but not their change times: a build links
/// the output's unchanged files into the staging folder, which moves the change time of a file
/// it does not write.
fn unwritten(
    files: &BTreeMap<PathBuf, (Vec<u8>, Stamp)>,
) -> BTreeMap<&PathBuf, (&Vec<u8>, SystemTime, u64)> {
    (files.iter())
        .map(|(path, (bytes, stamp))| (path, (bytes, stamp.modified, stamp.inode)))
        .collect()
}

fn modified(files: &BTreeMap<PathBuf, (Vec<u8>, Stamp)>, path: &str) -> SystemTime {
    files
        .get(Path::new(path))
        .unwrap_or_else(|| panic!("{path} was not built"))
        .1
        .modified
}

fn public(site: &Site) -> PathBuf {
    site.path("public")
}

/// What a build of the site as it is now writes into a fresh folder: what the output must hold.
fn clean(site: &Site) -> Listing {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("public");
    site.build_ok(&["--output", out.to_str().expect("UTF-8 temp path")]);
    listing(&out)
}

/// Waits until a file written from now on gets a later modification time than every file
/// written before, so that a file written again cannot keep its time by the clock's granularity.
fn tick(site: &Site) {
    let probe = site.path("tick");
    let time = |text: &str| {
        fs::write(&probe, text).expect("write probe");
        fs::metadata(&probe)
            .and_then(|m| m.modified())
            .expect("probe")
    };
    let before = time("a");
    while time("b") <= before {
        thread::sleep(Duration::from_millis(2));
    }
    fs::remove_file(&probe).expect("remove probe");
}

/// Builds after a tick and checks the rule on every file: the same bytes as the previous build
/// keep its modification time, other bytes get a later one. Returns the files built.
fn rebuild(
    site: &Site,
    before: &BTreeMap<PathBuf, (Vec<u8>, Stamp)>,
) -> BTreeMap<PathBuf, (Vec<u8>, Stamp)> {
    tick(site);
    site.build_ok(&[]);
    let after = files(&public(site));
    for (path, (bytes, stamp)) in &after {
        let Some((old_bytes, old)) = before.get(path) else {
            continue;
        };
        if bytes == old_bytes {
            assert_eq!(
                stamp.modified,
                old.modified,
                "{} is unchanged but has a new time",
                path.display()
            );
        } else {
            assert!(
                stamp.modified > old.modified,
                "{} changed but kept its time",
                path.display()
            );
        }
    }
    after
}

const DAY: &str = "2026-03-14";

/// An article by wirebot dated `DAY`, titled and named `slug`.
fn story(site: &Site, section: &str, slug: &str, tags: &str, body: &str) {
    let front = format!("title: \"{slug}\"\ndate: {DAY}\nauthor: wirebot\ntags: [{tags}]");
    site.article(section, slug, &front, body);
}

/// Where the page of article `slug` is built.
fn page(slug: &str) -> String {
    format!("{}/{slug}/index.html", DAY.replace('-', "/"))
}

/// The article whose edits the tests make.
fn port_strike(site: &Site, body: &str) {
    story(site, "world", "port-strike", "labour", body);
}

/// An article with nothing in common with the port strike.
fn comet(site: &Site, body: &str) {
    story(site, "science", "comet", "space", body);
}

/// Two articles with nothing in common, and a static file.
fn two_stories() -> Site {
    let site = Site::new();
    port_strike(&site, "Dockworkers return.");
    comet(&site, "A comet passes.");
    site.write(
        "static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site
}

#[test]
fn unchanged_build_writes_no_file_and_keeps_every_time() {
    let site = two_stories();
    site.build_ok(&[]);
    let first = files(&public(&site));

    let second = rebuild(&site, &first);
    assert_eq!(
        second.keys().collect::<Vec<_>>(),
        first.keys().collect::<Vec<_>>()
    );

    // The staging folder held the first build, already in step: not one file was written.
    // (The second build linked the first's files into the staging folder, which moves their
    // change time, but wrote none of them.)
    let third = rebuild(&site, &second);
    for (path, (_, stamp)) in &third {
        assert_eq!(
            *stamp,
            second[path].1,
            "{} was written again",
            path.display()
        );
        assert_eq!(stamp.inode, first[path].1.inode, "{}", path.display());
    }
}

/// How many files a build says it removed.
fn removed(run: &common::Run) -> usize {
    let (before, _) = (run.stdout.split_once(" removed"))
        .unwrap_or_else(|| panic!("no count in:\n{}", run.stdout));
    let number = before.rsplit(' ').next().expect("a count");
    number.parse().unwrap_or_else(|_| panic!("{before}"))
}

#[test]
fn a_build_after_a_build_with_a_record_does_not_walk_the_output() {
    let site = two_stories();
    site.build_ok(&[]);
    site.build_ok(&[]);
    let before = listing(&public(&site));
    fs::remove_file(site.path("content/science/comet.md")).expect("remove article");
    // Gone from the output by hand too: a walk of the output would not find it to count it,
    // the record of the last build still lists it.
    fs::remove_file(public(&site).join(page("comet"))).expect("remove page");
    let run = site.build_ok(&[]);
    let after = listing(&public(&site));
    let gone = (before.iter())
        .filter(|(path, bytes)| bytes.is_some() && !after.contains_key(*path))
        .count();
    assert!(gone > 1, "the comet's page, its tag's, its section's");
    assert_eq!(removed(&run), gone, "{}", run.stdout);
    assert_eq!(after, clean(&site));
}

#[test]
fn a_file_the_output_shares_with_the_staging_folder_is_replaced_never_written_through() {
    let site = two_stories();
    site.build_ok(&[]);
    // The output's files, all unchanged, are linked into the staging folder: after the swap
    // both folders share them.
    site.build_ok(&[]);
    let comet_page = public(&site).join(page("comet"));
    let links = fs::metadata(&comet_page).expect("comet").nlink();
    assert_eq!(
        links, 2,
        "the file is the output's and the staging folder's"
    );
    let before = files(&public(&site));

    // Every page that shows the port strike is written again in the staging folder, where
    // the files are the output's too.
    tick(&site);
    port_strike(&site, "Dockworkers walk out.");
    site.build_ok(&[]);
    assert_eq!(listing(&public(&site)), clean(&site));
    let old = files(&beside(&site, "staging"));
    assert!(
        unwritten(&old) == unwritten(&before),
        "the previous output changed while the new one was built"
    );
}

#[test]
fn only_the_pages_an_edit_changes_get_a_new_time() {
    let site = two_stories();
    site.build_ok(&[]);
    let a = files(&public(&site));

    port_strike(&site, "Dockworkers return to work.");
    let b = rebuild(&site, &a);
    assert!(modified(&b, &page("port-strike")) > modified(&a, &page("port-strike")));
    assert_eq!(modified(&b, &page("comet")), modified(&a, &page("comet")));

    // Nothing changed, and the staging folder held the build before last (the edited page with
    // its old bytes): every file keeps the time of the build that last changed it.
    let c = rebuild(&site, &b);
    assert_eq!(
        modified(&c, &page("port-strike")),
        modified(&b, &page("port-strike"))
    );
    assert_eq!(modified(&c, &page("comet")), modified(&a, &page("comet")));

    // Back to bytes the staging folder already holds: still a change, so a later time.
    port_strike(&site, "Dockworkers walk out.");
    let d = rebuild(&site, &c);
    port_strike(&site, "Dockworkers return to work.");
    let e = rebuild(&site, &d);
    assert!(modified(&e, &page("port-strike")) > modified(&d, &page("port-strike")));
    assert_eq!(modified(&e, &page("comet")), modified(&a, &page("comet")));
}

#[test]
fn output_holds_exactly_what_a_clean_build_writes() {
    let site = two_stories();
    site.write("static/docs/guide.txt", "Read me.");
    site.write("static/shape", "a file");
    site.build_ok(&[]);
    assert_eq!(listing(&public(&site)), clean(&site));

    // An article, a static file and its folder go; a file becomes a folder.
    fs::remove_file(site.path("content/science/comet.md")).expect("remove article");
    fs::remove_dir_all(site.path("static/docs")).expect("remove static");
    fs::remove_file(site.path("static/shape")).expect("remove file");
    site.write("static/shape/inside.txt", "now a folder");
    site.build_ok(&[]);
    let built = listing(&public(&site));
    assert_eq!(built, clean(&site));
    let gone = Path::new(&page("comet"))
        .parent()
        .expect("page folder")
        .to_path_buf();
    assert!(!built.contains_key(&gone), "{} is left", gone.display());
    assert!(!built.contains_key(Path::new("docs")), "docs/ is left");

    // And back, with the staging folder holding the first shape; then a folder again.
    fs::remove_dir_all(site.path("static/shape")).expect("remove folder");
    site.write("static/shape", "a file again");
    site.build_ok(&[]);
    assert_eq!(listing(&public(&site)), clean(&site));
    fs::remove_file(site.path("static/shape")).expect("remove file");
    site.write("static/shape/inside.txt", "a folder again");
    site.build_ok(&[]);
    assert_eq!(listing(&public(&site)), clean(&site));
}

#[test]
fn static_file_wins_over_a_generated_one_and_is_not_written_when_unchanged() {
    let site = two_stories();
    let robots = "User-agent: *\nDisallow: /drafts/\n";
    site.write("static/robots.txt", robots);
    site.write("static/css/extra.css", "p { color: navy }\n");
    site.build_ok(&[]);
    let first = files(&public(&site));
    assert_eq!(first[Path::new("robots.txt")].0, robots.as_bytes());

    let second = rebuild(&site, &first);
    let third = rebuild(&site, &second);
    for name in ["robots.txt", "css/extra.css", "logo.svg"] {
        let path = Path::new(name);
        assert_eq!(third[path].1, second[path].1, "{name} was written again");
        assert_eq!(third[path].1.inode, first[path].1.inode, "{name}");
    }

    site.write("static/css/extra.css", "p { color: teal }\n");
    let fourth = rebuild(&site, &third);
    assert!(modified(&fourth, "css/extra.css") > modified(&third, "css/extra.css"));
    // The output folder is the second build's again, its robots.txt not written since.
    assert_eq!(
        fourth[Path::new("robots.txt")].1,
        second[Path::new("robots.txt")].1
    );
}

#[test]
fn a_static_file_keeps_its_time_and_is_copied_again_only_when_its_length_or_time_change() {
    let site = two_stories();
    site.write("static/data.txt", "aaaa");
    let source = site.path("static/data.txt");
    let time = |path: &Path| fs::metadata(path).unwrap().modified().unwrap();
    let written = time(&source);
    site.build_ok(&[]);
    let published = public(&site).join("data.txt");
    assert_eq!(
        time(&published),
        written,
        "the copy has the file's own time"
    );

    // Other bytes of the same length under the same time pass the quick check (as with rsync):
    // the file is not read again, by a build that kept its state or by a full one.
    site.write("static/data.txt", "bbbb");
    fs::File::options()
        .write(true)
        .open(&source)
        .unwrap()
        .set_modified(written)
        .unwrap();
    for flags in [&[][..], &["--full"]] {
        site.build_ok(flags);
        assert_eq!(fs::read(&published).unwrap(), b"aaaa", "{flags:?}");
    }
    // Saved again (a new time), the file is copied.
    site.write("static/data.txt", "cccc");
    site.build_ok(&[]);
    assert_eq!(fs::read(&published).unwrap(), b"cccc");
    assert_eq!(time(&published), time(&source));
}

/// Writes `count` articles whose bodies say `version`.
fn many_stories(site: &Site, count: usize, version: &str) {
    for i in 0..count {
        let body = format!("Report {i}, {version}.\n\nMore of report {i}.");
        story(
            site,
            ["world", "science"][i % 2],
            &format!("story-{i}"),
            &format!("t{}", i % 9),
            &body,
        );
    }
}

fn start_build(site: &Site) -> Child {
    common::gazette()
        .args(["build", "--root"])
        .arg(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gazette")
}

#[test]
fn killed_build_leaves_the_previous_output_or_the_new_one_whole() {
    const STORIES: usize = 80;
    const KILLS: u32 = 8;
    // Three versions of every article, built in turn, so that the staging folder (the build
    // before last) never holds the version being built and every build writes every article.
    let site = Site::new();
    let mut took = Duration::ZERO;
    let mut builds = Vec::new();
    for version in 0..3 {
        many_stories(&site, STORIES, &format!("version {version}"));
        let started = Instant::now();
        site.build_ok(&[]);
        took = started.elapsed();
        builds.push(listing(&public(&site)));
    }

    // Kill builds at moments spread over a build's length and a little past it; after every kill
    // the output is the previous build, or the new one if it finished first.
    let mut now = 2;
    let mut finished = 0;
    for step in 1..=KILLS {
        let next = (now + 1) % 3;
        many_stories(&site, STORIES, &format!("version {next}"));
        let mut child = start_build(&site);
        thread::sleep(took.mul_f64(1.25 * f64::from(step) / f64::from(KILLS)));
        child.kill().expect("kill");
        child.wait().expect("wait");
        let got = listing(&public(&site));
        if got == builds[next] {
            now = next;
            finished += 1;
            continue;
        }
        let mixed = got
            .keys()
            .chain(builds[now].keys())
            .filter(|path| got.get(*path) != builds[now].get(*path))
            .count();
        assert!(
            mixed == 0,
            "killed after {step}/{KILLS} of a build: the output is neither build ({} files, \
             {mixed} of them unlike the previous build's or missing)",
            got.len()
        );
    }
    eprintln!(
        "builds killed: {}, finished first: {finished}",
        KILLS - finished
    );

    // What the killed builds left in the staging folder never shows in a finished build.
    let next = (now + 1) % 3;
    many_stories(&site, STORIES, &format!("version {next}"));
    site.build_ok(&[]);
    assert!(
        listing(&public(&site)) == builds[next],
        "a build after kills is wrong"
    );
}

/// Reads `child`'s error output line by line on a thread.
fn error_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let (send, receive) = mpsc::channel();
    let stderr = child.stderr.take().expect("piped stderr");
    thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

#[test]
fn build_waits_while_another_holds_the_output() {
    let site = two_stories();
    site.build_ok(&[]);
    let before = listing(&public(&site));
    port_strike(&site, "Dockworkers return to work.");
    let after = clean(&site);

    let lock = File::create(site.path(".public.gazette-lock")).expect("lock file");
    lock.lock().expect("lock");
    let mut child = start_build(&site);
    let lines = error_lines(&mut child);
    let first = lines
        .recv_timeout(Duration::from_secs(30))
        .expect("the build says it waits");
    assert!(
        first.starts_with("waiting: another gazette build is writing to ")
            && first.contains(&public(&site).display().to_string()),
        "{first}"
    );
    thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().expect("poll").is_none(),
        "the build did not wait"
    );
    assert!(listing(&public(&site)) == before, "a waiting build wrote");

    lock.unlock().expect("unlock");
    let status = child.wait().expect("wait");
    assert!(
        status.success(),
        "{:?}",
        lines.try_iter().collect::<Vec<_>>()
    );
    assert!(listing(&public(&site)) == after);
}

#[test]
fn two_builds_at_once_leave_one_whole_build() {
    let sites = [Site::new(), Site::new()];
    many_stories(&sites[0], 60, "first");
    many_stories(&sites[1], 60, "second");
    let shared = tempfile::tempdir().expect("temp dir");
    let out = shared.path().join("public");
    let builds: Vec<Listing> = sites.iter().map(clean).collect();
    assert_ne!(builds[0], builds[1]);

    for round in 0..3 {
        let children: Vec<Child> = sites
            .iter()
            .map(|site| {
                common::gazette()
                    .arg("build")
                    .arg("--output")
                    .arg(&out)
                    .arg("--root")
                    .arg(site.root())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("start gazette")
            })
            .collect();
        for child in children {
            let done = child.wait_with_output().expect("wait");
            let stderr = String::from_utf8_lossy(&done.stderr);
            assert!(done.status.success(), "round {round}: {stderr}");
        }
        let got = listing(&out);
        assert!(
            builds.contains(&got),
            "round {round}: the output is neither build ({} files)",
            got.len()
        );
    }
}

/// `.public.gazette-<what>` beside the site's output.
fn beside(site: &Site, what: &str) -> PathBuf {
    site.path(&format!(".public.gazette-{what}"))
}

#[test]
fn build_after_a_kill_between_renames_restores_the_output() {
    let site = two_stories();
    site.build_ok(&[]);
    port_strike(&site, "Dockworkers return to work.");
    site.build_ok(&[]);
    let previous = listing(&public(&site));
    let old = beside(&site, "old");

    // Where renameat2 cannot exchange, the output goes aside first: killed right then.
    fs::rename(public(&site), &old).expect("aside");
    site.write("content/world/broken.md", "no front matter\n");
    site.build_fails();
    assert!(
        listing(&public(&site)) == previous,
        "the previous output is not back"
    );
    assert!(!old.exists());

    fs::remove_file(site.path("content/world/broken.md")).expect("remove");
    fs::rename(public(&site), &old).expect("aside");
    comet(&site, "A comet passes, brightly.");
    site.build_ok(&[]);
    assert_eq!(listing(&public(&site)), clean(&site));
    assert!(!old.exists());
}

#[test]
fn build_after_a_kill_after_the_new_output_went_in_clears_the_old_one() {
    let site = two_stories();
    site.build_ok(&[]);
    port_strike(&site, "Dockworkers return to work.");
    site.build_ok(&[]);
    let old = beside(&site, "old");

    // Killed after the new build took the output's name, before the old one took the staging
    // folder's.
    fs::rename(beside(&site, "staging"), &old).expect("aside");
    comet(&site, "A comet passes, brightly.");
    site.build_ok(&[]);
    assert_eq!(listing(&public(&site)), clean(&site));
    assert!(!old.exists(), "the old output is left beside the new one");
}

#[test]
fn failed_build_leaves_the_output_and_the_next_build_has_no_trace_of_it() {
    let site = Site::new();
    many_stories(&site, 10, "first");
    site.build_ok(&[]);
    let before = files(&public(&site));

    // Every article changes and a new one comes, but a standalone page fails to render after
    // the others were written into the staging folder.
    many_stories(&site, 10, "second");
    story(&site, "world", "fresh", "new", "Just in.");
    site.write("content/pages/about.md", "---\ntitle: About\n---\nUs.\n");
    site.write("templates/page.html", "{{ nosuch }}\n");
    tick(&site);
    let run = site.build_fails();
    assert!(
        run.errors()
            .iter()
            .any(|e| e.starts_with("error: templates/page.html")),
        "{}",
        run.stderr
    );
    assert!(
        unwritten(&files(&public(&site))) == unwritten(&before),
        "a failed build touched the output"
    );
    let staged = listing(&beside(&site, "staging"));
    assert!(
        staged.contains_key(Path::new(&page("fresh"))),
        "the failed build wrote nothing to the staging folder, so this test proves nothing"
    );

    fs::remove_file(site.path("content/world/fresh.md")).expect("remove");
    fs::remove_file(site.path("templates/page.html")).expect("remove");
    fs::remove_file(site.path("content/pages/about.md")).expect("remove");
    many_stories(&site, 5, "first");
    let after = rebuild(&site, &before);
    assert_eq!(listing(&public(&site)), clean(&site));
    assert!(!after.contains_key(Path::new(&page("fresh"))));
    assert_eq!(
        modified(&after, &page("story-0")),
        modified(&before, &page("story-0"))
    );
}

/// A static entry that would delete generated files: each kind fails `build` and `check` with
/// the same error, naming the static path and what it would delete, and the output stays.
#[test]
fn a_static_entry_where_generated_files_go_fails_build_and_check_alike() {
    for (static_file, named, deleted) in [
        // A file where the build makes a folder of articles.
        ("static/2026", "static/2026:", "2026/03/14/comet/index.html"),
        // A file where the build makes the tag pages.
        (
            "static/tags",
            "static/tags:",
            "9 generated files such as tags/index.html",
        ),
        // A folder where the build writes the home page.
        (
            "static/index.html/x.txt",
            "static/index.html:",
            "index.html",
        ),
        // A file below a path where the build writes a file.
        (
            "static/robots.txt/y.txt",
            "static/robots.txt:",
            "robots.txt",
        ),
    ] {
        let site = two_stories();
        site.build_ok(&[]);
        let before = site.snapshot();
        site.write(static_file, "mine");
        let built = site.build_fails();
        let errors = built.errors();
        assert_eq!(errors.len(), 1, "{static_file}: {}", built.stderr);
        assert!(
            errors[0].starts_with(&format!("error: {named}")) && errors[0].contains(deleted),
            "{static_file}: {}",
            errors[0]
        );
        assert!(
            site.snapshot() == before,
            "{static_file}: the output changed"
        );

        let checked = site.run(&["check"]);
        assert_eq!(checked.code, 1, "{static_file}: {}", checked.stderr);
        assert_eq!(checked.errors(), errors, "{static_file}: check disagrees");
    }
}

#[test]
fn a_static_file_replacing_a_generated_one_builds_and_check_names_both() {
    let site = two_stories();
    site.write("static/robots.txt", "User-agent: *\n");
    let built = site.build_ok(&[]);
    assert_eq!(
        fs::read(public(&site).join("robots.txt")).expect("robots"),
        b"User-agent: *\n"
    );
    assert!(
        !built.stderr.contains("robots.txt"),
        "the build stays quiet: {}",
        built.stderr
    );
    let checked = site.run(&["check"]);
    assert_eq!(checked.code, 0, "{}", checked.stderr);
    let warnings = checked.warnings();
    assert!(
        warnings.iter().any(|w| w.starts_with(
            "warning: static/robots.txt: this static file replaces the generated file robots.txt"
        )),
        "{warnings:?}"
    );
}

#[test]
fn hidden_static_files_stay_out_unless_listed_with_one_warning() {
    let site = two_stories();
    for file in [
        "static/.env",
        "static/.git/config",
        "static/.git/HEAD",
        "static/css/.DS_Store",
        "static/.htaccess",
        "static/.well-known/security.txt",
    ] {
        site.write(file, "secret");
    }
    site.write("gazette.yaml", "publish_hidden: [\".htaccess\"]\n");
    let built = site.build_ok(&[]);
    assert!(site.exists(".htaccess") && site.exists(".well-known/security.txt"));
    for gone in [".env", ".git", "css/.DS_Store"] {
        assert!(!site.exists(gone), "{gone} was published");
    }
    let said: Vec<_> = built
        .warnings()
        .into_iter()
        .filter(|w| w.contains("hidden"))
        .collect();
    assert_eq!(
        said,
        [
            "warning: static: 3 hidden files and folders not published: static/.env, static/.git/, \
          static/css/.DS_Store (hidden files such as .env and .git/ stay private; to publish one such as .htaccess, list \
          its name under `publish_hidden:` in gazette.yaml)"
        ],
        "{}",
        built.stderr
    );
    let checked = site.run(&["check"]);
    assert!(
        checked
            .warnings()
            .iter()
            .any(|w| w.starts_with("warning: static: 3 hidden files and folders")),
        "{}",
        checked.stderr
    );
}

/// Runs `gazette build` on `site` with writes capped at 1 KiB a file, as a full disk caps them.
fn build_with_small_files(site: &Site) -> common::Run {
    // The shell ignores the signal a process gets past the cap, so that the write fails with an
    // error instead, and the cap and the ignored signal pass on to gazette.
    let out = Command::new("bash")
        .args([
            "-c",
            "trap '' XFSZ; ulimit -f 1; exec \"$0\" build --root \"$1\"",
        ])
        .arg(common::gazette_path())
        .arg(site.root())
        .output()
        .expect("run bash");
    common::Run::from(out)
}

#[test]
fn writes_that_find_no_room_are_one_error_naming_the_staged_file() {
    let site = Site::new();
    many_stories(&site, 10, "first");
    let run = build_with_small_files(&site);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    let error = errors[0];
    assert!(
        error.starts_with("error: .public.gazette-staging/"),
        "names the file really written: {error}"
    );
    assert!(
        error.contains("cannot write: a limit on file sizes was reached")
            && error.contains("more files could not be written"),
        "{error}"
    );
    assert!(!public(&site).exists());
    site.build_ok(&[]);
}

/// A small RAM disk (tmpfs) mounted for one test, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// Mounts a disk of `bytes`; needs root. Where it cannot, the test is skipped, loudly, and
    /// fails under CI, which runs as root.
    fn mount(test: &str, bytes: u64) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().expect("temp dir");
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
            .arg(dir.path())
            .output();
        match mounted {
            Ok(out) if out.status.success() => Some(SmallDisk { dir }),
            other => {
                let why = format!("cannot mount a small disk to fill (it needs root): {other:?}");
                assert!(
                    std::env::var("CI").as_deref() != Ok("true"),
                    "{test}: {why}"
                );
                common::skipped(test, &why);
                None
            }
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

/// `count` articles named `<prefix>-<n>`, replacing every article there was.
fn stories_named(site: &Site, prefix: &str, count: usize) {
    let _ = fs::remove_dir_all(site.path("content"));
    for i in 0..count {
        story(
            site,
            "world",
            &format!("{prefix}-{i}"),
            &format!("{prefix}{i}"),
            "A report.",
        );
    }
}

/// The room the files below `dir` take on a tmpfs, which gives a file whole pages of 4 KiB.
fn room(dir: &Path) -> u64 {
    let page = 4096;
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().expect("metadata").len().div_ceil(page) * page)
        .sum()
}

#[test]
fn a_full_disk_is_one_error_and_the_next_build_that_fits_succeeds() {
    let site = Site::new();
    stories_named(&site, "a", 20);
    let measured = tempfile::tempdir().expect("temp dir");
    site.build_ok(&[
        "--output",
        measured.path().join("p").to_str().expect("UTF-8"),
    ]);
    let size = room(measured.path());
    // Room for the site two and a half times: the output and one new build fit, the output and
    // a build twice as large do not.
    let test = "a_full_disk_is_one_error_and_the_next_build_that_fits_succeeds";
    let Some(disk) = SmallDisk::mount(test, (size * 5 / 2).div_ceil(4096) * 4096) else {
        return;
    };
    let output = disk.path().join("public");
    let out_arg = output.to_str().expect("UTF-8 temp path");
    site.build_ok(&["--output", out_arg]);
    let before = listing(&output);

    stories_named(&site, "b", 40);
    let run = site.run(&["build", "--output", out_arg]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "one error for a full disk: {}", run.stderr);
    let staging = disk.path().join(".public.gazette-staging");
    assert!(
        errors[0].starts_with(&format!("error: {}/", staging.display()))
            && errors[0].contains("the disk is full")
            && errors[0].contains("more files could not be written"),
        "{}",
        errors[0]
    );
    assert!(
        listing(&output) == before,
        "the failed build touched the output"
    );

    // A smaller site fits beside the output, but only if the failed build's files are gone.
    stories_named(&site, "c", 20);
    site.build_ok(&["--output", out_arg]);
    assert_eq!(listing(&output), clean(&site));
    let names: Vec<_> = fs::read_dir(disk.path())
        .expect("read disk")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(
        names.len(),
        4,
        "only the output, its staging folder, lock and state: {names:?}"
    );
}
