//! The command line: parse (clap), validate, schedule, export.
//!
//! `main` calls [`main_with_args`] and maps its error to an exit code; all
//! the work is here and in the library so that tests can drive it.

use crate::app::{self, RunOptions};
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::scenario::{Scenario, MAX_REPLICATES};
use crate::sim::run::{self, Aggregate};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

const EXAMPLES: &str = "\
Examples:
  fupin run scenarios/township.toml
  fupin run scenarios/township.toml --replicates 1000 --seed 7 --out output/t1000
  fupin run scenarios/township.toml --threads 1 --timeseries none
  fupin run scenarios/township.toml --set population.households=2000 --set arms.cash.policies.cash.budget_share=0.5
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
        /// Override a field: PATH=VALUE (repeatable; arms and other named entries by name,
        /// e.g. arms.cash.policies.cash.budget_share=0.5).
        #[arg(long = "set", value_name = "PATH=VALUE")]
        sets: Vec<String>,
    },
    /// Run a scenario over a design of parameter values (grid, Latin hypercube,
    /// Morris or Sobol) and compute sensitivity indices.
    #[command(after_help = SWEEP_EXAMPLES)]
    Sweep(SweepArgs),
    /// Merge the output folders of replicate shards (from --first-replicate),
    /// or of sweep tasks (from fupin sweep --task), into the results one run
    /// would have written.
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
        /// Language of the charts and report.html: en or zh.
        #[arg(long, default_value = "en", value_parser = parse_lang)]
        lang: Lang,
    },
    /// Rebuild the charts and report.html of an existing output folder.
    Plot {
        /// Output folder of a run.
        out: PathBuf,
        /// Language of the charts and report.html: en or zh.
        #[arg(long, default_value = "en", value_parser = parse_lang)]
        lang: Lang,
    },
    /// Start the trainer's live page on a local web server (Chinese and English).
    #[command(after_help = SERVE_EXAMPLES)]
    Serve(ServeArgs),
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

const SWEEP_EXAMPLES: &str = "\
Examples:
  fupin sweep scenarios/sweeps/cash_vs_enterprise.toml
  fupin sweep study.toml --check
  fupin sweep study.toml --task 0 --tasks 4 --out shard0
  fupin sweep study.toml --slurm --tasks 4 --out output/study
  fupin merge shard0 shard1 shard2 shard3 --out output/study";

#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// Sweep file (TOML; see docs/sweep.md).
    pub sweep: PathBuf,
    /// Output folder [default: output/<sweep name>, or output/<sweep name>.task-I with --task].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Run only the I-th share (0-based) of the design points; needs --tasks.
    #[arg(long, value_name = "I")]
    pub task: Option<i64>,
    /// The number of shares the points are split into (with --task or --slurm).
    #[arg(long, value_name = "N")]
    pub tasks: Option<i64>,
    /// Write an sbatch job-array script (one array task per share) instead of running.
    #[arg(long)]
    pub slurm: bool,
    /// Check the sweep file and describe its design without running anything.
    #[arg(long, conflicts_with_all = ["slurm", "task", "tasks"])]
    pub check: bool,
    /// Worker threads [default: RAYON_NUM_THREADS, else all cores]. Results do not depend on it.
    #[arg(long)]
    pub threads: Option<i64>,
    /// Replace an existing output folder written by fupin.
    #[arg(long)]
    pub force: bool,
    /// Print nothing on success, and no progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Do not draw charts or write report.html.
    #[arg(long)]
    pub no_charts: bool,
    /// Language of the charts and report.html: en or zh.
    #[arg(long, default_value = "en", value_parser = parse_lang)]
    pub lang: Lang,
}

