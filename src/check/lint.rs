//! Front matter lints: what builds fine but is likely a slip in a digest. Articles without
//! sources, tags that look misspelt, long summaries, dates in the future, URLs changed since
//! the last build with no alias, and an AI policy without a contact; and what a reader or a
//! regulator would miss in the site's AI disclosure: a bot with no model, a site of bots that
//! turned the disclosure off; and the theme's words a site language shows in English for want
//! of a translation. Every lint is a warning; `--strict` makes warnings fail the check.
//!
//! Authors with no bot profile and tags written two ways that share a URL are not here: the
//! build itself warns about them.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use crate::config::AiPolicyConfig;
use crate::content::{self, Article, front_matter};
use crate::error::{Diagnostic, Kind, Position};
use crate::folders::{BOTS_DIR, CONFIG_FILE, I18N_DIR};
use crate::i18n;
use crate::site::{AiPolicy, Site};
use crate::url::{BaseUrl, UrlPath};
use crate::yaml;

/// Summaries longer than this many characters are cut short by link previews and crowd lists.
const SUMMARY_LIMIT: usize = 300;
/// Tags this long or longer are compared for spelling; shorter ones (`ai`, `eu`, `rail`) differ
/// by one letter too often to mean a typo.
const SPELLING_MIN_LEN: usize = 5;

/// Every lint warning about the articles of `site` (one language's, `sites[0]` the default's)
/// and those left out for being dated later; `last` holds the articles of the last build, when
/// its state could be read. What is the whole site's (its AI policy and bots, the articles
/// dated later) is linted with the default language.
pub fn lint(
    root: &Path,
    sites: &[&Site],
    future: &[Article],
    last: Option<&[Article]>,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let Some(first) = sites.first() else {
        return found;
    };
    let ai = first.settings.ai_disclosure;
    found.extend(ai_policy(first));
    if ai {
        found.extend(bots_without_model(first));
    }
    found.extend(undisclosed_bots(root, first));
    found.extend(future_dates(root, future));
    for (n, site) in sites.iter().enumerate() {
        let lang = (n > 0).then_some(site.settings.language.as_str());
        let last = last.map(|last| last.iter().filter(|a| a.lang.as_deref() == lang));
        found.extend(
            last.map(|last| moved_urls(root, site, last))
                .unwrap_or_default(),
        );
        found.extend(without_sources(root, &site.articles, ai));
        found.extend(long_summaries(&site.articles));
        found.extend(pictures_without_alt(&site.articles));
        found.extend(tag_spellings(site));
    }
    found.extend(untranslated(first, first.settings.language_codes()));
    found
}

/// For each of `languages` (the site's), one warning listing the theme's words it shows in
/// English: neither gazette nor the site's i18n/<lang>.yaml translates them.
fn untranslated<'l>(site: &Site, languages: impl IntoIterator<Item = &'l str>) -> Vec<Diagnostic> {
    let catalogues = &site.settings.i18n;
    (languages.into_iter())
        .filter_map(|language| {
            let missing = i18n::missing(language, catalogues);
            let first = missing.first()?;
            let file = Path::new(I18N_DIR).join(format!("{language}.yaml"));
            let keys: Vec<String> = missing.iter().map(|k| format!("`{k}`")).collect();
            Some(Diagnostic::warning(
                &file,
                format!(
                    "{} of the theme's words are shown in English on the pages in `{language}`: {}",
                    missing.len(),
                    keys.join(", ")
                ),
                format!(
                    "translate them in {}, such as `{first}: \"...\"`; gazette's own keys and English texts are listed in docs/src/translations.md",
                    file.display()
                ),
            ))
        })
        .collect()
}

/// Articles whose URL changed since the last build with nothing at the old one: every link to
/// it, in search engines, feeds read earlier and other sites, now leads to the 404 page. An
/// article is known by its file, or, when its file was renamed (the usual way of changing a
/// slug taken from the file name), by its title.
fn moved_urls<'a>(
    root: &Path,
    site: &Site,
    last: impl Iterator<Item = &'a Article>,
) -> Vec<Diagnostic> {
    let mut taken: HashSet<&UrlPath> = site.articles.iter().map(|a| &a.path).collect();
    taken.extend(site.pages.iter().map(|p| &p.path));
    taken.extend(site.aliased().flat_map(|of| site.moved(of).aliases));
    let by_file: HashMap<&Path, &Article> = (site.articles.iter())
        .map(|a| (a.file.as_path(), a))
        .collect();
    let by_title: HashMap<&str, &Article> = (site.articles.iter())
        .map(|a| (a.title.as_str(), a))
        .collect();
    // Written as aliases are: paths of the site, without the base path.
    let site_path = |path: &UrlPath| path.url(&BaseUrl::default());
    let mut found = Vec::new();
    for old in last.filter(|old| !taken.contains(&old.path)) {
        let (now, renamed) = match by_file.get(old.file.as_path()) {
            Some(now) => (*now, None),
            None => match by_title.get(old.title.as_str()) {
                Some(now) => (*now, Some(&old.file)),
                None => continue,
            },
        };
        let (from, to) = (site_path(&old.path), site_path(&now.path));
        let was = renamed.map_or(String::new(), |file| {
            format!(" (it was {})", crate::error::shown_path(file))
        });
        found.push(
            Diagnostic::warning(
                &now.file,
                format!("its URL changed from {from} to {to} since the last build{was}"),
                format!("add `aliases: [{from}]` to keep old links working"),
            )
            .at(position_of(root, &now.file, "slug"))
            .kind(Kind::new("URLs changed since the last build")),
        );
    }
    found
}

