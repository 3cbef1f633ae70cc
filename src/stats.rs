//! Streaming summary statistics across replicates.
//!
//! [`Welford`] keeps a running mean and variance, so memory does not grow
//! with the number of replicates. Values are added in replicate order, which
//! keeps the result bit-identical whatever the thread count. Non-finite
//! values (a ratio with a zero denominator) are skipped and `n` says how many
//! counted.

use serde::Serialize;

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Welford {
    pub n: u64,
    mean: f64,
    m2: f64,
}

impl Welford {
    pub fn push(&mut self, x: f64) {
        if !x.is_finite() {
            return;
        }
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    /// Mean with a 95% confidence interval for the mean (Student's t).
    pub fn interval(&self) -> Interval {
        if self.n == 0 {
            return Interval { mean: None, lo: None, hi: None, n: 0 };
        }
        if self.n == 1 {
            return Interval { mean: Some(self.mean), lo: None, hi: None, n: 1 };
        }
        let se = (self.m2 / (self.n - 1) as f64).sqrt() / (self.n as f64).sqrt();
        let half = t975(self.n - 1) * se;
        Interval { mean: Some(self.mean), lo: Some(self.mean - half), hi: Some(self.mean + half), n: self.n }
    }
}

/// A mean and its 95% interval. `lo`/`hi` are absent with one replicate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    pub mean: Option<f64>,
    pub lo: Option<f64>,
    pub hi: Option<f64>,
    #[serde(skip)]
    pub n: u64,
}

/// The 0.975 quantile of Student's t with `df` degrees of freedom.
pub fn t975(df: u64) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::NAN,
        1..=30 => TABLE[df as usize - 1],
        _ => {
            // Cornish–Fisher expansion around the normal quantile; error < 1e-4 for df > 30.
            let z: f64 = 1.959_963_984_540_054;
            let d = df as f64;
            z + (z.powi(3) + z) / (4.0 * d) + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * d * d)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welford_matches_two_pass() {
        let xs = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        let mut w = Welford::default();
        xs.iter().for_each(|&x| w.push(x));
        let mean = xs.iter().sum::<f64>() / 8.0;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 7.0;
        let i = w.interval();
        assert!((i.mean.unwrap() - mean).abs() < 1e-12);
        let half = 2.365 * (var / 8.0).sqrt();
        assert!((i.hi.unwrap() - mean - half).abs() < 1e-9);
    }

    #[test]
    fn non_finite_values_are_skipped() {
        let mut w = Welford::default();
        w.push(f64::NAN);
        w.push(2.0);
        assert_eq!(w.n, 1);
        assert_eq!(w.interval().lo, None);
    }

    #[test]
    fn t_quantile_is_continuous_at_the_table_edge() {
        assert!((t975(31) - 2.0395).abs() < 1e-3);
        assert!((t975(1000) - 1.9623).abs() < 1e-3);
    }
}
