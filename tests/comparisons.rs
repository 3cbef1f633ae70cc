//! Whole-run comparisons: what an arm does over every year, paired with the
//! reference, and what it costs per unit of effect.

mod common;

use assert_cmd::Command;
use common::*;
use serde_json::Value;

/// Run `text` and read its summary.json.
fn run(text: &str) -> Value {
    let tmp = tempfile::tempdir().unwrap();
    let sc = tmp.path().join("s.toml");
    std::fs::write(&sc, text).unwrap();
    let out = tmp.path().join("out");
    Command::cargo_bin("fupin")
        .unwrap()
        .args([
            "run",
            sc.to_str().unwrap(),
            "-q",
            "--no-charts",
            "--timeseries",
            "none",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap()
}

fn comparison<'a>(s: &'a Value, arm: &str) -> &'a Value {
    s["comparisons"].as_array().unwrap().iter().find(|c| c["arm"] == arm).unwrap()
}

#[test]
fn an_arm_that_helps_in_one_year_shows_it_in_that_year_and_in_the_whole_run() {
    // The whole budget in the first policy year, none after: cash helps in 2015 only.
    let text = small_township(3000, 4, 8).replacen("yearly = ", "by_year = [5880000, 0, 0, 0]\nyearly = ", 1);
    let s = run(&text);
    let diff = s["differences"].as_array().unwrap().iter().find(|d| d["arm"] == "cash").unwrap();
    let yearly: Vec<f64> =
        diff["years"].as_array().unwrap().iter().map(|y| y["poor_people"]["mean"].as_f64().unwrap()).collect();
    assert_eq!(yearly.len(), 4);
    assert!(yearly[0] < 0.0, "the year with money has fewer poor: {yearly:?}");
    assert!(yearly[1..].iter().all(|d| d.abs() < yearly[0].abs() / 2.0), "the effect is that year's: {yearly:?}");
    // Person-years averted are the yearly differences added up (reference minus arm).
    let averted = comparison(&s, "cash")["poverty_years_averted"]["mean"].as_f64().unwrap();
    let sum: f64 = -yearly.iter().sum::<f64>();
    assert!((averted - sum).abs() < 1e-6 * sum.abs().max(1.0), "{averted} vs {sum}");
    assert!(averted > 0.0);
    // The reference is labelled as such and compared with nothing.
    let none = comparison(&s, "none");
    assert_eq!(none["role"], "reference");
    assert!(none["p_beats_reference"].is_null());
    assert_eq!(none["cost_per_poverty_year_averted"]["status"], "reference");
}

#[test]
fn an_arm_worse_than_the_reference_has_no_finite_cost() {
    // Cash that is skimmed whole in delivery: households get nothing, but
    // registered ones still learn to wait for it (dependency rises).
    let text = small_township(3000, 4, 8).replacen("leakage = 0.05", "leakage = 1.0", 1);
    let text = text.replace("governance = ", "governance = 0.0 #");
    let s = run(&text);
    let cash = comparison(&s, "cash");
    let averted = cash["poverty_years_averted"]["mean"].as_f64().unwrap();
    assert!(averted < 0.0, "it adds poverty: {averted}");
    assert!(cash["p_beats_reference"].as_f64().unwrap() < 0.5);
    for cost in ["cost_per_poverty_year_averted", "cost_per_additional_sustained_exit"] {
        let c = &cash[cost];
        if c["mean"].is_null() {
            assert!(c["status"].as_str().unwrap().starts_with("not defined"), "{c}");
        } else {
            // Only possible for exits if it somehow added some: never a finite cost per person-year here.
            assert_eq!(cost, "cost_per_additional_sustained_exit", "{c}");
        }
    }
    assert!(cash["cost_per_poverty_year_averted"]["mean"].is_null());
    // Beating is counted both ways: the reference beats cash as often as cash loses.
    let none = comparison(&s, "none");
    let (a, b) = (cash["p_beats"]["none"].as_f64().unwrap(), none["p_beats"]["cash"].as_f64().unwrap());
    assert!((a + b - 1.0).abs() < 1e-12);
}

#[test]
fn winners_and_losers_are_households_compared_with_themselves() {
    let s = run(&small_township(3000, 3, 4));
    let shares = |arm: &str, metric: &str| -> Vec<f64> {
        let a = s["arms"].as_array().unwrap().iter().find(|a| a["name"] == arm).unwrap();
        a["years"].as_array().unwrap().iter().map(|y| y[metric]["mean"].as_f64().unwrap()).collect()
    };
    // The reference against itself: nobody wins or loses.
    assert!(shares("none", "winners_share").iter().chain(&shares("none", "losers_share")).all(|&x| x == 0.0));
    let (w, l) = (shares("cash", "winners_share"), shares("cash", "losers_share"));
    // In the first year cash reaches the registered households, about a sixth: they gain.
    assert!(w[0] > 0.05 && w[0] > l[0], "{w:?} {l:?}");
    // Later, households that exited lose the cash and keep the dependency it bred: there
    // are losers too. Each household is counted once: the shares never add up past one.
    assert!(w.iter().zip(&l).all(|(w, l)| w + l <= 1.0 + 1e-12));
    // The decile changes of the reference are zero, and cash raises the poorest decile most.
    let totals = |arm: &str| s["arms"].as_array().unwrap().iter().find(|a| a["name"] == arm).unwrap()["totals"].clone();
    assert_eq!(totals("none")["income_change.decile_1"]["mean"].as_f64(), Some(0.0));
    let cash = totals("cash");
    let (d1, d10) = (
        cash["income_change.decile_1"]["mean"].as_f64().unwrap(),
        cash["income_change.decile_10"]["mean"].as_f64().unwrap(),
    );
    assert!(d1 > d10, "poorest {d1}, richest {d10}");
}

#[test]
fn group_headcounts_weigh_back_to_the_whole_township() {
    // The founding's person weights: members that never change.
    let sc = parse(&without_demography(&small_township(2000, 2, 1)));
    let rep = fupin::sim::run_replicate(&sc, 0);
    let world = fupin::sim::Replicate::new(&sc, 0);
    let w = &world.world;
    let names = sc.yearly_names();
    let at = |n: &str| names.iter().position(|m| m == n).unwrap();
    let people = |pick: &dyn Fn(usize) -> bool| -> f64 {
        (0..w.households()).filter(|&i| pick(i)).map(|i| w.sizes[i] as f64).sum()
    };
    let key = |i: usize| sc.population.villages[w.traits[i].village as usize].key;
    let (pk, po) = (people(&key), people(&|i| !key(i)));
    let villages: Vec<f64> =
        (0..sc.population.villages.len()).map(|v| people(&|i| w.traits[i].village as usize == v)).collect();
    for arm in &rep.arms {
        for row in &arm.yearly {
            let total = row[at("headcount_rate")];
            let by_key = (row[at("headcount_rate@key_villages")] * pk + row[at("headcount_rate@other_villages")] * po)
                / (pk + po);
            assert!((by_key - total).abs() < 1e-9, "{by_key} vs {total}");
            let by_village: f64 = sc
                .population
                .villages
                .iter()
                .zip(&villages)
                .map(|(v, n)| row[at(&format!("headcount_rate@village:{}", v.name))] * n)
                .sum::<f64>()
                / villages.iter().sum::<f64>();
            assert!((by_village - total).abs() < 1e-9, "{by_village} vs {total}");
        }
    }
}
