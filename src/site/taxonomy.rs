//! The indexes of a site, computed once: sections, tags, bots' articles, archives and stories.
//!
//! Every list of articles here holds indexes into `Site::articles`, which is sorted newest
//! first, so each list is newest first too, and "near in time" means "near in the list".
//! A retracted article is in none of them (`Article::listed`); it keeps its section, for its
//! own page, and is in the record of corrections and retractions (`record`).

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

use crate::config::Settings;
use crate::content::{Article, Bot};
use crate::error::{Diagnostic, Kind};
use crate::url::BaseUrl;
use crate::url::{Slug, TAGS, UrlPath, tag_slug};

#[derive(Debug, Clone)]
pub struct Section {
    /// The folder under content/, as written.
    pub folder: String,
    pub slug: Slug,
    pub title: String,
    pub path: UrlPath,
    pub articles: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Tag {
    pub slug: Slug,
    /// As first written by the newest article that carries it.
    pub name: String,
    pub path: UrlPath,
    pub articles: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Year {
    pub year: i16,
    pub path: UrlPath,
    pub articles: Vec<usize>,
    pub months: Vec<Month>,
}

#[derive(Debug, Clone)]
pub struct Month {
    pub year: i16,
    pub month: i8,
    pub path: UrlPath,
    pub articles: Vec<usize>,
}

/// The articles of one developing story, oldest first, as a reader follows it.
#[derive(Debug, Clone)]
pub struct Story {
    pub id: String,
    pub articles: Vec<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct Taxonomy {
    /// Every article but the retracted ones: the home page's list.
    pub listed: Vec<usize>,
    /// Every correction and retraction, newest first.
    pub record: Vec<super::record::Notice>,
    /// In slug order.
    pub sections: Vec<Section>,
    pub article_section: Vec<usize>,
    /// In slug order.
    pub tags: Vec<Tag>,
    /// For each article, its tags' indexes in `tags`, one for each of `Article::tags`, in the
    /// order written (an article's tags have distinct slugs).
    pub article_tags: Vec<Vec<usize>>,
    /// For each bot in `Site::bots`, its articles.
    pub bot_articles: Vec<Vec<usize>>,
    /// For each article, its author's index in `Site::bots`, if the author has a profile.
    pub article_bot: Vec<Option<usize>>,
    /// Newest year first, each with its months newest first.
    pub years: Vec<Year>,
    pub stories: Vec<Story>,
    pub article_story: Vec<Option<usize>>,
}

impl Taxonomy {
    /// Indexes `articles` (sorted newest first) and `bots` (sorted by id).
    pub fn new(articles: &[Article], bots: &[Bot], config: &Settings) -> Self {
        let (sections, article_section) = sections(articles, config);
        let (tags, article_tags) = tags(articles);
        let (bot_articles, article_bot) = by_bot(articles, bots);
        let (stories, article_story) = stories(articles);
        Taxonomy {
            listed: (articles.iter().enumerate())
                .filter(|(_, a)| a.listed())
                .map(|(i, _)| i)
                .collect(),
            record: super::record::notices(articles),
            sections,
            article_section,
            tags,
            article_tags,
            bot_articles,
            article_bot,
            years: years(articles),
            stories,
            article_story,
        }
    }

    /// Whether article `i` is in the lists (not retracted).
    pub fn is_listed(&self, i: usize) -> bool {
        self.listed.binary_search(&i).is_ok()
    }

    /// The other articles of `article`'s story, or none when it stands alone.
    pub fn story_of(&self, article: usize) -> Option<&Story> {
        self.article_story[article]
            .map(|s| &self.stories[s])
            .filter(|s| s.articles.len() > 1)
    }
}

/// Distinct keys in order with their articles, and each article's key positions.
type Grouped<K> = (Vec<(K, Vec<usize>)>, Vec<Vec<usize>>);

/// Groups keys into a sorted index: `keys` gives each article's keys; the result lists the
/// distinct keys in order with their articles, and each article's positions in that list.
/// Keys are borrowed and hashed while grouping, and only the distinct ones are sorted and
/// cloned: a rebuild groups every article on every save.
fn group<'k, K, I>(keys: impl Iterator<Item = I>) -> Grouped<K>
where
    K: Ord + Hash + Clone + 'k,
    I: IntoIterator<Item = &'k K>,
{
    let mut ids: foldhash::HashMap<&K, usize> = foldhash::HashMap::default();
    let mut distinct: Vec<(&K, Vec<usize>)> = Vec::new();
    let mut per_article: Vec<Vec<usize>> = keys
        .enumerate()
        .map(|(i, ks)| {
            (ks.into_iter())
                .map(|k| {
                    let id = *ids.entry(k).or_insert_with(|| {
                        distinct.push((k, Vec::new()));
                        distinct.len() - 1
                    });
                    distinct[id].1.push(i);
                    id
                })
                .collect()
        })
        .collect();
    let mut order: Vec<usize> = (0..distinct.len()).collect();
    order.sort_unstable_by(|&a, &b| distinct[a].0.cmp(distinct[b].0));
    let mut position = vec![0; order.len()];
    for (at, &id) in order.iter().enumerate() {
        position[id] = at;
    }
    for id in per_article.iter_mut().flatten() {
        *id = position[*id];
    }
    let groups = (order.into_iter())
        .map(|id| {
            let (key, members) = &mut distinct[id];
            ((*key).clone(), std::mem::take(members))
        })
        .collect();
    (groups, per_article)
}

fn sections(articles: &[Article], config: &Settings) -> (Vec<Section>, Vec<usize>) {
    let (groups, per_article) = group(articles.iter().map(|a| [&a.section_slug]));
    let sections = groups
        .into_iter()
        .map(|(slug, mut members)| {
            let folder = articles[members[0]].section.clone();
            let title = config
                .sections
                .get(&folder)
                .and_then(|s| s.title.clone())
                .unwrap_or_else(|| title_case(&folder));
            // Grouped with the retracted articles, which keep their section for their page.
            members.retain(|&i| articles[i].listed());
            Section {
                path: UrlPath::root().join(&slug),
                folder,
                slug,
                title,
                articles: members,
            }
        })
        .collect();
    (sections, per_article.into_iter().map(|s| s[0]).collect())
}

/// A section title for folders the config does not name, as Hugo makes one (its default AP
/// style): `inside-rust` becomes `Inside Rust`, `state-of-the-art` `State of the Art`. `-` and
/// `_` part words; a word written with a capital (`iOS`) is kept as written.
fn title_case(folder: &str) -> String {
    let words: Vec<&str> = folder.split(['-', '_']).filter(|w| !w.is_empty()).collect();
    let last = words.len().saturating_sub(1);
    let titled: Vec<String> = (words.iter().enumerate())
        .map(|(i, word)| {
            let minor = i != 0 && i != last && MINOR_WORDS.contains(word);
            if minor || word.chars().any(char::is_uppercase) {
                return (*word).to_string();
            }
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        })
        .collect();
    titled.join(" ")
}

/// Articles, conjunctions and prepositions of three letters or fewer, which AP style leaves in
/// lower case inside a title.
const MINOR_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "for", "in", "nor", "of", "off", "on", "or", "per",
    "the", "to", "up", "via", "vs",
];

fn tags<'a>(articles: &'a [Article]) -> (Vec<Tag>, Vec<Vec<usize>>) {
    // Far fewer tags than uses of them, and slugging transliterates: slug each tag once.
    let mut slugs: foldhash::HashMap<&str, Option<Slug>> = foldhash::HashMap::default();
    for tag in articles.iter().filter(|a| a.listed()).flat_map(|a| &a.tags) {
        if !slugs.contains_key(tag.as_str()) {
            slugs.insert(tag, tag_slug(tag));
        }
    }
    let slug_of = |t: &String| slugs[t.as_str()].as_ref();
    let listed_tags = |a: &'a Article| {
        let tags = if a.listed() { &a.tags[..] } else { &[] };
        tags.iter().filter_map(slug_of)
    };
    let (groups, per_article) = group(articles.iter().map(listed_tags));
    let tags = groups
        .into_iter()
        .map(|(slug, members)| {
            let name = articles[members[0]]
                .tags
                .iter()
                .find(|t| slug_of(t) == Some(&slug))
                .cloned()
                .unwrap_or_else(|| slug.to_string());
            Tag {
                path: UrlPath::folder(TAGS).join(&slug),
                slug,
                name,
                articles: members,
            }
        })
        .collect();
    (tags, per_article)
}

