//! Site configuration: `gazette.yaml` read into a typed `Config`, every key with a default.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::tz::TimeZone;
use serde::Deserialize;

use crate::date::PublishDate;
use crate::error::{Diagnostic, Diagnostics, Position, Warned};
use crate::folders::{CONFIG_FILE, CONTENT_DIR};
use crate::i18n;
use crate::url::link::{is_safe_link, is_web_url};
use crate::url::{BaseUrl, Pattern};
use crate::yaml;

pub const DEFAULT_DISCLAIMER: &str = "This article was written by an AI system from the factual \
reports listed as its sources. It may contain errors or omissions: check it against another \
source before you rely on it.";

/// Everything gazette.yaml can say, defaults filled in, checked. The three values with a syntax
/// of their own are text as the file gives them in a `Config` (what serde reads) and parsed
/// values in `Settings`, which `Settings::check` makes of it: no stage holds both.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct Settings<Url = BaseUrl, Zone = TimeZone, Link = Pattern> {
    pub title: String,
    pub description: String,
    /// Where the site will live, e.g. `https://example.org/` or `https://user.github.io/news/`.
    #[serde(rename = "base_url")]
    pub base: Url,
    pub language: String,
    /// IANA name; applies to dates written without an offset.
    pub timezone: Zone,
    /// The bot id for articles without an `author`.
    pub default_author: Option<String>,
    pub disclaimer: String,
    pub paginate_by: usize,
    pub permalink: Link,
    /// strftime directives for dates shown on pages; none: the language's long date.
    pub date_format: Option<String>,
    pub related: RelatedConfig,
    pub markdown: MarkdownConfig,
    pub feeds: FeedsConfig,
    pub news_sitemap: NewsSitemapConfig,
    /// Display titles of sections, by folder name; a section not listed is titled from its name.
    pub sections: BTreeMap<String, SectionConfig>,
    /// Free-form, passed to templates as `site.extra`.
    pub extra: serde_yaml::Value,
    /// Whether pages say that their articles are written by AI: the label on articles, the
    /// `ai-disclosure` meta tag, JSON-LD's `digitalSourceType`. `false` for human-written sites.
    pub ai_disclosure: bool,
    /// How the AI label on articles looks.
    pub labels: LabelsConfig,
    /// The organisation that publishes the site, named in every article's JSON-LD.
    pub publisher: PublisherConfig,
    /// Hidden names in `static/` (`.htaccess`) to publish; other hidden files are left out.
    pub publish_hidden: Vec<String>,
    pub search: SearchConfig,
    pub front_page: FrontPageConfig,
    /// How pictures are made of the images articles show.
    pub images: gazette_images::Settings,
    /// What the `/ai-policy/` page says; its default text where not given.
    pub ai_policy: AiPolicyConfig,
    /// Every language besides `language`, by its code, with what differs for it
    /// (docs/src/languages.md); its pages live under `/<code>/`.
    pub languages: BTreeMap<String, LanguageConfig>,
    /// The site's own words for the theme, `i18n/<lang>.yaml`, read with gazette.yaml.
    #[serde(skip)]
    pub i18n: i18n::SiteCatalogues,
}

/// What one more language of the site says in its own words; what it leaves out is the
/// default language's.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct LanguageConfig {
    pub title: Option<String>,
    pub description: Option<String>,
    pub disclaimer: Option<String>,
    /// The AI policy's wording in this language: each text given replaces the default
    /// language's.
    pub ai_policy: Option<AiPolicyConfig>,
}

/// The site's AI policy, the page `/ai-policy/` (docs/src/configuration.md, "AI policy"):
/// texts the newsroom writes, each with a default the page falls back on. A site that writes
/// any of it gets the page even with `ai_disclosure: false`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize, Hash)]
#[serde(default)]
pub struct AiPolicyConfig {
    /// The bots the page names, by id; every bot profile when not given.
    pub bots: Option<Vec<String>>,
    /// Models named besides those of the bots' profiles.
    pub models: Vec<String>,
    /// What the bots read.
    pub sources: Option<String>,
    /// Who reviews the articles, and how.
    pub review: Option<String>,
    /// How a reader reports an error.
    pub errors: Option<String>,
    /// An email address or an http(s) URL.
    pub contact: Option<String>,
}

