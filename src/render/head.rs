//! What a page's `<head>` tells browsers, search engines and link previews: its title and
//! description, canonical URL, Open Graph and Twitter card values, the AI disclosure, and the
//! JSON-LD of an article.

use serde::Serialize;

use super::Job;
use super::alternates::AlternatesView;
use super::context::month_title;
use super::disclosure::Disclosure;
use super::json_ld;
use super::pagination::ListPage;
use super::pictures::{self, Pictures};
use crate::content::Bot;
use crate::content::front_matter::SourceMeta;
use crate::site::Site;

/// The `head` every template gets.
#[derive(Debug, Hash, Serialize)]
pub struct Head {
    /// The page's own name (`og:title`), with its page number on later pages of a list.
    pub title: String,
    /// The `<title>`: the page's name and the site's.
    pub document_title: String,
    pub description: String,
    /// The absolute canonical URL; none when `base_url` has no host.
    pub url: Option<String>,
    /// `og:type`.
    pub kind: &'static str,
    /// The absolute URL of the card image, if the page has one.
    pub image: Option<String>,
    /// The value of the page's `<meta name="ai-disclosure">`, if it has one (see `disclosure`).
    pub ai_disclosure: Option<Disclosure>,
    /// Serialized JSON-LD, already safe inside `<script>`.
    pub json_ld: Option<String>,
    /// Whether search engines are asked not to index the page (a retracted article's).
    pub noindex: bool,
}

/// What a kind of page says about itself, before the site-wide parts are added.
struct Own {
    title: String,
    description: String,
    kind: &'static str,
    image: Option<String>,
    json_ld: Option<String>,
}

impl Own {
    fn website(title: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            description: description.into(),
            kind: "website",
            image: None,
            json_ld: None,
        }
    }
}

impl Head {
    /// The head of page `job`, whose versions in the other languages are `alternates`; an
    /// article's page names its `sources` (from its body) in its JSON-LD.
    pub fn new(
        site: &Site,
        job: Job,
        sources: &[SourceMeta],
        pictures: &Pictures,
        alternates: Option<&AlternatesView>,
    ) -> Self {
        let config = &site.settings;
        let base = &site.settings.base;
        let own = own(site, job, sources, pictures, alternates);
        let title = match job.page() {
            ListPage::Latest => own.title,
            ListPage::Numbered(n) => format!("{} — page {n}", own.title),
        };
        let document_title = if matches!(job, Job::Home { .. }) {
            title.clone()
        } else {
            format!("{title} — {}", config.title)
        };
        Self {
            document_title,
            title,
            description: own.description,
            url: base.canonical_url(&job.path(site).url(base)),
            kind: own.kind,
            image: own.image,
            ai_disclosure: page_disclosure(site, job),
            json_ld: own.json_ld,
            noindex: matches!(job, Job::Article(i) if !site.taxonomy.is_listed(i)),
        }
    }
}

