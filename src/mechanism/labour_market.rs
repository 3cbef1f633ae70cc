//! The local labour market (MODEL.md §4.1), with `labour.allocation = "choice"`.
//!
//! - **Supply** is the labour units at home offering local work in the last
//!   household pass: not ill, not in an enterprise job, not in their own
//!   business, not at a resettlement site.
//! - **Demand** for hired labour is the farms' peak: `peak_hiring` per mu in
//!   each crop's planting and harvest months, on the township's planted area
//!   and the land enterprises lease; plus the rest of the local economy, set
//!   at the end of the pre-policy year (which runs as with `"fixed"`) so that
//!   at the founding wage the market would clear on average over that year,
//!   at `employment_rate`. Demand falls with the wage at
//!   `demand_elasticity`. Enterprise jobs are hires of their own: they take
//!   their workers out of the supply.
//! - **The employment rate** of a month is demand ÷ the last month's supply,
//!   at most 1: the share of months a local worker finds work.
//! - **The wage** moves toward clearing, where demand is `employment_rate` ×
//!   supply (the calibrated share of months a worker finds work when the
//!   market clears): each month it is multiplied by (demand ÷ that)^
//!   `wage_adjustment`. Migration is the outside option: a wage below its
//!   pre-policy level sends adults away at the next yearly choice, which
//!   lowers the supply (`labour::allocate`).
//!
//! With `"fixed"` the wage is `local_wage` and the employment rate
//! `employment_rate` throughout; the supply and employment are still counted.

use super::labour::{self, Moves, Rates};
use crate::setting::{CommodityKind, Labour, Setting};

/// The market's state in one arm.
#[derive(Debug, Clone)]
pub struct Market {
    /// The local wage relative to `local_wage` × growth (1 at founding).
    pub index: f64,
    /// This month's employment rate.
    pub employment: f64,
    /// This month's demand for hired labour, labour units.
    pub demand: f64,
    /// Labour units offering local work in the last pass.
    pub supply: f64,
    /// Demand other than the farms' peak at the founding wage, set at the end of the pre-policy year.
    base: Option<f64>,
    /// The farms' peak demand this month, labour units.
    farm: f64,
    /// Sums over the pre-policy months of the supply and of the farms' peak demand.
    calibration: (f64, f64),
    /// The customary area of each commodity, mu: what the farms' demand counts before a crop's first planting.
    base_areas: Vec<f64>,
    /// The area of each commodity the farms' demand counts this month, mu.
    pub areas: Vec<f64>,
    /// Wage index × employment rate, by month of the year (the last 12 months).
    paid: [f64; 12],
    /// This year's tallies.
    pub year: Year,
}

/// A year's tallies of the labour market.
#[derive(Debug, Clone, Copy, Default)]
pub struct Year {
    /// Sum over months of the wage, yuan/month.
    pub wage: f64,
    /// Sum over months of the labour units employed locally.
    pub employed: f64,
    pub months: f64,
    /// Adults who left and came home at the yearly choice.
    pub moves: Moves,
}

impl Market {
    /// A market at founding, with `areas` the pre-policy crop area (mu) of each commodity.
    pub fn new(sc: &Setting, areas: &[f64]) -> Market {
        let e = sc.labour.employment_rate;
        Market {
            index: 1.0,
            employment: e,
            demand: 0.0,
            supply: 0.0,
            base: None,
            farm: 0.0,
            calibration: (0.0, 0.0),
            base_areas: areas.to_vec(),
            areas: areas.to_vec(),
            paid: [e; 12],
            year: Year::default(),
        }
    }

    /// Mean over the last 12 months of the wage index times the employment
    /// rate: what households expect local work to pay, per unit of `local_wage`.
    pub fn paid(&self) -> f64 {
        self.paid.iter().sum::<f64>() / 12.0
    }
}

/// Before the markets open a season: the areas the farms' demand counts this
/// month, from each commodity's latest planting (`planted`; its customary area
/// while that is nothing, as before its first) and the land enterprises lease
/// (`leased`, by commodity).
pub fn observe(mk: &mut Market, planted: impl Iterator<Item = f64>, leased: &[f64]) {
    for (((a, p), &b), &l) in mk.areas.iter_mut().zip(planted).zip(&mk.base_areas).zip(leased) {
        *a = if p > 0.0 { p } else { b } + l;
    }
}

/// The farms' demand for hired labour in 0-based month `m`, with `areas` the
/// area (mu) planted with each commodity: `peak_hiring` per mu of each crop
/// planted or harvested this month.
pub fn farm_demand(sc: &Setting, areas: &[f64], m: u8) -> f64 {
    sc.commodities
        .iter()
        .zip(areas)
        .filter(|(c, _)| c.kind == CommodityKind::Crop && (c.plant_month == m || c.harvest_month == m))
        .map(|(_, a)| a)
        .sum::<f64>()
        * sc.labour.peak_hiring
}

