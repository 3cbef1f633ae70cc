//! Enterprises and cooperatives as firms (`production = "firm"`,
//! `on_market`), end to end on small versions of the shipped township
//! (1,500 households, 3 policy years, the budget scaled with the households).

mod common;

use common::*;
use fupin::scenario::{overrides::Override, Scenario};
use fupin::sim::{self as engine, ReplicateOutcome};

const E: &str = "organisations.enterprises.Qinyuan Agriculture";

/// Shipped scenario `file`, small, with `extra` overrides.
fn scenario(file: &str, extra: &[String]) -> Scenario {
    let mut sets: Vec<String> =
        ["population.households=1500", "meta.years=3", "budget.yearly=840000"].iter().map(|s| s.to_string()).collect();
    sets.extend_from_slice(extra);
    let sets: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
    Scenario::load_with(&scenario_path(file), &sets).unwrap()
}

fn runs(sc: &Scenario, n: u32) -> Vec<ReplicateOutcome> {
    (0..n).map(|r| engine::run_replicate(sc, r)).collect()
}

fn at(sc: &Scenario, reps: &[ReplicateOutcome], arm: &str, k: usize, name: &str) -> f64 {
    mean_of(sc, reps, arm, k..=k, name)
}

/// The first tranche arrives in March and is invested: a firm's capital
/// has worn 10 months at 10% a year by December, 0.9^(10/12) of what the
/// fixed model keeps, the same tranche for both.
#[test]
fn a_firms_capital_depreciates_from_its_tranche() {
    let firm = scenario("township.toml", &[]);
    let fixed = scenario("township.toml", &[format!("{E}.production=\"fixed\"")]);
    let (a, b) = (runs(&firm, 1), runs(&fixed, 1));
    let (k_firm, k_fixed) =
        (at(&firm, &a, "enterprise", 1, "enterprise_capital"), at(&fixed, &b, "enterprise", 1, "enterprise_capital"));
    assert!(k_fixed > 0.0);
    assert!((k_firm / k_fixed - 0.9f64.powf(10.0 / 12.0)).abs() < 1e-9, "{k_firm} {k_fixed}");
    // Profit counts the wear; the fixed model has none.
    assert!(at(&firm, &a, "enterprise", 1, "enterprise_output") > 0.0);
}

/// Nobody buys its commodity (a price of 0 from the first harvest): the
/// firm earns nothing, pays rent, dividends and wages from its cash until
/// it fails, and then makes and pays nothing more: its jobs end and its
/// equity is written off (that its households are paid nothing after the
/// failure is checked month by month in `enterprise::tests`).
#[test]
fn an_enterprise_facing_no_demand_fails_and_stops_paying() {
    let sets = ["markets.commodities.apple.scripted_prices=[0, 0, 0]".into(), format!("{E}.own_capital=300000")];
    let sc = scenario("township.toml", &sets);
    let reps = runs(&sc, 2);
    let m = |k: usize, name: &str| at(&sc, &reps, "enterprise", k, name);
    assert_eq!(m(3, "enterprises_alive"), 0.0, "failed");
    assert_eq!(m(3, "enterprise_jobs"), 0.0);
    assert!(m(1, "hired_locally") + m(1, "hired_from_migration") > 0.0, "it hired before the harvest told the price");
    let failed_by = (1..=3).find(|&k| m(k, "enterprises_alive") == 0.0).unwrap();
    assert!(failed_by < 3, "it fails by the second year");
    assert_eq!(m(3, "enterprise_output"), 0.0, "nothing made after the failure");
    assert_eq!(m(3, "enterprise_cash"), 0.0, "a failed firm has no account");
    assert!(m(3, "enterprise_failed") > 0.0, "its equity is written off");
}

/// A firm plans on the price it expects: a harvest price that halves in
/// the first policy year and stays there costs jobs the next January, where
/// the fixed model keeps every job its capital pays for.
#[test]
fn a_firm_sheds_jobs_when_its_price_falls() {
    let low = "markets.commodities.apple.scripted_prices=[1.25, 1.25, 1.25]".to_string();
    let base = "markets.commodities.apple.scripted_prices=[2.5, 2.5, 2.5]".to_string();
    let jobs = |sets: &[String], k: usize| {
        let sc = scenario("township.toml", sets);
        at(&sc, &runs(&sc, 1), "enterprise", k, "enterprise_jobs")
    };
    let fixed = format!("{E}.production=\"fixed\"");
    assert!(jobs(std::slice::from_ref(&low), 2) < 0.8 * jobs(std::slice::from_ref(&base), 2));
    assert_eq!(jobs(&[low, fixed.clone()], 2), jobs(&[base, fixed], 2), "the fixed model ignores the price");
}

/// A cooperative (or firm) selling on its crop's market adds its harvest to
/// the township's supply, so the market-formed price is lower than when its
/// output is kept off the market.
#[test]
fn a_cooperative_on_the_market_lowers_its_crops_price() {
    let coop = "organisations.cooperatives.Shiqiao Shenxiang.on_market";
    let price = |on: bool| {
        let sc = scenario("pseudostellaria_crash.toml", &[format!("{coop}={on}")]);
        let reps = runs(&sc, 1);
        (2..=3).map(|k| at(&sc, &reps, "none", k, "price.pseudostellaria")).collect::<Vec<_>>()
    };
    let (on, off) = (price(true), price(false));
    for (a, b) in on.iter().zip(&off) {
        assert!(a < b, "{on:?} {off:?}");
    }
}
