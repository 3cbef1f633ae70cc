//! Output writers and the all-or-nothing output folder.
//!
//! A run writes into a hidden staging folder beside the requested one
//! (`.NAME.partial-PID`) and renames it into place only when every file is
//! complete, so a failed or interrupted run never leaves a half-written
//! result under a final name, and a new output folder either appears whole
//! or not at all. An existing, non-empty folder is replaced only with
//! `--force`.
//!
//! The writers are pure functions of the aggregates; the schema is
//! documented in `docs/outputs.md`.

use crate::error::{Error, Result};
use crate::ledger::SINKS;
use crate::scenario::Scenario;
use crate::sim::run::{Aggregate, ArmStats};
use crate::summary::{self, Block, Difference, Summary, Year};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// A staging folder that becomes the output folder on [`OutputDir::commit`].
pub struct OutputDir {
    target: PathBuf,
    staging: PathBuf,
    force: bool,
    committed: bool,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Write { path: path.into(), source }
}

fn is_nonempty_dir(p: &Path) -> bool {
    std::fs::read_dir(p).map(|mut d| d.next().is_some()).unwrap_or(false)
}

/// Whether `dir` is an output folder fupin wrote: its `manifest.json` is
/// JSON naming the fupin version that wrote it.
pub fn is_fupin_output(dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join("manifest.json")) else { return false };
    serde_json::from_str::<Value>(&text).is_ok_and(|v| v.get("fupin_version").is_some_and(Value::is_string))
}

/// What may stand at the target: nothing, an empty folder, or (with
/// `--force`) a folder fupin wrote. Anything else is refused, so that no
/// user file is ever replaced.
fn check_target(target: &Path, force: bool) -> Result<()> {
    let refuse =
        |why: &str| Error::Flag { flag: "--out", value: target.display().to_string(), allowed: why.to_string() };
    let Ok(meta) = std::fs::symlink_metadata(target) else { return Ok(()) };
    if !meta.is_dir() {
        return Err(refuse(
            "a folder: this is a file (or a link or a device), which fupin never replaces, even with --force",
        ));
    }
    if !is_nonempty_dir(target) {
        return Ok(());
    }
    if !force {
        return Err(Error::OutputExists { path: target.into() });
    }
    if !is_fupin_output(target) {
        return Err(refuse(
            "a folder fupin wrote (with its manifest.json) or a new one: this folder holds other files, \
             which fupin never deletes, even with --force",
        ));
    }
    Ok(())
}

/// The folder's name, if the path ends in a plain name (not `.` or `..`).
fn final_name(target: &Path) -> Option<String> {
    match target.components().next_back() {
        Some(std::path::Component::Normal(n)) => Some(n.to_string_lossy().into_owned()),
        _ => None,
    }
}

/// A new hidden folder beside the target, with a name no file has.
fn unique_sibling(parent: &Path, prefix: &str) -> Result<PathBuf> {
    let dir = tempfile::Builder::new().prefix(prefix).tempdir_in(parent).map_err(io(parent))?;
    Ok(dir.keep())
}

impl OutputDir {
    /// Check the target and create the staging folder. Everything that
    /// could make the final step fail is checked here, before any simulation.
    pub fn create(target: &Path, force: bool) -> Result<OutputDir> {
        let Some(name) = final_name(target) else {
            return Err(Error::Flag {
                flag: "--out",
                value: target.display().to_string(),
                allowed: "a path ending in a folder name (not `.`, `..` or `/`)".into(),
            });
        };
        check_target(target, force)?;
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        let staging = unique_sibling(&parent, &format!(".{name}.partial-{}-", std::process::id()))?;
        Ok(OutputDir { target: target.into(), staging, force, committed: false })
    }

    /// Where the folder will be.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The staging folder.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Where to write file `name` before the commit.
    pub fn file(&self, name: &str) -> PathBuf {
        self.staging.join(name)
    }

