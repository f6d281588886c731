//! Syntax highlighting of fenced code blocks, at build time: the code of a block whose language
//! the grammars know becomes `<span class="hl-…">` elements (one class per part of the scope
//! name, `hl-keyword hl-control`), which the theme's stylesheet colours. A block without a
//! language, or in a language no grammar knows, stays plain escaped text.

use std::collections::VecDeque;
use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Put before every class, so the theme's rules apply to highlighted code and nothing else.
const CLASS_PREFIX: &str = "hl-";

/// How much code one body may have highlighted, in bytes; its blocks past that stay plain.
/// Highlighting takes about a second per 100 KiB of code on one core, and a file may hold
/// 1 MiB: the limit keeps a runaway body from stalling the build. The most code-heavy of the
/// Rust blog's 519 posts has 8 KiB.
pub const MAX_HIGHLIGHTED_BYTES: usize = 128 * 1024;

/// The grammars, read once per process and only when a page first has a fenced block that
/// names a language: a site without code never pays for them.
static GRAMMARS: OnceLock<SyntaxSet> = OnceLock::new();

/// `events` with the code of every fenced block in a known language highlighted, if `enabled`.
pub fn code_blocks<'a, I: Iterator<Item = Event<'a>>>(
    events: I,
    enabled: bool,
) -> CodeBlocks<'a, I> {
    CodeBlocks::new(events, enabled.then_some(&GRAMMARS), MAX_HIGHLIGHTED_BYTES)
}

/// The events of a body, passed through as they are except inside a fenced code block in a
/// known language, whose text events become one HTML event of highlighted code. The block's
/// own start and end stay, so `<pre><code class="language-rust">` is written as before.
pub struct CodeBlocks<'a, I> {
    events: I,
    /// Where the grammars are read into; `None` when highlighting is off.
    grammars: Option<&'a OnceLock<SyntaxSet>>,
    /// Events already read and decided on, to hand out before reading more.
    ready: VecDeque<Event<'a>>,
    /// How many more bytes of code may be highlighted.
    budget: usize,
}

impl<'a, I: Iterator<Item = Event<'a>>> CodeBlocks<'a, I> {
    fn new(events: I, grammars: Option<&'a OnceLock<SyntaxSet>>, budget: usize) -> Self {
        Self {
            events,
            grammars,
            ready: VecDeque::new(),
            budget,
        }
    }

    /// Reads the rest of a block opened in `language`, and queues its events: highlighted if
    /// the language is known, the block holds only text and fits in the budget, else as they
    /// came.
    fn read_block(&mut self, language: &str, grammars: &OnceLock<SyntaxSet>) {
        let mut block = Vec::new();
        for event in self.events.by_ref() {
            let end = matches!(event, Event::End(TagEnd::CodeBlock));
            block.push(event);
            if end {
                break;
            }
        }
        let highlighted = match block.split_last() {
            Some((end @ Event::End(TagEnd::CodeBlock), code)) => code_of(code)
                .filter(|code| code.len() <= self.budget)
                .and_then(|code| {
                    let grammars = grammars.get_or_init(SyntaxSet::load_defaults_newlines);
                    let html = highlight(&code, syntax(grammars, language)?, grammars)?;
                    self.budget -= code.len();
                    Some([Event::Html(CowStr::from(html)), end.clone()])
                }),
            _ => None,
        };
        match highlighted {
            Some(events) => self.ready.extend(events),
            None => self.ready.extend(block),
        }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for CodeBlocks<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.ready.pop_front() {
            return Some(event);
        }
        let event = self.events.next()?;
        if let (Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))), Some(grammars)) =
            (&event, self.grammars)
            && let Some(language) = language(info)
        {
            let language = language.to_string();
            self.read_block(&language, grammars);
        }
        Some(event)
    }
}

/// The language an info string names: its first word, up to a comma as in `rust,ignore`
/// (rustdoc's and Zola's attributes), a `{` (Pandoc's) or a `=` (HackMD's `rust=`); `None`
/// when it names none.
fn language(info: &str) -> Option<&str> {
    let first = info.split([' ', '\t', ',', '{', '=']).next()?;
    (!first.is_empty()).then_some(first)
}

/// Names that Markdown writers (and GitHub) use for a language, but no grammar answers to.
const ALIASES: &[(&str, &str)] = &[("shell", "bash")];

/// The grammar for `language`, by name (`Rust`, `rust`), file extension (`rs`, `sh`) or alias;
/// plain text is no language to highlight.
fn syntax<'g>(grammars: &'g SyntaxSet, language: &str) -> Option<&'g SyntaxReference> {
    let language = ALIASES
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(language))
        .map_or(language, |(_, name)| name);
    grammars
        .find_syntax_by_token(language)
        .filter(|s| s.name != grammars.find_syntax_plain_text().name)
}

