//! Breeding herds (MODEL.md §9): animals that are born, age, die, are sold
//! or kept, and that households buy as an investment.
//!
//! A livestock commodity with a `breeding` table is kept as a herd of
//! breeding females and young animals per household. Each month, in this
//! order:
//!
//! 1. **Outbreak.** In the species' `outbreak_month`, a village struck this
//!    year (chance `outbreak_probability`, drawn per species, village and
//!    year, the same in every arm) loses each animal with chance
//!    `outbreak_loss`.
//! 2. **Deaths.** Each animal dies with chance `monthly_mortality` ÷ the
//!    village's suitability × the keeper's skill and hands (the same factor
//!    as handed-out animals, [`keeper_factor`]).
//! 3. **Births.** Each female gives birth with chance
//!    1 / `birth_interval_months`, to `litter` young (a mean).
//! 4. **Maturity and culls.** Each young animal matures with chance
//!    1 / `maturity_months`; a mature female is kept for breeding while the
//!    household keeps its herd and has hands for it (`females_per_labour` ×
//!    labour, at least one), otherwise sold, as are the males. Each female is
//!    culled and sold with chance 1 / (12 × `breeding_years`).
//! 5. **Sales and upkeep.** A sold animal fetches `yield` × the latest price
//!    × effort; every head costs `upkeep` / 12. The net goes into the
//!    household's income of the month (`Households::extra`).
//!
//! Each January a household reviews its herd by the investment rule: it
//! keeps its females while a female's expected net yearly income
//! ([`female_return`]) over what she would fetch if sold exceeds
//! `behaviour.investment_hurdle`, and otherwise sells them. After the
//! household pass, every month (so whenever cash arrives), a household whose
//! cash on hand (savings above its buffer, plus `investment_credit_months`
//! of need it may borrow) buys whole breeding females of the species whose
//! expected return on the price is best, if that return clears the hurdle,
//! up to the females it has hands for. Animals are indivisible, so whether a
//! household can invest depends on its cash on hand.
//!
//! Breeding animals handed out in kind join the herd and are reviewed by
//! the same rule; those eaten or sold at once are counted as eaten.
//!
//! Animals are counted: born − died − sold − eaten + bought + handed out =
//! the change in the herds.
//!
//! Sections: `[markets.commodities.breeding]` and `behaviour.investment_*`
//! (in the setting).

use crate::household::{Households, Traits};
use crate::rng::{Purpose, Streams};
use crate::setting::{Behaviour, Breeding, Commodity, Setting};
use crate::world::World;
use rand::Rng;
use rand_distr::{Binomial, Distribution};

columns! {
    /// Each household's breeding herds, one entry per breeding species.
    pub struct Herds / HerdsChunk {}
    wide {
        /// Breeding females, head.
        females: f32,
        /// Young animals not yet mature, head.
        young: f32,
    }
}

/// This year's counts of animals, head, and the yuan invested.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub born: f64,
    pub died: f64,
    pub sold: f64,
    pub eaten: f64,
    pub bought: f64,
    /// Handed out in kind and kept.
    pub handed: f64,
    /// Yuan households paid for breeding animals.
    pub invested: f64,
}

/// The breeding herds of one arm.
#[derive(Debug, Clone)]
pub struct Herd {
    /// Commodity index of each breeding species (the herds' width).
    pub species: Vec<usize>,
    pub herds: Herds,
    pub tally: Tally,
}

impl Herd {
    /// Empty herds for `n` households, or, for a breeding species that is a
    /// household's customary livestock, its customary herd as breeding females.
    pub fn new(w: &World) -> Herd {
        let sc = w.sc;
        let species = breeding_species(sc);
        let (n, nb, nc) = (w.households(), species.len(), sc.commodities.len());
        let mut females = vec![0.0; n * nb];
        for i in 0..n {
            for (s, &c) in species.iter().enumerate() {
                females[i * nb + s] = w.base_area[i * nc + c].round();
            }
        }
        Herd { herds: Herds { females, young: vec![0.0; n * nb] }, species, tally: Tally::default() }
    }

