//! URLs and the files behind them, built only from checked segments.
//!
//! A `Slug` and a `UrlPath` can only hold characters that are safe as a folder name, so a path
//! that escapes the output folder cannot be constructed, not merely checked for.

pub mod base;
pub mod link;

use std::fmt;
use std::path::PathBuf;

use crate::folders::PAGES_DIR;
pub use base::BaseUrl;

/// The folder of the tag pages, `/tags/<tag>/`.
pub const TAGS: &str = "tags";
/// The folder of the bot pages, `/bots/<id>/`.
pub const BOTS: &str = "bots";
/// The folder of the editor pages, `/editors/<id>/`.
pub const EDITORS: &str = "editors";
/// The folder of the later pages of a list, `/page/2/`.
pub const PAGE: &str = "page";
/// The folder of the search page and its index.
pub const SEARCH: &str = "search";
/// The page that says how the site uses AI, `/ai-policy/`.
pub const AI_POLICY: &str = "ai-policy";
/// The folder of the record of corrections and retractions, and its feeds.
pub const CORRECTIONS: &str = "corrections";
/// The list of redirects hosts such as Netlify and Cloudflare Pages read, at the site root.
pub const REDIRECTS_FILE: &str = "_redirects";
/// The top-level names a section cannot take: gazette's own pages use them (`tags`, `bots`,
/// `page` for the home page's `/page/2/`, `search`, `ai-policy`, `corrections`, `editors`), or
/// they are folders of content/ with another meaning (`pages`). Years, the archives' `/2026/`,
/// are refused by `Slug::section` too.
pub const RESERVED: &[&str] = &[
    TAGS,
    BOTS,
    PAGE,
    PAGES_DIR,
    EDITORS,
    SEARCH,
    AI_POLICY,
    CORRECTIONS,
];
/// The longest file or folder name that common file systems take (ext4, APFS, NTFS), in bytes.
pub const MAX_SEGMENT_BYTES: usize = 255;

/// One URL path segment made of `a-z`, `0-9` and `-`.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Slug(String);

impl Slug {
    /// Slugs free text (titles, tags, file names); `None` when nothing sluggable is left.
    pub fn from_text(text: &str) -> Option<Self> {
        let slug = slug::slugify(text);
        (!slug.is_empty()).then_some(Slug(slug))
    }

    /// Slugs a value the user chose as a path segment (`slug:`, a section folder), refusing
    /// anything that reads as a path rather than a name.
    pub fn from_user(text: &str) -> Result<Self, String> {
        let bad = if text.contains('\0') {
            Some("contains a NUL byte")
        } else if text.contains('/') || text.contains('\\') {
            Some("contains a path separator")
        } else {
            None
        };
        if let Some(why) = bad {
            return Err(format!("`{}` {why}", text.escape_debug()));
        }
        Self::from_text(text)
            .ok_or_else(|| format!("`{text}` has no letters or digits to make a URL of"))?
            .fitting(text)
    }

    /// Slugs a section folder's name, refusing the names of gazette's own top-level pages: the
    /// build and `gazette new --section` both ask here.
    pub fn section(folder: &str) -> Result<Self, String> {
        let slug = Self::from_user(folder)?;
        let name = slug.as_str();
        let year_like = name.len() == 4 && name.bytes().all(|b| b.is_ascii_digit());
        if year_like {
            return Err(format!(
                "`{folder}` would be the URL /{name}/, the archive of the year {name}"
            ));
        }
        if RESERVED.contains(&name) {
            return Err(format!(
                "`{folder}` would be the URL /{name}/, which gazette keeps for its own pages"
            ));
        }
        Ok(slug)
    }

