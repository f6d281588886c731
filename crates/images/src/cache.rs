//! The picture cache: each picture's files, kept in a folder named by a hash of the image's
//! bytes and of the settings that made them, so that an image is processed once, whichever
//! build or preview first needs it; a build then removes the pictures it no longer uses. The
//! cache also stamps each image file it read (length, time, inode) with its key, so that a
//! later build finds the picture of an unchanged file without reading it.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use image::ImageFormat;
use serde::{Deserialize, Serialize};

use super::{Picture, Problem, Settings, Variant};

/// Changes whenever the way pictures are made changes, so that older pictures are made again.
const VERSION: u32 = 1;

/// The file, in a picture's folder, that describes it; the last one written, so that a folder
/// that has it is whole.
const MANIFEST: &str = "picture";

/// The file, in the cache's folder, that keeps the stamps of the image files read.
const STAMPS: &str = "stamps";

/// How far a file's time must lie before the moment it was read for its stamp to be trusted:
/// a file written again within one tick of the file system's clock (a few milliseconds on
/// Linux) keeps its time, so a stamp taken in that tick could stand for older bytes (git's
/// "racy" entries).
const SETTLED: Duration = Duration::from_secs(2);

/// Pictures kept on disk, and which of them this run used.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    used: Mutex<HashSet<String>>,
    /// The stamps an earlier run kept, read when first needed.
    kept: OnceLock<HashMap<PathBuf, Stamp>>,
    /// The stamps of the files this run used, kept by `clean`.
    stamps: Mutex<HashMap<PathBuf, Stamp>>,
}

/// What an image file was when it was read: its picture's key under the settings of that run,
/// and its format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Stamp {
    len: u64,
    modified: SystemTime,
    inode: u64,
    read: SystemTime,
    /// A hash of the settings (`settings_hash`).
    settings: u64,
    key: String,
    /// The format of the bytes, as its first extension.
    format: String,
}

/// A hash of an image's bytes and of the settings that make its picture: its folder's name.
pub fn key(bytes: &[u8], settings: &Settings) -> String {
    let half = |seed: u64| {
        foldhash::quality::FixedState::with_seed(seed).hash_one((VERSION, settings, bytes))
    };
    format!("{:016x}{:016x}", half(1), half(2))
}

fn settings_hash(settings: &Settings) -> u64 {
    foldhash::quality::FixedState::with_seed(3).hash_one((VERSION, settings))
}

#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> u64 {
    0
}