/// How many files a warning about tags names for each spelling; it counts the rest.
const FILES_NAMED: usize = 3;

/// One warning for each tag URL that tags written differently share (`AI` and `ai` both make
/// `/tags/ai/`): each article shows the tag as it wrote it, but the tag has one page, titled
/// with one spelling. The warning goes on the newest article of the rarest spelling.
pub fn shared_tag_urls(
    articles: &[Article],
    taxonomy: &Taxonomy,
    base: &BaseUrl,
) -> Vec<Diagnostic> {
    let uses = || {
        (articles.iter().enumerate()).flat_map(|(i, article)| {
            let tags = taxonomy.article_tags[i].iter();
            article
                .tags
                .iter()
                .zip(tags)
                .map(move |(written, &tag)| (i, written, tag))
        })
    };
    // Which tags are written more than one way, in a pass that allocates nothing per use: a
    // rebuild does this on every save, and most sites write each tag one way.
    let mut first: Vec<Option<&str>> = vec![None; taxonomy.tags.len()];
    let mut shared: BTreeMap<usize, BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
    for (_, written, tag) in uses() {
        match first[tag] {
            None => first[tag] = Some(written),
            Some(one) if one != written => {
                shared.entry(tag).or_default();
            }
            Some(_) => {}
        }
    }
    if shared.is_empty() {
        return Vec::new();
    }
    // For each of those, the articles of each spelling, newest first.
    for (i, written, tag) in uses() {
        if let Some(spellings) = shared.get_mut(&tag) {
            spellings.entry(written).or_default().push(i);
        }
    }
    shared
        .into_iter()
        .map(|(tag, written)| {
            let tag = &taxonomy.tags[tag];
            let mut written: Vec<(&str, Vec<usize>)> = written.into_iter().collect();
            // Most used first; the newest use last among equals, to warn on it.
            written.sort_by_key(|(_, uses)| (Reverse(uses.len()), Reverse(uses[0])));
            let (_, rarest) = &written[written.len() - 1];
            let article = &articles[rarest[0]];
            let listed: Vec<String> = written
                .iter()
                .map(|(text, uses)| format!("`{text}` in {}", files(articles, uses)))
                .collect();
            Diagnostic::warning(
                &article.file,
                "tags written differently share one URL",
                format!(
                    "{} all make {}, whose page shows `{}`; write the tag one way",
                    listed.join("; "),
                    tag.path.url(base),
                    tag.name
                ),
            )
            .at(article.tags_position)
            .kind(
                Kind::new("tags written differently share one URL")
                    .about(format!("{} (`{}`)", tag.path.url(base), tag.name))
                    .hint("write each tag one way; --verbose names the spellings and files"),
            )
        })
        .collect()
}

