//! The state a build keeps for the next, beside its output: the engine's parsed content,
//! indexes and keys, and the output's record. It is an optimisation, never a source of truth:
//! a state that is missing, unreadable, corrupt, truncated, or written by another gazette or
//! for another configuration, set of templates or flags is ignored, and the build renders
//! everything. Where the user should know why (the file is damaged or unreadable, or is a
//! folder, or comes from a newer gazette), it says so in a warning.
//!
//! The file: `MAGIC`, the format as 4 bytes (little-endian), a postcard `Header`, the postcard
//! payload, then the payload's length and checksum as 8 bytes each (little-endian). It is read
//! whole, in one go: postcard decodes from one slice faster than from a stream, and the text it
//! borrows while decoding (dates) is then simply the file's. It is written as it is encoded,
//! the checksum computed as the payload streams through, so that saving never holds the file
//! beside the engine (that copy was the peak of a build's memory). A payload is used only once
//! its length and checksum match.

use std::borrow::Cow;
use std::fs::{self, File};
use std::hash::Hasher;
use std::io::{self, BufWriter, ErrorKind, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::{DeserializeOwned, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Diagnostic;

const MAGIC: &[u8; 14] = b"gazette-state\n";
/// Changes whenever what is saved changes shape.
const FORMAT: u32 = 14;

/// What must be the same for a state to be used: the program, and everything besides content
/// that decides what is built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// gazette's version, to tell a newer gazette's state from an older one's.
    pub gazette: String,
    /// The running program's length and modification time: a rebuilt development binary of
    /// the same version is another program.
    pub program: u64,
    /// gazette.yaml's bytes.
    pub config: u64,
    /// The site's own templates.
    pub templates: u64,
    /// The flags and the output folder.
    pub flags: u64,
}

impl Identity {
    /// A hash of the running program's length and modification time (0 when it cannot be
    /// found, leaving the version alone to tell programs apart).
    pub fn program() -> u64 {
        let meta = std::env::current_exe().and_then(fs::metadata);
        let stamp = meta.ok().map(|m| (m.len(), m.modified().ok()));
        stamp.map_or(0, |stamp| crate::render::hash_of(&stamp))
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Header<I> {
    identity: I,
}

/// Reads the state at `path`, if it is one for `identity`; otherwise nothing, with a warning
/// where the user should know why.
pub fn read<T: DeserializeOwned>(
    path: &Path,
    identity: &Identity,
) -> (Option<T>, Option<Diagnostic>) {
    match try_read(path, identity) {
        Ok(state) => (state, None),
        Err(why) => (None, Some(ignored(path, &why))),
    }
}

fn try_read<T: DeserializeOwned>(path: &Path, identity: &Identity) -> Result<Option<T>, String> {
    let Some(bytes) = read_file(path)? else {
        return Ok(None);
    };
    let Some(payload) = payload(&bytes, identity, |saved| saved == identity)? else {
        return Ok(None);
    };
    postcard::from_bytes(payload)
        .map(Some)
        .map_err(|_| "it is damaged".to_string())
}

/// The articles of the state at `path` (the second part of its payload, the first left
/// undecoded), whatever configuration, templates and flags it was saved for, as long as this
/// program saved it: for `check` to tell which articles changed URL since the last build.
/// None when there is no such state.
pub fn read_articles<A>(path: &Path) -> Option<Vec<A>>
where
    A: DeserializeOwned + Send,
{
    let bytes = read_file(path).ok()??;
    // Only the program matters here: the rest of an identity is what this reading ignores.
    let this = Identity {
        gazette: env!("CARGO_PKG_VERSION").to_string(),
        program: Identity::program(),
        config: 0,
        templates: 0,
        flags: 0,
    };
    let same_program =
        |saved: &Identity| saved.gazette == this.gazette && saved.program == this.program;
    let payload = payload(&bytes, &this, same_program).ok()??;
    let (_files, articles): (Vec<Blob>, Chunks<Vec<A>>) = postcard::from_bytes(payload).ok()?;
    Some(articles.0)
}

/// The bytes of the file at `path`; none when there is none.
fn read_file(path: &Path) -> Result<Option<Vec<u8>>, String> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(_) if path.is_dir() => Err("a folder is in its place".into()),
        Err(e) => Err(format!("it cannot be read ({e})")),
    }
}

/// The payload of a state's `bytes`, checked whole, when it is of this format and `accept`s
/// the identity it was saved for; none when it is a state of no use; why, when the user
/// should know.
fn payload<'b>(
    bytes: &'b [u8],
    identity: &Identity,
    accept: impl Fn(&Identity) -> bool,
) -> Result<Option<&'b [u8]>, String> {
    let corrupt = || "it is damaged".to_string();
    let rest = bytes.strip_prefix(MAGIC.as_slice()).ok_or_else(corrupt)?;
    let (format, rest) = rest.split_first_chunk::<4>().ok_or_else(corrupt)?;
    let format = u32::from_le_bytes(*format);
    if format > FORMAT {
        return Err("it was written by a newer gazette".into());
    }
    if format < FORMAT {
        return Ok(None);
    }
    let (header, rest): (Header<Identity>, _) =
        postcard::take_from_bytes(rest).map_err(|_| corrupt())?;
    if !accept(&header.identity) {
        return match newer(&header.identity.gazette, &identity.gazette) {
            true => Err(format!(
                "it was written by gazette {}, newer than this one",
                header.identity.gazette
            )),
            false => Ok(None),
        };
    }
    let (payload, end) = rest.split_last_chunk::<16>().ok_or("it is cut short")?;
    let (length, sum) = end.split_at(8);
    if length != (payload.len() as u64).to_le_bytes() {
        return Err("it is cut short".into());
    }
    let mut summed = Checksum::default();
    summed.update(payload);
    if sum != summed.finish().1.to_le_bytes() {
        return Err(corrupt());
    }
    Ok(Some(payload))
}