    /// Whether any commodity breeds (otherwise this mechanism does nothing).
    pub fn active(&self) -> bool {
        !self.species.is_empty()
    }

    /// The slot of commodity `c` among the breeding species.
    pub fn slot(&self, c: usize) -> Option<usize> {
        self.species.iter().position(|&k| k == c)
    }

    /// Head of species slot `s` (females and young) held by household `i`.
    pub fn head(&self, i: usize, s: usize) -> f32 {
        let k = i * self.species.len() + s;
        self.herds.females[k] + self.herds.young[k]
    }

    /// Hand `females` breeding females of commodity `c` to household `i`; returns false if `c` does not breed.
    pub fn receive(&mut self, i: usize, c: usize, females: f64) -> bool {
        let Some(s) = self.slot(c) else { return false };
        let got = females.round().max(0.0);
        self.herds.females[i * self.species.len() + s] += got as f32;
        self.tally.handed += got;
        true
    }
}

/// Commodity indices of the breeding species, in file order.
pub fn breeding_species(sc: &Setting) -> Vec<usize> {
    (0..sc.commodities.len()).filter(|&c| sc.commodities[c].breeding.is_some()).collect()
}

/// How much faster a keeper of productivity `productivity` and labour `labour` loses animals than a perfect one:
/// clamp(1 + g × (1 − p), 1 − g, 1 + g) ÷ clamp(labour, 0.25, 1), with g = `livestock_skill_gradient`.
#[inline]
pub fn keeper_factor(b: &Behaviour, productivity: f32, labour: f32) -> f32 {
    let g = b.livestock_skill_gradient as f32;
    ((1.0 + g) - g * productivity).clamp(1.0 - g, 1.0 + g) / labour.clamp(0.25, 1.0)
}

/// Monthly chance that one of household `tr`'s animals of commodity `k` dies.
fn mortality(sc: &Setting, k: &Commodity, tr: &Traits) -> f64 {
    let suit = k.suitability(&sc.population.villages[tr.village as usize]).max(1e-9);
    (k.monthly_mortality / suit * keeper_factor(&sc.behaviour, tr.productivity, tr.labour) as f64).min(1.0)
}

/// Breeding females household `tr` has hands for.
fn capacity(b: &Breeding, tr: &Traits) -> f32 {
    (b.females_per_labour as f32 * tr.labour).floor().max(1.0)
}

/// A breeding female's expected net income per year, yuan, for a household
/// with traits `tr` and effort `effort`, at price `price`: her offspring that
/// live to maturity, sold at `yield × price × effort`, less the upkeep of her
/// and her young, less her own expected loss to death.
pub fn female_return(sc: &Setting, k: &Commodity, tr: &Traits, effort: f32, price: f64) -> f64 {
    let Some(b) = &k.breeding else { return 0.0 };
    let q = mortality(sc, k, tr);
    let offspring = 12.0 / b.birth_interval_months * b.litter;
    let reach = (1.0 - q).powf(b.maturity_months);
    let value = k.yield_per * price * effort as f64;
    let upkeep = b.upkeep * (1.0 + offspring * b.maturity_months / 12.0);
    offspring * reach * value - upkeep - 12.0 * q * b.female_price
}

/// A binomial draw (0 for no trials or no chance).
fn binomial(rng: &mut impl Rng, n: f32, p: f64) -> f32 {
    if n < 0.5 || p <= 0.0 {
        return 0.0;
    }
    match Binomial::new(n.round() as u64, p.min(1.0)) {
        Ok(d) => d.sample(rng) as f32,
        Err(_) => 0.0,
    }
}

/// Whether village `v`'s animals of commodity `c` are struck by an outbreak in year index `y`.
pub fn outbreak(streams: Streams, b: &Breeding, c: usize, v: usize, y: usize) -> bool {
    b.outbreak_probability > 0.0
        && streams.uniform(Purpose::Outbreak, (c as u64) << 32 | v as u64, y as u32) < b.outbreak_probability
}

