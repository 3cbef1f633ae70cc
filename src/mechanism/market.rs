//! Commodity markets (MODEL.md §4.3): expectations, planting response,
//! price formation, and the household's own fields.
//!
//! Each commodity is either exogenous (its price is the base price times a
//! mean-one log-normal shock per year) or endogenous (`demand_elasticity >
//! 0`): the township is a price-taker in a wider market whose price clears
//! total supply on an inverse demand curve,
//!
//! `P = P_base × (Q / Q_ref)^(−1/ε) × shock`,
//!
//! where `Q` is township plus outside production and `Q_ref` is production at
//! the base areas. Outside farmers adjust their area towards the area they
//! desire at the expected price, closing a share of the gap each season
//! (Nerlove partial adjustment): `ln A ← ln A + κ (ln A* − ln A)`,
//! `A* = A_ref (E / P_base)^η`. Township households scale their area by
//! `(π^e / π_ref)^η`, where expected profit per mu mixes the expected price
//! with last season's realised profit (imitation of neighbours).
//! Expectations are naive (`E = last price`) or adaptive
//! (`E ← E + λ (last price − E)`).
//!
//! A scripted price for a year overrides the market in that year, replaying
//! history exactly. Shocks are keyed by (commodity, year), so every arm of a
//! replicate sees the same ones.
//!
//! Each month: markets whose planting month it is form expectations and
//! decide areas ([`plant`]); markets whose harvest month it is clear
//! ([`clear`]); then each household plants, tends and harvests its fields in
//! the household pass ([`household`]), selling at a purchase contract's
//! floor where one is honoured; the township's planted and harvested areas
//! are recorded after the pass ([`record`]).
//!
//! Section: `[[markets.commodities]]` (the commodities themselves are part
//! of the setting, `setting::Commodity`).

use super::herd;
use crate::household::HouseholdsChunk;
use crate::rng::{Purpose, Streams};
use crate::setting::{Commodity, CommodityKind, Setting};
use crate::world::World;

/// A household is specialised in a crop when, at some planting during the
/// run, at least this share of its land was under it. The specialised
/// households of a commodity are a cohort fixed at the end of the run, whose
/// poverty is then reported for every year, the initial one included.
pub const SPECIALISED_SHARE: f32 = 0.5;

/// Exogenous ingredients of prices: shocks and scripted overrides.
#[derive(Debug, Clone)]
pub struct PricePaths {
    /// Mean-one multiplicative shock per year index (0 = pre-policy) × commodity.
    pub shock: Vec<Vec<f64>>,
    /// Scripted price per year index × commodity, if any.
    pub scripted: Vec<Vec<Option<f64>>>,
}

impl PricePaths {
    pub fn new(commodities: &[Commodity], years: u32, streams: Streams) -> Self {
        let shock = (0..=years)
            .map(|y| {
                commodities
                    .iter()
                    .enumerate()
                    .map(|(c, k)| {
                        let z = streams.normal(Purpose::PriceNoise, c as u64, y);
                        (k.price_sd * z - k.price_sd * k.price_sd / 2.0).exp()
                    })
                    .collect()
            })
            .collect();
        let scripted = (0..=years)
            .map(|y| {
                commodities
                    .iter()
                    .map(|k| (y as usize).checked_sub(1).and_then(|p| k.scripted_prices.get(p).copied()))
                    .collect()
            })
            .collect();
        PricePaths { shock, scripted }
    }

    /// The price of an exogenous commodity in year index `y`.
    pub fn exogenous(&self, c: &Commodity, index: usize, y: usize) -> f64 {
        self.scripted[y][index].unwrap_or(c.base_price * self.shock[y][index])
    }
}

/// Prices per year (0 = pre-policy year, then each policy year) and
/// commodity, for exogenous markets.
pub fn yearly_prices(commodities: &[Commodity], years: u32, streams: Streams) -> Vec<Vec<f64>> {
    let p = PricePaths::new(commodities, years, streams);
    (0..=years as usize).map(|y| commodities.iter().enumerate().map(|(c, k)| p.exogenous(k, c, y)).collect()).collect()
}

/// One commodity's market as one arm sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct MarketState {
    /// Latest realised price, yuan per unit.
    pub price: f64,
    /// Price expected for the current season.
    pub expected: f64,
    /// Realised profit per mu (head) last season at nominal yield.
    pub last_profit: f64,
    /// Area (head) planted outside the township this season.
    pub outside_area: f64,
    pub outside_harvested: f64,
    /// Township area (head) planted this season, and its expected output.
    pub planted: f64,
    pub planted_output: f64,
    pub harvested: f64,
    /// Factor by which households scale their base area this season.
    pub area_factor: f64,
}

