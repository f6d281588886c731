//! Splitting a content file into YAML front matter and Markdown body, and the typed shapes of
//! that front matter for articles, bots and pages.

use std::path::Path;

use serde::Deserialize;

use crate::config::Settings;
use crate::error::{Diagnostic, Position, Warned};
use crate::url::{Slug, UrlPath};
use crate::yaml;

/// A content file cut at its `---` lines.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// The file line on which the YAML starts.
    pub yaml_line: usize,
    pub body: &'a str,
}

impl Split<'_> {
    /// Where the opening `---` is: the place of problems that have no line of their own.
    pub fn opening(&self) -> Position {
        Position::new(self.yaml_line - 1, 1)
    }

    /// The file line on which the body starts, after the closing `---`.
    pub fn body_line(&self) -> usize {
        self.yaml_line + self.yaml.matches('\n').count() + 1
    }
}

/// Cuts `text` (BOM and CRLF already removed) into front matter and body. Blank lines before
/// the opening `---` are skipped, as Zola and Hugo do.
pub fn split<'a>(file: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let at_start = Some(Position::new(1, 1));
    if text.trim().is_empty() {
        return Err(Diagnostic::error(
            file,
            "the file is empty",
            "start it with front matter: a `---` line, `title:` and `date:`, and a closing `---`",
        )
        .at(at_start));
    }
    let start = text.trim_start();
    let skipped_lines = text[..text.len() - start.len()].matches('\n').count();
    let Some(rest) = start
        .strip_prefix("---")
        .filter(|r| r.starts_with('\n') || r.trim().is_empty())
    else {
        return Err(Diagnostic::error(
            file,
            "the file does not start with front matter",
            "make the first line `---`, then the YAML keys, then a closing `---` line",
        )
        .at(at_start));
    };
    let rest = rest.strip_prefix('\n').unwrap_or(rest);
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let content = line.trim_end();
        if content == "---" || content == "..." {
            return Ok(Split {
                yaml: &rest[..offset],
                yaml_line: skipped_lines + 2,
                body: &rest[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        file,
        "the front matter is not closed",
        "add a `---` line after the last front matter key",
    )
    .at(at_start))
}

/// Parses the YAML of `split` into `T`, positions counted in the whole file.
pub fn parse<T: serde::de::DeserializeOwned>(
    file: &Path,
    split: &Split,
    known: &[&str],
) -> Result<Warned<T>, Diagnostic> {
    let source = yaml::YamlText {
        file,
        text: split.yaml,
        first_line: split.yaml_line,
    };
    yaml::parse(&source, known)
}

/// Cuts `text` and parses its front matter into `T`: the first step of every loader, whose
/// error is the file's only one, since nothing else can be checked without the front matter.
pub fn read<'a, T: serde::de::DeserializeOwned>(
    file: &Path,
    text: &'a str,
    known: &[&str],
) -> Result<(Split<'a>, Warned<T>), Vec<Diagnostic>> {
    let split = split(file, text).map_err(|e| vec![e])?;
    let meta = parse(file, &split, known).map_err(|e| vec![e])?;
    Ok((split, meta))
}

/// The line and column of `key:` in the front matter, for errors about its value.
pub fn position_of(split: &Split, key: &str) -> Option<Position> {
    let source = yaml::YamlText {
        file: Path::new(""),
        text: split.yaml,
        first_line: split.yaml_line,
    };
    yaml::key_position(&source, key)
}

/// The line and column of `key:` in each entry of the list under `list:`, in order, for errors
/// about one source or correction; found in one pass, however long the list.
pub fn entry_positions(split: &Split, list: &str, key: &str) -> Vec<Position> {
    let Some(start) = position_of(split, list) else {
        return Vec::new();
    };
    let offset: usize = (split.yaml.split_inclusive('\n'))
        .take(start.line - split.yaml_line)
        .map(str::len)
        .sum();
    let source = yaml::YamlText {
        file: Path::new(""),
        text: &split.yaml[offset..],
        first_line: start.line,
    };
    yaml::key_positions(&source, key).collect()
}

