//! E-commerce linkage (电商带贫): one of the six mechanisms the field report
//! credits with the township's results.
//!
//! Each year in `transfer_month` (plus the delivery delay) the arm offers
//! linkage to served registered households with land, in the keyed project
//! order, while its pool lasts. A household takes it up with chance
//! `take_up` (a keyed draw per household and year, the same in every arm);
//! linking one costs the programme `cost_per_household` (training, logistics:
//! it reaches the household in kind). A linked household sells the produce
//! of its own fields at the farm-gate price times (1 + `price_premium`) ×
//! (1 − `fee`) for the rest of the run. Money left in December is unspent.
//!
//! Section: `[arms.policies.ecommerce]`.

use super::budget::{self, Delivery};
use crate::check::Checker;
use crate::household::Households;
use crate::ledger::Ledger;
use crate::rng::Purpose;
use crate::world::World;
use serde::{Deserialize, Serialize};

/// E-commerce linkage for registered producers (电商带贫).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EcommerceFile {
    /// Share of the yearly budget for linking households.
    ///
    /// Unit: prob. Default: required. Allowed: [0, 1].
    pub budget_share: f64,
    /// Month households are offered linkage; it happens `delay_months` later.
    ///
    /// Unit: month 1–12. Default: `3`. Allowed: [1, 12].
    #[serde(default = "crate::check::default_transfer_month")]
    pub transfer_month: i64,
    /// What linking one household costs the programme (training, packaging, logistics), once.
    ///
    /// Unit: yuan/household. Default: `500` (assumed). Allowed: [0, 1e6].
    #[serde(default = "default_cost")]
    pub cost_per_household: f64,
    /// Chance that a household offered linkage takes it up (a keyed draw per household and year).
    ///
    /// Unit: prob. Default: `0.3` (assumed). Allowed: [0, 1].
    #[serde(default = "default_take_up")]
    pub take_up: f64,
    /// Price premium a linked household gets online over the farm-gate price, for the produce of its own fields.
    ///
    /// Unit: share. Default: `0.2` (assumed). Allowed: [0, 10].
    #[serde(default = "default_premium")]
    pub price_premium: f64,
    /// The platform's commission on a linked household's sales.
    ///
    /// Unit: share of sales. Default: `0.05` (assumed). Allowed: [0, 1].
    #[serde(default = "default_fee")]
    pub fee: f64,
    /// Whether households kept on the register in transition after their exit (`targeting.transition_years`,
    /// 脱贫不脱政策) are still offered linkage, as they were served from 2015 to 2020.
    ///
    /// Unit: –. Default: `true` (as from 2015 to 2020). Allowed: `true` or `false`.
    #[serde(default = "crate::check::default_true")]
    pub transition: bool,
}
fn default_cost() -> f64 {
    500.0
}
fn default_take_up() -> f64 {
    0.3
}
fn default_premium() -> f64 {
    0.2
}
fn default_fee() -> f64 {
    0.05
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EcommercePolicy {
    pub budget_share: f64,
    /// 0-based.
    pub transfer_month: u8,
    pub cost_per_household: f64,
    pub take_up: f64,
    pub price_premium: f64,
    pub fee: f64,
    pub transition: bool,
}

impl EcommercePolicy {
    /// The factor on a linked household's farm-gate price.
    pub fn price_factor(&self) -> f32 {
        ((1.0 + self.price_premium) * (1.0 - self.fee)) as f32
    }
}

/// `arms[i].policies.ecommerce` (`q` is its path).
pub fn check(c: &mut Checker, q: &str, f: &EcommerceFile) -> EcommercePolicy {
    c.prob(&format!("{q}.budget_share"), f.budget_share);
    let transfer_month = c.month(&format!("{q}.transfer_month"), f.transfer_month);
    c.num(&format!("{q}.cost_per_household"), f.cost_per_household, 0.0, 1e6);
    c.prob(&format!("{q}.take_up"), f.take_up);
    c.num(&format!("{q}.price_premium"), f.price_premium, 0.0, 10.0);
    c.prob(&format!("{q}.fee"), f.fee);
    EcommercePolicy {
        budget_share: f.budget_share,
        transfer_month,
        cost_per_household: f.cost_per_household,
        take_up: f.take_up,
        price_premium: f.price_premium,
        fee: f.fee,
        transition: f.transition,
    }
}

/// The month's offer: served registered households with land, not yet
/// linked, take linkage up with chance `take_up` while the pool pays for
/// them. Returns the households linked.
pub fn link(
    w: &World,
    k: &EcommercePolicy,
    delivery: &Delivery,
    hh: &mut Households,
    (pool, ledger): (&mut f64, &mut Ledger),
    m: u8,
    y: usize,
) -> f64 {
    if !budget::runs_now(delivery, k.transfer_month, m) {
        return 0.0;
    }
    let mut linked = 0.0;
    for i in w.project_walk(13_000 + y as u64, delivery.teams) {
        if *pool < k.cost_per_household.max(1e-9) {
            break;
        }
        let st = hh.status[i];
        if hh.online[i] || !st.served(k.transition) || w.traits[i].land <= 0.0 {
            continue;
        }
        if w.streams.uniform(Purpose::Ecommerce, i as u64, y as u32) >= k.take_up {
            continue;
        }
        hh.online[i] = true;
        *pool -= k.cost_per_household;
        ledger.pay(st.poor(), k.cost_per_household);
        linked += 1.0;
    }
    linked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::household::Status;

    /// About `take_up` of the households offered join, only served ones
    /// with land, and each costs the pool its price, which reaches them.
    #[test]
    fn take_up_decides_who_joins_and_each_costs_its_price() {
        let sc = crate::testing::township(4000);
        let (r, mut s) = crate::testing::after_pre_policy_year(&sc);
        let w = &r.world;
        let k = EcommercePolicy {
            budget_share: 1.0,
            transfer_month: 2,
            cost_per_household: 100.0,
            take_up: 0.4,
            price_premium: 0.2,
            fee: 0.05,
            transition: true,
        };
        s.hh.status.iter_mut().for_each(|st| *st = Status::POOR | Status::REGISTERED);
        let (mut pool, mut ledger) = (1e9, Ledger::default());
        let d = Delivery::default();
        assert_eq!(link(w, &k, &d, &mut s.hh, (&mut pool, &mut ledger), 1, 1), 0.0, "not this month");
        let linked = link(w, &k, &d, &mut s.hh, (&mut pool, &mut ledger), 2, 1);
        let with_land = (0..w.households()).filter(|&i| w.traits[i].land > 0.0).count() as f64;
        assert!((linked / with_land - 0.4).abs() < 0.05, "{linked} of {with_land}");
        assert!((ledger.to_poor_households - 100.0 * linked).abs() < 1e-6 && pool == 1e9 - 100.0 * linked);
        assert!((0..w.households()).all(|i| !s.hh.online[i] || w.traits[i].land > 0.0));
        assert!((k.price_factor() - 1.14).abs() < 1e-6);
        // Households in transition after their exit are offered linkage only if the policy keeps them.
        s.hh.online.iter_mut().for_each(|o| *o = false);
        s.hh.status.iter_mut().for_each(|st| *st = Status::REGISTERED | Status::TRANSITION);
        let stops = EcommercePolicy { transition: false, ..k };
        assert_eq!(link(w, &stops, &d, &mut s.hh, (&mut pool, &mut ledger), 2, 1), 0.0);
        assert_eq!(link(w, &k, &d, &mut s.hh, (&mut pool, &mut ledger), 2, 1), linked);
    }
}
