//! What templates see: small serializable views of the site, built from what a page shows.
//!
//! The views of articles in lists (`Summary`) are made from what `Surroundings` holds, only for
//! the files rendered, and shared by every listing; no page is ever handed the whole site.

use std::hash::{Hash, Hasher};

use serde::Serialize;

use super::disclosure::Disclosure;
use super::pagination::ListPage;
use super::pictures::Pictures;
use super::templates::escape;
use crate::config::{LabelsConfig, contact_link};
use crate::content::front_matter::{ImageMeta, SourceMeta};
use crate::content::markdown::Heading;
use crate::content::{Article, Bot, Editor};
use crate::date::PublishDate;
use crate::i18n::{self, Words};
use crate::site::record::{Notice, What};
use crate::site::taxonomy::{Section, Tag};
use crate::site::{Aliased, Site};
use crate::url::{BaseUrl, EDITORS, SEARCH, UrlPath};
use gazette_images::Format;

/// The footer disclaimer of a page that is not an article: the site's own text as written, or,
/// where the site kept the default, the default's wording for the whole site, not of "this
/// article".
pub fn site_disclaimer(site: &Site) -> &str {
    site.default_disclaimer("disclaimer_site")
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct DateView {
    pub iso: String,
    pub display: String,
    pub year: String,
    pub month: String,
}

impl DateView {
    pub fn new(date: &PublishDate, words: &Words) -> Self {
        Self {
            iso: date.iso(),
            display: words.date(date),
            year: format!("{:04}", date.year()),
            month: format!("{:02}", date.month()),
        }
    }
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct TagView {
    pub name: String,
    pub slug: String,
    pub url: String,
    /// None on the numbered pages of its list (see `BotView::on`).
    pub count: Option<usize>,
}

impl TagView {
    /// The tag as its own page names it, with how many articles carry it.
    pub fn new(tag: &Tag, base: &BaseUrl) -> Self {
        let TagLink { name, slug, url } = TagLink::written(tag, &tag.name, base);
        Self {
            name,
            slug,
            url,
            count: Some(tag.articles.len()),
        }
    }

    pub fn on(self, page: ListPage) -> Self {
        Self {
            count: self.count.filter(|_| page == ListPage::Latest),
            ..self
        }
    }
}

/// A tag as a summary links it: no count, so that a new article with the tag changes no list
/// that shows another article carrying it.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct TagLink {
    pub name: String,
    pub slug: String,
    pub url: String,
}

impl TagLink {
    /// The tag as one article wrote it (`AI` where another wrote `ai`).
    pub fn written(tag: &Tag, name: &str, base: &BaseUrl) -> Self {
        Self {
            name: name.to_string(),
            slug: tag.slug.to_string(),
            url: tag.path.url(base),
        }
    }
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct SectionView {
    pub name: String,
    pub title: String,
    pub url: String,
    /// None on the numbered pages of its list (see `BotView::on`).
    pub count: Option<usize>,
}

impl SectionView {
    pub fn new(section: &Section, base: &BaseUrl) -> Self {
        Self {
            name: section.slug.to_string(),
            title: section.title.clone(),
            url: section.path.url(base),
            count: Some(section.articles.len()),
        }
    }

    pub fn on(self, page: ListPage) -> Self {
        Self {
            count: self.count.filter(|_| page == ListPage::Latest),
            ..self
        }
    }
}

/// An article's author as a byline shows it.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct AuthorView {
    pub id: Option<String>,
    pub name: Option<String>,
    /// The bot's page; none when the author has no profile.
    pub url: Option<String>,
    pub bio: Option<String>,
    pub model: Option<String>,
    pub avatar: Option<String>,
    pub operator: Option<String>,
    /// "Written by WireBot" in the page's language, as HTML, the name linked to the bot's page
    /// (`<bdi>` when it has none); none without a name. Made once for each bot rather than
    /// filled in for every summary of every list (`{{ item.author.written_by | safe }}`).
    pub written_by: Option<String>,
}

/// One article in a list: enough to show and link it, never its body.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct Summary {
    pub title: String,
    pub url: String,
    pub date: DateView,
    pub updated: Option<DateView>,
    pub section: NavSection,
    pub tags: Vec<TagLink>,
    pub author: AuthorView,
    pub summary: String,
    pub reading_time: usize,
    /// The reading time as the page's language says it: "3 min read".
    pub reading: String,
    pub story: Option<String>,
    pub image: Option<ImageView>,
}

