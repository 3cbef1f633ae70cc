//! The farm machinery purchase subsidy (农机购置补贴, MODEL.md §4.11).
//!
//! In March households with at least 2 mu buy a machine if they can pay for
//! it: the price less the subsidy when it is deducted at the point of sale,
//! or the whole price when the subsidy is reimbursed later, which poor
//! buyers lack the cash for. A machine raises the household's crop output
//! by `yield_gain`.
//!
//! Section: `[arms.policies.machinery]`.

use super::budget::{self, Delivery};
use crate::check::{Checker, Choice, Choices};
use crate::household::{Households, Status};
use crate::ledger::Ledger;
use crate::setting::Ventures;
use crate::world::World;
use serde::{Deserialize, Serialize};

/// The farm machinery purchase subsidy (农机购置补贴).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MachineryFile {
    /// Share of the yearly budget for subsidies.
    ///
    /// Unit: prob. Default: required. Allowed: [0, 1].
    pub budget_share: f64,
    /// Subsidy per machine.
    ///
    /// Unit: yuan/machine. Default: `5000`. Allowed: [0.01, 1e7].
    #[serde(default = "default_machine_subsidy")]
    pub subsidy: f64,
    /// Price of a machine; at least the subsidy.
    ///
    /// Unit: yuan/machine. Default: `12000`. Allowed: [`subsidy`, 1e8].
    #[serde(default = "default_machine_price")]
    pub price: f64,
    /// Point of sale: the buyer needs savings ≥ price − subsidy. Reimbursed: the buyer needs savings ≥ price, and is
    /// paid back later. The net cost is price − subsidy either way.
    ///
    /// Unit: –. Default: required. Allowed: `"point_of_sale"` or `"reimbursed"`.
    pub mode: Choice<MachineryMode>,
    /// Share by which a machine raises the household's crop output (customary crops; not livestock or handed-out
    /// trees).
    ///
    /// Unit: share. Default: `0.2`. Allowed: [0, 10].
    #[serde(default = "default_machine_gain")]
    pub yield_gain: f64,
}
fn default_machine_subsidy() -> f64 {
    5000.0
}
fn default_machine_price() -> f64 {
    12000.0
}
fn default_machine_gain() -> f64 {
    0.2
}

#[derive(Debug, Clone, Copy)]
pub struct MachineryPolicy {
    pub budget_share: f64,
    pub subsidy: f64,
    pub price: f64,
    pub point_of_sale: bool,
    pub yield_gain: f64,
}

/// When the subsidy reaches the buyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MachineryMode {
    /// Deducted from the price at the point of sale.
    PointOfSale,
    /// Paid back after the purchase.
    Reimbursed,
}

impl Choices for MachineryMode {
    const ALLOWED: &'static str = "\"point_of_sale\" or \"reimbursed\"";
}

/// `arms[i].policies.machinery` (`q` is its path).
pub fn check(c: &mut Checker, q: &str, f: &MachineryFile) -> MachineryPolicy {
    c.prob(&format!("{q}.budget_share"), f.budget_share);
    c.num(&format!("{q}.subsidy"), f.subsidy, 0.01, 1e7);
    c.num(&format!("{q}.price"), f.price, f.subsidy.max(0.0), 1e8);
    c.num(&format!("{q}.yield_gain"), f.yield_gain, 0.0, 10.0);
    let point_of_sale =
        c.known(&format!("{q}.mode"), &f.mode, MachineryMode::PointOfSale) == MachineryMode::PointOfSale;
    MachineryPolicy {
        budget_share: f.budget_share,
        subsidy: f.subsidy,
        price: f.price,
        point_of_sale,
        yield_gain: f.yield_gain,
    }
}

/// This year's machines, and those bought by poor households.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub machines: f64,
    pub machines_poor: f64,
}

