//! The monthly engine: one replicate, all arms.
//!
//! A replicate builds a [`World`] (population, cooperatives, prices: shared by
//! every arm), runs a pre-policy year once, identifies the poor, then clones
//! that state for each arm and runs the policy years. Arms therefore start
//! from identical households and see identical shocks (common random
//! numbers): every draw is keyed by household and month, never by arm.
//!
//! The month is one pass over households (income, costs, consumption,
//! dependency) followed by the monthly metrics. Poverty is identified each
//! December on trailing 12-month per-capita net income.

use crate::ledger::Ledger;
use crate::metrics;
use crate::model::cooperative::{self, keyed_walk, Membership};
use crate::model::enterprise::Enterprise;
use crate::model::market;
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

/// Metrics reported at each yearly identification (index 0 = initial).
pub const YEARLY: [&str; 27] = [
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
    "poor_share_illness_disability_labour",
    "poor_households_key_villages",
    "to_poor_households",
    "to_nonpoor_households",
    "enterprise_equity",
    "enterprise_failed",
    "diverted",
    "admin",
    "unspent",
];

/// Whole-run metrics per arm.
pub const TOTALS: [&str; 4] = [
    "sustained_exits",
    "cost_per_sustained_exit",
    "budget_total",
    "books_imbalance",
];

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
    /// `yield × suitability` per village × commodity.
    yield_suit: Vec<f32>,
    /// Monthly livestock survival per village × commodity.
    survival: Vec<f32>,
    coops: Vec<Membership>,
    /// Prices per year index (0 = pre-policy) × commodity.
    pub prices: Vec<Vec<f64>>,
    base_area: Vec<f32>,
}

impl<'a> World<'a> {
    pub fn new(sc: &'a Scenario, replicate: u32) -> World<'a> {
        let streams = Streams::new(sc.seed, replicate);
        let traits = population::generate(sc, streams);
        let bounds = population::village_bounds(sc);
        let nc = sc.commodities.len();
        let mut yield_suit = Vec::with_capacity(sc.population.villages.len() * nc);
        let mut survival = Vec::with_capacity(yield_suit.capacity());
        for v in &sc.population.villages {
            for c in &sc.commodities {
                let s = c.suitability(v);
                yield_suit.push((c.yield_per * s) as f32);
                survival.push((1.0 - (c.monthly_mortality / s).min(1.0)) as f32);
            }
        }
        let coops: Vec<Membership> = sc
            .cooperatives
            .iter()
            .enumerate()
            .map(|(k, spec)| {
                cooperative::enrol(
                    spec,
                    k,
                    bounds[spec.village]..bounds[spec.village + 1],
                    &traits,
                    streams,
                )
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
        // Pledged land leaves the member's own fields: staple first, then the rest.
        for m in &coops {
            for (&i, &pledge) in m.members.iter().zip(&m.pledged) {
                take_land(
                    &mut base_area[i as usize * nc..(i as usize + 1) * nc],
                    p.staple,
                    pledge,
                    sc,
                );
            }
        }
        World {
            sc,
            streams,
            sizes: traits.iter().map(|t| t.size).collect(),
            traits,
            yield_suit,
            survival,
            coops,
            prices: market::yearly_prices(&sc.commodities, sc.years, streams),
            base_area,
        }
    }

    pub fn households(&self) -> usize {
        self.traits.len()
    }
}

/// Remove `mu` of crop land from a household's fields, staple first.
/// Returns the land actually taken.
fn take_land(row: &mut [f32], staple: usize, mu: f32, sc: &Scenario) -> f32 {
    let mut left = mu;
    let order = std::iter::once(staple).chain((0..row.len()).filter(|&c| c != staple));
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
    enterprises: Vec<Enterprise>,
    pub ledger: Ledger,
    registered: u32,
    cash_pool: f64,
    cash_per_payment: f64,
    enterprise_pool: f64,
    fiscal_month: f64,
    dibao_month: f64,
    fiscal_year: f64,
    dibao_year: f64,
    year_flows: [f64; 3],
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
                .map(|t| {
                    t.adult_eq
                        * sc.behaviour.subsistence as f32
                        * sc.population.savings_months as f32
                })
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
            enterprises: sc.enterprises.iter().map(Enterprise::new).collect(),
            ledger: Ledger::default(),
            registered: 0,
            cash_pool: 0.0,
            cash_per_payment: 0.0,
            enterprise_pool: 0.0,
            fiscal_month: 0.0,
            dibao_month: 0.0,
            fiscal_year: 0.0,
            dibao_year: 0.0,
            year_flows: [0.0; 3],
            ypc: vec![0.0; n],
            order: (0..n as u32).collect(),
        }
    }
}

/// Results of one arm in one replicate.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmOutcome {
    pub monthly: Vec<[f64; MONTHLY.len()]>,
    /// Index 0 is the initial (pre-policy) identification.
    pub yearly: Vec<[f64; YEARLY.len()]>,
    pub totals: [f64; TOTALS.len()],
    pub ledger: Ledger,
}

