//! The `gazette` command: parses arguments, calls the library, prints what it says.

mod cli;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use clap::Parser;
use cli::{BuildArgs, BuildFlags, CheckArgs, Cli, Command, InitArgs, NewArgs, ServeArgs};
use gazette::BuildReport;
use gazette::error::{Diagnostic, group};
use gazette::progress::{Progress, Snapshot, Stage};
use gazette::scaffold::{Created, InitOptions, NewArticle};
use gazette::serve::{Report, ServeEvent};
use gazette::walk::Symlinks;
use gazette::watch::{WatchEvent, WatchReport};
use gazette::{BuildOptions, CheckOptions, ServeOptions, build, check, find_root, serve};
use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressStyle};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Init(args) = cli.command {
        return run_init(cli.root, args);
    }
    let root = match cli.root {
        Some(root) => root,
        None => {
            let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            find_root(&here).unwrap_or(here)
        }
    };
    match cli.command {
        Command::Init(_) => unreachable!("handled before looking for a site"),
        Command::New(args) => run_new(root, args),
        Command::Build(args) => run_build(root, args),
        Command::Serve(args) => run_serve(root, args),
        Command::Check(args) => run_check(root, args),
    }
}

fn run_serve(root: PathBuf, args: ServeArgs) -> ExitCode {
    let options = ServeOptions {
        root,
        bind: args.bind,
        port: args.port,
        drafts: args.drafts,
        future: args.future,
        open: args.open,
        symlinks: Symlinks::from_flag(args.links.follow_symlinks),
    };
    let report: Report = Arc::new(|event: &ServeEvent| {
        if event.is_problem() {
            eprintln!("{event}");
        } else {
            println!("{event}");
        }
    });
    match serve(&options, report) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}

fn run_init(root: Option<PathBuf>, args: InitArgs) -> ExitCode {
    let dir = args.dir.or(root).unwrap_or_else(|| PathBuf::from("."));
    let options = InitOptions {
        dir: dir.clone(),
        theme: args.theme,
    };
    match gazette::scaffold::init(&options) {
        Ok(written) => {
            for path in &written {
                println!("created {}", path.display());
            }
            println!("\nNext:");
            if dir != std::path::Path::new(".") {
                println!("  cd {}", dir.display());
            }
            println!("  gazette new \"First story\" --tags x,y");
            println!("  gazette serve");
            ExitCode::SUCCESS
        }
        Err(diagnostics) => fail(&diagnostics.sorted()),
    }
}

fn run_new(root: PathBuf, args: NewArgs) -> ExitCode {
    let new = NewArticle {
        root,
        title: args.title,
        section: args.section,
        author: args.author,
        tags: args
            .tags
            .into_iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
    };
    match gazette::scaffold::new_article(&new) {
        Ok(Created {
            file: path,
            warnings,
        }) => {
            for warning in &warnings {
                eprintln!("{warning}");
            }
            let here = std::env::current_dir().unwrap_or_default();
            println!("{}", path.strip_prefix(&here).unwrap_or(&path).display());
            ExitCode::SUCCESS
        }
        Err(diagnostics) => fail(&diagnostics.sorted()),
    }
}

/// Prints every diagnostic and exits 1: the site or the request has errors.
fn fail(diagnostics: &[Diagnostic]) -> ExitCode {
    print_diagnostics(diagnostics, false);
    ExitCode::from(1)
}

fn run_build(root: PathBuf, args: BuildArgs) -> ExitCode {
    let started = Instant::now();
    let options = BuildOptions {
        output: args.output,
        base_url: args.base_url,
        full: args.full,
        ..build_options(root, &args.flags)
    };
    let line = ProgressLine::start(&options.progress);
    if args.watch {
        return run_watch(&options, &args.flags, line);
    }
    let built = build(&options);
    line.clear();
    match built {
        Ok(report) => {
            let flags = (args.flags.verbose, args.flags.timings);
            let took = started.elapsed();
            print_built(&report, Some(&report.warnings), flags, "built", took);
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            print_failed(&diagnostics.sorted(), args.flags.verbose, "");
            ExitCode::from(1)
        }
    }
}

