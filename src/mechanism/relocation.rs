//! Ecological relocation (易地扶贫搬迁, 生态移民搬迁): moving households out of
//! harsh villages to a resettlement site with other land, jobs and costs.
//!
//! Each year in `transfer_month` (plus the delivery delay) the arm first
//! lets households still adjusting at the site go home with chance
//! `return_chance` (a keyed draw per household and year), then offers a
//! move to served registered households of the listed `villages` that have
//! never moved, in the keyed project order, while its pool pays
//! `cost_per_person` × the household's size. A household takes the move up
//! with chance `take_up` (a keyed draw, the same in every arm) and pays
//! `own_contribution` per person itself (自筹, a cost of that month). The
//! programme's money reaches the household in kind (the new house), and the
//! new house meets the housing guarantee ([`super::guarantee`]).
//!
//! At the site a household farms `land_share` of its crop land (the rest is
//! left in the village, and given back if it returns; its animals move with
//! it); its local wage work pays
//! `wage_factor` times the township's wage; it spends `living_cost` per
//! person a month more (food, water and fuel bought in town); the site's
//! `income_factor` replaces its village's in its productivity, and its
//! village's infrastructure factors no longer apply (the site's are 1). For its first
//! `adjustment_months` its productivity is lower by `adjustment_loss`. A
//! household that returns gets the fields it left back and lives as
//! before; it is not offered a move again.
//!
//! Section: `[arms.policies.relocation]`.

use super::budget::{self, Delivery};
use super::labour::Rates;
use crate::check::Checker;
use crate::household::{Households, Unmet};
use crate::ledger::Ledger;
use crate::rng::Purpose;
use crate::setting::{self, CommodityKind, Village};
use crate::world::World;
use serde::{Deserialize, Serialize};

/// Ecological relocation (易地扶贫搬迁).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RelocationFile {
    /// Share of the yearly budget for moving households.
    ///
    /// Unit: prob. Default: required. Allowed: [0, 1].
    pub budget_share: f64,
    /// Villages whose households are offered a move (names from `population.villages`).
    ///
    /// Unit: –. Default: required. Allowed: a non-empty list of village names, each once.
    pub villages: Vec<String>,
    /// Month households are offered a move (and those adjusting may go home); it happens `delay_months` later.
    ///
    /// Unit: month 1–12. Default: `3`. Allowed: [1, 12].
    #[serde(default = "crate::check::default_transfer_month")]
    pub transfer_month: i64,
    /// What moving one person costs the programme: the new house and the site's services, once.
    ///
    /// Unit: yuan/person. Default: `60000` (of the order of the 2016–2020 programme's spending, about 600 billion
    /// yuan for 9.6 million people). Allowed: [1, 1e7].
    #[serde(default = "default_cost")]
    pub cost_per_person: f64,
    /// What a moving household pays itself (自筹), once, at the move.
    ///
    /// Unit: yuan/person. Default: `1000` (assumed; the rules capped it at 3,000). Allowed: [0, 1e6].
    #[serde(default = "default_contribution")]
    pub own_contribution: f64,
    /// Chance that a household offered a move takes it up (a keyed draw per household and year).
    ///
    /// Unit: prob. Default: `0.8` (assumed). Allowed: [0, 1].
    #[serde(default = "default_take_up")]
    pub take_up: f64,
    /// Share of its crop land a household still farms from the site (the rest is left in the village; animals move).
    ///
    /// Unit: share. Default: `0.3` (assumed). Allowed: [0, 1].
    #[serde(default = "default_land_share")]
    pub land_share: f64,
    /// The site's income factor (harsh conditions, roads, access to information), in place of the village's
    /// `income_factor` in a moved household's productivity.
    ///
    /// Unit: multiplier. Default: `1` (assumed: an ordinary place in the township). Allowed: [0.01, 100].
    #[serde(default = "crate::check::default_one")]
    pub income_factor: f64,
    /// Factor on the local wage work of a household at the site (workshops and jobs in town).
    ///
    /// Unit: multiplier. Default: `1.5` (assumed). Allowed: [0, 10].
    #[serde(default = "default_wage_factor")]
    pub wage_factor: f64,
    /// What living at the site costs a person more each month (food, water and fuel bought in town).
    ///
    /// Unit: yuan/person/month. Default: `30` (assumed). Allowed: [0, 1e5].
    #[serde(default = "default_living_cost")]
    pub living_cost: f64,
    /// Months after the move during which the household is adjusting (its productivity lower, its return possible).
    ///
    /// Unit: months. Default: `24` (assumed). Allowed: [0, 600].
    #[serde(default = "default_adjustment_months")]
    pub adjustment_months: i64,
    /// Share of productivity (work, fields, business) lost while adjusting.
    ///
    /// Unit: share. Default: `0.3` (assumed). Allowed: [0, 1].
    #[serde(default = "default_adjustment_loss")]
    pub adjustment_loss: f64,
    /// Yearly chance that a household still adjusting goes back to its village (a keyed draw per household and year,
    /// in `transfer_month`).
    ///
    /// Unit: prob per year. Default: `0.1` (assumed). Allowed: [0, 1].
    #[serde(default = "default_return_chance")]
    pub return_chance: f64,
    /// Whether households kept on the register in transition after their exit (`targeting.transition_years`,
    /// 脱贫不脱政策) are still offered a move, as they were from 2015 to 2020.
    ///
    /// Unit: –. Default: `true` (as from 2015 to 2020). Allowed: `true` or `false`.
    #[serde(default = "crate::check::default_true")]
    pub transition: bool,
}
fn default_cost() -> f64 {
    60_000.0
}
fn default_contribution() -> f64 {
    1_000.0
}
fn default_take_up() -> f64 {
    0.8
}
fn default_land_share() -> f64 {
    0.3
}
fn default_wage_factor() -> f64 {
    1.5
}
fn default_living_cost() -> f64 {
    30.0
}
fn default_adjustment_months() -> i64 {
    24
}
fn default_adjustment_loss() -> f64 {
    0.3
}
fn default_return_chance() -> f64 {
    0.1
}

