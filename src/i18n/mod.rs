//! The theme's own words in a page's language: the built-in catalogues, a site's
//! `i18n/<lang>.yaml` over them, and the language's dates, numbers and plural forms.
//!
//! English is the reference: its catalogue holds every key the theme uses, and a key another
//! language leaves out is shown in English (`gazette check` lists it).

mod formats;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock};

use serde::{Deserialize, Serialize};

pub use formats::Formats;

use crate::date::PublishDate;
use crate::error::{Diagnostic, Diagnostics, Warned};
use crate::folders::I18N_DIR;
use crate::yaml;

/// One text of a catalogue: a string, or one string per CLDR plural category.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Text {
    One(String),
    Plural(BTreeMap<String, String>),
}

/// The texts of one language, by key.
pub type Catalogue = BTreeMap<String, Text>;

/// A site's own catalogues, `i18n/<lang>.yaml`, by language.
pub type SiteCatalogues = BTreeMap<String, Catalogue>;

/// The language whose catalogue names every key, and the one missing texts are shown in.
pub const REFERENCE: &str = "en";

/// The catalogues compiled in, each written for gazette.
const BUILT_IN: [(&str, &str); 5] = [
    ("en", include_str!("en.yaml")),
    ("fr", include_str!("fr.yaml")),
    ("de", include_str!("de.yaml")),
    ("es", include_str!("es.yaml")),
    ("ar", include_str!("ar.yaml")),
];

/// CLDR's plural categories, the keys a text with a count may have.
const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// The built-in catalogue of `language` (exactly as listed), if gazette has one.
fn built_in(language: &str) -> Option<Catalogue> {
    let (_, text) = BUILT_IN.iter().find(|(l, _)| *l == language)?;
    // The built-in catalogues are tested to parse; a broken one would show English.
    serde_yaml::from_str(text).ok()
}

/// Every key of the theme: the reference catalogue's.
fn keys() -> &'static [String] {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        built_in(REFERENCE)
            .unwrap_or_default()
            .into_keys()
            .collect()
    })
}

/// The names a catalogue may go by for `language`, most general first: `pt` then `pt-BR`.
fn lookups(language: &str) -> Vec<&str> {
    let primary = language.split(['-', '_']).next().unwrap_or(language);
    if primary == language {
        vec![language]
    } else {
        vec![primary, language]
    }
}

/// The formatters of `language`, made once per process and shared by every build and page.
pub fn formats(language: &str) -> Arc<Formats> {
    static MADE: OnceLock<RwLock<HashMap<String, Arc<Formats>>>> = OnceLock::new();
    let made = MADE.get_or_init(Default::default);
    if let Some(formats) = made.read().ok().and_then(|m| m.get(language).cloned()) {
        return formats;
    }
    let formats = Arc::new(Formats::new(language));
    if let Ok(mut m) = made.write() {
        m.entry(language.to_string())
            .or_insert_with(|| formats.clone());
    }
    formats
}

/// The theme's words in one language, with its dates and numbers: what its pages show.
#[derive(Debug, Clone)]
pub struct Words {
    pub language: String,
    /// Every key of the theme, in the language where it has the text, else in English.
    pub texts: Catalogue,
    /// gazette.yaml's `date_format`, which replaces the language's long date when given.
    date_format: Option<String>,
    formats: Arc<Formats>,
}

impl Words {
    /// The words of `language`: the built-in English, the site's English, then the built-in
    /// and the site's catalogues of the language (its primary tag's, then its own).
    pub fn new(language: &str, site: &SiteCatalogues, date_format: Option<String>) -> Self {
        let mut texts = Catalogue::new();
        let mut layers = vec![REFERENCE];
        layers.extend(lookups(language).into_iter().filter(|l| *l != REFERENCE));
        for layer in layers {
            texts.extend(built_in(layer).unwrap_or_default());
            texts.extend(site.get(layer).cloned().unwrap_or_default());
        }
        Self {
            language: language.to_string(),
            texts,
            date_format,
            formats: formats(language),
        }
    }

