//! Kin and neighbour networks (MODEL.md §9): whom a household watches, and
//! how crops spread from household to household by imitation.
//!
//! - **The graph** is generated, not stored. Household *i*'s contacts are its
//!   `neighbours` nearest households on a ring of its village (*i* + 1,
//!   *i* − 1, *i* + 2, …, wrapping within the village; the households of a
//!   village are numbered in a fixed order that stands for its lanes), and
//!   `kin` households of its village drawn once (keyed by household and
//!   rank, the same in every arm). Ties are directed: *i* watches them.
//! - **Adoption.** In a crop's planting month, before anyone plants, a
//!   household that does not grow it looks at its contacts. If the village
//!   suits the crop (suitability ≥ `min_suitability`), a mu of it earned more
//!   there last season than a mu of the staple (at the realised prices, the
//!   village's yields, costs and digging), and `entry_share` of the
//!   household's land would earn that gain over `entry_cost` in one season,
//!   it adopts with chance `imitation_rate` × the share of its contacts that
//!   grow the crop, if its savings cover the entry cost and the planting.
//!   It pays `entry_cost` at once (seed stock, learning; booked in its
//!   account) and from then on plants the larger of its customary area and
//!   `entry_share` of its land, scaled like every grower's by the market's
//!   area factor (`market::household`, within land, labour and cash).
//!
//! Section: `[network]` (off by default: no contacts).

use super::market::MarketState;
use crate::check::Checker;
use crate::household::Households;
use crate::rng::Purpose;
use crate::setting::CommodityKind;
use crate::world::World;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkFile {
    /// Neighbours each household watches: its nearest households on a ring of its village (+1, −1, +2, −2, …). With
    /// `kin`, 0 turns the network off.
    ///
    /// Unit: households. Default: `0`. Allowed: [0, 16].
    #[serde(default)]
    pub neighbours: i64,
    /// Kin each household watches: households of its village drawn once per household (keyed), the same in every arm.
    ///
    /// Unit: households. Default: `0`. Allowed: [0, 16].
    #[serde(default)]
    pub kin: i64,
    /// Chance per season that a household which sees all its contacts grow a crop that pays takes it up; it scales
    /// with the share of contacts that grow it. Assumed.
    ///
    /// Unit: prob per season. Default: `0.3`. Allowed: [0, 1].
    #[serde(default = "default_imitation_rate")]
    pub imitation_rate: f64,
    /// Suitability (altitude, slope and climate: the share of the nominal yield a village gets) below which a
    /// village's households never take a crop up. Assumed.
    ///
    /// Unit: share of nominal yield. Default: `0.5`. Allowed: [0, 1].
    #[serde(default = "default_min_suitability")]
    pub min_suitability: f64,
    /// Share of its land an adopter plants with the crop (from its staple land), before the market's area factor and
    /// the crop's land, labour and cash limits. Assumed.
    ///
    /// Unit: prob. Default: `0.2`. Allowed: [0, 1].
    #[serde(default = "default_entry_share")]
    pub entry_share: f64,
    /// What taking a crop up costs at once (seed stock, tools, learning), paid from savings; the first season's
    /// expected gain over the staple must exceed it. Assumed.
    ///
    /// Unit: yuan. Default: `2000`. Allowed: [0, 1e7].
    #[serde(default = "default_entry_cost")]
    pub entry_cost: f64,
}
fn default_imitation_rate() -> f64 {
    0.3
}
fn default_min_suitability() -> f64 {
    0.5
}
fn default_entry_share() -> f64 {
    0.2
}
fn default_entry_cost() -> f64 {
    2000.0
}

impl Default for NetworkFile {
    fn default() -> Self {
        NetworkFile {
            neighbours: 0,
            kin: 0,
            imitation_rate: default_imitation_rate(),
            min_suitability: default_min_suitability(),
            entry_share: default_entry_share(),
            entry_cost: default_entry_cost(),
        }
    }
}

/// Validated `[network]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Network {
    pub neighbours: u8,
    pub kin: u8,
    pub imitation_rate: f64,
    pub min_suitability: f64,
    pub entry_share: f64,
    pub entry_cost: f64,
}

impl Network {
    /// Whether households watch anyone and may imitate.
    pub fn on(&self) -> bool {
        self.neighbours + self.kin > 0 && self.imitation_rate > 0.0
    }
}

