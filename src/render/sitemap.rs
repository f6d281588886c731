//! Files for crawlers: `sitemap.xml`, an index of sitemaps split by period so that a new article
//! changes only the newest of them (and the index), `news-sitemap.xml` in Google News format,
//! and `robots.txt` pointing at both.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::io;
use std::path::PathBuf;

use jiff::{SignedDuration, Timestamp};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use rayon::prelude::*;

use super::pagination::ListPage;
use super::{Job, RenderedFile};
use crate::date::PublishDate;
use crate::error::{Diagnostic, Diagnostics};
use crate::site::Site;
use crate::url::BaseUrl;
use crate::url::UrlPath;

/// The most URLs one sitemap may list (sitemaps.org).
pub const MAX_URLS: usize = 50_000;
/// The most articles a Google News sitemap may list.
const MAX_NEWS: usize = 1_000;

const SITEMAP: &str = "sitemap.xml";
const NEWS_SITEMAP: &str = "news-sitemap.xml";
const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";
/// The namespace of a sitemap entry's `<xhtml:link rel="alternate" hreflang>` (Google's).
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// One page in a sitemap.
#[derive(Hash)]
struct Location<'a> {
    loc: String,
    lastmod: Option<&'a PublishDate>,
    /// The page's versions in every language, `hreflang` and URL, with `x-default`; empty on a
    /// site of one language.
    alternates: Vec<(String, String)>,
}

/// Every page a sitemap lists, with the article it shows, if any: what the sitemaps show of
/// the pages, and so what their key is made of.
pub struct Locations<'a>(Vec<(Option<usize>, Location<'a>)>);

/// The pages of `site` (its `jobs`) as the sitemaps list them.
pub fn locations<'a>(
    site: &'a Site,
    jobs: &[(Job, UrlPath)],
    scope: &super::Scope,
) -> Locations<'a> {
    let pages = jobs
        .par_iter()
        .filter_map(|(job, path)| {
            let article = match job {
                Job::Article(i) => Some(*i),
                _ => None,
            };
            let mut location = location(site, *job, path)?;
            if let Some(alternates) = scope.alternates(*job, path) {
                let versions = alternates.languages.into_iter();
                location.alternates = (versions.filter_map(|l| Some((l.lang, l.href?))))
                    .chain([("x-default".to_string(), alternates.x_default)])
                    .collect();
            }
            Some((article, location))
        })
        .collect();
    Locations(pages)
}

/// A hash of everything the sitemaps and robots.txt show of `site`: its `pages` as listed, and
/// what the news sitemap shows of its articles; `seed` stands for the configuration. A rebuild
/// writes them again only when it changed, as most edits (a body, a summary) change none of it.
pub fn key(site: &Site, pages: &Locations, seed: u64) -> u64 {
    let mut hasher = super::key::key_hasher();
    seed.hash(&mut hasher);
    pages.0.hash(&mut hasher);
    for article in &site.articles {
        (&article.date, &article.title, article.listed()).hash(&mut hasher);
    }
    hasher.finish()
}

/// A file of the sitemaps: made, or kept as the last render made it.
pub enum Made {
    File(RenderedFile),
    Kept(PathBuf),
}

/// The sitemaps and robots.txt of `site`, listing `pages`, with the key of each part of the
/// sitemap (by its file) for the next render; a part whose key `last` holds is kept rather than
/// made again: a new article changes only the newest part, and the others list every article of
/// their year (most of the sitemaps' bytes).
pub fn render(
    site: &Site,
    pages: Locations,
    scope: &super::Scope,
    seed: u64,
    last: &PartKeys,
) -> Result<(Vec<Made>, PartKeys), Diagnostics> {
    let base = &site.settings.base;
    let parts = parts(site, pages.0, MAX_URLS);
    let (mut files, keys) =
        sitemaps(parts, MAX_URLS, base, seed, last).map_err(|e| write_error(SITEMAP, &e))?;
    let news = news_sitemap(site).map_err(|e| write_error(NEWS_SITEMAP, &e))?;
    files.push(Made::File(file(NEWS_SITEMAP.into(), news)));
    // One robots.txt, at the site's root, names the sitemaps of every language.
    if scope.shared() {
        let bases = scope.sites().map(|site| &site.settings.base);
        let robots = file("robots.txt".into(), robots(bases).into_bytes());
        files.push(Made::File(robots));
    }
    Ok((files, keys))
}

