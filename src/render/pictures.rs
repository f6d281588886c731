//! The site's pictures: each image an article shows that is a file of `static/`, made through
//! the cache (in parallel) before the pages that show it, and each picture's files put into
//! the output beside the original, under names that hold a hash of the image, so that a
//! changed image gets new addresses and browsers and CDNs may keep the old ones for ever.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use lol_html::html_content::ContentType;
use lol_html::{RewriteStrSettings, element, rewrite_str};
use rayon::prelude::*;

use super::Sink;
use crate::content::front_matter::ImageMeta;
use crate::error::{self, Diagnostic, Diagnostics, Position, Warned};
use crate::folders::STATIC_DIR;
use crate::site::Site;
use crate::url::BaseUrl;
use crate::url::link::is_web_url;
use gazette_images::cache::Cache;
use gazette_images::{self as images, Format, Kind, Picture, Variant};

/// The pictures made for one render, and the cache their files are in.
pub struct Pictures<'c> {
    /// By the image's link as articles write it (`/images/port.jpg`).
    made: BTreeMap<String, Made>,
    /// The size of each SVG that says it, by the image's link.
    svgs: BTreeMap<String, Size>,
    cache: &'c Cache,
}

/// A width and a height, in pixels.
pub type Size = (u32, u32);

impl Pictures<'_> {
    /// These pictures and those of `other` (another language's articles), each image once.
    pub fn merge(mut self, other: Self) -> Self {
        for (src, made) in other.made {
            self.made.entry(src).or_insert(made);
        }
        for (src, size) in other.svgs {
            self.svgs.entry(src).or_insert(size);
        }
        self
    }

    /// The picture of the image `src` (as an article writes it), if gazette made one.
    pub fn get(&self, src: &str) -> Option<&Made> {
        self.made.get(src)
    }

    /// The size the SVG `src` shows at, when it says.
    pub fn svg_size(&self, src: &str) -> Option<Size> {
        self.svgs.get(src).copied()
    }

    /// What a page that shows the image `src` must be rendered again for when it changes: its
    /// picture's key, or its size.
    pub fn version(&self, src: &str) -> impl std::hash::Hash + '_ {
        (self.get(src).map(|made| &made.key), self.svg_size(src))
    }
}

/// What gazette knows of an image an article shows.
enum Shown {
    /// A picture made of it.
    Made(Made),
    /// An SVG, shown as it is, at its size.
    Svg(Size),
}

/// One image made into a picture.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Made {
    /// A hash of the image and of the settings: in the name of each of its files.
    pub key: String,
    pub picture: Picture,
    /// Its files' path below the output, but for the variant's own name (`images/port.3fa2c1d9.`).
    stem: String,
}

impl Made {
    /// Where `variant`'s file goes below the output.
    pub fn path(&self, variant: &Variant) -> String {
        format!("{}{}", self.stem, variant.file_name())
    }

    /// The widest resized whole image in the fallback format: what `src`, `width` and
    /// `height` name, for browsers that read no `srcset`.
    pub fn widest(&self) -> Option<&Variant> {
        self.picture.sizes(self.picture.fallback()).last()
    }

    /// The `srcset` of the resized whole images in `format`: each path (made into a link by
    /// `link`) and its width.
    pub fn srcset(&self, format: Format, link: impl Fn(&str) -> String) -> String {
        let entries = self.picture.sizes(format);
        let entries = entries.map(|v| format!("{} {}w", link(&self.path(v)), v.width));
        entries.collect::<Vec<_>>().join(", ")
    }
}

/// The links of the cards an article's `image` gives link previews and search engines: its
/// picture's crops (16:9 first, the one Open Graph shows), or the image as written.
pub fn cards<'a>(
    image: Option<&'a ImageMeta>,
    pictures: &'a Pictures<'_>,
) -> impl Iterator<Item = String> + 'a {
    let made = image.and_then(|i| pictures.get(&i.src));
    let crops = made
        .into_iter()
        .flat_map(|m| m.picture.cards().map(|v| m.path(v)));
    let written = image.filter(|_| made.is_none()).map(|i| i.src.clone());
    crops.chain(written)
}