#[derive(Debug, Clone, PartialEq)]
pub struct RelocationPolicy {
    pub budget_share: f64,
    /// Bit per village: `true` if its households are offered a move.
    pub from: Vec<bool>,
    /// 0-based.
    pub transfer_month: u8,
    pub cost_per_person: f64,
    pub own_contribution: f64,
    pub take_up: f64,
    pub land_share: f64,
    /// Per village: the site's income factor ÷ the village's.
    pub lift: Vec<f32>,
    pub wage_factor: f64,
    pub living_cost: f64,
    pub adjustment_months: u32,
    pub adjustment_loss: f64,
    pub return_chance: f64,
    pub transition: bool,
}

/// `arms[i].policies.relocation` (`q` is its path).
pub fn check(c: &mut Checker, q: &str, f: &RelocationFile, villages: &[Village]) -> RelocationPolicy {
    c.prob(&format!("{q}.budget_share"), f.budget_share);
    let mut from = vec![false; villages.len()];
    if f.villages.is_empty() {
        c.push(&format!("{q}.villages"), "[]", "at least one village");
    }
    for (k, name) in f.villages.iter().enumerate() {
        let v = setting::village_index(c, villages, &format!("{q}.villages[{k}]"), name);
        if let Some(slot) = from.get_mut(v) {
            if *slot {
                c.push(&format!("{q}.villages[{k}]"), format!("{name:?}"), "each village once");
            }
            *slot = true;
        }
    }
    let transfer_month = c.month(&format!("{q}.transfer_month"), f.transfer_month);
    c.num(&format!("{q}.cost_per_person"), f.cost_per_person, 1.0, 1e7);
    c.num(&format!("{q}.own_contribution"), f.own_contribution, 0.0, 1e6);
    c.prob(&format!("{q}.take_up"), f.take_up);
    c.prob(&format!("{q}.land_share"), f.land_share);
    c.num(&format!("{q}.income_factor"), f.income_factor, 0.01, 100.0);
    c.num(&format!("{q}.wage_factor"), f.wage_factor, 0.0, 10.0);
    c.num(&format!("{q}.living_cost"), f.living_cost, 0.0, 1e5);
    c.int(&format!("{q}.adjustment_months"), f.adjustment_months, 0, 600);
    c.prob(&format!("{q}.adjustment_loss"), f.adjustment_loss);
    c.prob(&format!("{q}.return_chance"), f.return_chance);
    RelocationPolicy {
        budget_share: f.budget_share,
        from,
        transfer_month,
        cost_per_person: f.cost_per_person,
        own_contribution: f.own_contribution,
        take_up: f.take_up,
        land_share: f.land_share,
        lift: villages.iter().map(|v| (f.income_factor / v.income_factor) as f32).collect(),
        wage_factor: f.wage_factor,
        living_cost: f.living_cost,
        adjustment_months: f.adjustment_months.clamp(0, 600) as u32,
        adjustment_loss: f.adjustment_loss,
        return_chance: f.return_chance,
        transition: f.transition,
    }
}

