//! The `Site`: loaded content in its final order plus every index derived from it, computed once.
//! Nothing mutates a `Site` after `Site::reusing`; rendering only reads it.

pub mod language;
pub mod record;
pub mod related;
pub mod taxonomy;

use std::path::Path;

use crate::clock::Clock;
use crate::config::{AiPolicyConfig, DEFAULT_DISCLAIMER, Settings};
use crate::content::{Article, Bot, Content, Editor, Page};
use crate::error::{Diagnostic, Diagnostics, Kind, Position, Warned};
use crate::folders::{BOTS_DIR, EDITORS_DIR};
use crate::i18n::Words;
use crate::url::{AI_POLICY, Slug, UrlPath};
use related::{Related, RelatedMemo};
use taxonomy::{Tag, Taxonomy};

/// What has `aliases`: an article or a standalone page, by its index in the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aliased {
    Article(usize),
    Page(usize),
}

/// What an alias leads to, borrowed from the article or page.
pub struct Moved<'a> {
    pub file: &'a Path,
    pub path: &'a UrlPath,
    pub title: &'a str,
    pub aliases: &'a [UrlPath],
}

/// Where the AI policy page comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AiPolicy {
    /// Made by gazette from `ai_policy` in gazette.yaml.
    Generated,
    /// The site's own page, `content/pages/ai-policy.md` (by its index in `Site::pages`).
    Page(usize),
}

pub struct Site {
    pub settings: Settings,
    /// Newest first; articles of the same moment in file order.
    pub articles: Vec<Article>,
    /// By id.
    pub bots: Vec<Bot>,
    /// By id.
    pub editors: Vec<Editor>,
    /// By title.
    pub pages: Vec<Page>,
    pub taxonomy: Taxonomy,
    /// For each article, its related posts.
    pub related: Vec<Related>,
    /// Whether any article names the editor who reviewed it.
    pub any_reviewed: bool,
    /// What `related` was computed from, for the next `Site` of the same site.
    related_memo: RelatedMemo,
    /// The theme's words, dates and numbers in the site's language.
    pub words: Words,
}

