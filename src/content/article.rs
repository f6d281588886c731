//! One digest: a content file turned into a checked `Article`.

use std::path::{Path, PathBuf};

use crate::config::Settings;
use crate::content::front_matter::{
    self, ARTICLE_KEYS, ArticleMeta, ImageMeta, RetractionMeta, SourceMeta, Split,
};
use crate::content::markdown::{self, Heading};
use crate::date::PublishDate;
use crate::error::{Diagnostic, Position, Warned};
use crate::url::link::{self, is_safe_link, is_web_url};
use crate::url::tag_slug;
use crate::url::{PermalinkFields, Slug, UrlPath};
use crate::yaml;

/// The most tags one article may carry. Each tag is a page and three feeds that list the
/// article, so tags multiply what one article costs; a digest carries a handful.
pub const MAX_TAGS: usize = 100;

/// A digest, checked: every field has its final value and the body is rendered.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Article {
    /// The source file, relative to the site root.
    pub file: PathBuf,
    /// The section's folder name, as written.
    pub section: String,
    pub section_slug: Slug,
    pub slug: Slug,
    pub path: UrlPath,
    pub title: String,
    pub date: PublishDate,
    pub updated: Option<PublishDate>,
    /// A bot id, or a name when no profile matches (the site warns about those).
    pub author: Option<String>,
    /// Where `author:` is written, for the warning when it names no profile.
    pub author_position: Option<Position>,
    /// As written, trimmed, each slug once.
    pub tags: Vec<String>,
    /// Where `tags:` is written, for warnings about them.
    pub tags_position: Option<Position>,
    pub summary: String,
    /// Where `summary:` is written; `None` when the summary comes from the body.
    pub summary_position: Option<Position>,
    pub story: Option<String>,
    /// Whether it lists sources: the sources themselves are shown only on its own page, so
    /// they are part of its `Body`.
    pub sourced: bool,
    pub corrections: Vec<Correction>,
    pub draft: bool,
    /// Its picture: on its page, in lists, in feeds and as its card in link previews.
    pub image: Option<ImageMeta>,
    /// Where `image:` is written, for problems with the image.
    pub image_position: Option<Position>,
    /// The images of its body that are files of the site, as written, each where it is written:
    /// pictures are made of them as of `image`.
    pub body_images: Vec<(String, Option<Position>)>,
    /// Pinned as the front page's lead story.
    pub featured: bool,
    /// Old URLs of the article, in the order written, each once: each gets a redirect page.
    pub aliases: Vec<UrlPath>,
    pub disclaimer: Option<String>,
    #[serde(with = "crate::yaml::as_text")]
    pub extra: serde_yaml::Value,
    /// The body's length in words: lists show the reading time it gives.
    pub word_count: usize,
    /// Whether the front matter lets the article into the search index.
    pub search: bool,
    /// The id of the editor who reviewed the article before publication, as written.
    pub reviewed_by: Option<String>,
    /// Where `reviewed_by:` is written, for the error when it names no editor.
    pub reviewed_by_position: Option<Position>,
    /// When and why it was retracted: its page becomes a notice, and it leaves every list.
    pub retracted: Option<Retraction>,
    /// A note an editor wrote about the article, shown above its body.
    pub editor_note: Option<EditorNote>,
    /// The article's language when it is not the site's default.
    pub lang: Option<String>,
    /// What its translations share: `translation_key:`, else its section and file name
    /// without the language's suffix.
    pub translation_key: String,
    /// The language of the version a bot translated this article from.
    pub translated_from: Option<String>,
    /// Where `translated_from` is written.
    pub translated_from_position: Option<Position>,
}

/// What an article's own page and its full-content feed entries show of its body, and
/// nothing else does: the bulk of an article, kept apart from it so that a build need not
/// hold every body (nor save them in its state) to know what to render. A body not at hand
/// is parsed again from the file (`content::body_of`).
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub html: String,
    pub toc: Vec<Heading>,
    /// The reports it was written from: half of what a build would otherwise keep of each
    /// article in its state, for the one page that shows them.
    pub sources: Vec<SourceMeta>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Correction {
    pub date: PublishDate,
    pub text: String,
    /// The id of the editor who wrote it, as written: then a person wrote this part of the page.
    pub by: Option<String>,
    /// Where its `by:` is written, for the error when it names no editor.
    pub by_position: Option<Position>,
}

/// `editor_note:`: words of a person, marked as such, unlike the body the bot wrote.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct EditorNote {
    pub text: String,
    /// The id of the editor who wrote it, as written.
    pub by: String,
    /// Where `editor_note:` is written, for the error when `by` names no editor.
    pub position: Option<Position>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Retraction {
    pub date: PublishDate,
    pub reason: String,
}

