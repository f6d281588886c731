//! Resolving links: where each URL of a built page leads among the files a build writes, and
//! why it leads nowhere.
//!
//! A link is internal when it is relative, root-relative, or absolute and under the base URL
//! (host and path). Relative and root-relative links must stay under the base URL's path:
//! `/about/` on a site that lives under `/news/` is a mistake. Absolute links elsewhere, on the
//! same host too, are external and left alone.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use percent_encoding::percent_decode_str;

use crate::check::scan::Scan;
use crate::url::BaseUrl;

/// The built site as links see it: every file by its path below the output folder (with `/`),
/// and what was read from each HTML page.
pub struct Built<'a> {
    pub base: &'a BaseUrl,
    pub files: HashMap<&'a str, usize>,
    /// By file, as numbered in `files`; `None` for files that are not HTML.
    pub scans: &'a [Option<Scan>],
}

/// Why a link leads nowhere.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Problem {
    /// Nothing is built at the URL.
    Missing { url: String },
    /// The URL names a folder's page without its trailing slash.
    NoSlash { url: String },
    /// The URL names a file with a trailing slash.
    ExtraSlash { url: String },
    /// The page is there but has no element with this id; `nearest` is the id of the page
    /// nearest to it in spelling, if the page has any.
    NoAnchor {
        url: String,
        id: String,
        nearest: Option<String>,
    },
    /// Our own host, but outside the base URL's path.
    Outside,
}

impl Problem {
    /// What is wrong with `href`, and what to do.
    pub fn describe(&self, href: &str, base: &BaseUrl) -> (String, String) {
        match self {
            Problem::Missing { url } => (
                format!("broken link `{href}`: nothing is built at {url}"),
                "fix the link, or add the page or the static/ file it names".into(),
            ),
            Problem::NoSlash { url } => (
                format!("link `{href}` lacks the trailing slash of the page {url}/"),
                format!(
                    "write {url}/; without the slash the link works only where the server redirects"
                ),
            ),
            Problem::ExtraSlash { url } => (
                format!("link `{href}` ends in `/`, but {url} is a file, not a folder"),
                format!("write {url}"),
            ),
            Problem::NoAnchor { url, id, nearest } => (
                format!("broken link `{href}`: {url} has no element with the id `{id}`"),
                match nearest {
                    Some(nearest) => format!("the nearest id on that page is `#{nearest}`"),
                    None => "that page has no ids to link to".into(),
                },
            ),
            Problem::Outside => (
                format!(
                    "link `{href}` leaves the site, which lives under {}",
                    base.path
                ),
                format!("start the site's own links with {}", base.path),
            ),
        }
    }
}

/// Where a link leads.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// Another site, or a scheme such as `mailto:`; not checked.
    External,
    /// Our own host, but outside the base path.
    Outside,
    /// A path below the base path (decoded, starting with `/`, or empty for the base path
    /// without its trailing slash) and the fragment, if any.
    Internal {
        path: String,
        fragment: Option<String>,
    },
}

impl Built<'_> {
    /// Checks `link` of the page at `page_url` (its URL path, such as `/news/a/`); `None` when
    /// it is external or leads somewhere, else the problem.
    pub fn check(&self, page_url: &str, link: &str) -> Option<Result<usize, Problem>> {
        let (path, fragment) = match resolve(link, page_url, self.base) {
            Target::External => return None,
            Target::Outside => return Some(Err(Problem::Outside)),
            Target::Internal { path, fragment } => (path, fragment),
        };
        Some(self.find(&path).and_then(|file| match fragment {
            Some(id) => self.anchor(file, &path, &id).map(|()| file),
            None => Ok(file),
        }))
    }

    /// The file a path names, the way a static web server finds it.
    fn find(&self, path: &str) -> Result<usize, Problem> {
        let url = |path: &str| format!("{}{path}", self.base.path.trim_end_matches('/'));
        let Some(below) = path.strip_prefix('/') else {
            // The base path itself, `/news` for `/news/`.
            return Err(Problem::NoSlash { url: url(path) });
        };
        if below.is_empty() || below.ends_with('/') {
            if let Some(&file) = self.files.get(format!("{below}index.html").as_str()) {
                return Ok(file);
            }
            let bare = path.trim_end_matches('/');
            if !bare.is_empty() && self.files.contains_key(&bare[1..]) {
                return Err(Problem::ExtraSlash { url: url(bare) });
            }
        } else {
            if let Some(&file) = self.files.get(below) {
                return Ok(file);
            }
            if self
                .files
                .contains_key(format!("{below}/index.html").as_str())
            {
                return Err(Problem::NoSlash { url: url(path) });
            }
        }
        Err(Problem::Missing { url: url(path) })
    }

    /// Whether the HTML page `file` has the element `#id`; other files have no anchors to check.
    fn anchor(&self, file: usize, path: &str, id: &str) -> Result<(), Problem> {
        let Some(scan) = &self.scans[file] else {
            return Ok(());
        };
        // An empty fragment, `#top` and text fragments (`#:~:text=`) need no element.
        let needs_none = id.is_empty() || id.eq_ignore_ascii_case("top") || id.starts_with(":~:");
        let decoded = percent_decode_str(id).decode_utf8_lossy();
        if needs_none || scan.ids.contains(id) || scan.ids.contains(decoded.as_ref()) {
            return Ok(());
        }
        Err(Problem::NoAnchor {
            url: format!("{}{path}", self.base.path.trim_end_matches('/')),
            nearest: nearest(&scan.ids, &decoded),
            id: decoded.into_owned(),
        })
    }
}

