//! Feeds: the newest articles as Atom 1.0, RSS 2.0 and JSON Feed 1.1, for the whole site, for
//! each tag and for each bot, and the newest corrections and retractions (`/corrections/`),
//! with every URL in them absolute under the base URL. A retracted article stays in the site's
//! feed, its entry saying that it was retracted instead of what it said.
//!
//! Each feed lists at most `feeds.limit` entries, so the work grows with the feeds, not with
//! feeds × articles. Entries are built per feed and dropped with it: most articles are listed
//! by one or two feeds, so sharing them would save little work and hold every entry at once.

mod atom;
mod json;
mod links;
mod rss;

use rayon::prelude::*;

use std::hash::{Hash, Hasher};

use super::inputs::Keying;
use super::{Bodies, RenderedFile, Sink, head};
use crate::config::FeedContent;
use crate::date::PublishDate;
use crate::error::{Diagnostic, Diagnostics};
use crate::site::record::{Notice, What};
use crate::site::{Byline, Site};
use crate::url::UrlPath;
use crate::url::{BaseUrl, CORRECTIONS};
use links::Resolver;

/// The name gazette gives itself in feeds.
const GENERATOR: &str = "gazette";

/// The formats every feed is written in, each as a file beside the page the feed follows.
#[derive(Debug, Clone, Copy)]
enum Format {
    Atom,
    Rss,
    Json,
}

/// How many files each feed is written as.
pub(super) const FILES_PER_FEED: usize = Format::ALL.len();

impl Format {
    const ALL: [Format; 3] = [Format::Atom, Format::Rss, Format::Json];

    fn file_name(self) -> &'static str {
        match self {
            Format::Atom => "atom.xml",
            Format::Rss => "rss.xml",
            Format::Json => "feed.json",
        }
    }

    fn write(self, channel: &Channel) -> Result<Vec<u8>, String> {
        match self {
            Format::Atom => atom::write(channel),
            Format::Rss => rss::write(channel),
            Format::Json => json::write(channel),
        }
    }
}

/// What a feed follows: the whole site, one tag, one bot, or the record of corrections.
#[derive(Debug, Clone, Copy)]
enum Scope {
    Site,
    Tag(usize),
    Bot(usize),
    Corrections,
}

impl Scope {
    fn all(site: &Site) -> impl Iterator<Item = Scope> {
        let tags = (0..site.taxonomy.tags.len()).map(Scope::Tag);
        let bots = (0..site.bots.len()).map(Scope::Bot);
        std::iter::once(Scope::Site)
            .chain(tags)
            .chain(bots)
            .chain([Scope::Corrections])
    }

    /// The newest `limit` articles the feed lists, newest first.
    fn newest(self, site: &Site, limit: usize) -> Vec<usize> {
        let t = &site.taxonomy;
        match self {
            Scope::Site => (0..site.articles.len().min(limit)).collect(),
            Scope::Tag(tag) => t.tags[tag].articles.iter().take(limit).copied().collect(),
            Scope::Bot(bot) => t.bot_articles[bot].iter().take(limit).copied().collect(),
            Scope::Corrections => Vec::new(),
        }
    }

    /// The newest `limit` corrections and retractions the feed lists, newest first.
    fn notices(self, site: &Site, limit: usize) -> Vec<Notice> {
        match self {
            Scope::Corrections => site.taxonomy.record.iter().take(limit).copied().collect(),
            _ => Vec::new(),
        }
    }

    /// The page the feed follows; its files sit in the same folder.
    fn page(self, site: &Site) -> UrlPath {
        match self {
            Scope::Site => UrlPath::root(),
            Scope::Tag(tag) => site.taxonomy.tags[tag].path.clone(),
            Scope::Bot(bot) => site.bots[bot].path.clone(),
            Scope::Corrections => UrlPath::folder(CORRECTIONS),
        }
    }

    /// The feed's title and description, as the page it follows words them.
    fn title_and_description(self, site: &Site) -> (String, String) {
        let config = &site.settings;
        let name = &config.title;
        match self {
            Scope::Site => (name.clone(), config.description.clone()),
            Scope::Tag(tag) => {
                let tag = &site.taxonomy.tags[tag].name;
                (format!("{tag} — {name}"), head::tag_description(site, tag))
            }
            Scope::Bot(bot) => {
                let bot = &site.bots[bot];
                let about = head::bot_description(site, bot);
                (format!("{} — {name}", bot.name), about)
            }
            Scope::Corrections => (
                format!("{} — {name}", site.words.text("corrections")),
                head::corrections_description(site),
            ),
        }
    }
}

/// What a feed shows of one article besides the article's own file, whose revision stands for
/// the rest in the feed's key: the key hashes this, and the entry is made from it.
#[derive(Hash)]
struct Shown<'s> {
    author: Author<'s>,
    /// Ends the entry's content when feeds carry whole articles.
    disclaimer: &'s str,
}

impl<'s> Shown<'s> {
    fn of(site: &'s Site, i: usize) -> Self {
        Self {
            author: Author::of(site, i),
            disclaimer: site.disclaimer_of(i),
        }
    }
}

