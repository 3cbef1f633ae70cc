//! `fupin sweep`: a scenario run over a design of parameter values.
//!
//! A sweep file ([`file`]) names a base scenario, the fields to vary (by
//! their `--set` paths), the outcomes to report and a design: a full grid, a
//! Latin hypercube, Morris trajectories or Saltelli's design for Sobol
//! indices ([`crate::sensitivity`]). [`Sweep`] is the validated sweep with
//! every design point already placed; [`run`] simulates a task's share of
//! the points and streams `sweep.csv`; [`finish`] turns a complete
//! `sweep.csv` into `sensitivity.csv`, the manifest, the charts and the
//! report, whether the rows come from one run or from merged shards, so the
//! two give the same bytes.
//!
//! Common random numbers: unless `common_random_numbers = false`, every
//! point runs replicates `0 … n − 1` of the same seed, so two points differ
//! by their parameters only and the indices are not blurred by sampling
//! noise between points.

pub mod file;
pub mod finish;
pub mod results;
pub mod run;

use crate::check::Checker;
use crate::error::{Error, FieldError, Result};
use crate::scenario::overrides::Override;
use crate::scenario::{locate::Locator, Scenario};
use crate::sensitivity::{MorrisDesign, SaltelliDesign};
use file::{DesignKind, Distribution, Period, SweepFile};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Most design points one sweep may have.
pub const MAX_POINTS: usize = 1_000_000;

/// One value a parameter takes at a point: the TOML text the scenario gets,
/// the CSV cell, and the number, when it is one.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub text: String,
    pub cell: String,
    pub number: Option<f64>,
}

impl Level {
    fn number(v: f64, integer: bool) -> Level {
        if integer {
            let r = v.round();
            Level { text: format!("{}", r as i64), cell: format!("{}", r as i64), number: Some(r) }
        } else {
            // Debug keeps the decimal point (`2.0`), so the field reads a float.
            Level { text: format!("{v:?}"), cell: v.to_string(), number: Some(v) }
        }
    }

    fn value(v: &toml::Value) -> Level {
        let (cell, number) = match v {
            toml::Value::Integer(i) => (i.to_string(), Some(*i as f64)),
            toml::Value::Float(f) => (f.to_string(), Some(*f)),
            toml::Value::String(s) => (s.clone(), None),
            other => (other.to_string(), None),
        };
        Level { text: v.to_string(), cell, number }
    }
}

/// The values one parameter can take.
#[derive(Debug, Clone, PartialEq)]
pub enum Range {
    Continuous { min: f64, max: f64, log: bool, integer: bool },
    Values(Vec<Level>),
}

/// One varied field.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub path: String,
    pub range: Range,
}

impl Parameter {
    /// The value at coordinate `u` of the unit interval.
    pub fn at(&self, u: f64) -> Level {
        match &self.range {
            Range::Continuous { min, max, log: false, integer } => Level::number(min + u * (max - min), *integer),
            Range::Continuous { min, max, log: true, integer } => {
                Level::number((min.ln() + u * (max.ln() - min.ln())).exp(), *integer)
            }
            Range::Values(v) => v[((u * v.len() as f64) as usize).min(v.len() - 1)].clone(),
        }
    }

    /// What the report says of the range.
    pub fn describe(&self) -> String {
        match &self.range {
            Range::Continuous { min, max, log, integer } => format!(
                "{}[{min}, {max}]{}",
                if *log { "log-uniform on " } else { "uniform on " },
                if *integer { ", rounded to integers" } else { "" }
            ),
            Range::Values(v) => v.iter().map(|l| l.text.clone()).collect::<Vec<_>>().join(", "),
        }
    }
}

/// Where an outcome's value comes from in a replicate's results.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Source {
    /// Yearly column `j`, at yearly row `row` (0 = the pre-policy year).
    YearlyAt { j: usize, row: usize },
    /// Yearly column `j`, averaged over the policy years.
    YearlyMean(usize),
    /// Totals column `j`.
    Total(usize),
}

/// One reported outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub metric: String,
    /// `run` or a year.
    pub period: String,
    pub source: Source,
}

