//! YAML into typed structs, with errors and unknown keys pointing at a line of the file.
//!
//! Front matter and gazette.yaml share this: both are YAML that may sit some lines into a file,
//! both want type errors at the right line, and both warn (not fail) on keys they do not know.

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
    let warnings = unknown
        .iter()
        .map(|path| unknown_key(source, path, known))
        .collect();
    Ok((value, warnings))
}

fn error(source: &Source, e: &serde_yaml::Error) -> Diagnostic {
    let position = e
        .location()
        .map(|l| Position::new(l.line() + source.first_line - 1, l.column()));
    // serde_yaml appends " at line L column C" for its own position; ours replaces it.
    let message = e.to_string();
    let message = match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    Diagnostic::error(
        source.file,
        format!("invalid front matter: {message}"),
        "fix the YAML at this position",
    )
    .at(position)
}

fn unknown_key(source: &Source, path: &str, known: &[&str]) -> Diagnostic {
    let key = path.rsplit('.').next().unwrap_or(path);
    let hint = match closest(key, known) {
        Some(near) => format!("did you mean `{near}`? unknown keys are ignored"),
        None => "unknown keys are ignored; put free-form values under `extra:`".to_string(),
    };
    Diagnostic::warning(source.file, format!("unknown key `{path}`"), hint)
        .at(key_position(source, key))
}

/// The known key most like `key`, if any is close enough to be a likely typo.
pub fn closest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(key, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// The line and column of the first `key:` in the YAML, for pointing at a key serde only names.
pub fn key_position(source: &Source, key: &str) -> Option<Position> {
    let needle = format!("{key}:");
    source.text.lines().enumerate().find_map(|(i, line)| {
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

    fn src(text: &str) -> Source<'_> {
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
    fn key_position_ignores_keys_that_only_end_with_the_name() {
        let s = src("subtitle: a\ntitle: b\n");
        assert_eq!(key_position(&s, "title"), Some(Position::new(3, 1)));
    }
}
