//! What a page reads, gathered one of two ways by the same code: into its template context to
//! render it, or into a dependency key that changes whenever anything the page shows changes, so
//! that a rebuild renders only the pages whose key changed.
//!
//! Because both come from one walk over the page's inputs (`Renderer::inputs`), a value a
//! template can see is always part of the key. Two inputs are hashed by proxy, as making them
//! would cost more than rendering: an article's own page view by the revision of its file (its
//! text; templates and configuration are in the seed), and each summary by a hash of what it is
//! made from (`Surroundings::key`). So keys are computed from versions alone, and summaries are
//! made only for the files that are rendered.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tera::Context;

use super::alternates::AlternatesView;
use super::context::{EditorLink, Surroundings};
use super::front::FrontPage;
use super::head::Head;
use super::key::{KeyHasher, key_hasher};
use super::{Job, Renderer};
use crate::content::{Article, Body};
use crate::error::Diagnostic;
use crate::site::Site;

/// The versions of what the pages of a site are rendered from, as far as keys need to know,
/// and the bodies of its articles, which the site does not hold.
#[derive(Clone, Copy)]
pub struct Versions<'a> {
    /// Part of every key: whoever renders changes it when the templates or the configuration
    /// change, since neither appears in the keys otherwise.
    pub seed: u64,
    /// The revision of a content file (`content::LoadedFile::revision`), when it was read.
    pub revision: &'a (dyn Fn(&Path) -> Option<u64> + Sync),
    /// The body of an article, with the revision of the text it was made from.
    pub body: &'a (dyn Fn(&Article) -> Result<Revised<Body>, Diagnostic> + Sync),
    /// The pictures made of the articles' images: their keys are the versions of the images.
    pub pictures: &'a super::pictures::Pictures<'a>,
}

/// A value with the revision of the file it was made from.
pub type Revised<T> = (u64, T);

/// Dependency keys by a hash of where each file goes. foldhash: a build reads one for every
/// file of the site from its state and looks each up, where SipHash took a measurable share.
pub(super) type Keys = foldhash::HashMap<u64, u64>;

/// What one render of a site keeps for the next; a build keeps it on disk.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Memo {
    /// The key each page had when it was last rendered, by a hash of its path.
    pub(super) keys: Keys,
    /// The key each feed had when it was last written, by a hash of where it goes.
    pub(super) feed_keys: Keys,
    /// The key the sitemaps had when they were last written, and their files.
    pub(super) sitemaps: Option<(u64, Vec<PathBuf>)>,
    /// The key of each part of the sitemap when it was last written, by its file.
    pub(super) sitemap_parts: super::sitemap::PartKeys,
    /// The key each part of the search index had when it was last built, and its files.
    pub(super) search: super::search::Built,
    /// The pictures' files the last render put (their names hold their image's hash).
    pub(super) pictures: std::collections::HashSet<std::path::PathBuf>,
    /// The parts of the search index being built away from the render (`Indexing::Later`):
    /// of a preview, never saved.
    #[serde(skip)]
    pub(super) search_jobs: super::search::Jobs,
}

impl Memo {
    /// Takes back a part of the search index built by a job a render handed out, so that the
    /// next render keeps it, when no later render replaced the job; returns what it changes
    /// in the site.
    pub fn indexed(&mut self, indexed: super::Indexed) -> Option<super::Swap> {
        super::search::take_back(&mut self.search, &mut self.search_jobs, indexed)
    }
}

/// What the keys of one render are made from besides the pages' own inputs.
#[derive(Debug)]
pub(super) struct Keying {
    /// `Versions::seed`.
    pub seed: u64,
    /// The revision of each article's file, by its index in `Site::articles`: looked up once
    /// per render rather than by every page and feed that shows the article.
    pub revisions: Vec<Option<u64>>,
    /// What stands for each article's summary in keys (`Surroundings::key`).
    pub summaries: Vec<u64>,
}

impl Keying {
    pub fn new(site: &Site, versions: &Versions, around: &Surroundings) -> Self {
        let (revisions, summaries) = (site.articles.par_iter())
            .enumerate()
            .map(|(i, a)| ((versions.revision)(&a.file), around.key(site, i)))
            .unzip();
        Self {
            seed: versions.seed,
            revisions,
            summaries,
        }
    }
}

