//! The end of a sweep: a shard's manifest, or the whole sweep's results.
//!
//! [`finish`] reads a complete `sweep.csv` back (numbers are written in
//! Rust's shortest round-trip form, so nothing is lost) and writes
//! `sensitivity.csv`, the manifest, copies of the sweep and scenario files,
//! the charts and the report. A one-machine run and `fupin merge` of its
//! shards both end here with the same `sweep.csv`, so they write the same
//! bytes. Nothing here records timings, threads or the command line.

use super::results::{IndexRow, Results};
use super::{Design, Sweep};
use crate::error::{Error, Result};
use crate::output::{csv_text, sha256_file, write_atomic, OutputDir};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

fn bad(path: &Path, what: impl std::fmt::Display) -> Error {
    Error::Other(format!("{}: {what}", path.display()))
}

/// The fields a shard's and a whole sweep's manifests share.
fn identity(sweep: &Sweep) -> serde_json::Map<String, Value> {
    let v = json!({
        "fupin_version": env!("CARGO_PKG_VERSION"),
        "name": sweep.name,
        "sweep_path": sweep.path.display().to_string(),
        "sweep_sha256": sweep.sha256,
        "scenario_path": sweep.scenario_path.display().to_string(),
        "scenario_sha256": super::sha(&sweep.scenario_bytes),
        "design": sweep.design.name(),
        "points": sweep.points,
        "replicates_per_point": sweep.base.replicates,
        "seed": sweep.base.seed,
        "design_seed": sweep.design_seed,
        "common_random_numbers": sweep.common_random_numbers,
    });
    match v {
        Value::Object(m) => m,
        _ => unreachable!("json! of an object is an object"),
    }
}

fn write_json(dir: &OutputDir, name: &str, v: &Value) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(v).unwrap_or_else(|e| unreachable!("plain values serialise: {e}"));
    write_atomic(&dir.file(name), &bytes)
}

/// Close one task's shard: the inputs it ran and a manifest with the
/// checksum of its rows, then the folder moved into place.
pub fn shard(
    dir: OutputDir,
    sweep: &Sweep,
    (task, tasks): (usize, usize),
    range: std::ops::Range<usize>,
) -> Result<PathBuf> {
    write_atomic(&dir.file("sweep.toml"), sweep.source.as_bytes())?;
    write_atomic(&dir.file("scenario.toml"), &sweep.scenario_bytes)?;
    let mut m = identity(sweep);
    m.insert("kind".into(), "sweep-shard".into());
    m.insert("task".into(), task.into());
    m.insert("tasks".into(), tasks.into());
    m.insert("first_point".into(), range.start.into());
    m.insert("end_point".into(), range.end.into());
    m.insert("sweep_csv_sha256".into(), sha256_file(&dir.file("sweep.csv"))?.into());
    write_json(&dir, "manifest.json", &Value::Object(m))?;
    dir.commit()
}

/// Read `sweep.csv` back into the point means, checking that its rows are
/// exactly the design's, in order.
fn read_means(path: &Path, sweep: &Sweep) -> Result<Vec<f64>> {
    let mut r = csv::Reader::from_path(path).map_err(|e| bad(path, e))?;
    let header: Vec<String> = r.headers().map_err(|e| bad(path, e))?.iter().map(String::from).collect();
    if header != sweep.header() {
        return Err(bad(path, "its header is not this sweep's"));
    }
    let (nr, no) = (sweep.reported.len(), sweep.outcomes.len());
    let mean_at = header.len() - 4;
    let mut means = Vec::with_capacity(sweep.points * nr * no);
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| bad(path, e))?;
        let point = i / (nr * no);
        if rec.get(0) != Some(point.to_string().as_str()) {
            return Err(bad(path, format!("row {} should be of point {point}: the rows are not the design's", i + 2)));
        }
        let cell = rec.get(mean_at).unwrap_or_default();
        means.push(if cell.is_empty() {
            f64::NAN
        } else {
            cell.parse().map_err(|e| bad(path, format!("row {}: {e}", i + 2)))?
        });
    }
    if means.len() != sweep.points * nr * no {
        return Err(bad(path, format!("{} rows, but the design has {}", means.len(), sweep.points * nr * no)));
    }
    Ok(means)
}

