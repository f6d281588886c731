//! Builds synthetic sites of N articles with the release `gazette` binary and prints, for each
//! N, the wall time, articles per second and peak memory of a cold build (empty output folder),
//! of rebuilds of the unchanged site, of publishing one new article (a build after one article
//! dated after all others is added; with the files of the output it made new, changed and
//! removed) and, with `--check`, of `gazette check`, as a Markdown table to paste into
//! BENCHMARKS.md, headed by the machine, the commit and the command.
//!
//! ```sh
//! cargo run --release --example bench -- [N ...] [--runs 5] [--dir DIR] [--check] [-- ARGS]
//! ```
//!
//! Every run is a child process, timed from spawn to exit; its peak memory is the largest
//! resident set the kernel counted for it (`wait4`'s `ru_maxrss`), not a sample. Sites (made by
//! `synthetic/`) are kept in DIR and reused while they are current; outputs are removed once
//! measured; the published article is removed again after each measurement. ARGS after `--`
//! go to every gazette run, e.g. `-- --timings` for stage times.

#[cfg(unix)]
mod synthetic;

#[cfg(unix)]
fn main() -> std::process::ExitCode {
    unix::main()
}

#[cfg(not(unix))]
fn main() {
    eprintln!("bench measures child processes with wait4, which only Unix systems have");
}

#[cfg(unix)]
mod unix {
    use std::collections::HashMap;
    use std::fs::{self, File};
    use std::hash::{DefaultHasher, Hasher};
    use std::os::unix::process::ExitStatusExt;
    use std::path::{Path, PathBuf};
    use std::process::{Command, ExitCode, ExitStatus};
    use std::time::{Duration, Instant, SystemTime};

    use clap::Parser;

    use crate::synthetic;

    /// Left in DIR, so that the bench only ever empties folders it made.
    const MARKER: &str = ".gazette-bench";

    /// Disk or memory a site needs, measured on generated sites: about 8 KB of Markdown and
    /// 31 KB of output per article, the output twice (gazette keeps the previous build as its
    /// staging folder), and the feeds, whose size does not grow with the site.
    const BYTES_PER_ARTICLE: u64 = 8_000 + 2 * 31_000;
    const BYTES_FIXED: u64 = 300_000_000;

    #[derive(Parser)]
    #[command(about = "Time gazette builds of synthetic sites")]
    struct Args {
        /// Site sizes, in articles
        #[arg(default_values_t = [1_000, 10_000, 100_000])]
        sizes: Vec<usize>,
        /// Runs per size: the first is a cold build, the others rebuild the unchanged site; then
        /// as many publish one new article
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
        runs: u32,
        /// Where sites and outputs go [default: /dev/shm/gazette-bench if there is a
        /// /dev/shm, else gazette-bench in the temp folder]
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Time `gazette check` on each site too (as many runs)
        #[arg(long)]
        check: bool,
        /// The binary to measure [default: target/release/gazette, built first]
        #[arg(long)]
        gazette: Option<PathBuf>,
        /// Remove the sites when done (they are kept by default, for the next run)
        #[arg(long)]
        clean: bool,
        /// Arguments given to every gazette run, such as --timings
        #[arg(last = true)]
        extra: Vec<String>,
    }

    /// One child process, measured.
    #[derive(Clone, Copy)]
    struct Sample {
        wall: Duration,
        /// Bytes.
        peak: u64,
    }

    /// A row of the table: one kind of run on one site.
    struct Row {
        articles: usize,
        what: String,
        samples: Vec<Sample>,
        /// What the run did to the output's files, where it was counted.
        churn: Option<Churn>,
    }

    /// Files of the output that a build made, wrote anew (other bytes or another modification
    /// time: what a deploy that compares size and time uploads) and removed.
    #[derive(Clone, Copy, PartialEq)]
    struct Churn {
        new: usize,
        changed: usize,
        removed: usize,
    }

    pub fn main() -> ExitCode {
        let args = Args::parse();
        match run(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        }
    }

    fn run(args: &Args) -> Result<(), String> {
        let dir = args.dir.clone().unwrap_or_else(default_dir);
        claim(&dir)?;
        let gazette = match &args.gazette {
            Some(path) => path.clone(),
            None => release_binary()?,
        };
        print_header(args, &dir, &gazette);
        let mut rows = Vec::new();
        for &articles in &args.sizes {
            println!();
            if let Some(short) = lacks_room(&dir, articles) {
                println!("skipped {articles} articles: {short}");
                continue;
            }
            rows.extend(measure_site(args, &gazette, &dir, articles)?);
        }
        println!();
        print_table(&rows);
        let sites: Vec<PathBuf> = args.sizes.iter().map(|&n| site_dir(&dir, n)).collect();
        if args.clean {
            for site in sites.iter().filter(|s| s.exists()) {
                fs::remove_dir_all(site).map_err(|e| io(site, &e))?;
            }
        } else {
            println!(
                "\nThe sites are kept in {} for the next run; --clean removes them.",
                dir.display()
            );
        }
        Ok(())
    }

