//! Draws the example site's pictures (static/images/*.jpg): simple scenes of the invented places
//! its sample digests are about, computed pixel by pixel, so that the example site has pictures
//! made for this repository and nothing copied. Run it again to make them anew:
//!
//! ```text
//! cargo run --release --example draw_pictures
//! ```

use image::{Rgb, RgbImage};

const WIDTH: u32 = 1800;
const HEIGHT: u32 = 1200;

type Colour = [f32; 3];

/// A scene: the colour at each point, both coordinates from 0 to 1.
type Scene = fn(f32, f32) -> Colour;

fn main() {
    let scenes: [(&str, Scene); 4] = [
        ("velmora-harbour", harbour),
        ("ossel-glacier", glacier),
        ("brightreach-solar", solar),
        ("kessling-ferry", ferry),
    ];
    let folder = std::path::Path::new("static/images");
    std::fs::create_dir_all(folder).expect("static/images can be made");
    for (name, scene) in scenes {
        let picture = RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
            // Four samples a pixel, so that edges are smooth.
            let mut sum = [0.0; 3];
            for (dx, dy) in [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)] {
                let c = scene(
                    (x as f32 + dx) / WIDTH as f32,
                    (y as f32 + dy) / HEIGHT as f32,
                );
                (0..3).for_each(|i| sum[i] += c[i] / 4.0);
            }
            Rgb(sum.map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8))
        });
        let path = folder.join(format!("{name}.jpg"));
        let mut file = std::fs::File::create(&path).expect("the picture can be written");
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut file, 82);
        picture
            .write_with_encoder(encoder)
            .expect("the picture can be encoded");
        println!("{}", path.display());
    }
}

fn mix(a: Colour, b: Colour, t: f32) -> Colour {
    let t = t.clamp(0.0, 1.0);
    [0, 1, 2].map(|i| a[i] + (b[i] - a[i]) * t)
}

fn rgb(hex: u32) -> Colour {
    [16, 8, 0].map(|shift| ((hex >> shift) & 0xff) as f32 / 255.0)
}

/// A value in [0, 1) that looks random but is the same on every run.
fn noise(x: f32, y: f32) -> f32 {
    let h = (x * 12.9898 + y * 78.233).sin() * 43_758.547;
    h - h.floor()
}

/// The height of a ridge at `x`: a few waves of different lengths, 0 to about 1.
fn ridge(x: f32, seed: f32) -> f32 {
    let w = |f: f32, a: f32| a * (0.5 + 0.5 * (x * f + seed * f).sin());
    (w(7.0, 0.5) + w(17.0, 0.3) + w(41.0, 0.12)) / 0.92
}

fn inside(x: f32, y: f32, (left, top, right, bottom): (f32, f32, f32, f32)) -> bool {
    (left..right).contains(&x) && (top..bottom).contains(&y)
}

/// Dusk over a container harbour: cranes and stacked containers against the sky, on the water.
fn harbour(x: f32, y: f32) -> Colour {
    let sky = mix(rgb(0x2b3a67), rgb(0xf4a259), y / 0.62);
    let sun = (((x - 0.72).powi(2) + (y - 0.52).powi(2) * 2.25).sqrt() < 0.07) as u8 as f32;
    let mut c = mix(sky, rgb(0xfde2a7), sun);
    let crane = |base: f32, height: f32| {
        let tower = inside(x, y, (base, 0.62 - height, base + 0.012, 0.62));
        let boom = inside(
            x,
            y,
            (
                base - 0.09,
                0.62 - height,
                base + 0.05,
                0.62 - height + 0.012,
            ),
        );
        let cable = (x - (base - 0.07)).abs() < 0.0015 && (0.62 - height..0.5).contains(&y);
        tower || boom || cable
    };
    if crane(0.18, 0.36) || crane(0.38, 0.42) || crane(0.58, 0.33) {
        c = rgb(0x1d2238);
    }
    let column = (x * 40.0).floor();
    let stack = 0.03 * (1.0 + (noise(column, 1.0) * 4.0).floor());
    if (0.1..0.9).contains(&x) && (0.62 - stack..0.62).contains(&y) {
        let box_colour = [0xc0392b, 0x2e86ab, 0xe1a140, 0x3f7d20]
            [(noise(column, (y * 33.0).floor()) * 4.0) as usize];
        let seam = (x * 40.0).fract() < 0.06 || (y * 33.0).fract() < 0.08;
        c = mix(
            rgb(box_colour),
            rgb(0x1d2238),
            if seam { 0.7 } else { 0.25 },
        );
    }
    if y >= 0.62 {
        let depth = (y - 0.62) / 0.38;
        let wave = 0.5 + 0.5 * ((y * 180.0).sin() * (x * 9.0 + y * 40.0).cos());
        c = mix(
            mix(rgb(0x5d4a66), rgb(0x1b2a41), depth),
            rgb(0xf4a259),
            wave * 0.18 * (1.0 - depth),
        );
    }
    c
}

