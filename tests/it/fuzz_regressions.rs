//! Inputs the fuzz targets of `fuzz/` found a problem with, kept so that the problem stays fixed.
//! Each test names its target; fuzz/README.md says how to run them.

use std::path::Path;
use std::time::{Duration, Instant};

use gazette::config::MarkdownConfig;
use gazette::content::front_matter::{self, ARTICLE_KEYS, ArticleMeta};
use gazette::content::markdown;
use gazette::text::decode;
use gazette::url::BaseUrl;

/// `permalink`: NUL bytes and empty segments of a base URL went into the path of every URL.
#[test]
fn base_url_rejects_empty_segments_and_control_characters() {
    for bad in [
        "/\0//\0\0\0\0\0\x004",
        "/a//b/",
        "https://x.org/my news/",
        "https://x\0.org/",
    ] {
        assert!(BaseUrl::parse(bad).is_err(), "{bad:?} was accepted");
    }
    assert_eq!(
        BaseUrl::parse("https://x.org//news//").unwrap().path,
        "/news/"
    );
}

/// `markdown` (seen in the code, then run through the target): every heading of the same text
/// tried `-1`, `-2`, ... from the start, so 64 KB of `# a` lines took minutes.
#[test]
fn thousands_of_equal_headings_get_their_ids_in_linear_time() {
    let headings = 40_000;
    let body = "# a\n".repeat(headings);
    let start = Instant::now();
    let rendered = markdown::render(&body, &MarkdownConfig::default(), "/");
    let took = start.elapsed();
    let ids: Vec<&str> = rendered.toc.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids.len(), headings);
    assert_eq!(ids[..3], ["a", "a-1", "a-2"]);
    assert_eq!(ids[headings - 1], format!("a-{}", headings - 1));
    // Linear is well under a second even in a debug build; quadratic was minutes.
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

/// The linear numbering above still skips ids a heading of the body has taken.
#[test]
fn numbered_ids_skip_ids_already_taken() {
    let body = "# a {#a-1}\n\n# a\n\n# a\n\n# a 2\n";
    let rendered = markdown::render(body, &MarkdownConfig::default(), "/");
    let ids: Vec<&str> = rendered.toc.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["a-1", "a", "a-2", "a-2-1"]);
}

/// `front_matter`: YAML counts a lone `\r` as a line end and we did not, so an error after one
/// pointed at a line past the end of the file.
#[test]
fn yaml_errors_after_lone_carriage_returns_point_at_their_line() {
    let file = Path::new("content/world/a.md");
    let text = decode(file, b"---\ntitle: x\r\r\rtags: [a\n---\n").unwrap();
    let split = front_matter::split(file, &text).unwrap();
    let error = front_matter::parse::<ArticleMeta>(file, &split, ARTICLE_KEYS).unwrap_err();
    let line = error.position.expect("a position").line;
    let shown = text.lines().nth(line - 1).unwrap_or_default();
    assert!(shown.starts_with("tags: [a"), "{error} points at {shown:?}");
}