impl MarketState {
    pub fn new(c: &Commodity) -> Self {
        MarketState {
            price: c.base_price,
            expected: c.base_price,
            last_profit: c.base_profit(),
            outside_area: c.outside_area,
            outside_harvested: 0.0,
            planted: 0.0,
            planted_output: 0.0,
            harvested: 0.0,
            area_factor: 1.0,
        }
    }

    /// Spring: form expectations and decide areas.
    pub fn plant(&mut self, c: &Commodity) {
        self.expected =
            if c.adaptive { self.expected + c.adaptation * (self.price - self.expected) } else { self.price };
        if c.endogenous() && c.outside_area > 0.0 {
            let desired = c.outside_area * (self.expected / c.base_price).max(1e-9).powf(c.area_elasticity);
            let ln = self.outside_area.ln() + c.area_adjustment * (desired.ln() - self.outside_area.ln());
            self.outside_area = ln.exp();
        }
        self.area_factor = if c.responsive() {
            let expected_profit = (1.0 - c.imitation) * (self.expected * c.yield_per - c.cost - c.dig_cost)
                + c.imitation * self.last_profit;
            (expected_profit.max(0.0) / c.base_profit()).powf(c.area_elasticity)
        } else {
            1.0
        };
        self.planted = 0.0;
        self.planted_output = 0.0;
        self.harvested = 0.0;
        self.outside_harvested = 0.0;
    }

    /// Harvest: set the season's price. `reference_output` is the township's
    /// output at base areas; `exogenous` is the price if the market is not endogenous.
    pub fn clear(
        &mut self,
        c: &Commodity,
        reference_output: f64,
        scripted: Option<f64>,
        shock: f64,
        exogenous: f64,
    ) -> f64 {
        self.price = match scripted {
            Some(p) => p,
            None if c.endogenous() => {
                let q = self.planted_output + self.outside_area * c.yield_per;
                let q_ref = reference_output + c.outside_area * c.yield_per;
                c.base_price * (q.max(1e-9) / q_ref).powf(-1.0 / c.demand_elasticity) * shock
            }
            None => exogenous,
        };
        let worth_digging = self.price * c.yield_per >= c.dig_cost;
        self.outside_harvested = if worth_digging { self.outside_area } else { 0.0 };
        self.last_profit = self.price * c.yield_per - c.cost - if worth_digging { c.dig_cost } else { 0.0 };
        self.price
    }
}

/// Spring: every market whose planting month it is forms expectations and
/// decides areas. Returns which commodities plant this month.
pub fn plant(sc: &Setting, markets: &mut [MarketState], m: u8) -> Vec<bool> {
    let mut planting = vec![false; sc.commodities.len()];
    for (c, k) in sc.commodities.iter().enumerate() {
        if m == k.plant_month {
            markets[c].plant(k);
            planting[c] = true;
        }
    }
    planting
}

/// Harvest: every market whose harvest month it is clears. Township output
/// planted this season is known only after the household pass; clearing
/// needs it, so markets whose harvest falls in a planting month use last
/// month's book. Harvest months after planting are the norm. Returns every
/// commodity's latest price.
pub fn clear(w: &World, prices: &PricePaths, markets: &mut [MarketState], m: u8, y: usize) -> Vec<f64> {
    let mut price = vec![0.0f64; w.sc.commodities.len()];
    for (c, k) in w.sc.commodities.iter().enumerate() {
        if m == k.harvest_month {
            let exo = prices.exogenous(k, c, y);
            markets[c].clear(k, w.reference_output[c], prices.scripted[y][c], prices.shock[y][c], exo);
        }
        price[c] = markets[c].price;
    }
    price
}

/// A commodity's event this month, as the household pass sees it.
pub struct Event {
    pub c: usize,
    pub plant: bool,
    pub harvest: bool,
    pub livestock: bool,
    pub price: f32,
    pub cost: f32,
    pub dig: f32,
    pub factor: f32,
    pub responsive: bool,
    /// A tree crop with a yield curve by age.
    pub aged: bool,
    pub max_land: f32,
    pub mu_per_labour: f32,
}