/// Everything needed to turn one file into an article.
pub struct Input<'a> {
    pub file: &'a Path,
    pub section: &'a str,
    pub text: &'a str,
    pub settings: &'a Settings,
}

impl Article {
    /// Checks and renders one article file, reporting every problem in it, not only the first.
    pub fn load(input: &Input) -> Result<Warned<(Article, Body)>, Vec<Diagnostic>> {
        let file = input.file;
        let (split, meta) = front_matter::read::<ArticleMeta>(file, input.text, ARTICLE_KEYS)?;
        let (meta, mut warnings) = meta.into_parts();
        let mut errors = Vec::new();
        let article = Checker {
            input,
            split: &split,
            errors: &mut errors,
            warnings: &mut warnings,
        }
        .check(meta);
        match article {
            Some(article) if errors.is_empty() => Ok(Warned::new(article, warnings)),
            _ => Err(errors),
        }
    }

    /// When the article last changed: the latest of its publication, `updated`, corrections
    /// and retraction dates. A correction or a retraction changes what the article says, so
    /// feeds, sitemaps and JSON-LD date it as a change.
    pub fn modified(&self) -> &PublishDate {
        let corrections = self.corrections.iter().map(|c| &c.date);
        let retraction = self.retracted.as_ref().map(|r| &r.date);
        (self.updated.iter().chain(corrections).chain(retraction))
            .fold(&self.date, |latest, date| latest.max(date))
    }

    /// Whether the article is in the site's lists, feeds of tags and bots, related posts,
    /// story threads and search: every article but a retracted one.
    pub fn listed(&self) -> bool {
        self.retracted.is_none()
    }
}

/// Collects the problems of one file while turning its front matter into an `Article`.
struct Checker<'a, 'e> {
    input: &'a Input<'a>,
    split: &'a Split<'a>,
    errors: &'e mut Vec<Diagnostic>,
    warnings: &'e mut Vec<Diagnostic>,
}

impl Checker<'_, '_> {
    fn error(&mut self, key: Option<&str>, message: String, hint: &str) {
        let position = key.and_then(|k| front_matter::position_of(self.split, k));
        self.error_at(position, message, hint);
    }

    /// An error at `position`, or at the opening `---` when the problem has no line of its own.
    fn error_at(&mut self, position: Option<Position>, message: String, hint: &str) {
        let position = position.or(Some(self.split.opening()));
        self.errors
            .push(Diagnostic::error(self.input.file, message, hint).at(position));
    }

