//! Bounds on the work one YAML text may ask for, checked before it is deserialized, so that
//! hostile front matter (or gazette.yaml) fails fast with an error naming the place, instead of
//! taking the build's time or memory.
//!
//! - Size: at most `MAX_YAML_BYTES` of text.
//! - Flow collections: libyaml's scanner spends, on every token, time in proportion to the
//!   `[` and `{` collections open around it, so nesting them is quadratic
//!   (<https://github.com/yaml/yaml-serde/issues/1>: 40,000 levels take seconds). Every open
//!   collection starts at a `[` or `{` not glued to a letter or digit, so counting those bounds
//!   the nesting, whatever the quoting.
//! - Aliases: `*name` repeats the value marked `&name`; a few lines of them can stand for
//!   gigabytes (the "billion laughs"). With every alias expanded, the YAML may hold at most
//!   `MAX_YAML_BYTES`.
//!
//! Nesting deeper than serde_yaml's 128 levels is serde_yaml's own error; `explain` words it.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};

use super::YamlText;
use crate::error::{Diagnostic, Position, mebibytes};

/// The most YAML gazette reads in one front matter or gazette.yaml, as written and with every
/// alias expanded: a digest's front matter is well under a kilobyte.
pub const MAX_YAML_BYTES: usize = 1 << 20;

/// The most `[` and `{` that may open a collection in one YAML text: a few hundred sources
/// written `- { title: …, url: … }` stay far below it.
pub const MAX_FLOW_COLLECTIONS: usize = 1_000;

/// serde_yaml's own bound on nesting.
const MAX_DEPTH: usize = 128;

const ALIAS_HINT: &str = "write the values out instead of repeating them with `&name` and `*name`";

/// Fails when `source` asks for more work than the bounds above allow.
pub fn check(source: &YamlText) -> Result<(), Diagnostic> {
    size(source)?;
    flow_collections(source)?;
    expansion(source)
}

/// A message and hint for serde_yaml's error on nesting, which says only "recursion limit
/// exceeded" (its other limit, on aliases, is met first by `check`).
pub fn explain(message: &str) -> Option<(String, &'static str)> {
    message.starts_with("recursion limit exceeded").then(|| {
        (
            format!("the YAML nests deeper than {MAX_DEPTH} levels"),
            "flatten it: front matter needs only a few levels",
        )
    })
}

fn size(source: &YamlText) -> Result<(), Diagnostic> {
    if source.text.len() <= MAX_YAML_BYTES {
        return Ok(());
    }
    Err(Diagnostic::error(
        source.file,
        format!(
            "the YAML is {} long; gazette reads at most {}",
            mebibytes(source.text.len() as u64),
            mebibytes(MAX_YAML_BYTES as u64)
        ),
        "keep front matter short: long text belongs in the Markdown body",
    )
    .at(Some(Position::new(source.first_line, 1))))
}

fn flow_collections(source: &YamlText) -> Result<(), Diagnostic> {
    let bytes = source.text.as_bytes();
    let opens = (0..bytes.len()).filter(|&i| {
        matches!(bytes[i], b'[' | b'{') && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
    });
    let Some(at) = opens.clone().nth(MAX_FLOW_COLLECTIONS) else {
        return Ok(());
    };
    Err(Diagnostic::error(
        source.file,
        format!(
            "the YAML opens more than {MAX_FLOW_COLLECTIONS} lists or maps with `[` or `{{` ({} in all)",
            opens.count()
        ),
        "write long or deep lists and maps in block style, one `- item` or `key: value` a line",
    )
    .at(Some(Position::at_offset(source.text, at, source.first_line))))
}

fn expansion(source: &YamlText) -> Result<(), Diagnostic> {
    // No alias without a `*`: most YAML is read only once.
    let Some(star) = source.text.find('*') else {
        return Ok(());
    };
    let used = Cell::new(0);
    let measured =
        Measure { used: &used }.deserialize(serde_yaml::Deserializer::from_str(source.text));
    let message = match measured {
        Err(_) if used.get() > MAX_YAML_BYTES => {
            format!(
                "the YAML's aliases (`*name`) expand it past {}",
                mebibytes(MAX_YAML_BYTES as u64)
            )
        }
        Err(e) if e.to_string().starts_with("repetition limit exceeded") => {
            "the YAML's aliases (`*name`) repeat values too many times".to_string()
        }
        // Any other error is the YAML's own, reported when it is read for real.
        _ => return Ok(()),
    };
    // serde_yaml places an error at the value it was reading, which an alias only points to.
    let alias = first_alias(source.text).unwrap_or(star);
    Err(
        Diagnostic::error(source.file, message, ALIAS_HINT).at(Some(Position::at_offset(
            source.text,
            alias,
            source.first_line,
        ))),
    )
}

