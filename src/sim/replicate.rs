//! One replicate: the world, the pre-policy year, then every arm.
//!
//! Arms start from identical households and see identical shocks (common
//! random numbers): every draw is keyed by household, village or commodity
//! and by month or year, never by arm. Poverty is identified each December
//! on trailing 12-month per-capita net income.

use super::measure::{self, DecileChange, Groups, Paired};
use super::month::step_month;
use super::shared::{MonthSink, Replicate};
use super::state::State;
use crate::ledger::Ledger;
use crate::mechanism::demography;
use crate::outcome::{self, MARKET, MONTHLY};
use crate::scenario::Scenario;
use std::sync::atomic::{AtomicBool, Ordering};

/// Results of one arm in one replicate.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmOutcome {
    pub monthly: Vec<[f64; MONTHLY.len()]>,
    /// Per policy month, per commodity: [`MARKET`] columns.
    pub market: Vec<[f64; MARKET.len()]>,
    /// Index 0 is the initial (pre-policy) identification; columns are `Scenario::yearly_names`.
    pub yearly: Vec<Vec<f64>>,
    /// Columns are [`outcome::totals_names`] of the ledger's sinks.
    pub totals: Vec<f64>,
    pub ledger: Ledger,
}

/// Results of one replicate, arms in scenario order.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicateOutcome {
    pub replicate: u32,
    pub arms: Vec<ArmOutcome>,
}

/// Run one replicate of every arm, with monthly rows.
pub fn run_replicate(sc: &Scenario, replicate: u32) -> ReplicateOutcome {
    run_replicate_with(sc, replicate, true)
}

/// Run one replicate of every arm; `monthly` asks for the monthly rows
/// (`timeseries.csv`, `prices.csv`). Yearly results are the same either way.
pub fn run_replicate_with(sc: &Scenario, replicate: u32, monthly: bool) -> ReplicateOutcome {
    match run_replicate_until(sc, replicate, monthly, &AtomicBool::new(false)) {
        Some(r) => r,
        None => unreachable!("a replicate without a stop signal runs to the end"),
    }
}

/// As [`run_replicate_with`], but gives up (returning `None`) at the first
/// month after `stop` is set, so that even one long replicate stops promptly.
pub fn run_replicate_until(
    sc: &Scenario,
    replicate: u32,
    monthly: bool,
    stop: &AtomicBool,
) -> Option<ReplicateOutcome> {
    let mut r = Replicate::new_until(sc, replicate, stop)?;
    let (base, initial) = pre_policy_year(&r);
    if stop.load(Ordering::Relaxed) {
        return None;
    }
    let mut paired = Paired::new(&base.hh.ypc, &r.world.sizes);
    let groups = Groups::new(&r, &base.hh.status);
    let mut initial = initial;
    groups.fill(&r, &mut initial, &groups.headcount(&r.world.sizes, &base.hh.status));
    // The last arm takes the pre-policy state itself; the others run on clones.
    let mut base = Some(base);
    let last = sc.arms.len() - 1;
    let mut arms = Vec::with_capacity(sc.arms.len());
    for a in 0..sc.arms.len() {
        let s = if a == last { base.take() } else { base.clone() }?;
        // An arm with its own fields (`set`) runs its months with its own
        // scenario, on the same world.
        let own: &Scenario = sc.arm_scenarios.get(a).and_then(|o| o.as_deref()).unwrap_or(sc);
        r.sc = own;
        r.world.sc = &own.setting;
        arms.push(run_arm(&mut r, (a, s), &initial, (&mut paired, &groups), monthly, stop)?);
    }
    Some(ReplicateOutcome { replicate, arms })
}

