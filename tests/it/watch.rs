//! `gazette build --watch`: the real binary runs over a fixture site while the tests edit,
//! break and fix its files, and read what it publishes in public/.

use crate::common;

use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::server::{PATIENCE, collect_lines};
use common::{Site, article_front, two_article_site};

const PORT: &str = "public/2026/03/14/port/index.html";

/// A running `gazette build --watch`, killed when dropped.
struct Watching {
    child: Child,
    /// Every line printed so far, stdout and stderr.
    output: Arc<Mutex<Vec<String>>>,
}

impl Watching {
    /// Starts watching `site` and waits for the first build to be done.
    fn start(site: &Site) -> Watching {
        let watching = Self::spawn(site);
        watching.wait_for("watching ", 1);
        watching
    }

    fn spawn(site: &Site) -> Watching {
        let mut child = common::gazette()
            .args(["build", "--watch", "--root"])
            .arg(site.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gazette build --watch");
        let output = Arc::new(Mutex::new(Vec::new()));
        collect_lines(child.stdout.take().expect("stdout"), output.clone());
        collect_lines(child.stderr.take().expect("stderr"), output.clone());
        Watching { child, output }
    }

    /// The lines printed so far that contain `text`.
    fn printed(&self, text: &str) -> Vec<String> {
        let lines = self.output.lock().expect("output");
        lines.iter().filter(|l| l.contains(text)).cloned().collect()
    }

    /// Waits until `count` lines containing `text` have been printed.
    fn wait_for(&self, text: &str, count: usize) {
        self.wait_until(&format!("{count} lines with `{text}`"), || {
            self.printed(text).len() >= count
        });
    }

    fn wait_until(&self, what: &str, done: impl Fn() -> bool) {
        let started = Instant::now();
        while !done() {
            assert!(
                started.elapsed() < PATIENCE,
                "waited {PATIENCE:?} for {what}; printed:\n{}",
                self.output.lock().expect("output").join("\n")
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends `signal` and waits for the process to end.
    fn stop(&mut self, signal: &str) -> ExitStatus {
        let sent = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(sent.success());
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "still running {PATIENCE:?} after {signal}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn file_holds(site: &Site, file: &str, text: &str) -> bool {
    std::fs::read_to_string(site.path(file)).is_ok_and(|html| html.contains(text))
}

#[test]
fn an_edit_is_published_and_the_build_does_not_set_off_another() {
    let site = two_article_site();
    let watching = Watching::start(&site);
    assert_eq!(watching.printed("built 2 articles").len(), 1);
    assert!(file_holds(&site, PORT, "Port strike ends"));

    site.article(
        "world",
        "port",
        &article_front("Port reopens"),
        "Ships dock.",
    );
    watching.wait_until("the new title in public/", || {
        file_holds(&site, PORT, "Port reopens")
    });
    watching.wait_for("rebuilt 2 articles", 1);
    let line = &watching.printed("rebuilt ")[0];
    assert!(
        line.contains(" written, ") && line.contains(" unchanged, ") && line.contains(" removed"),
        "{line}"
    );
    // The rebuild wrote public/ and its staging folder, inside the watched site: neither is
    // a change to the site.
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        watching.printed("rebuilt ").len(),
        1,
        "{:?}",
        watching.printed("")
    );
}

#[test]
fn fifty_files_written_at_once_give_one_rebuild() {
    let site = two_article_site();
    let watching = Watching::start(&site);
    // The watcher ends a burst after 100 ms without a change. On a loaded machine this test can
    // itself be descheduled for that long between two writes, which really is two bursts: count
    // those pauses, so that the test checks the watcher and not the machine's load.
    let mut pauses = 0;
    let mut last = Instant::now();
    for n in 0..50 {
        let front = article_front(&format!("Bulk {n}"));
        site.article("world", &format!("bulk-{n:02}"), &front, "Body.");
        pauses += usize::from(last.elapsed() >= Duration::from_millis(80));
        last = Instant::now();
    }
    watching.wait_for("rebuilt 52 articles", 1);
    std::thread::sleep(Duration::from_millis(1500));
    let rebuilds = watching.printed("rebuilt ").len();
    assert!(
        (1..=1 + pauses).contains(&rebuilds),
        "{rebuilds} rebuilds for one burst with {pauses} pauses: {:?}",
        watching.printed("")
    );
    assert!(site.exists("2026/03/14/bulk-49/index.html"));
}

#[test]
fn a_broken_article_keeps_the_last_good_output_until_it_is_fixed() {
    let site = two_article_site();
    let watching = Watching::start(&site);
    let good = site.snapshot();

    site.write(
        "content/world/port.md",
        "---\ntitle: [unclosed\n---\nBody.\n",
    );
    watching.wait_for("build failed: 1 error", 1);
    let errors = watching.printed("error: ");
    assert!(
        errors.iter().any(|e| e.contains("content/world/port.md")),
        "{errors:?}"
    );
    assert_eq!(site.snapshot(), good, "a failed build changed public/");

    site.article("world", "port", &article_front("Port fixed"), "Body.");
    watching.wait_for("rebuilt 2 articles", 1);
    assert!(file_holds(&site, PORT, "Port fixed"));
}

#[test]
fn sigterm_and_ctrl_c_stop_it_with_exit_code_0() {
    for signal in ["-TERM", "-INT"] {
        let site = two_article_site();
        let mut watching = Watching::start(&site);
        let status = watching.stop(signal);
        assert!(status.success(), "{signal}: {status}");
        assert_eq!(watching.printed("stopped").len(), 1, "{signal}");
    }
}

#[test]
fn a_signal_during_a_build_lets_it_finish() {
    // Enough articles that the first build of a debug binary takes well over the moment the
    // signal is sent.
    let site = Site::new();
    for n in 0..300 {
        let front = article_front(&format!("Story {n}"));
        site.article("world", &format!("story-{n:03}"), &front, "Body.");
    }
    let mut watching = Watching::spawn(&site);
    std::thread::sleep(Duration::from_millis(300));
    let built_before = !watching.printed("built ").is_empty();
    let status = watching.stop("-TERM");
    assert!(status.success(), "{status}");
    if built_before {
        common::skipped(
            "a_signal_during_a_build_lets_it_finish",
            "the build was over before the signal",
        );
        return;
    }
    let lines = watching.output.lock().expect("output").clone();
    let at = |text: &str| lines.iter().position(|l| l.contains(text));
    let (stopping, built) = (at("stopping once"), at("built 300 articles"));
    assert!(
        stopping.is_some() && built > stopping && at("stopped") > built,
        "{lines:?}"
    );
    assert!(site.exists("2026/03/14/story-299/index.html"));
}
