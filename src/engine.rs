//! The monthly engine: one replicate, all arms.
//!
//! A replicate builds a [`World`] (population, cooperative founders, hazards,
//! price shocks: shared by every arm), runs a pre-policy year once,
//! identifies the poor, then clones that state for each arm and runs the
//! policy years. Arms therefore start from identical households and see
//! identical shocks (common random numbers): every draw is keyed by
//! household, village or commodity and by month or year, never by arm.
//!
//! A month is: budget and instruments, markets (planting, price clearing),
//! cooperative payouts, one pass over households (income, costs,
//! consumption, dependency), enterprise accounts, metrics. Poverty is
//! identified each December on trailing 12-month per-capita net income.

use crate::ledger::Ledger;
use crate::metrics;
use crate::model::cooperative::{self, keyed_walk, Membership};
use crate::model::enterprise::Enterprise;
use crate::model::market::{MarketState, PricePaths};
use crate::model::population::{self, Cause, Traits, CHRONIC};
use crate::rng::{Purpose, Streams};
use crate::scenario::{Arm, CommodityKind, Scenario};

/// Columns of the monthly time series, after `arm, replicate, year, month`.
pub const MONTHLY: [&str; 11] = [
    "headcount",
    "headcount_rate",
    "poverty_gap",
    "poverty_severity",
    "mean_income_pc",
    "gini",
    "dependency_mean",
    "fiscal_spent",
    "dibao_spent",
    "registered_households",
    "enterprise_jobs",
];

/// Metrics reported at each yearly identification (index 0 = initial),
/// before the per-commodity ones of [`yearly_names`].
pub const YEARLY_BASE: [&str; 32] = [
    "headcount_rate",
    "poor_people",
    "poor_households",
    "poverty_gap",
    "poverty_severity",
    "mean_income_pc",
    "median_income_pc",
    "gini",
    "exits",
    "reentries",
    "new_entrants",
    "registered_households",
    "dependency_mean",
    "dependency_mean_registered",
    "fiscal_spent",
    "dibao_spent",
    "enterprise_jobs",
    "enterprises_alive",
    "contracts_broken",
    "coop_members",
    "hazard_villages_hit",
    "poor_share_illness_disability_labour",
    "poor_households_key_villages",
    "to_poor_households",
    "to_nonpoor_households",
    "enterprise_equity",
    "enterprise_failed",
    "coop_capital",
    "coop_founders",
    "diverted",
    "admin",
    "unspent",
];

/// Per-commodity yearly metrics, named `<metric>.<commodity>`.
pub const YEARLY_COMMODITY: [&str; 5] =
    ["price", "planted_area", "harvested_area", "specialised_households", "specialised_poor_rate"];

/// A household is specialised in a crop when, at some planting during the
/// run, at least this share of its land was under it. The specialised
/// households of a commodity are a cohort fixed at the end of the run, whose
/// poverty is then reported for every year, the initial one included.
pub const SPECIALISED_SHARE: f32 = 0.5;

/// Most commodities a scenario may have (specialisation is a bit mask).
pub const MAX_COMMODITIES: usize = 32;

/// Names of the yearly metrics of a scenario.
pub fn yearly_names(sc: &Scenario) -> Vec<String> {
    let mut v: Vec<String> = YEARLY_BASE.iter().map(|s| s.to_string()).collect();
    for c in &sc.commodities {
        for m in YEARLY_COMMODITY {
            v.push(format!("{m}.{}", c.name));
        }
    }
    v
}

/// Position of a yearly metric.
pub fn yearly_index(sc: &Scenario, name: &str) -> Option<usize> {
    yearly_names(sc).iter().position(|n| n == name)
}

/// Whole-run metrics per arm.
pub const TOTALS: [&str; 4] = ["sustained_exits", "cost_per_sustained_exit", "budget_total", "books_imbalance"];

/// Columns of `prices.csv` after `arm, replicate, year, month, commodity`.
pub const MARKET: [&str; 3] = ["price", "planted_area", "harvested_area"];

// Status bits.
const REGISTERED: u8 = 1;
const POOR: u8 = 2;
const EVER_POOR: u8 = 4;
const EXITED: u8 = 8;
const JOB: u8 = 16;
const COOP: u8 = 32;

