//! What `gazette serve` reports while it runs, as values: the library never prints, `main`
//! shows each event as its `Display` text, on stderr when `is_problem` and on stdout otherwise.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::error::{self, Diagnostic};

/// Where the server sends its events; called from the server's threads.
pub type Report = Arc<dyn Fn(&ServeEvent) + Send + Sync>;

/// One thing that happened while serving.
#[derive(Debug)]
pub enum ServeEvent {
    /// Listening on an address other machines can reach.
    Exposed(SocketAddr),
    /// The default port was taken, so the next free one is used.
    PortTaken { taken: SocketAddr, used: u16 },
    /// The site is served at `url`.
    Serving { url: String },
    /// `--open` could not open a browser.
    NoBrowser { error: String, url: String },
    /// The first build is done.
    Built { files: usize, took: Duration },
    /// A rebuild after changes is done.
    Rebuilt {
        changed: usize,
        parsed: usize,
        rendered: usize,
        files: usize,
        took: Duration,
    },
    /// A part of the search index, built in the background after a build or rebuild, is
    /// served.
    Indexed { part: String, took: Duration },
    /// A part of the search index could not be built; what the site had of it is served.
    NotIndexed {
        part: String,
        errors: Vec<Diagnostic>,
    },
    /// The warnings of a build or rebuild.
    Warnings(Vec<Diagnostic>),
    /// A rebuild failed with these errors; the last good build is still served.
    RebuildFailed(Arc<Vec<Diagnostic>>),
    /// A connection could not be accepted.
    NotAccepted(String),
    /// Ctrl-C stopped the server.
    Stopped,
}

impl ServeEvent {
    /// Whether the event is a warning or an error rather than progress.
    pub fn is_problem(&self) -> bool {
        matches!(
            self,
            Self::Exposed(_)
                | Self::PortTaken { .. }
                | Self::NoBrowser { .. }
                | Self::NotIndexed { .. }
                | Self::Warnings(_)
                | Self::RebuildFailed(_)
                | Self::NotAccepted(_)
        )
    }
}

impl fmt::Display for ServeEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Exposed(address) => write!(
                f,
                "warning: listening on {address}: anyone who can reach this machine can read \
                 the preview, drafts included (leave out --bind to serve only this machine)"
            ),
            Self::PortTaken { taken, used } => {
                write!(f, "port {taken} is taken: using port {used} instead")
            }
            Self::Serving { url } => write!(f, "serving the site at {url} (Ctrl-C stops)"),
            Self::NoBrowser { error, url } => write!(
                f,
                "warning: cannot open a browser: {error} (open {url} yourself)"
            ),
            Self::Built { files, took } => write!(
                f,
                "built {} in {} ms",
                plural(*files, "file", "files"),
                took.as_millis()
            ),
            Self::Rebuilt {
                changed,
                parsed,
                rendered,
                files,
                took,
            } => write!(
                f,
                "rebuilt {} changed: {} parsed, {rendered} of {files} files rendered in {} ms",
                plural(*changed, "file or folder", "files or folders"),
                plural(*parsed, "content file", "content files"),
                took.as_millis()
            ),
            Self::Indexed { part, took } => write!(
                f,
                "search index updated ({part}) in {:.1} s",
                took.as_secs_f64()
            ),
            Self::NotIndexed { part, errors } => {
                lines(f, errors.iter())?;
                write!(
                    f,
                    "{}search index not updated ({part}): still serving what it had",
                    if errors.is_empty() { "" } else { "\n" }
                )
            }
            // Alike warnings as one line each, as `build` prints them.
            Self::Warnings(warnings) => lines(f, error::group(warnings)),
            Self::RebuildFailed(errors) => {
                lines(f, errors.iter())?;
                write!(
                    f,
                    "{}rebuild failed: {}; still serving the last good build",
                    if errors.is_empty() { "" } else { "\n" },
                    plural(errors.len(), "error", "errors")
                )
            }
            Self::NotAccepted(error) => write!(
                f,
                "warning: cannot accept a connection: {error} (close some connections or raise \
                 the limit of open files, `ulimit -n`)"
            ),
            Self::Stopped => f.write_str("stopped"),
        }
    }
}

/// Each item on a line of its own, with no line end after the last.
fn lines<T: fmt::Display>(
    f: &mut fmt::Formatter<'_>,
    items: impl IntoIterator<Item = T>,
) -> fmt::Result {
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            f.write_str("\n")?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
