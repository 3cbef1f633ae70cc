//! `summary.json` as a type: what the writer serialises and what the charts
//! and the report read back.
//!
//! Field order is the file's key order (alphabetical, as the file has always
//! been written), so the bytes do not change. Reading is tolerant where the
//! charts can do without a value (`#[serde(default)]`), and non-finite
//! numbers read as missing.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// A mean and its 95% confidence interval; each part may be missing
/// (`null`: no replicate counted, or only one for `lo` and `hi`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    #[serde(default)]
    pub hi: Option<f64>,
    #[serde(default)]
    pub lo: Option<f64>,
    #[serde(default)]
    pub mean: Option<f64>,
}

/// Largest magnitude a value fupin writes can have (a 50-year budget at the
/// largest yearly budget allowed is 5×10^14 yuan). Anything beyond comes
/// from an edited or corrupted file and reads as missing: the charts'
/// axes cannot span it.
pub const MAX_MAGNITUDE: f64 = 1e15;

/// Whether `v` is a number fupin could have written.
pub fn plausible(v: f64) -> bool {
    v.is_finite() && v.abs() <= MAX_MAGNITUDE
}

impl Interval {
    fn finite(self) -> Interval {
        let f = |x: Option<f64>| x.filter(|v| plausible(*v));
        Interval { hi: f(self.hi), lo: f(self.lo), mean: f(self.mean) }
    }
}

impl From<crate::stats::Interval> for Interval {
    fn from(i: crate::stats::Interval) -> Interval {
        Interval { hi: i.hi, lo: i.lo, mean: i.mean }
    }
}

/// A metric block: metric name → interval.
pub type Block = BTreeMap<String, Interval>;

/// One policy year's metric block, with its calendar year.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Year {
    #[serde(flatten)]
    pub metrics: Block,
    pub year: i32,
}

/// One arm's levels.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Arm {
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub initial: Block,
    pub name: String,
    #[serde(default)]
    pub totals: Block,
    #[serde(default)]
    pub years: Vec<Year>,
}

/// One arm's paired differences against the first arm.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Difference {
    pub arm: String,
    #[serde(default)]
    pub totals: Block,
    #[serde(default)]
    pub versus: String,
    #[serde(default)]
    pub years: Vec<Year>,
}

/// An incremental cost-effectiveness ratio: a mean with Fieller's 95%
/// interval, or not defined (`mean` null) with the reason.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cost {
    #[serde(default)]
    pub hi: Option<f64>,
    #[serde(default)]
    pub lo: Option<f64>,
    #[serde(default)]
    pub mean: Option<f64>,
    #[serde(default)]
    pub status: String,
}

impl From<crate::compare::Ratio> for Cost {
    fn from(r: crate::compare::Ratio) -> Cost {
        Cost { hi: r.hi, lo: r.lo, mean: r.mean, status: r.reason.text().to_string() }
    }
}

/// One arm over the whole run, paired against the reference (the first arm).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Comparison {
    pub arm: String,
    /// Extra budget spent over the reference per additional sustained exit, yuan.
    #[serde(default)]
    pub cost_per_additional_sustained_exit: Cost,
    /// Extra budget spent over the reference per poverty person-year averted, yuan.
    #[serde(default)]
    pub cost_per_poverty_year_averted: Cost,
    /// Mean over policy years of the headcount rate, arm minus reference.
    #[serde(default)]
    pub mean_headcount_rate_effect: Interval,
    /// Share of replicates in which this arm had fewer poor person-years than each other arm.
    #[serde(default)]
    pub p_beats: BTreeMap<String, f64>,
    /// Share of replicates in which this arm had fewer poor person-years than the reference (null for it).
    #[serde(default)]
    pub p_beats_reference: Option<f64>,
    /// Poor people summed over the policy years, reference minus arm.
    #[serde(default)]
    pub poverty_years_averted: Interval,
    /// "reference" for the first arm, "arm" for the others.
    #[serde(default)]
    pub role: String,
    pub versus: String,
}

/// The whole of `summary.json` (see docs/outputs.md).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    pub arms: Vec<Arm>,
    /// Each commodity's sales unit (`markets.commodities[].unit`: jin, plant, head, …), by name.
    #[serde(default)]
    pub commodity_units: BTreeMap<String, String>,
    /// Whole-run comparisons, one per arm, the reference first.
    #[serde(default)]
    pub comparisons: Vec<Comparison>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub differences: Vec<Difference>,
    #[serde(default)]
    pub households: u64,
    #[serde(default)]
    pub poverty_line: Vec<f64>,
    #[serde(default)]
    pub price_index: Vec<f64>,
    #[serde(default)]
    pub replicates: Option<u64>,
    #[serde(default)]
    pub scenario: String,
    #[serde(default)]
    pub seed: u64,
    #[serde(default)]
    pub sinks: Vec<String>,
    pub start_year: i32,
    #[serde(default)]
    pub years: u32,
}