/// `[network]`.
pub fn check(c: &mut Checker, f: &NetworkFile) -> Network {
    c.int("network.neighbours", f.neighbours, 0, 16);
    c.int("network.kin", f.kin, 0, 16);
    c.prob("network.imitation_rate", f.imitation_rate);
    c.prob("network.min_suitability", f.min_suitability);
    c.prob("network.entry_share", f.entry_share);
    c.num("network.entry_cost", f.entry_cost, 0.0, 1e7);
    Network {
        neighbours: f.neighbours.clamp(0, 16) as u8,
        kin: f.kin.clamp(0, 16) as u8,
        imitation_rate: f.imitation_rate,
        min_suitability: f.min_suitability,
        entry_share: f.entry_share,
        entry_cost: f.entry_cost,
    }
}

/// The households of its village that household `i` watches: its ring
/// neighbours, then its kin. May repeat a contact in a village smaller than
/// the network; never `i` itself.
pub fn contacts(w: &World, nw: &Network, i: usize) -> impl Iterator<Item = usize> {
    let range = w.village_range(w.traits[i].village as usize);
    let (start, n) = (range.start, range.len());
    let (pos, neighbours, kin) = (i - start, nw.neighbours as usize, nw.kin as u32);
    let ring = (1..=neighbours).map(move |d| {
        let step = d.div_ceil(2) % n;
        let offset = if d % 2 == 1 { step } else { n - step };
        start + (pos + offset) % n
    });
    let streams = w.streams;
    let kin = (0..kin).map(move |k| start + (streams.bits(Purpose::Network, i as u64, k) % n as u64) as usize);
    ring.chain(kin).filter(move |&j| j != i)
}

/// An asset a household may know of and buy (`knows` column): a small business.
pub const BUSINESS: u8 = 1;
/// A farm machine of its own.
pub const MACHINE: u8 = 2;
/// Breeding animals of any species.
pub const HERD: u8 = 4;

/// January of year index `y`: households learn of the assets their contacts
/// hold (`held`, the same bits as `knows`). A household knows what it holds;
/// for each other asset, with `s` the share of its contacts holding it, it
/// learns of it with chance `imitation_rate` × `s`. Returns how many learnt one.
pub fn learn(w: &World, nw: &Network, held: &[u8], knows: &mut [u8], y: usize) -> u32 {
    if !nw.on() {
        return 0;
    }
    let known = &*knows;
    let next: Vec<u8> = (0..w.households())
        .into_par_iter()
        .map(|i| {
            let mut k = known[i] | held[i];
            let (mut total, mut seen) = (0u32, [0u32; 3]);
            for j in contacts(w, nw, i) {
                total += 1;
                for (b, n) in seen.iter_mut().enumerate() {
                    *n += (held[j] >> b & 1) as u32;
                }
            }
            for (b, &n) in seen.iter().enumerate() {
                let bit = 1u8 << b;
                let draw = || w.streams.uniform(Purpose::Network, i as u64, 2_000_000 + 8 * y as u32 + b as u32);
                if k & bit == 0 && n > 0 && draw() < nw.imitation_rate * n as f64 / total as f64 {
                    k |= bit;
                }
            }
            k
        })
        .collect();
    let learnt = next.iter().zip(known.iter()).filter(|(a, b)| a != b).count() as u32;
    knows.copy_from_slice(&next);
    learnt
}

/// What a mu of commodity `c` earned in village `v` last season: the
/// realised price times the village's yield, less cost and digging.
fn seen_profit(w: &World, markets: &[MarketState], c: usize, v: usize) -> f64 {
    let k = &w.sc.commodities[c];
    markets[c].price * w.yield_suit[v * w.sc.commodities.len() + c] as f64 - k.cost - k.dig_cost
}

