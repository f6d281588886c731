//! Markdown bodies into HTML, once per file, with what pages need to know about them: heading ids
//! and the table of contents, the summary, and the length.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::config::MarkdownConfig;
use crate::content::front_matter::Split;
use crate::content::highlight;
use crate::error::{Diagnostic, Position};
use crate::url::link;

/// Readers read about this many words a minute; used for `reading_time`.
const WORDS_PER_MINUTE: usize = 200;

const MORE_MARKER: &str = "<!-- more -->";

/// The deepest the elements of a body may nest (a quote in a list in a quote ...). Digests nest
/// a few levels; browsers give up far deeper (Chromium flattens past 512), and such a page only
/// comes from a bot gone wrong.
pub const MAX_NESTING: usize = 100;

/// A body rendered to HTML, with what was learnt about it on the way.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Rendered {
    pub html: String,
    /// Plain text: what stands before `<!-- more -->`, else the first paragraph.
    pub summary: String,
    pub word_count: usize,
    pub toc: Vec<Heading>,
    /// Where (a byte offset in the body) its elements first nest deeper than `MAX_NESTING`;
    /// nothing is rendered then.
    pub too_deep: Option<usize>,
    /// Its images written as root-relative paths (`/images/x.jpg`: files of the site), with
    /// the byte offset of each in the body: the build makes pictures of them.
    pub images: Vec<(String, usize)>,
}

/// Minutes to read `word_count` words, at least one.
pub fn reading_time(word_count: usize) -> usize {
    word_count.div_ceil(WORDS_PER_MINUTE).max(1)
}

impl Rendered {
    /// The error for a body that nests too deep, placed in `file` by its `split`.
    pub fn nesting_error(&self, file: &Path, split: &Split) -> Option<Diagnostic> {
        let at = self.too_deep?;
        Some(
            Diagnostic::error(
                file,
                format!(
                    "the text nests more than {MAX_NESTING} levels deep (quotes, lists, emphasis or links inside each other)"
                ),
                "flatten it: a digest needs only a few levels",
            )
            .at(Some(Position::at_offset(split.body, at, split.body_line()))),
        )
    }
}

/// A heading of the body, for a table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

fn options(config: &MarkdownConfig) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if config.smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    options
}

