//! Reading one built page: the URLs it refers to and the ids it offers as `#anchors`, in one pass
//! of a spec-following HTML tokenizer (html5gum) that builds no document tree.

use std::collections::HashSet;

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Emitter, ForwardingEmitter, Span, Tokenizer};

/// What a page links to and what can be linked to in it.
#[derive(Debug, Default)]
pub struct Scan {
    /// Every URL the page refers to, in order (a URL used twice is here twice).
    pub links: Vec<String>,
    /// Every `id`, and every `<a name>`: the targets of `#fragment` links.
    pub ids: HashSet<String>,
}

/// The `<meta>` names whose `content` is an image URL (a card image for link previews).
const IMAGE_METAS: &[&[u8]] = &[b"og:image", b"og:image:url", b"twitter:image"];

/// The start tag being read.
#[derive(Default)]
struct Tag {
    name: Vec<u8>,
    attribute: Vec<u8>,
    /// `<meta>` only: whether it names an image, and its `content`.
    image_meta: bool,
    content: Option<String>,
}

/// Reads `html` (a whole document); never fails, as every byte string is some HTML.
pub fn scan(html: &[u8]) -> Scan {
    let mut page = Scan::default();
    let mut tag = Tag::default();
    let mut emitter = CallbackEmitter::new(|event: CallbackEvent<'_>, _: Span<()>| {
        match event {
            CallbackEvent::OpenStartTag { name } => tag.open(name),
            CallbackEvent::AttributeName { name } => {
                tag.attribute.clear();
                tag.attribute.extend_from_slice(name);
            }
            CallbackEvent::AttributeValue { value } => page.attribute(&mut tag, value),
            CallbackEvent::CloseStartTag { .. } if tag.image_meta => {
                page.links.extend(tag.content.take());
            }
            _ => {}
        }
        None::<std::convert::Infallible>
    });
    // Without this, the text of <script> and <style> would be read as markup.
    emitter.naively_switch_states(true);
    Tokenizer::new_with_emitter(html, Quiet(emitter)).finish();
    page
}

/// An emitter that skips the tokenizer's search for parse errors (such as control characters),
/// which a link check has no use for and which took more than half of the time of reading.
struct Quiet<E>(E);

impl<E: Emitter> ForwardingEmitter for Quiet<E> {
    type Token = E::Token;

    fn inner(&mut self) -> &mut impl Emitter<Token = Self::Token> {
        &mut self.0
    }

    fn should_emit_errors(&mut self) -> bool {
        false
    }
}

impl Tag {
    /// Starts reading the tag `name`, reusing the buffers of the last one.
    fn open(&mut self, name: &[u8]) {
        self.name.clear();
        self.name.extend_from_slice(name);
        self.image_meta = false;
        self.content = None;
    }
}

impl Scan {
    fn attribute(&mut self, tag: &mut Tag, value: &[u8]) {
        let text = || String::from_utf8_lossy(value).into_owned();
        match (tag.name.as_slice(), tag.attribute.as_slice()) {
            (_, b"id") | (b"a", b"name") => {
                self.ids.insert(text());
            }
            (b"a" | b"area" | b"link", b"href")
            | (
                b"img" | b"script" | b"iframe" | b"source" | b"video" | b"audio" | b"track"
                | b"embed" | b"input",
                b"src",
            )
            | (b"video", b"poster")
            | (b"object", b"data") => self.links.push(text()),
            (b"img" | b"source", b"srcset") => {
                for candidate in text().split(',') {
                    // Each candidate is a URL, then perhaps a width or density descriptor.
                    if let Some(url) = candidate.split_whitespace().next() {
                        self.links.push(url.to_string());
                    }
                }
            }
            (b"meta", b"property" | b"name") => {
                tag.image_meta |= IMAGE_METAS.iter().any(|m| value.eq_ignore_ascii_case(m));
            }
            (b"meta", b"content") => tag.content = Some(text()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_links_of_every_kind() {
        let page = scan(
            br#"<!DOCTYPE html><html><head>
            <link rel="stylesheet" href="/style.css">
            <meta content="/card.png" property="og:image">
            <meta property="og:title" content="Not a URL">
            <script src="/app.js">if (a < b) { document.write('<a href="/fake/">') }</script>
            </head><body>
            <a href="/a/">A</a> <a href="/a/">again</a>
            <img src="/i.png" srcset="/i-2x.png 2x, /i-3x.png 3x">
            <a href="/q?x=1&amp;y=2">amp</a>
            </body></html>"#,
        );
        assert_eq!(
            page.links,
            [
                "/style.css",
                "/card.png",
                "/app.js",
                "/a/",
                "/a/",
                "/i.png",
                "/i-2x.png",
                "/i-3x.png",
                "/q?x=1&y=2"
            ]
        );
    }

    #[test]
    fn finds_ids_and_named_anchors() {
        let page = scan(br#"<h2 id="timeline">T</h2><a name="old">x</a><p class="id">y</p>"#);
        let mut ids: Vec<_> = page.ids.into_iter().collect();
        ids.sort();
        assert_eq!(ids, ["old", "timeline"]);
    }
}