/// The key of each part of the sitemap, by its file.
pub type PartKeys = foldhash::HashMap<PathBuf, u64>;

/// `pages` (with the article each shows, if any) split into named sitemaps: `sitemap-pages`
/// for lists and standalone pages, whose `lastmod` follows the newest article anyway, and the
/// articles by the year they were published (`sitemap-2026`), or by month in a year of more
/// than `max` (`sitemap-2026-03`). Articles go oldest first, so that a new one joins the end of
/// the newest part and leaves every other part as it was.
fn parts<'a>(
    site: &Site,
    pages: Vec<(Option<usize>, Location<'a>)>,
    max: usize,
) -> Vec<(String, Vec<Location<'a>>)> {
    let mut lists = Vec::new();
    let mut years: BTreeMap<i16, BTreeMap<i8, Vec<(usize, Location)>>> = BTreeMap::new();
    for (article, location) in pages {
        let Some(i) = article else {
            lists.push(location);
            continue;
        };
        let date = &site.articles[i].date;
        (years.entry(date.year()).or_default())
            .entry(date.month())
            .or_default()
            .push((i, location));
    }
    let oldest_first = |mut month: Vec<(usize, Location<'a>)>| {
        month.sort_by_key(|(i, _)| std::cmp::Reverse(*i));
        month.into_iter().map(|(_, location)| location)
    };
    let mut parts = vec![("sitemap-pages".to_string(), lists)];
    for (year, months) in years {
        if months.values().map(Vec::len).sum::<usize>() <= max {
            let all = months.into_values().flat_map(oldest_first).collect();
            parts.push((format!("sitemap-{year:04}"), all));
        } else {
            for (month, articles) in months {
                let name = format!("sitemap-{year:04}-{month:02}");
                parts.push((name, oldest_first(articles).collect()));
            }
        }
    }
    parts
}

fn write_error(name: &str, e: &io::Error) -> Diagnostics {
    Diagnostics::from(Diagnostic::error(
        name,
        format!("cannot write the sitemap: {e}"),
        "report this as a bug of gazette",
    ))
}

fn file(name: String, bytes: Vec<u8>) -> RenderedFile {
    RenderedFile {
        path: PathBuf::from(name),
        bytes,
    }
}

/// The absolute URL of a file at the root of the site.
fn root_file_url(base: &BaseUrl, name: &str) -> String {
    base.absolute(&format!("{}{name}", base.home()))
}

/// A page's place in the sitemap: the first page of every list and every article and page
/// with when it last changed; none for later pages of a list, the 404 page and the stylesheet.
fn location<'a>(site: &'a Site, job: Job, path: &UrlPath) -> Option<Location<'a>> {
    let t = &site.taxonomy;
    let newest = |list: &[usize]| list.iter().map(|&i| site.articles[i].modified()).max();
    let lastmod = match job {
        // A redirect page is not a page of its own, and must not be indexed.
        Job::Search | Job::NotFound | Job::Stylesheet | Job::Alias { .. } | Job::Redirects => {
            return None;
        }
        _ if job.page() != ListPage::Latest => return None,
        // Its page asks not to be indexed; a sitemap lists the pages to index.
        Job::Article(i) if !t.is_listed(i) => return None,
        Job::Article(i) => Some(site.articles[i].modified()),
        Job::Home { .. } | Job::TagIndex | Job::BotIndex => newest(&t.listed),
        Job::Corrections { .. } => (t.record.first()).map(|&n| n.of(&site.articles).0),
        Job::Section { section, .. } => newest(&t.sections[section].articles),
        Job::Tag { tag, .. } => newest(&t.tags[tag].articles),
        Job::Bot { bot, .. } => newest(&t.bot_articles[bot]),
        Job::Year { year, .. } => newest(&t.years[year].articles),
        Job::Month { year, month, .. } => newest(&t.years[year].months[month].articles),
        Job::Page(_) | Job::EditorIndex | Job::Editor(_) | Job::AiPolicy => None,
    };
    Some(Location {
        loc: path.absolute_url(&site.settings.base),
        lastmod,
        alternates: Vec::new(),
    })
}

