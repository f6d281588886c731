//! What bot and editor profiles share: an id made of the file name, a required name, links
//! that must be safe, and a Markdown body rendered as the profile's page.

use std::path::Path;

use crate::config::Settings;
use crate::content::front_matter::{self, Split};
use crate::content::markdown;
use crate::error::Diagnostic;
use crate::url::Slug;
use crate::url::link;

/// A profile's checked common parts.
pub struct Profile {
    /// The file name without `.md`.
    pub id: String,
    pub slug: Slug,
    pub name: String,
    /// The body, as HTML.
    pub about: String,
    /// The language of this version of the profile, when not the site's default.
    pub lang: Option<String>,
}

/// What kind of profile a file is, for the words of its errors.
pub struct Kind {
    /// "bot" or "editor".
    pub what: &'static str,
    /// A file name that works, such as `wirebot.md`.
    pub example: &'static str,
}

/// Checks the parts every profile has; `links` are the front matter's link keys with their
/// values. Every problem is reported, not only the first.
pub fn check(
    file: &Path,
    split: &Split,
    name: Option<String>,
    links: &[(&str, &Option<String>)],
    lang: Option<&str>,
    settings: &Settings,
    kind: &Kind,
) -> Result<Profile, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let language = front_matter::language(file, split, lang, settings, &mut errors);
    let (id, lang) = (language.stem, language.lang);
    let slug = Slug::from_user(id).ok().filter(|s| s.as_str() == id);
    if slug.is_none() {
        errors.push(Diagnostic::error(
            file,
            format!("`{id}` cannot be {} id", article(kind.what)),
            format!(
                "name {} files with lower-case letters, digits and `-`, such as {}",
                kind.what, kind.example
            ),
        ));
    }
    let name = name.filter(|n| !n.trim().is_empty());
    if name.is_none() {
        errors.push(
            Diagnostic::error(
                file,
                "missing name",
                format!("add `name: \"...\"` to the {}'s front matter", kind.what),
            )
            .at(Some(split.opening())),
        );
    }
    for (key, written) in links {
        if let Some(written) = written.as_deref().filter(|l| !link::is_safe_link(l)) {
            let position = front_matter::position_of(split, key);
            errors.push(link::refuse(file, key, written, position));
        }
    }
    let about = markdown::render(split.body, &settings.markdown, &settings.base.path);
    errors.extend(about.nesting_error(file, split));
    match (slug, name, errors.is_empty()) {
        (Some(slug), Some(name), true) => Ok(Profile {
            id: id.to_string(),
            slug,
            name,
            about: about.html,
            lang,
        }),
        _ => Err(errors),
    }
}

/// "a bot", "an editor".
fn article(what: &str) -> String {
    match what.starts_with(['a', 'e', 'i', 'o', 'u']) {
        true => format!("an {what}"),
        false => format!("a {what}"),
    }
}
