//! Test support: the shipped township at a small size, with its replicate
//! and opening state, for the mechanisms' unit tests.

use crate::scenario::Scenario;
use crate::sim::{Replicate, State};

/// The shipped township with `households` households.
pub fn township(households: usize) -> Scenario {
    shipped("township", households)
}

/// Shipped scenario `name` (`scenarios/<name>.toml`) with `households` households.
pub fn shipped(name: &str, households: usize) -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.toml"));
    let mut sc = Scenario::load(&path).expect("a shipped scenario loads");
    sc.population.households = households;
    sc
}

/// Replicate 0 of `sc` and the state at the end of its pre-policy year.
pub fn after_pre_policy_year(sc: &Scenario) -> (Replicate<'_>, State) {
    let r = Replicate::new(sc, 0);
    let (s, _) = crate::sim::pre_policy_year(&r);
    (r, s)
}

/// The index of commodity `name`.
pub fn commodity(sc: &Scenario, name: &str) -> usize {
    sc.commodities.iter().position(|c| c.name == name).expect("a shipped commodity")
}
