//! The book in docs/ is the reference: every configuration and front matter key is in it, and
//! every link between its chapters (and from the README into it) leads to a chapter and heading
//! that exist, with heading ids made by mdBook's rule. mdBook itself builds a book with broken
//! links between chapters without a word.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use gazette::content::front_matter::{ARTICLE_KEYS, BOT_KEYS, EDITOR_KEYS, PAGE_KEYS};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn book() -> PathBuf {
    repo().join("docs/src")
}

fn chapter(name: &str) -> String {
    std::fs::read_to_string(book().join(name)).unwrap()
}

/// The names in backticks in the first column of the table that follows `heading`.
fn reference_table(text: &str, heading: &str) -> Vec<String> {
    let text = format!("\n{text}");
    let (_, after) = text
        .split_once(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("no heading `{heading}`"));
    let rows = after
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2);
    let names: Vec<String> = rows
        .filter_map(|row| row.split('|').nth(1))
        .filter_map(|cell| cell.split('`').nth(1))
        .map(str::to_string)
        .collect();
    assert!(!names.is_empty(), "no table after `{heading}`");
    names
}

/// Every key of a YAML mapping as a dotted path: `related.count`; a key whose value is an empty
/// mapping (`sections: {}`) stands for itself.
fn dotted_keys(value: &serde_yaml::Value, prefix: &str, out: &mut Vec<String>) {
    let serde_yaml::Value::Mapping(map) = value else {
        return;
    };
    for (key, value) in map {
        let key = format!("{prefix}{}", key.as_str().unwrap());
        match value {
            serde_yaml::Value::Mapping(inner) if !inner.is_empty() => {
                dotted_keys(value, &format!("{key}."), out)
            }
            _ => out.push(key),
        }
    }
}

/// The configuration keys, from the gazette.yaml that `gazette init` writes: it shows every key
/// with its default (src/scaffold.rs's test holds it to the keys gazette.yaml may have).
fn config_keys() -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    gazette::scaffold::init(&gazette::scaffold::InitOptions {
        dir: site.clone(),
        theme: false,
    })
    .unwrap();
    let text = std::fs::read_to_string(site.join("gazette.yaml")).unwrap();
    let mut keys = Vec::new();
    dotted_keys(&serde_yaml::from_str(&text).unwrap(), "", &mut keys);
    keys
}

#[test]
fn every_configuration_key_is_in_the_configuration_reference() {
    let documented = reference_table(&chapter("configuration.md"), "# Configuration");
    let keys = config_keys();
    assert!(keys.contains(&"related.count".to_string()), "{keys:?}");
    // `sections` is documented as `sections.<folder>.title`: a mapping is covered by its keys.
    let covers = |doc: &str, key: &str| doc == key || doc.starts_with(&format!("{key}."));
    let missing: Vec<&String> = (keys.iter())
        .filter(|key| !documented.iter().any(|doc| covers(doc, key)))
        .collect();
    assert!(
        missing.is_empty(),
        "keys of gazette.yaml missing from the table of docs/src/configuration.md: {missing:?}"
    );
    let unknown: Vec<&String> = (documented.iter())
        .filter(|doc| !keys.iter().any(|key| covers(doc, key)))
        .collect();
    assert!(unknown.is_empty(), "documented but not keys: {unknown:?}");
}

/// The last part of a documented key: `sources[].url` is the key `url`.
fn leaf(name: &str) -> &str {
    name.rsplit('.').next().unwrap().trim_end_matches("[]")
}

#[test]
fn every_front_matter_key_is_in_the_front_matter_reference() {
    let text = chapter("articles-and-bots.md");
    for (heading, keys) in [
        ("### Article front matter keys", ARTICLE_KEYS),
        ("### Bot profile keys", BOT_KEYS),
        ("### Editor profile keys", EDITOR_KEYS),
        ("### Standalone page keys", PAGE_KEYS),
    ] {
        let documented = reference_table(&text, heading);
        let leaves: BTreeSet<&str> = documented.iter().map(|d| leaf(d)).collect();
        let missing: Vec<&&str> = keys.iter().filter(|k| !leaves.contains(**k)).collect();
        assert!(
            missing.is_empty(),
            "keys missing from `{heading}` of docs/src/articles-and-bots.md: {missing:?}"
        );
        let unknown: Vec<&&str> = leaves.iter().filter(|l| !keys.contains(l)).collect();
        assert!(
            unknown.is_empty(),
            "`{heading}` documents no such keys: {unknown:?}"
        );
    }
}

