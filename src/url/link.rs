//! Links as a browser reads them: the scheme a link really has, whatever its spelling, and
//! which links gazette lets into a page.

use std::path::Path;

use percent_encoding::percent_decode_str;

use crate::error::{Diagnostic, Position};

/// Schemes whose links run code in the page (`javascript:`, `vbscript:`) or carry a document of
/// their own (`data:`): what an untrusted writer would put behind an innocent-looking link.
const ACTIVE: [&str; 3] = ["javascript", "vbscript", "data"];

/// The scheme of `link`, lowercased, as a browser's URL parser finds it (the WHATWG URL
/// standard's basic URL parser): leading and trailing C0 controls and spaces are stripped,
/// tabs and newlines anywhere are removed, and the scheme is an ASCII letter followed by
/// letters, digits, `+`, `-` or `.`, up to a `:`. `None` for a relative link.
///
/// Hand-written rather than `url::Url::parse`, which answers another question (whether the
/// whole URL is valid) and fails on links whose scheme is plain, such as `javascript://a b`.
pub fn scheme(link: &str) -> Option<String> {
    let trimmed = link.trim_matches(|c: char| c <= ' ');
    let mut scheme = String::new();
    for c in trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')) {
        match c {
            ':' if !scheme.is_empty() => return Some(scheme),
            c if c.is_ascii_alphabetic() => scheme.push(c.to_ascii_lowercase()),
            '0'..='9' | '+' | '-' | '.' if !scheme.is_empty() => scheme.push(c),
            _ => return None,
        }
    }
    None
}

/// Whether `link` runs code or carries its own document, however its scheme is spelt. Browsers
/// do not decode `%` escapes in a scheme, but `%6Aavascript:` is refused as well: no honest
/// link is written so, and not every program that reads a page or a feed is a browser.
pub fn is_active(link: &str) -> bool {
    let decoded = percent_decode_str(link).decode_utf8_lossy();
    [link, &decoded]
        .iter()
        .filter_map(|l| scheme(l))
        .any(|s| ACTIVE.contains(&s.as_str()))
}

/// A web address (http or https) or a path: what a link written in front matter or
/// gazette.yaml may be.
pub fn is_safe_link(link: &str) -> bool {
    !is_active(link) && scheme(link).is_none_or(|s| s == "http" || s == "https")
}

/// The error for a link written under `key` in `file`'s front matter that is not
/// `is_safe_link`.
pub fn refuse(file: &Path, key: &str, link: &str, position: Option<Position>) -> Diagnostic {
    Diagnostic::error(
        file,
        format!("`{key}`: `{link}` is neither a web address nor a path"),
        "use an https:// URL or a path such as /images/photo.jpg",
    )
    .at(position)
}

/// A full http(s) address.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")) && url.len() > "https://".len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_read_as_browsers_read_them() {
        assert_eq!(scheme("https://example.org/").as_deref(), Some("https"));
        assert_eq!(
            scheme(" \u{1}JaVaScRiPt:alert(1)").as_deref(),
            Some("javascript")
        );
        assert_eq!(scheme("jav\tas\ncri\rpt:x").as_deref(), Some("javascript"));
        assert_eq!(
            scheme("view-source+x.1:y").as_deref(),
            Some("view-source+x.1")
        );
        for relative in [
            "/a:b", "a/b:c", "./x:y", "1x:y", ":x", "#x:y", "?q=a:b", "%6Aa:x", "",
        ] {
            assert_eq!(scheme(relative), None, "{relative:?}");
        }
    }

    /// Our reading agrees with the `url` crate's wherever that crate parses the link.
    #[test]
    fn schemes_agree_with_a_whatwg_parser() {
        let links = [
            "https://example.org/a",
            "\u{0} \u{1f}jAvAsCrIpT:alert(1)",
            "java\nscript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<b>",
            "VBScript:msgbox",
            "mailto:desk@example.org",
            "x-y.z+1:thing",
        ];
        for link in links {
            let parsed = url::Url::parse(link).expect(link);
            assert_eq!(scheme(link).as_deref(), Some(parsed.scheme()), "{link:?}");
        }
    }

    #[test]
    fn active_links_are_found_in_every_spelling() {
        for link in [
            "javascript:alert(1)",
            "  JAVASCRIPT:alert(1)",
            "\u{8}javascript:alert(1)",
            "java\nscript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "%6Aavascript:alert(1)",
            "jav%09ascript:alert(1)",
        ] {
            assert!(is_active(link), "{link:?}");
        }
        for link in [
            "https://x.org/javascript:",
            "/data:x",
            "mailto:a@b.org",
            "notes.md",
        ] {
            assert!(!is_active(link), "{link:?}");
        }
    }

    #[test]
    fn links_allowed_in_front_matter() {
        assert!(is_safe_link("/images/a.jpg"));
        assert!(is_safe_link("images/a.jpg"));
        assert!(is_safe_link("https://example.org/a.jpg"));
        assert!(!is_safe_link("javascript:alert(1)"));
        assert!(!is_safe_link(" java\tscript:alert(1)"));
        assert!(!is_safe_link("data:image/png;base64,AAA"));
        assert!(!is_safe_link("ftp://example.org/a.jpg"));
        assert!(!is_web_url("ftp://example.org"));
    }
}