/// The text of a block's events, or `None` if anything but text is among them.
fn code_of(events: &[Event]) -> Option<String> {
    events
        .iter()
        .map(|event| match event {
            Event::Text(text) => Some(text.as_ref()),
            _ => None,
        })
        .collect()
}

/// `code` as highlighted HTML; `None` if the grammar fails on it (a regex that gives up on
/// pathological input), so that the block falls back to plain text.
fn highlight(code: &str, syntax: &SyntaxReference, grammars: &SyntaxSet) -> Option<String> {
    let style = ClassStyle::SpacedPrefixed {
        prefix: CLASS_PREFIX,
    };
    let mut html = ClassedHTMLGenerator::new_with_class_style(syntax, grammars, style);
    for line in LinesWithEndings::from(code) {
        html.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(html.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser, html};

    /// `body` rendered with highlighting from `grammars`, of at most `budget` bytes of code.
    fn render_with(body: &str, grammars: &OnceLock<SyntaxSet>, budget: usize) -> String {
        let mut out = String::new();
        let events = CodeBlocks::new(
            Parser::new_ext(body, Options::empty()),
            Some(grammars),
            budget,
        );
        html::push_html(&mut out, events);
        out
    }

    fn render(body: &str) -> String {
        render_with(body, &GRAMMARS, MAX_HIGHLIGHTED_BYTES)
    }

    #[test]
    fn known_languages_get_classes_and_keep_their_language_class() {
        let html = render("```rust\nfn main() { let x = \"<b>\"; }\n```\n");
        assert!(
            html.starts_with("<pre><code class=\"language-rust\">"),
            "{html}"
        );
        assert!(html.contains("<span class=\"hl-keyword"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert!(!html.contains("<b>") && !html.contains("style="), "{html}");
        assert!(html.ends_with("</code></pre>\n"), "{html}");
    }

    #[test]
    fn languages_are_found_by_name_or_extension_and_attributes_are_ignored() {
        for info in [
            "Rust",
            "rs",
            "rust,ignore",
            "rust{.numbered}",
            "rust=",
            "rust linenos",
        ] {
            let html = render(&format!("```{info}\nfn f() {{}}\n```\n"));
            assert!(
                html.contains("<span class=\"hl-source hl-rust\">"),
                "{info}: {html}"
            );
        }
    }

    #[test]
    fn code_past_the_budget_stays_plain() {
        let block = "```rust\nfn f() {}\n```\n\n";
        let html = render_with(&block.repeat(3), &GRAMMARS, 2 * "fn f() {}\n".len());
        assert_eq!(html.matches("<span class=\"hl-source").count(), 2, "{html}");
        assert!(
            html.ends_with("<code class=\"language-rust\">fn f() {}\n</code></pre>\n"),
            "{html}"
        );
    }

    #[test]
    fn shell_is_bash() {
        let html = render("```shell\nexport A=1\n```\n");
        assert!(html.contains("hl-source hl-shell"), "{html}");
    }

    #[test]
    fn unknown_plain_and_indented_blocks_stay_plain_escaped_text() {
        for body in [
            "```klingon\n<script>x</script>\n```\n",
            "```\n<script>x</script>\n```\n",
            "```text\n<script>x</script>\n```\n",
            "    <script>x</script>\n",
        ] {
            let html = render(body);
            assert!(!html.contains("<span"), "{body}: {html}");
            assert!(
                html.contains("&lt;script&gt;x&lt;/script&gt;"),
                "{body}: {html}"
            );
        }
    }

    #[test]
    fn code_the_grammar_closes_is_balanced() {
        let html = render("```rust\n/* never closed\nfn f() {\n```\n\nAfter.\n");
        assert_eq!(
            html.matches("<span").count(),
            html.matches("</span>").count()
        );
        assert!(html.ends_with("</code></pre>\n<p>After.</p>\n"), "{html}");
    }

    #[test]
    fn a_body_without_a_fenced_language_never_reads_the_grammars() {
        let grammars = OnceLock::new();
        render_with(
            "# Title\n\nText `code`.\n\n```\nplain\n```\n\n    indented\n",
            &grammars,
            MAX_HIGHLIGHTED_BYTES,
        );
        assert!(grammars.get().is_none(), "the grammars were read");
        render_with(
            "```rust\nfn f() {}\n```\n",
            &grammars,
            MAX_HIGHLIGHTED_BYTES,
        );
        assert!(grammars.get().is_some(), "a block in a language reads them");
    }
}