    /// The text of `key` as it is written, with no value filled in; the key itself where the
    /// catalogue has none (a programming error the tests of the catalogues catch).
    pub fn text(&self, key: &'static str) -> &str {
        match self.texts.get(key) {
            Some(Text::One(text)) => text,
            Some(Text::Plural(forms)) => forms.get("other").map_or(key, String::as_str),
            None => key,
        }
    }

    /// The text of `key` with each `{name}` replaced by its value in `values`, plain text.
    pub fn fill(&self, key: &'static str, values: &[(&str, &str)]) -> String {
        fill(self.text(key), |name| {
            values.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
        })
    }

    /// The text of `key` in the plural form the language gives `count`, with `{count}` in the
    /// language's digits, plain text: "3 min read".
    pub fn count(&self, key: &'static str, count: usize) -> String {
        let n = i64::try_from(count).unwrap_or(i64::MAX);
        let text = match self.texts.get(key) {
            Some(Text::Plural(forms)) => (self.formats)
                .form(n, |category| forms.get(category))
                .map_or(key, String::as_str),
            _ => self.text(key),
        };
        let number = self.formats.number(n);
        fill(text, |name| (name == "count").then_some(number.as_str()))
    }

    /// A day as pages show it: the language's long date, or `date_format` where the site set
    /// one.
    pub fn date(&self, date: &PublishDate) -> String {
        match &self.date_format {
            Some(format) => date.format(format),
            None => self.formats.long_date(date),
        }
    }

    /// A month with its year, as a month's archive is titled: "March 2026".
    pub fn month(&self, date: &PublishDate) -> String {
        self.formats.month(date)
    }

    pub fn formats(&self) -> &Arc<Formats> {
        &self.formats
    }
}

