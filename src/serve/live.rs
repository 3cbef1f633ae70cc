//! A run for the page: replicates in small steps, the aggregates after each
//! step turned into the slice of `summary.json` the page draws.
//!
//! Replicates are folded in replicate order into the same [`Aggregate`] as
//! `fupin run`, and the view is cut from the same [`output::summary`], so
//! the page's numbers are the command line's for the same scenario, seed and
//! replicates (the browser test checks this). Nothing here knows HTTP.

use crate::output;
use crate::scenario::Scenario;
use crate::sim::run::{self, Aggregate};
use serde_json::{json, Value};
use std::sync::atomic::AtomicBool;

/// Yearly metrics the page shows: the charts, the year table and the
/// register flows.
pub const YEARLY: [&str; 9] = [
    "headcount_rate",
    "poor_people",
    "mean_income_pc",
    "assets_pc",
    "registered_households",
    "exits",
    "reentries",
    "new_entrants",
    "in_transition",
];

/// Whole-run totals the page shows: the budget and where it went (every
/// `sink_share.*`).
pub const TOTALS: [&str; 1] = ["budget_total"];

fn shown_total(name: &str) -> bool {
    TOTALS.contains(&name) || name.starts_with("sink_share.")
}

/// The page's view of the aggregates so far: `summary.json` with only the
/// metrics the page shows, plus how many replicates it counts.
pub fn view(sc: &Scenario, agg: &Aggregate) -> Value {
    let mut s = output::summary(sc, agg);
    for arm in &mut s.arms {
        arm.initial.retain(|k, _| YEARLY.contains(&k.as_str()));
        arm.totals.retain(|k, _| shown_total(k));
        for y in &mut arm.years {
            y.metrics.retain(|k, _| YEARLY.contains(&k.as_str()));
        }
    }
    for d in &mut s.differences {
        d.totals.retain(|k, _| shown_total(k));
        for y in &mut d.years {
            y.metrics.retain(|k, _| YEARLY.contains(&k.as_str()));
        }
    }
    match serde_json::to_value(&s) {
        Ok(v) => v,
        Err(e) => unreachable!("a summary of plain values serialises: {e}"),
    }
}

/// Replicates per step: about twenty steps a run, each a whole number of
/// rounds of a pool of `threads` (a step of one replicate per thread would
/// leave threads idle at every step's end).
pub fn step(replicates: u32, threads: usize) -> u32 {
    let threads = threads.max(1) as u32;
    replicates.div_ceil(20).div_ceil(threads).max(1) * threads
}

/// Simulate `sc`'s replicates in order, `step` at a time, each step on
/// `pool` while holding `one_at_a_time` (so runs of several clients take
/// turns, step by step, in the order they asked, and at most one step's
/// replicates are in memory), calling `each` with the number done and the
/// view after every step. Call it from a thread that may block, not from an
/// async task. Returns early with [`crate::Error::Interrupted`] once `stop`
/// is set (before the next step, or within the step's current simulated
/// month), or with the error `each` returns.
pub fn simulate(
    sc: &Scenario,
    (pool, one_at_a_time): (&rayon::ThreadPool, &tokio::sync::Mutex<()>),
    step: u32,
    stop: &AtomicBool,
    mut each: impl FnMut(u32, Value) -> crate::Result<()>,
) -> crate::Result<Aggregate> {
    let mut agg = Aggregate::new(sc);
    let step = step.max(1);
    let mut start = 0;
    while start < sc.replicates {
        if stop.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(crate::Error::Interrupted { path: Default::default() });
        }
        let end = start.saturating_add(step).min(sc.replicates);
        {
            // Not from an async task: the caller is a blocking thread.
            let _turn = one_at_a_time.blocking_lock();
            pool.install(|| {
                run::simulate_range(sc, start..end, false, stop, |rep| {
                    agg.push(rep);
                    Ok(())
                })
            })?;
        }
        each(end, view(sc, &agg))?;
        start = end;
    }
    Ok(agg)
}

/// The `fupin run` command that computes the same numbers, on `file`; with
/// `init`, `fupin init` first writes the shipped scenario of that name there.
pub fn command(file: &str, init: Option<&str>, sets: &[String], replicates: u32, seed: u64) -> String {
    let mut c = match init {
        Some(name) => format!("fupin init {} --from {} && ", quote(file), quote(name)),
        None => String::new(),
    };
    c.push_str(&format!("fupin run {} --replicates {replicates} --seed {seed}", quote(file)));
    for s in sets {
        c.push_str(" --set ");
        c.push_str(&quote(s));
    }
    c
}

/// Shell-quote `s` when it holds anything but plain path characters.
fn quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "._-/=:,@+".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// A start event: what runs, and the equivalent command.
pub fn started(sc: &Scenario, command: &str) -> Value {
    json!({ "replicates": sc.replicates, "seed": sc.seed, "command": command })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_quotes_what_a_shell_would_split() {
        let c = command("scenarios/township.toml", None, &["arms.cash.description=two words".into()], 4, 7);
        assert_eq!(
            c,
            "fupin run scenarios/township.toml --replicates 4 --seed 7 --set 'arms.cash.description=two words'"
        );
        assert_eq!(quote("it's"), r"'it'\''s'");
        let c = command("windfall.toml", Some("windfall"), &[], 2, 1);
        assert_eq!(c, "fupin init windfall.toml --from windfall && fupin run windfall.toml --replicates 2 --seed 1");
    }

    #[test]
    fn the_page_s_metrics_are_registered() {
        let text = crate::shipped::SHIPPED[0].1;
        let sc = Scenario::from_bytes(std::path::Path::new("township.toml"), text.as_bytes()).unwrap();
        for m in YEARLY {
            assert!(sc.yearly_index(m).is_some(), "{m} is not a yearly metric");
        }
        let totals = crate::outcome::totals_names(&crate::ledger::SINKS);
        assert!(TOTALS.iter().all(|t| totals.iter().any(|n| n == t)));
        assert!(totals.iter().any(|n| n.starts_with("sink_share.")));
    }

    #[test]
    fn steps_are_whole_rounds_of_the_pool_about_twenty_a_run() {
        assert_eq!(step(200, 2), 10);
        assert_eq!(step(20, 2), 2);
        assert_eq!(step(4, 2), 2);
        assert_eq!(step(3, 8), 8);
        assert_eq!(step(1000, 3), 51);
    }
}
