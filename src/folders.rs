//! The names of a site's files and folders on disk, in one place: what `build`, `serve`,
//! `check`, `init` and `new` read and write.

/// The configuration file at the site root.
pub const CONFIG_FILE: &str = "gazette.yaml";
/// Articles, one folder per section, with bots and pages in folders of their own.
pub const CONTENT_DIR: &str = "content";
/// The bots' profiles, in content/.
pub const BOTS_DIR: &str = "bots";
/// The editors' profiles, in content/: the people who review articles.
pub const EDITORS_DIR: &str = "editors";
/// The standalone pages (about, contact...), in content/.
pub const PAGES_DIR: &str = "pages";
/// The site's own templates, which replace the built-in ones of the same name.
pub const TEMPLATES_DIR: &str = "templates";
/// The site's own wording of the theme, one `<lang>.yaml` per language.
pub const I18N_DIR: &str = "i18n";
/// Files copied into the output as they are.
pub const STATIC_DIR: &str = "static";
/// The folders of the site's sources: an output folder inside one would be built from itself.
pub const SOURCE_DIRS: [&str; 3] = [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR];
/// The output folder, in the site folder, unless `--output` names another.
pub const OUTPUT_DIR: &str = "public";
/// What a build keeps beside its output, each named `.<output>.gazette-<what>` (see
/// `output::sibling_name`): the staging folder, the lock file, the previous output mid-swap,
/// and the state the next build starts from.
pub const STAGING: &str = "staging";
pub const LOCK: &str = "lock";
pub const OLD: &str = "old";
pub const STATE: &str = "state";
/// What a site keeps for its builds and its preview alike (made pictures), in the site folder.
pub const CACHE_DIR: &str = ".gazette-cache";
