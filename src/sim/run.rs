//! Running a scenario: replicates in parallel, results folded in order.
//!
//! Replicates are simulated in fixed-size batches with rayon; within a batch
//! the outcomes are collected in replicate order and then folded, one by one,
//! into the streaming aggregates and the time-series writer. The batch size
//! bounds memory; replicate order makes the output independent of the
//! thread count.

use super::replicate::{self, ReplicateOutcome};
use crate::compare::{Comparisons, WholeRun};
use crate::outcome::{MARKET, MONTHLY};
use crate::scenario::Scenario;
use crate::stats::Welford;
use rayon::prelude::*;
use std::sync::atomic::AtomicBool;

/// Replicates simulated per parallel batch.
pub const BATCH: u32 = 32;

/// Streaming aggregates of one arm: levels, or paired differences.
#[derive(Debug, Clone)]
pub struct ArmStats {
    /// Index 0 = initial, then one per policy year; columns are `Scenario::yearly_names`.
    pub yearly: Vec<Vec<Welford>>,
    /// Columns are `outcome::totals_names` of the sinks.
    pub totals: Vec<Welford>,
}

impl ArmStats {
    fn new(years: u32, metrics: usize) -> Self {
        ArmStats {
            yearly: vec![vec![Welford::default(); metrics]; years as usize + 1],
            totals: vec![Welford::default(); crate::outcome::totals_names(&crate::ledger::SINKS).len()],
        }
    }
}

/// Everything a run aggregates.
#[derive(Debug, Clone)]
pub struct Aggregate {
    pub arms: Vec<ArmStats>,
    /// `diffs[k]` is arm `k + 1` minus arm 0, paired by replicate.
    pub diffs: Vec<ArmStats>,
    /// Whole-run comparisons of every arm against the reference and each other.
    pub comparisons: Comparisons,
    pub replicates: u32,
    /// Positions of the values the comparisons read: the yearly headcount
    /// rate, and the totals' poverty person-years, spending and sustained exits.
    at: [usize; 4],
}

impl Aggregate {
    pub fn new(sc: &Scenario) -> Self {
        let k = sc.arms.len();
        let metrics = sc.yearly_names().len();
        let totals = crate::outcome::totals_names(&crate::ledger::SINKS);
        let total = |n: &str| totals.iter().position(|t| t == n).unwrap_or_else(|| unreachable!("{n} is registered"));
        let rate = sc.yearly_index("headcount_rate").unwrap_or_else(|| unreachable!("a registered metric"));
        Aggregate {
            arms: (0..k).map(|_| ArmStats::new(sc.years, metrics)).collect(),
            diffs: (1..k).map(|_| ArmStats::new(sc.years, metrics)).collect(),
            comparisons: Comparisons::new(k),
            replicates: 0,
            at: [rate, total("poverty_years"), total("spent_total"), total("sustained_exits")],
        }
    }

    /// Fold one replicate in. Call in replicate order.
    pub fn push(&mut self, r: &ReplicateOutcome) {
        let arms: Vec<(&[Vec<f64>], &[f64])> =
            r.arms.iter().map(|a| (a.yearly.as_slice(), a.totals.as_slice())).collect();
        self.push_values(&arms);
    }

    /// Fold in one replicate given as each arm's yearly rows and totals.
    pub fn push_values(&mut self, arms: &[(&[Vec<f64>], &[f64])]) {
        self.replicates += 1;
        let [rate, py, spent, exits] = self.at;
        let whole: Vec<WholeRun> = arms
            .iter()
            .map(|(yearly, totals)| {
                let years = &yearly[1..];
                WholeRun {
                    poverty_years: totals[py],
                    spent: totals[spent],
                    sustained_exits: totals[exits],
                    mean_headcount_rate: years.iter().map(|row| row[rate]).sum::<f64>() / years.len().max(1) as f64,
                }
            })
            .collect();
        self.comparisons.push(&whole);
        let (ref_yearly, ref_totals) = arms[0];
        for (a, (yearly, totals)) in arms.iter().enumerate() {
            for (y, row) in yearly.iter().enumerate() {
                for (j, &x) in row.iter().enumerate() {
                    self.arms[a].yearly[y][j].push(x);
                    if a > 0 {
                        self.diffs[a - 1].yearly[y][j].push(x - ref_yearly[y][j]);
                    }
                }
            }
            for (j, &x) in totals.iter().enumerate() {
                self.arms[a].totals[j].push(x);
                if a > 0 {
                    self.diffs[a - 1].totals[j].push(x - ref_totals[j]);
                }
            }
        }
    }
}

