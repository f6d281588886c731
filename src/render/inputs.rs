//! What a page reads, gathered one of two ways by the same code: into its template context to
//! render it, or into a dependency key that changes whenever anything the page shows changes, so
//! that a rebuild renders only the pages whose key changed.
//!
//! Because both come from one walk over the page's inputs (`Renderer::inputs`), a value a
//! template can see is always part of the key. Two inputs are hashed by proxy, as hashing them
//! whole would cost more than rendering: an article's own page view by the revision of its file
//! (its text; templates and configuration are in the seed), and each summary in a list by the
//! hash computed once when the summaries are built. Summaries themselves are kept from one
//! render to the next while their article and what they show of its section, tags and author
//! stay the same.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tera::Context;

use super::context::{self, SummaryValue};
use super::head::Head;
use super::key::{KeyHasher, hash_of, key_hasher};
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
}

/// A value with the revision of the file it was made from.
pub type Revised<T> = (u64, T);

/// What one render of a site keeps for the next; a build keeps it on disk (all but the
/// summaries, which are template values, made again on the first render after loading).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Memo {
    /// The key each page had when it was last rendered, by a hash of its path.
    pub(super) keys: HashMap<u64, u64>,
    /// The key each feed had when it was last written, by a hash of where it goes.
    pub(super) feed_keys: HashMap<u64, u64>,
    /// Each article's summary, by a hash of its file, with the key of what it was made from.
    #[serde(skip)]
    summaries: HashMap<u64, (u64, SummaryValue)>,
    /// The key the sitemaps had when they were last written, and their files.
    pub(super) sitemaps: Option<(u64, Vec<PathBuf>)>,
}

/// What the keys of one render are made from besides the pages' own inputs.
#[derive(Debug)]
pub(super) struct Keying {
    /// `Versions::seed`.
    pub seed: u64,
    /// The revision of each article's file, by its index in `Site::articles`: looked up once
    /// per render rather than by every page and feed that shows the article.
    pub revisions: Vec<Option<u64>>,
}

impl Keying {
    pub fn new(site: &Site, versions: &Versions) -> Self {
        let revisions = (site.articles.par_iter())
            .map(|a| (versions.revision)(&a.file))
            .collect();
        Self {
            seed: versions.seed,
            revisions,
        }
    }
}

impl Memo {
    /// Every article's summary, reusing those whose article, section, tags and author are as
    /// they were.
    pub(super) fn summaries(
        &mut self,
        site: &Site,
        keying: &Keying,
    ) -> Result<Vec<SummaryValue>, tera::Error> {
        let inputs = context::summary_inputs(site);
        let keyed: Vec<(u64, Option<u64>, SummaryValue)> = (0..site.articles.len())
            .into_par_iter()
            .map(|i| {
                // By the file's text, not its components: the same walk always spells it alike.
                let file = site.articles[i].file.as_os_str();
                let at = hash_of(file);
                let key = (keying.revisions[i])
                    .map(|revision| hash_of(&(keying.seed, file, revision, inputs[i])));
                match (key, self.summaries.get(&at)) {
                    (Some(key), Some((kept, value))) if *kept == key => {
                        Ok((at, Some(key), value.clone()))
                    }
                    _ => Ok((at, key, SummaryValue::new(site, i)?)),
                }
            })
            .collect::<Result<_, tera::Error>>()?;
        self.summaries = (keyed.iter())
            .filter_map(|(at, key, value)| Some((*at, ((*key)?, value.clone()))))
            .collect();
        Ok(keyed.into_iter().map(|(_, _, value)| value).collect())
    }
}

/// Where a page's inputs go.
pub(super) trait Inputs {
    fn insert<T: Serialize + Hash + ?Sized>(&mut self, name: &'static str, value: &T);
    /// The summaries of `articles` (indexes into `Site::articles`), as one list.
    fn summaries(&mut self, name: &'static str, articles: &[usize]);
    /// Article `i` as its own page shows it, as `article`.
    fn article(&mut self, i: usize);
    /// What the page's `<head>` says about it, as `head`.
    fn head(&mut self, job: Job);
}

/// Gathers a page's inputs into its template context.
pub(super) struct Gather<'r, 'a> {
    renderer: &'r Renderer<'a>,
    /// The body of the article whose page this is.
    body: Option<Arc<Body>>,
    ctx: Context,
}

impl<'r, 'a> Gather<'r, 'a> {
    pub fn new(renderer: &'r Renderer<'a>, body: Option<Arc<Body>>) -> Self {
        Self {
            renderer,
            body,
            ctx: Context::new(),
        }
    }

    pub fn into_context(self) -> Context {
        self.ctx
    }
}

impl Inputs for Gather<'_, '_> {
    fn insert<T: Serialize + Hash + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.ctx.insert(name, value);
    }

    fn summaries(&mut self, name: &'static str, articles: &[usize]) {
        let values = &self.renderer.summary_values;
        let list: Vec<tera::Value> = articles.iter().map(|&i| values[i].value.clone()).collect();
        self.ctx.insert_value(name, tera::Value::from(list));
    }

    fn article(&mut self, i: usize) {
        // Always given for an article's page; without it the template fails on `article`.
        if let Some(body) = &self.body {
            let summary = super::context::summary(self.renderer.site, i);
            let view = self.renderer.article_view(i, &summary, body);
            self.ctx.insert("article", &view);
        }
    }

    fn head(&mut self, job: Job) {
        self.ctx.insert("head", &Head::new(self.renderer.site, job));
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
}

impl Inputs for KeyInputs<'_, '_> {
    fn insert<T: Serialize + Hash + ?Sized>(&mut self, name: &'static str, value: &T) {
        name.hash(&mut self.hasher);
        value.hash(&mut self.hasher);
    }

    fn summaries(&mut self, name: &'static str, articles: &[usize]) {
        name.hash(&mut self.hasher);
        articles.len().hash(&mut self.hasher);
        for &i in articles {
            self.renderer.summary_values[i].hash.hash(&mut self.hasher);
        }
    }

    fn article(&mut self, i: usize) {
        match self.keying.revisions[i] {
            Some(revision) => revision.hash(&mut self.hasher),
            None => self.unknown = true,
        }
        self.renderer.summary_values[i].hash.hash(&mut self.hasher);
    }

    fn head(&mut self, job: Job) {
        // An article's head (its JSON-LD above all) is made from the article, its section and
        // its bot, which `article` already puts in the key; building it would cost more.
        if !matches!(job, Job::Article(_)) {
            Head::new(self.renderer.site, job).hash(&mut self.hasher);
        }
    }
}
