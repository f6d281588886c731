//! Rendering: one job per output page, each with a small context built from what that page
//! shows, all rendered in parallel into memory.

mod alternates;
mod bodies;
pub mod context;
mod direction;
mod disclosure;
mod feeds;
mod front;
mod head;
mod inputs;
mod json_ld;
mod key;
mod pagination;
pub mod pictures;
mod search;
mod sitemap;
pub mod templates;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tera::Tera;

use bodies::Bodies;
use disclosure::Disclosure;

use crate::config::FeedContent;
use crate::error::{Diagnostic, Diagnostics};
use crate::folders::CONTENT_DIR;
use crate::progress::Progress;
use crate::site::{AiPolicy, Aliased, Site};
use crate::url::{AI_POLICY, BOTS, CORRECTIONS, EDITORS, REDIRECTS_FILE, SEARCH, TAGS, UrlPath};
pub use alternates::{Languages, Scope};
use context::{
    ArchiveView, ArticleView, BotView, CorrectionView, DateView, EditorLink, EditorNoteView,
    EditorView, NoticeView, PageView, PolicyView, Redirect, RedirectView, RetractionView,
    SectionView, SiteView, StoryEntry, Surroundings, TagView,
};
use inputs::Keys;
use inputs::{Gather, Inputs, KeyInputs, Keying};
pub use inputs::{Memo, Versions};
pub(crate) use key::{KeyHasher, hash_of, key_hasher};
use pagination::{ListPage, Paginator};
use search::{Fate, Made, Source};
pub use search::{IndexJob, Indexed, Indexing, Swap, each_job};

/// A rendered file, ready to write: its path below the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Where rendered files go as soon as each is ready, so that a build never holds them all.
pub trait Sink: Sync {
    /// A file rendered.
    fn put(&self, file: RenderedFile) -> Result<(), Diagnostic>;
    /// A file whose inputs are those of the last render into this sink: what the sink has of
    /// it stays.
    fn keep(&self, path: &Path) -> Result<(), Diagnostic>;
    /// A file made elsewhere, at `from`, whose `path` changes whenever its bytes do (a
    /// picture's: its name holds a hash of the image), so that a file of that name in the
    /// output already holds its bytes.
    fn put_named(&self, path: &Path, from: &Path) -> Result<(), Diagnostic> {
        let bytes = std::fs::read(from).map_err(|e| unreadable_made_file(from, &e))?;
        let path = path.to_path_buf();
        self.put(RenderedFile { path, bytes })
    }
}

/// The error for a file of the picture cache that cannot be read.
pub(crate) fn unreadable_made_file(from: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        from,
        format!("cannot read this picture's file from the cache: {e}"),
        "delete the cache folder and build again (gazette makes it again)",
    )
}

/// Keeps every file in memory, for `check`, which reads them all and renders from nothing.
impl Sink for std::sync::Mutex<Vec<RenderedFile>> {
    fn put(&self, file: RenderedFile) -> Result<(), Diagnostic> {
        let mut files = self
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        files.push(file);
        Ok(())
    }

    fn keep(&self, path: &Path) -> Result<(), Diagnostic> {
        Err(Diagnostic::error(
            path,
            "was kept from a render this list never saw",
            "report this as a bug of gazette",
        ))
    }
}

/// One page to produce.
#[derive(Debug, Clone, Copy)]
enum Job {
    Article(usize),
    Home {
        page: ListPage,
    },
    Section {
        section: usize,
        page: ListPage,
    },
    TagIndex,
    Tag {
        tag: usize,
        page: ListPage,
    },
    BotIndex,
    Bot {
        bot: usize,
        page: ListPage,
    },
    Year {
        year: usize,
        page: ListPage,
    },
    Month {
        year: usize,
        month: usize,
        page: ListPage,
    },
    Page(usize),
    /// The editors index, when the site has editors.
    EditorIndex,
    Editor(usize),
    /// The record of corrections and retractions.
    Corrections {
        page: ListPage,
    },
    /// The AI policy page, when gazette makes it (`Site::ai_policy`).
    AiPolicy,
    /// The redirect page at an old URL of an article or a page: its `alias`-th alias.
    Alias {
        of: Aliased,
        alias: usize,
    },
    /// `_redirects`, the list of every alias, when there is one.
    Redirects,
    /// The search page, when the site has search.
    Search,
    NotFound,
    Stylesheet,
}

/// Everything a job reads: the site, the shared summaries, the templates.
struct Renderer<'a> {
    site: &'a Site,
    root: &'a Path,
    /// What summaries show of each article's section, tags and bot.
    surroundings: Surroundings<'a>,
    /// Each article's summary as a template value, made the first time a file to render lists
    /// it and shared by every list after (tera values share their data, so a list clones
    /// pointers rather than making its summaries again); the error in words when it cannot be
    /// made.
    summary_values: Vec<std::sync::OnceLock<Result<tera::Value, String>>>,
    /// What the front page shows above that list.
    front: front::FrontPage,
    /// A hash of what every page reads as `site`.
    site_hash: u64,
    tera: &'a Tera,
    /// The partials `include_cached` made for this render, let go with it.
    _cached: templates::Cached,
    /// The site's other languages.
    scope: &'a Scope<'a>,
}

