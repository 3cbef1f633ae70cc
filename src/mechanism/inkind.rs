//! In-kind handouts of animals, seedlings or trees (MODEL.md §4.4), and
//! what becomes of them.
//!
//! On arrival each registered household (of the listed villages) receives
//! `units` of an item chosen by the arm's procurement: centrally the first
//! item whatever the village; by the village the item that suits it best;
//! by the household the same, with local knowledge closing most of the
//! remaining misfit. A household in urgent need of cash, or dependent, eats
//! or sells the item at once (salvaging part of its cost). Kept animals die
//! according to fit, skill and hands and are sold with the herd; trees bear
//! after their years to bearing and need upkeep after the first season.
//! In a year the sponsoring officials rotate away, dependent households sell
//! what they are given at once and ask the successor again.
//!
//! Section: `[arms.policies.inkind]`.

use super::budget::{self, Delivery, Pools};
use super::dependency;
use super::herd::{self, Herd};
use crate::check::{Checker, Choice, Choices, MAX_YEARS};
use crate::household::Households;
use crate::ledger::Ledger;
use crate::rng::Purpose;
use crate::setting::{commodity_index, village_index, CommodityKind, Setting};
use crate::world::World;
use serde::{Deserialize, Serialize};

/// In-kind handouts of animals, seedlings or trees (MODEL.md §4.4).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InKindFile {
    /// Share of the yearly budget spent on handouts.
    ///
    /// Unit: prob. Default: required. Allowed: [0, 1].
    pub budget_share: f64,
    /// Commodities that may be handed out. Central procurement buys the first; village and household procurement pick
    /// the best-suited.
    ///
    /// Unit: commodity names. Default: required. Allowed: at least one; each a commodity of either kind.
    pub items: Vec<String>,
    /// Units per recipient household.
    ///
    /// Unit: head or mu per household. Default: required. Allowed: [0, 1e6].
    pub units: f64,
    /// Cost per unit; a household's package costs `units × unit_cost`.
    ///
    /// Unit: yuan/unit delivered. Default: required. Allowed: [0.01, 1e8].
    pub unit_cost: f64,
    /// Who chooses the item: the county (first item, whatever the village), the village (best suitability for the
    /// village), or each household (best suitability, and local knowledge closes 90% of the remaining misfit: fit = 1 −
    /// 0.1 × (1 − suitability)).
    ///
    /// Unit: –. Default: `"central"`. Allowed: `"central"`, `"village"`, `"household"`.
    #[serde(default = "default_procurement")]
    pub procurement: Choice<Procurement>,
    /// Month the handout is due. Money arriving (after `delay_months`) later than the latest item's planting month, or
    /// after December, is late.
    ///
    /// Unit: month 1–12. Default: `3`. Allowed: [1, 12]; no later than every item's `plant_month`.
    #[serde(default = "crate::check::default_transfer_month")]
    pub transfer_month: i64,
    /// Years between rotations of the sponsoring officials. In year indices 1 + *R*, 1 + 2*R*, … (policy years *R*,
    /// 2*R*, … counted from 0 = `start_year`), a recipient whose dependency, after the rise this handout causes, is
    /// above `rotation_dependency` sells the new handout at once (animals or trees alike), for `salvage_share` × its cost, "to ask the
    /// successor for another". It counts as a recipient and as liquidated.
    ///
    /// Unit: years. Default: `0` (never). Allowed: [0, 50].
    #[serde(default)]
    pub patron_rotation_years: i64,
    /// In a patron-rotation year, the dependency above which a recipient sells the new handout at once (source:
    /// assumed).
    ///
    /// Unit: index 0..1. Default: `0.5`. Allowed: [0, 1].
    #[serde(default = "default_rotation_dependency")]
    pub rotation_dependency: f64,
    /// With `procurement = "household"`: the share of the remaining misfit (1 − suitability of the village's best
    /// item) that a household's own choice closes, with its local knowledge of breeds and varieties (source:
    /// assumed).
    ///
    /// Unit: share. Default: `0.9`. Allowed: [0, 1].
    #[serde(default = "default_household_fit")]
    pub household_fit: f64,
    /// Villages whose registered households receive it.
    ///
    /// Unit: village names. Default: `[]` (all). Allowed: each a village name.
    #[serde(default)]
    pub villages: Vec<String>,
    /// Whether households kept on the register in transition after their exit (`targeting.transition_years`,
    /// 脱贫不脱政策) keep receiving this instrument, as they did from 2015 to 2020.
    ///
    /// Unit: –. Default: `true`. Allowed: `true`/`false`.
    #[serde(default = "crate::check::default_true")]
    pub transition: bool,
}
fn default_rotation_dependency() -> f64 {
    0.5
}
pub fn default_household_fit() -> f64 {
    0.9
}
fn default_procurement() -> Choice<Procurement> {
    Choice::Known(Procurement::Central)
}