    /// Move the finished folder into place. A folder already at the target
    /// (checked again: empty, or one fupin wrote) is first moved aside to a
    /// fresh hidden name, then deleted once the new one is in place.
    pub fn commit(mut self) -> Result<PathBuf> {
        // Checked again: something may have appeared at the target during the run.
        check_target(&self.target, self.force)?;
        if self.target.exists() {
            let parent = self.staging.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            let name = final_name(&self.target).unwrap_or_default();
            let old = unique_sibling(&parent, &format!(".{name}.old-"))?;
            // `old` is a new empty folder: renaming a folder onto it replaces it.
            std::fs::rename(&self.target, &old).map_err(io(&self.target))?;
            if let Err(e) = std::fs::rename(&self.staging, &self.target) {
                // Put the old results back rather than lose them.
                let _ = std::fs::rename(&old, &self.target);
                return Err(io(&self.target)(e));
            }
            // The old results are gone from view; failing to delete them loses nothing.
            let _ = std::fs::remove_dir_all(&old);
        } else {
            std::fs::rename(&self.staging, &self.target).map_err(io(&self.target))?;
        }
        self.committed = true;
        Ok(self.target.clone())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// A name as a CSV cell. Text a spreadsheet would read as a formula (it
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a
/// leading apostrophe, as spreadsheet-safe writers do; other names are
/// written as they are. Only names are escaped, never numbers.
pub fn csv_text(name: &str) -> String {
    if name.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{name}")
    } else {
        name.to_string()
    }
}

/// A CSV file streamed into an output folder.
pub(crate) type CsvFile = csv::Writer<std::io::BufWriter<std::fs::File>>;

/// Streams `timeseries.csv` and `prices.csv` as replicates arrive, so
/// memory does not grow with the number of replicates.
pub struct SeriesWriter {
    timeseries: CsvFile,
    prices: CsvFile,
}

/// Create `name` in `dir` and write its header.
pub(crate) fn csv_file<T: AsRef<[u8]>>(
    dir: &OutputDir,
    name: &str,
    header: impl IntoIterator<Item = T>,
) -> Result<CsvFile> {
    let path = dir.file(name);
    let f = std::fs::File::create(&path).map_err(io(&path))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(f));
    w.write_record(header).map_err(|e| Error::Other(format!("{name}: {e}")))?;
    Ok(w)
}

/// Flush streamed CSV files to disk.
pub(crate) fn finish_csv<const N: usize>(files: [CsvFile; N], what: &str) -> Result<()> {
    for w in files {
        let mut inner = w.into_inner().map_err(|e| Error::Other(format!("writing {what}: {e}")))?;
        std::io::Write::flush(&mut inner).map_err(|e| Error::Other(format!("writing {what}: {e}")))?;
    }
    Ok(())
}

impl SeriesWriter {
    pub fn create(dir: &OutputDir) -> Result<Self> {
        Ok(SeriesWriter {
            timeseries: csv_file(dir, "timeseries.csv", crate::sim::run::timeseries_header())?,
            prices: csv_file(dir, "prices.csv", crate::sim::run::prices_header())?,
        })
    }

    /// Append one replicate's rows.
    pub fn push(&mut self, sc: &Scenario, rep: &crate::sim::ReplicateOutcome) -> Result<()> {
        let fail = |e: csv::Error| Error::Other(format!("writing series: {e}"));
        let nc = sc.commodities.len();
        let r = rep.replicate.to_string();
        for (arm, out) in sc.arms.iter().zip(&rep.arms) {
            for (t, row) in out.monthly.iter().enumerate() {
                let year = (sc.start_year + (t / 12) as i32).to_string();
                let month = (t % 12 + 1).to_string();
                let mut rec = vec![csv_text(&arm.name), r.clone(), year.clone(), month.clone()];
                rec.extend(row.iter().map(|x| x.to_string()));
                self.timeseries.write_record(&rec).map_err(fail)?;
                for (c, k) in sc.commodities.iter().enumerate() {
                    let cells = &out.market[t * nc + c];
                    let mut rec = vec![csv_text(&arm.name), r.clone(), year.clone(), month.clone(), csv_text(&k.name)];
                    rec.extend(cells.iter().map(|x| x.to_string()));
                    self.prices.write_record(&rec).map_err(fail)?;
                }
            }
        }
        Ok(())
    }

