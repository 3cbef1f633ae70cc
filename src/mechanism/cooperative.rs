//! Cooperatives (合作社, MODEL.md §4.6): members pledge land-use rights as
//! shares, the cooperative farms the pooled land in its business line, and
//! the season's surplus is paid out by land share after the founders take
//! their part.
//!
//! Membership is part of the population (the same in every arm of a
//! replicate): `members` households of the cooperative's village, drawn by
//! a keyed walk; the most productive of them are the founders. An arm's
//! cooperative policy grants it money each year (founders capture their
//! share, all of it in a sham, which then dissolves), enrols registered
//! households, guarantees members a dividend from the grant capital, and
//! may borrow as one borrower and on-lend to members (统借统还).
//!
//! Sections: `[[organisations.cooperatives]]` and `[arms.policies.cooperative]`.

use super::budget::{self, Delivery, Pools};
use super::market::MarketState;
use crate::check::{Checker, MAX_HOUSEHOLDS};
use crate::household::{Households, HouseholdsChunk, Status, Traits};
use crate::ledger::Ledger;
use crate::rng::{keyed_walk, Purpose, Streams};
use crate::setting::{commodity_index, village_index, Commodity, CommodityKind, Village};
use crate::world::{take_land, World};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CooperativeFile {
    /// Name, referred to by `arms[].policies.cooperative.cooperative`.
    ///
    /// Unit: –. Default: required. Allowed: non-empty, unique among cooperatives.
    pub name: String,
    /// Village whose households may join.
    ///
    /// Unit: village name. Default: required. Allowed: name of a village.
    pub village: String,
    /// Business line: the crop grown on the pooled land.
    ///
    /// Unit: commodity name. Default: required. Allowed: name of a commodity of kind `crop`.
    pub commodity: String,
    /// Founding member households wanted; fewer if the village has fewer households with land.
    ///
    /// Unit: households. Default: required. Allowed: [1, 100,000,000].
    pub members: i64,
    /// Share of each member's land pledged to the cooperative as shares (founding and enrolled members).
    ///
    /// Unit: prob. Default: `0.5`. Allowed: [0, 1].
    #[serde(default = "default_coop_land_share")]
    pub land_share: f64,
    /// Founders: the most productive founding members (local elites, 能人).
    ///
    /// Unit: households. Default: `3`. Allowed: [1, max(`members`, 1)].
    #[serde(default = "default_founders")]
    pub founders: i64,
    /// Share of each season's surplus, and of each policy grant, that the founders take before the rest is shared by
    /// land (surplus) or kept as capital (grant). An arm's cooperative policy may override it.
    ///
    /// Unit: prob. Default: `0.2`. Allowed: [0, 1].
    #[serde(default = "default_founder_capture")]
    pub founder_capture: f64,
    /// Yield of pooled land relative to a household plot at the same site.
    ///
    /// Unit: multiplier. Default: `1.2`. Allowed: [0, 10].
    #[serde(default = "default_coop_yield_gain")]
    pub yield_gain: f64,
    /// Whether its harvest is sold on its crop's market with the households': the pooled land's expected output
    /// (mu × the yield where it lies × `yield_gain`) joins the township's supply in the crop's planting month, so it
    /// moves the price it sells at. Without, the pooled land's output is outside the market (the first release's model).
    ///
    /// Unit: –. Default: `false`. Allowed: `true`/`false`.
    #[serde(default)]
    pub on_market: bool,
}
fn default_coop_land_share() -> f64 {
    0.5
}
fn default_founders() -> i64 {
    3
}
fn default_founder_capture() -> f64 {
    0.2
}
fn default_coop_yield_gain() -> f64 {
    1.2
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CooperativePolicyFile {
    /// Share of the yearly budget granted to the cooperative. Its founders take `founder_capture` of each grant; the
    /// rest is held as capital for the members.
    ///
    /// Unit: prob. Default: required. Allowed: [0, 1].
    pub budget_share: f64,
    /// Which cooperative receives the grant.
    ///
    /// Unit: cooperative name. Default: required. Allowed: name of an `[[organisations.cooperatives]]` entry.
    pub cooperative: String,
    /// Month the grant is due. It is on time if it arrives (after `delay_months`) no later than max(the cooperative
    /// crop's `plant_month`, this month); otherwise it is late.
    ///
    /// Unit: month 1–12. Default: `3`. Allowed: [1, 12].
    #[serde(default = "crate::check::default_transfer_month")]
    pub transfer_month: i64,
    /// Registered households of the cooperative's village (with land, not yet members) enrolled at each grant. Each
    /// pledges `land_share` of its land.
    ///
    /// Unit: households/year. Default: `100`. Allowed: [0, 100,000,000].
    #[serde(default = "default_enrol")]
    pub enrol_per_year: i64,
    /// At each harvest of the cooperative's crop, every member whose payout is below this × its pledged mu is topped up
    /// from the grant capital, while capital lasts (members in order, founders first), whether or not the season lost
    /// money.
    ///
    /// Unit: yuan per pledged mu per harvest. Default: `300`. Allowed: [0, 1e6].
    #[serde(default = "default_min_dividend")]
    pub guaranteed_dividend: f64,
    /// Governance: overrides the founders' capture of grants and surpluses in this arm.
    ///
    /// Unit: prob. Default: the cooperative's `founder_capture`. Allowed: [0, 1].
    #[serde(default)]
    pub founder_capture: Option<f64>,
    /// A sham cooperative takes the first grant whole (founders) and dissolves: its capital goes to the founders,
    /// members get their land back and lose the `COOP` flag, and later grants are unspent.
    ///
    /// Unit: –. Default: `false`. Allowed: `true`/`false`.
    #[serde(default)]
    pub sham: bool,
    /// Bank loan the cooperative takes at each grant as one borrower and on-lends in equal parts to all its members
    /// (统借统还). The money goes into the members' production and comes back with the harvest in December, unless a
    /// member's project fails (chance `loan_failure` × clamp(1.5 − 0.5 × productivity, 0.5, 1.5), a keyed draw per
    /// member and year). A member whose project failed repays from savings; the rest is a default, covered by the
    /// grant capital while it lasts.
    ///
    /// Unit: yuan/year. Default: `0`. Allowed: [0, 1e11].
    #[serde(default)]
    pub loan: f64,
    /// Interest members pay on what they borrowed, monthly as 1/12.
    ///
    /// Unit: share per year. Default: `0.06`. Allowed: [0, 1].
    #[serde(default = "default_loan_rate")]
    pub loan_rate: f64,
    /// Return members earn on what they borrowed, monthly as 1/12.
    ///
    /// Unit: share per year. Default: `0.15`. Allowed: [−1, 10].
    #[serde(default = "default_loan_return")]
    pub loan_return: f64,
    /// Yearly chance that a member of average productivity sees the project its loan financed fail (scaled by
    /// clamp(1.5 − 0.5 × productivity, 0.5, 1.5)) (source: assumed).
    ///
    /// Unit: probability per year. Default: `0.1`. Allowed: [0, 1].
    #[serde(default = "default_loan_failure")]
    pub loan_failure: f64,
    /// Whether households kept on the register in transition after their exit (`targeting.transition_years`,
    /// 脱贫不脱政策) keep receiving this instrument, as they did from 2015 to 2020.
    ///
    /// Unit: –. Default: `true`. Allowed: `true`/`false`.
    #[serde(default = "crate::check::default_true")]
    pub transition: bool,
}
fn default_loan_failure() -> f64 {
    0.1
}
fn default_loan_rate() -> f64 {
    0.06
}
fn default_loan_return() -> f64 {
    0.15
}
fn default_enrol() -> i64 {
    100
}
fn default_min_dividend() -> f64 {
    300.0
}
#[derive(Debug, Clone)]
pub struct Cooperative {
    pub name: String,
    pub village: usize,
    pub commodity: usize,
    pub members: usize,
    pub land_share: f64,
    pub founders: usize,
    pub founder_capture: f64,
    pub yield_gain: f64,
    pub on_market: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct CooperativePolicy {
    pub budget_share: f64,
    pub cooperative: usize,
    pub transfer_month: u8,
    pub enrol_per_year: usize,
    pub guaranteed_dividend: f64,
    /// The founders' capture in force in this arm.
    pub founder_capture: f64,
    pub sham: bool,
    pub loan: f64,
    pub loan_rate: f64,
    pub loan_return: f64,
    pub loan_failure: f64,
    /// Households in transition keep receiving it.
    pub transition: bool,
}

/// `[[organisations.cooperatives]]`.
pub fn check_specs(
    c: &mut Checker,
    files: &[CooperativeFile],
    (commodities, villages): (&[Commodity], &[Village]),
) -> Vec<Cooperative> {
    let mut cooperatives = Vec::new();
    for (i, cf) in files.iter().enumerate() {
        let p = format!("organisations.cooperatives[{i}]");
        c.unique_name(&format!("{p}.name"), &cf.name, "cooperative");
        let village = village_index(c, villages, &format!("{p}.village"), &cf.village);
        let commodity =
            commodity_index(c, commodities, &format!("{p}.commodity"), &cf.commodity, Some(CommodityKind::Crop));
        c.int(&format!("{p}.members"), cf.members, 1, MAX_HOUSEHOLDS);
        c.prob(&format!("{p}.land_share"), cf.land_share);
        c.int(&format!("{p}.founders"), cf.founders, 1, cf.members.max(1));
        c.prob(&format!("{p}.founder_capture"), cf.founder_capture);
        c.num(&format!("{p}.yield_gain"), cf.yield_gain, 0.0, 10.0);
        cooperatives.push(Cooperative {
            name: cf.name.clone(),
            village,
            commodity,
            members: cf.members.max(0) as usize,
            land_share: cf.land_share,
            founders: cf.founders.max(0) as usize,
            founder_capture: cf.founder_capture,
            yield_gain: cf.yield_gain,
            on_market: cf.on_market,
        });
    }
    cooperatives
}

/// `arms[i].policies.cooperative` (`q` is its path).
pub fn check_policy(
    c: &mut Checker,
    q: &str,
    cf: &CooperativePolicyFile,
    cooperatives: &[Cooperative],
) -> CooperativePolicy {
    c.prob(&format!("{q}.budget_share"), cf.budget_share);
    let transfer_month = c.month(&format!("{q}.transfer_month"), cf.transfer_month);
    c.int(&format!("{q}.enrol_per_year"), cf.enrol_per_year, 0, MAX_HOUSEHOLDS);
    c.num(&format!("{q}.guaranteed_dividend"), cf.guaranteed_dividend, 0.0, 1e6);
    let idx = c.lookup(
        &format!("{q}.cooperative"),
        &cf.cooperative,
        cooperatives.iter().map(|k| &k.name),
        "the cooperatives in [[organisations.cooperatives]]",
    );
    if let Some(fc) = cf.founder_capture {
        c.prob(&format!("{q}.founder_capture"), fc);
    }
    c.num(&format!("{q}.loan"), cf.loan, 0.0, 1e11);
    c.num(&format!("{q}.loan_rate"), cf.loan_rate, 0.0, 1.0);
    c.num(&format!("{q}.loan_return"), cf.loan_return, -1.0, 10.0);
    c.prob(&format!("{q}.loan_failure"), cf.loan_failure);
    CooperativePolicy {
        transition: cf.transition,
        budget_share: cf.budget_share,
        cooperative: idx,
        transfer_month,
        enrol_per_year: cf.enrol_per_year.max(0) as usize,
        guaranteed_dividend: cf.guaranteed_dividend,
        founder_capture: cf.founder_capture.unwrap_or_else(|| cooperatives.get(idx).map_or(0.0, |k| k.founder_capture)),
        sham: cf.sham,
        loan: cf.loan,
        loan_rate: cf.loan_rate,
        loan_return: cf.loan_return,
        loan_failure: cf.loan_failure,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    /// Member households; the first `founders` of them are the founders.
    pub members: Vec<u32>,
    /// Land each member pledged, mu.
    pub pledged: Vec<f32>,
    pub founders: usize,
    /// Total pooled land, mu.
    pub pooled: f64,
}

/// Choose the members of cooperative `index` from the households of its
/// village (`village_range`).
pub fn enrol(
    spec: &Cooperative,
    index: usize,
    village_range: std::ops::Range<usize>,
    traits: &[Traits],
    streams: Streams,
) -> Membership {
    let len = village_range.len();
    let mut members: Vec<u32> = keyed_walk(len, streams, 1_000 + index as u64)
        .map(|k| (village_range.start + k) as u32)
        .filter(|&i| traits[i as usize].land > 0.0)
        .take(spec.members)
        .collect();
    // Founders are the most productive members: local elites (能人).
    let founders = spec.founders.min(members.len());
    members
        .sort_by(|&a, &b| traits[b as usize].productivity.total_cmp(&traits[a as usize].productivity).then(a.cmp(&b)));
    members[founders..].sort_unstable();
    let pledged: Vec<f32> = members.iter().map(|&i| traits[i as usize].land * spec.land_share as f32).collect();
    let pooled = pledged.iter().map(|&x| x as f64).sum();
    Membership { members, pledged, founders, pooled }
}

/// The season's payout: founders first capture `capture` of the surplus,
/// the rest goes by pledged land. Calls `pay(member index, household, yuan)`
/// for each member and returns what the founders received in all (capture
/// plus their own land dividends).
pub fn distribute(capture: f64, m: &Membership, surplus: f64, mut pay: impl FnMut(usize, u32, f64)) -> f64 {
    if surplus <= 0.0 || m.members.is_empty() || m.pooled <= 0.0 {
        return 0.0;
    }
    let captured = surplus * capture;
    let per_founder = if m.founders > 0 { captured / m.founders as f64 } else { 0.0 };
    let shared = surplus - captured;
    let mut to_founders = 0.0;
    for (k, (&i, &land)) in m.members.iter().zip(&m.pledged).enumerate() {
        let founder = if k < m.founders { per_founder } else { 0.0 };
        let yuan = founder + shared * land as f64 / m.pooled;
        if k < m.founders {
            to_founders += yuan;
        }
        pay(k, i, yuan);
    }
    to_founders
}

/// Found every cooperative of the scenario; their pledged land leaves the
/// members' customary fields.
pub fn found(specs: &[Cooperative], w: &mut World) -> Vec<Membership> {
    let founded: Vec<Membership> = specs
        .iter()
        .enumerate()
        .map(|(k, spec)| enrol(spec, k, w.village_range(spec.village), &w.traits, w.streams))
        .collect();
    // Pledged land leaves the member's own fields: the cooperative's crop first.
    let pledges: Vec<(u32, usize, f32)> = founded
        .iter()
        .zip(specs)
        .flat_map(|(m, spec)| m.members.iter().zip(&m.pledged).map(|(&i, &mu)| (i, spec.commodity, mu)))
        .collect();
    w.take_pledges(pledges.into_iter());
    // A cooperative selling on its market is part of the supply the market was calibrated to.
    let nc = w.sc.commodities.len();
    for (m, spec) in founded.iter().zip(specs).filter(|(_, s)| s.on_market) {
        let ys = w.yield_suit[spec.village * nc + spec.commodity] as f64;
        w.reference_output[spec.commodity] += m.pooled * ys * spec.yield_gain;
    }
    founded
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

columns! {
    /// Each household's cooperative loan.
    pub struct Loans / LoansChunk {
        /// Cooperative loan outstanding, yuan.
        loan: f32,
    }
}

/// The cooperatives of one arm, and their members' loans.
#[derive(Debug, Clone)]
pub struct Coops {
    pub states: Vec<CoopState>,
    pub loans: Loans,
    /// This year's loan defaults, yuan.
    pub loan_defaults: f64,
}

impl Coops {
    /// The founding cooperatives, before any policy; founders' households are members.
    pub fn new(founded: &[Membership], hh: &mut Households) -> Coops {
        for m in founded {
            for &i in &m.members {
                hh.status[i as usize] |= Status::COOP;
            }
        }
        Coops {
            states: founded
                .iter()
                .map(|m| CoopState {
                    membership: m.clone(),
                    capital: 0.0,
                    alive: true,
                    distributed: 0.0,
                    to_founders: 0.0,
                })
                .collect(),
            loans: Loans { loan: vec![0.0; hh.savings.len()] },
            loan_defaults: 0.0,
        }
    }

    /// Members of cooperatives still alive.
    pub fn members(&self) -> f64 {
        self.states.iter().filter(|k| k.alive).map(|k| k.membership.members.len() as f64).sum()
    }

    /// What founders received ÷ what was distributed, over all cooperatives.
    pub fn founder_share(&self) -> f64 {
        let (founders, distributed) =
            self.states.iter().fold((0.0, 0.0), |(a, b), k| (a + k.to_founders, b + k.distributed));
        if distributed > 0.0 {
            founders / distributed
        } else {
            f64::NAN
        }
    }
}

/// The cooperative grant: founders capture their share (all of it in a
/// sham), the rest is capital held for members, and poor households join.
#[allow(clippy::too_many_arguments)]
pub fn grant(
    w: &World,
    specs: &[Cooperative],
    c: &CooperativePolicy,
    delivery: &Delivery,
    coops: &mut Coops,
    hh: &mut Households,
    (p, ledger): (&mut Pools, &mut Ledger),
    m: u8,
) {
    let sc = w.sc;
    let plant = sc.commodities[specs[c.cooperative].commodity].plant_month;
    let grant = budget::seasonal_arrival(
        delivery,
        ledger,
        (&mut p.cooperative, &mut p.carried_cooperative),
        c.transfer_month,
        plant.max(c.transfer_month),
        m,
    );
    if grant == 0.0 {
        return;
    }
    let coop = &mut coops.states[c.cooperative];
    if !coop.alive {
        ledger.unspent += grant;
        return;
    }
    let captured = if c.sham { grant } else { grant * c.founder_capture };
    ledger.coop_founders += captured;
    coop.to_founders += captured;
    coop.distributed += grant;
    ledger.coop_capital += grant - captured;
    coop.capital += grant - captured;
    if c.sham {
        dissolve(w, coop, hh, ledger);
        return;
    }
    enrol_poor(w, &specs[c.cooperative], (c.cooperative, c.transition), coop, hh, c.enrol_per_year);
    // The cooperative borrows as one borrower and on-lends to members (统借统还).
    if c.loan > 0.0 {
        let per = (c.loan / coop.membership.members.len().max(1) as f64) as f32;
        for &i in &coop.membership.members {
            coops.loans.loan[i as usize] += per;
        }
    }
}

/// A sham cooperative dissolves: members get their land back, capital is gone with the founders.
fn dissolve(w: &World, coop: &mut CoopState, hh: &mut Households, ledger: &mut Ledger) {
    let sc = w.sc;
    let nc = sc.commodities.len();
    coop.alive = false;
    ledger.coop_founders += coop.capital;
    ledger.coop_capital -= coop.capital;
    coop.to_founders += coop.capital;
    coop.capital = 0.0;
    for (&i, &land) in coop.membership.members.iter().zip(&coop.membership.pledged) {
        hh.area[i as usize * nc + sc.population.staple] += land;
        hh.status[i as usize] &= !Status::COOP;
        // Land a member pledged through the land centre is back.
        hh.transferred[i as usize] = 0.0;
    }
}

/// Enrol up to `count` registered households of cooperative `k`'s village
/// as members; each pledges `land_share` of its land, the cooperative's crop first.
fn enrol_poor(
    w: &World,
    spec: &Cooperative,
    (k, keeps): (usize, bool),
    coop: &mut CoopState,
    hh: &mut Households,
    count: usize,
) {
    let sc = w.sc;
    let nc = sc.commodities.len();
    let range = w.village_range(spec.village);
    let mut added = 0;
    for j in keyed_walk(range.len(), w.streams, 4_000 + k as u64) {
        if added >= count {
            break;
        }
        let i = range.start + j;
        if hh.status[i].served(keeps) && !hh.status[i].contains(Status::COOP) && w.traits[i].land > 0.0 {
            let pledge = take_land(
                &mut hh.area[i * nc..(i + 1) * nc],
                spec.commodity,
                w.traits[i].land * spec.land_share as f32,
                sc,
            );
            let m = &mut coop.membership;
            m.members.push(i as u32);
            m.pledged.push(pledge);
            m.pooled += pledge as f64;
            hh.status[i] |= Status::COOP;
            added += 1;
        }
    }
}

/// Household `i` joins `coop` as a member pledging `mu` (land already taken
/// from its fields).
pub fn join(coop: &mut CoopState, hh: &mut Households, i: usize, mu: f32) {
    let m = &mut coop.membership;
    m.members.push(i as u32);
    m.pledged.push(mu);
    m.pooled += mu as f64;
    hh.status[i] |= Status::COOP;
}

/// What cooperative `spec` is expected to pay a member a year per pledged
/// mu, at base price, without hazards: its margin per mu after the founders'
/// capture, or the arm's guaranteed dividend (`policy`, when it is this
/// cooperative's) if that is more.
pub fn expected_dividend(w: &World, (k, spec): (usize, &Cooperative), policy: Option<&CooperativePolicy>) -> f64 {
    let sc = w.sc;
    let c = &sc.commodities[spec.commodity];
    let ys = w.yield_suit[spec.village * sc.commodities.len() + spec.commodity] as f64;
    let own = policy.filter(|p| p.cooperative == k);
    let capture = own.map_or(spec.founder_capture, |p| p.founder_capture);
    let margin = (ys * spec.yield_gain * c.base_price - c.cost - c.dig_cost) * (1.0 - capture);
    margin.max(own.map_or(0.0, |p| p.guaranteed_dividend))
}

/// After the pass, in a crop's planting month: the expected harvest of
/// every live cooperative selling on its market (`on_market`) joins the
/// households'.
pub fn supply(w: &World, specs: &[Cooperative], coops: &Coops, markets: &mut [MarketState], planting: &[bool]) {
    let nc = w.sc.commodities.len();
    for (spec, coop) in specs.iter().zip(&coops.states) {
        if spec.on_market && coop.alive && planting[spec.commodity] {
            let ys = w.yield_suit[spec.village * nc + spec.commodity] as f64;
            markets[spec.commodity].planted_output += coop.membership.pooled * ys * spec.yield_gain;
        }
    }
}

/// Harvest: every live cooperative whose crop is harvested this month pays
/// out its surplus (founders first, then by pledged land) and tops members up
/// to the arm's guaranteed dividend from its grant capital. Payouts to poor
/// households are added to `linked_to_poor`.
#[allow(clippy::too_many_arguments)]
pub fn payouts(
    w: &World,
    specs: &[Cooperative],
    policy: Option<&CooperativePolicy>,
    coops: &mut Coops,
    hh: &mut Households,
    (price, y): (&[f64], usize),
    (ledger, linked_to_poor): (&mut Ledger, &mut f64),
    m: u8,
) {
    let sc = w.sc;
    let nc = sc.commodities.len();
    let nv = sc.population.villages.len();
    let coop_policy = |k: usize| policy.filter(|c| c.cooperative == k);
    for (k, spec) in specs.iter().enumerate() {
        let c = &sc.commodities[spec.commodity];
        if m != c.harvest_month {
            continue;
        }
        let v = spec.village;
        let ys = w.yield_suit[v * nc + spec.commodity] as f64 * w.hazard[(y * nv + v) * nc + spec.commodity] as f64;
        let capture = coop_policy(k).map_or(spec.founder_capture, |c| c.founder_capture);
        let guaranteed = coop_policy(k).map_or(0.0, |c| c.guaranteed_dividend);
        let coop = &mut coops.states[k];
        if !coop.alive {
            continue;
        }
        let surplus = coop.membership.pooled * (ys * spec.yield_gain * price[spec.commodity] - c.cost - c.dig_cost);
        let extra = &mut hh.extra;
        let mut paid = vec![0.0; coop.membership.members.len()];
        let status = &hh.status;
        let founders = distribute(capture, &coop.membership, surplus, |j, i, yuan| {
            extra[i as usize] += yuan as f32;
            paid[j] = yuan;
            if status[i as usize].poor() {
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
                    ledger.coop_capital -= top;
                    ledger.pay(hh.status[i as usize].poor(), top);
                    hh.extra[i as usize] += top as f32;
                }
            }
        }
    }
}

/// Cooperative loan defaults, (household, yuan), for the capital to cover in household order.
#[derive(Debug, Clone, Default)]
pub struct Sums {
    pub defaults: Vec<(u32, f64)>,
}

impl Sums {
    pub fn add(&mut self, o: &Sums) {
        self.defaults.extend_from_slice(&o.defaults);
    }
}

/// A month of a cooperative loan (统借统还) for household `i` (chunk position
/// `j`): the return on the borrowed money and its interest; in December the
/// principal comes back with the harvest unless the project failed, and then
/// it is repaid from savings, any default being listed for the cooperative's
/// capital to cover.
#[inline]
#[allow(clippy::too_many_arguments)]
pub fn household(
    k: &CooperativePolicy,
    w: &World,
    (i, j): (usize, usize),
    loans: &mut LoansChunk,
    hh: &mut HouseholdsChunk,
    (m, y): (u8, usize),
    sums: &mut Sums,
) -> (f32, f32) {
    let l = loans.loan[j];
    if l <= 0.0 {
        return (0.0, 0.0);
    }
    let earned = l * (k.loan_return / 12.0) as f32;
    let interest = l * (k.loan_rate / 12.0) as f32;
    if m == 11 {
        loans.loan[j] = 0.0;
        let p = k.loan_failure * (1.5 - 0.5 * w.traits[i].productivity as f64).clamp(0.5, 1.5);
        if w.streams.uniform(Purpose::Credit, (1 << 40) | i as u64, y as u32) < p {
            let repaid = l.min(hh.savings[j].max(0.0));
            hh.savings[j] -= repaid;
            hh.booked[j] -= repaid as f64;
            let default = (l - repaid) as f64;
            if default > 0.0 {
                sums.defaults.push((i as u32, default));
            }
        }
    }
    (earned, interest)
}

/// After the pass: this year's defaults, covered by the cooperative's capital in household order.
pub fn settle(
    policy: Option<&CooperativePolicy>,
    coops: &mut Coops,
    hh: &Households,
    sums: &Sums,
    ledger: &mut Ledger,
) {
    coops.loan_defaults += sums.defaults.iter().map(|&(_, d)| d).sum::<f64>();
    if let Some(k) = policy {
        for &(i, default) in &sums.defaults {
            let coop = &mut coops.states[k.cooperative];
            let covered = default.min(coop.capital);
            coop.capital -= covered;
            ledger.coop_capital -= covered;
            ledger.pay(hh.status[i as usize].poor(), covered);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{keyed_walk, Streams};

    #[test]
    fn keyed_walk_is_a_permutation() {
        for n in [1usize, 2, 7, 12, 100] {
            let mut v: Vec<usize> = keyed_walk(n, Streams::new(3, 1), 9).collect();
            v.sort();
            assert_eq!(v, (0..n).collect::<Vec<_>>());
        }
    }

    #[test]
    fn surplus_goes_by_land_share_after_capture() {
        let m = Membership { members: vec![7, 1, 2], pledged: vec![1.0, 1.0, 2.0], founders: 1, pooled: 4.0 };
        let mut paid = vec![];
        let founders = distribute(0.4, &m, 1000.0, |_, i, y| paid.push((i, y)));
        assert_eq!(founders, 400.0 + 150.0);
        assert_eq!(paid, vec![(7, 400.0 + 150.0), (1, 150.0), (2, 300.0)]);
    }
}

#[cfg(test)]
mod grant_tests {
    use super::*;
    use crate::testing::{after_pre_policy_year, township};

    fn policy(sham: bool) -> CooperativePolicy {
        CooperativePolicy {
            transition: true,
            budget_share: 0.5,
            cooperative: 0,
            transfer_month: 2,
            enrol_per_year: 10,
            guaranteed_dividend: 0.0,
            founder_capture: 0.2,
            sham,
            loan: 0.0,
            loan_rate: 0.06,
            loan_return: 0.15,
            loan_failure: 0.1,
        }
    }

    #[test]
    fn founders_capture_their_share_and_a_sham_takes_everything_and_dissolves() {
        let sc = township(2000);
        for sham in [false, true] {
            let (r, mut s) = after_pre_policy_year(&sc);
            s.hh.status.iter_mut().for_each(|st| *st |= Status::REGISTERED);
            let mut pools = Pools { cooperative: 100_000.0, ..Default::default() };
            let mut ledger = Ledger { budget: 100_000.0, ..Default::default() };
            let members = s.coops.states[0].membership.members.len();
            let d = Delivery::default();
            grant(&r.world, &sc.cooperatives, &policy(sham), &d, &mut s.coops, &mut s.hh, (&mut pools, &mut ledger), 2);
            assert!(ledger.imbalance().abs() < 1e-6, "the grant is in founders' hands or in capital");
            let coop = &s.coops.states[0];
            if sham {
                assert_eq!((ledger.coop_founders, coop.alive), (100_000.0, false));
                assert!(coop.membership.members.iter().all(|&i| !s.hh.status[i as usize].contains(Status::COOP)));
            } else {
                assert_eq!((ledger.coop_founders, ledger.coop_capital), (20_000.0, 80_000.0));
                assert_eq!(coop.membership.members.len(), members + 10, "ten registered households enrolled");
            }
        }
    }

    /// The transition switch: a cooperative enrols households kept on the
    /// register in transition after their exit only when its policy keeps
    /// serving them (`transition = true`, the default).
    #[test]
    fn households_in_transition_are_enrolled_only_when_the_policy_keeps_them() {
        let sc = township(2000);
        let (r, mut s) = after_pre_policy_year(&sc);
        s.hh.status.iter_mut().for_each(|st| *st = (*st & Status::COOP) | Status::REGISTERED | Status::TRANSITION);
        for (keeps, want) in [(true, 10), (false, 0)] {
            let mut p = policy(false);
            p.transition = keeps;
            let mut pools = Pools { cooperative: 100_000.0, ..Default::default() };
            let mut ledger = Ledger { budget: 100_000.0, ..Default::default() };
            let (mut coops, mut hh) = (s.coops.clone(), s.hh.clone());
            let members = coops.states[0].membership.members.len();
            let d = Delivery::default();
            grant(&r.world, &sc.cooperatives, &p, &d, &mut coops, &mut hh, (&mut pools, &mut ledger), 2);
            assert_eq!(coops.states[0].membership.members.len(), members + want, "transition = {keeps}");
        }
    }
}
