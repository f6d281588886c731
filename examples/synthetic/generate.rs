//! The text of a synthetic site: its configuration, six bots, an about page, and N articles
//! planned (sections, dates, story threads) before their front matter and bodies are written.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::rng::{Rng, cumulative};
use super::words::*;

/// 2023-11-01T00:00:00Z: the first moment an article can carry.
const START: i64 = 1_698_796_800;
/// Three years of seconds; every date stays before 2026-11-01, in the past.
const SPAN: i64 = 1096 * 86_400;

const WORDS_TARGET: usize = 950;

/// A file of the site: its path below DIR and its text.
pub(super) type File = (PathBuf, String);

/// The plan of one article before its text is written.
struct Plan {
    timestamp: i64,
    section: usize,
    story: Option<(usize, usize)>,
}

/// A story thread: the event its articles follow, and its tags.
struct Story {
    id: String,
    subject: String,
    place: &'static str,
    tags: Vec<usize>,
}

pub(super) struct Generator {
    rng: Rng,
    n: usize,
    tags: Vec<String>,
    tag_weights: Vec<f64>,
    section_weights: Vec<f64>,
}

impl Generator {
    pub(super) fn new(n: usize) -> Self {
        let mut rng = Rng::new(0x6761_7A65_7474_6500 ^ n as u64);
        let tags = tag_names(&mut rng);
        // Zipf-like: the k-th most common tag is drawn in proportion to 1 / k^0.9.
        let tag_weights = cumulative((1..=tags.len()).map(|k| 1.0 / (k as f64).powf(0.9)));
        let section_weights = cumulative(SECTIONS.iter().map(|s| s.2));
        Self {
            rng,
            n,
            tags,
            tag_weights,
            section_weights,
        }
    }

    /// Hands every file of the site to `emit` in a fixed order, one at a time, so that a site
    /// of 100,000 articles is never held in memory whole.
    pub(super) fn each_file<E>(
        mut self,
        mut emit: impl FnMut(File) -> Result<(), E>,
    ) -> Result<(), E> {
        emit(self.config())?;
        emit(about_page())?;
        for bot in &BOTS {
            emit(bot_file(bot))?;
        }
        let (plans, stories) = self.plans();
        for (i, plan) in plans.iter().enumerate() {
            emit(self.article(i, plan, &stories))?;
        }
        Ok(())
    }

    /// One more article, written like the others and dated after every one of them: what a bot
    /// publishes next.
    pub(super) fn newest_article(mut self) -> File {
        let (plans, stories) = self.plans();
        let plan = Plan {
            timestamp: START + SPAN,
            section: 0,
            story: None,
        };
        self.article(plans.len(), &plan, &stories)
    }

    fn config(&self) -> File {
        let mut text = String::new();
        let _ = writeln!(
            text,
            "title: \"Synthetic Gazette (generated benchmark data, {} articles)\"",
            self.n
        );
        text.push_str(
            "description: \"A synthetic site written by gazette's gen_site example: every article, \
             bot and event in it is invented, for measuring build speed.\"\n\
             base_url: \"https://bench.example.org/\"\n\
             default_author: wirebot\n\
             paginate_by: 10\n\
             sections:\n",
        );
        for (folder, title, _, _) in SECTIONS {
            let _ = writeln!(text, "  {folder}: {{ title: \"{title}\" }}");
        }
        (PathBuf::from("gazette.yaml"), text)
    }

