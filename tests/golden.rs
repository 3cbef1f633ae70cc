//! Golden outputs: every shipped scenario, run at a fixed seed with a few
//! replicates, must write the recorded files byte for byte.
//!
//! A refactor keeps them identical. A deliberate model change regenerates
//! them in the same commit, with a `CHANGELOG.md` line saying why:
//!
//! ```text
//! FUPIN_BLESS=1 cargo test --test golden
//! ```
//!
//! The national registry is run at 20,000 households (its mechanisms, not
//! its scale); every other scenario is run as shipped.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The files compared. `manifest.json` holds paths and timings, so it is not.
const FILES: [&str; 8] = [
    "summary.json",
    "summary.csv",
    "summary_run.csv",
    "timeseries.csv",
    "prices.csv",
    "replicates.csv",
    "replicate_totals.csv",
    "scenario.resolved.json",
];
const REPLICATES: &str = "2";
const SEED: &str = "11";
/// Households of the reduced national registry.
const NATIONAL_HOUSEHOLDS: &str = "20000";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn golden_dir(name: &str) -> PathBuf {
    root().join("tests/golden").join(name)
}

/// The scenario file to run: the shipped one, or for `national` a copy with fewer households.
fn scenario_file(name: &str, tmp: &Path) -> PathBuf {
    let shipped = root().join("scenarios").join(format!("{name}.toml"));
    if name != "national" {
        return shipped;
    }
    let text = std::fs::read_to_string(&shipped).unwrap();
    let line = text.lines().find(|l| l.starts_with("households =")).expect("national.toml has a households line");
    let small = text.replacen(line, &format!("households = {NATIONAL_HOUSEHOLDS}"), 1);
    let path = tmp.join("national.toml");
    std::fs::write(&path, small).unwrap();
    path
}

fn check(name: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let scenario = scenario_file(name, tmp.path());
    Command::cargo_bin("fupin")
        .unwrap()
        .args(["run", scenario.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .args(["--replicates", REPLICATES, "--seed", SEED, "--no-charts", "--quiet"])
        .assert()
        .success();
    let dir = golden_dir(name);
    let bless = std::env::var_os("FUPIN_BLESS").is_some();
    if bless {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut differ = Vec::new();
    for f in FILES {
        let got = std::fs::read(out.join(f)).unwrap_or_else(|e| panic!("{name}: {f} not written: {e}"));
        if bless {
            std::fs::write(dir.join(f), &got).unwrap();
            continue;
        }
        let want = std::fs::read(dir.join(f))
            .unwrap_or_else(|e| panic!("{name}: no golden {f} ({e}); record with FUPIN_BLESS=1"));
        if got != want {
            let line = got
                .split(|&b| b == b'\n')
                .zip(want.split(|&b| b == b'\n'))
                .position(|(a, b)| a != b)
                .map_or("a different length".to_string(), |k| format!("line {}", k + 1));
            differ.push(format!("{f} (first difference at {line})"));
        }
    }
    assert!(
        differ.is_empty(),
        "{name}: outputs differ from tests/golden/{name}: {}. If the model changed on purpose, \
         regenerate with FUPIN_BLESS=1 cargo test --test golden and say why in CHANGELOG.md",
        differ.join(", ")
    );
}

macro_rules! golden {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check(stringify!($name));
            }
        )*

        /// Every shipped scenario has a golden test.
        #[test]
        fn every_shipped_scenario_is_covered() {
            let covered = [$(stringify!($name)),*];
            let mut shipped: Vec<String> = std::fs::read_dir(root().join("scenarios"))
                .unwrap()
                .filter_map(|e| e.unwrap().file_name().into_string().ok())
                .filter_map(|f| f.strip_suffix(".toml").map(str::to_string))
                .collect();
            shipped.sort();
            let mut covered: Vec<String> = covered.iter().map(|s| s.to_string()).collect();
            covered.sort();
            assert_eq!(shipped, covered, "add the new scenario to tests/golden.rs");
        }
    };
}

golden!(
    breeding_livestock,
    cooperative_governance,
    credit_1plus3,
    decentralised_choice,
    enterprise_safeguards,
    funding_delay,
    handout_dependency,
    livestock_procurement,
    local_economy,
    national,
    pseudostellaria_crash,
    pseudostellaria_replay,
    report_proposals,
    tailored_vs_uniform,
    three_guarantees,
    township,
    village_package,
    vocational_school,
    walnut_misfit,
    windfall,
);
