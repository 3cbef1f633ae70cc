//! The `fupin` command line: success, bad input, determinism of the files.

mod common;

use assert_cmd::Command;
use common::*;
use predicates::prelude::*;
use std::path::Path;

fn fupin() -> Command {
    Command::cargo_bin("fupin").unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn run_writes_the_four_files_with_every_arm_and_year() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = write(tmp.path(), "small.toml", &small_township(600, 6, 3));
    let out = tmp.path().join("out");
    fupin()
        .args(["run", sc.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("enterprise − none"));
    for f in ["timeseries.csv", "summary.json", "summary.csv", "manifest.json"] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let arms: Vec<&str> = summary["arms"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(arms, ["none", "cash", "enterprise"]);
    assert_eq!(summary["arms"][1]["years"].as_array().unwrap().len(), 6);
    assert_eq!(summary["arms"][1]["years"][0]["year"], 2015);
    let hr = &summary["arms"][0]["initial"]["headcount_rate"];
    assert!(hr["lo"].as_f64().unwrap() <= hr["mean"].as_f64().unwrap());
    assert!(hr["mean"].as_f64().unwrap() <= hr["hi"].as_f64().unwrap());
    assert_eq!(summary["differences"][1]["arm"], "enterprise");
    assert_eq!(summary["differences"][1]["versus"], "none");
    let ts = std::fs::read_to_string(out.join("timeseries.csv")).unwrap();
    // Header + arms × replicates × months.
    assert_eq!(ts.lines().count(), 1 + 3 * 3 * 72);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["replicates"], 3);
    assert_eq!(manifest["scenario_sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn output_bytes_do_not_depend_on_threads_or_repetition() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = write(tmp.path(), "small.toml", &small_township(700, 3, 6));
    let run = |threads: &str, name: &str| {
        let out = tmp.path().join(name);
        fupin()
            .args(["run", sc.to_str().unwrap(), "--threads", threads, "-q", "--out", out.to_str().unwrap()])
            .assert()
            .success();
        ["timeseries.csv", "summary.json", "summary.csv"].map(|f| std::fs::read(out.join(f)).unwrap())
    };
    let one = run("1", "t1");
    assert_eq!(one, run("2", "t2"));
    assert_eq!(one, run("8", "t8"));
    assert_eq!(one, run("1", "t1again"));
}

#[test]
fn a_bad_scenario_exits_2_names_the_field_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let text = township_text_with(&[("acute_illness_prob", "1.5"), ("replicates", "0")]);
    let sc = write(tmp.path(), "bad.toml", &text);
    let out = tmp.path().join("out");
    fupin()
        .args(["run", sc.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("health.acute_illness_prob = 1.5"))
        .stderr(predicate::str::contains("[0, 1]"))
        .stderr(predicate::str::contains("meta.replicates = 0"))
        .stderr(predicate::str::contains("bad.toml"));
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1, "only the scenario file remains");
}

#[test]
fn an_unknown_field_is_an_error_with_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(scenario_path("township.toml"))
        .unwrap()
        .replace("seed = 20150101", "seed = 20150101\nseeds = 3");
    let sc = write(tmp.path(), "typo.toml", &text);
    fupin()
        .args(["validate", sc.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown field `seeds`"))
        .stderr(predicate::str::contains("line"));
}

#[test]
fn an_existing_output_folder_is_not_overwritten_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = write(tmp.path(), "small.toml", &small_township(300, 1, 2));
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "precious").unwrap();
    fupin()
        .args(["run", sc.to_str().unwrap(), "-q", "--out", out.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    assert_eq!(std::fs::read_to_string(out.join("keep.txt")).unwrap(), "precious");
    fupin().args(["run", sc.to_str().unwrap(), "-q", "--force", "--out", out.to_str().unwrap()]).assert().success();
    assert!(!out.join("keep.txt").exists());
    assert!(out.join("summary.json").exists());
}

#[test]
fn validate_accepts_the_shipped_scenarios() {
    for entry in std::fs::read_dir(scenario_path("")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "toml") {
            fupin()
                .args(["validate", p.to_str().unwrap()])
                .assert()
                .success()
                .stdout(predicate::str::contains("valid"));
        }
    }
}

#[test]
fn bad_flags_exit_2() {
    fupin()
        .args(["run", scenario_path("township.toml").to_str().unwrap(), "--threads", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--threads"));
    fupin().args(["run", scenario_path("township.toml").to_str().unwrap(), "--replicates", "-4"]).assert().code(2);
    fupin().args(["run", "--no-such-flag"]).assert().code(2);
    fupin()
        .args(["validate", "/nonexistent/file.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent/file.toml"));
}

#[test]
fn help_shows_examples() {
    fupin().args(["run", "--help"]).assert().success().stdout(predicate::str::contains("Examples:"));
}
