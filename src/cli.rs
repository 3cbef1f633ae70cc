//! The command line: parse (clap), validate, schedule, export.
//!
//! `main` calls [`main_with_args`] and maps its error to an exit code; all
//! the work is here and in the library so that tests can drive it.

use crate::error::{Error, Result};
use crate::output::{self, ManifestInfo, OutputDir};
use crate::run::{self, Aggregate};
use crate::scenario::{Scenario, MAX_REPLICATES};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

const EXAMPLES: &str = "\
Examples:
  fupin run scenarios/township.toml
  fupin run scenarios/township.toml --replicates 1000 --seed 7 --out output/t1000
  fupin run scenarios/township.toml --threads 1 --timeseries none
  fupin run scenarios/township.toml --first-replicate 100 --replicates 100 --out shard2
  fupin merge shard1 shard2 --out merged
  fupin plot output/township
  fupin validate scenarios/township.toml
  fupin scenarios
  fupin init my_township.toml";

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
    /// Merge the output folders of replicate shards (from --first-replicate)
    /// into the results one run over all their replicates would have written.
    Merge {
        /// Shard output folders, in any order; their replicates must be contiguous.
        #[arg(required = true)]
        shards: Vec<PathBuf>,
        /// Output folder for the merged results.
        #[arg(long)]
        out: PathBuf,
        /// Replace an existing, non-empty output folder.
        #[arg(long)]
        force: bool,
        /// Print nothing on success.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Rebuild the charts and report.html of an existing output folder.
    Plot {
        /// Output folder of a run.
        out: PathBuf,
    },
    /// List the shipped scenarios with one-line descriptions.
    Scenarios,
    /// Write an annotated starter scenario that validates and runs.
    Init {
        /// Where to write it (refuses to overwrite).
        file: PathBuf,
        /// Which shipped scenario to start from.
        #[arg(long, default_value = "township")]
        from: String,
    },
    /// Print shell completions to stdout.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Timeseries {
    /// timeseries.csv (one row per arm × replicate × month) and prices.csv.
    Full,
    /// timeseries_summary.csv: per arm and month, the mean over replicates with its
    /// interval, and paired differences; memory and disk do not grow with replicates.
    Summary,
    /// Neither file: yearly results only (the poverty measures then run only in December).
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
    /// First replicate index: run replicates K..K+N, a shard of a larger sweep.
    #[arg(long, default_value_t = 0)]
    pub first_replicate: i64,
    /// Seed, overriding meta.seed.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads [default: RAYON_NUM_THREADS, else all cores]. Results do not depend on it.
    #[arg(long)]
    pub threads: Option<i64>,
    /// Replace an existing, non-empty output folder.
    #[arg(long)]
    pub force: bool,
    /// Monthly series: full (timeseries.csv, prices.csv), summary (timeseries_summary.csv) or none.
    #[arg(long, value_enum, default_value_t = Timeseries::Full)]
    pub timeseries: Timeseries,
    /// Print nothing on success, and no progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Do not draw charts or write report.html.
    #[arg(long)]
    pub no_charts: bool,
}

/// Set by SIGINT or SIGTERM; runs stop within a simulated month.
static STOP: AtomicBool = AtomicBool::new(false);

fn install_stop_handler() {
    // A second installation attempt (tests calling in-process) is harmless.
    let _ = ctrlc::set_handler(|| STOP.store(true, Ordering::SeqCst));
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
        Command::Run(args) => {
            install_stop_handler();
            run_scenario(&args).map(|_| ())
        }
        Command::Merge { shards, out, force, quiet } => {
            let (sc, agg, dir) = crate::merge::merge(&shards, &out, force)?;
            if !quiet {
                print_summary(&sc, &agg, &dir, None);
            }
            Ok(())
        }
        Command::Plot { out } => {
            if !out.join("summary.json").is_file() {
                return Err(Error::Parse { path: out, message: "not a fupin output folder (no summary.json)".into() });
            }
            let charts = crate::chart::write_charts(&out)?;
            let report = crate::report::write_report(&out, &charts)?;
            println!("charts: {}\nreport: {}", out.join("charts").display(), report.display());
            Ok(())
        }
        Command::Scenarios => {
            for (name, text) in crate::shipped::SHIPPED {
                println!("{name:<24} {}", crate::shipped::description(text));
            }
            Ok(())
        }
        Command::Init { file, from } => init(&file, &from),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "fupin", &mut std::io::stdout());
            Ok(())
        }
    }
}

