//! Related posts: for every article, the few others a reader is most likely to want next.
//!
//! Candidates come from inverted indexes, never from a pass over all pairs: for each tag of the
//! article (but those on more than `max_tag_share` of all articles), the `window` articles
//! nearest in time on either side in that tag's list; every
//! article of the same story; and the nearest articles of the same section, so that an article
//! with rare tags still gets a list. Each candidate is then scored in full:
//!
//! ```text
//! score = tags    * Σ ln(1 + N / articles_with_tag)   over shared tags
//!       + story   (same story)
//!       + section (same section)
//!       + recency * 0.5 ^ (days apart / recency_days)
//! ```
//!
//! Ties go to the newer article, then to the earlier one in the site's order, so the same
//! input always gives the same list.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::RelatedConfig;
use crate::content::Article;
use crate::site::taxonomy::Taxonomy;
use crate::url::Slug;

/// One article's related posts: indexes into `Site::articles`, best first.
pub type Related = Vec<usize>;

/// Related posts kept from one `Site` for the next, with what they were computed from.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct RelatedMemo {
    config: RelatedConfig,
    inputs: Vec<Inputs>,
    /// Lent to the `Site` while it lives.
    pub(super) lists: Vec<Related>,
}

/// What `compute` reads of one article; its section is the first folder of its file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Inputs {
    file: PathBuf,
    time: jiff::Timestamp,
    story: Option<String>,
    tags: Vec<Slug>,
}

impl RelatedMemo {
    /// The related posts of every article, reusing `previous` where it was computed from the
    /// same articles in the same order (same files, so the same sections, and same dates) with
    /// the same configuration: then only the articles a change of tags or story can reach are
    /// scored again. Any other change computes everything.
    pub fn compute(
        articles: &[Article],
        taxonomy: &Taxonomy,
        config: &RelatedConfig,
        previous: Option<RelatedMemo>,
    ) -> Self {
        let inputs = inputs_of(articles, taxonomy);
        let lists = match previous {
            Some(old) if old.config == *config && same_order(&old.inputs, &inputs) => {
                let changed: Vec<usize> = (0..inputs.len())
                    .filter(|&i| old.inputs[i] != inputs[i])
                    .collect();
                let mut lists = old.lists;
                if !changed.is_empty() && config.count > 0 {
                    let scorer = Scorer::new(articles, taxonomy, config);
                    let again = reached(taxonomy, &old.inputs, &inputs, &changed);
                    let fresh: Vec<Related> =
                        again.par_iter().map(|&a| scorer.related(a)).collect();
                    for (a, list) in again.into_iter().zip(fresh) {
                        lists[a] = list;
                    }
                }
                lists
            }
            _ => compute(articles, taxonomy, config),
        };
        Self {
            config: config.clone(),
            inputs,
            lists,
        }
    }
}

fn inputs_of(articles: &[Article], t: &Taxonomy) -> Vec<Inputs> {
    (articles.iter().enumerate())
        .map(|(i, a)| Inputs {
            file: a.file.clone(),
            time: a.date.timestamp(),
            story: a.story.clone(),
            tags: t.article_tags[i]
                .iter()
                .map(|&g| t.tags[g].slug.clone())
                .collect(),
        })
        .collect()
}

fn same_order(old: &[Inputs], new: &[Inputs]) -> bool {
    old.len() == new.len()
        && old
            .iter()
            .zip(new)
            .all(|(o, n)| o.file == n.file && o.time == n.time)
}

