//! Pictures: an article's `image:` in static/ made into resized variants (WebP and a fallback),
//! shown with srcset, sizes, width and height, its cards in Open Graph and JSON-LD; the cache
//! that makes each image once; and every bad image a clear error or warning.

use std::io::Cursor;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::{Site, attrs};

/// A `width` x `height` JPEG (a gradient shifted by `seed`, so that seeds give other bytes).
fn jpeg(width: u32, height: u32, seed: u8) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, seed])
    });
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, _| image::Rgb([0, (x % 256) as u8, 0]));
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A site whose one article, `content/world/port.md`, shows `image` (front matter text).
fn site_with(image: &str) -> Site {
    let site = Site::new();
    site.write(
        "gazette.yaml",
        "title: T\nbase_url: https://news.example/\n",
    );
    site.article(
        "world",
        "port",
        &format!("title: Port\ndate: 2026-03-14\nauthor: wirebot\n{image}"),
        "Body.",
    );
    site
}

const PAGE: &str = "2026/03/14/port/index.html";

/// The files below `public/images/`, by name.
fn published(site: &Site) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(site.path("public/images"))
        .map(|entries| {
            (entries.filter_map(Result::ok))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn a_lead_image_gets_variants_srcset_sizes_width_height_and_cards() {
    let site = site_with("image: { src: /images/port.jpg, alt: Cranes at the port }");
    site.write("static/images/port.jpg", jpeg(2400, 1600, 1));
    let run = site.build_ok(&[]);
    assert!(run.warnings().is_empty(), "{}", run.stderr);
    let names = published(&site);
    let hash = names
        .iter()
        .find_map(|n| n.strip_prefix("port.")?.split('.').next())
        .unwrap();
    for tail in [
        "480w.webp",
        "480w.jpg",
        "800w.webp",
        "800w.jpg",
        "1200w.webp",
        "1200w.jpg",
        "1600w.webp",
        "1600w.jpg",
        "card-16x9.jpg",
        "card-4x3.jpg",
        "card-1x1.jpg",
    ] {
        let name = format!("port.{hash}.{tail}");
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    // Never wider than the widest width asked for, and each file the size its name says.
    let card = image::open(site.path(&format!("public/images/port.{hash}.card-16x9.jpg"))).unwrap();
    assert_eq!((card.width(), card.height()), (1200, 675));
    let small = image::open(site.path(&format!("public/images/port.{hash}.480w.webp"))).unwrap();
    assert_eq!((small.width(), small.height()), (480, 320));

    let html = site.html(PAGE);
    let img = |attr| attrs(&html, ".lead-figure img", attr);
    assert_eq!(img("src"), [format!("/images/port.{hash}.1600w.jpg")]);
    assert_eq!(img("width"), ["1600"]);
    assert_eq!(img("height"), ["1067"]);
    assert_eq!(img("alt"), ["Cranes at the port"]);
    assert!(img("loading").is_empty(), "the lead picture loads at once");
    assert_eq!(img("decoding"), ["async"]);
    assert!(img("srcset")[0].contains(&format!("/images/port.{hash}.480w.jpg 480w")));
    assert!(!img("sizes")[0].is_empty());
    let webp = attrs(
        &html,
        ".lead-figure picture source[type='image/webp']",
        "srcset",
    );
    assert!(
        webp[0].ends_with(&format!("/images/port.{hash}.1600w.webp 1600w")),
        "{webp:?}"
    );

    let og = attrs(&html, "meta[property='og:image']", "content");
    assert_eq!(
        og,
        [format!(
            "https://news.example/images/port.{hash}.card-16x9.jpg"
        )]
    );
    let json_ld: serde_json::Value =
        serde_json::from_str(&crate::common::texts(&html, "script[type='application/ld+json']")[0])
            .unwrap();
    let images: Vec<&str> = (json_ld["image"].as_array().unwrap().iter())
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        images,
        ["16x9", "4x3", "1x1"]
            .map(|c| format!("https://news.example/images/port.{hash}.card-{c}.jpg"))
    );
    // Lists show the same picture, lazily.
    let home = site.html("index.html");
    let lazy = attrs(&home, "img[src*='port.']", "loading");
    assert!(
        lazy.is_empty() || lazy.iter().all(|l| l == "lazy"),
        "{lazy:?}"
    );
}

#[test]
fn a_small_image_is_never_upscaled_and_its_width_is_a_warning() {
    let site = site_with("image: { src: /images/small.png, alt: A chart }");
    site.write("static/images/small.png", png(600, 400));
    let run = site.build_ok(&[]);
    let warnings = run.warnings().join("\n");
    assert!(warnings.contains("600 pixels wide"), "{warnings}");
    let names = published(&site);
    assert!(names.iter().any(|n| n.ends_with(".480w.webp")), "{names:?}");
    assert!(names.iter().any(|n| n.ends_with(".600w.png")), "{names:?}");
    assert!(!names.iter().any(|n| n.contains(".800w.")), "{names:?}");
    let html = site.html(PAGE);
    assert_eq!(attrs(&html, ".lead-figure img", "width"), ["600"]);
}

/// The modification time of every file of the picture cache.
fn cache_times(site: &Site) -> Vec<(String, std::time::SystemTime)> {
    let mut times: Vec<_> = walkdir::WalkDir::new(site.path(".gazette-cache"))
        .into_iter()
        .filter_map(Result::ok)
        // The pictures' files; not the stamps of the images read, which change as they do.
        .filter(|e| e.file_type().is_file() && e.file_name() != "stamps")
        .map(|e| {
            (
                e.path().display().to_string(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect();
    times.sort();
    times
}

#[test]
fn the_cache_makes_each_image_once_and_forgets_images_no_longer_shown() {
    let site = site_with("image: /images/port.jpg");
    site.write("static/images/port.jpg", jpeg(1400, 900, 1));
    site.build_ok(&[]);
    let first = cache_times(&site);
    assert!(first.len() > 5, "{first:?}");
    // A full build (no state) and a build into another folder take the same pictures from the
    // cache: not one file of it is written again.
    std::thread::sleep(Duration::from_millis(20));
    site.build_ok(&["--full"]);
    let other = site.path("elsewhere");
    site.build_ok(&["--output", other.to_str().unwrap()]);
    assert_eq!(cache_times(&site), first);
    let before = published(&site);

    // A changed image is another picture, under other names; the old one's files leave the
    // output and the cache.
    site.write("static/images/port.jpg", jpeg(1400, 900, 2));
    site.build_ok(&[]);
    let after = published(&site);
    assert_eq!(after.len(), before.len());
    assert!(
        before
            .iter()
            .filter(|n| n.contains(".card-"))
            .all(|n| !after.contains(n))
    );
    let pictures = std::fs::read_dir(site.path(".gazette-cache/images"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_type().unwrap().is_dir())
        .count();
    assert_eq!(pictures, 1, "the old picture is cleaned from the cache");
}

/// A full build takes each picture's files from the cache as they are: linked, never read.
#[cfg(unix)]
#[test]
fn a_full_build_links_the_pictures_files_from_the_cache() {
    use std::os::unix::fs::MetadataExt;
    let site = site_with("image: /images/port.jpg");
    site.write("static/images/port.jpg", jpeg(1400, 900, 1));
    site.build_ok(&[]);
    site.build_ok(&["--full"]);
    let inodes = |dir: &Path| -> Vec<u64> {
        let mut found: Vec<u64> = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            // Neither the original nor the cache's own list of the picture's files.
            .filter(|e| e.path().extension().is_some() && !e.path().ends_with("port.jpg"))
            .map(|e| e.metadata().unwrap().ino())
            .collect();
        found.sort();
        found
    };
    let cached = inodes(&site.path(".gazette-cache/images"));
    let published = inodes(&site.path("public/images"));
    assert!(published.len() > 5, "{published:?}");
    assert_eq!(published, cached);
}

#[test]
fn svgs_and_web_addresses_are_left_as_they_are() {
    let site = site_with("image: /images/logo.svg");
    let logo = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 3\"/>";
    site.write("static/images/logo.svg", logo);
    site.article(
        "world",
        "remote",
        "title: Remote\ndate: 2026-03-13\nimage: https://cdn.example/r.jpg",
        "B.",
    );
    site.build_ok(&[]);
    assert_eq!(published(&site), ["logo.svg"]);
    assert_eq!(
        std::fs::read_to_string(site.path("public/images/logo.svg")).unwrap(),
        logo
    );
    let page = site.html(PAGE);
    assert_eq!(
        attrs(&page, ".lead-figure img", "src"),
        ["/images/logo.svg"]
    );
    // Its size, from its viewBox, keeps the page still while it loads.
    assert_eq!(attrs(&page, ".lead-figure img", "width"), ["4"]);
    assert_eq!(attrs(&page, ".lead-figure img", "height"), ["3"]);
    let remote = site.html("2026/03/13/remote/index.html");
    assert_eq!(
        attrs(&remote, ".lead-figure img", "src"),
        ["https://cdn.example/r.jpg"]
    );
    assert!(attrs(&remote, ".lead-figure img", "srcset").is_empty());
}

/// Builds a site whose image is `bytes` at `name`, expecting failure; returns the errors.
#[test]
fn an_svg_in_a_body_gets_its_size_and_a_new_size_renders_the_page_again() {
    let site = site_with("");
    site.write(
        "content/world/port.md",
        "---\ntitle: Port\ndate: 2026-03-14\nauthor: wirebot\n---\nBody.\n\n![A map](/images/map.svg)\n",
    );
    let map = |w: u32| {
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"300\"/>")
    };
    site.write("static/images/map.svg", map(400));
    site.build_ok(&[]);
    let size = |site: &Site| {
        let page = site.html(PAGE);
        let width = attrs(&page, ".content img", "width");
        (width, attrs(&page, ".content img", "height"))
    };
    assert_eq!(
        size(&site),
        (vec!["400".to_string()], vec!["300".to_string()])
    );
    // The article's text is the same; the picture's new size reaches its page all the same.
    site.write("static/images/map.svg", map(500));
    site.build_ok(&[]);
    assert_eq!(size(&site).0, ["500"]);
}

fn fails_with(name: &str, bytes: &[u8]) -> String {
    let site = site_with(&format!("image: /images/{name}"));
    site.build_ok(&[]);
    let before = site.snapshot();
    site.write(&format!("static/images/{name}"), bytes);
    let started = Instant::now();
    let run = site.build_fails();
    assert!(started.elapsed() < Duration::from_secs(20), "bounded time");
    assert_eq!(
        site.snapshot(),
        before,
        "a failed build leaves the output as it was"
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.errors().join("\n")
}

#[test]
fn broken_images_are_errors_that_name_the_article_and_line() {
    let whole = jpeg(900, 600, 3);
    let cut = fails_with("cut.jpg", &whole[..whole.len() / 2]);
    assert!(cut.contains("content/world/port.md:5:1"), "{cut}");
    assert!(
        cut.contains("/images/cut.jpg") && cut.contains("cut short"),
        "{cut}"
    );

    let mut garbled = whole.clone();
    garbled[300..2000].fill(0x41);
    assert!(!fails_with("garbled.jpg", &garbled).is_empty());

    // A few hundred bytes claiming 30,000 x 30,000 pixels: refused before it is unpacked.
    let mut bomb = png(8, 8);
    bomb[16..20].copy_from_slice(&30_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&30_000u32.to_be_bytes());
    let crc = {
        let mut c = flate2::Crc::new();
        c.update(&bomb[12..29]);
        c.sum()
    };
    bomb[29..33].copy_from_slice(&crc.to_be_bytes());
    let big = fails_with("bomb.png", &bomb);
    assert!(big.contains("larger than"), "{big}");

    let gif = {
        let mut out = Cursor::new(Vec::new());
        image::RgbImage::new(4, 4)
            .write_to(&mut out, image::ImageFormat::Gif)
            .unwrap();
        out.into_inner()
    };
    assert!(fails_with("anim.gif", &gif).contains("GIF"));
    assert!(fails_with("notes.jpg", b"just some text").contains("not an image"));
}

#[test]
fn a_missing_image_or_a_lying_name_is_a_warning() {
    let site = site_with("image: /images/missing.jpg");
    let run = site.build_ok(&[]);
    let warnings = run.warnings().join("\n");
    assert!(
        warnings.contains("/images/missing.jpg") && warnings.contains("static/"),
        "{warnings}"
    );

    let site = site_with("image: /images/chart.png");
    site.write("static/images/chart.png", jpeg(1300, 700, 4));
    let run = site.build_ok(&[]);
    let warnings = run.warnings().join("\n");
    assert!(warnings.contains("is a JPG image"), "{warnings}");
    assert!(published(&site).iter().any(|n| n.ends_with(".1200w.jpg")));
}

#[test]
fn image_settings_are_checked() {
    let site = site_with("");
    site.write(
        "gazette.yaml",
        "title: T\nimages: { widths: [], quality: 0 }\n",
    );
    let run = site.build_fails();
    let errors = run.errors().join("\n");
    assert!(
        errors.contains("images.widths") && errors.contains("images.quality"),
        "{errors}"
    );
    assert!(Path::new(&site.path("gazette.yaml")).exists());
}

#[test]
fn images_in_a_body_get_the_same_treatment_and_follow_their_image() {
    let site = Site::new();
    site.write(
        "gazette.yaml",
        "title: T\nbase_url: https://news.example/news/\n",
    );
    site.article(
        "world",
        "port",
        "title: Port\ndate: 2026-03-14\nauthor: wirebot",
        "Text.\n\n![Quay at dusk](/images/quay.jpg)\n\n![remote](https://cdn.example/r.jpg) ![near](near.jpg)",
    );
    site.write("static/images/quay.jpg", jpeg(1300, 800, 5));
    site.build_ok(&[]);
    let html = site.html(PAGE);
    let img = |attr| {
        attrs(
            &html,
            ".article-body picture img, article picture img",
            attr,
        )
    };
    let src = img("src");
    assert_eq!(src.len(), 1, "one body picture: {src:?}");
    assert!(
        src[0].starts_with("/news/images/quay.") && src[0].ends_with(".1300w.jpg"),
        "{src:?}"
    );
    assert_eq!(img("width"), ["1300"]);
    assert_eq!(img("height"), ["800"]);
    assert_eq!(img("alt"), ["Quay at dusk"]);
    assert_eq!(img("loading"), ["lazy"]);
    assert!(img("srcset")[0].contains(".480w.jpg 480w"));
    let webp = attrs(&html, "picture source[type='image/webp']", "srcset");
    assert!(
        webp.iter()
            .any(|s| s.contains("/news/images/quay.") && s.contains(".1300w.webp 1300w")),
        "{webp:?}"
    );
    // Web addresses and paths relative to the page are left as written.
    assert_eq!(
        attrs(&html, "img[src='https://cdn.example/r.jpg']", "srcset"),
        Vec::<String>::new()
    );
    assert_eq!(attrs(&html, "img[src='near.jpg']", "alt"), ["near"]);

    // A new version of the image re-renders the page that shows it, with the new names, on a
    // build that keeps its state.
    site.write("static/images/quay.jpg", jpeg(1300, 800, 6));
    site.build_ok(&[]);
    let again = site.html(PAGE);
    let new_src = attrs(&again, "article picture img", "src");
    assert_ne!(new_src, src, "the page shows the new picture");
    assert!(
        site.path("public")
            .join(new_src[0].trim_start_matches("/news/"))
            .is_file()
    );
}

#[test]
fn a_broken_image_in_a_body_is_an_error_at_its_line() {
    let site = Site::new();
    site.article(
        "world",
        "port",
        "title: Port\ndate: 2026-03-14",
        "One.\n\nTwo ![x](/images/bad.png)\n",
    );
    site.write("static/images/bad.png", b"\x89PNG\r\n\x1a\n broken");
    let run = site.build_fails();
    let errors = run.errors().join("\n");
    assert!(errors.contains("content/world/port.md:7:5:"), "{errors}");
    assert!(errors.contains("/images/bad.png"), "{errors}");
}

#[test]
fn images_outside_static_are_never_read_nor_written_outside_the_output() {
    let site = site_with("image: { src: \"/../secret.jpg\", alt: x }");
    site.write("secret.jpg", jpeg(1300, 900, 7));
    site.article(
        "world",
        "body",
        "title: Body\ndate: 2026-03-13",
        "![x](/images/../../secret.jpg)",
    );
    let run = site.build_ok(&[]);
    let warnings = run.warnings().join("\n");
    assert!(warnings.contains("images outside static/"), "{warnings}");
    assert!(!site.path(".gazette-cache").exists(), "nothing was made");
    let stray: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".480w."))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
    #[cfg(unix)]
    {
        // A link in static/ to a file elsewhere is not followed either.
        let linked = site_with("image: { src: /images/linked.jpg, alt: x }");
        linked.write("elsewhere.jpg", jpeg(1300, 900, 8));
        std::fs::create_dir_all(linked.path("static/images")).unwrap();
        std::os::unix::fs::symlink(
            linked.path("elsewhere.jpg"),
            linked.path("static/images/linked.jpg"),
        )
        .unwrap();
        let run = linked.run(&["build"]);
        assert!(
            !linked.path(".gazette-cache/images").exists()
                || std::fs::read_dir(linked.path(".gazette-cache/images"))
                    .unwrap()
                    .count()
                    == 0,
            "{}",
            run.stderr
        );
    }
}
