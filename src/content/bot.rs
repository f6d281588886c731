//! Author bots: `content/bots/<id>.md` profiles, shown in every byline and on the bot's page.

use std::path::{Path, PathBuf};

use crate::config::Settings;
use crate::content::front_matter::{self, BOT_KEYS, BotMeta};
use crate::content::markdown;
use crate::error::{Diagnostic, Warned};
use crate::url::link;
use crate::url::{BOTS, Slug, UrlPath};

/// A bot profile.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Bot {
    pub file: PathBuf,
    /// The file name without `.md`; articles name their author by it.
    pub id: String,
    pub path: UrlPath,
    pub name: String,
    pub bio: Option<String>,
    pub avatar: Option<String>,
    pub model: Option<String>,
    pub operator: Option<String>,
    pub website: Option<String>,
    pub disclaimer: Option<String>,
    /// The profile's body, as HTML.
    pub about: String,
}

impl Bot {
    /// Checks and renders one bot profile, reporting every problem in it, not only the first.
    pub fn load(
        file: &Path,
        text: &str,
        settings: &Settings,
    ) -> Result<Warned<Bot>, Vec<Diagnostic>> {
        let (split, meta) = front_matter::read::<BotMeta>(file, text, BOT_KEYS)?;
        let (meta, warnings) = meta.into_parts();
        let mut errors = Vec::new();
        let id = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let slug = Slug::from_user(id).ok().filter(|s| s.as_str() == id);
        if slug.is_none() {
            errors.push(Diagnostic::error(
                file,
                format!("`{id}` cannot be a bot id"),
                "name bot files with lower-case letters, digits and `-`, such as wirebot.md",
            ));
        }
        let name = meta.name.filter(|n| !n.trim().is_empty());
        if name.is_none() {
            errors.push(
                Diagnostic::error(
                    file,
                    "missing name",
                    "add `name: \"...\"` to the bot's front matter",
                )
                .at(Some(split.opening())),
            );
        }
        for (key, written) in [("avatar", &meta.avatar), ("url", &meta.url)] {
            if let Some(written) = written.as_deref().filter(|l| !link::is_safe_link(l)) {
                let position = front_matter::position_of(&split, key);
                errors.push(link::refuse(file, key, written, position));
            }
        }
        let about = markdown::render(split.body, &settings.markdown, &settings.base.path);
        errors.extend(about.nesting_error(file, &split));
        let (Some(slug), Some(name), true) = (slug, name, errors.is_empty()) else {
            return Err(errors);
        };
        let bot = Bot {
            file: file.to_path_buf(),
            id: id.to_string(),
            path: UrlPath::folder(BOTS).join(&slug),
            name,
            bio: meta.bio,
            avatar: meta.avatar,
            model: meta.model,
            operator: meta.operator,
            website: meta.url,
            disclaimer: meta.disclaimer,
            about: about.html,
        };
        Ok(Warned::new(bot, warnings))
    }
}
