//! The search index: Pagefind's, built in-process from the articles themselves, never from the
//! written pages, so that navigation, footer, disclaimer and related lists cannot be found by a
//! search. Each indexed article is given to Pagefind as a small document of its own holding
//! only its title, summary, tags and body, with the meta its results show (title, date, section,
//! bot), the filters of the search page (section, tag, bot) and the date to sort by.
//!
//! The index is made of parts, each a Pagefind bundle of its own that the search page merges in
//! the browser (`mergeIndex`): the newest month, and each year before it. Publishing an article
//! builds again the newest month's part alone (and, on the first article of a month, the part of
//! the year the month before joins); a full build makes two parts at once, the biggest first.
//!
//! Building a part has a cheap half, its job (`IndexJob`: what the results show of each article,
//! with its body), and a costly one (the bodies not loaded yet, and Pagefind). `build` does both
//! in the render; `serve` has the render hand back the jobs (`Indexing::Later`), builds them in
//! the background and takes each part back when built (`take_back`), so that a reload never
//! waits for Pagefind: the same functions, run at another time.

use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use rayon::prelude::*;

use super::bodies::Bodies;
use super::context::Summary;
use super::inputs::Keying;
use super::templates::escape_into;
use super::{RenderedFile, Sink, key};
use crate::content::Body;
use crate::error::{Diagnostic, Diagnostics};
use crate::site::Site;

/// Where Pagefind's files go, below the output folder, a folder for each part (the search page
/// is `search/index.html`).
pub const BUNDLE: &str = "search/pagefind";

/// The name of the one part of a site with nothing to index, so that its search page works.
const NOTHING: &str = "all";

/// What each part of the index was last built from (its key, none when that could not be
/// known) and its files, by its name.
pub type Built = BTreeMap<String, (Option<u64>, Vec<IndexFile>)>;

/// One part of the index: the indexed articles of the newest month, or of one year.
pub(super) struct Part {
    /// Its folder below `BUNDLE`: the month (`2026-03`) or the year.
    pub name: String,
    pub articles: Vec<usize>,
    /// A hash of what it indexes (`key`), none when that cannot be known.
    pub key: Option<u64>,
}

/// The parts of the index, newest first; none when the site's search is off.
pub(super) fn parts(site: &Site, keying: &Keying) -> Vec<Part> {
    if !site.settings.search.enabled {
        return Vec::new();
    }
    (by_part(site).into_iter())
        .map(|(name, articles)| Part {
            name,
            key: key(&articles, keying),
            articles,
        })
        .collect()
}

/// The URL of each part's folder, newest first, for the search page to merge them; none when
/// the site's search is off.
pub(super) fn part_urls(site: &Site) -> Vec<String> {
    if !site.settings.search.enabled {
        return Vec::new();
    }
    let search = crate::url::UrlPath::folder(crate::url::SEARCH).url(&site.settings.base);
    (by_part(site).into_iter())
        .map(|(name, _)| format!("{search}pagefind/{name}/"))
        .collect()
}

/// The indexed articles by the name of their part, newest part first: the month of the newest
/// article (`2026-03`), where a new article goes, so that publishing builds that small part
/// again; then one part per year for the others (`2026`, `2025`, ...); or one empty part when
/// nothing is indexed, so that the search page still works.
fn by_part(site: &Site) -> Vec<(String, Vec<usize>)> {
    let indexed = indexed(site);
    let month = |i: usize| {
        let date = &site.articles[i].date;
        (date.year(), date.month())
    };
    let Some(newest) = indexed.iter().map(|&i| month(i)).max() else {
        return vec![(NOTHING.to_string(), Vec::new())];
    };
    let (latest, older): (Vec<usize>, Vec<usize>) =
        indexed.into_iter().partition(|&i| month(i) == newest);
    let mut years: BTreeMap<std::cmp::Reverse<i16>, Vec<usize>> = BTreeMap::new();
    for i in older {
        let year = site.articles[i].date.year();
        years.entry(std::cmp::Reverse(year)).or_default().push(i);
    }
    let latest = (format!("{:04}-{:02}", newest.0, newest.1), latest);
    let years = (years.into_iter()).map(|(year, articles)| (format!("{:04}", year.0), articles));
    std::iter::once(latest).chain(years).collect()
}

