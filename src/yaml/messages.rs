//! serde's messages about a YAML value, in plain words.
//!
//! serde words its errors for programmers: `invalid type: string "ten", expected usize`,
//! `missing field \`url\``, `expected struct ArticleMeta`. Authors of front matter and
//! gazette.yaml get the same facts as `expected a whole number, found the text "ten"`. A
//! message this module does not recognise is libyaml's, about the YAML's syntax, and is kept.

/// What to do about a value of the wrong kind.
pub const WRONG_KIND_HINT: &str = "give the key a value of the expected kind";

/// serde's key path (`feeds.limit`, `sources[0]`) at the start of `message`, and the rest. A
/// message with no path is about the whole text.
pub fn split_path(message: &str) -> (Option<&str>, &str) {
    if is_serde_message(message) {
        return (None, message);
    }
    message
        .match_indices(": ")
        .map(|(i, sep)| (&message[..i], &message[i + sep.len()..]))
        .find(|(_, rest)| is_serde_message(rest))
        .map_or((None, message), |(path, rest)| (Some(path), rest))
}

fn is_serde_message(message: &str) -> bool {
    [
        "invalid type: ",
        "invalid value: ",
        "invalid length ",
        "unknown variant `",
        "missing field `",
        "duplicate field `",
    ]
    .iter()
    .any(|start| message.starts_with(start))
}

/// serde's message about a value (without its path) in plain words, and a hint; `None` for a
/// message that is not serde's.
pub fn plain(message: &str) -> Option<(String, &'static str)> {
    if let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
    {
        let (found, expected) = rest.rsplit_once(", expected ")?;
        return Some((
            format!(
                "expected {}, found {}",
                expected_kind(expected),
                found_kind(found)
            ),
            WRONG_KIND_HINT,
        ));
    }
    if let Some(rest) = message.strip_prefix("invalid length ") {
        let (count, expected) = rest.split_once(", expected ")?;
        let expected = expected_kind(expected);
        return Some((
            format!("expected {expected}, found {count} items"),
            WRONG_KIND_HINT,
        ));
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (found, expected) = rest.split_once(", expected ")?;
        let expected = expected.strip_prefix("one of ").unwrap_or(expected);
        return Some((
            format!("expected {expected}, found {found}"),
            "use one of the values named",
        ));
    }
    if let Some(key) = quoted_after(message, "missing field ") {
        return Some((format!("missing key `{key}`"), "add the missing key"));
    }
    quoted_after(message, "duplicate field ").map(|key| {
        (
            format!("`{key}` is given twice"),
            "keep only one of the two",
        )
    })
}

/// The key of serde's "duplicate field `key`" message.
pub fn duplicate_key(message: &str) -> Option<&str> {
    let at = message.find("duplicate field ")?;
    quoted_after(&message[at..], "duplicate field ")
}

/// The `quoted` text in a message that starts with `prefix` and then `` `quoted` ``.
fn quoted_after<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = message.strip_prefix(prefix)?.strip_prefix('`')?;
    rest.split_once('`').map(|(quoted, _)| quoted)
}

/// What serde's `expected` part (a Rust type or a visitor's wording) asks for, in plain words.
fn expected_kind(expected: &str) -> String {
    let kind = match expected {
        "u8" => "a whole number from 0 to 255",
        "u16" => "a whole number from 0 to 65535",
        "u32" => "a whole number from 0 to 4294967295",
        "u64" | "u128" | "usize" => "a whole number, 0 or more",
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "a string" | "a borrowed string" | "a character" => "text",
        "a boolean" => "`true` or `false`",
        "a sequence" => "a list",
        "unit" => "nothing",
        _ if expected.starts_with("struct ")
            || expected.contains("map")
            || expected.contains("mapping") =>
        {
            "keys with values (`key: value` lines)"
        }
        _ if expected.starts_with('`') => return expected.to_string(),
        _ => "a value of another kind",
    };
    kind.to_string()
}

/// What serde's `found` part (its `Unexpected`) is, in plain words.
fn found_kind(found: &str) -> String {
    let quoted = |prefix: &str| {
        let rest = found.strip_prefix(prefix)?.strip_prefix('`')?;
        rest.split_once('`').map(|(value, _)| value.to_string())
    };
    if let Some(number) = quoted("integer ").or_else(|| quoted("floating point ")) {
        return format!("the number {number}");
    }
    if let Some(boolean) = quoted("boolean ") {
        return format!("`{boolean}`");
    }
    if let Some(text) = found
        .strip_prefix("string ")
        .or_else(|| found.strip_prefix("char "))
    {
        return format!("the text {text}");
    }
    match found {
        "unit value" => "nothing".into(),
        "sequence" => "a list".into(),
        "map" => "keys with values".into(),
        _ => "a value of another kind".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_become_plain_words() {
        let cases = [
            (
                "invalid type: string \"ten\", expected usize",
                "expected a whole number, 0 or more, found the text \"ten\"",
            ),
            (
                "invalid value: integer `-1`, expected u32",
                "expected a whole number from 0 to 4294967295, found the number -1",
            ),
            (
                "invalid type: integer `99999999999999999999999` as u128, expected usize",
                "expected a whole number, 0 or more, found the number 99999999999999999999999",
            ),
            (
                "invalid type: floating point `1.5`, expected u32",
                "expected a whole number from 0 to 4294967295, found the number 1.5",
            ),
            (
                "invalid type: string \"maybe\", expected a boolean",
                "expected `true` or `false`, found the text \"maybe\"",
            ),
            (
                "invalid type: integer `5`, expected a sequence",
                "expected a list, found the number 5",
            ),
            (
                "invalid type: sequence, expected struct Config",
                "expected keys with values (`key: value` lines), found a list",
            ),
            (
                "invalid type: string \"hello\", expected struct ArticleMeta",
                "expected keys with values (`key: value` lines), found the text \"hello\"",
            ),
            (
                "invalid type: map, expected a string",
                "expected text, found keys with values",
            ),
            (
                "invalid type: unit value, expected f64",
                "expected a number, found nothing",
            ),
            (
                "unknown variant `partial`, expected `full` or `summary`",
                "expected `full` or `summary`, found `partial`",
            ),
            ("missing field `url`", "missing key `url`"),
            ("duplicate field `title`", "`title` is given twice"),
        ];
        for (serde, expected) in cases {
            let (message, _) = plain(serde).unwrap();
            assert_eq!(message, expected);
            for jargon in ["usize", "u32", "struct", "invalid type", "field", "u128"] {
                assert!(!message.contains(jargon), "{message}");
            }
        }
        assert_eq!(plain("did not find expected key"), None);
    }

    #[test]
    fn the_path_is_split_from_the_message() {
        assert_eq!(
            split_path("feeds.limit: invalid type: string \"a: b\", expected usize"),
            (
                Some("feeds.limit"),
                "invalid type: string \"a: b\", expected usize"
            )
        );
        assert_eq!(
            split_path("invalid type: sequence, expected struct Config"),
            (None, "invalid type: sequence, expected struct Config")
        );
        assert_eq!(
            split_path("mapping values are not allowed in this context"),
            (None, "mapping values are not allowed in this context")
        );
    }
}
