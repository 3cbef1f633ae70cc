//! Poverty and inequality measures over a population of households.
//!
//! All measures are person-weighted: a household of five counts five times,
//! each member at the household's per-capita income. Pure functions, tested
//! on hand-computed cases.

/// Foster–Greer–Thorbecke measures at line `z`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Fgt {
    /// Poor people (weighted count).
    pub poor_people: f64,
    /// Poor households (unweighted count).
    pub poor_households: f64,
    /// FGT(0): the headcount rate.
    pub headcount_rate: f64,
    /// FGT(1): the poverty gap index.
    pub gap: f64,
    /// FGT(2): the squared gap (severity).
    pub severity: f64,
    /// Person-weighted mean of per-capita income.
    pub mean: f64,
}

/// FGT measures of per-capita incomes `y` with person weights `w` at line `z`.
pub fn fgt(y: &[f32], w: &[u8], z: f64) -> Fgt {
    let (mut people, mut hh, mut g1, mut g2, mut total, mut sum) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for (&yi, &wi) in y.iter().zip(w) {
        let (yi, wi) = (yi as f64, wi as f64);
        total += wi;
        sum += wi * yi;
        if yi < z {
            let g = (z - yi) / z;
            people += wi;
            hh += 1.0;
            g1 += wi * g;
            g2 += wi * g * g;
        }
    }
    if total == 0.0 {
        return Fgt::default();
    }
    Fgt {
        poor_people: people,
        poor_households: hh,
        headcount_rate: people / total,
        gap: g1 / total,
        severity: g2 / total,
        mean: sum / total,
    }
}

/// Re-sort `order` (a permutation of household indices) by `y`, ascending.
/// Incomes move little from one month to the next, so the stable,
/// run-adaptive sort finishes in near-linear time on last month's order.
pub fn sort_order(order: &mut [u32], y: &[f32]) {
    order.sort_by(|&a, &b| y[a as usize].total_cmp(&y[b as usize]));
}

/// Person-weighted Gini of per-capita incomes, given `order` sorted by `y`.
/// Negative incomes count as zero, so the result lies in [0, 1].
pub fn gini(order: &[u32], y: &[f32], w: &[u8]) -> f64 {
    let (mut total_w, mut total_y) = (0.0, 0.0);
    for &i in order {
        let wi = w[i as usize] as f64;
        total_w += wi;
        total_y += wi * (y[i as usize] as f64).max(0.0);
    }
    if total_w == 0.0 || total_y <= 0.0 {
        return 0.0;
    }
    let (mut cum, mut area) = (0.0, 0.0);
    for &i in order {
        let wi = w[i as usize] as f64;
        let prev = cum;
        cum += wi * (y[i as usize] as f64).max(0.0);
        area += wi * (prev + cum);
    }
    (1.0 - area / (total_w * total_y)).clamp(0.0, 1.0)
}

/// Person-weighted median of `y`, given `order` sorted by `y`.
pub fn median(order: &[u32], y: &[f32], w: &[u8]) -> f64 {
    let total: f64 = w.iter().map(|&x| x as f64).sum();
    let mut cum = 0.0;
    for &i in order {
        cum += w[i as usize] as f64;
        if cum >= total / 2.0 {
            return y[i as usize] as f64;
        }
    }
    0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(y: &[f32]) -> Vec<u32> {
        let mut o: Vec<u32> = (0..y.len() as u32).collect();
        sort_order(&mut o, y);
        o
    }

    #[test]
    fn fgt_hand_computed() {
        // Line 100. Households: (50, 2 people), (100, 1), (150, 1).
        // Poor: only the first. Gap = 2 * 0.5 / 4 = 0.25; severity = 2 * 0.25 / 4 = 0.125.
        let f = fgt(&[50.0, 100.0, 150.0], &[2, 1, 1], 100.0);
        assert_eq!(f.poor_people, 2.0);
        assert_eq!(f.poor_households, 1.0);
        assert_eq!(f.headcount_rate, 0.5);
        assert_eq!(f.gap, 0.25);
        assert_eq!(f.severity, 0.125);
        assert_eq!(f.mean, (100.0 + 100.0 + 150.0) / 4.0);
    }

    #[test]
    fn gini_hand_computed() {
        let w = [1u8; 4];
        let equal = [5.0f32; 4];
        assert_eq!(gini(&sorted(&equal), &equal, &w), 0.0);
        // One person has everything: G = 1 - 1/n.
        let y = [0.0f32, 0.0, 10.0, 0.0];
        assert!((gini(&sorted(&y), &y, &w) - 0.75).abs() < 1e-12);
        // Incomes 1,2,3,4: G = 1 - (1*1 + 1*4 + 1*9 + 1*16... ) computed by the
        // mean-difference formula: sum|xi-xj| / (2 n^2 mean) = 20 / (2*16*2.5) = 0.25.
        let y = [4.0f32, 1.0, 3.0, 2.0];
        assert!((gini(&sorted(&y), &y, &w) - 0.25).abs() < 1e-12);
        // Weights act as repeated people: (1, w=2), (4, w=1) == 1,1,4.
        let a = gini(&sorted(&[1.0, 4.0]), &[1.0, 4.0], &[2, 1]);
        let b = gini(&sorted(&[1.0, 1.0, 4.0]), &[1.0, 1.0, 4.0], &[1, 1, 1]);
        assert!((a - b).abs() < 1e-12);
    }

    #[test]
    fn median_is_person_weighted() {
        let y = [10.0f32, 20.0, 30.0];
        assert_eq!(median(&sorted(&y), &y, &[1, 1, 5]), 30.0);
        assert_eq!(median(&sorted(&y), &y, &[1, 1, 1]), 20.0);
    }
}
