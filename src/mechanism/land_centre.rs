//! The land storage centre (土地收储中心), one of the field report's
//! proposals: farmers transfer land through it to a leading enterprise, for
//! rent, or to a cooperative, for a share of its surplus.
//!
//! Each year in `transfer_month` (plus the delivery delay) the centre walks
//! the households in the keyed project order (for an enterprise, those of
//! the villages it may link; for a cooperative, those of its village that
//! are not members). A household that has not transferred
//! land yet compares what the taker offers for a mu a year (the
//! enterprise's `rent`; or the cooperative's expected dividend per pledged
//! mu, [`cooperative::expected_dividend`]) with what a mu of its staple
//! land earns it: yield × the staple's base price × its productivity,
//! effort and village factor − the staple's cost. It transfers,
//! voluntarily, if the offer is at least (1 + `reluctance`) times that
//! (attachment to the land and its security). It then transfers its staple
//! land beyond `keep_mu`, while the taker gets no more than `max_mu`
//! through the centre and the centre's pool pays `fee_per_mu` for each mu
//! (surveys and contracts, booked to `admin`). An enterprise plants it and
//! pays the rent monthly while it is alive, and when it fails the land
//! returns to its owners; a cooperative makes the household a member
//! pledging that land, paid at each harvest by pledged land.
//!
//! Section: `[arms.policies.land_centre]`.

use super::budget::{self, Delivery};
use super::cooperative::{self, CoopState, Cooperative, CooperativePolicy, Coops};
use super::dependency;
use super::enterprise::{EnterpriseSpec, Enterprises};
use crate::check::Checker;
use crate::household::{Households, Status};
use crate::ledger::Ledger;
use crate::world::World;
use serde::{Deserialize, Serialize};

/// The land storage centre (土地收储中心).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LandCentreFile {
    /// Share of the yearly budget for the centre's transfers.
    ///
    /// Unit: prob. Default: required. Allowed: [0, 1].
    pub budget_share: f64,
    /// The enterprise that takes the land, and pays its own `rent` for it (from `[[organisations.enterprises]]`).
    ///
    /// Unit: –. Default: none. Allowed: an enterprise name; exactly one of `enterprise` and `cooperative`.
    #[serde(default)]
    pub enterprise: Option<String>,
    /// The cooperative that takes the land as members' pledges (from `[[organisations.cooperatives]]`).
    ///
    /// Unit: –. Default: none. Allowed: a cooperative name; exactly one of `enterprise` and `cooperative`.
    #[serde(default)]
    pub cooperative: Option<String>,
    /// Month households decide; the transfer happens `delay_months` later. Put it after an enterprise's own
    /// `transfer_month`, or its linking leases (staple first) the land households kept for food.
    ///
    /// Unit: month 1–12. Default: `4` (after a March tranche, before the staple's April planting). Allowed: [1, 12].
    #[serde(default = "default_month")]
    pub transfer_month: i64,
    /// What the centre spends on a mu transferred (survey, contract, registration), once.
    ///
    /// Unit: yuan/mu. Default: `50` (assumed). Allowed: [0, 1e6].
    #[serde(default = "default_fee")]
    pub fee_per_mu: f64,
    /// The most land the enterprise takes through the centre, in all.
    ///
    /// Unit: mu. Default: `2000` (assumed). Allowed: [0, 1e9].
    #[serde(default = "default_max_mu")]
    pub max_mu: f64,
    /// Staple land a transferring household keeps for its own food.
    ///
    /// Unit: mu. Default: `0.5` (assumed). Allowed: [0, 1000].
    #[serde(default = "default_keep")]
    pub keep_mu: f64,
    /// How much more than its land earns it a household needs in rent to transfer (attachment, security).
    ///
    /// Unit: share. Default: `0.2` (assumed). Allowed: [0, 100].
    #[serde(default = "default_reluctance")]
    pub reluctance: f64,
}
fn default_month() -> i64 {
    4
}
fn default_fee() -> f64 {
    50.0
}
fn default_max_mu() -> f64 {
    2000.0
}
fn default_keep() -> f64 {
    0.5
}
fn default_reluctance() -> f64 {
    0.2
}