/// Where a page's inputs go.
pub(super) trait Inputs {
    fn insert<T: Serialize + Hash + ?Sized>(&mut self, name: &'static str, value: &T);
    /// The summaries of `articles` (indexes into `Site::articles`), as one list.
    fn summaries(&mut self, name: &'static str, articles: &[usize]);
    /// What the front page shows above its list, as `front`; none (null) on other pages of
    /// its list.
    fn front(&mut self, front: Option<&FrontPage>);
    /// Article `i` as its own page shows it, as `article`.
    fn article(&mut self, i: usize);
    /// What the page's `<head>` says about it, as `head`.
    /// The page's `<head>`; `alternates` are its versions in the other languages, which the
    /// page's inputs hold already.
    fn head(&mut self, job: Job, alternates: Option<&AlternatesView>);
}

/// Gathers a page's inputs into its template context.
pub(super) struct Gather<'r, 'a> {
    renderer: &'r Renderer<'a>,
    /// The body of the article whose page this is.
    body: Option<Arc<Body>>,
    ctx: Context,
    /// The first summary that could not be made into a template value.
    failed: Option<Diagnostic>,
}

impl<'r, 'a> Gather<'r, 'a> {
    pub fn new(renderer: &'r Renderer<'a>, body: Option<Arc<Body>>) -> Self {
        Self {
            renderer,
            body,
            ctx: Context::new(),
            failed: None,
        }
    }

    pub fn into_context(self) -> Result<Context, Diagnostic> {
        match self.failed {
            Some(failed) => Err(failed),
            None => Ok(self.ctx),
        }
    }

    /// The summaries of `articles` as template values, each made once per render.
    fn values(&mut self, articles: &[usize]) -> Vec<tera::Value> {
        let r = self.renderer;
        let mut list = Vec::with_capacity(articles.len());
        for &i in articles {
            let value = r.summary_values[i].get_or_init(|| {
                (r.surroundings.summary_value(r.site, i)).map_err(|e| e.to_string())
            });
            match value {
                Ok(value) => list.push(value.clone()),
                Err(e) => {
                    let file = &r.site.articles[i].file;
                    self.failed.get_or_insert_with(|| {
                        Diagnostic::error(
                            file,
                            format!("cannot be shown in a list: {e}"),
                            "report this as a bug of gazette",
                        )
                    });
                }
            }
        }
        list
    }
}

impl Inputs for Gather<'_, '_> {
    fn insert<T: Serialize + Hash + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.ctx.insert(name, value);
    }

    fn summaries(&mut self, name: &'static str, articles: &[usize]) {
        let list = self.values(articles);
        self.ctx.insert_value(name, tera::Value::from(list));
    }

    fn front(&mut self, front: Option<&FrontPage>) {
        let Some(front) = front else {
            self.ctx.insert_value("front", tera::Value::none());
            return;
        };
        let surroundings = &self.renderer.surroundings;
        let lead = front.lead.and_then(|i| self.values(&[i]).pop());
        let top = self.values(&front.top);
        let mut sections = Vec::with_capacity(front.sections.len());
        for (s, articles) in &front.sections {
            let section = tera::Value::try_from_serializable(surroundings.section(*s).0);
            let articles = tera::Value::from(self.values(articles));
            match section {
                Ok(section) => sections.push(tera::Value::from(BTreeMap::from([
                    ("section", section),
                    ("articles", articles),
                ]))),
                Err(e) => {
                    self.failed.get_or_insert_with(|| {
                        Diagnostic::error(
                            "the home page",
                            format!("cannot show a section's block: {e}"),
                            "report this as a bug of gazette",
                        )
                    });
                }
            }
        }
        let front = BTreeMap::from([
            ("lead", tera::Value::from(lead)),
            ("top", tera::Value::from(top)),
            ("sections", tera::Value::from(sections)),
        ]);
        self.ctx.insert_value("front", tera::Value::from(front));
    }

    fn article(&mut self, i: usize) {
        // Always given for an article's page; without it the template fails on `article`.
        if let Some(body) = &self.body {
            let r = self.renderer;
            let summary = r.surroundings.summary(r.site, i);
            let view = r.article_view(i, &summary, body);
            self.ctx.insert("article", &view);
        }
    }

    fn head(&mut self, job: Job, alternates: Option<&AlternatesView>) {
        let r = self.renderer;
        let sources = self
            .body
            .as_deref()
            .map_or(&[][..], |body| &body.sources[..]);
        let head = Head::new(r.site, job, sources, r.surroundings.pictures(), alternates);
        self.ctx.insert("head", &head);
    }
}

/// Hashes a page's inputs into its dependency key.
pub(super) struct KeyInputs<'r, 'a> {
    renderer: &'r Renderer<'a>,
    keying: &'r Keying,
    hasher: KeyHasher,
    /// Set when an input has no revision to stand for it.
    unknown: bool,
}

impl<'r, 'a> KeyInputs<'r, 'a> {
    pub fn new(renderer: &'r Renderer<'a>, keying: &'r Keying) -> Self {
        let mut hasher = key_hasher();
        keying.seed.hash(&mut hasher);
        renderer.site_hash.hash(&mut hasher);
        Self {
            renderer,
            keying,
            hasher,
            unknown: false,
        }
    }

