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

/// Read a shard's manifest and check every file it lists against its
/// checksum, so that a truncated, edited or swapped file is refused.
fn read_shard(dir: &Path) -> Result<Shard> {
    let text =
        std::fs::read_to_string(dir.join("manifest.json")).map_err(|e| bad(dir, format!("no manifest.json ({e})")))?;
    let manifest: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| bad(dir, format!("manifest.json: {e}")))?;
    let field = |k: &str| -> Result<u32> {
        let v = manifest[k].as_u64().ok_or_else(|| bad(dir, format!("manifest.json lacks {k}")))?;
        u32::try_from(v).map_err(|_| bad(dir, format!("manifest.json: {k} = {v} is out of range")))
    };
    let (first, replicates) = (field("first_replicate")?, field("replicates")?);
    if first as u64 + replicates as u64 > u32::MAX as u64 {
        return Err(bad(dir, "manifest.json: its replicates run past the last replicate index"));
    }
    let Some(sums) = manifest["checksums"].as_object() else {
        return Err(bad(dir, "manifest.json has no checksums: it was written by an older fupin; run the shard again"));
    };
    for f in crate::output::CHECKED_FILES {
        let path = dir.join(f);
        match (sums.get(f).and_then(|v| v.as_str()), path.is_file()) {
            (Some(want), true) => {
                if crate::output::sha256_file(&path)? != want {
                    return Err(bad(
                        &path,
                        "does not match the checksum in manifest.json: it was changed or cut short",
                    ));
                }
            }
            (Some(_), false) => return Err(bad(&path, "is listed in manifest.json but missing")),
            (None, true) => return Err(bad(&path, "is not listed in manifest.json")),
            (None, false) => {}
        }
    }
    Ok(Shard { dir: dir.into(), first, replicates, manifest })
}

/// Merge `shards` into `out` (replaced if `force`; charts and report in
/// `lang`). Returns the scenario, the aggregate and the folder.
pub fn merge(
    shards: &[PathBuf],
    out: &Path,
    (force, lang): (bool, crate::lang::Lang),
    stop: &std::sync::atomic::AtomicBool,
) -> Result<(Scenario, Aggregate, PathBuf)> {
    let mut shards: Vec<Shard> = shards.iter().map(|d| read_shard(d)).collect::<Result<_>>()?;
    shards.sort_by_key(|s| s.first);
    let sc = check_shards(&shards)?;
    let head = &shards[0].manifest;
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
        let mut header: Option<String> = None;
        for s in &shards {
            let path = s.dir.join(file);
            let text = std::fs::read_to_string(&path).map_err(|e| bad(&path, e))?;
            let (head_line, body) = text.split_once('\n').unwrap_or((text.as_str(), ""));
            match &header {
                None => w.write_all(head_line.as_bytes()).and_then(|()| w.write_all(b"\n")),
                Some(h) if h == head_line => Ok(()),
                Some(_) => return Err(bad(&path, "its header differs from the first shard's")),
            }
            .map_err(|source| Error::Write { path: target.clone(), source })?;
            header.get_or_insert_with(|| head_line.to_string());
            w.write_all(body.as_bytes()).map_err(|source| Error::Write { path: target.clone(), source })?;
            if stop.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(Error::Interrupted { path: out.into() });
            }
        }
        w.flush().map_err(|source| Error::Write { path: target.clone(), source })?;
    }
    for s in &shards {
        fold(&sc, s, &mut agg)?;
    }
    let wall: f64 = shards.iter().filter_map(|s| s.manifest["wall_seconds"].as_f64()).sum();
    let info = ManifestInfo {
        scenario: &sc,
        checksums: Default::default(),
        first_replicate: shards[0].first,
        replicates: sc.replicates,
        threads: 0,
        wall_seconds: wall,
        timeseries: head["timeseries"].as_str().unwrap_or("full"),
    };
    let out = crate::app::finish(dir, &sc, &agg, (&info, Some(lang)), stop)?;
    Ok((sc, agg, out))
}

