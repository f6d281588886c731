//! The `Site`: loaded content in its final order plus every index derived from it, computed once.
//! Nothing mutates a `Site` after `Site::new`; rendering only reads it.

pub mod permalink;
pub mod related;
pub mod taxonomy;

use crate::Clock;
use crate::config::Settings;
use crate::content::{Article, Bot, Content, Page};
use crate::error::{Diagnostic, Kind};
use related::{Related, RelatedMemo};
use taxonomy::Taxonomy;

pub struct Site {
    pub settings: Settings,
    /// Newest first; articles of the same moment in file order.
    pub articles: Vec<Article>,
    /// By id.
    pub bots: Vec<Bot>,
    /// By title.
    pub pages: Vec<Page>,
    pub taxonomy: Taxonomy,
    /// For each article, its related posts.
    pub related: Vec<Related>,
    /// What `related` was computed from, for the next `Site` of the same site.
    related_memo: RelatedMemo,
}

impl Site {
    /// Orders and indexes `content`; the warnings are about links between files, such as an
    /// author with no bot profile.
    pub(crate) fn new(
        settings: Settings,
        content: Content,
        clock: &mut Clock,
    ) -> (Site, Vec<Diagnostic>) {
        Self::reusing(settings, content, None, clock)
    }

    /// Like `new`, but reuses the related posts of `memo` (what an earlier `Site` gave back)
    /// where they cannot have changed: they are the costliest index to compute, most edits (a
    /// body, a title, a summary) do not touch them, and an edit of tags reaches only the
    /// articles of those tags.
    pub(crate) fn reusing(
        settings: Settings,
        content: Content,
        memo: Option<RelatedMemo>,
        clock: &mut Clock,
    ) -> (Site, Vec<Diagnostic>) {
        let Content {
            mut articles,
            mut bots,
            mut pages,
            ..
        } = content;
        articles.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.file.cmp(&b.file)));
        bots.sort_by(|a, b| a.id.cmp(&b.id));
        pages.sort_by(|a, b| a.title.cmp(&b.title).then_with(|| a.file.cmp(&b.file)));
        let taxonomy = Taxonomy::new(&articles, &bots, &settings.config);
        let warnings = unknown_authors(&articles, &taxonomy);
        clock.lap("index");
        let config = &settings.config.related;
        let mut related_memo = RelatedMemo::compute(&articles, &taxonomy, config, memo);
        let related = std::mem::take(&mut related_memo.lists);
        clock.lap("related");
        let site = Site {
            settings,
            articles,
            bots,
            pages,
            taxonomy,
            related,
            related_memo,
        };
        (site, warnings)
    }

    /// Gives back the settings and the content, so that a rebuild can reuse what did not change
    /// instead of loading it again.
    pub fn into_parts(self) -> (Settings, Content, RelatedMemo) {
        let content = Content {
            articles: self.articles,
            bots: self.bots,
            pages: self.pages,
            future: Vec::new(),
        };
        let mut memo = self.related_memo;
        memo.lists = self.related;
        (self.settings, content, memo)
    }

    /// The profile of an article's author, if it has one.
    pub fn bot_of(&self, article: usize) -> Option<&Bot> {
        self.taxonomy.article_bot[article].map(|b| &self.bots[b])
    }

    /// The disclaimer an article carries: its own, else its bot's, else the site's.
    pub fn disclaimer_of(&self, article: usize) -> &str {
        let a = &self.articles[article];
        a.disclaimer
            .as_deref()
            .or_else(|| self.bot_of(article).and_then(|b| b.disclaimer.as_deref()))
            .unwrap_or(&self.settings.config.disclaimer)
    }
}

fn unknown_authors(articles: &[Article], taxonomy: &Taxonomy) -> Vec<Diagnostic> {
    articles
        .iter()
        .zip(&taxonomy.article_bot)
        .filter_map(|(article, bot)| match (&article.author, bot) {
            (Some(author), None) => Some(
                Diagnostic::warning(
                    &article.file,
                    format!("the author `{author}` has no bot profile; shown as plain text"),
                    format!("add content/bots/{author}.md, or fix the id"),
                )
                .at(article.author_position)
                .kind(
                    Kind::new("authors with no bot profile, shown as plain text")
                        .about(format!("`{author}`"))
                        .hint("add a bot profile for each, or fix the ids; --verbose says how"),
                ),
            ),
            _ => None,
        })
        .collect()
}