    /// The slug, if it fits in a file name; else what is wrong, naming the `text` it was made
    /// from. Every page is a folder named by its slug, so a longer one could not be written.
    pub fn fitting(self, text: &str) -> Result<Self, String> {
        let length = self.0.len();
        if length <= MAX_SEGMENT_BYTES {
            return Ok(self);
        }
        let start: String = text.chars().take(40).collect();
        Err(format!(
            "`{start}...` makes a URL name of {length} characters, longer than the \
             {MAX_SEGMENT_BYTES} a file name can hold"
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The slug of a tag: as other text, except that a `+` or `#` right after a letter or digit
/// and a `.` that starts a word are spelled out (`C++` is `c-plus-plus`, `C#` `c-sharp`, `.NET`
/// `dotnet`). Slugging drops them, which would give `C++`, `C#` and `C` one page. A `#` that
/// starts a word (`#rust`), `@` (`@rustlang`) and `&` (`R&D`, already `r-d`) slug as before.
pub fn tag_slug(tag: &str) -> Option<Slug> {
    if !tag.contains(['+', '#', '.']) {
        return Slug::from_text(tag);
    }
    let mut spelled = String::with_capacity(tag.len() + 16);
    // The character before, and whether it was a `+` or `#` spelled out: the next of the same
    // run (`C++`) is spelled out too.
    let (mut before, mut spelling): (Option<char>, bool) = (None, false);
    let mut chars = tag.chars().peekable();
    while let Some(c) = chars.next() {
        let after_word =
            before.is_some_and(char::is_alphanumeric) || (spelling && before == Some(c));
        let starts_word = !before.is_some_and(char::is_alphanumeric)
            && chars.peek().is_some_and(|a| a.is_alphanumeric());
        spelling = false;
        match c {
            '+' | '#' if after_word => {
                spelled.push_str(if c == '+' { " plus " } else { " sharp " });
                spelling = true;
            }
            '.' if starts_word => spelled.push_str("dot"),
            c => spelled.push(c),
        }
        before = Some(c);
    }
    Slug::from_text(&spelled)
}

/// A page's place in the site: folders below the site root, and a file name when the page is
/// not a folder's `index.html`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UrlPath {
    segments: Vec<String>,
    file: Option<&'static str>,
}

impl UrlPath {
    pub fn root() -> Self {
        Self {
            segments: Vec::new(),
            file: None,
        }
    }

    /// A folder of gazette's own at the site root, such as `tags`; only names in our code
    /// reach here.
    pub fn folder(name: &'static str) -> Self {
        Self {
            segments: vec![name.to_string()],
            file: None,
        }
    }

    /// A fixed file at the site root, such as `404.html`; only names in our code reach here.
    pub fn file(name: &'static str) -> Self {
        Self {
            segments: Vec::new(),
            file: Some(name),
        }
    }

    /// A fixed file in this page's folder, such as `tags/ai/atom.xml`; only names in our code
    /// reach here.
    pub fn with_file(mut self, name: &'static str) -> Self {
        self.file = Some(name);
        self
    }

    /// An old URL of a page, as `aliases:` writes it (`/2026/03/old-title/`, the leading and
    /// trailing `/` optional): a folder below the site root whose every segment is a plain
    /// name, so that its redirect page is written inside the output. Anything else (`..`, a
    /// scheme or host, a query, a fragment, a backslash, a file name such as `old.html`) is
    /// refused, saying why.
    pub fn alias(text: &str) -> Result<Self, String> {
        let shown = text.escape_debug();
        if text.contains("://") || text.starts_with("//") {
            return Err(format!("`{shown}` is an address on another site"));
        }
        if text.contains(['?', '#']) {
            return Err(format!("`{shown}` has a query or a fragment"));
        }
        let trimmed = text.trim_matches('/');
        if trimmed.is_empty() {
            return Err(format!("`{shown}` is the home page"));
        }
        let plain = |s: &str| {
            s.starts_with(|c: char| c.is_ascii_alphanumeric())
                && s.len() <= MAX_SEGMENT_BYTES
                && (s.chars()).all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '~'))
        };
        match trimmed.split('/').find(|s| !plain(s)) {
            Some(segment) => Err(format!(
                "`{shown}` has the part `{}`, which is not a plain folder name",
                segment.escape_debug()
            )),
            None => Ok(Self {
                segments: trimmed.split('/').map(str::to_string).collect(),
                file: None,
            }),
        }
    }

    pub fn join(mut self, slug: &Slug) -> Self {
        self.segments.push(slug.0.clone());
        self
    }

    fn join_literal(mut self, segment: &Literal) -> Self {
        self.segments.push(segment.0.clone());
        self
    }

    /// A number as a zero-padded segment: a year (`2026`), a month or a day (`03`).
    pub fn join_number(mut self, n: impl Into<i64>, width: usize) -> Self {
        self.segments.push(format!("{:0width$}", n.into()));
        self
    }

    /// The first folder of the path, if any: what tells a language's pages (`fr`) apart.
    pub fn first_segment(&self) -> Option<&str> {
        self.segments.first().map(String::as_str)
    }

    /// `/page/N/` below this path.
    pub fn page(self, n: usize) -> Self {
        let mut path = self;
        path.segments.push(PAGE.into());
        path.segments.push(n.to_string());
        path
    }

    /// The URL path under the site's base path: `/news/2026/03/14/slug/`.
    pub fn url(&self, base: &BaseUrl) -> String {
        let mut url = String::with_capacity(base.path.len() + base.lang.len() + 48);
        url.push_str(&base.path);
        url.push_str(&base.lang);
        for segment in &self.segments {
            url.push_str(segment);
            url.push('/');
        }
        if let Some(file) = self.file {
            url.push_str(file);
        }
        url
    }

    /// The absolute URL, for feeds and sitemaps: `https://x.org/news/2026/03/14/slug/`, or
    /// the URL path when the site has no host configured.
    pub fn absolute_url(&self, base: &BaseUrl) -> String {
        base.absolute(&self.url(base))
    }

    /// The file this page is written to, relative to the output folder.
    pub fn output_file(&self) -> PathBuf {
        let mut path: PathBuf = self.segments.iter().collect();
        path.push(self.file.unwrap_or("index.html"));
        path
    }
}

/// Kept by a build for the next as its segments: the paths content is given are folders, and a
/// file name is one of gazette's own, never read back.
impl serde::Serialize for UrlPath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.file {
            None => self.segments.serialize(serializer),
            Some(name) => Err(serde::ser::Error::custom(format!(
                "the page path {name} names a file"
            ))),
        }
    }
}

