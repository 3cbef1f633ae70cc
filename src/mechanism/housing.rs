//! Renovation of dangerous housing (危房改造): one of the few things the
//! field report's poor received beyond deliberation-and-vote projects.
//!
//! In April the arm's housing pool renovates the unsafe houses of served
//! registered households, in the keyed project order, at `cost` per house
//! while the pool lasts; a renovated house meets the housing guarantee of
//! exit ([`super::guarantee`]). The money reaches the household in kind: it
//! is not income, and it does not count as free support for dependency (a
//! house is not a month of need). What is left in December is unspent.
//!
//! Section: `[arms.policies.housing]`.

use super::guarantee::{self, When};
use crate::check::Checker;
use crate::household::{Households, Unmet};
use crate::ledger::Ledger;
use crate::world::World;
use serde::{Deserialize, Serialize};

/// Renovation of dangerous housing (危房改造).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HousingFile {
    /// Share of the yearly budget for renovation.
    ///
    /// Unit: prob. Default: required. Allowed: [0, 1].
    pub budget_share: f64,
    /// What renovating one house costs the programme.
    ///
    /// Unit: yuan/house. Default: `14000` (assumed: of the order of the central subsidy per registered household's
    /// house, 2017–2020). Allowed: [1, 1e7].
    #[serde(default = "default_cost")]
    pub cost: f64,
    /// Whether households kept on the register in transition after their exit (`targeting.transition_years`,
    /// 脱贫不脱政策) are still served, as they were from 2015 to 2020.
    ///
    /// Unit: –. Default: `true` (as from 2015 to 2020). Allowed: `true` or `false`.
    #[serde(default = "crate::check::default_true")]
    pub transition: bool,
}
fn default_cost() -> f64 {
    14_000.0
}

#[derive(Debug, Clone, Copy)]
pub struct HousingPolicy {
    pub budget_share: f64,
    pub cost: f64,
    pub transition: bool,
}

/// `arms[i].policies.housing` (`q` is its path).
pub fn check(c: &mut Checker, q: &str, f: &HousingFile) -> HousingPolicy {
    c.prob(&format!("{q}.budget_share"), f.budget_share);
    c.num(&format!("{q}.cost"), f.cost, 1.0, 1e7);
    HousingPolicy { budget_share: f.budget_share, cost: f.cost, transition: f.transition }
}

/// April (plus the delay): renovate unsafe houses of served registered
/// households while the pool lasts. Returns the houses renovated.
pub fn renovate(w: &World, k: &HousingPolicy, when: When, hh: &mut Households, books: (&mut f64, &mut Ledger)) -> f64 {
    guarantee::remedy(w, (Unmet::HOUSING, k.transition, 3), when, |_| k.cost, hh, books)
}
