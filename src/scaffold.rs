//! Starting points: `gazette init` writes a new site from the starter files in `src/scaffold/`,
//! `gazette new` writes one article file with its front matter filled in.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::Settings;
use crate::error::{Diagnostic, Diagnostics};
use crate::folders::{
    BOTS_DIR, CACHE_DIR, CONTENT_DIR, LOCK, OLD, OUTPUT_DIR, STAGING, STATE, TEMPLATES_DIR,
};
use crate::output::sibling_name;
use crate::render::templates::BUILT_IN;
use crate::url::{MAX_SEGMENT_BYTES, Slug};

const STARTER_CONFIG: &str = include_str!("scaffold/gazette.yaml");
const STARTER_BOT: &str = include_str!("scaffold/bot.md");
const STARTER_ARTICLE: &str = include_str!("scaffold/article.md");
/// The bot id the starter files use.
const STARTER_BOT_ID: &str = "newsbot";
/// The section `gazette new` writes into when not told.
pub const DEFAULT_SECTION: &str = "news";

/// What `gazette init` was asked to do.
#[derive(Debug, Clone)]
pub struct InitOptions {
    pub dir: PathBuf,
    /// Copy the built-in templates into `templates/`.
    pub theme: bool,
}

/// Writes a new site into `options.dir`, which must be missing or empty; with `theme`, a folder
/// that already is a site only gets the built-in templates. Returns the files written.
pub fn init(options: &InitOptions) -> Result<Vec<PathBuf>, Diagnostics> {
    let dir = &options.dir;
    let mut written = Vec::new();
    if is_empty_or_missing(dir)? {
        let date = now_in(&jiff::tz::TimeZone::UTC)
            .strftime("%Y-%m-%d")
            .to_string();
        let article = STARTER_ARTICLE.replace("{date}", &date);
        let files = [
            (
                PathBuf::from(crate::folders::CONFIG_FILE),
                STARTER_CONFIG.to_string(),
            ),
            (PathBuf::from(".gitignore"), gitignore()),
            (
                Path::new(CONTENT_DIR)
                    .join(BOTS_DIR)
                    .join(format!("{STARTER_BOT_ID}.md")),
                STARTER_BOT.to_string(),
            ),
            (
                Path::new(CONTENT_DIR)
                    .join(DEFAULT_SECTION)
                    .join(format!("{date}-welcome.md")),
                article,
            ),
        ];
        for (path, text) in files {
            written.push(create(dir, &path, &text)?);
        }
    } else if !(options.theme && crate::find_root(dir).as_deref() == Some(dir.as_path())) {
        return Err(one(Diagnostic::error(
            dir,
            "the folder is not empty; `gazette init` only writes into a new or empty folder",
            "pick another folder, e.g. `gazette init my-news`, or use --theme in an existing site \
             to copy the built-in templates only",
        )));
    }
    if options.theme {
        for (name, text) in BUILT_IN {
            written.push(create(dir, &Path::new(TEMPLATES_DIR).join(name), text)?);
        }
    }
    Ok(written)
}

/// What a site's repository leaves out: the output folder, what a build keeps beside it, and
/// the cache of made pictures.
fn gitignore() -> String {
    let mut text =
        String::from("# Written by `gazette build`: the site, and what a build keeps beside it.\n");
    text.push_str(&format!("/{OUTPUT_DIR}/\n"));
    for what in [STAGING, LOCK, OLD, STATE] {
        text.push_str(&format!("/{}\n", sibling_name(OUTPUT_DIR, what)));
    }
    text.push_str(&format!(
        "# Pictures made of static/'s images, kept between builds.\n/{CACHE_DIR}/\n"
    ));
    text
}

/// The bytes `gazette new` puts around an article's slug in its file name: `YYYY-MM-DD-` and
/// `.md`.
const DATED_NAME_BYTES: usize = "YYYY-MM-DD-.md".len();

/// An article title that names a file: it has letters or digits to slug, and not so many that
/// the file name would be too long.
#[derive(Debug, Clone)]
pub struct Title {
    text: String,
    slug: Slug,
}

impl Title {
    pub fn parse(text: &str) -> Result<Self, String> {
        let slug = Slug::from_text(text)
            .ok_or_else(|| format!("`{text}` has no letters or digits to name a file after"))?;
        let length = slug.as_str().len();
        if length + DATED_NAME_BYTES > MAX_SEGMENT_BYTES {
            return Err(format!(
                "the title makes a file name of {} characters, longer than the \
                 {MAX_SEGMENT_BYTES} a file name can hold; shorten it",
                length + DATED_NAME_BYTES
            ));
        }
        Ok(Self {
            text: text.to_string(),
            slug,
        })
    }
}

/// A folder under content/ that can hold articles: a name the build takes for a section.
pub fn parse_section(name: &str) -> Result<Slug, String> {
    Slug::section(name)
}

/// What `gazette new` was asked to write.
#[derive(Debug, Clone)]
pub struct NewArticle {
    pub root: PathBuf,
    pub title: Title,
    /// `news` when not given.
    pub section: Option<Slug>,
    pub author: Option<String>,
    pub tags: Vec<String>,
}

/// A new article's file, with warnings about it (an author with no profile yet).
#[derive(Debug)]
pub struct Created {
    pub file: PathBuf,
    pub warnings: Vec<Diagnostic>,
}

