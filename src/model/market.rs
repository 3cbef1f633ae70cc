//! Commodity prices.
//!
//! The township is a price-taker. Each commodity's price for a year is its
//! scripted price when the scenario gives one for that year (replaying
//! history exactly), and otherwise its base price times a mean-one
//! log-normal shock with standard deviation `price_sd`. Shocks are keyed by
//! (commodity, year), so every arm of a replicate sees the same prices.
//! Year index 0 is the pre-policy year; scripted prices start at the first
//! policy year.

use crate::rng::{Purpose, Streams};
use crate::scenario::Commodity;

/// Prices per year (0 = pre-policy year, then each policy year) and commodity, yuan per unit.
pub fn yearly_prices(commodities: &[Commodity], years: u32, streams: Streams) -> Vec<Vec<f64>> {
    (0..=years)
        .map(|y| {
            commodities
                .iter()
                .enumerate()
                .map(|(c, k)| {
                    let scripted = (y as usize)
                        .checked_sub(1)
                        .and_then(|p| k.scripted_prices.get(p));
                    match scripted {
                        Some(&p) => p,
                        None => {
                            let z = streams.normal(Purpose::PriceNoise, c as u64, y);
                            k.base_price * (k.price_sd * z - k.price_sd * k.price_sd / 2.0).exp()
                        }
                    }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::CommodityKind;

    fn commodity(sd: f64, scripted: Vec<f64>) -> Commodity {
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
        }
    }

    #[test]
    fn scripted_path_is_replayed_exactly() {
        let p = yearly_prices(
            &[commodity(0.3, vec![140.0, 20.0, 5.0])],
            4,
            Streams::new(1, 0),
        );
        assert_eq!(p[1][0], 140.0);
        assert_eq!(p[2][0], 20.0);
        assert_eq!(p[3][0], 5.0);
        assert_ne!(p[4][0], 5.0);
    }

    #[test]
    fn noisy_prices_have_mean_base() {
        // 2,000 replicates of one year; sd of the mean ≈ 30 * 0.3 / sqrt(2000) ≈ 0.2; allow 1.0.
        let c = [commodity(0.3, vec![])];
        let mean: f64 = (0..2000)
            .map(|r| yearly_prices(&c, 1, Streams::new(9, r))[1][0])
            .sum::<f64>()
            / 2000.0;
        assert!((mean - 30.0).abs() < 1.0, "mean {mean}");
    }
}
