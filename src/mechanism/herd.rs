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
//!    household has hands for her (`females_per_labour` × labour, at least
//!    one), otherwise sold, as are the males. Each female is culled and sold
//!    with chance 1 / (12 × `breeding_years`).
//! 5. **The January review.** A household gives up its herd, selling every
//!    animal (the young at half a grown one's value), when a female's
//!    expected net yearly income ([`female_return`]) is below
//!    `behaviour.investment_hurdle` × her value (the lesser of her price
//!    and what she would fetch): the same test as buying one, so a herd
//!    given up is not bought back.
//!    Otherwise, a household deeper in debt than
//!    `behaviour.distress_sale_months` of its need sells one breeding female
//!    a month: livestock as savings.
//! 6. **Money.** A sold animal fetches `yield` × the latest price × effort;
//!    every head costs `upkeep` / 12. Sales of young and culls less upkeep
//!    are the month's income (`Households::extra`); a household short of
//!    food eats instead what it would sell (income in kind,
//!    `Households::in_kind`); a herd given up, or a female sold in
//!    distress, is an asset sold, into savings.
//!
//! Buying breeding females is one option of the household's investment
//! choice ([`super::invest`]), in the household pass: [`best`] finds the
//! species whose female pays best on her price among those worth holding,
//! affordable and with hands for one more; [`buy`] buys as many whole
//! females as cash on hand and hands allow. Animals are indivisible, so
//! whether a household can invest depends on its cash on hand.
//!
//! Breeding animals handed out in kind join the herd and are reviewed by
//! the same rule; those eaten or sold at once are counted as eaten.
//!
//! Animals are counted: born − died − sold − slaughtered + bought + received = the change
//! in the herds (eaten animals never join one).
//!
//! Sections: `[markets.commodities.breeding]` and `behaviour.investment_*`
//! (in the setting).

use crate::household::{Households, Traits, CHUNK};
use crate::rng::{Purpose, Streams};
use crate::setting::{Behaviour, Breeding, Commodity, Setting};
use crate::world::World;
use rand::Rng;
use rand_distr::{Binomial, Distribution};
use rayon::prelude::*;

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
    /// Grown animals of the herds eaten at home instead of sold.
    pub slaughtered: f64,
    pub bought: f64,
    /// Handed out in kind and kept.
    pub handed: f64,
    /// Yuan households paid for breeding animals.
    pub invested: f64,
}