/// The `aliases` of an article or a page, each checked to be a path of this site, each once;
/// an error at each one that is not, at its line and column.
pub fn aliases(
    file: &Path,
    split: &Split,
    written: &[String],
) -> Result<Vec<UrlPath>, Vec<Diagnostic>> {
    let mut aliases: Vec<UrlPath> = Vec::with_capacity(written.len());
    let mut errors = Vec::new();
    // Each alias is looked for in the YAML after the previous one, from `aliases:` on.
    let key = position_of(split, "aliases");
    let mut from = key.map_or(0, |at| {
        let lines = split.yaml.split_inclusive('\n');
        lines.take(at.line - split.yaml_line).map(str::len).sum()
    });
    for alias in written {
        let found = split.yaml[from..].find(alias.as_str()).map(|i| from + i);
        let at = found.map(|i| Position::at_offset(split.yaml, i, split.yaml_line));
        from = found.map_or(from, |i| i + alias.len());
        match UrlPath::alias(alias) {
            Ok(path) if !aliases.contains(&path) => aliases.push(path),
            Ok(_) => {}
            Err(e) => errors.push(
                Diagnostic::error(
                    file,
                    format!("`aliases`: {e}"),
                    "list the old URLs as paths of this site, such as /2026/03/14/old-title/",
                )
                .at(at.or(key).or(Some(split.opening()))),
            ),
        }
    }
    if errors.is_empty() {
        Ok(aliases)
    } else {
        Err(errors)
    }
}

/// Front matter of an article, as written; `Article` is what it becomes once checked.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ArticleMeta {
    pub title: Option<String>,
    pub date: Option<String>,
    #[serde(deserialize_with = "blank_is_absent")]
    pub author: Option<String>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    /// Another name of `summary`, as Hugo, Zola and Jekyll call it.
    pub description: Option<String>,
    pub updated: Option<String>,
    #[serde(deserialize_with = "blank_is_absent")]
    pub story: Option<String>,
    pub sources: Vec<SourceMeta>,
    pub corrections: Vec<CorrectionMeta>,
    pub slug: Option<String>,
    pub draft: bool,
    #[serde(deserialize_with = "image_shapes")]
    pub image: Option<ImageMeta>,
    #[serde(deserialize_with = "blank_is_absent")]
    pub disclaimer: Option<String>,
    pub extra: Option<serde_yaml::Value>,
    /// `false` leaves the article out of the search index.
    pub search: Option<bool>,
    /// Pins the article as the front page's lead story.
    pub featured: bool,
    /// The id of the editor (content/editors/<id>.md) who reviewed the article.
    #[serde(deserialize_with = "blank_is_absent")]
    pub reviewed_by: Option<String>,
    /// Turns the article's page into a retraction notice.
    pub retracted: Option<RetractionMeta>,
    /// A note an editor wrote, shown above the body.
    pub editor_note: Option<EditorNoteMeta>,
    /// Old URLs of the article, each of which gets a page that redirects to it.
    pub aliases: Vec<String>,
    /// The article's language, when not the site's default (or the file name's suffix).
    #[serde(deserialize_with = "blank_is_absent")]
    pub lang: Option<String>,
    /// Links the translations of one article.
    #[serde(deserialize_with = "blank_is_absent")]
    pub translation_key: Option<String>,
    /// The language of the version a bot translated this article from.
    #[serde(deserialize_with = "blank_is_absent")]
    pub translated_from: Option<String>,
}

/// An article's picture: `image: /images/port.jpg`, or this long form with the words that go
/// with it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
pub struct ImageMeta {
    pub src: String,
    #[serde(default, deserialize_with = "blank_is_absent")]
    pub alt: Option<String>,
    #[serde(default, deserialize_with = "blank_is_absent")]
    pub caption: Option<String>,
    #[serde(default, deserialize_with = "blank_is_absent")]
    pub credit: Option<String>,
}

/// `image:` in either shape; blank (`image: ""`) counts as not given, as other optional texts.
fn image_shapes<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<ImageMeta>, D::Error> {
    let image = d.deserialize_any(ImageShapes)?;
    Ok(image.filter(|i| !i.src.trim().is_empty()))
}

/// Tells the two shapes of `image:` apart by hand: serde's own way of trying one shape, then
/// the other, reports a failure of both in Rust's words.
struct ImageShapes;

impl<'de> serde::de::Visitor<'de> for ImageShapes {
    type Value = Option<ImageMeta>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("`a path` or `{ src, alt, caption, credit }`")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E: serde::de::Error>(self, src: &str) -> Result<Self::Value, E> {
        Ok(Some(ImageMeta {
            src: src.to_string(),
            alt: None,
            caption: None,
            credit: None,
        }))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        ImageMeta::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(Some)
    }
}

/// An optional text left blank (`author: ""`) counts as not given, so the default applies and
/// an empty disclaimer cannot silently remove the AI notice.
fn blank_is_absent<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|s| !s.trim().is_empty()))
}

/// One report a digest was distilled from.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq, Eq)]
pub struct SourceMeta {
    pub title: String,
    #[serde(default)]
    pub publisher: Option<String>,
    pub url: String,
}

