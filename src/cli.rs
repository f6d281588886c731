//! The command line, as clap definitions.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "gazette",
    version,
    about = "A fast static site generator for AI-written news digests"
)]
pub struct Cli {
    /// The site folder (default: the nearest folder upward holding gazette.yaml or content/)
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into public/ (or --output)
    Build(BuildArgs),
    /// Preview the site over HTTP, rebuilding and reloading the browser on every save
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port to serve on (default 1111, or the next free one); 0 picks any free port
    #[arg(long, short)]
    pub port: Option<u16>,
    /// The address to listen on; anything but a loopback address shares the preview
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    pub bind: IpAddr,
    /// Include articles and pages marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Include articles dated in the future
    #[arg(long)]
    pub future: bool,
    /// Open the site in the default browser
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Where to write the site
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// The URL the site will be served from, overriding base_url in gazette.yaml
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include articles and pages marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Include articles dated in the future
    #[arg(long)]
    pub future: bool,
    /// Print the time each stage took
    #[arg(long, short)]
    pub verbose: bool,
}