/// A glacier between dark ridges, running down to a pale lake, under a clear sky.
fn glacier(x: f32, y: f32) -> Colour {
    let mut c = mix(rgb(0x7fb3e0), rgb(0xe8f1f8), y / 0.45);
    let far = 0.42 - 0.2 * ridge(x, 1.3);
    if y > far {
        c = mix(
            rgb(0x8a9bb0),
            rgb(0xdfe8f0),
            ((y - far) * 6.0).min(1.0) * 0.4,
        );
        if y < far + 0.04 {
            c = rgb(0xf5f9fc);
        }
    }
    let near = 0.55 - 0.25 * ridge(x, 4.1) * (1.0 - (x - 0.5).abs() * 0.6);
    let tongue = (x - 0.5).abs() < 0.08 + (y - 0.35) * 0.5;
    if y > near {
        c = if tongue {
            mix(
                rgb(0xeaf4fb),
                rgb(0x9cc9e3),
                noise(x * 3.0, y * 80.0) * 0.5 + (y - near),
            )
        } else {
            mix(
                rgb(0x4a4e57),
                rgb(0x2c2f36),
                noise(x * 50.0, y * 50.0) * 0.4,
            )
        };
    }
    if y > 0.8 {
        let ripple = 0.5 + 0.5 * (y * 300.0 + (x * 20.0).sin()).sin();
        c = mix(rgb(0x9ed0d9), rgb(0xd8eef2), ripple * 0.3);
    }
    c
}

/// Rows of solar panels on green land under a high sun.
fn solar(x: f32, y: f32) -> Colour {
    let mut c = mix(rgb(0x4f9fd8), rgb(0xcfe6f5), y / 0.4);
    let sun = ((x - 0.2).powi(2) + (y - 0.15).powi(2) * 2.25).sqrt();
    c = mix(c, rgb(0xfff6d5), (1.0 - sun / 0.08).max(0.0) * 2.0);
    let hills = 0.4 - 0.05 * ridge(x, 2.2);
    if y > hills {
        c = mix(rgb(0x7fa650), rgb(0x4d7a2a), (y - hills) * 2.0);
        // Rows get closer towards the horizon: a row every 1/n of the distance.
        let depth = (y - hills) / (1.0 - hills);
        let row = (depth.sqrt() * 14.0).fract();
        let slant = x * (1.0 + depth) + depth * 0.3;
        let panel = row > 0.35 && row < 0.85 && (slant * 18.0).fract() < 0.92;
        if panel && (0.05..0.95).contains(&x) {
            let glint = (1.0 - row) * 0.35;
            c = mix(rgb(0x1f3a6e), rgb(0x9fc3ea), glint);
        }
    }
    c
}

/// A ferry crossing a grey-blue sound towards a low island.
fn ferry(x: f32, y: f32) -> Colour {
    let mut c = mix(rgb(0x8fa6bb), rgb(0xdfe5ea), y / 0.55);
    let cloud = 0.5 + 0.5 * (y * 28.0 + (x * 5.0).sin() * 1.5).sin();
    c = mix(c, rgb(0xffffff), cloud * 0.12 * (1.0 - y / 0.55));
    let island = 0.55 - 0.06 * ridge(x * 0.6 + 0.2, 5.0) * ((x - 0.15) * 4.0).clamp(0.0, 1.0);
    if y > island && x > 0.12 {
        c = mix(rgb(0x55704e), rgb(0x3b5236), (y - island) * 10.0);
    }
    if y > 0.55 {
        let ripple = 0.5 + 0.5 * (y * 260.0 + (x * 30.0).sin() * 2.0).sin();
        c = mix(
            mix(rgb(0x4a6a85), rgb(0x243b52), (y - 0.55) / 0.45),
            rgb(0xc7d3dd),
            ripple * 0.15,
        );
    }
    // The hull narrows to the bow on the right; decks above it with rows of windows.
    let bow = 0.78 - (y - 0.52) * 0.6;
    if inside(x, y, (0.3, 0.52, bow, 0.6)) {
        c = if y < 0.535 {
            rgb(0xb23a3a)
        } else {
            rgb(0x1f2630)
        };
    }
    if inside(x, y, (0.34, 0.44, 0.68, 0.52)) {
        let window = (x * 120.0).fract() < 0.5 && ((y - 0.44) * 100.0 % 4.0) < 1.6;
        c = if window { rgb(0x2a3440) } else { rgb(0xf2f2ee) };
    }
    if inside(x, y, (0.5, 0.38, 0.54, 0.44)) {
        c = if y < 0.395 {
            rgb(0x1f2630)
        } else {
            rgb(0xd9a300)
        };
    }
    if y > 0.6 && y < 0.64 && x > 0.25 && x < 0.8 {
        c = mix(c, rgb(0xe8eef2), 0.35 * (1.0 - ((y - 0.6) / 0.04)));
    }
    c
}