    /// Flush both files to disk.
    pub fn finish(self) -> Result<()> {
        finish_csv([self.timeseries, self.prices], "series")
    }
}

/// Streams `replicates.csv` (each replicate's yearly metrics, per arm) and
/// `replicate_totals.csv`: the per-replicate values the summary is built
/// from, so that shards of a sweep can be merged into exactly the summary
/// one run would have written.
pub struct ReplicateWriter {
    yearly: CsvFile,
    totals: CsvFile,
}

impl ReplicateWriter {
    pub fn create(dir: &OutputDir, sc: &Scenario) -> Result<Self> {
        let mut yh = vec!["arm".to_string(), "replicate".into(), "period".into(), "year".into()];
        yh.extend(sc.yearly_names());
        let mut th = vec!["arm".to_string(), "replicate".into()];
        th.extend(crate::outcome::totals_names(&SINKS));
        Ok(ReplicateWriter {
            yearly: csv_file(dir, "replicates.csv", &yh)?,
            totals: csv_file(dir, "replicate_totals.csv", &th)?,
        })
    }

    pub fn push(&mut self, sc: &Scenario, rep: &crate::sim::ReplicateOutcome) -> Result<()> {
        let fail = |e: csv::Error| Error::Other(format!("writing replicates: {e}"));
        let r = rep.replicate.to_string();
        for (arm, out) in sc.arms.iter().zip(&rep.arms) {
            for (k, row) in out.yearly.iter().enumerate() {
                let (period, year) =
                    if k == 0 { ("initial", sc.start_year - 1) } else { ("year", sc.start_year + k as i32 - 1) };
                let mut rec = vec![csv_text(&arm.name), r.clone(), period.to_string(), year.to_string()];
                rec.extend(row.iter().map(|x| x.to_string()));
                self.yearly.write_record(&rec).map_err(fail)?;
            }
            let mut rec = vec![csv_text(&arm.name), r.clone()];
            rec.extend(out.totals.iter().map(|x| x.to_string()));
            self.totals.write_record(&rec).map_err(fail)?;
        }
        Ok(())
    }

    pub fn finish(self) -> Result<()> {
        finish_csv([self.yearly, self.totals], "replicates")
    }
}

pub use crate::atomic::write_atomic;

fn metric_block<S: AsRef<str>>(names: &[S], cells: &[crate::stats::Welford]) -> Block {
    names.iter().zip(cells).map(|(name, w)| (name.as_ref().to_string(), w.interval().into())).collect()
}

fn years_block(sc: &Scenario, stats: &ArmStats) -> Vec<Year> {
    let names = sc.yearly_names();
    stats.yearly[1..]
        .iter()
        .enumerate()
        .map(|(y, cells)| Year { metrics: metric_block(&names, cells), year: sc.start_year + y as i32 })
        .collect()
}

/// `summary.json`: per arm an `initial` block, each year, and totals; then
/// paired differences of each arm against the first.
pub fn summary(sc: &Scenario, agg: &Aggregate) -> Summary {
    let names = sc.yearly_names();
    let totals = crate::outcome::totals_names(&SINKS);
    let arms = sc
        .arms
        .iter()
        .zip(&agg.arms)
        .map(|(arm, st)| summary::Arm {
            description: arm.description.clone(),
            initial: metric_block(&names, &st.yearly[0]),
            name: arm.name.clone(),
            totals: metric_block(&totals, &st.totals),
            years: years_block(sc, st),
        })
        .collect();
    let differences = sc.arms[1..]
        .iter()
        .zip(&agg.diffs)
        .map(|(arm, st)| Difference {
            arm: arm.name.clone(),
            totals: metric_block(&totals, &st.totals),
            versus: sc.arms[0].name.clone(),
            years: years_block(sc, st),
        })
        .collect();
    Summary {
        arms,
        commodity_units: sc.commodities.iter().map(|c| (c.name.clone(), c.unit.clone())).collect(),
        comparisons: comparisons(sc, agg),
        description: sc.description.clone(),
        differences,
        households: sc.population.households as u64,
        poverty_line: (0..sc.years as i32).map(|y| sc.poverty_line_in(y)).collect(),
        price_index: (1..=sc.years as i32).map(|y| sc.price(y)).collect(),
        replicates: Some(agg.replicates as u64),
        scenario: sc.name.clone(),
        seed: sc.seed,
        sinks: SINKS.iter().map(|s| s.to_string()).collect(),
        start_year: sc.start_year,
        years: sc.years,
    }
}