/// How the AI label on articles looks (docs/src/configuration.md, "AI labels").
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct LabelsConfig {
    /// Shows an "AI" icon in the label, in the manner of the EU's labelling icons (drawn for
    /// gazette, not the Commission's artwork).
    pub eu_icon: bool,
}

/// What the front page shows below its lead story (docs/src/configuration.md, "Front page").
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct FrontPageConfig {
    /// How many of the newest stories after the lead the grid of top stories shows.
    pub top: usize,
    /// The sections that get a block, by folder name, in order; every section, in the order of
    /// the navigation, when not given.
    pub sections: Option<Vec<String>>,
    /// How many stories each section's block shows.
    pub stories: usize,
}

impl Default for FrontPageConfig {
    fn default() -> Self {
        Self {
            top: 4,
            sections: None,
            stories: 4,
        }
    }
}

/// The site's search (the `/search/` page, its index and the box in every page's header).
/// Off unless asked for, as in Zola (`build_search_index`): indexing still multiplies the time
/// of a full build several times over (docs/src/performance.md), a cost a site takes on
/// knowingly.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct SearchConfig {
    pub enabled: bool,
}

/// The site's publisher; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct PublisherConfig {
    /// Defaults to the site's title.
    pub name: Option<String>,
    /// An http(s) URL; defaults to the site's home page.
    pub url: Option<String>,
    /// An image: an http(s) URL or a path below the site root.
    pub logo: Option<String>,
    /// The page that names the newsroom's people (JSON-LD `masthead`): a URL or a path.
    pub masthead: Option<String>,
    /// The newsroom's ethics policy (JSON-LD `ethicsPolicy`): a URL or a path; the AI policy
    /// page when not given.
    pub ethics_policy: Option<String>,
}

/// How Related posts are chosen; docs/src/configuration.md gives the formula.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct RelatedConfig {
    pub count: usize,
    /// Weight of each shared tag, times how rare the tag is.
    pub tags: f64,
    /// Bonus for being in the same story.
    pub story: f64,
    /// Bonus for being in the same section.
    pub section: f64,
    /// Bonus for closeness in time, halved every `recency_days`.
    pub recency: f64,
    pub recency_days: f64,
    /// How many articles nearest in time each shared tag contributes as candidates.
    pub window: usize,
    /// A tag carried by more than this share of all articles (and by more than its windows
    /// hold) contributes no candidates (it still counts in the score): it says little about
    /// what an article is about, and its windows would crowd out the rarer tags' (Hugo's
    /// `cardinalityThreshold`).
    pub max_tag_share: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct MarkdownConfig {
    /// Pass raw HTML in article bodies through; `false` escapes it (for untrusted bots).
    pub raw_html: bool,
    pub smart_punctuation: bool,
    /// Highlight fenced code blocks in a language the grammars know (Zola's name for it).
    pub highlight_code: bool,
}

/// What the Atom, RSS and JSON feeds carry.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct FeedsConfig {
    /// How many of the newest articles each feed lists.
    pub limit: usize,
    pub content: FeedContent,
}

/// Whether feed entries carry the whole article or only its summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedContent {
    Full,
    Summary,
}

/// Which articles the Google News sitemap lists.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct NewsSitemapConfig {
    /// Articles published this many days before the newest one, or later.
    pub days: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct SectionConfig {
    pub title: Option<String>,
    /// Whether the section's articles are in the search index.
    pub search: bool,
}

impl Default for SectionConfig {
    fn default() -> Self {
        Self {
            title: None,
            search: true,
        }
    }
}

/// gazette.yaml as read, before `Settings::check`.
pub type Config = Settings<String, String, String>;

impl Default for Config {
    fn default() -> Self {
        Self {
            title: "gazette".into(),
            description: String::new(),
            base: "/".into(),
            language: "en".into(),
            timezone: "UTC".into(),
            default_author: None,
            disclaimer: DEFAULT_DISCLAIMER.into(),
            paginate_by: 10,
            permalink: "/:year/:month/:day/:slug/".into(),
            date_format: None,
            related: RelatedConfig::default(),
            markdown: MarkdownConfig::default(),
            feeds: FeedsConfig::default(),
            news_sitemap: NewsSitemapConfig::default(),
            sections: BTreeMap::new(),
            extra: serde_yaml::Value::Mapping(Default::default()),
            ai_disclosure: true,
            labels: LabelsConfig::default(),
            publisher: PublisherConfig::default(),
            publish_hidden: Vec::new(),
            search: SearchConfig::default(),
            front_page: FrontPageConfig::default(),
            images: gazette_images::Settings::default(),
            ai_policy: AiPolicyConfig::default(),
            languages: BTreeMap::new(),
            i18n: i18n::SiteCatalogues::new(),
        }
    }
}