/// Crop `c`'s planting month of year index `y`, before the pass: households
/// that do not grow it take it up from their contacts. Returns how many did.
pub fn adopt(w: &World, nw: &Network, c: usize, markets: &[MarketState], hh: &mut Households, y: usize) -> u32 {
    let sc = w.sc;
    let (k, staple, nc) = (&sc.commodities[c], sc.population.staple, sc.commodities.len());
    if !nw.on() || k.kind != CommodityKind::Crop || c == staple {
        return 0;
    }
    // Per village: whether it suits the crop, and a mu's gain over the staple seen last season.
    let gain: Vec<Option<f64>> = sc
        .population
        .villages
        .iter()
        .enumerate()
        .map(|(v, village)| {
            let g = seen_profit(w, markets, c, v) - seen_profit(w, markets, staple, v);
            (k.suitability(village) >= nw.min_suitability && g > 0.0).then_some(g)
        })
        .collect();
    let bit = 1u32 << c;
    let hh_ref = &*hh;
    let takes = |i: usize| -> bool {
        let tr = &w.traits[i];
        let v = tr.village as usize;
        let Some(g) = gain[v] else { return false };
        if hh_ref.area[i * nc + c] > 0.0 || hh_ref.adopted[i] & bit != 0 || (hh_ref.moved[i] > 0 && !hh_ref.returned[i])
        {
            return false;
        }
        let mu = nw.entry_share * tr.land as f64;
        if mu * g <= nw.entry_cost || (hh_ref.savings[i] as f64) < nw.entry_cost + mu * k.cost {
            return false;
        }
        let (mut seen, mut total) = (0u32, 0u32);
        for j in contacts(w, nw, i) {
            total += 1;
            seen += (hh_ref.area[j * nc + c] > 0.0) as u32;
        }
        total > 0
            && w.streams.uniform(Purpose::Network, i as u64, 1_000 + 32 * y as u32 + c as u32)
                < nw.imitation_rate * seen as f64 / total as f64
    };
    let adopters: Vec<usize> = (0..w.households()).into_par_iter().filter(|&i| takes(i)).collect();
    let cost = nw.entry_cost as f32;
    for &i in &adopters {
        hh.adopted[i] |= bit;
        hh.savings[i] -= cost;
        hh.booked[i] -= cost as f64;
    }
    adopters.len() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    /// The township (3,000 households) and a village of it that suits pepper.
    fn village() -> (crate::scenario::Scenario, usize) {
        let sc = testing::township(3000);
        let pepper = testing::commodity(&sc, "pepper");
        let v = (0..sc.population.villages.len())
            .find(|&v| sc.commodities[pepper].suitability(&sc.population.villages[v]) >= 0.9)
            .expect("a village that suits pepper");
        (sc, v)
    }

    /// Adoption of pepper under `nw` in the first policy year, with every
    /// household of the township without it and with savings to spare, and
    /// those of the village at positions where `grows(position)` growing it.
    /// Returns who in the village took it up, their savings, and the count.
    fn run(nw: &Network, grows: impl Fn(usize) -> bool) -> (Vec<bool>, Vec<f32>, u32) {
        let (sc, v) = village();
        let pepper = testing::commodity(&sc, "pepper");
        let (r, mut s) = testing::after_pre_policy_year(&sc);
        let w = &r.world;
        let nc = sc.commodities.len();
        for i in 0..w.households() {
            s.hh.area[i * nc + pepper] = 0.0;
            s.hh.savings[i] = 50_000.0;
            s.hh.booked[i] = 50_000.0;
        }
        let range = w.village_range(v);
        for (pos, i) in range.clone().enumerate() {
            if grows(pos) {
                s.hh.area[i * nc + pepper] = 1.0;
            }
        }
        let n = adopt(w, nw, pepper, &s.markets, &mut s.hh, 1);
        let took: Vec<bool> = range.clone().map(|i| s.hh.adopted[i] & (1 << pepper) != 0).collect();
        let balanced = (0..w.households()).all(|i| (s.hh.savings[i] as f64 - s.hh.booked[i]).abs() < 1e-6);
        assert!(balanced, "what adopters pay is booked");
        (took, range.map(|i| s.hh.savings[i]).collect(), n)
    }

    const RING: Network = Network {
        neighbours: 2,
        kin: 0,
        imitation_rate: 1.0,
        min_suitability: 0.5,
        entry_share: 0.2,
        entry_cost: 100.0,
    };

    #[test]
    fn the_ring_is_the_nearest_households_of_the_village_and_kin_stay_in_it() {
        let sc = testing::township(3000);
        let w = crate::world::World::new(&sc, crate::rng::Streams::new(1, 0));
        let r = w.village_range(1);
        let nw = Network { neighbours: 4, kin: 3, ..RING };
        let first: Vec<usize> = contacts(&w, &nw, r.start).collect();
        assert_eq!(&first[..4], &[r.start + 1, r.end - 1, r.start + 2, r.end - 2], "wrapping within the village");
        assert!(first.len() <= 7 && first.iter().all(|j| r.contains(j) && *j != r.start));
    }

    #[test]
    fn adoption_follows_the_neighbour_rule_on_a_hand_built_village() {
        // Every other household grows pepper: each of the others sees only growers, and adopts (rate 1) paying 100.
        let (took, savings, n) = run(&RING, |pos| pos % 2 == 0);
        let odd = took.len() / 2;
        assert!(took.iter().enumerate().all(|(p, &t)| t == (p % 2 == 1)), "exactly the households between growers");
        assert_eq!(n as usize, odd, "and nobody in other villages, where nobody grows it");
        assert!(savings.iter().enumerate().all(|(p, &x)| x == if p % 2 == 1 { 49_900.0 } else { 50_000.0 }));
        // Every fourth grows: positions next to a grower see half their contacts grow, the others none.
        let (took, _, _) = run(&RING, |pos| pos % 4 == 0);
        // (The last household of the ring, whose neighbour wraps to the first, is left out.)
        let inside = took.len() - 1;
        let (odd, even): (Vec<_>, Vec<_>) =
            took.iter().enumerate().take(inside).filter(|(p, _)| p % 4 != 0).partition(|(p, _)| p % 2 == 1);
        assert!(even.iter().all(|(_, &t)| !t), "no growing contact, no adoption");
        let share = odd.iter().filter(|(_, &t)| t).count() as f64 / odd.len() as f64;
        // Chance 1 × 1/2 each; binomial sd ≤ 0.5/√n with n ≥ 100; 4 sd.
        assert!((share - 0.5).abs() < 4.0 * 0.5 / (odd.len() as f64).sqrt(), "{share} of {}", odd.len());
        // Rate 0.4 among those who see only growers.
        let (took, _, _) = run(&Network { imitation_rate: 0.4, ..RING }, |pos| pos % 2 == 0);
        let odd: Vec<bool> = took.iter().skip(1).step_by(2).copied().collect();
        let share = odd.iter().filter(|&&t| t).count() as f64 / odd.len() as f64;
        assert!((share - 0.4).abs() < 4.0 * (0.24 / odd.len() as f64).sqrt(), "{share} of {}", odd.len());
    }

    #[test]
    fn nobody_adopts_a_crop_that_does_not_repay_its_cost_or_suit_the_village_or_without_a_network() {
        let grows = |pos: usize| pos % 2 == 0;
        for nw in [
            Network { entry_cost: 1e7, ..RING },
            Network { min_suitability: 1.0 + 1e-9, ..RING },
            Network { neighbours: 0, ..RING },
            Network { imitation_rate: 0.0, ..RING },
        ] {
            let (took, _, n) = run(&nw, grows);
            assert!(n == 0 && took.iter().all(|&t| !t), "{nw:?}");
        }
    }

    #[test]
    fn households_learn_of_the_assets_their_contacts_hold() {
        let (sc, v) = village();
        let w = crate::world::World::new(&sc, crate::rng::Streams::new(1, 0));
        let range = w.village_range(v);
        // Every other household of the village runs a business; one of them also owns a machine.
        let mut held = vec![0u8; w.households()];
        for (pos, i) in range.clone().enumerate() {
            if pos % 2 == 0 {
                held[i] = BUSINESS;
            }
        }
        held[range.start + 10] |= MACHINE;
        let mut knows = vec![0u8; w.households()];
        let learnt = learn(&w, &RING, &held, &mut knows, 1);
        for (pos, i) in range.clone().enumerate().take(range.len() - 1) {
            // Holders know what they hold; the others, between two holders, learn of the business (rate 1).
            assert!(knows[i] & BUSINESS != 0, "position {pos}");
            assert_eq!(knows[i] & HERD, 0, "nobody holds animals");
        }
        // The machine's neighbours learn of it with chance 1/2 each; households far from it cannot.
        assert!(range
            .clone()
            .filter(|&i| knows[i] & MACHINE != 0)
            .all(|i| (range.start + 8..=range.start + 12).contains(&i)));
        assert!(learnt as usize >= range.len() / 2 - 1);
        assert!(knows.iter().enumerate().all(|(i, &k)| range.contains(&i) || k == 0), "other villages hear nothing");
        // Without a network nobody learns anything.
        let mut none = vec![0u8; w.households()];
        assert_eq!(learn(&w, &Network { neighbours: 0, ..RING }, &held, &mut none, 1), 0);
    }
}