#[derive(Debug, Deserialize)]
pub struct CorrectionMeta {
    pub date: String,
    pub text: String,
    /// The id of the editor who wrote the correction: a part of the page written by a person.
    #[serde(default, deserialize_with = "blank_is_absent")]
    pub by: Option<String>,
}

/// `retracted: { date, reason }`, as written; both are required.
#[derive(Debug, Deserialize)]
pub struct RetractionMeta {
    pub date: String,
    pub reason: String,
}

/// `editor_note: { text, by }`, as written; both are required: a note is a person's words.
#[derive(Debug, Deserialize)]
pub struct EditorNoteMeta {
    pub text: String,
    pub by: String,
}

/// The keys an article's front matter may have, for the unknown key warnings and the book's
/// reference; a test holds it to the fields of `ArticleMeta`, `SourceMeta`, `CorrectionMeta`,
/// `RetractionMeta`, `EditorNoteMeta` and `ImageMeta`.
pub const ARTICLE_KEYS: &[&str] = &[
    "title",
    "date",
    "author",
    "tags",
    "summary",
    "description",
    "updated",
    "story",
    "sources",
    "corrections",
    "slug",
    "draft",
    "image",
    "disclaimer",
    "extra",
    "search",
    "featured",
    "reviewed_by",
    "retracted",
    "editor_note",
    "aliases",
    "lang",
    "translation_key",
    "translated_from",
    // inside sources and corrections
    "publisher",
    "url",
    "text",
    "by",
    // inside retracted
    "reason",
    // inside the long form of image
    "src",
    "alt",
    "caption",
    "credit",
];

/// Front matter of a bot profile.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BotMeta {
    pub name: Option<String>,
    pub bio: Option<String>,
    pub avatar: Option<String>,
    pub model: Option<String>,
    pub operator: Option<String>,
    pub url: Option<String>,
    #[serde(deserialize_with = "blank_is_absent")]
    pub disclaimer: Option<String>,
    /// The language of this version of the profile (or the file name's suffix).
    #[serde(deserialize_with = "blank_is_absent")]
    pub lang: Option<String>,
}

/// The keys of a bot profile; a test holds it to the fields of `BotMeta`.
pub const BOT_KEYS: &[&str] = &[
    "name",
    "bio",
    "avatar",
    "model",
    "operator",
    "url",
    "disclaimer",
    "lang",
];

/// Front matter of an editor's profile.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EditorMeta {
    pub name: Option<String>,
    #[serde(deserialize_with = "blank_is_absent")]
    pub role: Option<String>,
    pub url: Option<String>,
    pub avatar: Option<String>,
    /// The language of this version of the profile (or the file name's suffix).
    #[serde(deserialize_with = "blank_is_absent")]
    pub lang: Option<String>,
}

/// The keys of an editor's profile; a test holds it to the fields of `EditorMeta`.
pub const EDITOR_KEYS: &[&str] = &["name", "role", "url", "avatar", "lang"];

/// Front matter of a standalone page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageMeta {
    pub title: Option<String>,
    pub slug: Option<String>,
    pub summary: Option<String>,
    /// Another name of `summary`.
    pub description: Option<String>,
    pub draft: bool,
    pub extra: Option<serde_yaml::Value>,
    /// Old URLs of the page, each of which gets a page that redirects to it.
    pub aliases: Vec<String>,
    /// The page's language (or the file name's suffix).
    #[serde(deserialize_with = "blank_is_absent")]
    pub lang: Option<String>,
    /// Links the translations of one page.
    #[serde(deserialize_with = "blank_is_absent")]
    pub translation_key: Option<String>,
}

/// The keys of a standalone page; a test holds it to the fields of `PageMeta`.
pub const PAGE_KEYS: &[&str] = &[
    "title",
    "slug",
    "summary",
    "description",
    "draft",
    "extra",
    "aliases",
    "lang",
    "translation_key",
];

/// What a file says of its language: the language when not the site's default, and the file's
/// name without `.md` and without the language's suffix.
pub struct Language<'f> {
    pub lang: Option<String>,
    pub stem: &'f str,
}

