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
    // --force replaces only a folder fupin wrote: this one is refused and kept.
    fupin()
        .args(["run", sc.to_str().unwrap(), "-q", "--force", "--out", out.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("never deletes"));
    assert_eq!(std::fs::read_to_string(out.join("keep.txt")).unwrap(), "precious");
    // A folder fupin wrote is replaced with --force.
    std::fs::remove_file(out.join("keep.txt")).unwrap();
    fupin().args(["run", sc.to_str().unwrap(), "-q", "--out", out.to_str().unwrap()]).assert().success();
    fupin().args(["run", sc.to_str().unwrap(), "-q", "--force", "--out", out.to_str().unwrap()]).assert().success();
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

#[test]
fn two_halves_merged_equal_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = write(tmp.path(), "small.toml", &small_township(500, 2, 6));
    let run = |args: &[&str], name: &str| {
        let out = tmp.path().join(name);
        fupin().arg("run").arg(&sc).args(args).args(["-q", "--out", out.to_str().unwrap()]).assert().success();
        out
    };
    let whole = run(&["--replicates", "6"], "whole");
    let a = run(&["--replicates", "3"], "a");
    let b = run(&["--replicates", "3", "--first-replicate", "3", "--threads", "1"], "b");
    let merged = tmp.path().join("merged");
    // Shards may be given in any order.
    fupin()
        .args(["merge", b.to_str().unwrap(), a.to_str().unwrap(), "-q", "--out", merged.to_str().unwrap()])
        .assert()
        .success();
    for f in ["summary.json", "summary.csv", "timeseries.csv", "prices.csv", "replicates.csv", "replicate_totals.csv"] {
        assert_eq!(std::fs::read(whole.join(f)).unwrap(), std::fs::read(merged.join(f)).unwrap(), "{f} differs");
    }
    // A gap between shards is refused.
    let c = run(&["--replicates", "2", "--first-replicate", "4"], "c");
    fupin()
        .args(["merge", a.to_str().unwrap(), c.to_str().unwrap(), "--out", tmp.path().join("bad").to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("starts at replicate 4"));
}

#[test]
fn a_stopped_run_says_so_and_leaves_no_output_folder() {
    use std::process::{Command as Process, Stdio};
    let tmp = tempfile::tempdir().unwrap();
    let sc = write(tmp.path(), "big.toml", &small_township(10700, 6, 100000));
    for signal in ["TERM", "KILL"] {
        let out = tmp.path().join(format!("out_{signal}"));
        let child = Process::new(assert_cmd::cargo::cargo_bin("fupin"))
            .args(["run", sc.to_str().unwrap(), "--threads", "1", "--out", out.to_str().unwrap()])
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1500));
        Process::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status().unwrap();
        let result = child.wait_with_output().unwrap();
        assert!(!result.status.success());
        assert!(!out.exists(), "{signal}: {} exists", out.display());
        if signal == "TERM" {
            assert_eq!(result.status.code(), Some(130));
            assert!(String::from_utf8_lossy(&result.stderr).contains("stopped by a signal"));
            // Nothing left behind at all, not even the staging folder.
            let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
            assert_eq!(left.len(), 1, "{left:?}");
        }
    }
}

#[test]
fn scenarios_lists_and_init_writes_a_runnable_scenario() {
    fupin().arg("scenarios").assert().success().stdout(predicate::str::contains("pseudostellaria_crash"));
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("mine.toml");
    fupin().args(["init", file.to_str().unwrap()]).assert().success();
    fupin().args(["validate", file.to_str().unwrap()]).assert().success();
    // It refuses to overwrite.
    fupin().args(["init", file.to_str().unwrap()]).assert().code(2);
    fupin().args(["completions", "bash"]).assert().success().stdout(predicate::str::contains("fupin"));
}

#[test]
fn no_progress_bar_when_output_is_not_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = write(tmp.path(), "small.toml", &small_township(300, 1, 2));
    let out = tmp.path().join("out");
    let assert = fupin().args(["run", sc.to_str().unwrap(), "--out", out.to_str().unwrap()]).assert().success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(!stderr.contains("replicates"), "progress output on a pipe: {stderr:?}");
}

#[test]
fn run_draws_charts_and_a_report_and_plot_rebuilds_the_same_svg() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = write(tmp.path(), "small.toml", &small_township(400, 2, 3));
    let out = tmp.path().join("out");
    fupin().args(["run", sc.to_str().unwrap(), "-q", "--out", out.to_str().unwrap()]).assert().success();
    let svg = std::fs::read(out.join("charts/headcount_rate.svg")).unwrap();
    assert!(out.join("charts/headcount_rate.png").is_file());
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("headcount") && !html.contains("src=\"http"));
    std::fs::remove_dir_all(out.join("charts")).unwrap();
    fupin().args(["plot", out.to_str().unwrap()]).assert().success();
    assert_eq!(std::fs::read(out.join("charts/headcount_rate.svg")).unwrap(), svg);
    // --no-charts skips them.
    let bare = tmp.path().join("bare");
    fupin()
        .args(["run", sc.to_str().unwrap(), "-q", "--no-charts", "--out", bare.to_str().unwrap()])
        .assert()
        .success();
    assert!(!bare.join("charts").exists() && !bare.join("report.html").exists());
}

#[test]
fn a_summary_timeseries_has_one_row_per_arm_month_and_metric() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = write(tmp.path(), "small.toml", &small_township(300, 2, 4));
    let out = tmp.path().join("out");
    fupin()
        .args([
            "run",
            sc.to_str().unwrap(),
            "-q",
            "--no-charts",
            "--timeseries",
            "summary",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    assert!(!out.join("timeseries.csv").exists());
    let text = std::fs::read_to_string(out.join("timeseries_summary.csv")).unwrap();
    // (3 arms + 2 differences) × 24 months × 11 metrics, plus the header.
    assert_eq!(text.lines().count(), 1 + 5 * 24 * fupin::outcome::MONTHLY.len());
    assert!(text.lines().nth(1).unwrap().starts_with("level,none,,2015,1,headcount,"));
}