    pub fn finish(mut self, template: &str) -> Option<u64> {
        template.hash(&mut self.hasher);
        (!self.unknown).then(|| self.hasher.finish())
    }

    /// What stands for the summaries of `articles`, in order, in the key.
    fn hash_summaries(&mut self, articles: &[usize]) {
        articles.len().hash(&mut self.hasher);
        for &i in articles {
            self.keying.summaries[i].hash(&mut self.hasher);
        }
    }
}

impl Inputs for KeyInputs<'_, '_> {
    fn insert<T: Serialize + Hash + ?Sized>(&mut self, name: &'static str, value: &T) {
        name.hash(&mut self.hasher);
        value.hash(&mut self.hasher);
    }

    fn summaries(&mut self, name: &'static str, articles: &[usize]) {
        name.hash(&mut self.hasher);
        self.hash_summaries(articles);
    }

    fn front(&mut self, front: Option<&FrontPage>) {
        "front".hash(&mut self.hasher);
        let Some(front) = front else {
            false.hash(&mut self.hasher);
            return;
        };
        true.hash(&mut self.hasher);
        let lead = front.lead.as_slice();
        self.hash_summaries(lead);
        self.hash_summaries(&front.top);
        front.sections.len().hash(&mut self.hasher);
        for (s, articles) in &front.sections {
            self.renderer
                .surroundings
                .section(*s)
                .1
                .hash(&mut self.hasher);
            self.hash_summaries(articles);
        }
    }

    fn article(&mut self, i: usize) {
        match self.keying.revisions[i] {
            Some(revision) => revision.hash(&mut self.hasher),
            None => self.unknown = true,
        }
        self.keying.summaries[i].hash(&mut self.hasher);
        // The body's pictures: its text names them, their keys say what they are now.
        let pictures = self.renderer.surroundings.pictures();
        let site = self.renderer.site;
        let a = &site.articles[i];
        for (src, _) in &a.body_images {
            pictures.version(src).hash(&mut self.hasher);
        }
        // Its reviewer and the editors of its corrections, as the page names them: their
        // profiles are files of their own.
        let base = &site.settings.base;
        let named = (a.reviewed_by.iter())
            .chain(a.corrections.iter().filter_map(|c| c.by.as_ref()))
            .chain(a.editor_note.iter().map(|n| &n.by));
        for id in named {
            (site.editor(id))
                .map(|e| EditorLink::new(e, base))
                .hash(&mut self.hasher);
        }
    }

    fn head(&mut self, job: Job, alternates: Option<&AlternatesView>) {
        // An article's head (its JSON-LD above all) is made from the article, its section, its
        // bot, its reviewer and its alternates, which `article` and `insert` already put in the
        // key; building it would cost more.
        if !matches!(job, Job::Article(_)) {
            let r = self.renderer;
            let pictures = r.surroundings.pictures();
            Head::new(r.site, job, &[], pictures, alternates).hash(&mut self.hasher);
        }
    }
}