/// Streaming monthly aggregates: for each arm, month and monthly metric, the
/// mean over replicates (and paired differences against the first arm).
/// Memory is arms × months × metrics, whatever the number of replicates.
#[derive(Debug, Clone)]
pub struct MonthlyAggregate {
    /// `[arm][month][metric]`.
    pub levels: Vec<Vec<[Welford; MONTHLY.len()]>>,
    /// `[arm - 1][month][metric]`: arm minus the first arm.
    pub diffs: Vec<Vec<[Welford; MONTHLY.len()]>>,
}

impl MonthlyAggregate {
    pub fn new(sc: &Scenario) -> Self {
        let months = sc.months() as usize;
        let k = sc.arms.len();
        MonthlyAggregate {
            levels: vec![vec![[Welford::default(); MONTHLY.len()]; months]; k],
            diffs: vec![vec![[Welford::default(); MONTHLY.len()]; months]; k.saturating_sub(1)],
        }
    }

    /// Fold one replicate in. Call in replicate order.
    pub fn push(&mut self, r: &ReplicateOutcome) {
        let reference = &r.arms[0].monthly;
        for (a, out) in r.arms.iter().enumerate() {
            for (t, row) in out.monthly.iter().enumerate() {
                for (j, &x) in row.iter().enumerate() {
                    self.levels[a][t][j].push(x);
                    if a > 0 {
                        self.diffs[a - 1][t][j].push(x - reference[t][j]);
                    }
                }
            }
        }
    }
}

/// Simulate replicates `0..replicates`, calling `each` on every outcome in
/// replicate order. Runs on the current rayon pool.
pub fn simulate(
    sc: &Scenario,
    replicates: u32,
    each: impl FnMut(&ReplicateOutcome) -> crate::Result<()>,
) -> crate::Result<()> {
    simulate_range(sc, 0..replicates, true, &AtomicBool::new(false), each)
}

/// Simulate replicates `range` (with monthly rows if `monthly`), calling
/// `each` on every outcome in replicate order. Runs on the current rayon pool.
pub fn simulate_range(
    sc: &Scenario,
    range: std::ops::Range<u32>,
    monthly: bool,
    stop: &AtomicBool,
    mut each: impl FnMut(&ReplicateOutcome) -> crate::Result<()>,
) -> crate::Result<()> {
    let mut start = range.start;
    while start < range.end {
        let end = start.saturating_add(BATCH).min(range.end);
        let batch: Option<Vec<ReplicateOutcome>> =
            (start..end).into_par_iter().map(|r| replicate::run_replicate_until(sc, r, monthly, stop)).collect();
        let batch = batch.ok_or_else(|| crate::Error::Interrupted { path: Default::default() })?;
        for r in &batch {
            each(r)?;
        }
        start = end;
    }
    Ok(())
}

/// Household-months in a run, the unit of the throughput figure:
/// households × policy months × arms × replicates.
pub fn household_months(sc: &Scenario, replicates: u32) -> f64 {
    sc.population.households as f64 * sc.months() as f64 * sc.arms.len() as f64 * replicates as f64
}

/// Header of `timeseries.csv`.
pub fn timeseries_header() -> Vec<&'static str> {
    let mut h = vec!["arm", "replicate", "year", "month"];
    h.extend(MONTHLY.iter().map(|m| m.name));
    h
}

/// Header of `prices.csv`.
pub fn prices_header() -> Vec<&'static str> {
    let mut h = vec!["arm", "replicate", "year", "month", "commodity"];
    h.extend(MARKET.iter().map(|m| m.name));
    h
}