/// One month of every household's breeding herds, before the household
/// pass: outbreaks, deaths, births, maturity, culls, the January review,
/// sales and upkeep (net into `hh.extra`). `price` is every commodity's
/// latest price; `t` counts months from the start.
pub fn month(w: &World, herd: &mut Herd, hh: &mut Households, price: &[f64], t: u32) {
    if !herd.active() {
        return;
    }
    let sc = w.sc;
    let (m, y) = ((t % 12) as u8, (t / 12) as usize);
    let nb = herd.species.len();
    for i in 0..w.households() {
        let effort = 1.0 - sc.behaviour.dependency_effort_loss as f32 * hh.dependency[i];
        for s in 0..nb {
            let k = i * nb + s;
            if herd.herds.females[k] + herd.herds.young[k] < 0.5 {
                continue;
            }
            let c = herd.species[s];
            let net = animals(w, (i, c, k), herd, (effort, price[c]), (m, y, t));
            hh.extra[i] += net;
        }
    }
}

/// One month of household `i`'s herd of commodity `c` (entry `k`); returns
/// the month's net income, yuan.
fn animals(
    w: &World,
    (i, c, k): (usize, usize, usize),
    herd: &mut Herd,
    (effort, price): (f32, f64),
    (m, y, t): (u8, usize, u32),
) -> f32 {
    let sc = w.sc;
    let tr = &w.traits[i];
    let kc = &sc.commodities[c];
    let Some(b) = &kc.breeding else { return 0.0 };
    let (h, tally) = (&mut herd.herds, &mut herd.tally);
    let mut rng = w.streams.rng(Purpose::Herd, (i as u64) << 8 | c as u64, t);
    let (mut f, mut young) = (h.females[k], h.young[k]);
    let mut died = 0.0;
    if m == b.outbreak_month && outbreak(w.streams, b, c, tr.village as usize, y) {
        let (df, dy) = (binomial(&mut rng, f, b.outbreak_loss), binomial(&mut rng, young, b.outbreak_loss));
        (f, young, died) = (f - df, young - dy, df + dy);
    }
    let q = mortality(sc, kc, tr);
    let (df, dy) = (binomial(&mut rng, f, q), binomial(&mut rng, young, q));
    (f, young, died) = (f - df, young - dy, died + df + dy);
    let births = binomial(&mut rng, f, 1.0 / b.birth_interval_months) as f64 * b.litter;
    let born = (births.floor() + (rng.random::<f64>() < births.fract()) as u8 as f64) as f32;
    let matured = binomial(&mut rng, young, 1.0 / b.maturity_months);
    let mature_females = binomial(&mut rng, matured, b.female_share);
    let culled = binomial(&mut rng, f, 1.0 / (12.0 * b.breeding_years));
    f -= culled;
    young += born - matured;
    // The January review: keep the females while they pay more than they would fetch.
    let value = kc.yield_per * price * effort as f64;
    let keep = !(m == 0 && female_return(sc, kc, tr, effort, price) < sc.behaviour.investment_hurdle * value);
    let kept = if keep { mature_females.min((capacity(b, tr) - f).max(0.0)) } else { 0.0 };
    let mut sold = matured - kept + culled;
    f += kept;
    if !keep {
        sold += f;
        f = 0.0;
    }
    h.females[k] = f;
    h.young[k] = young;
    tally.born += born as f64;
    tally.died += died as f64;
    tally.sold += sold as f64;
    sold * value as f32 - (f + young) * (b.upkeep / 12.0) as f32
}

