//! YAML into typed structs, with errors and unknown keys pointing at a line of the file.
//!
//! Front matter and gazette.yaml share this: both are YAML that may sit some lines into a file,
//! both want type errors at the right line, and both warn (not fail) on keys they do not know.

pub mod limits;

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, Position};

/// YAML text and where it starts in its file.
pub struct Source<'a> {
    pub file: &'a Path,
    pub text: &'a str,
    /// The line of the file on which `text` begins (1 for a whole file).
    pub first_line: usize,
}

/// Deserializes `source` into `T`. Keys `T` does not know become warnings that name the key and
/// the closest of `known`.
pub fn parse<T: DeserializeOwned>(
    source: &Source,
    known: &[&str],
) -> Result<(T, Vec<Diagnostic>), Diagnostic> {
    limits::check(source)?;
    // An empty document is an empty mapping, so that `---\n---` means "all defaults".
    let text = if source.text.trim().is_empty() {
        "{}"
    } else {
        source.text
    };
    let mut unknown = Vec::new();
    let deserializer = serde_yaml::Deserializer::from_str(text);
    let value = serde_ignored::deserialize(deserializer, |path| unknown.push(path.to_string()))
        .map_err(|e| error(source, &e))?;
    let mut warnings: Vec<Diagnostic> = unknown
        .iter()
        .take(MAX_UNKNOWN_KEY_WARNINGS)
        .map(|path| unknown_key(source, path, known))
        .collect();
    if let Some(next) = unknown.get(MAX_UNKNOWN_KEY_WARNINGS) {
        let key = next.rsplit('.').next().unwrap_or(next);
        let more = unknown.len() - MAX_UNKNOWN_KEY_WARNINGS;
        warnings.push(
            Diagnostic::warning(
                source.file,
                format!("{more} more unknown keys, from `{next}` on"),
                UNKNOWN_KEYS_HINT,
            )
            .at(key_position(source, key)),
        );
    }
    Ok((value, warnings))
}

/// Unknown keys warned about one by one in one YAML text; one more warning counts the rest.
/// Finding a key's line reads the whole text, and a bot that writes thousands of stray keys is
/// better served by a count than by thousands of lines.
const MAX_UNKNOWN_KEY_WARNINGS: usize = 20;

const UNKNOWN_KEYS_HINT: &str = "unknown keys are ignored; put free-form values under `extra:`";

fn error(source: &Source, e: &serde_yaml::Error) -> Diagnostic {
    let (message, marks) = strip_marks(&e.to_string());
    let at_end = e
        .location()
        .is_some_and(|l| l.index() >= source.text.trim_end().len());
    // libyaml names two places: the problem and, after a comma, what it was reading. At the end
    // of the text the problem's place is only the closing `---`; where the reading began (an
    // unclosed quote or bracket) is the line to fix.
    let mark = match marks.as_slice() {
        [_, context, ..] if at_end => Some(*context),
        _ => e.location().map(|l| Position::new(l.line(), l.column())),
    };
    // serde names a duplicate key without a place; the second occurrence is the one to remove.
    let position = duplicate_key(&message)
        .and_then(|key| nth_key_position(source, key, 1))
        .or_else(|| mark.map(|p| Position::new(p.line + source.first_line - 1, p.column)));
    let (message, hint) = limits::explain(&message)
        .unwrap_or_else(|| (format!("invalid YAML: {message}"), hint(&message)));
    Diagnostic::error(source.file, message, hint).at(position)
}

/// What to do about a YAML error: serde's errors are about a value, libyaml's about syntax.
fn hint(message: &str) -> &'static str {
    if message.contains("duplicate field") {
        "keep only one of the two"
    } else if message.contains("missing field") {
        "add the missing key"
    } else if [
        "invalid type",
        "invalid value",
        "invalid length",
        "unknown variant",
    ]
    .iter()
    .any(|m| message.contains(m))
    {
        "give the key a value of the expected kind"
    } else {
        "fix the YAML here: check quotes, brackets, colons and indentation"
    }
}

/// serde_yaml's message without the " at line L column C" marks it writes into it (ours are
/// counted in the file, not in the YAML), and those marks in order.
fn strip_marks(message: &str) -> (String, Vec<Position>) {
    const AT_LINE: &str = " at line ";
    let mut text = String::new();
    let mut marks = Vec::new();
    let mut rest = message;
    while let Some(i) = rest.find(AT_LINE) {
        text.push_str(&rest[..i]);
        let after = &rest[i + AT_LINE.len()..];
        let parsed = leading_number(after).and_then(|(line, tail)| {
            let (column, tail) = leading_number(tail.strip_prefix(" column ")?)?;
            Some((Position::new(line, column), tail))
        });
        match parsed {
            Some((mark, tail)) => {
                marks.push(mark);
                rest = tail;
            }
            None => {
                text.push_str(AT_LINE);
                rest = after;
            }
        }
    }
    text.push_str(rest);
    (text, marks)
}

