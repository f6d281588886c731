//! A build over an earlier output gives what a clean build gives. A seeded random series of edits
//! to a synthetic site (`examples/synthetic/`), each edit followed by `gazette build` into one
//! output folder kept across the series, and that folder then compared, file and folder, byte
//! for byte, with a build of the same site into a fresh empty folder. Whatever a build reuses
//! from the build before, it must never show.
//!
//! And a build killed with SIGKILL at any moment leaves the output it found or the whole new
//! one, never a mix, and the build after it is right.
//!
//! Every date written here is before 2026-11 (the synthetic site's dates end there), well before
//! any clock this runs under, so no article turns from future to published between the two
//! builds that are compared.
//!
//! A failure names its seed: `GAZETTE_DIFF_SEED=<seed> cargo test --test it incremental::`
//! replays that seed alone (`GAZETTE_DIFF_STEPS` sets how many edits it makes).

use crate::common::{self, Listing, synthetic};

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

/// Several sections, tags shared across articles, and a few pages of every list at the small
/// `paginate_by` set below, while each build stays quick in a debug build.
const ARTICLES: usize = 40;
/// Seeds are started in the normal suite until this much time has gone.
const SUITE_BUDGET: Duration = Duration::from_secs(15);
const SUITE_STEPS: usize = 6;
const LONG_SEEDS: u64 = 100;
const LONG_STEPS: usize = 40;

/// xorshift64: all the randomness a series of edits needs, replayed from its seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        // Never zero, the one state xorshift cannot leave.
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// In `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A seed for a run that names none: a new one each run, so that the suite tries new series.
fn fresh_seed() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
}

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value} is not a number")),
    )
}

/// `gazette build` of `site` into `output`.
fn build(site: &Path, output: &Path) -> common::Run {
    common::gazette()
        .args(["build", "--root"])
        .arg(site)
        .arg("--output")
        .arg(output)
        .output()
        .expect("run gazette")
        .into()
}

fn build_ok(site: &Path, output: &Path) -> Result<(), String> {
    let run = build(site, output);
    if run.code == 0 {
        Ok(())
    } else {
        Err(format!("the build failed:\n{}", run.stderr))
    }
}

/// What a build of `site` as it is now writes into a fresh empty folder.
fn clean_build(site: &Path) -> Result<Listing, String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("public");
    build_ok(site, &output)?;
    Ok(common::listing(&output))
}

/// The front matter of `text` with the line of `key` replaced by `value` (added after the first
/// line when missing), or removed for `None`. Only for keys written on one line.
fn set_front(text: &str, key: &str, value: Option<&str>) -> String {
    let body_at = text[4..].find("\n---\n").expect("front matter") + 5;
    let prefix = format!("{key}:");
    // The key's line goes, with the indented lines of a block value under it (corrections).
    let mut in_key = false;
    let mut lines: Vec<String> = text[4..body_at]
        .lines()
        .filter(|line| {
            in_key = line.starts_with(&prefix) || (in_key && line.starts_with(' '));
            !in_key
        })
        .map(str::to_string)
        .collect();
    if let Some(value) = value {
        lines.insert(lines.len().min(1), format!("{key}: {value}"));
    }
    format!("---\n{}\n{}", lines.join("\n"), &text[body_at..])
}

fn front_value(text: &str, key: &str) -> Option<String> {
    let body_at = text[4..].find("\n---\n")? + 5;
    let prefix = format!("{key}: ");
    text[4..body_at]
        .lines()
        .find_map(|line| line.strip_prefix(&prefix).map(str::to_string))
}

/// The built-in templates a site overrides in the series: the layout of every page, and the
/// summary every list shows.
const OVERRIDDEN: [(&str, &str); 2] = [
    ("base.html", include_str!("../../templates/base.html")),
    (
        "partials/summary.html",
        include_str!("../../templates/partials/summary.html"),
    ),
];

/// A synthetic site under edit, and the output its builds share.
struct Newsroom {
    _dir: tempfile::TempDir,
    site: PathBuf,
    output: PathBuf,
    rng: Rng,
    /// Numbers what the edits make, so that no two things share a name.
    serial: usize,
}