/// After the household pass: every household whose cash on hand allows buys
/// whole breeding females of the best-paying species, if its expected
/// return on the price clears the hurdle, up to the females it has hands
/// for. `price` is every commodity's latest price.
pub fn invest(w: &World, herd: &mut Herd, hh: &mut Households, price: &[f64]) {
    if !herd.active() {
        return;
    }
    let sc = w.sc;
    let b = &sc.behaviour;
    let nb = herd.species.len();
    for i in 0..w.households() {
        let tr = &w.traits[i];
        let need = (b.subsistence as f32 * tr.adult_eq) as f64;
        let on_hand = hh.savings[i] as f64 - b.buffer_months * need + b.investment_credit_months * need;
        let cheapest = herd.species.iter().filter_map(|&c| sc.commodities[c].breeding.map(|x| x.female_price));
        if on_hand < cheapest.fold(f64::INFINITY, f64::min) {
            continue;
        }
        let effort = 1.0 - b.dependency_effort_loss as f32 * hh.dependency[i];
        let best = (0..nb)
            .filter_map(|s| {
                let c = herd.species[s];
                let k = &sc.commodities[c];
                let br = k.breeding.as_ref()?;
                let rate = female_return(sc, k, tr, effort, price[c]) / br.female_price;
                (rate > b.investment_hurdle && br.female_price <= on_hand).then_some((s, rate, br))
            })
            .fold(None, |best: Option<(usize, f64, &Breeding)>, x| match best {
                Some(b) if b.1 >= x.1 => Some(b),
                _ => Some(x),
            });
        let Some((s, _, br)) = best else { continue };
        let k = i * nb + s;
        let room = (capacity(br, tr) - herd.herds.females[k]).max(0.0) as f64;
        let n = (on_hand / br.female_price).floor().min(room);
        if n < 1.0 {
            continue;
        }
        herd.herds.females[k] += n as f32;
        hh.savings[i] -= (n * br.female_price) as f32;
        herd.tally.bought += n;
        herd.tally.invested += n * br.female_price;
    }
}

