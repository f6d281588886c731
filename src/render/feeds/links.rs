//! Absolute links for feed content: feed readers show an article away from its page, with no
//! base to resolve `/images/x.png` or `chart.png` against, so every link is resolved here.

use lol_html::{RewriteStrSettings, element, rewrite_str};
use url::{Position, Url};

/// Stands in for the site's origin when none is configured, so that relative links still
/// resolve, to root-relative ones.
const NO_ORIGIN: &str = "http://origin.invalid";

/// The attributes that hold a URL the reader's browser would load or follow.
const URL_ATTRIBUTES: [&str; 3] = ["href", "src", "poster"];

/// Resolves links against one page's URL, as a browser on that page would.
pub struct Resolver {
    page: Option<Url>,
    /// Whether `page` stands on `NO_ORIGIN`, so that results drop it again.
    placeholder: bool,
}

impl Resolver {
    /// For the page at `url`: absolute, or a path when the site has no origin configured.
    pub fn new(url: &str) -> Self {
        match Url::parse(url) {
            Ok(page) => Self {
                page: Some(page),
                placeholder: false,
            },
            Err(_) => Self {
                page: Url::parse(&format!("{NO_ORIGIN}{url}")).ok(),
                placeholder: true,
            },
        }
    }

    /// `link` made absolute; links that already name a scheme, and links that do not parse,
    /// are left as they are.
    pub fn resolve(&self, link: &str) -> String {
        let Some(page) = &self.page else {
            return link.to_string();
        };
        if Url::parse(link).is_ok() {
            return link.to_string();
        }
        match page.join(link) {
            Ok(url) if self.placeholder => url[Position::BeforePath..].to_string(),
            Ok(url) => url.into(),
            Err(_) => link.to_string(),
        }
    }

    /// `html` with the URL attributes of every element resolved.
    pub fn rewrite(&self, html: &str) -> Result<String, String> {
        let settings = RewriteStrSettings::new().append_element_content_handler(element!(
            "[href], [src], [poster]",
            |el| {
                for attribute in URL_ATTRIBUTES {
                    if let Some(link) = el.get_attribute(attribute) {
                        el.set_attribute(attribute, &self.resolve(&link))?;
                    }
                }
                Ok(())
            }
        ));
        rewrite_str(html, settings).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://x.org/news/2026/03/14/port/";

    #[test]
    fn resolves_like_a_browser_on_the_page() {
        let r = Resolver::new(PAGE);
        assert_eq!(r.resolve("/news/img/a.png"), "https://x.org/news/img/a.png");
        assert_eq!(r.resolve("chart.png"), format!("{PAGE}chart.png"));
        assert_eq!(
            r.resolve("../other/"),
            "https://x.org/news/2026/03/14/other/"
        );
        assert_eq!(r.resolve("#fn-1"), format!("{PAGE}#fn-1"));
        assert_eq!(r.resolve("//cdn.org/a.js"), "https://cdn.org/a.js");
    }

    #[test]
    fn leaves_absolute_links_alone() {
        let r = Resolver::new(PAGE);
        for link in ["https://example.org/a?b=1&c=2", "mailto:desk@x.org"] {
            assert_eq!(r.resolve(link), link);
        }
    }

    #[test]
    fn without_an_origin_links_become_root_relative() {
        let r = Resolver::new("/2026/03/14/port/");
        assert_eq!(r.resolve("chart.png"), "/2026/03/14/port/chart.png");
        assert_eq!(r.resolve("/img/a.png"), "/img/a.png");
    }

    #[test]
    fn rewrites_href_src_and_poster_in_raw_html_too() {
        let html = r#"<p><a href="/a/">a</a> <img src="b.png" alt="b"> <a href="https://o.org/">o</a></p><video poster="p.jpg" src="/v.mp4"></video>"#;
        let out = Resolver::new(PAGE).rewrite(html).unwrap();
        assert_eq!(
            out,
            r#"<p><a href="https://x.org/a/">a</a> <img src="https://x.org/news/2026/03/14/port/b.png" alt="b"> <a href="https://o.org/">o</a></p><video poster="https://x.org/news/2026/03/14/port/p.jpg" src="https://x.org/v.mp4"></video>"#
        );
    }
}
