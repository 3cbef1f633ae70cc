//! The sweep file: what `fupin sweep` reads (`docs/sweep.md`).
//!
//! Stage one is serde into the `*File` structs below, each field documented
//! with its unit, default and allowed values; stage two ([`super::Sweep`])
//! checks every field with a [`Checker`](crate::check::Checker) and resolves
//! the names against the base scenario.

use crate::check::{Choice, Choices};
use serde::Deserialize;

/// A whole sweep file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepFile {
    /// The `[sweep]` section: see docs/sweep.md.
    pub sweep: SweepSectionFile,
    /// The `[[parameters]]` section, a list: see docs/sweep.md.
    #[serde(default)]
    pub parameters: Vec<ParameterFile>,
    /// The `[[outcomes]]` section, a list: see docs/sweep.md.
    #[serde(default)]
    pub outcomes: Vec<OutcomeFile>,
}

/// The design of a sweep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DesignKind {
    /// Every combination of every parameter's levels.
    Grid,
    /// A Latin hypercube of `samples` points.
    Lhs,
    /// Morris elementary effects: `trajectories` one-at-a-time trajectories on `levels` levels.
    Morris,
    /// Sobol indices by Saltelli sampling: `samples` base samples, `samples × (k + 2)` points.
    Sobol,
}

impl Choices for DesignKind {
    const ALLOWED: &'static str = "\"grid\", \"lhs\", \"morris\" or \"sobol\"";
}

/// How a parameter's range is sampled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Distribution {
    /// Uniform on [min, max].
    Uniform,
    /// Uniform in the logarithm on [min, max] (both > 0).
    LogUniform,
}

impl Choices for Distribution {
    const ALLOWED: &'static str = "\"uniform\" or \"log_uniform\"";
}

fn default_replicates() -> i64 {
    2
}
fn default_bootstrap() -> i64 {
    200
}
fn default_design_seed() -> i64 {
    1
}
fn default_uniform() -> Choice<Distribution> {
    Choice::Known(Distribution::Uniform)
}
fn default_period() -> Period {
    Period::Text("run".into())
}

/// `[sweep]`: the base scenario, the design and the replicates.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepSectionFile {
    /// The sweep's name; it names the default output folder `output/<name>/`.
    ///
    /// Unit: –. Default: required. Allowed: as `meta.name` of a scenario (letters, digits, `-`, `_`, `.`).
    pub name: String,
    /// Free text, copied into the report.
    ///
    /// Unit: –. Default: `""`. Allowed: any.
    #[serde(default)]
    pub description: String,
    /// The base scenario: a path relative to this file.
    ///
    /// Unit: path. Default: required. Allowed: a scenario file that validates.
    pub scenario: String,
    /// The design.
    ///
    /// Unit: –. Default: required. Allowed: `"grid"`, `"lhs"`, `"morris"`, `"sobol"`.
    pub design: Choice<DesignKind>,
    /// Replicates per design point (replicates `0 … n − 1` of the scenario at each point).
    ///
    /// Unit: count. Default: `2`. Allowed: [1, 100,000].
    #[serde(default = "default_replicates")]
    pub replicates: i64,
    /// For `lhs`, the number of points; for `sobol`, the number of base samples N (the design has N (k + 2)
    /// points; a power of two keeps the Sobol sequence balanced).
    ///
    /// Unit: count. Default: required for `lhs` and `sobol`. Allowed: lhs [1, 1,000,000]; sobol [2, 65,536].
    pub samples: Option<i64>,
    /// For `morris`, the number of trajectories r (the design has r (k + 1) points).
    ///
    /// Unit: count. Default: required for `morris`. Allowed: [2, 10,000].
    pub trajectories: Option<i64>,
    /// For `morris`, the grid levels p (even); for `grid`, the levels of each parameter given by `min`/`max`.
    ///
    /// Unit: count. Default: `4` for morris, `3` for grid. Allowed: morris an even number in [2, 100]; grid [2, 100].
    pub levels: Option<i64>,
    /// The scenario seed used at every point; with `common_random_numbers` every point runs the same households
    /// and the same draws.
    ///
    /// Unit: –. Default: the base scenario's `meta.seed`. Allowed: any non-negative integer.
    pub seed: Option<u64>,
    /// Seed of the design itself: the Latin hypercube's permutations, the Morris trajectories, the Sobol
    /// sequence's scrambling and the bootstrap.
    ///
    /// Unit: –. Default: `1`. Allowed: [0, 2^32 − 1].
    #[serde(default = "default_design_seed")]
    pub design_seed: i64,
    /// Common random numbers: every point uses the same scenario seed, so two points differ only by their
    /// parameters. Off, each point gets its own seed, derived from `seed` and the point's index.
    ///
    /// Unit: –. Default: `true`. Allowed: `true`, `false`.
    #[serde(default = "crate::check::default_true")]
    pub common_random_numbers: bool,
    /// Bootstrap resamples for the intervals of the Sobol indices.
    ///
    /// Unit: count. Default: `200`. Allowed: [10, 100,000].
    #[serde(default = "default_bootstrap")]
    pub bootstrap: i64,
    /// Overrides applied to the base scenario at every point, as `fupin run --set` takes them.
    ///
    /// Unit: –. Default: `[]`. Allowed: `"PATH=VALUE"` texts whose result validates.
    #[serde(default)]
    pub set: Vec<String>,
    /// The arms whose levels are reported.
    ///
    /// Unit: –. Default: every arm of the scenario. Allowed: arm names of the scenario.
    pub arms: Option<Vec<String>>,
    /// Paired differences reported, each `[arm, minus]` (arm minus the other, replicate by replicate).
    ///
    /// Unit: –. Default: every arm after the first minus the first. Allowed: pairs of different arm names.
    pub differences: Option<Vec<Vec<String>>>,
}

