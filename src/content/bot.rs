//! Author bots: `content/bots/<id>.md` profiles, shown in every byline and on the bot's page.

use std::path::{Path, PathBuf};

use crate::config::Settings;
use crate::content::front_matter::{self, BOT_KEYS, BotMeta};
use crate::content::profile::{self, Kind};
use crate::error::{Diagnostic, Warned};
use crate::url::{BOTS, UrlPath};

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
    /// The language of this version of the profile, when not the site's default: it stands
    /// in for the default one on that language's pages.
    pub lang: Option<String>,
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
        let links = [("avatar", &meta.avatar), ("url", &meta.url)];
        let kind = Kind {
            what: "bot",
            example: "wirebot.md",
        };
        let lang = meta.lang.as_deref();
        let profile = profile::check(file, &split, meta.name, &links, lang, settings, &kind)?;
        let bot = Bot {
            file: file.to_path_buf(),
            path: UrlPath::folder(BOTS).join(&profile.slug),
            id: profile.id,
            name: profile.name,
            bio: meta.bio,
            avatar: meta.avatar,
            model: meta.model,
            operator: meta.operator,
            website: meta.url,
            disclaimer: meta.disclaimer,
            about: profile.about,
            lang: profile.lang,
        };
        Ok(Warned::new(bot, warnings))
    }
}