impl Newsroom {
    fn new(seed: u64) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let site = dir.path().join("site");
        synthetic::write(&site, ARTICLES).expect("generate the synthetic site");
        let config = site.join("gazette.yaml");
        let text = fs::read_to_string(&config).expect("read config");
        fs::write(&config, text.replace("paginate_by: 10", "paginate_by: 4")).expect("write");
        Self {
            output: dir.path().join("public"),
            _dir: dir,
            site,
            rng: Rng::new(seed),
            serial: 0,
        }
    }

    fn next_serial(&mut self) -> usize {
        self.serial += 1;
        self.serial
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.site.join(relative)
    }

    fn read(&self, path: &Path) -> String {
        fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn write(&self, path: &Path, text: &str) {
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }

    /// The files below `folder` of the site, in a fixed order, so that a seed replays.
    fn files(&self, folder: &str) -> Vec<PathBuf> {
        walkdir::WalkDir::new(self.path(folder))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect()
    }

    fn articles(&self) -> Vec<PathBuf> {
        let others = ["bots", "editors", "pages"].map(|f| self.path(&format!("content/{f}")));
        self.files("content")
            .into_iter()
            .filter(|p| !others.iter().any(|o| p.starts_with(o)))
            .collect()
    }

    fn sections(&self) -> Vec<PathBuf> {
        let mut sections: Vec<PathBuf> = self
            .articles()
            .iter()
            .filter_map(|p| p.parent().map(Path::to_path_buf))
            .collect();
        sections.dedup();
        sections
    }

    fn random_article(&mut self) -> PathBuf {
        let articles = self.articles();
        self.rng.pick(&articles).clone()
    }

    fn relative<'a>(&self, path: &'a Path) -> std::path::Display<'a> {
        path.strip_prefix(&self.site).unwrap_or(path).display()
    }

    /// Rewrites one front matter key of `article`.
    fn set(&mut self, article: &Path, key: &str, value: Option<&str>) -> String {
        let text = set_front(&self.read(article), key, value);
        self.write(article, &text);
        let article = self.relative(article);
        match value {
            Some(value) => format!("{key} of {article} set to {value}"),
            None => format!("{key} of {article} removed"),
        }
    }

    /// A date in the archive: often the newest, else anywhere in its three years.
    fn date(&mut self) -> String {
        let offset = *self.rng.pick(&["Z", "+01:00", "-05:00", "+09:00"]);
        let (hour, minute) = (self.rng.below(24), self.rng.below(60));
        let (year, month, day) = if self.rng.chance(30) {
            (2026, 10, 20 + self.rng.below(12))
        } else {
            (
                2024 + self.rng.below(3),
                1 + self.rng.below(9),
                1 + self.rng.below(28),
            )
        };
        format!("{year}-{month:02}-{day:02}T{hour:02}:{minute:02}:00{offset}")
    }

    /// One or two tags of another article, so tag pages shared with the rest of the site move,
    /// and sometimes a tag of the series' own.
    fn tags(&mut self) -> String {
        let other = self.random_article();
        let line = front_value(&self.read(&other), "tags").unwrap_or_default();
        let theirs: Vec<String> = line
            .trim_start_matches('[')
            .trim_end_matches(']')
            .split(", ")
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        let mut tags: Vec<String> = Vec::new();
        for _ in 0..1 + self.rng.below(2) {
            let tag = theirs.get(self.rng.below(theirs.len().max(1)));
            if let Some(tag) = tag.filter(|t| !tags.contains(t)) {
                tags.push(tag.clone());
            }
        }
        if tags.is_empty() || self.rng.chance(30) {
            tags.push(self.rng.pick(&["follow-up", "desk notes"]).to_string());
        }
        format!("[{}]", tags.join(", "))
    }

    fn add_article(&mut self) -> String {
        let n = self.next_serial();
        let sections = self.sections();
        let section = self.rng.pick(&sections).clone();
        let date = self.date();
        let mut front = format!("title: \"Added report {n}\"\n");
        // Half are dated by their file name alone, as many bots write them.
        let name = if self.rng.chance(50) {
            format!("{}-added-{n}.md", &date[..10])
        } else {
            let _ = writeln!(front, "date: {date}");
            format!("added-{n}.md")
        };
        let bots = self.files("content/bots");
        if self.rng.chance(80) {
            let bot = self.rng.pick(&bots).file_stem().expect("stem");
            let _ = writeln!(front, "author: {}", bot.to_string_lossy());
        }
        let _ = writeln!(front, "tags: {}", self.tags());
        if self.rng.chance(30) {
            let _ = writeln!(front, "story: thread-{}", self.rng.below(3));
        }
        let path = section.join(name);
        let body =
            format!("Report {n} opens with what happened.\n\n## Details\n\nReport {n} goes on.\n");
        self.write(&path, &format!("---\n{front}---\n{body}"));
        format!("added {}", self.relative(&path))
    }

    fn edit_body(&mut self) -> String {
        let article = self.random_article();
        let n = self.next_serial();
        let text = self.read(&article) + &format!("\nUpdate {n} adds a line.\n");
        self.write(&article, &text);
        format!("body of {} edited", self.relative(&article))
    }

    /// Corrects an article (its date of change moves, `/corrections/` and its feeds change),
    /// or now and then takes its corrections away.
    fn correct(&mut self) -> String {
        let article = self.random_article();
        let n = self.next_serial();
        let day = 1 + self.rng.below(28);
        let corrections = match self.rng.below(10) {
            0 => None,
            1..4 => Some(format!(
                "[{{ date: 2026-11-{day:02}, text: \"Fix {n}.\" }}, {{ date: 2026-11-{day:02}, text: \"Fix {n}b.\" }}]"
            )),
            _ => Some(format!(
                "[{{ date: 2026-11-{day:02}, text: \"Fix {n}.\" }}]"
            )),
        };
        self.set(&article, "corrections", corrections.as_deref())
    }

    /// Retracts an article (it leaves every list, related list, thread and feed but the
    /// site's), or takes a retraction back.
    fn retract(&mut self) -> String {
        let article = self.random_article();
        let n = self.next_serial();
        let retracted = (front_value(&self.read(&article), "retracted").is_none()).then(|| {
            let day = 1 + self.rng.below(28);
            format!("{{ date: 2026-11-{day:02}, reason: \"Retracted by edit {n}.\" }}")
        });
        self.set(&article, "retracted", retracted.as_deref())
    }

    fn edit_date(&mut self) -> String {
        // A correction dated before a back-dated article would be an error of its own.
        let undated: Vec<PathBuf> = self
            .articles()
            .into_iter()
            .filter(|a| front_value(&self.read(a), "updated").is_none())
            .collect();
        let article = self.rng.pick(&undated).clone();
        let date = self.date();
        self.set(&article, "date", Some(&date))
    }

    fn edit_story(&mut self) -> String {
        let article = self.random_article();
        let story = format!("thread-{}", self.rng.below(3));
        let story = (!self.rng.chance(25)).then_some(story.as_str());
        self.set(&article, "story", story)
    }

    fn delete(&mut self) -> String {
        let article = self.random_article();
        fs::remove_file(&article).expect("delete");
        format!("deleted {}", self.relative(&article))
    }

    /// A new file name, its date prefix kept, sometimes in another section.
    fn rename(&mut self) -> String {
        let article = self.random_article();
        let n = self.next_serial();
        let name = article.file_name().expect("name").to_string_lossy();
        let dated = name.len() > 11 && name.as_bytes()[..4].iter().all(u8::is_ascii_digit);
        let prefix = if dated { &name[..11] } else { "" };
        let sections = self.sections();
        let folder = if self.rng.chance(30) {
            self.rng.pick(&sections).clone()
        } else {
            article.parent().expect("section").to_path_buf()
        };
        let to = folder.join(format!("{prefix}renamed-{n}.md"));
        fs::rename(&article, &to).expect("rename");
        format!(
            "renamed {} to {}",
            self.relative(&article),
            self.relative(&to)
        )
    }

    fn edit_bio(&mut self) -> String {
        let bots = self.files("content/bots");
        let bot = self.rng.pick(&bots).clone();
        let n = self.next_serial();
        self.set(&bot, "bio", Some(&format!("\"Bio, edition {n}.\"")))
    }

    /// Adds an editor or edits one (never removes one: articles may name them), or has an
    /// article name a reviewer, or no longer.
    fn edit_editors(&mut self) -> String {
        let editors = self.files("content/editors");
        let n = self.next_serial();
        if editors.is_empty() || self.rng.chance(25) {
            let path = self.path(&format!("content/editors/e{n}.md"));
            self.write(
                &path,
                &format!("---\nname: Editor {n}\nrole: Desk {n}\n---\nAbout.\n"),
            );
            return format!("added {}", self.relative(&path));
        }
        let editor = self.rng.pick(&editors).clone();
        if self.rng.chance(40) {
            return self.set(&editor, "role", Some(&format!("\"Desk, edition {n}\"")));
        }
        let article = self.random_article();
        let id = editor
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let reviewer = self.rng.chance(75).then_some(id.as_str());
        self.set(&article, "reviewed_by", reviewer)
    }

    fn edit_config(&mut self) -> String {
        let config = self.path("gazette.yaml");
        let n = self.next_serial();
        let (key, value) = if self.rng.chance(50) {
            ("title", format!("\"Synthetic Gazette, edition {n}\""))
        } else {
            let per_page = self.rng.pick(&[3, 4, 5, 10]);
            ("paginate_by", per_page.to_string())
        };
        let text: Vec<String> = self
            .read(&config)
            .lines()
            .map(|line| match line.starts_with(&format!("{key}:")) {
                true => format!("{key}: {value}"),
                false => line.to_string(),
            })
            .collect();
        self.write(&config, &(text.join("\n") + "\n"));
        format!("gazette.yaml: {key} set to {value}")
    }

    /// Overrides a built-in template with a marked copy, marks it anew, or removes it.
    fn edit_template(&mut self) -> String {
        let (name, built_in) = *self.rng.pick(&OVERRIDDEN);
        let path = self.path("templates").join(name);
        if path.exists() && self.rng.chance(25) {
            fs::remove_file(&path).expect("remove template");
            return format!("templates/{name} removed");
        }
        let n = self.next_serial();
        let verb = if path.exists() { "changed" } else { "added" };
        self.write(&path, &format!("{built_in}<!-- edition {n} -->\n"));
        format!("templates/{name} {verb}")
    }

    fn edit_static(&mut self) -> String {
        let statics = self.files("static");
        let n = self.next_serial();
        if statics.is_empty() || self.rng.chance(40) {
            let folder = self.rng.pick(&["static", "static/notes"]);
            let path = self.path(folder).join(format!("note-{n}.txt"));
            self.write(&path, &format!("note {n}\n"));
            return format!("added {}", self.relative(&path));
        }
        let file = self.rng.pick(&statics).clone();
        if self.rng.chance(50) {
            fs::remove_file(&file).expect("remove static file");
            format!("removed {}", self.relative(&file))
        } else {
            self.write(&file, &format!("note changed by edit {n}\n"));
            format!("changed {}", self.relative(&file))
        }
    }

    /// A broken article: the build refuses it and leaves the output as it was; then it goes.
    fn broken_article(&mut self) -> Result<String, String> {
        let n = self.next_serial();
        let path = self.path(&format!("content/world/broken-{n}.md"));
        self.write(&path, "---\ntitle: [unclosed\n---\nNo good.\n");
        let before = common::listing(&self.output);
        let run = build(&self.site, &self.output);
        fs::remove_file(&path).expect("remove the broken article");
        if run.code != 1 {
            return Err(format!(
                "a build with a broken article exited with {}, not 1:\n{}",
                run.code, run.stderr
            ));
        }
        match common::difference(&before, &common::listing(&self.output)) {
            Some(d) => Err(format!("a failed build changed the output: {d}")),
            None => Ok("a broken article, refused, then removed".into()),
        }
    }

    /// Makes one edit, chosen at random, and says what it was.
    fn edit(&mut self) -> Result<String, String> {
        let text = match self.rng.below(110) {
            0..14 => self.add_article(),
            14..24 => self.edit_body(),
            24..32 => {
                let (article, n) = (self.random_article(), self.next_serial());
                self.set(&article, "title", Some(&format!("\"Retitled {n}\"")))
            }
            32..40 => {
                let (article, tags) = (self.random_article(), self.tags());
                self.set(&article, "tags", Some(&tags))
            }
            40..48 => self.edit_date(),
            48..54 => self.edit_story(),
            54..60 if self.articles().len() > 10 => self.delete(),
            54..66 => self.rename(),
            66..70 => self.edit_bio(),
            70..76 => self.edit_config(),
            76..82 => self.edit_template(),
            82..87 => self.edit_static(),
            87..91 => self.edit_editors(),
            91..95 => return self.broken_article(),
            // The front page's lead and the pictures of cards and lists.
            95..97 => {
                let (article, on) = (self.random_article(), self.rng.chance(70));
                self.set(&article, "featured", on.then_some("true"))
            }
            97..99 => {
                let (article, n) = (self.random_article(), self.next_serial());
                let image = format!("{{ src: /images/p{n}.svg, alt: \"Picture {n}\" }}");
                self.set(&article, "image", Some(&image))
            }
            99..103 => self.correct(),
            103..106 => self.retract(),
            // An old URL kept alive: its redirect page and `_redirects` come and go.
            106..110 => {
                let (article, n) = (self.random_article(), self.next_serial());
                let alias = format!("[/old/alias-{n}/]");
                let alias = (!self.rng.chance(30)).then_some(alias.as_str());
                self.set(&article, "aliases", alias)
            }
            _ => "nothing".into(),
        };
        Ok(text)
    }

    /// Builds into the kept output and into a fresh one, and compares them.
    fn build_and_compare(&self) -> Result<(), String> {
        build_ok(&self.site, &self.output)?;
        let expected = clean_build(&self.site)?;
        match common::difference(&expected, &common::listing(&self.output)) {
            Some(d) => Err(format!(
                "the output differs from a clean build (- clean, + kept output): {d}"
            )),
            None => Ok(()),
        }
    }
}

