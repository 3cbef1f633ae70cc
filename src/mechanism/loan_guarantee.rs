//! The agricultural loan guarantee company (农业贷款担保公司), one of the
//! field report's proposals: funded by the province and the county, it
//! guarantees banks' loans to farmers.
//!
//! Each year in `transfer_month` (plus the delivery delay) the arm pays its
//! pool into the company's capital. Then, in the same month, banks lend
//! `loan` for three years to households that ask (a keyed draw per
//! household and year, `take_up`), in the keyed project order, while the
//! principal outstanding stays within `leverage` × the capital. Borrowers
//! use the loan themselves, as self-used 1+3 loans do
//! ([`super::credit`]): a return of `self_return` × productivity, and a
//! yearly chance of failure; they pay the bank's full interest. At the
//! maturity of a failed loan what the household's savings cannot repay is
//! covered `coverage` by the company, from its capital, in proportion when
//! a month's claims exceed it; the rest is the bank's loss. Capital the
//! company holds is booked to the sink `guarantee_capital`; what it pays
//! out moves from that sink to the households.
//!
//! An arm runs either this or 1+3 credit: both use the household's one loan.
//!
//! Section: `[arms.policies.loan_guarantee]`.

use super::budget::{self, Delivery};
use super::credit::{self, Credit, CreditMode, CreditPolicy, CREDIT_LOST};
use crate::check::Checker;
use crate::household::Status;
use crate::ledger::Ledger;
use crate::rng::Purpose;
use crate::world::World;
use serde::{Deserialize, Serialize};

/// The agricultural loan guarantee company (农业贷款担保公司).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LoanGuaranteeFile {
    /// Share of the yearly budget paid into the company's capital.
    ///
    /// Unit: prob. Default: required. Allowed: [0, 1].
    pub budget_share: f64,
    /// Month the capital is paid in and banks lend; it happens `delay_months` later.
    ///
    /// Unit: month 1–12. Default: `3`. Allowed: [1, 12].
    #[serde(default = "crate::check::default_transfer_month")]
    pub transfer_month: i64,
    /// The most principal outstanding the company guarantees, as a multiple of its capital.
    ///
    /// Unit: multiplier. Default: `5` (assumed; China's rules cap a financing guarantee company at 10 times its net
    /// assets). Allowed: [0, 50].
    #[serde(default = "default_leverage")]
    pub leverage: f64,
    /// Share of a default (principal the household cannot repay from savings at maturity) the company pays the bank.
    ///
    /// Unit: prob. Default: `0.8` (the national agricultural credit guarantee system leaves banks at least 20% of the
    /// risk). Allowed: [0, 1].
    #[serde(default = "default_coverage")]
    pub coverage: f64,
    /// Loan per borrower, for three years.
    ///
    /// Unit: yuan. Default: `50000`. Allowed: [0, 1e8].
    #[serde(default = "default_loan")]
    pub loan: f64,
    /// The bank's interest rate, paid in full by the borrower, monthly as 1/12.
    ///
    /// Unit: share per year. Default: `0.0435`. Allowed: [0, 1].
    #[serde(default = "default_rate")]
    pub rate: f64,
    /// Chance that an eligible household without a loan asks for one (a keyed draw per household and year).
    ///
    /// Unit: prob per year. Default: `0.2` (assumed). Allowed: [0, 1].
    #[serde(default = "default_take_up")]
    pub take_up: f64,
    /// Yearly return on the loan at productivity 1 (scaled by the household's productivity).
    ///
    /// Unit: share per year. Default: `0.12` (as 1+3 credit's `self_return`). Allowed: [−1, 10].
    #[serde(default = "default_return")]
    pub self_return: f64,
    /// Yearly chance that a borrower's project fails, as 1+3 credit's `self_failure`.
    ///
    /// Unit: probability per year. Default: `0.1`. Allowed: [0, 1].
    #[serde(default = "default_failure")]
    pub self_failure: f64,
    /// Least productivity a household needs to be lent to (beside one labour unit).
    ///
    /// Unit: multiplier. Default: `0`. Allowed: [0, 100].
    #[serde(default)]
    pub min_productivity: f64,
    /// Whether only registered households may borrow; `false`: any farmer.
    ///
    /// Unit: –. Default: `false` (the report proposes credit for farmers). Allowed: `true`/`false`.
    #[serde(default)]
    pub registered_only: bool,
}
fn default_leverage() -> f64 {
    5.0
}
fn default_coverage() -> f64 {
    0.8
}
fn default_loan() -> f64 {
    50_000.0
}
fn default_rate() -> f64 {
    0.0435
}
fn default_take_up() -> f64 {
    0.2
}
fn default_return() -> f64 {
    0.12
}
fn default_failure() -> f64 {
    0.1
}