impl Site {
    /// Orders and indexes `content`; the warnings are about links between files, such as an
    /// author with no bot profile. Reuses the related posts of `memo` (what an earlier `Site`
    /// gave back) where they cannot have changed: they are the costliest index to compute, most
    /// edits (a body, a title, a summary) do not touch them, and a new article or an edit of
    /// tags reaches only the articles near it in time in its tags and section.
    pub(crate) fn reusing(
        settings: Settings,
        content: Content,
        memo: Option<RelatedMemo>,
        clock: &mut Clock,
    ) -> Warned<Site> {
        let Content {
            mut articles,
            mut bots,
            mut editors,
            mut pages,
            ..
        } = content;
        articles.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.file.cmp(&b.file)));
        bots.sort_by(|a, b| a.id.cmp(&b.id));
        editors.sort_by(|a, b| a.id.cmp(&b.id));
        pages.sort_by(|a, b| a.title.cmp(&b.title).then_with(|| a.file.cmp(&b.file)));
        let taxonomy = Taxonomy::new(&articles, &bots, &settings);
        let mut warnings = unknown_authors(&articles, &taxonomy);
        warnings.extend(taxonomy::shared_tag_urls(
            &articles,
            &taxonomy,
            &settings.base,
        ));
        clock.lap("index");
        let config = &settings.related;
        let mut related_memo = RelatedMemo::compute(&articles, &taxonomy, config, memo);
        let related = std::mem::take(&mut related_memo.lists);
        clock.lap("related");
        let any_reviewed = articles.iter().any(|a| a.reviewed_by.is_some());
        let words = Words::new(
            &settings.language,
            &settings.i18n,
            settings.date_format.clone(),
        );
        let site = Site {
            any_reviewed,
            words,
            settings,
            articles,
            bots,
            editors,
            pages,
            taxonomy,
            related,
            related_memo,
        };
        Warned::new(site, warnings)
    }

    /// Gives back the settings and the content, so that a rebuild can reuse what did not change
    /// instead of loading it again.
    pub fn into_parts(self) -> (Settings, Content, RelatedMemo) {
        let content = Content {
            articles: self.articles,
            bots: self.bots,
            editors: self.editors,
            pages: self.pages,
            future: Vec::new(),
        };
        let mut memo = self.related_memo;
        memo.lists = self.related;
        (self.settings, content, memo)
    }

    /// The AI policy page: the site's `content/pages/ai-policy.md` when it has one (it replaces
    /// the generated page), else the page gazette makes when the site discloses AI or writes an
    /// `ai_policy`; none on a site that has neither.
    pub fn ai_policy(&self) -> Option<AiPolicy> {
        let path = UrlPath::folder(AI_POLICY);
        if let Some(i) = self.pages.iter().position(|p| p.path == path) {
            return Some(AiPolicy::Page(i));
        }
        let settings = &self.settings;
        (settings.ai_disclosure || settings.ai_policy != AiPolicyConfig::default())
            .then_some(AiPolicy::Generated)
    }

    /// The URL of the AI policy page, when the site has one.
    pub fn ai_policy_url(&self) -> Option<String> {
        let base = &self.settings.base;
        self.ai_policy()
            .map(|_| UrlPath::folder(AI_POLICY).url(base))
    }

    /// Every article and page that has aliases, articles first, in the site's order.
    pub fn aliased(&self) -> impl Iterator<Item = Aliased> + '_ {
        let articles = (self.articles.iter().enumerate())
            .filter(|(_, a)| !a.aliases.is_empty())
            .map(|(i, _)| Aliased::Article(i));
        let pages = (self.pages.iter().enumerate())
            .filter(|(_, p)| !p.aliases.is_empty())
            .map(|(i, _)| Aliased::Page(i));
        articles.chain(pages)
    }

    /// The article or page `of`, as its aliases lead to it.
    pub fn moved(&self, of: Aliased) -> Moved<'_> {
        match of {
            Aliased::Article(i) => {
                let a = &self.articles[i];
                Moved {
                    file: &a.file,
                    path: &a.path,
                    title: &a.title,
                    aliases: &a.aliases,
                }
            }
            Aliased::Page(i) => {
                let p = &self.pages[i];
                Moved {
                    file: &p.file,
                    path: &p.path,
                    title: &p.title,
                    aliases: &p.aliases,
                }
            }
        }
    }

    /// The profile of an article's author, if it has one.
    pub fn bot_of(&self, article: usize) -> Option<&Bot> {
        self.taxonomy.article_bot[article].map(|b| &self.bots[b])
    }

    /// The editor whose id is `id`, if there is one.
    pub fn editor(&self, id: &str) -> Option<&Editor> {
        let found = self.editors.binary_search_by(|e| e.id.as_str().cmp(id));
        found.ok().map(|e| &self.editors[e])
    }

    /// The editor who reviewed an article, if one did.
    pub fn reviewer_of(&self, article: usize) -> Option<&Editor> {
        let id = self.articles[article].reviewed_by.as_deref()?;
        self.editor(id)
    }

    /// Every `reviewed_by`, correction `by` and editor's note `by` that names no editor: an
    /// error each, unlike an author with no bot profile, since a review is a claim the site
    /// makes about a person.
    pub fn unknown_editors(&self) -> Diagnostics {
        let mut errors = Diagnostics::default();
        for a in &self.articles {
            let corrections = a
                .corrections
                .iter()
                .map(|c| (c.by.as_ref(), c.by_position, "by"));
            let note = (a.editor_note.iter()).map(|n| (Some(&n.by), n.position, "editor_note.by"));
            let reviewer = (
                a.reviewed_by.as_ref(),
                a.reviewed_by_position,
                "reviewed_by",
            );
            let named = std::iter::once(reviewer).chain(corrections).chain(note);
            for (id, position, key) in named {
                let Some(id) = id.filter(|id| self.editor(id).is_none()) else {
                    continue;
                };
                errors.push(
                    Diagnostic::error(
                        &a.file,
                        format!("`{key}: {id}` names no editor"),
                        self.editors_hint(id),
                    )
                    .at(position),
                );
            }
        }
        errors
    }

    /// What to do about an editor id that names no profile: the editors there are, the first
    /// few of a long list.
    fn editors_hint(&self, id: &str) -> String {
        const NAMED: usize = 8;
        let file = format!("content/{EDITORS_DIR}/{id}.md");
        if self.editors.is_empty() {
            return format!("there are no editors yet: add {file} with `name:`");
        }
        let mut ids: Vec<String> = (self.editors.iter().take(NAMED))
            .map(|e| format!("`{}`", e.id))
            .collect();
        if self.editors.len() > NAMED {
            ids.push(format!("{} more", self.editors.len() - NAMED));
        }
        format!(
            "the editors are {}; fix the id, or add {file}",
            ids.join(", ")
        )
    }

    /// An article's tags, each with the spelling the article wrote: tags that slug alike share
    /// a page, but an article shows its tag as its author wrote it. The two lists pair up
    /// because the loader keeps only tags that slug, and each slug once (see `tags` in content/article.rs).
    pub fn tags_of(&self, article: usize) -> impl Iterator<Item = (&Tag, &str)> {
        let written = self.articles[article].tags.iter().map(String::as_str);
        let tags = self.taxonomy.article_tags[article].iter();
        tags.map(|&t| &self.taxonomy.tags[t]).zip(written)
    }

    /// Who wrote an article: its bot when `author` names a profile, else the name it gives.
    pub fn author_of(&self, article: usize) -> Byline<'_> {
        match (self.bot_of(article), &self.articles[article].author) {
            (Some(bot), _) => Byline::Bot(bot),
            (None, Some(name)) => Byline::Name(name),
            (None, None) => Byline::Unsigned,
        }
    }

    /// The disclaimer an article carries: its own, else its bot's, else the site's.
    pub fn disclaimer_of(&self, article: usize) -> &str {
        let a = &self.articles[article];
        a.disclaimer
            .as_deref()
            .or_else(|| self.bot_of(article).and_then(|b| b.disclaimer.as_deref()))
            .unwrap_or_else(|| self.default_disclaimer("disclaimer_article"))
    }

    /// The site's `disclaimer`, or where it kept the default, the default's wording in the
    /// site's language: `disclaimer_article` on an article, `disclaimer_site` elsewhere.
    pub fn default_disclaimer(&self, key: &'static str) -> &str {
        if self.settings.disclaimer == DEFAULT_DISCLAIMER {
            self.words.text(key)
        } else {
            &self.settings.disclaimer
        }
    }
}

