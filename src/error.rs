//! Diagnostics: every problem gazette finds in a site, as a value that knows its file and position.
//!
//! Nothing in the pipeline prints or formats errors itself; it returns `Diagnostic`s, and the
//! command line renders them all in the one format of the spec:
//! `error: <file>:<line>:<column>: <what is wrong> (<what to do>)`.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is: errors fail the build, warnings are reported and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A line and column in a file, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, relative to the site root where it lies inside it.
    pub file: PathBuf,
    pub position: Option<Position>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: String,
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

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Sort key that gives a stable report order whatever order parallel work finished in.
    fn sort_key(&self) -> (Severity, &Path, Option<Position>, &str) {
        (self.severity, &self.file, self.position, &self.message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", shown_path(&self.file))?;
        if let Some(Position { line, column }) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}", self.message)?;
        if !self.hint.is_empty() {
            write!(f, " ({})", self.hint)?;
        }
        Ok(())
    }
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
    /// the first.
    pub fn gather<T>(
        results: impl IntoIterator<Item = std::result::Result<T, Diagnostic>>,
    ) -> Result<Vec<T>> {
        let mut errors = Diagnostics::default();
        let mut values = Vec::new();
        for result in results {
            match result {
                Ok(value) => values.push(value),
                Err(e) => errors.push(e),
            }
        }
        if errors.has_errors() {
            Err(errors)
        } else {
            Ok(values)
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

/// The outcome of a step that either works (perhaps with warnings) or fails with diagnostics.
pub type Result<T> = std::result::Result<T, Diagnostics>;

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn sorted_puts_errors_first_and_dedups() {
        let w = Diagnostic::warning("a", "w", "");
        let e = Diagnostic::error("b", "e", "");
        let all = Diagnostics::from(vec![w.clone(), e.clone(), e.clone()]).sorted();
        assert_eq!(all, vec![e, w]);
    }
}