/// Whether version `a` is newer than `b`, both `major.minor.patch`.
fn newer(a: &str, b: &str) -> bool {
    let parts = |v: &str| -> Vec<u64> { v.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    parts(a) > parts(b)
}

/// Bytes passing through to be written, and their length and checksum.
struct Summed<W> {
    inner: W,
    sum: Checksum,
    /// The last error of the file, which postcard does not pass on.
    failed: Option<io::Error>,
}

impl<W: Write> Write for Summed<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(bytes).inspect_err(|e| {
            self.failed = Some(io::Error::new(e.kind(), e.to_string()));
        })?;
        self.sum.update(&bytes[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A checksum of a stream of bytes that does not depend on how the stream was cut into
/// writes: the bytes are hashed in blocks of `Checksum::BLOCK`.
struct Checksum {
    hasher: crate::render::KeyHasher,
    block: Vec<u8>,
    len: u64,
}

impl Default for Checksum {
    fn default() -> Self {
        Self {
            hasher: crate::render::key_hasher(),
            block: Vec::with_capacity(Self::BLOCK),
            len: 0,
        }
    }
}

impl Checksum {
    const BLOCK: usize = 1 << 16;

    fn update(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len() as u64;
        while !bytes.is_empty() {
            if self.block.is_empty() && bytes.len() >= Self::BLOCK {
                // A whole block at hand: hashed where it is.
                let (block, rest) = bytes.split_at(Self::BLOCK);
                self.hasher.write(block);
                bytes = rest;
                continue;
            }
            let room = Self::BLOCK - self.block.len();
            let (now, rest) = bytes.split_at(room.min(bytes.len()));
            self.block.extend_from_slice(now);
            if self.block.len() == Self::BLOCK {
                self.hasher.write(&self.block);
                self.block.clear();
            }
            bytes = rest;
        }
    }

    /// How many bytes passed, and their checksum.
    fn finish(mut self) -> (u64, u64) {
        self.hasher.write(&self.block);
        (self.len, self.hasher.finish())
    }
}

/// A collection saved as chunks of entries, each its own postcard bytes, so that reading it
/// decodes the chunks in parallel: the articles and files of a large site took most of the
/// time to read a state, on one core.
#[derive(Debug)]
pub struct Chunks<C>(pub C);

/// Entries in a chunk: a hundred chunks at 100,000 articles, enough to share among cores.
const CHUNK: usize = 1024;

impl<'a, C, T> Serialize for Chunks<&'a C>
where
    &'a C: IntoIterator<Item = T>,
    T: Serialize + Sync,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let entries: Vec<T> = self.0.into_iter().collect();
        let mut seq = s.serialize_seq(Some(entries.len().div_ceil(CHUNK)))?;
        // Encoded a few chunks at a time, in parallel: never the whole encoding at once beside
        // the engine.
        let batch = CHUNK * 2 * rayon::current_num_threads();
        for entries in entries.chunks(batch) {
            let chunks: Vec<Vec<u8>> = entries
                .par_chunks(CHUNK)
                .map(postcard::to_stdvec)
                .collect::<Result<_, _>>()
                .map_err(serde::ser::Error::custom)?;
            for chunk in &chunks {
                seq.serialize_element(&Blob(Cow::Borrowed(chunk)))?;
            }
        }
        seq.end()
    }
}

impl<'de, C> Deserialize<'de> for Chunks<C>
where
    C: IntoIterator + FromParallelIterator<C::Item>,
    C::Item: DeserializeOwned + Send,
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let chunks = Vec::<Blob<'de>>::deserialize(d)?;
        let decoded: Vec<Vec<C::Item>> = chunks
            .par_iter()
            .map(|chunk| postcard::from_bytes(&chunk.0))
            .collect::<Result<_, _>>()
            .map_err(serde::de::Error::custom)?;
        Ok(Chunks(decoded.into_par_iter().flatten().collect()))
    }
}

