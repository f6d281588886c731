//! The template set: the built-in theme compiled into the binary, with the site's own
//! `templates/` in front of it. Template errors become diagnostics pointing into the file.

use std::path::{Path, PathBuf};

use tera::{ErrorKind, Tera};
use walkdir::WalkDir;

use crate::error::{Diagnostic, Diagnostics, Position};

pub const TEMPLATES_DIR: &str = "templates";

/// Built-in templates are registered under this prefix, so a site's template of the same name
/// wins and can still `{% extends "gazette/base.html" %}`.
const BUILT_IN_PREFIX: &str = "gazette/";

macro_rules! built_in {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name)))),*]
    };
}

/// The default theme: every template a site gets without writing any.
pub const BUILT_IN: &[(&str, &str)] = built_in![
    "base.html",
    "article.html",
    "index.html",
    "section.html",
    "tags.html",
    "tag.html",
    "bots.html",
    "bot.html",
    "archive.html",
    "page.html",
    "404.html",
    "style.css",
    "partials/summary.html",
    "partials/paginator.html",
];

/// Loads the built-in theme and the site's `templates/`, reporting every broken template.
pub fn load(root: &Path) -> Result<Tera, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let own = site_templates(root, &mut diagnostics);
    let mut remaining: Vec<(String, String)> = BUILT_IN
        .iter()
        .map(|(name, text)| (format!("{BUILT_IN_PREFIX}{name}"), text.to_string()))
        .chain(own)
        .collect();
    // Tera stops at the first broken template; dropping it and trying again finds the rest.
    loop {
        let mut tera = Tera::new();
        tera.set_fallback_prefixes([BUILT_IN_PREFIX])
            .map_err(|e| Diagnostics::from(vec![to_diagnostic(root, &e)]))?;
        match tera.add_raw_templates(remaining.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
            Ok(()) if !diagnostics.has_errors() => return Ok(tera),
            Ok(()) => return Err(diagnostics),
            Err(e) => {
                let before = remaining.len();
                if let Some(name) = culprit(&e) {
                    remaining.retain(|(n, _)| n != name);
                }
                diagnostics.push(to_diagnostic(root, &e));
                if remaining.len() == before {
                    return Err(diagnostics);
                }
            }
        }
    }
}

/// Every file under the site's `templates/`, named by its path there.
fn site_templates(root: &Path, diagnostics: &mut Diagnostics) -> Vec<(String, String)> {
    let dir = root.join(TEMPLATES_DIR);
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for entry in WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) if e.file_type().is_file() => e,
            Ok(_) => continue,
            Err(e) => {
                let path = e
                    .path()
                    .unwrap_or(&dir)
                    .strip_prefix(root)
                    .unwrap_or(&dir)
                    .to_path_buf();
                diagnostics.push(Diagnostic::error(
                    path,
                    format!("cannot read: {e}"),
                    "check its permissions",
                ));
                continue;
            }
        };
        let relative = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        let name = relative
            .iter()
            .map(|p| p.to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        match std::fs::read_to_string(entry.path()) {
            Ok(text) => found.push((name, text)),
            Err(e) => diagnostics.push(Diagnostic::error(
                template_file(root, &name),
                format!("cannot read the template: {e}"),
                "save it as UTF-8 text and check its permissions",
            )),
        }
    }
    found
}

/// The template a Tera error is about.
fn culprit(e: &tera::Error) -> Option<&str> {
    match e.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            Some(report.filename())
        }
        ErrorKind::MissingParent { current, .. } => Some(current),
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => Some(tpl),
        _ => None,
    }
}

/// Where a template lives: the site's file, or the built-in theme.
pub fn template_file(root: &Path, name: &str) -> PathBuf {
    match name.strip_prefix(BUILT_IN_PREFIX) {
        Some(built_in) => Path::new("(built-in theme)").join(built_in),
        None => {
            let own = Path::new(TEMPLATES_DIR).join(name);
            if root.join(&own).exists() {
                own
            } else {
                PathBuf::from(name)
            }
        }
    }
}

/// A Tera error as a diagnostic on the template file and position it names.
pub fn to_diagnostic(root: &Path, e: &tera::Error) -> Diagnostic {
    let hint = "fix the template; see the README's Templates section for the variables each gets";
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let span = r.span();
            Diagnostic::error(template_file(root, r.filename()), r.message(), hint)
                .at(Some(Position::new(span.start_line, span.start_col + 1)))
        }
        ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            template_file(root, current),
            format!("extends `{parent}`, which does not exist"),
            "name an existing template, such as base.html or gazette/base.html",
        ),
        ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            template_file(root, name),
            format!("the template `{name}` does not exist"),
            hint,
        ),
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            Diagnostic::error(template_file(root, tpl), e.to_string(), hint)
        }
        _ => Diagnostic::error(TEMPLATES_DIR, e.to_string(), hint),
    }
}