impl Outcome {
    /// The outcome's value for one arm of one replicate.
    pub fn value(&self, yearly: &[Vec<f64>], totals: &[f64]) -> f64 {
        match self.source {
            Source::YearlyAt { j, row } => yearly[row][j],
            Source::YearlyMean(j) => {
                let years = &yearly[1..];
                years.iter().map(|r| r[j]).sum::<f64>() / years.len().max(1) as f64
            }
            Source::Total(j) => totals[j],
        }
    }

    pub fn label(&self) -> String {
        format!("{} ({})", self.metric, if self.period == "run" { "whole run" } else { &self.period })
    }
}

/// An arm's level, or a paired difference between two arms.
#[derive(Debug, Clone, PartialEq)]
pub struct Reported {
    pub arm: usize,
    pub minus: Option<usize>,
    pub name: String,
    pub minus_name: String,
}

impl Reported {
    pub fn label(&self) -> String {
        match self.minus {
            None => self.name.clone(),
            Some(_) => format!("{} − {}", self.name, self.minus_name),
        }
    }
}

/// The design and what its indices need.
#[derive(Debug, Clone, PartialEq)]
pub enum Design {
    /// Each parameter's levels; the points are their combinations, first parameter slowest.
    Grid(Vec<Vec<Level>>),
    /// The hypercube's points in [0, 1)ᵏ.
    Lhs(Vec<Vec<f64>>),
    Morris(MorrisDesign),
    Sobol(SaltelliDesign),
}

impl Design {
    pub fn name(&self) -> &'static str {
        match self {
            Design::Grid(_) => "grid",
            Design::Lhs(_) => "lhs",
            Design::Morris(_) => "morris",
            Design::Sobol(_) => "sobol",
        }
    }
}

/// A validated sweep, with every design point placed.
#[derive(Debug, Clone)]
pub struct Sweep {
    pub name: String,
    pub description: String,
    /// The sweep file, as given or as recorded by a shard.
    pub path: PathBuf,
    pub source: String,
    pub sha256: String,
    /// The base scenario file.
    pub scenario_path: PathBuf,
    pub scenario_bytes: Vec<u8>,
    /// The base scenario with the sweep's fixed overrides, its seed and
    /// replicates set to the sweep's (those of every point).
    pub base: Scenario,
    pub sets: Vec<Override>,
    pub design: Design,
    pub design_seed: u32,
    pub common_random_numbers: bool,
    pub bootstrap: usize,
    pub parameters: Vec<Parameter>,
    pub outcomes: Vec<Outcome>,
    pub reported: Vec<Reported>,
    /// The number of design points. A point's values are placed when asked
    /// for ([`Sweep::level`]): the design keeps only unit coordinates (or,
    /// for a grid, each parameter's levels).
    pub points: usize,
}

