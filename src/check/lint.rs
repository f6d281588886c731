//! Front matter lints: what builds fine but is likely a slip in a digest. Articles without
//! sources, tags that look misspelt, long summaries, and dates in the future; and what a reader
//! or a regulator would miss in the site's AI disclosure: a bot with no model, a site of bots
//! that turned the disclosure off. Every lint is a warning; `--strict` makes warnings fail the
//! check.
//!
//! Authors with no bot profile and tags written two ways that share a URL are not here: the
//! build itself warns about them.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use crate::content::{self, Article, front_matter};
use crate::error::{Diagnostic, Kind, Position};
use crate::folders::{BOTS_DIR, CONFIG_FILE};
use crate::site::Site;
use crate::yaml;

/// Summaries longer than this many characters are cut short by link previews and crowd lists.
const SUMMARY_LIMIT: usize = 300;
/// Tags this long or longer are compared for spelling; shorter ones (`ai`, `eu`, `rail`) differ
/// by one letter too often to mean a typo.
const SPELLING_MIN_LEN: usize = 5;

/// Every lint warning about the articles of `site` and those left out for being dated later.
pub fn lint(root: &Path, site: &Site, future: &[Article]) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let ai = site.settings.ai_disclosure;
    found.extend(without_sources(root, &site.articles, ai));
    if ai {
        found.extend(bots_without_model(site));
    }
    found.extend(undisclosed_bots(root, site));
    found.extend(long_summaries(&site.articles));
    found.extend(pictures_without_alt(&site.articles));
    found.extend(future_dates(root, future));
    found.extend(tag_spellings(site));
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
    articles
        .iter()
        .filter(|a| a.sources.is_empty())
        .map(move |a| {
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