/// Renders `body`; never fails, since every string is valid CommonMark. Links and images that
/// start with `/` are below the site root, so they get the base path of a site deployed under a
/// sub-path (`/news/`), as Hugo and Zola users expect.
pub fn render(body: &str, config: &MarkdownConfig, base_path: &str) -> Rendered {
    let (mut depth, mut too_deep) = (0_usize, None);
    let mut images = Vec::new();
    let events: Vec<Event> = Parser::new_ext(body, options(config))
        .into_offset_iter()
        .map_while(|(event, range)| {
            match &event {
                // Root-relative paths alone name a file of the site wherever the page is.
                Event::Start(Tag::Image { dest_url, .. })
                    if dest_url.starts_with('/') && !dest_url.starts_with("//") =>
                {
                    images.push((dest_url.to_string(), range.start));
                    depth += 1;
                }
                Event::Start(_) => depth += 1,
                Event::End(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth > MAX_NESTING {
                too_deep = Some(range.start);
                return None;
            }
            Some(event)
        })
        .collect();
    if too_deep.is_some() {
        return Rendered {
            too_deep,
            ..Rendered::default()
        };
    }
    let summary = summary(&events);
    let word_count = events.iter().map(words).sum();
    let mut toc = Vec::new();
    let events = with_heading_ids(events, &mut toc);
    let mut presenter = Presenter {
        raw_html: config.raw_html,
        base_path,
        open: Vec::new(),
        tables: 0,
    };
    let events = events.into_iter().flat_map(|e| presenter.present(e));
    // After the presenter, which would escape the highlighted code as untrusted raw HTML.
    let events = highlight::code_blocks(events, config.highlight_code);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    // Kept for the whole build, for every article: room to spare would add up.
    html.shrink_to_fit();
    Rendered {
        html,
        summary,
        word_count,
        toc,
        too_deep: None,
        images,
    }
}

fn is_more_marker(event: &Event) -> bool {
    matches!(event, Event::Html(h) | Event::InlineHtml(h) if h.trim() == MORE_MARKER)
}

fn words(event: &Event) -> usize {
    match event {
        Event::Text(t) | Event::Code(t) => t.split_whitespace().count(),
        _ => 0,
    }
}

/// The text before `<!-- more -->` if there is one, else the first paragraph's.
fn summary(events: &[Event]) -> String {
    let end = events.iter().position(is_more_marker);
    let chosen: &[Event] = match end {
        Some(end) => &events[..end],
        None => first_paragraph(events),
    };
    let mut text = String::new();
    for event in chosen {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn first_paragraph<'e, 'a>(events: &'e [Event<'a>]) -> &'e [Event<'a>] {
    let start = events
        .iter()
        .position(|e| matches!(e, Event::Start(Tag::Paragraph)));
    let Some(start) = start else { return &[] };
    let len = events[start..]
        .iter()
        .position(|e| matches!(e, Event::End(TagEnd::Paragraph)))
        .unwrap_or(events.len() - start);
    &events[start..start + len]
}

/// Gives every heading an id: its own `{#id}` if it has one, else the id of its text (see
/// `heading_id`), made unique within the page with `-1`, `-2`, ...
fn with_heading_ids<'a>(mut events: Vec<Event<'a>>, toc: &mut Vec<Heading>) -> Vec<Event<'a>> {
    let written = events.iter().filter_map(|e| match e {
        Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
        _ => None,
    });
    let mut taken: HashSet<String> = THEME_IDS
        .iter()
        .map(|id| id.to_string())
        .chain(written)
        .collect();
    let mut suffixes = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i] {
            let level = *level;
            let explicit = id.clone();
            let title = heading_text(&events[i + 1..], level);
            let id = match explicit {
                Some(id) => id.to_string(),
                None => unique_id(&title, &mut taken, &mut suffixes),
            };
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(CowStr::from(id.clone()));
            }
            toc.push(Heading {
                level: level as u8,
                id,
                title,
            });
        }
        i += 1;
    }
    events
}

fn heading_text(events: &[Event], level: HeadingLevel) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::End(TagEnd::Heading(l)) if *l == level => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// The ids the theme gives elements of an article or bot page (`templates/`); a heading with
/// the same text (`## related_posts`) gets the next free id instead, so no page has an id
/// twice. A test checks the list against the built-in templates.
const THEME_IDS: &[&str] = &[
    "main_content",
    "article_tags",
    "article_sources",
    "article_corrections",
    "retraction",
    "retraction_title",
    "related_posts",
    "about_bot",
    "about_editor",
    "bot_articles",
    "front_top",
    "front_latest",
    "header_search_q",
    "search_form",
    "search_q",
    "search_filters",
    "search_status",
    "search_results",
    "search_more",
];

/// The id of `title`, or the first of `id-1`, `id-2`, ... not `taken`. `suffixes` keeps the
/// next number to try for each id, so that a body of thousands of equal headings takes linear
/// time, not quadratic.
fn unique_id(
    title: &str,
    taken: &mut HashSet<String>,
    suffixes: &mut HashMap<String, usize>,
) -> String {
    let mut base = heading_id(title);
    if base.is_empty() {
        base = "section".to_string();
    }
    let n = suffixes.entry(base.clone()).or_insert(0);
    loop {
        let id = match *n {
            0 => base.clone(),
            n => format!("{base}-{n}"),
        };
        *n += 1;
        if taken.insert(id.clone()) {
            return id;
        }
    }
}

/// A heading's id by the rule of GitHub (github-slugger) and comrak: the text in lower case,
/// keeping letters (of any script), combining marks, digits, `_`, `-` and spaces, each space
/// becoming `-`; everything else is dropped rather than turned into `-`, so "What's next?" is
/// `whats-next`, as authors who link `#whats-next` expect.
fn heading_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            ' ' => id.push('-'),
            c if c.is_alphanumeric() || c == '-' || is_connector(c) || is_combining_mark(c) => {
                id.push(c)
            }
            _ => {}
        }
    }
    id
}