const SERVE_EXAMPLES: &str = "\
Examples:
  fupin serve                              # the shipped stories, on http://127.0.0.1:8080/
  fupin serve my_township.toml --port 9000 # a scenario of your own, listed first
  fupin serve --threads 1                  # leave a core free";

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// A scenario file to list first, beside the shipped stories.
    pub scenario: Option<PathBuf>,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on; the default serves this machine only.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Worker threads shared by every run [default: RAYON_NUM_THREADS, else all cores].
    #[arg(long)]
    pub threads: Option<i64>,
    /// Most replicates one run on the page may ask for.
    #[arg(long, default_value_t = 200)]
    pub max_replicates: u32,
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
    /// Language of the charts and report.html: en or zh.
    #[arg(long, default_value = "en", value_parser = parse_lang)]
    pub lang: Lang,
    /// Override a field: PATH=VALUE (repeatable; arms and other named entries by name,
    /// e.g. population.households=2000 or arms.cash.policies.cash.budget_share=0.5).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
}

/// `--lang`: en or zh (zh-CN and the like are taken as zh).
fn parse_lang(s: &str) -> std::result::Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("{s:?}: one of en, zh"))
}

impl From<RunArgs> for RunOptions {
    fn from(a: RunArgs) -> RunOptions {
        RunOptions {
            scenario: a.scenario,
            out: a.out,
            replicates: a.replicates,
            first_replicate: a.first_replicate,
            seed: a.seed,
            threads: a.threads,
            force: a.force,
            timeseries: match a.timeseries {
                Timeseries::Full => app::Timeseries::Full,
                Timeseries::Summary => app::Timeseries::Summary,
                Timeseries::None => app::Timeseries::None,
            },
            quiet: a.quiet,
            no_charts: a.no_charts,
            lang: a.lang,
            sets: a.sets,
        }
    }
}

/// Set by SIGINT or SIGTERM; runs stop within a simulated month.
static STOP: AtomicBool = AtomicBool::new(false);

fn install_stop_handler() {
    // A second installation attempt (tests calling in-process) is harmless.
    let _ = ctrlc::set_handler(|| STOP.store(true, Ordering::SeqCst));
}

/// `fupin serve`: the trainer's page, until Ctrl-C.
fn serve(a: ServeArgs) -> Result<String> {
    if !(1..=MAX_REPLICATES).contains(&(a.max_replicates as i64)) {
        return Err(Error::Flag {
            flag: "--max-replicates",
            value: a.max_replicates.to_string(),
            allowed: format!("an integer in [1, {MAX_REPLICATES}]"),
        });
    }
    let opts = crate::serve::ServeOptions {
        scenario: a.scenario,
        bind: a.bind,
        port: a.port,
        threads: a.threads,
        max_replicates: a.max_replicates,
    };
    // No ctrlc handler here: the server listens for Ctrl-C itself and
    // stops its runs.
    crate::serve::serve(&opts, |addr| {
        use std::io::Write;
        let mut out = std::io::stdout();
        let _ = writeln!(out, "fupin serve: http://{addr}/ (Ctrl-C stops)");
        let _ = out.flush();
    })?;
    Ok(String::new())
}

