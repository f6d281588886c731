//! Writes a deterministic synthetic gazette site of N articles to DIR (see `synthetic/mod.rs`
//! for what is in it), for benchmarks and for trying gazette on a large site.
//!
//! ```sh
//! cargo run --release --example gen_site -- 10000 /tmp/bench-10k
//! target/release/gazette build --root /tmp/bench-10k --verbose
//! ```
//!
//! DIR must be missing, empty, or an earlier output of this program; `cargo run --release
//! --example bench` generates, builds and measures in one go.

mod synthetic;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(written) => {
            println!("{written}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<synthetic::Written, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [n, dir] = args.as_slice() else {
        return Err(
            "usage: gen_site N DIR (N articles of a synthetic site, written to DIR)".into(),
        );
    };
    let n: usize = n
        .parse()
        .map_err(|_| format!("N must be a whole number, not `{n}`"))?;
    synthetic::write(&PathBuf::from(dir), n)
}
