//! `gazette check`: builds the site in memory, exactly as `build` would write it, and reports
//! every internal link, anchor and image that leads nowhere, links from articles to retracted
//! ones, plus the front matter lints.
//!
//! Nothing is written: the rendered pages are read where they lie in memory, and `static/` is
//! listed (and only its HTML files read). Pages are read in parallel by a tokenizer, not parsed
//! into trees; each link is then looked up in an index of every file and every page's ids.

mod links;
mod lint;
mod scan;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rayon::prelude::*;

use crate::BuildOptions;
use crate::clock::Clock;
use crate::content;
use crate::error::{Diagnostic, Diagnostics, Kind, Position, Warned};
use crate::folders::OUTPUT_DIR;
use crate::output::{self, statics::Statics};
use crate::pipeline::{self, Changes, Engine};
use crate::render::RenderedFile;
use crate::site::Site;
use links::Problem;
use scan::Scan;

/// What `gazette check` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The build to check; its `output` is not used, as a check writes nothing.
    pub build: BuildOptions,
    /// Warnings fail the check too.
    pub strict: bool,
}

/// What a check found, in a site that builds.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// HTML pages read.
    pub pages: usize,
    /// Internal links checked (a URL used twice on a page counts twice).
    pub links: usize,
    /// External links seen; they are not fetched.
    pub external: usize,
    /// Broken links: each distinct URL of a page that leads nowhere once.
    pub broken: usize,
    /// Broken links (errors), then lints and the build's warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// How long each stage took, in order.
    pub timings: Vec<(&'static str, Duration)>,
    strict: bool,
}

impl CheckReport {
    /// No broken link, and under `--strict` no warning either.
    pub fn passed(&self) -> bool {
        self.broken == 0 && (!self.strict || self.diagnostics.is_empty())
    }
}

/// Checks the site under `options.root`; fails with the build's errors when it does not build.
pub fn check(options: &CheckOptions) -> crate::error::Result<CheckReport> {
    let root = options.build.root.as_path();
    let progress = &options.build.progress;
    let _running = progress.running();
    let mut clock = Clock::default();
    let mut engine = Engine::new(root, options.build.flags());
    // What the last build into the same output published, to tell which URLs changed since:
    // read while content/ is, as neither needs the other.
    let output = (options.build.output.clone()).unwrap_or_else(|| root.join(OUTPUT_DIR));
    let state = output::state_file(&output);
    let (loaded, last) = rayon::join(
        || engine.load(&Changes::everything(), &mut clock),
        || pipeline::state::read_articles::<content::Article>(&state),
    );
    loaded?;
    let rendered = std::sync::Mutex::new(Vec::new());
    let future = engine.future().to_vec();
    let mut warnings = engine.problems();
    let checked = engine.render(&rendered, progress, &mut clock, |sites, clock| {
        let rendered = std::mem::take(&mut *rendered.lock().unwrap_or_else(|e| e.into_inner()));
        check_built(options, sites, &future, last.as_deref(), &rendered, clock)
    });
    let (report, site_warnings) = checked?.into_parts();
    let mut report = report.1?;
    report.timings = clock.into_laps();
    warnings.extend(site_warnings);
    warnings.extend(std::mem::take(&mut report.diagnostics));
    report.diagnostics = warnings.sorted();
    Ok(report)
}