/// Parse `args` and execute. Clap's own errors (bad flags) print and exit 2.
pub fn main_with_args(args: impl IntoIterator<Item = String>) -> Result<()> {
    let cli = Cli::parse_from(args);
    let text = match cli.command {
        Command::Validate { scenario, sets } => {
            let sets =
                sets.iter().map(|s| crate::scenario::overrides::Override::parse(s)).collect::<Result<Vec<_>>>()?;
            let sc = Scenario::load_with(&scenario, &sets)?;
            format!(
                "{}: valid — scenario {:?}, {} households, {} years from {}, {} arm(s): {}\n",
                scenario.display(),
                sc.name,
                sc.population.households,
                sc.years,
                sc.start_year,
                sc.arms.len(),
                sc.arms.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", ")
            )
        }
        Command::Run(args) => {
            install_stop_handler();
            let quiet = args.quiet;
            let r = app::run(&args.into(), &STOP)?;
            if quiet {
                String::new()
            } else {
                summary_text(&r.sc, &r.agg, &r.out, Some(r.wall_seconds))
            }
        }
        Command::Sweep(a) => {
            install_stop_handler();
            let quiet = a.quiet;
            let o = crate::sweep::run::SweepOptions {
                sweep: a.sweep,
                out: a.out,
                task: a.task,
                tasks: a.tasks,
                threads: a.threads,
                force: a.force,
                quiet: a.quiet,
                no_charts: a.no_charts,
                lang: a.lang,
                slurm: a.slurm,
                check: a.check,
            };
            let r = crate::sweep::run::sweep(&o, &STOP)?;
            if quiet {
                String::new()
            } else {
                sweep_text(&r)
            }
        }
        Command::Merge { shards, out, force, quiet, lang }
            if shards.first().is_some_and(|d| crate::sweep::is_shard(d)) =>
        {
            install_stop_handler();
            let (sweep, dir) = crate::sweep::finish::merge(&shards, &out, (force, lang), &STOP)?;
            if quiet {
                String::new()
            } else {
                format!(
                    "merged {} tasks of sweep {:?} ({} points) into {}\n",
                    shards.len(),
                    sweep.name,
                    sweep.points,
                    dir.display()
                )
            }
        }
        Command::Merge { shards, out, force, quiet, lang } => {
            install_stop_handler();
            let (sc, agg, dir) = crate::merge::merge(&shards, &out, (force, lang), &STOP)?;
            if quiet {
                String::new()
            } else {
                summary_text(&sc, &agg, &dir, None)
            }
        }
        Command::Plot { out, lang } => {
            let report = app::plot(&out, lang)?;
            format!("charts: {}\nreport: {}\n", out.join("charts").display(), report.display())
        }
        Command::Serve(a) => serve(a)?,
        Command::Scenarios => crate::shipped::SHIPPED
            .iter()
            .map(|(name, text)| format!("{} {}\n", padded(name, 24), crate::shipped::description(text)))
            .collect(),
        Command::Init { file, from } => {
            app::init(&file, &from)?;
            format!("wrote {}; run it with: fupin run {}\n", file.display(), file.display())
        }
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "fupin", &mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        }
    };
    emit(&text)
}

/// What `fupin sweep` prints.
fn sweep_text(r: &crate::sweep::run::SweepResult) -> String {
    use crate::sweep::run::SweepResult;
    match r {
        SweepResult::Checked(sweep) => {
            let params: Vec<String> =
                sweep.parameters.iter().map(|p| format!("  {}: {}", p.path, p.describe())).collect();
            let outcomes: Vec<String> = sweep.outcomes.iter().map(|o| o.label()).collect();
            let reported: Vec<String> = sweep.reported.iter().map(|r| r.label()).collect();
            format!(
                "{}: valid — sweep {:?} of scenario {:?}: design {}, {} points × {} replicates ({} replicate runs of {} arm(s))\n\
                 parameters:\n{}\noutcomes: {}\nreported: {}\n",
                sweep.path.display(),
                sweep.name,
                sweep.base.name,
                sweep.design.name(),
                sweep.points,
                sweep.base.replicates,
                sweep.points * sweep.base.replicates as usize,
                sweep.base.arms.len(),
                params.join("\n"),
                outcomes.join(", "),
                reported.join(", ")
            )
        }
        SweepResult::Slurm { script, next } => {
            format!("wrote {}\nsubmit the job array, then merge its shards:\n{next}\n", script.display())
        }
        SweepResult::Ran { sweep, out, points, shard, wall_seconds } => {
            let what = if *shard { "shard" } else { "results" };
            let mut t = format!(
                "sweep {:?}: {} of {} points × {} replicates in {:.1} s; {what} in {}\n",
                sweep.name,
                points.len(),
                sweep.points,
                sweep.base.replicates,
                wall_seconds,
                out.display()
            );
            if !*shard {
                t.push_str(&format!("report: {}\n", out.join("report.html").display()));
            }
            t
        }
    }
}

/// Write a command's report to standard output. A reader that went away
/// (`fupin … | head`) is not an error: the work is done and there is nobody
/// left to tell. Any other failure (a full disk) is.
fn emit(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::Write { path: PathBuf::from("standard output"), source: e })
        }
        _ => Ok(()),
    }
}