fn own(
    site: &Site,
    job: Job,
    sources: &[SourceMeta],
    pictures: &Pictures,
    alternates: Option<&AlternatesView>,
) -> Own {
    let t = &site.taxonomy;
    let name = &site.settings.title;
    let base = &site.settings.base;
    let words = &site.words;
    match job {
        // Its summary, image and JSON-LD are what it said: none of it is shown.
        Job::Article(i) if !t.is_listed(i) => {
            let a = &site.articles[i];
            let reason = a.retracted.as_ref().map_or("", |r| &r.reason);
            Own {
                kind: "article",
                ..Own::website(
                    &a.title,
                    words.fill("description_retracted", &[("reason", reason)]),
                )
            }
        }
        Job::Article(i) => {
            let a = &site.articles[i];
            Own {
                title: a.title.clone(),
                description: a.summary.clone(),
                kind: "article",
                image: pictures::cards(a.image.as_ref(), pictures)
                    .next()
                    .and_then(|l| base.absolute_link(&l)),
                json_ld: json_ld::news_article(site, i, sources, pictures, alternates),
            }
        }
        Job::Home { .. } => Own::website(name, &site.settings.description),
        Job::Section { section, .. } => {
            let title = &t.sections[section].title;
            let values = [("section", title.as_str()), ("site", name)];
            Own::website(title, words.fill("description_section", &values))
        }
        Job::TagIndex => Own::website(
            words.text("tags"),
            words.fill("description_tags", &[("site", name)]),
        ),
        Job::Tag { tag, .. } => {
            let tag = &t.tags[tag].name;
            Own::website(tag, tag_description(site, tag))
        }
        Job::BotIndex => Own::website(
            words.text("bots"),
            words.fill("description_bots", &[("site", name)]),
        ),
        Job::Bot { bot, .. } => {
            let bot = &site.bots[bot];
            let description = bot_description(site, bot);
            Own {
                kind: "profile",
                image: bot.avatar.as_deref().and_then(|l| base.absolute_link(l)),
                ..Own::website(&bot.name, description)
            }
        }
        Job::Year { year, .. } => archive(site, t.years[year].year.to_string()),
        Job::Month { year, month, .. } => {
            let first = t.years[year].months[month].articles[0];
            archive(site, month_title(site, first))
        }
        Job::Page(i) => {
            let p = &site.pages[i];
            let description = if p.summary.is_empty() {
                &site.settings.description
            } else {
                &p.summary
            };
            Own::website(&p.title, description)
        }
        Job::EditorIndex => Own::website(
            words.text("editors"),
            words.fill("description_editors", &[("site", name)]),
        ),
        Job::Editor(e) => {
            let editor = &site.editors[e];
            let description = match &editor.role {
                Some(role) => words.fill(
                    "description_editor_role",
                    &[("editor", &editor.name), ("role", role), ("site", name)],
                ),
                None => words.fill(
                    "description_editor",
                    &[("editor", &editor.name), ("site", name)],
                ),
            };
            Own {
                kind: "profile",
                image: editor.avatar.as_deref().and_then(|l| base.absolute_link(l)),
                ..Own::website(&editor.name, description)
            }
        }
        Job::Search => Own::website(
            words.text("search"),
            words.fill("description_search", &[("site", name)]),
        ),
        Job::Corrections { .. } => {
            Own::website(words.text("corrections"), corrections_description(site))
        }
        Job::AiPolicy => Own::website(
            words.text("how_we_use_ai"),
            words.fill("description_ai_policy", &[("site", name)]),
        ),
        Job::Alias { of, .. } => {
            let title = site.moved(of).title;
            Own::website(title, words.fill("description_moved", &[("title", title)]))
        }
        Job::NotFound | Job::Stylesheet | Job::Redirects => {
            Own::website(words.text("page_not_found"), &site.settings.description)
        }
    }
}

/// What a page as a whole says of how its text was written. An article, its own value. A list
/// of articles shows their titles and summaries, which bots wrote: `ai-autonomous` while no
/// article of the site was reviewed; once some are, a list may mix reviewed and unreviewed
/// text, which no one value of the report describes (it dropped `mixed`), so the list makes no
/// page-wide claim and each article's page makes its own. Other pages (standalone pages, the
/// indexes of tags, bots and editors, search, 404) are the site's own words and claim nothing.
fn page_disclosure(site: &Site, job: Job) -> Option<Disclosure> {
    match job {
        // A retracted article's page is the newsroom's notice; its AI-written body is gone.
        Job::Article(i) if !site.taxonomy.is_listed(i) => None,
        Job::Article(i) => Disclosure::of_article(site, i),
        Job::Home { .. }
        | Job::Section { .. }
        | Job::Tag { .. }
        | Job::Bot { .. }
        | Job::Year { .. }
        | Job::Month { .. } => {
            let unreviewed = site.settings.ai_disclosure && !site.any_reviewed;
            unreviewed.then_some(Disclosure::AiAutonomous)
        }
        Job::TagIndex
        | Job::BotIndex
        | Job::EditorIndex
        | Job::Editor(_)
        | Job::Page(_)
        | Job::Search
        | Job::Corrections { .. }
        | Job::AiPolicy
        | Job::Alias { .. }
        | Job::Redirects
        | Job::NotFound
        | Job::Stylesheet => None,
    }
}

/// A year's or a month's archive, titled "2026" or "March 2026".
fn archive(site: &Site, title: String) -> Own {
    let values = [("period", title.as_str()), ("site", &site.settings.title)];
    Own::website(
        site.words.fill("archive_title", &values),
        site.words.fill("description_archive", &values),
    )
}

/// How `/corrections/` and its feeds describe it.
pub(super) fn corrections_description(site: &Site) -> String {
    (site.words).fill("description_corrections", &[("site", &site.settings.title)])
}

/// How a tag's page and its feeds describe it.
pub(super) fn tag_description(site: &Site, tag: &str) -> String {
    let values = [("tag", tag), ("site", &site.settings.title)];
    site.words.fill("description_tag", &values)
}

/// How a bot's page and its feeds describe it: its bio, else what it is.
pub(super) fn bot_description(site: &Site, bot: &Bot) -> String {
    (bot.bio.clone()).unwrap_or_else(|| (site.words).fill("description_bot", &[("bot", &bot.name)]))
}
