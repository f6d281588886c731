//! An article's schema.org `NewsArticle` as JSON-LD: typed values serialized by serde_json and
//! made safe to place inside `<script>`, never JSON assembled as text in a template.

use serde::Serialize;

use super::alternates::AlternatesView;
use super::disclosure::Disclosure;
use super::pictures::{self, Pictures};
use crate::content::front_matter::SourceMeta;
use crate::site::{Byline, Site};
use crate::url::{CORRECTIONS, UrlPath};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    main_entity_of_page: Option<String>,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    image: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keywords: Vec<&'a str>,
    article_section: &'a str,
    in_language: &'a str,
    word_count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Agent<'a>>,
    /// The person who reviewed the article before publication.
    #[serde(skip_serializing_if = "Option::is_none")]
    editor: Option<Agent<'a>>,
    publisher: Agent<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    is_based_on: Vec<Report<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    correction: Vec<CorrectionComment<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    digital_source_type: Option<&'static str>,
    /// The AI policy page: how the article was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    publishing_principles: Option<String>,
    /// The version in another language this one was translated from.
    #[serde(skip_serializing_if = "Option::is_none")]
    translation_of_work: Option<Work>,
    /// Its versions in the other languages.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    work_translation: Vec<Work>,
}

/// Another language's version of an article.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Work {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: String,
    in_language: String,
}

/// An author, editor or publisher: a bot (an organisation whose additional type says it is
/// software, never a person), an editor (a person), an author named without a profile, or the
/// site's publisher.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Agent<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    additional_type: Option<&'static str>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    logo: Option<ImageObject>,
    /// The publisher's policies; none for anyone else.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    policies: Option<Policies>,
}

impl<'a> Agent<'a> {
    fn new(kind: &'static str, name: &'a str) -> Self {
        Self {
            kind,
            additional_type: None,
            name,
            url: None,
            description: None,
            job_title: None,
            logo: None,
            policies: None,
        }
    }
}

/// The pages where the publisher says how it works (schema.org's trust properties).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Policies {
    #[serde(skip_serializing_if = "Option::is_none")]
    publishing_principles: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    corrections_policy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ethics_policy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    masthead: Option<String>,
}

#[derive(Serialize)]
struct ImageObject {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: String,
}

/// A report the digest was distilled from.
#[derive(Serialize)]
struct Report<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Agent<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CorrectionComment<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    date_published: String,
    text: &'a str,
}

/// The JSON-LD of article `i`, ready to be inserted unescaped into
/// `<script type="application/ld+json">`.
pub fn news_article(
    site: &Site,
    i: usize,
    sources: &[SourceMeta],
    pictures: &Pictures,
    alternates: Option<&AlternatesView>,
) -> Option<String> {
    let a = &site.articles[i];
    let (translation_of_work, work_translation) = translations(site, i, alternates);
    let config = &site.settings;
    let base = &site.settings.base;
    let t = &site.taxonomy;
    let url = base.canonical_url(&a.path.url(base));
    let article = NewsArticle {
        context: "https://schema.org",
        kind: "NewsArticle",
        headline: &a.title,
        description: &a.summary,
        main_entity_of_page: url.clone(),
        url,
        date_published: a.date.iso(),
        date_modified: a.modified().iso(),
        image: (pictures::cards(a.image.as_ref(), pictures))
            .filter_map(|link| base.absolute_link(&link))
            .collect(),
        keywords: site.tags_of(i).map(|(_, name)| name).collect(),
        article_section: &t.sections[t.article_section[i]].title,
        in_language: &config.language,
        word_count: a.word_count,
        author: author(site, i),
        editor: site.reviewer_of(i).map(|e| Agent {
            url: base.canonical_url(&e.path.url(base)),
            job_title: e.role.as_deref(),
            ..Agent::new("Person", &e.name)
        }),
        publisher: publisher(site),
        is_based_on: sources
            .iter()
            .map(|s| Report {
                kind: "CreativeWork",
                name: &s.title,
                url: &s.url,
                publisher: s
                    .publisher
                    .as_deref()
                    .map(|p| Agent::new("Organization", p)),
            })
            .collect(),
        correction: a
            .corrections
            .iter()
            .map(|c| CorrectionComment {
                kind: "CorrectionComment",
                date_published: c.date.iso(),
                text: &c.text,
            })
            .collect(),
        digital_source_type: Disclosure::of_article(site, i)
            .and_then(Disclosure::digital_source_type),
        publishing_principles: policy_url(site),
        translation_of_work,
        work_translation,
    };
    // Strings, lists and structs only: serializing cannot fail, and if it ever did the page
    // would go without JSON-LD rather than carry a broken one.
    serde_json::to_string(&article)
        .ok()
        .map(|json| script_safe(&json))
}