/// The articles whose related posts can differ after the `changed` articles' tags or story
/// changed (the articles, their order and sections being the same): the changed ones, and
/// every article of a tag or story one of them joined or left. Any other article keeps its
/// candidates (its tags', story's and section's lists are the same), its tags keep their
/// weights (their counts are the same), and its score against a changed article is the same
/// (what they share did not change).
fn reached(t: &Taxonomy, old: &[Inputs], new: &[Inputs], changed: &[usize]) -> Vec<usize> {
    let mut marked = vec![false; new.len()];
    let mut mark = |members: &[usize]| members.iter().for_each(|&m| marked[m] = true);
    for &i in changed {
        mark(&[i]);
        let (o, n) = (&old[i], &new[i]);
        let moved_tags = o.tags.iter().filter(|g| !n.tags.contains(g));
        for slug in moved_tags.chain(n.tags.iter().filter(|g| !o.tags.contains(g))) {
            if let Ok(tag) = t.tags.binary_search_by(|g| g.slug.cmp(slug)) {
                mark(&t.tags[tag].articles);
            }
        }
        if o.story != n.story {
            for id in o.story.iter().chain(&n.story) {
                if let Ok(story) = t.stories.binary_search_by(|s| s.id.cmp(id)) {
                    mark(&t.stories[story].articles);
                }
            }
        }
    }
    (0..marked.len()).filter(|&a| marked[a]).collect()
}

/// The related posts of every article, in the order of `articles` (newest first).
pub fn compute(articles: &[Article], taxonomy: &Taxonomy, config: &RelatedConfig) -> Vec<Related> {
    if config.count == 0 {
        return vec![Vec::new(); articles.len()];
    }
    let scorer = Scorer::new(articles, taxonomy, config);
    (0..articles.len())
        .into_par_iter()
        .map(|a| scorer.related(a))
        .collect()
}

struct Scorer<'a> {
    taxonomy: &'a Taxonomy,
    config: &'a RelatedConfig,
    /// Weight of each tag: rarer tags say more about what an article is about.
    tag_weight: Vec<f64>,
    /// Each article's moment, in seconds, read once rather than once per candidate.
    seconds: Vec<i64>,
    /// Whether each tag brings candidates: not when most articles carry it and its windows
    /// do not reach all of them.
    brings_candidates: Vec<bool>,
}

impl<'a> Scorer<'a> {
    fn new(articles: &[Article], taxonomy: &'a Taxonomy, config: &'a RelatedConfig) -> Self {
        let n = articles.len() as f64;
        let tag_weight = taxonomy
            .tags
            .iter()
            .map(|t| (1.0 + n / t.articles.len() as f64).ln())
            .collect();
        let brings_candidates = taxonomy
            .tags
            .iter()
            .map(|t| {
                let len = t.articles.len();
                // A small site's tags are all common, but their windows hold them whole.
                len as f64 <= config.max_tag_share * n || len <= 2 * config.window + 1
            })
            .collect();
        Self {
            taxonomy,
            config,
            tag_weight,
            brings_candidates,
            seconds: articles
                .iter()
                .map(|a| a.date.timestamp().as_second())
                .collect(),
        }
    }

    fn related(&self, a: usize) -> Related {
        let mut scored: Vec<(f64, usize)> = self
            .candidates(a)
            .into_iter()
            .map(|b| (self.score(a, b), b))
            .filter(|(score, _)| *score > 0.0)
            .collect();
        // The order is total (no two candidates are equal), so picking the best `count` first
        // and sorting only those gives the same list as sorting them all.
        let best_first =
            |x: &(f64, usize), y: &(f64, usize)| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1));
        if scored.len() > self.config.count {
            scored.select_nth_unstable_by(self.config.count, best_first);
            scored.truncate(self.config.count);
        }
        scored.sort_unstable_by(best_first);
        // Not `into_iter().collect()`, which would reuse (and keep) the candidates' allocation
        // for every article's short list.
        let mut related = Vec::with_capacity(self.config.count.min(scored.len()));
        related.extend(scored.iter().take(self.config.count).map(|&(_, b)| b));
        related
    }

    fn candidates(&self, a: usize) -> Vec<usize> {
        let t = self.taxonomy;
        let mut found = Vec::new();
        for &tag in t.article_tags[a]
            .iter()
            .filter(|&&g| self.brings_candidates[g])
        {
            found.extend(near(&t.tags[tag].articles, a, self.config.window));
        }
        if let Some(story) = t.story_of(a) {
            found.extend(story.articles.iter().copied());
        }
        let section = &t.sections[t.article_section[a]].articles;
        found.extend(near(section, a, self.config.count));
        found.sort_unstable();
        found.dedup();
        found.retain(|&b| b != a);
        found
    }

    fn score(&self, a: usize, b: usize) -> f64 {
        let t = self.taxonomy;
        let c = self.config;
        let shared: f64 = t.article_tags[a]
            .iter()
            .filter(|tag| t.article_tags[b].contains(tag))
            .map(|&tag| self.tag_weight[tag])
            .sum();
        let same_story = t.article_story[a].is_some() && t.article_story[a] == t.article_story[b];
        let same_section = t.article_section[a] == t.article_section[b];
        let seconds = (self.seconds[a] - self.seconds[b]).unsigned_abs() as f64;
        let days = seconds / 86_400.0;
        let recency = if c.recency_days > 0.0 {
            0.5_f64.powf(days / c.recency_days)
        } else {
            0.0
        };
        c.tags * shared
            + if same_story { c.story } else { 0.0 }
            + if same_section { c.section } else { 0.0 }
            + c.recency * recency
    }
}