/// A file's language: `lang:` when written, else the suffix of its name when the site has more
/// than one language and the suffix is one of them (`port-strike.fr.md`, as in Zola and Hugo);
/// any other dot stays part of the name. A `lang:` that is none of the site's languages is an
/// error at its line, added to `errors`.
pub fn language<'f>(
    file: &'f Path,
    split: &Split,
    written: Option<&str>,
    settings: &Settings,
    errors: &mut Vec<Diagnostic>,
) -> Language<'f> {
    let mut stem = (file.file_stem())
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let mut lang = None;
    if !settings.languages.is_empty()
        && let Some((name, suffix)) = stem.rsplit_once('.')
        && settings.has_language(suffix)
    {
        stem = name;
        lang = Some(suffix);
    }
    match written {
        Some(code) if settings.has_language(code) => lang = Some(code),
        Some(code) => errors.push(
            Diagnostic::error(
                file,
                format!("`lang`: `{code}` is not one of the site's languages"),
                settings.languages_hint(),
            )
            .at(position_of(split, "lang")),
        ),
        None => {}
    }
    Language {
        lang: lang.filter(|l| *l != settings.language).map(str::to_string),
        stem,
    }
}

/// The summary written in the front matter, as `summary:` or as `description:` (the name
/// Hugo, Zola and Jekyll use), with where it is written. Where both are given, `summary` wins
/// and a warning says so.
pub fn summary(
    file: &Path,
    split: &Split,
    summary: Option<String>,
    description: Option<String>,
) -> (Option<(String, Position)>, Option<Diagnostic>) {
    let at = |key| position_of(split, key).unwrap_or(split.opening());
    let warning = (summary.is_some() && description.is_some()).then(|| {
        Diagnostic::warning(
            file,
            "both `summary` and `description` are given; `description` is left out",
            "gazette reads them as one key: keep one",
        )
        .at(Some(at("description")))
    });
    let written = match (summary, description) {
        (Some(text), _) => Some((text, at("summary"))),
        (None, Some(text)) => Some((text, at("description"))),
        (None, None) => None,
    };
    (written, warning)
}

