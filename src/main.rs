//! The `gazette` command: parses arguments, calls the library, prints what it says.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::Parser;
use cli::{BuildArgs, BuildFlags, CheckArgs, Cli, Command, InitArgs, NewArgs, ServeArgs};
use gazette::error::{Diagnostic, group};
use gazette::scaffold::{Created, InitOptions, NewArticle};
use gazette::serve::{Report, ServeEvent};
use gazette::walk::Symlinks;
use gazette::{BuildOptions, CheckOptions, ServeOptions, build, check, find_root, serve};

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
    match build(&options) {
        Ok(report) => {
            print_diagnostics(&report.warnings, args.flags.verbose);
            if args.flags.timings {
                print_timings(&report.timings);
            }
            if args.flags.verbose {
                println!(
                    "parsed {}, rendered {} (the rest kept from the last build)",
                    count(report.parsed, "content file"),
                    count(report.rendered, "file"),
                );
            }
            println!(
                "built {}, {}, {} in {} ({}) in {:.2} s",
                count(report.articles, "article"),
                count(report.pages, "page"),
                count(report.files, "file"),
                report.output.display(),
                count(report.warnings.len(), "warning"),
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            let errors = print_diagnostics(&diagnostics.sorted(), args.flags.verbose);
            eprintln!(
                "build failed: {}; the previous output was left as it was",
                count(errors, "error")
            );
            ExitCode::from(1)
        }
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