    fn check(&mut self, meta: ArticleMeta) -> Option<(Article, Body)> {
        let settings = self.input.settings;
        let language = front_matter::language(
            self.input.file,
            self.split,
            meta.lang.as_deref(),
            settings,
            self.errors,
        );
        let stem = language.stem;
        let translated_from = meta.translated_from.filter(|code| {
            let known = settings.has_language(code);
            if !known {
                let at = front_matter::position_of(self.split, "translated_from");
                self.error_at(
                    at,
                    format!("`translated_from`: `{code}` is not one of the site's languages"),
                    &settings.languages_hint(),
                );
            }
            known
        });
        let from_name = PublishDate::from_file_stem(stem, &settings.timezone);
        let title = self.title(meta.title);
        let date = self.date(meta.date.as_deref(), from_name.as_ref().map(|(d, _)| d));
        let updated = meta
            .updated
            .as_deref()
            .and_then(|u| self.parse_date("updated", u));
        let name_slug = from_name.map_or(stem, |(_, rest)| rest);
        let slug = self.slug(meta.slug.as_deref(), name_slug);
        let (summary, both) =
            front_matter::summary(self.input.file, self.split, meta.summary, meta.description);
        self.warnings.extend(both);
        let section_slug = self.section_slug();
        let corrections = self.corrections(meta.corrections);
        let retracted = meta.retracted.map(|r| self.retraction(r));
        let sources = self.sources(meta.sources);
        let tags = self.tags(meta.tags);
        let aliases = front_matter::aliases(self.input.file, self.split, &meta.aliases)
            .map_err(|e| self.errors.extend(e))
            .ok();
        self.check_link("image", meta.image.as_ref().map(|i| &i.src[..]));
        let (title, date, slug, section_slug) = (title?, date?, slug?, section_slug?);
        // Given and wrong is an error (reported); not given is no retraction.
        let retracted = match retracted {
            Some(checked) => Some(checked?),
            None => None,
        };
        let path = settings.permalink.expand(&PermalinkFields {
            year: date.year(),
            month: date.month(),
            day: date.day(),
            slug: &slug,
            section: &section_slug,
        });
        let body = markdown::render(self.split.body, &settings.markdown, &settings.base.path);
        if let Some(e) = body.nesting_error(self.input.file, self.split) {
            self.errors.push(e);
        }
        let article = Article {
            file: self.input.file.to_path_buf(),
            section: self.input.section.to_string(),
            section_slug,
            slug,
            path,
            title,
            date,
            updated,
            author: meta.author.or_else(|| settings.default_author.clone()),
            author_position: front_matter::position_of(self.split, "author"),
            tags: tags?,
            tags_position: front_matter::position_of(self.split, "tags"),
            summary_position: summary.as_ref().map(|(_, at)| *at),
            summary: summary.map_or_else(|| body.summary.clone(), |(text, _)| text),
            story: meta.story,
            sourced: sources.as_ref().is_some_and(|s| !s.is_empty()),
            corrections: corrections?,
            draft: meta.draft,
            image: meta.image,
            image_position: front_matter::position_of(self.split, "image"),
            body_images: (body.images.iter())
                .map(|(src, at)| {
                    let at = Position::at_offset(self.split.body, *at, self.split.body_line());
                    (src.clone(), Some(at))
                })
                .collect(),
            featured: meta.featured,
            aliases: aliases?,
            disclaimer: meta.disclaimer,
            extra: meta
                .extra
                .unwrap_or(serde_yaml::Value::Mapping(Default::default())),
            word_count: body.word_count,
            search: meta.search.unwrap_or(true),
            reviewed_by: meta.reviewed_by,
            reviewed_by_position: front_matter::position_of(self.split, "reviewed_by"),
            retracted,
            editor_note: meta.editor_note.map(|n| EditorNote {
                text: n.text,
                by: n.by,
                position: front_matter::position_of(self.split, "editor_note"),
            }),
            translation_key: (meta.translation_key)
                .unwrap_or_else(|| format!("{}/{}", self.input.section, language.stem)),
            lang: language.lang,
            translated_from,
            translated_from_position: front_matter::position_of(self.split, "translated_from"),
        };
        let body = Body {
            html: body.html,
            toc: body.toc,
            sources: sources?,
        };
        Some((article, body))
    }

    fn title(&mut self, title: Option<String>) -> Option<String> {
        match title.map(|t| t.trim().to_string()) {
            Some(t) if !t.is_empty() => Some(t),
            Some(_) => {
                self.error(
                    Some("title"),
                    "the title is empty".into(),
                    "give the article a title",
                );
                None
            }
            None => {
                self.error(
                    None,
                    "missing title".into(),
                    "add `title: \"...\"` to the front matter",
                );
                None
            }
        }
    }

    fn date(
        &mut self,
        written: Option<&str>,
        from_name: Option<&Result<PublishDate, String>>,
    ) -> Option<PublishDate> {
        match (written, from_name) {
            (Some(text), _) => self.parse_date("date", text),
            (None, Some(Ok(date))) => Some(date.clone()),
            (None, Some(Err(e))) => {
                self.error(
                    None,
                    format!("the date in the file name: {e}"),
                    "rename the file to start with a real date, or add `date:` to the front matter",
                );
                None
            }
            (None, None) => {
                self.error(
                    None,
                    "missing date".into(),
                    "add `date: YYYY-MM-DD` to the front matter, or start the file name with YYYY-MM-DD-",
                );
                None
            }
        }
    }

    fn parse_date(&mut self, key: &str, text: &str) -> Option<PublishDate> {
        let position = front_matter::position_of(self.split, key);
        self.parse_date_at(key, text, key, position)
    }

    /// Parses a date; `label` names it in the error, which points at the value of the `key`
    /// written at `key_at`.
    fn parse_date_at(
        &mut self,
        label: &str,
        text: &str,
        key: &str,
        key_at: Option<Position>,
    ) -> Option<PublishDate> {
        PublishDate::parse(text, &self.input.settings.timezone)
            .map_err(|e| {
                let yaml = yaml::YamlText {
                    file: self.input.file,
                    text: self.split.yaml,
                    first_line: self.split.yaml_line,
                };
                self.error_at(
                    key_at.map(|at| yaml::value_position(&yaml, at, key)),
                    format!("`{label}`: {e}"),
                    "write it as 2026-03-14 or 2026-03-14T08:30:00+01:00",
                )
            })
            .ok()
    }