/// How wide a picture in an article's body shows (the theme's text column, 40rem): `sizes`.
const BODY_SIZES: &str = "(min-width: 42rem) 40rem, 100vw";

/// `html`, an article's body, with each image of `images` (as the Markdown wrote them) that
/// gazette made a picture of shown as `partials/picture.html` shows one: a WebP `<source>`, the
/// fallback's `srcset`, `sizes`, `width` and `height`, loaded lazily; an SVG that says its size
/// gets `width` and `height`. Bodies without either are left as they are.
pub fn in_body<'h>(
    html: &'h str,
    images: &[(String, Option<Position>)],
    pictures: &Pictures,
    base: &BaseUrl,
) -> Cow<'h, str> {
    // The body's HTML has the links below the base path, as pages link them.
    let made: HashMap<String, &Made> = (images.iter())
        .filter_map(|(src, _)| Some((base.link(src), pictures.get(src)?)))
        .collect();
    let svgs: HashMap<String, Size> = (images.iter())
        .filter_map(|(src, _)| Some((base.link(src), pictures.svg_size(src)?)))
        .collect();
    if made.is_empty() && svgs.is_empty() {
        return Cow::Borrowed(html);
    }
    let link = |path: &str| base.link(path);
    let settings =
        RewriteStrSettings::new().append_element_content_handler(element!("img[src]", |el| {
            let Some(src) = el.get_attribute("src") else {
                return Ok(());
            };
            if let Some((width, height)) = svgs.get(&src) {
                el.set_attribute("width", &width.to_string())?;
                el.set_attribute("height", &height.to_string())?;
                el.set_attribute("decoding", "async")?;
                return Ok(());
            }
            let Some(made) = made.get(&src).copied() else {
                return Ok(());
            };
            if let Some(widest) = made.widest() {
                el.set_attribute("src", &link(&made.path(widest)))?;
                el.set_attribute("width", &widest.width.to_string())?;
                el.set_attribute("height", &widest.height.to_string())?;
            }
            el.set_attribute("srcset", &made.srcset(made.picture.fallback(), link))?;
            el.set_attribute("sizes", BODY_SIZES)?;
            el.set_attribute("loading", "lazy")?;
            el.set_attribute("decoding", "async")?;
            let mut source = String::from(
                "<picture class=\"picture-sources\"><source type=\"image/webp\" srcset=\"",
            );
            super::templates::escape_into(&mut source, &made.srcset(Format::Webp, link));
            source.push_str("\" sizes=\"");
            source.push_str(BODY_SIZES);
            source.push_str("\">");
            el.before(&source, ContentType::Html);
            el.after("</picture>", ContentType::Html);
            Ok(())
        }));
    // A body is HTML gazette wrote itself: rewriting it cannot fail but for want of memory, and
    // then the body shows its images as written.
    rewrite_str(html, settings).map_or(Cow::Borrowed(html), Cow::Owned)
}