/// The shards belong together: the same scenario file, seed, arms and
/// version, and replicate ranges that follow each other. Returns the
/// scenario, set to the shards' seed and total replicates.
fn check_shards(shards: &[Shard]) -> Result<Scenario> {
    let head = &shards[0].manifest;
    for s in &shards[1..] {
        for key in ["scenario_sha256", "seed", "timeseries", "scenario_name", "fupin_version", "arms", "overrides"] {
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
        let end = w[0].first as u64 + w[0].replicates as u64;
        if end != w[1].first as u64 {
            return Err(bad(
                &w[1].dir,
                format!("starts at replicate {} but the shard before ends at {end}", w[1].first),
            ));
        }
    }
    let path = PathBuf::from(head["scenario_path"].as_str().unwrap_or_default());
    let sets: Vec<crate::scenario::overrides::Override> = head["overrides"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).map(crate::scenario::overrides::Override::parse).collect())
        .transpose()?
        .unwrap_or_default();
    let mut sc = Scenario::load_with(&path, &sets)?;
    if Some(sc.sha256.as_str()) != head["scenario_sha256"].as_str() {
        return Err(bad(&path, "the scenario file changed since the shards ran (its SHA-256 differs)"));
    }
    let arms: Vec<&str> = sc.arms.iter().map(|a| a.name.as_str()).collect();
    if head["arms"] != serde_json::json!(arms) {
        return Err(bad(&shards[0].dir, "its arms differ from the scenario's"));
    }
    sc.seed = head["seed"].as_u64().unwrap_or(sc.seed);
    let total: u64 = shards.iter().map(|s| s.replicates as u64).sum();
    sc.replicates = u32::try_from(total).map_err(|_| bad(&shards[0].dir, "too many replicates in all"))?;
    Ok(sc)
}

/// Fold one shard's per-replicate rows into `agg`, replicate by replicate,
/// checking that every row is the arm, replicate and period it should be.
fn fold(sc: &Scenario, shard: &Shard, agg: &mut Aggregate) -> Result<()> {
    let arms = sc.arms.len();
    let per = sc.years as usize + 1;
    let n = shard.replicates as usize;
    let yearly_path = shard.dir.join("replicates.csv");
    let totals_path = shard.dir.join("replicate_totals.csv");
    let y = rows(&yearly_path, 4, n * arms * per)?;
    let t = rows(&totals_path, 2, n * arms)?;
    for r in 0..n {
        let replicate = (shard.first as usize + r).to_string();
        for a in 0..arms {
            let arm = crate::output::csv_text(&sc.arms[a].name);
            let at = |path: &Path, row: &(Vec<String>, Vec<f64>)| -> Result<()> {
                if row.0[0] != arm || row.0[1] != replicate {
                    return Err(bad(
                        path,
                        format!(
                            "a row of arm {:?}, replicate {} where arm {arm:?}, replicate {replicate} belongs",
                            row.0[0], row.0[1]
                        ),
                    ));
                }
                Ok(())
            };
            at(&totals_path, &t[r * arms + a])?;
            for k in 0..per {
                at(&yearly_path, &y[(r * arms + a) * per + k])?;
            }
        }
        let values: Vec<Vec<Vec<f64>>> =
            (0..arms).map(|a| (0..per).map(|k| y[(r * arms + a) * per + k].1.clone()).collect()).collect();
        let pairs: Vec<(&[Vec<f64>], &[f64])> =
            (0..arms).map(|a| (values[a].as_slice(), t[r * arms + a].1.as_slice())).collect();
        agg.push_values(&pairs);
    }
    Ok(())
}

/// The rows of a per-replicate CSV: its first `keys` cells as text, the rest
/// as numbers; exactly `want` rows.
fn rows(path: &Path, keys: usize, want: usize) -> Result<Vec<(Vec<String>, Vec<f64>)>> {
    let mut r = csv::Reader::from_path(path).map_err(|e| bad(path, e))?;
    let width = r.headers().map_err(|e| bad(path, e))?.len();
    let mut out = Vec::with_capacity(want);
    for rec in r.records() {
        let rec = rec.map_err(|e| bad(path, e))?;
        if rec.len() != width {
            return Err(bad(path, format!("a row of {} cells under a header of {width}", rec.len())));
        }
        let text = rec.iter().take(keys).map(str::to_string).collect();
        let nums = rec
            .iter()
            .skip(keys)
            .map(|x| x.parse::<f64>().map_err(|e| bad(path, format!("{x:?}: {e}"))))
            .collect::<Result<_>>()?;
        out.push((text, nums));
    }
    if out.len() != want {
        return Err(bad(path, format!("{} rows where the manifest's replicates need {want}", out.len())));
    }
    Ok(out)
}
