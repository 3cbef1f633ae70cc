//! Households: their traits, their status and their core columns.
//!
//! The synthetic population: households' traits (members, labour, land,
//! skill), generated once per replicate and shared, read-only, by every arm.
//! Only the composition changes during a run, and only under `[demography]`,
//! the same in every arm (`mechanism::demography`). Each
//! household is generated from its own keyed stream, so the population is a
//! pure function of `(seed, replicate, scenario)` and can be built in
//! parallel without changing a byte.

use crate::rng::{Purpose, Streams};
use crate::setting::Setting;
use rand::Rng;
use rand_distr::{Binomial, Distribution, LogNormal, Poisson};
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

bitflags::bitflags! {
    /// A household's lasting conditions ([`Traits::flags`]).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub struct Condition: u8 {
        /// A chronically ill member: medical costs every month, less labour.
        const CHRONIC = 1;
        /// A disabled member: less labour.
        const DISABLED = 2;
        /// Ties to village cadres (`targeting.cadre_ties_share`).
        const TIES = 4;
        /// Ties that bring favour at registration and for projects: not found out by a resident work team.
        const FAVOURED = 8;
    }
}

bitflags::bitflags! {
    /// A household's status in one arm, as the programme and the
    /// organisations see it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub struct Status: u8 {
        /// On the register (建档立卡) since the last identification.
        const REGISTERED = 1;
        /// Below the poverty line at the last identification.
        const POOR = 2;
        /// Poor at some identification so far.
        const EVER_POOR = 4;
        /// Exited poverty at some identification (a later return is 返贫).
        const EXITED = 8;
        /// A member holds an enterprise job.
        const JOB = 16;
        /// A member of a cooperative.
        const COOP = 32;
        /// Owns a subsidised machine.
        const MACHINE = 64;
        /// Exited poverty but kept on the register for the transition (脱贫不脱政策).
        const TRANSITION = 128;
    }
}

bitflags::bitflags! {
    /// The guarantees (两不愁三保障) a household still lacks, in one arm: drawn
    /// for the households poor before the policy, met by instruments.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub struct Unmet: u8 {
        /// Its house is unsafe (危房): met by housing renovation.
        const HOUSING = 1;
        /// It has no basic medical insurance (未参保): no reimbursement; met by medical aid paying the premium.
        const INSURANCE = 2;
        /// A child of compulsory-school age is out of school (辍学): met by the school policy (控辍保学).
        const SCHOOLING = 4;
    }
}

impl Status {
    /// Served by an instrument: registered, and, if the household is in
    /// transition after its exit, only if the instrument `keeps` serving it.
    #[inline]
    pub fn served(self, keeps: bool) -> bool {
        self.registered() && (keeps || !self.contains(Status::TRANSITION))
    }

    /// Poor at the last identification.
    #[inline]
    pub fn poor(self) -> bool {
        self.contains(Status::POOR)
    }

    /// On the register.
    #[inline]
    pub fn registered(self) -> bool {
        self.contains(Status::REGISTERED)
    }
}

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

/// One household's traits (32 bytes): fixed, except its composition under `[demography]`.
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
    pub flags: Condition,
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
    /// Children of secondary-school age, who could go to vocational school: at the founding 30% of the
    /// children; under `[demography]`, those aged `secondary_age` (12) to `school_leaving_age` (18) not working.
    pub teens: u8,
    /// Labour lost to caring for the very young and the very old beyond the
    /// care the household gave at the founding (which its calibrated labour
    /// already nets out), hundredths of a labour unit; negative when it gives
    /// less care (0 without `[demography]`).
    pub care: i16,
}

impl Cause {
    /// Every cause, in order.
    pub const ALL: [Cause; 5] =
        [Cause::Illness, Cause::Disability, Cause::LackOfLabour, Cause::LackOfSkills, Cause::LackOfCapital];

    /// The name outputs use.
    pub fn name(self) -> &'static str {
        match self {
            Cause::Illness => "illness",
            Cause::Disability => "disability",
            Cause::LackOfLabour => "lack_of_labour",
            Cause::LackOfSkills => "lack_of_skills",
            Cause::LackOfCapital => "lack_of_capital",
        }
    }
}