/// Runs `work` on each of `parts` (with its place among them), the biggest first, at most two
/// at once (`two_at_once`); returns what it made of each, in the order of `parts`.
pub(super) fn each_part<R: Send>(
    parts: &[Part],
    work: impl Fn(usize, &Part) -> R + Sync,
) -> Vec<R> {
    let parts: Vec<(usize, &Part)> = parts.iter().enumerate().collect();
    two_at_once(
        parts,
        |(_, part)| part.articles.len(),
        |(n, part)| work(n, part),
    )
}

/// Builds each of `jobs` by `work`, the biggest first, at most two at once (`two_at_once`);
/// returns what it made of each, in the order of `jobs`.
pub fn each_job<R: Send>(jobs: Vec<IndexJob>, work: impl Fn(IndexJob) -> R + Sync) -> Vec<R> {
    two_at_once(jobs, |job| job.articles.len(), work)
}

/// Runs `work` on each of `items`, the biggest by `size` first, at most two at once: on the
/// calling thread and on one of its own; returns what it made of each, in the order of `items`.
///
/// Pagefind builds a part on one thread and holds all of it in memory until its files are
/// made (about 0.9 GB for a year of 3,400 synthetic articles): two parts at once keep two
/// cores busy, and the memory at two parts' whatever the number of years. As rayon's tasks, a
/// thread waiting inside a part (on Pagefind's own parallel loops) could start another part,
/// so that three or more would be held at once.
fn two_at_once<T: Send, R: Send>(
    items: Vec<T>,
    size: impl Fn(&T) -> usize,
    work: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    // The biggest first, so that the last to finish is a small one.
    order.sort_by_key(|&n| std::cmp::Reverse(size(&items[n])));
    let count = items.len();
    let items: Vec<Mutex<Option<T>>> = items.into_iter().map(|t| Mutex::new(Some(t))).collect();
    let made: Vec<Mutex<Option<R>>> = (0..count).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let build = || {
        while let Some(&n) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
            let item = items[n]
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            if let Some(item) = item {
                let result = work(item);
                *made[n].lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
            }
        }
    };
    std::thread::scope(|scope| {
        if count > 1 && rayon::current_num_threads() > 1 {
            scope.spawn(build);
        }
        build();
    });
    // Every item is made once the threads are done: a thread that panicked took the scope
    // (and the build) with it.
    (made.into_iter())
        .filter_map(|m| m.into_inner().unwrap_or_else(PoisonError::into_inner))
        .collect()
}

/// Files of Pagefind's bundle that the search page does not load: its ready-made interfaces.
const UNUSED: &[&str] = &[
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
];

/// The articles in the index, in the site's order: all that the site publishes, but those
/// retracted and those whose front matter or section says `search: false`.
fn indexed(site: &Site) -> Vec<usize> {
    let sections = &site.settings.sections;
    (site.articles.iter().enumerate())
        .filter(|(_, a)| {
            a.search && a.listed() && sections.get(&a.section).is_none_or(|s| s.search)
        })
        .map(|(i, _)| i)
        .collect()
}

/// The index's dependency key: a hash of each indexed article's revision (its text) and of what
/// its summary shows (which holds its meta and filters), in order; none when an article's
/// revision is not known, so that the index is always built.
fn key(indexed: &[usize], keying: &Keying) -> Option<u64> {
    let mut hasher = key::key_hasher();
    keying.seed.hash(&mut hasher);
    for &i in indexed {
        keying.revisions[i]?.hash(&mut hasher);
        keying.summaries[i].hash(&mut hasher);
    }
    Some(hasher.finish())
}