/// An article's picture, as `partials/picture.html` shows it.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct ImageView {
    /// Below the base path when it is a path: the widest variant in the fallback format when
    /// gazette made the picture, else the image as written.
    pub src: String,
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// The size of `src`, when gazette made the picture or the SVG says it (`<img width
    /// height>`, so that the page does not shift as it loads).
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// The variants as `srcset` lists them, in the fallback format (JPEG or PNG) and in WebP;
    /// none for an SVG or a web address.
    pub srcset: Option<String>,
    pub webp_srcset: Option<String>,
}

impl ImageView {
    fn new(image: &ImageMeta, base: &BaseUrl, pictures: &Pictures) -> Self {
        let link = |path: &str| base.link(path);
        let made = pictures.get(&image.src);
        let widest = made.and_then(|m| m.widest().map(|v| (m, v)));
        let size = widest.map(|(_, v)| (v.width, v.height));
        let size = size.or_else(|| pictures.svg_size(&image.src));
        Self {
            src: widest.map_or_else(|| link(&image.src), |(m, v)| link(&m.path(v))),
            alt: image.alt.clone(),
            caption: image.caption.clone(),
            credit: image.credit.clone(),
            width: size.map(|(width, _)| width),
            height: size.map(|(_, height)| height),
            srcset: made.map(|m| m.srcset(m.picture.fallback(), link)),
            webp_srcset: made.map(|m| m.srcset(Format::Webp, link)),
        }
    }
}

/// The whole article, for its own page.
#[derive(Debug, Serialize)]
pub struct ArticleView<'a> {
    #[serde(flatten)]
    pub summary: &'a Summary,
    /// The body's HTML, its pictures shown with their variants.
    pub content: std::borrow::Cow<'a, str>,
    pub word_count: usize,
    pub toc: &'a [Heading],
    pub sources: &'a [SourceMeta],
    pub corrections: Vec<CorrectionView<'a>>,
    /// When and why it was retracted; its `content` is then empty.
    pub retracted: Option<RetractionView<'a>>,
    pub extra: &'a serde_yaml::Value,
    /// The person who reviewed the article before publication, if one did.
    pub reviewed_by: Option<EditorLink>,
    /// An editor's note above the body.
    pub editor_note: Option<EditorNoteView<'a>>,
    /// How the body was written (the W3C AI Content Disclosure value); none on a site that
    /// does not disclose AI.
    pub disclosure: Option<Disclosure>,
}

#[derive(Debug, Serialize)]
pub struct CorrectionView<'a> {
    pub date: DateView,
    pub text: &'a str,
    /// The editor who wrote it, when it names one: a part of the page a person wrote.
    pub by: Option<EditorLink>,
    /// `human-only` when an editor wrote it, on a site that discloses AI.
    pub disclosure: Option<Disclosure>,
}

/// An editor's note: what they wrote, who they are, and `human-only` on a site that discloses
/// AI.
#[derive(Debug, Serialize)]
pub struct EditorNoteView<'a> {
    pub text: &'a str,
    pub by: Option<EditorLink>,
    pub disclosure: Option<Disclosure>,
}

/// An editor as a byline or a correction names them, linked to their page.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct EditorLink {
    pub name: String,
    pub role: Option<String>,
    pub url: String,
}

impl EditorLink {
    pub fn new(editor: &Editor, base: &BaseUrl) -> Self {
        Self {
            name: editor.name.clone(),
            role: editor.role.clone(),
            url: editor.path.url(base),
        }
    }
}

/// An editor, for their page and the editors index.
#[derive(Debug, Hash, Serialize)]
pub struct EditorView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub role: Option<&'a str>,
    pub url: String,
    pub avatar: Option<String>,
    pub website: Option<&'a str>,
    pub about: &'a str,
}

