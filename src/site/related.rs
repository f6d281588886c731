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
//! N and the counts of articles with a tag are rounded up to three significant binary digits
//! (`coarse`): with exact counts every new article would change every tag's weight, and so
//! possibly every list, while a publish must change only the lists it enters. Ties go to the
//! newer article, then to the earlier one in the site's order, so the same input always gives
//! the same list.
//!
//! A build that kept the lists of the previous one scores again only the articles a change can
//! reach (`update`), which gives the same lists as scoring them all.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

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

/// What `compute` reads of one article.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Inputs {
    file: PathBuf,
    time: jiff::Timestamp,
    section: Slug,
    story: Option<String>,
    tags: Vec<Slug>,
    /// Not retracted: a retracted article has no related posts and is none.
    listed: bool,
}

impl RelatedMemo {
    /// The related posts of every article. With `previous`, what the last `Site` of the same
    /// site gave back, only the articles that a change can reach are scored again, unless the
    /// configuration or the rounded number of articles changed, or more than an eighth of the
    /// articles did: then everything is computed again.
    pub fn compute(
        articles: &[Article],
        taxonomy: &Taxonomy,
        config: &RelatedConfig,
        previous: Option<RelatedMemo>,
    ) -> Self {
        let inputs = inputs_of(articles, taxonomy);
        let lists = previous
            .and_then(|old| update(old, &inputs, articles, taxonomy, config))
            .unwrap_or_else(|| compute(articles, taxonomy, config));
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
            section: a.section_slug.clone(),
            story: a.story.clone(),
            listed: a.listed(),
            tags: t.article_tags[i]
                .iter()
                .map(|&g| t.tags[g].slug.clone())
                .collect(),
        })
        .collect()
}

/// `n` rounded up to its three most significant binary digits (1000 is 1024, 1100 is 1280):
/// a count that moves by one changes its rounding about once in every eighth of its value.
fn coarse(n: usize) -> usize {
    let digits = usize::BITS - n.leading_zeros();
    let dropped = (1usize << digits.saturating_sub(3)) - 1;
    (n + dropped) & !dropped
}

/// The weight of a tag that `carried` articles carry, on a site of `n` (rounded by `coarse`).
fn tag_weight(n: usize, carried: usize) -> f64 {
    (1.0 + n as f64 / coarse(carried) as f64).ln()
}

/// Whether a tag that `carried` articles carry brings candidates, on a site of `n` (rounded by
/// `coarse`): not when more than `max_tag_share` of the articles carry it and its windows do
/// not hold all of them.
fn brings_candidates(config: &RelatedConfig, n: usize, carried: usize) -> bool {
    // A small site's tags are all common, but their windows hold them whole.
    carried as f64 <= config.max_tag_share * n as f64 || carried <= 2 * config.window + 1
}

/// How the articles of a `Site` match those of the previous one: by file, as indexes shift
/// when articles come and go. An article whose inputs did not change keeps its place among the
/// other unchanged ones, the order being by date then file.
struct Matching {
    /// For each article, its index in the previous `Site` if it is unchanged.
    new_to_old: Vec<Option<usize>>,
    /// For each previous article, its index now if it is unchanged.
    old_to_new: Vec<Option<usize>>,
    /// The previous articles since changed or removed, in order.
    changed_old: Vec<usize>,
    /// The articles changed or added, in order.
    changed_new: Vec<usize>,
    /// Files changed, added or removed.
    files: usize,
}

fn matching(old: &[Inputs], new: &[Inputs]) -> Matching {
    let by_file: foldhash::HashMap<&Path, usize> = (old.iter().enumerate())
        .map(|(i, a)| (a.file.as_path(), i))
        .collect();
    let mut m = Matching {
        new_to_old: vec![None; new.len()],
        old_to_new: vec![None; old.len()],
        changed_old: Vec::new(),
        changed_new: Vec::new(),
        files: 0,
    };
    let mut still_there = 0;
    for (n, inputs) in new.iter().enumerate() {
        let found = by_file.get(inputs.file.as_path()).copied();
        still_there += usize::from(found.is_some());
        match found {
            Some(o) if old[o] == *inputs => {
                m.new_to_old[n] = Some(o);
                m.old_to_new[o] = Some(n);
            }
            _ => {
                m.changed_new.push(n);
                m.files += 1;
            }
        }
    }
    m.files += old.len() - still_there;
    m.changed_old = (0..old.len())
        .filter(|&o| m.old_to_new[o].is_none())
        .collect();
    m
}

