//! Diagnostics: every problem gazette finds in a site, as a value that knows its file and position.
//!
//! Nothing in the pipeline prints or formats errors itself; it returns `Diagnostic`s, and the
//! command line renders them all in the one format of the spec:
//! `error: <file>:<line>:<column>: <what is wrong> (<what to do>)`.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is: errors fail the build, warnings are reported and the build goes on.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    Error,
    Warning,
}

/// A line and column in a file, both counted from 1.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    pub fn new(line: usize, column: usize) -> Self {
        Self { line, column }
    }

    /// Where byte `offset` of `text` is, for a `text` that starts on line `first_line` of its file.
    pub fn at_offset(text: &str, offset: usize, first_line: usize) -> Self {
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Self::new(
            first_line + before.matches('\n').count(),
            before[line_start..].chars().count() + 1,
        )
    }
}

/// A path as messages show it: as written where it is UTF-8, and each byte that is not as an
/// escape (`content/news/caf\xE9.md`), so a file with a name in another encoding can be found.
pub fn shown_path(path: &Path) -> String {
    let bytes = path.as_os_str().as_encoded_bytes();
    let mut shown = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        shown.push_str(chunk.valid());
        for byte in chunk.invalid() {
            shown.push_str(&format!("\\x{byte:02X}"));
        }
    }
    shown
}

/// A size for a message, such as `1.0 MiB`.
pub fn mebibytes(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / f64::from(1 << 20))
}

/// One problem with the site, named by file and, where known, position.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, relative to the site root where it lies inside it.
    pub file: PathBuf,
    pub position: Option<Position>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: String,
    /// Which warnings this one is reported with, where their messages differ (boxed: most
    /// diagnostics have none, and a `Result` carrying one stays small).
    pub kind: Option<Box<Kind>>,
}

/// Warnings alike whose messages differ (one author each, one tag each), so that a report can
/// show them as one line. Warnings with no kind are alike when their messages are (the details may differ, in the hint).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Kind {
    /// What the warnings of this kind are, in the plural: `authors with no bot profile`.
    pub title: String,
    /// What this one is about, listed in place of its file: `` `The Rust Core Team` ``.
    pub subject: Option<String>,
    /// What to do about all of them, where their own hints differ.
    pub hint: Option<String>,
}

impl Kind {
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            subject: None,
            hint: None,
        }
    }

    pub fn about(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl Diagnostic {
    pub fn error(
        file: impl AsRef<Path>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            file: file.as_ref().to_path_buf(),
            position: None,
            message: message.into(),
            hint: hint.into(),
            kind: None,
        }
    }

    pub fn warning(
        file: impl AsRef<Path>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, message, hint)
        }
    }

    pub fn at(mut self, position: Option<Position>) -> Self {
        self.position = position;
        self
    }

    /// Reports this warning together with the others of `kind`.
    pub fn kind(mut self, kind: Kind) -> Self {
        self.kind = Some(Box::new(kind));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Sort key that gives a stable report order whatever order parallel work finished in.
    fn sort_key(&self) -> (Severity, &Path, Option<Position>, &str) {
        (self.severity, &self.file, self.position, &self.message)
    }
}

impl Severity {
    fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.severity.label(), shown_path(&self.file))?;
        if let Some(Position { line, column }) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}", self.message)?;
        write_hint(f, &self.hint)
    }
}

fn write_hint(f: &mut fmt::Formatter<'_>, hint: &str) -> fmt::Result {
    if hint.is_empty() {
        Ok(())
    } else {
        write!(f, " ({hint})")
    }
}

/// How many files or subjects a group's line names before it counts the rest.
const GROUP_SHOWN: usize = 3;

/// Diagnostics alike (same severity, and same kind, or else same message), reported
/// as one line: `warning: unknown key `layout` in 518 files: a.md, b.md, c.md and 515 more`.
#[derive(Debug)]
pub struct Group<'a> {
    /// In the order they were given.
    pub members: Vec<&'a Diagnostic>,
}

/// What makes diagnostics alike.
#[derive(PartialEq, Eq, Hash)]
enum GroupKey<'a> {
    Kind(Severity, &'a str),
    Message(Severity, &'a str),
}

/// `diagnostics` in groups of alike ones, in the order each group first appears.
pub fn group<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Vec<Group<'a>> {
    let mut groups: Vec<Group> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for d in diagnostics {
        let key = match &d.kind {
            Some(kind) => GroupKey::Kind(d.severity, &kind.title),
            None => GroupKey::Message(d.severity, &d.message),
        };
        let at = *index.entry(key).or_insert_with(|| {
            groups.push(Group {
                members: Vec::new(),
            });
            groups.len() - 1
        });
        groups[at].members.push(d);
    }
    groups
}

