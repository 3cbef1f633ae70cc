//! Cash transfers to registered households (MODEL.md §4.4).
//!
//! The year's cash pool is split into ⌈12 / interval⌉ equal payments, each
//! shared equally by the households registered at the last identification
//! (and those registered early by monitoring since).
//! A share `leakage × (1 − governance)` of each payment is skimmed in
//! delivery (sink `diverted`). Cash raises dependency (see
//! [`super::dependency`]).
//!
//! Section: `[arms.policies.cash]`.

use super::budget::{Delivery, Pools};
use super::dependency;
use crate::check::Checker;
use crate::household::Status;
use crate::ledger::Ledger;
use crate::setting::{Behaviour, Village};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CashFile {
    /// Share of the yearly budget paid out as cash.
    ///
    /// Unit: prob. Default: required. Allowed: [0, 1].
    pub budget_share: f64,
    /// Months between payments. Payments fall in January (or January + `delay_months`) and every `interval_months`
    /// after, within the year; the year's pool is split equally over ⌈12 / interval⌉ payments.
    ///
    /// Unit: months. Default: `1`. Allowed: [1, 12].
    #[serde(default = "default_interval")]
    pub interval_months: i64,
    /// Share of each payment skimmed in delivery in a village with governance 0; the loss in village *v* is `leakage ×
    /// (1 − governance_v)` (ledger sink `diverted`).
    ///
    /// Unit: prob. Default: `0.05`. Allowed: [0, 1].
    #[serde(default = "default_cash_leakage")]
    pub leakage: f64,
    /// Whether households kept on the register in transition after their exit (`targeting.transition_years`,
    /// 脱贫不脱政策) keep receiving this instrument, as they did from 2015 to 2020.
    ///
    /// Unit: –. Default: `true`. Allowed: `true`/`false`.
    #[serde(default = "crate::check::default_true")]
    pub transition: bool,
}
fn default_interval() -> i64 {
    1
}
fn default_cash_leakage() -> f64 {
    0.05
}

/// The validated cash policy of an arm.
#[derive(Debug, Clone, Copy)]
pub struct CashPolicy {
    pub budget_share: f64,
    pub interval_months: u32,
    pub leakage: f64,
    /// Households in transition keep receiving it.
    pub transition: bool,
}

impl CashPolicy {
    /// Payments in a year.
    pub fn payments(&self) -> u32 {
        12u32.div_ceil(self.interval_months)
    }
}

/// `arms[i].policies.cash` (`q` is its path).
pub fn check(c: &mut Checker, q: &str, cf: &CashFile) -> CashPolicy {
    c.prob(&format!("{q}.budget_share"), cf.budget_share);
    c.int(&format!("{q}.interval_months"), cf.interval_months, 1, 12);
    c.prob(&format!("{q}.leakage"), cf.leakage);
    CashPolicy {
        transition: cf.transition,
        budget_share: cf.budget_share,
        interval_months: cf.interval_months.clamp(1, 12) as u32,
        leakage: cf.leakage,
    }
}

/// This month's payment, as the household pass sees it.
#[derive(Debug, Clone, Default)]
pub struct Payment {
    /// Yuan per registered household before leakage (0: no payment this month).
    pub per_household: f64,
    /// Whether households in transition after their exit are paid.
    pub transition: bool,
    /// Share of a payment lost in delivery, per village.
    pub leak_by_village: Vec<f32>,
}

/// This month's payment per registered household, if one is due.
pub fn due(
    policy: Option<&CashPolicy>,
    delivery: &Delivery,
    pools: &mut Pools,
    ledger: &mut Ledger,
    registered: u32,
    villages: &[Village],
    m: u8,
) -> Payment {
    let (per_household, leakage) = match policy {
        Some(c) => {
            let due = m as i64 - delivery.delay_months as i64;
            if due < 0 || due as u32 % c.interval_months != 0 {
                (0.0, 0.0)
            } else {
                let pay = pools.cash_per_payment.min(pools.cash);
                pools.cash -= pay;
                if registered > 0 {
                    (pay / registered as f64, c.leakage)
                } else {
                    ledger.unspent += pay;
                    (0.0, 0.0)
                }
            }
        }
        None => (0.0, 0.0),
    };
    Payment {
        transition: policy.is_none_or(|c| c.transition),
        per_household,
        leak_by_village: villages.iter().map(|v| (leakage * (1.0 - v.governance)) as f32).collect(),
    }
}

/// What the pass pays out in cash, added up over households.
#[derive(Debug, Clone, Default)]
pub struct Sums {
    pub to_poor: f64,
    pub to_nonpoor: f64,
    pub leaked: f64,
}

impl Sums {
    pub fn add(&mut self, o: &Sums) {
        self.to_poor += o.to_poor;
        self.to_nonpoor += o.to_nonpoor;
        self.leaked += o.leaked;
    }

    /// Book the month's payments.
    pub fn settle(&self, ledger: &mut Ledger) -> f64 {
        ledger.diverted += self.leaked;
        self.to_poor + self.to_nonpoor + self.leaked
    }
}

