//! Helpers shared by the integration tests.
#![allow(dead_code)]

use fupin::scenario::Scenario;
use std::path::{Path, PathBuf};

pub fn scenario_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(name)
}

pub fn township() -> Scenario {
    Scenario::load(&scenario_path("township.toml")).unwrap()
}

/// The township scenario text with `key = value` lines replaced (first match).
pub fn township_text_with(edits: &[(&str, &str)]) -> String {
    let mut text = std::fs::read_to_string(scenario_path("township.toml")).unwrap();
    for (key, value) in edits {
        let start = text
            .lines()
            .scan(0, |pos, l| {
                let here = *pos;
                *pos += l.len() + 1;
                Some((here, l))
            })
            .find(|(_, l)| {
                l.trim_start().starts_with(&format!("{key} ")) || l.trim_start().starts_with(&format!("{key}="))
            })
            .map(|(p, l)| (p, l.len()))
            .unwrap_or_else(|| panic!("no line for {key}"));
        text.replace_range(start.0..start.0 + start.1, &format!("{key} = {value}"));
    }
    text
}

/// A small, fast variant of the township: `households` households, `years` years.
pub fn small_township(households: usize, years: u32, replicates: u32) -> String {
    township_text_with(&[
        ("households", &households.to_string()),
        ("years", &years.to_string()),
        ("replicates", &replicates.to_string()),
    ])
}

pub fn parse(text: &str) -> Scenario {
    Scenario::from_bytes(Path::new("test.toml"), text.as_bytes()).unwrap()
}

/// Mean of yearly metric `name` for arm `arm` over replicates and over the
/// identifications `years` (1 = first policy year), skipping non-finite values.
pub fn mean_of(
    sc: &fupin::scenario::Scenario,
    reps: &[fupin::sim::ReplicateOutcome],
    arm: &str,
    years: std::ops::RangeInclusive<usize>,
    name: &str,
) -> f64 {
    let j = sc.yearly_index(name).unwrap_or_else(|| panic!("no metric {name}"));
    let a = sc.arms.iter().position(|x| x.name == arm).unwrap_or_else(|| panic!("no arm {arm}"));
    let vals: Vec<f64> = reps
        .iter()
        .flat_map(|r| years.clone().map(move |k| r.arms[a].yearly[k][j]))
        .filter(|x| x.is_finite())
        .collect();
    vals.iter().sum::<f64>() / vals.len() as f64
}