/// The lists of `old` brought up to date for the articles `new`, or none when a change is too
/// wide for that to pay (or `old` does not hold together).
fn update(
    old: RelatedMemo,
    new: &[Inputs],
    articles: &[Article],
    taxonomy: &Taxonomy,
    config: &RelatedConfig,
) -> Option<Vec<Related>> {
    let coarse_n = coarse(new.len());
    let unusable = old.lists.len() != old.inputs.len();
    if unusable || old.config != *config || coarse(old.inputs.len()) != coarse_n {
        return None;
    }
    let m = matching(&old.inputs, new);
    if m.files > new.len() / 8 {
        return None;
    }
    let mut again = reached(&m, &old.inputs, new, taxonomy, config);
    let mut old_lists = old.lists;
    let mut lists = vec![Vec::new(); new.len()];
    for (a, list) in lists.iter_mut().enumerate() {
        let kept = m.new_to_old[a].filter(|_| !again[a]);
        let kept = kept.map(|o| std::mem::take(&mut old_lists[o]));
        // Each article a kept list names is unchanged (`reached` says why); should one not
        // be, the list is scored again rather than trusted.
        match kept.and_then(|kept| renumber(kept, &m.old_to_new)) {
            Some(kept) => *list = kept,
            None => again[a] = true,
        }
    }
    let again: Vec<usize> = (0..new.len()).filter(|&a| again[a]).collect();
    let scorer = Scorer::new(articles, taxonomy, config);
    let fresh: Vec<Related> = again.par_iter().map(|&a| scorer.related(a)).collect();
    for (a, list) in again.into_iter().zip(fresh) {
        lists[a] = list;
    }
    Some(lists)
}

/// `list` of previous indexes as indexes now, if every article in it is unchanged.
fn renumber(mut list: Related, old_to_new: &[Option<usize>]) -> Option<Related> {
    for b in &mut list {
        *b = (*old_to_new.get(*b)?)?;
    }
    Some(list)
}

/// For each article, whether its related posts can differ from its previous ones, the rounded
/// number of articles being the same: when it changed, or when it is an unchanged article with
/// a tag whose rounded count or bringing of candidates changed (its weight and windows
/// changed), an article of a story a changed article left or joined (its candidates), or one
/// within the candidate window of a changed article in a tag's list that brings candidates or
/// in a section's list, as those lists were or are now (its window changed). Any other
/// article has the same candidates but for changed articles outside its windows, which it
/// cannot have, and scores them the same, so its list is the same: it never held a changed
/// article, since that article was in one of its windows then.
fn reached(
    m: &Matching,
    old: &[Inputs],
    new: &[Inputs],
    t: &Taxonomy,
    config: &RelatedConfig,
) -> Vec<bool> {
    let coarse_n = coarse(new.len());
    let mut marked = vec![false; new.len()];
    for &a in &m.changed_new {
        marked[a] = true;
    }
    let changed = || {
        let before = m.changed_old.iter().map(|&o| &old[o]);
        before.chain(m.changed_new.iter().map(|&a| &new[a]))
    };
    let tags: BTreeSet<&Slug> = changed().flat_map(|a| &a.tags).collect();
    for slug in tags {
        let found = t.tags.binary_search_by(|g| g.slug.cmp(slug));
        let members = found.map_or(&[][..], |g| &t.tags[g].articles);
        let left: Vec<usize> = (m.changed_old.iter().copied())
            .filter(|&o| old[o].tags.contains(slug))
            .collect();
        let stayed = members.iter().filter(|&&a| m.new_to_old[a].is_some());
        let (before, now) = (stayed.count() + left.len(), members.len());
        let brought = brings_candidates(config, coarse_n, before);
        let brings = brings_candidates(config, coarse_n, now);
        if coarse(before) != coarse(now) || brought != brings {
            members.iter().for_each(|&a| marked[a] = true);
        } else if brings {
            mark_near_changes(&mut marked, m, members, &left, config.window);
        }
    }
    let sections: BTreeSet<&Slug> = changed().map(|a| &a.section).collect();
    for slug in sections {
        let found = t.sections.binary_search_by(|s| s.slug.cmp(slug));
        let members = found.map_or(&[][..], |s| &t.sections[s].articles);
        let left: Vec<usize> = (m.changed_old.iter().copied())
            .filter(|&o| old[o].section == *slug)
            .collect();
        mark_near_changes(&mut marked, m, members, &left, config.count);
    }
    let stories: BTreeSet<&String> = changed().filter_map(|a| a.story.as_ref()).collect();
    for id in stories {
        if let Ok(story) = t.stories.binary_search_by(|s| s.id.cmp(id)) {
            t.stories[story]
                .articles
                .iter()
                .for_each(|&a| marked[a] = true);
        }
    }
    marked
}

