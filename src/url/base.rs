//! The base URL a site is published under, and links written by the user as pages link them.

use super::link::is_web_url;

/// The base URL split into what absolute links need and what root-relative links need; the
/// default is `/`, a site with no host configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `https://example.org`, or empty when the site has no host configured.
    pub origin: String,
    /// `/` or `/news/`: the path every URL of the site starts with.
    pub path: String,
    /// `fr/` for the pages of a language other than the default, which live under its code;
    /// empty for the default language. Links to the site's files (`link`) do not take it.
    pub lang: String,
}

impl Default for BaseUrl {
    fn default() -> Self {
        Self {
            origin: String::new(),
            path: "/".into(),
            lang: String::new(),
        }
    }
}

impl BaseUrl {
    /// What to write instead of a base URL `parse` refuses.
    pub const HINT: &str = "use a URL such as https://example.org/ or a path such as /";

    pub fn parse(url: &str) -> Result<Self, String> {
        let (origin, path) = match url.split_once("://") {
            Some((scheme, rest)) if scheme == "http" || scheme == "https" => {
                let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
                if host.is_empty() {
                    return Err(format!("`{url}` has no host"));
                }
                // Every page and feed links under the base URL, so its credentials would be
                // published to every reader.
                if host.contains('@') {
                    return Err(format!(
                        "`{url}` holds a user name or password, which every page would publish"
                    ));
                }
                (format!("{scheme}://{host}"), path)
            }
            Some(_) => return Err(format!("`{url}` is not an http or https URL")),
            None if url.starts_with('/') || url.is_empty() => (String::new(), url),
            None => return Err(format!("`{url}` is neither an absolute URL nor a path")),
        };
        let trimmed = path.trim_matches('/');
        // Empty segments (`/a//b/`) and characters a URL cannot hold would end up in every link.
        let odd = |c: char| c.is_control() || c.is_whitespace() || matches!(c, '?' | '#' | '\\');
        let bad_segment = |s: &str| s == ".." || s == "." || s.is_empty();
        if (!trimmed.is_empty() && trimmed.split('/').any(bad_segment)) || url.contains(odd) {
            return Err(format!(
                "`{}` has a path gazette cannot serve under",
                url.escape_debug()
            ));
        }
        let path = if trimmed.is_empty() {
            "/".to_string()
        } else {
            format!("/{trimmed}/")
        };
        Ok(Self {
            origin,
            path,
            lang: String::new(),
        })
    }

    /// The path of the home page of the site's language: the base path, then the language's
    /// folder.
    pub fn home(&self) -> String {
        format!("{}{}", self.path, self.lang)
    }

    /// The absolute URL of a site path, or the path itself when no host is configured.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.origin, path)
    }

    /// The absolute URL of a site path; none when no host is configured, since a guessed
    /// address in a canonical link or a link preview is worse than none.
    pub fn canonical_url(&self, path: &str) -> Option<String> {
        (!self.origin.is_empty()).then(|| self.absolute(path))
    }

    /// A link written in front matter or configuration (an image, an avatar, a logo), as pages
    /// link it: a web address as written; a path, with or without its leading `/`, names a
    /// file of the site and so goes below the base path.
    pub fn link(&self, link: &str) -> String {
        if is_web_url(link) {
            link.to_string()
        } else {
            format!("{}{}", self.path, link.trim_start_matches('/'))
        }
    }

    /// The same link as an absolute URL, which Open Graph and JSON-LD need; none for a path
    /// when no host is configured.
    pub fn absolute_link(&self, link: &str) -> Option<String> {
        if is_web_url(link) {
            Some(link.to_string())
        } else {
            self.canonical_url(&self.link(link))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_splits_origin_and_sub_path() {
        let b = BaseUrl::parse("https://user.github.io/news").unwrap();
        assert_eq!(b.origin, "https://user.github.io");
        assert_eq!(b.path, "/news/");
        assert_eq!(b.absolute("/news/a/"), "https://user.github.io/news/a/");
        assert_eq!(BaseUrl::parse("/").unwrap(), BaseUrl::default());
        assert_eq!(BaseUrl::parse("http://127.0.0.1:1111").unwrap().path, "/");
    }

    #[test]
    fn front_matter_paths_go_below_the_base_path_and_urls_stay() {
        let sub = BaseUrl::parse("https://user.github.io/news/").unwrap();
        assert_eq!(sub.link("/images/x.svg"), "/news/images/x.svg");
        assert_eq!(sub.link("images/x.svg"), "/news/images/x.svg");
        assert_eq!(sub.link("https://cdn.org/x.svg"), "https://cdn.org/x.svg");
        assert_eq!(
            sub.absolute_link("/images/x.svg").as_deref(),
            Some("https://user.github.io/news/images/x.svg")
        );
        let hostless = BaseUrl::default();
        assert_eq!(hostless.absolute_link("/images/x.svg"), None);
        assert_eq!(
            hostless.absolute_link("https://cdn.org/x.svg").as_deref(),
            Some("https://cdn.org/x.svg")
        );
    }

    #[test]
    fn base_url_rejects_escapes_and_other_schemes() {
        assert!(BaseUrl::parse("https://x.org/../etc").is_err());
        assert!(BaseUrl::parse("https://user:secret@x.org/").is_err());
        assert!(BaseUrl::parse("https://user@x.org/").is_err());
        assert!(BaseUrl::parse("https://x.org/@news/").is_ok());
        assert!(BaseUrl::parse("ftp://x.org/").is_err());
        assert!(BaseUrl::parse("example.org").is_err());
    }
}