    /// Dates, sections and story threads of every article, in file order.
    fn plans(&mut self) -> (Vec<Plan>, Vec<Story>) {
        let mut plans = Vec::with_capacity(self.n);
        let mut stories = Vec::new();
        let mut in_stories = (self.n as f64 * 0.05).round() as usize;
        while plans.len() < self.n {
            let left = self.n - plans.len();
            // Spread the threads out: each slot starts one with the odds that use up the quota.
            let start_story = in_stories >= 3 && self.rng.below(left) < in_stories;
            let section = self.rng.weighted(&self.section_weights);
            let timestamp = START + self.rng.below(SPAN as usize) as i64;
            if !start_story {
                plans.push(Plan {
                    timestamp,
                    section,
                    story: None,
                });
                continue;
            }
            let len = self.rng.range(3, 6).min(in_stories).min(left);
            let len = if in_stories - len < 3 {
                in_stories
            } else {
                len
            }
            .min(left);
            in_stories -= len;
            let place = self.rng.pick(PLACES);
            let subject = format!("{} {}", self.rng.pick(ADJECTIVES), self.rng.pick(NOUNS));
            let id = format!("{}-{}-{}", slugify(place), slugify(&subject), stories.len());
            let tags = (0..self.rng.range(1, 2)).map(|_| self.tag()).collect();
            let mut at = timestamp.min(START + SPAN - 6 * 3 * 86_400);
            for part in 0..len {
                plans.push(Plan {
                    timestamp: at,
                    section,
                    story: Some((stories.len(), part)),
                });
                at += (self.rng.range(6, 72) * 3600) as i64;
            }
            stories.push(Story {
                id,
                subject,
                place,
                tags,
            });
        }
        (plans, stories)
    }

    fn tag(&mut self) -> usize {
        self.rng.weighted(&self.tag_weights)
    }

