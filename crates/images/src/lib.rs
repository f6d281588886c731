//! Pictures: an image an article shows, made at build time into what a page needs to show it
//! well: resized variants in WebP with a JPEG or PNG fallback (never wider than the original),
//! the cropped cards social networks and search engines ask for, and the size of each, so that
//! pages can give every `<img>` its `srcset`, `width` and `height`.
//!
//! Work is done once per image: `cache` keeps each picture's files by a hash of the image's bytes
//! and of the settings that made them, across builds and between `build` and `serve`.

pub mod cache;

use std::io::Cursor;

use fast_image_resize as fr;
/// The format of an image's bytes, as `Kind` tells it.
pub use image::ImageFormat;
use image::{DynamicImage, ImageReader, Limits};

/// The widths variants are made at, in pixels, when gazette.yaml names none: a phone, a tablet or
/// a phone at 2x, a laptop, and a wide screen at 2x.
pub const WIDTHS: [u32; 4] = [480, 800, 1200, 1600];

/// The width of the cropped cards: what Google asks of an article's image in structured data.
pub const CARD_WIDTH: u32 = 1200;

/// The cropped cards, by their name and aspect (width by height): the three Google lists for an
/// article's images.
pub const CARDS: [(&str, u32, u32); 3] = [("16x9", 16, 9), ("4x3", 4, 3), ("1x1", 1, 1)];

/// The most pixels an image may have, wide or high, and the most memory its decoding may take:
/// beyond them it is refused before it is unpacked, so a few bytes that claim to be a
/// 30,000-pixel square cannot take the machine's memory.
const MAX_SIDE: u32 = 12_000;
const MAX_DECODED_BYTES: u64 = 512 * 1024 * 1024;

/// How pictures are made: their widths and the encoders' quality (gazette.yaml `images:`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    pub widths: Vec<u32>,
    /// 1 to 100, for both the lossy WebP and the JPEG fallback.
    pub quality: u8,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            widths: WIDTHS.to_vec(),
            quality: 80,
        }
    }
}

/// The formats a picture's files are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Format {
    Webp,
    Jpeg,
    Png,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Webp => "webp",
            Format::Jpeg => "jpg",
            Format::Png => "png",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Webp => "image/webp",
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
        }
    }
}

/// One file of a picture.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// The card it is (`16x9`), none for a resized whole image.
    pub card: Option<String>,
}

impl Variant {
    /// Its file name inside the picture's folder of the cache, and the tail of its name in the
    /// output: `800w.webp`, `card-16x9.jpg`.
    pub fn file_name(&self) -> String {
        let ext = self.format.extension();
        match &self.card {
            Some(card) => format!("card-{card}.{ext}"),
            None => format!("{}w.{ext}", self.width),
        }
    }
}

/// An image made into the files a page shows it with.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Picture {
    /// The original's size.
    pub width: u32,
    pub height: u32,
    /// Resized whole images, narrowest first, in the modern format and the fallback; then the
    /// cards.
    pub variants: Vec<Variant>,
}

impl Picture {
    /// The resized whole images in `format`, narrowest first.
    pub fn sizes(&self, format: Format) -> impl Iterator<Item = &Variant> {
        (self.variants.iter()).filter(move |v| v.format == format && v.card.is_none())
    }

    /// The fallback's format: PNG for a PNG or an image that has transparency, JPEG for the
    /// others.
    pub fn fallback(&self) -> Format {
        match self.variants.iter().any(|v| v.format == Format::Png) {
            true => Format::Png,
            false => Format::Jpeg,
        }
    }

    /// The cropped cards.
    pub fn cards(&self) -> impl Iterator<Item = &Variant> {
        self.variants.iter().filter(|v| v.card.is_some())
    }
}

/// Why an image could not be made into a picture, in words for its author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub hint: String,
}

