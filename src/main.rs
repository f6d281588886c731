//! The `gazette` command: parses arguments, calls the library, prints what it says.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use cli::{BuildArgs, BuildFlags, CheckArgs, Cli, Command};
use gazette::{BuildOptions, CheckOptions, build, check, find_root};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = match cli.root {
        Some(root) => root,
        None => {
            let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            find_root(&here).unwrap_or(here)
        }
    };
    match cli.command {
        Command::Build(args) => run_build(root, args),
        Command::Check(args) => run_check(root, args),
    }
}

fn run_build(root: PathBuf, args: BuildArgs) -> ExitCode {
    let started = Instant::now();
    let options = BuildOptions {
        output: args.output,
        base_url: args.base_url,
        ..build_options(root, &args.flags)
    };
    match build(&options) {
        Ok(report) => {
            for warning in &report.warnings {
                eprintln!("{warning}");
            }
            if args.flags.verbose {
                print_timings(&report.timings);
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
            let errors = print_failure(&diagnostics);
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
            for d in &report.diagnostics {
                eprintln!("{d}");
            }
            if args.flags.verbose {
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
            let errors = print_failure(&diagnostics);
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
        ..BuildOptions::default()
    }
}

/// Prints every diagnostic of a failed run; returns how many are errors.
fn print_failure(diagnostics: &[gazette::error::Diagnostic]) -> usize {
    for d in diagnostics {
        eprintln!("{d}");
    }
    diagnostics.iter().filter(|d| d.is_error()).count()
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
