//! Naming the construct a template syntax error is about. Tera says "Unexpected end of input" or
//! "Unknown tag" and little more; reading the template's own tags tells which `{% if %}` was
//! never closed, or which `{% endif %}` closes nothing.

use crate::error::Position;

/// Tags that open a body, with the tag that closes it.
const BLOCKS: &[(&str, &str)] = &[
    ("if", "endif"),
    ("for", "endfor"),
    ("block", "endblock"),
    ("filter", "endfilter"),
    ("set", "endset"),
    ("component", "endcomponent"),
];

/// Tags allowed only inside a body, with the tags whose body may hold them.
const MIDDLES: &[(&str, &[&str])] = &[("elif", &["if"]), ("else", &["if", "for"])];

/// Tags that stand alone.
const SINGLES: &[&str] = &[
    "extends",
    "include",
    "set_global",
    "break",
    "continue",
    "raw",
    "endraw",
];

/// Tags of Tera 1 (which Zola uses) that Tera 2 dropped.
const MACRO_TAGS: &[&str] = &["macro", "endmacro", "import"];

/// A syntax error, said plainly: what is wrong, where (when not where Tera saw it), what to do.
#[derive(Debug, PartialEq, Eq)]
pub struct Explained {
    pub message: String,
    pub position: Option<Position>,
    pub hint: String,
}

/// What Tera's `message` about `text`, at `at`, means, where the template's tags tell.
pub fn explain(text: &str, message: &str, at: Option<Position>) -> Option<Explained> {
    let end_expected =
        message.ends_with("but expected }}.") || message.ends_with("but expected %}.");
    match message {
        "Unexpected end of input" => unclosed(text),
        "Unknown tag" => unknown_tag(text, at?),
        "unexpected end of raw block" => Some(Explained {
            message: format!("unclosed `{{% raw %}}` opened at line {}", at?.line),
            position: None,
            hint: "close it with `{% endraw %}`".into(),
        }),
        _ if end_expected || message.starts_with("Closing comment tag") => {
            never_closed(text).filter(|d| d.position <= at)
        }
        _ => None,
    }
}

/// One `{% ... %}` tag: its name and where the name starts.
struct Tag<'t> {
    name: &'t str,
    offset: usize,
}

/// Where `{{`, `{%` or `{#` was opened and never closed.
struct Unterminated {
    opening: &'static str,
    closing: &'static str,
    offset: usize,
}

/// The tags of `text` in order, up to a delimiter that is never closed, if one is.
fn tags(text: &str) -> (Vec<Tag<'_>>, Option<Unterminated>) {
    let mut found = Vec::new();
    let mut offset = 0;
    while let Some(i) = text[offset..].find('{') {
        let start = offset + i;
        let (opening, closing) = match text.as_bytes().get(start + 1) {
            Some(b'%') => ("{%", "%}"),
            Some(b'{') => ("{{", "}}"),
            Some(b'#') => ("{#", "#}"),
            _ => {
                offset = start + 1;
                continue;
            }
        };
        let inside = start + 2;
        let Some(length) = text[inside..].find(closing) else {
            let unterminated = Unterminated {
                opening,
                closing,
                offset: start,
            };
            return (found, Some(unterminated));
        };
        offset = inside + length + 2;
        if opening == "{%" {
            let body = &text[inside..inside + length];
            let name_at = body.len() - body.trim_start_matches(['-', ' ', '\t', '\r', '\n']).len();
            let name_len = body[name_at..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(body.len() - name_at);
            let name = &body[name_at..name_at + name_len];
            found.push(Tag {
                name,
                offset: inside + name_at,
            });
            if name == "raw" {
                // Nothing inside `{% raw %}` is a tag.
                offset = text[offset..]
                    .find("endraw")
                    .map_or(text.len(), |i| offset + i);
            }
        }
    }
    (found, None)
}

/// The tags still open just before byte `stop` of `text`, outermost first, as Tera keeps them.
fn open_before<'a, 't>(text: &str, tags: &'a [Tag<'t>], stop: usize) -> Vec<&'a Tag<'t>> {
    let mut open = Vec::new();
    for tag in tags.iter().take_while(|t| t.offset < stop) {
        if closer(tag.name).is_some() && !is_set_of_a_value(text, tag) {
            open.push(tag);
        } else if BLOCKS.iter().any(|(_, end)| *end == tag.name) {
            open.pop();
        }
    }
    open
}

/// The innermost tag still open at the end of `text`, or the delimiter never closed.
fn unclosed(text: &str) -> Option<Explained> {
    if let Some(explained) = never_closed(text) {
        return Some(explained);
    }
    let (tags, _) = tags(text);
    let innermost = *open_before(text, &tags, text.len()).last()?;
    let end = closer(innermost.name)?;
    Some(Explained {
        message: format!(
            "unclosed `{{% {} %}}` opened at line {}",
            innermost.name,
            line_of(text, innermost)
        ),
        position: None,
        hint: format!("close it with `{{% {end} %}}`"),
    })
}