/// Who chooses what is handed out in kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Procurement {
    /// Bought centrally: the first item, whatever the village.
    Central,
    /// The village picks the item that suits it best.
    Village,
    /// Each household buys its own, with local knowledge of breeds and varieties.
    Household,
}

impl Choices for Procurement {
    const ALLOWED: &'static str = "\"central\", \"village\" or \"household\"";
}

#[derive(Debug, Clone)]
pub struct InKindPolicy {
    pub budget_share: f64,
    pub items: Vec<usize>,
    pub units: f64,
    pub unit_cost: f64,
    pub procurement: Procurement,
    pub transfer_month: u8,
    pub patron_rotation_years: u32,
    pub rotation_dependency: f32,
    pub household_fit: f64,
    /// Villages served; empty = all.
    pub villages: Vec<usize>,
    /// Households in transition keep receiving it.
    pub transition: bool,
}

/// `arms[i].policies.inkind` (`q` is its path).
pub fn check(c: &mut Checker, q: &str, kf: &InKindFile, setting: &Setting) -> InKindPolicy {
    c.prob(&format!("{q}.budget_share"), kf.budget_share);
    if kf.items.is_empty() {
        c.push(&format!("{q}.items"), "[]", "at least one commodity to hand out");
    }
    let items = kf
        .items
        .iter()
        .enumerate()
        .map(|(j, n)| commodity_index(c, &setting.commodities, &format!("{q}.items[{j}]"), n, None))
        .collect();
    c.num(&format!("{q}.units"), kf.units, 0.0, 1e6);
    c.num(&format!("{q}.unit_cost"), kf.unit_cost, 0.01, 1e8);
    c.int(&format!("{q}.transfer_month"), kf.transfer_month, 1, 12);
    c.int(&format!("{q}.patron_rotation_years"), kf.patron_rotation_years, 0, MAX_YEARS);
    c.prob(&format!("{q}.rotation_dependency"), kf.rotation_dependency);
    c.prob(&format!("{q}.household_fit"), kf.household_fit);
    let procurement = c.known(&format!("{q}.procurement"), &kf.procurement, Procurement::Central);
    let villages = kf
        .villages
        .iter()
        .enumerate()
        .map(|(j, n)| village_index(c, &setting.population.villages, &format!("{q}.villages[{j}]"), n))
        .collect();
    for (j, item) in kf.items.iter().enumerate() {
        if let Some(k) = setting.commodities.iter().find(|k| k.name == *item) {
            if kf.transfer_month > k.plant_month as i64 + 1 {
                c.push(
                    &format!("{q}.transfer_month"),
                    kf.transfer_month,
                    format!("a month no later than items[{j}] ({item:?}) is planted or stocked ({}), or the handout always misses its season", k.plant_month + 1),
                );
            }
        }
    }
    InKindPolicy {
        transition: kf.transition,
        villages,
        budget_share: kf.budget_share,
        items,
        units: kf.units,
        unit_cost: kf.unit_cost,
        procurement,
        transfer_month: (kf.transfer_month.clamp(1, 12) - 1) as u8,
        patron_rotation_years: kf.patron_rotation_years.clamp(0, MAX_YEARS) as u32,
        rotation_dependency: kf.rotation_dependency as f32,
        household_fit: kf.household_fit,
    }
}

columns! {
    /// Each household's handed-out animals and orchard.
    pub struct Holdings / HoldingsChunk {
        /// Handed-out animals alive, head.
        handout_alive: f32,
        /// Their commodity.
        handout_item: u8,
        /// How well they fit the village (suitability, after procurement).
        handout_suit: f32,
        /// Year index of the last handout received (0 = none).
        handout_year: u8,
        /// Handed-out trees or seedlings, mu.
        orchard: f32,
        orchard_item: u8,
        orchard_suit: f32,
        /// Year index the orchard was planted.
        orchard_year: u8,
        /// 1 if the household planted the orchard itself (`planting_cost`), 0 if it was handed out.
        orchard_own: u8,
    }
}

