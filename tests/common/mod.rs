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