/// One article, or one correction or retraction, as every feed shows it.
struct Entry<'s> {
    /// What identifies the entry for good: the article's URL, or for a notice the URL with
    /// which notice of the article it is.
    id: String,
    title: String,
    /// The article's page, absolute.
    url: String,
    published: PublishDate,
    updated: Option<PublishDate>,
    /// When the article last changed.
    modified: PublishDate,
    author: Author<'s>,
    /// The names of its tags, as written.
    categories: Vec<String>,
    /// Plain text.
    summary: String,
    /// The whole article as HTML with absolute links, when feeds carry whole articles.
    content: Option<String>,
    /// The card image, absolute.
    image: Option<String>,
}

impl<'s> Entry<'s> {
    fn new(site: &Site, i: usize, shown: Shown<'s>, bodies: &Bodies) -> Result<Self, Diagnostic> {
        let a = &site.articles[i];
        let base = &site.settings.base;
        let url = a.path.absolute_url(base);
        let resolver = Resolver::new(&url);
        // A retracted article's entry says that, and nothing of what the article said.
        let retraction = (a.retracted.as_ref()).map(|r| {
            let date = site.words.date(&r.date);
            site.words
                .fill("retracted_on", &[("date", &date), ("reason", &r.reason)])
        });
        let content = match (site.settings.feeds.content, &retraction) {
            (_, Some(notice)) => Some(paragraph(notice)),
            (FeedContent::Summary, None) => None,
            (FeedContent::Full, None) => {
                let html = resolver.rewrite(&bodies.take(i)?.html).map_err(|e| {
                    Diagnostic::error(
                        &a.file,
                        format!("cannot make the links absolute for the feeds: {e}"),
                        "check the raw HTML in the article's body",
                    )
                })?;
                Some(with_disclaimer(html, shown.disclaimer))
            }
        };
        let title = match retraction {
            Some(_) => (site.words).fill("feed_retracted", &[("title", &a.title)]),
            None => a.title.clone(),
        };
        Ok(Entry {
            id: url.clone(),
            title,
            published: a.date.clone(),
            updated: a.updated.clone(),
            modified: a.modified().clone(),
            author: shown.author,
            categories: site.tags_of(i).map(|(_, name)| name.into()).collect(),
            summary: retraction.unwrap_or_else(|| a.summary.clone()),
            content,
            image: (a.image.as_ref())
                .filter(|_| a.listed())
                .map(|i| resolver.resolve(&i.src)),
            url,
        })
    }

    /// A correction or a retraction, as its own entry: dated when it was made, by the site,
    /// linking to where the article's page shows it.
    fn notice(site: &'s Site, notice: Notice) -> Self {
        let a = &site.articles[notice.article];
        let base = &site.settings.base;
        let article_url = a.path.absolute_url(base);
        let (date, text) = notice.of(&site.articles);
        let kind = match notice.what {
            What::Correction(_) => "feed_correction",
            What::Retraction => "feed_retracted",
        };
        let title = &a.title;
        // The catalogue's text is escaped before the link, which is markup, is filled in.
        let about = quick_xml::escape::escape(site.words.text("feed_about"));
        let link = quick_xml::escape::escape(&article_url);
        let article = format!(
            "<a href=\"{link}\">{}</a>",
            quick_xml::escape::escape(title)
        );
        let about = crate::i18n::fill(&about, |name| (name == "article").then_some(&article[..]));
        let content = format!("{}<p>{about}</p>\n", paragraph(text));
        Entry {
            id: format!("{article_url}#{}", notice.id()),
            title: site.words.fill(kind, &[("title", title)]),
            url: format!("{article_url}#{}", notice.fragment()),
            published: date.clone(),
            updated: None,
            modified: date.clone(),
            author: Author {
                name: &site.settings.title,
                url: None,
            },
            categories: Vec::new(),
            summary: text.to_string(),
            content: Some(content),
            image: None,
        }
    }
}

/// Plain `text` as an HTML paragraph.
fn paragraph(text: &str) -> String {
    format!("<p>{}</p>\n", quick_xml::escape::escape(text))
}

/// Feed readers show no page footer, so the AI disclaimer travels with the article.
fn with_disclaimer(mut html: String, disclaimer: &str) -> String {
    let text = quick_xml::escape::escape(disclaimer);
    html.push_str(&format!(
        "<p class=\"disclaimer\"><strong>AI disclosure:</strong> {text}</p>\n"
    ));
    html
}

/// Who wrote an entry: the bot with its page, else the name the article gives, else the site.
#[derive(Hash)]
struct Author<'s> {
    name: &'s str,
    url: Option<String>,
}

impl<'s> Author<'s> {
    fn of(site: &'s Site, i: usize) -> Self {
        match site.author_of(i) {
            Byline::Bot(bot) => Author {
                name: &bot.name,
                url: Some(bot.path.absolute_url(&site.settings.base)),
            },
            Byline::Name(name) => Author { name, url: None },
            Byline::Unsigned => Author {
                name: &site.settings.title,
                url: None,
            },
        }
    }
}