impl<'de> serde::Deserialize<'de> for UrlPath {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let segments = Vec::deserialize(deserializer)?;
        Ok(Self {
            segments,
            file: None,
        })
    }
}

/// A fixed part of a permalink pattern, checked to be a harmless segment.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Literal(String);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(Literal),
    Year,
    Month,
    Day,
    Slug,
    Section,
}

/// The `permalink` pattern of gazette.yaml, such as `/:year/:month/:day/:slug/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern(Vec<Part>);

/// What a permalink pattern is filled with.
pub struct PermalinkFields<'a> {
    pub year: i16,
    pub month: i8,
    pub day: i8,
    pub slug: &'a Slug,
    pub section: &'a Slug,
}

impl Default for Pattern {
    fn default() -> Self {
        Self(vec![Part::Year, Part::Month, Part::Day, Part::Slug])
    }
}

impl Pattern {
    pub fn parse(pattern: &str) -> Result<Self, String> {
        let parts = pattern
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|segment| match segment {
                ":year" => Ok(Part::Year),
                ":month" => Ok(Part::Month),
                ":day" => Ok(Part::Day),
                ":slug" => Ok(Part::Slug),
                ":section" => Ok(Part::Section),
                s if s.starts_with(':') => Err(format!(
                    "unknown placeholder `{s}` (known: :year :month :day :slug :section)"
                )),
                s if is_safe_literal(s) => Ok(Part::Literal(Literal(s.to_string()))),
                s => Err(format!("`{s}` is not a plain path segment")),
            })
            .collect::<Result<Vec<_>, _>>()?;
        if !parts.contains(&Part::Slug) {
            return Err("the pattern has no :slug, so articles would share one URL".into());
        }
        Ok(Self(parts))
    }

    pub fn expand(&self, fields: &PermalinkFields) -> UrlPath {
        self.0
            .iter()
            .fold(UrlPath::root(), |path, part| match part {
                Part::Literal(l) => path.join_literal(l),
                Part::Year => path.join_number(fields.year, 4),
                Part::Month => path.join_number(fields.month, 2),
                Part::Day => path.join_number(fields.day, 2),
                Part::Slug => path.join(fields.slug),
                Part::Section => path.join(fields.section),
            })
    }
}

