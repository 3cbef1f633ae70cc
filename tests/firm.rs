//! Enterprises and cooperatives as firms (`production = "firm"`,
//! `on_market`), end to end on small versions of the shipped township
//! (1,500 households, 3 policy years, the budget scaled with the households).

mod common;

use common::*;
use fupin::scenario::Scenario;
use fupin::sim::ReplicateOutcome;

const E: &str = "organisations.enterprises.Qinyuan Agriculture";

/// Shipped scenario `file`, small, with `extra` overrides.
fn scenario(file: &str, extra: &[String]) -> Scenario {
    let small = ["population.households=1500", "meta.years=3", "budget.yearly=840000"].map(String::from);
    load_set(file, &[&small[..], extra].concat())
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
    // Profit counts the wear: output less costs less what the capital lost.
    let (output, profit) =
        (at(&firm, &a, "enterprise", 1, "enterprise_output"), at(&firm, &a, "enterprise", 1, "enterprise_profit"));
    assert!(output > 0.0 && profit < output - (k_fixed - k_firm), "{output} {profit}");
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

/// A firm that reinvests half its profit each December holds more capital
/// and, from the next January, more jobs than one that keeps it as cash.
#[test]
fn a_firm_that_reinvests_grows() {
    let at_share = |share: &str| {
        let sc = scenario("township.toml", &[format!("{E}.reinvest_share={share}")]);
        let reps = runs(&sc, 1);
        let m = |name: &str| at(&sc, &reps, "enterprise", 3, name);
        (m("enterprise_capital"), m("enterprise_jobs"), m("enterprise_cash"))
    };
    let (kept, reinvested) = (at_share("0"), at_share("0.5"));
    assert!(reinvested.0 > kept.0 && reinvested.1 > kept.1, "{kept:?} {reinvested:?}");
    assert!(reinvested.2 < kept.2, "paid from its cash");
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

/// A cooperative selling on its crop's market is part of the township's
/// supply, and of the supply the market was calibrated to: the pre-policy
/// year is the same with it on or off the market. Its steady harvest damps
/// the crash after the boom (the price falls less), and when the
/// cooperative arm enrols more members their pooled harvest lowers the
/// price against the arm without the cooperative.
#[test]
fn a_cooperative_on_the_market_is_part_of_its_crops_supply() {
    let coop = "organisations.cooperatives.Shiqiao Shenxiang.on_market";
    let run = |on: bool| {
        let sc = scenario("pseudostellaria_crash.toml", &[format!("{coop}={on}")]);
        let reps = runs(&sc, 1);
        let p = |arm: &str, k: usize| at(&sc, &reps, arm, k, "price.pseudostellaria");
        (at(&sc, &reps, "none", 0, "headcount_rate"), p("none", 2), p("cooperative", 3) / p("none", 3))
    };
    let (on, off) = (run(true), run(false));
    assert_eq!(on.0, off.0, "the pre-policy year");
    assert!(on.1 > off.1, "the crash is damped: {} against {}", on.1, off.1);
    assert!(on.2 < off.2, "enrolled land sells on the market: {} against {}", on.2, off.2);
}