/// Runs the series of `steps` edits of `seed`; on a difference, says at which edit, after which
/// others, and how to replay it.
fn run_seed(seed: u64, steps: usize) -> Result<(), String> {
    let mut newsroom = Newsroom::new(seed);
    let mut done = vec!["the first build".to_string()];
    let mut result = newsroom.build_and_compare();
    for _ in 0..steps {
        if result.is_err() {
            break;
        }
        // Now and then several files change between two builds, as when a bot publishes a batch.
        let edits = if newsroom.rng.chance(20) { 3 } else { 1 };
        let mut step = Vec::new();
        for _ in 0..edits {
            match newsroom.edit() {
                Ok(edit) => step.push(edit),
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        done.push(step.join("; "));
        result = result.and_then(|()| newsroom.build_and_compare());
    }
    result.map_err(|e| {
        let mut report = format!("seed {seed}, after edit {}: {e}\nedits:\n", done.len() - 1);
        for (i, edit) in done.iter().enumerate() {
            let _ = writeln!(report, "  {i}. {edit}");
        }
        let _ = write!(
            report,
            "replay: GAZETTE_DIFF_SEED={seed} GAZETTE_DIFF_STEPS={steps} cargo test --test it incremental::"
        );
        report
    })
}

/// The seed of `GAZETTE_DIFF_SEED` alone, or seeds from a fresh one on until `budget` has gone
/// (each seed started is finished) or `most` seeds ran.
fn run_seeds(budget: Duration, most: u64, steps: usize) {
    let steps = env_number("GAZETTE_DIFF_STEPS").map_or(steps, |s| s as usize);
    if let Some(seed) = env_number("GAZETTE_DIFF_SEED") {
        if let Err(report) = run_seed(seed, steps) {
            panic!("{report}");
        }
        return;
    }
    let first = fresh_seed();
    let started = Instant::now();
    let mut seeds = 0;
    while seeds < most && started.elapsed() < budget {
        if let Err(report) = run_seed(first.wrapping_add(seeds), steps) {
            panic!("{report}");
        }
        seeds += 1;
    }
    eprintln!(
        "{seeds} seeds of {steps} edits from seed {first} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn builds_over_an_earlier_output_match_clean_builds() {
    run_seeds(SUITE_BUDGET, u64::MAX, SUITE_STEPS);
}

/// `cargo test --test it incremental_long -- --ignored` (see docs/src/contributing.md).
#[test]
#[ignore = "minutes long: many more seeds and edits than the normal suite"]
fn incremental_long() {
    run_seeds(Duration::MAX, LONG_SEEDS, LONG_STEPS);
}

/// Enough articles that a build takes a while to kill, even in a release build.
const KILL_ARTICLES: usize = 200;

/// Two versions of a synthetic site that differ the way a newsroom's edits do: a new newest
/// article, an old article retitled, a bot's bio changed.
struct TwoVersions {
    site: PathBuf,
    /// Each changed file's path and its text in the first and in the second version; `None`
    /// where the version lacks it.
    changes: Vec<(PathBuf, Option<String>, Option<String>)>,
}

impl TwoVersions {
    fn new(site: &Path) -> Self {
        synthetic::write(site, KILL_ARTICLES).expect("generate the synthetic site");
        let (newest, text) = synthetic::newest_article(KILL_ARTICLES);
        let mut changes = vec![(site.join(newest), None, Some(text))];
        let bot = site.join("content/bots/ledgerbot.md");
        let old = walkdir::WalkDir::new(site.join("content/world"))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .find(|e| e.file_type().is_file())
            .expect("an article in world/")
            .into_path();
        for (path, key, value) in [(old, "title", "\"Retitled\""), (bot, "bio", "\"New bio.\"")] {
            let text = fs::read_to_string(&path).expect("read");
            let edited = set_front(&text, key, Some(value));
            changes.push((path, Some(text), Some(edited)));
        }
        Self {
            site: site.to_path_buf(),
            changes,
        }
    }

    /// Makes the site the first version (0) or the second (1).
    fn switch(&self, version: usize) {
        for (path, first, second) in &self.changes {
            match [first, second][version] {
                Some(text) => fs::write(path, text).expect("write"),
                None => {
                    let _ = fs::remove_file(path);
                }
            }
        }
    }

    fn start_build(&self, output: &Path) -> Child {
        common::gazette()
            .args(["build", "--root"])
            .arg(&self.site)
            .arg("--output")
            .arg(output)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gazette")
    }
}

/// Starts a build and kills it with SIGKILL after `delay`.
fn kill_after(versions: &TwoVersions, output: &Path, delay: Duration) {
    let mut child = versions.start_build(output);
    thread::sleep(delay);
    // On Unix, `kill` is SIGKILL.
    child.kill().expect("kill");
    child.wait().expect("wait");
}

/// `count` delays spread over `took`: at once, at random, late, very early, just after the
/// build would end, then at random.
fn delays(rng: &mut Rng, took: Duration, count: usize) -> Vec<Duration> {
    let mut random = || took.mul_f64(rng.below(1000) as f64 / 1000.0);
    let mut delays = vec![
        Duration::ZERO,
        random(),
        took.mul_f64(0.9),
        Duration::from_millis(3),
        took.mul_f64(1.05),
    ];
    while delays.len() < count {
        delays.push(random());
    }
    delays.truncate(count);
    delays
}

#[test]
fn killed_builds_leave_the_old_or_the_new_output_and_the_next_build_is_right() {
    let seed = env_number("GAZETTE_DIFF_SEED").unwrap_or_else(fresh_seed);
    let mut rng = Rng::new(seed);
    let dir = tempfile::tempdir().expect("temp dir");
    let versions = TwoVersions::new(&dir.path().join("site"));
    let mut builds = Vec::new();
    let mut took = Duration::ZERO;
    for version in [0, 1] {
        versions.switch(version);
        let started = Instant::now();
        builds.push(clean_build(&versions.site).expect("clean build"));
        took = started.elapsed();
    }
    let is = |got: &Listing, version: usize| common::difference(&builds[version], got).is_none();

    // The first build into an empty folder, killed: nothing, or the whole build.
    for (i, delay) in delays(&mut rng, took, 3).into_iter().enumerate() {
        let output = dir.path().join(format!("first-{i}"));
        kill_after(&versions, &output, delay);
        let got = common::listing(&output);
        assert!(
            got.is_empty() || is(&got, 1),
            "seed {seed}: a first build killed after {delay:?} left {} paths, not none or the \
             whole build: {}",
            got.len(),
            common::difference(&builds[1], &got).unwrap_or_default()
        );
        build_ok(&versions.site, &output).expect("build after a kill");
        if let Some(d) = common::difference(&builds[1], &common::listing(&output)) {
            panic!("seed {seed}: the build after a first build killed after {delay:?}: {d}");
        }
    }

    // Builds over an output, killed as they switch it from one version to the other.
    let output = dir.path().join("public");
    versions.switch(0);
    build_ok(&versions.site, &output).expect("build");
    versions.switch(1);
    let started = Instant::now();
    build_ok(&versions.site, &output).expect("build");
    let took = started.elapsed();
    let mut now = 1;
    for delay in delays(&mut rng, took, 6) {
        let next = 1 - now;
        versions.switch(next);
        kill_after(&versions, &output, delay);
        let got = common::listing(&output);
        assert!(
            is(&got, now) || is(&got, next),
            "seed {seed}: a build killed after {delay:?} left neither the old output nor the \
             new: against the old, {}",
            common::difference(&builds[now], &got).unwrap_or_default()
        );
        build_ok(&versions.site, &output).expect("build after a kill");
        if let Some(d) = common::difference(&builds[next], &common::listing(&output)) {
            panic!("seed {seed}: the build after one killed after {delay:?}: {d}");
        }
        now = next;
    }
}
