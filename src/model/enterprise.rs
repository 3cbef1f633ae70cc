//! Leading enterprises (龙头企业), "company + household + base".
//!
//! Policy funds are held by the enterprise as equity on behalf of the linked
//! poor households. In return it pays them, monthly:
//! - land rent on the mu it leases from them;
//! - a fixed dividend on the fund (the fund × `dividend_rate`, shared equally
//!   among linked households);
//! - wages to one worker per linked household with labour, for as many jobs
//!   as the fund's capital and the owners' co-investment create
//!   (`(fund + fund_own) / capital_per_job`).
//!
//! It keeps its own cash account. Revenue is output per job (scaled by its
//! commodity's price against base) plus the harvest of the leased land.
//! When cash runs below zero the enterprise fails: payments stop, jobs end,
//! leases return, and the fund's equity is written off. Only the linked line
//! of business is modelled: the accounts start with the first tranche.

use crate::ledger::Ledger;
use crate::scenario::EnterpriseSpec;

#[derive(Debug, Clone, PartialEq)]
pub struct Enterprise {
    pub alive: bool,
    /// Liquid cash, yuan.
    pub cash: f64,
    /// Poverty fund held as equity, yuan.
    pub fund: f64,
    /// The owners' own co-investment, yuan.
    pub fund_own: f64,
    pub linked: u32,
    pub jobs: u32,
    pub leased_mu: f64,
    /// Dividend per linked household per month, yuan (derived each transfer).
    pub dividend_per_household: f64,
}

impl Enterprise {
    pub fn new(spec: &EnterpriseSpec) -> Self {
        Enterprise {
            alive: true,
            cash: spec.own_capital,
            fund: 0.0,
            fund_own: 0.0,
            linked: 0,
            jobs: 0,
            leased_mu: 0.0,
            dividend_per_household: 0.0,
        }
    }

    /// Jobs the fund and the owners' co-investment pay for.
    pub fn job_capacity(&self, spec: &EnterpriseSpec) -> u32 {
        ((self.fund + self.fund_own) / spec.capital_per_job).floor().min(u32::MAX as f64) as u32
    }

    /// Receive a tranche of the budget: a share `diversion` is diverted by
    /// the owners, the rest becomes equity.
    pub fn receive(&mut self, amount: f64, diversion: f64, ledger: &mut Ledger) {
        let diverted = amount * diversion;
        ledger.enterprise_owners += diverted;
        if self.alive {
            self.fund += amount - diverted;
            ledger.enterprise_equity += amount - diverted;
        } else {
            // A failed enterprise's books are closed: the money is lost with it.
            ledger.enterprise_failed += amount - diverted;
        }
    }

    /// Refresh the per-household dividend after linkage changed.
    pub fn update_dividend(&mut self, spec: &EnterpriseSpec) {
        self.dividend_per_household =
            if self.linked == 0 { 0.0 } else { self.fund * spec.dividend_rate / 12.0 / self.linked as f64 };
    }

    /// One month of the enterprise's own accounts. `price_index` is its
    /// commodity's price over base price; `harvest` is `Some(price, yield, cost)`
    /// in its commodity's harvest month. Returns false if it failed this month.
    pub fn month(
        &mut self,
        spec: &EnterpriseSpec,
        price_index: f64,
        harvest: Option<(f64, f64, f64)>,
        ledger: &mut Ledger,
    ) -> bool {
        if !self.alive {
            return false;
        }
        // Its poverty-linked line of business starts with the first tranche.
        if self.fund == 0.0 && self.linked == 0 {
            return true;
        }
        let mut revenue = self.jobs as f64 * spec.output_per_job / 12.0 * price_index;
        if let Some((price, yield_per, cost)) = harvest {
            revenue += self.leased_mu * (yield_per * price - cost);
        }
        let costs = self.jobs as f64 * spec.wage / 12.0
            + self.leased_mu * spec.rent / 12.0
            + self.dividend_per_household * self.linked as f64
            + spec.fixed_cost / 12.0;
        self.cash += revenue - costs;
        if self.cash < 0.0 {
            self.alive = false;
            ledger.enterprise_failed += self.fund;
            ledger.enterprise_equity -= self.fund;
            self.jobs = 0;
            self.leased_mu = 0.0;
            self.dividend_per_household = 0.0;
            return false;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> EnterpriseSpec {
        EnterpriseSpec {
            name: "e".into(),
            commodity: 0,
            villages: vec![],
            own_capital: 100_000.0,
            capital_per_job: 50_000.0,
            wage: 12_000.0,
            rent: 600.0,
            lease_mu: 1.0,
            dividend_rate: 0.12,
            output_per_job: 24_000.0,
            fixed_cost: 0.0,
            max_linked: 10,
            diversion: 0.25,
            contract_floor: 0.0,
        }
    }

    #[test]
    fn diversion_and_equity_balance_the_books() {
        let s = spec();
        let mut e = Enterprise::new(&s);
        let mut l = Ledger { budget: 400_000.0, ..Default::default() };
        e.receive(400_000.0, s.diversion, &mut l);
        assert_eq!(l.enterprise_owners, 100_000.0);
        assert_eq!(e.fund, 300_000.0);
        assert_eq!(e.job_capacity(&s), 6);
        assert_eq!(l.imbalance(), 0.0);
    }

    #[test]
    fn a_price_collapse_bankrupts_it_and_writes_off_equity() {
        let s = spec();
        let mut e = Enterprise::new(&s);
        let mut l = Ledger { budget: 500_000.0, ..Default::default() };
        e.receive(500_000.0, s.diversion, &mut l);
        e.jobs = 7;
        e.linked = 7;
        e.update_dividend(&s);
        // At full price each job earns 2,000/month against 1,000 wage: profitable.
        assert!(e.month(&s, 1.0, None, &mut l));
        // At a tenth of the price it bleeds cash until it fails.
        let mut months = 0;
        while e.month(&s, 0.1, None, &mut l) {
            months += 1;
            assert!(months < 100);
        }
        assert!(!e.alive);
        assert_eq!(l.enterprise_equity, 0.0);
        assert_eq!(l.enterprise_failed, 375_000.0);
        assert!(l.imbalance().abs() < 1e-6);
    }
}