/// The sensitivity indices of every reported arm and outcome.
fn indices(r: &Results) -> Vec<IndexRow> {
    let sweep = r.sweep;
    let mut out = Vec::new();
    for k in 0..sweep.reported.len() {
        for o in 0..sweep.outcomes.len() {
            let y = r.y(k, o);
            let row = |parameter, index, value, low, high| IndexRow {
                reported: k,
                outcome: o,
                parameter,
                index,
                value,
                low,
                high,
            };
            match &sweep.design {
                Design::Morris(d) => {
                    for (j, m) in crate::sensitivity::morris_indices(d, &y).into_iter().enumerate() {
                        out.push(row(j, "mu", m.mu, None, None));
                        out.push(row(j, "mu_star", m.mu_star, None, None));
                        out.push(row(j, "sigma", m.sigma, None, None));
                    }
                }
                Design::Sobol(d) => {
                    let seed = sweep.design_seed as u64;
                    for (j, s) in
                        crate::sensitivity::sobol_indices(d, &y, sweep.bootstrap, seed).into_iter().enumerate()
                    {
                        let ci = |x: f64| x.is_finite().then_some(x);
                        out.push(row(j, "S1", s.s1.value, ci(s.s1.lo), ci(s.s1.hi)));
                        out.push(row(j, "ST", s.st.value, ci(s.st.lo), ci(s.st.hi)));
                    }
                }
                Design::Grid(_) | Design::Lhs(_) => {}
            }
        }
    }
    out
}

fn sensitivity_csv(path: &Path, r: &Results) -> Result<()> {
    let fail = |e: csv::Error| bad(path, e);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["arm", "minus", "outcome", "period", "parameter", "index", "value", "ci_low", "ci_high"])
        .map_err(fail)?;
    let num = |x: Option<f64>| x.filter(|v| v.is_finite()).map(|v| v.to_string()).unwrap_or_default();
    for i in &r.indices {
        let (rep, outcome) = (&r.sweep.reported[i.reported], &r.sweep.outcomes[i.outcome]);
        w.write_record([
            csv_text(&rep.name),
            csv_text(&rep.minus_name),
            outcome.metric.clone(),
            outcome.period.clone(),
            csv_text(&r.sweep.parameters[i.parameter].path),
            i.index.to_string(),
            num(Some(i.value)),
            num(i.low),
            num(i.high),
        ])
        .map_err(fail)?;
    }
    let bytes = w.into_inner().map_err(|e| bad(path, e))?;
    write_atomic(path, &bytes)
}

/// The whole sweep's results from a complete `sweep.csv` in `dir`; then the
/// folder moved into place.
pub fn finish(dir: OutputDir, sweep: &Sweep, charts: Option<crate::lang::Lang>, stop: &AtomicBool) -> Result<PathBuf> {
    let stopped = || {
        if stop.load(Ordering::SeqCst) {
            Err(Error::Interrupted { path: dir.target().into() })
        } else {
            Ok(())
        }
    };
    let means = read_means(&dir.file("sweep.csv"), sweep)?;
    let mut results = Results { sweep, means, indices: Vec::new() };
    results.indices = indices(&results);
    if matches!(sweep.design, Design::Morris(_) | Design::Sobol(_)) {
        sensitivity_csv(&dir.file("sensitivity.csv"), &results)?;
    }
    write_atomic(&dir.file("sweep.toml"), sweep.source.as_bytes())?;
    write_atomic(&dir.file("scenario.toml"), &sweep.scenario_bytes)?;
    let mut m = identity(sweep);
    m.insert("kind".into(), "sweep".into());
    m.insert(
        "parameters".into(),
        sweep.parameters.iter().map(|p| json!({"path": p.path, "range": p.describe()})).collect(),
    );
    m.insert(
        "outcomes".into(),
        sweep.outcomes.iter().map(|o| json!({"metric": o.metric, "period": o.period})).collect(),
    );
    m.insert("reported".into(), sweep.reported.iter().map(|r| Value::from(r.label())).collect());
    let mut sums = serde_json::Map::new();
    for f in ["sweep.csv", "sensitivity.csv"] {
        if dir.file(f).is_file() {
            sums.insert(f.into(), sha256_file(&dir.file(f))?.into());
        }
    }
    m.insert("checksums".into(), Value::Object(sums));
    write_json(&dir, "manifest.json", &Value::Object(m))?;
    stopped()?;
    if let Some(lang) = charts {
        let drawn = crate::chart::sweep::write_charts(dir.path(), &results, lang)?;
        stopped()?;
        crate::report::sweep::write_report(dir.path(), &results, &drawn, lang)?;
    }
    stopped()?;
    dir.commit()
}