impl Default for RelatedConfig {
    fn default() -> Self {
        Self {
            count: 5,
            tags: 1.0,
            story: 3.0,
            section: 0.5,
            recency: 1.0,
            recency_days: 30.0,
            window: 50,
            max_tag_share: 0.5,
        }
    }
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        Self {
            raw_html: true,
            smart_punctuation: true,
            highlight_code: true,
        }
    }
}

impl Default for FeedsConfig {
    fn default() -> Self {
        Self {
            limit: 20,
            content: FeedContent::Full,
        }
    }
}

impl Default for NewsSitemapConfig {
    fn default() -> Self {
        // Google News takes articles of the last two days.
        Self { days: 2 }
    }
}

pub(crate) const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "timezone",
    "default_author",
    "disclaimer",
    "paginate_by",
    "permalink",
    "date_format",
    "related",
    "markdown",
    "sections",
    "extra",
    "count",
    "tags",
    "story",
    "section",
    "recency",
    "recency_days",
    "window",
    "max_tag_share",
    "raw_html",
    "smart_punctuation",
    "highlight_code",
    "ai_disclosure",
    "labels",
    "eu_icon",
    "publisher",
    "name",
    "url",
    "logo",
    "feeds",
    "limit",
    "content",
    "news_sitemap",
    "days",
    "publish_hidden",
    "search",
    "enabled",
    "front_page",
    "top",
    "stories",
    "images",
    "widths",
    "quality",
    "masthead",
    "ethics_policy",
    "ai_policy",
    "bots",
    "models",
    "sources",
    "review",
    "errors",
    "contact",
    "languages",
];

/// `sections.<folder>` entries that name no folder under content/: a misspelt folder would
/// otherwise leave its section's title unchanged without a word.
fn untitled_folders(root: &Path, config: &Config, source: &yaml::YamlText) -> Vec<Diagnostic> {
    let content = root.join(CONTENT_DIR);
    (config.sections.keys())
        .filter(|folder| !content.join(folder).is_dir())
        .map(|folder| {
            let key = format!("sections.{folder}");
            Diagnostic::warning(
                CONFIG_FILE,
                format!("`{key}` names no folder under {}/", CONTENT_DIR),
                "a section is titled by its folder's name, such as `sections.world` for content/world/",
            )
            .at(yaml::path_position(source, &key))
        })
        .collect()
}

/// `front_page.sections` entries that name no folder under content/: an error, since the
/// front page would lose the block the editors asked for without a word.
fn front_page_folders(root: &Path, config: &Config, source: &yaml::YamlText) -> Vec<Diagnostic> {
    let content = root.join(CONTENT_DIR);
    let blocks = config.front_page.sections.as_deref().unwrap_or_default();
    (blocks.iter())
        .filter(|folder| !is_plain_name(folder) || !content.join(folder).is_dir())
        .map(|folder| {
            Diagnostic::error(
                CONFIG_FILE,
                format!("`front_page.sections`: `{folder}` names no folder under {CONTENT_DIR}/"),
                "name sections by their folder, such as `world` for content/world/",
            )
            .at(yaml::path_position(source, "front_page.sections"))
        })
        .collect()
}

/// One folder name: no path that could leave content/.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\'])
}