/// The slug of `name`, the file name of a file without `slug:`; or the error, at the title when
/// the name is too long, since a file is usually named after its title.
pub fn slug_from_name(file: &Path, split: &Split, name: &str) -> Result<Slug, Diagnostic> {
    match Slug::from_text(name).map(|slug| slug.fitting(name)) {
        Some(Ok(slug)) => Ok(slug),
        Some(Err(e)) => Err(Diagnostic::error(
            file,
            format!("the file name is too long for a URL: {e}"),
            "add a shorter `slug:` to the front matter, or rename the file",
        )
        .at(Some(position_of(split, "title").unwrap_or(split.opening())))),
        None => Err(Diagnostic::error(
            file,
            format!("cannot make a URL from the file name `{name}`"),
            "add `slug:` to the front matter",
        )
        .at(Some(split.opening()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The keys serde reads into `T`, as its derived `Deserialize` names them to a deserializer:
    /// what the lists of known keys must hold.
    fn fields<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
        struct Fields<'a>(&'a mut &'static [&'static str]);
        impl<'de> serde::Deserializer<'de> for Fields<'_> {
            type Error = serde::de::value::Error;
            fn deserialize_any<V: serde::de::Visitor<'de>>(
                self,
                _: V,
            ) -> Result<V::Value, Self::Error> {
                Err(serde::de::Error::custom("not a struct"))
            }
            fn deserialize_struct<V: serde::de::Visitor<'de>>(
                self,
                _: &'static str,
                fields: &'static [&'static str],
                _: V,
            ) -> Result<V::Value, Self::Error> {
                *self.0 = fields;
                Err(serde::de::Error::custom("only the field names are wanted"))
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
                byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
                identifier ignored_any
            }
        }
        let mut found: &'static [&'static str] = &[];
        let _ = T::deserialize(Fields(&mut found));
        assert!(
            !found.is_empty(),
            "{} is not a struct",
            std::any::type_name::<T>()
        );
        found
    }

    fn set<'a>(lists: &[&[&'a str]]) -> BTreeSet<&'a str> {
        lists.iter().flat_map(|list| list.iter().copied()).collect()
    }

    #[test]
    fn the_known_keys_are_the_fields_of_the_front_matter_structs() {
        let article = [
            fields::<ArticleMeta>(),
            fields::<SourceMeta>(),
            fields::<CorrectionMeta>(),
            fields::<RetractionMeta>(),
            fields::<EditorNoteMeta>(),
            fields::<ImageMeta>(),
        ];
        assert_eq!(set(&[ARTICLE_KEYS]), set(&article), "ARTICLE_KEYS");
        assert_eq!(set(&[BOT_KEYS]), set(&[fields::<BotMeta>()]), "BOT_KEYS");
        let editor = set(&[fields::<EditorMeta>()]);
        assert_eq!(set(&[EDITOR_KEYS]), editor, "EDITOR_KEYS");
        assert_eq!(set(&[PAGE_KEYS]), set(&[fields::<PageMeta>()]), "PAGE_KEYS");
    }

    fn file() -> &'static Path {
        Path::new("content/a.md")
    }

    #[test]
    fn splits_yaml_and_body() {
        let s = split(file(), "---\ntitle: x\n---\nBody\n").unwrap();
        assert_eq!(s.yaml, "title: x\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line(), 4);
    }

    #[test]
    fn blank_lines_before_the_front_matter_are_skipped() {
        let s = split(file(), "\n  \n\t\n---\ntitle: x\n---\nBody\n").unwrap();
        assert_eq!(s.yaml, "title: x\n");
        assert_eq!(s.yaml_line, 5);
        assert_eq!(s.opening(), Position::new(4, 1));
        assert_eq!(s.body_line(), 7);
        assert_eq!(position_of(&s, "title"), Some(Position::new(5, 1)));
    }

    #[test]
    fn description_is_the_summary_unless_both_are_given() {
        let s = split(file(), "---\nsummary: a\ndescription: b\n---\n").unwrap();
        let (written, warning) = summary(file(), &s, None, Some("b".into()));
        assert_eq!(written, Some(("b".into(), Position::new(3, 1))));
        assert!(warning.is_none());
        let (written, warning) = summary(file(), &s, Some("a".into()), Some("b".into()));
        assert_eq!(written, Some(("a".into(), Position::new(2, 1))));
        let warning = warning.expect("a warning");
        assert_eq!(warning.position, Some(Position::new(3, 1)));
    }

    #[test]
    fn empty_front_matter_is_allowed() {
        let s = split(file(), "---\n---\nBody").unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body, "Body");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let e = split(file(), "---\ntitle: x\nBody\n").unwrap_err();
        assert!(e.message.contains("not closed"), "{e}");
    }

    #[test]
    fn missing_front_matter_and_empty_file_are_errors() {
        assert!(
            split(file(), "# Just markdown\n")
                .unwrap_err()
                .message
                .contains("does not start")
        );
        assert!(split(file(), "  \n").unwrap_err().message.contains("empty"));
        assert!(split(file(), "----\ntitle: x\n---\n").is_err());
    }

    #[test]
    fn wrong_types_are_errors_at_their_line() {
        let text = "---\ntitle: x\ntags: 5\n---\n";
        let s = split(file(), text).unwrap();
        let e = parse::<ArticleMeta>(file(), &s, ARTICLE_KEYS).unwrap_err();
        assert_eq!(e.position.map(|p| p.line), Some(3), "{e}");
    }

    #[test]
    fn entry_positions_find_the_key_of_every_entry() {
        let text =
            "---\nurl: z\nsources:\n  - { title: a, url: x }\n  - title: b\n    url: y\n---\n";
        let s = split(file(), text).unwrap();
        assert_eq!(
            entry_positions(&s, "sources", "url"),
            [Position::new(4, 17), Position::new(6, 5)]
        );
        assert_eq!(entry_positions(&s, "corrections", "date"), []);
    }

    #[test]
    fn an_image_is_a_path_or_its_long_form_and_blank_or_null_is_none() {
        let image = |yaml: &str| {
            let text = format!("---\ntitle: x\n{yaml}\n---\n");
            let s = split(file(), &text).unwrap();
            parse::<ArticleMeta>(file(), &s, ARTICLE_KEYS)
                .unwrap()
                .into_parts()
                .0
                .image
        };
        let path = |src: &str| ImageMeta {
            src: src.into(),
            alt: None,
            caption: None,
            credit: None,
        };
        assert_eq!(image("image: /a.jpg"), Some(path("/a.jpg")));
        assert_eq!(
            image("image: { src: /a.jpg, alt: Cranes, caption: \"\", credit: Wire }"),
            Some(ImageMeta {
                alt: Some("Cranes".into()),
                credit: Some("Wire".into()),
                ..path("/a.jpg")
            })
        );
        for none in [
            "image:",
            "image: ~",
            "image: \"\"",
            "image: { src: \" \" }",
            "",
        ] {
            assert_eq!(image(none), None, "{none}");
        }
    }

    #[test]
    fn source_without_url_is_an_error() {
        let text = "---\ntitle: x\nsources:\n  - { title: a }\n---\n";
        let s = split(file(), text).unwrap();
        let e = parse::<ArticleMeta>(file(), &s, ARTICLE_KEYS).unwrap_err();
        assert!(e.message.contains("url"), "{e}");
        assert_eq!(e.position.map(|p| p.line), Some(4), "{e}");
    }
}
