//! The template set: the built-in theme compiled into the binary, with the site's own
//! `templates/` in front of it. Template errors become diagnostics pointing into the file.

use std::path::{Path, PathBuf};

use tera::{ErrorKind, Tera};

mod cached;
mod fill;

pub use cached::{Cached, register as register_cached};
pub use fill::{escape, escape_into, register as register_words};
mod syntax;

use crate::error::{Diagnostic, Diagnostics, Position};
use crate::folders::TEMPLATES_DIR;
use crate::walk::{self, Symlinks};

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
    "editors.html",
    "editor.html",
    "archive.html",
    "page.html",
    "404.html",
    "search.html",
    "corrections.html",
    "retraction.html",
    "ai_policy.html",
    "redirect.html",
    "_redirects",
    "style.css",
    "partials/summary.html",
    "partials/summary_meta.html",
    "partials/byline.html",
    "partials/lead.html",
    "partials/card.html",
    "partials/story_grid.html",
    "partials/picture.html",
    "partials/article_list.html",
    "partials/paginator.html",
    "partials/feed_links.html",
    "partials/ai_icon.html",
];

/// Loads the built-in theme and the site's `templates/` (following links as `symlinks`
/// allows), reporting every broken template; with the templates, a hash of the site's own
/// (the built-in ones are the program's).
pub fn load(root: &Path, symlinks: Symlinks) -> Result<(Tera, u64), Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let own = site_templates(root, symlinks, &mut diagnostics);
    let fingerprint = super::key::hash_of(&own);
    let mut remaining: Vec<(String, String)> = BUILT_IN
        .iter()
        .map(|(name, text)| (format!("{BUILT_IN_PREFIX}{name}"), text.to_string()))
        .chain(own)
        .collect();
    // Tera stops at the first broken template; dropping it and trying again finds the rest.
    loop {
        let mut tera = Tera::new();
        fill::filters(&mut tera, &crate::i18n::formats(crate::i18n::REFERENCE));
        cached::declare(&mut tera);
        tera.set_fallback_prefixes([BUILT_IN_PREFIX])
            .map_err(|e| Diagnostics::from(to_diagnostic(root, &e)))?;
        match tera.add_raw_templates(remaining.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
            Ok(()) if !diagnostics.has_errors() => return Ok((tera, fingerprint)),
            Ok(()) => return Err(diagnostics),
            Err(e) => {
                let before = remaining.len();
                let mut found = to_diagnostics(root, &e);
                if let Some(name) = culprit(&e) {
                    let text = remaining.iter().find(|(n, _)| n == name).map(|(_, t)| t);
                    if let Some(text) = text {
                        found.iter_mut().for_each(|d| explain(d, &e, text));
                    }
                    remaining.retain(|(n, _)| n != name);
                }
                diagnostics.extend(found);
                if remaining.len() == before {
                    return Err(diagnostics);
                }
            }
        }
    }
}

/// Says what `e`, reported as `d`, is about, from the template's `text`: the missing parent's
/// place, the tag never closed, the tag not known.
fn explain(d: &mut Diagnostic, e: &tera::Error, text: &str) {
    match e.kind() {
        ErrorKind::MissingParent { parent, .. } => {
            d.position = d.position.or_else(|| quoted_position(text, parent));
        }
        ErrorKind::SyntaxError(report) => {
            if let Some(plain) = syntax::explain(text, report.message(), d.position) {
                d.message = plain.message;
                d.hint = plain.hint;
                d.position = plain.position.or(d.position);
            }
        }
        _ => {}
    }
}

