//! What a finished sweep's charts and report read: the point means and the
//! sensitivity indices.

use super::Sweep;

/// One parameter's index for one reported arm and outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexRow {
    pub reported: usize,
    pub outcome: usize,
    pub parameter: usize,
    /// `mu`, `mu_star`, `sigma` (Morris) or `S1`, `ST` (Sobol).
    pub index: &'static str,
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// What the charts and the report of a sweep read.
pub struct Results<'a> {
    pub sweep: &'a Sweep,
    /// `means[(point × reported + k) × outcomes + o]`; NaN where no replicate gave a finite value.
    pub means: Vec<f64>,
    pub indices: Vec<IndexRow>,
}

impl Results<'_> {
    /// The means of reported `k` and outcome `o`, one per point.
    pub fn y(&self, k: usize, o: usize) -> Vec<f64> {
        let (nr, no) = (self.sweep.reported.len(), self.sweep.outcomes.len());
        (0..self.sweep.points).map(|p| self.means[(p * nr + k) * no + o]).collect()
    }
}
