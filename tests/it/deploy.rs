//! Deploying: the same input gives byte-identical output, and every deploy recipe the book
//! (docs/src/deploying.md) and deploy/ ship builds the site into the folder it uploads.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Site, attrs, tree};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A small site with the parts that vary between builds if anything does: several articles,
/// tags, a story, related posts.
fn fixture() -> Site {
    let site = Site::new();
    for (i, tags) in ["[a, b]", "[b, c]", "[a, c]", "[c]"].iter().enumerate() {
        site.article(
            "world",
            &format!("2026-03-1{i}-story-{i}"),
            &format!("title: Story {i}\ntags: {tags}\nstory: one"),
            "Body with a [link](https://example.org/).",
        );
    }
    site
}

/// Runs a shell command line from a recipe in `site`, with the built gazette on the PATH.
fn shell(site: &Site, line: &str, env: &[(&str, &str)]) -> std::process::Output {
    let bin = common::gazette_path().parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg(line)
        .current_dir(site.root())
        .env("PATH", path)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "`{line}` failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The canonical link of the fixture's newest article, as built into `public/`.
fn canonical(site: &Site) -> String {
    attrs(
        &site.html("2026/03/13/story-3/index.html"),
        "link[rel=canonical]",
        "href",
    )
    .remove(0)
}

/// Every file under `dir`, keyed by its path inside it.
fn relative_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    tree(dir)
        .into_iter()
        .map(|(path, bytes)| (path.strip_prefix(dir).unwrap().to_path_buf(), bytes))
        .collect()
}

/// Asserts two folders hold the same files with the same bytes, naming the files that differ.
fn assert_same_files(a: &Path, b: &Path) {
    let (a, b) = (relative_tree(a), relative_tree(b));
    let differ: BTreeSet<&PathBuf> = a
        .keys()
        .chain(b.keys())
        .filter(|path| a.get(*path) != b.get(*path))
        .collect();
    assert!(differ.is_empty(), "these files differ: {differ:?}");
    assert!(!a.is_empty());
}

#[test]
fn same_input_gives_byte_identical_output_with_any_thread_count() {
    let out = tempfile::tempdir().unwrap();
    let build = |name: &str, threads: &str| {
        let dir = out.path().join(name);
        assert!(!dir.exists());
        let status = common::gazette()
            .args(["build", "--root"])
            .arg(repo())
            .arg("--output")
            .arg(&dir)
            .env("RAYON_NUM_THREADS", threads)
            .status()
            .unwrap();
        assert!(status.success());
        dir
    };
    let first = build("one", "1");
    assert!(
        relative_tree(&first).len() > 20,
        "the example site has pages"
    );
    assert_same_files(&first, &build("two", "2"));
    assert_same_files(&first, &build("again", "2"));
}

#[test]
fn github_pages_workflow_builds_into_the_folder_it_uploads() {
    let text = std::fs::read_to_string(repo().join("deploy/github-pages.yml")).unwrap();
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let steps = workflow["jobs"]["build"]["steps"].as_sequence().unwrap();
    let build = steps
        .iter()
        .find(|s| s["name"].as_str() == Some("Build"))
        .and_then(|s| s["run"].as_str())
        .unwrap();
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact"))
        })
        .and_then(|s| s["with"]["path"].as_str())
        .unwrap();

    let site = fixture();
    // What actions/configure-pages gives a project repository: no trailing slash.
    let line = build.replace(
        "${{ steps.pages.outputs.base_url }}",
        "https://user.github.io/news",
    );
    shell(&site, &line, &[]);
    assert!(site.path(upload).join("index.html").is_file());
    assert_eq!(
        canonical(&site),
        "https://user.github.io/news/2026/03/13/story-3/"
    );
}