fn sha(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

impl Sweep {
    /// Read and validate a sweep file and its base scenario (a path relative
    /// to the sweep file).
    pub fn load(path: &Path) -> Result<Sweep> {
        let bytes = crate::scenario::read_input(path, "sweep")?;
        let text = std::str::from_utf8(&bytes).map_err(|_| Error::Parse {
            path: path.into(),
            message: "not UTF-8 text; a sweep is a TOML file".into(),
        })?;
        let file = parse(path, text)?;
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let scenario_path = dir.join(&file.sweep.scenario);
        let scenario_bytes = crate::scenario::read_input(&scenario_path, "scenario").map_err(|e| match e {
            Error::Read { source, .. } => Error::Invalid {
                path: path.into(),
                errors: vec![FieldError {
                    path: "sweep.scenario".into(),
                    value: format!("{:?}", file.sweep.scenario),
                    allowed: format!("a scenario file, relative to this file ({}: {source})", scenario_path.display()),
                    at: Locator::new(text).find("sweep.scenario"),
                }],
            },
            other => other,
        })?;
        let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        Sweep::from_parts(&canonical(path), text, &canonical(&scenario_path), scenario_bytes, file)
    }

    /// A sweep from its texts, as a shard recorded them (for `fupin merge`).
    pub fn from_texts(path: &Path, text: &str, scenario_path: &Path, scenario_bytes: Vec<u8>) -> Result<Sweep> {
        let file = parse(path, text)?;
        Sweep::from_parts(path, text, scenario_path, scenario_bytes, file)
    }

    fn from_parts(path: &Path, text: &str, scenario_path: &Path, bytes: Vec<u8>, f: SweepFile) -> Result<Sweep> {
        let mut c = Checker::default();
        let s = &f.sweep;
        let mut sets = Vec::new();
        for (i, t) in s.set.iter().enumerate() {
            match Override::parse(t) {
                Ok(o) => sets.push(o),
                Err(_) => c.push(&format!("sweep.set[{i}]"), format!("{t:?}"), "\"PATH=VALUE\""),
            }
        }
        c.folder_name("sweep.name", &s.name);
        let base = Scenario::from_bytes_with(scenario_path, &bytes, &sets);
        let design = c.known("sweep.design", &s.design, DesignKind::Grid);
        c.int("sweep.replicates", s.replicates, 1, 100_000);
        c.int("sweep.bootstrap", s.bootstrap, 10, 100_000);
        c.int("sweep.design_seed", s.design_seed, 0, u32::MAX as i64);
        let before = c.errors.len();
        let parameters = check_parameters(&mut c, &f, design);
        let placeable = c.errors.len() == before && !parameters.is_empty();
        // A scenario that does not load gets its own messages, which name its file.
        let mut base = base?;
        base.seed = s.seed.unwrap_or(base.seed);
        base.replicates = s.replicates.clamp(1, 100_000) as u32;
        let outcomes = check_outcomes(&mut c, &f, &base);
        let reported = check_reported(&mut c, s, &base);
        let design_seed = s.design_seed.clamp(0, u32::MAX as i64) as u32;
        let (design, points) =
            if placeable { place(&mut c, s, design, &parameters, design_seed) } else { (Design::Grid(Vec::new()), 0) };
        let sweep = Sweep {
            name: s.name.clone(),
            description: s.description.clone(),
            path: path.into(),
            source: text.into(),
            sha256: sha(text.as_bytes()),
            scenario_path: scenario_path.into(),
            scenario_bytes: bytes,
            base,
            sets,
            design,
            design_seed,
            common_random_numbers: s.common_random_numbers,
            bootstrap: s.bootstrap.clamp(10, 100_000) as usize,
            parameters,
            outcomes,
            reported,
            points,
        };
        if c.errors.is_empty() {
            sweep.check_extremes(&mut c);
        }
        if c.errors.is_empty() {
            return Ok(sweep);
        }
        let locator = Locator::new(text);
        for e in &mut c.errors {
            e.at = locator.find(&e.path);
        }
        c.errors.sort_by_key(|e| e.at.unwrap_or((usize::MAX, usize::MAX)));
        Err(Error::Invalid { path: path.into(), errors: c.errors })
    }

    /// The scenario at point `p`: the base with the fixed overrides, then
    /// the point's values; its seed is the sweep's (or the point's own
    /// without common random numbers).
    pub fn scenario_at(&self, p: usize) -> Result<Scenario> {
        let mut sets = self.sets.clone();
        sets.extend(self.assignments(p));
        let mut sc = Scenario::from_bytes_with(&self.scenario_path, &self.scenario_bytes, &sets).map_err(|e| {
            let at: Vec<String> = self.assignments(p).iter().map(Override::text).collect();
            Error::Other(format!("design point {p} ({}): {e}", at.join(", ")))
        })?;
        let same_arms = sc.arms.iter().map(|a| &a.name).eq(self.base.arms.iter().map(|a| &a.name));
        if sc.years != self.base.years || sc.start_year != self.base.start_year || !same_arms {
            let at: Vec<String> = self.assignments(p).iter().map(Override::text).collect();
            return Err(Error::Other(format!(
                "design point {p} ({}): the parameters may not change the years or the arms of the base scenario",
                at.join(", ")
            )));
        }
        sc.seed = if self.common_random_numbers {
            self.base.seed
        } else {
            crate::rng::mix(self.base.seed ^ crate::rng::mix(p as u64))
        };
        sc.replicates = self.base.replicates;
        Ok(sc)
    }

    /// Parameter `j`'s value at point `p`.
    pub fn level(&self, p: usize, j: usize) -> Level {
        match &self.design {
            Design::Grid(lists) => {
                let after: usize = lists[j + 1..].iter().map(Vec::len).product();
                lists[j][(p / after) % lists[j].len()].clone()
            }
            Design::Lhs(u) => self.parameters[j].at(u[p][j]),
            Design::Morris(d) => self.parameters[j].at(d.points[p][j]),
            Design::Sobol(d) => self.parameters[j].at(d.points[p][j]),
        }
    }

    /// The header of `sweep.csv`.
    pub fn header(&self) -> Vec<String> {
        let mut h = vec!["point".to_string()];
        h.extend(self.parameters.iter().map(|p| p.path.clone()));
        h.extend(["arm", "minus", "outcome", "period", "mean", "ci_low", "ci_high", "replicates"].map(String::from));
        h
    }

    /// The point's values as overrides.
    pub fn assignments(&self, p: usize) -> Vec<Override> {
        self.parameters
            .iter()
            .enumerate()
            .map(|(j, k)| Override { path: k.path.clone(), value: self.level(p, j).text })
            .collect()
    }

    /// Each parameter alone at each end of its range (or at each of its
    /// values) must give a valid scenario, so that a bad range is an error
    /// naming the sweep's field before anything runs.
    fn check_extremes(&self, c: &mut Checker) {
        for (i, k) in self.parameters.iter().enumerate() {
            let ends: Vec<(String, Level)> = match &k.range {
                Range::Continuous { .. } => vec![("min".into(), k.at(0.0)), ("max".into(), k.at(1.0))],
                Range::Values(v) => v.iter().enumerate().map(|(j, l)| (format!("values[{j}]"), l.clone())).collect(),
            };
            for (field, level) in ends {
                let mut sets = self.sets.clone();
                sets.push(Override { path: k.path.clone(), value: level.text.clone() });
                if let Err(e) = Scenario::from_bytes_with(&self.scenario_path, &self.scenario_bytes, &sets) {
                    let why = match e {
                        Error::Invalid { errors, .. } => {
                            errors.iter().map(|e| format!("{}: {}", e.path, e.allowed)).collect::<Vec<_>>().join("; ")
                        }
                        Error::Flag { allowed, .. } => allowed,
                        other => other.to_string(),
                    };
                    c.push(
                        &format!("parameters[{i}].{field}"),
                        &level.text,
                        format!("a value the scenario accepts ({why})"),
                    );
                }
            }
        }
    }
}

fn parse(path: &Path, text: &str) -> Result<SweepFile> {
    toml::from_str(text).map_err(|e| {
        let mut message = crate::scenario::locate::plain_types(&e.to_string());
        if let Some(name) = crate::scenario::locate::suggestion(&message) {
            message.push_str(&format!("did you mean `{name}`?"));
        }
        Error::Parse { path: path.into(), message }
    })
}

fn check_parameters(c: &mut Checker, f: &SweepFile, design: DesignKind) -> Vec<Parameter> {
    if f.parameters.is_empty() {
        c.push("parameters", "none", "at least one [[parameters]] entry");
    }
    if f.parameters.len() > 64 {
        c.push("parameters", format!("{} entries", f.parameters.len()), "at most 64 parameters");
    }
    let mut out = Vec::new();
    for (i, p) in f.parameters.iter().enumerate() {
        let at = |field: &str| format!("parameters[{i}].{field}");
        if p.path.split('.').any(|s| s.trim().is_empty()) {
            c.push(&at("path"), format!("{:?}", p.path), "a dotted field path, as fupin run --set takes it");
        }
        if p.path.starts_with("meta.") {
            c.push(
                &at("path"),
                format!("{:?}", p.path),
                "a field outside [meta]: the years, replicates and seed are the sweep's, the same at every point",
            );
        }
        if f.parameters[..i].iter().any(|q| q.path == p.path) {
            c.push(&at("path"), format!("{:?}", p.path), "a field not varied by an earlier parameter");
        }
        let dist = c.known(&at("distribution"), &p.distribution, Distribution::Uniform);
        let range = match (&p.values, p.min, p.max) {
            (Some(values), None, None) => {
                if design != DesignKind::Grid {
                    c.push(&at("values"), "a list", "min and max: only a grid takes a list of values");
                }
                if values.is_empty() || values.len() > 1000 {
                    c.push(&at("values"), format!("{} values", values.len()), "1 to 1,000 values");
                }
                Range::Values(values.iter().map(Level::value).collect())
            }
            (None, Some(min), Some(max)) => {
                if !(min.is_finite() && max.is_finite() && min < max) {
                    c.push(&at("max"), crate::check::show(max), format!("a finite number above min = {min}"));
                }
                let log = dist == Distribution::LogUniform;
                if log && min <= 0.0 {
                    c.push(&at("min"), crate::check::show(min), "a number above 0 (log_uniform)");
                }
                Range::Continuous { min, max, log, integer: p.integer }
            }
            _ => {
                c.push(&at("min"), "-", "either min and max, or values (a grid only)");
                Range::Values(vec![Level::number(0.0, true)])
            }
        };
        out.push(Parameter { path: p.path.clone(), range });
    }
    out
}

fn check_outcomes(c: &mut Checker, f: &SweepFile, sc: &Scenario) -> Vec<Outcome> {
    if f.outcomes.is_empty() {
        c.push("outcomes", "none", "at least one [[outcomes]] entry");
    }
    let yearly = sc.yearly_names();
    let totals = crate::outcome::totals_names(&crate::ledger::SINKS);
    let (first, last) = (sc.start_year - 1, sc.start_year + sc.years as i32 - 1);
    let mut out = Vec::new();
    for (i, o) in f.outcomes.iter().enumerate() {
        let at = |field: &str| format!("outcomes[{i}].{field}");
        let source = match (yearly.iter().position(|n| *n == o.metric), totals.iter().position(|n| *n == o.metric)) {
            (Some(j), _) => match &o.period {
                Period::Text(t) if t == "run" => Some(Source::YearlyMean(j)),
                Period::Year(y) if (first as i64..=last as i64).contains(y) => {
                    Some(Source::YearlyAt { j, row: (*y - first as i64) as usize })
                }
                other => {
                    c.push(&at("period"), period_text(other), format!("\"run\" or a year in [{first}, {last}]"));
                    None
                }
            },
            (None, Some(j)) => {
                if o.period != Period::Text("run".into()) {
                    c.push(&at("period"), period_text(&o.period), "\"run\": a whole-run total has no yearly value");
                }
                Some(Source::Total(j))
            }
            (None, None) => {
                let all: Vec<String> = yearly.iter().chain(&totals).cloned().collect();
                let near = all.iter().min_by_key(|n| strsim::levenshtein(n, &o.metric)).cloned().unwrap_or_default();
                c.push(
                    &at("metric"),
                    format!("{:?}", o.metric),
                    format!("a yearly metric or whole-run total of docs/outputs.md (did you mean {near:?}?)"),
                );
                None
            }
        };
        let period = match &o.period {
            Period::Year(y) => y.to_string(),
            Period::Text(_) => "run".into(),
        };
        if let Some(source) = source {
            if out.iter().any(|x: &Outcome| x.metric == o.metric && x.period == period) {
                c.push(&at("metric"), format!("{:?}", o.metric), "an outcome not listed twice for the same period");
            }
            out.push(Outcome { metric: o.metric.clone(), period, source });
        }
    }
    out
}

/// A period as the file wrote it.
fn period_text(p: &Period) -> String {
    match p {
        Period::Year(y) => y.to_string(),
        Period::Text(t) => format!("{t:?}"),
    }
}

fn check_reported(c: &mut Checker, s: &file::SweepSectionFile, sc: &Scenario) -> Vec<Reported> {
    let names: Vec<String> = sc.arms.iter().map(|a| a.name.clone()).collect();
    let mut out = Vec::new();
    let arms: Vec<String> = s.arms.clone().unwrap_or_else(|| names.clone());
    for (i, a) in arms.iter().enumerate() {
        let k = c.lookup(&format!("sweep.arms[{i}]"), a, names.iter(), "the scenario's arms");
        out.push(Reported { arm: k, minus: None, name: names[k].clone(), minus_name: String::new() });
    }
    let pairs: Vec<Vec<String>> = s
        .differences
        .clone()
        .unwrap_or_else(|| names.iter().skip(1).map(|n| vec![n.clone(), names[0].clone()]).collect());
    for (i, pair) in pairs.iter().enumerate() {
        let path = format!("sweep.differences[{i}]");
        let [a, b] = pair.as_slice() else {
            c.push(&path, format!("{pair:?}"), "a pair [arm, minus] of arm names");
            continue;
        };
        let (ka, kb) = (
            c.lookup(&path, a, names.iter(), "the scenario's arms"),
            c.lookup(&path, b, names.iter(), "the scenario's arms"),
        );
        if a == b {
            c.push(&path, format!("{pair:?}"), "two different arms");
        }
        out.push(Reported { arm: ka, minus: Some(kb), name: names[ka].clone(), minus_name: names[kb].clone() });
    }
    if out.is_empty() {
        c.push("sweep.arms", "[]", "at least one arm or difference to report");
    }
    out
}

/// The design and its number of points.
fn place(
    c: &mut Checker,
    s: &file::SweepSectionFile,
    kind: DesignKind,
    params: &[Parameter],
    seed: u32,
) -> (Design, usize) {
    let k = params.len();
    let required = |c: &mut Checker, field: &str, v: Option<i64>, lo: i64, hi: i64| -> usize {
        match v {
            None => {
                c.push(&format!("sweep.{field}"), "missing", format!("an integer in [{lo}, {hi}] for this design"));
                lo as usize
            }
            Some(v) => {
                c.int(&format!("sweep.{field}"), v, lo, hi);
                v.clamp(lo, hi) as usize
            }
        }
    };
    let (design, points) = match kind {
        DesignKind::Grid => {
            let levels = s.levels.unwrap_or(3);
            c.int("sweep.levels", levels, 2, 100);
            let lists: Vec<Vec<Level>> = params
                .iter()
                .map(|p| match &p.range {
                    Range::Values(v) => v.clone(),
                    Range::Continuous { .. } => {
                        let n = levels.clamp(2, 100) as usize;
                        (0..n).map(|i| p.at(i as f64 / (n - 1) as f64)).collect()
                    }
                })
                .collect();
            let total = lists.iter().try_fold(1usize, |acc, l| acc.checked_mul(l.len()).filter(|&n| n <= MAX_POINTS));
            let Some(total) = total else {
                c.push("parameters", "the grid", format!("at most {MAX_POINTS} points in all"));
                return (Design::Grid(Vec::new()), 0);
            };
            (Design::Grid(lists), total)
        }
        DesignKind::Lhs => {
            let n = required(c, "samples", s.samples, 1, MAX_POINTS as i64);
            if !c.errors.is_empty() {
                return (Design::Grid(Vec::new()), 0);
            }
            (Design::Lhs(crate::sensitivity::latin_hypercube(k, n, seed as u64)), n)
        }
        DesignKind::Morris => {
            let r = required(c, "trajectories", s.trajectories, 2, 10_000);
            let levels = s.levels.unwrap_or(4);
            if !(2..=100).contains(&levels) || levels % 2 != 0 {
                c.push("sweep.levels", levels, "an even number in [2, 100]");
            }
            if too_many(c, r * (k + 1), "sweep.trajectories") {
                return (Design::Grid(Vec::new()), 0);
            }
            let d = crate::sensitivity::morris_design(k, r, levels as usize, seed as u64);
            let n = d.points.len();
            (Design::Morris(d), n)
        }
        DesignKind::Sobol => {
            let n = required(c, "samples", s.samples, 2, 1 << 16);
            if too_many(c, n * (k + 2), "sweep.samples") {
                return (Design::Grid(Vec::new()), 0);
            }
            let d = crate::sensitivity::saltelli_design(k, n, seed);
            let n = d.points.len();
            (Design::Sobol(d), n)
        }
    };
    (design, points)
}

/// Whether a design of `points` points is too large (or an error is already
/// recorded): then it is not built.
fn too_many(c: &mut Checker, points: usize, field: &str) -> bool {
    if points > MAX_POINTS {
        c.push(field, format!("{points} points"), format!("a design of at most {MAX_POINTS} points"));
    }
    !c.errors.is_empty()
}

/// Whether `dir` holds one task's share of a sweep (`fupin sweep --task`).
pub fn is_shard(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("manifest.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .is_some_and(|v| v["kind"] == "sweep-shard")
}
