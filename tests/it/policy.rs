//! The AI policy page `/ai-policy/`: made from `ai_policy` in gazette.yaml, replaced by a
//! site's own `content/pages/ai-policy.md`, linked from every footer and every AI label, and
//! named in the JSON-LD with the publisher's other policies.

use crate::common;

use common::{Site, attrs, texts};
use scraper::Html;
use serde_json::Value;

const BASE: &str = "https://example.org/news/";

fn json_ld(html: &Html) -> Value {
    let found = texts(html, "head script[type='application/ld+json']");
    assert_eq!(found.len(), 1, "one JSON-LD block: {found:?}");
    serde_json::from_str(&found[0]).unwrap()
}

/// A site of one article by wirebot, with `config` as its gazette.yaml.
fn site_with(config: &str) -> Site {
    let site = Site::new();
    site.write("gazette.yaml", config);
    site.article(
        "world",
        "port",
        "title: Port strike ends\ndate: 2026-03-14\nauthor: wirebot",
        "Dockers vote.",
    );
    site
}

const POLICY: &str = "title: The Digest\n\
    ai_policy:\n\
    \x20 sources: \"Wire reports & official statements only.\"\n\
    \x20 review: \"Anna reads every digest before noon.\"\n\
    \x20 errors: \"Write to us; we correct within a day.\"\n\
    \x20 contact: desk@digest.example\n\
    \x20 models: [other-model-1]\n";

#[test]
fn ai_policy_page_says_what_the_config_says_with_the_bots_and_their_models() {
    let site = site_with(POLICY);
    site.write(
        "content/bots/ledgerbot.md",
        "---\nname: LedgerBot\nmodel: ledger-model\noperator: Ledger Desk\n---\nAbout.\n",
    );
    site.build_ok(&[]);
    let page = site.html("ai-policy/index.html");
    assert_eq!(texts(&page, "main h1"), ["How we use AI"]);
    let text = texts(&page, "main .content").join(" ");
    for said in [
        "Wire reports & official statements only.",
        "Anna reads every digest before noon.",
        "Write to us; we correct within a day.",
    ] {
        assert!(text.contains(said), "{said:?} missing from {text}");
    }
    // (`texts` joins the text of each element with a space.)
    assert_eq!(
        texts(&page, ".policy-bots li"),
        [
            "LedgerBot : model ledger-model , run by Ledger Desk.",
            "WireBot : model example-model-2 . Summarises wire reports."
        ]
    );
    assert_eq!(
        texts(&page, ".content .model-name")[2..],
        ["ledger-model", "example-model-2", "other-model-1"],
        "the bots' models, then the listed ones, each once"
    );
    assert_eq!(
        attrs(&page, "main a[href^='mailto:']", "href"),
        ["mailto:desk@digest.example"]
    );
    // The site's own words, not AI-written.
    assert!(attrs(&page, "meta[name=ai-disclosure]", "content").is_empty());
}

#[test]
fn ai_policy_bots_names_only_the_bots_listed() {
    let site = site_with("ai_policy:\n  bots: [ledgerbot]\n");
    site.write(
        "content/bots/ledgerbot.md",
        "---\nname: LedgerBot\n---\nAbout.\n",
    );
    site.build_ok(&[]);
    let page = site.html("ai-policy/index.html");
    assert_eq!(texts(&page, ".policy-bots li a"), ["LedgerBot"]);
}

#[test]
fn an_ai_site_without_ai_policy_gets_the_default_text() {
    let site = site_with("title: The Digest\n");
    site.build_ok(&[]);
    let page = site.html("ai-policy/index.html");
    let text = texts(&page, "main .content").join(" ");
    assert!(text.contains("written by AI systems"), "{text}");
    assert!(text.contains("listed under it as its sources"), "{text}");
    assert!(text.contains("without a person reading it first"), "{text}");
    assert!(
        attrs(&page, "main a[href^='mailto:']", "href").is_empty(),
        "no contact, no contact line"
    );
}

#[test]
fn every_footer_and_every_ai_label_link_the_ai_policy() {
    let site = site_with(POLICY);
    site.write("content/pages/about.md", "---\ntitle: About\n---\nUs.\n");
    site.build_ok(&["--base-url", BASE]);
    for page in [
        "index.html",
        "2026/03/14/port/index.html",
        "world/index.html",
        "tags/index.html",
        "bots/wirebot/index.html",
        "about/index.html",
        "404.html",
        "ai-policy/index.html",
    ] {
        let html = site.html(page);
        assert_eq!(
            attrs(&html, "footer.site-footer a.policy-link", "href"),
            ["/news/ai-policy/"],
            "{page}"
        );
    }
    let article = site.html("2026/03/14/port/index.html");
    assert_eq!(
        attrs(&article, ".kicker .ai-label + a.ai-label-policy", "href"),
        ["/news/ai-policy/"]
    );
    assert_eq!(texts(&article, "a.ai-label-policy"), ["How we use AI"]);
    let sitemap = std::fs::read_to_string(site.path("public/sitemap-pages.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.org/news/ai-policy/</loc>"),
        "{sitemap}"
    );
}