/// A registered household in village `v` receives this month's payment
/// (`cash_now` before leakage, `leak_by_village` of [`Payment`]), less what
/// leaks; its dependency `d` rises with the payment's value in months of its
/// need `need`. Returns whether it was paid (a month with free support).
#[inline]
#[allow(clippy::too_many_arguments)]
pub fn household(
    (cash_now, leak_by_village, keeps): (f64, &[f32], bool),
    st: Status,
    v: usize,
    need: f32,
    b: &Behaviour,
    d: &mut f32,
    income: &mut f32,
    sums: &mut Sums,
) -> bool {
    if cash_now > 0.0 && st.served(keeps) {
        let leak = cash_now as f32 * leak_by_village[v];
        *income += cash_now as f32 - leak;
        sums.leaked += leak as f64;
        if st.poor() {
            sums.to_poor += cash_now - leak as f64;
        } else {
            sums.to_nonpoor += cash_now - leak as f64;
        }
        *d = dependency::raised_f32(b, cash_now as f32 / need, *d);
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setting::Climate;

    fn village(governance: f64) -> Village {
        Village {
            name: "v".into(),
            share: 1.0,
            altitude_m: 0.0,
            slope_deg: 0.0,
            climate: Climate::Temperate,
            product: None,
            governance,
            key: false,
            income_factor: 1.0,
        }
    }

    #[test]
    fn payments_split_the_pool_and_leak_by_governance() {
        let policy = CashPolicy { budget_share: 1.0, interval_months: 3, leakage: 0.1, transition: true };
        assert_eq!(policy.payments(), 4);
        let delivery = Delivery { delay_months: 0, late_lost: false, ring_fenced: true, teams: None };
        let mut pools = Pools { cash: 400.0, cash_per_payment: 100.0, ..Default::default() };
        let mut ledger = Ledger::default();
        let villages = [village(0.5)];
        let none = due(Some(&policy), &delivery, &mut pools, &mut ledger, 10, &villages, 1);
        assert_eq!(none.per_household, 0.0);
        let pay = due(Some(&policy), &delivery, &mut pools, &mut ledger, 10, &villages, 3);
        assert_eq!((pay.per_household, pools.cash), (10.0, 300.0));
        assert!((pay.leak_by_village[0] - 0.05).abs() < 1e-7);
        // With nobody registered the payment is unspent.
        let pay = due(Some(&policy), &delivery, &mut pools, &mut ledger, 0, &villages, 6);
        assert_eq!((pay.per_household, ledger.unspent), (0.0, 100.0));
    }

    #[test]
    fn only_registered_households_receive_and_the_money_balances() {
        let pay = Payment { per_household: 100.0, leak_by_village: vec![0.1], transition: true };
        let b = crate::setting::Behaviour {
            subsistence: 180.0,
            mpc: 0.8,
            consumption_rule: crate::setting::ConsumptionRule::Mpc,
            buffer_months: 2.0,
            buffer_spread_months: 12.0,
            debt_interest: 0.08,
            deposit_rate: 0.0,
            consumption_floor: 0.6,
            debt_limit_months: 12.0,
            dependency_handout_step: 0.03,
            dependency_earned_decay: 0.04,
            dependency_idle_decay: 0.01,
            dependency_effort_loss: 0.5,
            liquidation_base: 0.0,
            liquidation_dependency: 0.0,
            liquidation_need: 0.0,
            salvage_share: 0.5,
            livestock_skill_gradient: 0.5,
            investment_hurdle: 0.15,
            investment_credit_months: 0.0,
            investment_horizon_years: 10.0,
            distress_sale_months: 1.0,
        };
        let (mut d, mut income, mut sums) = (0.2, 0.0, Sums::default());
        let p = (pay.per_household, pay.leak_by_village.as_slice(), true);
        assert!(!household(p, Status::POOR, 0, 180.0, &b, &mut d, &mut income, &mut sums));
        assert_eq!((income, sums.to_poor), (0.0, 0.0));
        assert!(household(p, Status::POOR | Status::REGISTERED, 0, 180.0, &b, &mut d, &mut income, &mut sums));
        assert!((income - 90.0).abs() < 1e-4 && d > 0.2);
        assert!((sums.to_poor + sums.leaked - 100.0).abs() < 1e-9);
        // A household kept on the register after its exit is paid in its transition, unless cash stops at exit.
        let exited = Status::REGISTERED | Status::TRANSITION;
        assert!(household(p, exited, 0, 180.0, &b, &mut d, &mut income, &mut sums));
        assert!(sums.to_nonpoor > 0.0, "paid, and counted as reaching a non-poor household");
        let stops = (p.0, p.1, false);
        assert!(!household(stops, exited, 0, 180.0, &b, &mut d, &mut income, &mut sums));
        assert!(household(stops, Status::POOR | Status::REGISTERED, 0, 180.0, &b, &mut d, &mut income, &mut sums));
    }
}
