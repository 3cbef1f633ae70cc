//! Leading enterprises (龙头企业, MODEL.md §4.7), "company + household + base".
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
//! With `production = "firm"` (docs/ODD.md §7.38) output comes instead from
//! a production function of its depreciating capital and its jobs, it pays
//! the local wage, it sets its jobs (at each tranche and each January,
//! [`replan`]) where the last one earns that wage at the price it expects,
//! and its leased land yields by suitability and sells on its market
//! ([`supply`]).
//! When cash runs below zero the enterprise fails: payments stop, jobs end,
//! leases return, and the fund's equity is written off. Only the linked line
//! of business is modelled: the accounts start with the first tranche, or
//! the first land from the land centre ([`super::land_centre`]).
//!
//! An arm's enterprise policy delivers a yearly tranche, with the
//! safeguards of the field report: co-investment first, payment for verified
//! linkage only, and audits that recover what was diverted. A purchase
//! contract (`contract_floor`) buys linked households' harvest at a floor
//! until the enterprise can no longer pay it.
//!
//! Sections: `[[organisations.enterprises]]` and `[arms.policies.enterprise]`.

use super::budget::{self, Delivery};
use super::labour;
use super::market::{Contract, MarketState, Sums as MarketSums};
use crate::check::{Checker, Choice, Choices, MAX_HOUSEHOLDS};
use crate::household::{Households, Status};
use crate::ledger::Ledger;
use crate::rng::Purpose;
use crate::setting::{commodity_index, village_index, Commodity, CommodityKind, Setting, Village};
use crate::world::{take_land, World};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseFile {
    /// Name, referred to by `arms[].policies.enterprise.enterprise`.
    ///
    /// Unit: –. Default: required. Allowed: non-empty, unique among enterprises.
    pub name: String,
    /// Its market: output per job is scaled by this commodity's latest price over its base price; if a crop, its leased
    /// land is harvested in this crop's harvest month; its purchase contract covers this commodity.
    ///
    /// Unit: commodity name. Default: required. Allowed: name of any commodity.
    pub commodity: String,
    /// Villages whose registered households it may link.
    ///
    /// Unit: village names. Default: `[]` (all). Allowed: each a village name, none listed twice.
    #[serde(default)]
    pub villages: Vec<String>,
    /// Opening cash of its own. When cash falls below zero the enterprise fails. It also funds a co-investment (see the
    /// enterprise policy).
    ///
    /// Unit: yuan. Default: required. Allowed: [0, 1e12].
    pub own_capital: f64,
    /// Jobs created = floor((fund + owners' co-investment) ÷ this). With `production = "firm"`: the unit of capital
    /// in the production function (the capital of one job at the scale of `output_per_job`).
    ///
    /// Unit: yuan per job. Default: `60000`. Allowed: [1, 1e9].
    #[serde(default = "default_capital_per_job")]
    pub capital_per_job: f64,
    /// Wage paid to each worker, monthly as 1/12. A firm (`production = "firm"`) pays the local wage ×
    /// `wage_premium` instead.
    ///
    /// Unit: yuan/worker/year. Default: `20000`. Allowed: [0, 1e7].
    #[serde(default = "default_wage")]
    pub wage: f64,
    /// Land rent paid to linked households, monthly as 1/12.
    ///
    /// Unit: yuan/mu/year. Default: `600`. Allowed: [0, 1e6].
    #[serde(default = "default_rent")]
    pub rent: f64,
    /// Crop land leased from each newly linked household (less if it has less).
    ///
    /// Unit: mu/household. Default: `1.0`. Allowed: [0, 1000].
    #[serde(default = "default_lease_mu")]
    pub lease_mu: f64,
    /// Fixed yearly dividend on the fund held as equity (not on the owners' co-investment), shared equally by all
    /// linked households.
    ///
    /// Unit: share per year. Default: `0.08`. Allowed: [0, 1].
    #[serde(default = "default_dividend_rate")]
    pub dividend_rate: f64,
    /// Revenue per job at base price. With `production = "firm"`: the output of one job with `capital_per_job` of
    /// capital at base price, the scale of the production function (its productivity).
    ///
    /// Unit: yuan/job/year. Default: `32000`. Allowed: [0, 1e8].
    #[serde(default = "default_output_per_job")]
    pub output_per_job: f64,
    /// Overheads, charged monthly as 1/12 once the enterprise has received funds or linked households.
    ///
    /// Unit: yuan/year. Default: `300000`. Allowed: [0, 1e10].
    #[serde(default = "default_fixed_cost")]
    pub fixed_cost: f64,
    /// Most households it links over the whole run.
    ///
    /// Unit: households. Default: `100000`. Allowed: [0, 100,000,000].
    #[serde(default = "default_max_linked")]
    pub max_linked: i64,
    /// Share of every tranche of policy funds the owners divert (before safeguards reduce it).
    ///
    /// Unit: prob. Default: `0`. Allowed: [0, 1].
    #[serde(default)]
    pub diversion: f64,
    /// Floor price of a purchase contract: linked households sell their harvest of the enterprise's commodity at
    /// max(price, floor), the enterprise paying the difference, until it breaks the contract for good (when it is dead,
    /// or its cash does not cover the expected top-up, at a harvest).
    ///
    /// Unit: yuan/unit of its commodity. Default: `0` (no contract). Allowed: [0, 1e7].
    #[serde(default)]
    pub contract_floor: f64,
    /// How it makes its output. `"fixed"`: `output_per_job` per job, scaled by its commodity's price, jobs set by
    /// `capital_per_job`, a wage of `wage`, capital that never wears out (the first release's model). `"firm"`: output
    /// Q = `output_per_job` × (K ÷ `capital_per_job`)^`capital_elasticity` × jobs^`labour_elasticity` a year at base price,
    /// K its capital (the fund and the owners' co-investment, depreciating at `depreciation`); it pays the local wage
    /// (× `wage_premium`) and sets its jobs, at each tranche and each January, where the last job's output is worth its
    /// wage at the price it expects (`price_adaptation`), shedding jobs when that falls; its leased land yields by the suitability of
    /// the villages it leases in, and that harvest is sold on its commodity's market (docs/ODD.md §7.38).
    ///
    /// Unit: –. Default: `"fixed"`. Allowed: `"fixed"` or `"firm"`.
    #[serde(default = "default_production")]
    pub production: Choice<Production>,
    /// With `production = "firm"`: the elasticity of output to capital (diminishing returns to capital below 1; source:
    /// assumed, within the capital share of 0.3–0.5 in growth accounting for China).
    ///
    /// Unit: –. Default: `0.4`. Allowed: [0, 0.95], with `capital_elasticity + labour_elasticity` ≤ 1.
    #[serde(default = "default_capital_elasticity")]
    pub capital_elasticity: f64,
    /// With `production = "firm"`: the elasticity of output to labour (diminishing returns to labour below 1; with the
    /// default capital elasticity, constant returns to scale). The default is near the wage share of output of the
    /// default fixed model (20,000 ÷ 32,000), so that at base price and that wage a firm wants about one job per
    /// `capital_per_job`, as the fixed model creates (source: assumed, calibrated so).
    ///
    /// Unit: –. Default: `0.6`. Allowed: [0.05, 0.95].
    #[serde(default = "default_labour_elasticity")]
    pub labour_elasticity: f64,
    /// With `production = "firm"`: the share of its capital that wears out each year, monthly as (1 − this)^(1/12)
    /// (source: assumed, near the 9.6% of Zhang, Wu & Zhang 2004 for China's capital stock).
    ///
    /// Unit: share per year. Default: `0.1`. Allowed: [0, 1].
    #[serde(default = "default_depreciation")]
    pub depreciation: f64,
    /// With `production = "firm"`: the growth of `output_per_job`, the productivity of a job with `capital_per_job` of
    /// capital, each policy year (source: assumed, near China's agricultural TFP growth).
    ///
    /// Unit: share per year. Default: `0.03`. Allowed: [−0.5, 1].
    #[serde(default = "default_productivity_growth")]
    pub productivity_growth: f64,
    /// With `production = "firm"`: its wage over the local wage of a full-time worker (`labour.local_wage` × 12 × the
    /// local labour market's wage index × wage growth).
    ///
    /// Unit: factor. Default: `1.0`. Allowed: [0.1, 10].
    #[serde(default = "default_wage_premium")]
    pub wage_premium: f64,
    /// With `production = "firm"`: the weight of each new harvest price in the price it plans its jobs on (its
    /// expectation moves this share of the way to each new price of its commodity; 1: the latest price; source: assumed).
    ///
    /// Unit: share. Default: `0.5`. Allowed: [0, 1].
    #[serde(default = "default_price_adaptation")]
    pub price_adaptation: f64,
    /// With `production = "firm"`: the share of a year's profit, when positive, it invests from its cash into its
    /// capital in December (so next January it wants more jobs). 0 keeps profits as cash (source: assumed).
    ///
    /// Unit: share. Default: `0`. Allowed: [0, 1].
    #[serde(default)]
    pub reinvest_share: f64,
}
fn default_price_adaptation() -> f64 {
    0.5
}
fn default_production() -> Choice<Production> {
    Choice::Known(Production::Fixed)
}
fn default_capital_elasticity() -> f64 {
    0.4
}
fn default_labour_elasticity() -> f64 {
    0.6
}
fn default_depreciation() -> f64 {
    0.1
}
fn default_productivity_growth() -> f64 {
    0.03
}
fn default_wage_premium() -> f64 {
    1.0
}

