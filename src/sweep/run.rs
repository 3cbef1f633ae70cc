//! Running a sweep: a task's share of the design points, rows streamed to
//! `sweep.csv`, then either the whole sweep's results ([`super::finish`]) or,
//! for one task of several, a shard that `fupin merge` joins.
//!
//! Points are simulated in batches: the scenarios of a batch are built
//! first, then every (point, replicate) pair runs in parallel and only each
//! replicate's outcome values are kept; the batch is folded and written in
//! point order, so the rows do not depend on the thread count and memory
//! does not grow with the number of points.

use super::{Reported, Sweep};
use crate::error::{Error, Result};
use crate::output::{csv_file, csv_text, finish_csv, CsvFile, OutputDir};
use crate::sim::replicate;
use crate::stats::Welford;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

/// What `fupin sweep` was asked to do.
#[derive(Debug, Clone)]
pub struct SweepOptions {
    pub sweep: PathBuf,
    pub out: Option<PathBuf>,
    /// `--task I`: run the I-th share of the points only.
    pub task: Option<i64>,
    /// `--tasks N`: the number of shares.
    pub tasks: Option<i64>,
    pub threads: Option<i64>,
    pub force: bool,
    pub quiet: bool,
    pub no_charts: bool,
    /// Language of the charts and the report.
    pub lang: crate::lang::Lang,
    /// Write a Slurm job-array script instead of running.
    pub slurm: bool,
    /// Only check the sweep file.
    pub check: bool,
}

/// What a sweep command did.
pub enum SweepResult {
    /// The sweep file is valid (`--check`); nothing ran.
    Checked(Box<Sweep>),
    /// Points simulated into `out` (a shard when `shard`).
    Ran { sweep: Box<Sweep>, out: PathBuf, points: std::ops::Range<usize>, shard: bool, wall_seconds: f64 },
    /// A Slurm script written; `next` says how to submit and merge.
    Slurm { script: PathBuf, next: String },
}

/// The points of task `task` of `tasks`: a contiguous share, so that the
/// shards' rows, in task order, are the rows of one run.
pub fn share(points: usize, task: usize, tasks: usize) -> std::ops::Range<usize> {
    let at = |i: usize| (points as u128 * i as u128 / tasks as u128) as usize;
    at(task)..at(task + 1)
}

fn flag(flag: &'static str, value: impl ToString, allowed: impl ToString) -> Error {
    Error::Flag { flag, value: value.to_string(), allowed: allowed.to_string() }
}

/// `fupin sweep`.
pub fn sweep(o: &SweepOptions, stop: &AtomicBool) -> Result<SweepResult> {
    let sweep = Sweep::load(&o.sweep)?;
    if o.check {
        return Ok(SweepResult::Checked(Box::new(sweep)));
    }
    let tasks = match o.tasks {
        None => 1,
        Some(n) if (1..=100_000).contains(&n) => n as usize,
        Some(n) => return Err(flag("--tasks", n, "an integer in [1, 100000]")),
    };
    if o.slurm {
        if o.task.is_some() {
            return Err(flag("--task", o.task.unwrap_or(0), "no --task with --slurm: the script runs every task"));
        }
        return slurm_script(o, &sweep, tasks);
    }
    let task = match (o.task, o.tasks) {
        (None, None) => None,
        (Some(i), Some(_)) if (0..tasks as i64).contains(&i) => Some(i as usize),
        (Some(i), Some(_)) => return Err(flag("--task", i, format!("an integer in [0, {}]", tasks - 1))),
        (Some(i), None) => return Err(flag("--task", i, "--task I with --tasks N")),
        (None, Some(n)) => return Err(flag("--tasks", n, "--tasks N with --task I (or --slurm)")),
    };
    let threads = crate::app::thread_count(o.threads)?;
    let range = match task {
        Some(i) => share(sweep.points, i, tasks),
        None => 0..sweep.points,
    };
    let target = o.out.clone().unwrap_or_else(|| match task {
        Some(i) => Path::new("output").join(format!("{}.task-{i}", sweep.name)),
        None => Path::new("output").join(&sweep.name),
    });
    let dir = OutputDir::create(&target, o.force)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Other(format!("cannot start {threads} threads: {e}")))?;
    let started = Instant::now();
    let bar = crate::app::progress(range.len() as u64, "points", o.quiet);
    let mut rows = RowWriter::create(&dir, &sweep)?;
    pool.install(|| {
        simulate(&sweep, range.clone(), threads, stop, |p, stats| {
            bar.inc(1);
            rows.push(&sweep, p, stats)
        })
    })
    .map_err(|e| match e {
        Error::Interrupted { .. } => Error::Interrupted { path: target.clone() },
        other => other,
    })?;
    bar.finish_and_clear();
    rows.finish()?;
    let wall_seconds = started.elapsed().as_secs_f64();
    let out = match task {
        Some(i) => super::finish::shard(dir, &sweep, (i, tasks), range.clone())?,
        None => super::finish::finish(dir, &sweep, (!o.no_charts).then_some(o.lang), stop)?,
    };
    Ok(SweepResult::Ran { sweep: Box::new(sweep), out, points: range, shard: task.is_some(), wall_seconds })
}