/// Whole-run comparisons of every arm against the reference.
fn comparisons(sc: &Scenario, agg: &Aggregate) -> Vec<summary::Comparison> {
    let c = &agg.comparisons;
    let reference = &sc.arms[0].name;
    sc.arms
        .iter()
        .enumerate()
        .map(|(a, arm)| summary::Comparison {
            arm: arm.name.clone(),
            cost_per_additional_sustained_exit: c.cost_per_additional_exit(a).into(),
            cost_per_poverty_year_averted: c.cost_per_poverty_year(a).into(),
            mean_headcount_rate_effect: c.mean_effect[a].interval().into(),
            p_beats: sc
                .arms
                .iter()
                .enumerate()
                .filter_map(|(b, other)| c.p_beats(a, b).map(|p| (other.name.clone(), p)))
                .collect(),
            p_beats_reference: c.p_beats(a, 0),
            poverty_years_averted: c.averted[a].interval().into(),
            role: if a == 0 { "reference" } else { "arm" }.to_string(),
            versus: reference.clone(),
        })
        .collect()
}

/// `summary.csv`: the yearly numbers of `summary.json`, one row per (kind,
/// arm, period, year, metric), with the metric's unit. `year` is always a
/// calendar year: the whole-run numbers are in `summary_run.csv`.
pub fn summary_csv(sc: &Scenario, agg: &Aggregate) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Error::Other(format!("summary.csv: {e}"));
    w.write_record(["kind", "arm", "versus", "period", "year", "metric", "mean", "lo", "hi", "n", "unit", "group"])
        .map_err(fail)?;
    let names = sc.yearly_names();
    let units: Vec<String> = names.iter().map(|n| crate::outcome::unit_in(&sc.commodities, n)).collect();
    let split: Vec<(&str, &str)> = names.iter().map(|n| crate::outcome::split_group(n)).collect();
    let mut emit = |kind: &str, arm: &str, versus: &str, st: &ArmStats, with_initial: bool| -> csv::Result<()> {
        for (y, cells) in st.yearly.iter().enumerate() {
            if y == 0 && !with_initial {
                continue;
            }
            let (period, year) = if y == 0 {
                ("initial", (sc.start_year - 1).to_string())
            } else {
                ("year", (sc.start_year + y as i32 - 1).to_string())
            };
            for ((&(metric, group), c), unit) in split.iter().zip(cells).zip(&units) {
                let i = c.interval();
                let [mean, lo, hi] = [i.mean, i.lo, i.hi].map(cell);
                let group = csv_text(group);
                w.write_record([
                    kind,
                    arm,
                    versus,
                    period,
                    &year,
                    metric,
                    &mean,
                    &lo,
                    &hi,
                    &i.n.to_string(),
                    unit,
                    &group,
                ])?;
            }
        }
        Ok(())
    };
    for (arm, st) in sc.arms.iter().zip(&agg.arms) {
        emit("level", &csv_text(&arm.name), "", st, true).map_err(fail)?;
    }
    for (arm, st) in sc.arms[1..].iter().zip(&agg.diffs) {
        emit("difference", &csv_text(&arm.name), &csv_text(&sc.arms[0].name), st, false).map_err(fail)?;
    }
    w.into_inner().map_err(|e| Error::Other(format!("summary.csv: {e}")))
}

/// `scenario.resolved.json`: the scenario file as fupin read it, with every
/// default filled in.
pub fn resolved_scenario(sc: &Scenario) -> Result<Vec<u8>> {
    let bad = |message: String| Error::Parse { path: sc.path.clone(), message };
    let file: crate::scenario::file::ScenarioFile = toml::from_str(&sc.source).map_err(|e| bad(e.to_string()))?;
    serde_json::to_vec_pretty(&file).map_err(|e| bad(e.to_string()))
}