/// This year's counts of items handed out and what became of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    /// Units handed out, kept and raised, died, eaten or sold this year.
    pub given: f64,
    pub raised: f64,
    pub died: f64,
    pub liquidated: f64,
    pub recipients: f64,
    /// Net income from handed-out animals and trees this year, yuan.
    pub inkind_income: f64,
    /// Yuan households paid this year to plant trees themselves.
    pub planting_invested: f64,
}

/// The in-kind state of one arm: holdings, and this year's tally.
#[derive(Debug, Clone)]
pub struct InKind {
    pub holdings: Holdings,
    pub tally: Tally,
}

impl InKind {
    pub fn new(n: usize) -> InKind {
        InKind {
            holdings: Holdings {
                handout_alive: vec![0.0; n],
                handout_item: vec![0; n],
                handout_suit: vec![1.0; n],
                handout_year: vec![0; n],
                orchard: vec![0.0; n],
                orchard_item: vec![0; n],
                orchard_suit: vec![1.0; n],
                orchard_year: vec![0; n],
                orchard_own: vec![0; n],
            },
            tally: Tally::default(),
        }
    }
}

/// The item a household receives, and how well it fits, under the arm's procurement.
/// A household's own choice (`Procurement::Household`) closes the share
/// `household_fit` of the remaining misfit.
pub fn choose_item(
    w: &World,
    items: &[usize],
    (procurement, household_fit): (Procurement, f64),
    village: usize,
) -> (usize, f32) {
    let sc = w.sc;
    let v = &sc.population.villages[village];
    match procurement {
        Procurement::Central => (items[0], sc.commodities[items[0]].suitability(v) as f32),
        Procurement::Village | Procurement::Household => {
            let (c, suit) = items
                .iter()
                .map(|&c| (c, sc.commodities[c].suitability(v)))
                .fold((items[0], f64::MIN), |best, x| if x.1 > best.1 { x } else { best });
            // A household's own choice adds local knowledge of breeds and
            // varieties: it closes the share `household_fit` of the remaining misfit.
            let suit =
                if procurement == Procurement::Household { 1.0 - (1.0 - household_fit) * (1.0 - suit) } else { suit };
            (c, suit as f32)
        }
    }
}

/// Hand `units` of commodity `c` (worth `value`) to household `i`. A
/// household in urgent need of cash, or dependent, may eat or sell it.
/// Breeding animals that are kept join the household's herd.
#[allow(clippy::too_many_arguments)]
pub fn give_item(
    w: &World,
    hh: &mut Households,
    (k, herds): (&mut InKind, &mut Herd),
    i: usize,
    (c, suit): (usize, f32),
    units: f64,
    value: f64,
    y: usize,
) {
    let sc = w.sc;
    let b = &sc.behaviour;
    let tr = &w.traits[i];
    if units <= 0.0 {
        return;
    }
    let (h, t) = (&mut k.holdings, &mut k.tally);
    t.given += units;
    let need = b.subsistence * tr.adult_eq as f64;
    let urgent = (hh.savings[i] as f64) < need;
    let d = hh.dependency[i] as f64;
    let p = b.liquidation_base + b.liquidation_dependency * d + if urgent { b.liquidation_need } else { 0.0 };
    let key = (i as u64) << 8 | c as u64;
    if w.streams.uniform(Purpose::Liquidation, key, y as u32) < p.min(1.0) {
        t.liquidated += units;
        hh.extra[i] += (value * b.salvage_share) as f32;
        herds.eat(c, units, w.streams.uniform(Purpose::Herd, key, 1 << 31 | y as u32));
        return;
    }
    match sc.commodities[c].kind {
        CommodityKind::Livestock if herds.slot(c).is_some() => {
            // Whole animals join the herd; the tally counts them.
            let got = herds.receive(i, c, units, w.streams.uniform(Purpose::Herd, key, 1 << 31 | y as u32));
            let got = got.unwrap_or(0.0);
            t.raised += got;
            t.given += got - units;
        }
        CommodityKind::Livestock => {
            t.raised += units;
            if h.handout_item[i] as usize != c && h.handout_alive[i] > 0.0 {
                // One herd of handed-out animals per household: a new species
                // means the old animals are sold off.
                let old = std::mem::take(&mut h.handout_alive[i]) as f64;
                t.liquidated += old;
                hh.extra[i] += (old * value / units * b.salvage_share) as f32;
            }
            h.handout_alive[i] += units as f32;
            h.handout_item[i] = c as u8;
            h.handout_suit[i] = suit;
        }
        CommodityKind::Crop => {
            if h.orchard_own[i] == 1 {
                // A handout replaces an orchard the household planted itself: its trees are
                // cleared and their land returns to the staple.
                let nc = sc.commodities.len();
                hh.area[i * nc + sc.population.staple] += std::mem::take(&mut h.orchard[i]);
                h.orchard_own[i] = 0;
            }
            if h.orchard_item[i] as usize != c || h.orchard[i] == 0.0 {
                // One orchard per household: a new variety replaces the old,
                // and a new orchard dates from now. More trees of the same
                // variety join the existing orchard and bear with it.
                h.orchard[i] = 0.0;
                h.orchard_year[i] = y as u8;
            }
            h.orchard[i] += units as f32;
            h.orchard_item[i] = c as u8;
            h.orchard_suit[i] = suit;
            h.orchard_own[i] = 0;
        }
    }
}