/// `template` with each `{name}` replaced by what `value` gives for it; a `{name}` it gives
/// nothing for stays as written.
pub fn fill<'v>(template: &str, value: impl Fn(&str) -> Option<&'v str>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if is_name(name) => {
                match value(name) {
                    Some(v) => out.push_str(v),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether `name` can be a placeholder's name: letters, digits and `_`.
pub fn is_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The keys of the theme that `language` shows in English for want of a translation, built in
/// or the site's: what `gazette check` lists for each of the site's languages.
pub fn missing(language: &str, site: &SiteCatalogues) -> Vec<&'static str> {
    let layers = lookups(language);
    if layers.contains(&REFERENCE) {
        return Vec::new();
    }
    let given: Vec<Catalogue> = (layers.iter())
        .flat_map(|l| [built_in(l), site.get(*l).cloned()])
        .flatten()
        .collect();
    (keys().iter())
        .filter(|key| !given.iter().any(|c| c.contains_key(*key)))
        .map(String::as_str)
        .collect()
}

/// The site's catalogues, each `i18n/<lang>.yaml` under `root`: unknown keys and plural
/// categories are warnings naming the nearest known one; unreadable files and bad YAML are
/// errors at their line and column.
pub fn load(root: &Path) -> Result<Warned<SiteCatalogues>, Diagnostics> {
    let mut catalogues = SiteCatalogues::new();
    let mut warnings = Vec::new();
    let mut errors = Diagnostics::default();
    for (file, bytes) in site_files(root) {
        let Some(language) = file.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let text = match bytes
            .map_err(|e| unreadable(&file, &e))
            .and_then(|bytes| crate::text::decode(&file, &bytes))
        {
            Ok(text) => text,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let source = yaml::YamlText {
            file: &file,
            text: &text,
            first_line: 1,
        };
        match yaml::parse::<Catalogue>(&source, &[]) {
            Ok(parsed) => {
                let catalogue = parsed.value();
                warnings.extend(unknown(&source, catalogue, &mut errors));
                catalogues.insert(language.to_string(), catalogue.clone());
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.has_errors() {
        Err(errors)
    } else {
        Ok(Warned::new(catalogues, warnings))
    }
}

/// The keys and plural categories of `catalogue` the theme does not know, as warnings; a
/// text with a count that has no `other` form goes in `errors`.
fn unknown(
    source: &yaml::YamlText,
    catalogue: &Catalogue,
    errors: &mut Diagnostics,
) -> Vec<Diagnostic> {
    let known: Vec<&str> = keys().iter().map(String::as_str).collect();
    let mut warnings = Vec::new();
    for (key, text) in catalogue {
        if !known.contains(&key.as_str()) {
            warnings.push(yaml::unknown_key(source, key, &known));
        }
        if let Text::Plural(forms) = text {
            for category in forms.keys().filter(|c| !CATEGORIES.contains(&c.as_str())) {
                let path = format!("{key}.{category}");
                warnings.push(yaml::unknown_key(source, &path, &CATEGORIES));
            }
            if !forms.contains_key("other") {
                errors.push(
                    Diagnostic::error(
                        source.file,
                        format!("`{key}` has no `other` form"),
                        "give every text with a count an `other` form, which CLDR uses for any number no other form takes",
                    )
                    .at(yaml::key_position(source, key)),
                );
            }
        }
    }
    warnings
}

fn unreadable(file: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        file,
        format!("cannot read the translations: {e}"),
        "make it a readable file, or remove it to use the built-in words",
    )
}

/// Each `i18n/*.yaml` file of the site under `root`, by its path from the root, with its bytes
/// (or why they could not be read), in name order: what a change of the site's words is told
/// by.
pub fn site_files(root: &Path) -> Vec<(PathBuf, std::io::Result<Vec<u8>>)> {
    let Ok(entries) = std::fs::read_dir(root.join(I18N_DIR)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = (entries.flatten())
        .map(|entry| Path::new(I18N_DIR).join(entry.file_name()))
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    (files.into_iter())
        .map(|file| {
            let bytes = std::fs::read(root.join(&file));
            (file, bytes)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_catalogue_parses_and_knows_only_the_reference_keys() {
        for (language, _) in BUILT_IN {
            let catalogue = built_in(language).expect(language);
            for (key, text) in &catalogue {
                assert!(keys().contains(key), "{language}: unknown key {key}");
                if let Text::Plural(forms) = text {
                    assert!(forms.contains_key("other"), "{language}: {key}");
                    assert!(forms.keys().all(|c| CATEGORIES.contains(&c.as_str())));
                }
            }
        }
        assert!(keys().len() > 100);
    }

    #[test]
    fn the_built_in_languages_have_every_key() {
        for (language, _) in BUILT_IN {
            assert_eq!(
                missing(language, &SiteCatalogues::new()),
                [""; 0],
                "{language}"
            );
        }
        assert_eq!(missing("it", &SiteCatalogues::new()).len(), keys().len());
    }

    #[test]
    fn a_region_falls_back_to_its_language_and_a_missing_key_to_english() {
        let mut site = SiteCatalogues::new();
        let mut fr_ca = Catalogue::new();
        fr_ca.insert("tags".into(), Text::One("Mots-clics".into()));
        site.insert("fr-CA".into(), fr_ca);
        let words = Words::new("fr-CA", &site, None);
        assert_eq!(words.text("tags"), "Mots-clics");
        assert_eq!(words.text("sources"), "Sources");
        assert_eq!(words.text("related_posts"), "Articles liés");
        assert!(missing("fr-CA", &site).is_empty());
        let it = Words::new("it", &site, None);
        assert_eq!(it.text("related_posts"), "Related posts");
    }

    #[test]
    fn fill_replaces_named_values_only() {
        let value = |name: &str| (name == "bot").then_some("wirebot");
        assert_eq!(fill("Written by {bot}", value), "Written by wirebot");
        assert_eq!(fill("{bot}{bot}", value), "wirebotwirebot");
        assert_eq!(fill("{other} {bot} {", value), "{other} wirebot {");
        assert_eq!(fill("{ not a name }", value), "{ not a name }");
    }
}