/// An `ai_policy` the site wrote should say whom to tell about an error, and name only bots the
/// site has. A site that wrote none gets the default page without a word: a warning on every
/// AI site would be one more line each check that most sites start with.
fn ai_policy(site: &Site) -> Vec<Diagnostic> {
    let policy = &site.settings.ai_policy;
    let written = *policy != AiPolicyConfig::default();
    if !written || site.ai_policy() != Some(AiPolicy::Generated) {
        return Vec::new();
    }
    let mut found = Vec::new();
    if policy
        .contact
        .as_deref()
        .is_none_or(|c| c.trim().is_empty())
    {
        found.push(Diagnostic::warning(
            CONFIG_FILE,
            "`ai_policy` gives no contact for reporting errors",
            "add `ai_policy: { contact: newsroom@example.org }` (an email address or an https:// URL)",
        ));
    }
    let known = |id: &String| site.bots.iter().any(|b| &b.id == id);
    for id in policy.bots.iter().flatten().filter(|id| !known(id)) {
        found.push(Diagnostic::warning(
            CONFIG_FILE,
            format!("`ai_policy.bots` names `{id}`, which has no profile in content/bots/"),
            "list bot ids as their files are named, such as wirebot for content/bots/wirebot.md",
        ));
    }
    found
}

/// An article without sources; on a site that discloses AI, an AI digest that does not say what
/// it was distilled from, which its readers cannot check.
fn without_sources<'a>(
    root: &'a Path,
    articles: &'a [Article],
    ai: bool,
) -> impl Iterator<Item = Diagnostic> + 'a {
    let message = match ai {
        true => "the AI-written article lists no sources",
        false => "the article lists no sources",
    };
    articles.iter().filter(|a| !a.sourced).map(move |a| {
        Diagnostic::warning(
            &a.file,
            message,
            "add the reports it was written from under `sources:`, so readers can check it",
        )
        .at(position_of(root, &a.file, "sources"))
    })
}

/// A bot whose profile names no model: its articles' labels and their machine-readable
/// disclosure (`data-ai-model`) cannot say what wrote them.
fn bots_without_model(site: &Site) -> impl Iterator<Item = Diagnostic> + '_ {
    (site.bots.iter()).filter(|b| b.model.is_none()).map(|b| {
        Diagnostic::warning(
            &b.file,
            "the bot's profile names no model",
            "add `model:`, the AI model it runs on: its articles' AI label and disclosure name it",
        )
        .kind(
            Kind::new("bots with no model")
                .about(format!("`{}`", b.id))
                .hint("add `model:` to each profile"),
        )
    })
}

/// `ai_disclosure: false` on a site whose articles are by bots: the articles would go out with
/// no AI label, no machine-readable disclosure and no AI disclaimer.
fn undisclosed_bots(root: &Path, site: &Site) -> Option<Diagnostic> {
    if site.settings.ai_disclosure {
        return None;
    }
    let by_bots = (site.taxonomy.article_bot.iter())
        .filter(|b| b.is_some())
        .count();
    if by_bots == 0 {
        return None;
    }
    let text = std::fs::read_to_string(root.join(CONFIG_FILE)).unwrap_or_default();
    let source = yaml::YamlText {
        file: Path::new(CONFIG_FILE),
        text: &text,
        first_line: 1,
    };
    Some(
        Diagnostic::warning(
            CONFIG_FILE,
            format!(
                "`ai_disclosure: false`, but {} by bots of content/{BOTS_DIR}/",
                if by_bots == 1 {
                    "1 article is".to_string()
                } else {
                    format!("{by_bots} articles are")
                }
            ),
            "set `ai_disclosure: true`: their pages then say they were written by AI, as the EU \
             AI Act's Article 50 asks of AI-written news; `false` is for sites written by people",
        )
        .at(yaml::path_position(&source, "ai_disclosure")),
    )
}

/// A lead picture without `alt` says nothing to a reader who cannot see it: screen readers
/// skip it, or read out its file name.
fn pictures_without_alt(articles: &[Article]) -> impl Iterator<Item = Diagnostic> + '_ {
    (articles.iter())
        .filter(|a| a.image.as_ref().is_some_and(|i| i.alt.is_none()))
        .map(|a| {
            Diagnostic::warning(
                &a.file,
                "the picture has no alt text",
                "write what it shows in `image: { src: ..., alt: \"...\" }`, for readers who cannot see it",
            )
            .at(a.image_position)
            .kind(Kind::new("pictures without alt text"))
        })
}