/// The `{{`, `{%` or `{#` of `text` that is never closed, if one is.
fn never_closed(text: &str) -> Option<Explained> {
    let u = tags(text).1?;
    let at = Position::at_offset(text, u.offset, 1);
    Some(Explained {
        message: format!("`{}` opened at line {} is never closed", u.opening, at.line),
        position: Some(at),
        hint: format!("close it with `{}`", u.closing),
    })
}

fn line_of(text: &str, tag: &Tag) -> usize {
    Position::at_offset(text, tag.offset, 1).line
}

/// `{% set x = 1 %}` sets a value and has no body; `{% set x %}...{% endset %}` has one.
fn is_set_of_a_value(text: &str, tag: &Tag) -> bool {
    tag.name == "set"
        && text[tag.offset..]
            .split("%}")
            .next()
            .is_some_and(|rest| rest.contains('='))
}

fn closer(opener: &str) -> Option<&'static str> {
    BLOCKS.iter().find(|(o, _)| *o == opener).map(|(_, c)| *c)
}

/// A tag Tera does not take where it stands: misspelt, or an end tag that closes nothing.
fn unknown_tag(text: &str, at: Position) -> Option<Explained> {
    let (tags, _) = tags(text);
    let tag = tags
        .iter()
        .find(|t| Position::at_offset(text, t.offset, 1) == at)?;
    let shown = format!("`{{% {} %}}`", tag.name);
    if let Some((opener, _)) = BLOCKS.iter().find(|(_, end)| *end == tag.name) {
        let open = open_before(text, &tags, tag.offset);
        return Some(match open.last() {
            Some(innermost) => Explained {
                message: format!(
                    "{shown} where `{{% {} %}}` opened at line {} is still open",
                    innermost.name,
                    line_of(text, innermost)
                ),
                position: None,
                hint: format!(
                    "close the `{{% {} %}}` with `{{% {} %}}` first",
                    innermost.name,
                    closer(innermost.name).unwrap_or_default()
                ),
            },
            None => Explained {
                message: format!("{shown} closes no `{{% {opener} %}}`"),
                position: None,
                hint: format!("remove it, or add the `{{% {opener} %}}` it closes"),
            },
        });
    }
    if let Some((_, within)) = MIDDLES.iter().find(|(name, _)| *name == tag.name) {
        let open = open_before(text, &tags, tag.offset);
        return Some(match open.last().filter(|o| within.contains(&o.name)) {
            Some(innermost) => Explained {
                message: format!(
                    "{shown} not allowed here, in the `{{% {} %}}` opened at line {}",
                    innermost.name,
                    line_of(text, innermost)
                ),
                position: None,
                hint: "`{% elif %}`s come before `{% else %}`, and there is one `{% else %}` \
                       at most"
                    .into(),
            },
            None => {
                let inside: Vec<String> = within.iter().map(|o| format!("`{{% {o} %}}`")).collect();
                Explained {
                    message: format!("{shown} outside any {}", inside.join(" or ")),
                    position: None,
                    hint: "move it inside the tag it belongs to, or remove it".into(),
                }
            }
        });
    }
    let known = BLOCKS
        .iter()
        .flat_map(|(open, close)| [*open, *close])
        .chain(MIDDLES.iter().map(|(name, _)| *name))
        .chain(SINGLES.iter().copied());
    let nearest = known
        .map(|name| (strsim::levenshtein(name, tag.name), name))
        .filter(|(distance, _)| *distance <= 2)
        .min();
    let hint = match nearest {
        _ if MACRO_TAGS.contains(&tag.name) => "this version of Tera has no macros: use \
                                                 `{% include %}` or a `{% component %}`"
            .into(),
        Some((_, name)) => format!("did you mean `{{% {name} %}}`?"),
        None => "Tera's tags are if, for, block, set, filter, include, extends, raw, component, \
                 break and continue; see its documentation"
            .into(),
    };
    Some(Explained {
        message: format!("unknown tag {shown}"),
        position: None,
        hint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unclosed_message(text: &str) -> Option<String> {
        explain(text, "Unexpected end of input", None).map(|e| e.message)
    }

    #[test]
    fn a_set_of_a_value_opens_nothing_and_a_set_block_does() {
        assert_eq!(
            unclosed_message("{% if a %}{% set x = 1 %}"),
            Some("unclosed `{% if %}` opened at line 1".into())
        );
        assert_eq!(
            unclosed_message("{% set x %}\nbody"),
            Some("unclosed `{% set %}` opened at line 1".into())
        );
    }

    #[test]
    fn nothing_inside_raw_is_a_tag() {
        let text = "{% raw %}{% if %}{% endraw %}\n{% for a in b %}";
        assert_eq!(
            unclosed_message(text),
            Some("unclosed `{% for %}` opened at line 2".into())
        );
    }

    #[test]
    fn an_unknown_tag_is_found_at_its_name_with_whitespace_control() {
        let found = explain(
            "x\n{%- endfro -%}",
            "Unknown tag",
            Some(Position::new(2, 5)),
        );
        assert_eq!(
            found.map(|e| (e.message, e.hint)),
            Some((
                "unknown tag `{% endfro %}`".into(),
                "did you mean `{% endfor %}`?".into()
            ))
        );
    }

    #[test]
    fn other_messages_are_left_to_tera() {
        assert_eq!(explain("{{ a }}", "Something else", None), None);
    }
}