impl<'a> EditorView<'a> {
    pub fn new(editor: &'a Editor, base: &BaseUrl) -> Self {
        Self {
            id: &editor.id,
            name: &editor.name,
            role: editor.role.as_deref(),
            url: editor.path.url(base),
            avatar: editor.avatar.as_deref().map(|l| base.link(l)),
            website: editor.website.as_deref(),
            about: &editor.about,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct RetractionView<'a> {
    pub date: DateView,
    pub reason: &'a str,
}

/// One entry of `/corrections/`: a correction or a retraction, with the article it is about.
#[derive(Debug, Hash, Serialize)]
pub struct NoticeView<'a> {
    pub retraction: bool,
    pub date: DateView,
    pub text: &'a str,
    /// The article's title.
    pub title: &'a str,
    /// The article's page.
    pub article_url: String,
    /// The notice on the article's page.
    pub url: String,
}

impl<'a> NoticeView<'a> {
    pub fn new(site: &'a Site, notice: Notice) -> Self {
        let a = &site.articles[notice.article];
        let (date, text) = notice.of(&site.articles);
        let article_url = a.path.url(&site.settings.base);
        Self {
            retraction: notice.what == What::Retraction,
            date: DateView::new(date, &site.words),
            text,
            title: &a.title,
            url: format!("{article_url}#{}", notice.fragment()),
            article_url,
        }
    }
}

/// An entry of a story thread.
#[derive(Debug, Hash, Serialize)]
pub struct StoryEntry<'a> {
    pub title: &'a str,
    pub url: String,
    pub date: DateView,
    pub current: bool,
}

/// A link with a count: a year's months on its archive page.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct LinkView {
    pub title: String,
    pub url: String,
    pub count: usize,
}

/// A link in the navigation every page shows.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct NavLink {
    pub title: String,
    pub url: String,
}

/// A section as the navigation every page, and every summary, names it: no count, which would
/// change with every article.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct NavSection {
    pub name: String,
    pub title: String,
    pub url: String,
}

impl NavSection {
    pub fn new(section: &Section, base: &BaseUrl) -> Self {
        Self {
            name: section.slug.to_string(),
            title: section.title.clone(),
            url: section.path.url(base),
        }
    }
}

/// What every template gets as `site`. It holds nothing that changes when an article is
/// published (no counts), or publishing one would change every page of the site.
#[derive(Debug, Hash, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    /// `rtl` or `ltr`: which way `language` is written, for `<html dir>`.
    pub dir: &'static str,
    pub base_url: String,
    /// The home page of the page's language: `/`, or `/fr/` for French on a site with more
    /// than one language.
    pub root: String,
    /// Where the site's own files are (the stylesheet, pictures, static/): the base path,
    /// whatever the page's language.
    pub assets: &'a str,
    pub sections: Vec<NavSection>,
    pub pages: Vec<NavLink>,
    pub years: Vec<NavLink>,
    pub disclaimer: &'a str,
    pub extra: &'a serde_yaml::Value,
    /// Whether articles carry the "Written by AI" label.
    pub ai_disclosure: bool,
    /// How that label looks.
    pub labels: &'a LabelsConfig,
    /// The search page's URL, when the site has search.
    pub search: Option<String>,
    /// The editors index's URL, when the site has editors.
    pub editors: Option<String>,
    /// The AI policy page's URL, when the site has one: every footer and AI label link it.
    pub ai_policy: Option<String>,
}

impl<'a> SiteView<'a> {
    pub fn new(site: &'a Site) -> Self {
        let config = &site.settings;
        let base = &site.settings.base;
        Self {
            title: &config.title,
            description: &config.description,
            language: &config.language,
            dir: super::direction::of(&config.language),
            base_url: base.absolute(&base.home()),
            root: base.home(),
            assets: &base.path,
            sections: site
                .taxonomy
                .sections
                .iter()
                .map(|s| NavSection::new(s, base))
                .collect(),
            pages: (site.pages.iter())
                .map(|p| NavLink {
                    title: p.title.clone(),
                    url: p.path.url(base),
                })
                .collect(),
            years: (site.taxonomy.years.iter())
                .map(|y| NavLink {
                    title: y.year.to_string(),
                    url: y.path.url(base),
                })
                .collect(),
            disclaimer: site_disclaimer(site),
            extra: &config.extra,
            ai_disclosure: config.ai_disclosure,
            labels: &config.labels,
            search: (config.search.enabled).then(|| UrlPath::folder(SEARCH).url(base)),
            editors: (!site.editors.is_empty()).then(|| UrlPath::folder(EDITORS).url(base)),
            ai_policy: site.ai_policy_url(),
        }
    }
}