/// What the household pass reads of the site this month.
#[derive(Debug, Clone, Copy)]
pub struct Site<'a> {
    /// The wage and remittance rates at the site (the wage times `wage_factor`).
    pub rates: Rates,
    /// Extra living cost per person this month, yuan.
    pub living_cost: f32,
    /// Productivity factor while adjusting: 1 − `adjustment_loss`.
    pub adjusting: f32,
    pub adjustment_months: u32,
    /// Per village: the site's income factor ÷ the village's.
    pub lift: &'a [f32],
    /// This month (months since January of the pre-policy year).
    pub t: u32,
}

impl<'a> Site<'a> {
    /// The site of policy `k` in month `t`, at the township's `rates`.
    pub fn new(k: &'a RelocationPolicy, rates: Rates, t: u32) -> Site<'a> {
        Site {
            rates: Rates { wage: rates.wage * k.wage_factor as f32, ..rates },
            living_cost: k.living_cost as f32,
            adjusting: (1.0 - k.adjustment_loss) as f32,
            adjustment_months: k.adjustment_months,
            lift: &k.lift,
            t,
        }
    }

    /// The productivity factor of a household of village `v` that moved in
    /// month `moved`: the site's income factor for its village's, and lower
    /// while adjusting.
    #[inline]
    pub fn productivity(&self, v: usize, moved: u32) -> f32 {
        let lift = self.lift[v];
        if self.t < moved + self.adjustment_months {
            lift * self.adjusting
        } else {
            lift
        }
    }
}

/// What a year's offer did.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Moves {
    pub moved: f64,
    pub returned: f64,
}

