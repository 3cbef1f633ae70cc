//! Poverty micro-credit, the "1+3" model (扶贫小额信贷, MODEL.md §4.10).
//!
//! Each March registered households without a loan borrow for three years,
//! using it themselves (returns and failures scale with their
//! productivity) or handing it to a partner (an entrepreneur, the first
//! cooperative or the first enterprise) that pays a fixed dividend and may
//! default, certainly so once it has failed. The budget pays the interest
//! subsidy and a guarantee fund that covers part of what households cannot
//! repay at maturity; both are rationed in proportion when a month's
//! claims exceed the pool.
//!
//! Section: `[arms.policies.credit]`.

use super::budget::{self, Delivery};
use crate::check::{Checker, Choice, Choices};
use crate::household::{HouseholdsChunk, Status};
use crate::rng::Purpose;
use crate::world::World;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Households per chunk of the parallel lending pass (the household pass's chunk).
const CHUNK: usize = crate::household::CHUNK;

/// Poverty micro-credit, the "1+3" model (扶贫小额信贷).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CreditFile {
    /// Share of the yearly budget in the pool for interest subsidies and guarantees.
    ///
    /// Unit: prob. Default: required. Allowed: [0, 1].
    pub budget_share: f64,
    /// Who uses the loan: the household itself (only households with ≥ 1 labour unit borrow), or a partner that pays a
    /// fixed dividend. In `cooperative`/`enterprise` mode every loan in force fails when the **first**
    /// cooperative/enterprise of the scenario is dissolved/failed.
    ///
    /// Unit: –. Default: required. Allowed: `"self"`, `"entrepreneur"`, `"cooperative"`, `"enterprise"`.
    pub mode: Choice<CreditMode>,
    /// Loan per household (credit limit). New loans are issued each March (+ `delay_months`) to every registered
    /// household without one; the number of borrowers is not limited by the budget.
    ///
    /// Unit: yuan. Default: `50000`. Allowed: [0, 1e8].
    #[serde(default = "default_loan")]
    pub loan: f64,
    /// Bank interest rate, charged monthly as 1/12.
    ///
    /// Unit: share per year. Default: `0.0435`. Allowed: [0, 1].
    #[serde(default = "default_bank_rate")]
    pub rate: f64,
    /// Share of the interest the policy pays. The pool is rationed in proportion: if a month's interest subsidies and
    /// guarantee payments together exceed what is left in the pool, each is paid the same fraction (pool left ÷
    /// claims).
    ///
    /// Unit: prob. Default: `1`. Allowed: [0, 1].
    #[serde(default = "crate::check::default_one")]
    pub interest_subsidy: f64,
    /// Yearly return on a self-used loan at productivity 1 (scaled by the household's productivity).
    ///
    /// Unit: share per year. Default: `0.12`. Allowed: [−1, 10].
    #[serde(default = "default_self_return")]
    pub self_return: f64,
    /// Yearly chance (each March, for loans issued in earlier years) that a self-use project fails and the principal is
    /// lost; scaled by clamp(1.5 − 0.5 × productivity, 0.5, 1.5).
    ///
    /// Unit: probability per year. Default: `0.1`. Allowed: [0, 1].
    #[serde(default = "default_self_failure")]
    pub self_failure: f64,
    /// Fixed yearly dividend a partner pays on the principal.
    ///
    /// Unit: share per year. Default: `0.08`. Allowed: [0, 1].
    #[serde(default = "default_paired_return")]
    pub paired_return: f64,
    /// Yearly chance that the partner defaults.
    ///
    /// Unit: probability per year. Default: `0.03`. Allowed: [0, 1].
    #[serde(default = "default_partner_failure")]
    pub partner_failure: f64,
    /// Share of a default (principal the household cannot repay from savings at maturity) that the guarantee fund
    /// covers, rationed with the interest subsidies as above.
    ///
    /// Unit: prob. Default: `0.8`. Allowed: [0, 1].
    #[serde(default = "default_guarantee")]
    pub guarantee: f64,
    /// Least productivity a household needs to be lent to.
    ///
    /// Unit: multiplier. Default: `0`. Allowed: [0, 100].
    #[serde(default)]
    pub min_productivity: f64,
    /// Whether households kept on the register in transition after their exit (`targeting.transition_years`,
    /// 脱贫不脱政策) keep receiving this instrument, as they did from 2015 to 2020.
    ///
    /// Unit: –. Default: `true`. Allowed: `true`/`false`.
    #[serde(default = "crate::check::default_true")]
    pub transition: bool,
}
fn default_loan() -> f64 {
    50000.0
}
fn default_bank_rate() -> f64 {
    0.0435
}
fn default_self_return() -> f64 {
    0.12
}
fn default_self_failure() -> f64 {
    0.1
}
fn default_paired_return() -> f64 {
    0.08
}
fn default_partner_failure() -> f64 {
    0.03
}
fn default_guarantee() -> f64 {
    0.8
}