    fn article(&mut self, i: usize, plan: &Plan, stories: &[Story]) -> File {
        let rng = &mut self.rng;
        let (folder, _, _, usual_bot) = SECTIONS[plan.section];
        let story = plan.story.map(|(s, part)| (&stories[s], part));
        let place = story.map_or_else(|| rng.pick(PLACES), |(s, _)| s.place);
        let title = match story {
            Some((s, part)) => format!(
                "{place}: {} {}",
                capitalise(&s.subject),
                STAGES[(part + s.id.len()) % STAGES.len()]
            ),
            None => headline(rng, place),
        };
        let (offset_text, offset) = rng.pick(&[
            ("Z", 0),
            ("+00:00", 0),
            ("+01:00", 3600),
            ("+02:00", 7200),
            ("-05:00", -18_000),
            ("+05:30", 19_800),
            ("+09:00", 32_400),
            ("-03:00", -10_800),
        ]);
        let local = plan.timestamp + offset;
        let (y, m, d) = civil_from_days(local.div_euclid(86_400));
        let secs = local.rem_euclid(86_400);
        let stem = format!("{}-{i}", slugify_words(&title, 7));
        // 15% rely on the file name for their date, 45% have both, 40% only the front matter.
        let date_style = rng.below(100);
        let file_name = if date_style < 60 {
            format!("{y:04}-{m:02}-{d:02}-{stem}.md")
        } else {
            format!("{stem}.md")
        };

        let mut fm = String::from("---\n");
        let _ = writeln!(fm, "title: \"{}\"", yaml_escape(&title));
        if date_style >= 15 {
            let _ = writeln!(
                fm,
                "date: {y:04}-{m:02}-{d:02}T{:02}:{:02}:00{offset_text}",
                secs / 3600,
                secs % 3600 / 60
            );
        }
        let bot = if rng.chance(0.8) {
            usual_bot
        } else {
            rng.below(BOTS.len())
        };
        if !rng.chance(0.05) || bot != 0 {
            let _ = writeln!(fm, "author: {}", BOTS[bot].id);
        }
        let mut tags: Vec<usize> = story.map(|(s, _)| s.tags.clone()).unwrap_or_default();
        let want = rng.range(2, 5).max(tags.len());
        while tags.len() < want {
            let t = self.tag();
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        let rng = &mut self.rng;
        let names: Vec<String> = tags.iter().map(|&t| yaml_flow(&self.tags[t])).collect();
        let _ = writeln!(fm, "tags: [{}]", names.join(", "));
        if let Some((s, _)) = story {
            let _ = writeln!(fm, "story: {}", s.id);
        }
        let lead = paragraph(rng, place, 3);
        if rng.chance(0.5) {
            let summary = lead
                .split(". ")
                .next()
                .unwrap_or(&lead)
                .trim_end_matches('.');
            let _ = writeln!(fm, "summary: \"{}.\"", yaml_escape(summary));
        }
        if rng.chance(0.02) {
            let (cy, cm, cd) = civil_from_days(local.div_euclid(86_400) + rng.range(1, 5) as i64);
            let _ = writeln!(fm, "updated: {cy:04}-{cm:02}-{cd:02}");
            let _ = writeln!(fm, "corrections:");
            let _ = writeln!(
                fm,
                "  - {{ date: {cy:04}-{cm:02}-{cd:02}, text: \"An earlier version gave the wrong figure for the {}. It is {} {}, not {}.\" }}",
                rng.pick(NOUNS),
                number(rng),
                rng.pick(PLURALS),
                number(rng)
            );
        }
        let _ = writeln!(fm, "sources:");
        for k in 0..rng.range(2, 4) {
            let publisher = rng.pick(PUBLISHERS);
            let headline = headline(rng, place);
            let domain = ["example.org", "example.com", "example.net"][k % 3];
            let _ = writeln!(
                fm,
                "  - {{ title: \"{}\", publisher: \"{}\", url: \"https://{domain}/{}/{y:04}/{m:02}/{}\" }}",
                yaml_escape(&headline),
                yaml_escape(publisher),
                slugify(publisher),
                slugify_words(&headline, 6)
            );
        }
        fm.push_str("---\n");

        let body = body(rng, place, lead, (y, m, d));
        let path = Path::new("content").join(folder).join(file_name);
        (path, fm + &body)
    }
}

/// About 300 tag names, in the order of how common they are.
fn tag_names(rng: &mut Rng) -> Vec<String> {
    let mut names: Vec<String> = TOPICS.iter().map(|t| t.to_string()).collect();
    names.extend(PLACES.iter().map(|p| p.to_string()));
    let mut combos = Vec::new();
    for place in PLACES {
        for topic in SHORT_TOPICS {
            combos.push(format!("{place} {topic}"));
        }
    }
    while names.len() < 300 {
        let at = rng.below(combos.len());
        names.push(combos.swap_remove(at));
    }
    // Shuffle (Fisher-Yates), so that each kind of tag turns up at every rank.
    for i in (1..names.len()).rev() {
        let j = rng.below(i + 1);
        names.swap(i, j);
    }
    names
}

fn headline(rng: &mut Rng, place: &str) -> String {
    match rng.below(5) {
        0 => format!(
            "{place} {} {} {} {}",
            rng.pick(PLURALS),
            rng.pick(PAST_VERBS),
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS)
        ),
        1 => format!(
            "{} {} {} in {place}",
            capitalise(rng.pick(ORGS).trim_start_matches("the ")),
            rng.pick(PAST_VERBS),
            rng.pick(NOUNS)
        ),
        2 => format!(
            "{} {} for {place} {}",
            capitalise(rng.pick(ADJECTIVES)),
            rng.pick(NOUNS),
            rng.pick(TIME_PHRASES).trim_start_matches("on ")
        ),
        3 => format!(
            "{place} {} {} after {} days",
            rng.pick(NOUNS),
            rng.pick(PAST_VERBS),
            rng.range(2, 30)
        ),
        _ => format!(
            "Why {place}'s {} {} {}",
            rng.pick(NOUNS),
            ["was", "is", "may be"][rng.below(3)],
            rng.pick(PAST_VERBS)
        ),
    }
}

fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES))
}

/// A number as news copy writes it: 14, 1,400, 6%, 2.5 million.
fn number(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => rng.range(2, 99).to_string(),
        1 => {
            let n = rng.range(1_000, 99_999);
            format!("{},{:03}", n / 1000, n % 1000)
        }
        2 => format!("{}.{} million", rng.range(1, 40), rng.below(10)),
        _ => rng.range(100, 999).to_string(),
    }
}

