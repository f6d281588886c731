//! The invariants the fuzz targets check on top of "no panic": what every error and every
//! output path must be, whatever the input.

use std::path::{Component, Path};

use gazette::error::Diagnostic;
use gazette::url::UrlPath;

/// Every diagnostic about content file `file` names that file, and a position, when it has one,
/// lies inside the file's `text`.
pub fn assert_diagnostics_point_into(file: &Path, text: &str, diagnostics: &[Diagnostic]) {
    let lines = text.split('\n').count();
    for d in diagnostics {
        assert_eq!(d.file, file, "a diagnostic names another file: {d}");
        if let Some(p) = d.position {
            assert!(
                p.line >= 1 && p.line <= lines && p.column >= 1,
                "position outside the {lines} lines of the file: {d}"
            );
        }
    }
}

/// A page's file is a plain relative path made of ordinary names, so joined to the output
/// folder it stays inside it.
pub fn assert_inside_output(path: &UrlPath) {
    let file = path.output_file();
    assert!(
        file.components().all(|c| matches!(c, Component::Normal(_))),
        "{} leaves the output folder",
        file.display()
    );
    let out = Path::new("/site/public");
    assert!(out.join(&file).starts_with(out), "{}", file.display());
}
