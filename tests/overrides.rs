//! `--set PATH=VALUE`: a field changed from the command line, the same
//! checks as in the file, and shards that merge.

mod common;

use assert_cmd::Command;
use common::*;
use predicates::prelude::*;

fn fupin() -> Command {
    Command::cargo_bin("fupin").unwrap()
}

#[test]
fn an_override_changes_the_run_and_is_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let sc = scenario_path("township.toml");
    fupin()
        .args(["run", sc.to_str().unwrap(), "-q", "--no-charts", "--replicates", "2", "--out", out.to_str().unwrap()])
        .args(["--set", "population.households=400", "--set", "meta.years=2"])
        .args(["--set", "arms.cash.policies.cash.budget_share=0.5"])
        .assert()
        .success();
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["households"], 400);
    assert_eq!(summary["years"], 2);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["overrides"][2], "arms.cash.policies.cash.budget_share=0.5");
    // The file on disk is what its SHA-256 names; the run's text is copied beside the results.
    let file = std::fs::read(&sc).unwrap();
    use sha2::Digest;
    assert_eq!(manifest["scenario_sha256"], format!("{:x}", sha2::Sha256::digest(&file)));
    let copied = std::fs::read_to_string(out.join("scenario.toml")).unwrap();
    assert!(copied.contains("households = 400") && copied.contains("budget_share = 0.5"));
}

#[test]
fn a_bad_override_gets_the_files_message_and_is_named() {
    let sc = scenario_path("township.toml");
    fupin()
        .args(["validate", sc.to_str().unwrap(), "--set", "arms.cash.policies.cash.budget_share=1.5"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("arms[1].policies.cash.budget_share = 1.5")
                .and(predicate::str::contains("(set by --set arms.cash.policies.cash.budget_share=1.5)")),
        );
    fupin()
        .args(["validate", sc.to_str().unwrap(), "--set", "arms.kash.policies.cash.budget_share=0.5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("\"none\", \"cash\", \"enterprise\""));
    fupin()
        .args(["validate", sc.to_str().unwrap(), "--set", "population.households"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("PATH=VALUE"));
}

#[test]
fn shards_run_with_the_same_overrides_merge_into_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario_path("township.toml");
    let run = |name: &str, first: &str, n: &str| {
        let out = tmp.path().join(name);
        fupin()
            .args(["run", sc.to_str().unwrap(), "-q", "--no-charts", "--timeseries", "none"])
            .args(["--first-replicate", first, "--replicates", n, "--out", out.to_str().unwrap()])
            .args(["--set", "population.households=300", "--set", "meta.years=2"])
            .assert()
            .success();
        out
    };
    let (a, b, whole) = (run("a", "0", "2"), run("b", "2", "2"), run("whole", "0", "4"));
    let merged = tmp.path().join("merged");
    fupin()
        .args(["merge", a.to_str().unwrap(), b.to_str().unwrap(), "-q", "--out", merged.to_str().unwrap()])
        .assert()
        .success();
    for f in ["summary.json", "summary.csv", "summary_run.csv"] {
        assert_eq!(std::fs::read(merged.join(f)).unwrap(), std::fs::read(whole.join(f)).unwrap(), "{f}");
    }
}

/// A table created by `--set` shifts the edited text's lines; messages keep
/// pointing into the file as written (the arm's own table for a created
/// field, the field itself otherwise), and an arm's own budget can be set.
#[test]
fn messages_point_into_the_file_as_written() {
    let sc = scenario_path("township.toml");
    let text = std::fs::read_to_string(&sc).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.starts_with(needle)).unwrap() + 1;
    // The cash arm is the second `[[arms]]`; its budget is created there.
    let cash_arm = text.lines().enumerate().filter(|(_, l)| *l == "[[arms]]").nth(1).unwrap().0 + 1;
    let admin = line_of("admin_share");
    fupin()
        .args(["validate", sc.to_str().unwrap()])
        .args(["--set", "arms.cash.budget.yearly=-1", "--set", "budget.admin_share=2"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains(format!("line {cash_arm}, column 1: arms[1].budget.yearly = -1"))
                .and(predicate::str::contains(format!("line {admin}, column 15: budget.admin_share = 2"))),
        );
    fupin().args(["validate", sc.to_str().unwrap(), "--set", "arms.cash.budget.yearly=12000000"]).assert().success();
}