/// Who uses a poverty loan: the household itself, or a partner that pays it a fixed dividend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditMode {
    #[serde(rename = "self")]
    SelfUse,
    Entrepreneur,
    Cooperative,
    Enterprise,
}

impl Choices for CreditMode {
    const ALLOWED: &'static str = "\"self\", \"entrepreneur\", \"cooperative\" or \"enterprise\"";
}

#[derive(Debug, Clone, Copy)]
pub struct CreditPolicy {
    pub budget_share: f64,
    pub mode: CreditMode,
    pub loan: f64,
    pub rate: f64,
    pub interest_subsidy: f64,
    pub self_return: f64,
    pub self_failure: f64,
    pub paired_return: f64,
    pub partner_failure: f64,
    pub guarantee: f64,
    pub min_productivity: f64,
    /// Households in transition keep receiving it.
    pub transition: bool,
}

/// `arms[i].policies.credit` (`q` is its path).
pub fn check(c: &mut Checker, q: &str, f: &CreditFile) -> CreditPolicy {
    c.prob(&format!("{q}.budget_share"), f.budget_share);
    let mode = c.known(&format!("{q}.mode"), &f.mode, CreditMode::SelfUse);
    c.num(&format!("{q}.loan"), f.loan, 0.0, 1e8);
    c.num(&format!("{q}.rate"), f.rate, 0.0, 1.0);
    c.prob(&format!("{q}.interest_subsidy"), f.interest_subsidy);
    c.num(&format!("{q}.self_return"), f.self_return, -1.0, 10.0);
    c.prob(&format!("{q}.self_failure"), f.self_failure);
    c.num(&format!("{q}.paired_return"), f.paired_return, 0.0, 1.0);
    c.prob(&format!("{q}.partner_failure"), f.partner_failure);
    c.prob(&format!("{q}.guarantee"), f.guarantee);
    c.num(&format!("{q}.min_productivity"), f.min_productivity, 0.0, 100.0);
    CreditPolicy {
        transition: f.transition,
        budget_share: f.budget_share,
        mode,
        loan: f.loan,
        rate: f.rate,
        interest_subsidy: f.interest_subsidy,
        self_return: f.self_return,
        self_failure: f.self_failure,
        paired_return: f.paired_return,
        partner_failure: f.partner_failure,
        guarantee: f.guarantee,
        min_productivity: f.min_productivity,
    }
}

/// Flag in [`Loans::credit_flags`]: the project or partner failed; returns stop.
pub const CREDIT_LOST: u8 = 1;

columns! {
    /// Each household's poverty loan.
    pub struct Loans / LoansChunk {
        /// Principal outstanding, yuan.
        credit: f32,
        /// Months to maturity.
        credit_months: u8,
        /// [`CREDIT_LOST`].
        credit_flags: u8,
    }
}

/// The credit state of one arm.
#[derive(Debug, Clone)]
pub struct Credit {
    pub loans: Loans,
    /// New loans this year.
    pub borrowers: f64,
    /// Principal of failed loans not repaid at maturity this year, yuan.
    pub defaults: f64,
}

impl Credit {
    pub fn new(n: usize) -> Credit {
        Credit {
            loans: Loans { credit: vec![0.0; n], credit_months: vec![0; n], credit_flags: vec![0; n] },
            borrowers: 0.0,
            defaults: 0.0,
        }
    }
}

