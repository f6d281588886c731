//! A feed as RSS 2.0, written by the `rss` crate, with the extensions readers expect: an
//! `atom:link` to itself, `dc:creator` for the author (RSS's own `<author>` wants an email
//! address) and `content:encoded` for the whole article.

use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::{Category, Guid, Item};

use super::{Channel, Entry, Format, GENERATOR};
use crate::date::PublishDate;

pub fn write(channel: &Channel) -> Result<Vec<u8>, String> {
    let rss = rss::Channel {
        title: channel.title.clone(),
        link: channel.page_url.clone(),
        // RSS requires a description; the title stands in for a site that has none.
        description: if channel.description.is_empty() {
            channel.title.clone()
        } else {
            channel.description.clone()
        },
        language: Some(channel.language.to_string()),
        last_build_date: channel.updated.map(PublishDate::rfc2822).transpose()?,
        generator: Some(GENERATOR.into()),
        atom_ext: Some(AtomExtension {
            links: vec![Link {
                rel: "self".into(),
                href: channel.url(Format::Rss),
                mime_type: Some("application/rss+xml".into()),
                ..Link::default()
            }],
        }),
        items: channel
            .entries
            .iter()
            .map(|e| item(e))
            .collect::<Result<_, _>>()?,
        ..rss::Channel::default()
    };
    let mut bytes = rss
        .pretty_write_to(Vec::new(), b' ', 2)
        .map_err(|e| e.to_string())?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn item(e: &Entry) -> Result<Item, String> {
    Ok(Item {
        title: Some(e.title.clone()),
        link: Some(e.url.clone()),
        // The description is HTML; the summary is plain text, so escape it.
        description: Some(quick_xml::escape::escape(&e.summary).into_owned()),
        guid: Some(Guid {
            value: e.id.clone(),
            permalink: e.id == e.url,
        }),
        pub_date: Some(e.published.rfc2822()?),
        categories: e
            .categories
            .iter()
            .map(|name| Category {
                name: name.clone(),
                domain: None,
            })
            .collect(),
        content: e.content.clone(),
        dublin_core_ext: Some(DublinCoreExtension {
            creators: vec![e.author.name.to_string()],
            ..DublinCoreExtension::default()
        }),
        ..Item::default()
    })
}
