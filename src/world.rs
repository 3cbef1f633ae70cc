//! The world of one replicate: what every arm shares and none changes.
//!
//! The generated households, the village of each, how well each commodity
//! suits each village, the natural hazards of every year and each
//! household's customary fields. Arms start from the same world and see the
//! same shocks (common random numbers): every draw here is keyed by
//! household, village, hazard or year, never by arm.
//!
//! Architecture invariant: the world is read-only once built, and knows no
//! mechanism. Mechanisms that add to it at founding (cooperatives' pledged
//! land) do so through [`World::take_pledges`] before any arm runs. The one
//! exception is the households' composition under `[demography]`: it is the
//! same in every arm, so each January of an arm's run sets the year's
//! ([`World::set_composition`]) from a schedule built before any arm runs.

use crate::household::{self, Traits};
use crate::rng::{keyed_walk, Purpose, Streams};
use crate::setting::{CommodityKind, Setting};

/// Everything shared by the arms of one replicate.
pub struct World<'a> {
    pub sc: &'a Setting,
    pub streams: Streams,
    pub traits: Vec<Traits>,
    /// Members of each household (the person weights of the poverty measures).
    pub sizes: Vec<u8>,
    bounds: Vec<usize>,
    /// `yield × suitability` per village × commodity.
    pub yield_suit: Vec<f32>,
    /// Monthly livestock survival per village × commodity.
    pub survival: Vec<f32>,
    /// Harvest kept after natural hazards, per year index × village × commodity.
    pub hazard: Vec<f32>,
    /// Villages hit by at least one hazard, per year index.
    pub hazard_hits: Vec<u32>,
    /// Customary area (mu) or herd (head) per household × commodity.
    pub base_area: Vec<f32>,
    /// Township output per commodity at base areas.
    pub reference_output: Vec<f64>,
    /// Age in the pre-policy year of each household's customary orchard, per
    /// household × commodity, years (empty when no crop has a yield curve by age).
    orchard_age: Vec<u8>,
    /// Whether households with ties to cadres are served first by projects.
    favour_projects: bool,
}