/// What a render did.
#[derive(Debug, Default)]
pub struct Rendered {
    /// How many files were rendered (the others were kept).
    pub files: usize,
    /// The stale parts of the search index, left for later (`Indexing::Later`).
    pub search: Vec<IndexJob>,
}

/// Renders the pages, feeds, sitemaps and search index of `site` into `sink`, each as soon as
/// it is ready, so that a build never holds them all. A file whose dependency key is the one it
/// had when `memo` was last updated is not rendered again: the sink is told to keep what it
/// has. With an empty memo, everything is rendered. Every key is computed first, so that only
/// the bodies of the articles shown in full by the files to render are got (`Versions::body`).
/// The stale parts of the search index are built in the render or handed back, by `indexing`.
/// Fails with every template error, URL clash and write error found, and then changes nothing
/// in `memo`.
#[allow(clippy::too_many_arguments)]
pub fn render(
    site: &Site,
    root: &Path,
    tera: &mut Tera,
    versions: &Versions,
    memo: &mut Memo,
    indexing: Indexing,
    sink: &impl Sink,
    progress: &Progress,
    scope: &Scope,
) -> Result<Rendered, Diagnostics> {
    let (renderer, jobs) = Renderer::prepare(site, root, tera, versions.pictures, scope)?;
    let keying = Keying::new(site, versions, &renderer.surroundings);
    let locations = sitemap::locations(site, &jobs, scope);
    let sitemap_key = sitemap::key(site, &locations, keying.seed);
    let kept_sitemaps = (memo.sitemaps.as_ref())
        .filter(|(key, _)| *key == sitemap_key)
        .map(|(_, paths)| paths.clone());
    let all_feeds = feeds::Feed::all(site);
    let (page_keys, feed_keys) = rayon::join(
        || renderer.page_keys(&jobs, &keying),
        || feed_keys(site, &all_feeds, &keying),
    );
    let stale_pages = stale(&page_keys, &memo.keys);
    let stale_feeds = stale(&feed_keys, &memo.feed_keys);
    let search_parts = search::parts(site, &keying);
    let last_search = &memo.search;
    let fates: Vec<Fate> = (search_parts.iter())
        .map(|part| part.fate(last_search, &memo.search_jobs, indexing))
        .collect();
    let mut uses = renderer.uses_of_bodies(&jobs, &stale_pages, &all_feeds, &stale_feeds);
    // The bodies of a part left for later are read by its job, not here.
    let loaded = |fate: &Fate| *fate == Fate::Stale && indexing == Indexing::InLine;
    for (part, _) in search_parts.iter().zip(&fates).filter(|(_, f)| loaded(f)) {
        for &i in &part.articles {
            uses[i] += 1;
        }
    }
    let bodies = Bodies::load(site, uses, versions, &keying.revisions)?;
    progress.to_come(jobs.len() + all_feeds.len() * feeds::FILES_PER_FEED);
    let counted = Counted::new(sink, progress);
    // Feeds, sitemaps and the search index read the site, not the pages, so they are written
    // alongside them.
    let last_pictures = std::mem::take(&mut memo.pictures);
    // The parts' keys stay as they are when the sitemaps are kept whole.
    let mut parts = std::mem::take(&mut memo.sitemap_parts);
    let (((pages, search), (feeds, sitemaps)), picture_files) = rayon::join(
        || {
            rayon::join(
                || {
                    rayon::join(
                        || renderer.changed_pages(&jobs, &stale_pages, &bodies, &counted),
                        || {
                            search::each_part(&search_parts, |n, part| {
                                let fate = fates[n];
                                let last = last_search.get(&part.name);
                                let last = last.map_or(&[][..], |(_, files)| &files[..]);
                                // What the site has of a part not built in the render stays.
                                if fate != Fate::Stale {
                                    return counted.keep_all(last).map(|()| (fate, None));
                                }
                                let summary = |i| renderer.surroundings.summary(site, i);
                                let made = match indexing {
                                    Indexing::Later => {
                                        let source = Source::Unread(root, &keying.revisions);
                                        let job = IndexJob::new(site, part, summary, &source)?;
                                        counted.keep_all(last)?;
                                        Made::Job(job)
                                    }
                                    Indexing::InLine => {
                                        let source = Source::Loaded(&bodies);
                                        let job = IndexJob::new(site, part, summary, &source)?;
                                        let (key, files) = job.build(last, &counted)?;
                                        progress.to_come(files.len());
                                        Made::Files(key, files)
                                    }
                                };
                                Ok::<_, Diagnostics>((fate, Some(made)))
                            })
                        },
                    )
                },
                || {
                    rayon::join(
                        || renderer.changed_feeds(&all_feeds, &stale_feeds, &bodies, &counted),
                        || {
                            counted.made_or_kept(kept_sitemaps, || {
                                let (files, keys) =
                                    sitemap::render(site, locations, scope, keying.seed, &parts)?;
                                parts = keys;
                                progress.to_come(files.len());
                                let put = |made: sitemap::Made| match made {
                                    sitemap::Made::File(file) => {
                                        let path = file.path.clone();
                                        counted.put(file).map(|()| path)
                                    }
                                    sitemap::Made::Kept(path) => counted.keep(&path).map(|()| path),
                                };
                                Diagnostics::gather(files.into_iter().map(put))
                            })
                        },
                    )
                },
            )
        },
        || match scope.shared() {
            true => pictures::put(versions.pictures, &last_pictures, &counted),
            false => Ok(Default::default()),
        },
    );
    let mut errors = Diagnostics::default();
    let picture_files = picture_files.map_err(|found| errors.extend(found.sorted()));
    let sitemaps = sitemaps.map_err(|found| errors.extend(found.sorted()));
    let mut made = Vec::with_capacity(search.len());
    for part in search {
        match part {
            Ok(part) => made.push(part),
            Err(found) => errors.extend(found.sorted()),
        }
    }
    for found in [pages, feeds].into_iter().filter_map(Result::err) {
        errors.extend(found.sorted());
    }
    if errors.has_errors() {
        return Err(errors);
    }
    // A file that showed a body read from a file changed since its revision is rendered
    // again next time: its key stands for the older text.
    let page_shows_changed = |(job, _): &(Job, UrlPath)| match job {
        Job::Article(i) => bodies.changed(*i),
        _ => false,
    };
    let feed_shows_changed =
        |feed: &feeds::Feed| feed.articles().iter().any(|&i| bodies.changed(i));
    memo.keys = known_keys(page_keys, jobs.iter().map(page_shows_changed));
    memo.feed_keys = known_keys(feed_keys, all_feeds.iter().map(feed_shows_changed));
    memo.sitemaps = sitemaps.ok().map(|paths| (sitemap_key, paths));
    memo.sitemap_parts = parts;
    memo.pictures = picture_files.unwrap_or_default();
    let search = search::settle(&search_parts, made, &mut memo.search, &mut memo.search_jobs);
    Ok(Rendered {
        files: counted.rendered(),
        search,
    })
}