/// A Markdown file as mdBook reads it: `{{#include path}}` replaced by the file it names.
fn expanded(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    let mut out = String::new();
    for line in text.lines() {
        match line
            .trim()
            .strip_prefix("{{#include ")
            .and_then(|l| l.strip_suffix("}}"))
        {
            Some(path) => {
                out += &std::fs::read_to_string(file.parent().unwrap().join(path)).unwrap()
            }
            None => out += line,
        }
        out.push('\n');
    }
    out
}

/// The ids mdBook gives a chapter's headings: the heading's text trimmed and lower-cased,
/// letters, digits, `_` and `-` kept, white space made `-`, the rest dropped; a repeated id
/// gets `-1`, `-2`, ... (mdbook-html's `id_from_content` and `unique_id`; every id of this book
/// was compared with the HTML mdbook 0.5.4 writes).
fn heading_ids(markdown: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(markdown, pulldown_cmark::Options::all()) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let text = heading.take().unwrap();
                let id: String = (text.trim().to_lowercase().chars())
                    .filter_map(|c| match c {
                        c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c),
                        c if c.is_whitespace() => Some('-'),
                        _ => None,
                    })
                    .collect();
                let unique = (0..)
                    .map(|n| {
                        if n == 0 {
                            id.clone()
                        } else {
                            format!("{id}-{n}")
                        }
                    })
                    .find(|candidate| !ids.contains(candidate))
                    .unwrap();
                ids.insert(unique);
            }
            _ => {}
        }
    }
    ids
}

/// Every link and image address of a Markdown text, outside code.
fn links(markdown: &str) -> Vec<String> {
    Parser::new_ext(markdown, pulldown_cmark::Options::all())
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(dest_url.to_string())
            }
            _ => None,
        })
        .collect()
}

/// What is wrong with `link`, written in `file`, if anything: a relative link must name a file
/// that exists, a chapter the book's SUMMARY.md lists, and a heading of that chapter.
fn broken(file: &Path, link: &str, summary: &str) -> Option<String> {
    if link.contains("://") || link.starts_with("mailto:") {
        return None;
    }
    let (path, anchor) = link.split_once('#').unwrap_or((link, ""));
    let target = if path.is_empty() {
        file.to_path_buf()
    } else {
        file.parent().unwrap().join(path)
    };
    if !target.exists() {
        return Some(format!("{} does not exist", target.display()));
    }
    let in_book = target.canonicalize().unwrap().parent() == Some(&book().canonicalize().unwrap());
    if in_book && target.extension().is_some_and(|e| e == "md") {
        let name = target.file_name().unwrap().to_str().unwrap();
        if name != "SUMMARY.md" && !summary.contains(&format!("({name})")) {
            return Some(format!("{name} is not a chapter of SUMMARY.md"));
        }
    }
    if !anchor.is_empty() && !heading_ids(&expanded(&target)).contains(anchor) {
        return Some(format!("{} has no heading `#{anchor}`", target.display()));
    }
    None
}

/// The links that lead nowhere in `files`, as `file: link: why`.
fn broken_links(files: &[PathBuf]) -> Vec<String> {
    let summary = chapter("SUMMARY.md");
    let mut problems = Vec::new();
    for file in files {
        for link in links(&expanded(file)) {
            if let Some(why) = broken(file, &link, &summary) {
                problems.push(format!("{}: {link}: {why}", file.display()));
            }
        }
    }
    problems
}

fn book_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(book())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

#[test]
fn links_in_the_book_and_the_readme_lead_to_chapters_and_headings_that_exist() {
    let mut files = book_files();
    assert!(files.len() > 10, "{files:?}");
    files.push(repo().join("README.md"));
    let problems = broken_links(&files);
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_chapter_is_in_the_summary() {
    let summary = chapter("SUMMARY.md");
    for file in book_files() {
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(
            name == "SUMMARY.md" || summary.contains(&format!("({name})")),
            "{name} is not listed in docs/src/SUMMARY.md, so the book leaves it out"
        );
    }
}

#[test]
fn a_broken_link_or_anchor_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.md");
    std::fs::write(
        &file,
        "# Title\n\n## Hello `world`, again!\n\n## Hello `world`, again!\n\n\
         [ok](#title) [ok](#hello-world-again-1) [bad](#nope) [bad](missing.md) \
         `[code](missing.md)`\n",
    )
    .unwrap();
    let problems = broken_links(&[file]);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].contains("has no heading `#nope`"),
        "{problems:?}"
    );
    assert!(
        problems[1].contains("missing.md does not exist"),
        "{problems:?}"
    );
}
