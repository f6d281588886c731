//! The picture cache: each picture's files, kept in a folder named by a hash of the image's
//! bytes and of the settings that made them, so that an image is processed once, whichever
//! build or preview first needs it; a build then removes the pictures it no longer uses.

use std::collections::HashSet;
use std::hash::BuildHasher;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{Picture, Problem, Settings, Variant};

/// Changes whenever the way pictures are made changes, so that older pictures are made again.
const VERSION: u32 = 1;

/// The file, in a picture's folder, that describes it; the last one written, so that a folder
/// that has it is whole.
const MANIFEST: &str = "picture";

/// Pictures kept on disk, and which of them this run used.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    used: Mutex<HashSet<String>>,
}

/// A hash of an image's bytes and of the settings that make its picture: its folder's name.
pub fn key(bytes: &[u8], settings: &Settings) -> String {
    let half = |seed: u64| {
        foldhash::quality::FixedState::with_seed(seed).hash_one((VERSION, settings, bytes))
    };
    format!("{:016x}{:016x}", half(1), half(2))
}

impl Cache {
    /// The cache in `dir` (made when first written to).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            used: Mutex::default(),
        }
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

    /// Removes every picture this run did not use, and what a run killed half-way left;
    /// returns how many were removed.
    pub fn clean(&self) -> io::Result<usize> {
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
            if used.contains(name.to_string_lossy().as_ref()) {
                continue;
            }
            std::fs::remove_dir_all(entry.path())?;
            removed += 1;
        }
        Ok(removed)
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

    #[test]
    fn a_broken_image_leaves_nothing_in_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let jpeg = sample(900, 600, ImageFormat::Jpeg);
        let cache = Cache::new(dir.path());
        assert!(cache.picture(&jpeg[..500], &Settings::default()).is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
