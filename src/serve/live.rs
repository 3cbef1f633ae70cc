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
pub const YEARLY: [&str; 14] = [
    "headcount_rate",
    "poor_people",
    "poverty_gap",
    "mean_income_pc",
    "median_income_pc",
    "assets_pc",
    "savings_pc",
    "consumption_pc",
    "registered_households",
    "exits",
    "reentries",
    "new_entrants",
    "in_transition",
    "fiscal_spent",
];

/// Whole-run totals the page shows (and every `sink_share.*`).
pub const TOTALS: [&str; 4] = ["poverty_years", "spent_total", "sustained_exits", "budget_total"];

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

/// Simulate `sc`'s replicates in order, `step` at a time, calling `each`
/// with the number done and the view after every step. Returns early with
/// [`crate::Error::Interrupted`] once `stop` is set (within a simulated
/// month), or with the error `each` returns. Runs on the current rayon pool.
pub fn simulate(
    sc: &Scenario,
    step: u32,
    stop: &AtomicBool,
    mut each: impl FnMut(u32, Value) -> crate::Result<()>,
) -> crate::Result<Aggregate> {
    let mut agg = Aggregate::new(sc);
    let step = step.max(1);
    let mut start = 0;
    while start < sc.replicates {
        let end = start.saturating_add(step).min(sc.replicates);
        run::simulate_range(sc, start..end, false, stop, |rep| {
            agg.push(rep);
            Ok(())
        })?;
        each(end, view(sc, &agg))?;
        start = end;
    }
    Ok(agg)
}

/// The `fupin run` command that computes the same numbers.
pub fn command(file: &str, sets: &[String], replicates: u32, seed: u64) -> String {
    let mut c = format!("fupin run {} --replicates {replicates} --seed {seed}", quote(file));
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
        let c = command("scenarios/township.toml", &["arms.cash.description=two words".into()], 4, 7);
        assert_eq!(
            c,
            "fupin run scenarios/township.toml --replicates 4 --seed 7 --set 'arms.cash.description=two words'"
        );
        assert_eq!(quote("it's"), r"'it'\''s'");
    }
}