/// In-kind handouts: on arrival, registered households receive the item.
/// Those in urgent need of cash, or with high dependency, eat or sell it.
#[allow(clippy::too_many_arguments)]
pub fn handout(
    w: &World,
    k: &InKindPolicy,
    delivery: &Delivery,
    (inkind, herds): (&mut InKind, &mut Herd),
    hh: &mut Households,
    (p, ledger): (&mut Pools, &mut Ledger),
    m: u8,
    y: usize,
) {
    let sc = w.sc;
    // Patron rotation: in a year the sponsoring officials rotate away,
    // dependent households sell what they are given at once and ask the
    // successor again.
    let rotation = k.patron_rotation_years > 0 && y > 1 && (y - 1) % k.patron_rotation_years as usize == 0;
    let season = k.items.iter().map(|&c| sc.commodities[c].plant_month).max().unwrap_or(11).max(k.transfer_month);
    let mut pool =
        budget::seasonal_arrival(delivery, ledger, (&mut p.inkind, &mut p.carried_inkind), k.transfer_month, season, m);
    if pool == 0.0 {
        return;
    }
    let per_household = k.units * k.unit_cost;
    for i in w.project_walk(5_000 + y as u64, delivery.teams) {
        if pool < per_household {
            break;
        }
        let st = hh.status[i];
        let tr = &w.traits[i];
        if !st.served(k.transition) || !(k.villages.is_empty() || k.villages.contains(&(tr.village as usize))) {
            continue;
        }
        pool -= per_household;
        ledger.pay(st.poor(), per_household);
        dependency::raise(&sc.behaviour, tr.adult_eq, per_household, &mut hh.dependency[i], &mut hh.supported[i]);
        // Pooled funds: a household without labour gets the value in cash instead of an item it cannot raise.
        if !delivery.ring_fenced && tr.labour < 0.5 {
            hh.extra[i] += per_household as f32;
            continue;
        }
        inkind.holdings.handout_year[i] = y as u8;
        inkind.tally.recipients += 1.0;
        let item = choose_item(w, &k.items, (k.procurement, k.household_fit), tr.village as usize);
        if rotation && hh.dependency[i] > k.rotation_dependency {
            inkind.tally.given += k.units;
            inkind.tally.liquidated += k.units;
            herds.eat(item.0, k.units, 0.0);
            hh.extra[i] += (per_household * sc.behaviour.salvage_share) as f32;
            continue;
        }
        give_item(w, hh, (inkind, herds), i, item, k.units, per_household, y);
    }
    // Whatever could not buy a whole package for one more household.
    ledger.unspent += pool;
}

/// The value of a mu of tree crop `c` that household `i` plants this year
/// (yuan, at the investment hurdle `r` over `investment_horizon_years`):
/// each year's harvest on the crop's curve by age, at price `price` and the
/// household's suitability, productivity, effort and hands, less upkeep
/// from the second year and the staple harvest the land no longer gives,
/// discounted, less `planting_cost`.
pub fn orchard_value(w: &World, c: usize, i: usize, effort: f32, price: &[f64]) -> f64 {
    let sc = w.sc;
    let b = &sc.behaviour;
    let tr = &w.traits[i];
    let (k, staple) = (&sc.commodities[c], sc.population.staple);
    let nc = sc.commodities.len();
    let v = tr.village as usize;
    let work = (tr.productivity * effort) as f64;
    let full = w.yield_suit[v * nc + c] as f64 * price[c] * work * tr.labour.min(1.0) as f64;
    let staple_profit =
        (w.yield_suit[v * nc + staple] as f64 * price[staple] * work - sc.commodities[staple].cost).max(0.0);
    let years = b.investment_horizon_years.ceil() as usize;
    let mut value = -k.planting_cost;
    for a in 0..years {
        let upkeep = if a > 0 { k.cost } else { 0.0 };
        value += (k.bearing_share(a) * full - upkeep - staple_profit) / (1.0 + b.investment_hurdle).powi(a as i32);
    }
    value
}