/// Makes the pictures of every image the site's articles show that is a JPEG, PNG or WebP file
/// of `static/`, in parallel; SVGs and web addresses are left as they are. A broken image is an
/// error naming the article (and the line of its `image:`); a missing one, or one whose name
/// says another format than its bytes, a warning.
pub fn make<'c>(
    site: &Site,
    root: &Path,
    cache: &'c Cache,
) -> Result<Warned<Pictures<'c>>, Diagnostics> {
    // Each image, where it is first shown, and whether it is an article's lead picture.
    let mut shown: BTreeMap<&str, (&Path, Option<Position>, bool)> = BTreeMap::new();
    for article in &site.articles {
        let file = article.file.as_path();
        let lead =
            (article.image.iter()).map(|image| (image.src.as_str(), article.image_position, true));
        let body = (article.body_images.iter()).map(|(src, at)| (src.as_str(), *at, false));
        for (src, at, is_lead) in lead.chain(body) {
            let entry = shown.entry(src).or_insert((file, at, is_lead));
            entry.2 |= is_lead;
        }
    }
    let results: Vec<_> = (shown.into_par_iter())
        .filter(|(src, _)| !is_web_url(src) && !src.starts_with("//"))
        .map(|(src, (file, position, lead))| {
            let (picture, found) = made(src, root, &site.settings.images, cache, lead);
            let problems = found.into_iter().map(|f| f.diagnostic(src, file, position));
            (src, (picture, problems.collect::<Vec<_>>()))
        })
        .collect();
    let (mut made, mut svgs) = (BTreeMap::new(), BTreeMap::new());
    let mut found = Vec::new();
    for (src, (shown, problems)) in results {
        found.extend(problems);
        match shown {
            Some(Shown::Made(picture)) => {
                made.insert(src.to_string(), picture);
            }
            Some(Shown::Svg(size)) => {
                svgs.insert(src.to_string(), size);
            }
            None => {}
        }
    }
    if found.iter().any(Diagnostic::is_error) {
        return Err(Diagnostics::from(found));
    }
    let pictures = Pictures { made, svgs, cache };
    Ok(Warned::new(pictures, found))
}

/// Something wrong with an image.
struct Found {
    error: bool,
    what: String,
    hint: String,
    /// What warnings like it are, to report them together.
    kind: Option<&'static str>,
}

impl Found {
    fn error(what: String, hint: &str) -> Self {
        Self {
            error: true,
            what,
            hint: hint.to_string(),
            kind: None,
        }
    }

    fn warning(what: String, hint: &str, kind: &'static str) -> Self {
        Self {
            error: false,
            kind: Some(kind),
            ..Self::error(what, hint)
        }
    }

    /// Where the image `src` is shown: `file`, at `position`.
    fn diagnostic(self, src: &str, file: &Path, position: Option<Position>) -> Diagnostic {
        let message = format!("image {src}: {}", self.what);
        let diagnostic = match self.error {
            true => Diagnostic::error(file, message, self.hint),
            false => Diagnostic::warning(file, message, self.hint),
        };
        let diagnostic = diagnostic.at(position);
        match self.kind {
            Some(kind) => diagnostic.kind(error::Kind::new(kind)),
            None => diagnostic,
        }
    }
}

