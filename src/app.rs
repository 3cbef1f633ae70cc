//! The pipeline: load → simulate → write → charts → commit the folder.
//!
//! `fupin run` and `fupin merge` both end here ([`finish`]); the command
//! line only parses its arguments into [`RunOptions`], calls [`run`] and
//! prints. Architecture invariant: this module does not know clap and
//! prints nothing but the progress bar.

use crate::error::{Error, Result};
use crate::output::{self, ManifestInfo, OutputDir};
use crate::scenario::{Scenario, MAX_REPLICATES};
use crate::sim::run::{self, Aggregate};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

/// Which monthly series a run writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeseries {
    /// timeseries.csv and prices.csv.
    Full,
    /// timeseries_summary.csv.
    Summary,
    /// Neither.
    None,
}

/// What `fupin run` was asked to do, as parsed from the command line.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub scenario: PathBuf,
    pub out: Option<PathBuf>,
    pub replicates: Option<i64>,
    pub first_replicate: i64,
    pub seed: Option<u64>,
    pub threads: Option<i64>,
    pub force: bool,
    pub timeseries: Timeseries,
    /// No progress bar.
    pub quiet: bool,
    pub no_charts: bool,
    /// Language of the charts and the report.
    pub lang: crate::lang::Lang,
    /// `--set PATH=VALUE` overrides, in order.
    pub sets: Vec<String>,
}

/// What a finished run leaves for the caller to report.
pub struct RunResult {
    pub sc: Scenario,
    pub agg: Aggregate,
    pub out: PathBuf,
    pub wall_seconds: f64,
}

/// `fupin init`: write shipped scenario `from` to `file`, never overwriting.
pub fn init(file: &Path, from: &str) -> Result<()> {
    let Some((_, text)) = crate::shipped::SHIPPED.iter().find(|(n, _)| *n == from) else {
        let names: Vec<&str> = crate::shipped::SHIPPED.iter().map(|(n, _)| *n).collect();
        return Err(Error::Flag {
            flag: "--from",
            value: from.into(),
            allowed: format!("one of {}", names.join(", ")),
        });
    };
    if file.exists() {
        return Err(Error::Flag {
            flag: "FILE",
            value: file.display().to_string(),
            allowed: "a path that does not exist yet (fupin init never overwrites)".into(),
        });
    }
    output::write_atomic(file, text.as_bytes())
}

pub fn thread_count(flag: Option<i64>) -> Result<usize> {
    if let Some(t) = flag {
        if !(1..=1024).contains(&t) {
            return Err(Error::Flag {
                flag: "--threads",
                value: t.to_string(),
                allowed: "an integer in [1, 1024]".into(),
            });
        }
        return Ok(t as usize);
    }
    if let Ok(v) = std::env::var("RAYON_NUM_THREADS") {
        return match v.trim().parse::<usize>() {
            Ok(t) if (1..=1024).contains(&t) => Ok(t),
            _ => Err(Error::Flag { flag: "RAYON_NUM_THREADS", value: v, allowed: "an integer in [1, 1024]".into() }),
        };
    }
    Ok(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
}

/// A progress bar on a terminal counting `len` `what`s (replicates, design
/// points); hidden when stderr is not a terminal, or with `--quiet`.
pub(crate) fn progress(len: u64, what: &str, quiet: bool) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{spinner}} {what} {{pos}}/{{len}} [{{bar:30}}] {{elapsed}} (eta {{eta}})"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar
}

/// A scenario as `fupin run` would simulate it: the file at `path` (or its
/// text `bytes`, read from `path` when `None`) with the `--set` overrides
/// `sets` applied, then `--replicates` and `--seed`. `fupin serve` builds
/// its runs here too, so that the page's numbers are the command line's.
pub fn prepare(
    path: &Path,
    bytes: Option<&[u8]>,
    sets: &[String],
    replicates: Option<i64>,
    seed: Option<u64>,
) -> Result<Scenario> {
    let sets = sets.iter().map(|s| crate::scenario::overrides::Override::parse(s)).collect::<Result<Vec<_>>>()?;
    let mut sc = match bytes {
        Some(b) => Scenario::from_bytes_with(path, b, &sets)?,
        None => Scenario::load_with(path, &sets)?,
    };
    if let Some(r) = replicates {
        if !(1..=MAX_REPLICATES).contains(&r) {
            return Err(Error::Flag {
                flag: "--replicates",
                value: r.to_string(),
                allowed: format!("an integer in [1, {MAX_REPLICATES}]"),
            });
        }
        sc.replicates = r as u32;
    }
    if let Some(s) = seed {
        sc.seed = s;
    }
    Ok(sc)
}

