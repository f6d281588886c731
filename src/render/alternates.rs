//! Where each page of a site of several languages is in the other languages: its alternates,
//! which its `hreflang` links, its language switcher and its JSON-LD name. A page's alternates
//! are one of its inputs, so that a translation appearing renders the other languages' pages
//! again.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::Job;
use crate::error::{Diagnostic, Diagnostics};
use crate::site::Site;
use crate::url::UrlPath;

/// Every language's site, the default language's first, with what finds a page's alternates.
pub struct Languages<'a> {
    sites: Vec<Language<'a>>,
}

/// One language's site and its pages, by what links them to the other languages'.
struct Language<'a> {
    site: &'a Site,
    /// Every page's path below the language's root; empty on a site of one language.
    paths: HashSet<UrlPath>,
    /// Articles by translation key.
    articles: HashMap<&'a str, usize>,
    /// Standalone pages by translation key.
    pages: HashMap<&'a str, usize>,
}

/// One language among the site's languages: what its render needs of the others.
pub struct Scope<'a> {
    languages: &'a Languages<'a>,
    current: usize,
}

/// A page in each of the site's languages, for its `<head>` and its language switcher.
#[derive(Debug, Hash, Serialize)]
pub struct AlternatesView {
    /// Every language of the site, the default first, then the others by code.
    pub languages: Vec<AlternateLink>,
    /// The absolute URL `hreflang="x-default"` names: the default language's version of the
    /// page, else the page itself.
    pub x_default: String,
}

/// The page in one language: its translation there, or that language's home.
#[derive(Debug, Hash, Serialize)]
pub struct AlternateLink {
    /// The language's code, as `lang` and `hreflang` take it.
    pub lang: String,
    /// Where the switcher goes: the page in that language, or that language's home.
    pub url: String,
    /// The absolute URL of the page in that language, when it has the page.
    pub href: Option<String>,
    /// Whether this is the page's own language.
    pub current: bool,
}

impl<'a> Languages<'a> {
    /// The languages of `sites` (the default language's first). A page of the default language
    /// whose URL starts with another language's code is an error naming both.
    pub fn of(sites: &[&'a Site]) -> Result<Self, Diagnostics> {
        let several = sites.len() > 1;
        let sites: Vec<Language<'a>> = (sites.iter())
            .map(|&site| Language {
                site,
                paths: match several {
                    true => super::jobs(site)
                        .into_iter()
                        .map(|j| j.path(site))
                        .collect(),
                    false => HashSet::new(),
                },
                articles: match several {
                    true => keys(site.articles.iter().map(|a| &a.translation_key)),
                    false => HashMap::new(),
                },
                pages: match several {
                    true => keys(site.pages.iter().map(|p| &p.translation_key)),
                    false => HashMap::new(),
                },
            })
            .collect();
        let languages = Self { sites };
        if several {
            languages.check_roots()?;
        }
        Ok(languages)
    }

    /// The scope of the `current`-th language.
    pub fn scope(&self, current: usize) -> Scope<'_> {
        Scope {
            languages: self,
            current,
        }
    }

    /// The default language's pages whose URL is another language's root.
    fn check_roots(&self) -> Result<(), Diagnostics> {
        let Some((first, _)) = self.sites.split_first() else {
            return Ok(());
        };
        let site = first.site;
        let codes = &site.settings.languages;
        let mut errors = Diagnostics::default();
        // Every file at fault, once: a section's pages all come from its folder.
        let mut named = HashSet::new();
        for job in super::jobs(site) {
            let path = job.path(site);
            let Some(code) = path.first_segment().filter(|s| codes.contains_key(*s)) else {
                continue;
            };
            let origin = job.origin(site).to_string();
            if !named.insert(origin.clone()) {
                continue;
            }
            errors.push(Diagnostic::error(
                origin,
                format!(
                    "produces the URL {}, under /{code}/, where the pages of the language `{code}` go",
                    path.url(&site.settings.base)
                ),
                "give it another `slug:` or folder name, or use another code for the language",
            ));
        }
        if errors.has_errors() {
            return Err(errors);
        }
        Ok(())
    }
}

/// Each translation key, with the index of the first of `keys` that has it: two articles of a
/// language with one key are warned about (`site::language::translation_warnings`), and the
/// first is the one the other languages link.
fn keys<'k>(keys: impl Iterator<Item = &'k String>) -> HashMap<&'k str, usize> {
    let mut first = HashMap::new();
    for (i, key) in keys.enumerate() {
        first.entry(key.as_str()).or_insert(i);
    }
    first
}

impl Scope<'_> {
    /// Whether this language's render makes the files a site has once (404.html, the
    /// stylesheet, robots.txt, `_redirects`, the pictures): the default language's does.
    pub fn shared(&self) -> bool {
        self.current == 0
    }

    /// Every language's site, the default first.
    pub fn sites(&self) -> impl Iterator<Item = &Site> {
        self.languages.sites.iter().map(|l| l.site)
    }

    /// The page `job` at `path` in every language, when the site has more than one and the
    /// page is one a reader reads (not a redirect, the stylesheet or the 404 page).
    pub(super) fn alternates(&self, job: Job, path: &UrlPath) -> Option<AlternatesView> {
        let sites = &self.languages.sites;
        if sites.len() < 2 {
            return None;
        }
        if matches!(
            job,
            Job::Alias { .. } | Job::Redirects | Job::NotFound | Job::Stylesheet
        ) {
            return None;
        }
        let here = &sites[self.current];
        let found = |other: &Language| -> Option<UrlPath> {
            let site = other.site;
            match job {
                Job::Article(i) => {
                    let key = here.site.articles[i].translation_key.as_str();
                    (other.articles.get(key)).map(|&j| site.articles[j].path.clone())
                }
                // A page with no translation by key has the page at its path, if any: one
                // language's `content/pages/ai-policy.md` and another's generated AI policy
                // page are versions of each other.
                Job::Page(i) => {
                    let key = here.site.pages[i].translation_key.as_str();
                    (other.pages.get(key))
                        .map(|&j| site.pages[j].path.clone())
                        .or_else(|| other.paths.contains(path).then(|| path.clone()))
                }
                _ => other.paths.contains(path).then(|| path.clone()),
            }
        };
        let languages: Vec<AlternateLink> = (sites.iter().enumerate())
            .map(|(n, other)| {
                let settings = &other.site.settings;
                let base = &settings.base;
                let current = n == self.current;
                let at = if current {
                    Some(path.clone())
                } else {
                    found(other)
                };
                AlternateLink {
                    lang: settings.language.clone(),
                    url: at.as_ref().map_or_else(|| base.home(), |p| p.url(base)),
                    href: at.map(|p| p.absolute_url(base)),
                    current,
                }
            })
            .collect();
        let x_default = (languages.first().and_then(|l| l.href.clone()))
            .or_else(|| languages[self.current].href.clone())
            .unwrap_or_default();
        Some(AlternatesView {
            languages,
            x_default,
        })
    }
}