/// A number as a CSV cell: empty where there is none.
fn cell(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

/// `summary_run.csv`: the whole-run numbers, one row per (kind, arm,
/// metric): each arm's totals (`level`), their paired differences against
/// the first arm (`difference`), and the comparisons over the whole run
/// (`comparison`), with units.
pub fn summary_run_csv(sc: &Scenario, agg: &Aggregate) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Error::Other(format!("summary_run.csv: {e}"));
    w.write_record(["kind", "arm", "versus", "metric", "mean", "lo", "hi", "n", "unit"]).map_err(fail)?;
    let totals = crate::outcome::totals_names(&SINKS);
    let reference = csv_text(&sc.arms[0].name);
    let mut emit = |kind: &str, arm: &str, versus: &str, st: &ArmStats| -> csv::Result<()> {
        for (name, c) in totals.iter().zip(&st.totals) {
            let i = c.interval();
            let [mean, lo, hi] = [i.mean, i.lo, i.hi].map(cell);
            let unit = crate::outcome::unit_of(name);
            w.write_record([kind, arm, versus, name, &mean, &lo, &hi, &i.n.to_string(), unit])?;
        }
        Ok(())
    };
    for (arm, st) in sc.arms.iter().zip(&agg.arms) {
        emit("level", &csv_text(&arm.name), "", st).map_err(fail)?;
    }
    for (arm, st) in sc.arms[1..].iter().zip(&agg.diffs) {
        emit("difference", &csv_text(&arm.name), &reference, st).map_err(fail)?;
    }
    comparison_rows(&mut w, sc, agg).map_err(fail)?;
    w.into_inner().map_err(|e| Error::Other(format!("summary_run.csv: {e}")))
}

/// The whole-run comparisons as `summary_run.csv` rows (`kind` =
/// `comparison`). A value that is not defined leaves its cells empty.
fn comparison_rows(w: &mut csv::Writer<Vec<u8>>, sc: &Scenario, agg: &Aggregate) -> csv::Result<()> {
    let n = agg.comparisons.replicates.to_string();
    let versus = csv_text(&sc.arms[0].name);
    for c in comparisons(sc, agg) {
        let arm = csv_text(&c.arm);
        let mut row = |metric: &str, mean: Option<f64>, lo: Option<f64>, hi: Option<f64>| {
            let [mean, lo, hi] = [mean, lo, hi].map(cell);
            let unit = crate::outcome::unit_of(metric);
            w.write_record(["comparison", &arm, &versus, metric, &mean, &lo, &hi, &n, unit])
        };
        let i = c.poverty_years_averted;
        row("poverty_years_averted", i.mean, i.lo, i.hi)?;
        let i = c.mean_headcount_rate_effect;
        row("mean_headcount_rate_effect", i.mean, i.lo, i.hi)?;
        row("p_beats_reference", c.p_beats_reference, None, None)?;
        for other in &sc.arms {
            if let Some(&p) = c.p_beats.get(&other.name) {
                row(&format!("p_beats.{}", other.name), Some(p), None, None)?;
            }
        }
        let k = &c.cost_per_poverty_year_averted;
        row("cost_per_poverty_year_averted", k.mean, k.lo, k.hi)?;
        let k = &c.cost_per_additional_sustained_exit;
        row("cost_per_additional_sustained_exit", k.mean, k.lo, k.hi)?;
    }
    Ok(())
}

