//! A feed as JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>), serialized by serde_json.

use serde::Serialize;

use super::{Author, Channel, Entry, Format};

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    language: &'a str,
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    /// One of `content_html` and `content_text` is required: the article, or its summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<&'a str>,
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    date_published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    authors: [JsonAuthor<'a>; 1],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tags: &'a [String],
}

#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

pub fn write(channel: &Channel) -> Result<Vec<u8>, String> {
    let feed = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &channel.title,
        home_page_url: &channel.page_url,
        feed_url: channel.url(Format::Json),
        description: &channel.description,
        language: channel.language,
        items: channel.entries.iter().map(|e| item(e)).collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&feed).map_err(|e| e.to_string())?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn item<'a>(e: &'a Entry) -> Item<'a> {
    Item {
        id: &e.id,
        url: &e.url,
        title: &e.title,
        content_html: e.content.as_deref(),
        content_text: e.content.is_none().then_some(e.summary.as_str()),
        summary: &e.summary,
        image: e.image.as_deref(),
        date_published: e.published.iso(),
        date_modified: (e.updated.is_some() || e.modified != e.published).then(|| e.modified.iso()),
        authors: [author(&e.author)],
        tags: &e.categories,
    }
}

fn author<'a>(author: &'a Author) -> JsonAuthor<'a> {
    JsonAuthor {
        name: author.name,
        url: author.url.as_deref(),
    }
}
