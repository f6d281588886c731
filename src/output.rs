//! Writing: every rendered file and `static/` go into a staging folder beside the output, which
//! then replaces the output in one rename, so a failed build never leaves a half-written site.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{Diagnostic, Diagnostics};
use crate::render::RenderedFile;
use crate::walk::{self, Symlinks};

pub const STATIC_DIR: &str = "static";

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    pub files: usize,
}

/// Refuses an output folder whose replacement would delete the site itself.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root = absolute(root);
    let out = absolute(output);
    let inside_sources = ["content", "templates", STATIC_DIR]
        .iter()
        .any(|d| out.starts_with(root.join(d)));
    if root.starts_with(&out) || inside_sources {
        return Err(Diagnostic::error(
            output,
            "the output folder would replace the site's own files",
            "choose an output folder of its own, such as public/",
        ));
    }
    if !replaceable(output) {
        return Err(Diagnostic::error(
            output,
            "the output folder holds files but no index.html, so it does not look like a built site",
            "empty it or choose another folder: a build replaces the whole output folder",
        ));
    }
    Ok(())
}

/// A build replaces its output folder whole, so it only replaces one that is missing, empty, or
/// a built site (one with an index.html), never a folder of other files named by mistake.
fn replaceable(output: &Path) -> bool {
    match fs::read_dir(output) {
        Ok(mut entries) => entries.next().is_none() || output.join("index.html").is_file(),
        Err(e) => e.kind() == io::ErrorKind::NotFound,
    }
}

fn absolute(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    // Normalise `..` without touching the disk, as the folder may not exist yet.
    let mut normal = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                normal.pop();
            }
            std::path::Component::CurDir => {}
            other => normal.push(other),
        }
    }
    normal
}