impl Settings {
    /// Reads `gazette.yaml` under `root` if it exists; `base_url` overrides the file's. Fails
    /// with every error of the file at once.
    pub fn load(root: &Path, base_url: Option<&str>) -> Result<Warned<Self>, Diagnostics> {
        let file = Path::new(CONFIG_FILE);
        let text = match std::fs::read(root.join(file)) {
            Ok(bytes) => crate::text::decode(file, &bytes).map_err(Diagnostics::from)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                let hint = match e.kind() {
                    std::io::ErrorKind::PermissionDenied => "check the file's permissions",
                    _ => "make gazette.yaml a readable file, or remove it to use the defaults",
                };
                return Err(Diagnostics::from(Diagnostic::error(
                    CONFIG_FILE,
                    format!("cannot read the configuration: {e}"),
                    hint,
                )));
            }
        };
        let source = yaml::YamlText {
            file,
            text: &text,
            first_line: 1,
        };
        let parsed = yaml::parse_all::<Config>(&source, KNOWN_KEYS);
        let mut errors = Diagnostics::from(parsed.errors);
        let Some(mut config) = parsed.value else {
            return Err(errors);
        };
        if let Some(url) = base_url {
            config.base = url.to_string();
        }
        // A value given on the command line is not in the file.
        let locate = |key: &str| {
            (key != "base_url" || base_url.is_none())
                .then(|| yaml::path_position(&source, key))
                .flatten()
        };
        let mut warnings = parsed.warnings;
        match i18n::load(root) {
            Ok(catalogues) => {
                warnings.extend(catalogues.warnings().iter().cloned());
                config.i18n = catalogues.value().clone();
            }
            Err(found) => errors.extend(found.sorted()),
        }
        warnings.extend(untitled_folders(root, &config, &source));
        errors.extend(front_page_folders(root, &config, &source));
        match Self::check_at(config, locate) {
            Ok(settings) if !errors.has_errors() => Ok(Warned::new(settings, warnings)),
            Ok(_) => Err(errors),
            Err(more) => {
                errors.extend(more.sorted());
                Err(errors)
            }
        }
    }

    /// Validates the values serde could not, reporting every bad key at once.
    pub fn check(config: Config) -> Result<Self, Diagnostics> {
        Self::check_at(config, |_| None)
    }

    /// Like `check`, each error placed where `locate` finds its key (such as `feeds.limit`).
    fn check_at(
        config: Config,
        locate: impl Fn(&str) -> Option<Position>,
    ) -> Result<Self, Diagnostics> {
        let mut errors = Diagnostics::default();
        let mut bad = |key: &str, message: String, hint: &str| {
            errors.push(
                Diagnostic::error(CONFIG_FILE, format!("`{key}`: {message}"), hint).at(locate(key)),
            );
        };
        let timezone = TimeZone::get(&config.timezone).unwrap_or_else(|_| {
            bad(
                "timezone",
                format!("`{}` is not a time zone gazette knows", config.timezone),
                "use an IANA name such as Europe/Berlin, or UTC",
            );
            TimeZone::UTC
        });
        let permalink = Pattern::parse(&config.permalink).unwrap_or_else(|e| {
            bad(
                "permalink",
                e,
                "use a pattern such as /:year/:month/:day/:slug/",
            );
            Pattern::default()
        });
        let base = BaseUrl::parse(&config.base).unwrap_or_else(|e| {
            bad("base_url", e, BaseUrl::HINT);
            BaseUrl::default()
        });
        let date_format = config.date_format.as_deref().unwrap_or_default();
        if let Err(e) = PublishDate::check_format(date_format) {
            bad(
                "date_format",
                e,
                "use strftime directives such as %-d %B %Y",
            );
        }
        let publisher = &config.publisher;
        if let Some(url) = publisher.url.as_deref().filter(|u| !is_web_url(u)) {
            bad(
                "publisher.url",
                format!("`{url}` is not an http(s) URL"),
                "give the publisher's full https:// address",
            );
        }
        if let Some(logo) = publisher.logo.as_deref().filter(|l| !is_safe_link(l)) {
            bad(
                "publisher.logo",
                format!("`{logo}` is neither a web address nor a path"),
                "use an https:// URL or a path such as /images/logo.png",
            );
        }
        for (key, link) in [
            ("publisher.masthead", &publisher.masthead),
            ("publisher.ethics_policy", &publisher.ethics_policy),
        ] {
            if let Some(link) = link.as_deref().filter(|l| !is_safe_link(l)) {
                bad(
                    key,
                    format!("`{link}` is neither a web address nor a path"),
                    "use an https:// URL or a path such as /about/",
                );
            }
        }
        let contact = config.ai_policy.contact.as_deref();
        if let Some(contact) = contact.filter(|c| contact_link(c).is_none()) {
            bad(
                "ai_policy.contact",
                format!("`{contact}` is neither an email address nor an http(s) URL"),
                "write an address such as newsroom@example.org or https://example.org/contact/",
            );
        }
        if config.paginate_by == 0 {
            bad(
                "paginate_by",
                "must be at least 1".into(),
                "set it to 10, say",
            );
        }
        if config.feeds.limit == 0 {
            bad(
                "feeds.limit",
                "must be at least 1".into(),
                "set it to 20, say",
            );
        }
        if config.front_page.stories == 0 {
            bad(
                "front_page.stories",
                "must be at least 1".into(),
                "set it to 4, say; leave a section out of `front_page.sections` to show no block",
            );
        }
        let blocks = config.front_page.sections.as_deref().unwrap_or_default();
        for (i, folder) in blocks.iter().enumerate() {
            if blocks[..i].contains(folder) {
                bad(
                    "front_page.sections",
                    format!("`{folder}` is listed twice"),
                    "list each section once",
                );
            }
        }
        if config.news_sitemap.days == 0 {
            bad(
                "news_sitemap.days",
                "must be at least 1".into(),
                "set it to 2, as Google News expects",
            );
        }
        for name in config.publish_hidden.iter().filter(|n| !is_hidden_name(n)) {
            bad(
                "publish_hidden",
                format!("`{name}` is not a hidden file or folder name"),
                "list names that start with a dot and hold no `/`, such as .htaccess",
            );
        }
        for code in config.languages.keys() {
            let key = format!("languages.{code}");
            if !is_language_code(code) {
                bad(
                    &key,
                    format!("`{code}` is not a language code"),
                    "use a lower-case code such as fr, de or pt-br",
                );
            } else if *code == config.language {
                bad(
                    &key,
                    format!("`{code}` is the default `language`"),
                    "list only the other languages under `languages:`",
                );
            } else if crate::url::RESERVED.contains(&code.as_str()) {
                bad(
                    &key,
                    format!(
                        "`{code}` would be the URL /{code}/, which gazette keeps for its own pages"
                    ),
                    "use another code",
                );
            }
        }
        let images = &config.images;
        if images.widths.is_empty() || images.widths.iter().any(|w| !(16..=8000).contains(w)) {
            bad(
                "images.widths",
                "must list widths in pixels, each from 16 to 8000".into(),
                "list them as [480, 800, 1200, 1600], say",
            );
        }
        if !(1..=100).contains(&images.quality) {
            bad(
                "images.quality",
                format!("`{}` is not from 1 to 100", images.quality),
                "set it to 80, say",
            );
        }
        if errors.has_errors() {
            return Err(errors);
        }
        // The default text says the articles were written by AI, which a site that turned the
        // disclosure off says they were not; a disclaimer the site wrote itself stays.
        let mut disclaimer = config.disclaimer;
        if !config.ai_disclosure && disclaimer == DEFAULT_DISCLAIMER {
            disclaimer.clear();
        }
        Ok(Settings {
            title: config.title,
            description: config.description,
            base,
            language: config.language,
            timezone,
            default_author: config.default_author,
            disclaimer,
            paginate_by: config.paginate_by,
            permalink,
            date_format: config.date_format,
            related: config.related,
            markdown: config.markdown,
            feeds: config.feeds,
            news_sitemap: config.news_sitemap,
            sections: config.sections,
            extra: config.extra,
            ai_disclosure: config.ai_disclosure,
            labels: config.labels,
            publisher: config.publisher,
            publish_hidden: config.publish_hidden,
            search: config.search,
            front_page: config.front_page,
            images: config.images,
            ai_policy: config.ai_policy,
            languages: config.languages,
            i18n: config.i18n,
        })
    }

    /// Every language of the site, the default first, then the others by code.
    pub fn language_codes(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.language.as_str()).chain(self.languages.keys().map(String::as_str))
    }

    /// Whether `code` is one of the site's languages.
    pub fn has_language(&self, code: &str) -> bool {
        code == self.language || self.languages.contains_key(code)
    }

    /// The languages a file may name, for the error when it names another.
    pub fn languages_hint(&self) -> String {
        let codes: Vec<String> = self.language_codes().map(|c| format!("`{c}`")).collect();
        format!(
            "the site's languages are {}; add the language to `languages:` in gazette.yaml, or fix the code",
            codes.join(", ")
        )
    }

    /// The settings of the pages in language `code`: its own title, description, disclaimer
    /// and AI policy wording where `languages:` gives them, and its URLs under `/<code>/`. The
    /// default language's settings are these.
    pub fn for_language(&self, code: &str) -> Settings {
        let mut settings = self.clone();
        let Some(own) = self.languages.get(code) else {
            return settings;
        };
        settings.language = code.to_string();
        settings.base.lang = format!("{code}/");
        if let Some(title) = &own.title {
            settings.title = title.clone();
        }
        if let Some(description) = &own.description {
            settings.description = description.clone();
        }
        if let Some(disclaimer) = &own.disclaimer {
            settings.disclaimer = disclaimer.clone();
        }
        if let Some(policy) = &own.ai_policy {
            let p = &mut settings.ai_policy;
            let replace = |mine: &mut Option<String>, theirs: &Option<String>| {
                if theirs.is_some() {
                    *mine = theirs.clone();
                }
            };
            replace(&mut p.sources, &policy.sources);
            replace(&mut p.review, &policy.review);
            replace(&mut p.errors, &policy.errors);
            replace(&mut p.contact, &policy.contact);
            if policy.bots.is_some() {
                p.bots = policy.bots.clone();
            }
            if !policy.models.is_empty() {
                p.models = policy.models.clone();
            }
        }
        settings
    }
}