/// One file of the index, as a render left it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct IndexFile {
    path: PathBuf,
    /// A hash of its bytes.
    hash: u64,
}

impl AsRef<Path> for IndexFile {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

/// When a render builds the parts of the index it finds stale.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Indexing {
    /// In the render, before it returns (`build`, `check`).
    #[default]
    InLine,
    /// By whoever rendered, when it likes: the render hands each stale part back as a job
    /// (`IndexJob`), which reads its articles' bodies itself; what the site had of the part
    /// stays until the job's result is taken back (`Memo::indexed`). `serve` does, so that a
    /// reload never waits for Pagefind.
    Later,
}

/// The parts of the index handed out as jobs and not taken back yet.
#[derive(Debug, Default)]
pub struct Jobs {
    /// By the part's name: the number of its latest job, and the key that job builds for.
    out: BTreeMap<String, (u64, Option<u64>)>,
    /// How many jobs were ever handed out, to number the next.
    handed: u64,
}

/// What a render does with a part of the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fate {
    /// Its files are of what it indexes now: they stay.
    Kept,
    /// A job handed out before builds it from what it indexes now: what the site has of it
    /// stays meanwhile.
    Out,
    /// It is built again, in the render or by a job.
    Stale,
}

impl Part {
    /// What a render that builds `indexing` does with this part, after one that left `built`
    /// and `jobs`.
    pub fn fate(&self, built: &Built, jobs: &Jobs, indexing: Indexing) -> Fate {
        let current = |key: &Option<u64>| self.key.is_some() && *key == self.key;
        if built.get(&self.name).is_some_and(|(key, _)| current(key)) {
            Fate::Kept
        } else if indexing == Indexing::Later
            && jobs
                .out
                .get(&self.name)
                .is_some_and(|(_, key)| current(key))
        {
            Fate::Out
        } else {
            Fate::Stale
        }
    }
}

/// One stale part of the index, as data that can be built anywhere, any time: what its results
/// show of each of its articles, with the article's body or where to read it. Making the job is
/// cheap; building it (reading the bodies the render did not load, Pagefind) is not.
#[derive(Debug)]
pub struct IndexJob {
    part: String,
    /// Its number among the jobs handed out (`Jobs`), to tell whether a later one replaced it.
    number: u64,
    /// What it indexes (`Part::key`); none when that cannot be known, or when an article's
    /// file changed since its revision was read.
    key: Option<u64>,
    articles: Vec<Entry>,
    /// Where the bodies not loaded are read from: the site's folder, and its settings.
    reading: Option<(PathBuf, Box<crate::config::Settings>)>,
    language: String,
}

/// One article of a job.
#[derive(Debug)]
struct Entry {
    shown: Summary,
    /// Its date, in seconds since 1970.
    timestamp: i64,
    /// Whether its summary is written in its front matter.
    written: bool,
    body: Text,
}

/// Where a job gets an article's body.
#[derive(Debug)]
enum Text {
    /// Loaded by the render.
    Loaded(Arc<Body>),
    /// Read from its file when the job is built: the article, and the revision of the file
    /// the job's key stands for.
    Unread(Box<crate::content::Article>, Option<u64>),
}

/// An article's URL, and the HTML Pagefind reads of it.
type Document = (String, String);

/// What a render makes of a stale part.
pub(super) enum Made {
    /// Its files, built in the render, with the key they stand for.
    Files(Option<u64>, Vec<IndexFile>),
    /// Its job, left for later.
    Job(IndexJob),
}

/// Where a new job gets its articles' bodies.
pub(super) enum Source<'a> {
    /// From the render's, each counted once for the job.
    Loaded(&'a Bodies<'a>),
    /// From their files, when the job is built: the site's folder, and the revision of each
    /// article's file that the keys stand for.
    Unread(&'a Path, &'a [Option<u64>]),
}