/// The id of `ids` fewest edits away from `id`, the first in order among equals. Only broken
/// anchors ask, so going through every id of their page costs nothing worth indexing.
fn nearest(ids: &HashSet<String>, id: &str) -> Option<String> {
    ids.iter()
        .min_by_key(|candidate| (strsim::levenshtein(candidate, id), candidate.as_str()))
        .cloned()
}

/// Where `link`, found on the page at the URL path `page_url`, leads.
fn resolve(link: &str, page_url: &str, base: &BaseUrl) -> Target {
    let link = link.trim_matches(|c: char| c.is_ascii_whitespace());
    let (rest, fragment) = match link.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment.to_string())),
        None => (link, None),
    };
    let rest = rest.split_once('?').map_or(rest, |(path, _)| path);
    let path: Cow<str> = match on_our_site(rest, base) {
        Some("") => page_url.into(),
        Some(path) if path.starts_with('/') => path.into(),
        Some(relative) => {
            let folder = &page_url[..page_url.rfind('/').map_or(0, |i| i + 1)];
            format!("{folder}{relative}").into()
        }
        None => return Target::External,
    };
    let path = without_dot_segments(&path);
    match path.strip_prefix(base.path.trim_end_matches('/')) {
        Some(inside) if inside.is_empty() || inside.starts_with('/') => Target::Internal {
            path: percent_decode_str(inside).decode_utf8_lossy().into_owned(),
            fragment,
        },
        _ => Target::Outside,
    }
}

/// The path part of a link that stays on our site (relative, root-relative, or absolute under
/// the base URL); `None` for other sites and schemes.
fn on_our_site<'l>(link: &'l str, base: &BaseUrl) -> Option<&'l str> {
    let after_scheme = match link.split_once(':') {
        Some((scheme, rest)) if is_scheme(scheme) => {
            let web = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
            if !web {
                return None;
            }
            rest
        }
        _ => link,
    };
    let Some(authority_and_path) = after_scheme.strip_prefix("//") else {
        return Some(after_scheme);
    };
    let (authority, path) = authority_and_path.split_at(
        authority_and_path
            .find('/')
            .unwrap_or(authority_and_path.len()),
    );
    let path = if path.is_empty() { "/" } else { path };
    let our_host = base
        .origin
        .split_once("://")
        .is_some_and(|(_, host)| !host.is_empty() && host.eq_ignore_ascii_case(authority));
    (our_host && without_dot_segments(path).starts_with(&base.path)).then_some(path)
}

/// A URL scheme: a letter, then letters, digits, `+`, `-` or `.`.
fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// An absolute URL path with `.` and `..` segments applied, as a browser does; `..` stops at
/// the root.
fn without_dot_segments(path: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *segment {
            "." => {}
            ".." => {
                kept.pop();
            }
            s => {
                kept.push(s);
                continue;
            }
        }
        // A path ending in `.` or `..` names a folder.
        if last {
            kept.push("");
        }
    }
    format!("/{}", kept.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn internal(path: &str, fragment: Option<&str>) -> Target {
        Target::Internal {
            path: path.into(),
            fragment: fragment.map(str::to_string),
        }
    }

    #[test]
    fn resolves_like_a_browser() {
        let base = BaseUrl::parse("https://example.org/news/").unwrap();
        let at = |link| resolve(link, "/news/2026/03/port/", &base);
        assert_eq!(at("../../"), internal("/2026/", None));
        assert_eq!(at("img.png"), internal("/2026/03/port/img.png", None));
        assert_eq!(at("#sources"), internal("/2026/03/port/", Some("sources")));
        assert_eq!(at(""), internal("/2026/03/port/", None));
        assert_eq!(at("?page=2"), internal("/2026/03/port/", None));
        assert_eq!(at("/news/tags/"), internal("/tags/", None));
        assert_eq!(at("/news/a%20b.pdf"), internal("/a b.pdf", None));
        assert_eq!(
            at("https://EXAMPLE.org/news/x/#y"),
            internal("/x/", Some("y"))
        );
        assert_eq!(at("//example.org/news/"), internal("/", None));
        assert_eq!(at("/../../news/x"), internal("/x", None));
        assert_eq!(at("/other/"), Target::Outside);
        assert_eq!(at("/newsletter/"), Target::Outside);
        assert_eq!(at("/news"), internal("", None));
        assert_eq!(at("https://example.org/"), Target::External);
        assert_eq!(at("https://elsewhere.org/news/"), Target::External);
        assert_eq!(at("mailto:desk@example.org"), Target::External);
        assert_eq!(at("javascript:void(0)"), Target::External);
    }

    #[test]
    fn the_nearest_id_is_the_fewest_edits_away() {
        let ids: HashSet<String> = ["what-s-next", "timeline", "main_content", "whats-new"]
            .map(String::from)
            .into();
        assert_eq!(nearest(&ids, "whats-next").as_deref(), Some("what-s-next"));
        assert_eq!(nearest(&ids, "timelin").as_deref(), Some("timeline"));
        assert_eq!(nearest(&HashSet::new(), "x"), None);
    }

    #[test]
    fn without_a_host_only_paths_are_internal() {
        let base = BaseUrl::default();
        assert_eq!(
            resolve("https://example.org/", "/", &base),
            Target::External
        );
        assert_eq!(resolve("a/..", "/x/", &base), internal("/x/", None));
    }
}
