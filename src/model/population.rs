//! The synthetic population: households' fixed traits.
//!
//! Traits that do not change during a run (members, labour, land, skill) are
//! generated once per replicate and shared, read-only, by every arm. Each
//! household is generated from its own keyed stream, so the population is a
//! pure function of `(seed, replicate, scenario)` and can be built in
//! parallel without changing a byte.

use crate::rng::{Purpose, Streams};
use crate::scenario::Scenario;
use rand::Rng;
use rand_distr::{Binomial, Distribution, LogNormal, Poisson};
use rayon::prelude::*;

/// Bit flags in [`Traits::flags`].
pub const CHRONIC: u8 = 1;
pub const DISABLED: u8 = 2;

/// Why a registered household is poor (the 致贫原因 of the registry). The
/// first matching cause wins, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Cause {
    Illness = 0,
    Disability = 1,
    LackOfLabour = 2,
    LackOfSkills = 3,
    LackOfCapital = 4,
}

/// One household's fixed traits (32 bytes).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Traits {
    pub village: u16,
    /// Registered members (adults + elderly + children), migrants included.
    pub size: u8,
    pub adults: u8,
    pub elderly: u8,
    pub children: u8,
    /// Adults working away from home, who remit.
    pub migrants: u8,
    pub flags: u8,
    /// Labour units available at home (adult = 1, elderly = 0.4, less for
    /// illness and disability).
    pub labour: f32,
    /// Earning capacity multiplier (skill × village conditions), mean ≈ village income factor.
    pub productivity: f32,
    /// Land contracted by the household, mu.
    pub land: f32,
    /// Livestock heads raised per cycle.
    pub herd: f32,
    /// Adult equivalents, for the subsistence need.
    pub adult_eq: f32,
    /// Children of secondary-school age (15-18), who could go to vocational school.
    pub teens: u8,
}

impl Traits {
    pub fn cause(&self) -> Cause {
        if self.flags & CHRONIC != 0 {
            Cause::Illness
        } else if self.flags & DISABLED != 0 {
            Cause::Disability
        } else if self.labour < 1.0 {
            Cause::LackOfLabour
        } else if self.productivity < 0.7 {
            Cause::LackOfSkills
        } else {
            Cause::LackOfCapital
        }
    }
}

/// Successes in `n` Bernoulli trials with chance `p` (a binomial draw for
/// the small `n` of household members, without building a distribution).
fn successes(rng: &mut impl Rng, n: u8, p: f64) -> u8 {
    (0..n).filter(|_| rng.random::<f64>() < p).count() as u8
}

/// First household index of each village, plus the total at the end:
/// village `v` holds households `bounds[v]..bounds[v+1]`.
pub fn village_bounds(sc: &Scenario) -> Vec<usize> {
    let n = sc.population.households;
    let mut cum = 0.0;
    let mut b = vec![0];
    for v in &sc.population.villages {
        cum += v.share;
        b.push(((cum * n as f64).round() as usize).min(n));
    }
    *b.last_mut().expect("at least one village") = n;
    b
}

/// Generate the population of one replicate.
pub fn generate(sc: &Scenario, streams: Streams) -> Vec<Traits> {
    let p = &sc.population;
    let bounds = village_bounds(sc);
    let village_of: Vec<u16> =
        (0..p.villages.len()).flat_map(|v| std::iter::repeat_n(v as u16, bounds[v + 1] - bounds[v])).collect();
    let prod_dist = LogNormal::new(-p.productivity_sd_log.powi(2) / 2.0, p.productivity_sd_log).expect("validated sd");
    let land_dist = LogNormal::new(-p.land_sd_log.powi(2) / 2.0, p.land_sd_log).expect("validated sd");
    let adults_extra = Binomial::new(2, (p.mean_adults - 1.0) / 2.0).expect("validated mean");
    let elderly = Binomial::new(2, p.mean_elderly / 2.0).expect("validated mean");
    let children = Binomial::new(4, p.mean_children / 4.0).expect("validated mean");
    let herd = (p.herd_mean > 0.0).then(|| Poisson::new(p.herd_mean).expect("validated mean"));

    village_of
        .par_iter()
        .enumerate()
        .map(|(i, &village)| {
            let mut rng = streams.rng(Purpose::Population, i as u64, 0);
            let v = &p.villages[village as usize];
            let (adults, eld, kids) = if rng.random::<f64>() < p.labourless_share {
                (0, 1 + rng.random_bool(0.5) as u8, rng.random_range(0..=2u8))
            } else {
                (
                    1 + adults_extra.sample(&mut rng) as u8,
                    elderly.sample(&mut rng) as u8,
                    children.sample(&mut rng) as u8,
                )
            };
            let mut flags = 0;
            if rng.random::<f64>() < p.chronic_illness_share {
                flags |= CHRONIC;
            }
            if rng.random::<f64>() < p.disability_share {
                flags |= DISABLED;
            }
            // Each adult beyond the first works away with the migrant share.
            let migrants = successes(&mut rng, adults.saturating_sub(1), p.migrant_share);
            let mut labour = (adults - migrants) as f32 + 0.4 * eld as f32;
            if flags & CHRONIC != 0 {
                labour -= 0.6;
            }
            if flags & DISABLED != 0 {
                labour -= 0.8;
            }
            let productivity = (prod_dist.sample(&mut rng) * v.income_factor) as f32;
            let land = (p.land_mu_mean * land_dist.sample(&mut rng)) as f32;
            let labour = labour.max(0.0);
            let herd = match &herd {
                Some(d) if labour >= 0.4 => d.sample(&mut rng) as f32,
                _ => 0.0,
            };
            let home_adults = (adults - migrants + eld) as f32;
            // Drawn last so that adding it left every earlier draw unchanged.
            let teens = successes(&mut rng, kids, 0.3);
            Traits {
                village,
                size: adults + eld + kids,
                adults,
                elderly: eld,
                children: kids,
                migrants,
                flags,
                labour,
                productivity,
                land,
                herd,
                adult_eq: (1.0 + 0.7 * (home_adults - 1.0).max(0.0) + 0.5 * kids as f32).max(1.0),
                teens,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn township() -> Scenario {
        Scenario::load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/township.toml"))).unwrap()
    }

    #[test]
    fn population_is_deterministic_and_thread_independent() {
        let sc = township();
        let a = generate(&sc, Streams::new(5, 2));
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let b = pool.install(|| generate(&sc, Streams::new(5, 2)));
        assert_eq!(a, b);
        assert_ne!(a, generate(&sc, Streams::new(5, 3)));
    }

    #[test]
    fn population_matches_the_field_report_size() {
        // Field report: ~10,700 households, ~39,900 people. Allow 2%.
        let sc = township();
        let pop = generate(&sc, Streams::new(1, 0));
        assert_eq!(pop.len(), sc.population.households);
        let people: u64 = pop.iter().map(|t| t.size as u64).sum();
        assert!((people as f64 - 39_900.0).abs() < 0.02 * 39_900.0, "people {people}");
    }
}
