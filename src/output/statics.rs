//! `static/`: which of its files a site publishes, and the one rule for where they meet the
//! generated files. `build`, `serve` and `check` all go through here, so that the preview, the
//! check and the deploy publish the same files or fail the same way.
//!
//! Hidden names (`.env`, `.git/`, `.DS_Store`) are left out unless gazette.yaml's
//! `publish_hidden` lists them; `.well-known/` is always published. A static file replaces a
//! generated file of the same path; any other meeting (a static file where the build makes a
//! folder, a static folder where it writes a file) would delete generated pages, and is an
//! error.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use walkdir::DirEntry;

use crate::error::{Diagnostic, Diagnostics};
use crate::folders::STATIC_DIR;
use crate::walk::{self, Symlinks};

/// Hidden names published without being asked for: `.well-known/` holds what other services
/// look for at a fixed address (`security.txt`, domain and app ownership proofs).
const ALWAYS_PUBLISHED: &[&str] = &[".well-known"];

/// How many skipped names the warning shows.
const SHOWN: usize = 5;

/// A file of `static/` to publish.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Where it is read from.
    pub source: PathBuf,
    /// Its path below `static/`, which is its path below the output.
    pub path: PathBuf,
}

/// What `static/` holds for a build.
#[derive(Debug, Default)]
pub struct Statics {
    /// In name order.
    pub files: Vec<StaticFile>,
    /// Entries the walk refused: links out of the site, links to nothing, unreadable folders.
    pub errors: Diagnostics,
    /// Hidden files and folders left out, relative to the site's root (a folder with a `/`).
    skipped: Vec<String>,
}

/// Lists the files of `static/` under `root` that a build publishes; links are followed as
/// `symlinks` allows, and hidden names are left out unless `publish_hidden` lists them.
pub fn find(root: &Path, symlinks: Symlinks, publish_hidden: &[String]) -> Statics {
    let dir = root.join(STATIC_DIR);
    let mut statics = Statics::default();
    if !dir.is_dir() {
        return statics;
    }
    let mut skipped = Vec::new();
    let published = |entry: &DirEntry| {
        let hidden = entry.depth() > 0 && is_hidden(entry.file_name(), publish_hidden);
        if hidden {
            let path = entry.path();
            let mut shown = path
                .strip_prefix(root)
                .unwrap_or(path)
                .display()
                .to_string();
            if entry.file_type().is_dir() {
                shown.push('/');
            }
            skipped.push(shown);
        }
        !hidden
    };
    for entry in walk::walk(root, &dir, symlinks, published) {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let source = e.into_path();
                let path = source.strip_prefix(&dir).unwrap_or(&source).to_path_buf();
                statics.files.push(StaticFile { source, path });
            }
            Ok(_) => {}
            Err(refused) => statics.errors.push(refused.diagnostic),
        }
    }
    statics.skipped = skipped;
    statics
}

/// Whether a file or folder of `static/` named `name` is left out.
fn is_hidden(name: &std::ffi::OsStr, publish_hidden: &[String]) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        && !ALWAYS_PUBLISHED.contains(&name.as_ref())
        && !publish_hidden.iter().any(|n| *n == name)
}

impl Statics {
    /// One warning for every hidden file and folder left out: how many, and the first few.
    pub fn skipped_warning(&self) -> Option<Diagnostic> {
        if self.skipped.is_empty() {
            return None;
        }
        let count = self.skipped.len();
        let names = self.skipped[..count.min(SHOWN)].join(", ");
        let more = match count.saturating_sub(SHOWN) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        let noun = match count {
            1 => "file or folder",
            _ => "files and folders",
        };
        Some(Diagnostic::warning(
            Path::new(STATIC_DIR),
            format!("{count} hidden {noun} not published: {names}{more}"),
            "hidden files such as .env and .git/ stay private; to publish one such as \
             .htaccess, list its name under `publish_hidden:` in gazette.yaml",
        ))
    }