/// Who wrote an article, as `Site::author_of` decides it.
pub enum Byline<'a> {
    /// A bot with a profile.
    Bot(&'a Bot),
    /// A name with no profile behind it.
    Name(&'a str),
    /// No `author` at all.
    Unsigned,
}

fn unknown_authors(articles: &[Article], taxonomy: &Taxonomy) -> Vec<Diagnostic> {
    articles
        .iter()
        .zip(&taxonomy.article_bot)
        .filter_map(|(article, bot)| match (&article.author, bot) {
            (Some(author), None) => Some(unknown_author(
                &article.file,
                author,
                article.author_position,
            )),
            _ => None,
        })
        .collect()
}

/// The warning about `author`, written in `file` at `position`, that names no bot profile;
/// `gazette new` gives the same.
pub fn unknown_author(file: &Path, author: &str, position: Option<Position>) -> Diagnostic {
    Diagnostic::warning(
        file,
        "the author has no bot profile; shown as plain text",
        profile_hint(author),
    )
    .at(position)
    .kind(
        Kind::new("authors with no bot profile, shown as plain text")
            .about(format!("`{author}`"))
            .hint("add a bot profile for each, or fix the ids; --verbose says how"),
    )
}

/// What to do about an author with no profile: name the file to create with an id that works
/// (bot ids are slugs), and the `author:` to write when that id is not what the article says.
fn profile_hint(author: &str) -> String {
    match Slug::from_text(author) {
        Some(id) if id.as_str() == author => {
            format!("`{author}`: add content/{BOTS_DIR}/{author}.md, or fix the id")
        }
        Some(id) => format!(
            "`{author}`: add content/{BOTS_DIR}/{id}.md with `name: {author}`, and write \
             `author: {id}` in the article"
        ),
        None => format!("`{author}`: write the id of a bot profile of content/{BOTS_DIR}/"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_hints_suggest_an_id_that_works() {
        assert_eq!(
            profile_hint("wirebot"),
            "`wirebot`: add content/bots/wirebot.md, or fix the id"
        );
        assert_eq!(
            profile_hint("The Rust Core Team"),
            "`The Rust Core Team`: add content/bots/the-rust-core-team.md with \
             `name: The Rust Core Team`, and write `author: the-rust-core-team` in the article"
        );
    }
}