/// Where the first alias (`*name`) of `text` starts, if it has one: a `*` that starts a value.
fn first_alias(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (0..bytes.len()).find(|&i| {
        let starts_value =
            i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'[' | b'{' | b',');
        bytes[i] == b'*'
            && starts_value
            && bytes.get(i + 1).is_some_and(|b| !b.is_ascii_whitespace())
    })
}

/// Walks a YAML value as serde_yaml expands it, adding up its size in `used` (a byte for each
/// value and each byte of text, never more than the text has without aliases), and stops as
/// soon as that passes `MAX_YAML_BYTES`; nothing is kept, so memory stays flat.
#[derive(Clone, Copy)]
struct Measure<'a> {
    used: &'a Cell<usize>,
}

impl Measure<'_> {
    fn add<E: de::Error>(self, bytes: usize) -> Result<(), E> {
        let used = self.used.get().saturating_add(bytes);
        self.used.set(used);
        if used > MAX_YAML_BYTES {
            Err(E::custom(
                "the YAML is too large once its aliases are expanded",
            ))
        } else {
            Ok(())
        }
    }
}

impl<'de> DeserializeSeed<'de> for Measure<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Measure<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.add(1)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.add(1)
    }

    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        self.add(1)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.add(1)
    }

    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        self.add(1)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.add(1)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<(), E> {
        self.add(1 + text.len())
    }

    fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<(), E> {
        self.add(1 + bytes.len())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.add(1)
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.add(1)
    }

    fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<(), D::Error> {
        inner.deserialize_any(self)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, inner: D) -> Result<(), D::Error> {
        inner.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.add(1)?;
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.add(1)?;
        while map.next_key_seed(self)?.is_some() {
            map.next_value_seed(self)?;
        }
        Ok(())
    }

    /// A tagged value (`!tag value`): the tag, then the value.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        let ((), value) = data.variant_seed(self)?;
        de::VariantAccess::newtype_variant_seed(value, self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::tests::src;

    #[test]
    fn plain_yaml_passes() {
        let text = "title: x\ntags: [a, b]\nsources:\n  - { title: a, url: \"https://x.org/[1]\" }\nextra: &e { a: 1 }\nagain: *e\n";
        assert_eq!(check(&src(text)), Ok(()));
    }

    #[test]
    fn too_large_yaml_is_an_error_at_its_first_line() {
        let text = format!("title: {}\n", "x".repeat(MAX_YAML_BYTES));
        let e = check(&src(&text)).unwrap_err();
        assert_eq!(e.position, Some(Position::new(2, 1)), "{e}");
        assert!(e.message.contains("1.0 MiB"), "{e}");
    }

    #[test]
    fn flow_collections_past_the_limit_are_an_error_at_the_first_one_too_many() {
        let text = format!("a: 1\nextra: {}", "[".repeat(MAX_FLOW_COLLECTIONS + 5));
        let e = check(&src(&text)).unwrap_err();
        let column = "extra: ".len() + MAX_FLOW_COLLECTIONS + 1;
        assert_eq!(e.position, Some(Position::new(3, column)), "{e}");
        assert!(e.message.contains("1005 in all"), "{e}");
    }

    #[test]
    fn brackets_glued_to_words_cannot_open_collections() {
        let text = format!("title: {}\n", "a[".repeat(MAX_FLOW_COLLECTIONS + 1));
        assert_eq!(check(&src(&text)), Ok(()));
    }

    #[test]
    fn aliases_expanding_past_the_limit_are_an_error() {
        let values = vec!["x"; 2000].join(",");
        let aliases = vec!["*b"; 2000].join(",");
        let text = format!("extra:\n  big: &b [{values}]\n  many: [{aliases}]\n");
        let e = check(&src(&text)).unwrap_err();
        assert!(e.message.contains("aliases"), "{e}");
        assert!(e.position.is_some_and(|p| p.line >= 3), "{e}");
    }

    #[test]
    fn nested_aliases_are_an_error_at_the_first_alias() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for n in 1..10 {
            let aliases = vec![format!("*a{}", n - 1); 9].join(", ");
            text.push_str(&format!("a{n}: &a{n} [{aliases}]\n"));
        }
        let e = check(&src(&text)).unwrap_err();
        assert_eq!(e.position, Some(Position::new(3, 10)), "{e}");
    }

    #[test]
    fn first_alias_skips_stars_inside_words() {
        assert_eq!(first_alias("a: 2*3\nb: *x"), Some(10));
        assert_eq!(first_alias("a: \"* not\"\n"), None);
    }

    #[test]
    fn serde_yaml_nesting_error_is_explained() {
        let (message, _) = explain("recursion limit exceeded").unwrap();
        assert_eq!(message, "the YAML nests deeper than 128 levels");
        assert!(explain("invalid type: map").is_none());
    }
}
