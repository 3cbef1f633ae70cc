//! The monthly engine: one replicate, all arms.
//!
//! A replicate builds a [`World`] (population, cooperative founders, hazards,
//! price shocks: shared by every arm), runs a pre-policy year once,
//! identifies the poor, then clones that state for each arm and runs the
//! policy years. Arms therefore start from identical households and see
//! identical shocks (common random numbers): every draw is keyed by
//! household, village or commodity and by month or year, never by arm.
//!
//! A month is: budget and instruments (`policy`), markets (planting, price
//! clearing), cooperative payouts, the rationing of pooled funds, one pass
//! over households in parallel chunks (`pass`: income, costs, consumption,
//! dependency), enterprise accounts, metrics. Poverty is identified each
//! December on trailing 12-month per-capita net income.

use crate::ledger::{Ledger, SINKS};
use crate::metrics;
use crate::model::cooperative::{self, Membership};
use crate::model::enterprise::Enterprise;
use crate::model::market::{MarketState, PricePaths};
use crate::model::population::{self, Cause, Traits};
use crate::pass;
use crate::policy::{self, Pools};
use crate::rng::{Purpose, Streams};
use crate::scenario::{Arm, CommodityKind, Scenario};
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

pub use crate::outcome::{INSTRUMENTS, MARKET, MONTHLY, TOTALS, YEARLY_BASE, YEARLY_COMMODITY};
use crate::outcome::{Layout, Row};

/// A household is specialised in a crop when, at some planting during the
/// run, at least this share of its land was under it. The specialised
/// households of a commodity are a cohort fixed at the end of the run, whose
/// poverty is then reported for every year, the initial one included.
pub const SPECIALISED_SHARE: f32 = 0.5;

/// Most commodities a scenario may have (specialisation is a bit mask).
pub const MAX_COMMODITIES: usize = 32;

/// Names of the yearly metrics of a scenario (see [`crate::outcome::yearly_names`]).
pub fn yearly_names(sc: &Scenario) -> Vec<String> {
    crate::outcome::yearly_names(sc.commodities.iter().map(|c| c.name.as_str()))
}

/// Position of a yearly metric.
pub fn yearly_index(sc: &Scenario, name: &str) -> Option<usize> {
    yearly_names(sc).iter().position(|n| n == name)
}

/// Names of the whole-run metrics: [`TOTALS`], then each sink's share of the budget.
pub fn totals_names() -> Vec<String> {
    crate::outcome::totals_names(&SINKS)
}

// Status bits.
pub(crate) const REGISTERED: u8 = 1;
pub(crate) const POOR: u8 = 2;
const EVER_POOR: u8 = 4;
const EXITED: u8 = 8;
pub(crate) const JOB: u8 = 16;
pub(crate) const COOP: u8 = 32;

/// Everything shared by the arms of one replicate.
pub struct World<'a> {
    pub sc: &'a Scenario,
    pub streams: Streams,
    pub traits: Vec<Traits>,
    pub sizes: Vec<u8>,
    bounds: Vec<usize>,
    /// `yield × suitability` per village × commodity.
    pub(crate) yield_suit: Vec<f32>,
    /// Monthly livestock survival per village × commodity.
    pub(crate) survival: Vec<f32>,
    /// Harvest kept after natural hazards, per year index × village × commodity.
    pub(crate) hazard: Vec<f32>,
    /// Villages hit by at least one hazard, per year index.
    hazard_hits: Vec<u32>,
    coops: Vec<Membership>,
    prices: PricePaths,
    /// Township output per commodity at base areas.
    reference_output: Vec<f64>,
    pub(crate) base_area: Vec<f32>,
    /// Column positions of the yearly metrics.
    pub layout: Layout,
}

