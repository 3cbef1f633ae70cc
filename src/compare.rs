//! Comparisons over the whole run, paired by replicate (MODEL.md §10).
//!
//! Every arm of a replicate runs on the same households and shocks, so an
//! arm can be compared with the reference (the first arm) replicate by
//! replicate. Over the whole run, not a single year:
//!
//! - **poverty person-years averted**: Σ over policy years of poor people,
//!   reference minus arm;
//! - **the mean yearly effect** on the headcount rate, arm minus reference;
//! - **the chance of beating** the reference, and each other arm: the share
//!   of replicates in which the arm has fewer poor person-years (a tie
//!   counts half);
//! - **incremental cost-effectiveness**: the extra budget spent over the
//!   reference per poverty person-year averted, and per additional
//!   sustained exit. It is a ratio of paired means, `mean ΔC / mean ΔE`,
//!   defined only where the arm averts on average (`mean ΔE > 0`); its 95%
//!   interval is Fieller's, which is unbounded when the effect is not
//!   significantly above zero.
//!
//! Architecture invariant: pure statistics over per-replicate values; this
//! module knows no metric's name and no file.

use crate::stats::{t975, Welford};

/// Streaming means, variances and covariance of a pair (Welford's update).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Welford2 {
    pub n: u64,
    mx: f64,
    my: f64,
    m2x: f64,
    m2y: f64,
    cxy: f64,
}

impl Welford2 {
    /// Add one pair; a pair with a non-finite value is skipped.
    pub fn push(&mut self, x: f64, y: f64) {
        if !x.is_finite() || !y.is_finite() {
            return;
        }
        self.n += 1;
        let n = self.n as f64;
        let dx = x - self.mx;
        self.mx += dx / n;
        let dy = y - self.my;
        self.my += dy / n;
        self.m2x += dx * (x - self.mx);
        self.m2y += dy * (y - self.my);
        self.cxy += dx * (y - self.my);
    }

    pub fn means(&self) -> (f64, f64) {
        (self.mx, self.my)
    }

    /// Sample variances and covariance.
    pub fn moments(&self) -> (f64, f64, f64) {
        let d = (self.n.saturating_sub(1)).max(1) as f64;
        (self.m2x / d, self.m2y / d, self.cxy / d)
    }
}

/// An incremental cost-effectiveness ratio.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ratio {
    /// `None` when not defined (see [`Ratio::reason`]).
    pub mean: Option<f64>,
    /// Fieller's 95% interval; `None` when unbounded or not defined.
    pub lo: Option<f64>,
    pub hi: Option<f64>,
    pub reason: Reason,
}

/// Why a ratio is what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Defined, with a bounded interval.
    Defined,
    /// Defined, but the effect is not significantly above zero: the interval is unbounded.
    Unbounded,
    /// The arm does not beat the reference on average: no cost per unit of effect.
    NoEffect,
    /// The reference arm itself.
    Reference,
    /// No replicate to compare.
    Empty,
}

impl Reason {
    /// The words the outputs use.
    pub fn text(self) -> &'static str {
        match self {
            Reason::Defined => "defined",
            Reason::Unbounded => "defined; the 95% interval is unbounded (the effect is not significantly above zero)",
            Reason::NoEffect => "not defined: the arm does not beat the reference on average",
            Reason::Reference => "reference",
            Reason::Empty => "not defined: no replicate",
        }
    }
}

/// `mean x / mean y` of the pairs in `w` (x: extra cost, y: effect) with
/// Fieller's 95% interval.
pub fn fieller(w: &Welford2) -> Ratio {
    let none = |reason| Ratio { mean: None, lo: None, hi: None, reason };
    if w.n == 0 {
        return none(Reason::Empty);
    }
    let (c, e) = w.means();
    if e <= 0.0 {
        return none(Reason::NoEffect);
    }
    let ratio = c / e;
    if w.n < 2 {
        return Ratio { mean: Some(ratio), lo: None, hi: None, reason: Reason::Unbounded };
    }
    let n = w.n as f64;
    let (vc, ve, cov) = w.moments();
    let (scc, see, sce) = (vc / n, ve / n, cov / n);
    let t2 = t975(w.n - 1).powi(2);
    // (e² − t² see) R² − 2 (c e − t² sce) R + (c² − t² scc) = 0
    let a = e * e - t2 * see;
    let b = c * e - t2 * sce;
    let disc = b * b - a * (c * c - t2 * scc);
    if a <= 0.0 || disc < 0.0 {
        return Ratio { mean: Some(ratio), lo: None, hi: None, reason: Reason::Unbounded };
    }
    let root = disc.sqrt();
    Ratio { mean: Some(ratio), lo: Some((b - root) / a), hi: Some((b + root) / a), reason: Reason::Defined }
}

/// Whole-run comparisons of every arm, accumulated replicate by replicate.
#[derive(Debug, Clone)]
pub struct Comparisons {
    /// Per arm: poverty person-years averted against the reference.
    pub averted: Vec<Welford>,
    /// Per arm: mean over policy years of its headcount rate minus the reference's.
    pub mean_effect: Vec<Welford>,
    /// `wins[a][b]`: replicates in which arm `a` had fewer poor person-years than arm `b` (ties half).
    pub wins: Vec<Vec<f64>>,
    /// Per arm: (extra budget spent, poverty person-years averted).
    pub cost_per_year: Vec<Welford2>,
    /// Per arm: (extra budget spent, additional sustained exits).
    pub cost_per_exit: Vec<Welford2>,
    pub replicates: u64,
}