/// Results of one replicate, arms in scenario order.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicateOutcome {
    pub replicate: u32,
    pub arms: Vec<ArmOutcome>,
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
            let mut monthly = Vec::with_capacity(sc.months() as usize);
            let mut yearly = vec![initial];
            for t in 12..12 + sc.months() {
                if let Some(row) = step_month(&world, Some(arm), &mut s, t, &mut monthly) {
                    yearly.push(row);
                }
            }
            let sustained = sustained_exits(&s.history, sc.years);
            let spent = s.ledger.spent();
            ArmOutcome {
                monthly,
                yearly,
                totals: [
                    sustained,
                    if sustained > 0.0 {
                        spent / sustained
                    } else {
                        f64::NAN
                    },
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
pub fn pre_policy_year(world: &World) -> (State, [f64; YEARLY.len()]) {
    let mut state = State::new(world);
    let mut initial = [0.0; YEARLY.len()];
    for t in 0..12 {
        if let Some(row) = step_month(world, None, &mut state, t, &mut Vec::new()) {
            initial = row;
        }
    }
    (state, initial)
}

/// The `initial` row of replicate `replicate`: the generated population
/// after the pre-policy year, before any policy.
pub fn initial_row(sc: &Scenario, replicate: u32) -> [f64; YEARLY.len()] {
    pre_policy_year(&World::new(sc, replicate)).1
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

/// One month. `t` counts months from January of the pre-policy year.
/// Pushes the monthly metrics of policy months to `monthly`; returns the
/// yearly row in December.
pub fn step_month(
    w: &World,
    arm: Option<&Arm>,
    s: &mut State,
    t: u32,
    monthly: &mut Vec<[f64; MONTHLY.len()]>,
) -> Option<[f64; YEARLY.len()]> {
    let sc = w.sc;
    let m = (t % 12) as u8;
    let y = t / 12;
    let nc = sc.commodities.len();
    let prices = &w.prices[y as usize];
    let spent_before = s.ledger.spent();
    s.dibao_month = 0.0;

    // Budget for the year arrives in January and is allocated by the arm.
    let mut cash_now = 0.0;
    let mut cash_leakage = 0.0;
    if let Some(arm) = arm {
        let b = sc.budget.yearly;
        if m == 0 {
            s.ledger.budget += b;
            // Administration is charged only on instruments that run.
            let instruments = arm.cash.map_or(0.0, |c| c.budget_share)
                + arm.enterprise.map_or(0.0, |e| e.budget_share);
            let admin = if instruments > 0.0 {
                sc.budget.admin_share
            } else {
                0.0
            };
            s.ledger.admin += b * admin;
            let used = admin + instruments;
            s.ledger.unspent += b * (1.0 - used).max(0.0);
            if let Some(c) = arm.cash {
                s.cash_pool = b * c.budget_share;
                s.cash_per_payment = s.cash_pool / 12u32.div_ceil(c.interval_months) as f64;
            }
            if let Some(e) = arm.enterprise {
                s.enterprise_pool = b * e.budget_share;
            }
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
                s.enterprises[e.enterprise].receive(
                    &sc.enterprises[e.enterprise],
                    amount,
                    &mut s.ledger,
                );
                link_households(w, s, e.enterprise);
            }
        }
    }

    // Cooperatives harvest and pay out before the household pass.
    for (spec, mem) in sc.cooperatives.iter().zip(&w.coops) {
        let c = &sc.commodities[spec.commodity];
        if m == c.harvest_month {
            let ys = w.yield_suit[spec.village * nc + spec.commodity] as f64;
            let surplus = mem.pooled * (ys * spec.yield_gain * prices[spec.commodity] - c.cost);
            let extra = &mut s.extra;
            cooperative::distribute(spec, mem, surplus, |i, yuan| {
                extra[i as usize] += yuan as f32
            });
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
    let events: Vec<(usize, bool, bool, CommodityKind, f32, f32)> = sc
        .commodities
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            c.plant_month == m || c.harvest_month == m || c.kind == CommodityKind::Livestock
        })
        .map(|(i, c)| {
            (
                i,
                c.plant_month == m,
                c.harvest_month == m,
                c.kind,
                prices[i] as f32,
                c.cost as f32,
            )
        })
        .collect();
    let ent_pay: Vec<(bool, f32, f32, f32)> = s
        .enterprises
        .iter()
        .zip(&sc.enterprises)
        .map(|(e, spec)| {
            (
                e.alive,
                (spec.rent / 12.0) as f32,
                e.dividend_per_household as f32,
                (spec.wage / 12.0) as f32,
            )
        })
        .collect();
    let leak_by_village: Vec<f32> = sc
        .population
        .villages
        .iter()
        .map(|v| (cash_leakage * (1.0 - v.governance)) as f32)
        .collect();
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

        // Crops and livestock.
        let row = i * nc;
        for &(c, plant, harvest, kind, price, cost) in &events {
            let a = s.area[row + c];
            match kind {
                CommodityKind::Crop => {
                    if plant {
                        costs += a * cost;
                    }
                    if harvest {
                        income += a * w.yield_suit[v * nc + c] * prod_e * price;
                    }
                }
                CommodityKind::Livestock => {
                    if plant {
                        s.stock[row + c] = a;
                        costs += a * cost;
                    }
                    s.stock[row + c] *= w.survival[v * nc + c];
                    if harvest {
                        income += s.stock[row + c] * w.yield_suit[v * nc + c] * effort * price;
                        s.stock[row + c] = 0.0;
                    }
                }
            }
        }

        // Enterprise linkage: rent, dividend, wage.
        let l = s.link[i];
        if l > 0 {
            let (alive, rent, dividend, wage) = ent_pay[l as usize - 1];
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

        let savings = s.savings[i];
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

    // Enterprises' own accounts.
    for (k, spec) in sc.enterprises.iter().enumerate() {
        let c = &sc.commodities[spec.commodity];
        let harvest = (m == c.harvest_month && c.kind == CommodityKind::Crop).then_some((
            prices[spec.commodity],
            c.yield_per,
            c.cost,
        ));
        let was_alive = s.enterprises[k].alive;
        s.enterprises[k].month(
            spec,
            prices[spec.commodity] / c.base_price,
            harvest,
            &mut s.ledger,
        );
        if was_alive && !s.enterprises[k].alive {
            release_links(w, s, k);
        }
    }

    if m == 11 {
        // Money allocated this year but not paid out.
        s.ledger.unspent +=
            std::mem::take(&mut s.cash_pool) + std::mem::take(&mut s.enterprise_pool);
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
        monthly.push([
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
    }
    if m != 11 {
        return None;
    }
    let [exits, reentries, entrants] = identify(w, s, y, line);
    let poor_cause = w
        .traits
        .iter()
        .zip(&s.status)
        .filter(|(_, &st)| st & POOR != 0)
        .filter(|(t, _)| {
            matches!(
                t.cause(),
                Cause::Illness | Cause::Disability | Cause::LackOfLabour
            )
        })
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
    let row = [
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
        if f.poor_households > 0.0 {
            poor_cause / f.poor_households
        } else {
            f64::NAN
        },
        w.traits
            .iter()
            .zip(&s.status)
            .filter(|(t, &st)| st & POOR != 0 && sc.population.villages[t.village as usize].key)
            .count() as f64,
        l.to_poor_households,
        l.to_nonpoor_households,
        l.enterprise_equity,
        l.enterprise_failed,
        l.diverted,
        l.admin,
        l.unspent,
    ];
    s.fiscal_year = 0.0;
    s.dibao_year = 0.0;
    s.year_flows = [exits, reentries, entrants];
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
            let leased = take_land(
                &mut s.area[i * nc..(i + 1) * nc],
                sc.population.staple,
                spec.lease_mu as f32,
                sc,
            );
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
