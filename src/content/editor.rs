//! Editors: `content/editors/<id>.md` profiles of the people who review articles before they
//! are published, named by an article's `reviewed_by` and a correction's `by`.

use std::path::{Path, PathBuf};

use crate::config::Settings;
use crate::content::front_matter::{self, EDITOR_KEYS, EditorMeta};
use crate::content::profile::{self, Kind};
use crate::error::{Diagnostic, Warned};
use crate::url::{EDITORS, UrlPath};

/// An editor's profile: a person, never a bot.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Editor {
    pub file: PathBuf,
    /// The file name without `.md`; articles name their reviewer by it.
    pub id: String,
    pub path: UrlPath,
    pub name: String,
    /// What they do at the site, such as "Managing editor".
    pub role: Option<String>,
    /// Their own page elsewhere.
    pub website: Option<String>,
    pub avatar: Option<String>,
    /// The profile's body, as HTML.
    pub about: String,
    /// The language of this version of the profile, when not the site's default.
    pub lang: Option<String>,
}

impl Editor {
    /// Checks and renders one editor's profile, reporting every problem in it.
    pub fn load(
        file: &Path,
        text: &str,
        settings: &Settings,
    ) -> Result<Warned<Editor>, Vec<Diagnostic>> {
        let (split, meta) = front_matter::read::<EditorMeta>(file, text, EDITOR_KEYS)?;
        let (meta, warnings) = meta.into_parts();
        let links = [("avatar", &meta.avatar), ("url", &meta.url)];
        let kind = Kind {
            what: "editor",
            example: "anna-berg.md",
        };
        let lang = meta.lang.as_deref();
        let profile = profile::check(file, &split, meta.name, &links, lang, settings, &kind)?;
        let editor = Editor {
            file: file.to_path_buf(),
            path: UrlPath::folder(EDITORS).join(&profile.slug),
            id: profile.id,
            name: profile.name,
            role: meta.role,
            website: meta.url,
            avatar: meta.avatar,
            about: profile.about,
            lang: profile.lang,
        };
        Ok(Warned::new(editor, warnings))
    }
}