/// `sitemap.xml` as an index of `parts`, each written as `<name>.xml`, or, past `max` pages,
/// as `<name>-1.xml`, `<name>-2.xml`, ... of `max` pages each; a part whose key (a hash of
/// `seed` and its pages) is the one `last` holds for its file is kept. With every part's key.
fn sitemaps(
    parts: Vec<(String, Vec<Location>)>,
    max: usize,
    base: &BaseUrl,
    seed: u64,
    last: &PartKeys,
) -> io::Result<(Vec<Made>, PartKeys)> {
    let mut files = Vec::new();
    let mut keys = PartKeys::default();
    let mut index = Vec::new();
    for (name, pages) in &parts {
        let chunks: Vec<&[Location]> = pages.chunks(max).collect();
        for (n, chunk) in chunks.iter().enumerate() {
            let name = match chunks.len() {
                1 => format!("{name}.xml"),
                _ => format!("{name}-{}.xml", n + 1),
            };
            index.push(Location {
                loc: root_file_url(base, &name),
                lastmod: chunk.iter().filter_map(|p| p.lastmod).max(),
                alternates: Vec::new(),
            });
            let key = super::key::hash_of(&(seed, chunk));
            let path = PathBuf::from(name);
            files.push(match last.get(&path) == Some(&key) {
                true => Made::Kept(path.clone()),
                false => Made::File(file(path.to_string_lossy().into_owned(), urlset(chunk)?)),
            });
            keys.insert(path, key);
        }
    }
    files.push(Made::File(file(SITEMAP.into(), sitemap_index(&index)?)));
    Ok((files, keys))
}

fn urlset(pages: &[Location]) -> io::Result<Vec<u8>> {
    listing("urlset", "url", pages)
}

fn sitemap_index(parts: &[Location]) -> io::Result<Vec<u8>> {
    listing("sitemapindex", "sitemap", parts)
}

/// A `root` element of one `item` element for each of `locations`.
fn listing(root: &str, item: &str, locations: &[Location]) -> io::Result<Vec<u8>> {
    // The namespace of the alternates is declared only where they are, so that the sitemaps
    // of a site of one language stay as they were.
    let namespaces: &[(&str, &str)] = match locations.iter().any(|l| !l.alternates.is_empty()) {
        true => &[("xmlns", SITEMAP_NS), ("xmlns:xhtml", XHTML_NS)],
        false => &[("xmlns", SITEMAP_NS)],
    };
    xml(root, namespaces, |w| {
        for location in locations {
            w.create_element(item)
                .write_inner_content(|w| location_fields(w, location))?;
        }
        Ok(())
    })
}

fn location_fields(w: &mut Writer<Vec<u8>>, location: &Location) -> io::Result<()> {
    text(w, "loc", &location.loc)?;
    if let Some(date) = location.lastmod {
        text(w, "lastmod", &date.iso())?;
    }
    for (lang, href) in &location.alternates {
        let attributes = [("rel", "alternate"), ("hreflang", lang), ("href", href)];
        w.create_element("xhtml:link")
            .with_attributes(attributes)
            .write_empty()?;
    }
    Ok(())
}