/// A bot, for its page and the bots index.
#[derive(Debug, Hash, Serialize)]
pub struct BotView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub url: String,
    pub bio: Option<&'a str>,
    pub model: Option<&'a str>,
    pub operator: Option<&'a str>,
    pub avatar: Option<String>,
    pub website: Option<&'a str>,
    pub about: &'a str,
    /// On the bots index and the first page of the bot's list only (see `on`).
    pub count: Option<usize>,
}

impl<'a> BotView<'a> {
    pub fn new(site: &'a Site, b: usize) -> Self {
        let bot = &site.bots[b];
        Self {
            id: &bot.id,
            name: &bot.name,
            url: bot.path.url(&site.settings.base),
            bio: bot.bio.as_deref(),
            model: bot.model.as_deref(),
            operator: bot.operator.as_deref(),
            avatar: bot.avatar.as_deref().map(|l| site.settings.base.link(l)),
            website: bot.website.as_deref(),
            about: &bot.about,
            count: Some(site.taxonomy.bot_articles[b].len()),
        }
    }

    /// The bot as page `page` of its list shows it: numbered pages without its count, which
    /// changes with every article it publishes, so that a numbered page whose articles stay
    /// stays the same. Sections and tags alike.
    pub fn on(self, page: ListPage) -> Self {
        Self {
            count: self.count.filter(|_| page == ListPage::Latest),
            ..self
        }
    }
}

/// A year or month archive; `months` lists a year's months on the first page of its list
/// (numbered pages show nothing whose counts grow with the year).
#[derive(Debug, Hash, Serialize)]
pub struct ArchiveView {
    pub title: String,
    pub year: String,
    pub month: Option<String>,
    pub url: String,
    pub months: Vec<LinkView>,
}

impl ArchiveView {
    pub fn year(site: &Site, year: usize, page: ListPage) -> Self {
        let base = &site.settings.base;
        let y = &site.taxonomy.years[year];
        let months = match page {
            ListPage::Latest => &y.months[..],
            ListPage::Numbered(_) => &[],
        };
        let months = months
            .iter()
            .map(|m| LinkView {
                title: month_title(site, m.articles[0]),
                url: m.path.url(base),
                count: m.articles.len(),
            })
            .collect();
        Self {
            title: y.year.to_string(),
            year: y.year.to_string(),
            month: None,
            url: y.path.url(base),
            months,
        }
    }

    pub fn month(site: &Site, year: usize, month: usize) -> Self {
        let m = &site.taxonomy.years[year].months[month];
        Self {
            title: month_title(site, m.articles[0]),
            year: m.year.to_string(),
            month: Some(format!("{:02}", m.month)),
            url: m.path.url(&site.settings.base),
            months: Vec::new(),
        }
    }
}

/// "March 2026", from an article of that month.
pub fn month_title(site: &Site, article: usize) -> String {
    site.words.month(&site.articles[article].date)
}

/// A standalone page.
#[derive(Debug, Hash, Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub url: String,
    pub content: &'a str,
    pub summary: &'a str,
    pub extra: &'a serde_yaml::Value,
}

impl<'a> PageView<'a> {
    pub fn new(site: &'a Site, i: usize) -> Self {
        let p = &site.pages[i];
        Self {
            title: &p.title,
            url: p.path.url(&site.settings.base),
            content: &p.content,
            summary: &p.summary,
            extra: &p.extra,
        }
    }
}

/// What the AI policy page gazette makes shows: the texts of `ai_policy` in gazette.yaml, each
/// absent where the template's default text applies, and the bots it names.
#[derive(Debug, Hash, Serialize)]
pub struct PolicyView<'a> {
    /// The bots named by `ai_policy.bots`, else every bot, with their models and operators.
    pub bots: Vec<BotView<'a>>,
    /// Every model named: the bots' first, then `ai_policy.models`, each once.
    pub models: Vec<&'a str>,
    pub sources: Option<&'a str>,
    pub review: Option<&'a str>,
    pub errors: Option<&'a str>,
    /// The contact as written, and its link (`mailto:` for an email address).
    pub contact: Option<&'a str>,
    pub contact_url: Option<String>,
}

