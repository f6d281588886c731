//! Times the stages of a build, for `--timings`.

use std::time::{Duration, Instant};

/// The time each stage took, in pipeline order.
pub(crate) struct Clock {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Default for Clock {
    fn default() -> Self {
        Self {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }
}

impl Clock {
    /// Moves `took` of the time of stage `from` to stage `to`.
    pub(crate) fn shift(&mut self, from: &str, to: &str, took: Duration) {
        if let Some(d) = self.stage(from) {
            let took = (*d).min(took);
            *d -= took;
            if let Some(d) = self.stage(to) {
                *d += took;
            }
        }
    }

    fn stage(&mut self, name: &str) -> Option<&mut Duration> {
        self.laps
            .iter_mut()
            .find(|(s, _)| *s == name)
            .map(|(_, d)| d)
    }

    /// Every stage timed, in the order they ran.
    pub(crate) fn into_laps(self) -> Vec<(&'static str, Duration)> {
        self.laps
    }

    pub(crate) fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}