/// Each feed's key, by a hash of its place.
fn feed_keys(site: &Site, feeds: &[feeds::Feed], keying: &Keying) -> Vec<(u64, Option<u64>)> {
    (feeds.par_iter())
        .map(|feed| (feed.hash_of_place(site), feed.key(site, keying)))
        .collect()
}

/// For each file keyed (by a hash of where it goes), whether it must be rendered: it has no
/// key, or another one than it had in `kept`.
fn stale(keyed: &[(u64, Option<u64>)], kept: &Keys) -> Vec<bool> {
    (keyed.iter())
        .map(|(at, key)| key.is_none() || kept.get(at) != key.as_ref())
        .collect()
}

/// The keys to remember, by where each file goes: those that are known and stand for what was
/// shown (`unsure` is false).
fn known_keys(keyed: Vec<(u64, Option<u64>)>, unsure: impl Iterator<Item = bool>) -> Keys {
    (keyed.into_iter().zip(unsure))
        .filter_map(|((at, key), unsure)| Some((at, key.filter(|_| !unsure)?)))
        .collect()
}

/// A sink that counts the files rendered into it, and every file that passes it (rendered or
/// kept) in the progress line's count.
struct Counted<'s, S> {
    sink: &'s S,
    rendered: std::sync::atomic::AtomicUsize,
    progress: &'s Progress,
}

impl<'s, S: Sink> Counted<'s, S> {
    fn new(sink: &'s S, progress: &'s Progress) -> Self {
        Self {
            sink,
            rendered: Default::default(),
            progress,
        }
    }

    fn rendered(&self) -> usize {
        self.rendered.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Keeps the files of `kept`, when the files of a kind are all kept; else puts the files
    /// `make` makes. Either way, their paths.
    fn made_or_kept<T: AsRef<Path>>(
        &self,
        kept: Option<Vec<T>>,
        make: impl FnOnce() -> Result<Vec<T>, Diagnostics>,
    ) -> Result<Vec<T>, Diagnostics> {
        match kept {
            Some(files) => {
                self.keep_all(&files)?;
                Ok(files)
            }
            None => make(),
        }
    }

    /// Keeps `files`, each counted in the progress line.
    fn keep_all<T: AsRef<Path>>(&self, files: &[T]) -> Result<(), Diagnostics> {
        self.progress.to_come(files.len());
        Diagnostics::gather(files.iter().map(|f| self.keep(f.as_ref()))).map(drop)
    }
}

impl<S: Sink> Sink for Counted<'_, S> {
    fn put(&self, file: RenderedFile) -> Result<(), Diagnostic> {
        (self.rendered).fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let put = self.sink.put(file);
        self.progress.advance();
        put
    }