/// How an enterprise makes its output (`production`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Production {
    /// A constant output per job, jobs by capital, a set wage.
    Fixed,
    /// A production function of depreciating capital and jobs, the local wage, jobs that maximise profit.
    Firm,
}

impl Choices for Production {
    const ALLOWED: &'static str = "\"fixed\" or \"firm\"";
}

fn default_capital_per_job() -> f64 {
    60_000.0
}
fn default_wage() -> f64 {
    20_000.0
}
fn default_rent() -> f64 {
    600.0
}
fn default_lease_mu() -> f64 {
    1.0
}
fn default_dividend_rate() -> f64 {
    0.08
}
fn default_output_per_job() -> f64 {
    32_000.0
}
fn default_fixed_cost() -> f64 {
    300_000.0
}
fn default_max_linked() -> i64 {
    100_000
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EnterprisePolicyFile {
    /// Share of the yearly budget transferred to the enterprise.
    ///
    /// Unit: prob. Default: required. Allowed: [0, 1].
    pub budget_share: f64,
    /// Which enterprise receives the funds.
    ///
    /// Unit: enterprise name. Default: required. Allowed: name of an `[[organisations.enterprises]]` entry.
    pub enterprise: String,
    /// Month the yearly tranche is due; it arrives `delay_months` later. Registered households are linked and jobs
    /// filled on arrival.
    ///
    /// Unit: month 1–12. Default: `3`. Allowed: [1, 12].
    #[serde(default = "crate::check::default_transfer_month")]
    pub transfer_month: i64,
    /// Safeguard: the enterprise must first invest this share of each tranche from its own cash. If it is dead or its
    /// cash is short, the whole tranche is withheld (unspent). Otherwise its stake adds to job capacity and diversion
    /// falls to `diversion × (1 − co_investment)`.
    ///
    /// Unit: prob. Default: `0`. Allowed: [0, 1].
    #[serde(default)]
    pub co_investment: f64,
    /// Safeguard: pay only for verified linkage, i.e. at most `capital_per_job` × (registered households without an
    /// enterprise job, with ≥ 1 labour unit, in the enterprise's villages, and not linked to another enterprise). The
    /// rest of the tranche is unspent, and diversion is multiplied by `verified_diversion_factor`.
    ///
    /// Unit: –. Default: `false`. Allowed: `true`/`false`.
    #[serde(default)]
    pub verified_linkage: bool,
    /// With `verified_linkage`: the factor on the owners' diversion, since money paid only for verified jobs is
    /// harder to divert (source: assumed).
    ///
    /// Unit: factor. Default: `0.2`. Allowed: [0, 1].
    #[serde(default = "default_verified_diversion_factor")]
    pub verified_diversion_factor: f64,
    /// Safeguard: chance, in a year a tranche arrives, that an audit finds and recovers what was diverted from **this
    /// year's** tranche (it moves from `enterprise_owners` back to `unspent`). Diversion of earlier years is not
    /// recovered.
    ///
    /// Unit: probability per year. Default: `0`. Allowed: [0, 1].
    #[serde(default)]
    pub audit_probability: f64,
    /// Whether households kept on the register in transition after their exit (`targeting.transition_years`,
    /// 脱贫不脱政策) keep receiving this instrument, as they did from 2015 to 2020.
    ///
    /// Unit: –. Default: `true`. Allowed: `true`/`false`.
    #[serde(default = "crate::check::default_true")]
    pub transition: bool,
}
fn default_verified_diversion_factor() -> f64 {
    0.2
}
#[derive(Debug, Clone)]
pub struct EnterpriseSpec {
    pub name: String,
    pub commodity: usize,
    /// Villages whose registered households it may link; empty = all.
    pub villages: Vec<usize>,
    pub own_capital: f64,
    pub capital_per_job: f64,
    pub wage: f64,
    pub rent: f64,
    pub lease_mu: f64,
    pub dividend_rate: f64,
    pub output_per_job: f64,
    pub fixed_cost: f64,
    pub max_linked: usize,
    pub diversion: f64,
    pub contract_floor: f64,
    /// `production = "firm"`: the production function, depreciation, productivity growth and wage premium.
    pub firm: Option<Firm>,
}

/// The parameters of an enterprise with `production = "firm"`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Firm {
    pub alpha: f64,
    pub beta: f64,
    pub depreciation: f64,
    pub productivity_growth: f64,
    pub wage_premium: f64,
    pub price_adaptation: f64,
    pub reinvest_share: f64,
}

impl EnterpriseSpec {
    /// Output a year at base price of `jobs` with capital `capital`, in year index `y`.
    pub fn output(&self, capital: f64, jobs: f64, y: usize) -> f64 {
        match self.firm {
            None => jobs * self.output_per_job,
            Some(f) => {
                let a = self.output_per_job * (1.0 + f.productivity_growth).powi(y.saturating_sub(1) as i32);
                a * (capital / self.capital_per_job).powf(f.alpha) * jobs.powf(f.beta)
            }
        }
    }

