//! Memory needed by a run, estimated before anything is allocated.
//!
//! A replicate holds its world (traits, base areas) and the state of the
//! pre-policy year plus the arm being run (one state when there is a single
//! arm). Up to `threads` replicates run at once. The per-household sizes
//! below follow the struct-of-arrays layout in `sim::state`; a test checks the
//! estimate against the peak resident size of a real replicate.

use crate::error::{Error, Result};
use crate::scenario::Scenario;

/// Bytes per household of an arm's state: the columns of `sim::State`,
/// the 12-month income ring included, besides the per-commodity columns.
const STATE_BYTES: usize = 160;
/// Bytes per household of the shared world (traits and person weights),
/// besides the per-commodity columns.
const WORLD_BYTES: usize = 33;
/// Fixed overhead of the process, bytes.
pub const BASE_BYTES: usize = 64 << 20;

/// Estimated peak memory of running `sc` on `threads` threads, bytes.
pub fn estimate(sc: &Scenario, threads: usize) -> u64 {
    let n = sc.population.households as u64;
    let nc = sc.commodities.len() as u64;
    let states = if sc.arms.len() > 1 { 2 } else { 1 };
    let per_replicate = n * (WORLD_BYTES as u64 + 4 * nc + states * (STATE_BYTES as u64 + 8 * nc));
    // Replicates run in parallel, and a thread waiting inside one
    // replicate's household pass may start another: allow two per thread.
    let concurrent = (2 * threads as u64).min(sc.replicates as u64).max(1);
    BASE_BYTES as u64 + concurrent * per_replicate
}

/// Memory available to this process, bytes (Linux: `MemAvailable`).
pub fn available() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Refuse, before allocating, a run that would not fit in memory.
pub fn check(sc: &Scenario, threads: usize) -> Result<()> {
    let need = estimate(sc, threads);
    // Above ~100 MB the estimate matters; below, any machine will do.
    match available() {
        Some(have) if need > have => Err(Error::Other(format!(
            "{}: this run needs about {:.1} GiB ({} households, {} replicate(s) at once) but only {:.1} GiB is available; \
             use fewer --threads, fewer households, or a bigger machine",
            sc.path.display(),
            need as f64 / (1u64 << 30) as f64,
            sc.population.households,
            (2 * threads as u64).min(sc.replicates as u64).max(1),
            have as f64 / (1u64 << 30) as f64
        ))),
        _ => Ok(()),
    }
}