impl<'a> PolicyView<'a> {
    pub fn new(site: &'a Site) -> Self {
        let policy = &site.settings.ai_policy;
        let named = policy.bots.as_deref();
        let bots: Vec<BotView> = (0..site.bots.len())
            .filter(|&b| named.is_none_or(|ids| ids.contains(&site.bots[b].id)))
            .map(|b| BotView::new(site, b))
            .collect();
        let mut models: Vec<&str> = Vec::new();
        let listed = policy.models.iter().map(String::as_str);
        let all = (bots.iter().filter_map(|b| b.model)).chain(listed);
        for model in all {
            if !models.contains(&model) {
                models.push(model);
            }
        }
        let text = |t: &'a Option<String>| t.as_deref().filter(|t| !t.trim().is_empty());
        let contact = text(&policy.contact);
        Self {
            bots,
            models,
            sources: text(&policy.sources),
            review: text(&policy.review),
            errors: text(&policy.errors),
            contact,
            contact_url: contact.and_then(contact_link),
        }
    }
}

/// One line of `_redirects`: an old URL and the URL of the article now there, both paths.
#[derive(Debug, Hash, Serialize)]
pub struct Redirect {
    pub from: String,
    pub to: String,
}

/// Where a redirect page sends its reader: the article or page now at that URL.
#[derive(Debug, Hash, Serialize)]
pub struct RedirectView<'a> {
    pub title: &'a str,
    /// Its absolute URL, or its path when the site has no host configured.
    pub url: String,
}

impl<'a> RedirectView<'a> {
    pub fn new(site: &'a Site, of: Aliased) -> Self {
        let moved = site.moved(of);
        Self {
            title: moved.title,
            url: moved.path.absolute_url(&site.settings.base),
        }
    }
}

/// What a summary shows of its article, borrowed from it. The summary is made from this and,
/// with the article's surroundings, its key hashed from it (`Surroundings::key`), so that the
/// key follows whatever the summary shows and no summary is made to know whether it changed.
/// The body is not in it: an edit to an article's text changes no list that shows the article.
#[derive(Hash)]
struct Shown<'a> {
    title: &'a str,
    path: &'a UrlPath,
    date: &'a PublishDate,
    updated: Option<&'a PublishDate>,
    summary: &'a str,
    reading_time: usize,
    story: Option<&'a str>,
    /// Its tags as it wrote them.
    tags: &'a [String],
    /// The name it gives, shown when it names no bot.
    author: Option<&'a str>,
    image: Option<&'a ImageMeta>,
}

impl<'a> Shown<'a> {
    fn of(a: &'a Article) -> Self {
        Self {
            title: &a.title,
            path: &a.path,
            date: &a.date,
            updated: a.updated.as_ref(),
            summary: &a.summary,
            reading_time: crate::content::markdown::reading_time(a.word_count),
            story: a.story.as_deref(),
            tags: &a.tags,
            author: a.author.as_deref(),
            image: a.image.as_ref(),
        }
    }
}

/// What summaries show of the site around their articles: each section, tag and bot as a
/// summary names it, with a hash of each for the summaries' keys.
pub struct Surroundings<'a> {
    sections: Vec<Hashed<NavSection>>,
    /// Each tag as its page names it; a summary shows it as its article wrote it.
    tags: Vec<Hashed<TagLink>>,
    bots: Vec<Hashed<AuthorView>>,
    /// The pictures made of articles' images, by the image as written.
    pictures: &'a Pictures<'a>,
}

/// A view with a hash of it.
struct Hashed<T> {
    view: T,
    hash: u64,
}

impl<T: Hash> Hashed<T> {
    fn new(view: T) -> Self {
        let hash = super::key::hash_of(&view);
        Self { view, hash }
    }
}

impl<'a> Surroundings<'a> {
    pub fn new(site: &Site, pictures: &'a Pictures<'a>) -> Self {
        let base = &site.settings.base;
        let t = &site.taxonomy;
        Self {
            sections: (t.sections.iter())
                .map(|s| Hashed::new(NavSection::new(s, base)))
                .collect(),
            tags: (t.tags.iter())
                .map(|tag| Hashed::new(TagLink::written(tag, &tag.name, base)))
                .collect(),
            bots: (site.bots.iter())
                .map(|bot| Hashed::new(AuthorView::of_bot(bot, base, &site.words)))
                .collect(),
            pictures,
        }
    }