    /// tmpfs when there is one, so that the figures measure gazette rather than this machine's
    /// disk.
    fn default_dir() -> PathBuf {
        let shm = Path::new("/dev/shm");
        if shm.is_dir() {
            shm.join("gazette-bench")
        } else {
            std::env::temp_dir().join("gazette-bench")
        }
    }

    /// Makes `dir` ours: creates it, or accepts it when empty or marked by an earlier run.
    fn claim(dir: &Path) -> Result<(), String> {
        fs::create_dir_all(dir).map_err(|e| io(dir, &e))?;
        let marker = dir.join(MARKER);
        let empty = fs::read_dir(dir).map_err(|e| io(dir, &e))?.next().is_none();
        if !empty && !fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file()) {
            return Err(format!(
                "{} holds files that an earlier bench did not make (it has no {MARKER}); \
                 choose a new or empty folder with --dir",
                dir.display()
            ));
        }
        fs::write(
            &marker,
            "sites and build outputs of `cargo run --example bench`\n",
        )
        .map_err(|e| io(&marker, &e))
    }

    fn site_dir(dir: &Path, articles: usize) -> PathBuf {
        dir.join(format!("site-{articles}"))
    }

    /// `target/release/gazette`, brought up to date first when run by cargo: `cargo run
    /// --example` builds the library but not the binary, which may be older than the sources.
    fn release_binary() -> Result<PathBuf, String> {
        let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
        // target/<profile>/examples/bench
        let target = exe
            .ancestors()
            .nth(3)
            .ok_or("this program is not in a cargo target folder; give --gazette PATH")?;
        let binary = target.join("release").join("gazette");
        if let Some(cargo) = std::env::var_os("CARGO") {
            let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
            let status = Command::new(cargo)
                .args(["build", "--release", "--bin", "gazette", "--manifest-path"])
                .arg(&manifest)
                .status()
                .map_err(|e| format!("cannot run cargo: {e}"))?;
            if !status.success() {
                return Err("cargo build --release failed".into());
            }
        }
        if binary.is_file() {
            Ok(binary)
        } else {
            Err(format!(
                "{} is missing: run `cargo build --release` first",
                binary.display()
            ))
        }
    }

    fn print_header(args: &Args, dir: &Path, gazette: &Path) {
        println!("## gazette benchmark\n");
        println!("- machine: {}", machine());
        let commit = match &args.gazette {
            Some(_) => format!("{} (given with --gazette)", gazette.display()),
            None => format!("{}, release build", commit()),
        };
        println!("- gazette: {commit}");
        println!(
            "- sites and outputs in {} ({})",
            dir.display(),
            if is_tmpfs(dir) {
                "tmpfs: the disk is left out of the measurement"
            } else {
                "not tmpfs: the figures include this disk's speed"
            }
        );
        if let Some(threads) = std::env::var_os("RAYON_NUM_THREADS") {
            println!("- RAYON_NUM_THREADS={}", threads.to_string_lossy());
        }
        let command: Vec<String> = std::env::args().skip(1).collect();
        println!(
            "- command: `cargo run --release --example bench -- {}`",
            command.join(" ")
        );
    }

    /// nproc, CPU model, memory, kernel and load, from /proc where there is one.
    fn machine() -> String {
        let nproc = std::thread::available_parallelism().map_or(0, |n| n.get());
        let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = proc_field(&cpuinfo, "model name").unwrap_or("unknown CPU");
        let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory = proc_field(&meminfo, "MemTotal")
            .and_then(|kb| kb.trim_end_matches(" kB").parse::<f64>().ok())
            .map_or("unknown memory".into(), |kb| {
                format!("{:.1} GiB", kb / 1024.0 / 1024.0)
            });
        let kernel = fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
        let load = fs::read_to_string("/proc/loadavg").unwrap_or_default();
        let load: Vec<&str> = load.split_whitespace().take(3).collect();
        format!(
            "nproc {nproc}, {cpu}, {memory}, Linux {}, load average {} at start",
            kernel.trim(),
            load.join(" ")
        )
    }

    /// The value of `key: value` in a /proc text file.
    fn proc_field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
        text.lines()
            .filter_map(|line| line.split_once(':'))
            .find(|(k, _)| k.trim() == key)
            .map(|(_, v)| v.trim())
    }

    /// The short commit of the sources, marked when they have uncommitted changes.
    fn commit() -> String {
        let git = |args: &[&str]| {
            Command::new("git")
                .arg("-C")
                .arg(env!("CARGO_MANIFEST_DIR"))
                .args(args)
                .output()
                .ok()
                .filter(|out| out.status.success())
                .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        };
        match git(&["rev-parse", "--short", "HEAD"]) {
            Some(hash) => match git(&["status", "--porcelain", "--untracked-files=no"]) {
                Some(changes) if !changes.is_empty() => {
                    format!("commit {hash} with uncommitted changes")
                }
                _ => format!("commit {hash}"),
            },
            None => "commit unknown (no git)".into(),
        }
    }

    fn statfs(dir: &Path) -> Option<libc::statfs> {
        let path = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()).ok()?;
        let mut stat = std::mem::MaybeUninit::<libc::statfs>::uninit();
        // SAFETY: `path` is a valid C string and `stat` a buffer of the size statfs fills.
        let ok = unsafe { libc::statfs(path.as_ptr(), stat.as_mut_ptr()) } == 0;
        // SAFETY: statfs returned 0, so it filled `stat`.
        ok.then(|| unsafe { stat.assume_init() })
    }

    // statfs's field types differ from one system to the next, so casts that are no-ops here
    // are needed elsewhere.
    #[allow(clippy::unnecessary_cast)]
    fn is_tmpfs(dir: &Path) -> bool {
        // TMPFS_MAGIC from linux/magic.h.
        statfs(dir).is_some_and(|s| s.f_type as i64 == 0x0102_1994)
    }

    /// Why `dir` cannot take the site of `articles` and its output, if it cannot: a tmpfs
    /// takes its room from memory, so there free memory counts too.
    #[allow(clippy::unnecessary_cast)]
    fn lacks_room(dir: &Path, articles: usize) -> Option<String> {
        let stat = statfs(dir)?;
        let mut free = stat.f_bavail as u64 * stat.f_bsize as u64;
        if is_tmpfs(dir) {
            let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
            if let Some(kb) = proc_field(&meminfo, "MemAvailable")
                .and_then(|v| v.trim_end_matches(" kB").parse::<u64>().ok())
            {
                free = free.min(kb * 1024);
            }
        }
        let need = articles as u64 * BYTES_PER_ARTICLE + BYTES_FIXED;
        (free < need).then(|| {
            format!(
                "it needs about {:.1} GB in {} and {:.1} GB is free; choose another --dir",
                need as f64 / 1e9,
                dir.display(),
                free as f64 / 1e9
            )
        })
    }

    /// Generates the site if needed, then times the cold build, the rebuilds and the checks.
    fn measure_site(
        args: &Args,
        gazette: &Path,
        dir: &Path,
        articles: usize,
    ) -> Result<Vec<Row>, String> {
        let site = site_dir(dir, articles);
        let started = Instant::now();
        let written = synthetic::write(&site, articles)?;
        println!("{written} ({:.1} s)", started.elapsed().as_secs_f64());
        // Left by a run stopped while it was published.
        let newest = site.join(synthetic::newest_article(articles).0);
        if newest.exists() {
            fs::remove_file(&newest).map_err(|e| io(&newest, &e))?;
        }
        let work = dir.join(format!("out-{articles}"));
        if work.exists() {
            fs::remove_dir_all(&work).map_err(|e| io(&work, &e))?;
        }
        fs::create_dir_all(&work).map_err(|e| io(&work, &e))?;
        let rows = measure_runs(args, gazette, &site, &work, articles);
        // Removed even after a failed run: outputs of large sites are gigabytes.
        fs::remove_dir_all(&work).map_err(|e| io(&work, &e))?;
        rows
    }

    /// Times the cold build, the rebuilds and the checks of `site`, with the output in `work`.
    fn measure_runs(
        args: &Args,
        gazette: &Path,
        site: &Path,
        work: &Path,
        articles: usize,
    ) -> Result<Vec<Row>, String> {
        let output = work.join("public");
        let log = work.join("gazette.log");
        let mut build = Command::new(gazette);
        build
            .arg("build")
            .arg("--root")
            .arg(site)
            .arg("--output")
            .arg(&output)
            .args(&args.extra);
        let builds = repeat(&mut build, articles, args, &log)?;
        let (files, bytes) = tree_size(&output);
        println!(
            "output: {} files, {:.1} MB",
            grouped(files),
            bytes as f64 / 1e6
        );

        let mut rows = vec![Row {
            articles,
            what: "build, cold (empty output)".into(),
            samples: builds[..1].to_vec(),
            churn: None,
        }];
        if builds.len() > 1 {
            rows.push(Row {
                articles,
                what: format!("build, unchanged site{}", median_of(builds.len() - 1)),
                samples: builds[1..].to_vec(),
                churn: None,
            });
        }
        rows.push(publish_one(
            args, &mut build, site, &output, articles, &log,
        )?);
        if args.check {
            let mut check = Command::new(gazette);
            check.arg("check").arg("--root").arg(site).args(&args.extra);
            let checks = repeat(&mut check, articles, args, &log)?;
            rows.push(Row {
                articles,
                what: format!("check{}", median_of(checks.len())),
                samples: checks,
                churn: None,
            });
        }
        Ok(rows)
    }

    /// Runs `command` `--runs` times, saying how each run went.
    fn repeat(
        command: &mut Command,
        articles: usize,
        args: &Args,
        log: &Path,
    ) -> Result<Vec<Sample>, String> {
        let what = command.get_args().next().unwrap_or_default().to_owned();
        (1..=args.runs)
            .map(|run| {
                let sample = time(command, log)?;
                let what = format!("{} {run}/{}", what.display(), args.runs);
                report(&what, articles, sample, args, log);
                Ok(sample)
            })
            .collect()
    }

    /// Publishes the article a bot would publish next, builds, and counts what the build did to
    /// the output; then removes the article and builds the site back, `--runs` times.
    fn publish_one(
        args: &Args,
        build: &mut Command,
        site: &Path,
        output: &Path,
        articles: usize,
        log: &Path,
    ) -> Result<Row, String> {
        let (relative, text) = synthetic::newest_article(articles);
        let article = site.join(relative);
        let mut samples = Vec::new();
        let mut churn = None;
        for run in 1..=args.runs {
            let before = snapshot(output)?;
            fs::write(&article, &text).map_err(|e| io(&article, &e))?;
            let sample = time(build, log);
            let removed = fs::remove_file(&article).map_err(|e| io(&article, &e));
            let sample = sample?;
            removed?;
            let counted = Churn::between(&before, &snapshot(output)?);
            report(
                &format!("publish one {run}/{}", args.runs),
                articles,
                sample,
                args,
                log,
            );
            println!(
                "    output files: {} new, {} changed, {} removed",
                grouped(counted.new as u64),
                grouped(counted.changed as u64),
                grouped(counted.removed as u64)
            );
            if churn.is_some_and(|c| c != counted) {
                println!("    (unlike the first run's count: the table shows the first)");
            }
            churn = churn.or(Some(counted));
            samples.push(sample);
            // Unmeasured: back to the site without the article, for the next run.
            time(build, log)?;
        }
        Ok(Row {
            articles,
            what: format!("publish one new article{}", median_of(samples.len())),
            samples,
            churn,
        })
    }

    /// Every file of the output: a hash of its bytes, and its modification time.
    type Snapshot = HashMap<PathBuf, (u64, Option<SystemTime>)>;

    fn snapshot(dir: &Path) -> Result<Snapshot, String> {
        let mut files = Snapshot::new();
        for entry in walkdir::WalkDir::new(dir) {
            let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let bytes = fs::read(entry.path()).map_err(|e| io(entry.path(), &e))?;
            let mut hasher = DefaultHasher::new();
            hasher.write(&bytes);
            let modified = entry.metadata().ok().and_then(|m| m.modified().ok());
            let path = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            files.insert(path.to_path_buf(), (hasher.finish(), modified));
        }
        Ok(files)
    }

    impl Churn {
        fn between(before: &Snapshot, after: &Snapshot) -> Self {
            let new = after.keys().filter(|p| !before.contains_key(*p)).count();
            let removed = before.keys().filter(|p| !after.contains_key(*p)).count();
            let changed = after
                .iter()
                .filter(|(p, now)| before.get(*p).is_some_and(|then| then != *now))
                .count();
            Self {
                new,
                changed,
                removed,
            }
        }
    }

    /// Runs `command` to its end, its output going to `log`; fails when it fails.
    fn time(command: &mut Command, log: &Path) -> Result<Sample, String> {
        let out = File::create(log).map_err(|e| io(log, &e))?;
        let err = out.try_clone().map_err(|e| io(log, &e))?;
        let started = Instant::now();
        let child = command
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", command.get_program().display()))?;
        let (status, usage) = wait4(child.id())?;
        let wall = started.elapsed();
        let status = ExitStatus::from_raw(status);
        if !status.success() {
            let text = fs::read_to_string(log).unwrap_or_default();
            return Err(format!("{command:?} failed ({status}):\n{text}"));
        }
        Ok(Sample {
            wall,
            peak: max_rss_bytes(&usage),
        })
    }

    /// Waits for the child and takes its resource usage, which only the kernel knows whole.
    fn wait4(pid: u32) -> Result<(libc::c_int, libc::rusage), String> {
        let mut status = 0;
        // SAFETY: rusage is plain integers, for which all zeroes is a valid value.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        loop {
            // SAFETY: valid pointers to a c_int and a rusage that outlive the call.
            let reaped = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
            if reaped >= 0 {
                return Ok((status, usage));
            }
            let e = std::io::Error::last_os_error();
            if e.kind() != std::io::ErrorKind::Interrupted {
                return Err(format!("wait4: {e}"));
            }
        }
    }

    fn max_rss_bytes(usage: &libc::rusage) -> u64 {
        let value = usage.ru_maxrss as u64;
        // Kilobytes everywhere but on Apple's systems.
        if cfg!(target_vendor = "apple") {
            value
        } else {
            value * 1024
        }
    }

    /// One line per run, and what gazette printed when extra arguments asked it for more.
    fn report(what: &str, articles: usize, sample: Sample, args: &Args, log: &Path) {
        println!(
            "  {what}: {:.3} s, {} articles/s, {:.1} MB",
            sample.wall.as_secs_f64(),
            grouped(per_second(articles, sample.wall)),
            sample.peak as f64 / 1e6
        );
        if !args.extra.is_empty() {
            for line in fs::read_to_string(log).unwrap_or_default().lines() {
                println!("      {line}");
            }
        }
    }

    fn per_second(articles: usize, wall: Duration) -> u64 {
        (articles as f64 / wall.as_secs_f64()).round() as u64
    }

    /// Files and bytes below `dir`.
    fn tree_size(dir: &Path) -> (u64, u64) {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .fold((0, 0), |(files, bytes), e| {
                (files + 1, bytes + e.metadata().map_or(0, |m| m.len()))
            })
    }

    fn print_table(rows: &[Row]) {
        println!(
            "| articles | run | wall: median (min–max) | articles/s | peak RSS (highest) | output files new / changed / removed |"
        );
        println!("|---:|---|---|---:|---:|---:|");
        for row in rows {
            let mut walls: Vec<Duration> = row.samples.iter().map(|s| s.wall).collect();
            walls.sort();
            let median = median(&walls);
            let wall = if walls.len() > 1 {
                format!(
                    "{:.3} s ({:.3}–{:.3})",
                    median.as_secs_f64(),
                    walls[0].as_secs_f64(),
                    walls[walls.len() - 1].as_secs_f64()
                )
            } else {
                format!("{:.3} s", median.as_secs_f64())
            };
            let peak = row.samples.iter().map(|s| s.peak).max().unwrap_or(0);
            let churn = row.churn.map_or(String::new(), |c| {
                format!(
                    "{} / {} / {}",
                    grouped(c.new as u64),
                    grouped(c.changed as u64),
                    grouped(c.removed as u64)
                )
            });
            // A build that publishes one article is not measured by the articles it keeps.
            let rate = match row.churn {
                Some(_) => String::new(),
                None => grouped(per_second(row.articles, median)),
            };
            println!(
                "| {} | {} | {wall} | {rate} | {} MB | {churn} |",
                grouped(row.articles as u64),
                row.what,
                grouped((peak as f64 / 1e6).round() as u64)
            );
        }
    }

    fn median_of(runs: usize) -> String {
        if runs > 1 {
            format!(" (median of {runs})")
        } else {
            String::new()
        }
    }

    /// The middle of sorted durations, or the mean of the middle two.
    fn median(sorted: &[Duration]) -> Duration {
        let mid = sorted.len() / 2;
        if sorted.len().is_multiple_of(2) {
            (sorted[mid - 1] + sorted[mid]) / 2
        } else {
            sorted[mid]
        }
    }

    /// 12,345.
    fn grouped(n: u64) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    }

    fn io(path: &Path, e: &std::io::Error) -> String {
        format!("{}: {e}", path.display())
    }
}