/// The best tree crop household `i` (position `j`) could plant itself this
/// month, as an investment choice ([`super::invest`]), with cash on hand
/// `on_hand` and effort `effort`: among the crops with a `planting_cost`
/// whose planting month is `m`, the one whose [`orchard_value`] per mu is
/// highest and positive, when the household has no orchard yet (one orchard
/// per household, planted or handed out), can pay for a whole mu, and has
/// a whole mu of staple land and hands to tend it. Returns the crop and its
/// rate of return: the hurdle plus its value per mu spread over
/// `investment_horizon_years`, per yuan of its planting cost.
pub fn trees_rate(
    w: &World,
    (i, j): (usize, usize),
    h: &HoldingsChunk,
    area: &[f32],
    (m, on_hand, effort): (u8, f64, f32),
    price: &[f64],
) -> Option<(usize, f64)> {
    let sc = w.sc;
    if h.orchard[j] != 0.0 || area[sc.population.staple] < 1.0 {
        return None;
    }
    let b = &sc.behaviour;
    let tr = &w.traits[i];
    let mut best: Option<(usize, f64)> = None;
    for (c, k) in sc.commodities.iter().enumerate() {
        if k.planting_cost <= 0.0 || k.plant_month != m || on_hand < k.planting_cost {
            continue;
        }
        if (k.mu_per_labour as f32 * tr.labour).floor() < 1.0 {
            continue;
        }
        let v = orchard_value(w, c, i, effort, price);
        let rate = b.investment_hurdle + v / (k.planting_cost * b.annuity(b.investment_horizon_years));
        if v > 0.0 && best.is_none_or(|x| rate > x.1) {
            best = Some((c, rate));
        }
    }
    best
}

/// Household `i` (position `j`) plants crop `c` itself in year index `y`,
/// on its staple land `area` (its row of the household's area by
/// commodity): as many whole mu as its cash on hand `on_hand`, its staple
/// land and `mu_per_labour` × labour allow. The trees become its orchard.
/// Returns the yuan paid.
pub fn plant(
    w: &World,
    (i, j): (usize, usize),
    h: &mut HoldingsChunk,
    area: &mut [f32],
    (c, y, on_hand): (usize, usize, f64),
) -> f64 {
    let sc = w.sc;
    let tr = &w.traits[i];
    let kc = &sc.commodities[c];
    let staple = sc.population.staple;
    let hands = (kc.mu_per_labour as f32 * tr.labour - h.orchard[j]).floor();
    let mu = (on_hand / kc.planting_cost).floor().min(area[staple].floor() as f64).min(hands as f64);
    if mu < 1.0 {
        return 0.0;
    }
    h.orchard_year[j] = y as u8;
    h.orchard_item[j] = c as u8;
    h.orchard_suit[j] = kc.suitability(&sc.population.villages[tr.village as usize]) as f32;
    h.orchard_own[j] = 1;
    h.orchard[j] += mu as f32;
    area[staple] -= mu as f32;
    mu * kc.planting_cost
}

/// What the handed-out items of a chunk of households add up to.
#[derive(Debug, Clone, Default)]
pub struct Sums {
    pub died: f64,
    pub inkind_income: f64,
}

impl Sums {
    pub fn add(&mut self, o: &Sums) {
        self.died += o.died;
        self.inkind_income += o.inkind_income;
    }
}

/// What the handout blocks of the pass read this month.
pub struct Season<'a> {
    pub w: &'a World<'a>,
    pub m: u8,
    pub y: usize,
    pub price: &'a [f64],
    pub hazard_row: &'a [f32],
}

