//! Commodity markets: expectations, planting response, price formation.
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

use crate::rng::{Purpose, Streams};
use crate::scenario::Commodity;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::CommodityKind;

    pub fn commodity(sd: f64, scripted: Vec<f64>) -> Commodity {
        Commodity {
            name: "pseudostellaria".into(),
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
}
