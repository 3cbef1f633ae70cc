//! Work (MODEL.md §4.1): local wage work and migrants' remittances.
//!
//! Each labour unit at home that is neither ill nor in an enterprise job
//! earns the local wage for the expected share of months it finds work
//! (`employment_rate`, applied as an expected value), scaled by the
//! household's productivity and effort; each migrant member remits. Both
//! grow with `wage_growth` a year in nominal terms, deflated by the
//! scenario's price index (`[prices]`), since the simulation runs in yuan of
//! the pre-policy year.
//!
//! Section: `[labour]` (in the setting).

use crate::setting::Labour;

/// Wage and remittance rates of one month.
#[derive(Debug, Clone, Copy)]
pub struct Rates {
    /// Expected local wage income per labour unit and unit of productivity, yuan.
    pub wage: f32,
    /// Remittance per migrant, yuan.
    pub remittance: f32,
}

/// The rates of year index `y`, at wage growth `growth = (1 + g)^y`.
pub fn rates(l: &Labour, growth: f64) -> Rates {
    Rates { wage: (l.local_wage * l.employment_rate * growth) as f32, remittance: (l.remittance * growth) as f32 }
}

/// Real wage growth since the pre-policy year, at year index `y` and price
/// level `price` (1 in the pre-policy year).
pub fn growth(l: &Labour, y: usize, price: f64) -> f64 {
    (1.0 + l.wage_growth).powi(y as i32) / price
}

/// A household's wage and remittance income this month: `home_labour`
/// units at home, `prod_e` its productivity times effort.
#[inline]
pub fn income(r: &Rates, home_labour: f32, prod_e: f32, migrants: u8) -> f32 {
    home_labour * r.wage * prod_e + migrants as f32 * r.remittance
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wages_grow_and_scale_with_labour_and_productivity() {
        let l = Labour { local_wage: 1000.0, employment_rate: 0.5, remittance: 600.0, wage_growth: 0.1 };
        let r = rates(&l, growth(&l, 2, 1.0));
        assert!((r.wage - 605.0).abs() < 1e-3 && (r.remittance - 726.0).abs() < 1e-3);
        assert!((income(&r, 2.0, 0.5, 1) - (605.0 + 726.0)).abs() < 1e-3);
        // Prices that rise as fast as wages leave them where they were.
        let flat = rates(&l, growth(&l, 2, 1.21));
        assert!((flat.wage - 500.0).abs() < 1e-3 && (flat.remittance - 600.0).abs() < 1e-3);
    }
}