    /// Where the static files meet `generated` (paths below the output): an error for every
    /// meeting that would delete generated pages, and a warning for every generated file that a
    /// static file replaces. Costs one look-up for each generated file, and one per folder
    /// level of those that start where a static file does.
    pub fn meet<'a>(&self, generated: impl IntoIterator<Item = &'a Path>) -> Meeting {
        // Every meeting is below a top-level name of static/ (`style.css`, `img`): the many
        // pages outside them all (`2026/...`, `tags/...`) meet nothing.
        let tops: HashSet<&OsStr> = self.files.iter().filter_map(|f| top(&f.path)).collect();
        let files: HashSet<&Path> = self.files.iter().map(|f| f.path.as_path()).collect();
        // Each folder of static/ with its first file, for the message.
        let mut folders: HashMap<&Path, &Path> = HashMap::new();
        for file in &self.files {
            for folder in file.path.ancestors().skip(1).filter(|a| !is_empty(a)) {
                folders.entry(folder).or_insert(&file.path);
            }
        }
        let mut shadowed: BTreeMap<&Path, (&Path, usize)> = BTreeMap::new();
        let mut covered: BTreeMap<&Path, &Path> = BTreeMap::new();
        let mut replaced = Vec::new();
        let near = generated
            .into_iter()
            .filter(|page| top(page).is_some_and(|t| tops.contains(t)));
        for page in near {
            if files.contains(page) {
                replaced.push(page);
            }
            for folder in page.ancestors().skip(1).filter(|a| !is_empty(a)) {
                if let Some(file) = files.get(folder) {
                    let (first, count) = shadowed.entry(file).or_insert((page, 0));
                    *first = (*first).min(page);
                    *count += 1;
                }
            }
            if let Some(file) = folders.get(page) {
                covered.insert(page, file);
            }
        }
        replaced.sort();
        let shown = |path: &Path| Path::new(STATIC_DIR).join(path);
        let mut errors: Vec<Diagnostic> = shadowed
            .into_iter()
            .map(|(file, (first, count))| {
                let pages = match count {
                    1 => format!("the generated file {}", first.display()),
                    n => format!("{n} generated files such as {}", first.display()),
                };
                Diagnostic::error(
                    shown(file),
                    format!(
                        "this static file stands where the build makes the folder {}/, and \
                         publishing it would delete {pages}",
                        file.display()
                    ),
                    "rename the static file or move it into a folder of its own",
                )
            })
            .collect();
        errors.extend(covered.into_iter().map(|(page, file)| {
            Diagnostic::error(
                shown(page),
                format!(
                    "this static folder stands where the build writes the file {}, which \
                     publishing {} would delete",
                    page.display(),
                    shown(file).display()
                ),
                "rename the static folder",
            )
        }));
        let replaced = replaced
            .into_iter()
            .map(|page| {
                Diagnostic::warning(
                    shown(page),
                    format!(
                        "this static file replaces the generated file {}",
                        page.display()
                    ),
                    "keep it if that is what you meant; otherwise rename the static file",
                )
            })
            .collect();
        Meeting { errors, replaced }
    }
}

/// The first name of `path`.
fn top(path: &Path) -> Option<&OsStr> {
    path.iter().next()
}

fn is_empty(path: &Path) -> bool {
    path.as_os_str().is_empty()
}

/// Where `static/` meets the generated files.
#[derive(Debug, Default)]
pub struct Meeting {
    /// Static entries that would delete generated files.
    pub errors: Vec<Diagnostic>,
    /// Generated files that a static file of the same path replaces (allowed; `check` warns).
    pub replaced: Vec<Diagnostic>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statics(paths: &[&str]) -> Statics {
        let files = paths
            .iter()
            .map(|p| StaticFile {
                source: Path::new(STATIC_DIR).join(p),
                path: PathBuf::from(p),
            })
            .collect();
        Statics {
            files,
            ..Statics::default()
        }
    }

    fn meet(statics: &Statics, generated: &[&str]) -> (Vec<String>, Vec<String>) {
        let meeting = statics.meet(generated.iter().map(Path::new));
        let show = |d: &Diagnostic| format!("{}: {}", d.file.display(), d.message);
        (
            meeting.errors.iter().map(show).collect(),
            meeting.replaced.iter().map(show).collect(),
        )
    }

    #[test]
    fn a_static_file_where_the_build_makes_a_folder_names_the_first_page_and_the_count() {
        let site = statics(&["2024", "tags", "logo.svg"]);
        let generated = [
            "2024/05/b/index.html",
            "2024/03/a/index.html",
            "tags/x/index.html",
            "index.html",
        ];
        let (errors, replaced) = meet(&site, &generated);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("static/2024: "), "{errors:?}");
        assert!(
            errors[0].contains("2 generated files such as 2024/03/a/index.html"),
            "{errors:?}"
        );
        assert!(
            errors[1].contains("the generated file tags/x/index.html"),
            "{errors:?}"
        );
        assert!(replaced.is_empty());
    }

    #[test]
    fn a_static_folder_where_the_build_writes_a_file_is_an_error() {
        let site = statics(&["index.html/a.txt", "index.html/b.txt"]);
        let (errors, _) = meet(&site, &["index.html"]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("static/index.html: "), "{errors:?}");
        assert!(errors[0].contains("static/index.html/a.txt"), "{errors:?}");
    }

    #[test]
    fn a_static_file_of_a_generated_path_replaces_it_with_a_warning() {
        let site = statics(&["robots.txt", "css/extra.css"]);
        let (errors, replaced) = meet(&site, &["robots.txt", "index.html", "css"]);
        assert_eq!(errors.len(), 1, "the folder css/ covers a generated file");
        assert_eq!(
            replaced,
            ["static/robots.txt: this static file replaces the generated file robots.txt"]
        );
    }

    #[test]
    fn hidden_names_are_skipped_unless_listed_and_well_known_is_published() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        for file in [
            "static/.env",
            "static/.git/config",
            "static/css/.DS_Store",
            "static/.htaccess",
            "static/.well-known/security.txt",
            "static/style.css",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let found = find(root, Symlinks::InsideSite, &[".htaccess".into()]);
        let paths: Vec<_> = found.files.iter().map(|f| f.path.clone()).collect();
        assert_eq!(
            paths,
            [".htaccess", ".well-known/security.txt", "style.css"].map(PathBuf::from)
        );
        let warning = found.skipped_warning().expect("a warning");
        assert_eq!(
            warning.message,
            "3 hidden files and folders not published: static/.env, static/.git/, \
             static/css/.DS_Store"
        );
    }
}