/// Poverty micro-credit ("1+3"): each March, registered households without a
/// loan borrow `loan` for three years, used by themselves or handed to a partner.
/// A loan in force may fail each March: the household's project, or its partner.
///
/// `partners_gone` says whether the scenario's first enterprise and first
/// cooperative (the paired modes' partners) have failed.
#[allow(clippy::too_many_arguments)]
pub fn lend(
    w: &World,
    k: &CreditPolicy,
    delivery: &Delivery,
    credit: &mut Credit,
    status: &[Status],
    partners_gone: (bool, bool),
    m: u8,
    y: usize,
) {
    if !budget::runs_now(delivery, 2, m) {
        return;
    }
    let partner_gone = match k.mode {
        CreditMode::Enterprise => partners_gone.0,
        CreditMode::Cooperative => partners_gone.1,
        _ => false,
    };
    let l = &mut credit.loans;
    // Independent per household: chunks in parallel, new borrowers counted in chunk order.
    let borrowers: Vec<f64> = l
        .credit
        .par_chunks_mut(CHUNK)
        .zip(l.credit_months.par_chunks_mut(CHUNK))
        .zip(l.credit_flags.par_chunks_mut(CHUNK))
        .enumerate()
        .map(|(c, ((credit, months), flags))| {
            let mut new = 0.0;
            for (j, ((l, mo), fl)) in credit.iter_mut().zip(months.iter_mut()).zip(flags.iter_mut()).enumerate() {
                let i = c * CHUNK + j;
                let tr = &w.traits[i];
                if *l > 0.0 {
                    if *fl & CREDIT_LOST == 0 {
                        let p = failure_chance(k, tr.productivity);
                        if partner_gone || w.streams.uniform(Purpose::Credit, i as u64, y as u32) < p {
                            *fl |= CREDIT_LOST;
                        }
                    }
                    continue;
                }
                let able = k.mode != CreditMode::SelfUse || tr.labour >= 1.0;
                if status[i].served(k.transition) && able && tr.productivity as f64 >= k.min_productivity {
                    *l = k.loan as f32;
                    *mo = 36;
                    *fl = 0;
                    new += 1.0;
                }
            }
            new
        })
        .collect();
    credit.borrowers += borrowers.iter().sum::<f64>();
}

/// The yearly chance that a loan in force fails: a self-used project's
/// `self_failure` scaled by clamp(1.5 − 0.5 × `productivity`, 0.5, 1.5), or
/// the partner's `partner_failure`.
pub fn failure_chance(k: &CreditPolicy, productivity: f32) -> f64 {
    if k.mode == CreditMode::SelfUse {
        k.self_failure * (1.5 - 0.5 * productivity as f64).clamp(0.5, 1.5)
    } else {
        k.partner_failure
    }
}

/// What household `i` would claim from the pool this month (for the
/// rationing pre-pass): the interest subsidy and, at the maturity of a
/// failed loan, the guarantee on what its savings cannot repay.
#[inline]
pub fn claim(k: &CreditPolicy, loans: &Loans, savings: f32, i: usize) -> f64 {
    if loans.credit[i] > 0.0 {
        let l = loans.credit[i] as f64;
        let mut d = l * k.rate / 12.0 * k.interest_subsidy;
        if loans.credit_months[i] <= 1 && loans.credit_flags[i] & CREDIT_LOST != 0 {
            d += (l - l.min(savings.max(0.0) as f64)) * k.guarantee;
        }
        d
    } else {
        0.0
    }
}

/// The pool's payments, added up.
#[derive(Debug, Clone, Default)]
pub struct Sums {
    pub to_poor: f64,
    pub to_nonpoor: f64,
    /// Principal defaulted at maturity, yuan.
    pub defaults: f64,
}

impl Sums {
    pub fn add(&mut self, o: &Sums) {
        self.to_poor += o.to_poor;
        self.to_nonpoor += o.to_nonpoor;
        self.defaults += o.defaults;
    }

    pub fn total(&self) -> f64 {
        self.to_poor + self.to_nonpoor
    }
}