/// This month's events: commodities planted or harvested, and livestock (tended every month).
pub fn events(sc: &Setting, markets: &[MarketState], planting: &[bool], price: &[f64], m: u8) -> Vec<Event> {
    sc.commodities
        .iter()
        .enumerate()
        .filter(|(_, c)| c.breeding.is_none())
        .filter(|(_, c)| c.plant_month == m || c.harvest_month == m || c.kind == CommodityKind::Livestock)
        .map(|(i, c)| Event {
            c: i,
            plant: planting[i],
            harvest: c.harvest_month == m,
            livestock: c.kind == CommodityKind::Livestock,
            price: price[i] as f32,
            cost: c.cost as f32,
            dig: c.dig_cost as f32,
            factor: markets[i].area_factor as f32,
            responsive: c.responsive(),
            aged: c.aged() && c.kind == CommodityKind::Crop,
            max_land: c.max_land_share as f32,
            mu_per_labour: c.mu_per_labour as f32,
        })
        .collect()
}

/// A purchase contract a household sells under: buyer `buyer` (an
/// enterprise) pays at least `floor` for commodity `commodity` (0: the
/// contract is not honoured this season).
#[derive(Debug, Clone, Copy)]
pub struct Contract {
    pub buyer: usize,
    pub commodity: usize,
    pub floor: f32,
}

/// What the fields of a chunk of households add up to.
#[derive(Debug, Clone, Default)]
pub struct Sums {
    /// Per commodity: area planted and its expected output.
    pub planted: Vec<(f64, f64)>,
    /// Per commodity: area harvested.
    pub harvested: Vec<f64>,
    /// Per buyer: expected output of contracted households' planting, and top-ups owed.
    pub contract_planted: Vec<f64>,
    pub contract_paid: Vec<f64>,
}

impl Sums {
    pub fn new(commodities: usize, buyers: usize) -> Sums {
        Sums {
            planted: vec![(0.0, 0.0); commodities],
            harvested: vec![0.0; commodities],
            contract_planted: vec![0.0; buyers],
            contract_paid: vec![0.0; buyers],
        }
    }

    pub fn add(&mut self, o: &Sums) {
        for (a, b) in self.planted.iter_mut().zip(&o.planted) {
            a.0 += b.0;
            a.1 += b.1;
        }
        for (a, b) in self.harvested.iter_mut().zip(&o.harvested) {
            *a += b;
        }
        for (a, b) in self.contract_planted.iter_mut().zip(&o.contract_planted) {
            *a += b;
        }
        for (a, b) in self.contract_paid.iter_mut().zip(&o.contract_paid) {
            *a += b;
        }
    }
}

/// After the pass: the township's planted and harvested areas.
pub fn record(sc: &Setting, markets: &mut [MarketState], planting: &[bool], sums: &Sums, m: u8) {
    for (c, k) in sc.commodities.iter().enumerate() {
        if planting[c] {
            markets[c].planted = sums.planted[c].0;
            markets[c].planted_output = sums.planted[c].1;
        }
        if k.harvest_month == m {
            markets[c].harvested = sums.harvested[c];
        }
    }
}

/// What the fields block of the pass reads for every household this month.
pub struct Fields<'a> {
    pub w: &'a World<'a>,
    pub events: &'a [Event],
    /// Harvest kept after hazards this year, per village × commodity.
    pub hazard_row: &'a [f32],
    /// Year index (0 = pre-policy), for the age of customary orchards.
    pub y: usize,
    /// Livestock kept alive this month, per village × commodity: the
    /// world's survival, times 1 − `outbreak_loss` where an outbreak of a
    /// fattening herd strikes this month ([`survival`]).
    pub survival: &'a [f32],
    /// Farm-gate price factor per village: market access from finished
    /// infrastructure (`mechanism::infrastructure`; 1 without).
    pub access: &'a [f32],
    /// Price factor of a household linked to e-commerce (`mechanism::ecommerce`; 1 without).
    pub online: f32,
    /// Share of its land a household plants with a crop it took up from its contacts (`[network]`).
    pub entry: f32,
}

/// This month's livestock survival per village × commodity: `w.survival`,
/// and where a fattening herd's outbreak strikes village *v* in month `m`
/// of year index `y`, that times 1 − `outbreak_loss` (a new row only then).
pub fn survival<'a>(w: &'a World, m: u8, y: usize) -> std::borrow::Cow<'a, [f32]> {
    let sc = w.sc;
    let nc = sc.commodities.len();
    let now = |c: &Commodity| c.outbreak.filter(|o| o.month == m);
    if !sc.commodities.iter().any(|c| now(c).is_some()) {
        return std::borrow::Cow::Borrowed(&w.survival);
    }
    let mut row = w.survival.clone();
    for (c, k) in sc.commodities.iter().enumerate() {
        let Some(o) = now(k) else { continue };
        for v in 0..sc.population.villages.len() {
            if herd::struck(w.streams, o.probability, c, v, y) {
                row[v * nc + c] *= 1.0 - o.loss as f32;
            }
        }
    }
    std::borrow::Cow::Owned(row)
}