    fn keep(&self, path: &Path) -> Result<(), Diagnostic> {
        let kept = self.sink.keep(path);
        self.progress.advance();
        kept
    }

    fn put_named(&self, path: &Path, from: &Path) -> Result<(), Diagnostic> {
        (self.rendered).fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let put = self.sink.put_named(path, from);
        self.progress.advance();
        put
    }
}

/// A sink for the files of one language, each put below the language's folder (`fr/`); the
/// default language's, with no folder, go straight through.
pub struct Prefixed<'s, S> {
    sink: &'s S,
    folder: &'s Path,
}

impl<'s, S: Sink> Prefixed<'s, S> {
    /// Puts into `sink`, below `folder` (`fr/`, or empty for none).
    pub fn new(sink: &'s S, folder: &'s str) -> Self {
        Self {
            sink,
            folder: Path::new(folder),
        }
    }
}

impl<S: Sink> Sink for Prefixed<'_, S> {
    fn put(&self, mut file: RenderedFile) -> Result<(), Diagnostic> {
        if !self.folder.as_os_str().is_empty() {
            file.path = self.folder.join(&file.path);
        }
        self.sink.put(file)
    }

    fn keep(&self, path: &Path) -> Result<(), Diagnostic> {
        match self.folder.as_os_str().is_empty() {
            true => self.sink.keep(path),
            false => self.sink.keep(&self.folder.join(path)),
        }
    }

    fn put_named(&self, path: &Path, from: &Path) -> Result<(), Diagnostic> {
        match self.folder.as_os_str().is_empty() {
            true => self.sink.put_named(path, from),
            false => self.sink.put_named(&self.folder.join(path), from),
        }
    }
}

/// Every error of every part.
fn join_parts(parts: impl IntoIterator<Item = Result<(), Diagnostics>>) -> Result<(), Diagnostics> {
    let mut errors = Diagnostics::default();
    for part in parts.into_iter().filter_map(Result::err) {
        errors.extend(part.sorted());
    }
    if errors.has_errors() {
        return Err(errors);
    }
    Ok(())
}

fn jobs(site: &Site) -> Vec<Job> {
    let t = &site.taxonomy;
    let pages = |len: usize| ListPage::all(len, site.settings.paginate_by);
    let mut jobs: Vec<Job> = (0..site.articles.len()).map(Job::Article).collect();
    jobs.extend(pages(t.listed.len()).map(|page| Job::Home { page }));
    for (section, s) in t.sections.iter().enumerate() {
        jobs.extend(pages(s.articles.len()).map(|page| Job::Section { section, page }));
    }
    jobs.push(Job::TagIndex);
    for (tag, s) in t.tags.iter().enumerate() {
        jobs.extend(pages(s.articles.len()).map(|page| Job::Tag { tag, page }));
    }
    jobs.push(Job::BotIndex);
    for (bot, list) in t.bot_articles.iter().enumerate() {
        jobs.extend(pages(list.len()).map(|page| Job::Bot { bot, page }));
    }
    for (year, y) in t.years.iter().enumerate() {
        jobs.extend(pages(y.articles.len()).map(|page| Job::Year { year, page }));
        for (month, m) in y.months.iter().enumerate() {
            jobs.extend(pages(m.articles.len()).map(|page| Job::Month { year, month, page }));
        }
    }
    jobs.extend((0..site.pages.len()).map(Job::Page));
    if !site.editors.is_empty() {
        jobs.push(Job::EditorIndex);
        jobs.extend((0..site.editors.len()).map(Job::Editor));
    }
    jobs.extend(pages(t.record.len()).map(|page| Job::Corrections { page }));
    if site.ai_policy() == Some(AiPolicy::Generated) {
        jobs.push(Job::AiPolicy);
    }
    let before = jobs.len();
    for of in site.aliased() {
        let count = site.moved(of).aliases.len();
        jobs.extend((0..count).map(|alias| Job::Alias { of, alias }));
    }
    if jobs.len() > before {
        jobs.push(Job::Redirects);
    }
    if site.settings.search.enabled {
        jobs.push(Job::Search);
    }
    jobs.push(Job::NotFound);
    jobs.push(Job::Stylesheet);
    jobs
}

impl Job {
    /// Where the page goes.
    fn path(self, site: &Site) -> UrlPath {
        self.page().path(self.first_page(site).into_owned())
    }

    /// Which page of a paginated list this is; `Latest` for every other page.
    fn page(self) -> ListPage {
        match self {
            Job::Home { page }
            | Job::Section { page, .. }
            | Job::Tag { page, .. }
            | Job::Bot { page, .. }
            | Job::Year { page, .. }
            | Job::Month { page, .. }
            | Job::Corrections { page } => page,
            _ => ListPage::Latest,
        }
    }

