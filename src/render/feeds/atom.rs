//! A feed as Atom 1.0 (RFC 4287), written by the `atom_syndication` crate.

use atom_syndication::{
    Category, Content, Entry as AtomEntry, Feed, FixedDateTime, Generator, Link, Person, Text,
    WriteConfig,
};

use super::{Author, Channel, Entry, Format, GENERATOR};
use crate::date::PublishDate;

pub fn write(channel: &Channel) -> Result<Vec<u8>, String> {
    let feed = Feed {
        title: Text::plain(&channel.title),
        id: channel.page_url.clone(),
        // Atom requires an `updated`; a feed with no entries yet has no date of its own, and
        // the epoch (the crate's default) says so without naming any article's date.
        updated: channel.updated.map(time).transpose()?.unwrap_or_default(),
        links: vec![
            link("self", &channel.url(Format::Atom), "application/atom+xml"),
            link("alternate", &channel.page_url, "text/html"),
        ],
        subtitle: (!channel.description.is_empty()).then(|| Text::plain(&channel.description)),
        generator: Some(Generator {
            value: GENERATOR.into(),
            ..Generator::default()
        }),
        lang: Some(channel.language.to_string()),
        entries: channel
            .entries
            .iter()
            .map(|e| entry(e))
            .collect::<Result<_, _>>()?,
        ..Feed::default()
    };
    let mut bytes = feed
        .write_with_config(
            Vec::new(),
            WriteConfig {
                write_document_declaration: true,
                indent_size: Some(2),
            },
        )
        .map_err(|e| e.to_string())?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn entry(e: &Entry) -> Result<AtomEntry, String> {
    Ok(AtomEntry {
        title: Text::plain(&e.title),
        id: e.id.clone(),
        updated: time(&e.modified)?,
        published: Some(time(&e.published)?),
        authors: vec![person(&e.author)],
        categories: e
            .categories
            .iter()
            .map(|name| Category {
                term: name.clone(),
                ..Category::default()
            })
            .collect(),
        links: vec![link("alternate", &e.url, "text/html")],
        summary: Some(Text::plain(&e.summary)),
        content: e.content.as_ref().map(|html| Content {
            value: Some(html.clone()),
            content_type: Some("html".into()),
            ..Content::default()
        }),
        ..AtomEntry::default()
    })
}

fn person(author: &Author) -> Person {
    Person {
        name: author.name.to_string(),
        uri: author.url.clone(),
        ..Person::default()
    }
}

fn link(rel: &str, href: &str, mime_type: &str) -> Link {
    Link {
        rel: rel.into(),
        href: href.into(),
        mime_type: Some(mime_type.into()),
        ..Link::default()
    }
}

/// The crate's date type. Every `PublishDate` is valid RFC 3339, so this does not fail; if it
/// ever did, the feed fails with it rather than dating an article 1970-01-01.
fn time(date: &PublishDate) -> Result<FixedDateTime, String> {
    let iso = date.iso();
    FixedDateTime::parse_from_rfc3339(&iso).map_err(|e| format!("the date `{iso}`: {e}"))
}