/// Every file under the site's `templates/`, named by its path there.
fn site_templates(
    root: &Path,
    symlinks: Symlinks,
    diagnostics: &mut Diagnostics,
) -> Vec<(String, String)> {
    let dir = root.join(TEMPLATES_DIR);
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for entry in walk::walk(root, &dir, symlinks, |_| true) {
        let entry = match entry {
            Ok(e) if e.file_type().is_file() => e,
            Ok(_) => continue,
            Err(refused) => {
                diagnostics.push(refused.diagnostic);
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
    let hint = "fix the template; see the Templates chapter of gazette's book (docs/src/templates.md) for the variables each gets";
    match e.kind() {
        ErrorKind::SyntaxError(r) => {
            let (message, hint) = syntax_message(r.message());
            Diagnostic::error(template_file(root, r.filename()), message, hint).at(Some(place(r)))
        }
        // A partial of `include_cached` that failed: its own report is in the message.
        ErrorKind::RenderingError(r) => match reports(root, r.message()).into_iter().next() {
            Some(inner) => Diagnostic {
                hint: hint.to_string(),
                ..inner
            },
            None => Diagnostic::error(template_file(root, r.filename()), r.message(), hint)
                .at(Some(place(r))),
        },
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
        ErrorKind::Msg(message) => reports(root, message)
            .into_iter()
            .next()
            .unwrap_or_else(|| Diagnostic::error(TEMPLATES_DIR, one_line(message), hint)),
        _ => Diagnostic::error(TEMPLATES_DIR, one_line(&e.to_string()), hint),
    }
}

fn place(report: &tera::ReportError) -> Position {
    let span = report.span();
    Position::new(span.start_line, span.start_col + 1)
}

/// Tera's words for a syntax error, in ours where they are terse, and what to do.
fn syntax_message(message: &str) -> (String, String) {
    let message = message.trim_end_matches('.');
    match message
        .strip_prefix("Found ")
        .and_then(|m| m.split_once(" but expected "))
    {
        Some((found, expected)) => {
            let expected = expected_words(expected);
            (
                format!("found {found} where {expected} was expected"),
                format!("write {expected} here, or fix what comes before"),
            )
        }
        None => (
            message.to_string(),
            "fix the template's syntax; see the Tera documentation".into(),
        ),
    }
}

/// What Tera's parser expected, in words: `a name`, `` `}}` ``.
fn expected_words(expected: &str) -> String {
    match expected {
        _ if expected.starts_with("one of:") => "a value or a name".into(),
        "identifier" | "ident" => "a name".into(),
        _ if expected.starts_with('`') => expected.into(),
        _ => format!("`{expected}`"),
    }
}

/// Every problem in a Tera error: it checks the names used by all templates at once (filters,
/// functions, includes, blocks) and reports them together in one message.
fn to_diagnostics(root: &Path, e: &tera::Error) -> Vec<Diagnostic> {
    let found = match e.kind() {
        ErrorKind::Msg(message) => reports(root, message),
        _ => Vec::new(),
    };
    if found.is_empty() {
        vec![to_diagnostic(root, e)]
    } else {
        found
    }
}

/// The `error: <what>` / `--> <template>:<line>:<column>` reports in a Tera message.
fn reports(root: &Path, message: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut what = None;
    for line in message.lines() {
        if let Some(text) = line.strip_prefix("error: ") {
            what = Some(text);
        } else if let (Some(text), Some(place)) = (what, line.trim_start().strip_prefix("--> ")) {
            let mut parts = place.rsplitn(3, ':');
            let (column, line, name) = (parts.next(), parts.next(), parts.next());
            let position = line
                .zip(column)
                .and_then(|(l, c)| Some(Position::new(l.parse().ok()?, c.parse().ok()?)));
            let name = name.unwrap_or(place);
            found.push(
                Diagnostic::error(template_file(root, name), text, name_hint(text)).at(position),
            );
            what = None;
        }
    }
    found
}

/// What to do about a name Tera does not know.
fn name_hint(message: &str) -> &'static str {
    if message.starts_with("Unknown template") {
        "name an existing template, such as partials/summary.html or gazette/partials/summary.html"
    } else if message.starts_with("Block") {
        "name a block the parent template defines, or remove this one"
    } else {
        "check the spelling; see the Tera documentation for the built-in filters, tests and functions"
    }
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The line and column of `name` in quotes in a template's text.
fn quoted_position(text: &str, name: &str) -> Option<Position> {
    let needles = [format!("\"{name}\""), format!("'{name}'")];
    text.lines().enumerate().find_map(|(i, line)| {
        let col = needles.iter().find_map(|n| line.find(n.as_str()))?;
        Some(Position::new(i + 1, line[..col].chars().count() + 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unknown_name_is_its_own_diagnostic() {
        let message = "error: Unknown filter `nofilter`\n --> article.html:1:11\n  |\n1 | x\n  |  ^\n\n\
                       error: Unknown template `nope.html`\n --> partials/a.html:2:8\n  |";
        let found = reports(Path::new("/nonexistent"), message);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].file, PathBuf::from("article.html"));
        assert_eq!(found[0].position, Some(Position::new(1, 11)));
        assert_eq!(found[0].message, "Unknown filter `nofilter`");
        assert_eq!(found[1].position, Some(Position::new(2, 8)));
    }

    #[test]
    fn finds_a_quoted_name() {
        let text = "{# note #}\n{% extends 'nope.html' %}\n";
        assert_eq!(
            quoted_position(text, "nope.html"),
            Some(Position::new(2, 12))
        );
    }
}