    /// The path of the first page of this page's list (of the page itself when unpaginated);
    /// borrowed from the site where it is kept, as every key computes it.
    fn first_page(self, site: &Site) -> Cow<'_, UrlPath> {
        let t = &site.taxonomy;
        let kept = match self {
            Job::Article(i) => &site.articles[i].path,
            Job::Section { section, .. } => &t.sections[section].path,
            Job::Tag { tag, .. } => &t.tags[tag].path,
            Job::Bot { bot, .. } => &site.bots[bot].path,
            Job::Year { year, .. } => &t.years[year].path,
            Job::Month { year, month, .. } => &t.years[year].months[month].path,
            Job::Page(i) => &site.pages[i].path,
            Job::Editor(e) => &site.editors[e].path,
            Job::Alias { of, alias } => &site.moved(of).aliases[alias],
            Job::AiPolicy => return Cow::Owned(UrlPath::folder(AI_POLICY)),
            Job::Redirects => return Cow::Owned(UrlPath::file(REDIRECTS_FILE)),
            Job::Home { .. } => return Cow::Owned(UrlPath::root()),
            Job::TagIndex => return Cow::Owned(UrlPath::folder(TAGS)),
            Job::BotIndex => return Cow::Owned(UrlPath::folder(BOTS)),
            Job::EditorIndex => return Cow::Owned(UrlPath::folder(EDITORS)),
            Job::Search => return Cow::Owned(UrlPath::folder(SEARCH)),
            Job::Corrections { .. } => return Cow::Owned(UrlPath::folder(CORRECTIONS)),
            Job::NotFound => return Cow::Owned(UrlPath::file("404.html")),
            Job::Stylesheet => return Cow::Owned(UrlPath::file("style.css")),
        };
        Cow::Borrowed(kept)
    }

    /// What asked for the page, for the error when two pages want one URL.
    fn origin(self, site: &Site) -> Origin {
        let t = &site.taxonomy;
        match self {
            Job::Article(i) => Origin::File(site.articles[i].file.clone()),
            Job::Page(i) => Origin::File(site.pages[i].file.clone()),
            Job::Alias { of, .. } => Origin::Alias(site.moved(of).file.to_path_buf()),
            Job::Bot { bot, .. } => Origin::File(site.bots[bot].file.clone()),
            Job::Editor(e) => Origin::File(site.editors[e].file.clone()),
            Job::Section { section, .. } => {
                let folder = &t.sections[section].folder;
                Origin::Folder(Path::new(CONTENT_DIR).join(folder).join(""))
            }
            Job::Tag { tag, .. } => {
                Origin::Index(format!("the page of the tag `{}`", t.tags[tag].name))
            }
            Job::Home { .. } => Origin::Index("the home page".into()),
            Job::TagIndex => Origin::Index("the tags index".into()),
            Job::BotIndex => Origin::Index("the bots index".into()),
            Job::EditorIndex => Origin::Index("the editors index".into()),
            Job::Year { .. } | Job::Month { .. } => Origin::Index("the date archives".into()),
            Job::Search => Origin::Index("the search page".into()),
            Job::Corrections { .. } => Origin::Index("the corrections page".into()),
            Job::AiPolicy => Origin::Index("the AI policy page".into()),
            Job::Redirects => Origin::Index("the list of redirects".into()),
            Job::NotFound => Origin::Index("the 404 page".into()),
            Job::Stylesheet => Origin::Index("the stylesheet".into()),
        }
    }
}

/// What asks for a page: a file or folder of the site, or one of gazette's own pages.
enum Origin {
    File(PathBuf),
    /// The `aliases` of a file.
    Alias(PathBuf),
    Folder(PathBuf),
    Index(String),
}

impl Origin {
    /// How easily the user can give the page another URL; lower is easier.
    fn rank(&self) -> u8 {
        match self {
            Origin::Alias(_) => 0,
            Origin::File(_) => 1,
            Origin::Folder(_) => 2,
            Origin::Index(_) => 3,
        }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::File(path) | Origin::Folder(path) => write!(f, "{}", path.display()),
            Origin::Alias(path) => write!(f, "an alias of {}", path.display()),
            Origin::Index(what) => f.write_str(what),
        }
    }
}