/// One feed, whatever its format.
struct Channel<'a> {
    title: String,
    description: String,
    language: &'a str,
    /// The page the feed follows, absolute.
    page_url: String,
    page: UrlPath,
    base: &'a BaseUrl,
    /// The newest entry's last change; none for a feed with no entries yet. Never the time of
    /// the build, so that the same input gives the same bytes.
    updated: Option<&'a PublishDate>,
    /// Newest first.
    entries: Vec<&'a Entry<'a>>,
}

impl Channel<'_> {
    /// Where this feed in `format` goes: beside the page it follows.
    fn path(&self, format: Format) -> UrlPath {
        self.page.clone().with_file(format.file_name())
    }

    /// The URL of this feed in `format`, absolute.
    fn url(&self, format: Format) -> String {
        self.path(format).absolute_url(self.base)
    }
}

/// One feed: what it follows and the articles it lists, newest first.
pub(in crate::render) struct Feed {
    scope: Scope,
    articles: Vec<usize>,
    /// The corrections and retractions it lists, after its articles (it lists one or the
    /// other).
    notices: Vec<Notice>,
}

impl Feed {
    /// Every feed of the site.
    pub fn all(site: &Site) -> Vec<Feed> {
        let limit = site.settings.feeds.limit;
        Scope::all(site)
            .map(|scope| Feed {
                scope,
                articles: scope.newest(site, limit),
                notices: scope.notices(site, limit),
            })
            .collect()
    }

    pub fn articles(&self) -> &[usize] {
        &self.articles
    }

    /// Each article the feed lists, with what the feed shows of it besides its file.
    fn shown<'s>(&self, site: &'s Site) -> impl Iterator<Item = (usize, Shown<'s>)> {
        self.articles.iter().map(|&i| (i, Shown::of(site, i)))
    }

    /// The dependency key of the feed: what it says about itself and, for each entry, the
    /// article's file and revision and what `shown` gives; none when a file has no revision.
    pub fn key(&self, site: &Site, keying: &Keying) -> Option<u64> {
        let mut hasher = super::key::key_hasher();
        keying.seed.hash(&mut hasher);
        self.scope.title_and_description(site).hash(&mut hasher);
        for (i, shown) in self.shown(site) {
            site.articles[i].file.as_os_str().hash(&mut hasher);
            keying.revisions[i]?.hash(&mut hasher);
            shown.hash(&mut hasher);
        }
        // A notice's entry is made of these alone.
        for &notice in &self.notices {
            let a = &site.articles[notice.article];
            (&a.title, &a.path, notice.id(), notice.of(&site.articles)).hash(&mut hasher);
        }
        Some(hasher.finish())
    }

    /// A hash of where the feed goes, the same from one build to the next.
    pub fn hash_of_place(&self, site: &Site) -> u64 {
        super::key::hash_of(&(self.scope.page(site), "feed"))
    }

    /// The files the feed is written to, one per format.
    pub fn files(&self, site: &Site) -> [std::path::PathBuf; FILES_PER_FEED] {
        let page = self.scope.page(site);
        Format::ALL.map(|format| page.clone().with_file(format.file_name()).output_file())
    }
}

/// `feeds` of the site in every format, into `sink`.
pub fn render(
    site: &Site,
    feeds: &[&Feed],
    bodies: &Bodies,
    sink: &impl Sink,
) -> Result<(), Diagnostics> {
    let results: Vec<Result<(), Diagnostics>> = feeds
        .par_iter()
        .map(|feed| render_feed(site, feed, bodies, sink))
        .collect();
    super::join_parts(results)
}

fn render_feed(
    site: &Site,
    feed: &Feed,
    bodies: &Bodies,
    sink: &impl Sink,
) -> Result<(), Diagnostics> {
    let entries = (feed.shown(site)).map(|(i, shown)| Entry::new(site, i, shown, bodies));
    let mut entries = Diagnostics::gather(entries)?;
    entries.extend(feed.notices.iter().map(|&n| Entry::notice(site, n)));
    let channel = channel(site, feed.scope, &entries);
    Diagnostics::gather(Format::ALL.map(|format| sink.put(write(&channel, format)?))).map(drop)
}

fn channel<'a>(site: &'a Site, scope: Scope, entries: &'a [Entry<'a>]) -> Channel<'a> {
    let base = &site.settings.base;
    let page = scope.page(site);
    let entries: Vec<&Entry> = entries.iter().collect();
    let (title, description) = scope.title_and_description(site);
    Channel {
        title,
        description,
        language: &site.settings.language,
        page_url: page.absolute_url(base),
        page,
        base,
        updated: entries.iter().map(|e| &e.modified).max(),
        entries,
    }
}

fn write(channel: &Channel, format: Format) -> Result<RenderedFile, Diagnostic> {
    let path = channel.path(format);
    let bytes = format.write(channel).map_err(|e| {
        Diagnostic::error(
            path.url(channel.base),
            format!("cannot write the feed: {e}"),
            "report this as a bug of gazette",
        )
    })?;
    Ok(RenderedFile {
        path: path.output_file(),
        bytes,
    })
}