/// Value of household `i`'s breeding herds, yuan: females at their price,
/// young at half of it.
pub fn value(sc: &Setting, herd: &Herd, i: usize) -> f64 {
    let nb = herd.species.len();
    let mut v = 0.0;
    for (s, &c) in herd.species.iter().enumerate() {
        if let Some(b) = &sc.commodities[c].breeding {
            let k = i * nb + s;
            v += (herd.herds.females[k] as f64 + 0.5 * herd.herds.young[k] as f64) * b.female_price;
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{commodity, shipped};

    /// Head of every household's herd of slot 0.
    fn total(herd: &Herd) -> f64 {
        (0..herd.herds.females.len()).map(|i| herd.head(i, 0) as f64).sum()
    }

    /// Ten years of herds alone, at the base price, from `cows` handed-out cows
    /// a household; income is not fed back and nobody buys.
    fn ten_years(sc: &crate::scenario::Scenario, cows: f64) -> (Herd, f64) {
        let w = World::new(&sc.setting, Streams::new(sc.seed, 0));
        let mut hh = crate::sim::State::households(&w);
        let mut herd = Herd::new(&w);
        let cattle = commodity(sc, "cattle");
        for i in 0..w.households() {
            assert!(herd.receive(i, cattle, cows));
        }
        let start = total(&herd);
        let price: Vec<f64> = sc.commodities.iter().map(|k| k.base_price).collect();
        let mut flows = Tally::default();
        for t in 0..120 {
            month(&w, &mut herd, &mut hh, &price, t);
            let y = std::mem::take(&mut herd.tally);
            flows = Tally { born: flows.born + y.born, died: flows.died + y.died, sold: flows.sold + y.sold, ..flows };
        }
        // Animals are counted: born − died − sold = the change in the herds.
        let change = total(&herd) - start;
        assert!((flows.born - flows.died - flows.sold - change).abs() < 1e-6, "{flows:?}, change {change}");
        (herd, flows.died / (flows.born + start))
    }

    #[test]
    fn a_cow_grows_into_a_herd_where_cattle_fit_and_dies_where_they_do_not() {
        let mut sc = shipped("breeding_livestock", 400);
        sc.setting.behaviour.investment_hurdle = -1e9;
        let (fit, died_fit) = ten_years(&sc, 1.0);
        let n = fit.herds.females.len() as f64;
        assert!(total(&fit) / n > 1.5, "a herd grows from one cow: {} head a household", total(&fit) / n);
        // Ill-suited: the same cows lose thirty times as many to death a month.
        let cattle = commodity(&sc, "cattle");
        sc.setting.commodities[cattle].monthly_mortality *= 30.0;
        let (misfit, died_misfit) = ten_years(&sc, 1.0);
        assert!(total(&misfit) < 0.2 * total(&fit), "{} vs {}", total(&misfit), total(&fit));
        assert!(died_misfit > 2.0 * died_fit, "{died_misfit} vs {died_fit}");
    }

    #[test]
    fn an_outbreak_kills_its_share_of_the_herd() {
        let mut sc = shipped("breeding_livestock", 300);
        let cattle = commodity(&sc, "cattle");
        let b = sc.setting.commodities[cattle].breeding.as_mut().unwrap();
        (b.outbreak_probability, b.outbreak_loss, b.outbreak_month) = (1.0, 0.5, 0);
        let w = World::new(&sc.setting, Streams::new(sc.seed, 0));
        let mut hh = crate::sim::State::households(&w);
        let mut herd = Herd::new(&w);
        for i in 0..w.households() {
            herd.receive(i, cattle, 10.0);
        }
        let price: Vec<f64> = sc.commodities.iter().map(|k| k.base_price).collect();
        // February: deaths and culls alone; January of year 1: an outbreak too.
        month(&w, &mut herd, &mut hh, &price, 1);
        let calm = std::mem::take(&mut herd.tally).died / 3000.0;
        let before = total(&herd);
        month(&w, &mut herd, &mut hh, &price, 12);
        let struck = herd.tally.died / before;
        // 3,000 cows: the share killed has sd about 0.009 around 0.5 (plus the month's natural deaths).
        assert!(calm < 0.02 && (struck - 0.5).abs() < 0.05, "calm {calm}, struck {struck}");
        assert!(!outbreak(w.streams, &Breeding { outbreak_probability: 0.0, ..*b_of(&sc, cattle) }, cattle, 0, 1));
    }

    fn b_of(sc: &crate::scenario::Scenario, c: usize) -> &Breeding {
        sc.commodities[c].breeding.as_ref().unwrap()
    }

    /// Indivisibility: two groups of the same households, one with one yuan
    /// less than a cow above its buffer, the other with one yuan more. Each
    /// month a household earns exactly its need plus its herd's net income,
    /// and saves the herd's income. The first group never buys; the second
    /// buys a cow, and its herd's income buys more.
    #[test]
    fn households_just_above_and_just_below_the_price_of_a_cow_diverge() {
        let mut sc = shipped("breeding_livestock", 400);
        sc.setting.behaviour.investment_hurdle = 0.0;
        let w = World::new(&sc.setting, Streams::new(sc.seed, 0));
        let b = &sc.behaviour;
        let mut hh = crate::sim::State::households(&w);
        let mut herd = Herd::new(&w);
        let cattle = commodity(&sc, "cattle");
        let price: Vec<f64> = sc.commodities.iter().map(|k| k.base_price).collect();
        let cow = b_of(&sc, cattle).female_price as f32;
        let n = w.households();
        // Households able to keep a cow (some labour, the rule expects a return).
        let able: Vec<usize> = (0..n)
            .filter(|&i| female_return(&sc, &sc.commodities[cattle], &w.traits[i], 1.0, price[cattle]) > 0.0)
            .collect();
        assert!(able.len() > n / 2);
        for (k, &i) in able.iter().enumerate() {
            hh.dependency[i] = 0.0;
            let buffer = (b.buffer_months * b.subsistence) as f32 * w.traits[i].adult_eq;
            hh.savings[i] = buffer + cow + if k % 2 == 0 { -1.0 } else { 1.0 };
        }
        for t in 0..120 {
            month(&w, &mut herd, &mut hh, &price, t);
            for &i in &able {
                hh.savings[i] += std::mem::take(&mut hh.extra[i]);
            }
            invest(&w, &mut herd, &mut hh, &price);
        }
        let mean = |odd: usize| {
            let g: Vec<usize> = able.iter().enumerate().filter(|(k, _)| k % 2 == odd).map(|(_, &i)| i).collect();
            g.iter().map(|&i| herd.head(i, 0) as f64).sum::<f64>() / g.len() as f64
        };
        let (below, above) = (mean(0), mean(1));
        assert_eq!(below, 0.0, "one yuan short of a cow, nobody buys one");
        assert!(above > 2.0, "one yuan over: a cow, then a herd ({above} head a household)");
    }
}