#[test]
fn a_page_named_ai_policy_replaces_the_generated_one() {
    let site = site_with(POLICY);
    site.write(
        "content/pages/ai-policy.md",
        "---\ntitle: Our AI rules\n---\nWritten by our lawyers.\n",
    );
    let run = site.build_ok(&[]);
    assert!(run.warnings().is_empty(), "{}", run.stderr);
    let page = site.html("ai-policy/index.html");
    assert_eq!(texts(&page, "main h1"), ["Our AI rules"]);
    assert!(
        texts(&page, "main")
            .join(" ")
            .contains("Written by our lawyers.")
    );
    let home = site.html("index.html");
    assert_eq!(
        attrs(&home, "footer a.policy-link", "href"),
        ["/ai-policy/"]
    );
}

#[test]
fn a_site_without_ai_has_no_policy_page_unless_it_writes_one() {
    let site = site_with("ai_disclosure: false\n");
    site.build_ok(&[]);
    assert!(!site.exists("ai-policy/index.html"));
    assert!(attrs(&site.html("index.html"), "footer a.policy-link", "href").is_empty());
    site.write(
        "gazette.yaml",
        "ai_disclosure: false\nai_policy:\n  contact: https://digest.example/contact/\n",
    );
    site.build_ok(&[]);
    assert!(site.exists("ai-policy/index.html"));
    assert_eq!(
        attrs(&site.html("index.html"), "footer a.policy-link", "href"),
        ["/ai-policy/"]
    );
}

#[test]
fn no_section_can_take_the_ai_policy_url() {
    let site = Site::new();
    site.article("ai-policy", "a", "title: A\ndate: 2026-03-14", "Text.");
    let run = site.build_fails();
    assert!(
        run.stderr
            .contains("/ai-policy/, which gazette keeps for its own pages"),
        "{}",
        run.stderr
    );
}

#[test]
fn json_ld_names_the_publishers_policies_and_each_articles_principles() {
    let site = site_with(
        "title: The Digest\n\
         publisher: { masthead: /about/, ethics_policy: \"https://digest.example/ethics/\" }\n",
    );
    site.build_ok(&["--base-url", BASE]);
    let ld = json_ld(&site.html("2026/03/14/port/index.html"));
    let publisher = &ld["publisher"];
    assert_eq!(
        publisher["publishingPrinciples"],
        "https://example.org/news/ai-policy/"
    );
    assert_eq!(
        publisher["correctionsPolicy"],
        "https://example.org/news/corrections/"
    );
    assert_eq!(publisher["ethicsPolicy"], "https://digest.example/ethics/");
    assert_eq!(publisher["masthead"], "https://example.org/news/about/");
    assert_eq!(
        ld["publishingPrinciples"],
        "https://example.org/news/ai-policy/"
    );
    assert!(ld["author"].get("publishingPrinciples").is_none(), "{ld}");
}

#[test]
fn without_a_host_the_json_ld_names_no_policy_page() {
    let site = site_with("title: The Digest\n");
    site.build_ok(&[]);
    let ld = json_ld(&site.html("2026/03/14/port/index.html"));
    for key in [
        "publishingPrinciples",
        "correctionsPolicy",
        "ethicsPolicy",
        "masthead",
    ] {
        assert!(ld["publisher"].get(key).is_none(), "{key}: {ld}");
        assert!(ld.get(key).is_none(), "{key}: {ld}");
    }
}

#[test]
fn a_contact_that_is_no_address_and_an_unknown_key_are_reported() {
    let site = site_with("ai_policy:\n  contact: call us\n  sorces: typo\n");
    let run = site.build_fails();
    assert!(
        run.errors().iter().any(|e| e.contains("gazette.yaml:2:")
            && e.contains(
                "`ai_policy.contact`: `call us` is neither an email address nor an http(s) URL"
            )),
        "{}",
        run.stderr
    );
    site.write(
        "gazette.yaml",
        "ai_policy:\n  contact: desk@digest.example\n  sorces: typo\n",
    );
    let run = site.build_ok(&[]);
    assert!(
        run.warnings().iter().any(|w| w.contains("sorces")),
        "{}",
        run.stderr
    );
}

#[test]
fn check_warns_when_an_ai_policy_has_no_contact_or_names_an_unknown_bot() {
    let lint = |site: &Site| -> Vec<String> {
        let run = site.run(&["check", "--verbose"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        (run.warnings().into_iter())
            .filter(|w| w.contains("ai_policy"))
            .map(str::to_string)
            .collect()
    };
    let site = site_with("title: The Digest\n");
    assert!(
        lint(&site).is_empty(),
        "no `ai_policy` written: the default page"
    );
    site.write(
        "gazette.yaml",
        "ai_policy:\n  sources: Wire reports only.\n",
    );
    assert_eq!(
        lint(&site),
        [
            "warning: gazette.yaml: `ai_policy` gives no contact for reporting errors (add \
          `ai_policy: { contact: newsroom@example.org }` (an email address or an https:// URL))"
        ]
    );
    site.write(
        "gazette.yaml",
        "ai_policy:\n  contact: desk@digest.example\n  bots: [wirebot, ghostbot]\n",
    );
    let found = lint(&site);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("`ai_policy.bots` names `ghostbot`"),
        "{found:?}"
    );
    // Not when the site wrote its own page.
    site.write(
        "gazette.yaml",
        "ai_policy:\n  sources: Wire reports only.\n",
    );
    site.write(
        "content/pages/ai-policy.md",
        "---\ntitle: Ours\n---\nWrite to us.\n",
    );
    assert!(lint(&site).is_empty());
}