/// The whole run against the reference: poverty person-years averted, how
/// often each arm beats the reference, and the extra cost per person-year averted.
fn whole_run_text(t: &mut String, sc: &Scenario, agg: &Aggregate) {
    use std::fmt::Write;
    let c = &agg.comparisons;
    let reference = &sc.arms[0].name;
    let num = |x: Option<f64>| x.map(|v| format!("{v:.0}")).unwrap_or_else(|| "-".into());
    let (first, last) = (sc.start_year, sc.start_year + sc.years as i32 - 1);
    let _ = writeln!(t, "whole run {first}–{last}, against {reference} (mean [95% interval]):");
    for (a, arm) in sc.arms.iter().enumerate().skip(1) {
        let i = c.averted[a].interval();
        let beats = c.p_beats(a, 0).map_or("-".into(), |p| format!("{:.0}%", 100.0 * p));
        let cost = c.cost_per_poverty_year(a);
        let cost = match cost.mean {
            Some(m) => format!("{:.0} [{}, {}]", m, num(cost.lo), num(cost.hi)),
            None => "not defined (no person-years averted on average)".into(),
        };
        let _ = writeln!(
            t,
            "  {} poverty person-years averted {} [{}, {}]; beats {reference} in {beats} of replicates; \
             yuan per person-year averted {cost}",
            padded(&arm.name, 24),
            num(i.mean),
            num(i.lo),
            num(i.hi)
        );
    }
}

/// The end-of-run report: the whole run against the reference first, then
/// the headcount rate before and after, per arm and paired against the first arm.
fn summary_text(sc: &Scenario, agg: &Aggregate, out: &Path, wall: Option<f64>) -> String {
    use std::fmt::Write;
    let mut t = String::new();
    let last = sc.years as usize;
    let Some(rate) = sc.yearly_index("headcount_rate") else { unreachable!("a registered metric") };
    let pct = |x: Option<f64>| x.map(|v| format!("{:.1}", 100.0 * v)).unwrap_or_else(|| "-".into());
    let _ = match wall {
        Some(wall) => writeln!(
            t,
            "fupin: {} replicates × {} arms of {:?} in {:.1} s ({:.2e} household-months/s)",
            agg.replicates,
            sc.arms.len(),
            sc.name,
            wall,
            run::household_months(sc, agg.replicates) / wall.max(1e-9)
        ),
        None => writeln!(t, "fupin: merged {} replicates × {} arms of {:?}", agg.replicates, sc.arms.len(), sc.name),
    };
    let (from, to) = (sc.start_year - 1, sc.start_year + last as i32 - 1);
    whole_run_text(&mut t, sc, agg);
    let _ =
        writeln!(t, "headcount rate, {from} → {to} (%, mean [95% interval]; the final year is one year of {last}):");
    for (arm, st) in sc.arms.iter().zip(&agg.arms) {
        let (a, b) = (st.yearly[0][rate].interval(), st.yearly[last][rate].interval());
        let _ = writeln!(
            t,
            "  {} {:>5} → {:>5} [{}, {}]",
            padded(&arm.name, 24),
            pct(a.mean),
            pct(b.mean),
            pct(b.lo),
            pct(b.hi)
        );
    }
    for (arm, st) in sc.arms[1..].iter().zip(&agg.diffs) {
        let d = st.yearly[last][rate].interval();
        let _ = writeln!(t, "  {} − {}: {} pp [{}, {}]", arm.name, sc.arms[0].name, pct(d.mean), pct(d.lo), pct(d.hi));
    }
    let _ = writeln!(t, "results: {}", out.display());
    t
}

/// `name` followed by spaces to `width` terminal columns (a Chinese
/// character takes two), so that columns line up after it.
fn padded(name: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width(name);
    format!("{name}{}", " ".repeat(width.saturating_sub(w)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_padded_by_display_width() {
        assert_eq!(super::padded("cash", 8), "cash    ");
        assert_eq!(super::padded("发现金", 8), "发现金  ");
        assert_eq!(super::padded("a name longer than eight", 8), "a name longer than eight");
    }

    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
