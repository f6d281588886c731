//! Any text as an article body, with every combination of the Markdown settings: heading ids
//! and the table of contents, the summary, smart punctuation, raw HTML, code highlighting, base
//! paths.
#![no_main]

use std::collections::HashSet;

use gazette::config::MarkdownConfig;
use gazette::content::markdown;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u8, &str)| {
    let (flags, body) = input;
    let config = MarkdownConfig {
        raw_html: flags & 1 != 0,
        smart_punctuation: flags & 2 != 0,
        highlight_code: flags & 8 != 0,
    };
    let base_path = if flags & 4 != 0 { "/news/" } else { "/" };
    let rendered = markdown::render(body, &config, base_path);
    assert_eq!(rendered.summary.trim(), rendered.summary);
    assert!(markdown::reading_time(rendered.word_count) >= 1);
    // Ids the body does not set itself are unique on the page.
    let written: HashSet<&str> = body
        .lines()
        .filter_map(|l| l.rsplit_once("{#").map(|(_, id)| id))
        .collect();
    let mut seen = HashSet::new();
    for heading in &rendered.toc {
        let fresh = seen.insert(heading.id.as_str());
        assert!(
            fresh || written.iter().any(|w| w.contains(&heading.id)),
            "two headings share the id `{}`",
            heading.id
        );
    }
});