/// The number `s` starts with, and what follows it.
fn leading_number(s: &str) -> Option<(usize, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s[..end].parse().ok().map(|n| (n, &s[end..]))
}

/// The key of serde's "duplicate field `key`" message.
fn duplicate_key(message: &str) -> Option<&str> {
    let start = message.find("duplicate field `")? + "duplicate field `".len();
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

fn unknown_key(source: &Source, path: &str, known: &[&str]) -> Diagnostic {
    let key = path.rsplit('.').next().unwrap_or(path);
    let hint = match closest(key, known) {
        Some(near) => format!("did you mean `{near}`? unknown keys are ignored"),
        None => UNKNOWN_KEYS_HINT.to_string(),
    };
    Diagnostic::warning(source.file, format!("unknown key `{path}`"), hint)
        .at(key_position(source, key))
}

/// The known key most like `key`, if any is close enough to be a likely typo.
fn closest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(key, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// The line and column of the first `key:` in the YAML, for pointing at a key serde only names.
/// A top-level key wins over a nested one of the same name (`date:` over a correction's).
pub fn key_position(source: &Source, key: &str) -> Option<Position> {
    let needle = format!("{key}:");
    let top = source
        .text
        .lines()
        .position(|line| line.starts_with(&needle));
    top.map(|i| Position::new(source.first_line + i, 1))
        .or_else(|| nth_key_position(source, key, 0))
}

/// The line and column of the `n`th (from 0) `key:` in the YAML.
pub fn nth_key_position(source: &Source, key: &str, n: usize) -> Option<Position> {
    key_positions(source, key).nth(n)
}

/// The line and column of every `key:` in the YAML (the first on each line), in one pass.
pub fn key_positions<'s>(
    source: &'s Source,
    key: &str,
) -> impl Iterator<Item = Position> + use<'s> {
    let needle = format!("{key}:");
    source
        .text
        .lines()
        .enumerate()
        .filter_map(move |(i, line)| {
            line.find(&needle)
                .filter(|&col| {
                    line[..col]
                        .chars()
                        .last()
                        .is_none_or(|c| !c.is_alphanumeric() && c != '_')
                })
                .map(|col| Position::new(source.first_line + i, col + 1))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    struct Doc {
        title: String,
        #[serde(default)]
        count: u32,
    }

    /// YAML from line 2 of `content/a.md`, as front matter is.
    pub(super) fn src(text: &str) -> Source<'_> {
        Source {
            file: Path::new("content/a.md"),
            text,
            first_line: 2,
        }
    }

    #[test]
    fn unknown_key_warns_with_nearest_known_key_and_line() {
        let (doc, warnings) =
            parse::<Doc>(&src("title: x\ntitel: y\n"), &["title", "count"]).unwrap();
        assert_eq!((doc.title.as_str(), doc.count), ("x", 0));
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            warnings[0].to_string(),
            "warning: content/a.md:3:1: unknown key `titel` (did you mean `title`? unknown keys are ignored)"
        );
    }

    #[test]
    fn type_error_points_at_the_line_in_the_file() {
        let err = parse::<Doc>(&src("title: x\ncount: [1]\n"), &[]).unwrap_err();
        assert_eq!(err.position.map(|p| p.line), Some(3));
        assert!(err.message.contains("invalid type"), "{}", err.message);
        assert!(!err.message.contains(" at line "), "{}", err.message);
    }

    #[test]
    fn unclosed_quote_points_where_the_quote_opens() {
        let err = parse::<Doc>(&src("count: 1\ntitle: \"open\n"), &[]).unwrap_err();
        assert_eq!(err.position, Some(Position::new(3, 8)), "{err}");
        assert!(err.message.contains("quoted scalar"), "{}", err.message);
        assert!(!err.message.contains(" at line "), "{}", err.message);
    }

    #[test]
    fn duplicate_key_points_at_its_second_occurrence() {
        let err = parse::<Doc>(&src("title: a\ncount: 1\ntitle: b\n"), &[]).unwrap_err();
        assert_eq!(err.position, Some(Position::new(4, 1)), "{err}");
    }

    #[test]
    fn strip_marks_keeps_the_words_and_collects_the_marks() {
        let (text, marks) = strip_marks(
            "found unexpected end of stream at line 3 column 1, while scanning a quoted scalar at line 1 column 8",
        );
        assert_eq!(
            text,
            "found unexpected end of stream, while scanning a quoted scalar"
        );
        assert_eq!(marks, vec![Position::new(3, 1), Position::new(1, 8)]);
    }

    #[test]
    fn key_position_ignores_keys_that_only_end_with_the_name() {
        let s = src("subtitle: a\ntitle: b\n");
        assert_eq!(key_position(&s, "title"), Some(Position::new(3, 1)));
    }

    #[test]
    fn key_position_prefers_the_top_level_key() {
        let s = src("corrections:\n  - date: x\ndate: y\n");
        assert_eq!(key_position(&s, "date"), Some(Position::new(4, 1)));
        assert_eq!(nth_key_position(&s, "date", 0), Some(Position::new(3, 5)));
    }
}