/// Two files that would produce the same URL are an error naming both.
fn check_unique_urls(site: &Site, jobs: &[(Job, UrlPath)]) -> Result<(), Diagnostics> {
    // foldhash: SipHash over every URL of a large site was a measurable part of a publish.
    let mut seen: foldhash::HashMap<&UrlPath, Job> =
        HashMap::with_capacity_and_hasher(jobs.len(), Default::default());
    let mut errors = Diagnostics::default();
    for (job, path) in jobs {
        let job = *job;
        if let Some(&first) = seen.get(path) {
            // The error goes on what is easiest to change, a file's `slug:` before a folder's
            // name before gazette's own pages, and names the other.
            let (a, b) = (first.origin(site), job.origin(site));
            let (file, other) = if b.rank() < a.rank() { (b, a) } else { (a, b) };
            let url = path.url(&site.settings.base);
            errors.push(match file {
                // An old URL that a page now has is the page's: the alias must go.
                Origin::Alias(file) => Diagnostic::error(
                    file,
                    format!("`aliases`: {url} is the URL of {other}"),
                    "remove it from `aliases`: an alias must be a URL no page has",
                ),
                file => Diagnostic::error(
                    file.to_string(),
                    format!("produces the URL {url}, as does {other}"),
                    "give one of them another `slug:` or rename it",
                ),
            });
        } else {
            seen.insert(path, job);
        }
    }
    if errors.has_errors() {
        Err(errors)
    } else {
        Ok(())
    }
}

impl<'a> Renderer<'a> {
    /// Sets up what every job shares, and lists the jobs after checking their URLs.
    fn prepare(
        site: &'a Site,
        root: &'a Path,
        tera: &'a mut Tera,
        pictures: &'a pictures::Pictures<'a>,
        scope: &'a Scope<'a>,
    ) -> Result<(Self, Vec<(Job, UrlPath)>), Diagnostics> {
        let site_view = SiteView::new(site);
        tera.global_context().insert("site", &site_view);
        templates::register_words(tera, &site.words);
        let cached = templates::register_cached(tera);
        let mut made = jobs(site);
        if !scope.shared() {
            made.retain(|job| !matches!(job, Job::Redirects | Job::NotFound | Job::Stylesheet));
        } else if !made.iter().any(|job| matches!(job, Job::Redirects))
            && scope.sites().any(|other| other.aliased().next().is_some())
        {
            made.push(Job::Redirects);
        }
        let jobs: Vec<(Job, UrlPath)> = (made.into_par_iter())
            .map(|job| (job, job.path(site)))
            .collect();
        check_unique_urls(site, &jobs)?;
        let unknown = site.unknown_editors();
        if unknown.has_errors() {
            return Err(unknown);
        }
        let renderer = Renderer {
            site,
            root,
            surroundings: Surroundings::new(site, pictures),
            summary_values: (0..site.articles.len())
                .map(|_| Default::default())
                .collect(),
            front: front::FrontPage::of(site),
            site_hash: key::hash_of(&(&site_view, &site.words.texts)),
            tera,
            _cached: cached,
            scope,
        };
        Ok((renderer, jobs))
    }
}