/// Open the month, before the pass: the demand at the current wage (`farm`
/// the farms' peak), the employment rate it gives against the last supply,
/// and the month's rates at wage growth `growth`.
pub fn open(l: &Labour, mk: &mut Market, farm: f64, growth: f64) -> Rates {
    mk.farm = farm;
    let Some(base) = mk.base.filter(|_| l.choice && mk.supply > 0.0) else {
        // Fixed work, or the pre-policy year, which calibrates the market.
        mk.employment = l.employment_rate;
        return labour::rates(l, growth);
    };
    mk.demand = (base + farm) * mk.index.powf(-l.demand_elasticity);
    mk.employment = (mk.demand / mk.supply).min(1.0);
    Rates {
        wage: (l.local_wage * mk.index * mk.employment * growth) as f32,
        remittance: (l.remittance * growth) as f32,
    }
}

/// Close the month, after the pass, with the pass's `supply`: tally it, and
/// move the wage toward clearing. At the end of the pre-policy year (`m` =
/// 11 before the demand is set), the demand other than the farms' is set to
/// `employment_rate` × the year's mean supply less the farms' mean peak.
pub fn close(l: &Labour, mk: &mut Market, supply: f64, growth: f64, m: u8) {
    mk.year.wage += l.local_wage * mk.index * growth;
    mk.year.employed += mk.employment * supply;
    mk.year.months += 1.0;
    mk.paid[m as usize] = mk.index * mk.employment;
    mk.supply = supply;
    // Calibrated in either mode, so that an arm may choose where the pre-policy year did not.
    if mk.base.is_none() {
        mk.calibration.0 += supply;
        mk.calibration.1 += mk.farm;
        if m == 11 {
            let (s, f) = mk.calibration;
            mk.base = Some((l.employment_rate * s / 12.0 - f / 12.0).max(0.0));
        }
        return;
    }
    if !l.choice {
        return;
    }
    let clearing = l.employment_rate * supply;
    if clearing > 0.0 && mk.demand > 0.0 {
        mk.index *= (mk.demand / clearing).powf(l.wage_adjustment);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labour() -> Labour {
        Labour {
            local_wage: 1000.0,
            employment_rate: 0.4,
            remittance: 600.0,
            wage_growth: 0.0,
            choice: true,
            decision_month: 1,
            move_cost: 0.0,
            attachment: 100.0,
            wage_adjustment: 0.2,
            demand_elasticity: 1.5,
            peak_hiring: 0.0,
        }
    }

    fn market() -> Market {
        Market {
            index: 1.0,
            employment: 0.4,
            demand: 0.0,
            supply: 0.0,
            base: None,
            farm: 0.0,
            calibration: (0.0, 0.0),
            base_areas: vec![],
            areas: vec![],
            paid: [0.4; 12],
            year: Year::default(),
        }
    }

    #[test]
    fn the_wage_clears_the_market_after_a_fall_in_supply() {
        let l = labour();
        let mut mk = market();
        // The pre-policy year sets the demand: 40% of the year's mean supply less the farms' mean peak.
        for m in 0..12 {
            let r = open(&l, &mut mk, if m == 5 { 120.0 } else { 0.0 }, 1.0);
            assert!((r.wage - 400.0).abs() < 1e-3 && mk.employment == 0.4, "fixed while it calibrates");
            close(&l, &mut mk, 900.0 + 20.0 * m as f64 - 10.0 * 11.0, 1.0, m);
        }
        // Mean supply 900, mean farm peak 10: 0.4 × 900 − 10.
        assert!((mk.base.unwrap() - 350.0).abs() < 1e-9, "{:?}", mk.base);
        mk.base = Some(400.0);
        // 200 workers leave for enterprise jobs: the market is tight, the wage rises until demand is 40% of 800.
        let mut excess = Vec::new();
        for t in 1..120 {
            open(&l, &mut mk, 0.0, 1.0);
            close(&l, &mut mk, 800.0, 1.0, (t % 12) as u8);
            excess.push((mk.demand / (0.4 * 800.0) - 1.0).abs());
        }
        // Cleared within 0.1% after ten years; the wage rose by (400/320)^(1/1.5).
        assert!(*excess.last().unwrap() < 1e-3, "{:?}", &excess[excess.len() - 3..]);
        assert!((mk.index - 1.25f64.powf(1.0 / 1.5)).abs() < 1e-3, "{}", mk.index);
        assert!(excess.windows(2).all(|w| w[1] <= w[0] + 1e-12), "excess demand shrinks every month");
        // Tight: at the clearing wage a worker finds work 40% of months again.
        assert!((mk.employment - 0.4).abs() < 1e-3);
    }

    #[test]
    fn peak_season_raises_employment_and_the_wage_and_fixed_never_moves() {
        let l = labour();
        let mut mk = market();
        for m in 0..12 {
            open(&l, &mut mk, 0.0, 1.0);
            close(&l, &mut mk, 1000.0, 1.0, m);
        }
        let r = open(&l, &mut mk, 100.0, 1.0);
        assert!((mk.employment - 0.5).abs() < 1e-9 && (r.wage - 500.0).abs() < 1e-3);
        close(&l, &mut mk, 1000.0, 1.0, 1);
        assert!(mk.index > 1.0, "a tight month raises the wage");
        let fixed = Labour { choice: false, ..l };
        let mut mk = market();
        for t in 0..24 {
            let r = open(&fixed, &mut mk, 500.0, 1.0);
            close(&fixed, &mut mk, 1000.0 - t as f64, 1.0, (t % 12) as u8);
            assert_eq!((r.wage, mk.index, mk.employment), (400.0, 1.0, 0.4));
        }
    }
}