    /// What stands for article `i`'s summary in dependency keys: a hash of what the summary
    /// shows of the article (`Shown`) and of its section, tags and bot. The configuration
    /// (base URL, date format) is in every key's seed.
    pub fn key(&self, site: &Site, i: usize) -> u64 {
        let t = &site.taxonomy;
        let mut hasher = super::key::key_hasher();
        let shown = Shown::of(&site.articles[i]);
        shown.hash(&mut hasher);
        // A picture's key is a hash of its image and of how it was made: what its view shows.
        (shown.image)
            .map(|image| self.pictures.version(&image.src))
            .hash(&mut hasher);
        self.sections[t.article_section[i]].hash.hash(&mut hasher);
        for &tag in &t.article_tags[i] {
            self.tags[tag].hash.hash(&mut hasher);
        }
        t.article_bot[i]
            .map(|b| self.bots[b].hash)
            .hash(&mut hasher);
        hasher.finish()
    }

    /// Article `i` as lists show it, made of what `key` hashes.
    pub fn summary(&self, site: &Site, i: usize) -> Summary {
        let a = Shown::of(&site.articles[i]);
        let base = &site.settings.base;
        let format = &site.words;
        let t = &site.taxonomy;
        let tags = (t.article_tags[i].iter()).zip(a.tags);
        let author = match t.article_bot[i] {
            Some(bot) => self.bots[bot].view.clone(),
            None => AuthorView::named(a.author, format),
        };
        Summary {
            title: a.title.to_owned(),
            url: a.path.url(base),
            date: DateView::new(a.date, format),
            updated: a.updated.map(|u| DateView::new(u, format)),
            section: self.sections[t.article_section[i]].view.clone(),
            tags: tags
                .map(|(&tag, name)| TagLink {
                    name: name.clone(),
                    ..self.tags[tag].view.clone()
                })
                .collect(),
            author,
            summary: a.summary.to_owned(),
            reading_time: a.reading_time,
            reading: format.count("reading_time", a.reading_time),
            story: a.story.map(str::to_owned),
            image: (a.image).map(|image| ImageView::new(image, base, self.pictures)),
        }
    }

    /// Section `s` as a summary names it, with the hash that stands for it in keys.
    pub fn section(&self, s: usize) -> (&NavSection, u64) {
        let section = &self.sections[s];
        (&section.view, section.hash)
    }

    /// The pictures made of articles' images.
    pub fn pictures(&self) -> &'a Pictures<'a> {
        self.pictures
    }

    /// Article `i`'s summary as a template value.
    pub fn summary_value(&self, site: &Site, i: usize) -> Result<tera::Value, tera::Error> {
        tera::Value::try_from_serializable(&self.summary(site, i))
    }
}

impl AuthorView {
    fn of_bot(bot: &Bot, base: &BaseUrl, words: &Words) -> Self {
        let url = bot.path.url(base);
        AuthorView {
            id: Some(bot.id.clone()),
            written_by: Some(written_by(words, &bot.name, Some(&url))),
            name: Some(bot.name.clone()),
            url: Some(url),
            bio: bot.bio.clone(),
            model: bot.model.clone(),
            avatar: bot.avatar.as_deref().map(|l| base.link(l)),
            operator: bot.operator.clone(),
        }
    }

    /// An author with no bot profile: a name, or none at all.
    fn named(name: Option<&str>, words: &Words) -> Self {
        AuthorView {
            id: None,
            name: name.map(str::to_owned),
            url: None,
            bio: None,
            model: None,
            avatar: None,
            operator: None,
            written_by: name.map(|name| written_by(words, name, None)),
        }
    }
}

/// "Written by" and the author's name, isolated so that a name in another script keeps its
/// punctuation in order, and linked to `url`, as HTML.
fn written_by(words: &Words, name: &str, url: Option<&str>) -> String {
    let name = escape(name);
    let author = match url {
        Some(url) => format!("<a href=\"{}\" dir=\"auto\">{name}</a>", escape(url)),
        None => format!("<bdi>{name}</bdi>"),
    };
    i18n::fill(&escape(words.text("written_by")), |n| {
        (n == "author").then_some(author.as_str())
    })
}
