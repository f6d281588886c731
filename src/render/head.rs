//! What a page's `<head>` tells browsers, search engines and link previews: its title and
//! description, canonical URL, Open Graph and Twitter card values, the AI disclosure, and the
//! JSON-LD of an article.

use serde::Serialize;

use super::Job;
use super::context::month_title;
use super::json_ld;
use super::pagination::ListPage;
use super::pictures::{self, Pictures};
use crate::content::Bot;
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
    /// Whether the page carries `<meta name="ai-disclosure" content="ai-generated">`.
    pub ai_generated: bool,
    /// Serialized JSON-LD, already safe inside `<script>`.
    pub json_ld: Option<String>,
}

/// The title of the AI policy page gazette makes.
pub const AI_POLICY_TITLE: &str = "How we use AI";

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
    pub fn new(site: &Site, job: Job, pictures: &Pictures) -> Self {
        let config = &site.settings;
        let base = &site.settings.base;
        let own = own(site, job, pictures);
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
            // Standalone pages (about, contact), the AI policy, the search and 404 pages are
            // the site's own words.
            ai_generated: config.ai_disclosure
                && !matches!(
                    job,
                    Job::Page(_)
                        | Job::AiPolicy
                        | Job::Alias { .. }
                        | Job::Redirects
                        | Job::Search
                        | Job::NotFound
                ),
            json_ld: own.json_ld,
        }
    }
}

fn own(site: &Site, job: Job, pictures: &Pictures) -> Own {
    let t = &site.taxonomy;
    let name = &site.settings.title;
    let base = &site.settings.base;
    match job {
        Job::Article(i) => {
            let a = &site.articles[i];
            Own {
                title: a.title.clone(),
                description: a.summary.clone(),
                kind: "article",
                image: pictures::cards(a.image.as_ref(), pictures)
                    .next()
                    .and_then(|l| base.absolute_link(&l)),
                json_ld: json_ld::news_article(site, i, pictures),
            }
        }
        Job::Home { .. } => Own::website(name, &site.settings.description),
        Job::Section { section, .. } => {
            let title = &t.sections[section].title;
            Own::website(title, format!("Latest {title} stories from {name}."))
        }
        Job::TagIndex => Own::website("Tags", format!("Every topic covered on {name}.")),
        Job::Tag { tag, .. } => {
            let tag = &t.tags[tag].name;
            Own::website(tag, tag_description(site, tag))
        }
        Job::BotIndex => Own::website(
            "Bots",
            format!("The AI bots that write the articles on {name}."),
        ),
        Job::Bot { bot, .. } => {
            let bot = &site.bots[bot];
            let description = bot_description(bot);
            Own {
                kind: "profile",
                image: bot.avatar.as_deref().and_then(|l| base.absolute_link(l)),
                ..Own::website(&bot.name, description)
            }
        }
        Job::Year { year, .. } => archive(t.years[year].year.to_string(), name),
        Job::Month { year, month, .. } => {
            let first = t.years[year].months[month].articles[0];
            archive(month_title(site, first), name)
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
        Job::Search => Own::website("Search", format!("Search the articles of {name}.")),
        Job::AiPolicy => Own::website(
            AI_POLICY_TITLE,
            format!("How {name} uses AI to write its articles, and who answers for them."),
        ),
        Job::Alias { of, .. } => {
            let title = site.moved(of).title;
            Own::website(title, format!("This page has moved: {title}"))
        }
        Job::NotFound | Job::Stylesheet | Job::Redirects => {
            Own::website("Page not found", &site.settings.description)
        }
    }
}

/// A year's or a month's archive, titled "2026" or "March 2026".
fn archive(title: String, site_name: &str) -> Own {
    Own::website(
        format!("Archive: {title}"),
        format!("Articles published on {site_name} in {title}."),
    )
}

/// How a tag's page and its feeds describe it.
pub(super) fn tag_description(site: &Site, tag: &str) -> String {
    format!("Articles tagged “{tag}” on {}.", site.settings.title)
}

/// How a bot's page and its feeds describe it: its bio, else what it is.
pub(super) fn bot_description(bot: &Bot) -> String {
    bot.bio
        .clone()
        .unwrap_or_else(|| format!("Articles written by {}, an AI bot.", bot.name))
}