/// The picture of the image `src` (or its size, for an SVG), with what is wrong with it; `lead`
/// says whether it is an article's lead picture, which link previews show.
fn made(
    src: &str,
    root: &Path,
    settings: &images::Settings,
    cache: &Cache,
    lead: bool,
) -> (Option<Shown>, Vec<Found>) {
    let relative = src.trim_start_matches('/');
    let source = root.join(STATIC_DIR).join(relative);
    if !inside(&root.join(STATIC_DIR), &source) {
        let what = format!("is not a file of {STATIC_DIR}/, so no picture is made of it");
        let hint =
            "put the image in static/ and name it by its path there, such as /images/port.jpg";
        return (
            None,
            vec![Found::warning(what, hint, "images outside static/")],
        );
    }
    let mut found = Vec::new();
    let lying = |format: images::ImageFormat| {
        let named = images::named_format(&source).is_some_and(|named| named != format);
        named.then(|| {
            let ext = format
                .extensions_str()
                .first()
                .unwrap_or(&"")
                .to_uppercase();
            let what = format!("is a {ext} image, though its name says otherwise");
            let hint = "rename it to the extension of its format";
            Found::warning(what, hint, "images whose names say another format")
        })
    };
    let (key, picture) = match cache.stamped(&source, settings) {
        Some((format, key, picture)) => {
            found.extend(lying(format));
            (key, picture)
        }
        None => {
            // Taken before the bytes are read, so that a stamp never stands for newer bytes.
            let (read, meta) = (std::time::SystemTime::now(), std::fs::metadata(&source));
            let bytes = match std::fs::read(&source) {
                Ok(bytes) => bytes,
                // A body's image that leads nowhere is a broken link, which `gazette check`
                // reports with the body's other links.
                Err(_) if !lead => return (None, Vec::new()),
                Err(e) => {
                    let what = format!("cannot be read from {STATIC_DIR}/{relative} ({e})");
                    let hint = "put the image in static/, or correct the path; the page links \
                                it as written";
                    return (
                        None,
                        vec![Found::warning(what, hint, "images that cannot be read")],
                    );
                }
            };
            let format = match images::kind(&bytes) {
                Ok(Kind::Svg) => return (images::svg_size(&bytes).map(Shown::Svg), found),
                Ok(Kind::Raster(format)) => format,
                Err(p) => return (None, vec![Found::error(p.message, &p.hint)]),
            };
            found.extend(lying(format));
            let (key, picture) = match cache.picture(&bytes, settings) {
                Ok(made) => made,
                Err(p) => {
                    found.push(Found::error(p.message, &p.hint));
                    return (None, found);
                }
            };
            if let Ok(meta) = meta {
                cache.stamp(&source, &meta, read, settings, &key, format);
            }
            (key, picture)
        }
    };
    if lead && picture.width < images::CARD_WIDTH {
        let what = format!(
            "is {} pixels wide: link previews and search results want pictures at least {} \
             pixels wide",
            picture.width,
            images::CARD_WIDTH
        );
        let hint = "use a larger image, if there is one";
        found.push(Found::warning(
            what,
            hint,
            "lead pictures narrower than link previews want",
        ));
    }
    let name = Path::new(relative);
    let stem = name.file_stem().unwrap_or_default().to_string_lossy();
    let folder = name
        .parent()
        .map(|p| p.to_string_lossy())
        .unwrap_or_default();
    let folder = if folder.is_empty() {
        String::new()
    } else {
        format!("{folder}/")
    };
    let stem = format!("{folder}{stem}.{}.", &key[..8]);
    (Some(Shown::Made(Made { key, picture, stem })), found)
}

/// Whether `file` is in `folder` once `..` and links are resolved: an image named
/// `/../../secret.jpg`, or a link in static/ to a file elsewhere, is never read, nor are its
/// pictures written outside the output. A file that does not exist is taken as inside (it
/// cannot be read anyway).
fn inside(folder: &Path, file: &Path) -> bool {
    let plain = (file.strip_prefix(folder).ok()).is_some_and(|rest| {
        rest.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
    });
    match (folder.canonicalize(), file.canonicalize()) {
        (Ok(folder), Ok(file)) => plain && file.starts_with(folder),
        _ => plain,
    }
}

/// Puts every picture's files into `sink`: kept when the last render put them (their names
/// hold the image's hash, so a kept name is the same file), else read from the cache. Returns
/// their paths, for the next render.
pub fn put(
    pictures: &Pictures,
    last: &HashSet<PathBuf>,
    sink: &impl Sink,
) -> Result<HashSet<PathBuf>, Diagnostics> {
    let files: Vec<(&Made, &Variant)> = (pictures.made.values())
        .flat_map(|made| made.picture.variants.iter().map(move |v| (made, v)))
        .collect();
    let done: Vec<Result<PathBuf, Diagnostic>> = (files.into_par_iter())
        .map(|(made, variant)| {
            let path = PathBuf::from(made.path(variant));
            if last.contains(&path) {
                return sink.keep(&path).map(|()| path);
            }
            sink.put_named(&path, &pictures.cache.file(&made.key, variant))?;
            Ok(path)
        })
        .collect();
    Ok(Diagnostics::gather(done)?.into_iter().collect())
}