#[derive(Debug, Clone, Copy)]
pub struct LoanGuaranteePolicy {
    pub budget_share: f64,
    /// 0-based.
    pub transfer_month: u8,
    pub leverage: f64,
    pub take_up: f64,
    pub registered_only: bool,
    /// The loans' terms, as a self-used loan without interest subsidy whose
    /// guarantee is `coverage`.
    pub terms: CreditPolicy,
}

/// `arms[i].policies.loan_guarantee` (`q` is its path).
pub fn check(c: &mut Checker, q: &str, f: &LoanGuaranteeFile) -> LoanGuaranteePolicy {
    c.prob(&format!("{q}.budget_share"), f.budget_share);
    let transfer_month = c.month(&format!("{q}.transfer_month"), f.transfer_month);
    c.num(&format!("{q}.leverage"), f.leverage, 0.0, 50.0);
    c.prob(&format!("{q}.coverage"), f.coverage);
    c.num(&format!("{q}.loan"), f.loan, 0.0, 1e8);
    c.num(&format!("{q}.rate"), f.rate, 0.0, 1.0);
    c.prob(&format!("{q}.take_up"), f.take_up);
    c.num(&format!("{q}.self_return"), f.self_return, -1.0, 10.0);
    c.prob(&format!("{q}.self_failure"), f.self_failure);
    c.num(&format!("{q}.min_productivity"), f.min_productivity, 0.0, 100.0);
    LoanGuaranteePolicy {
        budget_share: f.budget_share,
        transfer_month,
        leverage: f.leverage,
        take_up: f.take_up,
        registered_only: f.registered_only,
        terms: CreditPolicy {
            budget_share: f.budget_share,
            mode: CreditMode::SelfUse,
            loan: f.loan,
            rate: f.rate,
            interest_subsidy: 0.0,
            self_return: f.self_return,
            self_failure: f.self_failure,
            paired_return: 0.0,
            partner_failure: 0.0,
            guarantee: f.coverage,
            min_productivity: f.min_productivity,
            transition: true,
        },
    }
}

/// The company of one arm.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Company {
    /// Capital held, yuan (in the sink `guarantee_capital`).
    pub capital: f64,
    /// Defaults covered this year, yuan.
    pub covered: f64,
}

/// The month's capital and lending (`t` = months since January of the
/// pre-policy year): the pool is paid into the capital; failure checks of
/// loans in force; then new loans in the keyed project order while the
/// principal outstanding stays within `leverage` × capital. Returns the new
/// loans.
pub fn lend(
    w: &World,
    k: &LoanGuaranteePolicy,
    delivery: &Delivery,
    (company, credit): (&mut Company, &mut Credit),
    status: &[Status],
    (pool, ledger): (&mut f64, &mut Ledger),
    t: u32,
) -> f64 {
    let (m, y) = ((t % 12) as u8, t / 12);
    if !budget::runs_now(delivery, k.transfer_month, m) {
        return 0.0;
    }
    let paid = std::mem::take(pool);
    company.capital += paid;
    ledger.guarantee_capital += paid;
    let l = &mut credit.loans;
    let terms = &k.terms;
    let mut outstanding: f64 = l.credit.iter().map(|&x| x as f64).sum();
    // Loans in force may fail, as self-used 1+3 loans do.
    for i in 0..w.households() {
        let in_force = l.credit[i] > 0.0 && l.credit_flags[i] & CREDIT_LOST == 0;
        let p = credit::failure_chance(terms, w.traits[i].productivity);
        if in_force && w.streams.uniform(Purpose::Credit, i as u64, y) < p {
            l.credit_flags[i] |= CREDIT_LOST;
        }
    }
    let limit = k.leverage * company.capital;
    if terms.loan <= 0.0 {
        // A loan of nothing is no loan.
        return 0.0;
    }
    let mut new = 0.0;
    for i in w.project_walk(15_000 + y as u64, delivery.teams) {
        if outstanding + terms.loan > limit {
            break;
        }
        let tr = &w.traits[i];
        if l.credit[i] > 0.0 || tr.labour < 1.0 || (tr.productivity as f64) < terms.min_productivity {
            continue;
        }
        if k.registered_only && !status[i].registered() {
            continue;
        }
        if w.streams.uniform(Purpose::LoanGuarantee, i as u64, y) >= k.take_up {
            continue;
        }
        l.credit[i] = terms.loan as f32;
        l.credit_months[i] = 36;
        l.credit_flags[i] = 0;
        outstanding += terms.loan;
        new += 1.0;
    }
    credit.borrowers += new;
    new
}