/// The policy years of arm `a`, from the pre-policy state `s`. The first
/// arm, the reference, records its households' incomes each December in
/// `paired`; the others are compared with them household by household.
fn run_arm(
    r: &mut Replicate,
    (a, mut s): (usize, State),
    initial: &[f64],
    (paired, groups): (&mut Paired, &Groups),
    monthly: bool,
    stop: &AtomicBool,
) -> Option<ArmOutcome> {
    let sc = r.sc;
    let arm = &sc.arms[a];
    let mut sink = MonthSink { wanted: monthly, ..Default::default() };
    let mut yearly = vec![initial.to_vec()];
    let mut change = DecileChange::default();
    let (winners, losers) = (position(r, "winners_share"), position(r, "losers_share"));
    yearly[0][winners] = 0.0;
    yearly[0][losers] = 0.0;
    let (fiscal, dibao) = (position(r, "fiscal_spent"), position(r, "dibao_spent"));
    let multiplier = position(r, "local_multiplier");
    // Σ income gained, extra spending, extra budget spent, and the larger of the two arms' spending.
    let mut gains = [0.0; 4];
    for t in 12..12 + sc.months() {
        if stop.load(Ordering::Relaxed) {
            return None;
        }
        // Each January the households' members change, the same in every arm.
        if t % 12 == 0 {
            january(r, &mut s, (t / 12) as usize);
        }
        let r = &*r;
        // Local sales and prices answer spending against the reference arm's in the same month.
        if a > 0 {
            s.local.reference = paired.spending.get((t - 12) as usize).cloned();
        }
        let row = step_month(r, Some(arm), &mut s, t, &mut sink);
        if a == 0 {
            paired.spending.push(s.local.spent.clone());
        }
        if let Some(mut row) = row {
            let income = total_income(r, &s);
            if a == 0 {
                paired.reference.push(s.hh.ypc.clone());
                paired.income.push(income);
                paired.spent.push(row[fiscal] + row[dibao]);
                paired.fiscal.push(row[fiscal]);
            } else {
                let k = yearly.len() - 1;
                let spent = row[fiscal] + row[dibao];
                let (scale, budget) = (spent.max(paired.spent[k]), row[fiscal] - paired.fiscal[k]);
                let gain = (income - paired.income[k], spent - paired.spent[k]);
                row[multiplier] = per_yuan(gain, (budget, scale));
                gains = [gains[0] + gain.0, gains[1] + gain.1, gains[2] + budget, gains[3] + scale];
            }
            let reference = &paired.reference[yearly.len() - 1];
            let (w, l) = measure::compare_with_reference(paired, &r.world.sizes, &s.hh.ypc, reference, &mut change);
            row[winners] = w;
            row[losers] = l;
            groups.fill(r, &mut row, &groups.headcount(&r.world.sizes, &s.hh.status));
            yearly.push(row);
        }
    }
    measure::specialised_cohorts(r, &s, &mut yearly);
    let gone_from = r.demography.as_ref().map_or(&[][..], |d| &d.gone_from[..]);
    let sustained = sustained_exits(&s.hh.history, sc.years, gone_from);
    let spent = s.ledger.spent();
    let poor = r.layout.position("poor_people").unwrap_or_else(|| unreachable!("a registered metric"));
    let poverty_years: f64 = yearly[1..].iter().map(|row| row[poor]).sum();
    let totals = outcome::fixed_row(
        &outcome::TOTALS,
        [
            ("sustained_exits", sustained),
            ("cost_per_sustained_exit", if sustained > 0.0 { spent / sustained } else { f64::NAN }),
            ("budget_total", s.ledger.budget),
            ("books_imbalance", s.ledger.imbalance()),
            ("poverty_years", poverty_years),
            ("spent_total", spent),
            ("local_multiplier", if a > 0 { per_yuan((gains[0], gains[1]), (gains[2], gains[3])) } else { f64::NAN }),
        ],
    );
    let totals =
        totals.into_iter().chain(change.means()).chain(s.ledger.sinks().iter().map(|x| x / s.ledger.budget)).collect();
    Some(ArmOutcome { monthly: sink.monthly, market: sink.market, yearly, totals, ledger: s.ledger })
}