/// One arm's whole-run values in one replicate.
#[derive(Debug, Clone, Copy)]
pub struct WholeRun {
    /// Poor people summed over the policy years.
    pub poverty_years: f64,
    /// Budget spent over the run, yuan.
    pub spent: f64,
    pub sustained_exits: f64,
    /// Mean over policy years of the headcount rate.
    pub mean_headcount_rate: f64,
}

impl Comparisons {
    pub fn new(arms: usize) -> Comparisons {
        Comparisons {
            averted: vec![Welford::default(); arms],
            mean_effect: vec![Welford::default(); arms],
            wins: vec![vec![0.0; arms]; arms],
            cost_per_year: vec![Welford2::default(); arms],
            cost_per_exit: vec![Welford2::default(); arms],
            replicates: 0,
        }
    }

    /// Fold in one replicate: each arm's whole-run values, the reference first.
    pub fn push(&mut self, arms: &[WholeRun]) {
        self.replicates += 1;
        let r = arms[0];
        for (a, x) in arms.iter().enumerate() {
            let averted = r.poverty_years - x.poverty_years;
            self.averted[a].push(averted);
            self.mean_effect[a].push(x.mean_headcount_rate - r.mean_headcount_rate);
            self.cost_per_year[a].push(x.spent - r.spent, averted);
            self.cost_per_exit[a].push(x.spent - r.spent, x.sustained_exits - r.sustained_exits);
            for (b, y) in arms.iter().enumerate() {
                if a != b {
                    self.wins[a][b] += match x.poverty_years.partial_cmp(&y.poverty_years) {
                        Some(std::cmp::Ordering::Less) => 1.0,
                        Some(std::cmp::Ordering::Equal) => 0.5,
                        _ => 0.0,
                    };
                }
            }
        }
    }

    /// The share of replicates in which arm `a` beat arm `b`.
    pub fn p_beats(&self, a: usize, b: usize) -> Option<f64> {
        (self.replicates > 0 && a != b).then(|| self.wins[a][b] / self.replicates as f64)
    }

    /// Cost per poverty person-year averted, arm `a` against the reference.
    pub fn cost_per_poverty_year(&self, a: usize) -> Ratio {
        self.ratio(a, &self.cost_per_year)
    }

    /// Cost per additional sustained exit, arm `a` against the reference.
    pub fn cost_per_additional_exit(&self, a: usize) -> Ratio {
        self.ratio(a, &self.cost_per_exit)
    }

    fn ratio(&self, a: usize, w: &[Welford2]) -> Ratio {
        if a == 0 {
            return Ratio { mean: None, lo: None, hi: None, reason: Reason::Reference };
        }
        fieller(&w[a])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(poverty_years: f64, spent: f64, exits: f64) -> WholeRun {
        WholeRun { poverty_years, spent, sustained_exits: exits, mean_headcount_rate: poverty_years / 1000.0 }
    }

    #[test]
    fn a_better_arm_has_a_cost_per_year_averted_and_a_worse_one_none() {
        let mut c = Comparisons::new(3);
        for k in 0..20 {
            let noise = (k % 5) as f64;
            c.push(&[
                run(1000.0 + noise, 0.0, 10.0),
                run(900.0 + noise, 1000.0 + noise, 15.0),
                run(1050.0, 1000.0, 8.0),
            ]);
        }
        let better = c.cost_per_poverty_year(1);
        assert_eq!(better.reason, Reason::Defined);
        // Extra cost 1000 + mean noise 2 = 1002 per 100 person-years averted.
        assert!((better.mean.unwrap() - 10.02).abs() < 1e-9, "{better:?}");
        assert!(better.lo.unwrap() <= better.mean.unwrap() && better.mean.unwrap() <= better.hi.unwrap());
        assert_eq!(c.cost_per_poverty_year(2).reason, Reason::NoEffect);
        assert_eq!(c.cost_per_additional_exit(2).mean, None, "fewer exits than the reference: no finite cost");
        assert_eq!(c.cost_per_poverty_year(0).reason, Reason::Reference);
        assert_eq!(c.p_beats(1, 0), Some(1.0));
        assert_eq!(c.p_beats(2, 0), Some(0.0));
        assert_eq!(c.p_beats(0, 0), None);
        // Beating is a zero-sum count: a beats b as often as b loses to a.
        assert_eq!(c.p_beats(1, 2).unwrap() + c.p_beats(2, 1).unwrap(), 1.0);
    }

    #[test]
    fn an_effect_indistinguishable_from_zero_has_an_unbounded_interval() {
        let mut c = Comparisons::new(2);
        for k in 0..20 {
            let e = if k % 2 == 0 { 10.0 } else { -9.0 };
            c.push(&[run(1000.0, 0.0, 0.0), run(1000.0 - e, 500.0, 0.0)]);
        }
        let r = c.cost_per_poverty_year(1);
        assert_eq!((r.reason, r.lo, r.hi), (Reason::Unbounded, None, None));
        assert!(r.mean.unwrap() > 0.0);
    }

    #[test]
    fn the_pair_moments_match_a_direct_computation() {
        let pairs = [(1.0, 2.0), (2.0, 3.5), (4.0, 3.0), (3.0, 6.0)];
        let mut w = Welford2::default();
        pairs.iter().for_each(|&(x, y)| w.push(x, y));
        let (mx, my) = (2.5, 3.625);
        let cov: f64 = pairs.iter().map(|&(x, y)| (x - mx) * (y - my)).sum::<f64>() / 3.0;
        let (_, _, c) = w.moments();
        assert!((w.means().0 - mx).abs() < 1e-12 && (w.means().1 - my).abs() < 1e-12);
        assert!((c - cov).abs() < 1e-12);
    }
}