impl<'a> World<'a> {
    pub fn new(sc: &'a Scenario, replicate: u32) -> World<'a> {
        let streams = Streams::new(sc.seed, replicate);
        let traits = population::generate(sc, streams);
        let bounds = population::village_bounds(sc);
        let nc = sc.commodities.len();
        let nv = sc.population.villages.len();
        let mut yield_suit = Vec::with_capacity(nv * nc);
        let mut survival = Vec::with_capacity(nv * nc);
        for v in &sc.population.villages {
            for c in &sc.commodities {
                let s = c.suitability(v);
                yield_suit.push((c.yield_per * s) as f32);
                survival.push((1.0 - (c.monthly_mortality / s).min(1.0)) as f32);
            }
        }
        let years = sc.years as usize + 1;
        let mut hazard = vec![1.0f32; years * nv * nc];
        let mut hazard_hits = vec![0u32; years];
        for y in 0..years {
            for (v, village) in sc.population.villages.iter().enumerate() {
                let mut hit = false;
                for (h, hz) in sc.hazards.iter().enumerate() {
                    let u = streams.uniform(Purpose::Hazard, (h * 100_000 + v) as u64, y as u32);
                    if hz.exposed(village) && u < hz.probability {
                        hit = true;
                        for c in (0..nc).filter(|&c| hz.hits(c)) {
                            hazard[(y * nv + v) * nc + c] *= (1.0 - hz.loss) as f32;
                        }
                    }
                }
                hazard_hits[y] += hit as u32;
            }
        }
        let coops: Vec<Membership> = sc
            .cooperatives
            .iter()
            .enumerate()
            .map(|(k, spec)| {
                cooperative::enrol(spec, k, bounds[spec.village]..bounds[spec.village + 1], &traits, streams)
            })
            .collect();
        let p = &sc.population;
        let mut base_area = vec![0f32; traits.len() * nc];
        for (i, t) in traits.iter().enumerate() {
            let row = &mut base_area[i * nc..(i + 1) * nc];
            let product = sc.population.villages[t.village as usize].product;
            let mut staple_land = t.land;
            if let Some(c) = product {
                if sc.commodities[c].kind == CommodityKind::Crop && c != p.staple {
                    row[c] = t.land * p.product_land_share as f32;
                    staple_land -= row[c];
                } else if sc.commodities[c].kind == CommodityKind::Livestock {
                    row[c] += t.herd;
                }
            }
            row[p.staple] += staple_land;
            if let Some(l) = p.livestock {
                if product != Some(l) {
                    row[l] += t.herd;
                }
            }
        }
        // Pledged land leaves the member's own fields: the cooperative's crop first.
        for (m, spec) in coops.iter().zip(&sc.cooperatives) {
            for (&i, &pledge) in m.members.iter().zip(&m.pledged) {
                take_land(&mut base_area[i as usize * nc..(i as usize + 1) * nc], spec.commodity, pledge, sc);
            }
        }
        let mut reference_output = vec![0.0; nc];
        for (i, t) in traits.iter().enumerate() {
            for c in 0..nc {
                reference_output[c] += (base_area[i * nc + c] * yield_suit[t.village as usize * nc + c]) as f64;
            }
        }
        World {
            sc,
            streams,
            sizes: traits.iter().map(|t| t.size).collect(),
            traits,
            bounds,
            yield_suit,
            survival,
            hazard,
            hazard_hits,
            coops,
            prices: PricePaths::new(&sc.commodities, sc.years, streams),
            reference_output,
            base_area,
            layout: Layout::new(yearly_names(sc)),
        }
    }

    pub fn households(&self) -> usize {
        self.traits.len()
    }

    /// Households of village `v`.
    pub fn village_range(&self, v: usize) -> std::ops::Range<usize> {
        self.bounds[v]..self.bounds[v + 1]
    }
}

/// Remove `mu` of crop land from a household's fields, taking commodity
/// `first` first and then the others in order. Returns the land taken.
pub(crate) fn take_land(row: &mut [f32], first: usize, mu: f32, sc: &Scenario) -> f32 {
    let mut left = mu;
    let order = std::iter::once(first).chain((0..row.len()).filter(|&c| c != first));
    for c in order {
        if sc.commodities[c].kind != CommodityKind::Crop {
            continue;
        }
        let t = left.min(row[c]);
        row[c] -= t;
        left -= t;
        if left <= 0.0 {
            break;
        }
    }
    mu - left
}

/// A cooperative as one arm sees it.
#[derive(Debug, Clone)]
pub struct CoopState {
    pub membership: Membership,
    /// Grant capital held for members, yuan.
    pub capital: f64,
    pub alive: bool,
    /// Grants and surplus paid out in all, and the founders' part of it, yuan.
    pub distributed: f64,
    pub to_founders: f64,
}

/// Yearly counters of the in-kind and credit instruments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counters {
    /// Units handed out, kept and raised, died, eaten or sold this year.
    pub given: f64,
    pub raised: f64,
    pub died: f64,
    pub liquidated: f64,
    pub recipients: f64,
    /// Net income from handed-out animals and trees this year, yuan.
    pub inkind_income: f64,
    pub loan_defaults: f64,
    pub students: f64,
    pub borrowers: f64,
    pub credit_defaults: f64,
    pub machines: f64,
    pub machines_poor: f64,
}

/// Per-arm dynamic state (struct of arrays, indexed by household).
#[derive(Clone)]
pub struct State {
    pub(crate) savings: Vec<f32>,
    pub(crate) dependency: Vec<f32>,
    /// Net income of the last 12 months, month-major: `ring[slot * n + i]`.
    pub(crate) ring: Vec<f32>,
    /// Sum of each household's ring, yuan.
    pub(crate) trailing: Vec<f64>,
    pub(crate) sick: Vec<u8>,
    pub(crate) status: Vec<u8>,
    /// Bit k set: poor at identification k (0 = initial).
    history: Vec<u64>,
    pub(crate) area: Vec<f32>,
    pub(crate) stock: Vec<f32>,
    pub(crate) dibao: Vec<f32>,
    pub(crate) leased: Vec<f32>,
    /// 0 = not linked, k + 1 = linked to enterprise k.
    pub(crate) link: Vec<u8>,
    pub(crate) extra: Vec<f32>,
    /// Bit c set: the household has been specialised in commodity c.
    pub(crate) specialised: Vec<u32>,
    /// Cooperative loan outstanding, yuan.
    pub(crate) loan: Vec<f32>,
    /// Handed-out animals alive, their commodity and how well they fit.
    pub(crate) handout_alive: Vec<f32>,
    pub(crate) handout_item: Vec<u8>,
    pub(crate) handout_suit: Vec<f32>,
    /// Year index of the last handout received (0 = none).
    pub(crate) handout_year: Vec<u8>,
    /// Handed-out trees or seedlings (mu), their commodity, fit and planting year.
    pub(crate) orchard: Vec<f32>,
    pub(crate) orchard_item: Vec<u8>,
    pub(crate) orchard_suit: Vec<f32>,
    pub(crate) orchard_year: Vec<u8>,
    /// Monthly allowance from a tailored package, and months it has left.
    pub(crate) allowance: Vec<f32>,
    pub(crate) allowance_months: Vec<u8>,
    /// Medical cover from a tailored package, yuan left this year.
    pub(crate) health_cover: Vec<f32>,
    /// A student's months left at school, the family's monthly fee, and what a graduate remits monthly.
    pub(crate) student_months: Vec<u8>,
    pub(crate) student_fee: Vec<f32>,
    pub(crate) graduate_remit: Vec<f32>,
    pub(crate) graduates: Vec<u8>,
    /// Poverty loan outstanding, months to maturity and flags.
    pub(crate) credit: Vec<f32>,
    pub(crate) credit_months: Vec<u8>,
    pub(crate) credit_flags: Vec<u8>,
    /// Spending per instrument this year, yuan.
    spent_by: [f64; INSTRUMENTS.len()],
    pub(crate) enterprises: Vec<Enterprise>,
    /// Per enterprise: contract honoured this season, and output of linked households planted.
    contract_ok: Vec<bool>,
    contract_output: Vec<f64>,
    pub(crate) diverted_this_year: Vec<f64>,
    pub(crate) coops: Vec<CoopState>,
    markets: Vec<MarketState>,
    pub ledger: Ledger,
    pub(crate) pools: Pools,
    pub(crate) counters: Counters,
    /// Enterprise and cooperative payments to poor households since the start, yuan.
    linked_to_poor: f64,
    pub(crate) registered: u32,
    fiscal_month: f64,
    dibao_month: f64,
    fiscal_year: f64,
    dibao_year: f64,
    pub(crate) ypc: Vec<f32>,
    order: Vec<u32>,
    radix: metrics::RadixScratch,
}