/// January of year index `y` under `[demography]`: the year's members
/// (`demography::enter`), and the register's counts, the enterprises' jobs
/// and dibao after what the arm lost.
fn january(r: &mut Replicate, s: &mut State, y: usize) {
    let Some(d) = &r.demography else {
        return;
    };
    let left = demography::enter(d, &mut r.world, &mut s.hh, y);
    s.registered -= left.registered;
    s.in_transition -= left.in_transition;
    for i in left.jobs {
        if let Some(k) = (s.ent.links.link[i] as usize).checked_sub(1) {
            s.ent.firms[k].jobs = s.ent.firms[k].jobs.saturating_sub(1);
        }
    }
    // Nobody is left to receive dibao.
    for i in left.died_out {
        s.dibao[i] = 0.0;
    }
}

/// Income gained per yuan of extra spending, `(gained, extra)`; NaN unless
/// the arm's budget spent differs from the reference's (`budget`) by 1% of
/// `scale` (the larger of the two arms' budget and dibao spent) or more: in
/// a year the two spend the same budget, the ratio would divide by what
/// dibao happens to differ.
fn per_yuan((gained, extra): (f64, f64), (budget, scale): (f64, f64)) -> f64 {
    if budget.abs() < 0.01 * scale || budget == 0.0 || extra == 0.0 {
        f64::NAN
    } else {
        gained / extra
    }
}

/// The township's total trailing income, yuan: Σ per-capita income × members.
fn total_income(r: &Replicate, s: &State) -> f64 {
    s.hh.ypc.iter().zip(&r.world.sizes).map(|(&y, &n)| y as f64 * n as f64).sum()
}

/// The column of yearly metric `name`.
fn position(r: &Replicate, name: &str) -> usize {
    r.layout.position(name).unwrap_or_else(|| unreachable!("{name} is a registered metric"))
}

/// Simulate the pre-policy year (no arm) and identify the poor. Returns the
/// state every arm starts from and the `initial` row.
pub fn pre_policy_year(r: &Replicate) -> (State, Vec<f64>) {
    let mut state = State::new(r);
    let mut initial = Vec::new();
    let mut sink = MonthSink::default();
    for t in 0..12 {
        if let Some(row) = step_month(r, None, &mut state, t, &mut sink) {
            initial = row;
        }
    }
    (state, initial)
}

/// The `initial` row of replicate `replicate`: the generated population
/// after the pre-policy year, before any policy.
pub fn initial_row(sc: &Scenario, replicate: u32) -> Vec<f64> {
    pre_policy_year(&Replicate::new(sc, replicate)).1
}

/// Exits (poor at identification k-1, not at k) that stay out at k+1 and
/// k+2, of households still alive then: `gone_from[i]` is the first year
/// household *i* has no members (none listed: never).
pub fn sustained_exits(history: &[u64], years: u32, gone_from: &[u32]) -> f64 {
    let mut n = 0u64;
    for (i, &h) in history.iter().enumerate() {
        let gone = gone_from.get(i).copied().unwrap_or(u32::MAX);
        for k in 1..years.saturating_sub(1) {
            let poor = |j: u32| h >> j & 1 == 1;
            if poor(k - 1) && !poor(k) && !poor(k + 1) && !poor(k + 2) && k + 2 < gone {
                n += 1;
            }
        }
    }
    n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sustained_exit_needs_two_more_years_out() {
        // Poor at 0, out at 1, 2, 3: one sustained exit (k = 1).
        assert_eq!(sustained_exits(&[0b0001], 3, &[]), 1.0);
        // Out at 1 but back at 3: not sustained.
        assert_eq!(sustained_exits(&[0b1001], 3, &[]), 0.0);
        // Too late to tell: exit at 2 with only year 3 after it.
        assert_eq!(sustained_exits(&[0b0011], 3, &[]), 0.0);
        // Its last member died in year 3 (or 1): no exit; in year 4, after the three years out: one.
        assert_eq!(sustained_exits(&[0b0001], 3, &[3]), 0.0);
        assert_eq!(sustained_exits(&[0b0001], 3, &[1]), 0.0);
        assert_eq!(sustained_exits(&[0b0001, 0b0001], 4, &[4, u32::MAX]), 2.0);
    }
}