impl IndexJob {
    /// The job of `part`: each of its articles as `summary` shows it, with its body from
    /// `source`.
    pub(super) fn new(
        site: &Site,
        part: &Part,
        summary: impl Fn(usize) -> Summary,
        source: &Source,
    ) -> Result<Self, Diagnostics> {
        let mut articles = Vec::with_capacity(part.articles.len());
        for &i in &part.articles {
            let article = &site.articles[i];
            let body = match source {
                Source::Loaded(bodies) => Text::Loaded(bodies.take(i)?),
                Source::Unread(_, revisions) => {
                    Text::Unread(Box::new(article.clone()), revisions[i])
                }
            };
            articles.push(Entry {
                shown: summary(i),
                timestamp: article.date.timestamp().as_second(),
                written: article.summary_position.is_some(),
                body,
            });
        }
        // A part that showed a body changed since its revision is built again next time.
        let shows_changed = match source {
            Source::Loaded(bodies) => part.articles.iter().any(|&i| bodies.changed(i)),
            Source::Unread(..) => false,
        };
        let reading = match source {
            Source::Loaded(_) => None,
            Source::Unread(root, _) => Some((root.to_path_buf(), Box::new(site.settings.clone()))),
        };
        Ok(Self {
            part: part.name.clone(),
            number: 0,
            key: part.key.filter(|_| !shows_changed),
            articles,
            reading,
            language: site.settings.language.clone(),
        })
    }

    /// Pagefind's documents of the articles, each its URL and HTML, in parallel; and whether
    /// a body read changed since the revision the key stands for.
    fn documents(
        articles: Vec<Entry>,
        reading: Option<&(PathBuf, Box<crate::config::Settings>)>,
    ) -> Result<(Vec<Document>, bool), Diagnostics> {
        let made: Vec<Result<(Document, bool), Diagnostic>> = (articles.into_par_iter())
            .map(|entry| {
                let (body, changed) = match entry.body {
                    Text::Loaded(body) => (body, false),
                    Text::Unread(article, revision) => {
                        let Some((root, settings)) = reading else {
                            return Err(Diagnostic::error(
                                &article.file,
                                "was left unread by a render that read no bodies later",
                                "report this as a bug of gazette",
                            ));
                        };
                        let (read, body) = crate::content::body_of(root, &article, settings)?;
                        (Arc::new(body), Some(read) != revision)
                    }
                };
                // A summary not written in the front matter is the body's first paragraph:
                // indexed twice, its words would count double.
                let summary = entry.written.then_some(entry.shown.summary.as_str());
                let record = Record {
                    shown: &entry.shown,
                    timestamp: entry.timestamp,
                    summary,
                    body: &body.html,
                };
                Ok(((entry.shown.url.clone(), document(&record)), changed))
            })
            .collect();
        let made = Diagnostics::gather(made)?;
        let changed = made.iter().any(|(_, changed)| *changed);
        Ok((
            made.into_iter().map(|(document, _)| document).collect(),
            changed,
        ))
    }

    /// The name of the part it builds: its folder below `BUNDLE` (`2025`, `2026-03`).
    pub fn part(&self) -> &str {
        &self.part
    }