/// Unicode's connector punctuation (`_` and its kin), which GitHub keeps in ids.
fn is_connector(c: char) -> bool {
    matches!(
        c,
        '_' | '\u{203F}' | '\u{2040}' | '\u{2054}' | '\u{FE33}' | '\u{FE34}' | '\u{FE4D}'
            ..='\u{FE4F}' | '\u{FF3F}'
    )
}

/// The blocks of marks that are not letters, which GitHub keeps: combining accents (a letter
/// and a mark), and variation selectors (the `U+FE0F` after an emoji, so `## Tools ⚙️` is
/// `tools-\u{FE0F}`). The marks of other scripts (vowel signs of Indic scripts) are alphabetic
/// and kept already.
fn is_combining_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FE20}'..='\u{FE2F}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

/// Final touches on the way out: tables get a wrapper that scrolls on narrow screens (a named
/// region in the tab order, so that a keyboard can scroll it too), the more marker disappears, root-relative links follow the base path, and when the site does not
/// trust its bots (`raw_html: false`) raw HTML is escaped, heading attributes other than id and
/// class are dropped, and so are links and images that would run code or carry a document of
/// their own (`javascript:`, `vbscript:`, `data:`): a link's text stays without the link, an
/// image becomes its alt text.
struct Presenter<'b> {
    raw_html: bool,
    base_path: &'b str,
    /// For every link and image open at this point: whether it was dropped.
    open: Vec<bool>,
    /// Tables so far: each wrapper's name is numbered, as two regions of one name would be
    /// two landmarks a screen reader cannot tell apart.
    tables: usize,
}

impl Presenter<'_> {
    fn present<'a>(&mut self, event: Event<'a>) -> Vec<Event<'a>> {
        match event {
            e if is_more_marker(&e) => vec![],
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if !self.raw_html && link::is_active(&dest_url) =>
            {
                self.open.push(true);
                vec![]
            }
            Event::Start(mut tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                self.open.push(false);
                if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
                    let written = std::mem::replace(dest_url, CowStr::Borrowed(""));
                    *dest_url = under_base(written, self.base_path);
                }
                vec![Event::Start(tag)]
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => match self.open.pop() {
                Some(true) => vec![],
                _ => vec![Event::End(end)],
            },
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs: _,
            }) if !self.raw_html => vec![Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs: Vec::new(),
            })],
            Event::Start(Tag::Table(a)) => {
                self.tables += 1;
                let wrap = format!(
                    "<div class=\"table-wrap\" role=\"region\" aria-label=\"Table {}\" tabindex=\"0\">",
                    self.tables
                );
                vec![Event::Html(wrap.into()), Event::Start(Tag::Table(a))]
            }
            Event::End(TagEnd::Table) => {
                vec![Event::End(TagEnd::Table), Event::Html("</div>".into())]
            }
            Event::Html(h) | Event::InlineHtml(h) if !self.raw_html => vec![Event::Text(h)],
            e => vec![e],
        }
    }
}