/// Machinery purchase subsidy: in March, households with land buy a machine
/// if they can pay for it: the price less the subsidy at the point of sale,
/// or the whole price when the subsidy is reimbursed later.
#[allow(clippy::too_many_arguments)]
pub fn buy(
    w: &World,
    k: &MachineryPolicy,
    delivery: &Delivery,
    tally: &mut Tally,
    hh: &mut Households,
    (pool, ledger): (&mut f64, &mut Ledger),
    m: u8,
    y: usize,
) {
    if !budget::runs_now(delivery, 2, m) {
        return;
    }
    for i in w.project_walk(8_000 + y as u64, delivery.teams) {
        if *pool < k.subsidy {
            break;
        }
        let st = hh.status[i];
        if st.contains(Status::MACHINE) || w.traits[i].land < 2.0 {
            continue;
        }
        let upfront = if k.point_of_sale { k.price - k.subsidy } else { k.price };
        if (hh.savings[i] as f64) < upfront {
            continue;
        }
        hh.savings[i] -= (k.price - k.subsidy) as f32;
        hh.booked[i] -= k.price - k.subsidy;
        hh.status[i] |= Status::MACHINE;
        *pool -= k.subsidy;
        ledger.pay(st.poor(), k.subsidy);
        tally.machines += 1.0;
        if st.poor() {
            tally.machines_poor += 1.0;
        }
    }
}

/// The factor a machine puts on crop output: `1 + yield_gain` of the arm's
/// policy, or without one of the machines households may buy themselves
/// (`[ventures]`), or 1.
pub fn gain(policy: Option<&MachineryPolicy>, own: &Ventures) -> f32 {
    let own = if own.machine { own.machine_yield_gain } else { 0.0 };
    1.0 + policy.map_or(own as f32, |k| k.yield_gain as f32)
}

/// A household's factor on its crop output: `gain` with a machine, else 1.
#[inline]
pub fn farm_gain(gain: f32, st: Status) -> f32 {
    if st.contains(Status::MACHINE) {
        gain
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_household_short_of_cash_buys_only_when_the_subsidy_is_deducted_at_sale() {
        let sc = crate::testing::township(300);
        let (r, mut s) = crate::testing::after_pre_policy_year(&sc);
        let delivery = Delivery::default();
        let mut bought = Vec::new();
        for point_of_sale in [true, false] {
            let k = MachineryPolicy {
                budget_share: 0.1,
                subsidy: 5_000.0,
                price: 12_000.0,
                point_of_sale,
                yield_gain: 0.2,
            };
            let mut hh = s.hh.clone();
            // Everybody has 8,000 yuan: enough for the price less the subsidy, not for the price.
            hh.savings.iter_mut().for_each(|x| *x = 8_000.0);
            let (mut pool, mut ledger, mut tally) = (1e9, Ledger::default(), Tally::default());
            buy(&r.world, &k, &delivery, &mut tally, &mut hh, (&mut pool, &mut ledger), 2, 1);
            assert_eq!(ledger.to_poor_households + ledger.to_nonpoor_households, 1e9 - pool);
            assert_eq!(tally.machines * 5_000.0, 1e9 - pool);
            bought.push(tally.machines);
        }
        assert!(bought[0] > 0.0 && bought[1] == 0.0, "{bought:?}");
        let k = MachineryPolicy {
            budget_share: 0.1,
            subsidy: 5_000.0,
            price: 12_000.0,
            point_of_sale: true,
            yield_gain: 0.2,
        };
        let own = sc.ventures;
        assert_eq!(farm_gain(gain(Some(&k), &own), Status::MACHINE), 1.2);
        assert_eq!(farm_gain(gain(Some(&k), &own), Status::POOR), 1.0);
        assert_eq!(gain(None, &own), 1.0);
        assert_eq!(gain(None, &Ventures { machine: true, machine_yield_gain: 0.5, ..own }), 1.5);
        s.hh.status[0] = Status::empty();
    }
}