/// Writes `content/<section>/<YYYY-MM-DD>-<slug>.md` dated now in the site's time zone and
/// returns its path, with a warning when the author has no bot profile (the article is
/// written all the same, as the build takes it); never overwrites a file.
pub fn new_article(new: &NewArticle) -> Result<Created, Diagnostics> {
    // The configuration's own warnings are `build`'s to report; `new` reports the article's.
    let (settings, _) = Settings::load(&new.root, None)?.into_parts();
    let now = now_in(&settings.timezone);
    let author = new
        .author
        .clone()
        .or_else(|| settings.default_author.clone());
    let text = front_matter(&new.title.text, &now, author.as_deref(), &new.tags);
    let section = new.section.as_ref().map_or(DEFAULT_SECTION, Slug::as_str);
    let path = Path::new(CONTENT_DIR).join(section).join(format!(
        "{}-{}.md",
        now.strftime("%Y-%m-%d"),
        new.title.slug.as_str()
    ));
    let written = create(&new.root, &path, &text)?;
    let profile = |id: &str| {
        Path::new(CONTENT_DIR)
            .join(BOTS_DIR)
            .join(format!("{id}.md"))
    };
    let warnings = author
        .filter(|id| !new.root.join(profile(id)).is_file())
        .map(|id| crate::site::unknown_author(&path, &id, None))
        .into_iter()
        .collect();
    Ok(Created {
        file: written,
        warnings,
    })
}

/// The front matter of a new article: every string goes through JSON quoting, which YAML
/// reads back as the same string whatever quotes or colons the title holds.
fn front_matter(
    title: &str,
    date: &jiff::ZonedDateTime,
    author: Option<&str>,
    tags: &[String],
) -> String {
    let quote = |s: &str| serde_json::Value::from(s).to_string();
    let tags: Vec<String> = tags.iter().map(|t| quote(t)).collect();
    let mut text = format!(
        "---\ntitle: {}\ndate: {}\n",
        quote(title),
        date.strftime("%Y-%m-%dT%H:%M:%S%:z")
    );
    if let Some(author) = author {
        text.push_str(&format!("author: {}\n", quote(author)));
    }
    text.push_str(&format!(
        "tags: [{}]\nsources: []\n---\nWrite the digest here. The first paragraph is the \
         summary on listing pages.\n",
        tags.join(", ")
    ));
    text
}

fn now_in(timezone: &jiff::tz::TimeZone) -> jiff::ZonedDateTime {
    // Whole seconds: front matter with fractions reads as noise.
    let now = jiff::Timestamp::now();
    let now = jiff::Timestamp::from_second(now.as_second()).unwrap_or(now);
    now.to_zoned_datetime(timezone.clone())
}

fn is_empty_or_missing(dir: &Path) -> Result<bool, Diagnostics> {
    match fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(one(Diagnostic::error(
            dir,
            format!("cannot read the folder: {e}"),
            "check that it is a folder you may read",
        ))),
    }
}

/// Writes `relative` under `dir`, creating folders, refusing to replace an existing file.
fn create(dir: &Path, relative: &Path, text: &str) -> Result<PathBuf, Diagnostics> {
    let path = dir.join(relative);
    let failed = |e: std::io::Error| {
        let hint = if e.kind() == std::io::ErrorKind::AlreadyExists {
            "nothing was overwritten; move the file away or choose another name"
        } else {
            "check that the folder is writable"
        };
        one(Diagnostic::error(
            &path,
            format!("cannot create the file: {e}"),
            hint,
        ))
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(failed)?;
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(failed)?;
    file.write_all(text.as_bytes()).map_err(failed)?;
    Ok(path)
}

fn one(d: Diagnostic) -> Diagnostics {
    Diagnostics::from(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    /// Every key of gazette.yaml, nested ones as `related.count`, skipping free-form maps.
    fn keys(value: &serde_yaml::Value, prefix: &str, out: &mut Vec<String>) {
        if let serde_yaml::Value::Mapping(map) = value {
            for (key, value) in map {
                let key = key.as_str().expect("string keys").to_string();
                if !matches!(key.as_str(), "sections" | "extra" | "languages") {
                    keys(value, &key, out);
                }
                out.push(if prefix.is_empty() {
                    key
                } else {
                    format!("{prefix}.{key}")
                });
            }
        }
    }

    #[test]
    fn starter_config_shows_every_key_with_its_default() {
        let config: Config = serde_yaml::from_str(STARTER_CONFIG).unwrap();
        let expected = Config {
            default_author: Some(STARTER_BOT_ID.into()),
            ..Config::default()
        };
        assert_eq!(config, expected);
        let mut found = Vec::new();
        keys(
            &serde_yaml::from_str(STARTER_CONFIG).unwrap(),
            "",
            &mut found,
        );
        let mut leaf_names: Vec<&str> = found
            .iter()
            .map(|k| k.rsplit('.').next().unwrap())
            .collect();
        leaf_names.sort();
        leaf_names.dedup();
        let mut known = crate::config::KNOWN_KEYS.to_vec();
        known.sort();
        known.dedup();
        assert_eq!(leaf_names, known);
    }

    #[test]
    fn front_matter_quotes_what_yaml_would_misread() {
        let date = jiff::Timestamp::from_second(0)
            .unwrap()
            .to_zoned_datetime(jiff::tz::TimeZone::UTC);
        let text = front_matter(
            "Port \"strike\": day #3",
            &date,
            Some("wirebot"),
            &["a: b".into(), "c".into()],
        );
        let yaml = text
            .trim_start_matches("---\n")
            .split("---\n")
            .next()
            .unwrap();
        let value: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
        assert_eq!(value["title"].as_str(), Some("Port \"strike\": day #3"));
        assert_eq!(value["tags"][0].as_str(), Some("a: b"));
        assert_eq!(value["author"].as_str(), Some("wirebot"));
        assert_eq!(value["date"].as_str(), Some("1970-01-01T00:00:00+00:00"));
        assert_eq!(value["sources"].as_sequence().map(Vec::len), Some(0));
    }
}