/// `fupin run`: load, simulate, write, draw, commit the folder.
pub fn run(args: &RunOptions, stop: &AtomicBool) -> Result<RunResult> {
    let sc = prepare(&args.scenario, None, &args.sets, args.replicates, args.seed)?;
    if !(0..=u32::MAX as i64 - sc.replicates as i64).contains(&args.first_replicate) {
        return Err(Error::Flag {
            flag: "--first-replicate",
            value: args.first_replicate.to_string(),
            allowed: format!("an integer in [0, {}]", u32::MAX as i64 - sc.replicates as i64),
        });
    }
    let threads = thread_count(args.threads)?;
    crate::memory::check(&sc, threads)?;
    let target = args.out.clone().unwrap_or_else(|| Path::new("output").join(&sc.name));
    let monthly_files = args.timeseries == Timeseries::Full;
    crate::memory::check_disk(&sc, sc.replicates, monthly_files, &target)?;
    let dir = OutputDir::create(&target, args.force)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Other(format!("cannot start {threads} threads: {e}")))?;

    let started = Instant::now();
    let mut agg = Aggregate::new(&sc);
    let mut series = match args.timeseries {
        Timeseries::Full => Some(output::SeriesWriter::create(&dir)?),
        Timeseries::Summary | Timeseries::None => None,
    };
    let mut monthly = (args.timeseries == Timeseries::Summary).then(|| run::MonthlyAggregate::new(&sc));
    let wants_months = args.timeseries != Timeseries::None;
    let mut replicates = output::ReplicateWriter::create(&dir, &sc)?;
    let first = args.first_replicate as u32;
    let bar = progress(sc.replicates as u64, "replicates", args.quiet);
    pool.install(|| {
        run::simulate_range(&sc, first..first + sc.replicates, wants_months, stop, |rep| {
            agg.push(rep);
            if let Some(m) = monthly.as_mut() {
                m.push(rep);
            }
            replicates.push(&sc, rep)?;
            bar.inc(1);
            match series.as_mut() {
                Some(w) => w.push(&sc, rep),
                None => Ok(()),
            }
        })
    })
    .map_err(|e| match e {
        Error::Interrupted { .. } => Error::Interrupted { path: target.clone() },
        other => other,
    })?;
    bar.finish_and_clear();
    if let Some(w) = series {
        w.finish()?;
    }
    replicates.finish()?;
    if let Some(m) = &monthly {
        output::write_atomic(&dir.file("timeseries_summary.csv"), &output::timeseries_summary_csv(&sc, m)?)?;
    }
    let wall = started.elapsed().as_secs_f64();
    let manifest = ManifestInfo {
        scenario: &sc,
        checksums: Default::default(),
        first_replicate: first,
        replicates: sc.replicates,
        threads,
        wall_seconds: wall,
        timeseries: match args.timeseries {
            Timeseries::Full => "full",
            Timeseries::Summary => "summary",
            Timeseries::None => "none",
        },
    };
    let charts = (!args.no_charts).then_some(args.lang);
    let out = finish(dir, &sc, &agg, (&manifest, charts), stop)?;
    Ok(RunResult { sc, agg, out, wall_seconds: wall })
}

/// The end of every pipeline (a run or a merge): the summary files and the
/// manifest, then the charts and report if wanted, then the staging folder
/// moved into place. Returns the output folder. A stop signal that arrives
/// while the files are written is obeyed at each step: nothing is
/// committed, and the staging folder is removed.
pub fn finish(
    dir: OutputDir,
    sc: &Scenario,
    agg: &Aggregate,
    (manifest, charts): (&ManifestInfo, Option<crate::lang::Lang>),
    stop: &AtomicBool,
) -> Result<PathBuf> {
    let stopped = |target: &Path| {
        if stop.load(std::sync::atomic::Ordering::SeqCst) {
            Err(Error::Interrupted { path: target.into() })
        } else {
            Ok(())
        }
    };
    let target = dir.target().to_path_buf();
    write_results(&dir, sc, agg, manifest)?;
    stopped(&target)?;
    if let Some(lang) = charts {
        let drawn = crate::chart::write_charts(dir.path(), lang)?;
        stopped(&target)?;
        crate::report::write_report(dir.path(), &drawn, lang)?;
    }
    stopped(&target)?;
    dir.commit()
}

/// `fupin plot`: draw the charts and report of an output folder again.
/// Returns the report's path.
pub fn plot(out: &Path, lang: crate::lang::Lang) -> Result<PathBuf> {
    if !out.join("summary.json").is_file() {
        return Err(Error::Parse { path: out.into(), message: "not a fupin output folder (no summary.json)".into() });
    }
    let charts = crate::chart::write_charts(out, lang)?;
    crate::report::write_report(out, &charts, lang)
}

/// The summary files and the manifest, into a staging folder.
fn write_results(dir: &OutputDir, sc: &Scenario, agg: &Aggregate, manifest: &ManifestInfo) -> Result<()> {
    output::write_atomic(&dir.file("summary.json"), &output::summary(sc, agg).to_bytes())?;
    output::write_atomic(&dir.file("summary.csv"), &output::summary_csv(sc, agg)?)?;
    output::write_atomic(&dir.file("summary_run.csv"), &output::summary_run_csv(sc, agg)?)?;
    output::write_atomic(&dir.file("scenario.toml"), sc.source.as_bytes())?;
    output::write_atomic(&dir.file("scenario.resolved.json"), &output::resolved_scenario(sc)?)?;
    let manifest = ManifestInfo { checksums: output::checksums(dir.path())?, ..manifest.clone() };
    let json = match serde_json::to_vec_pretty(&output::manifest_json(&manifest)) {
        Ok(j) => j,
        Err(e) => unreachable!("a manifest of plain values serialises: {e}"),
    };
    output::write_atomic(&dir.file("manifest.json"), &json)
}