fn init(file: &Path, from: &str) -> Result<()> {
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
    output::write_atomic(file, text.as_bytes())?;
    println!("wrote {}; run it with: fupin run {}", file.display(), file.display());
    Ok(())
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

/// A progress bar on a terminal for runs of more than a few replicates;
/// hidden when stderr is not a terminal, or with `--quiet`.
fn progress(replicates: u32, quiet: bool) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(replicates as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} replicates {pos}/{len} [{bar:30}] {elapsed} (eta {eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar
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
    if !(0..=u32::MAX as i64 - sc.replicates as i64).contains(&args.first_replicate) {
        return Err(Error::Flag {
            flag: "--first-replicate",
            value: args.first_replicate.to_string(),
            allowed: format!("an integer in [0, {}]", u32::MAX as i64 - sc.replicates as i64),
        });
    }
    if let Some(s) = args.seed {
        sc.seed = s;
    }
    let threads = thread_count(args.threads)?;
    crate::memory::check(&sc, threads)?;
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
        Timeseries::Summary | Timeseries::None => None,
    };
    let mut monthly = (args.timeseries == Timeseries::Summary).then(|| run::MonthlyAggregate::new(&sc));
    let wants_months = args.timeseries != Timeseries::None;
    let mut replicates = output::ReplicateWriter::create(&dir, &sc)?;
    let first = args.first_replicate as u32;
    let bar = progress(sc.replicates, args.quiet);
    pool.install(|| {
        run::simulate_range(&sc, first..first + sc.replicates, wants_months, &STOP, |rep| {
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
    write_results(&dir, &sc, &agg, &manifest)?;
    if !args.no_charts {
        let charts = crate::chart::write_charts(dir.path())?;
        crate::report::write_report(dir.path(), &charts)?;
    }
    let out = dir.commit()?;
    if !args.quiet {
        print_summary(&sc, &agg, &out, Some(wall));
    }
    Ok(out)
}

/// The summary files and the manifest, into a staging folder.
pub fn write_results(dir: &OutputDir, sc: &Scenario, agg: &Aggregate, manifest: &ManifestInfo) -> Result<()> {
    let json = |v: &serde_json::Value| serde_json::to_vec_pretty(v).expect("JSON values serialise");
    output::write_atomic(&dir.file("summary.json"), &json(&output::summary_json(sc, agg)))?;
    output::write_atomic(&dir.file("summary.csv"), &output::summary_csv(sc, agg)?)?;
    output::write_atomic(&dir.file("manifest.json"), &json(&output::manifest_json(manifest)))
}

fn print_summary(sc: &Scenario, agg: &Aggregate, out: &Path, wall: Option<f64>) {
    let last = sc.years as usize;
    let rate = crate::engine::yearly_index(sc, "headcount_rate").expect("metric exists");
    let pct = |x: Option<f64>| x.map(|v| format!("{:.1}", 100.0 * v)).unwrap_or_else(|| "-".into());
    match wall {
        Some(wall) => println!(
            "fupin: {} replicates × {} arms of {:?} in {:.1} s ({:.2e} household-months/s)",
            agg.replicates,
            sc.arms.len(),
            sc.name,
            wall,
            run::household_months(sc, agg.replicates) / wall.max(1e-9)
        ),
        None => println!("fupin: merged {} replicates × {} arms of {:?}", agg.replicates, sc.arms.len(), sc.name),
    }
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

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
