//! Merging replicate shards (`fupin merge`).
//!
//! A sweep split into jobs with `--first-replicate` (e.g. a Slurm job array)
//! leaves one output folder per shard. Each holds the per-replicate values
//! its summary was built from (`replicates.csv`, `replicate_totals.csv`).
//! Merging re-reads them in replicate order and folds them into the same
//! streaming aggregates a single run uses, so the merged `summary.json`,
//! `summary.csv` and the concatenated CSV files are byte-identical to those
//! of one run over all the replicates.

use crate::error::{Error, Result};
use crate::output::{ManifestInfo, OutputDir};
use crate::scenario::Scenario;
use crate::sim::run::Aggregate;
use std::io::Write;
use std::path::{Path, PathBuf};

struct Shard {
    dir: PathBuf,
    first: u32,
    replicates: u32,
    manifest: serde_json::Value,
}

fn bad(dir: &Path, what: impl std::fmt::Display) -> Error {
    Error::Other(format!("{}: {what}", dir.display()))
}

fn read_shard(dir: &Path) -> Result<Shard> {
    let text =
        std::fs::read_to_string(dir.join("manifest.json")).map_err(|e| bad(dir, format!("no manifest.json ({e})")))?;
    let manifest: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| bad(dir, format!("manifest.json: {e}")))?;
    let field = |k: &str| manifest[k].as_u64().ok_or_else(|| bad(dir, format!("manifest.json lacks {k}")));
    Ok(Shard {
        dir: dir.into(),
        first: field("first_replicate")? as u32,
        replicates: field("replicates")? as u32,
        manifest,
    })
}

/// Merge `shards` into `out`. Returns the scenario, the aggregate and the folder.
pub fn merge(shards: &[PathBuf], out: &Path, force: bool) -> Result<(Scenario, Aggregate, PathBuf)> {
    let mut shards: Vec<Shard> = shards.iter().map(|d| read_shard(d)).collect::<Result<_>>()?;
    shards.sort_by_key(|s| s.first);
    let head = &shards[0].manifest;
    for s in &shards[1..] {
        for key in ["scenario_sha256", "seed", "timeseries", "scenario_name", "fupin_version"] {
            if s.manifest[key] != head[key] {
                return Err(bad(
                    &s.dir,
                    format!("{key} {} differs from {}'s {}", s.manifest[key], shards[0].dir.display(), head[key]),
                ));
            }
        }
    }
    if head["timeseries"] == "summary" {
        return Err(bad(
            &shards[0].dir,
            "shards run with --timeseries summary keep no per-replicate months to merge; run them with full or none",
        ));
    }
    for w in shards.windows(2) {
        if w[0].first + w[0].replicates != w[1].first {
            return Err(bad(
                &w[1].dir,
                format!(
                    "starts at replicate {} but the shard before ends at {}",
                    w[1].first,
                    w[0].first + w[0].replicates
                ),
            ));
        }
    }
    let path = PathBuf::from(head["scenario_path"].as_str().unwrap_or_default());
    let mut sc = Scenario::load(&path)?;
    if Some(sc.sha256.as_str()) != head["scenario_sha256"].as_str() {
        return Err(bad(&path, "the scenario file changed since the shards ran (its SHA-256 differs)"));
    }
    sc.seed = head["seed"].as_u64().unwrap_or(sc.seed);
    sc.replicates = shards.iter().map(|s| s.replicates).sum();

    let dir = OutputDir::create(out, force)?;
    let mut agg = Aggregate::new(&sc);
    let files = ["replicates.csv", "replicate_totals.csv", "timeseries.csv", "prices.csv"];
    for file in files {
        if !shards[0].dir.join(file).exists() {
            continue;
        }
        let target = dir.file(file);
        let mut w = std::io::BufWriter::new(
            std::fs::File::create(&target).map_err(|source| Error::Write { path: target.clone(), source })?,
        );
        for (k, s) in shards.iter().enumerate() {
            let text = std::fs::read_to_string(s.dir.join(file)).map_err(|e| bad(&s.dir, format!("{file}: {e}")))?;
            let body = if k == 0 { text.as_str() } else { text.split_once('\n').map_or("", |(_, b)| b) };
            w.write_all(body.as_bytes()).map_err(|source| Error::Write { path: target.clone(), source })?;
        }
        w.flush().map_err(|source| Error::Write { path: target.clone(), source })?;
    }
    fold(&sc, &dir.file("replicates.csv"), &dir.file("replicate_totals.csv"), &mut agg)?;
    let wall: f64 = shards.iter().filter_map(|s| s.manifest["wall_seconds"].as_f64()).sum();
    let info = ManifestInfo {
        scenario: &sc,
        first_replicate: shards[0].first,
        replicates: sc.replicates,
        threads: 0,
        wall_seconds: wall,
        timeseries: head["timeseries"].as_str().unwrap_or("full"),
    };
    let out = crate::app::finish(dir, &sc, &agg, &info, true)?;
    Ok((sc, agg, out))
}

/// Fold the per-replicate rows into `agg`, replicate by replicate.
fn fold(sc: &Scenario, yearly: &Path, totals: &Path, agg: &mut Aggregate) -> Result<()> {
    let parse = |p: &Path| -> Result<Vec<Vec<f64>>> {
        let mut r = csv::Reader::from_path(p).map_err(|e| bad(p, e))?;
        let mut rows = Vec::new();
        for rec in r.records() {
            let rec = rec.map_err(|e| bad(p, e))?;
            let skip = if p == yearly { 4 } else { 2 };
            rows.push(
                rec.iter()
                    .skip(skip)
                    .map(|x| x.parse::<f64>().map_err(|e| bad(p, format!("{x:?}: {e}"))))
                    .collect::<Result<_>>()?,
            );
        }
        Ok(rows)
    };
    let y = parse(yearly)?;
    let t = parse(totals)?;
    let arms = sc.arms.len();
    let per = sc.years as usize + 1;
    if y.len() != sc.replicates as usize * arms * per || t.len() != sc.replicates as usize * arms {
        return Err(bad(yearly, "row count does not match the replicates in the manifests"));
    }
    for r in 0..sc.replicates as usize {
        let values: Vec<(&[Vec<f64>], &[f64])> = (0..arms)
            .map(|a| {
                let i = (r * arms + a) * per;
                (&y[i..i + per], t[r * arms + a].as_slice())
            })
            .collect();
        agg.push_values(&values);
    }
    Ok(())
}