impl Traits {
    /// Labour units at home when `away` adults work away: `labour` when they
    /// are the migrants of the founding, else the same rule with `away`.
    #[inline]
    pub fn labour_with(&self, away: u8) -> f32 {
        if away == self.migrants {
            return self.labour;
        }
        home_labour(self.adults - away.min(self.adults), self.elderly, self.flags, self.care)
    }

    /// Adult equivalents when `away` adults work away (members away eat away).
    #[inline]
    pub fn adult_eq_with(&self, away: u8) -> f32 {
        if away == self.migrants {
            return self.adult_eq;
        }
        adult_eq((self.adults - away.min(self.adults) + self.elderly) as f32, self.children)
    }

    pub fn cause(&self) -> Cause {
        if self.flags.contains(Condition::CHRONIC) {
            Cause::Illness
        } else if self.flags.contains(Condition::DISABLED) {
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

/// Labour units at home: an adult at home 1, an elderly member 0.4, less
/// 0.6 for a chronic illness, 0.8 for a disability and `care` hundredths
/// for care duties ([`Traits::care`]).
pub fn home_labour(adults_home: u8, elderly: u8, flags: Condition, care: i16) -> f32 {
    let mut labour = adults_home as f32 + 0.4 * elderly as f32 - care as f32 / 100.0;
    if flags.contains(Condition::CHRONIC) {
        labour -= 0.6;
    }
    if flags.contains(Condition::DISABLED) {
        labour -= 0.8;
    }
    labour.max(0.0)
}

/// Adult equivalents of `home_adults` adults and elderly at home and `kids` children.
pub fn adult_eq(home_adults: f32, kids: u8) -> f32 {
    (1.0 + 0.7 * (home_adults - 1.0).max(0.0) + 0.5 * kids as f32).max(1.0)
}

/// Successes in `n` Bernoulli trials with chance `p` (a binomial draw for
/// the small `n` of household members, without building a distribution).
fn successes(rng: &mut impl Rng, n: u8, p: f64) -> u8 {
    (0..n).filter(|_| rng.random::<f64>() < p).count() as u8
}

/// First household index of each village, plus the total at the end:
/// village `v` holds households `bounds[v]..bounds[v+1]`.
pub fn village_bounds(sc: &Setting) -> Vec<usize> {
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

/// Households generated between two looks at the stop flag.
const GENERATION_BLOCK: usize = 1 << 20;

/// Generate the population of one replicate.
pub fn generate(sc: &Setting, streams: Streams) -> Vec<Traits> {
    match generate_until(sc, streams, &AtomicBool::new(false)) {
        Some(t) => t,
        None => unreachable!("never stopped"),
    }
}

/// As [`generate`], but gives up (`None`) soon after `stop` is set: the
/// national registry takes many seconds to generate. Households are
/// generated in blocks, each in parallel; every household has its own keyed
/// stream, so the blocks change nothing.
pub fn generate_until(sc: &Setting, streams: Streams, stop: &AtomicBool) -> Option<Vec<Traits>> {
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

    let one = |i: usize, village: u16| {
        let mut rng = streams.rng(Purpose::Population, i as u64, 0);
        let v = &p.villages[village as usize];
        let (adults, eld, kids) = if rng.random::<f64>() < p.labourless_share {
            (0, 1 + rng.random_bool(0.5) as u8, rng.random_range(0..=2u8))
        } else {
            (1 + adults_extra.sample(&mut rng) as u8, elderly.sample(&mut rng) as u8, children.sample(&mut rng) as u8)
        };
        let mut flags = Condition::empty();
        if rng.random::<f64>() < p.chronic_illness_share {
            flags |= Condition::CHRONIC;
        }
        if rng.random::<f64>() < p.disability_share {
            flags |= Condition::DISABLED;
        }
        // Each adult beyond the first works away with the migrant share.
        let migrants = successes(&mut rng, adults.saturating_sub(1), p.migrant_share);
        let labour = home_labour(adults - migrants, eld, flags, 0);
        let productivity = (prod_dist.sample(&mut rng) * v.income_factor) as f32;
        let land = (p.land_mu_mean * land_dist.sample(&mut rng)) as f32;
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
            adult_eq: adult_eq(home_adults, kids),
            teens,
            care: 0,
        }
    };
    let mut traits = Vec::with_capacity(village_of.len());
    for (b, block) in village_of.chunks(GENERATION_BLOCK).enumerate() {
        if stop.load(Ordering::Relaxed) {
            return None;
        }
        traits.par_extend(block.par_iter().enumerate().map(|(j, &v)| one(b * GENERATION_BLOCK + j, v)));
    }
    Some(traits)
}

/// Households per chunk of every parallel pass over households. Fixed, so
/// that sums are added in the same order whatever the thread count.
pub const CHUNK: usize = 8192;

columns! {
    /// The columns every household has in every arm, whatever the
    /// instruments: money, dependency, income, status and fields.
    pub struct Households / HouseholdsChunk {
        /// Savings, yuan (negative: debt).
        savings: f32,
        /// The household's own account: its savings at the last December plus
        /// every money flow booked since, yuan. Savings and account must agree
        /// each December (`households_unbalanced`).
        booked: f64,
        /// Dependency index (等靠要), 0..1.
        dependency: f32,
        /// Sum of the household's last 12 monthly net incomes, yuan.
        trailing: f64,
        /// Months of acute illness left.
        sick: u8,
        status: Status,
        /// The guarantees it still lacks (none unless `[guarantees]` draws them).
        unmet: Unmet,
        /// Linked to an e-commerce platform (电商带贫): sells its own produce online.
        online: bool,
        /// The month it moved to a resettlement site (易地扶贫搬迁), counted from January of the pre-policy
        /// year, plus 1; 0: never moved.
        moved: u16,
        /// Went back to its village after moving.
        returned: bool,
        /// Adults working away, who remit, a bit per member (bit *k*: adult
        /// *k*; adult 0 stays): the founding's migrants, changed by yearly
        /// choices and job offers under `labour.allocation = "choice"`.
        away: u8,
        /// Crops taken up from its contacts (`[network]`), one bit per commodity.
        adopted: u32,
        /// The assets it knows (`[network]`): a business, a machine, breeding animals (`network::BUSINESS`, …).
        knows: u8,
        /// Staple land transferred through the land storage centre (土地收储中心) to its enterprise, mu.
        transferred: f32,
        /// Bit k set: poor at identification k (0 = initial).
        history: u64,
        /// Income paid in from outside the pass this month (cooperative payouts,
        /// cash in lieu of items, salvage), added to this month's income, yuan.
        extra: f32,
        /// Own produce eaten at home this month (grown animals of its herds), yuan:
        /// income in kind, consumed at once. Set before the pass, read and cleared by it.
        in_kind: f32,
        /// Bit c set: the household has been specialised in commodity c.
        specialised: u32,
        /// Trailing per-capita net income, yuan per person per year.
        ypc: f32,
        /// A free handout (in kind or a package) arrived this month: set by its
        /// delivery, read and cleared by the household pass (dependency's idle decay).
        supported: bool,
    }
    wide {
        /// Area (mu) or herd (head) of each commodity on the household's own fields.
        area: f32,
        /// Livestock of each commodity alive this season, head.
        stock: f32,
        /// Crop area of each commodity left behind in its village by a household that moved to a resettlement
        /// site, mu (given back if it returns).
        left: f32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn township() -> crate::scenario::Scenario {
        crate::scenario::Scenario::load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/township.toml")))
            .unwrap()
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
    fn generation_in_blocks_stops_on_request_and_splits_nothing() {
        let mut sc = township();
        sc.population.households = GENERATION_BLOCK + 1000;
        assert!(generate_until(&sc, Streams::new(5, 2), &AtomicBool::new(true)).is_none());
        let all = generate(&sc, Streams::new(5, 2));
        assert_eq!(all.len(), sc.population.households);
        // The household after the block boundary is what one thread makes of it, alone.
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let one = pool.install(|| generate(&sc, Streams::new(5, 2)));
        assert!(all[GENERATION_BLOCK - 2..GENERATION_BLOCK + 2] == one[GENERATION_BLOCK - 2..GENERATION_BLOCK + 2]);
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