fn is_safe_literal(s: &str) -> bool {
    s != "."
        && s != ".."
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_slugs_spell_out_what_slugging_would_drop() {
        let slug = |t: &str| tag_slug(t).map(|s| s.to_string());
        for (tag, expected) in [
            ("C++", "c-plus-plus"),
            ("C#", "c-sharp"),
            ("C", "c"),
            ("F#", "f-sharp"),
            (".NET", "dotnet"),
            (".NET Core", "dotnet-core"),
            ("Disney+", "disney-plus"),
            ("C++17", "c-plus-plus-17"),
            // As before: these already keep their tags apart, or name the same thing.
            ("ASP.NET", "asp-net"),
            ("v1.2", "v1-2"),
            ("#rust", "rust"),
            ("@rustlang", "rustlang"),
            ("R&D", "r-d"),
            ("Issue #42", "issue-42"),
            ("Zürich", "zurich"),
            ("AI", "ai"),
        ] {
            assert_eq!(slug(tag).as_deref(), Some(expected), "{tag}");
        }
        assert_eq!(slug("++"), None);
        assert_eq!(slug("#"), None);
    }

    #[test]
    fn slugs_are_always_safe_segments() {
        for text in ["Hello, World!", "Ünïcödé news", "a/../../b", "  x  "] {
            if let Some(slug) = Slug::from_text(text) {
                assert!(
                    slug.as_str()
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                );
                assert!(!slug.as_str().is_empty());
            }
        }
        assert_eq!(
            Slug::from_text("Port strike ends").unwrap().as_str(),
            "port-strike-ends"
        );
        assert!(Slug::from_text("!!!").is_none());
    }

    #[test]
    fn user_slugs_that_read_as_paths_are_refused() {
        for bad in ["../etc", "/abs", "a/b", "a\\b", "nul\0byte", "..", "!!!"] {
            assert!(Slug::from_user(bad).is_err(), "{bad:?} was accepted");
        }
        assert_eq!(
            Slug::from_user("Port-Strike").unwrap().as_str(),
            "port-strike"
        );
        assert_eq!(Slug::from_user("v1.2").unwrap().as_str(), "v1-2");
    }

    #[test]
    fn pattern_expands_with_zero_padding() {
        let p = Pattern::parse("/news/:year/:month/:day/:slug/").unwrap();
        let slug = Slug::from_text("a b").unwrap();
        let section = Slug::from_text("world").unwrap();
        let path = p.expand(&PermalinkFields {
            year: 2026,
            month: 3,
            day: 4,
            slug: &slug,
            section: &section,
        });
        let base = BaseUrl::parse("/").unwrap();
        assert_eq!(path.url(&base), "/news/2026/03/04/a-b/");
        assert_eq!(
            path.output_file(),
            PathBuf::from("news/2026/03/04/a-b/index.html")
        );
    }

    #[test]
    fn pattern_refuses_escapes_and_unknown_placeholders() {
        assert!(Pattern::parse("/../:slug/").is_err());
        assert!(Pattern::parse("/:yaer/:slug/").is_err());
        assert!(Pattern::parse("/:year/").is_err());
    }

    #[test]
    fn aliases_are_folders_inside_the_site() {
        let base = BaseUrl::parse("/news/").unwrap();
        for (written, url) in [
            ("/2026/03/old-title/", "/news/2026/03/old-title/"),
            ("old/Path_1", "/news/old/Path_1/"),
            ("/a~b", "/news/a~b/"),
        ] {
            assert_eq!(UrlPath::alias(written).unwrap().url(&base), url);
        }
        for bad in [
            "/../etc/",
            "/a/../b/",
            "/a/./b/",
            "https://example.org/a/",
            "//example.org/a/",
            "javascript:alert(1)",
            "/a?x=1",
            "/a#top",
            "/a\\b/",
            "/a//b/",
            "/",
            "",
            "/old.html",
            "/_redirects/",
            "/a b/",
            "/caf\u{e9}/",
            "/nul\0/",
        ] {
            assert!(UrlPath::alias(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn pages_below_a_path() {
        let base = BaseUrl::parse("https://x.org/news/").unwrap();
        let tag = UrlPath::root().join(&Slug::from_text("tags").unwrap());
        assert_eq!(tag.clone().page(1).url(&base), "/news/tags/page/1/");
        assert_eq!(tag.page(3).url(&base), "/news/tags/page/3/");
        assert_eq!(
            UrlPath::file("404.html").output_file(),
            PathBuf::from("404.html")
        );
    }
}