/// One `[[parameters]]` entry: a scenario field and the values it takes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterFile {
    /// The field, as `fupin run --set` names it (`organisations.enterprises.Qinyuan Agriculture.output_per_job`).
    ///
    /// Unit: –. Default: required. Allowed: a field path of the scenario, each at most once.
    pub path: String,
    /// Lowest value of a range.
    ///
    /// Unit: the field's. Default: none (give `min` and `max`, or `values`). Allowed: a finite number below `max`,
    /// whose value validates.
    pub min: Option<f64>,
    /// Highest value of a range.
    ///
    /// Unit: the field's. Default: none. Allowed: a finite number above `min`, whose value validates.
    pub max: Option<f64>,
    /// The values, for a `grid` only (numbers, text or booleans).
    ///
    /// Unit: the field's. Default: none. Allowed: 1 to 1,000 TOML values, each valid for the field.
    pub values: Option<Vec<toml::Value>>,
    /// How a range is sampled.
    ///
    /// Unit: –. Default: `"uniform"`. Allowed: `"uniform"`, `"log_uniform"` (then `min` > 0).
    #[serde(default = "default_uniform")]
    pub distribution: Choice<Distribution>,
    /// Round each value of a range to the nearest integer (for counts and months).
    ///
    /// Unit: –. Default: `false`. Allowed: `true`, `false`.
    #[serde(default)]
    pub integer: bool,
}

/// A year, or `"run"` for the whole run.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Period {
    Year(i64),
    Text(String),
}

/// One `[[outcomes]]` entry: a metric over a period.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeFile {
    /// A yearly metric of `summary.csv` (`headcount_rate`, `mean_income_pc`, …) or a whole-run total
    /// (`poverty_years`, `spent_total`, `sustained_exits`, …).
    ///
    /// Unit: the metric's. Default: required. Allowed: a metric named in docs/outputs.md.
    pub metric: String,
    /// `"run"`: the mean over the policy years of a yearly metric, or a total's value; a year: the metric that
    /// year.
    ///
    /// Unit: calendar year. Default: `"run"`. Allowed: `"run"`, or a year from `start_year − 1` to the last policy
    /// year (yearly metrics only).
    #[serde(default = "default_period")]
    pub period: Period,
}
