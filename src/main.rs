//! The `gazette` command: parses arguments, calls the library, prints what it says.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use cli::{BuildArgs, Cli, Command, ServeArgs};
use gazette::{BuildOptions, ServeOptions, build, find_root, serve};

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
        Command::Serve(args) => run_serve(root, args),
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
    };
    match serve(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}

fn run_build(root: PathBuf, args: BuildArgs) -> ExitCode {
    let started = Instant::now();
    let options = BuildOptions {
        root,
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
        future: args.future,
    };
    match build(&options) {
        Ok(report) => {
            for warning in &report.warnings {
                eprintln!("{warning}");
            }
            if args.verbose {
                for (stage, took) in &report.timings {
                    eprintln!("  {stage:<8} {:>8.3} s", took.as_secs_f64());
                }
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
            for d in &diagnostics {
                eprintln!("{d}");
            }
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "build failed: {}; the previous output was left as it was",
                count(errors, "error")
            );
            ExitCode::from(1)
        }
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