/// The articles published in the `news_sitemap.days` before the newest one, in Google News
/// format. The window ends at the newest article rather than at the time of the build, so that
/// the same input gives the same file.
fn news_sitemap(site: &Site) -> io::Result<Vec<u8>> {
    let config = &site.settings;
    let t = &site.taxonomy;
    let window = SignedDuration::from_hours(24 * i64::from(config.news_sitemap.days));
    let listed = || t.listed.iter().map(|&i| &site.articles[i]);
    let since = listed().next().map_or(Timestamp::MIN, |newest| {
        newest
            .date
            .timestamp()
            .checked_sub(window)
            .unwrap_or(Timestamp::MIN)
    });
    let language = news_language(&config.language);
    let recent = listed()
        .take_while(|a| a.date.timestamp() >= since)
        .take(MAX_NEWS);
    let namespaces = [("xmlns", SITEMAP_NS), ("xmlns:news", NEWS_NS)];
    xml("urlset", &namespaces, |w| {
        for article in recent {
            w.create_element("url").write_inner_content(|w| {
                text(w, "loc", &article.path.absolute_url(&site.settings.base))?;
                w.create_element("news:news").write_inner_content(|w| {
                    w.create_element("news:publication")
                        .write_inner_content(|w| {
                            text(w, "news:name", &config.title)?;
                            text(w, "news:language", &language)
                        })?;
                    text(w, "news:publication_date", &article.date.iso())?;
                    text(w, "news:title", &article.title)
                })?;
                Ok(())
            })?;
        }
        Ok(())
    })
}

/// Google News wants an ISO 639 code, except `zh-cn` and `zh-tw` for the two Chinese scripts.
fn news_language(language: &str) -> String {
    let lower = language.to_ascii_lowercase().replace('_', "-");
    let primary = lower.split('-').next().unwrap_or_default();
    if primary != "zh" {
        return primary.to_string();
    }
    let traditional = lower
        .split('-')
        .any(|part| matches!(part, "tw" | "hk" | "mo" | "hant"));
    if traditional { "zh-tw" } else { "zh-cn" }.to_string()
}

fn robots<'b>(bases: impl Iterator<Item = &'b BaseUrl>) -> String {
    let mut robots = String::from("User-agent: *\nDisallow:\n\n");
    for base in bases {
        for name in [SITEMAP, NEWS_SITEMAP] {
            robots.push_str(&format!("Sitemap: {}\n", root_file_url(base, name)));
        }
    }
    robots
}

/// An XML document of one root element with `attributes`, indented, `content` inside.
fn xml(
    root: &str,
    attributes: &[(&str, &str)],
    content: impl FnOnce(&mut Writer<Vec<u8>>) -> io::Result<()>,
) -> io::Result<Vec<u8>> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element(root)
        .with_attributes(attributes.iter().copied())
        .write_inner_content(content)?;
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    Ok(bytes)
}

