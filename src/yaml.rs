//! YAML into typed structs, with errors and unknown keys pointing at a line of the file.
//!
//! Front matter and gazette.yaml share this: both are YAML that may sit some lines into a file,
//! both want type errors at the right line, and both warn (not fail) on keys they do not know.

pub mod limits;
mod messages;

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, Position, Warned};

/// YAML text and where it starts in its file.
pub struct YamlText<'a> {
    pub file: &'a Path,
    pub text: &'a str,
    /// The line of the file on which `text` begins (1 for a whole file).
    pub first_line: usize,
}

/// Deserializes `source` into `T`. Keys `T` does not know become warnings that name the key and
/// the closest of `known`; the first error, if any, is the result.
pub fn parse<T: DeserializeOwned>(
    source: &YamlText,
    known: &[&str],
) -> Result<Warned<T>, Diagnostic> {
    // The caller takes the first error only: no need to read on after it.
    let parsed = read(source, known, 1);
    match (parsed.value, parsed.errors.into_iter().next()) {
        (Some(value), None) => Ok(Warned::new(value, parsed.warnings)),
        (_, Some(error)) => Err(error),
        (None, None) => Err(Diagnostic::error(source.file, "invalid YAML", SYNTAX_HINT)),
    }
}

/// What deserializing one YAML text gave.
pub struct Parsed<T> {
    /// The value, with every key that had an error left at its default; none when the text
    /// could not be read at all.
    pub value: Option<T>,
    /// Every error found, each at its place.
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

/// Deserializes `source` into `T`, finding every value of the wrong kind, not only the first:
/// serde stops at the first, so each key in error is set aside and the rest read again.
pub fn parse_all<T: DeserializeOwned>(source: &YamlText, known: &[&str]) -> Parsed<T> {
    read(source, known, MAX_ERRORS)
}

/// `parse_all`, stopping after `max_errors`.
fn read<T: DeserializeOwned>(source: &YamlText, known: &[&str], max_errors: usize) -> Parsed<T> {
    if let Err(e) = limits::check(source) {
        return Parsed {
            value: None,
            errors: vec![e],
            warnings: Vec::new(),
        };
    }
    // An empty document is an empty mapping, so that `---\n---` means "all defaults".
    let text = if source.text.trim().is_empty() {
        "{}"
    } else {
        source.text
    };
    let mut unknown = Vec::new();
    let mut errors = Vec::new();
    let value = match deserialize(text, &mut unknown) {
        Ok(value) => Some(value),
        Err(e) => {
            errors.push(error(source, &e));
            read_the_rest(source, text, &e, max_errors, &mut errors, &mut unknown)
        }
    };
    Parsed {
        value,
        errors,
        warnings: unknown_keys(source, &unknown, known),
    }
}

/// The most errors reported for one YAML text; each costs a new reading of it.
const MAX_ERRORS: usize = 50;

fn deserialize<T: DeserializeOwned>(
    text: &str,
    unknown: &mut Vec<String>,
) -> Result<T, serde_yaml::Error> {
    unknown.clear();
    let deserializer = serde_yaml::Deserializer::from_str(text);
    serde_ignored::deserialize(deserializer, |path| unknown.push(path.to_string()))
}

/// After `first`, an error about a value, reads the YAML again without that value, and so on,
/// adding each further error; the value once nothing is left in error. Stops (with no value)
/// at an error about the whole text or one that names no key it can set aside.
fn read_the_rest<T: DeserializeOwned>(
    source: &YamlText,
    text: &str,
    first: &serde_yaml::Error,
    max_errors: usize,
    errors: &mut Vec<Diagnostic>,
    unknown: &mut Vec<String>,
) -> Option<T> {
    if max_errors < 2 {
        return None;
    }
    let mut tree: serde_yaml::Value = serde_yaml::from_str(text).ok()?;
    let mut in_error = messages::split_path(&first.to_string()).0?.to_string();
    for _ in 1..max_errors {
        set_aside(&mut tree, &in_error)?;
        let rest = serde_yaml::to_string(&tree).ok()?;
        match deserialize(&rest, unknown) {
            Ok(value) => return Some(value),
            Err(e) => {
                let (message, _) = strip_marks(&e.to_string());
                let path = messages::split_path(&message).0.map(str::to_string);
                let at = path.as_deref().and_then(|path| path_position(source, path));
                let (message, hint) = describe(&message);
                errors.push(Diagnostic::error(source.file, message, hint).at(at));
                in_error = path?;
            }
        }
    }
    None
}

/// Removes the value at serde's `path` (`feeds.limit`) from `tree`; for a path into a list
/// (`sources[0].url`), the whole list, whose later entries would otherwise change places.
fn set_aside(tree: &mut serde_yaml::Value, path: &str) -> Option<()> {
    let mut keys = path.split('.').peekable();
    let mut node = tree;
    while let Some(key) = keys.next() {
        let (key, in_list) = key.split_once('[').map_or((key, false), |(k, _)| (k, true));
        let mapping = node.as_mapping_mut()?;
        if in_list || keys.peek().is_none() {
            return mapping.remove(key).map(drop);
        }
        node = mapping.get_mut(key)?;
    }
    None
}

/// Where the value at serde's `path` (`feeds.limit`) is written: each key is looked for below
/// the one before, by indentation. For a path into a list, the list's key.
pub fn path_position(source: &YamlText, path: &str) -> Option<Position> {
    let lines: Vec<&str> = source.text.lines().collect();
    let indent = |line: &str| line.len() - line.trim_start().len();
    let is_content = |line: &str| !line.trim().is_empty() && !line.trim_start().starts_with('#');
    let top = lines
        .iter()
        .find(|l| is_content(l))
        .map_or(0, |l| indent(l));
    let (mut from, mut parent_indent, mut found) = (0, None::<usize>, None);
    for key in path.split('.') {
        let (key, in_list) = key.split_once('[').map_or((key, false), |(k, _)| (k, true));
        let needle = format!("{key}:");
        let mut at = None;
        for (i, line) in lines.iter().enumerate().skip(from) {
            if !is_content(line) {
                continue;
            }
            let level = indent(line);
            if parent_indent.is_some_and(|p| level <= p) {
                break;
            }
            if (parent_indent.is_some() || level == top) && line.trim_start().starts_with(&needle) {
                at = Some((i, indent(line)));
                break;
            }
        }
        let (i, column) = at?;
        let key_at = Position::new(source.first_line + i, column + 1);
        found = Some(value_position(source, key_at, key));
        if in_list {
            break;
        }
        (from, parent_indent) = (i + 1, Some(column));
    }
    found
}

/// Unknown keys warned about one by one in one YAML text; one more warning counts the rest.
/// Finding a key's line reads the whole text, and a bot that writes thousands of stray keys is
/// better served by a count than by thousands of lines.
const MAX_UNKNOWN_KEY_WARNINGS: usize = 20;

const UNKNOWN_KEYS_HINT: &str = "unknown keys are ignored; put free-form values under `extra:`";

const SYNTAX_HINT: &str = "fix the YAML here: check quotes, brackets, colons and indentation";

fn unknown_keys(source: &YamlText, unknown: &[String], known: &[&str]) -> Vec<Diagnostic> {
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
    warnings
}

fn error(source: &YamlText, e: &serde_yaml::Error) -> Diagnostic {
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
    let position = messages::duplicate_key(&message)
        .and_then(|key| nth_key_position(source, key, 1))
        .or_else(|| mark.map(|p| Position::new(p.line + source.first_line - 1, p.column)));
    let (message, hint) = describe(&message);
    Diagnostic::error(source.file, message, hint).at(position)
}

/// A message of serde_yaml (marks stripped) as gazette says it, and what to do: serde's are
/// about a value, libyaml's about syntax.
fn describe(message: &str) -> (String, &'static str) {
    if let Some(explained) = limits::explain(message) {
        return explained;
    }
    let (path, what) = messages::split_path(message);
    match (messages::plain(what), path) {
        (Some((plain, hint)), Some(path)) => (format!("`{path}`: {plain}"), hint),
        (Some((plain, hint)), None) if hint == messages::WRONG_KIND_HINT => {
            (plain, "write the YAML as `key: value` lines")
        }
        (Some(plain), None) => plain,
        (None, _) => (format!("invalid YAML: {message}"), SYNTAX_HINT),
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

/// The warning for a key not in `known`, at its line, naming the nearest known key.
pub fn unknown_key(source: &YamlText, path: &str, known: &[&str]) -> Diagnostic {
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
pub fn key_position(source: &YamlText, key: &str) -> Option<Position> {
    let needle = format!("{key}:");
    let top = source
        .text
        .lines()
        .position(|line| line.starts_with(&needle));
    top.map(|i| Position::new(source.first_line + i, 1))
        .or_else(|| nth_key_position(source, key, 0))
}

/// Where the value of the `key:` found at `key_at` starts, for errors about the value rather
/// than the key; the key's own place when the value does not start on its line.
pub fn value_position(source: &YamlText, key_at: Position, key: &str) -> Position {
    let line = source
        .text
        .lines()
        .nth(key_at.line.saturating_sub(source.first_line));
    let value_column = line.and_then(|line| {
        let key_start = line.char_indices().nth(key_at.column - 1)?.0;
        let rest = line[key_start..].strip_prefix(key)?.strip_prefix(':')?;
        let after_colon = line.len() - rest.len();
        let value = after_colon + rest.len() - rest.trim_start().len();
        (value < line.len() && !line[value..].starts_with('#'))
            .then(|| line[..value].chars().count() + 1)
    });
    value_column.map_or(key_at, |column| Position::new(key_at.line, column))
}

/// The line and column of the `n`th (from 0) `key:` in the YAML.
pub fn nth_key_position(source: &YamlText, key: &str, n: usize) -> Option<Position> {
    key_positions(source, key).nth(n)
}

/// The line and column of every `key:` in the YAML (the first on each line), in one pass.
pub fn key_positions<'s>(
    source: &'s YamlText,
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
                .map(|col| Position::new(source.first_line + i, line[..col].chars().count() + 1))
        })
}

/// A YAML value kept as its YAML text, for formats that cannot carry a value whose shape they
/// are not told (a build's saved state): `#[serde(with = "crate::yaml::as_text")]`.
///
/// An empty mapping, what almost every article has, is kept as no text at all (which no value's
/// YAML text is): reading a state would otherwise start a YAML parser for each article, a tenth
/// of the time to read it.
pub mod as_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &serde_yaml::Value, s: S) -> Result<S::Ok, S::Error> {
        if value
            .as_mapping()
            .is_some_and(serde_yaml::Mapping::is_empty)
        {
            return s.serialize_str("");
        }
        let text = serde_yaml::to_string(value).map_err(serde::ser::Error::custom)?;
        s.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<serde_yaml::Value, D::Error> {
        let text = String::deserialize(d)?;
        if text.is_empty() {
            return Ok(serde_yaml::Value::Mapping(Default::default()));
        }
        serde_yaml::from_str(&text).map_err(serde::de::Error::custom)
    }
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
    pub(super) fn src(text: &str) -> YamlText<'_> {
        YamlText {
            file: Path::new("content/a.md"),
            text,
            first_line: 2,
        }
    }

    #[test]
    fn unknown_key_warns_with_nearest_known_key_and_line() {
        let (doc, warnings) = parse::<Doc>(&src("title: x\ntitel: y\n"), &["title", "count"])
            .unwrap()
            .into_parts();
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
        assert_eq!(err.position, Some(Position::new(3, 8)));
        assert_eq!(
            err.message,
            "`count`: expected a whole number from 0 to 4294967295, found a list"
        );
    }

    #[derive(Deserialize, Debug, Default)]
    #[serde(default)]
    struct Nested {
        title: String,
        inner: Doc,
        count: u32,
    }

    impl Default for Doc {
        fn default() -> Self {
            Self {
                title: "untitled".into(),
                count: 0,
            }
        }
    }

    #[test]
    fn every_value_of_the_wrong_kind_is_reported_at_its_place() {
        let text = "title: [x]\ninner:\n  title: ok\n  count: many\ncount: -3\nextra: 1\n";
        let parsed = parse_all::<Nested>(&src(text), &["title", "inner", "count"]);
        let errors: Vec<String> = parsed.errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            [
                "error: content/a.md:2:8: `title`: expected text, found a list \
                 (give the key a value of the expected kind)",
                "error: content/a.md:5:10: `inner.count`: expected a whole number from 0 to \
                 4294967295, found the text \"many\" (give the key a value of the expected kind)",
                "error: content/a.md:6:8: `count`: expected a whole number from 0 to 4294967295, \
                 found the number -3 (give the key a value of the expected kind)",
            ]
        );
        // The rest is read: the good values kept, those in error left at their defaults.
        let value = parsed.value.unwrap();
        assert_eq!(
            (value.title.as_str(), value.inner.title.as_str()),
            ("", "ok")
        );
        assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    }

    #[test]
    fn an_error_about_the_whole_text_is_the_only_one() {
        let parsed = parse_all::<Nested>(&src("- a\n- b\n"), &[]);
        assert!(parsed.value.is_none());
        let errors: Vec<String> = parsed.errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            [
                "error: content/a.md:2:1: expected keys with values (`key: value` lines), found a list \
              (write the YAML as `key: value` lines)"
            ]
        );
    }

    #[test]
    fn path_position_follows_the_indentation() {
        let s = src("inner:\n  # note\n  title: a\n  count: 1\ncount:   2\nlist:\n  - count: 3\n");
        let at = |line, column| Some(Position::new(line, column));
        assert_eq!(path_position(&s, "count"), at(6, 10));
        assert_eq!(path_position(&s, "inner.count"), at(5, 10));
        assert_eq!(path_position(&s, "list[0].count"), at(7, 1));
        assert_eq!(path_position(&s, "inner.missing"), None);
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
    fn value_position_skips_the_key_and_its_blanks() {
        let s = src("date:   2026-01-01\ncorrections:\n  - date: \"x\"\nsummary: # none\n");
        let at = |line, column| Position::new(line, column);
        assert_eq!(value_position(&s, at(2, 1), "date"), at(2, 9));
        assert_eq!(value_position(&s, at(4, 5), "date"), at(4, 11));
        assert_eq!(value_position(&s, at(3, 1), "corrections"), at(3, 1));
        assert_eq!(value_position(&s, at(5, 1), "summary"), at(5, 1));
    }

    #[test]
    fn key_position_prefers_the_top_level_key() {
        let s = src("corrections:\n  - date: x\ndate: y\n");
        assert_eq!(key_position(&s, "date"), Some(Position::new(4, 1)));
        assert_eq!(nth_key_position(&s, "date", 0), Some(Position::new(3, 5)));
    }

    #[test]
    fn values_kept_as_text_read_back_the_same_and_an_empty_mapping_as_no_text() {
        #[derive(serde::Serialize, Deserialize, Debug, PartialEq)]
        struct Kept(#[serde(with = "as_text")] serde_yaml::Value);
        let empty = serde_yaml::Value::Mapping(Default::default());
        let values = [
            empty.clone(),
            serde_yaml::Value::Null,
            serde_yaml::from_str("{}").unwrap(),
            serde_yaml::from_str("a: 1\nb: [x, y]").unwrap(),
            serde_yaml::Value::String(String::new()),
        ];
        for value in values {
            let bytes = postcard::to_stdvec(&Kept(value.clone())).unwrap();
            assert_eq!(postcard::from_bytes::<Kept>(&bytes).unwrap(), Kept(value));
        }
        let bytes = postcard::to_stdvec(&Kept(empty)).unwrap();
        assert_eq!(bytes, [0], "an empty mapping is saved as empty text");
    }
}
