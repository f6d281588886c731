//! What changed in a site between two runs of the pipeline, by what it touches.

use std::path::{Path, PathBuf};

use crate::folders::{CONTENT_DIR, I18N_DIR, STATIC_DIR, TEMPLATES_DIR};

/// What changed in the site since the last rebuild; paths are relative to the site's root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub config: bool,
    pub templates: bool,
    /// Files or folders at or below content/.
    pub content: Vec<PathBuf>,
    /// Files or folders at or below static/.
    pub statics: Vec<PathBuf>,
}

impl Changes {
    /// Everything, for the first build.
    pub fn everything() -> Self {
        Self {
            config: true,
            templates: true,
            content: vec![PathBuf::from(CONTENT_DIR)],
            statics: vec![PathBuf::from(STATIC_DIR)],
        }
    }

    /// Sorts changed paths (absolute, below `root`) by what they change; paths elsewhere, such
    /// as the output folder or `.git`, change nothing.
    pub fn from_paths<'p>(root: &Path, paths: impl IntoIterator<Item = &'p Path>) -> Self {
        let mut changes = Self::default();
        for path in paths {
            let Ok(relative) = path.strip_prefix(root) else {
                continue;
            };
            let relative = relative.to_path_buf();
            match relative.iter().next().and_then(|first| first.to_str()) {
                // The site's words are read with gazette.yaml, as part of the configuration.
                Some(crate::folders::CONFIG_FILE | I18N_DIR) => changes.config = true,
                Some(TEMPLATES_DIR) => changes.templates = true,
                Some(CONTENT_DIR) => changes.content.push(relative),
                Some(STATIC_DIR) => changes.statics.push(relative),
                _ => {}
            }
        }
        changes.content.sort();
        changes.content.dedup();
        changes.statics.sort();
        changes.statics.dedup();
        changes
    }

    pub fn merge(&mut self, other: Changes) {
        self.config |= other.config;
        self.templates |= other.templates;
        self.content.extend(other.content);
        self.content.sort();
        self.content.dedup();
        self.statics.extend(other.statics);
        self.statics.sort();
        self.statics.dedup();
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// How many files or folders changed, for the summary line.
    pub fn count(&self) -> usize {
        usize::from(self.config)
            + usize::from(self.templates)
            + self.content.len()
            + self.statics.len()
    }

    /// Whether only stylesheets in static/ changed, which a page can take without reloading.
    pub fn only_stylesheets(&self) -> bool {
        !self.statics.is_empty()
            && self.content.is_empty()
            && !self.config
            && !self.templates
            && self
                .statics
                .iter()
                .all(|p| p.extension().is_some_and(|x| x == "css"))
    }
}