/// Checks the links of the `rendered` files of `site`, and lints it.
fn check_built(
    options: &CheckOptions,
    sites: &[&Site],
    future: &[content::Article],
    last: Option<&[content::Article]>,
    rendered: &[RenderedFile],
    clock: &mut Clock,
) -> crate::error::Result<CheckReport> {
    let root = options.build.root.as_path();
    // The default language's: the settings every language shares, and the output's root.
    let Some(&site) = sites.first() else {
        return Ok(CheckReport::default());
    };
    let statics =
        output::statics::find(root, options.build.symlinks, &site.settings.publish_hidden);
    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(statics.skipped_warning());
    let files = built_files(root, rendered, statics)?.report(&mut diagnostics);
    let scans: Vec<Option<Scan>> = files.par_iter().map(BuiltFile::scan).collect();
    clock.lap("scan");
    let built = links::Built {
        base: &site.settings.base,
        files: files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.path.as_str(), i))
            .collect(),
        scans: &scans,
    };
    let retracted: HashSet<usize> = (sites.iter().flat_map(|site| &site.articles))
        .filter(|a| !a.listed())
        .filter_map(|a| {
            let file = Path::new(
                &a.lang
                    .as_deref()
                    .map(|l| format!("{l}/"))
                    .unwrap_or_default(),
            )
            .join(a.path.output_file());
            built.files.get(slashed(&file).as_str()).copied()
        })
        .collect();
    let checked: Vec<PageLinks> = files
        .par_iter()
        .zip(&scans)
        .enumerate()
        .filter_map(|(i, (file, scan))| {
            Some(PageLinks::check(
                &built,
                i,
                file,
                scan.as_ref()?,
                &retracted,
            ))
        })
        .collect();
    let reporter = Reporter::new(root, site);
    diagnostics.extend(reporter.report(&files, &checked));
    diagnostics.extend(reporter.links_to_retracted(site, &files, &checked));
    diagnostics.extend(lint::lint(root, sites, future, last));
    clock.lap("links");
    Ok(CheckReport {
        pages: checked.len(),
        links: checked.iter().map(|p| p.internal).sum(),
        external: checked.iter().map(|p| p.external).sum(),
        broken: checked.iter().map(|p| p.broken.len()).sum(),
        diagnostics: diagnostics.sorted(),
        timings: Vec::new(),
        strict: options.strict,
    })
}

/// A file as a build would write it: its path below the output folder, with `/`, and, for an
/// HTML page, its bytes.
struct BuiltFile<'a> {
    path: String,
    html: Option<Cow<'a, [u8]>>,
    /// The file of `static/` it is a copy of; `None` for generated files.
    copy_of: Option<PathBuf>,
}

impl BuiltFile<'_> {
    /// The ids and links of an HTML page; `None` for other files.
    fn scan(&self) -> Option<Scan> {
        self.html.as_deref().map(scan::scan)
    }

    /// The page's URL path below the base path: `a/b/` for `a/b/index.html`.
    fn url(&self) -> &str {
        match self.path.strip_suffix("index.html") {
            Some(folder) if folder.is_empty() || folder.ends_with('/') => folder,
            _ => &self.path,
        }
    }
}

/// The rendered files and `static/`, which wins where both have a file, as in a build, with a
/// warning for each file replaced so. Of `static/`, only the HTML pages are read.
fn built_files<'a>(
    root: &Path,
    rendered: &'a [RenderedFile],
    statics: Statics,
) -> Result<Warned<Vec<BuiltFile<'a>>>, Diagnostics> {
    let meeting = statics.meet(rendered.iter().map(|f| f.path.as_path()));
    let mut errors = statics.errors;
    errors.extend(meeting.errors);
    if errors.has_errors() {
        return Err(errors);
    }
    let mut files: BTreeMap<String, BuiltFile<'a>> = rendered
        .iter()
        .map(|f| {
            let path = slashed(&f.path);
            let html = is_html(&path).then_some(Cow::Borrowed(f.bytes.as_slice()));
            let file = BuiltFile {
                path: path.clone(),
                html,
                copy_of: None,
            };
            (path, file)
        })
        .collect();
    for file in statics.files {
        let path = slashed(&file.path);
        let shown = file.source.strip_prefix(root).unwrap_or(&file.source);
        let shown = shown.to_path_buf();
        let html = match is_html(&path).then(|| std::fs::read(&file.source)) {
            Some(Ok(bytes)) => Some(Cow::Owned(bytes)),
            Some(Err(e)) => {
                errors.push(Diagnostic::error(
                    &shown,
                    format!("cannot read: {e}"),
                    "check its permissions",
                ));
                None
            }
            None => None,
        };
        let copy = BuiltFile {
            path: path.clone(),
            html,
            copy_of: Some(shown),
        };
        files.insert(path, copy);
    }
    if errors.has_errors() {
        return Err(errors);
    }
    Ok(Warned::new(files.into_values().collect(), meeting.replaced))
}