/// One month of household `i`'s own fields (chunk position `j`): spring
/// planting within land, labour and cash limits, livestock losses, harvest
/// and sale (left in the ground when it does not pay the digging).
/// `effort` and `prod_e` (productivity × effort) scale yields, `farm_gain` a
/// machine's gain on crops; `savings` are the month's opening savings.
#[inline]
#[allow(clippy::too_many_arguments)]
pub fn household(
    f: &Fields,
    i: usize,
    j: usize,
    hh: &mut HouseholdsChunk,
    contract: Option<Contract>,
    (effort, prod_e, farm_gain, savings): (f32, f32, f32, f32),
    (income, costs): (&mut f32, &mut f32),
    sums: &mut Sums,
) {
    let w = f.w;
    let tr = &w.traits[i];
    let v = tr.village as usize;
    let nc = w.sc.commodities.len();
    let staple = w.sc.population.staple;
    let row = i * nc;
    let lrow = j * nc;
    for e in f.events {
        let c = e.c;
        let ys = w.yield_suit[v * nc + c];
        if e.plant {
            // Spring: scale the customary area by the market's factor, within
            // land, labour and cash limits; the change comes from or goes to staple land.
            let adopted = hh.adopted[j] & (1 << c) != 0;
            if e.responsive || adopted {
                let mut base = w.base_area[row + c];
                if adopted {
                    base = base.max(f.entry * tr.land);
                }
                if base > 0.0 {
                    let mut want = base * e.factor;
                    want = want.min(base.max(e.mu_per_labour * tr.labour));
                    if !e.livestock {
                        want = want.min(base.max(e.max_land * tr.land));
                    }
                    if e.cost > 0.0 {
                        want = want.min(base + savings.max(0.0) / e.cost);
                    }
                    let current = hh.area[lrow + c];
                    if e.livestock {
                        hh.area[lrow + c] = want;
                    } else if want > current {
                        let got = (want - current).min(hh.area[lrow + staple]);
                        hh.area[lrow + staple] -= got;
                        hh.area[lrow + c] += got;
                    } else {
                        hh.area[lrow + staple] += current - want;
                        hh.area[lrow + c] = want;
                    }
                }
            }
            let a = hh.area[lrow + c];
            if !e.livestock && tr.land > 0.0 && a >= SPECIALISED_SHARE * tr.land {
                hh.specialised[j] |= 1 << c;
            }
            sums.planted[c].0 += a as f64;
            sums.planted[c].1 += (a * ys) as f64;
            if let Some(k) = contract.filter(|k| k.commodity == c) {
                sums.contract_planted[k.buyer] += (a * ys) as f64;
            }
            *costs += a * e.cost;
            if e.livestock {
                hh.stock[lrow + c] = a;
            }
        }
        if e.livestock {
            hh.stock[lrow + c] *= f.survival[v * nc + c];
        }
        if e.harvest {
            let a = if e.livestock { std::mem::take(&mut hh.stock[lrow + c]) } else { hh.area[lrow + c] };
            if a > 0.0 {
                let contract = contract.filter(|k| k.commodity == c);
                let floor = contract.map_or(0.0, |k| k.floor);
                // The household's own price: the market's, times its village's market access and
                // its e-commerce linkage; a contract floor tops it up, at the buyer's cost.
                // A household at a resettlement site sells at the site (access 1).
                let access = if hh.moved[j] > 0 && !hh.returned[j] { 1.0 } else { f.access[v] };
                let open = e.price * access * if hh.online[j] { f.online } else { 1.0 };
                let p = open.max(floor);
                let mut q = ys * f.hazard_row[v * nc + c] * if e.livestock { effort } else { prod_e * farm_gain };
                if e.aged {
                    // A customary orchard bears by its age.
                    q *= w.sc.commodities[c].bearing_share(w.orchard_age(i, c) + f.y) as f32;
                }
                // Left in the ground (or unsold) when it does not pay the digging.
                if p * q >= e.dig {
                    *income += a * (q * p - e.dig);
                    sums.harvested[c] += a as f64;
                    if let Some(k) = contract.filter(|_| floor > open) {
                        sums.contract_paid[k.buyer] += (a * q * (floor - open)) as f64;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn commodity(sd: f64, scripted: Vec<f64>) -> Commodity {
        Commodity {
            name: "pseudostellaria".into(),
            suitability_scales: [300.0, 10.0, 0.3],
            kind: CommodityKind::Crop,
            unit: "jin".into(),
            base_price: 30.0,
            yield_per: 200.0,
            cost: 1000.0,
            plant_month: 2,
            harvest_month: 7,
            price_sd: sd,
            scripted_prices: scripted,
            monthly_mortality: 0.0,
            altitude_range_m: [0.0, 5000.0],
            max_slope_deg: 90.0,
            climates: vec![],
            demand_elasticity: 0.0,
            outside_area: 0.0,
            adaptive: false,
            adaptation: 0.5,
            area_elasticity: 0.0,
            area_adjustment: 1.0,
            imitation: 0.0,
            dig_cost: 0.0,
            max_land_share: 0.8,
            mu_per_labour: 10.0,
            years_to_bearing: 0,
            yield_by_age: vec![],
            customary_age_years: [20.0, 20.0],
            planting_cost: 0.0,
            breeding: None,
            outbreak: None,
        }
    }

    #[test]
    fn scripted_path_is_replayed_exactly() {
        let p = yearly_prices(&[commodity(0.3, vec![140.0, 20.0, 5.0])], 4, Streams::new(1, 0));
        assert_eq!(p[1][0], 140.0);
        assert_eq!(p[2][0], 20.0);
        assert_eq!(p[3][0], 5.0);
        assert_ne!(p[4][0], 5.0);
    }

    #[test]
    fn noisy_prices_have_mean_base() {
        // 2,000 replicates of one year; sd of the mean ≈ 30 * 0.3 / sqrt(2000) ≈ 0.2; allow 1.0.
        let c = [commodity(0.3, vec![])];
        let mean: f64 = (0..2000).map(|r| yearly_prices(&c, 1, Streams::new(9, r))[1][0]).sum::<f64>() / 2000.0;
        assert!((mean - 30.0).abs() < 1.0, "mean {mean}");
    }

    /// A pure outside market with naive expectations and full adjustment:
    /// log-price deviations follow x' = −(η/ε) x. The cobweb converges when
    /// supply is less elastic than demand (η < ε) and diverges otherwise.
    fn cobweb(eta: f64, eps: f64) -> Vec<f64> {
        let mut c = commodity(0.0, vec![]);
        c.demand_elasticity = eps;
        c.area_elasticity = eta;
        c.outside_area = 1000.0;
        let mut m = MarketState::new(&c);
        m.price = 45.0; // a shock away from equilibrium
        (0..12)
            .map(|_| {
                m.plant(&c);
                m.clear(&c, 0.0, None, 1.0, 0.0)
            })
            .collect()
    }

    #[test]
    fn cobweb_converges_when_supply_is_less_elastic_than_demand() {
        let p = cobweb(0.5, 1.0);
        let dev = |x: f64| (x / 30.0).ln().abs();
        assert!(dev(p[11]) < 0.01 * dev(45.0), "{p:?}");
        // It oscillates around the base price on the way.
        assert!(p[0] < 30.0 && p[1] > 30.0);
    }

    #[test]
    fn cobweb_diverges_when_supply_is_more_elastic_than_demand() {
        let p = cobweb(1.5, 1.0);
        let dev = |x: f64| (x / 30.0).ln().abs();
        assert!(dev(p[5]) > 5.0 * dev(45.0), "{p:?}");
    }

    #[test]
    fn cobweb_cycles_when_elasticities_are_equal() {
        let p = cobweb(1.0, 1.0);
        assert!((p[10] - p[0]).abs() < 1e-9 * p[0] && (p[11] - p[1]).abs() < 1e-9 * p[1], "{p:?}");
        assert!((p[0] - p[1]).abs() > 1.0);
    }

    #[test]
    fn outside_roots_are_left_in_the_ground_below_the_digging_cost() {
        let mut c = commodity(0.0, vec![2.0]);
        c.dig_cost = 500.0; // 200 jin at 2 yuan = 400 < 500
        let mut m = MarketState::new(&c);
        c.outside_area = 100.0;
        m.outside_area = 100.0;
        m.plant(&c);
        m.clear(&c, 0.0, Some(2.0), 1.0, 0.0);
        assert_eq!(m.outside_harvested, 0.0);
        assert_eq!(m.last_profit, 400.0 - 1000.0);
        m.clear(&c, 0.0, Some(3.0), 1.0, 0.0);
        assert_eq!(m.outside_harvested, 100.0);
    }

    /// Household `i`'s planting of `c` in its planting month at area factor
    /// `factor`, from the opening state `s`; returns its (crop, staple) area.
    fn plant_at(r: &crate::sim::Replicate, s: &crate::sim::State, i: usize, c: usize, factor: f64) -> (f32, f32) {
        let (w, sc) = (&r.world, r.sc);
        let nc = sc.commodities.len();
        let mut s = s.clone();
        let mut markets = s.markets.clone();
        markets[c].area_factor = factor;
        let m = sc.commodities[c].plant_month;
        let planting: Vec<bool> = (0..nc).map(|k| k == c).collect();
        let price: Vec<f64> = markets.iter().map(|mk| mk.price).collect();
        let events: Vec<Event> = events(sc, &markets, &planting, &price, m).into_iter().filter(|e| e.c == c).collect();
        let (nv, access) = (sc.population.villages.len(), vec![1.0; sc.population.villages.len()]);
        let f = Fields {
            w,
            events: &events,
            hazard_row: &w.hazard[..nv * nc],
            y: 0,
            survival: &w.survival,
            access: &access,
            online: 1.0,
            entry: 0.2,
        };
        let mut chunks = s.hh.chunks(crate::household::CHUNK, nc);
        let (mut income, mut costs, mut sums) = (0.0, 0.0, Sums::new(nc, 0));
        household(&f, i, i, &mut chunks[0], None, (1.0, 1.0, 1.0, 1e7), (&mut income, &mut costs), &mut sums);
        let staple = sc.population.staple;
        (chunks[0].area[i * nc + c], chunks[0].area[i * nc + staple])
    }

    #[test]
    fn crop_areas_move_with_expected_profit_and_stop_at_the_land_limit() {
        let mut sc = crate::testing::township(2000);
        let pepper = crate::testing::commodity(&sc, "pepper");
        sc.setting.commodities[pepper].area_elasticity = 1.0;
        let (r, s) = crate::testing::after_pre_policy_year(&sc);
        let w = &r.world;
        let nc = sc.commodities.len();
        let k = &sc.commodities[pepper];
        // A grower whose labour allows more than the crop's land limit.
        let i = (0..w.households())
            .find(|&i| {
                let t = &w.traits[i];
                w.base_area[i * nc + pepper] > 0.0
                    && (k.mu_per_labour as f32) * t.labour > k.max_land_share as f32 * t.land
            })
            .expect("a pepper grower with labour to spare");
        let (base, land) = (w.base_area[i * nc + pepper], w.traits[i].land);
        let total = |(a, b): (f32, f32)| a + b;
        let at_one = plant_at(&r, &s, i, pepper, 1.0);
        assert!((at_one.0 - base).abs() < 1e-4, "at the reference profit the customary area");
        let more = plant_at(&r, &s, i, pepper, 1.5);
        assert!((more.0 - 1.5 * base).abs() < 1e-4 && (total(more) - total(at_one)).abs() < 1e-3, "from staple land");
        let less = plant_at(&r, &s, i, pepper, 0.5);
        assert!(
            (less.0 - 0.5 * base).abs() < 1e-4 && (total(less) - total(at_one)).abs() < 1e-3,
            "back to staple land"
        );
        // A boom stops at the crop's share of the household's land.
        let boom = plant_at(&r, &s, i, pepper, 100.0);
        assert!(
            (boom.0 - k.max_land_share as f32 * land).abs() < 1e-3,
            "{} against {}",
            boom.0,
            k.max_land_share as f32 * land
        );
        assert!((total(boom) - total(at_one)).abs() < 1e-3);
        // A household that took pepper up from its contacts plants `entry` of its land, scaled by the factor.
        let j = (0..w.households())
            .find(|&j| w.base_area[j * nc + pepper] == 0.0 && w.traits[j].land > 1.0 && w.traits[j].labour >= 1.0)
            .expect("a household without pepper");
        let mut taken = s.clone();
        taken.hh.adopted[j] |= 1 << pepper;
        let land = w.traits[j].land;
        assert_eq!(plant_at(&r, &s, j, pepper, 1.5).0, 0.0, "not without adopting it");
        let entered = plant_at(&r, &taken, j, pepper, 1.5);
        assert!((entered.0 - 0.2 * 1.5 * land).abs() < 1e-4, "{} of {land} mu", entered.0);
    }
}