impl State {
    /// Opening state of the pre-policy year.
    pub fn new(w: &World) -> State {
        let n = w.households();
        let sc = w.sc;
        let mut status = vec![0u8; n];
        for m in &w.coops {
            for &i in &m.members {
                status[i as usize] |= COOP;
            }
        }
        let dep0 = sc.population.dependency_mean as f32;
        State {
            savings: w
                .traits
                .iter()
                .map(|t| t.adult_eq * sc.behaviour.subsistence as f32 * sc.population.savings_months as f32)
                .collect(),
            dependency: vec![dep0; n],
            ring: vec![0.0; 12 * n],
            trailing: vec![0.0; n],
            sick: vec![0; n],
            status,
            history: vec![0; n],
            area: w.base_area.clone(),
            stock: vec![0.0; w.base_area.len()],
            dibao: vec![0.0; n],
            leased: vec![0.0; n],
            link: vec![0; n],
            extra: vec![0.0; n],
            specialised: vec![0; n],
            loan: vec![0.0; n],
            handout_alive: vec![0.0; n],
            handout_item: vec![0; n],
            handout_suit: vec![1.0; n],
            handout_year: vec![0; n],
            orchard: vec![0.0; n],
            orchard_item: vec![0; n],
            orchard_suit: vec![1.0; n],
            orchard_year: vec![0; n],
            allowance: vec![0.0; n],
            allowance_months: vec![0; n],
            health_cover: vec![0.0; n],
            student_months: vec![0; n],
            student_fee: vec![0.0; n],
            graduate_remit: vec![0.0; n],
            graduates: vec![0; n],
            credit: vec![0.0; n],
            credit_months: vec![0; n],
            credit_flags: vec![0; n],
            spent_by: [0.0; INSTRUMENTS.len()],
            enterprises: sc.enterprises.iter().map(Enterprise::new).collect(),
            contract_ok: sc.enterprises.iter().map(|e| e.contract_floor > 0.0).collect(),
            contract_output: vec![0.0; sc.enterprises.len()],
            diverted_this_year: vec![0.0; sc.enterprises.len()],
            coops: w
                .coops
                .iter()
                .map(|m| CoopState {
                    membership: m.clone(),
                    capital: 0.0,
                    alive: true,
                    distributed: 0.0,
                    to_founders: 0.0,
                })
                .collect(),
            markets: sc.commodities.iter().map(MarketState::new).collect(),
            ledger: Ledger::default(),
            registered: 0,
            pools: Pools::default(),
            counters: Counters::default(),
            linked_to_poor: 0.0,
            fiscal_month: 0.0,
            dibao_month: 0.0,
            fiscal_year: 0.0,
            dibao_year: 0.0,
            ypc: vec![0.0; n],
            order: Vec::new(),
            radix: metrics::RadixScratch::default(),
        }
    }
}

/// Results of one arm in one replicate.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmOutcome {
    pub monthly: Vec<[f64; MONTHLY.len()]>,
    /// Per policy month, per commodity: [`MARKET`] columns.
    pub market: Vec<[f64; MARKET.len()]>,
    /// Index 0 is the initial (pre-policy) identification; columns are [`yearly_names`].
    pub yearly: Vec<Vec<f64>>,
    /// Columns are [`totals_names`].
    pub totals: Vec<f64>,
    pub ledger: Ledger,
}

/// Results of one replicate, arms in scenario order.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicateOutcome {
    pub replicate: u32,
    pub arms: Vec<ArmOutcome>,
}

/// Where one month's outputs go.
#[derive(Default)]
pub struct MonthSink {
    /// Whether monthly rows are wanted; without them, the poverty measures
    /// (and the sort behind the Gini) run only in December.
    pub wanted: bool,
    pub monthly: Vec<[f64; MONTHLY.len()]>,
    pub market: Vec<[f64; MARKET.len()]>,
}