/// The first few files of `uses` (articles by their place in `articles`), and how many more.
fn files(articles: &[Article], uses: &[usize]) -> String {
    let named: Vec<String> = (uses.iter().take(FILES_NAMED))
        .map(|&i| crate::error::shown_path(&articles[i].file))
        .collect();
    match uses.len().saturating_sub(FILES_NAMED) {
        0 => named.join(", "),
        more => format!("{} and {more} more", named.join(", ")),
    }
}

fn by_bot(articles: &[Article], bots: &[Bot]) -> (Vec<Vec<usize>>, Vec<Option<usize>>) {
    let index: HashMap<&str, usize> = bots
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id.as_str(), i))
        .collect();
    let mut bot_articles = vec![Vec::new(); bots.len()];
    let article_bot: Vec<Option<usize>> = articles
        .iter()
        .map(|a| a.author.as_deref().and_then(|id| index.get(id).copied()))
        .collect();
    for (i, bot) in article_bot.iter().enumerate() {
        if let Some(b) = bot.filter(|_| articles[i].listed()) {
            bot_articles[b].push(i);
        }
    }
    (bot_articles, article_bot)
}

/// Archives by the year and month each article was written in. Dates keep their own offsets,
/// so the newest-first order of instants is not always the order of local months; grouping by
/// key, not by runs, keeps one archive per month.
fn years(articles: &[Article]) -> Vec<Year> {
    let mut by_month: BTreeMap<(i16, i8), Vec<usize>> = BTreeMap::new();
    for (i, article) in articles.iter().enumerate().filter(|(_, a)| a.listed()) {
        let key = (article.date.year(), article.date.month());
        by_month.entry(key).or_default().push(i);
    }
    let mut years: Vec<Year> = Vec::new();
    for ((y, m), members) in by_month.into_iter().rev() {
        if years.last().is_none_or(|last| last.year != y) {
            years.push(Year {
                year: y,
                path: UrlPath::root().join_number(y, 4),
                articles: Vec::new(),
                months: Vec::new(),
            });
        }
        let Some(year) = years.last_mut() else {
            continue;
        };
        year.articles.extend(&members);
        year.months.push(Month {
            year: y,
            month: m,
            path: year.path.clone().join_number(m, 2),
            articles: members,
        });
    }
    for year in &mut years {
        year.articles.sort_unstable();
    }
    years
}

fn stories<'a>(articles: &'a [Article]) -> (Vec<Story>, Vec<Option<usize>>) {
    let listed_story = |a: &'a Article| if a.listed() { &a.story } else { &None };
    let (groups, per_article) = group(articles.iter().map(listed_story));
    let stories = groups
        .into_iter()
        .map(|(id, mut members)| {
            members.reverse();
            Story {
                id,
                articles: members,
            }
        })
        .collect();
    (
        stories,
        per_article
            .into_iter()
            .map(|s| s.first().copied())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_titles_from_folder_names_keep_their_words() {
        for (folder, title) in [
            ("world", "World"),
            ("inside-rust", "Inside Rust"),
            ("world_news", "World News"),
            ("state-of-the-art", "State of the Art"),
            ("the-end-of", "The End Of"),
            ("iOS-apps", "iOS Apps"),
            ("2024-elections", "2024 Elections"),
            ("über--alles_", "Über Alles"),
            ("", ""),
        ] {
            assert_eq!(title_case(folder), title, "{folder}");
        }
    }
}