fn long_summaries(articles: &[Article]) -> impl Iterator<Item = Diagnostic> + '_ {
    articles.iter().filter_map(|a| {
        let length = a.summary.chars().count();
        (length > SUMMARY_LIMIT).then_some(())?;
        // A summary taken from the body is the body's business, not the front matter's.
        let position = a.summary_position?;
        Some(
            Diagnostic::warning(
                &a.file,
                format!("the summary is {length} characters long, over {SUMMARY_LIMIT}"),
                "shorten it: lists, feeds and link previews show it whole or cut it off",
            )
            .at(Some(position))
            .kind(Kind::new(format!(
                "summaries over {SUMMARY_LIMIT} characters"
            ))),
        )
    })
}

fn future_dates<'a>(
    root: &'a Path,
    future: &'a [Article],
) -> impl Iterator<Item = Diagnostic> + 'a {
    future.iter().map(|a| {
        Diagnostic::warning(
            &a.file,
            format!(
                "dated {}, in the future, so it is left out of the site until then",
                a.date.iso()
            ),
            "fix the date, or build with --future to publish it now",
        )
        .at(position_of(root, &a.file, "date"))
        .kind(Kind::new(
            "articles dated in the future, left out until then",
        ))
    })
}

/// Tags that look like misspellings of each other: slugs at least `SPELLING_MIN_LEN` long and
/// one edit apart (`labour`, `labor`). Each pair is reported once, on the newest article using
/// the rarer tag. Spellings that make one URL (`AI`, `ai`) are the build's own warning
/// (`taxonomy::shared_tag_urls`), which `check` shows too.
fn tag_spellings(site: &Site) -> Vec<Diagnostic> {
    let tags = &site.taxonomy.tags;
    let mut found = Vec::new();
    for (a, b) in one_edit_apart(tags.iter().map(|t| t.slug.as_str())) {
        let (rare, common) = if tags[a].articles.len() < tags[b].articles.len() {
            (a, b)
        } else {
            (b, a)
        };
        let article = &site.articles[tags[rare].articles[0]];
        found.push(
            Diagnostic::warning(
                &article.file,
                "a tag looks like a misspelling of another",
                format!(
                    "`{}`, on {}, and `{}`, on {}, are one letter apart; write the tag one way",
                    tags[rare].name,
                    articles(tags[rare].articles.len()),
                    tags[common].name,
                    articles(tags[common].articles.len()),
                ),
            )
            .at(article.tags_position)
            .kind(
                Kind::new("tags that look like misspellings of others")
                    .about(format!(
                        "`{}` (like `{}`)",
                        tags[rare].name, tags[common].name
                    ))
                    .hint("write the tag one way"),
            ),
        );
    }
    found
}

fn articles(n: usize) -> String {
    if n == 1 {
        "1 article".into()
    } else {
        format!("{n} articles")
    }
}

/// Pairs of (ASCII) slugs at least `SPELLING_MIN_LEN` long and one insertion, deletion or
/// substitution apart, by their positions. Two such slugs share a form with one letter left
/// out (or one is such a form of the other), so the slugs are indexed by those forms: the work
/// grows with the number of tags times their length, never with pairs of tags.
fn one_edit_apart<'s>(slugs: impl Iterator<Item = &'s str>) -> BTreeSet<(usize, usize)> {
    let mut by_form: HashMap<String, Vec<usize>> = HashMap::new();
    let slugs: Vec<&str> = slugs.collect();
    for (i, slug) in slugs.iter().enumerate() {
        if slug.len() < SPELLING_MIN_LEN {
            continue;
        }
        by_form.entry(slug.to_string()).or_default().push(i);
        for cut in 0..slug.len() {
            let form = format!("{}{}", &slug[..cut], &slug[cut + 1..]);
            by_form.entry(form).or_default().push(i);
        }
    }
    let mut pairs = BTreeSet::new();
    for group in by_form.values() {
        for (n, &a) in group.iter().enumerate() {
            for &b in &group[n + 1..] {
                if a != b && strsim::levenshtein(slugs[a], slugs[b]) == 1 {
                    pairs.insert((a.min(b), a.max(b)));
                }
            }
        }
    }
    pairs
}

/// Where `key:` is written in `file`'s front matter. The file is read again, which is only
/// done for the few files a lint warns about.
fn position_of(root: &Path, file: &Path, key: &str) -> Option<Position> {
    let text = content::read_text(root, file).ok()?;
    let split = front_matter::split(file, &text).ok()?;
    front_matter::position_of(&split, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_slugs_one_edit_apart_and_long_enough() {
        let slugs = [
            "labour", "labor", "floods", "flood", "rail", "mail", "energy", "europe",
        ];
        let pairs: Vec<_> = one_edit_apart(slugs.into_iter()).into_iter().collect();
        assert_eq!(pairs, [(0, 1), (2, 3)]);
    }

    #[test]
    fn substitutions_count_but_swaps_do_not() {
        let pairs = one_edit_apart(["shipping", "shopping", "tarde", "trade"].into_iter());
        assert_eq!(pairs.into_iter().collect::<Vec<_>>(), [(0, 1)]);
    }
}
