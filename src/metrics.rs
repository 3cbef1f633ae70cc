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
        // A household without members (its last died) is no household.
        if yi < z && wi > 0.0 {
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

/// Scratch space for [`sort_order`], reused month after month.
#[derive(Debug, Clone, Default)]
pub struct RadixScratch {
    keys: Vec<u32>,
    keys_tmp: Vec<u32>,
    idx_tmp: Vec<u32>,
}

/// Order-preserving map of an `f32` onto a `u32` (negative values first).
#[inline]
fn sort_key(x: f32) -> u32 {
    let b = x.to_bits();
    if b & 0x8000_0000 != 0 {
        !b
    } else {
        b | 0x8000_0000
    }
}

/// Fill `order` with the indices of `y` sorted ascending (ties by index).
/// An LSD radix sort in three 11-bit passes: linear time, no comparisons,
/// and several times faster than a comparison sort at township sizes.
pub fn sort_order(order: &mut Vec<u32>, y: &[f32], scratch: &mut RadixScratch) {
    let n = y.len();
    order.clear();
    order.extend(0..n as u32);
    scratch.keys.clear();
    scratch.keys.extend(y.iter().map(|&x| sort_key(x)));
    scratch.keys_tmp.resize(n, 0);
    scratch.idx_tmp.resize(n, 0);
    for pass in 0..3 {
        let shift = 11 * pass;
        let mut count = [0usize; 2048];
        for &k in &scratch.keys {
            count[(k >> shift) as usize & 2047] += 1;
        }
        if count.contains(&n) {
            continue; // every key shares this digit
        }
        let mut sum = 0;
        for c in count.iter_mut() {
            let here = *c;
            *c = sum;
            sum += here;
        }
        for (&k, &i) in scratch.keys.iter().zip(order.iter()) {
            let slot = &mut count[(k >> shift) as usize & 2047];
            scratch.keys_tmp[*slot] = k;
            scratch.idx_tmp[*slot] = i;
            *slot += 1;
        }
        std::mem::swap(&mut scratch.keys, &mut scratch.keys_tmp);
        std::mem::swap(order, &mut scratch.idx_tmp);
    }
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
        let mut o = Vec::new();
        sort_order(&mut o, y, &mut RadixScratch::default());
        o
    }

    #[test]
    fn radix_order_matches_a_comparison_sort() {
        let y: Vec<f32> = (0..5000u32)
            .map(|i| ((i.wrapping_mul(2_654_435_761) % 100_003) as f32 - 20_000.0) * 0.37)
            .chain([0.0, -0.0, f32::MAX, f32::MIN, 1e-30])
            .collect();
        let mut expect: Vec<u32> = (0..y.len() as u32).collect();
        expect.sort_by(|&a, &b| y[a as usize].total_cmp(&y[b as usize]).then(a.cmp(&b)));
        assert_eq!(sorted(&y), expect);
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
