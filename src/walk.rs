//! Walking the site's own folders (content/, templates/, static/) under one rule for symbolic
//! links: a link is followed when what it points at lies inside the site, and refused with an
//! error otherwise, unless the user passed `--follow-symlinks`.
//!
//! Bots write into content/ and a build publishes what it finds, so a link such as
//! `static/key.txt -> ~/.ssh/id_ed25519` would put a private file on the web; and a link to `/`
//! would make a build (and the preview's watcher) read the whole disk.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use walkdir::{DirEntry, WalkDir};

use crate::error::Diagnostic;

/// Where links may lead.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Symlinks {
    /// Only to files and folders inside the site's root (the default).
    #[default]
    InsideSite,
    /// Anywhere (`--follow-symlinks`).
    Anywhere,
}

impl Symlinks {
    /// The policy the `--follow-symlinks` flag asks for.
    pub fn from_flag(follow: bool) -> Self {
        if follow {
            Self::Anywhere
        } else {
            Self::InsideSite
        }
    }
}

/// An entry a walk cannot give.
#[derive(Debug)]
pub struct Refused {
    pub diagnostic: Diagnostic,
    /// A link to nothing: no loss to a caller that would not have read it anyway.
    pub dangling: bool,
}

/// The entries at or below one folder of a site, in name order, links followed as `Symlinks`
/// allows; built by `walk`.
pub struct Walk<K> {
    root: PathBuf,
    /// The site's root with every link resolved; `None` when links may lead anywhere.
    site: Option<PathBuf>,
    entries: walkdir::IntoIter,
    keep: K,
}

/// Walks `start` (a path below `root`), giving the entries `keep` accepts; a folder it refuses
/// is not entered, so a link below it is never looked at. Whatever cannot be given is an error
/// naming the entry: a link out of the site unless `symlinks` allows it (nothing behind it is
/// read), a link that loops, a dangling link, an unreadable folder.
pub fn walk<K>(root: &Path, start: &Path, symlinks: Symlinks, keep: K) -> Walk<K>
where
    K: FnMut(&DirEntry) -> bool,
{
    let site = match symlinks {
        Symlinks::InsideSite => Some(fs::canonicalize(root).unwrap_or_else(|_| root.into())),
        Symlinks::Anywhere => None,
    };
    Walk {
        root: root.to_path_buf(),
        site,
        entries: WalkDir::new(start)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter(),
        keep,
    }
}

impl<K: FnMut(&DirEntry) -> bool> Iterator for Walk<K> {
    type Item = Result<DirEntry, Refused>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let entry = match self.entries.next()? {
                Ok(entry) => entry,
                Err(e) => return Some(Err(unreadable(&self.root, &e))),
            };
            let verdict = if (self.keep)(&entry) {
                self.verdict(&entry)
            } else {
                Verdict::Skip
            };
            if let Verdict::Give = verdict {
                return Some(Ok(entry));
            }
            if entry.file_type().is_dir() {
                self.entries.skip_current_dir();
            }
            if let Verdict::Refuse(diagnostic) = verdict {
                return Some(Err(Refused {
                    diagnostic,
                    dangling: false,
                }));
            }
        }
    }
}

/// What a walk does with an entry.
enum Verdict {
    Give,
    /// Leave it out, and what is below it.
    Skip,
    /// Leave it out, and what is below it, with an error.
    Refuse(Diagnostic),
}

impl<K> Walk<K> {
    /// Whether `entry` may be had under the walk's policy. The walk's start is looked at like a
    /// link, since a folder above it may be one.
    fn verdict(&self, entry: &DirEntry) -> Verdict {
        let Some(site) = &self.site else {
            return Verdict::Give;
        };
        if !entry.path_is_symlink() && entry.depth() > 0 {
            return Verdict::Give;
        }
        let shown = entry
            .path()
            .strip_prefix(&self.root)
            .unwrap_or(entry.path());
        match fs::canonicalize(entry.path()) {
            Ok(target) if target.starts_with(site) => Verdict::Give,
            Ok(target) => Verdict::Refuse(Diagnostic::error(
                shown,
                format!(
                    "{} outside the site, to {}",
                    if entry.path_is_symlink() {
                        "this link points"
                    } else {
                        "a link above this path leads"
                    },
                    target.display()
                ),
                "copy the file into the site, or pass --follow-symlinks to publish what it points at",
            )),
            Err(e) => Verdict::Refuse(Diagnostic::error(
                shown,
                format!("cannot follow this link: {e}"),
                "fix the link or remove it",
            )),
        }
    }
}

/// An entry the walk could not read: a link that loops or leads nowhere, or a permission
/// problem.
fn unreadable(root: &Path, e: &walkdir::Error) -> Refused {
    let path = e.path().unwrap_or(root);
    let file = path.strip_prefix(root).unwrap_or(path);
    let kind = e.io_error().map(std::io::Error::kind);
    let dangling = kind == Some(ErrorKind::NotFound);
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let why = e.io_error().map_or(e.to_string(), ToString::to_string);
    let diagnostic = if e.loop_ancestor().is_some() {
        Diagnostic::error(
            file,
            "this link loops back to a folder that contains it",
            "remove the link or point it somewhere else",
        )
    } else if dangling {
        Diagnostic::error(
            file,
            "this link points at a file that does not exist",
            "fix the link or remove it",
        )
    } else if is_link && kind != Some(ErrorKind::PermissionDenied) {
        // Such as a link to itself, which the system reports as too many levels of links.
        Diagnostic::error(
            file,
            format!("this link cannot be followed: {why}"),
            "point it at a file or folder, or remove it",
        )
    } else {
        Diagnostic::error(
            file,
            format!("cannot read: {why}"),
            "check the permissions of this file or folder",
        )
    };
    Refused {
        diagnostic,
        dangling,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// The paths a walk of `start` gives, and the files its errors name.
    fn walked(root: &Path, start: &str, symlinks: Symlinks) -> (Vec<String>, Vec<String>) {
        let (mut found, mut refused) = (Vec::new(), Vec::new());
        for item in walk(root, &root.join(start), symlinks, |_| true) {
            match item {
                Ok(e) => found.push(e.path().strip_prefix(root).unwrap().display().to_string()),
                Err(r) => refused.push(r.diagnostic.file.display().to_string()),
            }
        }
        (found, refused)
    }

    #[test]
    fn links_out_of_the_site_are_refused_and_not_entered() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret"), "x").unwrap();
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        fs::create_dir_all(root.join("static/in")).unwrap();
        fs::write(root.join("static/in/a.txt"), "a").unwrap();
        symlink(outside.path(), root.join("static/away")).unwrap();
        symlink("in", root.join("static/near")).unwrap();

        let (found, refused) = walked(root, "static", Symlinks::InsideSite);
        assert_eq!(
            found,
            [
                "static",
                "static/in",
                "static/in/a.txt",
                "static/near",
                "static/near/a.txt"
            ]
        );
        assert_eq!(refused, ["static/away"]);

        let (found, refused) = walked(root, "static", Symlinks::Anywhere);
        assert!(
            found.contains(&"static/away/secret".to_string()),
            "{found:?}"
        );
        assert!(refused.is_empty());
    }

    #[test]
    fn a_start_below_a_link_out_of_the_site_is_refused() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("a.md"), "x").unwrap();
        let site = tempfile::tempdir().unwrap();
        fs::create_dir(site.path().join("content")).unwrap();
        symlink(outside.path(), site.path().join("content/world")).unwrap();
        let (found, refused) = walked(site.path(), "content/world/a.md", Symlinks::InsideSite);
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(refused, ["content/world/a.md"]);
    }
}