#[test]
fn netlify_recipe_builds_into_the_folder_it_publishes() {
    let text = std::fs::read_to_string(repo().join("deploy/netlify.toml")).unwrap();
    let config: toml::Table = text.parse().unwrap();
    let publish = config["build"]["publish"].as_str().unwrap();
    let commands = [
        (
            config["build"]["command"].as_str().unwrap(),
            "https://news.example.org/",
        ),
        (
            config["context"]["deploy-preview"]["command"]
                .as_str()
                .unwrap(),
            "https://deploy-preview-7--news.netlify.app/",
        ),
        (
            config["context"]["branch-deploy"]["command"]
                .as_str()
                .unwrap(),
            "https://deploy-preview-7--news.netlify.app/",
        ),
    ];
    for (command, expected) in commands {
        // Netlify installs gazette first; here it is already on the PATH.
        let (install, build) = command.split_once(" && ").unwrap();
        assert!(
            install.starts_with("cargo install --locked --git"),
            "{install}"
        );
        let site = fixture();
        let env = [
            ("URL", "https://news.example.org"),
            (
                "DEPLOY_PRIME_URL",
                "https://deploy-preview-7--news.netlify.app",
            ),
        ];
        shell(&site, build, &env);
        assert!(site.path(publish).join("404.html").is_file());
        assert_eq!(canonical(&site), format!("{expected}2026/03/13/story-3/"));
    }
}

/// The shell lines of the code block under the heading `## <heading>` of the book's Deploying
/// chapter.
fn book_recipe(heading: &str) -> Vec<String> {
    let chapter = std::fs::read_to_string(repo().join("docs/src/deploying.md")).unwrap();
    let section = chapter.split(&format!("\n## {heading}\n")).nth(1).unwrap();
    let block = section.split("```sh\n").nth(1).unwrap();
    let block = block.split("```").next().unwrap();
    block.lines().map(str::to_string).collect()
}

#[test]
fn rsync_recipe_uploads_only_what_changed_and_deletes_what_is_gone() {
    let Some(_) = common::program(
        "rsync_recipe_uploads_only_what_changed_and_deletes_what_is_gone",
        &["rsync"],
        "apt-get install rsync",
    ) else {
        return;
    };
    let lines = book_recipe("rsync to a web server");
    let [build, rsync] = &lines[..] else {
        panic!("the recipe is a build and an rsync: {lines:?}")
    };
    let server = tempfile::tempdir().unwrap();
    let target = format!("{}/", server.path().display());
    let rsync = rsync.replace("user@host:/var/www/news/", &target);
    assert_ne!(&rsync, &lines[1], "the recipe names its target");
    let site = fixture();

    shell(&site, build, &[]);
    shell(&site, &rsync, &[]);
    assert_same_files(server.path(), &site.path("public"));

    // An unchanged rebuild sends nothing.
    shell(&site, build, &[]);
    let again = shell(&site, &format!("{rsync} --itemize-changes"), &[]);
    let sent: Vec<String> = String::from_utf8_lossy(&again.stdout)
        .lines()
        .filter(|l| l.starts_with('>') || l.starts_with('*'))
        .map(str::to_string)
        .collect();
    assert_eq!(sent, Vec::<String>::new());

    // A removed article's page leaves the server too.
    std::fs::remove_file(site.path("content/world/2026-03-13-story-3.md")).unwrap();
    shell(&site, build, &[]);
    shell(&site, &rsync, &[]);
    assert!(!server.path().join("2026/03/13/story-3").exists());
    assert_same_files(server.path(), &site.path("public"));
}

#[test]
fn s3_and_cloudflare_recipes_build_into_the_folder_they_upload() {
    for (heading, upload) in [
        ("An S3 bucket", "aws s3 sync public/ "),
        ("Cloudflare Pages", "npx wrangler pages deploy public "),
    ] {
        let lines = book_recipe(heading);
        let [build, sync] = &lines[..] else {
            panic!("{heading}: a build and an upload: {lines:?}")
        };
        assert!(sync.starts_with(upload), "{heading}: {sync}");
        let site = fixture();
        shell(&site, build, &[]);
        assert!(site.path("public/index.html").is_file(), "{heading}");
        assert!(canonical(&site).starts_with("https://"), "{heading}");
    }
}