/// The version article `i` was translated from, and its other versions: the original is the
/// version in its `translated_from` language, else, for an article not in the default
/// language, the default language's version.
fn translations(
    site: &Site,
    i: usize,
    alternates: Option<&AlternatesView>,
) -> (Option<Work>, Vec<Work>) {
    let Some(alternates) = alternates else {
        return (None, Vec::new());
    };
    let a = &site.articles[i];
    let default = alternates.languages.first().map(|l| l.lang.as_str());
    let original = a
        .translated_from
        .as_deref()
        .or(default.filter(|_| a.lang.is_some()));
    let (mut from, mut others) = (None, Vec::new());
    for other in alternates.languages.iter().filter(|l| !l.current) {
        let Some(url) = other.href.clone() else {
            continue;
        };
        let work = Work {
            kind: "NewsArticle",
            url,
            in_language: other.lang.clone(),
        };
        match Some(other.lang.as_str()) == original {
            true => from = Some(work),
            false => others.push(work),
        }
    }
    (from, others)
}

/// The schema.org type that says an agent is software.
const SOFTWARE: &str = "https://schema.org/SoftwareApplication";

/// The bot with its page and bio. An author with no profile is known by name only: software
/// too on a site that discloses AI (bots are never presented as people), else a person.
fn author(site: &Site, i: usize) -> Option<Agent<'_>> {
    let base = &site.settings.base;
    match site.author_of(i) {
        Byline::Bot(bot) => Some(Agent {
            additional_type: Some(SOFTWARE),
            url: base.canonical_url(&bot.path.url(base)),
            description: bot.bio.as_deref(),
            ..Agent::new("Organization", &bot.name)
        }),
        Byline::Name(name) if site.settings.ai_disclosure => Some(Agent {
            additional_type: Some(SOFTWARE),
            ..Agent::new("Organization", name)
        }),
        Byline::Name(name) => Some(Agent::new("Person", name)),
        Byline::Unsigned => None,
    }
}

/// The absolute URL of the AI policy page, when the site has one and a host.
fn policy_url(site: &Site) -> Option<String> {
    let base = &site.settings.base;
    site.ai_policy_url()
        .and_then(|url| base.canonical_url(&url))
}

/// `publisher` of gazette.yaml, by default the site under its title at its home page, with
/// the pages that say how it works: the AI policy, the corrections, and those configured.
fn publisher(site: &Site) -> Agent<'_> {
    let config = &site.settings;
    let base = &site.settings.base;
    let p = &config.publisher;
    let principles = policy_url(site);
    let configured = |link: &Option<String>| link.as_deref().and_then(|l| base.absolute_link(l));
    let policies = Policies {
        ethics_policy: configured(&p.ethics_policy).or_else(|| principles.clone()),
        publishing_principles: principles,
        corrections_policy: base.canonical_url(&UrlPath::folder(CORRECTIONS).url(base)),
        masthead: configured(&p.masthead),
    };
    Agent {
        policies: Some(policies),
        url: p.url.clone().or_else(|| base.canonical_url(&base.path)),
        logo: p
            .logo
            .as_deref()
            .and_then(|l| base.absolute_link(l))
            .map(|url| ImageObject {
                kind: "ImageObject",
                url,
            }),
        ..Agent::new("Organization", p.name.as_deref().unwrap_or(&config.title))
    }
}

/// JSON with `<`, `>` and `&` written as `\u003c` and so on, so that no `</script>` or `<!--`
/// can appear in it. Those characters only ever occur inside JSON strings, where the escapes
/// mean the same.
fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_means_the_same_and_cannot_close_the_script() {
        let value = serde_json::json!({ "t": "</script><!-- & \"q\"" });
        let safe = script_safe(&serde_json::to_string(&value).unwrap());
        assert!(!safe.contains(['<', '>', '&']), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }
}