/// Each outcome for each arm of one replicate: `[arm × outcomes + outcome]`.
fn values(sweep: &Sweep, r: &replicate::ReplicateOutcome) -> Vec<f64> {
    r.arms.iter().flat_map(|a| sweep.outcomes.iter().map(|o| o.value(&a.yearly, &a.totals))).collect()
}

/// A reported arm or difference from one replicate's values.
fn reported_value(rep: &Reported, v: &[f64], outcomes: usize, o: usize) -> f64 {
    let level = v[rep.arm * outcomes + o];
    match rep.minus {
        Some(m) => level - v[m * outcomes + o],
        None => level,
    }
}

/// Simulate points `range` on the current rayon pool, calling `each` with
/// every point's statistics (`[reported × outcomes + outcome]`) in point order.
pub fn simulate(
    sweep: &Sweep,
    range: std::ops::Range<usize>,
    threads: usize,
    stop: &AtomicBool,
    mut each: impl FnMut(usize, &[Welford]) -> Result<()>,
) -> Result<()> {
    let reps = sweep.base.replicates as usize;
    let per_batch = (4 * threads).div_ceil(reps).max(1);
    let no = sweep.outcomes.len();
    let mut p = range.start;
    while p < range.end {
        let end = (p + per_batch).min(range.end);
        let scenarios = (p..end).map(|q| sweep.scenario_at(q)).collect::<Result<Vec<_>>>()?;
        for sc in &scenarios {
            crate::memory::check(sc, threads)?;
        }
        let jobs: Vec<(usize, u32)> =
            (0..scenarios.len()).flat_map(|i| (0..reps as u32).map(move |r| (i, r))).collect();
        let results: Option<Vec<Vec<f64>>> = jobs
            .par_iter()
            .map(|&(i, r)| replicate::run_replicate_until(&scenarios[i], r, false, stop).map(|out| values(sweep, &out)))
            .collect();
        let results = results.ok_or(Error::Interrupted { path: PathBuf::new() })?;
        for (i, point) in results.chunks(reps).enumerate() {
            let mut stats = vec![Welford::default(); sweep.reported.len() * no];
            for v in point {
                for (k, rep) in sweep.reported.iter().enumerate() {
                    for o in 0..no {
                        stats[k * no + o].push(reported_value(rep, v, no, o));
                    }
                }
            }
            each(p + i, &stats)?;
        }
        p = end;
    }
    Ok(())
}

/// Streams `sweep.csv`: one row per point × reported arm × outcome.
struct RowWriter {
    w: CsvFile,
}

impl RowWriter {
    fn create(dir: &OutputDir, sweep: &Sweep) -> Result<RowWriter> {
        Ok(RowWriter { w: csv_file(dir, "sweep.csv", sweep.header())? })
    }

