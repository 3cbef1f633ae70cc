//! Memory and disk space needed by a run, estimated before anything is
//! allocated or written.
//!
//! A replicate holds its world (traits, base areas), its demographic
//! schedule (under `[demography]`) and the state of the pre-policy year plus
//! the arm being run (one state when there is a single arm). Up to
//! `threads` replicates run at once. The per-household sizes
//! below follow the struct-of-arrays layout in `sim::state`; a test checks the
//! estimate against the peak resident size of a real replicate.

use crate::error::{Error, Result};
use crate::scenario::Scenario;

/// Bytes per household of an arm's state: the columns of `sim::State`,
/// the 12-month income ring and each household's own account included,
/// besides the per-commodity columns and the ventures' two (when on).
const STATE_BYTES: usize = 185;
/// Bytes per household of the shared world (traits and person weights),
/// besides the per-commodity columns.
const WORLD_BYTES: usize = 33;
/// Bytes per household and year of the demographic schedule (`[demography]`):
/// a year's traits, adult slots and adults away (41), and while it is built
/// the households' own years (64 with their events).
const DEMOGRAPHY_BYTES: usize = 105;
/// Fixed overhead of the process, bytes.
pub const BASE_BYTES: usize = 64 << 20;

/// Estimated peak memory of running `sc` on `threads` threads, bytes.
pub fn estimate(sc: &Scenario, threads: usize) -> u64 {
    let n = sc.population.households as u64;
    let nc = sc.commodities.len() as u64;
    let states = if sc.arms.len() > 1 { 2 } else { 1 };
    // Besides the states: the reference arm's incomes each December, and each
    // household's pre-policy decile, for the comparison household by household.
    let paired = 4 * sc.years as u64 + 1;
    let ventures = if sc.ventures.any() { 2 } else { 0 };
    let state = STATE_BYTES as u64 + ventures + 12 * nc;
    let demography = if sc.demography.is_some() { DEMOGRAPHY_BYTES as u64 * (sc.years as u64 + 1) + 28 } else { 0 };
    let per_replicate = n * (WORLD_BYTES as u64 + 4 * nc + states * state + paired + demography);
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

/// Upper bounds of the bytes per row of the streamed files (measured rows
/// are about 175, 70 and 780 bytes; numbers print with up to 17 digits).
const TIMESERIES_ROW: u64 = 400;
const PRICES_ROW: u64 = 160;
/// Per yearly metric of a `replicates.csv` row.
const REPLICATES_CELL: u64 = 24;
/// Summaries, manifest, charts and report, whatever the run's length.
const FIXED_BYTES: u64 = 32 << 20;

/// Estimated bytes a run writes: the streamed files grow with replicates,
/// arms and months; the rest is bounded.
pub fn disk_estimate(sc: &Scenario, replicates: u32, monthly_files: bool) -> u64 {
    let (r, arms) = (replicates as u64, sc.arms.len() as u64);
    let months = sc.months() as u64;
    let commodities = sc.commodities.len() as u64;
    let yearly_cells = sc.yearly_names().len() as u64;
    let replicates_csv = r * arms * (sc.years as u64 + 1) * (yearly_cells * REPLICATES_CELL + 40);
    let series = if monthly_files { r * arms * months * (TIMESERIES_ROW + commodities * PRICES_ROW) } else { 0 };
    FIXED_BYTES + replicates_csv + series
}

/// Refuse, before anything is written, a run whose files would not fit on
/// the disk holding `folder` (its parent, when it does not exist yet).
pub fn check_disk(sc: &Scenario, replicates: u32, monthly_files: bool, folder: &std::path::Path) -> Result<()> {
    let need = disk_estimate(sc, replicates, monthly_files);
    let probe = folder.ancestors().find(|p| p.exists()).unwrap_or(std::path::Path::new("."));
    let probe = if probe.as_os_str().is_empty() { std::path::Path::new(".") } else { probe };
    match fs4::available_space(probe) {
        Ok(have) if need > have => Err(Error::Other(format!(
            "{}: this run writes about {:.1} GiB but only {:.1} GiB is free there; \
             use --timeseries summary or none, fewer replicates, or another --out",
            folder.display(),
            need as f64 / (1u64 << 30) as f64,
            have as f64 / (1u64 << 30) as f64
        ))),
        _ => Ok(()),
    }
}