/// Writes `files` and `static/` (following links as `symlinks` allows) as the new content of
/// `output`.
pub fn write(
    root: &Path,
    output: &Path,
    files: &[RenderedFile],
    symlinks: Symlinks,
) -> Result<Written, Diagnostics> {
    let staging = sibling(output, "staging");
    let result = fill(root, &staging, output, files, symlinks).and_then(|written| {
        swap(&staging, output).map_err(|e| fail(output, "cannot replace the output folder", &e))?;
        Ok(written)
    });
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

/// `.<name>.gazette-<what>` next to `output`, on the same file system so renames are atomic.
fn sibling(output: &Path, what: &str) -> PathBuf {
    let name = output
        .file_name()
        .map_or("public".into(), |n| n.to_string_lossy().into_owned());
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.gazette-{what}"))
}

fn fail(path: &Path, what: &str, e: &io::Error) -> Diagnostics {
    Diagnostics::from(vec![Diagnostic::error(
        path,
        format!("{what}: {e}"),
        "check that the folder is writable and the disk has room",
    )])
}

/// Writes everything into `staging`; errors name the file's place in `output`, where the user
/// will look for it.
fn fill(
    root: &Path,
    staging: &Path,
    output: &Path,
    files: &[RenderedFile],
    symlinks: Symlinks,
) -> Result<Written, Diagnostics> {
    if staging.exists() {
        fs::remove_dir_all(staging)
            .map_err(|e| fail(staging, "cannot clear the staging folder", &e))?;
    }
    fs::create_dir_all(staging)
        .map_err(|e| fail(staging, "cannot create the staging folder", &e))?;
    let errors: Vec<Diagnostic> = files
        .par_iter()
        .filter_map(|f| {
            let shown = output.join(&f.path);
            let shown = shown.strip_prefix(root).unwrap_or(&shown);
            write_file(&staging.join(&f.path), shown, &f.bytes).err()
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let copied = copy_static(root, staging, symlinks)?;
    Ok(Written {
        files: files.len() + copied,
    })
}

fn write_file(path: &Path, shown: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let write = || -> io::Result<()> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(path, bytes)
    };
    write().map_err(|e| {
        Diagnostic::error(
            shown,
            format!("cannot write: {e}"),
            "check that the disk has room and is writable, and that no name is over 255 bytes",
        )
    })
}

/// Every file in `static/`, by its full path; links are followed as `symlinks` allows.
pub fn static_files(root: &Path, symlinks: Symlinks) -> (Vec<PathBuf>, Diagnostics) {
    let dir = root.join(STATIC_DIR);
    let mut files = Vec::new();
    let mut errors = Diagnostics::default();
    if !dir.is_dir() {
        return (files, errors);
    }
    for entry in walk::walk(root, &dir, symlinks, |_| true) {
        match entry {
            Ok(e) if e.file_type().is_file() => files.push(e.into_path()),
            Ok(_) => {}
            Err(refused) => errors.push(refused.diagnostic),
        }
    }
    (files, errors)
}

/// Copies `static/` over the rendered files: a file there wins over a generated one.
fn copy_static(root: &Path, staging: &Path, symlinks: Symlinks) -> Result<usize, Diagnostics> {
    let dir = root.join(STATIC_DIR);
    let (files, mut errors) = static_files(root, symlinks);
    let failed: Vec<Diagnostic> = files
        .par_iter()
        .filter_map(|from| {
            let to = staging.join(from.strip_prefix(&dir).unwrap_or(from));
            let copy = || -> io::Result<()> {
                if let Some(parent) = to.parent() {
                    fs::create_dir_all(parent)?;
                }
                fs::copy(from, &to).map(drop)
            };
            copy().err().map(|e| {
                let shown = from.strip_prefix(root).unwrap_or(from);
                Diagnostic::error(shown, format!("cannot copy: {e}"), "check its permissions")
            })
        })
        .collect();
    errors.extend(failed);
    if errors.has_errors() {
        return Err(errors);
    }
    Ok(files.len())
}

/// Puts `staging` in the place of `output`; the old output is kept until the new one is there.
fn swap(staging: &Path, output: &Path) -> io::Result<()> {
    if !output.exists() {
        return fs::rename(staging, output);
    }
    let old = sibling(output, "old");
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }
    fs::rename(output, &old)?;
    if let Err(e) = fs::rename(staging, output) {
        fs::rename(&old, output)?;
        return Err(e);
    }
    remove_tree(&old)
}

/// `remove_dir_all`, with the files removed in parallel: deleting the previous build is as
/// much work for the file system as writing the new one.
fn remove_tree(dir: &Path) -> io::Result<()> {
    let entries = WalkDir::new(dir)
        .contents_first(true)
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map_err(io::Error::from)?;
    let (folders, files): (Vec<_>, Vec<_>) = entries.iter().partition(|e| e.file_type().is_dir());
    files
        .par_iter()
        .try_for_each(|f| fs::remove_file(f.path()))?;
    // Contents come first, so every folder is empty by the time it is removed.
    folders.iter().try_for_each(|d| fs::remove_dir(d.path()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_may_not_contain_or_sit_inside_the_site_sources() {
        let root = Path::new("/site");
        assert!(check_output_dir(root, Path::new("/site/public")).is_ok());
        assert!(check_output_dir(root, Path::new("/elsewhere/out")).is_ok());
        assert!(check_output_dir(root, Path::new("/site")).is_err());
        assert!(check_output_dir(root, Path::new("/site/public/..")).is_err());
        assert!(check_output_dir(root, Path::new("/")).is_err());
        assert!(check_output_dir(root, Path::new("/site/content/out")).is_err());
    }

    #[test]
    fn only_missing_empty_or_built_folders_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        assert!(replaceable(&out), "missing");
        fs::create_dir(&out).unwrap();
        assert!(replaceable(&out), "empty");
        fs::write(out.join("notes.txt"), "mine").unwrap();
        assert!(!replaceable(&out), "someone's files");
        fs::write(out.join("index.html"), "<p>built</p>").unwrap();
        assert!(replaceable(&out), "a built site");
    }
}