fn is_html(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".html") || lower.ends_with(".htm")
}

fn slashed(path: &Path) -> String {
    let parts: Vec<_> = path.iter().map(|p| p.to_string_lossy()).collect();
    parts.join("/")
}

/// The links of one page, checked.
struct PageLinks {
    /// The page's place in the built files.
    file: usize,
    internal: usize,
    external: usize,
    broken: Vec<(String, Problem)>,
    /// Each distinct link to the page of a retracted article, with that page's place.
    to_retracted: Vec<(String, usize)>,
}

impl PageLinks {
    /// Checks the links of `file`, the `index`th built file; `retracted` are the places of
    /// the retracted articles' pages.
    fn check(
        built: &links::Built,
        index: usize,
        file: &BuiltFile,
        scan: &Scan,
        retracted: &HashSet<usize>,
    ) -> Self {
        let page_url = format!("{}{}", built.base.path, file.url());
        let mut checked = PageLinks {
            file: index,
            internal: 0,
            external: 0,
            broken: Vec::new(),
            to_retracted: Vec::new(),
        };
        for link in &scan.links {
            match built.check(&page_url, link) {
                None => checked.external += 1,
                Some(result) => {
                    checked.internal += 1;
                    match result {
                        Err(problem) => checked.broken.push((link.clone(), problem)),
                        Ok(target) if retracted.contains(&target) && target != index => {
                            checked.to_retracted.push((link.clone(), target));
                        }
                        Ok(_) => {}
                    }
                }
            }
        }
        checked.broken.sort();
        checked.broken.dedup();
        checked.to_retracted.sort();
        checked.to_retracted.dedup();
        checked
    }
}

/// Turns broken links into diagnostics on the file to fix.
struct Reporter<'a> {
    root: &'a Path,
    base: &'a crate::url::BaseUrl,
    /// The content file behind each page that has one, by output path.
    sources: HashMap<String, &'a Path>,
}

impl<'a> Reporter<'a> {
    fn new(root: &'a Path, site: &'a Site) -> Self {
        let articles = site.articles.iter().map(|a| (&a.path, &a.file));
        let pages = site.pages.iter().map(|p| (&p.path, &p.file));
        let bots = site.bots.iter().map(|b| (&b.path, &b.file));
        let sources = articles
            .chain(pages)
            .chain(bots)
            .map(|(url, file)| (slashed(&url.output_file()), file.as_path()))
            .collect();
        Reporter {
            root,
            base: &site.settings.base,
            sources,
        }
    }

    /// A link written in a page's content file is reported there, at its line; the rest come
    /// from templates, so each is reported once, on the first page it breaks, with a count.
    fn report(&self, files: &[BuiltFile], checked: &[PageLinks]) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        let mut from_templates: BTreeMap<(&str, &Problem), Vec<&str>> = BTreeMap::new();
        for page in checked.iter().filter(|p| !p.broken.is_empty()) {
            let file = &files[page.file];
            let path = file.path.as_str();
            let text = self.source_text(file);
            for (href, problem) in &page.broken {
                let written = text.as_ref().and_then(|(source, text)| {
                    locate(text, href).map(|position| (source, position))
                });
                match written {
                    Some((source, position)) => {
                        found.push(self.diagnostic(source, href, problem).at(Some(position)));
                    }
                    None => from_templates
                        .entry((href, problem))
                        .or_default()
                        .push(path),
                }
            }
        }
        for ((href, problem), pages) in from_templates {
            let page = Path::new("public").join(pages[0]);
            let mut d = self.diagnostic(&page, href, problem);
            if pages.len() > 1 {
                d.message += &format!(" (and on {} more pages)", pages.len() - 1);
            }
            found.push(d);
        }
        found
    }

    /// A warning for each link from an article's page to a retracted article: the theme
    /// links none (a retracted article leaves every list), so each is the body's, and readers
    /// who follow it find only the retraction notice.
    fn links_to_retracted(
        &self,
        site: &Site,
        files: &[BuiltFile],
        checked: &[PageLinks],
    ) -> Vec<Diagnostic> {
        let articles: HashSet<String> = (site.articles.iter())
            .map(|a| slashed(&a.path.output_file()))
            .collect();
        let mut found = Vec::new();
        for page in checked.iter().filter(|p| !p.to_retracted.is_empty()) {
            let file = &files[page.file];
            if !articles.contains(&file.path) {
                continue;
            }
            let Some((source, text)) = self.source_text(file) else {
                continue;
            };
            for (href, target) in &page.to_retracted {
                let url = format!("{}{}", self.base.path, files[*target].url());
                found.push(
                    Diagnostic::warning(
                        source,
                        format!("links to {url}, an article that was retracted"),
                        "remove the link, or say in the text that the article was retracted",
                    )
                    .at(locate(&text, href))
                    .kind(
                        Kind::new("articles that link to a retracted article")
                            .about(url)
                            .hint("remove the links; --verbose names the files"),
                    ),
                );
            }
        }
        found
    }

    fn diagnostic(&self, file: &Path, href: &str, problem: &Problem) -> Diagnostic {
        let (message, hint) = problem.describe(href, self.base);
        Diagnostic::error(file, message, hint)
    }

    /// The file of the site that `file` is made from, if any, and its text.
    fn source_text<'f>(&self, file: &'f BuiltFile) -> Option<(&'f Path, String)>
    where
        'a: 'f,
    {
        let source = match &file.copy_of {
            Some(copy_of) => copy_of.as_path(),
            None => *self.sources.get(first_page(&file.path).as_ref())?,
        };
        let text = content::read_text(self.root, source).ok()?;
        Some((source, text))
    }
}