/// Run one replicate of every arm, with monthly rows.
pub fn run_replicate(sc: &Scenario, replicate: u32) -> ReplicateOutcome {
    run_replicate_with(sc, replicate, true)
}

/// Run one replicate of every arm; `monthly` asks for the monthly rows
/// (`timeseries.csv`, `prices.csv`). Yearly results are the same either way.
pub fn run_replicate_with(sc: &Scenario, replicate: u32, monthly: bool) -> ReplicateOutcome {
    run_replicate_until(sc, replicate, monthly, &AtomicBool::new(false)).expect("never stopped")
}

/// As [`run_replicate_with`], but gives up (returning `None`) at the first
/// month after `stop` is set, so that even one long replicate stops promptly.
pub fn run_replicate_until(
    sc: &Scenario,
    replicate: u32,
    monthly: bool,
    stop: &AtomicBool,
) -> Option<ReplicateOutcome> {
    let world = World::new(sc, replicate);
    let (base, initial) = pre_policy_year(&world);
    // The last arm takes the pre-policy state itself; the others run on clones.
    let mut base = Some(base);
    let last = sc.arms.len() - 1;
    let arms = sc
        .arms
        .iter()
        .enumerate()
        .map(|(a, arm)| {
            let mut s = if a == last { base.take().expect("taken once") } else { base.clone().expect("present") };
            let mut sink = MonthSink { wanted: monthly, ..Default::default() };
            let mut yearly = vec![initial.clone()];
            for t in 12..12 + sc.months() {
                if stop.load(Ordering::Relaxed) {
                    return None;
                }
                if let Some(row) = step_month(&world, Some(arm), &mut s, t, &mut sink) {
                    yearly.push(row);
                }
            }
            specialised_cohorts(&world, &s, &mut yearly);
            let sustained = sustained_exits(&s.history, sc.years);
            let spent = s.ledger.spent();
            Some(ArmOutcome {
                monthly: sink.monthly,
                market: sink.market,
                yearly,
                totals: [
                    sustained,
                    if sustained > 0.0 { spent / sustained } else { f64::NAN },
                    s.ledger.budget,
                    s.ledger.imbalance(),
                ]
                .into_iter()
                .chain(s.ledger.sinks().iter().map(|x| x / s.ledger.budget))
                .collect(),
                ledger: s.ledger,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(ReplicateOutcome { replicate, arms })
}

/// Simulate the pre-policy year (no arm) and identify the poor. Returns the
/// state every arm starts from and the `initial` row.
pub fn pre_policy_year(world: &World) -> (State, Vec<f64>) {
    let mut state = State::new(world);
    let mut initial = Vec::new();
    let mut sink = MonthSink::default();
    for t in 0..12 {
        if let Some(row) = step_month(world, None, &mut state, t, &mut sink) {
            initial = row;
        }
    }
    (state, initial)
}

/// The `initial` row of replicate `replicate`: the generated population
/// after the pre-policy year, before any policy.
pub fn initial_row(sc: &Scenario, replicate: u32) -> Vec<f64> {
    pre_policy_year(&World::new(sc, replicate)).1
}

/// Fill `specialised_households.<c>` and `specialised_poor_rate.<c>` of every
/// year with the poverty of the cohort that specialised in `c` during the run.
fn specialised_cohorts(w: &World, s: &State, yearly: &mut [Vec<f64>]) {
    for (c, k) in w.sc.commodities.iter().enumerate() {
        let size = w.layout.position(&format!("specialised_households.{}", k.name)).expect("registered");
        let rate = w.layout.position(&format!("specialised_poor_rate.{}", k.name)).expect("registered");
        let bit = 1u32 << c;
        let cohort: Vec<u64> =
            s.history.iter().zip(&s.specialised).filter(|(_, &m)| m & bit != 0).map(|(&h, _)| h).collect();
        for (k, row) in yearly.iter_mut().enumerate() {
            let poor = cohort.iter().filter(|&&h| h >> k & 1 == 1).count() as f64;
            row[size] = cohort.len() as f64;
            row[rate] = if cohort.is_empty() { f64::NAN } else { poor / cohort.len() as f64 };
        }
    }
}

/// Exits (poor at identification k-1, not at k) that stay out at k+1 and k+2.
pub fn sustained_exits(history: &[u64], years: u32) -> f64 {
    let mut n = 0u64;
    for &h in history {
        for k in 1..years.saturating_sub(1) {
            let poor = |j: u32| h >> j & 1 == 1;
            if poor(k - 1) && !poor(k) && !poor(k + 1) && !poor(k + 2) {
                n += 1;
            }
        }
    }
    n as f64
}

/// Pay `yuan` of budget money to a household with status `status`, booking
/// it as reaching a poor or a non-poor household.
pub(crate) fn book_payment(ledger: &mut Ledger, status: u8, yuan: f64) {
    if status & POOR != 0 {
        ledger.to_poor_households += yuan;
    } else {
        ledger.to_nonpoor_households += yuan;
    }
}

/// One month. `t` counts months from January of the pre-policy year.
/// Pushes the monthly rows of policy months to `sink`; returns the yearly
/// row in December.
pub fn step_month(w: &World, arm: Option<&Arm>, s: &mut State, t: u32, sink: &mut MonthSink) -> Option<Vec<f64>> {
    let sc = w.sc;
    let m = (t % 12) as u8;
    let y = (t / 12) as usize;
    let nc = sc.commodities.len();
    let nv = sc.population.villages.len();
    let spent_before = s.ledger.spent();

    // The arm's instruments: budget, cash, enterprise tranche, cooperative grant, in-kind handouts.
    let mut cash_now = 0.0;
    let mut cash_leakage = 0.0;
    if let Some(arm) = arm {
        if m == 0 {
            s.diverted_this_year.iter_mut().for_each(|d| *d = 0.0);
            policy::restore_carry(arm, s);
            policy::allocate(w, arm, s, y);
        }
        (cash_now, cash_leakage) = policy::cash_due(arm, s, m);
        let run = |k: usize, s: &mut State, f: &dyn Fn(&mut State)| {
            let before = s.ledger.spent();
            f(s);
            s.spent_by[k] += s.ledger.spent() - before;
        };
        run(policy::ENTERPRISE, s, &|s| policy::enterprise_tranche(w, arm, s, m, y));
        run(policy::COOPERATIVE, s, &|s| policy::cooperative_grant(w, arm, s, m));
        run(policy::INKIND, s, &|s| policy::inkind_handout(w, arm, s, m, y));
        run(policy::SCHOOL, s, &|s| policy::school_enrol(w, arm, s, m, y));
        run(policy::PACKAGE, s, &|s| policy::package_handout(w, arm, s, m, y));
        run(policy::MACHINERY, s, &|s| policy::machinery_buy(w, arm, s, m, y));
        policy::credit_lend(w, arm, s, m, y);
    }
    let health_cover = arm.and_then(|a| a.health_aid).map_or(0.0, |h| h.cover);
    let machine_gain = 1.0 + arm.and_then(|a| a.machinery).map_or(0.0, |k| k.yield_gain as f32);

    // Markets: spring planting decisions, then harvest-time clearing.
    let mut planting = vec![false; nc];
    let mut price = vec![0.0f64; nc];
    for (c, k) in sc.commodities.iter().enumerate() {
        if m == k.plant_month {
            s.markets[c].plant(k);
            planting[c] = true;
        }
    }
    // Township output planted this season is known only after the household
    // pass; clearing needs it, so markets whose harvest falls in a planting
    // month use last month's book. Harvest months after planting are the norm.
    for (c, k) in sc.commodities.iter().enumerate() {
        if m == k.harvest_month {
            let exo = w.prices.exogenous(k, c, y);
            s.markets[c].clear(k, w.reference_output[c], w.prices.scripted[y][c], w.prices.shock[y][c], exo);
        }
        price[c] = s.markets[c].price;
    }
    // Purchase contracts: an enterprise honours its floor this season only if
    // it is alive and its cash covers the top-up it expects to owe.
    for (k, spec) in sc.enterprises.iter().enumerate() {
        let c = spec.commodity;
        if spec.contract_floor > 0.0 && m == sc.commodities[c].harvest_month && s.contract_ok[k] {
            let owed = s.contract_output[k] * (spec.contract_floor - price[c]).max(0.0);
            if !s.enterprises[k].alive || s.enterprises[k].cash < owed {
                s.contract_ok[k] = false;
            }
        }
    }

    // Cooperatives harvest and pay out before the household pass.
    let coop_policy = |k: usize| arm.and_then(|a| a.cooperative).filter(|c| c.cooperative == k);
    for (k, spec) in sc.cooperatives.iter().enumerate() {
        let c = &sc.commodities[spec.commodity];
        if m != c.harvest_month {
            continue;
        }
        let v = spec.village;
        let ys = w.yield_suit[v * nc + spec.commodity] as f64 * w.hazard[(y * nv + v) * nc + spec.commodity] as f64;
        let capture = coop_policy(k).map_or(spec.founder_capture, |c| c.founder_capture);
        let guaranteed = coop_policy(k).map_or(0.0, |c| c.guaranteed_dividend);
        let coop = &mut s.coops[k];
        if !coop.alive {
            continue;
        }
        let surplus = coop.membership.pooled * (ys * spec.yield_gain * price[spec.commodity] - c.cost - c.dig_cost);
        let extra = &mut s.extra;
        let mut paid = vec![0.0; coop.membership.members.len()];
        let status = &s.status;
        let linked_to_poor = &mut s.linked_to_poor;
        let founders = cooperative::distribute(capture, &coop.membership, surplus, |j, i, yuan| {
            extra[i as usize] += yuan as f32;
            paid[j] = yuan;
            if status[i as usize] & POOR != 0 {
                *linked_to_poor += yuan;
            }
        });
        coop.to_founders += founders;
        coop.distributed += surplus.max(0.0);
        // Risk sharing: members are guaranteed a dividend per pledged mu from the grant capital.
        if guaranteed > 0.0 {
            for (j, (&i, &land)) in coop.membership.members.iter().zip(&coop.membership.pledged).enumerate() {
                let top = (guaranteed * land as f64 - paid[j]).max(0.0).min(coop.capital);
                if top > 0.0 {
                    coop.capital -= top;
                    s.ledger.coop_capital -= top;
                    book_payment(&mut s.ledger, s.status[i as usize], top);
                    extra[i as usize] += top as f32;
                }
            }
        }
    }

    // Household pass.
    let growth = (1.0 + sc.labour.wage_growth).powi(y as i32);
    let events: Vec<pass::Event> = sc
        .commodities
        .iter()
        .enumerate()
        .filter(|(_, c)| c.plant_month == m || c.harvest_month == m || c.kind == CommodityKind::Livestock)
        .map(|(i, c)| pass::Event {
            c: i,
            plant: planting[i],
            harvest: c.harvest_month == m,
            livestock: c.kind == CommodityKind::Livestock,
            price: price[i] as f32,
            cost: c.cost as f32,
            dig: c.dig_cost as f32,
            factor: s.markets[i].area_factor as f32,
            responsive: c.responsive(),
            max_land: c.max_land_share as f32,
            mu_per_labour: c.mu_per_labour as f32,
        })
        .collect();
    let ent_pay = s
        .enterprises
        .iter()
        .zip(&sc.enterprises)
        .zip(&s.contract_ok)
        .map(|((e, spec), &ok)| {
            (
                e.alive,
                (spec.rent / 12.0) as f32,
                e.dividend_per_household as f32,
                (spec.wage / 12.0) as f32,
                spec.commodity,
                if ok && e.alive { spec.contract_floor as f32 } else { 0.0 },
            )
        })
        .collect();
    let (health_fraction, credit_fraction) = pass::rationing(w, arm, s, t);
    let month = pass::Month {
        w,
        arm,
        t,
        m,
        y,
        events,
        ent_pay,
        hazard_row: &w.hazard[y * nv * nc..(y + 1) * nv * nc],
        leak_by_village: sc.population.villages.iter().map(|v| (cash_leakage * (1.0 - v.governance)) as f32).collect(),
        cash_now,
        uses: pass::Uses::of(arm),
        health_cover,
        health_fraction,
        credit_fraction,
        machine_gain,
        growth,
        price: price.clone(),
    };
    let sums = pass::run(&month, s);
    pass::settle(arm, s, &sums);
    s.spent_by[policy::CASH] += sums.to_poor + sums.to_nonpoor + sums.leaked;
    s.spent_by[policy::HEALTH] += sums.aid_to_poor + sums.aid_to_nonpoor;
    s.spent_by[policy::CREDIT] += sums.credit_to_poor + sums.credit_to_nonpoor;
    s.dibao_month = sums.dibao_paid;
    s.counters.died += sums.died;
    s.counters.inkind_income += sums.inkind_income;
    s.linked_to_poor += sums.linked_to_poor;
    let (planted, harvested, contract_planted, contract_paid) =
        (&sums.planted, &sums.harvested, &sums.contract_planted, &sums.contract_paid);
    for c in 0..nc {
        if planting[c] {
            s.markets[c].planted = planted[c].0;
            s.markets[c].planted_output = planted[c].1;
        }
        if sc.commodities[c].harvest_month == m {
            s.markets[c].harvested = harvested[c];
        }
    }
    for (k, spec) in sc.enterprises.iter().enumerate() {
        if planting[spec.commodity] {
            s.contract_output[k] = contract_planted[k];
        }
    }

    // Enterprises' own accounts, contract top-ups included.
    for (k, spec) in sc.enterprises.iter().enumerate() {
        let c = &sc.commodities[spec.commodity];
        let harvest = (m == c.harvest_month && c.kind == CommodityKind::Crop).then_some((
            price[spec.commodity],
            c.yield_per,
            c.cost + c.dig_cost,
        ));
        let was_alive = s.enterprises[k].alive;
        s.enterprises[k].cash -= contract_paid[k];
        s.enterprises[k].month(spec, price[spec.commodity] / c.base_price, harvest, &mut s.ledger);
        if was_alive && !s.enterprises[k].alive {
            release_links(w, s, k);
        }
    }

    if m == 11 {
        if let Some(arm) = arm {
            policy::year_end(arm, s, t + 1 == 12 + sc.months());
        }
    }
    s.fiscal_month = s.ledger.spent() - spent_before;
    s.fiscal_year += s.fiscal_month;
    s.dibao_year += s.dibao_month;

    if !sink.wanted && m != 11 {
        return None;
    }
    let line = sc.poverty_line_in(y as i32 - 1);
    let f = metrics::fgt(&s.ypc, &w.sizes, line);
    metrics::sort_order(&mut s.order, &s.ypc, &mut s.radix);
    let gini = metrics::gini(&s.order, &s.ypc, &w.sizes);
    let n = w.households() as f64;
    let dep_mean = s.dependency.iter().map(|&d| d as f64).sum::<f64>() / n;
    let jobs: f64 = s.enterprises.iter().map(|e| e.jobs as f64).sum();
    if arm.is_some() && sink.wanted {
        sink.monthly.push(crate::outcome::fixed_row(
            &MONTHLY,
            [
                ("headcount", f.poor_people),
                ("headcount_rate", f.headcount_rate),
                ("poverty_gap", f.gap),
                ("poverty_severity", f.severity),
                ("mean_income_pc", f.mean),
                ("gini", gini),
                ("dependency_mean", dep_mean),
                ("fiscal_spent", s.fiscal_month),
                ("dibao_spent", s.dibao_month),
                ("registered_households", s.registered as f64),
                ("enterprise_jobs", jobs),
            ],
        ));
        for mk in &s.markets {
            sink.market.push(crate::outcome::fixed_row(
                &MARKET,
                [
                    ("price", mk.price),
                    ("planted_area", mk.planted + mk.outside_area),
                    ("harvested_area", mk.harvested + mk.outside_harvested),
                ],
            ));
        }
    }
    if m != 11 {
        return None;
    }
    let [exits, reentries, entrants] = identify(w, s, y as u32, line);
    let hs = household_stats(w, s, y);
    let c = std::mem::take(&mut s.counters);
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
    let (founders, distributed) = s.coops.iter().fold((0.0, 0.0), |(a, b), k| (a + k.to_founders, b + k.distributed));
    let l = &s.ledger;
    let mut row = Row::new(&w.layout);
    let mut put = |name: &str, v: f64| row.put(name, v);
    put("headcount_rate", f.headcount_rate);
    put("poor_people", f.poor_people);
    put("poor_households", f.poor_households);
    put("poverty_gap", f.gap);
    put("poverty_severity", f.severity);
    put("mean_income_pc", f.mean);
    put("median_income_pc", metrics::median(&s.order, &s.ypc, &w.sizes));
    put("gini", gini);
    put("exits", exits);
    put("reentries", reentries);
    put("new_entrants", entrants);
    put("registered_households", s.registered as f64);
    put("dependency_mean", dep_mean);
    put("dependency_mean_registered", ratio(hs.dependency_registered, s.registered as f64));
    put("fiscal_spent", s.fiscal_year);
    put("dibao_spent", s.dibao_year);
    put("enterprise_jobs", jobs);
    put("enterprises_alive", s.enterprises.iter().filter(|e| e.alive).count() as f64);
    put(
        "contracts_broken",
        sc.enterprises.iter().zip(&s.contract_ok).filter(|(e, &ok)| e.contract_floor > 0.0 && !ok).count() as f64,
    );
    put("coop_members", s.coops.iter().filter(|k| k.alive).map(|k| k.membership.members.len() as f64).sum());
    put("hazard_villages_hit", w.hazard_hits[y] as f64);
    put("poor_share_illness_disability_labour", ratio(hs.poor_by_cause, f.poor_households));
    put("poor_households_key_villages", hs.poor_key);
    put("poor_share_illness", ratio(hs.poor_ill, f.poor_households));
    put("targeting_inclusion_error", ratio(hs.registered_nonpoor, s.registered as f64));
    put("targeting_exclusion_error", ratio(hs.poor_unregistered, f.poor_households));
    put("handout_recipients", c.recipients);
    put("livestock_mortality", ratio(c.died, c.raised));
    put("handouts_liquidated", ratio(c.liquidated, c.given));
    put("handout_reapply_rate", ratio(hs.recipients_registered, hs.recipients));
    put("inkind_income", c.inkind_income);
    put("coop_founder_share", ratio(founders, distributed));
    put("coop_members_lifted", hs.members_lifted);
    put("coop_loan_defaults", c.loan_defaults);
    put("linked_income_to_poor", s.linked_to_poor);
    put("leakage_share", l.leakage_share());
    put("share_reaching_poor", l.share_reaching_poor());
    put("lost_to_late_funds", l.lost_late);
    put("students", c.students);
    put("graduates", s.graduates.iter().map(|&g| g as f64).sum());
    put("graduate_household_poor_rate", ratio(hs.graduate_poor, hs.graduate_households));
    put("credit_borrowers", c.borrowers);
    put("credit_defaults", c.credit_defaults);
    put("machines", c.machines);
    put("machinery_to_poor_share", ratio(c.machines_poor, c.machines));
    for (name, v) in SINKS.iter().zip(l.sinks()) {
        put(name, v);
    }
    for (name, v) in INSTRUMENTS.iter().zip(std::mem::take(&mut s.spent_by)) {
        put(&format!("spent.{name}"), v);
    }
    for (k, mk) in sc.commodities.iter().zip(&s.markets) {
        // The cohort columns are filled at the end of the run.
        for (metric, v) in YEARLY_COMMODITY.iter().zip([mk.price, mk.planted, mk.harvested, f64::NAN, f64::NAN]) {
            put(&format!("{}.{}", metric.name, k.name), v);
        }
    }
    let row = row.finish();
    s.fiscal_year = 0.0;
    s.dibao_year = 0.0;
    Some(row)
}

/// Household counts behind the yearly metrics, after identification.
#[derive(Default)]
struct HouseholdStats {
    poor_by_cause: f64,
    poor_ill: f64,
    poor_key: f64,
    dependency_registered: f64,
    registered_nonpoor: f64,
    poor_unregistered: f64,
    recipients: f64,
    recipients_registered: f64,
    members_lifted: f64,
    graduate_households: f64,
    graduate_poor: f64,
}

impl HouseholdStats {
    fn add(self, o: HouseholdStats) -> HouseholdStats {
        HouseholdStats {
            poor_by_cause: self.poor_by_cause + o.poor_by_cause,
            poor_ill: self.poor_ill + o.poor_ill,
            poor_key: self.poor_key + o.poor_key,
            dependency_registered: self.dependency_registered + o.dependency_registered,
            registered_nonpoor: self.registered_nonpoor + o.registered_nonpoor,
            poor_unregistered: self.poor_unregistered + o.poor_unregistered,
            recipients: self.recipients + o.recipients,
            recipients_registered: self.recipients_registered + o.recipients_registered,
            members_lifted: self.members_lifted + o.members_lifted,
            graduate_households: self.graduate_households + o.graduate_households,
            graduate_poor: self.graduate_poor + o.graduate_poor,
        }
    }
}

fn household_stats(w: &World, s: &State, y: usize) -> HouseholdStats {
    let n = w.households();
    // Read-only and independent per household: chunks in parallel, added in chunk order.
    let parts: Vec<HouseholdStats> = (0..n.div_ceil(pass::CHUNK))
        .into_par_iter()
        .map(|k| household_stats_range(w, s, y, k * pass::CHUNK..((k + 1) * pass::CHUNK).min(n)))
        .collect();
    parts.into_iter().fold(HouseholdStats::default(), |a, b| a.add(b))
}

fn household_stats_range(w: &World, s: &State, y: usize, range: std::ops::Range<usize>) -> HouseholdStats {
    let sc = w.sc;
    let mut h = HouseholdStats::default();
    for i in range {
        let t = &w.traits[i];
        let st = s.status[i];
        let poor = st & POOR != 0;
        let registered = st & REGISTERED != 0;
        if poor {
            let cause = t.cause();
            h.poor_by_cause += matches!(cause, Cause::Illness | Cause::Disability | Cause::LackOfLabour) as u8 as f64;
            h.poor_ill += (cause == Cause::Illness) as u8 as f64;
            h.poor_key += sc.population.villages[t.village as usize].key as u8 as f64;
            h.poor_unregistered += !registered as u8 as f64;
        } else if registered {
            h.registered_nonpoor += 1.0;
        }
        if registered {
            h.dependency_registered += s.dependency[i] as f64;
        }
        // Recipients of this year's handout who are back on the register ("a project every year, poor every year").
        if y > 0 && s.handout_year[i] as usize == y {
            h.recipients += 1.0;
            h.recipients_registered += registered as u8 as f64;
        }
        if st & COOP != 0 && s.history[i] & 1 == 1 && !poor {
            h.members_lifted += 1.0;
        }
        if s.graduates[i] > 0 {
            h.graduate_households += 1.0;
            h.graduate_poor += poor as u8 as f64;
        }
    }
    h
}

/// Yearly identification (December of year index `y`; 0 = pre-policy).
/// Registration follows the seven-step procedure's error rates (see
/// `scenario::Targeting`); policies act on it. Returns
/// exits, re-entries (返贫) and new entrants, in households.
#[allow(clippy::needless_range_loop)]
fn identify(w: &World, s: &mut State, y: u32, line: f64) -> [f64; 3] {
    let sc = w.sc;
    let dibao_line = sc.dibao.line * (line / sc.poverty_line);
    let ypc = &s.ypc;
    // Households are independent here: chunks in parallel, counts added in chunk order.
    let counts: Vec<[f64; 4]> = s
        .status
        .par_chunks_mut(pass::CHUNK)
        .zip(s.history.par_chunks_mut(pass::CHUNK))
        .zip(s.dibao.par_chunks_mut(pass::CHUNK))
        .enumerate()
        .map(|(k, ((status, history), dibao))| {
            let mut c = [0.0; 4];
            for j in 0..status.len() {
                let i = k * pass::CHUNK + j;
                let tr = &w.traits[i];
                let st = status[j];
                let poor = (ypc[i] as f64) < line;
                let was = st & POOR != 0;
                let mut next = st & !(POOR | REGISTERED);
                if y > 0 {
                    if was && !poor {
                        c[0] += 1.0;
                        next |= EXITED;
                    } else if !was && poor {
                        if st & EXITED != 0 {
                            c[1] += 1.0;
                        } else if st & EVER_POOR == 0 {
                            c[2] += 1.0;
                        }
                    }
                }
                // The seven-step procedure: poor households may be left out and
                // non-poor ones let in; the public notices have already shrunk both.
                let u = w.streams.uniform(Purpose::Targeting, i as u64, y);
                let register = if poor { u >= sc.targeting.exclusion } else { u < sc.targeting.inclusion };
                if poor {
                    next |= POOR | EVER_POOR;
                    history[j] |= 1 << y;
                }
                if register {
                    next |= REGISTERED;
                    c[3] += 1.0;
                }
                status[j] = next;
                // Dibao (低保): registered households without working capacity get a
                // monthly top-up to the dibao line, assessed on income net of last year's dibao.
                dibao[j] = if sc.dibao.enabled && register && tr.labour < 1.0 {
                    let own = ypc[i] as f64 * tr.size as f64 - 12.0 * dibao[j] as f64;
                    ((dibao_line * tr.size as f64 - own).max(0.0) / 12.0) as f32
                } else {
                    0.0
                };
            }
            c
        })
        .collect();
    let total = counts.iter().fold([0.0; 4], |a, c| [a[0] + c[0], a[1] + c[1], a[2] + c[2], a[3] + c[3]]);
    s.registered = total[3] as u32;
    [total[0], total[1], total[2]]
}

/// After enterprise `k` fails: jobs end and leased land returns to its owners.
fn release_links(w: &World, s: &mut State, k: usize) {
    let sc = w.sc;
    let nc = sc.commodities.len();
    let staple = sc.population.staple;
    for i in 0..w.households() {
        if s.link[i] as usize == k + 1 {
            s.status[i] &= !JOB;
            s.area[i * nc + staple] += std::mem::take(&mut s.leased[i]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sustained_exit_needs_two_more_years_out() {
        // Poor at 0, out at 1, 2, 3: one sustained exit (k = 1).
        assert_eq!(sustained_exits(&[0b0001], 3), 1.0);
        // Out at 1 but back at 3: not sustained.
        assert_eq!(sustained_exits(&[0b1001], 3), 0.0);
        // Too late to tell: exit at 2 with only year 3 after it.
        assert_eq!(sustained_exits(&[0b0011], 3), 0.0);
    }
}