impl Summary {
    /// Read `out/summary.json`.
    pub fn read(out: &Path) -> crate::Result<Summary> {
        let path = out.join("summary.json");
        let bad = |message: String| crate::Error::Parse { path: path.clone(), message };
        let raw = std::fs::read_to_string(&path)
            .map_err(|e| bad(format!("cannot read it ({e}); is {} a fupin output folder?", out.display())))?;
        let mut s: Summary = serde_json::from_str(&raw).map_err(|e| {
            let what = if e.is_data() { "not a fupin summary" } else { "not valid JSON" };
            bad(format!("{what}: {e}"))
        })?;
        s.make_finite();
        s.make_printable();
        Ok(s)
    }

    /// Names lose any control character (fupin refuses them in scenarios; an
    /// edited file could still hold them, and they would break the SVG).
    fn make_printable(&mut self) {
        let clean = |s: &mut String| s.retain(|c| !c.is_control());
        clean(&mut self.scenario);
        clean(&mut self.description);
        self.sinks.iter_mut().for_each(clean);
        for a in &mut self.arms {
            clean(&mut a.name);
            clean(&mut a.description);
        }
        for d in &mut self.differences {
            clean(&mut d.arm);
            clean(&mut d.versus);
        }
        let units = std::mem::take(&mut self.commodity_units);
        self.commodity_units = units
            .into_iter()
            .map(|(mut k, mut v)| {
                clean(&mut k);
                clean(&mut v);
                (k, v)
            })
            .collect();
    }

    /// Non-finite and implausibly large numbers read as missing.
    fn make_finite(&mut self) {
        let block = |b: &mut Block| b.values_mut().for_each(|i| *i = i.finite());
        for a in &mut self.arms {
            block(&mut a.initial);
            block(&mut a.totals);
            a.years.iter_mut().for_each(|y| block(&mut y.metrics));
        }
        for d in &mut self.differences {
            block(&mut d.totals);
            d.years.iter_mut().for_each(|y| block(&mut y.metrics));
        }
        for c in &mut self.comparisons {
            c.poverty_years_averted = c.poverty_years_averted.finite();
            c.mean_headcount_rate_effect = c.mean_headcount_rate_effect.finite();
            for cost in [&mut c.cost_per_poverty_year_averted, &mut c.cost_per_additional_sustained_exit] {
                let i = Interval { hi: cost.hi, lo: cost.lo, mean: cost.mean }.finite();
                (cost.hi, cost.lo, cost.mean) = (i.hi, i.lo, i.mean);
            }
        }
        self.poverty_line.retain(|x| plausible(*x));
        self.price_index.retain(|x| plausible(*x));
    }

    /// The JSON text, as written to `summary.json`.
    pub fn to_bytes(&self) -> Vec<u8> {
        match serde_json::to_vec_pretty(self) {
            Ok(b) => b,
            Err(e) => unreachable!("a summary of plain numbers and strings serialises: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_reads_back_what_was_written() {
        let i = Interval { hi: Some(0.2), lo: Some(0.1), mean: Some(0.15) };
        let block: Block = [("headcount_rate".to_string(), i)].into_iter().collect();
        let s = Summary {
            commodity_units: [("grain".to_string(), "jin".to_string())].into_iter().collect(),
            comparisons: vec![],
            arms: vec![Arm {
                description: "d".into(),
                initial: block.clone(),
                name: "none".into(),
                totals: Block::new(),
                years: vec![Year { metrics: block.clone(), year: 2015 }],
            }],
            description: String::new(),
            differences: vec![],
            households: 10,
            poverty_line: vec![2800.0],
            price_index: vec![1.074],
            replicates: Some(2),
            scenario: "s".into(),
            seed: 1,
            sinks: vec![],
            start_year: 2015,
            years: 1,
        };
        let text = String::from_utf8(s.to_bytes()).unwrap();
        // Keys in alphabetical order, `year` after the metrics, intervals as hi, lo, mean.
        assert!(text.find("\"arms\"").unwrap() < text.find("\"years\": 1").unwrap());
        assert!(text.find("\"hi\"").unwrap() < text.find("\"mean\"").unwrap());
        let back: Summary = serde_json::from_str(&text).unwrap();
        assert_eq!(back.arms[0].years[0].year, 2015);
        assert_eq!(back.arms[0].years[0].metrics["headcount_rate"], i);
    }
}
