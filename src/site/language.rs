//! One `Site` per language: the content of a site of several languages split by language,
//! each part with the profiles as that language's pages show them, and joined again after.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::config::Settings;
use crate::content::{Bot, Content, Editor};
use crate::error::Diagnostic;
use crate::site::Site;

/// The content of each language of the site, the default language first, each with its code;
/// and the profiles as read, for `join`. A site of one language is one part holding all of
/// `content`, moved, not copied.
pub fn split(mut content: Content, settings: &Settings) -> (Vec<(String, Content)>, Profiles) {
    if settings.languages.is_empty() {
        return (
            vec![(settings.language.clone(), content)],
            Profiles::default(),
        );
    }
    let codes: Vec<&str> = settings.language_codes().collect();
    let place = |lang: &Option<String>| {
        let code = lang.as_deref().unwrap_or(&settings.language);
        codes.iter().position(|c| *c == code).unwrap_or(0)
    };
    let mut parts: Vec<Content> = codes.iter().map(|_| Content::default()).collect();
    for article in std::mem::take(&mut content.articles) {
        parts[place(&article.lang)].articles.push(article);
    }
    for page in std::mem::take(&mut content.pages) {
        parts[place(&page.lang)].pages.push(page);
    }
    let profiles = Profiles {
        bots: std::mem::take(&mut content.bots),
        editors: std::mem::take(&mut content.editors),
    };
    for (part, code) in parts.iter_mut().zip(&codes) {
        let lang = (*code != settings.language).then_some(*code);
        part.bots = in_language(&profiles.bots, lang, |b| (&b.id, &b.lang));
        part.editors = in_language(&profiles.editors, lang, |e| (&e.id, &e.lang));
    }
    let codes = codes.into_iter().map(str::to_string);
    (codes.zip(parts).collect(), profiles)
}

/// The profiles of a site of several languages as read, every language's version of each:
/// each language's `Site` gets its own copies.
#[derive(Default)]
pub struct Profiles {
    bots: Vec<Bot>,
    editors: Vec<Editor>,
}

/// The content of every language in one again, with the profiles as read (`split` took them).
pub fn join(parts: Vec<Content>, profiles: Profiles) -> Content {
    let mut parts = parts.into_iter();
    let mut content = parts.next().unwrap_or_default();
    if profiles.bots.is_empty() && profiles.editors.is_empty() && parts.len() == 0 {
        return content;
    }
    for part in parts {
        content.articles.extend(part.articles);
        content.pages.extend(part.pages);
    }
    content.bots = profiles.bots;
    content.editors = profiles.editors;
    content
}

/// Each profile as the pages of language `lang` (none for the default) show it: its version in
/// that language where it has one, else its default one.
fn in_language<T: Clone>(
    all: &[T],
    lang: Option<&str>,
    id_and_lang: impl Fn(&T) -> (&String, &Option<String>),
) -> Vec<T> {
    let mut chosen: BTreeMap<&str, &T> = BTreeMap::new();
    for profile in all {
        let (id, own) = id_and_lang(profile);
        match own.as_deref() {
            None => {
                chosen.entry(id).or_insert(profile);
            }
            Some(own) if Some(own) == lang => {
                chosen.insert(id, profile);
            }
            Some(_) => {}
        }
    }
    chosen.into_values().cloned().collect()
}

/// What is likely a slip in the translations of a site of several languages, as warnings: two
/// articles of one language that share a `translation_key` (only one of them can be the other
/// languages' alternate), and a `translated_from` that names a language with no article of the
/// same key (the label would link nothing).
pub fn translation_warnings(sites: &[(String, Site)]) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    if sites.len() < 2 {
        return found;
    }
    let keys: Vec<HashMap<&str, &Path>> = (sites.iter())
        .map(|(_, site)| {
            let mut first: HashMap<&str, &Path> = HashMap::new();
            for a in &site.articles {
                if let Some(other) = first.get(a.translation_key.as_str()) {
                    found.push(Diagnostic::warning(
                        &a.file,
                        format!(
                            "has the translation key `{}`, as does {} in the same language",
                            a.translation_key,
                            other.display()
                        ),
                        "give each article of a language its own `translation_key`",
                    ));
                } else {
                    first.insert(&a.translation_key, &a.file);
                }
            }
            first
        })
        .collect();
    for (_, site) in sites {
        for a in &site.articles {
            let Some(from) = &a.translated_from else {
                continue;
            };
            let original = (sites.iter().position(|(code, _)| code == from))
                .and_then(|n| keys[n].get(a.translation_key.as_str()));
            if original.is_none() {
                found.push(
                    Diagnostic::warning(
                        &a.file,
                        format!(
                            "`translated_from: {from}`: no article in `{from}` has the translation key `{}`",
                            a.translation_key
                        ),
                        "name the original's file the same (with its language's suffix), or give both the same `translation_key`",
                    )
                    .at(a.translated_from_position),
                );
            }
        }
    }
    found
}
