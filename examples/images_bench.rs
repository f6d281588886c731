//! Measures what pictures cost a build: the synthetic site of N articles (see
//! `synthetic/mod.rs`) built without images, then with M distinct 2400x1600 JPEGs as the lead
//! images of M of its articles: the first build (every picture made, in parallel) and the
//! builds after it (every picture taken from the cache). Each is a full build (`--full`), so
//! that only the cache differs; prints the medians as a Markdown table.
//!
//! ```sh
//! cargo build --release
//! cargo run --release --example images_bench -- [N] [M] [--runs R] [--dir DIR]
//! ```
//!
//! Defaults: N = 10000, M = 1000, R = 3, DIR = /dev/shm/gazette-images-bench (or the temporary
//! folder where /dev/shm is missing). The release binary `target/release/gazette` is used.

mod synthetic;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rayon::prelude::*;

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

struct Args {
    articles: usize,
    images: usize,
    runs: usize,
    dir: PathBuf,
}

fn args() -> Result<Args, String> {
    let mut args = Args {
        articles: 10_000,
        images: 1_000,
        runs: 3,
        dir: if Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm/gazette-images-bench")
        } else {
            std::env::temp_dir().join("gazette-images-bench")
        },
    };
    let mut numbers = 0;
    let mut given = std::env::args().skip(1);
    while let Some(arg) = given.next() {
        let mut value = || given.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--runs" => args.runs = number(&value()?)?,
            "--dir" => args.dir = PathBuf::from(value()?),
            n if numbers == 0 => (args.articles, numbers) = (number(n)?, 1),
            n if numbers == 1 => (args.images, numbers) = (number(n)?, 2),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    if args.images > args.articles {
        return Err("M (images) cannot be more than N (articles)".into());
    }
    Ok(args)
}

fn number(text: &str) -> Result<usize, String> {
    text.parse()
        .map_err(|_| format!("`{text}` is not a whole number"))
}

fn run() -> Result<(), String> {
    let args = args()?;
    let gazette = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/gazette");
    if !gazette.is_file() {
        return Err(format!(
            "{} is missing: run `cargo build --release` first",
            gazette.display()
        ));
    }
    let plain = args.dir.join("plain");
    let pictured = args.dir.join("with-images");
    println!("{}", synthetic::write(&plain, args.articles)?);
    let _ = std::fs::remove_dir_all(&pictured);
    copy(&plain, &pictured)?;
    let started = Instant::now();
    add_images(&pictured, args.images)?;
    println!(
        "drew {} images in {:.1} s",
        args.images,
        started.elapsed().as_secs_f64()
    );

    let build = |site: &Path| -> Result<Duration, String> {
        let started = Instant::now();
        let status = Command::new(&gazette)
            .args(["build", "--full", "--root"])
            .stdout(std::process::Stdio::null())
            .arg(site)
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("gazette build failed in {}", site.display()));
        }
        Ok(started.elapsed())
    };
    let median = |site: &Path| -> Result<Duration, String> {
        let mut times = (0..args.runs)
            .map(|_| build(site))
            .collect::<Result<Vec<_>, _>>()?;
        times.sort();
        Ok(times[times.len() / 2])
    };
    let without = median(&plain)?;
    let _ = std::fs::remove_dir_all(pictured.join(".gazette-cache"));
    let first = build(&pictured)?;
    let cached = median(&pictured)?;
    let (n, m) = (args.articles, args.images);
    println!("\n| build ({n} articles, full) | wall |");
    println!("|---|---:|");
    println!("| without images | {:.3} s |", without.as_secs_f64());
    println!(
        "| {m} images, first (every picture made) | {:.3} s |",
        first.as_secs_f64()
    );
    println!(
        "| {m} images, cache kept (median of {}) | {:.3} s |",
        args.runs,
        cached.as_secs_f64()
    );
    println!(
        "\ncache kept - without images: {:+.3} s",
        cached.as_secs_f64() - without.as_secs_f64()
    );
    Ok(())
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    let status = Command::new("cp").arg("-a").arg(from).arg(to).status();
    match status {
        Ok(s) if s.success() => Ok(()),
        _ => Err(format!(
            "cannot copy {} to {}",
            from.display(),
            to.display()
        )),
    }
}

/// Draws `count` distinct 2400x1600 JPEGs into the site's static/images/ and gives the first
/// `count` articles (by path) one each as their `image:`.
fn add_images(site: &Path, count: usize) -> Result<(), String> {
    let folder = site.join("static/images");
    std::fs::create_dir_all(&folder).map_err(|e| e.to_string())?;
    let mut articles: Vec<PathBuf> = walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "md") && !p.to_string_lossy().contains("/bots/")
        })
        .collect();
    articles.sort();
    (articles[..count].par_iter().enumerate()).try_for_each(|(i, article)| {
        let name = format!("bench-{i:05}.jpg");
        let seed = i as f32 * 0.37;
        let picture = image::RgbImage::from_fn(2400, 1600, |x, y| {
            let (fx, fy) = (x as f32 / 2400.0, y as f32 / 1600.0);
            let wave = ((fx * 9.0 + seed).sin() * (fy * 7.0 - seed).cos() * 0.5 + 0.5) * 255.0;
            image::Rgb([
                wave as u8,
                (fy * 255.0) as u8,
                ((fx + seed).fract() * 255.0) as u8,
            ])
        });
        let mut file = std::fs::File::create(folder.join(&name)).map_err(|e| e.to_string())?;
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut file, 85);
        picture
            .write_with_encoder(encoder)
            .map_err(|e| e.to_string())?;
        let text = std::fs::read_to_string(article).map_err(|e| e.to_string())?;
        let text = text.replacen("---\n", &format!("---\nimage: /images/{name}\n"), 1);
        std::fs::write(article, text).map_err(|e| e.to_string())
    })
}