impl Problem {
    fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// What to do with an image, told from its bytes (never from its name, which may lie).
#[derive(Debug, PartialEq, Eq)]
pub enum Kind {
    /// One gazette makes pictures of.
    Raster(ImageFormat),
    /// Vector graphics scale by themselves: published as they are.
    Svg,
}

/// The kind of image `bytes` hold; a problem when they are no image gazette can show.
pub fn kind(bytes: &[u8]) -> Result<Kind, Problem> {
    if looks_like_svg(bytes) {
        return Ok(Kind::Svg);
    }
    match image::guess_format(bytes) {
        Ok(format @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => {
            Ok(Kind::Raster(format))
        }
        Ok(other) => Err(Problem::new(
            format!(
                "is a {} image, which gazette does not make pictures of",
                other.extensions_str().first().unwrap_or(&"").to_uppercase()
            ),
            "convert it to JPEG, PNG or WebP (animations: publish them as video, or link them)",
        )),
        Err(_) => Err(Problem::new(
            "is not an image gazette can read (JPEG, PNG, WebP or SVG)",
            "check that the file is the image you meant, and that it was copied whole",
        )),
    }
}

/// The format a file's extension names, if any: to tell an author whose file's name lies.
pub fn named_format(path: &std::path::Path) -> Option<ImageFormat> {
    ImageFormat::from_path(path).ok()
}

/// The size an SVG shows at by itself, in CSS pixels, for `<img width height>`: its root
/// element's `width` and `height` in pixels (or as plain numbers), the one missing taken from
/// the `viewBox`'s shape, or the `viewBox`'s own size. None when neither says (sizes in other
/// units, a percentage, no `viewBox`), or the file is not an SVG.
pub fn svg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let root = loop {
        match reader.read_event_into(&mut buf).ok()? {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => break e,
            quick_xml::events::Event::Eof => return None,
            _ => buf.clear(),
        }
    };
    if root.local_name().as_ref() != b"svg" {
        return None;
    }
    let attribute = |name: &[u8]| {
        let found = root.try_get_attribute(name).ok()??;
        Some(String::from_utf8_lossy(&found.value).into_owned())
    };
    let pixels = |name: &[u8]| {
        let text = attribute(name)?;
        let number = text.trim().strip_suffix("px").unwrap_or(text.trim());
        number
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite() && *n > 0.0)
    };
    let view_box = attribute(b"viewBox").and_then(|text| {
        let numbers: Vec<f64> = (text.split([' ', ',', '\t', '\n']))
            .filter(|n| !n.is_empty())
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        let [_, _, w, h] = numbers[..] else {
            return None;
        };
        (w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0).then_some((w, h))
    });
    let (width, height) = match (pixels(b"width"), pixels(b"height"), view_box) {
        (Some(w), Some(h), _) => (w, h),
        (Some(w), None, Some((vw, vh))) => (w, w * vh / vw),
        (None, Some(h), Some((vw, vh))) => (h * vw / vh, h),
        (None, None, Some(size)) => size,
        _ => return None,
    };
    let round = |n: f64| (n.round() as u32).max(1);
    Some((round(width), round(height)))
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = String::from_utf8_lossy(head);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    (head.starts_with("<?xml") || head.starts_with("<svg") || head.starts_with("<!--"))
        && head.contains("<svg")
}

/// Makes `bytes` (a raster image) into a picture: its variants in `settings`' widths and the
/// cards, each handed to `put` with its bytes as soon as it is made.
pub fn make(
    bytes: &[u8],
    settings: &Settings,
    mut put: impl FnMut(&Variant, Vec<u8>) -> Result<(), Problem>,
) -> Result<Picture, Problem> {
    let image = decode(bytes)?;
    let (width, height) = (image.width(), image.height());
    let alpha = image.color().has_alpha();
    // Three channels where there is no transparency: a quarter less to resize, and no alpha
    // to multiply in and out.
    let image = match alpha {
        true => DynamicImage::ImageRgba8(image.into_rgba8()),
        false => DynamicImage::ImageRgb8(image.into_rgb8()),
    };
    // A PNG is kept a PNG for browsers without WebP: drawings, charts and screenshots would
    // blur as JPEG; so is any image with transparency, which JPEG cannot hold.
    let png = matches!(image::guess_format(bytes), Ok(ImageFormat::Png));
    let fallback = if alpha || png {
        Format::Png
    } else {
        Format::Jpeg
    };
    let mut variants = Vec::new();
    for w in widths(width, &settings.widths) {
        let h = scaled_height(width, height, w);
        let resized = resize(&image, (0, 0, width, height), w, h)?;
        for format in [Format::Webp, fallback] {
            let variant = Variant {
                width: w,
                height: h,
                format,
                card: None,
            };
            put(&variant, encode(&resized, format, settings.quality)?)?;
            variants.push(variant);
        }
    }
    for (name, aw, ah) in CARDS {
        let crop = crop(width, height, aw, ah);
        let w = CARD_WIDTH.min(crop.2);
        let h = scaled_height(crop.2, crop.3, w);
        let resized = resize(&image, crop, w, h)?;
        let variant = Variant {
            width: w,
            height: h,
            format: Format::Jpeg,
            card: Some(name.to_string()),
        };
        put(&variant, encode(&resized, Format::Jpeg, settings.quality)?)?;
        variants.push(variant);
    }
    Ok(Picture {
        width,
        height,
        variants,
    })
}