/// Bytes saved as bytes (a length, then the bytes), and read where they lie in the state when
/// the decoder can lend them.
struct Blob<'a>(Cow<'a, [u8]>);

impl Serialize for Blob<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Blob<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_bytes(BlobVisitor)
    }
}

struct BlobVisitor;

impl<'de> Visitor<'de> for BlobVisitor {
    type Value = Blob<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("bytes")
    }

    fn visit_borrowed_bytes<E>(self, bytes: &'de [u8]) -> Result<Self::Value, E> {
        Ok(Blob(Cow::Borrowed(bytes)))
    }

    fn visit_bytes<E>(self, bytes: &[u8]) -> Result<Self::Value, E> {
        Ok(Blob(Cow::Owned(bytes.to_vec())))
    }

    fn visit_byte_buf<E>(self, bytes: Vec<u8>) -> Result<Self::Value, E> {
        Ok(Blob(Cow::Owned(bytes)))
    }
}

fn ignored(path: &Path, why: &str) -> Diagnostic {
    Diagnostic::warning(
        path,
        format!("the saved build state is ignored: {why}; this build renders every page"),
        "nothing to do: the build saves a new state (remove the file or folder if it is not gazette's)",
    )
}

/// Removes the state at `path` before the output is replaced, so that a build stopped after
/// that never leaves a state that does not describe the output. A folder there is left (it is
/// not ours, and is never read as a state).
pub fn remove(path: &Path) -> Result<(), Diagnostic> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != ErrorKind::NotFound && !path.is_dir() => Err(Diagnostic::error(
            path,
            format!("cannot remove the saved build state: {e}"),
            "check that the folder is writable",
        )),
        _ => Ok(()),
    }
}

/// Writes `state` for `identity` at `path`, through a file beside it that takes its place
/// whole; a failure is a warning (the next build renders everything), never an error: the
/// output is complete without it.
pub fn write<T: Serialize>(path: &Path, identity: &Identity, state: &T) -> Option<Diagnostic> {
    let temporary = temporary(path);
    let written = File::create(&temporary)
        .and_then(|file| encode(file, identity, state))
        .and_then(|()| fs::rename(&temporary, path));
    if written.is_err() {
        // Best effort: a half-written file only takes room.
        let _ = fs::remove_file(&temporary);
    }
    written.err().map(|e| {
        Diagnostic::warning(
            path,
            format!("cannot save the build state: {e}; the next build renders every page"),
            "check that the disk has room and the folder is writable; this build's output is complete",
        )
    })
}

fn encode<T: Serialize>(file: File, identity: &Identity, state: &T) -> io::Result<()> {
    // Large pieces: a hundred system calls for a state of some megabytes.
    let mut out = BufWriter::with_capacity(1 << 20, file);
    out.write_all(MAGIC)?;
    out.write_all(&FORMAT.to_le_bytes())?;
    postcard::to_io(&Header { identity }, &mut out).map_err(io::Error::other)?;
    let mut payload = Summed {
        inner: &mut out,
        sum: Checksum::default(),
        failed: None,
    };
    if let Err(e) = postcard::to_io(state, &mut payload) {
        return Err(payload.failed.unwrap_or_else(|| io::Error::other(e)));
    }
    let (length, checksum) = payload.sum.finish();
    out.write_all(&length.to_le_bytes())?;
    out.write_all(&checksum.to_le_bytes())?;
    // Into the file, with its errors (a full disk): dropping a buffered writer loses them.
    out.into_inner().map_err(io::IntoInnerError::into_error)?;
    Ok(())
}