/// A month of 1+3 credit for household `i`: returns, interest (part paid by
/// the rationed pool), and at maturity repayment, default and the guarantee.
#[inline]
pub fn household(
    k: &CreditPolicy,
    w: &World,
    (i, j): (usize, usize),
    loans: &mut LoansChunk,
    hh: &mut HouseholdsChunk,
    fraction: f64,
    sums: &mut Sums,
) -> (f32, f32) {
    let l = loans.credit[j];
    if l <= 0.0 {
        return (0.0, 0.0);
    }
    let poor = hh.status[j].poor();
    let mut pay = |yuan: f64| *if poor { &mut sums.to_poor } else { &mut sums.to_nonpoor } += yuan;
    let lost = loans.credit_flags[j] & CREDIT_LOST != 0;
    let rate =
        if k.mode == CreditMode::SelfUse { k.self_return * w.traits[i].productivity as f64 } else { k.paired_return };
    let income = if lost { 0.0 } else { l as f64 * rate / 12.0 };
    let interest = l as f64 * k.rate / 12.0;
    let subsidy = interest * k.interest_subsidy * fraction;
    pay(subsidy);
    loans.credit_months[j] = loans.credit_months[j].saturating_sub(1);
    if loans.credit_months[j] == 0 {
        // The principal comes back from the project or partner unless it failed.
        if lost {
            let repaid = l.min(hh.savings[j].max(0.0));
            hh.savings[j] -= repaid;
            hh.booked[j] -= repaid as f64;
            let default = (l - repaid) as f64;
            pay(default * k.guarantee * fraction);
            sums.defaults += default;
        }
        loans.credit[j] = 0.0;
    }
    (income as f32, (interest - subsidy) as f32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::household::Households;

    fn policy() -> CreditPolicy {
        CreditPolicy {
            transition: true,
            budget_share: 0.1,
            mode: CreditMode::SelfUse,
            loan: 10_000.0,
            rate: 0.06,
            interest_subsidy: 1.0,
            self_return: 0.12,
            self_failure: 0.1,
            paired_return: 0.08,
            partner_failure: 0.03,
            guarantee: 0.8,
            min_productivity: 0.0,
        }
    }

    #[test]
    fn a_failed_loan_at_maturity_is_repaid_from_savings_and_the_rest_defaults() {
        let sc = crate::testing::township(20);
        let (r, _) = crate::testing::after_pre_policy_year(&sc);
        let k = policy();
        let mut loans = Loans { credit: vec![10_000.0], credit_months: vec![1], credit_flags: vec![CREDIT_LOST] };
        let mut hh = Households {
            savings: vec![4_000.0],
            booked: vec![4_000.0],
            dependency: vec![0.0],
            trailing: vec![0.0],
            sick: vec![0],
            status: vec![Status::POOR | Status::REGISTERED],
            unmet: vec![crate::household::Unmet::empty()],
            online: vec![false],
            moved: vec![0],
            returned: vec![false],
            away: vec![0],
            adopted: vec![0],
            knows: vec![0],
            transferred: vec![0.0],
            history: vec![0],
            extra: vec![0.0],
            in_kind: vec![0.0],
            specialised: vec![0],
            ypc: vec![0.0],
            supported: vec![false],
            area: vec![0.0],
            stock: vec![0.0],
            left: vec![0.0],
        };
        let claim = claim(&k, &loans, hh.savings[0], 0);
        // Interest subsidy 50, and the guarantee on the 6,000 savings cannot repay.
        assert!((claim - (50.0 + 4_800.0)).abs() < 1e-6, "{claim}");
        let mut lc = loans.chunks(1, 1).pop().unwrap();
        let mut hc = hh.chunks(1, 1).pop().unwrap();
        let mut sums = Sums::default();
        let (returns, interest) = household(&k, &r.world, (0, 0), &mut lc, &mut hc, 0.5, &mut sums);
        assert_eq!(returns, 0.0, "a failed project returns nothing");
        assert_eq!(interest, 25.0, "half the subsidy was rationed away");
        assert_eq!(hc.savings[0], 0.0);
        assert_eq!(hc.booked[0], 0.0, "the repayment is booked in the household's account");
        assert_eq!(sums.defaults, 6_000.0);
        // The pool paid half of the subsidy and half of the guarantee.
        assert!((sums.to_poor - (25.0 + 2_400.0)).abs() < 1e-6);
        assert_eq!(lc.credit[0], 0.0);
    }
}