/// Decodes `bytes` within the limits, refusing what is broken or too large.
fn decode(bytes: &[u8]) -> Result<DynamicImage, Problem> {
    if matches!(image::guess_format(bytes), Ok(ImageFormat::Jpeg)) && !jpeg_is_whole(bytes) {
        return Err(Problem::new(
            "is cut short: it stops before the end of its image",
            "export the image again, or copy it again whole",
        ));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    let mut reader = (ImageReader::new(Cursor::new(bytes)).with_guessed_format())
        .map_err(|e| Problem::new(format!("cannot be read: {e}"), "check the file"))?;
    reader.limits(limits);
    reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => Problem::new(
            format!("is larger than gazette processes (at most {MAX_SIDE} pixels wide and high)"),
            "scale it down before publishing it",
        ),
        e => Problem::new(
            format!("is broken or cut short ({e})"),
            "export the image again, or copy it again whole",
        ),
    })
}

/// Whether a JPEG reaches its end-of-image marker. The JPEG decoder shows what a file cut short
/// holds and greys out the rest, which would publish a broken picture without a word.
/// Segments are skipped by their lengths up to the image data (so that the end marker of a
/// thumbnail in the metadata does not count); within the data, 0xFF is always followed by 0x00
/// or a restart marker, so the first FF D9 after it is the end.
fn jpeg_is_whole(bytes: &[u8]) -> bool {
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        at += 2 + length;
        if marker == 0xDA {
            return (bytes.get(at..).unwrap_or_default().windows(2)).any(|w| w == [0xFF, 0xD9]);
        }
    }
    false
}

/// The widths to make of an image `original` pixels wide: those asked for that are narrower,
/// and the original's own when it is narrower than the widest asked for (never upscaled).
fn widths(original: u32, asked: &[u32]) -> Vec<u32> {
    let mut widths: Vec<u32> = asked.iter().copied().filter(|&w| w < original).collect();
    if asked.iter().any(|&w| w >= original) {
        widths.push(original);
    }
    widths.sort_unstable();
    widths.dedup();
    widths
}

fn scaled_height(width: u32, height: u32, to: u32) -> u32 {
    let h = (u64::from(height) * u64::from(to) + u64::from(width) / 2) / u64::from(width);
    (h as u32).max(1)
}

/// The largest centred part of a `width` x `height` image in the aspect `aw`:`ah`, as
/// (left, top, width, height).
fn crop(width: u32, height: u32, aw: u32, ah: u32) -> (u32, u32, u32, u32) {
    let (w, h) = if u64::from(width) * u64::from(ah) > u64::from(height) * u64::from(aw) {
        (
            (u64::from(height) * u64::from(aw) / u64::from(ah)) as u32,
            height,
        )
    } else {
        (
            width,
            (u64::from(width) * u64::from(ah) / u64::from(aw)) as u32,
        )
    };
    let (w, h) = (w.max(1), h.max(1));
    ((width - w) / 2, (height - h) / 2, w, h)
}