impl Cache {
    /// The cache in `dir` (made when first written to).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            used: Mutex::default(),
            kept: OnceLock::new(),
            stamps: Mutex::default(),
        }
    }

    /// The format, key and picture of the image file `file` when it is as an earlier run
    /// stamped it (the same length, time and inode, long settled when read, the same
    /// settings) and its picture is still in the cache: then the file need not be read.
    pub fn stamped(
        &self,
        file: &Path,
        settings: &Settings,
    ) -> Option<(ImageFormat, String, Picture)> {
        let kept = self.kept.get_or_init(|| {
            let bytes = std::fs::read(self.dir.join(STAMPS)).unwrap_or_default();
            postcard::from_bytes(&bytes).unwrap_or_default()
        });
        let stamp = kept.get(file)?;
        let meta = std::fs::metadata(file).ok()?;
        let same = stamp.len == meta.len()
            && Some(stamp.modified) == meta.modified().ok()
            && stamp.inode == inode(&meta)
            && stamp.settings == settings_hash(settings)
            && stamp.modified + SETTLED < stamp.read;
        if !same {
            return None;
        }
        let format = ImageFormat::from_extension(&stamp.format)?;
        let picture = read_manifest(&self.dir.join(&stamp.key))?;
        self.used_now(&stamp.key);
        let mut stamps = self.stamps.lock().unwrap_or_else(|e| e.into_inner());
        stamps.insert(file.to_path_buf(), stamp.clone());
        Some((format, stamp.key.clone(), picture))
    }

    /// Stamps `file`, whose metadata was `meta` at the moment `read` just before it was read,
    /// as holding an image in `format` whose picture is `key`.
    pub fn stamp(
        &self,
        file: &Path,
        meta: &std::fs::Metadata,
        read: SystemTime,
        settings: &Settings,
        key: &str,
        format: ImageFormat,
    ) {
        let (Ok(modified), Some(ext)) = (meta.modified(), format.extensions_str().first()) else {
            return;
        };
        let stamp = Stamp {
            len: meta.len(),
            modified,
            inode: inode(meta),
            read,
            settings: settings_hash(settings),
            key: key.to_string(),
            format: ext.to_string(),
        };
        let mut stamps = self.stamps.lock().unwrap_or_else(|e| e.into_inner());
        stamps.insert(file.to_path_buf(), stamp);
    }

    /// The picture of `bytes` and its key: as made before, or made now with `make` and kept.
    pub fn picture(&self, bytes: &[u8], settings: &Settings) -> Result<(String, Picture), Problem> {
        let key = key(bytes, settings);
        self.used_now(&key);
        let folder = self.dir.join(&key);
        if let Some(picture) = read_manifest(&folder) {
            return Ok((key, picture));
        }
        let unwritable = |e: &io::Error| {
            Problem::new(
                format!(
                    "cannot be processed: the picture cache {} cannot be written ({e})",
                    self.dir.display()
                ),
                "check that folder's permissions, or delete it (gazette makes it again)",
            )
        };
        let partial = self.partial_folder(&key);
        std::fs::create_dir_all(&partial).map_err(|e| unwritable(&e))?;
        let made = super::make(bytes, settings, |variant, bytes| {
            std::fs::write(partial.join(variant.file_name()), bytes).map_err(|e| unwritable(&e))
        });
        let kept = made.and_then(|picture| {
            let manifest =
                postcard::to_stdvec(&picture).map_err(|e| unwritable(&io::Error::other(e)))?;
            std::fs::write(partial.join(MANIFEST), manifest).map_err(|e| unwritable(&e))?;
            Ok(picture)
        });
        match kept {
            // Another build that made the same picture at the same time put it in place first:
            // its files are the same.
            Ok(picture) => match std::fs::rename(&partial, &folder) {
                Ok(()) => Ok((key, picture)),
                Err(_) if read_manifest(&folder).is_some() => {
                    let _ = std::fs::remove_dir_all(&partial);
                    Ok((key, picture))
                }
                Err(e) => {
                    let _ = std::fs::remove_dir_all(&partial);
                    Err(unwritable(&e))
                }
            },
            Err(problem) => {
                let _ = std::fs::remove_dir_all(&partial);
                Err(problem)
            }
        }
    }

    /// Where the file of `variant` of the picture `key` is.
    pub fn file(&self, key: &str, variant: &Variant) -> PathBuf {
        self.dir.join(key).join(variant.file_name())
    }

    /// Removes every picture this run did not use, and what a run killed half-way left, and
    /// keeps the stamps of the files this run read; returns how many pictures were removed.
    pub fn clean(&self) -> io::Result<usize> {
        self.keep_stamps()?;
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        let mut removed = 0;
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            if name == STAMPS || used.contains(name.to_string_lossy().as_ref()) {
                continue;
            }
            match entry.file_type()?.is_dir() {
                true => std::fs::remove_dir_all(entry.path())?,
                false => std::fs::remove_file(entry.path())?,
            }
            removed += 1;
        }
        Ok(removed)
    }

    /// Writes the stamps of this run's files, whole or not at all (a new file renamed into
    /// place); none when they are those the cache has.
    fn keep_stamps(&self) -> io::Result<()> {
        let stamps = self.stamps.lock().unwrap_or_else(|e| e.into_inner());
        if self.kept.get() == Some(&*stamps) || (stamps.is_empty() && !self.dir.exists()) {
            return Ok(());
        }
        let bytes = postcard::to_stdvec(&*stamps).map_err(io::Error::other)?;
        std::fs::create_dir_all(&self.dir)?;
        let partial = self.partial_folder(STAMPS);
        std::fs::write(&partial, bytes)?;
        std::fs::rename(&partial, self.dir.join(STAMPS))
    }

    fn used_now(&self, key: &str) {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        used.insert(key.to_string());
    }

    /// A folder of its own to make the picture `key` in, out of sight of readers until whole.
    fn partial_folder(&self, key: &str) -> PathBuf {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        self.dir
            .join(format!("{key}.partial-{}-{n}", std::process::id()))
    }
}

