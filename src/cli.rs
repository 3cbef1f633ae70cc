//! The command line: parse (clap), validate, schedule, export.
//!
//! `main` calls [`main_with_args`] and maps its error to an exit code; all
//! the work is here and in the library so that tests can drive it.

use crate::error::{Error, Result};
use crate::output::{self, ManifestInfo, OutputDir};
use crate::run::{self, Aggregate};
use crate::scenario::{Scenario, MAX_REPLICATES};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::time::Instant;

const EXAMPLES: &str = "\
Examples:
  fupin run scenarios/township.toml
  fupin run scenarios/township.toml --replicates 1000 --seed 7 --out output/t1000
  fupin run scenarios/township.toml --threads 1 --timeseries none
  fupin validate scenarios/township.toml";

#[derive(Debug, Parser)]
#[command(name = "fupin", version, about = "Agent-based simulator of poverty-alleviation policy (扶贫)", after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run every arm of a scenario and write results to an output folder.
    #[command(after_help = EXAMPLES)]
    Run(RunArgs),
    /// Check a scenario file without running it.
    Validate {
        /// Scenario file (TOML).
        scenario: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Timeseries {
    /// timeseries.csv (one row per arm × replicate × month) and prices.csv.
    Full,
    /// Neither file: summary only.
    None,
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Output folder [default: output/<scenario name>].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replicates, overriding meta.replicates.
    #[arg(long)]
    pub replicates: Option<i64>,
    /// Seed, overriding meta.seed.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads [default: RAYON_NUM_THREADS, else all cores]. Results do not depend on it.
    #[arg(long)]
    pub threads: Option<i64>,
    /// Replace an existing, non-empty output folder.
    #[arg(long)]
    pub force: bool,
    /// Whether to write timeseries.csv and prices.csv.
    #[arg(long, value_enum, default_value_t = Timeseries::Full)]
    pub timeseries: Timeseries,
    /// Print nothing on success.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Parse `args` and execute. Clap's own errors (bad flags) print and exit 2.
pub fn main_with_args(args: impl IntoIterator<Item = String>) -> Result<()> {
    let cli = Cli::parse_from(args);
    match cli.command {
        Command::Validate { scenario } => {
            let sc = Scenario::load(&scenario)?;
            println!(
                "{}: valid — scenario {:?}, {} households, {} years from {}, {} arm(s): {}",
                scenario.display(),
                sc.name,
                sc.population.households,
                sc.years,
                sc.start_year,
                sc.arms.len(),
                sc.arms.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", ")
            );
            Ok(())
        }
        Command::Run(args) => run_scenario(&args).map(|_| ()),
    }
}

fn thread_count(flag: Option<i64>) -> Result<usize> {
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

/// `fupin run`: returns the output folder.
pub fn run_scenario(args: &RunArgs) -> Result<PathBuf> {
    let mut sc = Scenario::load(&args.scenario)?;
    if let Some(r) = args.replicates {
        if !(1..=MAX_REPLICATES).contains(&r) {
            return Err(Error::Flag {
                flag: "--replicates",
                value: r.to_string(),
                allowed: format!("an integer in [1, {MAX_REPLICATES}]"),
            });
        }
        sc.replicates = r as u32;
    }
    if let Some(s) = args.seed {
        sc.seed = s;
    }
    let threads = thread_count(args.threads)?;
    let target = args.out.clone().unwrap_or_else(|| Path::new("output").join(&sc.name));
    let dir = OutputDir::create(&target, args.force)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Other(format!("cannot start {threads} threads: {e}")))?;

    let started = Instant::now();
    let mut agg = Aggregate::new(&sc);
    let mut series = match args.timeseries {
        Timeseries::Full => Some(output::SeriesWriter::create(&dir)?),
        Timeseries::None => None,
    };
    pool.install(|| {
        run::simulate_range(&sc, 0..sc.replicates, series.is_some(), |rep| {
            agg.push(rep);
            match series.as_mut() {
                Some(w) => w.push(&sc, rep),
                None => Ok(()),
            }
        })
    })?;
    if let Some(w) = series {
        w.finish()?;
    }
    let wall = started.elapsed().as_secs_f64();

    let summary = output::summary_json(&sc, &agg);
    let json = |v: &serde_json::Value| serde_json::to_vec_pretty(v).expect("JSON values serialise");
    output::write_atomic(&dir.file("summary.json"), &json(&summary))?;
    output::write_atomic(&dir.file("summary.csv"), &output::summary_csv(&sc, &agg)?)?;
    let manifest = output::manifest_json(&ManifestInfo {
        scenario: &sc,
        replicates: sc.replicates,
        threads,
        wall_seconds: wall,
        timeseries: match args.timeseries {
            Timeseries::Full => "full",
            Timeseries::None => "none",
        },
    });
    output::write_atomic(&dir.file("manifest.json"), &json(&manifest))?;
    let out = dir.commit()?;
    if !args.quiet {
        print_summary(&sc, &agg, &out, wall);
    }
    Ok(out)
}

fn print_summary(sc: &Scenario, agg: &Aggregate, out: &Path, wall: f64) {
    let last = sc.years as usize;
    let rate = crate::engine::yearly_index(sc, "headcount_rate").expect("metric exists");
    let pct = |x: Option<f64>| x.map(|v| format!("{:.1}", 100.0 * v)).unwrap_or_else(|| "-".into());
    println!(
        "fupin: {} replicates × {} arms of {:?} in {:.1} s ({:.2e} household-months/s)",
        agg.replicates,
        sc.arms.len(),
        sc.name,
        wall,
        run::household_months(sc, agg.replicates) / wall.max(1e-9)
    );
    println!("headcount rate, {} → {} (%, mean [95% interval]):", sc.start_year - 1, sc.start_year + last as i32 - 1);
    for (arm, st) in sc.arms.iter().zip(&agg.arms) {
        let (a, b) = (st.yearly[0][rate].interval(), st.yearly[last][rate].interval());
        println!("  {:<24} {:>5} → {:>5} [{}, {}]", arm.name, pct(a.mean), pct(b.mean), pct(b.lo), pct(b.hi));
    }
    for (arm, st) in sc.arms[1..].iter().zip(&agg.diffs) {
        let d = st.yearly[last][rate].interval();
        println!("  {} − {}: {} pp [{}, {}]", arm.name, sc.arms[0].name, pct(d.mean), pct(d.lo), pct(d.hi));
    }
    println!("results: {}", out.display());
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