/// The part `(left, top, width, height)` of `image` resized to `w` x `h`.
fn resize(
    image: &DynamicImage,
    (left, top, width, height): (u32, u32, u32, u32),
    w: u32,
    h: u32,
) -> Result<DynamicImage, Problem> {
    let mut resized = match image {
        DynamicImage::ImageRgba8(_) => DynamicImage::new_rgba8(w, h),
        _ => DynamicImage::new_rgb8(w, h),
    };
    let options = fr::ResizeOptions::new()
        .resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3))
        .crop(
            f64::from(left),
            f64::from(top),
            f64::from(width),
            f64::from(height),
        );
    (fr::Resizer::new().resize(image, &mut resized, &options))
        .map_err(|e| Problem::new(format!("cannot be resized: {e}"), BUG))?;
    Ok(resized)
}

const BUG: &str = "report this as a bug of gazette, with the image";

/// `image` (RGB or RGBA) in `format`.
fn encode(image: &DynamicImage, format: Format, quality: u8) -> Result<Vec<u8>, Problem> {
    let failed = |e: &dyn std::fmt::Display| Problem::new(format!("cannot be encoded: {e}"), BUG);
    let mut out = Vec::new();
    match format {
        Format::Webp => {
            let (w, h) = (image.width(), image.height());
            let encoded = match image.color().has_alpha() {
                true => webp::Encoder::from_rgba(image.as_bytes(), w, h).encode(f32::from(quality)),
                false => webp::Encoder::from_rgb(image.as_bytes(), w, h).encode(f32::from(quality)),
            };
            out.extend_from_slice(&encoded);
        }
        Format::Jpeg => {
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
            // JPEG has no transparency: a transparent image's card keeps its colours alone.
            let rgb = match image {
                DynamicImage::ImageRgba8(_) => &DynamicImage::ImageRgb8(image.to_rgb8()),
                _ => image,
            };
            rgb.write_with_encoder(encoder).map_err(|e| failed(&e))?;
        }
        Format::Png => {
            let encoder = image::codecs::png::PngEncoder::new(&mut out);
            image.write_with_encoder(encoder).map_err(|e| failed(&e))?;
        }
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A `width` x `height` image in `format`, a gradient so that encoders have work to do.
    pub fn sample(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
        });
        let mut out = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(image)
            .write_to(&mut out, format)
            .unwrap();
        out.into_inner()
    }

    fn made(bytes: &[u8]) -> (Picture, Vec<(Variant, Vec<u8>)>) {
        let mut files = Vec::new();
        let picture = make(bytes, &Settings::default(), |v, b| {
            files.push((v.clone(), b));
            Ok(())
        })
        .unwrap();
        (picture, files)
    }

    #[test]
    fn variants_are_never_wider_than_the_original() {
        assert_eq!(widths(2400, &WIDTHS), [480, 800, 1200, 1600]);
        assert_eq!(widths(1000, &WIDTHS), [480, 800, 1000]);
        assert_eq!(widths(300, &WIDTHS), [300]);
        assert_eq!(widths(1600, &WIDTHS), [480, 800, 1200, 1600]);
    }

    #[test]
    fn a_photo_gets_webp_and_jpeg_at_each_width_and_three_cards() {
        let (picture, files) = made(&sample(1000, 500, ImageFormat::Jpeg));
        assert_eq!((picture.width, picture.height), (1000, 500));
        let webp: Vec<_> = picture
            .sizes(Format::Webp)
            .map(|v| (v.width, v.height))
            .collect();
        assert_eq!(webp, [(480, 240), (800, 400), (1000, 500)]);
        assert_eq!(picture.fallback(), Format::Jpeg);
        assert_eq!(picture.sizes(Format::Jpeg).count(), 3);
        let cards: Vec<_> = picture.cards().map(|v| (v.width, v.height)).collect();
        // Cards are never upscaled either: a 500-pixel-high image gives a 500-pixel square.
        assert_eq!(cards, [(888, 500), (666, 500), (500, 500)]);
        for (variant, bytes) in &files {
            let decoded = image::load_from_memory(bytes).unwrap();
            assert_eq!(
                (decoded.width(), decoded.height()),
                (variant.width, variant.height)
            );
            let format = image::guess_format(bytes).unwrap();
            assert_eq!(
                format.extensions_str()[0],
                match variant.format {
                    Format::Webp => "webp",
                    Format::Jpeg => "jpg",
                    Format::Png => "png",
                }
            );
        }
    }

    #[test]
    fn a_transparent_png_falls_back_to_png() {
        let image =
            image::RgbaImage::from_fn(600, 400, |x, _| image::Rgba([0, 0, 0, (x % 256) as u8]));
        let mut png = Cursor::new(Vec::new());
        DynamicImage::ImageRgba8(image)
            .write_to(&mut png, ImageFormat::Png)
            .unwrap();
        let (picture, _) = made(png.get_ref());
        assert_eq!(picture.fallback(), Format::Png);
        assert_eq!(picture.sizes(Format::Png).count(), 2);
    }

    #[test]
    fn broken_and_huge_images_are_problems_not_panics() {
        let jpeg = sample(800, 600, ImageFormat::Jpeg);
        let cut = &jpeg[..jpeg.len() / 3];
        let problem = make(cut, &Settings::default(), |_, _| Ok(())).unwrap_err();
        assert!(problem.message.contains("cut short"), "{problem:?}");
        let png = sample(800, 600, ImageFormat::Png);
        let problem = make(&png[..png.len() / 2], &Settings::default(), |_, _| Ok(()));
        assert!(problem.unwrap_err().message.contains("cut short"));
        let mut garbled = jpeg.clone();
        garbled[200..400].fill(0x17);
        assert!(make(&garbled, &Settings::default(), |_, _| Ok(())).is_err());

        // A 30,000 x 30,000 PNG header over a few bytes: refused before it is unpacked.
        let bomb = png_header(30_000, 30_000);
        let started = std::time::Instant::now();
        let problem = make(&bomb, &Settings::default(), |_, _| Ok(())).unwrap_err();
        assert!(problem.message.contains("larger than"), "{problem:?}");
        assert!(started.elapsed().as_secs() < 2);
    }

    /// A PNG's signature and header chunk saying `width` x `height`, and an empty image data.
    fn png_header(width: u32, height: u32) -> Vec<u8> {
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&width.to_be_bytes());
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(&13u32.to_be_bytes());
        let mut chunk = b"IHDR".to_vec();
        chunk.extend_from_slice(&ihdr);
        png.extend_from_slice(&chunk);
        png.extend_from_slice(&crc32(&chunk).to_be_bytes());
        png
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut c = flate2::Crc::new();
        c.update(bytes);
        c.sum()
    }

    #[test]
    fn kinds_come_from_the_bytes() {
        assert_eq!(
            kind(&sample(10, 10, ImageFormat::Png)),
            Ok(Kind::Raster(ImageFormat::Png))
        );
        assert_eq!(
            kind(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            Ok(Kind::Svg)
        );
        assert_eq!(kind(b"<?xml version=\"1.0\"?>\n<svg/>"), Ok(Kind::Svg));
        assert!(kind(b"GIF89a....").unwrap_err().message.contains("GIF"));
        assert!(kind(b"hello").unwrap_err().message.contains("not an image"));
    }

    #[test]
    fn an_svg_size_comes_from_its_width_height_or_view_box() {
        let size = |attributes: &str| {
            let svg =
                format!("<?xml version=\"1.0\"?>\n<!-- a map -->\n<svg {attributes}><g/></svg>");
            svg_size(svg.as_bytes())
        };
        assert_eq!(size(r#"width="640" height="360""#), Some((640, 360)));
        assert_eq!(
            size(r#"width="640px" height="360.4px" viewBox="0 0 1 1""#),
            Some((640, 360))
        );
        assert_eq!(size(r#"viewBox="0 0 1200 800""#), Some((1200, 800)));
        assert_eq!(size(r#"viewBox="0,0,120.5,80""#), Some((121, 80)));
        assert_eq!(
            size(r#"width="300" viewBox="0 0 1200 800""#),
            Some((300, 200))
        );
        assert_eq!(
            size(r#"height="100" viewBox="0 0 1200 800""#),
            Some((150, 100))
        );
        for unknown in [
            r#"width="100%" height="50%""#,
            r#"width="10em""#,
            r#"viewBox="0 0 0 10""#,
            r#"viewBox="nonsense""#,
            "",
        ] {
            assert_eq!(size(unknown), None, "{unknown}");
        }
        assert_eq!(svg_size(b"<html><svg width='1' height='1'/></html>"), None);
        assert_eq!(svg_size(b"not xml at all <"), None);
    }
}