    /// Builds the part and puts into `sink` its files that are not among the `last` it holds
    /// (most of an index stays the same when an article is added: Pagefind's own scripts, and
    /// the chunks and fragments its words do not reach); returns them all, with the key they
    /// stand for.
    pub(super) fn build(
        self,
        last: &[IndexFile],
        sink: &impl Sink,
    ) -> Result<(Option<u64>, Vec<IndexFile>), Diagnostics> {
        let bundle = Path::new(BUNDLE).join(&self.part);
        let (documents, changed) = Self::documents(self.articles, self.reading.as_ref())?;
        let key = self.key.filter(|_| !changed);
        let failed = |e: &dyn std::fmt::Display| {
            Diagnostics::from(Diagnostic::error(
                BUNDLE,
                format!("the search index could not be built: {e}"),
                "report this as a bug of gazette; `search: { enabled: false }` in gazette.yaml builds the site without search",
            ))
        };
        let files = index(documents, &self.language).map_err(|e| failed(&e))?;
        let last: HashSet<(&Path, u64)> =
            (last.iter()).map(|f| (f.path.as_path(), f.hash)).collect();
        let mut made = Vec::with_capacity(files.len());
        let mut errors = Diagnostics::default();
        for file in files {
            let name = file.filename.to_string_lossy();
            if UNUSED.contains(&name.as_ref()) {
                continue;
            }
            let path = bundle.join(&file.filename);
            let hash = key::hash_of(&file.contents);
            let done = match last.contains(&(path.as_path(), hash)) {
                true => sink.keep(&path),
                false => sink.put(RenderedFile {
                    path: path.clone(),
                    bytes: file.contents,
                }),
            };
            errors.extend(done.err());
            made.push(IndexFile { path, hash });
        }
        if errors.has_errors() {
            return Err(errors);
        }
        Ok((key, made))
    }

    /// Builds the part into memory, every file of it, away from any render.
    pub fn run(self) -> Result<Indexed, Diagnostics> {
        let (part, number) = (self.part.clone(), self.number);
        let files = std::sync::Mutex::new(Vec::new());
        let (key, made) = self.build(&[], &files)?;
        let files = files.into_inner().unwrap_or_else(|e| e.into_inner());
        Ok(Indexed {
            part,
            number,
            key,
            files,
            made,
        })
    }
}

/// A part of the index built by its job (`IndexJob::run`).
#[derive(Debug)]
pub struct Indexed {
    part: String,
    number: u64,
    key: Option<u64>,
    files: Vec<RenderedFile>,
    made: Vec<IndexFile>,
}

/// What taking back a part built by its job changes in the site: the paths of the part's
/// files before, and its files now.
#[derive(Debug)]
pub struct Swap {
    pub gone: Vec<PathBuf>,
    pub files: Vec<RenderedFile>,
}

/// What a render leaves for the next of each of `parts`, given what became of each (`fates`,
/// and `made` for the stale ones) and what the render before left (`built`, `jobs`): the files
/// of each part and the key they stand for (of a part left for later, those it had), and the
/// jobs out; returns the jobs handed out by this render, each numbered.
pub(super) fn settle(
    parts: &[Part],
    made: Vec<(Fate, Option<Made>)>,
    built: &mut Built,
    jobs: &mut Jobs,
) -> Vec<IndexJob> {
    let mut last = std::mem::take(built);
    let mut out = std::mem::take(&mut jobs.out);
    let mut handed = Vec::new();
    for (part, (fate, made)) in parts.iter().zip(made) {
        let name = &part.name;
        let (files, job) = match made {
            Some(Made::Files(key, files)) => (Some((key, files)), None),
            Some(Made::Job(job)) => (last.remove(name), Some(job)),
            None => (last.remove(name), None),
        };
        built.extend(files.map(|files| (name.clone(), files)));
        let job = match job {
            Some(mut job) => {
                jobs.handed += 1;
                job.number = jobs.handed;
                let out = (job.number, job.key);
                handed.push(job);
                Some(out)
            }
            None => out.remove(name).filter(|_| fate == Fate::Out),
        };
        jobs.out.extend(job.map(|job| (name.clone(), job)));
    }
    handed
}

/// Takes `indexed` into `built`, so that the next render keeps it, when it is the latest job
/// of its part (else a later change replaced it: none); returns what it changes in the site.
pub(super) fn take_back(built: &mut Built, jobs: &mut Jobs, indexed: Indexed) -> Option<Swap> {
    let (number, _) = jobs.out.get(&indexed.part)?;
    if *number != indexed.number {
        return None;
    }
    jobs.out.remove(&indexed.part);
    let last = built.insert(indexed.part, (indexed.key, indexed.made));
    let gone = last.map(|(_, files)| files.into_iter().map(|f| f.path).collect());
    Some(Swap {
        gone: gone.unwrap_or_default(),
        files: indexed.files,
    })
}