/// Up to `window` members of `list` (sorted by index) on either side of `a`'s place in it.
fn near(list: &[usize], a: usize, window: usize) -> impl Iterator<Item = usize> + '_ {
    let at = list.partition_point(|&x| x < a);
    let start = at.saturating_sub(window);
    let end = (at + window + 1).min(list.len());
    list[start..end].iter().copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Settings};
    use crate::date::PublishDate;
    use crate::url::{Slug, UrlPath};

    fn article(
        name: &str,
        section: &str,
        date: &str,
        tags: &[&str],
        story: Option<&str>,
    ) -> Article {
        Article {
            file: format!("content/{section}/{name}.md").into(),
            section: section.into(),
            section_slug: Slug::from_text(section).unwrap(),
            slug: Slug::from_text(name).unwrap(),
            path: UrlPath::root().join(&Slug::from_text(name).unwrap()),
            title: name.into(),
            date: PublishDate::parse(date, &jiff::tz::TimeZone::UTC).unwrap(),
            updated: None,
            author: None,
            author_position: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            tags_position: None,
            summary: String::new(),
            summary_position: None,
            story: story.map(str::to_string),
            sources: Vec::new(),
            corrections: Vec::new(),
            draft: false,
            image: None,
            disclaimer: None,
            extra: serde_yaml::Value::Null,
            word_count: 0,
        }
    }

    /// Related titles of each article, for a site given newest first.
    fn related_titles(articles: &[Article], config: &RelatedConfig) -> Vec<Vec<String>> {
        let taxonomy = Taxonomy::new(articles, &[], &Settings::check(Config::default()).unwrap());
        compute(articles, &taxonomy, config)
            .into_iter()
            .map(|list| {
                list.into_iter()
                    .map(|i| articles[i].title.clone())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_tag_most_articles_carry_brings_no_candidates() {
        // Every article in a section of its own, all sharing one tag: that tag is the only
        // way to find the others.
        let articles: Vec<Article> = (0..6)
            .map(|n| {
                let (name, day) = (format!("a{n}"), format!("2026-03-{:02}", 10 - n));
                article(&name, &name, &day, &["everywhere"], None)
            })
            .collect();
        let narrow = RelatedConfig {
            window: 2,
            ..RelatedConfig::default()
        };
        let capped = related_titles(&articles, &narrow);
        assert!(capped.iter().all(Vec::is_empty), "{capped:?}");
        let uncapped = RelatedConfig {
            max_tag_share: 1.0,
            ..narrow
        };
        assert_eq!(related_titles(&articles, &uncapped)[0][0], "a1");
    }

    #[test]
    fn rare_shared_tags_outweigh_common_ones() {
        let articles = [
            article("subject", "a", "2026-03-10", &["common", "rare"], None),
            article("shares-common", "b", "2026-03-09", &["common"], None),
            article("shares-rare", "c", "2026-03-01", &["rare"], None),
            article("also-common", "d", "2026-03-08", &["common"], None),
        ];
        let related = related_titles(&articles, &RelatedConfig::default());
        assert_eq!(related[0][0], "shares-rare");
    }

    #[test]
    fn related_prefers_same_story() {
        let articles = [
            article("subject", "a", "2026-03-10", &["x"], Some("strike")),
            article("same-tag", "b", "2026-03-10", &["x"], None),
            article("same-story", "c", "2026-01-01", &[], Some("strike")),
        ];
        let related = related_titles(&articles, &RelatedConfig::default());
        assert_eq!(related[0], ["same-story", "same-tag"]);
    }

    #[test]
    fn never_lists_itself_and_respects_count() {
        let articles: Vec<Article> = (1..=9)
            .map(|d| {
                article(
                    &format!("a{d}"),
                    "s",
                    &format!("2026-03-0{}", 10 - d),
                    &["t"],
                    None,
                )
            })
            .collect();
        let config = RelatedConfig {
            count: 3,
            ..RelatedConfig::default()
        };
        for (i, list) in related_titles(&articles, &config).iter().enumerate() {
            assert_eq!(list.len(), 3);
            assert!(!list.contains(&articles[i].title));
        }
    }

    #[test]
    fn ties_go_to_the_newer_article_and_repeat_exactly() {
        let articles = [
            article("new", "b", "2026-03-12", &["t"], None),
            article("subject", "a", "2026-03-11", &["t"], None),
            article("old", "c", "2026-03-10", &["t"], None),
        ];
        let config = RelatedConfig::default();
        let first = related_titles(&articles, &config);
        assert_eq!(first[1], ["new", "old"]);
        assert_eq!(first, related_titles(&articles, &config));
    }

    #[test]
    fn reusing_after_a_change_of_tags_or_story_equals_computing_afresh() {
        let tags = ["a", "b", "c", "d", "e"];
        let site = |changed: Option<(usize, &[&str], Option<&str>)>| -> Vec<Article> {
            (0..40)
                .map(|n| {
                    let mut mine: Vec<&str> = vec![tags[n % 5], tags[(n * 3 + 1) % 5]];
                    let mut story = (n % 7 == 0).then_some("strike");
                    let section = ["world", "business", "science"][n % 3];
                    if let Some((at, new_tags, new_story)) = changed
                        && at == n
                    {
                        mine = new_tags.to_vec();
                        story = new_story;
                    }
                    let date = format!("2026-03-{:02}T{:02}:00:00Z", 28 - n / 2, n % 24);
                    article(&format!("a{n:02}"), section, &date, &mine, story)
                })
                .collect()
        };
        // Small windows, so that a change reaches only some articles.
        let config = RelatedConfig {
            window: 3,
            count: 3,
            ..RelatedConfig::default()
        };
        let memo_of = |articles: &[Article], previous| {
            let taxonomy =
                Taxonomy::new(articles, &[], &Settings::check(Config::default()).unwrap());
            RelatedMemo::compute(articles, &taxonomy, &config, previous).lists
        };
        // Article 14 is ["e", "d"] in the story "strike".
        let changes: [(usize, &[&str], Option<&str>); 5] = [
            (14, &["e", "d"], None),
            (5, &["a", "z"], None),
            (12, &[], Some("strike")),
            (21, &["b"], Some("other")),
            (30, &["c", "d", "e"], None),
        ];
        for change in changes {
            let before = site(None);
            let taxonomy =
                Taxonomy::new(&before, &[], &Settings::check(Config::default()).unwrap());
            let previous = RelatedMemo::compute(&before, &taxonomy, &config, None);
            let after = site(Some(change));
            assert_eq!(
                memo_of(&after, Some(previous)),
                memo_of(&after, None),
                "after changing article {}",
                change.0
            );
        }
    }

    #[test]
    fn near_takes_a_window_around_the_article() {
        let list = [1, 3, 5, 7, 9, 11];
        assert_eq!(near(&list, 7, 1).collect::<Vec<_>>(), [5, 7, 9]);
        assert_eq!(near(&list, 1, 2).collect::<Vec<_>>(), [1, 3, 5]);
        assert_eq!(near(&list, 6, 1).collect::<Vec<_>>(), [5, 7, 9]);
    }
}