/// `gazette build --watch`: one line per build, each starting with the time of day; warnings
/// are printed when they differ from the last build's, not again on every build.
fn run_watch(options: &BuildOptions, flags: &BuildFlags, line: Arc<ProgressLine>) -> ExitCode {
    let (verbose, timings) = (flags.verbose, flags.timings);
    let shown = Mutex::new(Vec::new());
    let report: WatchReport = Arc::new(move |event: &WatchEvent| {
        line.clear();
        let now = jiff::ZonedDateTime::now().strftime("%H:%M:%S ").to_string();
        match event {
            WatchEvent::Built {
                report,
                took,
                again,
            } => {
                let mut shown = shown.lock().unwrap_or_else(PoisonError::into_inner);
                let warnings = (*shown != report.warnings).then_some(&report.warnings[..]);
                shown.clone_from(&report.warnings);
                let verb = if *again { "rebuilt" } else { "built" };
                let what = format!("{now}{verb}");
                print_built(report, warnings, (verbose, timings), &what, *took);
            }
            WatchEvent::Failed { diagnostics, .. } => {
                shown.lock().unwrap_or_else(PoisonError::into_inner).clear();
                print_failed(diagnostics, verbose, &now);
            }
            WatchEvent::Watching { root } => {
                println!("watching {} for changes (Ctrl-C stops)", root.display())
            }
            WatchEvent::Stopping => eprintln!("stopping once the build in progress is done"),
            WatchEvent::Stopped => println!("stopped"),
        }
    });
    match gazette::watch::watch(options, report) {
        Ok(()) => ExitCode::SUCCESS,
        Err(diagnostics) => fail(&diagnostics.sorted()),
    }
}

/// The summary line of a build that succeeded, after `warnings` and, when asked, the timings.
fn print_built(
    report: &BuildReport,
    warnings: Option<&[Diagnostic]>,
    (verbose, timings): (bool, bool),
    what: &str,
    took: Duration,
) {
    if let Some(warnings) = warnings {
        print_diagnostics(warnings, verbose);
    }
    if timings {
        print_timings(&report.timings);
    }
    if verbose {
        println!(
            "parsed {}, rendered {} (the rest kept from the last build)",
            count(report.parsed, "content file"),
            count(report.rendered, "file"),
        );
    }
    println!(
        "{what} {}, {}, {} in {}: {} written, {} unchanged, {} removed ({}) in {:.2} s",
        count(report.articles, "article"),
        count(report.pages, "page"),
        count(report.files, "file"),
        report.output.display(),
        report.changed,
        report.files - report.changed,
        report.removed,
        count(report.warnings.len(), "warning"),
        took.as_secs_f64()
    );
}

/// The errors of a build that failed, and what became of the output.
fn print_failed(diagnostics: &[Diagnostic], verbose: bool, now: &str) {
    let errors = print_diagnostics(diagnostics, verbose);
    eprintln!(
        "{now}build failed: {}; the previous output was left as it was",
        count(errors, "error")
    );
}

/// The line that shows how far a build has got, on stderr: drawn once a build has run for
/// `PROGRESS_AFTER`, only when stderr is a terminal and not in CI, where redrawn lines would
/// only clutter the log.
struct ProgressLine {
    /// The bar on screen, and since when the build it follows has been seen running.
    state: Mutex<(Option<ProgressBar>, Option<Instant>)>,
}

/// How long a build runs before its progress is shown: a short build just prints its summary.
const PROGRESS_AFTER: Duration = Duration::from_secs(1);

/// How often the progress line is redrawn.
const PROGRESS_TICK: Duration = Duration::from_millis(100);