fn sentence(rng: &mut Rng, place: &str) -> String {
    let s = match rng.below(9) {
        0 => format!(
            "{} said {} that the {} {} would be {} by {}",
            capitalise(rng.pick(ORGS)),
            rng.pick(TIME_PHRASES),
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS),
            rng.pick(PAST_VERBS),
            rng.pick(&MONTHS)
        ),
        1 => format!(
            "About {} {} in {place} are affected, according to figures from {}",
            number(rng),
            rng.pick(PLURALS),
            rng.pick(ORGS)
        ),
        2 => format!(
            "{}, {} at {}, said the {} had been {} and that {} would be told {}",
            person(rng),
            rng.pick(ROLES),
            rng.pick(ORGS),
            rng.pick(NOUNS),
            rng.pick(PAST_VERBS),
            rng.pick(PLURALS),
            rng.pick(TIME_PHRASES)
        ),
        3 => format!(
            "The {} {} was {} {}, {} {} per cent on the previous year",
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS),
            rng.pick(PAST_VERBS),
            rng.pick(TIME_PHRASES),
            ["up", "down"][rng.below(2)],
            rng.range(1, 40)
        ),
        4 => format!(
            "Reports differ on how many {} took part: one gives {}, another about {}",
            rng.pick(PLURALS),
            number(rng),
            number(rng)
        ),
        5 => format!(
            "Officials expect to {} the {} over the next {} {}, once {} has {} its {}",
            rng.pick(BASE_VERBS),
            rng.pick(NOUNS),
            rng.range(2, 12),
            ["weeks", "months"][rng.below(2)],
            rng.pick(ORGS),
            rng.pick(PAST_VERBS),
            rng.pick(NOUNS)
        ),
        6 => format!(
            "It is the {} {} in {place} since {}, and {} say it will cost about {} a year",
            ["first", "second", "largest", "longest"][rng.below(4)],
            rng.pick(NOUNS),
            rng.range(1998, 2022),
            rng.pick(PLURALS),
            number(rng)
        ),
        7 => format!(
            "None of the reports says whether the {} {} will {} the {}",
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS),
            rng.pick(BASE_VERBS),
            rng.pick(NOUNS)
        ),
        _ => format!(
            "{} {} the {} {}, {} {} {} a {} {}",
            capitalise(rng.pick(PLURALS)),
            rng.pick(PAST_VERBS),
            rng.pick(NOUNS),
            rng.pick(TIME_PHRASES),
            ["while", "after", "before"][rng.below(3)],
            rng.pick(ORGS),
            rng.pick(PAST_VERBS),
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS)
        ),
    };
    s + "."
}

fn paragraph(rng: &mut Rng, place: &str, sentences: usize) -> String {
    let parts: Vec<String> = (0..sentences).map(|_| sentence(rng, place)).collect();
    parts.join(" ")
}

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// About 950 words of Markdown: a lead, three or four headed sections, a timeline table on
/// about 30%, a bulleted list of quotes, and a link or two.
fn body(rng: &mut Rng, place: &str, lead: String, date: (i64, u32, u32)) -> String {
    let target = WORDS_TARGET * rng.range(85, 115) / 100;
    let mut out = String::new();
    let mut count = words(&lead);
    out.push_str(&lead);
    out.push_str("\n\n");

    let mut headings: Vec<&str> = HEADINGS.to_vec();
    let sections = rng.range(3, 4);
    let table_at = rng.chance(0.3).then(|| rng.below(sections));
    let quotes_at = rng.below(sections);
    let link_at = rng.below(sections);
    for s in 0..sections {
        let heading = headings.swap_remove(rng.below(headings.len()));
        let _ = write!(out, "## {heading}\n\n");
        count += words(heading);
        if table_at == Some(s) {
            count += timeline(rng, place, date, &mut out);
        }
        if quotes_at == s {
            count += quotes(rng, &mut out);
        }
        let budget = (target.saturating_sub(count)) / (sections - s);
        let mut written = 0;
        let mut first = true;
        while written + 40 < budget.max(80) {
            let sentences = rng.range(3, 6);
            let mut p = paragraph(rng, place, sentences);
            if first && link_at == s {
                let _ = write!(
                    p,
                    " The full statement is [published by {}](https://example.org/statements/{}-{}).",
                    rng.pick(ORGS),
                    slugify(place),
                    rng.range(100, 999)
                );
            }
            if first && s + 1 == sections && rng.chance(0.5) {
                let _ = write!(
                    p,
                    " Earlier coverage is in [our {} archive](https://bench.example.org/{}/).",
                    place, date.0
                );
            }
            first = false;
            written += words(&p);
            out.push_str(&p);
            out.push_str("\n\n");
        }
        count += written;
    }
    out
}