fn text(w: &mut Writer<Vec<u8>>, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(n: usize) -> Vec<Location<'static>> {
        (0..n)
            .map(|i| Location {
                loc: format!("https://x.org/{i}/"),
                lastmod: None,
                alternates: Vec::new(),
            })
            .collect()
    }

    fn parse_locs(bytes: &[u8], element: &str) -> Vec<String> {
        let text = std::str::from_utf8(bytes).unwrap();
        let doc = roxmltree::Document::parse(text).unwrap();
        assert_eq!(doc.root_element().tag_name().name(), element);
        assert_eq!(doc.root_element().tag_name().namespace(), Some(SITEMAP_NS));
        doc.descendants()
            .filter(|n| n.has_tag_name((SITEMAP_NS, "loc")))
            .filter_map(|n| n.text().map(str::to_string))
            .collect()
    }

    /// Every file of the sitemaps of `parts`, made with nothing kept.
    fn made(parts: Vec<(String, Vec<Location>)>, max: usize, base: &BaseUrl) -> Vec<RenderedFile> {
        let (files, _) = sitemaps(parts, max, base, 0, &PartKeys::default()).unwrap();
        (files.into_iter())
            .map(|made| match made {
                Made::File(file) => file,
                Made::Kept(path) => panic!("{} kept with nothing to keep", path.display()),
            })
            .collect()
    }

    #[test]
    fn only_the_parts_whose_pages_changed_are_made_again() {
        let base = BaseUrl::parse("https://x.org/").unwrap();
        let parts = |newest: usize| {
            vec![
                ("sitemap-pages".to_string(), pages(2)),
                ("sitemap-2025".to_string(), pages(3)),
                ("sitemap-2026".to_string(), pages(newest)),
            ]
        };
        let (_, keys) = sitemaps(parts(2), 50, &base, 7, &PartKeys::default()).unwrap();
        let (files, again) = sitemaps(parts(3), 50, &base, 7, &keys).unwrap();
        let what: Vec<(String, bool)> = (files.iter())
            .map(|made| match made {
                Made::File(file) => (file.path.display().to_string(), true),
                Made::Kept(path) => (path.display().to_string(), false),
            })
            .collect();
        let made = |name: &str, made| (name.to_string(), made);
        assert_eq!(
            what,
            [
                made("sitemap-pages.xml", false),
                made("sitemap-2025.xml", false),
                made("sitemap-2026.xml", true),
                made("sitemap.xml", true),
            ]
        );
        assert_ne!(keys, again, "the newest part's key is new");
        // Another seed (configuration, templates) makes every part again.
        let (files, _) = sitemaps(parts(3), 50, &base, 8, &again).unwrap();
        assert!(files.iter().all(|made| matches!(made, Made::File(_))));
    }

    #[test]
    fn sitemap_is_an_index_of_its_parts() {
        let base = BaseUrl::parse("https://x.org/").unwrap();
        let parts = vec![
            ("sitemap-pages".into(), pages(2)),
            ("sitemap-2026".into(), pages(3)),
        ];
        let files = made(parts, 3, &base);
        let names: Vec<_> = files.iter().map(|f| f.path.clone()).collect();
        assert_eq!(
            names,
            ["sitemap-pages.xml", "sitemap-2026.xml", "sitemap.xml"].map(PathBuf::from)
        );
        assert_eq!(parse_locs(&files[1].bytes, "urlset").len(), 3);
        assert_eq!(
            parse_locs(&files[2].bytes, "sitemapindex"),
            [
                "https://x.org/sitemap-pages.xml",
                "https://x.org/sitemap-2026.xml"
            ]
        );
    }

    #[test]
    fn a_part_past_the_limit_is_split_in_numbered_files() {
        let base = BaseUrl::parse("https://x.org/news/").unwrap();
        let files = made(vec![("sitemap-pages".into(), pages(7))], 3, &base);
        let names: Vec<_> = files.iter().map(|f| f.path.clone()).collect();
        assert_eq!(
            names,
            [
                "sitemap-pages-1.xml",
                "sitemap-pages-2.xml",
                "sitemap-pages-3.xml",
                "sitemap.xml"
            ]
            .map(PathBuf::from)
        );
        let index = parse_locs(&files[3].bytes, "sitemapindex");
        assert_eq!(
            index,
            [1, 2, 3].map(|n| format!("https://x.org/news/sitemap-pages-{n}.xml"))
        );
        let listed: Vec<String> = files[..3]
            .iter()
            .flat_map(|f| parse_locs(&f.bytes, "urlset"))
            .collect();
        assert_eq!(
            listed,
            pages(7).into_iter().map(|p| p.loc).collect::<Vec<_>>()
        );
    }

    #[test]
    fn news_languages_are_iso_639_with_google_chinese_codes() {
        assert_eq!(news_language("en-GB"), "en");
        assert_eq!(news_language("de"), "de");
        assert_eq!(news_language("zh-Hant-TW"), "zh-tw");
        assert_eq!(news_language("zh"), "zh-cn");
    }
}