/// Everything shared by the arms of one replicate.
pub struct World<'a> {
    pub sc: &'a Scenario,
    pub streams: Streams,
    pub traits: Vec<Traits>,
    pub sizes: Vec<u8>,
    bounds: Vec<usize>,
    /// `yield × suitability` per village × commodity.
    yield_suit: Vec<f32>,
    /// Monthly livestock survival per village × commodity.
    survival: Vec<f32>,
    /// Harvest kept after natural hazards, per year index × village × commodity.
    hazard: Vec<f32>,
    /// Villages hit by at least one hazard, per year index.
    hazard_hits: Vec<u32>,
    coops: Vec<Membership>,
    prices: PricePaths,
    /// Township output per commodity at base areas.
    reference_output: Vec<f64>,
    base_area: Vec<f32>,
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
        }
    }

    pub fn households(&self) -> usize {
        self.traits.len()
    }
}

/// Remove `mu` of crop land from a household's fields, taking commodity
/// `first` first and then the others in order. Returns the land taken.
fn take_land(row: &mut [f32], first: usize, mu: f32, sc: &Scenario) -> f32 {
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
}

/// Per-arm dynamic state (struct of arrays, indexed by household).
#[derive(Clone)]
pub struct State {
    savings: Vec<f32>,
    dependency: Vec<f32>,
    ring: Vec<[f32; 12]>,
    sick: Vec<u8>,
    status: Vec<u8>,
    /// Bit k set: poor at identification k (0 = initial).
    history: Vec<u64>,
    area: Vec<f32>,
    stock: Vec<f32>,
    dibao: Vec<f32>,
    leased: Vec<f32>,
    /// 0 = not linked, k + 1 = linked to enterprise k.
    link: Vec<u8>,
    extra: Vec<f32>,
    /// Bit c set: the household has been specialised in commodity c.
    specialised: Vec<u32>,
    enterprises: Vec<Enterprise>,
    /// Per enterprise: contract honoured this season, and output of linked households planted.
    contract_ok: Vec<bool>,
    contract_output: Vec<f64>,
    coops: Vec<CoopState>,
    markets: Vec<MarketState>,
    pub ledger: Ledger,
    registered: u32,
    cash_pool: f64,
    cash_per_payment: f64,
    enterprise_pool: f64,
    coop_pool: f64,
    fiscal_month: f64,
    dibao_month: f64,
    fiscal_year: f64,
    dibao_year: f64,
    ypc: Vec<f32>,
    order: Vec<u32>,
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
            ring: vec![[0.0; 12]; n],
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
            enterprises: sc.enterprises.iter().map(Enterprise::new).collect(),
            contract_ok: sc.enterprises.iter().map(|e| e.contract_floor > 0.0).collect(),
            contract_output: vec![0.0; sc.enterprises.len()],
            coops: w.coops.iter().map(|m| CoopState { membership: m.clone(), capital: 0.0 }).collect(),
            markets: sc.commodities.iter().map(MarketState::new).collect(),
            ledger: Ledger::default(),
            registered: 0,
            cash_pool: 0.0,
            cash_per_payment: 0.0,
            enterprise_pool: 0.0,
            coop_pool: 0.0,
            fiscal_month: 0.0,
            dibao_month: 0.0,
            fiscal_year: 0.0,
            dibao_year: 0.0,
            ypc: vec![0.0; n],
            order: (0..n as u32).collect(),
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
    pub totals: [f64; TOTALS.len()],
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
    pub monthly: Vec<[f64; MONTHLY.len()]>,
    pub market: Vec<[f64; MARKET.len()]>,
}