fn timeline(rng: &mut Rng, place: &str, date: (i64, u32, u32), out: &mut String) -> usize {
    let start = days_from_civil(date.0, date.1, date.2);
    let rows = rng.range(4, 8);
    let mut day = start - (rows * 3) as i64;
    out.push_str("| Date | Event |\n|---|---|\n");
    let mut count = 2;
    for _ in 0..rows {
        day += rng.range(1, 3) as i64;
        let (_, m, d) = civil_from_days(day.min(start));
        let event = format!(
            "{} {} the {} in {place}",
            capitalise(rng.pick(ORGS)),
            rng.pick(PAST_VERBS),
            rng.pick(NOUNS)
        );
        let _ = writeln!(out, "| {d} {} | {event} |", MONTHS[m as usize - 1]);
        count += 2 + words(&event);
    }
    out.push('\n');
    count
}

fn quotes(rng: &mut Rng, out: &mut String) -> usize {
    let mut count = 0;
    for _ in 0..rng.range(2, 4) {
        let line = format!(
            "- \"We {} the {} {} and we expect {} to follow,\" said {}, {} at {}.",
            rng.pick(PAST_VERBS),
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS),
            rng.pick(PLURALS),
            person(rng),
            rng.pick(ROLES),
            rng.pick(ORGS)
        );
        count += words(&line) - 1;
        out.push_str(&line);
        out.push('\n');
    }
    out.push('\n');
    count
}

fn bot_file(bot: &BotDef) -> File {
    let text = format!(
        "---\nname: \"{}\"\nbio: \"{}\"\nmodel: \"{}\"\noperator: \"Synthetic Gazette Desk\"\nurl: \"https://bench.example.org/bots/{}/\"\n---\n\
         *Synthetic bot: {} is an invented author of a generated benchmark site.*\n\n\
         {} covers {}. For each event it is given several reports from different outlets, keeps \
         the facts they agree on, says where they disagree, and writes one short digest.\n\n\
         Every digest lists its sources, and corrections are logged at the foot of the article.\n",
        yaml_escape(bot.name),
        bot.bio,
        bot.model,
        bot.id,
        bot.name,
        bot.name,
        bot.beat
    );
    (
        Path::new("content")
            .join("bots")
            .join(format!("{}.md", bot.id)),
        text,
    )
}

fn about_page() -> File {
    let text = "---\ntitle: \"About this synthetic site\"\n---\n\
                This site was generated by the `gen_site` example of gazette to measure how fast \
                gazette builds large sites. Every article, bot, place, organisation and person \
                in it is invented; the text is assembled from word lists and means nothing.\n";
    (
        Path::new("content").join("pages").join("about.md"),
        text.to_string(),
    )
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Lower-case ASCII words joined by `-`.
fn slugify(text: &str) -> String {
    slugify_words(text, usize::MAX)
}

fn slugify_words(text: &str, max: usize) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(max)
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// Text for a double-quoted YAML scalar.
fn yaml_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// A tag in a YAML flow sequence: quoted when it has anything but letters, digits and spaces.
fn yaml_flow(tag: &str) -> String {
    if tag.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ') {
        tag.to_string()
    } else {
        format!("\"{}\"", yaml_escape(tag))
    }
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (Howard Hinnant's method).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