impl Tally {
    /// Add `o` into `self`.
    pub fn add(&mut self, o: &Tally) {
        self.born += o.born;
        self.died += o.died;
        self.sold += o.sold;
        self.eaten += o.eaten;
        self.slaughtered += o.slaughtered;
        self.bought += o.bought;
        self.handed += o.handed;
        self.invested += o.invested;
    }
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
    /// Empty herds for every household of the world (a breeding species is
    /// nobody's customary livestock: the setting's checks refuse it).
    pub fn new(w: &World) -> Herd {
        let species = breeding_species(w.sc);
        let n = w.households() * species.len();
        Herd { herds: Herds { females: vec![0.0; n], young: vec![0.0; n] }, species, tally: Tally::default() }
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

    /// Count `units` of commodity `c` handed out and eaten or sold at once,
    /// a fraction being a chance `u` of one more (nothing if `c` does not breed).
    pub fn eat(&mut self, c: usize, units: f64, u: f64) {
        if self.slot(c).is_some() {
            self.tally.eaten += whole(units.max(0.0), u);
        }
    }

    /// Hand `females` breeding females of commodity `c` to household `i`, a
    /// fraction being a chance `u` (a uniform draw) of one more; returns the
    /// whole animals received, or `None` if `c` does not breed.
    pub fn receive(&mut self, i: usize, c: usize, females: f64, u: f64) -> Option<f64> {
        let s = self.slot(c)?;
        let got = whole(females.max(0.0), u);
        self.herds.females[i * self.species.len() + s] += got as f32;
        self.tally.handed += got;
        Some(got)
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

/// `x` rounded to a whole number at random: its fraction is the chance `u`
/// (a uniform draw) of one more.
fn whole(x: f64, u: f64) -> f64 {
    x.floor() + (u < x.fract()) as u8 as f64
}

/// What a grown animal of commodity `k` fetches, yuan: `yield` × price × effort.
fn sale_value(k: &Commodity, price: f64, effort: f32) -> f64 {
    k.yield_per * price * effort as f64
}

/// A breeding female's expected net income per year, yuan, for a household
/// with traits `tr` and effort `effort`, at price `price`: her offspring that
/// live to maturity, sold at `yield × price × effort`, less the upkeep of her
/// and of the young she carries on average, less her expected loss to death
/// and to outbreaks (of her at her price, of her young at half of it), less
/// her loss of value over her breeding life (her price less what she fetches
/// when culled).
pub fn female_return(sc: &Setting, k: &Commodity, tr: &Traits, effort: f32, price: f64) -> f64 {
    let Some(b) = &k.breeding else { return 0.0 };
    let q = mortality(sc, k, tr);
    let offspring = 12.0 / b.birth_interval_months * b.litter;
    let reach = (1.0 - q).powf(b.maturity_months);
    let value = sale_value(k, price, effort);
    let young = offspring * b.maturity_months / 12.0;
    let upkeep = b.upkeep * (1.0 + young);
    let at_risk = b.female_price * (1.0 + 0.5 * young);
    let outbreaks = b.outbreak_probability * b.outbreak_loss * at_risk;
    let ageing = (b.female_price - value).max(0.0) / b.breeding_years;
    offspring * reach * value - upkeep - 12.0 * q * b.female_price - outbreaks - ageing
}

/// Whether a female of commodity `k` is worth holding (or buying): her
/// expected net yearly income exceeds the hurdle times her value, the
/// lesser of her price and what she would fetch.
fn worth_holding(sc: &Setting, k: &Commodity, tr: &Traits, effort: f32, price: f64) -> bool {
    clears_hurdle(sc, k, effort, price, female_return(sc, k, tr, effort, price))
}

/// Whether a female of commodity `k` whose expected net yearly income is
/// `r` is worth holding ([`worth_holding`]).
fn clears_hurdle(sc: &Setting, k: &Commodity, effort: f32, price: f64, r: f64) -> bool {
    let Some(b) = &k.breeding else { return false };
    r > sc.behaviour.investment_hurdle * b.female_price.min(sale_value(k, price, effort))
}

/// A binomial draw (0 for no trials or no chance), as `rand_distr`'s
/// sampler draws it, without building a sampler for the small herds: for
/// p > 1/2 the complement of a draw at 1 − p; while n × p < 10 (the
/// sampler's own threshold) its BINV inversion on one uniform, step for
/// step, except that (1 − p)^n is `powi` where it uses `powf` (faster; the
/// two can differ in the last bit, so a draw can differ only when the
/// uniform falls within rounding of a boundary); its BTPE algorithm above.
fn binomial(rng: &mut impl Rng, n: f32, p: f64) -> f32 {
    if n < 0.5 || p <= 0.0 {
        return 0.0;
    }
    let trials = n.round() as u64;
    if p >= 1.0 {
        return trials as f32;
    }
    let (flip, q) = if p > 0.5 { (true, 1.0 - p) } else { (false, p) };
    if trials <= SMALL_HERD && (trials as f64) * q < 10.0 && 1.0 - q != 1.0 {
        // BINV: P(0) = (1 − q)^n ≥ 2^−64, P(k) = P(k − 1) × ((n + 1) s / k − s), s = q / (1 − q).
        let s = q / (1.0 - q);
        let a = (trials as f64 + 1.0) * s;
        let k = loop {
            let (mut r, mut u, mut k) = ((1.0 - q).powi(trials as i32), rng.random::<f64>(), 0u64);
            while u > r {
                u -= r;
                k += 1;
                if k > 110 {
                    break;
                }
                r *= a / k as f64 - s;
            }
            if k <= 110 {
                break k;
            }
        };
        return if flip { trials - k } else { k } as f32;
    }
    match Binomial::new(trials, p) {
        Ok(d) => d.sample(rng) as f32,
        Err(_) => 0.0,
    }
}

/// Herds up to this many head draw each event by inversion.
const SMALL_HERD: u64 = 64;

/// Whether village `v`'s animals of commodity `c` are struck by an outbreak in year index `y`.
pub fn outbreak(streams: Streams, b: &Breeding, c: usize, v: usize, y: usize) -> bool {
    struck(streams, b.outbreak_probability, c, v, y)
}

/// Whether an outbreak of yearly chance `probability` strikes commodity
/// `c`'s animals in village `v` in year index `y`: a keyed draw per
/// commodity, village and year, the same in every arm.
pub fn struck(streams: Streams, probability: f64, c: usize, v: usize, y: usize) -> bool {
    probability > 0.0 && streams.uniform(Purpose::Outbreak, (c as u64) << 32 | v as u64, y as u32) < probability
}

/// One month of every household's breeding herds, before the household
/// pass: outbreaks, deaths, births, maturity, culls, the January review,
/// sales and upkeep (net into `hh.extra`). `price` is every commodity's
/// latest price; `t` counts months from the start.
pub fn month(w: &World, herd: &mut Herd, hh: &mut Households, price: &[f64], t: u32) {
    if !herd.active() {
        return;
    }
    let nb = herd.species.len();
    let species = &herd.species;
    // Households are independent: chunks in parallel, tallies added in chunk order.
    let parts: Vec<Tally> = herd
        .herds
        .chunks(CHUNK, nb)
        .into_par_iter()
        .zip(hh.extra.par_chunks_mut(CHUNK))
        .zip(hh.in_kind.par_chunks_mut(CHUNK))
        .zip(hh.savings.par_chunks_mut(CHUNK))
        .zip(hh.booked.par_chunks_mut(CHUNK))
        .zip(hh.dependency.par_chunks(CHUNK))
        .enumerate()
        .map(|(n, (((((h, extra), in_kind), savings), booked), dependency))| {
            let mut tally = Tally::default();
            for j in 0..extra.len() {
                let i = n * CHUNK + j;
                let effort = super::dependency::effort(&w.sc.behaviour, dependency[j]);
                for (s, &c) in species.iter().enumerate() {
                    let k = j * nb + s;
                    if h.females[k] + h.young[k] < 0.5 {
                        continue;
                    }
                    let animals = (&mut h.females[k], &mut h.young[k]);
                    let at = (effort, price[c], (savings[j], in_kind[j]));
                    let (income, eaten, assets_sold) = animals_month(w, (i, c), animals, at, t, &mut tally);
                    extra[j] += income;
                    in_kind[j] += eaten;
                    savings[j] += assets_sold;
                    booked[j] += assets_sold as f64;
                }
            }
            tally
        })
        .collect();
    for p in parts {
        herd.tally.add(&p);
    }
}

/// One month of household `i`'s herd of commodity `c` (its `females` and
/// young); returns the month's net income (sales less upkeep, and what it
/// ate), the value of what it ate (income in kind, consumed at once) and
/// the proceeds of a herd given up, yuan.
fn animals_month(
    w: &World,
    (i, c): (usize, usize),
    (females, young_now): (&mut f32, &mut f32),
    (effort, price, (savings, fed)): (f32, f64, (f32, f32)),
    t: u32,
    tally: &mut Tally,
) -> (f32, f32, f32) {
    let sc = w.sc;
    let (m, y) = ((t % 12) as u8, (t / 12) as usize);
    let tr = &w.traits[i];
    let need = sc.behaviour.subsistence as f32 * tr.adult_eq;
    let kc = &sc.commodities[c];
    let Some(b) = &kc.breeding else { return (0.0, 0.0, 0.0) };
    let key = (i as u64) << 8 | c as u64;
    let mut rng = w.streams.rng(Purpose::Herd, key, t);
    let (mut f, mut young) = (*females, *young_now);
    let mut died = 0.0;
    if m == b.outbreak_month && outbreak(w.streams, b, c, tr.village as usize, y) {
        // Its own stream: an outbreak does not shift the month's other draws.
        let mut struck = w.streams.rng(Purpose::Outbreak, key, t);
        let (df, dy) = (binomial(&mut struck, f, b.outbreak_loss), binomial(&mut struck, young, b.outbreak_loss));
        (f, young, died) = (f - df, young - dy, df + dy);
    }
    let q = mortality(sc, kc, tr);
    let (df, dy) = (binomial(&mut rng, f, q), binomial(&mut rng, young, q));
    (f, young, died) = (f - df, young - dy, died + df + dy);
    let births = binomial(&mut rng, f, 1.0 / b.birth_interval_months) as f64 * b.litter;
    let born = whole(births, rng.random::<f64>()) as f32;
    let matured = binomial(&mut rng, young, 1.0 / b.maturity_months);
    let mature_females = binomial(&mut rng, matured, b.female_share);
    let culled = binomial(&mut rng, f, 1.0 / (12.0 * b.breeding_years));
    f -= culled;
    young += born - matured;
    let kept = mature_females.min((capacity(b, tr) - f).max(0.0));
    f += kept;
    let value = sale_value(kc, price, effort) as f32;
    let offtake = matured - kept + culled;
    // Short of food, the household eats what it would sell, as much as covers the shortfall
    // (less what it already ate of another species this month).
    let short = b.eat_below_months as f32 * need - savings - fed;
    let hungry = b.eat_below_months > 0.0 && short > 0.0 && offtake >= 1.0 && value > 0.0;
    let eaten = if hungry { (short / value).ceil().min(offtake) } else { 0.0 };
    let sold = offtake - eaten;
    let income = offtake * value - (f + young) * (b.upkeep / 12.0) as f32;
    // The January review: a herd that does not pay its keep is sold, an asset into savings.
    let given_up = if m == 0 && !worth_holding(sc, kc, tr, effort, price) {
        let proceeds = (f + 0.5 * young) * value;
        tally.sold += (f + young) as f64;
        (f, young) = (0.0, 0.0);
        proceeds
    } else if f >= 1.0 && savings < -(sc.behaviour.distress_sale_months as f32) * need {
        // Livestock as savings: deep in debt, the household sells a breeding female, into savings.
        f -= 1.0;
        tally.sold += 1.0;
        value
    } else {
        0.0
    };
    (*females, *young_now) = (f, young);
    tally.born += born as f64;
    tally.died += died as f64;
    tally.sold += sold as f64;
    tally.slaughtered += eaten as f64;
    (income, eaten * value, given_up)
}

/// What households paid for breeding animals, added up.
#[derive(Debug, Clone, Default)]
pub struct Sums {
    pub bought: f64,
    pub invested: f64,
}

impl Sums {
    pub fn add(&mut self, o: &Sums) {
        self.bought += o.bought;
        self.invested += o.invested;
    }
}

/// Household `i`'s best breeding species this month, with cash on hand
/// `on_hand` for it (yuan, already net of need and buffer, credit included)
/// and effort `effort`: the slot of the species whose female pays most per
/// yuan of her price, among those it can afford a whole female of, has
/// hands for one more of, and finds worth holding. Returns the slot and
/// that rate (her expected net income a year over her price). `females` is
/// the household's entry per breeding species `species`; `price` every
/// commodity's latest price.
pub fn best(
    w: &World,
    species: &[usize],
    i: usize,
    females: &[f32],
    (on_hand, effort): (f64, f32),
    price: &[f64],
) -> Option<(usize, f64)> {
    let sc = w.sc;
    let tr = &w.traits[i];
    let mut best: Option<(usize, f64)> = None;
    for (s, &c) in species.iter().enumerate() {
        let k = &sc.commodities[c];
        let Some(br) = k.breeding.as_ref().filter(|br| br.female_price <= on_hand) else { continue };
        if capacity(br, tr) - females[s] < 1.0 {
            continue;
        }
        let r = female_return(sc, k, tr, effort, price[c]);
        if !clears_hurdle(sc, k, effort, price[c], r) {
            continue;
        }
        let rate = r / br.female_price;
        if best.is_none_or(|b| rate > b.1) {
            best = Some((s, rate));
        }
    }
    best
}

/// Household `i` buys whole breeding females of species slot `s` with cash
/// on hand `on_hand`: as many as it can pay for and has hands for. Returns
/// the yuan paid.
pub fn buy(
    w: &World,
    species: &[usize],
    i: usize,
    females: &mut [f32],
    s: usize,
    on_hand: f64,
    sums: &mut Sums,
) -> f64 {
    let Some(br) = &w.sc.commodities[species[s]].breeding else { return 0.0 };
    let room = (capacity(br, &w.traits[i]) - females[s]).max(0.0) as f64;
    let n = (on_hand / br.female_price).floor().min(room);
    if n < 1.0 {
        return 0.0;
    }
    females[s] += n as f32;
    sums.bought += n;
    sums.invested += n * br.female_price;
    n * br.female_price
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
    use crate::mechanism::consumption;
    use crate::testing::{commodity, shipped};

    /// [`best`] and [`buy`] for every household in turn, from its savings
    /// (as if its month's income less need were already in them): the rule the
    /// household pass applies, for tests that step herds alone.
    fn invest(w: &World, herd: &mut Herd, hh: &mut Households, price: &[f64]) {
        let nb = herd.species.len();
        if nb == 0 {
            return;
        }
        let b = &w.sc.behaviour;
        let mut sums = Sums::default();
        for i in 0..w.households() {
            let need = b.subsistence as f32 * w.traits[i].adult_eq;
            let effort = crate::mechanism::dependency::effort(b, hh.dependency[i]);
            let on_hand = consumption::investable(b, need, hh.savings[i]);
            let females = &mut herd.herds.females[i * nb..(i + 1) * nb];
            if let Some((s, _)) = best(w, &herd.species, i, females, (on_hand, effort), price) {
                hh.savings[i] -= buy(w, &herd.species, i, females, s, on_hand, &mut sums) as f32;
            }
        }
        herd.tally.bought += sums.bought;
        herd.tally.invested += sums.invested;
    }

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
            assert_eq!(herd.receive(i, cattle, cows, 0.0), Some(cows));
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

    /// Short of food (savings below `eat_below_months` of need), households
    /// eat the grown animals they would sell, counted apart from sales; their
    /// value is income in kind (in `extra` and in `in_kind`);
    /// born − died − sold − eaten = the change in the herds. With savings,
    /// or with the field at 0, nobody eats.
    #[test]
    fn a_household_short_of_food_eats_what_it_would_sell() {
        let run = |eat_below: f64, savings: f32| {
            let mut sc = shipped("breeding_livestock", 300);
            let cattle = commodity(&sc, "cattle");
            sc.setting.commodities[cattle].breeding.as_mut().unwrap().eat_below_months = eat_below;
            let w = World::new(&sc.setting, Streams::new(sc.seed, 0));
            let mut hh = crate::sim::State::households(&w);
            hh.savings.iter_mut().for_each(|x| *x = savings);
            let mut herd = Herd::new(&w);
            (0..w.households()).for_each(|i| assert_eq!(herd.receive(i, cattle, 3.0, 0.0), Some(3.0)));
            let start = total(&herd);
            let price: Vec<f64> = sc.commodities.iter().map(|k| k.base_price).collect();
            let (mut flows, mut in_kind, mut income) = (Tally::default(), 0.0, 0.0);
            for t in 0..24 {
                month(&w, &mut herd, &mut hh, &price, t);
                let y = std::mem::take(&mut herd.tally);
                flows.born += y.born;
                flows.died += y.died;
                flows.sold += y.sold;
                flows.slaughtered += y.slaughtered;
                in_kind += hh.in_kind.iter_mut().map(|x| std::mem::take(x) as f64).sum::<f64>();
                income += hh.extra.iter_mut().map(|x| std::mem::take(x) as f64).sum::<f64>();
            }
            let change = total(&herd) - start;
            let balance = flows.born - flows.died - flows.sold - flows.slaughtered - change;
            assert!(balance.abs() < 1e-6, "{flows:?}, change {change}");
            // Every household has the opening dependency, so the same effort and value a head.
            let effort = crate::mechanism::dependency::effort(&sc.behaviour, hh.dependency[0]);
            let value = sale_value(&sc.commodities[cattle], price[cattle], effort) as f32 as f64;
            (flows, in_kind, income, value)
        };
        let (hungry, in_kind, income, value) = run(1.0, 0.0);
        assert!(hungry.slaughtered > 50.0 && hungry.sold > 0.0, "{hungry:?}");
        assert!((in_kind / (hungry.slaughtered * value) - 1.0).abs() < 1e-6, "in kind {in_kind}, income {income}");
        let (fed, in_kind, _, _) = run(1.0, 1e6);
        assert_eq!((fed.slaughtered, in_kind), (0.0, 0.0));
        let (off, _, _, _) = run(0.0, -1e4);
        assert_eq!(off.slaughtered, 0.0, "0 months: never, even in debt");
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
            herd.receive(i, cattle, 10.0, 0.0);
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

    /// The small-herd sampler draws what `rand_distr`'s sampler draws, and
    /// has the binomial's mean and variance (200,000 draws; the mean within
    /// 5 sd of its estimate, the variance within 3%).
    #[test]
    fn small_herd_draws_are_binomial() {
        let mut rng = Streams::new(5, 0).rng(Purpose::Herd, 1, 1);
        for (n, p) in [(10.0f32, 0.3), (64.0, 0.05), (12.0, 0.9), (40.0, 0.5), (200.0, 0.3)] {
            let (mut a, mut b) =
                (Streams::new(9, 0).rng(Purpose::Herd, 2, 3), Streams::new(9, 0).rng(Purpose::Herd, 2, 3));
            let sampler = Binomial::new(n as u64, p).unwrap();
            for _ in 0..1000 {
                assert_eq!(binomial(&mut a, n, p) as u64, sampler.sample(&mut b), "n {n} p {p}");
            }
            let draws: Vec<f64> = (0..200_000).map(|_| binomial(&mut rng, n, p) as f64).collect();
            let m = draws.iter().sum::<f64>() / draws.len() as f64;
            let v = draws.iter().map(|x| (x - m).powi(2)).sum::<f64>() / draws.len() as f64;
            let (em, ev) = (n as f64 * p, n as f64 * p * (1.0 - p));
            assert!((m - em).abs() < 5.0 * (ev / 200_000.0).sqrt(), "n {n} p {p}: mean {m} vs {em}");
            assert!((v / ev - 1.0).abs() < 0.03, "n {n} p {p}: variance {v} vs {ev}");
            assert!(draws.iter().all(|&x| (0.0..=n as f64).contains(&x)));
        }
    }

    /// Livestock as savings: a household deeper in debt than
    /// `distress_sale_months` of its need sells a breeding female a month,
    /// into its savings; one out of debt does not.
    #[test]
    fn a_household_deep_in_debt_sells_a_breeding_female() {
        let sc = shipped("breeding_livestock", 300);
        let cattle = commodity(&sc, "cattle");
        let w = World::new(&sc.setting, Streams::new(sc.seed, 0));
        let price: Vec<f64> = sc.commodities.iter().map(|k| k.base_price).collect();
        let run = |debt_months: f32| {
            let mut hh = crate::sim::State::households(&w);
            let mut herd = Herd::new(&w);
            for i in 0..w.households() {
                herd.receive(i, cattle, 3.0, 0.0);
                hh.savings[i] = -debt_months * sc.behaviour.subsistence as f32 * w.traits[i].adult_eq;
            }
            let before = hh.savings.clone();
            month(&w, &mut herd, &mut hh, &price, 13);
            let gained: f64 = hh.savings.iter().zip(&before).map(|(a, b)| (a - b) as f64).sum();
            (herd.tally.sold, gained)
        };
        let (sold_ok, gained_ok) = run(0.5);
        let (sold_debt, gained_debt) = run(3.0);
        let n = w.households() as f64;
        assert_eq!(gained_ok, 0.0, "out of deep debt, nothing is sold into savings");
        // The same draws: the difference is the distress sales, one female per household (less any
        // household whose three cows all died or were culled this month).
        assert!(sold_debt - sold_ok > 0.95 * n && sold_debt - sold_ok <= n, "{sold_ok} {sold_debt}");
        assert!(gained_debt > 0.0);
    }

    /// Credit for investment (`investment_credit_months`): a household one
    /// yuan short of a cow above its buffer buys none, unless it may borrow
    /// a month of its need; then it buys one and goes below its buffer.
    #[test]
    fn credit_lets_a_household_short_of_a_cow_buy_one() {
        let mut sc = shipped("breeding_livestock", 200);
        sc.setting.behaviour.investment_hurdle = 0.0;
        let cattle = commodity(&sc, "cattle");
        let cow = b_of(&sc, cattle).female_price as f32;
        let price: Vec<f64> = sc.commodities.iter().map(|k| k.base_price).collect();
        let bought = |credit: f64| {
            let mut sc = sc.clone();
            sc.setting.behaviour.investment_credit_months = credit;
            let w = World::new(&sc.setting, Streams::new(sc.seed, 0));
            let b = sc.behaviour;
            let mut hh = crate::sim::State::households(&w);
            for i in 0..w.households() {
                hh.dependency[i] = 0.0;
                hh.savings[i] = (b.buffer_months * b.subsistence) as f32 * w.traits[i].adult_eq + cow - 1.0;
            }
            let mut herd = Herd::new(&w);
            invest(&w, &mut herd, &mut hh, &price);
            herd.tally.bought
        };
        assert_eq!(bought(0.0), 0.0);
        assert!(bought(1.0) > 50.0, "{}", bought(1.0));
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
