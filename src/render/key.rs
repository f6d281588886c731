//! The hashing of dependency keys: what decides whether a file must be rendered again.

use std::hash::{BuildHasher, Hash, Hasher};

/// What dependency keys are hashed with: fast, and the same in every run. Keys are only ever
/// compared with keys we computed ourselves from the user's own files, so a hash that resists
/// chosen collisions (SipHash) would buy nothing but time.
pub(crate) type KeyHasher = foldhash::quality::FoldHasher<'static>;

pub(crate) fn key_hasher() -> KeyHasher {
    foldhash::quality::FixedState::default().build_hasher()
}

/// A hash of one value, the same in every run.
pub(crate) fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = key_hasher();
    value.hash(&mut hasher);
    hasher.finish()
}