fn read_manifest(folder: &Path) -> Option<Picture> {
    let bytes = std::fs::read(folder.join(MANIFEST)).ok()?;
    postcard::from_bytes(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::sample;
    use image::ImageFormat;

    #[test]
    fn an_image_is_processed_once_and_unused_pictures_are_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings::default();
        let jpeg = sample(900, 600, ImageFormat::Jpeg);
        let cache = Cache::new(dir.path());
        let (key, picture) = cache.picture(&jpeg, &settings).unwrap();
        for variant in &picture.variants {
            assert!(cache.file(&key, variant).is_file(), "{variant:?}");
        }
        // Made again, a picture would be written again: a file changed behind the cache's back
        // shows that it was not.
        let marker = cache.file(&key, &picture.variants[0]);
        std::fs::write(&marker, b"kept").unwrap();
        let again = Cache::new(dir.path());
        assert_eq!(
            again.picture(&jpeg, &settings).unwrap(),
            (key.clone(), picture.clone())
        );
        assert_eq!(std::fs::read(&marker).unwrap(), b"kept");

        // Other settings are another picture; the next run that uses only those removes the first.
        let narrow = Settings {
            widths: vec![300],
            quality: 70,
        };
        let third = Cache::new(dir.path());
        let (other, _) = third.picture(&jpeg, &narrow).unwrap();
        assert_ne!(other, key);
        assert_eq!(third.clean().unwrap(), 1);
        assert!(!dir.path().join(&key).exists());
        assert!(dir.path().join(&other).exists());
    }

    /// Makes the picture of `file` as a build does: read, made, stamped.
    fn read_and_stamp(cache: &Cache, file: &Path, settings: &Settings) -> String {
        let (read, meta) = (SystemTime::now(), std::fs::metadata(file).unwrap());
        let (key, _) = cache
            .picture(&std::fs::read(file).unwrap(), settings)
            .unwrap();
        cache.stamp(file, &meta, read, settings, &key, ImageFormat::Jpeg);
        key
    }

    #[test]
    fn a_settled_unchanged_file_is_known_by_its_stamp_and_nothing_else_is() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("port.jpg");
        let settings = Settings::default();
        let long_ago = SystemTime::now() - Duration::from_secs(60);
        let write = |seed: u8, time: SystemTime| {
            let mut jpeg = sample(900, 600, ImageFormat::Jpeg);
            jpeg.push(seed);
            std::fs::write(&file, jpeg).unwrap();
            std::fs::File::options()
                .write(true)
                .open(&file)
                .unwrap()
                .set_modified(time)
                .unwrap();
        };
        let cache_dir = dir.path().join("cache");
        write(1, long_ago);
        let first = Cache::new(&cache_dir);
        assert!(first.stamped(&file, &settings).is_none());
        let key = read_and_stamp(&first, &file, &settings);
        first.clean().unwrap();

        let next = Cache::new(&cache_dir);
        let (format, stamped, _) = next.stamped(&file, &settings).unwrap();
        assert_eq!((format, &stamped), (ImageFormat::Jpeg, &key));
        // Other settings make another picture, which only the bytes can give.
        let narrow = Settings {
            widths: vec![300],
            ..Settings::default()
        };
        assert!(next.stamped(&file, &narrow).is_none());
        // The next run keeps the stamps of the files it used, and its pictures.
        next.clean().unwrap();
        assert!(Cache::new(&cache_dir).stamped(&file, &settings).is_some());

        // Saved again (another time), the file is read again.
        write(2, SystemTime::now() - Duration::from_secs(30));
        assert!(Cache::new(&cache_dir).stamped(&file, &settings).is_none());

        // A file read within moments of its last change may change again unseen: its stamp
        // is kept but never trusted.
        write(3, SystemTime::now());
        let racy = Cache::new(&cache_dir);
        read_and_stamp(&racy, &file, &settings);
        racy.clean().unwrap();
        assert!(Cache::new(&cache_dir).stamped(&file, &settings).is_none());
    }

    #[test]
    fn a_broken_image_leaves_nothing_in_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let jpeg = sample(900, 600, ImageFormat::Jpeg);
        let cache = Cache::new(dir.path());
        assert!(cache.picture(&jpeg[..500], &Settings::default()).is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
