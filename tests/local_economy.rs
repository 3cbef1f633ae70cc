//! Spending that stays in the township (`[local_economy]`), end to end on a
//! small `local_economy.toml` (2,000 households, 3 policy years, 3
//! replicates, the budget scaled with the households).

mod common;

use common::*;
use fupin::outcome::TOTALS;
use fupin::scenario::Scenario;
use fupin::sim::{self as engine, ReplicateOutcome};

const ARMS: [&str; 4] = ["cash_outside", "cash_connected", "cash_remote", "cash_remote_elastic"];

/// The small scenario with `extra` overrides.
fn scenario(extra: &[String]) -> Scenario {
    let small = ["population.households=2000", "meta.years=3", "budget.yearly=2800000"].map(String::from);
    load_set("local_economy.toml", &[&small[..], extra].concat())
}

/// The whole-run multiplier of `arm`, mean over replicates.
fn multiplier(sc: &Scenario, reps: &[ReplicateOutcome], arm: &str) -> f64 {
    let a = sc.arms.iter().position(|x| x.name == arm).unwrap();
    let k = TOTALS.iter().position(|m| m.name == "local_multiplier").unwrap();
    reps.iter().map(|r| r.arms[a].totals[k]).sum::<f64>() / reps.len() as f64
}

/// With every other response to a transfer turned off (no dependency, no
/// dibao to crowd out, no interest on savings or debt, fixed work, no
/// leakage or administration), a yuan of cash adds a yuan of township income
/// when nothing is bought locally (to 0.2%), and more the more is bought
/// locally: 0.2 of consumption bought in the village, then 0.6. Where local
/// supply is inelastic part of it goes into prices instead: the multiplier
/// is lower, the price level higher.
#[test]
fn the_multiplier_is_one_without_local_spending_and_rises_with_the_local_share() {
    let mut off: Vec<String> = [
        "behaviour.dependency_handout_step=0",
        "behaviour.dependency_idle_decay=0",
        "behaviour.dependency_earned_decay=0",
        "behaviour.deposit_rate=0",
        "behaviour.debt_interest=0",
        "dibao.enabled=false",
        "labour.allocation=\"fixed\"",
        "budget.admin_share=0",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for a in ARMS {
        off.push(format!("arms.{a}.policies.cash.leakage=0"));
        off.push(format!("arms.{a}.policies.cash.budget_share=1"));
    }
    let sc = scenario(&off);
    let reps = runs(&sc, 3);
    let m = |a: &str| multiplier(&sc, &reps, a);
    assert!((m("cash_outside") - 1.0).abs() < 2e-3, "{}", m("cash_outside"));
    assert!(m("cash_connected") > m("cash_outside") + 0.02, "{} {}", m("cash_connected"), m("cash_outside"));
    assert!(m("cash_remote_elastic") > m("cash_connected") + 0.05, "{}", m("cash_remote_elastic"));
    assert!(m("cash_remote") < m("cash_remote_elastic") - 0.02, "{} {}", m("cash_remote"), m("cash_remote_elastic"));
    let level = |a: &str, name: &str| (1..=3).map(|k| mean_of(&sc, &reps, a, k..=k, name)).sum::<f64>();
    for a in ["none", "cash_outside", "cash_connected", "cash_remote_elastic"] {
        assert_eq!(level(a, "local_price_index"), 3.0, "{a}: prices move only where supply is inelastic");
    }
    assert!(level("cash_remote", "local_price_index") > 3.0 * 1.005);
    assert_eq!(level("cash_outside", "local_sales"), 0.0);
    assert!(level("cash_connected", "local_sales") > 0.0);
    assert!(level("cash_remote_elastic", "local_sales") > 2.5 * level("cash_connected", "local_sales"));
    // The reference arm has no multiplier: it is what the others are measured against.
    assert!(multiplier(&sc, &reps, "none").is_nan());
}

/// The local economy answers spending against the reference arm, so the
/// reference arm itself, and with it the calibration, is untouched by it.
#[test]
fn the_reference_arm_is_the_same_whatever_the_local_economy() {
    let a = scenario(&[]);
    let b = scenario(&["local_economy.local_share=0.6".into(), "local_economy.price_response=1".into()]);
    // Compared bit for bit (the reference arm's multiplier is NaN).
    let bits =
        |rows: &[Vec<f64>]| -> Vec<Vec<u64>> { rows.iter().map(|r| r.iter().map(|x| x.to_bits()).collect()).collect() };
    for r in 0..2 {
        let (x, y) = (engine::run_replicate(&a, r), engine::run_replicate(&b, r));
        assert!(bits(&x.arms[0].yearly) == bits(&y.arms[0].yearly), "replicate {r}");
        assert!(bits(&x.arms[2].yearly) != bits(&y.arms[2].yearly), "the connected cash arm feels it");
    }
}