/// Who takes the land transferred through the centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taker {
    /// Enterprise index.
    Enterprise(usize),
    /// Cooperative index.
    Cooperative(usize),
}

#[derive(Debug, Clone, Copy)]
pub struct LandCentrePolicy {
    pub budget_share: f64,
    pub taker: Taker,
    /// 0-based.
    pub transfer_month: u8,
    pub fee_per_mu: f64,
    pub max_mu: f64,
    pub keep_mu: f64,
    pub reluctance: f64,
}

impl LandCentrePolicy {
    /// The enterprise that rents the land, if an enterprise takes it.
    pub fn enterprise(&self) -> Option<usize> {
        match self.taker {
            Taker::Enterprise(e) => Some(e),
            Taker::Cooperative(_) => None,
        }
    }
}

/// `arms[i].policies.land_centre` (`q` is its path).
pub fn check(
    c: &mut Checker,
    q: &str,
    f: &LandCentreFile,
    (enterprises, cooperatives): (&[EnterpriseSpec], &[Cooperative]),
) -> LandCentrePolicy {
    c.prob(&format!("{q}.budget_share"), f.budget_share);
    let taker = match (&f.enterprise, &f.cooperative) {
        (Some(name), None) => Taker::Enterprise(c.lookup(
            &format!("{q}.enterprise"),
            name,
            enterprises.iter().map(|e| &e.name),
            "the enterprises in [[organisations.enterprises]]",
        )),
        (None, Some(name)) => Taker::Cooperative(c.lookup(
            &format!("{q}.cooperative"),
            name,
            cooperatives.iter().map(|k| &k.name),
            "the cooperatives in [[organisations.cooperatives]]",
        )),
        (both, _) => {
            let got = if both.is_some() { "both" } else { "neither" };
            c.push(q, format!("{got} of enterprise and cooperative"), "exactly one of enterprise and cooperative");
            Taker::Enterprise(0)
        }
    };
    let transfer_month = c.month(&format!("{q}.transfer_month"), f.transfer_month);
    c.num(&format!("{q}.fee_per_mu"), f.fee_per_mu, 0.0, 1e6);
    c.num(&format!("{q}.max_mu"), f.max_mu, 0.0, 1e9);
    c.num(&format!("{q}.keep_mu"), f.keep_mu, 0.0, 1000.0);
    c.num(&format!("{q}.reluctance"), f.reluctance, 0.0, 100.0);
    LandCentrePolicy {
        budget_share: f.budget_share,
        taker,
        transfer_month,
        fee_per_mu: f.fee_per_mu,
        max_mu: f.max_mu,
        keep_mu: f.keep_mu,
        reluctance: f.reluctance,
    }
}

/// What a mu of staple land earns household `i` a year at its village's
/// productivity factor `village_income`: yield × base price × productivity
/// × effort × the factor − the staple's cost.
pub fn earns(w: &World, hh: &Households, i: usize, village_income: f32) -> f64 {
    let sc = w.sc;
    let staple = sc.population.staple;
    let tr = &w.traits[i];
    let c = &sc.commodities[staple];
    let ys = w.yield_suit[tr.village as usize * sc.commodities.len() + staple] as f64;
    let prod = (tr.productivity * dependency::effort(&sc.behaviour, hh.dependency[i]) * village_income) as f64;
    ys * c.base_price * prod - c.cost
}

/// The policy's taker and its offer, yuan a mu a year: the enterprise's
/// `rent`, or the cooperative's expected dividend per pledged mu under the
/// arm's cooperative policy `coop_policy`.
pub fn taker<'a>(
    w: &World,
    k: &LandCentrePolicy,
    (ents, coops): (&'a mut Enterprises, &'a mut Coops),
    (ent_specs, coop_specs): (&'a [EnterpriseSpec], &'a [Cooperative]),
    coop_policy: Option<&CooperativePolicy>,
) -> (To<'a>, f64) {
    match k.taker {
        Taker::Enterprise(e) => (To::Enterprise(ents, e, &ent_specs[e]), ent_specs[e].rent),
        Taker::Cooperative(c) => {
            let offer = cooperative::expected_dividend(w, (c, &coop_specs[c]), coop_policy);
            (To::Cooperative(&mut coops.states[c], &coop_specs[c]), offer)
        }
    }
}