impl Group<'_> {
    /// The first member, which every group has.
    fn first(&self) -> &Diagnostic {
        self.members[0]
    }

    /// The hint all members share, else their kind's.
    fn hint(&self) -> &str {
        let first = &self.first().hint;
        if self.members.iter().all(|d| &d.hint == first) {
            return first;
        }
        self.first()
            .kind
            .as_ref()
            .and_then(|k| k.hint.as_deref())
            .unwrap_or_default()
    }

    /// Each subject (else file) of the members once, with how many members name it.
    fn subjects(&self) -> Vec<(String, usize)> {
        let mut found: Vec<(String, usize)> = Vec::new();
        let mut index = std::collections::HashMap::new();
        for d in &self.members {
            let subject = match d.kind.as_ref().and_then(|k| k.subject.as_ref()) {
                Some(subject) => subject.clone(),
                None => shown_path(&d.file),
            };
            let at = *index.entry(subject.clone()).or_insert_with(|| {
                found.push((subject, 0));
                found.len() - 1
            });
            found[at].1 += 1;
        }
        found
    }
}

impl fmt::Display for Group<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let first = self.first();
        if self.members.len() == 1 {
            return first.fmt(f);
        }
        write!(f, "{}: ", first.severity.label())?;
        let subject = |d: &Diagnostic| d.kind.as_ref().and_then(|k| k.subject.clone());
        let alike = |d: &&Diagnostic| d.message == first.message && subject(d) == subject(first);
        if self.members.iter().all(alike) {
            // The same words for each file: say them once and list the files.
            let files = files(&self.members);
            write!(f, "{} in {}: ", first.message, files_count(files.len()))?;
            write_list(f, files.iter().map(|file| shown_path(file)))?;
        } else {
            let title = first.kind.as_ref().map_or("", |k| k.title.as_str());
            let subjects = self.subjects();
            write!(f, "{title} ({}): ", subjects.len())?;
            write_list(
                f,
                subjects.into_iter().map(|(subject, n)| match n {
                    1 => subject,
                    n => format!("{subject} ({})", files_count(n)),
                }),
            )?;
        }
        write_hint(f, self.hint())
    }
}

/// The distinct files of `members`, in order.
fn files<'a>(members: &[&'a Diagnostic]) -> Vec<&'a Path> {
    let mut seen = std::collections::HashSet::new();
    members
        .iter()
        .map(|d| d.file.as_path())
        .filter(|file| seen.insert(*file))
        .collect()
}

fn files_count(n: usize) -> String {
    if n == 1 {
        "1 file".into()
    } else {
        format!("{n} files")
    }
}

/// `a, b, c and 5 more`.
fn write_list(
    f: &mut fmt::Formatter<'_>,
    items: impl ExactSizeIterator<Item = String>,
) -> fmt::Result {
    let total = items.len();
    let shown: Vec<String> = items.take(GROUP_SHOWN).collect();
    write!(f, "{}", shown.join(", "))?;
    if total > shown.len() {
        write!(f, " and {} more", total - shown.len())?;
    }
    Ok(())
}

/// All the diagnostics of one run, errors and warnings together.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, more: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(more);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Every value, or every error: unlike collecting into a `Result`, this does not stop at
    /// the first. A value missing for a warning fails all the same: the warning is what says
    /// why it is missing, and is never dropped.
    pub fn gather<T>(
        results: impl IntoIterator<Item = std::result::Result<T, Diagnostic>>,
    ) -> Result<Vec<T>> {
        let mut failures = Diagnostics::default();
        let mut values = Vec::new();
        for result in results {
            match result {
                Ok(value) => values.push(value),
                Err(e) => failures.push(e),
            }
        }
        if failures.0.is_empty() {
            Ok(values)
        } else {
            Err(failures)
        }
    }

    /// Errors first, then warnings, each by file and position.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.0.dedup();
        self.0
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(list: Vec<Diagnostic>) -> Self {
        Self(list)
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Self(vec![diagnostic])
    }
}

impl std::error::Error for Diagnostic {}

/// Each diagnostic on a line of its own, in the order they were found.
impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// The outcome of a step that either works (perhaps with warnings) or fails with diagnostics.
pub type Result<T> = std::result::Result<T, Diagnostics>;

/// A value and the warnings found while making it. The value comes out only with its warnings:
/// `report` moves them into the run's `Diagnostics`, and `into_parts` hands both to a caller
/// that keeps them apart, so a warning is never lost on the way.
#[must_use = "its warnings are lost unless it is `report`ed or taken `into_parts`"]
#[derive(Debug)]
pub struct Warned<T> {
    value: T,
    warnings: Vec<Diagnostic>,
}

impl<T> Warned<T> {
    pub fn new(value: T, warnings: Vec<Diagnostic>) -> Self {
        debug_assert!(!warnings.iter().any(Diagnostic::is_error), "{warnings:?}");
        Self { value, warnings }
    }

    /// The value, to read before it is taken.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The warnings, to read while the value is kept.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Moves the warnings into `diagnostics` and gives the value.
    pub fn report(self, diagnostics: &mut Diagnostics) -> T {
        diagnostics.extend(self.warnings);
        self.value
    }

    /// The value and the warnings, for a caller that keeps them apart.
    pub fn into_parts(self) -> (T, Vec<Diagnostic>) {
        (self.value, self.warnings)
    }