/// Pagefind's files for `documents` (each a URL and its HTML), in `language`.
fn index(
    documents: Vec<(String, String)>,
    language: &str,
) -> Result<Vec<pagefind::api::SyntheticFile>, String> {
    let options = PagefindServiceConfig::builder()
        .force_language(language.to_string())
        .build();
    // Pagefind's interface is async, but nothing here waits on the network: one thread runs it.
    let runtime =
        (tokio::runtime::Builder::new_current_thread().build()).map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let mut index = PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
        for (url, html) in documents {
            let added = index.add_html_file(None, Some(url), html).await;
            added.map_err(|e| e.to_string())?;
        }
        index.get_files().await.map_err(|e| e.to_string())
    })
}

/// What the index holds of one article.
struct Record<'a> {
    shown: &'a Summary,
    /// Its date, in seconds since 1970, to sort by.
    timestamp: i64,
    /// Its summary, when it is not the body's own first paragraph.
    summary: Option<&'a str>,
    body: &'a str,
}

/// The document Pagefind reads for one article: its words in a body marked as the only one
/// (`data-pagefind-body`, so that a body's own raw HTML cannot leave other articles out), after
/// its meta, filters and sort, which come first so that a body's broken HTML cannot swallow them.
fn document(record: &Record) -> String {
    let (shown, body) = (record.shown, record.body);
    let mut html = String::with_capacity(body.len() + 1024);
    html.push_str("<html><body><div data-pagefind-body>");
    let mut attribute = |kind: &str, name: &str, value: &str| {
        html.push_str("<span data-pagefind-");
        html.push_str(kind);
        html.push_str("=\"");
        html.push_str(name);
        html.push(':');
        escape_into(&mut html, value);
        html.push_str("\"></span>");
    };
    attribute("meta", "title", &shown.title);
    attribute("meta", "date", &shown.date.display);
    attribute("meta", "iso", &shown.date.iso);
    attribute("meta", "section", &shown.section.title);
    attribute("filter", "section", &shown.section.title);
    if let Some(bot) = &shown.author.name {
        attribute("meta", "bot", bot);
        attribute("filter", "bot", bot);
    }
    for tag in &shown.tags {
        attribute("filter", "tag", &tag.name);
    }
    attribute("sort", "date", &record.timestamp.to_string());
    html.push_str("<h1>");
    escape_into(&mut html, &shown.title);
    html.push_str("</h1><p>");
    escape_into(&mut html, record.summary.unwrap_or_default());
    html.push_str("</p><p>");
    for tag in &shown.tags {
        escape_into(&mut html, &tag.name);
        html.push_str(", ");
    }
    html.push_str("</p><div>");
    html.push_str(body);
    html.push_str("</div></div></body></html>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_built_at_most_two_at_once_and_come_back_in_order() {
        let parts: Vec<Part> = (0..6)
            .map(|n| Part {
                name: n.to_string(),
                articles: vec![0; n],
                key: None,
            })
            .collect();
        let (running, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        // A pool of four, as a machine with more cores has: the bound is two all the same.
        let pool = rayon::ThreadPoolBuilder::new().num_threads(4).build();
        let pool = pool.unwrap_or_else(|e| panic!("no thread pool: {e}"));
        let made = pool.install(|| {
            each_part(&parts, |n, part| {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(20));
                running.fetch_sub(1, Ordering::SeqCst);
                (n, part.name.clone())
            })
        });
        let names: Vec<String> = (0..6).map(|n| n.to_string()).collect();
        assert_eq!(made, names.into_iter().enumerate().collect::<Vec<_>>());
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }
}