/// Run one replicate of every arm.
pub fn run_replicate(sc: &Scenario, replicate: u32) -> ReplicateOutcome {
    let world = World::new(sc, replicate);
    let (base, initial) = pre_policy_year(&world);
    let arms = sc
        .arms
        .iter()
        .map(|arm| {
            let mut s = base.clone();
            let mut sink = MonthSink::default();
            let mut yearly = vec![initial.clone()];
            for t in 12..12 + sc.months() {
                if let Some(row) = step_month(&world, Some(arm), &mut s, t, &mut sink) {
                    yearly.push(row);
                }
            }
            specialised_cohorts(&world, &s, &mut yearly);
            let sustained = sustained_exits(&s.history, sc.years);
            let spent = s.ledger.spent();
            ArmOutcome {
                monthly: sink.monthly,
                market: sink.market,
                yearly,
                totals: [
                    sustained,
                    if sustained > 0.0 { spent / sustained } else { f64::NAN },
                    s.ledger.budget,
                    s.ledger.imbalance(),
                ],
                ledger: s.ledger,
            }
        })
        .collect();
    ReplicateOutcome { replicate, arms }
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
    for c in 0..w.sc.commodities.len() {
        let col = YEARLY_BASE.len() + c * YEARLY_COMMODITY.len();
        let bit = 1u32 << c;
        let cohort: Vec<u64> =
            s.history.iter().zip(&s.specialised).filter(|(_, &m)| m & bit != 0).map(|(&h, _)| h).collect();
        for (k, row) in yearly.iter_mut().enumerate() {
            let poor = cohort.iter().filter(|&&h| h >> k & 1 == 1).count() as f64;
            row[col + 3] = cohort.len() as f64;
            row[col + 4] = if cohort.is_empty() { f64::NAN } else { poor / cohort.len() as f64 };
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

/// Pay `yuan` of budget money to household `i`, booking it as reaching a
/// poor or a non-poor household.
fn book_payment(ledger: &mut Ledger, status: u8, yuan: f64) {
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

    // Budget for the year arrives in January and is allocated by the arm.
    let mut cash_now = 0.0;
    let mut cash_leakage = 0.0;
    if let Some(arm) = arm {
        let b = sc.budget.yearly;
        if m == 0 {
            s.ledger.budget += b;
            // Administration is charged only on instruments that run.
            let instruments = arm.instrument_share();
            let admin = if instruments > 0.0 { sc.budget.admin_share } else { 0.0 };
            s.ledger.admin += b * admin;
            s.ledger.unspent += b * (1.0 - admin - instruments).max(0.0);
            if let Some(c) = arm.cash {
                s.cash_pool = b * c.budget_share;
                s.cash_per_payment = s.cash_pool / 12u32.div_ceil(c.interval_months) as f64;
            }
            s.enterprise_pool = arm.enterprise.map_or(0.0, |e| b * e.budget_share);
            s.coop_pool = arm.cooperative.map_or(0.0, |c| b * c.budget_share);
        }
        if let Some(c) = arm.cash {
            if m as u32 % c.interval_months == 0 {
                let pay = s.cash_per_payment.min(s.cash_pool);
                s.cash_pool -= pay;
                if s.registered > 0 {
                    cash_now = pay / s.registered as f64;
                    cash_leakage = c.leakage;
                } else {
                    s.ledger.unspent += pay;
                }
            }
        }
        if let Some(e) = arm.enterprise {
            if m == e.transfer_month {
                let amount = std::mem::take(&mut s.enterprise_pool);
                s.enterprises[e.enterprise].receive(&sc.enterprises[e.enterprise], amount, &mut s.ledger);
                link_households(w, s, e.enterprise);
            }
        }
        if let Some(c) = arm.cooperative {
            if m == c.transfer_month {
                let grant = std::mem::take(&mut s.coop_pool);
                let captured = grant * sc.cooperatives[c.cooperative].founder_capture;
                s.ledger.coop_founders += captured;
                s.ledger.coop_capital += grant - captured;
                s.coops[c.cooperative].capital += grant - captured;
                enrol_poor(w, s, c.cooperative, c.enrol_per_year);
            }
        }
    }

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
    let guaranteed: Vec<f64> = (0..sc.cooperatives.len())
        .map(|k| arm.and_then(|a| a.cooperative).filter(|c| c.cooperative == k).map_or(0.0, |c| c.guaranteed_dividend))
        .collect();
    for (k, spec) in sc.cooperatives.iter().enumerate() {
        let c = &sc.commodities[spec.commodity];
        if m != c.harvest_month {
            continue;
        }
        let v = spec.village;
        let ys = w.yield_suit[v * nc + spec.commodity] as f64 * w.hazard[(y * nv + v) * nc + spec.commodity] as f64;
        let coop = &mut s.coops[k];
        let surplus = coop.membership.pooled * (ys * spec.yield_gain * price[spec.commodity] - c.cost - c.dig_cost);
        let extra = &mut s.extra;
        let mut paid = vec![0.0; coop.membership.members.len()];
        let mut n = 0;
        cooperative::distribute(spec, &coop.membership, surplus, |i, yuan| {
            extra[i as usize] += yuan as f32;
            paid[n] = yuan;
            n += 1;
        });
        // Risk sharing: members are guaranteed a dividend per pledged mu from the grant capital.
        if guaranteed[k] > 0.0 {
            for (j, (&i, &land)) in coop.membership.members.iter().zip(&coop.membership.pledged).enumerate() {
                let top = (guaranteed[k] * land as f64 - paid[j]).max(0.0).min(coop.capital);
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
    let b = &sc.behaviour;
    let h = &sc.health;
    // Wages and remittances grow yearly from the pre-policy year's level.
    let growth = (1.0 + sc.labour.wage_growth).powi(y as i32);
    let wage_rate = (sc.labour.local_wage * sc.labour.employment_rate * growth) as f32;
    let remittance = (sc.labour.remittance * growth) as f32;
    let reimb = (1.0 - h.insurance_reimbursement) as f32;
    struct Event {
        c: usize,
        plant: bool,
        harvest: bool,
        livestock: bool,
        price: f32,
        cost: f32,
        dig: f32,
        factor: f32,
        responsive: bool,
        max_land: f32,
        mu_per_labour: f32,
    }
    let events: Vec<Event> = sc
        .commodities
        .iter()
        .enumerate()
        .filter(|(_, c)| c.plant_month == m || c.harvest_month == m || c.kind == CommodityKind::Livestock)
        .map(|(i, c)| Event {
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
    let hazard_row = &w.hazard[y * nv * nc..(y + 1) * nv * nc];
    // Per enterprise: alive, rent/month, dividend/month, wage/month, contract commodity, floor (0 = none honoured).
    let ent_pay: Vec<(bool, f32, f32, f32, usize, f32)> = s
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
    let mut contract_paid = vec![0.0f64; sc.enterprises.len()];
    let mut contract_planted = vec![0.0f64; sc.enterprises.len()];
    let mut planted = vec![(0.0f64, 0.0f64); nc];
    let mut harvested = vec![0.0f64; nc];
    let leak_by_village: Vec<f32> =
        sc.population.villages.iter().map(|v| (cash_leakage * (1.0 - v.governance)) as f32).collect();
    let staple = sc.population.staple;
    let (mut to_poor, mut to_nonpoor, mut leaked) = (0.0f64, 0.0f64, 0.0f64);
    let mut dibao_paid = 0.0f64;
    let slot = m as usize;
    for i in 0..w.households() {
        let tr = &w.traits[i];
        let v = tr.village as usize;
        let st = s.status[i];
        let mut d = s.dependency[i];
        let effort = 1.0 - b.dependency_effort_loss as f32 * d;
        let prod_e = tr.productivity * effort;

        // Illness: acute shocks (keyed, so identical across arms) and chronic costs.
        let mut medical = 0.0f32;
        if (w.streams.uniform(Purpose::Illness, i as u64, t) as f32) < h.acute_illness_prob as f32 {
            let u = w.streams.uniform(Purpose::IllnessCost, i as u64, t);
            medical += (h.acute_cost_mean * -(1.0 - u).ln()) as f32;
            s.sick[i] = h.acute_labour_loss_months as u8;
        }
        if tr.flags & CHRONIC != 0 {
            medical += h.chronic_cost as f32;
        }
        let lost = if s.sick[i] > 0 {
            s.sick[i] -= 1;
            1.0
        } else {
            0.0
        };
        let job = st & JOB != 0;
        let home_labour = (tr.labour - lost - job as u8 as f32).max(0.0);
        let mut income = home_labour * wage_rate * prod_e + tr.migrants as f32 * remittance;
        let mut costs = medical * reimb;
        let savings = s.savings[i];
        let link = s.link[i] as usize;

        // Crops and livestock.
        let row = i * nc;
        for e in &events {
            let c = e.c;
            let ys = w.yield_suit[v * nc + c];
            if e.plant {
                // Spring: scale the customary area by the market's factor, within
                // land, labour and cash limits; the change comes from or goes to staple land.
                if e.responsive {
                    let base = w.base_area[row + c];
                    if base > 0.0 {
                        let mut want = base * e.factor;
                        want = want.min(base.max(e.mu_per_labour * tr.labour));
                        if !e.livestock {
                            want = want.min(base.max(e.max_land * tr.land));
                        }
                        if e.cost > 0.0 {
                            want = want.min(base + savings.max(0.0) / e.cost);
                        }
                        let current = s.area[row + c];
                        if e.livestock {
                            s.area[row + c] = want;
                        } else if want > current {
                            let got = (want - current).min(s.area[row + staple]);
                            s.area[row + staple] -= got;
                            s.area[row + c] += got;
                        } else {
                            s.area[row + staple] += current - want;
                            s.area[row + c] = want;
                        }
                    }
                }
                let a = s.area[row + c];
                if !e.livestock && tr.land > 0.0 && a >= SPECIALISED_SHARE * tr.land {
                    s.specialised[i] |= 1 << c;
                }
                planted[c].0 += a as f64;
                planted[c].1 += (a * ys) as f64;
                if link > 0 && ent_pay[link - 1].4 == c {
                    contract_planted[link - 1] += (a * ys) as f64;
                }
                costs += a * e.cost;
                if e.livestock {
                    s.stock[row + c] = a;
                }
            }
            if e.livestock {
                s.stock[row + c] *= w.survival[v * nc + c];
            }
            if e.harvest {
                let a = if e.livestock { std::mem::take(&mut s.stock[row + c]) } else { s.area[row + c] };
                if a > 0.0 {
                    let floor = if link > 0 && ent_pay[link - 1].4 == c { ent_pay[link - 1].5 } else { 0.0 };
                    let p = e.price.max(floor);
                    let q = ys * hazard_row[v * nc + c] * if e.livestock { effort } else { prod_e };
                    // Left in the ground (or unsold) when it does not pay the digging.
                    if p * q >= e.dig {
                        income += a * (q * p - e.dig);
                        harvested[c] += a as f64;
                        if floor > e.price {
                            contract_paid[link - 1] += (a * q * (floor - e.price)) as f64;
                        }
                    }
                }
            }
        }

        // Enterprise linkage: rent, dividend, wage.
        if link > 0 {
            let (alive, rent, dividend, wage, _, _) = ent_pay[link - 1];
            if alive {
                income += s.leased[i] * rent + dividend + if job { wage } else { 0.0 };
            }
        }
        income += std::mem::take(&mut s.extra[i]);
        income += s.dibao[i];
        dibao_paid += s.dibao[i] as f64;

        // Cash handout to registered households; part is skimmed in delivery.
        if cash_now > 0.0 && st & REGISTERED != 0 {
            let leak = cash_now as f32 * leak_by_village[v];
            income += cash_now as f32 - leak;
            leaked += leak as f64;
            if st & POOR != 0 {
                to_poor += cash_now - leak as f64;
            } else {
                to_nonpoor += cash_now - leak as f64;
            }
            d += b.dependency_handout_step as f32 * (1.0 - d);
        }
        if job || st & COOP != 0 {
            d -= b.dependency_earned_decay as f32 * d;
        }
        s.dependency[i] = d;

        if savings < 0.0 {
            costs += -savings * (b.debt_interest / 12.0) as f32;
        }
        let net = income - costs;
        let r = &mut s.ring[i];
        r[slot] = net;
        let trailing: f32 = r.iter().sum();
        s.ypc[i] = trailing / tr.size.max(1) as f32;

        // Consumption: subsistence need first, then a share of any surplus;
        // savings buffer shortfalls and run into debt at 60% of need.
        let need = b.subsistence as f32 * tr.adult_eq;
        let consumption = if net >= need {
            need + b.mpc as f32 * (net - need)
        } else if savings + net >= need {
            need
        } else {
            (savings.max(0.0) + net).max(0.6 * need)
        };
        s.savings[i] = savings + net - consumption;
    }
    s.ledger.to_poor_households += to_poor;
    s.ledger.to_nonpoor_households += to_nonpoor;
    s.ledger.diverted += leaked;
    s.dibao_month = dibao_paid;
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
        // Money allocated this year but not paid out.
        s.ledger.unspent += std::mem::take(&mut s.cash_pool)
            + std::mem::take(&mut s.enterprise_pool)
            + std::mem::take(&mut s.coop_pool);
    }
    s.fiscal_month = s.ledger.spent() - spent_before;
    s.fiscal_year += s.fiscal_month;
    s.dibao_year += s.dibao_month;

    let line = sc.poverty_line_in(y as i32 - 1);
    let f = metrics::fgt(&s.ypc, &w.sizes, line);
    metrics::sort_order(&mut s.order, &s.ypc);
    let gini = metrics::gini(&s.order, &s.ypc, &w.sizes);
    let n = w.households() as f64;
    let dep_mean = s.dependency.iter().map(|&d| d as f64).sum::<f64>() / n;
    let jobs: f64 = s.enterprises.iter().map(|e| e.jobs as f64).sum();
    if arm.is_some() {
        sink.monthly.push([
            f.poor_people,
            f.headcount_rate,
            f.gap,
            f.severity,
            f.mean,
            gini,
            dep_mean,
            s.fiscal_month,
            s.dibao_month,
            s.registered as f64,
            jobs,
        ]);
        for mk in &s.markets {
            sink.market.push([mk.price, mk.planted + mk.outside_area, mk.harvested + mk.outside_harvested]);
        }
    }
    if m != 11 {
        return None;
    }
    let [exits, reentries, entrants] = identify(w, s, y as u32, line);
    let poor_cause = w
        .traits
        .iter()
        .zip(&s.status)
        .filter(|(_, &st)| st & POOR != 0)
        .filter(|(t, _)| matches!(t.cause(), Cause::Illness | Cause::Disability | Cause::LackOfLabour))
        .count() as f64;
    let dep_reg = {
        let (sum, cnt) = s
            .dependency
            .iter()
            .zip(&s.status)
            .filter(|(_, &st)| st & REGISTERED != 0)
            .fold((0.0, 0.0), |(a, c), (&d, _)| (a + d as f64, c + 1.0));
        if cnt > 0.0 {
            sum / cnt
        } else {
            f64::NAN
        }
    };
    let l = &s.ledger;
    let mut row = vec![
        f.headcount_rate,
        f.poor_people,
        f.poor_households,
        f.gap,
        f.severity,
        f.mean,
        metrics::median(&s.order, &s.ypc, &w.sizes),
        gini,
        exits,
        reentries,
        entrants,
        s.registered as f64,
        dep_mean,
        dep_reg,
        s.fiscal_year,
        s.dibao_year,
        jobs,
        s.enterprises.iter().filter(|e| e.alive).count() as f64,
        sc.enterprises.iter().zip(&s.contract_ok).filter(|(e, &ok)| e.contract_floor > 0.0 && !ok).count() as f64,
        s.coops.iter().map(|c| c.membership.members.len() as f64).sum(),
        w.hazard_hits[y] as f64,
        if f.poor_households > 0.0 { poor_cause / f.poor_households } else { f64::NAN },
        w.traits
            .iter()
            .zip(&s.status)
            .filter(|(t, &st)| st & POOR != 0 && sc.population.villages[t.village as usize].key)
            .count() as f64,
        l.to_poor_households,
        l.to_nonpoor_households,
        l.enterprise_equity,
        l.enterprise_failed,
        l.coop_capital,
        l.coop_founders,
        l.diverted,
        l.admin,
        l.unspent,
    ];
    debug_assert_eq!(row.len(), YEARLY_BASE.len());
    for mk in &s.markets {
        // The cohort columns are filled at the end of the run.
        row.extend([mk.price, mk.planted, mk.harvested, f64::NAN, f64::NAN]);
    }
    s.fiscal_year = 0.0;
    s.dibao_year = 0.0;
    Some(row)
}

/// Yearly identification (December of year index `y`; 0 = pre-policy).
/// Targeting is exact here: the registered are the truly poor. Returns
/// exits, re-entries (返贫) and new entrants, in households.
fn identify(w: &World, s: &mut State, y: u32, line: f64) -> [f64; 3] {
    let sc = w.sc;
    let (mut exits, mut reentries, mut entrants) = (0.0, 0.0, 0.0);
    let mut registered = 0;
    let dibao_line = sc.dibao.line * (line / sc.poverty_line);
    for i in 0..w.households() {
        let tr = &w.traits[i];
        let st = s.status[i];
        let poor = (s.ypc[i] as f64) < line;
        let was = st & POOR != 0;
        let mut next = st & !(POOR | REGISTERED);
        if y > 0 {
            if was && !poor {
                exits += 1.0;
                next |= EXITED;
            } else if !was && poor {
                if st & EXITED != 0 {
                    reentries += 1.0;
                } else if st & EVER_POOR == 0 {
                    entrants += 1.0;
                }
            }
        }
        if poor {
            next |= POOR | EVER_POOR | REGISTERED;
            s.history[i] |= 1 << y;
            registered += 1;
        }
        s.status[i] = next;
        // Dibao (低保): registered households without working capacity get a
        // monthly top-up to the dibao line, assessed on income net of last year's dibao.
        s.dibao[i] = if sc.dibao.enabled && poor && tr.labour < 1.0 {
            let own = s.ypc[i] as f64 * tr.size as f64 - 12.0 * s.dibao[i] as f64;
            ((dibao_line * tr.size as f64 - own).max(0.0) / 12.0) as f32
        } else {
            0.0
        };
    }
    s.registered = registered;
    [exits, reentries, entrants]
}

/// Link registered households to enterprise `k` after a fund transfer,
/// lease their land and fill the jobs the fund pays for.
fn link_households(w: &World, s: &mut State, k: usize) {
    let sc = w.sc;
    let spec = &sc.enterprises[k];
    let e = &mut s.enterprises[k];
    if !e.alive {
        return;
    }
    let nc = sc.commodities.len();
    let n = w.households();
    let eligible = |v: u16| spec.villages.is_empty() || spec.villages.contains(&(v as usize));
    for i in keyed_walk(n, w.streams, 2_000 + k as u64) {
        if e.linked as usize >= spec.max_linked {
            break;
        }
        if s.link[i] == 0 && s.status[i] & REGISTERED != 0 && eligible(w.traits[i].village) {
            s.link[i] = k as u8 + 1;
            e.linked += 1;
            let leased = take_land(&mut s.area[i * nc..(i + 1) * nc], sc.population.staple, spec.lease_mu as f32, sc);
            s.leased[i] = leased;
            e.leased_mu += leased as f64;
        }
    }
    let capacity = e.job_capacity(spec);
    if e.jobs < capacity {
        for i in keyed_walk(n, w.streams, 3_000 + k as u64) {
            if e.jobs >= capacity {
                break;
            }
            if s.link[i] as usize == k + 1 && s.status[i] & JOB == 0 && w.traits[i].labour >= 1.0 {
                s.status[i] |= JOB;
                e.jobs += 1;
            }
        }
    }
    e.update_dividend(spec);
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

/// Enrol up to `count` registered poor households of cooperative `k`'s
/// village as members; each pledges `land_share` of its land, the
/// cooperative's crop first.
fn enrol_poor(w: &World, s: &mut State, k: usize, count: usize) {
    let sc = w.sc;
    let spec = &sc.cooperatives[k];
    let nc = sc.commodities.len();
    let range = w.bounds[spec.village]..w.bounds[spec.village + 1];
    let mut added = 0;
    for j in keyed_walk(range.len(), w.streams, 4_000 + k as u64) {
        if added >= count {
            break;
        }
        let i = range.start + j;
        if s.status[i] & (REGISTERED | COOP) == REGISTERED && w.traits[i].land > 0.0 {
            let pledge = take_land(
                &mut s.area[i * nc..(i + 1) * nc],
                spec.commodity,
                w.traits[i].land * spec.land_share as f32,
                sc,
            );
            let m = &mut s.coops[k].membership;
            m.members.push(i as u32);
            m.pledged.push(pledge);
            m.pooled += pledge as f64;
            s.status[i] |= COOP;
            added += 1;
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
