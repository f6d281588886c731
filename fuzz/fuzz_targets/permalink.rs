//! Slugs from any text, permalink patterns and base URLs from any configuration, and the
//! URLs and output files they make from any date, slug and section.
#![no_main]

use gazette::date::PublishDate;
use gazette::url::BaseUrl;
use gazette::url::{Pattern, PermalinkFields, Slug};
use gazette_fuzz::assert_inside_output;
use jiff::tz::TimeZone;
use libfuzzer_sys::fuzz_target;

#[derive(arbitrary::Arbitrary, Debug)]
struct Input<'a> {
    pattern: &'a str,
    base_url: &'a str,
    slug: &'a str,
    section: &'a str,
    /// A file name, which may start with a date.
    stem: &'a str,
    date: &'a str,
    page: u16,
}

fn assert_safe(slug: &Slug) {
    let s = slug.as_str();
    assert!(!s.is_empty() && s != "." && s != "..", "slug `{s}`");
    assert!(
        s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
        "slug `{s}`"
    );
}

fuzz_target!(|input: Input| {
    let tz = TimeZone::UTC;
    let from_text = Slug::from_text(input.slug);
    let slugs = [
        from_text.clone(),
        Slug::from_user(input.slug).ok(),
        Slug::from_user(input.section).ok(),
    ];
    slugs.iter().flatten().for_each(assert_safe);
    let (Some(slug), Ok(section)) = (from_text, Slug::from_user(input.section)) else {
        return;
    };
    let date = PublishDate::parse(input.date, &tz)
        .ok()
        .or_else(|| PublishDate::from_file_stem(input.stem, &tz).and_then(|(d, _)| d.ok()));
    let Some(date) = date else { return };
    let pattern = Pattern::parse(input.pattern).unwrap_or_default();
    let base = BaseUrl::parse(input.base_url).unwrap_or_default();
    let path = pattern
        .expand(&PermalinkFields {
            year: date.year(),
            month: date.month(),
            day: date.day(),
            slug: &slug,
            section: &section,
        })
        .page(input.page.into());
    assert_inside_output(&path);
    let url = path.url(&base);
    let below = url
        .strip_prefix(&base.path)
        .expect("the URL is below the base path");
    assert!(
        below.split('/').all(|s| s != ".." && s != "."),
        "{url} has a dot segment"
    );
    assert!(!url.contains("//"), "{url} has an empty segment");
    assert!(
        !url.contains(|c: char| c.is_control() || c.is_whitespace()),
        "{url:?} has a character a URL cannot hold"
    );
});
