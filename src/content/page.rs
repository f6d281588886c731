//! Standalone pages: `content/pages/*.md`, such as an about page; not articles, not in feeds.

use std::path::{Path, PathBuf};

use crate::config::Settings;
use crate::content::front_matter::{self, PAGE_KEYS, PageMeta};
use crate::content::markdown;
use crate::error::{Diagnostic, Warned};
use crate::url::{Slug, UrlPath};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Page {
    pub file: PathBuf,
    pub path: UrlPath,
    pub title: String,
    pub summary: String,
    pub draft: bool,
    pub content: String,
    #[serde(with = "crate::yaml::as_text")]
    pub extra: serde_yaml::Value,
    /// Old URLs of the page, each of which gets a redirect page.
    pub aliases: Vec<UrlPath>,
    /// The page's language when it is not the site's default.
    pub lang: Option<String>,
    /// What its translations share: `translation_key:`, else its file name without the
    /// language's suffix.
    pub translation_key: String,
}

impl Page {
    /// Checks and renders one page, reporting every problem in it, not only the first.
    pub fn load(
        file: &Path,
        text: &str,
        settings: &Settings,
    ) -> Result<Warned<Page>, Vec<Diagnostic>> {
        let (split, meta) = front_matter::read::<PageMeta>(file, text, PAGE_KEYS)?;
        let (meta, mut warnings) = meta.into_parts();
        let mut errors = Vec::new();
        let title = meta.title.filter(|t| !t.trim().is_empty());
        if title.is_none() {
            errors.push(
                Diagnostic::error(
                    file,
                    "missing title",
                    "add `title: \"...\"` to the front matter",
                )
                .at(Some(split.opening())),
            );
        }
        let language =
            front_matter::language(file, &split, meta.lang.as_deref(), settings, &mut errors);
        let (stem, lang) = (language.stem, language.lang);
        let (summary, both) = front_matter::summary(file, &split, meta.summary, meta.description);
        warnings.extend(both);
        let slug = match meta.slug.as_deref() {
            Some(written) => Slug::from_user(written).map_err(|e| {
                Diagnostic::error(
                    file,
                    format!("`slug`: {e}"),
                    "use a plain name such as about",
                )
                .at(front_matter::position_of(&split, "slug"))
            }),
            None => front_matter::slug_from_name(file, &split, stem),
        };
        let slug = slug.map_err(|e| errors.push(e)).ok();
        let aliases = front_matter::aliases(file, &split, &meta.aliases);
        let aliases = aliases.map_err(|e| errors.extend(e)).unwrap_or_default();
        let body = markdown::render(split.body, &settings.markdown, &settings.base.path);
        errors.extend(body.nesting_error(file, &split));
        let (Some(title), Some(slug), true) = (title, slug, errors.is_empty()) else {
            return Err(errors);
        };
        let page = Page {
            file: file.to_path_buf(),
            path: UrlPath::root().join(&slug),
            title,
            summary: summary.map_or(body.summary, |(text, _)| text),
            draft: meta.draft,
            content: body.html,
            extra: meta
                .extra
                .unwrap_or(serde_yaml::Value::Mapping(Default::default())),
            aliases,
            translation_key: meta.translation_key.unwrap_or_else(|| stem.to_string()),
            lang,
        };
        Ok(Warned::new(page, warnings))
    }
}