    /// The jobs at which the last job's output, at price index `price`, is
    /// worth its yearly `wage`: (β A p (K/k)^α ÷ w)^(1/(1−β)).
    pub fn profitable_jobs(&self, capital: f64, price: f64, wage: f64, y: usize) -> f64 {
        let Some(f) = self.firm else { return capital / self.capital_per_job };
        if wage <= 0.0 {
            return f64::INFINITY;
        }
        (f.beta * price * self.output(capital, 1.0, y) / wage).powf(1.0 / (1.0 - f.beta))
    }

    /// The yearly wage it pays, with `local` a full-time local worker's yearly wage.
    pub fn wage(&self, local: f64) -> f64 {
        self.firm.map_or(self.wage, |f| local * f.wage_premium)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct EnterprisePolicy {
    pub budget_share: f64,
    pub enterprise: usize,
    pub transfer_month: u8,
    pub co_investment: f64,
    pub verified_linkage: bool,
    pub verified_diversion_factor: f64,
    pub audit_probability: f64,
    /// Households in transition keep receiving it.
    pub transition: bool,
}

/// `[[organisations.enterprises]]`.
pub fn check_specs(
    c: &mut Checker,
    files: &[EnterpriseFile],
    (commodities, villages): (&[Commodity], &[Village]),
) -> Vec<EnterpriseSpec> {
    if files.len() > 255 {
        c.push("organisations.enterprises", format!("{} enterprises", files.len()), "at most 255");
    }
    let mut enterprises = Vec::new();
    for (i, ef) in files.iter().enumerate() {
        let p = format!("organisations.enterprises[{i}]");
        c.unique_name(&format!("{p}.name"), &ef.name, "enterprise");
        let mut listed = std::collections::HashSet::new();
        for (j, v) in ef.villages.iter().enumerate() {
            if !listed.insert(v) {
                c.push(&format!("{p}.villages[{j}]"), format!("{v:?}"), "a village not already listed");
            }
        }
        let commodity = commodity_index(c, commodities, &format!("{p}.commodity"), &ef.commodity, None);
        let vs = ef
            .villages
            .iter()
            .enumerate()
            .map(|(j, n)| village_index(c, villages, &format!("{p}.villages[{j}]"), n))
            .collect();
        c.num(&format!("{p}.own_capital"), ef.own_capital, 0.0, 1e12);
        c.num(&format!("{p}.capital_per_job"), ef.capital_per_job, 1.0, 1e9);
        c.num(&format!("{p}.wage"), ef.wage, 0.0, 1e7);
        c.num(&format!("{p}.rent"), ef.rent, 0.0, 1e6);
        c.num(&format!("{p}.lease_mu"), ef.lease_mu, 0.0, 1000.0);
        c.num(&format!("{p}.dividend_rate"), ef.dividend_rate, 0.0, 1.0);
        c.num(&format!("{p}.output_per_job"), ef.output_per_job, 0.0, 1e8);
        c.num(&format!("{p}.fixed_cost"), ef.fixed_cost, 0.0, 1e10);
        c.int(&format!("{p}.max_linked"), ef.max_linked, 0, MAX_HOUSEHOLDS);
        c.prob(&format!("{p}.diversion"), ef.diversion);
        c.num(&format!("{p}.contract_floor"), ef.contract_floor, 0.0, 1e7);
        let firm = check_firm(c, &p, ef);
        enterprises.push(EnterpriseSpec {
            name: ef.name.clone(),
            commodity,
            villages: vs,
            own_capital: ef.own_capital,
            capital_per_job: ef.capital_per_job,
            wage: ef.wage,
            rent: ef.rent,
            lease_mu: ef.lease_mu,
            dividend_rate: ef.dividend_rate,
            output_per_job: ef.output_per_job,
            fixed_cost: ef.fixed_cost,
            max_linked: ef.max_linked.max(0) as usize,
            diversion: ef.diversion,
            contract_floor: ef.contract_floor,
            firm,
        });
    }
    enterprises
}

/// An enterprise's production, at path `p`.
fn check_firm(c: &mut Checker, p: &str, ef: &EnterpriseFile) -> Option<Firm> {
    let production = c.known(&format!("{p}.production"), &ef.production, Production::Fixed);
    c.num(&format!("{p}.capital_elasticity"), ef.capital_elasticity, 0.0, 0.95);
    c.num(&format!("{p}.labour_elasticity"), ef.labour_elasticity, 0.05, 0.95);
    c.num(&format!("{p}.depreciation"), ef.depreciation, 0.0, 1.0);
    c.num(&format!("{p}.productivity_growth"), ef.productivity_growth, -0.5, 1.0);
    c.num(&format!("{p}.wage_premium"), ef.wage_premium, 0.1, 10.0);
    c.prob(&format!("{p}.price_adaptation"), ef.price_adaptation);
    c.prob(&format!("{p}.reinvest_share"), ef.reinvest_share);
    if ef.capital_elasticity + ef.labour_elasticity > 1.0 + 1e-9 {
        c.push(
            &format!("{p}.capital_elasticity"),
            format!("{} + labour_elasticity {}", ef.capital_elasticity, ef.labour_elasticity),
            "a sum of at most 1 (no increasing returns to scale)",
        );
    }
    (production == Production::Firm).then_some(Firm {
        alpha: ef.capital_elasticity,
        beta: ef.labour_elasticity,
        depreciation: ef.depreciation,
        productivity_growth: ef.productivity_growth,
        wage_premium: ef.wage_premium,
        price_adaptation: ef.price_adaptation,
        reinvest_share: ef.reinvest_share,
    })
}

/// `arms[i].policies.enterprise` (`q` is its path).
pub fn check_policy(
    c: &mut Checker,
    q: &str,
    ef: &EnterprisePolicyFile,
    enterprises: &[EnterpriseSpec],
) -> EnterprisePolicy {
    c.prob(&format!("{q}.budget_share"), ef.budget_share);
    let transfer_month = c.month(&format!("{q}.transfer_month"), ef.transfer_month);
    let idx = c.lookup(
        &format!("{q}.enterprise"),
        &ef.enterprise,
        enterprises.iter().map(|e| &e.name),
        "the enterprises in [[organisations.enterprises]]",
    );
    c.prob(&format!("{q}.co_investment"), ef.co_investment);
    c.prob(&format!("{q}.audit_probability"), ef.audit_probability);
    c.prob(&format!("{q}.verified_diversion_factor"), ef.verified_diversion_factor);
    EnterprisePolicy {
        transition: ef.transition,
        budget_share: ef.budget_share,
        enterprise: idx,
        transfer_month,
        co_investment: ef.co_investment,
        verified_linkage: ef.verified_linkage,
        verified_diversion_factor: ef.verified_diversion_factor,
        audit_probability: ef.audit_probability,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enterprise {
    pub alive: bool,
    /// Liquid cash, yuan.
    pub cash: f64,
    /// Poverty fund held as equity, yuan.
    pub fund: f64,
    /// The owners' own co-investment, yuan.
    pub fund_own: f64,
    /// Capital stock: the fund and the co-investment as invested, less depreciation (`"firm"` only), yuan.
    pub capital: f64,
    pub linked: u32,
    pub jobs: u32,
    pub leased_mu: f64,
    /// Output of the leased land at full bearing: Σ mu × the yield where it lies (`"firm"`), units.
    pub leased_yield: f64,
    /// Dividend per linked household per month, yuan (derived each transfer).
    pub dividend_per_household: f64,
    /// Year index it first held leased land, which it plants: the age of its orchard.
    pub planted_year: Option<usize>,
    /// The price index (its commodity's price over base price) it plans on.
    pub expected: f64,
    /// This year's revenue, and revenue less costs and depreciation, yuan.
    pub output_year: f64,
    pub profit_year: f64,
}

impl Enterprise {
    pub fn new(spec: &EnterpriseSpec) -> Self {
        Enterprise {
            alive: true,
            cash: spec.own_capital,
            fund: 0.0,
            fund_own: 0.0,
            capital: 0.0,
            linked: 0,
            jobs: 0,
            leased_mu: 0.0,
            leased_yield: 0.0,
            dividend_per_household: 0.0,
            planted_year: None,
            expected: 1.0,
            output_year: 0.0,
            profit_year: 0.0,
        }
    }

    /// Jobs it wants in year index `y`: with `"fixed"`, those the fund and
    /// the owners' co-investment pay for; with `"firm"`, those worth their
    /// yearly `wage` at the price it expects.
    pub fn job_capacity(&self, spec: &EnterpriseSpec, (wage, y): (f64, usize)) -> u32 {
        let jobs = match spec.firm {
            None => (self.fund + self.fund_own) / spec.capital_per_job,
            Some(_) => spec.profitable_jobs(self.capital, self.expected, wage, y),
        };
        jobs.floor().min(u32::MAX as f64) as u32
    }

    /// Receive a tranche of the budget: a share `diversion` is diverted by
    /// the owners, the rest becomes equity and is invested.
    pub fn receive(&mut self, amount: f64, diversion: f64, ledger: &mut Ledger) {
        let diverted = amount * diversion;
        ledger.enterprise_owners += diverted;
        if self.alive {
            self.fund += amount - diverted;
            self.capital += amount - diverted;
            ledger.enterprise_equity += amount - diverted;
        } else {
            // A failed enterprise's books are closed: the money is lost with it.
            ledger.enterprise_failed += amount - diverted;
        }
    }

    /// The share of full yield its leased land of crop `c` bears in year
    /// index `y`: by the orchard's age when `c` has a yield curve.
    pub fn bearing(&self, c: &Commodity, y: usize) -> f64 {
        if c.aged() {
            c.bearing_share(y - self.planted_year.unwrap_or(y))
        } else {
            1.0
        }
    }

    /// Land leased: `mu` that yield `output` at full bearing.
    pub fn lease(&mut self, mu: f64, output: f64) {
        self.leased_mu += mu;
        self.leased_yield += output;
    }

    /// Refresh the per-household dividend after linkage changed.
    pub fn update_dividend(&mut self, spec: &EnterpriseSpec) {
        self.dividend_per_household =
            if self.linked == 0 { 0.0 } else { self.fund * spec.dividend_rate / 12.0 / self.linked as f64 };
    }

    /// One month of the enterprise's own accounts in year index `y`, paying
    /// `wage` a year per job. `price_index` is its commodity's price over
    /// base price; `harvest` is
    /// `Some(price, yield per mu, cost per mu)` in its commodity's harvest
    /// month. Returns false if it failed this month.
    pub fn month(
        &mut self,
        spec: &EnterpriseSpec,
        (price_index, harvest): (f64, Option<(f64, f64, f64)>),
        (wage, y): (f64, usize),
        ledger: &mut Ledger,
    ) -> bool {
        if !self.alive {
            return false;
        }
        // Its poverty-linked line of business starts with the first tranche or land from the centre.
        if self.fund == 0.0 && self.linked == 0 && self.leased_mu == 0.0 {
            return true;
        }
        let mut revenue = spec.output(self.capital, self.jobs as f64, y) / 12.0 * price_index;
        if let Some((price, yield_per, cost)) = harvest {
            revenue += self.leased_mu * (yield_per * price - cost);
        }
        let costs = self.jobs as f64 * wage / 12.0
            + self.leased_mu * spec.rent / 12.0
            + self.dividend_per_household * self.linked as f64
            + spec.fixed_cost / 12.0;
        let worn = spec.firm.map_or(0.0, |f| self.capital * (1.0 - (1.0 - f.depreciation).powf(1.0 / 12.0)));
        self.capital -= worn;
        self.cash += revenue - costs;
        self.output_year += revenue;
        self.profit_year += revenue - costs - worn;
        if self.cash < 0.0 {
            self.fail(ledger);
            return false;
        }
        true
    }

    /// December, for a live firm: `reinvest_share` of the year's profit, when
    /// positive and covered by its cash, moves from cash into capital.
    pub fn reinvest(&mut self, spec: &EnterpriseSpec) {
        let Some(f) = spec.firm.filter(|_| self.alive) else { return };
        let amount = (f.reinvest_share * self.profit_year).min(self.cash).max(0.0);
        self.cash -= amount;
        self.capital += amount;
    }

    /// Its cash ran out: payments stop, jobs end, leases return, and the
    /// fund's equity is written off.
    fn fail(&mut self, ledger: &mut Ledger) {
        self.alive = false;
        ledger.enterprise_failed += self.fund;
        ledger.enterprise_equity -= self.fund;
        self.jobs = 0;
        self.leased_mu = 0.0;
        self.leased_yield = 0.0;
        self.capital = 0.0;
        self.dividend_per_household = 0.0;
    }
}

columns! {
    /// Each household's link to an enterprise.
    pub struct Links / LinksChunk {
        /// Land leased to its enterprise, mu.
        leased: f32,
        /// 0 = not linked, k + 1 = linked to enterprise k.
        link: u8,
    }
}

/// The enterprises as one arm sees them.
#[derive(Debug, Clone)]
pub struct Enterprises {
    pub firms: Vec<Enterprise>,
    /// Per enterprise: purchase contract still honoured.
    pub contract_ok: Vec<bool>,
    /// Per enterprise: expected output of linked households planted this season.
    pub contract_output: Vec<f64>,
    /// Per enterprise: diverted from this year's tranche (what an audit recovers).
    pub diverted_this_year: Vec<f64>,
    pub links: Links,
    /// Workers hired this year: from local work, from migration.
    pub hired: [f64; 2],
    /// A full-time local worker's yearly wage this month (`"firm"` enterprises pay it), yuan.
    pub local_wage: f64,
}

impl Enterprises {
    pub fn new(specs: &[EnterpriseSpec], households: usize) -> Enterprises {
        Enterprises {
            firms: specs.iter().map(Enterprise::new).collect(),
            contract_ok: specs.iter().map(|e| e.contract_floor > 0.0).collect(),
            contract_output: vec![0.0; specs.len()],
            diverted_this_year: vec![0.0; specs.len()],
            links: Links { leased: vec![0.0; households], link: vec![0; households] },
            hired: [0.0; 2],
            local_wage: 0.0,
        }
    }

    /// Jobs in all enterprises.
    pub fn jobs(&self) -> f64 {
        self.firms.iter().map(|e| e.jobs as f64).sum()
    }

    /// Enterprises that have not failed.
    pub fn alive(&self) -> f64 {
        self.firms.iter().filter(|e| e.alive).count() as f64
    }

    /// Enterprises with a purchase contract that they have broken.
    pub fn contracts_broken(&self, specs: &[EnterpriseSpec]) -> f64 {
        specs.iter().zip(&self.contract_ok).filter(|(e, &ok)| e.contract_floor > 0.0 && !ok).count() as f64
    }

    /// January: this year's diversion starts from nothing.
    pub fn new_year(&mut self) {
        self.diverted_this_year.iter_mut().for_each(|d| *d = 0.0);
    }

    /// After December's row: this year's output and profit start from nothing.
    pub fn close_year(&mut self) {
        for e in &mut self.firms {
            (e.output_year, e.profit_year) = (0.0, 0.0);
        }
    }

    /// The enterprises' capital, cash (of those alive), output and profit this year, yuan.
    pub fn books(&self) -> [f64; 4] {
        let sum = |f: &dyn Fn(&Enterprise) -> f64| self.firms.iter().map(f).sum::<f64>();
        [
            sum(&|e| e.capital),
            sum(&|e| if e.alive { e.cash } else { 0.0 }),
            sum(&|e| e.output_year),
            sum(&|e| e.profit_year),
        ]
    }
}

/// The enterprise tranche, with its safeguards: due in `transfer_month`, it
/// arrives after the delivery delay.
#[allow(clippy::too_many_arguments)]
pub fn tranche(
    w: &World,
    specs: &[EnterpriseSpec],
    e: &EnterprisePolicy,
    delivery: &Delivery,
    ent: &mut Enterprises,
    (hh, work): (&mut Households, &labour::Values),
    (pool, ledger): (&mut f64, &mut Ledger),
    m: u8,
    y: usize,
) {
    if budget::arrives(delivery, e.transfer_month, m) != Some(true) {
        return;
    }
    let k = e.enterprise;
    let spec = &specs[k];
    let mut amount = std::mem::take(pool);
    let mut diversion = spec.diversion;
    // Co-investment: the enterprise first puts in its own money; an owner who
    // cannot does not get the tranche, and one who does has a stake to lose.
    if e.co_investment > 0.0 {
        let own = amount * e.co_investment;
        let firm = &mut ent.firms[k];
        if !firm.alive || firm.cash < own {
            ledger.unspent += amount;
            return;
        }
        firm.cash -= own;
        firm.fund_own += own;
        firm.capital += own;
        diversion *= 1.0 - e.co_investment;
    }
    // Verified linkage: pay only for jobs that poor workers can fill.
    if e.verified_linkage {
        let wage = spec.wage(ent.local_wage);
        let workers = available_workers(w, (spec, wage), &ent.links, (hh, work), (k, e.transition)) as f64;
        let need = workers * spec.capital_per_job;
        let paid = amount.min(need);
        ledger.unspent += amount - paid;
        amount = paid;
        diversion *= e.verified_diversion_factor;
    }
    let before = ledger.enterprise_owners;
    ent.firms[k].receive(amount, diversion, ledger);
    ent.diverted_this_year[k] += ledger.enterprise_owners - before;
    link_households(w, spec, ent, (hh, work), (k, e.transition), (delivery.teams, y));
    // An audit finds and recovers what was diverted this year.
    if e.audit_probability > 0.0 && w.streams.uniform(Purpose::Audit, k as u64, y as u32) < e.audit_probability {
        let recovered = std::mem::take(&mut ent.diverted_this_year[k]);
        ledger.enterprise_owners -= recovered;
        ledger.unspent += recovered;
    }
}

/// Registered households with a worker free for an enterprise job paying
/// `wage` a year.
fn available_workers(
    w: &World,
    (spec, wage): (&EnterpriseSpec, f64),
    links: &Links,
    (hh, work): (&Households, &labour::Values),
    (k, keeps): (usize, bool),
) -> usize {
    let eligible = |v: u16| spec.villages.is_empty() || spec.villages.contains(&(v as usize));
    (0..w.households())
        .filter(|&i| {
            hh.status[i].served(keeps)
                && !hh.status[i].contains(Status::JOB)
                && labour::job_source(work, &w.traits[i], hh.away[i], (wage / 12.0) as f32).is_some()
                && eligible(w.traits[i].village)
                && (links.link[i] == 0 || links.link[i] as usize == k + 1)
        })
        .count()
}

/// Link registered households to enterprise `k` after a fund transfer,
/// lease their land and fill the jobs it wants in year index `y`
/// ([`fill_jobs`]).
pub fn link_households(
    w: &World,
    spec: &EnterpriseSpec,
    ent: &mut Enterprises,
    (hh, work): (&mut Households, &labour::Values),
    (k, keeps): (usize, bool),
    (teams, y): (Option<crate::world::TeamCheck>, usize),
) {
    let sc = w.sc;
    let e = &mut ent.firms[k];
    if !e.alive {
        return;
    }
    let nc = sc.commodities.len();
    let eligible = |v: u16| spec.villages.is_empty() || spec.villages.contains(&(v as usize));
    for i in w.project_walk(2_000 + k as u64, teams) {
        if e.linked as usize >= spec.max_linked {
            break;
        }
        if ent.links.link[i] == 0 && hh.status[i].served(keeps) && eligible(w.traits[i].village) {
            ent.links.link[i] = k as u8 + 1;
            e.linked += 1;
            let leased = take_land(&mut hh.area[i * nc..(i + 1) * nc], sc.population.staple, spec.lease_mu as f32, sc);
            ent.links.leased[i] = leased;
            let at = w.yield_suit[w.traits[i].village as usize * nc + spec.commodity] as f64;
            e.lease(leased as f64, leased as f64 * at);
        }
    }
    fill_jobs(w, spec, ent, (hh, work), k, (teams, y));
    ent.firms[k].update_dividend(spec);
}

/// Fill enterprise `k`'s jobs up to those it wants in year index `y`: a
/// linked household takes a job with the member `work` says
/// (`labour::job_source`).
fn fill_jobs(
    w: &World,
    spec: &EnterpriseSpec,
    ent: &mut Enterprises,
    (hh, work): (&mut Households, &labour::Values),
    k: usize,
    (teams, y): (Option<crate::world::TeamCheck>, usize),
) {
    let e = &mut ent.firms[k];
    let capacity = e.job_capacity(spec, (spec.wage(ent.local_wage), y));
    if e.jobs >= capacity {
        return;
    }
    let wage = (spec.wage(ent.local_wage) / 12.0) as f32;
    for i in w.project_walk(3_000 + k as u64, teams) {
        if e.jobs >= capacity {
            break;
        }
        if ent.links.link[i] as usize != k + 1 || hh.status[i].contains(Status::JOB) {
            continue;
        }
        match labour::job_source(work, &w.traits[i], hh.away[i], wage) {
            Some(labour::Source::Local) => ent.hired[0] += 1.0,
            Some(labour::Source::Migration) => {
                hh.away[i] = labour::home_for_job(w, work, i, hh.away[i]);
                ent.hired[1] += 1.0;
            }
            None => continue,
        }
        hh.status[i] |= Status::JOB;
        e.jobs += 1;
    }
}

/// January, for every live `"firm"` enterprise: set its jobs to those worth
/// their wage this year (year index `y`) at the price it expects.
/// Above them, the last jobs filled end first; below, linked households
/// are offered more.
pub fn replan(
    w: &World,
    specs: &[EnterpriseSpec],
    ent: &mut Enterprises,
    (hh, work): (&mut Households, &labour::Values),
    (teams, y): (Option<crate::world::TeamCheck>, usize),
) {
    for (k, spec) in specs.iter().enumerate() {
        let e = &mut ent.firms[k];
        if spec.firm.is_none() || !e.alive || e.linked == 0 {
            continue;
        }
        let wanted = e.job_capacity(spec, (spec.wage(ent.local_wage), y));
        if e.jobs <= wanted {
            fill_jobs(w, spec, ent, (hh, work), k, (teams, y));
            continue;
        }
        let walk: Vec<usize> = w.project_walk(3_000 + k as u64, teams).collect();
        for &i in walk.iter().rev() {
            if e.jobs <= wanted {
                break;
            }
            if ent.links.link[i] as usize == k + 1 && hh.status[i].contains(Status::JOB) {
                hh.status[i] &= !Status::JOB;
                e.jobs -= 1;
            }
        }
    }
}

/// Purchase contracts at harvest: an enterprise honours its floor this
/// season only if it is alive and its cash covers the top-up it expects to owe.
pub fn check_contracts(sc: &Setting, specs: &[EnterpriseSpec], ent: &mut Enterprises, price: &[f64], m: u8) {
    for (k, spec) in specs.iter().enumerate() {
        let c = spec.commodity;
        if spec.contract_floor > 0.0 && m == sc.commodities[c].harvest_month && ent.contract_ok[k] {
            let owed = ent.contract_output[k] * (spec.contract_floor - price[c]).max(0.0);
            if !ent.firms[k].alive || ent.firms[k].cash < owed {
                ent.contract_ok[k] = false;
            }
        }
    }
}

/// What an enterprise pays its linked households this month.
#[derive(Debug, Clone, Copy)]
pub struct Pay {
    pub alive: bool,
    /// Rent per mu, dividend per household and wage per job, yuan this month.
    pub rent: f32,
    pub dividend: f32,
    pub wage: f32,
    /// The purchase contract linked households sell under.
    pub contract: Contract,
}

/// This month's pay of every enterprise.
pub fn pay(specs: &[EnterpriseSpec], ent: &Enterprises) -> Vec<Pay> {
    ent.firms
        .iter()
        .zip(specs)
        .zip(&ent.contract_ok)
        .enumerate()
        .map(|(k, ((e, spec), &ok))| Pay {
            alive: e.alive,
            rent: (spec.rent / 12.0) as f32,
            dividend: e.dividend_per_household as f32,
            wage: (spec.wage(ent.local_wage) / 12.0) as f32,
            contract: Contract {
                buyer: k,
                commodity: spec.commodity,
                floor: if ok && e.alive { spec.contract_floor as f32 } else { 0.0 },
            },
        })
        .collect()
}

/// What linked households were paid, added up.
#[derive(Debug, Clone, Default)]
pub struct Sums {
    /// Rent, dividends and wages paid to poor households, yuan.
    pub linked_to_poor: f64,
}

impl Sums {
    pub fn add(&mut self, o: &Sums) {
        self.linked_to_poor += o.linked_to_poor;
    }
}

/// The purchase contract a household with link `link` (0: none, k + 1:
/// enterprise k) sells under.
#[inline]
pub fn contract(pay: &[Pay], link: usize) -> Option<Contract> {
    (link > 0).then(|| pay[link - 1].contract)
}

/// A linked household's (link `link`, `leased` mu) rent, dividend and
/// (with a job) wage this month; and with `centre`, the rent of the
/// centre's enterprise for the mu it transferred through the land centre.
#[inline]
pub fn household(
    pay: &[Pay],
    (link, leased, centre): (usize, f32, Option<(&Pay, f32)>),
    st: Status,
    income: &mut f32,
    sums: &mut Sums,
) {
    if let Some((p, mu)) = centre {
        rent(p, mu, st, income, sums);
    }
    if link > 0 {
        let p = pay[link - 1];
        if p.alive {
            let job = st.contains(Status::JOB);
            let paid = leased * p.rent + p.dividend + if job { p.wage } else { 0.0 };
            *income += paid;
            if st.poor() {
                sums.linked_to_poor += paid as f64;
            }
        }
    }
}

/// The rent enterprise `p` pays a household for the `mu` it transferred
/// through the land centre, this month.
#[inline]
pub fn rent(p: &Pay, mu: f32, st: Status, income: &mut f32, sums: &mut Sums) {
    if mu > 0.0 && p.alive {
        let paid = mu * p.rent;
        *income += paid;
        if st.poor() {
            sums.linked_to_poor += paid as f64;
        }
    }
}

/// After the pass: contracted output planted this season.
pub fn record_planting(specs: &[EnterpriseSpec], ent: &mut Enterprises, planting: &[bool], sums: &MarketSums) {
    for (k, spec) in specs.iter().enumerate() {
        if planting[spec.commodity] {
            ent.contract_output[k] = sums.contract_planted[k];
        }
    }
}

/// After the pass, in a crop's planting month: what `"firm"` enterprises
/// expect to harvest from their leased land (by its orchard's age in year
/// index `y`) joins the households' on their commodity's market.
pub fn supply(
    w: &World,
    specs: &[EnterpriseSpec],
    ent: &Enterprises,
    markets: &mut [MarketState],
    planting: &[bool],
    y: usize,
) {
    for (spec, e) in specs.iter().zip(&ent.firms) {
        let c = &w.sc.commodities[spec.commodity];
        if spec.firm.is_some() && planting[spec.commodity] && c.kind == CommodityKind::Crop && e.alive {
            let share = e.bearing(c, y);
            markets[spec.commodity].planted_output += e.leased_yield * share;
        }
    }
}

/// The enterprises' own accounts this month, contract top-ups included. An
/// enterprise that fails ends its jobs and returns its leases, and the land
/// transferred to it through the land centre when it is the centre's
/// (`centre`).
#[allow(clippy::too_many_arguments)]
pub fn accounts(
    w: &World,
    specs: &[EnterpriseSpec],
    ent: &mut Enterprises,
    hh: &mut Households,
    (price, contract_paid): (&[f64], &[f64]),
    ledger: &mut Ledger,
    (m, y): (u8, usize),
    centre: Option<usize>,
) {
    let sc = w.sc;
    for (k, spec) in specs.iter().enumerate() {
        let c = &sc.commodities[spec.commodity];
        let e = &mut ent.firms[k];
        if e.leased_mu > 0.0 && e.planted_year.is_none() {
            e.planted_year = Some(y);
        }
        // The leased land is planted with its crop: with a yield curve it bears by the orchard's age.
        let share = e.bearing(c, y);
        // An orchard too young to bear is tended but not dug.
        let dig = if share > 0.0 { c.dig_cost } else { 0.0 };
        // A firm's land yields by where it lies.
        let per_mu = match spec.firm {
            Some(_) if e.leased_mu > 0.0 => e.leased_yield / e.leased_mu,
            _ => c.yield_per,
        };
        let harvest = (m == c.harvest_month && c.kind == CommodityKind::Crop).then_some((
            price[spec.commodity],
            per_mu * share,
            c.cost + dig,
        ));
        let was_alive = e.alive;
        // Every enterprise follows its price (only a firm plans on it), so a firm set for an arm alone starts
        // from the same expectation as one set for the whole scenario.
        if m == c.harvest_month {
            let adaptation = spec.firm.map_or(default_price_adaptation(), |f| f.price_adaptation);
            e.expected += adaptation * (price[spec.commodity] / c.base_price - e.expected);
        }
        e.cash -= contract_paid[k];
        e.profit_year -= contract_paid[k];
        e.month(spec, (price[spec.commodity] / c.base_price, harvest), (spec.wage(ent.local_wage), y), ledger);
        if m == 11 {
            e.reinvest(spec);
        }
        if was_alive && !ent.firms[k].alive {
            release_links(w, &mut ent.links, hh, k, centre == Some(k));
        }
    }
}

/// After enterprise `k` fails: jobs end and leased land returns to its
/// owners, and with `centre` the land transferred through the land centre.
fn release_links(w: &World, links: &mut Links, hh: &mut Households, k: usize, centre: bool) {
    let nc = w.sc.commodities.len();
    let staple = w.sc.population.staple;
    for i in 0..w.households() {
        if links.link[i] as usize == k + 1 {
            hh.status[i] &= !Status::JOB;
            hh.area[i * nc + staple] += std::mem::take(&mut links.leased[i]);
        }
        if centre {
            hh.area[i * nc + staple] += std::mem::take(&mut hh.transferred[i]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Ledger;

    /// The land an enterprise leases is planted: with a yield curve, its
    /// first harvests are those of a young orchard.
    #[test]
    fn a_young_orchard_on_leased_land_earns_by_its_age() {
        let mut sc = crate::testing::township(200);
        let apple = crate::testing::commodity(&sc, "apple");
        let specs = vec![EnterpriseSpec { commodity: apple, ..spec() }];
        let harvest = sc.commodities[apple].harvest_month;
        let cash_after_harvest = |sc: &crate::scenario::Scenario, y: usize| {
            let w = World::new(&sc.setting, crate::rng::Streams::new(1, 0));
            let mut ent = Enterprises::new(&specs, w.households());
            let mut hh = crate::sim::State::households(&w);
            let e = &mut ent.firms[0];
            (e.fund, e.linked, e.leased_mu, e.planted_year) = (100_000.0, 1, 50.0, Some(1));
            let price = vec![sc.commodities[apple].base_price; sc.commodities.len()];
            let paid = vec![0.0];
            accounts(&w, &specs, &mut ent, &mut hh, (&price, &paid), &mut Ledger::default(), (harvest, y), None);
            ent.firms[0].cash
        };
        let grown = cash_after_harvest(&sc, 1);
        sc.setting.commodities[apple].yield_by_age = vec![0.0, 0.0, 1.0];
        let (age0, age2) = (cash_after_harvest(&sc, 1), cash_after_harvest(&sc, 3));
        let k = &sc.commodities[apple];
        let full = 50.0 * k.yield_per * k.base_price;
        assert!((grown - age0 - full).abs() < 1e-6 * full, "{grown} {age0} {full}");
        assert_eq!(age2, grown, "an orchard past its curve bears fully");
    }

    /// A firm in its crop's harvest month: its expectation moves
    /// `price_adaptation` of the way to the new price index (1 → 0.5 at
    /// 0.5 gives 0.75; at 1, 0.5); its wage is the local one × `wage_premium`;
    /// and in the planting month its leased land's expected harvest, by the
    /// orchard's age, joins its market's supply.
    #[test]
    fn a_firm_follows_its_price_pays_the_local_wage_and_sells_on_its_market() {
        let sc = crate::testing::township(200);
        let apple = crate::testing::commodity(&sc, "apple");
        let w = World::new(&sc.setting, crate::rng::Streams::new(1, 0));
        let c = &sc.commodities[apple];
        let expected_after = |adaptation: f64| {
            let f = firm().firm.map(|x| Firm { price_adaptation: adaptation, ..x });
            let specs = vec![EnterpriseSpec { commodity: apple, firm: f, ..firm() }];
            let mut ent = Enterprises::new(&specs, w.households());
            let mut hh = crate::sim::State::households(&w);
            let mut price = vec![0.0; sc.commodities.len()];
            price[apple] = 0.5 * c.base_price;
            let at = (c.harvest_month, 1);
            accounts(&w, &specs, &mut ent, &mut hh, (&price, &[0.0]), &mut Ledger::default(), at, None);
            ent.firms[0].expected
        };
        assert!((expected_after(0.5) - 0.75).abs() < 1e-12 && (expected_after(1.0) - 0.5).abs() < 1e-12);
        let premium = EnterpriseSpec { firm: firm().firm.map(|x| Firm { wage_premium: 1.5, ..x }), ..firm() };
        assert_eq!((premium.wage(20_000.0), spec().wage(20_000.0)), (30_000.0, spec().wage));
        let e = Enterprise { capital: 600_000.0, ..Enterprise::new(&premium) };
        assert!(e.job_capacity(&premium, (30_000.0, 1)) < e.job_capacity(&premium, (20_000.0, 1)), "dearer, fewer");
        // Supply: 40 mu yielding 2,000 at full bearing, planted in year 1, seen in year 1 and year 4.
        let specs = vec![EnterpriseSpec { commodity: apple, ..firm() }];
        let mut ent = Enterprises::new(&specs, w.households());
        ent.firms[0].lease(40.0, 2_000.0);
        ent.firms[0].planted_year = Some(1);
        let mut planting = vec![false; sc.commodities.len()];
        planting[apple] = true;
        for y in [1, 4] {
            let mut markets: Vec<MarketState> = sc.commodities.iter().map(MarketState::new).collect();
            supply(&w, &specs, &ent, &mut markets, &planting, y);
            assert!((markets[apple].planted_output - 2_000.0 * ent.firms[0].bearing(c, y)).abs() < 1e-9);
        }
        assert!(ent.firms[0].bearing(c, 4) > 0.0);
        let mut markets: Vec<MarketState> = sc.commodities.iter().map(MarketState::new).collect();
        supply(&w, &[EnterpriseSpec { commodity: apple, ..spec() }], &ent, &mut markets, &planting, 4);
        assert_eq!(markets[apple].planted_output, 0.0, "the fixed model's land stays off the market");
    }

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
            firm: None,
        }
    }

    fn firm() -> EnterpriseSpec {
        let f = Firm {
            alpha: 0.3,
            beta: 0.7,
            depreciation: 0.1,
            productivity_growth: 0.03,
            wage_premium: 1.0,
            price_adaptation: 0.5,
            reinvest_share: 0.0,
        };
        EnterpriseSpec { capital_per_job: 60_000.0, output_per_job: 32_000.0, firm: Some(f), ..spec() }
    }

    /// Q = 32,000 × (480,000 / 60,000)^0.3 × 4^0.7 = 32,000 × 2^0.9 × 2^1.4
    /// = 157,586.5 at base price; two years of 3% growth later, × 1.0609.
    /// The jobs worth their wage of 19,500: (0.7 × 32,000 × 2^0.9 ÷ 19,500)^(1/0.3)
    /// = 2.14363^3.333 = 12.70; the last of them earns its wage.
    #[test]
    fn the_production_function_by_hand() {
        let s = firm();
        assert!((s.output(480_000.0, 4.0, 1) - 157_586.48).abs() < 0.01, "{}", s.output(480_000.0, 4.0, 1));
        assert!((s.output(480_000.0, 4.0, 3) - 167_183.50).abs() < 0.01);
        let jobs = s.profitable_jobs(480_000.0, 1.0, 19_500.0, 1);
        assert!((jobs - 12.6999).abs() < 1e-3, "{jobs}");
        let marginal = s.output(480_000.0, jobs + 0.5e-3, 1) - s.output(480_000.0, jobs - 0.5e-3, 1);
        assert!((marginal / 1e-3 - 19_500.0).abs() < 0.1, "{marginal}");
        // Diminishing returns: the fifth job adds less than the fourth; a price halved wants fewer jobs.
        let add = |l: f64| s.output(480_000.0, l + 1.0, 1) - s.output(480_000.0, l, 1);
        assert!(add(4.0) < add(3.0));
        assert!(s.profitable_jobs(480_000.0, 0.5, 19_500.0, 1) < 0.2 * jobs);
        // The fixed model is linear in jobs and wants a job per capital_per_job.
        assert_eq!(spec().output(0.0, 3.0, 5), 72_000.0);
        assert_eq!(spec().profitable_jobs(150_000.0, 0.1, 1e9, 1), 3.0);
    }

    /// 10% a year: 1,000,000 loses 1e6 × (1 − 0.9^(1/12)) = 8,741.61 in
    /// the first month and 100,000 over twelve, which profit counts.
    #[test]
    fn capital_depreciates_monthly_to_ten_percent_a_year() {
        let s = EnterpriseSpec { fixed_cost: 0.0, dividend_rate: 0.0, ..firm() };
        let mut e = Enterprise::new(&s);
        let mut l = Ledger { budget: 1e6, ..Default::default() };
        e.receive(1e6, 0.0, &mut l);
        assert!(e.month(&s, (1.0, None), (s.wage, 1), &mut l));
        assert!((1e6 - e.capital - 8_741.61).abs() < 0.01, "{}", e.capital);
        for _ in 1..12 {
            e.month(&s, (1.0, None), (s.wage, 1), &mut l);
        }
        assert!((e.capital - 900_000.0).abs() < 1e-6, "{}", e.capital);
        // No jobs, no output: the year's profit is the wear.
        assert!((e.profit_year + 100_000.0).abs() < 1e-6 && e.output_year == 0.0);
        // The books do not count wear: equity is the claim of the linked households.
        assert_eq!(l.enterprise_equity, 1e6);
    }

    /// In December a firm moves `reinvest_share` of the year's profit from
    /// cash into capital: 0.5 of a profit of 100,000 is 50,000; nothing of a
    /// loss, and never more than its cash.
    #[test]
    fn a_firm_reinvests_a_share_of_its_profit() {
        let f = firm();
        let s = EnterpriseSpec { firm: f.firm.map(|x| Firm { reinvest_share: 0.5, ..x }), ..f };
        let mut e = Enterprise::new(&s);
        (e.cash, e.capital, e.profit_year) = (300_000.0, 1e6, 100_000.0);
        e.reinvest(&s);
        assert_eq!((e.cash, e.capital), (250_000.0, 1_050_000.0));
        let wanted = e.job_capacity(&s, (s.wage, 1));
        e.capital -= 50_000.0;
        assert!(wanted > e.job_capacity(&s, (s.wage, 1)), "more capital, more jobs");
        (e.cash, e.profit_year) = (10_000.0, 100_000.0);
        e.reinvest(&s);
        assert_eq!(e.cash, 0.0, "no more than its cash");
        (e.cash, e.profit_year) = (10_000.0, -5_000.0);
        e.reinvest(&s);
        assert_eq!(e.cash, 10_000.0, "nothing of a loss");
        let fixed = spec();
        let mut g = Enterprise::new(&fixed);
        g.profit_year = 1e6;
        g.reinvest(&fixed);
        assert_eq!(g.cash, fixed.own_capital, "the fixed model does not reinvest");
    }

    /// With nobody buying its commodity (price 0) a firm earns nothing,
    /// pays its wages, rent and dividends from its cash until it runs out,
    /// then fails: its households are paid nothing more.
    #[test]
    fn a_firm_facing_no_demand_fails_and_stops_paying() {
        let s = EnterpriseSpec { own_capital: 50_000.0, ..firm() };
        let mut ent = Enterprises::new(std::slice::from_ref(&s), 1);
        ent.local_wage = 19_500.0;
        let mut l = Ledger { budget: 600_000.0, ..Default::default() };
        let e = &mut ent.firms[0];
        e.receive(600_000.0, 0.0, &mut l);
        (e.linked, e.jobs) = (10, e.job_capacity(&s, (19_500.0, 1)));
        e.lease(10.0, 10.0 * 2_000.0);
        e.update_dividend(&s);
        assert!(e.jobs > 5, "{}", e.jobs);
        let paid = |ent: &Enterprises| {
            let (mut income, mut sums) = (0.0, Sums::default());
            household(
                &pay(std::slice::from_ref(&s), ent),
                (1, 1.0, None),
                Status::POOR | Status::JOB,
                &mut income,
                &mut sums,
            );
            income
        };
        assert!(paid(&ent) > 1_000.0, "a job, a mu's rent and a dividend");
        let mut months = 0;
        while ent.firms[0].month(&s, (0.0, None), (19_500.0, 1), &mut l) {
            months += 1;
            assert!(months < 24, "it fails within two years");
        }
        assert!(ent.firms[0].output_year == 0.0 && ent.firms[0].jobs == 0 && ent.firms[0].leased_mu == 0.0);
        assert_eq!(paid(&ent), 0.0);
        assert_eq!(l.enterprise_failed, 600_000.0);
        assert!(l.imbalance().abs() < 1e-6);
    }

    #[test]
    fn diversion_and_equity_balance_the_books() {
        let s = spec();
        let mut e = Enterprise::new(&s);
        let mut l = Ledger { budget: 400_000.0, ..Default::default() };
        e.receive(400_000.0, s.diversion, &mut l);
        assert_eq!(l.enterprise_owners, 100_000.0);
        assert_eq!(e.fund, 300_000.0);
        assert_eq!(e.job_capacity(&s, (s.wage, 1)), 6);
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
        assert!(e.month(&s, (1.0, None), (s.wage, 1), &mut l));
        // At a tenth of the price it bleeds cash until it fails.
        let mut months = 0;
        while e.month(&s, (0.1, None), (s.wage, 1), &mut l) {
            months += 1;
            assert!(months < 100);
        }
        assert!(!e.alive);
        assert_eq!(l.enterprise_equity, 0.0);
        assert_eq!(l.enterprise_failed, 375_000.0);
        assert!(l.imbalance().abs() < 1e-6);
    }

    /// When the land centre's enterprise fails, every household's land with
    /// the centre is back in its staple area; another enterprise's failure
    /// leaves it where it is.
    #[test]
    fn land_from_the_centre_returns_when_its_enterprise_fails() {
        let sc = crate::testing::township(500);
        let (r, mut s) = crate::testing::after_pre_policy_year(&sc);
        let w = &r.world;
        let (nc, staple) = (sc.commodities.len(), sc.population.staple);
        for i in (0..w.households()).step_by(2) {
            s.hh.area[i * nc + staple] -= 0.25;
            s.hh.transferred[i] = 0.25;
        }
        let before: Vec<f32> = (0..w.households()).map(|i| s.hh.area[i * nc + staple] + s.hh.transferred[i]).collect();
        release_links(w, &mut s.ent.links, &mut s.hh, 0, false);
        assert!((0..w.households()).step_by(2).all(|i| s.hh.transferred[i] == 0.25), "not the centre's");
        release_links(w, &mut s.ent.links, &mut s.hh, 0, true);
        for (i, &b) in before.iter().enumerate() {
            assert_eq!(s.hh.transferred[i], 0.0);
            assert!((s.hh.area[i * nc + staple] - b).abs() < 1e-5, "{i}");
        }
    }
}
