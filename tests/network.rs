//! Kin and neighbours end to end (`[network]`): a price boom spreads a crop
//! household by household, and a handout seeds knowledge of an asset that
//! spreads to those who never received it.

mod common;

use common::*;
use fupin::scenario::Scenario;
use fupin::sim::ReplicateOutcome;

fn mean(sc: &Scenario, reps: &[ReplicateOutcome], arm: &str, k: usize, name: &str) -> f64 {
    mean_of(sc, reps, arm, k..=k, name)
}

/// Pseudostellaria as shipped (4,000 households, 2 replicates): before the boom nobody
/// takes it up (a mu earns too little over grain to repay the entry), after the 2015 boom
/// households that did not grow it take it up from their contacts; without contacts nobody does.
#[test]
fn the_boom_spreads_pseudostellaria_through_kin_and_neighbours() {
    let text = text_with("pseudostellaria_crash.toml", &[("households", "4000"), ("replicates", "2")]);
    let (with, without) = (parse(&text), parse(&text.replace("neighbours = 4\nkin = 2", "neighbours = 0\nkin = 0")));
    let (reps_with, reps_without) = (runs(&with, 2), runs(&without, 2));
    let adopters =
        |sc: &Scenario, reps: &[ReplicateOutcome], k: usize| mean(sc, reps, "none", k, "adopters.pseudostellaria");
    let before = adopters(&with, &reps_with, 1);
    assert_eq!(before, adopters(&with, &reps_with, 0), "nobody takes it up before the boom");
    let after = adopters(&with, &reps_with, 2);
    assert!(after > 1.05 * before, "the boom spreads it: {before} → {after}");
    // Without contacts the growers are those of the founding (fewer in the crash, when some plant nothing).
    for k in 0..=6 {
        assert!(adopters(&without, &reps_without, k) <= before, "year {k}");
    }
}

/// Breeding cattle (1,500 households, 4 years, 2 replicates): with a network a household buys
/// breeding animals only once it knows them. Nobody holds cattle before the policy, so without a
/// handout nobody ever does; the handed-out cows teach the recipients' contacts, who then buy.
#[test]
fn a_handout_seeds_knowledge_of_an_asset_that_spreads_to_others() {
    let base = text_with("breeding_livestock.toml", &[("households", "1500"), ("years", "4"), ("replicates", "2")]);
    let with = parse(&format!("[network]\nneighbours = 4\nkin = 2\nimitation_rate = 0.5\n{base}"));
    let without = parse(&base);
    let (reps_with, reps_without) = (runs(&with, 2), runs(&without, 2));
    let sum = |sc: &Scenario, reps: &[ReplicateOutcome], arm: &str, name: &str| -> f64 {
        (1..=4).map(|k| mean(sc, reps, arm, k, name)).sum()
    };
    assert!(sum(&without, &reps_without, "none", "herd_bought") > 0.0, "without a network households buy cattle");
    assert_eq!(sum(&with, &reps_with, "none", "herd_bought"), 0.0, "nobody knows cattle, nobody buys");
    assert_eq!(sum(&with, &reps_with, "none", "adopters.cattle"), 0.0);
    // Recipients' contacts learn and buy: more households hold cattle in the last year than got a cow.
    assert!(sum(&with, &reps_with, "cow", "herd_bought") > 0.0);
    let received = mean(&with, &reps_with, "cow", 1, "adopters.cattle");
    assert!(mean(&with, &reps_with, "cow", 4, "adopters.cattle") > received, "{received}");
}
