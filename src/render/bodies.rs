//! The bodies of the articles a render shows in full: read (or taken from the parse that
//! preceded it) only for the pages and full-content feeds about to be rendered, and let go as
//! soon as the last of them has shown each, so that a build never holds every body at once for
//! longer than it must.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use super::Versions;
use crate::content::Body;
use crate::error::{Diagnostic, Diagnostics};
use crate::site::Site;

/// The bodies one render needs, by article index.
pub(super) struct Bodies<'s> {
    site: &'s Site,
    slots: Vec<Mutex<Option<Arc<Body>>>>,
    /// How many files are still to show each body.
    uses: Vec<AtomicUsize>,
    /// Articles whose file no longer holds the text its revision was read from: the files that
    /// show them must be rendered again next time, whatever their keys.
    changed: Vec<bool>,
}

impl<'s> Bodies<'s> {
    /// Gets, in parallel, the body of every article that `uses` says some file will show.
    pub fn load(
        site: &'s Site,
        uses: Vec<usize>,
        versions: &Versions,
        revisions: &[Option<u64>],
    ) -> Result<Self, Diagnostics> {
        // Each body, and whether its file changed.
        type Slot = (Option<Arc<Body>>, bool);
        let loaded: Vec<Result<Slot, Diagnostic>> = (uses.par_iter())
            .enumerate()
            .map(|(i, &uses)| {
                if uses == 0 {
                    return Ok((None, false));
                }
                let (revision, body) = (versions.body)(&site.articles[i])?;
                Ok((Some(Arc::new(body)), revisions[i] != Some(revision)))
            })
            .collect();
        let (slots, changed) = Diagnostics::gather(loaded)?
            .into_iter()
            .map(|(body, changed)| (Mutex::new(body), changed))
            .unzip();
        Ok(Self {
            site,
            slots,
            uses: uses.into_iter().map(AtomicUsize::new).collect(),
            changed,
        })
    }

    /// The body of article `i`, for one of the files counted to show it; the last of them
    /// takes it away.
    pub fn take(&self, i: usize) -> Result<Arc<Body>, Diagnostic> {
        let mut slot = self.slots[i].lock().unwrap_or_else(PoisonError::into_inner);
        let body = slot.clone().ok_or_else(|| {
            Diagnostic::error(
                &self.site.articles[i].file,
                "was shown in full by a file that was not counted to show it",
                "report this as a bug of gazette",
            )
        })?;
        if self.uses[i].fetch_sub(1, Ordering::Relaxed) == 1 {
            *slot = None;
        }
        Ok(body)
    }

    /// Whether article `i`'s file changed since its revision was read.
    pub fn changed(&self, i: usize) -> bool {
        self.changed[i]
    }
}