/// One month of household `i`'s (chunk position `j`) handed-out animals and
/// orchard. Animals die according to fit and skill, and are sold with the
/// herd; trees bear after their years to bearing.
#[inline]
pub fn household(
    s: &Season,
    (i, j): (usize, usize),
    h: &mut HoldingsChunk,
    (effort, prod_e): (f32, f32),
    income: &mut f32,
    sums: &mut Sums,
) {
    let sc = s.w.sc;
    let tr = &s.w.traits[i];
    let v = tr.village as usize;
    let nc = sc.commodities.len();
    if h.handout_alive[j] > 0.0 {
        let c = h.handout_item[j] as usize;
        let k = &sc.commodities[c];
        // Skill and hands to tend them: a household without labour loses more.
        let skill = herd::keeper_factor(&sc.behaviour, tr.productivity, tr.labour);
        let mut dead = h.handout_alive[j] * (k.monthly_mortality as f32 / h.handout_suit[j] * skill).min(1.0);
        if let Some(o) = k.outbreak.filter(|o| o.month == s.m && herd::struck(s.w.streams, o.probability, c, v, s.y)) {
            dead += (h.handout_alive[j] - dead) * o.loss as f32;
        }
        h.handout_alive[j] -= dead;
        sums.died += dead as f64;
        if k.harvest_month == s.m {
            let heads = std::mem::take(&mut h.handout_alive[j]);
            let sale = heads
                * (k.yield_per as f32 * h.handout_suit[j])
                * s.hazard_row[v * nc + c]
                * effort
                * s.price[c] as f32;
            *income += sale;
            sums.inkind_income += sale as f64;
        }
    }
    if h.orchard[j] > 0.0 {
        let c = h.orchard_item[j] as usize;
        let k = &sc.commodities[c];
        if k.harvest_month == s.m {
            // Bearing by age: `yield_by_age`, or fully from `years_to_bearing`.
            let share = k.bearing_share(s.y.saturating_sub(h.orchard_year[j] as usize)) as f32;
            let tend = tr.labour.min(1.0);
            let yield_ = if share > 0.0 {
                k.yield_per as f32 * h.orchard_suit[j] * s.hazard_row[v * nc + c] * prod_e * tend * share
            } else {
                0.0
            };
            // The handout paid the first season's inputs; trees need upkeep after.
            let upkeep = if s.y > h.orchard_year[j] as usize { k.cost as f32 } else { 0.0 };
            let net_orchard = h.orchard[j] * (yield_ * s.price[c] as f32 - upkeep);
            *income += net_orchard;
            if h.orchard_own[j] == 0 {
                sums.inkind_income += net_orchard as f64;
            }
            // An annual crop is one season's handout; trees stay.
            if k.years_to_bearing == 0 && !k.aged() {
                h.orchard[j] = 0.0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{after_pre_policy_year, commodity, township};

    #[test]
    fn procurement_decides_the_item_and_its_fit() {
        let sc = township(300);
        let (r, _) = after_pre_policy_year(&sc);
        let (apple, pepper) = (commodity(&sc, "apple"), commodity(&sc, "pepper"));
        let suit = |c: usize, v: usize| sc.commodities[c].suitability(&sc.population.villages[v]);
        // A village where the first item (apple) suits worse than the second (pepper).
        let v = (0..sc.population.villages.len()).find(|&v| suit(apple, v) < suit(pepper, v)).unwrap();
        let items = [apple, pepper];
        let (c, central) = choose_item(&r.world, &items, (Procurement::Central, 0.9), v);
        assert_eq!(c, apple, "central procurement buys the first item");
        let (best, village) = choose_item(&r.world, &items, (Procurement::Village, 0.9), v);
        assert_eq!(best, pepper, "the village picks what suits it best");
        assert!(village > central);
        let (_, household) = choose_item(&r.world, &items, (Procurement::Household, 0.9), v);
        assert!((1.0 - household - 0.1 * (1.0 - village)).abs() < 1e-6, "own choice closes 90% of the misfit");
        // `household_fit` is the share closed: none, the village's fit; all, a perfect fit.
        assert_eq!(choose_item(&r.world, &items, (Procurement::Household, 0.0), v).1, village);
        assert_eq!(choose_item(&r.world, &items, (Procurement::Household, 1.0), v).1, 1.0);
    }

    #[test]
    fn every_unit_handed_out_is_raised_or_liquidated() {
        let sc = township(400);
        let (r, mut s) = after_pre_policy_year(&sc);
        let pig = commodity(&sc, "pig");
        let mut k = InKind::new(r.world.households());
        let mut herds = Herd::new(&r.world);
        for i in 0..r.world.households() {
            give_item(&r.world, &mut s.hh, (&mut k, &mut herds), i, (pig, 1.0), 2.0, 1000.0, 1);
        }
        let t = &k.tally;
        assert_eq!(t.given, 800.0);
        assert_eq!(t.raised + t.liquidated, t.given);
        assert!(t.liquidated > 0.0 && t.raised > t.liquidated, "{t:?}");
        let alive: f64 = k.holdings.handout_alive.iter().map(|&x| x as f64).sum();
        assert_eq!(alive, t.raised);
    }

    #[test]
    fn ill_suited_animals_die_faster_and_are_sold_at_harvest() {
        let sc = township(50);
        let (r, _) = after_pre_policy_year(&sc);
        let pig = commodity(&sc, "pig");
        let price = vec![sc.commodities[pig].base_price; sc.commodities.len()];
        let nv = sc.population.villages.len();
        let nc = sc.commodities.len();
        let season =
            |m| Season { w: &r.world, m, y: 1, price: &price, hazard_row: &r.world.hazard[nv * nc..2 * nv * nc] };
        let mut died = Vec::new();
        for suit in [1.0f32, 0.2] {
            let mut h = Holdings {
                handout_alive: vec![10.0],
                handout_item: vec![pig as u8],
                handout_suit: vec![suit],
                handout_year: vec![1],
                orchard: vec![0.0],
                orchard_item: vec![0],
                orchard_suit: vec![1.0],
                orchard_year: vec![0],
                orchard_own: vec![0],
            };
            let mut chunk = h.chunks(1, nc).pop().unwrap();
            let (mut income, mut sums) = (0.0, Sums::default());
            household(&season(3), (0, 0), &mut chunk, (1.0, 1.0), &mut income, &mut sums);
            assert_eq!(income, 0.0, "nothing is sold before the harvest month");
            died.push(sums.died);
            let before = chunk.handout_alive[0] as f64;
            assert!((before + sums.died - 10.0).abs() < 1e-5, "heads are kept or dead");
            let died_before = sums.died;
            household(&season(11), (0, 0), &mut chunk, (1.0, 1.0), &mut income, &mut sums);
            assert_eq!(chunk.handout_alive[0], 0.0, "the herd is sold at harvest");
            let sold = before - (sums.died - died_before);
            let v = r.world.traits[0].village as usize;
            let k = &sc.commodities[pig];
            let per_head = k.yield_per * suit as f64 * r.world.hazard[(nv + v) * nc + pig] as f64 * k.base_price;
            assert!(
                (income as f64 - sold * per_head).abs() < 1e-3 * sold * per_head,
                "{income} vs {}",
                sold * per_head
            );
        }
        assert!(died[1] > died[0], "{died:?}");
    }

    #[test]
    fn a_handed_out_orchard_bears_by_its_age() {
        let mut sc = township(50);
        let apple = commodity(&sc, "apple");
        sc.setting.commodities[apple].yield_by_age = vec![0.0, 0.5, 1.0];
        let (r, _) = after_pre_policy_year(&sc);
        let k = &sc.commodities[apple];
        let price = vec![k.base_price; sc.commodities.len()];
        let nv = sc.population.villages.len();
        let nc = sc.commodities.len();
        let income_at = |y: usize| {
            let hazard_row = &r.world.hazard[y * nv * nc..(y + 1) * nv * nc];
            let season = Season { w: &r.world, m: k.harvest_month, y, price: &price, hazard_row };
            let mut h = Holdings {
                handout_alive: vec![0.0],
                handout_item: vec![0],
                handout_suit: vec![1.0],
                handout_year: vec![1],
                orchard: vec![1.0],
                orchard_item: vec![apple as u8],
                orchard_suit: vec![1.0],
                orchard_year: vec![1],
                orchard_own: vec![0],
            };
            let mut chunk = h.chunks(1, nc).pop().unwrap();
            let (mut income, mut sums) = (0.0, Sums::default());
            household(&season, (0, 0), &mut chunk, (1.0, 1.0), &mut income, &mut sums);
            assert_eq!(chunk.orchard[0], 1.0, "trees with a curve stay after their harvest");
            // What the trees bore, per unit of hazard kept (the upkeep is charged after the first year).
            let v = r.world.traits[0].village as usize;
            (income as f64 + if y > 1 { k.cost } else { 0.0 }) / hazard_row[v * nc + apple] as f64
        };
        let (age0, age1, age2) = (income_at(1), income_at(2), income_at(3));
        assert_eq!(age0, 0.0);
        assert!(age1 > 0.0 && (age1 - 0.5 * age2).abs() < 1e-3 * age2, "{age1} {age2}");
    }

    /// Trees as an investment: households with one yuan less than a mu's
    /// planting cost above their buffer plant nothing; with one yuan more,
    /// one mu, taken from their staple land (land is kept), paid from
    /// savings and counted as investment. Only in the crop's planting month.
    #[test]
    fn a_household_plants_a_whole_mu_of_trees_when_it_can_pay_for_it() {
        let mut sc = township(600);
        let apple = commodity(&sc, "apple");
        let k = &mut sc.setting.commodities[apple];
        (k.yield_by_age, k.planting_cost) = (vec![0.0, 0.0, 0.5, 1.0], 3000.0);
        sc.setting.behaviour.liquidation_base = 0.0;
        let (r, mut s) = after_pre_policy_year(&sc);
        let w = &r.world;
        let b = sc.behaviour;
        let price: Vec<f64> = sc.commodities.iter().map(|k| k.base_price).collect();
        let nc = sc.commodities.len();
        let staple = sc.population.staple;
        let able: Vec<usize> = (0..w.households())
            .filter(|&i| {
                let effort = dependency::effort(&b, s.hh.dependency[i]);
                s.hh.area[i * nc + staple] >= 1.0
                    && sc.commodities[apple].mu_per_labour as f32 * w.traits[i].labour >= 1.0
                    && orchard_value(w, apple, i, effort, &price) > 0.0
            })
            .collect();
        assert!(able.len() > 20, "{} households could plant apples", able.len());
        // Over a single year, young trees never pay: the horizon counts.
        let mut short = sc.clone();
        short.setting.behaviour.investment_horizon_years = 1.0;
        let (rs, _) = after_pre_policy_year(&short);
        assert!(orchard_value(&rs.world, apple, able[0], 1.0, &price) < 0.0);
        for (n, &i) in able.iter().enumerate() {
            let buffer = (b.buffer_months * b.subsistence) as f32 * w.traits[i].adult_eq;
            s.hh.savings[i] = buffer + 3000.0 + if n % 2 == 0 { -1.0 } else { 1.0 };
        }
        let land: Vec<f32> = able.iter().map(|&i| s.hh.area[i * nc + staple]).collect();
        s.inkind = InKind::new(w.households());
        let month = sc.commodities[apple].plant_month;
        let elsewhen = crate::testing::invest(&r, &mut s, &price, ((month + 1) % 12, 1));
        assert_eq!(elsewhen.trees, 0.0, "not outside the planting month");
        let sums = crate::testing::invest(&r, &mut s, &price, (month, 1));
        for (n, &i) in able.iter().enumerate() {
            let planted = s.inkind.holdings.orchard[i];
            assert_eq!(planted, if n % 2 == 1 { 1.0 } else { 0.0 }, "household {i}");
            assert_eq!(s.hh.area[i * nc + staple] + planted, land[n], "land is kept");
            if planted > 0.0 {
                assert_eq!((s.inkind.holdings.orchard_own[i], s.inkind.holdings.orchard_year[i]), (1, 1));
            }
        }
        let planted: f64 = able.iter().map(|&i| s.inkind.holdings.orchard[i] as f64).sum();
        assert_eq!(sums.trees, 3000.0 * planted);
        // One orchard per household: no more trees next year; a handout of another crop clears the
        // household's own trees and gives their land back to the staple.
        let grower = able[1];
        crate::testing::invest(&r, &mut s, &price, (month, 2));
        assert_eq!(s.inkind.holdings.orchard[grower], 1.0);
        let pepper = commodity(&sc, "pepper");
        let mut herds = Herd::new(w);
        s.hh.dependency[grower] = 0.0;
        s.hh.savings[grower] = 1e6;
        give_item(w, &mut s.hh, (&mut s.inkind, &mut herds), grower, (pepper, 1.0), 2.0, 2000.0, 2);
        let k = &s.inkind.holdings;
        assert_eq!(k.orchard_item[grower] as usize, pepper);
        assert_eq!((k.orchard[grower], k.orchard_own[grower]), (2.0, 0));
        assert_eq!(s.hh.area[grower * nc + staple], land[1], "the land is back");
        // At a tenth of the price, apples do not pay for the land they take: nobody plants.
        let cheap: Vec<f64> = price.iter().enumerate().map(|(c, &p)| if c == apple { p / 10.0 } else { p }).collect();
        s.inkind = InKind::new(w.households());
        assert_eq!(crate::testing::invest(&r, &mut s, &cheap, (month, 1)).trees, 0.0);
    }
}