/// Whether `code` reads as a language tag gazette can put in a URL: lower-case letters, a
/// primary language of two or three, then subtags of letters and digits after `-` (`fr`,
/// `pt-br`, `zh-hant`).
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    let lower = |s: &str| s.bytes().all(|b| b.is_ascii_lowercase());
    let subtag = |s: &str| {
        (1..=8).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    (2..=3).contains(&primary.len()) && lower(primary) && parts.all(subtag)
}

/// The link of the AI policy's `contact`: a `mailto:` link for an email address, the URL
/// itself for an http(s) URL; none for anything else.
pub fn contact_link(contact: &str) -> Option<String> {
    let contact = contact.trim();
    if is_web_url(contact) {
        return Some(contact.to_string());
    }
    let (user, host) = contact.split_once('@')?;
    let plain = |s: &str| {
        !s.is_empty() && !s.contains(|c: char| c.is_whitespace() || "@<>\"/:?#".contains(c))
    };
    (plain(user) && plain(host) && host.contains('.')).then(|| format!("mailto:{contact}"))
}

/// A name such as `.htaccess`: one file or folder name that starts with a dot.
fn is_hidden_name(name: &str) -> bool {
    name.starts_with('.') && name.len() > 1 && name != ".." && !name.contains(['/', '\\'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_ai_disclosure_the_default_disclaimer_goes_and_a_written_one_stays() {
        let off = |disclaimer: &str| Config {
            ai_disclosure: false,
            disclaimer: disclaimer.into(),
            ..Config::default()
        };
        let settings = Settings::check(off(DEFAULT_DISCLAIMER)).unwrap();
        assert_eq!(settings.disclaimer, "");
        let settings = Settings::check(off("Opinions are our own.")).unwrap();
        assert_eq!(settings.disclaimer, "Opinions are our own.");
    }

    #[test]
    fn a_contact_is_an_email_address_or_a_web_url() {
        for (contact, link) in [
            ("desk@digest.example", Some("mailto:desk@digest.example")),
            (" desk@digest.example ", Some("mailto:desk@digest.example")),
            (
                "https://digest.example/contact/",
                Some("https://digest.example/contact/"),
            ),
            ("call us", None),
            ("desk@localhost", None),
            ("@digest.example", None),
            ("a@b@c.example", None),
            ("javascript:alert(1)@x.example", None),
            ("\"><script>@x.example", None),
        ] {
            assert_eq!(contact_link(contact).as_deref(), link, "{contact:?}");
        }
    }

    #[test]
    fn check_reports_every_bad_key() {
        let config = Config {
            timezone: "Mars/Olympus".into(),
            paginate_by: 0,
            publisher: PublisherConfig {
                name: None,
                url: Some("example.org".into()),
                logo: Some("javascript:alert(1)".into()),
                ..PublisherConfig::default()
            },
            feeds: FeedsConfig {
                limit: 0,
                ..FeedsConfig::default()
            },
            news_sitemap: NewsSitemapConfig { days: 0 },
            publish_hidden: vec![".htaccess".into(), "env".into(), "../.ssh".into()],
            ..Config::default()
        };
        let errors = Settings::check(config).unwrap_err().sorted();
        assert_eq!(errors.len(), 8, "{errors:?}");
    }
}