    fn push(&mut self, sweep: &Sweep, p: usize, stats: &[Welford]) -> Result<()> {
        let no = sweep.outcomes.len();
        let cell = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
        // The point's parameter cells, once: names get the spreadsheet guard; numbers never do
        // (a negative value stays a number).
        let levels: Vec<String> = (0..sweep.parameters.len())
            .map(|j| {
                let level = sweep.level(p, j);
                if level.number.is_some() {
                    level.cell
                } else {
                    csv_text(&level.cell)
                }
            })
            .collect();
        for (k, rep) in sweep.reported.iter().enumerate() {
            for (o, outcome) in sweep.outcomes.iter().enumerate() {
                let i = stats[k * no + o].interval();
                let mut rec = vec![p.to_string()];
                rec.extend(levels.iter().cloned());
                rec.extend([
                    csv_text(&rep.name),
                    csv_text(&rep.minus_name),
                    outcome.metric.clone(),
                    outcome.period.clone(),
                    cell(i.mean),
                    cell(i.lo),
                    cell(i.hi),
                    i.n.to_string(),
                ]);
                self.w.write_record(&rec).map_err(|e| Error::Other(format!("sweep.csv: {e}")))?;
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<()> {
        finish_csv([self.w], "sweep.csv")
    }
}

/// Single quotes for a shell word.
fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// `fupin sweep --slurm`: an sbatch job-array script with one array task per
/// share of the points, each writing its shard; `fupin merge` joins them.
fn slurm_script(o: &SweepOptions, sweep: &Sweep, tasks: usize) -> Result<SweepResult> {
    let out = o.out.clone().unwrap_or_else(|| Path::new("output").join(&sweep.name));
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let shards = abs(&PathBuf::from(format!("{}.shards", out.display())));
    std::fs::create_dir_all(&shards).map_err(|source| Error::Write { path: shards.clone(), source })?;
    let script = shards.join("sweep.sbatch");
    if script.exists() && !o.force {
        return Err(Error::OutputExists { path: script });
    }
    let exe = std::env::current_exe().map_err(|e| Error::Other(format!("cannot find the fupin executable: {e}")))?;
    let threads = match o.threads {
        Some(_) => crate::app::thread_count(o.threads)?,
        None => 1,
    };
    let text = format!(
        "#!/bin/bash\n\
         # fupin sweep {name}: {points} points in {tasks} tasks, written by fupin {version}.\n\
         # Submit:  sbatch --wait {script}\n\
         # Then:    {exe} merge {shards}/task-* --out {out}\n\
         #SBATCH --job-name=fupin-{name}\n\
         #SBATCH --array=0-{last}\n\
         #SBATCH --cpus-per-task={threads}\n\
         #SBATCH --output={log}/log-%a.txt\n\
         set -euo pipefail\n\
         exec {exe} sweep {file} --task \"$SLURM_ARRAY_TASK_ID\" --tasks {tasks} \\\n  \
         --out {shards}/task-\"$SLURM_ARRAY_TASK_ID\" --threads {threads} --force --quiet\n",
        name = sweep.name,
        points = sweep.points,
        version = env!("CARGO_PKG_VERSION"),
        script = quoted(&script.display().to_string()),
        exe = quoted(&exe.display().to_string()),
        shards = quoted(&shards.display().to_string()),
        log = shards.display(),
        out = quoted(&abs(&out).display().to_string()),
        file = quoted(&abs(&o.sweep).display().to_string()),
        last = tasks - 1,
    );
    crate::atomic::write_atomic(&script, text.as_bytes())?;
    let next = format!(
        "sbatch --wait {}\n{} merge {}/task-* --out {}",
        quoted(&script.display().to_string()),
        quoted(&exe.display().to_string()),
        quoted(&shards.display().to_string()),
        quoted(&abs(&out).display().to_string())
    );
    Ok(SweepResult::Slurm { script, next })
}

#[cfg(test)]
mod tests {
    use super::share;

    /// The shares cover every point once, in order, and differ in size by at most one.
    #[test]
    fn the_tasks_share_the_points_exactly() {
        for (points, tasks) in [(10, 3), (3, 4), (1000, 7), (0, 2)] {
            let shares: Vec<_> = (0..tasks).map(|i| share(points, i, tasks)).collect();
            assert_eq!(shares.first().map(|r| r.start), Some(0));
            assert_eq!(shares.last().map(|r| r.end), Some(points));
            assert!(shares.windows(2).all(|w| w[0].end == w[1].start));
            let (lo, hi) = (shares.iter().map(|r| r.len()).min(), shares.iter().map(|r| r.len()).max());
            assert!(hi.unwrap_or(0) - lo.unwrap_or(0) <= 1);
        }
    }
}