struct ShardInfo {
    dir: PathBuf,
    manifest: Value,
    task: usize,
}

fn read_shard(dir: &Path) -> Result<ShardInfo> {
    let path = dir.join("manifest.json");
    let manifest: Value = std::fs::read_to_string(&path)
        .map_err(|e| bad(&path, e))
        .and_then(|t| serde_json::from_str(&t).map_err(|e| bad(&path, e)))?;
    if manifest["kind"] != "sweep-shard" {
        return Err(bad(dir, "is not a sweep shard (fupin sweep --task I --tasks N)"));
    }
    let want = manifest["sweep_csv_sha256"].as_str().unwrap_or_default().to_string();
    if sha256_file(&dir.join("sweep.csv"))? != want {
        return Err(bad(
            &dir.join("sweep.csv"),
            "does not match the checksum in manifest.json: it was changed or cut short",
        ));
    }
    let task = manifest["task"].as_u64().ok_or_else(|| bad(&path, "lacks task"))? as usize;
    Ok(ShardInfo { dir: dir.into(), manifest, task })
}

/// `fupin merge` of sweep shards: every task of one sweep, each once, joined
/// into the folder one run of the whole sweep would have written.
pub fn merge(
    shards: &[PathBuf],
    out: &Path,
    (force, lang): (bool, crate::lang::Lang),
    stop: &AtomicBool,
) -> Result<(Sweep, PathBuf)> {
    let mut shards: Vec<ShardInfo> = shards.iter().map(|d| read_shard(d)).collect::<Result<_>>()?;
    shards.sort_by_key(|s| s.task);
    let head = &shards[0].manifest;
    for s in &shards[1..] {
        for key in ["sweep_sha256", "scenario_sha256", "tasks", "fupin_version", "points"] {
            if s.manifest[key] != head[key] {
                return Err(bad(
                    &s.dir,
                    format!("is of another sweep than {} ({key} differs)", shards[0].dir.display()),
                ));
            }
        }
    }
    let tasks = head["tasks"].as_u64().unwrap_or(0) as usize;
    let got: Vec<usize> = shards.iter().map(|s| s.task).collect();
    if got != (0..tasks).collect::<Vec<_>>() {
        let missing: Vec<String> = (0..tasks).filter(|t| !got.contains(t)).map(|t| t.to_string()).collect();
        return Err(Error::Other(format!(
            "the shards must be tasks 0 to {} of one sweep, each once; got tasks {got:?} (missing: {})",
            tasks.saturating_sub(1),
            if missing.is_empty() { "none, but some twice".into() } else { missing.join(", ") }
        )));
    }
    let read = |f: &str| std::fs::read(shards[0].dir.join(f)).map_err(|e| bad(&shards[0].dir.join(f), e));
    let text = String::from_utf8(read("sweep.toml")?).map_err(|e| bad(&shards[0].dir, e))?;
    let path = PathBuf::from(head["sweep_path"].as_str().unwrap_or_default());
    let scenario_path = PathBuf::from(head["scenario_path"].as_str().unwrap_or_default());
    let sweep = Sweep::from_texts(&path, &text, &scenario_path, read("scenario.toml")?)?;
    if sweep.sha256 != head["sweep_sha256"] || super::sha(&sweep.scenario_bytes) != head["scenario_sha256"] {
        return Err(bad(&shards[0].dir, "its sweep.toml or scenario.toml is not the one its manifest names"));
    }
    let dir = OutputDir::create(out, force)?;
    let target = dir.file("sweep.csv");
    let mut w = std::io::BufWriter::new(
        std::fs::File::create(&target).map_err(|source| Error::Write { path: target.clone(), source })?,
    );
    for (i, s) in shards.iter().enumerate() {
        let path = s.dir.join("sweep.csv");
        let text = std::fs::read_to_string(&path).map_err(|e| bad(&path, e))?;
        let body = if i == 0 { text.as_str() } else { text.split_once('\n').map_or("", |(_, b)| b) };
        std::io::Write::write_all(&mut w, body.as_bytes())
            .map_err(|source| Error::Write { path: target.clone(), source })?;
    }
    std::io::Write::flush(&mut w).map_err(|source| Error::Write { path: target.clone(), source })?;
    drop(w);
    let out = finish(dir, &sweep, Some(lang), stop)?;
    Ok((sweep, out))
}