impl Renderer<'_> {
    fn render(
        &self,
        job: Job,
        path: &UrlPath,
        bodies: &Bodies,
    ) -> Result<RenderedFile, Diagnostic> {
        let body = match job {
            Job::Article(i) => Some(bodies.take(i)?),
            _ => None,
        };
        let mut gather = Gather::new(self, body);
        let template = self.inputs(job, path, &mut gather);
        let html = self
            .tera
            .render(template, &gather.into_context()?)
            .map_err(|e| templates::to_diagnostic(self.root, &e))?;
        Ok(RenderedFile {
            path: path.output_file(),
            bytes: html.into_bytes(),
        })
    }

    /// Each page's key, by a hash of its path.
    fn page_keys(&self, jobs: &[(Job, UrlPath)], keying: &Keying) -> Vec<(u64, Option<u64>)> {
        (jobs.par_iter())
            .map(|(job, path)| (key::hash_of(path), self.key(*job, path, keying)))
            .collect()
    }

    /// For each article, how many of the files to render show its body: its page, and the
    /// feeds that list it when feeds carry whole articles.
    fn uses_of_bodies(
        &self,
        jobs: &[(Job, UrlPath)],
        stale_pages: &[bool],
        feeds: &[feeds::Feed],
        stale_feeds: &[bool],
    ) -> Vec<usize> {
        let mut uses = vec![0; self.site.articles.len()];
        for ((job, _), _) in jobs.iter().zip(stale_pages).filter(|(_, stale)| **stale) {
            if let Job::Article(i) = job {
                uses[*i] += 1;
            }
        }
        if self.site.settings.feeds.content == FeedContent::Full {
            for (feed, _) in feeds.iter().zip(stale_feeds).filter(|(_, stale)| **stale) {
                for &i in feed.articles() {
                    uses[i] += 1;
                }
            }
        }
        uses
    }

    /// Renders into `sink` the pages marked `stale` and keeps the others.
    fn changed_pages(
        &self,
        jobs: &[(Job, UrlPath)],
        stale: &[bool],
        bodies: &Bodies,
        sink: &impl Sink,
    ) -> Result<(), Diagnostics> {
        let results: Vec<Result<(), Diagnostic>> = (jobs.par_iter().zip(stale))
            .map(|((job, path), stale)| match stale {
                true => sink.put(self.render(*job, path, bodies)?),
                false => sink.keep(&path.output_file()),
            })
            .collect();
        Diagnostics::gather(results).map(drop)
    }

    /// Writes into `sink`, in every format, the feeds marked `stale` and keeps the others.
    fn changed_feeds(
        &self,
        all: &[feeds::Feed],
        stale: &[bool],
        bodies: &Bodies,
        sink: &impl Sink,
    ) -> Result<(), Diagnostics> {
        let (stale, same): (Vec<_>, Vec<_>) = all.iter().zip(stale).partition(|(_, s)| **s);
        let stale: Vec<&feeds::Feed> = stale.into_iter().map(|(feed, _)| feed).collect();
        feeds::render(self.site, &stale, bodies, sink)?;
        let files = same.into_iter().flat_map(|(feed, _)| feed.files(self.site));
        Diagnostics::gather(files.map(|path| sink.keep(&path))).map(drop)
    }

    /// The dependency key of a page: a hash of everything it reads, or none when that cannot
    /// be known (a source file without a revision), so that the page is always rendered.
    fn key(&self, job: Job, path: &UrlPath, keying: &Keying) -> Option<u64> {
        let mut key = KeyInputs::new(self, keying);
        let template = self.inputs(job, path, &mut key);
        key.finish(template)
    }

    /// Page `page` of `list`: its `articles` and `paginator`.
    fn listing(&self, inputs: &mut impl Inputs, list: &[usize], first: &UrlPath, page: ListPage) {
        let settings = &self.site.settings;
        let per_page = settings.paginate_by;
        inputs.summaries("articles", page.shown(list, per_page));
        let paginator = Paginator::new(first, page, list.len(), per_page, &settings.base);
        inputs.insert("paginator", &paginator);
    }

    /// Gives `inputs` everything page `job` (at `path`) shows; returns its template.
    fn inputs(&self, job: Job, path: &UrlPath, inputs: &mut impl Inputs) -> &'static str {
        let site = self.site;
        inputs.insert("page_url", &path.url(&site.settings.base));
        let disclaimer = match job {
            Job::Article(i) => site.disclaimer_of(i),
            _ => context::site_disclaimer(site),
        };
        inputs.insert("disclaimer", disclaimer);
        let alternates = self.scope.alternates(job, path);
        if let Some(alternates) = &alternates {
            inputs.insert("alternates", alternates);
            if let Job::Article(i) = job {
                let from = site.articles[i].translated_from.as_deref();
                let original = alternates
                    .languages
                    .iter()
                    .find(|l| Some(&l.lang[..]) == from);
                if let Some(original) = original.filter(|l| l.href.is_some()) {
                    inputs.insert("translated_from", original);
                }
            }
        }
        inputs.head(job, alternates.as_ref());
        self.context(job, &job.first_page(site), inputs)
    }

    /// The template of a page, with what it shows given to `ctx`.
    fn context(&self, job: Job, first_page: &UrlPath, ctx: &mut impl Inputs) -> &'static str {
        let site = self.site;
        let t = &site.taxonomy;
        let base = &site.settings.base;
        let (template, list): (_, Option<(&[usize], ListPage)>) = match job {
            Job::Article(i) if !t.is_listed(i) => {
                ctx.article(i);
                ("retraction.html", None)
            }
            Job::Article(i) => {
                self.article_context(i, ctx);
                ("article.html", None)
            }
            Job::Home { page } => {
                ctx.front(Some(&self.front).filter(|_| page == ListPage::Latest));
                ("index.html", Some((&t.listed, page)))
            }
            Job::Section { section, page } => {
                let s = &t.sections[section];
                // Numbered pages show nothing that grows with the list (see `pagination`).
                ctx.insert("section", &SectionView::new(s, base).on(page));
                ("section.html", Some((&s.articles, page)))
            }
            Job::TagIndex => {
                let tags: Vec<TagView> = t.tags.iter().map(|tag| TagView::new(tag, base)).collect();
                ctx.insert("tags", &tags);
                ("tags.html", None)
            }
            Job::Tag { tag, page } => {
                let tg = &t.tags[tag];
                ctx.insert("tag", &TagView::new(tg, base).on(page));
                ("tag.html", Some((&tg.articles, page)))
            }
            Job::BotIndex => {
                let bots: Vec<BotView> = (0..site.bots.len())
                    .map(|b| BotView::new(site, b))
                    .collect();
                ctx.insert("bots", &bots);
                ("bots.html", None)
            }
            Job::Bot { bot, page } => {
                ctx.insert("bot", &BotView::new(site, bot).on(page));
                ("bot.html", Some((&t.bot_articles[bot], page)))
            }
            Job::Year { year, page } => {
                ctx.insert("archive", &ArchiveView::year(site, year, page));
                ("archive.html", Some((&t.years[year].articles, page)))
            }
            Job::Month { year, month, page } => {
                ctx.insert("archive", &ArchiveView::month(site, year, month));
                (
                    "archive.html",
                    Some((&t.years[year].months[month].articles, page)),
                )
            }
            Job::Page(i) => {
                ctx.insert("page", &PageView::new(site, i));
                ("page.html", None)
            }
            Job::EditorIndex => {
                let editors: Vec<EditorView> = (site.editors.iter())
                    .map(|e| EditorView::new(e, base))
                    .collect();
                ctx.insert("editors", &editors);
                ("editors.html", None)
            }
            Job::Editor(e) => {
                ctx.insert("editor", &EditorView::new(&site.editors[e], base));
                ("editor.html", None)
            }
            Job::AiPolicy => {
                ctx.insert("policy", &PolicyView::new(site));
                ("ai_policy.html", None)
            }
            Job::Alias { of, .. } => {
                ctx.insert("target", &RedirectView::new(site, of));
                ("redirect.html", None)
            }
            Job::Redirects => {
                // One file at the site's root holds the aliases of every language.
                let redirects: Vec<Redirect> = (self.scope.sites())
                    .flat_map(|site| {
                        let base = &site.settings.base;
                        site.aliased().flat_map(move |of| {
                            let moved = site.moved(of);
                            let to = moved.path.url(base);
                            (moved.aliases.iter()).map(move |alias| Redirect {
                                from: alias.url(base),
                                to: to.clone(),
                            })
                        })
                    })
                    .collect();
                ctx.insert("redirects", &redirects);
                (REDIRECTS_FILE, None)
            }
            Job::Search => {
                ctx.insert("search_parts", &search::part_urls(site));
                ("search.html", None)
            }
            Job::Corrections { page } => {
                let per_page = site.settings.paginate_by;
                let notices: Vec<NoticeView> = (page.shown(&t.record, per_page).iter())
                    .map(|&n| NoticeView::new(site, n))
                    .collect();
                ctx.insert("notices", &notices);
                let paginator = Paginator::new(first_page, page, t.record.len(), per_page, base);
                ctx.insert("paginator", &paginator);
                ("corrections.html", None)
            }
            Job::NotFound => ("404.html", None),
            Job::Stylesheet => ("style.css", None),
        };
        if let Some((articles, page)) = list {
            self.listing(ctx, articles, first_page, page);
        }
        template
    }

    fn article_context(&self, i: usize, ctx: &mut impl Inputs) {
        let site = self.site;
        let format = &site.words;
        let story: Vec<StoryEntry> = site
            .taxonomy
            .story_of(i)
            .map(|s| &s.articles[..])
            .unwrap_or_default()
            .iter()
            .map(|&j| {
                let other = &site.articles[j];
                StoryEntry {
                    title: &other.title,
                    url: other.path.url(&site.settings.base),
                    date: DateView::new(&other.date, format),
                    current: j == i,
                }
            })
            .collect();
        ctx.article(i);
        ctx.insert("story", &story);
        ctx.summaries("related", &site.related[i]);
    }

    /// Article `i` as its own page shows it, with its `body`.
    fn article_view<'s>(
        &'s self,
        i: usize,
        summary: &'s context::Summary,
        body: &'s crate::content::Body,
    ) -> ArticleView<'s> {
        let site = self.site;
        let a = &site.articles[i];
        let format = &site.words;
        let pictures = self.surroundings.pictures();
        let base = &site.settings.base;
        let retracted = a.retracted.as_ref().map(|r| RetractionView {
            date: DateView::new(&r.date, format),
            reason: &r.reason,
        });
        // What a person wrote on the page, on a site that tells AI's words from people's.
        let human = site.settings.ai_disclosure.then_some(Disclosure::HumanOnly);
        // A retracted article's page shows no part of its body, whatever its template does.
        let content = match retracted {
            Some(_) => Cow::Borrowed(""),
            None => pictures::in_body(&body.html, &a.body_images, pictures, base),
        };
        ArticleView {
            summary,
            content,
            retracted,
            word_count: a.word_count,
            toc: &body.toc,
            sources: &body.sources,
            corrections: a
                .corrections
                .iter()
                .map(|c| CorrectionView {
                    date: DateView::new(&c.date, format),
                    text: &c.text,
                    by: (c.by.as_deref())
                        .and_then(|id| site.editor(id))
                        .map(|e| EditorLink::new(e, base)),
                    disclosure: c.by.as_ref().and(human),
                })
                .collect(),
            reviewed_by: site.reviewer_of(i).map(|e| EditorLink::new(e, base)),
            editor_note: (a.editor_note.as_ref()).map(|n| EditorNoteView {
                text: &n.text,
                by: site.editor(&n.by).map(|e| EditorLink::new(e, base)),
                disclosure: human,
            }),
            disclosure: Disclosure::of_article(site, i),
            extra: &a.extra,
        }
    }
}
