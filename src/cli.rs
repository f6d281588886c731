//! The command line, as clap definitions.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use gazette::scaffold::{Title, parse_section};
use gazette::url::BaseUrl;
use gazette::url::Slug;

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
    /// Start a new site: gazette.yaml, one bot profile and one sample article
    Init(InitArgs),
    /// Write a new article file with its front matter filled in
    New(NewArgs),
    /// Build the site into public/ (or --output)
    Build(BuildArgs),
    /// Preview the site over HTTP, rebuilding and reloading the browser on every save
    Serve(ServeArgs),
    /// Build the site in memory and report broken internal links and front matter slips
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the site in (default: --root, else the current folder); it must be
    /// missing or empty
    pub dir: Option<PathBuf>,
    /// Also copy the built-in templates into templates/, to change them (in an existing site,
    /// copy only the templates)
    #[arg(long)]
    pub theme: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The article's title
    #[arg(value_parser = Title::parse)]
    pub title: Title,
    /// The section folder under content/ [default: news]
    #[arg(long, short, value_parser = parse_section)]
    pub section: Option<Slug>,
    /// The bot id of the author [default: default_author in gazette.yaml]
    #[arg(long, short)]
    pub author: Option<String>,
    /// Tags, separated by commas
    #[arg(long, short, value_delimiter = ',', value_name = "TAG,...")]
    pub tags: Vec<String>,
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
    #[command(flatten)]
    pub links: LinkFlags,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Where to write the site
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// The URL the site will be served from, overriding base_url in gazette.yaml
    #[arg(long, value_name = "URL", value_parser = base_url)]
    pub base_url: Option<String>,
    /// After building, stay running and build again after every change to the site, until
    /// Ctrl-C or SIGTERM
    #[arg(long)]
    pub watch: bool,
    /// Ignore the state the last build saved: read every file and render every page
    #[arg(long)]
    pub full: bool,
    #[command(flatten)]
    pub flags: BuildFlags,
}

/// What a build includes and tells, for every command that builds.
#[derive(Debug, Args)]
pub struct BuildFlags {
    /// Include articles and pages marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Include articles dated in the future
    #[arg(long)]
    pub future: bool,
    /// Print the time each stage took (load, parse, index, related, render, write, and for a
    /// build save)
    #[arg(long)]
    pub timings: bool,
    /// List every warning on its own line, instead of alike warnings as one line with a count
    #[arg(long, short)]
    pub verbose: bool,
    #[command(flatten)]
    pub links: LinkFlags,
}

/// `--base-url` checked as `base_url` in gazette.yaml is, so that a bad one is a usage error.
fn base_url(url: &str) -> Result<String, String> {
    BaseUrl::parse(url)
        .map(|_| url.to_string())
        .map_err(|e| format!("{e} ({})", BaseUrl::HINT))
}

/// Where links in the site's folders may lead, for every command that reads them.
#[derive(Debug, Args)]
pub struct LinkFlags {
    /// Follow symbolic links in content/, templates/ and static/ that point outside the site
    /// (without it they are errors)
    #[arg(long)]
    pub follow_symlinks: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Fail (exit 1) on warnings too, not only on broken links
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub flags: BuildFlags,
}