    /// The value made into another, with the same warnings.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Warned<U> {
        Warned {
            value: f(self.value),
            warnings: self.warnings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_are_std_errors_shown_one_a_line() {
        let failing = || -> std::result::Result<(), Box<dyn std::error::Error>> {
            let one = Diagnostic::error("a.md", "bad", "fix it");
            let mut all = Diagnostics::from(one);
            all.push(Diagnostic::warning("b.md", "odd", "look"));
            Err(all)?
        };
        let shown = failing().unwrap_err().to_string();
        assert_eq!(
            shown,
            "error: a.md: bad (fix it)\nwarning: b.md: odd (look)"
        );
    }

    #[test]
    fn renders_in_spec_format_with_position_and_hint() {
        let d = Diagnostic::error("content/a.md", "missing title", "add `title:`")
            .at(Some(Position::new(3, 7)));
        assert_eq!(
            d.to_string(),
            "error: content/a.md:3:7: missing title (add `title:`)"
        );
    }

    #[test]
    fn position_at_offset_counts_lines_and_characters() {
        let text = "a: 1\nbé: [x";
        assert_eq!(Position::at_offset(text, 0, 2), Position::new(2, 1));
        assert_eq!(
            Position::at_offset(text, text.len() - 1, 2),
            Position::new(3, 6)
        );
    }

    #[cfg(unix)]
    #[test]
    fn file_names_that_are_not_utf8_are_shown_escaped() {
        use std::os::unix::ffi::OsStrExt;
        let file = Path::new(std::ffi::OsStr::from_bytes(b"content/news/caf\xE9.md"));
        let d = Diagnostic::error(file, "odd", "");
        assert_eq!(d.to_string(), "error: content/news/caf\\xE9.md: odd");
    }

    #[test]
    fn renders_without_position() {
        let d = Diagnostic::warning("content/a.md", "odd", "");
        assert_eq!(d.to_string(), "warning: content/a.md: odd");
    }

    fn lines(diagnostics: &[Diagnostic]) -> Vec<String> {
        group(diagnostics).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn alike_warnings_are_one_line_naming_the_first_files() {
        let unknown = |file: &str| {
            Diagnostic::warning(file, "unknown key `layout`", "unknown keys are ignored")
                .at(Some(Position::new(2, 1)))
        };
        let mut all: Vec<_> = ["a.md", "b.md", "c.md", "d.md", "e.md"]
            .into_iter()
            .map(unknown)
            .collect();
        all.push(Diagnostic::warning("z.md", "odd", ""));
        assert_eq!(
            lines(&all),
            [
                "warning: unknown key `layout` in 5 files: a.md, b.md, c.md and 2 more \
                 (unknown keys are ignored)",
                "warning: z.md: odd",
            ]
        );
    }

    #[test]
    fn a_lone_warning_is_shown_whole() {
        let one = [Diagnostic::warning("a.md", "odd", "fix it").at(Some(Position::new(1, 2)))];
        assert_eq!(lines(&one), ["warning: a.md:1:2: odd (fix it)"]);
    }

    #[test]
    fn warnings_of_a_kind_list_their_subjects_under_the_kind_hint() {
        let kind = |who: &str| {
            Kind::new("authors with no bot profile")
                .about(format!("`{who}`"))
                .hint("add a profile for each")
        };
        let author = |file: &str, who: &str| {
            Diagnostic::warning(file, format!("`{who}` has none"), format!("add {who}.md"))
                .kind(kind(who))
        };
        let all = [
            author("a.md", "Ann"),
            author("b.md", "Bob"),
            author("c.md", "Ann"),
        ];
        assert_eq!(
            lines(&all),
            [
                "warning: authors with no bot profile (2): `Ann` (2 files), `Bob` \
              (add a profile for each)"
            ]
        );
        // One subject: its own message and hint, with the files.
        assert_eq!(
            lines(&[author("a.md", "Ann"), author("c.md", "Ann")]),
            ["warning: `Ann` has none in 2 files: a.md, c.md (add Ann.md)"]
        );
    }

    #[test]
    fn errors_and_warnings_are_never_grouped_together() {
        let all = [
            Diagnostic::warning("a.md", "same", ""),
            Diagnostic::error("b.md", "same", ""),
        ];
        assert_eq!(group(&all).len(), 2);
    }

    #[test]
    fn gather_fails_on_a_value_missing_for_a_warning() {
        let odd = Diagnostic::warning("a.md", "odd", "");
        let results = [Ok(1), Err(odd.clone())];
        let failures = Diagnostics::gather(results).unwrap_err();
        assert_eq!(failures.sorted(), [odd]);
    }

    #[test]
    fn warned_values_hand_their_warnings_on() {
        let odd = Diagnostic::warning("a.md", "odd", "");
        let mut all = Diagnostics::default();
        let value = Warned::new(1, vec![odd.clone()])
            .map(|n| n + 1)
            .report(&mut all);
        assert_eq!((value, all.sorted()), (2, vec![odd]));
    }

    #[test]
    fn sorted_puts_errors_first_and_dedups() {
        let w = Diagnostic::warning("a", "w", "");
        let e = Diagnostic::error("b", "e", "");
        let all = Diagnostics::from(vec![w.clone(), e.clone(), e.clone()]).sorted();
        assert_eq!(all, vec![e, w]);
    }
}