/// Where the land goes: an enterprise's leased land, or a cooperative's
/// pledges.
pub enum To<'a> {
    /// The firms, the taker's index and its spec (the villages it may take land in, its crop).
    Enterprise(&'a mut Enterprises, usize, &'a EnterpriseSpec),
    Cooperative(&'a mut CoopState, &'a Cooperative),
}

impl To<'_> {
    /// Whether the taker can take land.
    fn alive(&self) -> bool {
        match self {
            To::Enterprise(ent, k, _) => ent.firms[*k].alive,
            To::Cooperative(coop, _) => coop.alive,
        }
    }

    /// Whether household `i` may transfer to it.
    fn may(&self, w: &World, hh: &Households, i: usize) -> bool {
        match self {
            To::Enterprise(_, _, spec) => {
                spec.villages.is_empty() || spec.villages.contains(&(w.traits[i].village as usize))
            }
            To::Cooperative(_, spec) => {
                w.traits[i].village as usize == spec.village && !hh.status[i].contains(Status::COOP)
            }
        }
    }
}

/// The month's transfers: households whose land earns them less than
/// `offer` (yuan per mu a year, with the reluctance margin) transfer their
/// staple land beyond `keep_mu` to the taker, while it gets no more than
/// `max_mu` and the pool pays the fee. Returns the mu transferred.
pub fn transfer(
    w: &World,
    (k, d): (&LandCentrePolicy, &Delivery),
    (mut to, offer): (To, f64),
    hh: &mut Households,
    (pool, ledger): (&mut f64, &mut Ledger),
    (village_income, m, y): (&[f32], u8, usize),
) -> f64 {
    if !budget::runs_now(d, k.transfer_month, m) || !to.alive() || offer <= 0.0 {
        return 0.0;
    }
    let nc = w.sc.commodities.len();
    let staple = w.sc.population.staple;
    let held: f64 = hh.transferred.iter().map(|&x| x as f64).sum();
    let mut room = k.max_mu - held;
    let (mut moved, mut output) = (0.0, 0.0);
    for i in w.project_walk(16_000 + y as u64, d.teams) {
        // Below a thousandth of a mu is rounding, not land.
        if room < 1e-3 || (k.fee_per_mu > 0.0 && *pool < 1e-3 * k.fee_per_mu) {
            break;
        }
        let spare = (hh.area[i * nc + staple] as f64 - k.keep_mu).max(0.0);
        if hh.transferred[i] > 0.0 || spare <= 0.0 || !to.may(w, hh, i) {
            continue;
        }
        let earn = earns(w, hh, i, village_income[w.traits[i].village as usize]);
        if offer < earn.max(0.0) * (1.0 + k.reluctance) {
            continue;
        }
        let affordable = if k.fee_per_mu > 0.0 { *pool / k.fee_per_mu } else { f64::INFINITY };
        let mu = spare.min(room).min(affordable);
        if mu < 1e-3 {
            continue;
        }
        hh.area[i * nc + staple] -= mu as f32;
        hh.transferred[i] = mu as f32;
        *pool -= mu * k.fee_per_mu;
        ledger.admin += mu * k.fee_per_mu;
        room -= mu;
        moved += mu;
        if let To::Enterprise(_, _, spec) = &to {
            output += mu * w.yield_suit[w.traits[i].village as usize * nc + spec.commodity] as f64;
        }
        if let To::Cooperative(coop, _) = &mut to {
            cooperative::join(coop, hh, i, mu as f32);
        }
    }
    if let To::Enterprise(ent, e, _) = to {
        ent.firms[e].lease(moved, output);
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(max_mu: f64, reluctance: f64) -> LandCentrePolicy {
        LandCentrePolicy {
            budget_share: 0.1,
            taker: Taker::Enterprise(0),
            transfer_month: 1,
            fee_per_mu: 50.0,
            max_mu,
            keep_mu: 0.5,
            reluctance,
        }
    }

    /// Only households whose staple land earns them less than the rent
    /// (with the margin) transfer, so they are the less productive; each
    /// keeps `keep_mu`; the land moved is what their fields lost and what
    /// the enterprise gained (mass balance); the fee is booked to `admin`;
    /// the enterprise takes no more than `max_mu`; and a higher reluctance
    /// moves less land.
    #[test]
    fn land_moves_from_those_it_earns_least_to_the_rent_and_stops_at_the_cap() {
        let sc = crate::testing::township(3000);
        let (r, s0) = crate::testing::after_pre_policy_year(&sc);
        let w = &r.world;
        let (nc, staple) = (sc.commodities.len(), sc.population.staple);
        let spec = &sc.enterprises[0];
        let ones = vec![1.0; sc.population.villages.len()];
        let run = |k: &LandCentrePolicy| {
            let mut s = s0.clone();
            let (mut pool, mut ledger) = (1e9, Ledger::default());
            let d = Delivery::default();
            let to = (To::Enterprise(&mut s.ent, 0, spec), spec.rent);
            let moved = transfer(w, (k, &d), to, &mut s.hh, (&mut pool, &mut ledger), (&ones, 1, 1));
            (s, moved, ledger)
        };
        let k = policy(1e9, 0.2);
        let (s, moved, ledger) = run(&k);
        assert!(moved > 100.0);
        assert!((ledger.admin - 50.0 * moved).abs() < 1e-6 * ledger.admin);
        assert!((s.ent.firms[0].leased_mu - moved).abs() < 1e-6 * moved);
        let mut sum = 0.0;
        for i in 0..w.households() {
            let t = s.hh.transferred[i] as f64;
            let before = s0.hh.area[i * nc + staple] as f64;
            assert!((s.hh.area[i * nc + staple] as f64 + t - before).abs() < 1e-3, "land is conserved");
            let earn = earns(w, &s0.hh, i, 1.0);
            if t > 0.0 {
                assert!(spec.rent >= earn.max(0.0) * 1.2 && (s.hh.area[i * nc + staple] - 0.5).abs() < 1e-4);
            } else if before > 0.5 {
                assert!(spec.rent < earn * 1.2, "{i} earns {earn} and kept its land");
            }
            sum += t;
        }
        assert!((sum - moved).abs() < 1e-3 * moved);
        // The cap, and a higher reluctance.
        let (_, capped, _) = run(&policy(300.0, 0.2));
        assert!((capped - 300.0).abs() < 1e-3);
        let (_, reluctant, _) = run(&policy(1e9, 1.0));
        assert!(reluctant < moved);
        // Not in another month.
        let (_, none, _) = run(&LandCentrePolicy { transfer_month: 5, ..k });
        assert_eq!(none, 0.0);
    }

    /// Through the centre to a cooperative: only households of its village
    /// that are not members join, each pledging the land it transferred.
    #[test]
    fn land_through_the_centre_makes_members_of_a_cooperative() {
        let sc = crate::testing::township(3000);
        let (r, mut s) = crate::testing::after_pre_policy_year(&sc);
        let w = &r.world;
        let spec = &sc.cooperatives[0];
        let (members, pooled) = (s.coops.states[0].membership.members.len(), s.coops.states[0].membership.pooled);
        let k = LandCentrePolicy { taker: Taker::Cooperative(0), ..policy(1e9, 0.0) };
        let (mut pool, mut ledger) = (1e9, Ledger::default());
        let ones = vec![1.0; sc.population.villages.len()];
        let to = (To::Cooperative(&mut s.coops.states[0], spec), 1e6);
        let moved = transfer(w, (&k, &Delivery::default()), to, &mut s.hh, (&mut pool, &mut ledger), (&ones, 1, 1));
        let m = &s.coops.states[0].membership;
        let joined = &m.members[members..];
        assert!(moved > 0.0 && !joined.is_empty());
        assert!((m.pooled - pooled - moved).abs() < 1e-3 * moved);
        for (&i, &mu) in joined.iter().zip(&m.pledged[members..]) {
            let i = i as usize;
            assert_eq!(w.traits[i].village as usize, spec.village);
            assert!(s.hh.status[i].contains(Status::COOP) && s.hh.transferred[i] == mu);
        }
        assert!(!m.members[..members].iter().any(|&i| s.hh.transferred[i as usize] > 0.0), "members before did not");
    }
}