/// Book what the company paid out this month (`paid`, of which `to_poor`
/// to poor households): from its capital to the households.
pub fn settle(company: &mut Company, (to_poor, to_nonpoor): (f64, f64), ledger: &mut Ledger) {
    let paid = to_poor + to_nonpoor;
    company.capital = (company.capital - paid).max(0.0);
    company.covered += paid;
    ledger.guarantee_capital -= paid;
    ledger.to_poor_households += to_poor;
    ledger.to_nonpoor_households += to_nonpoor;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::household::Status;

    fn policy(leverage: f64, take_up: f64, registered_only: bool) -> LoanGuaranteePolicy {
        let f: LoanGuaranteeFile =
            toml::from_str(&format!("budget_share = 1\nleverage = {leverage}\ntake_up = {take_up}\nloan = 1000\nregistered_only = {registered_only}"))
                .unwrap();
        check(&mut Checker::default(), "q", &f)
    }

    /// The pool becomes capital in the sink `guarantee_capital`; banks lend
    /// until the principal outstanding would pass leverage × capital, only
    /// to households with a labour unit (registered ones when told); and
    /// paying a default moves money from the capital to the households.
    #[test]
    fn lending_stops_at_the_leverage_and_payouts_come_from_the_capital() {
        let sc = crate::testing::township(4000);
        let (r, mut s) = crate::testing::after_pre_policy_year(&sc);
        let w = &r.world;
        let d = Delivery::default();
        let (mut company, mut ledger) = (Company::default(), Ledger::default());
        let mut pool = 20_000.0;
        let k = policy(5.0, 1.0, false);
        let books = (&mut pool, &mut ledger);
        assert_eq!(lend(w, &k, &d, (&mut company, &mut s.credit), &s.hh.status, books, 12), 0.0, "not this month");
        let books = (&mut pool, &mut ledger);
        let new = lend(w, &k, &d, (&mut company, &mut s.credit), &s.hh.status, books, 12 + 2);
        assert_eq!((pool, company.capital, ledger.guarantee_capital), (0.0, 20_000.0, 20_000.0));
        assert_eq!(new, 100.0, "5 × 20,000 of capital lends 100 loans of 1,000");
        let lent: Vec<usize> = (0..w.households()).filter(|&i| s.credit.loans.credit[i] > 0.0).collect();
        assert!(lent.len() == 100 && lent.iter().all(|&i| w.traits[i].labour >= 1.0));
        // More capital next year lends more; the loans in force still count.
        let mut pool = 10_000.0;
        let new = lend(w, &k, &d, (&mut company, &mut s.credit), &s.hh.status, (&mut pool, &mut ledger), 24 + 2);
        assert_eq!(new, 50.0);
        // Only registered households, when told: nobody is registered here.
        let mut fresh = crate::sim::State::new(&r);
        let only = policy(5.0, 1.0, true);
        s.hh.status.iter_mut().for_each(|st| *st = Status::empty());
        let mut pool = 20_000.0;
        let books = (&mut pool, &mut ledger);
        assert_eq!(lend(w, &only, &d, (&mut company, &mut fresh.credit), &s.hh.status, books, 12 + 2), 0.0);
        let before = ledger.clone();
        settle(&mut company, (300.0, 200.0), &mut ledger);
        assert_eq!(company.capital, 50_000.0 - 500.0);
        assert_eq!(ledger.guarantee_capital, before.guarantee_capital - 500.0);
        assert_eq!(ledger.to_poor_households - before.to_poor_households, 300.0);
        assert_eq!(ledger.spent(), before.spent(), "a payout moves spent money, it spends none");
    }
}