/// `/2026/a/` as `/news/2026/a/` under the base path `/news/`; other links as written
/// (`//host/x` is a protocol-relative address, not a path).
fn under_base<'a>(dest: CowStr<'a>, base_path: &str) -> CowStr<'a> {
    match dest.strip_prefix('/') {
        Some(rest) if base_path != "/" && !rest.starts_with('/') => {
            CowStr::from(format!("{base_path}{rest}"))
        }
        _ => dest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(body: &str) -> Rendered {
        render(body, &MarkdownConfig::default(), "/")
    }

    #[test]
    fn headings_get_stable_deduplicated_ids() {
        let r = md("## Timeline\n\n## Timeline\n\n### What's next? {#next}\n\n## Next\n");
        let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["timeline", "timeline-1", "next", "next-1"]);
        assert!(r.html.contains("<h2 id=\"timeline-1\">"), "{}", r.html);
    }

    #[test]
    fn heading_ids_follow_github() {
        for (text, id) in [
            ("What's next?", "whats-next"),
            ("What’s next?", "whats-next"),
            (
                "Rust 1.80: LazyCell & LazyLock",
                "rust-180-lazycell--lazylock",
            ),
            ("The `max_tag_share` knob", "the-max_tag_share-knob"),
            ("Zürich, Москва, 東京", "zürich-москва-東京"),
            ("Cafe\u{301} -- noir", "cafe\u{301}----noir"),
            ("C++ (and C#)", "c-and-c"),
            ("Faster builds ⚙\u{FE0F}", "faster-builds-\u{FE0F}"),
            ("???", ""),
        ] {
            assert_eq!(heading_id(text), id, "{text}");
        }
    }

    #[test]
    fn headings_never_take_the_theme_s_ids() {
        let r = md("## related_posts\n\n## Related posts\n");
        let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["related_posts-1", "related-posts"]);
    }

    #[test]
    fn theme_ids_are_every_id_the_built_in_templates_write() {
        let mut written: Vec<&str> = crate::render::templates::BUILT_IN
            .iter()
            .flat_map(|(_, text)| text.split("id=\"").skip(1))
            .filter_map(|rest| rest.split('"').next())
            .filter(|id| !id.contains("{{"))
            .collect();
        written.sort_unstable();
        written.dedup();
        let mut listed = THEME_IDS.to_vec();
        listed.sort_unstable();
        assert_eq!(written, listed);
    }

    #[test]
    fn summary_is_text_before_more_marker() {
        let r = md("First *part*.\n\nSecond.\n\n<!-- more -->\n\nRest.");
        assert_eq!(r.summary, "First part. Second.");
        assert!(!r.html.contains("more"), "{}", r.html);
    }

    #[test]
    fn summary_is_first_paragraph_otherwise() {
        let r = md("# Title\n\nThe first\nparagraph.\n\nAnother.");
        assert_eq!(r.summary, "The first paragraph.");
    }

    #[test]
    fn tables_are_wrapped_for_scrolling() {
        let r = md("| a | b |\n|---|---|\n| 1 | 2 |\n\n| c |\n|---|\n| 3 |\n");
        assert!(
            r.html.starts_with(
                "<div class=\"table-wrap\" role=\"region\" aria-label=\"Table 1\" tabindex=\"0\"><table>"
            ),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<div class=\"table-wrap\" role=\"region\" aria-label=\"Table 2\" tabindex=\"0\"><table>"),
            "each table's region has a name of its own: {}",
            r.html
        );
        assert!(
            r.html.trim_end().ends_with("</table>\n</div>")
                || r.html.trim_end().ends_with("</table></div>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn raw_html_is_escaped_when_not_trusted() {
        let config = MarkdownConfig {
            raw_html: false,
            ..MarkdownConfig::default()
        };
        let r = render("<script>alert(1)</script>\n\nHi <b>x</b>", &config, "/");
        assert!(!r.html.contains("<script>"), "{}", r.html);
        assert!(r.html.contains("&lt;b&gt;"), "{}", r.html);
    }

    fn untrusted(body: &str) -> Rendered {
        let config = MarkdownConfig {
            raw_html: false,
            ..MarkdownConfig::default()
        };
        render(body, &config, "/news/")
    }

    #[test]
    fn active_links_and_images_are_dropped_when_not_trusted() {
        let r = untrusted(
            "[a](javascript:alert(1)) [b](JavaScript:x) [c](jav&#x09;ascript:x) \
             [d](<\u{1} java&#10;script:x>) [e](vbscript:x) [f](data:text/html,x) \
             [g](%6Aavascript:x) <javascript:alert(2)> [h][ref]\n\n\
             ![chart](data:image/png;base64,AAAA) [![logo](javascript:x)](/ok/) \
             [fine](https://example.org/) [mail](mailto:desk@example.org)\n\n\
             [ref]: javascript:alert(3)\n",
        );
        assert_eq!(
            attrs(&r.html, "a", "href"),
            [
                "/news/ok/",
                "https://example.org/",
                "mailto:desk@example.org"
            ]
        );
        assert!(attrs(&r.html, "img", "src").is_empty(), "{}", r.html);
        let text = scraper::Html::parse_fragment(&r.html)
            .root_element()
            .text()
            .collect::<String>();
        for kept in [
            "a",
            "b",
            "c",
            "d",
            "e",
            "f",
            "g",
            "javascript:alert(2)",
            "h",
            "chart",
        ] {
            assert!(text.contains(kept), "{kept} is gone from {text}");
        }
        assert_eq!(
            scraper::Html::parse_fragment(&r.html)
                .select(&scraper::Selector::parse("a[href='/news/ok/']").unwrap())
                .map(|a| a.text().collect::<String>())
                .collect::<Vec<_>>(),
            ["logo"],
            "the link around a dropped image keeps its alt text"
        );
    }

    #[test]
    fn trusted_bodies_keep_every_link_as_written() {
        let r = md("[a](javascript:alert(1)) ![chart](data:image/png;base64,AAAA)");
        assert_eq!(attrs(&r.html, "a", "href"), ["javascript:alert(1)"]);
        assert_eq!(attrs(&r.html, "img", "src"), ["data:image/png;base64,AAAA"]);
    }

    #[test]
    fn heading_attributes_are_only_id_and_class_when_not_trusted() {
        let body = "## Briefing {#brief .lead onclick=alert(1) style=x}\n";
        let r = untrusted(body);
        let html = scraper::Html::parse_fragment(&r.html);
        let h2 = html
            .select(&scraper::Selector::parse("h2").unwrap())
            .next()
            .expect("h2");
        let mut names: Vec<_> = h2.value().attrs().map(|(name, _)| name).collect();
        names.sort_unstable();
        assert_eq!(names, ["class", "id"], "{}", r.html);
        assert_eq!(attrs(&md(body).html, "h2", "onclick"), ["alert(1)"]);
    }

    #[test]
    fn extensions_are_on() {
        let r = md("~~old~~ \"quoted\"\n\n- [x] done\n\nNote[^1].\n\n[^1]: A footnote.");
        assert!(r.html.contains("<del>old</del>"), "{}", r.html);
        assert!(r.html.contains("\u{201c}quoted\u{201d}"), "{}", r.html);
        assert!(r.html.contains("type=\"checkbox\""), "{}", r.html);
        assert!(r.html.contains("footnote-definition"), "{}", r.html);
    }

    /// `attr` of every `tag` of rendered HTML.
    fn attrs(html: &str, tag: &str, attr: &str) -> Vec<String> {
        let html = scraper::Html::parse_fragment(html);
        let selector = scraper::Selector::parse(tag).unwrap();
        html.select(&selector)
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    #[test]
    fn root_relative_links_and_images_follow_the_base_path() {
        let body =
            "[a](/2026/a/) [b](b/) [c](https://x.org/c) [d](//cdn.org/d) ![i](/images/i.svg)";
        let r = render(body, &MarkdownConfig::default(), "/news/");
        assert_eq!(
            attrs(&r.html, "a", "href"),
            ["/news/2026/a/", "b/", "https://x.org/c", "//cdn.org/d"]
        );
        assert_eq!(attrs(&r.html, "img", "src"), ["/news/images/i.svg"]);
        assert_eq!(attrs(&md("[a](/2026/a/)").html, "a", "href"), ["/2026/a/"]);
    }

    #[test]
    fn nesting_past_the_limit_is_found_where_it_happens() {
        let fine = format!("{} x\n", ">".repeat(MAX_NESTING - 1));
        assert_eq!(md(&fine).too_deep, None);
        let body = format!("Intro.\n\n{} x\n", "> ".repeat(MAX_NESTING + 5));
        let r = md(&body);
        assert_eq!(r.too_deep, Some("Intro.\n\n".len() + 2 * MAX_NESTING));
        assert_eq!(r.html, "");
    }

    #[test]
    fn counts_words_and_reading_time() {
        let r = md(&"word ".repeat(450));
        assert_eq!(r.word_count, 450);
        assert_eq!(reading_time(r.word_count), 3);
    }
}