/// The month's moves (`t` = months since January of the pre-policy year):
/// households still adjusting may go home, then served registered
/// households of the listed villages that never moved take a move up while
/// the pool pays for them.
pub fn relocate(
    w: &World,
    k: &RelocationPolicy,
    delivery: &Delivery,
    hh: &mut Households,
    (pool, ledger): (&mut f64, &mut Ledger),
    t: u32,
) -> Moves {
    let (m, y) = ((t % 12) as u8, t / 12);
    let mut moves = Moves::default();
    if !budget::runs_now(delivery, k.transfer_month, m) {
        return moves;
    }
    let nc = w.sc.commodities.len();
    for i in 0..w.households() {
        let at = hh.moved[i];
        if at == 0 || hh.returned[i] || t >= at as u32 - 1 + k.adjustment_months {
            continue;
        }
        if t > at as u32 - 1 && w.streams.uniform(Purpose::Relocation, i as u64, 2 * y + 1) < k.return_chance {
            hh.returned[i] = true;
            // The fields it left behind are its own again.
            for c in i * nc..(i + 1) * nc {
                hh.area[c] += std::mem::take(&mut hh.left[c]);
            }
            moves.returned += 1.0;
        }
    }
    for i in w.project_walk(14_000 + y as u64, delivery.teams) {
        let st = hh.status[i];
        let size = w.sizes[i] as f64;
        let cost = k.cost_per_person * size;
        if hh.moved[i] != 0 || !k.from[w.traits[i].village as usize] || !st.served(k.transition) || *pool < cost {
            continue;
        }
        if w.streams.uniform(Purpose::Relocation, i as u64, 2 * y) >= k.take_up {
            continue;
        }
        *pool -= cost;
        ledger.pay(st.poor(), cost);
        hh.moved[i] = (t + 1) as u16;
        hh.unmet[i].remove(Unmet::HOUSING);
        hh.extra[i] -= (k.own_contribution * size) as f32;
        // It farms `land_share` of each crop from the site; its animals move with it.
        for c in (0..nc).filter(|&c| w.sc.commodities[c].kind == CommodityKind::Crop) {
            let left = hh.area[i * nc + c] * (1.0 - k.land_share as f32);
            hh.area[i * nc + c] -= left;
            hh.left[i * nc + c] = left;
        }
        moves.moved += 1.0;
    }
    moves
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::household::Status;

    fn policy(villages: usize) -> RelocationPolicy {
        let mut from = vec![false; villages];
        from[0] = true;
        RelocationPolicy {
            budget_share: 1.0,
            from,
            transfer_month: 2,
            cost_per_person: 1000.0,
            own_contribution: 100.0,
            take_up: 0.5,
            land_share: 0.25,
            lift: vec![2.0; villages],
            wage_factor: 1.5,
            living_cost: 30.0,
            adjustment_months: 24,
            adjustment_loss: 0.3,
            return_chance: 1.0,
            transition: true,
        }
    }

    /// About `take_up` of the first village's served households move, each
    /// costing `cost_per_person` × its size to the pool and the ledger, its
    /// housing guarantee met, its crop land scaled (not its animals) and its
    /// own contribution charged; a year later, with a certain return, every
    /// one of them is home with the fields it had before the move (not its
    /// customary ones: land that had left before stays gone) and is not
    /// offered a move again.
    #[test]
    fn movers_cost_their_size_and_returners_get_their_own_fields_back() {
        let sc = crate::testing::township(4000);
        let (r, mut s) = crate::testing::after_pre_policy_year(&sc);
        let w = &r.world;
        let k = policy(sc.population.villages.len());
        let nc = sc.commodities.len();
        s.hh.status.iter_mut().for_each(|st| *st = Status::POOR | Status::REGISTERED);
        s.hh.unmet.iter_mut().for_each(|u| *u = Unmet::HOUSING);
        let (mut pool, mut ledger) = (1e12, Ledger::default());
        let d = Delivery::default();
        assert_eq!(
            relocate(w, &k, &d, &mut s.hh, (&mut pool, &mut ledger), 12 + 1),
            Moves::default(),
            "not this month"
        );
        // Some land already left the fields before the move (leased, say): it must not come back at a return.
        let staple = sc.population.staple;
        for i in (0..w.households()).step_by(3) {
            s.hh.area[i * nc + staple] *= 0.5;
        }
        let before = s.hh.area.clone();
        let moves = relocate(w, &k, &d, &mut s.hh, (&mut pool, &mut ledger), 12 + 2);
        let first = (0..w.households()).filter(|&i| w.traits[i].village == 0).count() as f64;
        assert!((moves.moved / first - 0.5).abs() < 0.08, "{} of {first}", moves.moved);
        let movers: Vec<usize> = (0..w.households()).filter(|&i| s.hh.moved[i] > 0).collect();
        assert_eq!(movers.len() as f64, moves.moved);
        assert!(movers.iter().all(|&i| w.traits[i].village == 0 && s.hh.moved[i] == 15));
        let persons: f64 = movers.iter().map(|&i| w.sizes[i] as f64).sum();
        assert!((ledger.to_poor_households - 1000.0 * persons).abs() < 1e-6 && pool == 1e12 - 1000.0 * persons);
        for &i in &movers {
            assert!(s.hh.unmet[i].is_empty() && (s.hh.extra[i] + 100.0 * w.sizes[i] as f32).abs() < 1e-3);
            for c in 0..nc {
                let kept = if sc.commodities[c].kind == CommodityKind::Crop { 0.25 } else { 1.0 };
                assert!((s.hh.area[i * nc + c] - kept * before[i * nc + c]).abs() < 1e-4, "{i} {c}");
            }
        }
        // Next year every household still adjusting goes home and is not offered a move again; of those
        // that stayed, about `take_up` move now.
        let again = relocate(w, &k, &d, &mut s.hh, (&mut pool, &mut ledger), 24 + 2);
        assert_eq!(again.returned, moves.moved);
        assert!((again.moved / (first - moves.moved) - 0.5).abs() < 0.1, "{again:?}");
        for &i in &movers {
            assert!(s.hh.returned[i] && s.hh.moved[i] == 15);
            assert!((0..nc).all(|c| (s.hh.area[i * nc + c] - before[i * nc + c]).abs() < 1e-4), "{i}: as before");
        }
    }

    /// The site's wage is the township's times `wage_factor`; productivity is
    /// the site's, lower only for `adjustment_months` after the move.
    #[test]
    fn the_site_pays_its_wage_and_adjustment_ends() {
        let k = policy(1);
        let rates = Rates { wage: 100.0, remittance: 50.0 };
        let site = Site::new(&k, rates, 40);
        assert_eq!((site.rates.wage, site.rates.remittance), (150.0, 50.0));
        assert!((site.productivity(0, 20) - 1.4).abs() < 1e-6 && site.productivity(0, 16) == 2.0);
    }
}