fn temporary(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".new");
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity() -> Identity {
        Identity {
            gazette: "0.2.0".into(),
            program: 1,
            config: 2,
            templates: 3,
            flags: 4,
        }
    }

    fn saved(dir: &Path) -> PathBuf {
        let path = dir.join("state");
        assert!(write(&path, &identity(), &vec![1u32, 2, 3]).is_none());
        path
    }

    #[test]
    fn a_state_reads_back_for_its_identity_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = saved(dir.path());
        assert_eq!(read(&path, &identity()), (Some(vec![1u32, 2, 3]), None));
        let other = Identity {
            templates: 9,
            ..identity()
        };
        assert_eq!(read::<Vec<u32>>(&path, &other), (None, None));
        let older = Identity {
            gazette: "0.1.9".into(),
            ..identity()
        };
        assert_eq!(read::<Vec<u32>>(&path, &older).0, None);
        assert!(read::<Vec<u32>>(&path, &older).1.is_some(), "newer state");
    }

    #[test]
    fn a_state_larger_than_any_buffer_reads_back() {
        // The dates and paths of a 100,000-article site: megabytes of text in all, none of it
        // long; dates are read as borrowed text, which the decoding buffer must hold at once.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state");
        let date: jiff::ZonedDateTime = "2026-03-14T08:30:00+01:00[Europe/Berlin]".parse().unwrap();
        let paths: Vec<(jiff::ZonedDateTime, PathBuf)> = (0..200_000)
            .map(|i| {
                (
                    date.clone(),
                    PathBuf::from(format!("2026/03/14/story-{i}/index.html")),
                )
            })
            .collect();
        assert!(write(&path, &identity(), &paths).is_none());
        assert_eq!(read(&path, &identity()), (Some(paths), None));
    }

    #[test]
    fn chunked_collections_read_back_whole_and_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state");
        // Several chunks and a part of one.
        let list: Vec<String> = (0..CHUNK * 3 + 7).map(|i| format!("story-{i}")).collect();
        let map: foldhash::HashMap<PathBuf, u64> = (0..CHUNK as u64 + 1)
            .map(|i| (PathBuf::from(format!("content/{i}.md")), i))
            .collect();
        let empty: Vec<String> = Vec::new();
        let saving = (Chunks(&list), Chunks(&map), Chunks(&empty));
        assert!(write(&path, &identity(), &saving).is_none());
        type Read = (
            Chunks<Vec<String>>,
            Chunks<foldhash::HashMap<PathBuf, u64>>,
            Chunks<Vec<String>>,
        );
        let (read, warning) = read::<Read>(&path, &identity());
        assert!(warning.is_none(), "{warning:?}");
        let (read_list, read_map, read_empty) = read.expect("a state");
        assert_eq!(read_list.0, list);
        assert_eq!(read_map.0, map);
        assert_eq!(read_empty.0, empty);
    }

    #[test]
    fn damaged_states_are_ignored_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let path = saved(dir.path());
        let bytes = fs::read(&path).unwrap();
        let damaged = |bytes: &[u8], why: &str| {
            fs::write(&path, bytes).unwrap();
            let (state, warning) = read::<Vec<u32>>(&path, &identity());
            assert_eq!(state, None, "{why}");
            let warning = warning.unwrap_or_else(|| panic!("no warning for {why}"));
            assert!(warning.message.contains("ignored"), "{why}: {warning}");
        };
        damaged(&bytes[..bytes.len() - 1], "cut short");
        let mut flipped = bytes.clone();
        *flipped.last_mut().unwrap() ^= 1;
        damaged(&flipped, "a flipped bit");
        damaged(b"not a state", "another file");
        damaged(b"", "an empty file");
        let mut newer = bytes.clone();
        newer[MAGIC.len()] = 200;
        damaged(&newer, "a newer format");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_disk_that_fills_while_the_state_is_written_leaves_a_warning_and_no_state() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state");
        // Every write to /dev/full finds no room.
        std::os::unix::fs::symlink("/dev/full", temporary(&path)).unwrap();
        let warning = write(&path, &identity(), &vec![1u32; 100_000]).expect("a warning");
        assert!(warning.message.contains("cannot save"), "{warning}");
        assert!(!path.exists(), "a state is left");
        assert!(
            fs::symlink_metadata(temporary(&path)).is_err(),
            "the temporary is left"
        );
        assert_eq!(read::<Vec<u32>>(&path, &identity()), (None, None));
    }

    #[test]
    fn a_folder_in_the_place_of_the_state_is_reported_and_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state");
        fs::create_dir(&path).unwrap();
        assert!(read::<Vec<u32>>(&path, &identity()).1.is_some());
        assert!(remove(&path).is_ok());
        assert!(write(&path, &identity(), &1u32).is_some());
        assert!(path.is_dir());
    }
}