/// The first page of a paginated list: `bots/x/page/3/index.html` is `bots/x/index.html`, so
/// that every page of a bot's list leads back to the bot's file.
fn first_page(path: &str) -> Cow<'_, str> {
    let later = path
        .strip_suffix("/index.html")
        .and_then(|folder| folder.rsplit_once('/'))
        .filter(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|(list, _)| list.strip_suffix("page"))
        .filter(|list| list.is_empty() || list.ends_with('/'));
    match later {
        Some(list) => format!("{list}index.html").into(),
        None => path.into(),
    }
}

/// Where `href` is written in a content file, when it is: as a Markdown link or image target,
/// a reference definition, an attribute of raw HTML, or a front matter value.
fn locate(text: &str, href: &str) -> Option<Position> {
    let bounded = |at: usize| {
        let before = text[..at].chars().next_back();
        let after = text[at + href.len()..].chars().next();
        matches!(before, Some('(' | '<' | '"' | '\'' | ' ' | '\t'))
            && after.is_none_or(|c| matches!(c, ')' | '>' | '"' | '\'' | ' ' | '\t' | '\n'))
    };
    let at = text
        .match_indices(href)
        .map(|(i, _)| i)
        .find(|&i| bounded(i))?;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count() + 1;
    Some(Position::new(
        line,
        text[line_start..at].chars().count() + 1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_written_links() {
        let text = "---\ntitle: x\nimage: /img/a.png\n---\nSee [it](/a/b/) and ![i](/a/b)\n";
        assert_eq!(locate(text, "/a/b"), Some(Position::new(5, 26)));
        assert_eq!(locate(text, "/a/b/"), Some(Position::new(5, 10)));
        assert_eq!(locate(text, "/img/a.png"), Some(Position::new(3, 8)));
        assert_eq!(locate(text, "/a/"), None);
    }

    #[test]
    fn later_pages_of_a_list_lead_to_the_first() {
        assert_eq!(first_page("bots/x/page/3/index.html"), "bots/x/index.html");
        assert_eq!(first_page("page/2/index.html"), "index.html");
        assert_eq!(
            first_page("2026/03/page/index.html"),
            "2026/03/page/index.html"
        );
        assert_eq!(first_page("a/mypage/2/index.html"), "a/mypage/2/index.html");
    }

    #[test]
    fn page_urls_drop_index_html() {
        let page = |path: &str| BuiltFile {
            path: path.into(),
            html: None,
            copy_of: None,
        };
        assert_eq!(page("a/b/index.html").url(), "a/b/");
        assert_eq!(page("index.html").url(), "");
        assert_eq!(page("404.html").url(), "404.html");
    }
}