impl ProgressLine {
    /// Starts following `progress` on a thread of its own, when the line may be drawn at all.
    fn start(progress: &Arc<Progress>) -> Arc<ProgressLine> {
        let line = Arc::new(ProgressLine {
            state: Mutex::default(),
        });
        let in_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
        if std::io::stderr().is_terminal() && !in_ci {
            let (line, progress) = (line.clone(), progress.clone());
            std::thread::spawn(move || {
                loop {
                    std::thread::sleep(PROGRESS_TICK);
                    line.draw(progress.snapshot());
                }
            });
        }
        line
    }

    fn draw(&self, now: Snapshot) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let (bar, since) = &mut *state;
        if now.stage == Stage::Idle {
            *since = None;
            return;
        }
        let running = since.get_or_insert_with(Instant::now).elapsed();
        if running < PROGRESS_AFTER {
            return;
        }
        let bar = bar.get_or_insert_with(|| {
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
                // The template is ours and parses; were it not to, a spinner still shows the line.
                .with_style(
                    ProgressStyle::with_template("{msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                )
        });
        bar.set_message(if now.total > 0 {
            format!(
                "{} {}/{}",
                now.stage.name(),
                HumanCount(now.done as u64),
                HumanCount(now.total as u64)
            )
        } else {
            format!("{}…", now.stage.name())
        });
    }

    /// Takes the line off the screen, before anything else is printed; the next build starts
    /// its own second of grace.
    fn clear(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(bar) = state.0.take() {
            bar.finish_and_clear();
        }
        state.1 = None;
    }
}

fn run_check(root: PathBuf, args: CheckArgs) -> ExitCode {
    let started = Instant::now();
    let options = CheckOptions {
        build: build_options(root, &args.flags),
        strict: args.strict,
    };
    match check(&options) {
        Ok(report) => {
            print_diagnostics(&report.diagnostics, args.flags.verbose);
            if args.flags.timings {
                print_timings(&report.timings);
            }
            let warnings = report.diagnostics.iter().filter(|d| !d.is_error()).count();
            println!(
                "checked {}, {} ({} not fetched): {} broken, {} in {:.2} s",
                count(report.pages, "page"),
                count(report.links, "internal link"),
                count(report.external, "external link"),
                report.broken,
                count(warnings, "warning"),
                started.elapsed().as_secs_f64()
            );
            if report.passed() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(diagnostics) => {
            let errors = print_diagnostics(&diagnostics.sorted(), args.flags.verbose);
            eprintln!(
                "check failed: the site does not build ({})",
                count(errors, "error")
            );
            ExitCode::from(1)
        }
    }
}

fn build_options(root: PathBuf, flags: &BuildFlags) -> BuildOptions {
    BuildOptions {
        root,
        drafts: flags.drafts,
        future: flags.future,
        symlinks: Symlinks::from_flag(flags.links.follow_symlinks),
        on_wait: Some(|waiting| eprintln!("{waiting}")),
        ..BuildOptions::default()
    }
}

/// Prints the warnings, alike ones as one line unless `verbose`, then every error in full, so
/// that the errors are what is left on screen above the summary line; returns how many errors
/// there are.
fn print_diagnostics(diagnostics: &[Diagnostic], verbose: bool) -> usize {
    let (errors, warnings): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
        diagnostics.iter().partition(|d| d.is_error());
    let groups = group(warnings.iter().copied());
    for alike in &groups {
        if verbose {
            alike.members.iter().for_each(|d| eprintln!("{d}"));
        } else {
            eprintln!("{alike}");
        }
    }
    if !verbose && groups.len() < warnings.len() {
        eprintln!(
            "({} in {}; --verbose lists each)",
            count(warnings.len(), "warning"),
            count(groups.len(), "line")
        );
    }
    for error in &errors {
        eprintln!("{error}");
    }
    errors.len()
}

fn print_timings(timings: &[(&str, std::time::Duration)]) {
    for (stage, took) in timings {
        eprintln!("  {stage:<8} {:>8.3} s", took.as_secs_f64());
    }
}

/// `1 article`, `2 articles`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