impl<'a> World<'a> {
    /// Generate the world of replicate `replicate`'s streams.
    pub fn new(sc: &'a Setting, streams: Streams) -> World<'a> {
        match World::new_until(sc, streams, &std::sync::atomic::AtomicBool::new(false)) {
            Some(w) => w,
            None => unreachable!("never stopped"),
        }
    }

    /// As [`World::new`], but gives up (`None`) soon after `stop` is set.
    pub fn new_until(sc: &'a Setting, streams: Streams, stop: &std::sync::atomic::AtomicBool) -> Option<World<'a>> {
        let traits = household::generate_until(sc, streams, stop)?;
        let bounds = household::village_bounds(sc);
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
        let (hazard, hazard_hits) = hazards(sc, streams);
        let base_area = customary_fields(sc, &traits, streams);
        let mut w = World {
            sc,
            streams,
            sizes: traits.iter().map(|t| t.size).collect(),
            traits,
            bounds,
            yield_suit,
            survival,
            hazard,
            hazard_hits,
            base_area,
            reference_output: vec![0.0; nc],
            orchard_age: Vec::new(),
            favour_projects: false,
        };
        w.orchard_age = orchard_ages(sc, streams, w.households());
        w.set_reference_output();
        Some(w)
    }

    pub fn households(&self) -> usize {
        self.traits.len()
    }

    /// The households' traits of a year of the demographic schedule, and
    /// with them their members (the person weights).
    pub fn set_composition(&mut self, traits: &[Traits]) {
        self.traits.copy_from_slice(traits);
        for (n, t) in self.sizes.iter_mut().zip(traits) {
            *n = t.size;
        }
    }

    /// Age in the pre-policy year of household `i`'s customary orchard of
    /// crop `c`, years (0 when no crop has a yield curve by age).
    #[inline]
    pub fn orchard_age(&self, i: usize, c: usize) -> usize {
        self.orchard_age.get(i * self.sc.commodities.len() + c).map_or(0, |&a| a as usize)
    }

    /// Households of village `v`.
    pub fn village_range(&self, v: usize) -> std::ops::Range<usize> {
        self.bounds[v]..self.bounds[v + 1]
    }

    /// Ties to village cadres (favour, 路边花、垒大户、富上加富): each household has
    /// them with chance min(1, `share` × its productivity), a keyed draw the
    /// same in every arm, so the better-off are likelier to; with `projects`,
    /// households with ties are served first by rationed projects
    /// ([`World::project_walk`]). Where `teams[v]`, village *v* has a
    /// resident work team, which finds a tie out with chance `check` (a keyed
    /// draw): that household keeps its tie (`TIES`) but gets no favour
    /// (`FAVOURED` is not set). Called once, before any arm runs.
    pub fn mark_ties(&mut self, share: f64, projects: bool, (teams, check): (&[bool], f64)) {
        if share <= 0.0 {
            return;
        }
        for (i, t) in self.traits.iter_mut().enumerate() {
            if self.streams.uniform(Purpose::Favour, i as u64, 0) < (share * t.productivity as f64).min(1.0) {
                t.flags |= household::Condition::TIES;
                // A resident work team finds the tie out with chance `check`.
                let found = teams[t.village as usize] && tie_found(self.streams, i, check);
                if !found {
                    t.flags |= household::Condition::FAVOURED;
                }
            }
        }
        self.favour_projects = projects;
    }

    /// Whether a resident work team finds household `i`'s tie to the cadres
    /// out, at chance `check` (a keyed draw, the same for the scenario's
    /// teams and an arm's).
    pub fn tie_found(&self, i: usize, check: f64) -> bool {
        tie_found(self.streams, i, check)
    }

    /// The villages where an arm's work teams are in the field: the first
    /// `fielded` of the villages they cover, in village order.
    pub fn fielded(&self, teams: Option<TeamCheck>) -> Vec<bool> {
        let villages = &self.sc.population.villages;
        let Some(t) = teams else { return vec![false; villages.len()] };
        let mut left = t.fielded;
        villages
            .iter()
            .map(|v| {
                let here = (t.all || v.key) && left > 0;
                left -= here as u32;
                here
            })
            .collect()
    }

    /// The order in which a rationed project (key `entity`) reaches
    /// households: a keyed walk, with households with ties to cadres first
    /// when projects favour them, unless the arm's work team in their
    /// village (`teams`) found the tie out.
    pub fn project_walk(&self, entity: u64, teams: Option<TeamCheck>) -> Box<dyn Iterator<Item = usize> + '_> {
        let n = self.households();
        let walk = keyed_walk(n, self.streams, entity);
        if !self.favour_projects {
            return Box::new(walk);
        }
        let fielded = self.fielded(teams);
        let check = teams.map_or(0.0, |t| t.check);
        let ties = move |i: &usize| {
            let t = &self.traits[*i];
            t.flags.contains(household::Condition::FAVOURED)
                && !(fielded[t.village as usize] && tie_found(self.streams, *i, check))
        };
        let again = ties.clone();
        Box::new(walk.filter(ties).chain(keyed_walk(n, self.streams, entity).filter(move |i| !again(i))))
    }

    /// Founding members pledge land (`(household, commodity, mu)`): it leaves
    /// their customary fields, commodity `commodity` first.
    pub fn take_pledges(&mut self, pledges: impl Iterator<Item = (u32, usize, f32)>) {
        let nc = self.sc.commodities.len();
        for (i, commodity, mu) in pledges {
            let i = i as usize;
            take_land(&mut self.base_area[i * nc..(i + 1) * nc], commodity, mu, self.sc);
        }
        self.set_reference_output();
    }

    /// The customary fields' area of each commodity, summed over households, mu.
    pub fn area_by_commodity(&self) -> Vec<f64> {
        let nc = self.sc.commodities.len();
        let mut areas = vec![0.0; nc];
        for row in self.base_area.chunks_exact(nc.max(1)) {
            areas.iter_mut().zip(row).for_each(|(a, &x)| *a += x as f64);
        }
        areas
    }

    fn set_reference_output(&mut self) {
        let nc = self.sc.commodities.len();
        let mut reference_output = vec![0.0; nc];
        for (i, t) in self.traits.iter().enumerate() {
            for (c, out) in reference_output.iter_mut().enumerate() {
                *out += (self.base_area[i * nc + c] * self.yield_suit[t.village as usize * nc + c]) as f64;
            }
        }
        self.reference_output = reference_output;
    }
}

/// Harvest kept after hazards per year index × village × commodity, and
/// villages hit per year index.
fn hazards(sc: &Setting, streams: Streams) -> (Vec<f32>, Vec<u32>) {
    let nc = sc.commodities.len();
    let nv = sc.population.villages.len();
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
    (hazard, hazard_hits)
}

/// Each household's customary fields: its village's product, the staple on
/// the rest of its land, and its herd.
fn customary_fields(sc: &Setting, traits: &[Traits], streams: Streams) -> Vec<f32> {
    let nc = sc.commodities.len();
    let p = &sc.population;
    let mut base_area = vec![0f32; traits.len() * nc];
    for (i, t) in traits.iter().enumerate() {
        let row = &mut base_area[i * nc..(i + 1) * nc];
        let product = p.villages[t.village as usize].product;
        let mut staple_land = t.land;
        if let Some(c) = product {
            // A household grows its village's crop with `product_growers_share` (a keyed draw only when below 1).
            let grows = p.product_growers_share >= 1.0
                || streams.uniform(Purpose::Population, i as u64, 1) < p.product_growers_share;
            if sc.commodities[c].kind == CommodityKind::Crop && c != p.staple && grows {
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
    base_area
}

/// The age of every household's customary orchard of each crop with a
/// yield curve: a whole number of years drawn per household and crop, each
/// from the low to the high end of `customary_age_years` (rounded down)
/// equally likely; empty when no crop has a curve.
fn orchard_ages(sc: &Setting, streams: Streams, n: usize) -> Vec<u8> {
    let nc = sc.commodities.len();
    if !sc.commodities.iter().any(|c| c.aged()) {
        return Vec::new();
    }
    let mut ages = vec![0u8; n * nc];
    for i in 0..n {
        for (c, k) in sc.commodities.iter().enumerate().filter(|(_, k)| k.aged()) {
            let [lo, hi] = k.customary_age_years;
            let u = streams.uniform(Purpose::OrchardAge, (i as u64) << 8 | c as u64, 0);
            // A whole number of years, each from `lo` to `hi` equally likely.
            ages[i * nc + c] =
                (lo.floor() + (u * (hi.floor() - lo.floor() + 1.0)).floor()).clamp(lo.floor(), hi.floor()) as u8;
        }
    }
    ages
}

/// Remove `mu` of crop land from a household's fields, taking commodity
/// `first` first and then the others in order. Returns the land taken.
pub fn take_land(row: &mut [f32], first: usize, mu: f32, sc: &Setting) -> f32 {
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

/// Whether a work team finds household `i`'s tie out, at chance `check`.
fn tie_found(streams: Streams, i: usize, check: f64) -> bool {
    streams.uniform(Purpose::Favour, i as u64, u32::MAX) < check
}

/// An arm's resident work teams this year, as the project order and the
/// identification see them (`mechanism::work_teams`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TeamCheck {
    /// Teams cover every village (`false`: the key villages).
    pub all: bool,
    /// How many of the covered villages, in village order, have a team.
    pub fielded: u32,
    /// Chance that a team finds a household's tie to the cadres out (`targeting.work_team_check`).
    pub check: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With favour for projects, households with ties come first in a
    /// project's order; an arm's team in every village that finds every tie
    /// out puts them back in the keyed order; teams in the key villages
    /// only do so there.
    #[test]
    fn an_arms_work_teams_take_favour_out_of_the_project_order() {
        let sc = crate::testing::township(3000);
        let mut w = World::new(&sc.setting, Streams::new(7, 0));
        let no_teams = vec![false; sc.population.villages.len()];
        w.mark_ties(0.3, true, (&no_teams, 0.0));
        let favoured = |i: usize| w.traits[i].flags.contains(household::Condition::FAVOURED);
        let n = (0..w.households()).filter(|&i| favoured(i)).count();
        assert!(n > 100);
        let first: Vec<usize> = w.project_walk(5, None).take(n).collect();
        assert!(first.iter().all(|&i| favoured(i)), "favoured first");
        let every = TeamCheck { all: true, fielded: sc.population.villages.len() as u32, check: 1.0 };
        let checked: Vec<usize> = w.project_walk(5, Some(every)).collect();
        assert_eq!(checked, keyed_walk(w.households(), w.streams, 5).collect::<Vec<_>>(), "no favour left");
        let villages = &sc.population.villages;
        let key = TeamCheck { all: false, fielded: villages.iter().filter(|v| v.key).count() as u32, check: 1.0 };
        let fielded = w.fielded(Some(key));
        assert!((0..villages.len()).all(|v| fielded[v] == villages[v].key));
        let head: Vec<usize> = w.project_walk(5, Some(key)).take_while(|&i| favoured(i)).collect();
        assert!(!head.is_empty() && head.iter().all(|&i| !villages[w.traits[i].village as usize].key));
    }
}