    fn slug(&mut self, written: Option<&str>, from_name: &str) -> Option<Slug> {
        let hint = "use a plain name such as port-strike-ends";
        match written {
            Some(text) => Slug::from_user(text)
                .map_err(|e| self.error(Some("slug"), format!("`slug`: {e}"), hint))
                .ok(),
            None => front_matter::slug_from_name(self.input.file, self.split, from_name)
                .map_err(|e| self.errors.push(e))
                .ok(),
        }
    }

    fn section_slug(&mut self) -> Option<Slug> {
        Slug::section(self.input.section)
            .map_err(|e| {
                self.error(
                    None,
                    format!("section folder: {e}"),
                    "rename the folder under content/ to another plain name",
                )
            })
            .ok()
    }

    fn corrections(
        &mut self,
        written: Vec<front_matter::CorrectionMeta>,
    ) -> Option<Vec<Correction>> {
        let positions = front_matter::entry_positions(self.split, "corrections", "date");
        // Only the corrections that name their editor have a `by:`, in order.
        let mut by_positions =
            front_matter::entry_positions(self.split, "corrections", "by").into_iter();
        let parsed: Vec<_> = written
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let position = positions.get(i).copied();
                let label = format!("corrections[{i}].date");
                let by_position = c.by.as_ref().and_then(|_| by_positions.next());
                self.parse_date_at(&label, &c.date, "date", position)
                    .map(|date| Correction {
                        date,
                        text: c.text,
                        by: c.by,
                        by_position,
                    })
            })
            .collect();
        parsed.into_iter().collect()
    }

    /// `retracted:` checked: a date, and a reason, since a retraction that does not say why
    /// tells readers nothing.
    fn retraction(&mut self, written: RetractionMeta) -> Option<Retraction> {
        let key_at = |split, key| {
            front_matter::entry_positions(split, "retracted", key)
                .first()
                .copied()
        };
        let date_at = key_at(self.split, "date");
        let date = self.parse_date_at("retracted.date", &written.date, "date", date_at);
        let reason = written.reason.trim();
        if reason.is_empty() {
            let at = key_at(self.split, "reason")
                .or_else(|| front_matter::position_of(self.split, "retracted"));
            self.error_at(
                at,
                "`retracted.reason` is empty".into(),
                "say in a sentence why the article was retracted",
            );
            return None;
        }
        Some(Retraction {
            date: date?,
            reason: reason.to_string(),
        })
    }

    fn sources(&mut self, sources: Vec<SourceMeta>) -> Option<Vec<SourceMeta>> {
        if sources.iter().all(|s| is_web_url(&s.url)) {
            return Some(sources);
        }
        // Found once for all: a bot may list thousands of sources.
        let positions = front_matter::entry_positions(self.split, "sources", "url");
        let bad = sources
            .iter()
            .enumerate()
            .filter(|(_, s)| !is_web_url(&s.url));
        for (i, source) in bad {
            self.error_at(
                positions.get(i).copied(),
                format!("source url `{}` is not an http(s) URL", source.url),
                "link the report with its full https:// address",
            );
        }
        None
    }

    fn tags(&mut self, tags: Vec<String>) -> Option<Vec<String>> {
        if tags.len() > MAX_TAGS {
            self.error(
                Some("tags"),
                format!(
                    "the article has {} tags; at most {MAX_TAGS} are allowed",
                    tags.len()
                ),
                "keep the few tags that say what the article is about",
            );
            return None;
        }
        let mut tags: Vec<String> = tags.into_iter().map(|t| t.trim().to_string()).collect();
        let mut slugs = Vec::with_capacity(tags.len());
        for tag in &tags {
            match tag_slug(tag).map(|s| s.fitting(tag)) {
                Some(Ok(slug)) => slugs.push(slug),
                Some(Err(e)) => self.error(
                    Some("tags"),
                    format!("a tag is too long for a URL: {e}"),
                    "shorten the tag to a few words",
                ),
                None => self.error(
                    Some("tags"),
                    format!("the tag `{tag}` has no letters or digits to make a URL of"),
                    "use words for tags",
                ),
            }
        }
        if slugs.len() < tags.len() {
            return None;
        }
        let mut seen = std::collections::HashSet::new();
        let mut slugs = slugs.into_iter();
        tags.retain(|_| slugs.next().is_some_and(|s| seen.insert(s)));
        Some(tags)
    }

    fn check_link(&mut self, key: &str, link: Option<&str>) {
        if let Some(link) = link.filter(|l| !is_safe_link(l)) {
            let position = front_matter::position_of(self.split, key).or(Some(Position::new(1, 1)));
            self.errors
                .push(link::refuse(self.input.file, key, link, position));
        }
    }
}
