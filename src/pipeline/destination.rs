//! Where a build's files go: memory (`serve`), a staging folder (`build`) or nowhere (`check`).

use crate::pipeline::timings::StageClock;
use crate::write::{self, WriteError};
use std::time::Instant;

/// Where a build's files go.
pub enum Destination<'a> {
    /// Kept in [`Site::files`], so `serve` can write only what changed.
    Memory,
    /// Written into a staging folder as they are rendered; the first failure is kept in `error`.
    Staging { staging: &'a write::Staging, error: &'a std::sync::Mutex<Option<WriteError>> },
    /// Checked, then dropped (`check`).
    Nowhere,
}

impl Destination<'_> {
    /// Minifies an HTML file and sends it on. Returns the bytes when they are kept in memory.
    pub(super) fn send(&self, path: &str, bytes: Vec<u8>, cpu: &StageClock) -> Option<Vec<u8>> {
        if matches!(self, Destination::Nowhere) {
            return None;
        }
        let started = Instant::now();
        let bytes = if path.ends_with(".html") { write::minify_page(&bytes) } else { bytes };
        cpu.add(&cpu.minify, started);
        self.deliver(path, bytes, cpu)
    }

    /// Sends a file on as it is.
    pub(super) fn deliver(&self, path: &str, bytes: Vec<u8>, cpu: &StageClock) -> Option<Vec<u8>> {
        match self {
            Destination::Memory => Some(bytes),
            Destination::Staging { staging, error } => {
                let started = Instant::now();
                if let Err(failure) = staging.write(path, &bytes) {
                    let mut slot = match error.lock() {
                        Ok(slot) => slot,
                        Err(poisoned) => poisoned.into_inner(),
                    };
                    slot.get_or_insert(failure);
                }
                cpu.add(&cpu.write, started);
                None
            }
            Destination::Nowhere => None,
        }
    }
}