/// Marks the articles within `window` places of a changed article in one list (a tag's or a
/// section's) as it is now (`members`, indexes now), and the unchanged ones within `window`
/// places of a changed or removed article in the list as it was: its unchanged members and
/// `left`, the previous articles since changed or removed that were in it.
fn mark_near_changes(
    marked: &mut [bool],
    m: &Matching,
    members: &[usize],
    left: &[usize],
    window: usize,
) {
    for &c in members.iter().filter(|&&a| m.new_to_old[a].is_none()) {
        near(members, c, window).for_each(|a| marked[a] = true);
    }
    if left.is_empty() {
        return;
    }
    let mut before: Vec<usize> = (members.iter().filter_map(|&a| m.new_to_old[a]))
        .chain(left.iter().copied())
        .collect();
    // Two sorted runs, which a stable sort merges in one pass.
    before.sort();
    for &c in left {
        for o in near(&before, c, window) {
            if let Some(a) = m.old_to_new[o] {
                marked[a] = true;
            }
        }
    }
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
        let n = coarse(articles.len());
        let tag_weight = (taxonomy.tags.iter())
            .map(|t| tag_weight(n, t.articles.len()))
            .collect();
        let brings_candidates = (taxonomy.tags.iter())
            .map(|t| brings_candidates(config, n, t.articles.len()))
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
        if !self.taxonomy.is_listed(a) {
            return Vec::new();
        }
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
            sourced: false,
            corrections: Vec::new(),
            draft: false,
            image: None,
            image_position: None,
            body_images: Vec::new(),
            featured: false,
            aliases: Vec::new(),
            disclaimer: None,
            extra: serde_yaml::Value::Null,
            word_count: 0,
            search: true,
            reviewed_by: None,
            reviewed_by_position: None,
            retracted: None,
            editor_note: None,
            lang: None,
            translation_key: name.into(),
            translated_from: None,
            translated_from_position: None,
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
    fn coarse_counts_keep_three_binary_digits() {
        let rounded = [0, 1, 7, 8, 9, 10, 11, 100, 1000, 1024, 1025, 1100, 10_000];
        let expected = [0, 1, 7, 8, 10, 10, 12, 112, 1024, 1024, 1280, 1280, 10_240];
        assert_eq!(rounded.map(coarse), expected);
        // One more article changes the weights only where its rounding does.
        let moves = (1000..2000).filter(|&n| coarse(n) != coarse(n + 1)).count();
        assert_eq!(moves, 4);
    }

    /// splitmix64: the randomness of a series of edits, replayed from its seed.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) % n as u64) as usize
        }
    }

    /// An article of a random section, day, story and tags (a few of many, and mostly one of
    /// two that many articles carry, which brings no candidates).
    fn random_article(rng: &mut Rng, name: usize) -> Article {
        let section = ["world", "business", "science"][rng.below(3)];
        let date = format!("2026-{:02}-{:02}", 1 + rng.below(3), 1 + rng.below(28));
        let mut tags: Vec<String> = (0..rng.below(4))
            .map(|_| format!("t{}", rng.below(30)))
            .collect();
        // Some have no tags, so that only a retraction tells them apart from before.
        if rng.below(4) != 0 {
            tags.push(["common", "other"][rng.below(2)].to_string());
        }
        tags.sort();
        tags.dedup();
        let tags: Vec<&str> = tags.iter().map(String::as_str).collect();
        let story = ["strike", "storm", "vote"].get(rng.below(12)).copied();
        article(&format!("a{name:04}"), section, &date, &tags, story)
    }

    #[test]
    fn updating_after_random_edits_equals_computing_afresh() {
        // Small windows, so that a change reaches only some articles.
        let config = RelatedConfig {
            window: 3,
            count: 3,
            max_tag_share: 0.3,
            ..RelatedConfig::default()
        };
        let settings = Settings::check(Config::default()).unwrap();
        let (mut updated, mut rescored) = (0, 0);
        for seed in 0..20 {
            let mut rng = Rng(seed);
            let mut names = 222;
            let mut articles: Vec<Article> =
                (0..names).map(|n| random_article(&mut rng, n)).collect();
            let mut kept: Option<RelatedMemo> = None;
            for _ in 0..30 {
                articles.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.file.cmp(&b.file)));
                let taxonomy = Taxonomy::new(&articles, &[], &settings);
                let fresh = compute(&articles, &taxonomy, &config);
                let inputs = inputs_of(&articles, &taxonomy);
                if let Some(old) = kept {
                    let rounded = coarse(old.inputs.len()) == coarse(articles.len());
                    match update(old, &inputs, &articles, &taxonomy, &config) {
                        Some(lists) => {
                            let wrong: Vec<usize> =
                                (0..fresh.len()).filter(|&a| lists[a] != fresh[a]).collect();
                            assert!(wrong.is_empty(), "seed {seed}: articles {wrong:?} differ");
                            updated += 1;
                        }
                        None => {
                            // Only a change of the rounded count computes everything here.
                            assert!(!rounded, "seed {seed}");
                            rescored += 1;
                        }
                    }
                }
                kept = Some(RelatedMemo {
                    config: config.clone(),
                    inputs,
                    lists: fresh,
                });
                for _ in 0..1 + rng.below(4) {
                    let at = rng.below(articles.len());
                    match rng.below(7) {
                        // A retraction, or one taken back: the article leaves every list.
                        6 => {
                            let retraction = crate::content::article::Retraction {
                                date: articles[at].date.clone(),
                                reason: "Wrong.".into(),
                            };
                            let retracted = &mut articles[at].retracted;
                            *retracted = retracted.is_none().then_some(retraction);
                        }
                        // A new article, as a publish adds.
                        0 | 1 => {
                            names += 1;
                            articles.push(random_article(&mut rng, names));
                        }
                        2 | 3 => drop(articles.remove(at)),
                        // Another date, story or tags for the same file.
                        _ => {
                            let mut edited = random_article(&mut rng, 0);
                            let old = &articles[at];
                            edited.file = old.file.clone();
                            edited.section = old.section.clone();
                            edited.section_slug = old.section_slug.clone();
                            articles[at] = edited;
                        }
                    }
                }
            }
        }
        // Both ways were taken (541 and 39 times before retractions were among the edits).
        assert!(updated > 400 && rescored > 10, "{updated} {rescored}");
    }

    #[test]
    fn near_takes_a_window_around_the_article() {
        let list = [1, 3, 5, 7, 9, 11];
        assert_eq!(near(&list, 7, 1).collect::<Vec<_>>(), [5, 7, 9]);
        assert_eq!(near(&list, 1, 2).collect::<Vec<_>>(), [1, 3, 5]);
        assert_eq!(near(&list, 6, 1).collect::<Vec<_>>(), [5, 7, 9]);
    }
}