/// `timeseries_summary.csv`: per arm (and per arm minus the first arm),
/// month and monthly metric, the mean over replicates with its 95% interval.
pub fn timeseries_summary_csv(sc: &Scenario, agg: &crate::sim::run::MonthlyAggregate) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Error::Other(format!("timeseries_summary.csv: {e}"));
    w.write_record(["kind", "arm", "versus", "year", "month", "metric", "mean", "lo", "hi", "n"]).map_err(fail)?;
    let fmt = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    let mut emit =
        |kind: &str, arm: &str, versus: &str, cells: &[[crate::stats::Welford; crate::outcome::MONTHLY.len()]]| {
            for (t, row) in cells.iter().enumerate() {
                let (year, month) = ((sc.start_year + (t / 12) as i32).to_string(), (t % 12 + 1).to_string());
                for (name, c) in crate::outcome::MONTHLY.iter().map(|m| m.name).zip(row) {
                    let i = c.interval();
                    w.write_record([
                        kind,
                        arm,
                        versus,
                        &year,
                        &month,
                        name,
                        &fmt(i.mean),
                        &fmt(i.lo),
                        &fmt(i.hi),
                        &i.n.to_string(),
                    ])
                    .map_err(fail)?;
                }
            }
            Ok::<(), Error>(())
        };
    for (arm, cells) in sc.arms.iter().zip(&agg.levels) {
        emit("level", &csv_text(&arm.name), "", cells)?;
    }
    for (arm, cells) in sc.arms[1..].iter().zip(&agg.diffs) {
        emit("difference", &csv_text(&arm.name), &csv_text(&sc.arms[0].name), cells)?;
    }
    w.into_inner().map_err(|e| Error::Other(format!("timeseries_summary.csv: {e}")))
}

/// Everything needed to reproduce the run, and what it cost.
#[derive(Clone)]
pub struct ManifestInfo<'a> {
    pub scenario: &'a Scenario,
    /// SHA-256 of each per-replicate file written, lowercase hex (filled in
    /// when the manifest is written).
    pub checksums: std::collections::BTreeMap<String, String>,
    pub first_replicate: u32,
    pub replicates: u32,
    pub threads: usize,
    pub wall_seconds: f64,
    pub timeseries: &'a str,
}

pub fn manifest_json(m: &ManifestInfo) -> Value {
    let sc = m.scenario;
    let hm = crate::sim::run::household_months(sc, m.replicates);
    json!({
        "fupin_version": env!("CARGO_PKG_VERSION"),
        "scenario_name": sc.name,
        // Absolute, so that `fupin merge` finds it from any folder.
        "scenario_path": std::fs::canonicalize(&sc.path).unwrap_or_else(|_| sc.path.clone()).display().to_string(),
        "scenario_sha256": sc.sha256,
        "seed": sc.seed,
        "first_replicate": m.first_replicate,
        "replicates": m.replicates,
        "arms": sc.arms.iter().map(|a| a.name.clone()).collect::<Vec<_>>(),
        "threads": m.threads,
        "households": sc.population.households,
        "months": sc.months(),
        "timeseries": m.timeseries,
        "wall_seconds": m.wall_seconds,
        "household_months": hm,
        "household_months_per_second": if m.wall_seconds > 0.0 { hm / m.wall_seconds } else { 0.0 },
        "command": std::env::args().collect::<Vec<_>>(),
        "checksums": m.checksums,
        "overrides": sc.overrides.iter().map(|o| o.text()).collect::<Vec<_>>(),
    })
}

/// The per-replicate files a manifest lists checksums for (those present).
pub const CHECKED_FILES: [&str; 5] =
    ["timeseries.csv", "prices.csv", "replicates.csv", "replicate_totals.csv", "timeseries_summary.csv"];

/// SHA-256 of a file, lowercase hex, read in blocks.
pub fn sha256_file(path: &Path) -> Result<String> {
    use sha2::{Digest, Sha256};
    let mut f = std::fs::File::open(path).map_err(|source| Error::Read { what: "file", path: path.into(), source })?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h).map_err(|source| Error::Read { what: "file", path: path.into(), source })?;
    Ok(format!("{:x}", h.finalize()))
}

/// Checksums of the [`CHECKED_FILES`] present in `dir`.
pub fn checksums(dir: &Path) -> Result<std::collections::BTreeMap<String, String>> {
    let mut out = std::collections::BTreeMap::new();
    for f in CHECKED_FILES {
        let p = dir.join(f);
        if p.is_file() {
            out.insert(f.to_string(), sha256_file(&p)?);
        }
    }
    Ok(out)
}
