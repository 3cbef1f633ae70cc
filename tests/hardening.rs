//! Hostile and careless use: each class of fault found by trying fupin as a
//! new user would, with the behaviour it must have now.

mod common;

use assert_cmd::Command;
use common::*;
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Stdio;

fn fupin() -> Command {
    Command::cargo_bin("fupin").unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn small(dir: &Path) -> PathBuf {
    write(dir, "small.toml", &small_township(200, 1, 2))
}

#[test]
fn force_never_replaces_what_fupin_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = small(tmp.path());
    // A scenario file given as --out is refused, even with --force, and kept.
    let file = write(tmp.path(), "mine.toml", "precious");
    fupin()
        .args(["run", sc.to_str().unwrap(), "-q", "--force", "--out", file.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("never replaces"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "precious");
    // A user's file named like the old fixed aside-name is untouched by a replacement.
    let out = tmp.path().join("out");
    let aside = write(tmp.path(), ".out.old", "mine too");
    for _ in 0..2 {
        fupin().args(["run", sc.to_str().unwrap(), "-q", "--force", "--out", out.to_str().unwrap()]).assert().success();
    }
    assert_eq!(std::fs::read_to_string(&aside).unwrap(), "mine too");
    // Nothing hidden is left beside the result.
    let hidden: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".out."))
        .collect();
    assert_eq!(hidden, [".out.old"]);
}

#[test]
fn an_output_path_without_a_folder_name_is_refused_before_simulating() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = small(tmp.path());
    for out in [".", "a/..", "/"] {
        fupin()
            .current_dir(tmp.path())
            .args(["run", sc.to_str().unwrap(), "-q", "--out", out])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("folder name"));
    }
    let entries: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "only the scenario file");
}

#[test]
fn the_last_replicate_indices_run_and_are_written() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = small(tmp.path());
    let out = tmp.path().join("out");
    let first = u32::MAX - 3;
    fupin()
        .args(["run", sc.to_str().unwrap(), "-q", "--no-charts", "--timeseries", "none"])
        .args(["--replicates", "3", "--first-replicate", &first.to_string(), "--out", out.to_str().unwrap()])
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .success();
    let text = std::fs::read_to_string(out.join("replicate_totals.csv")).unwrap();
    let mut seen: Vec<u64> = text.lines().skip(1).map(|l| l.split(',').nth(1).unwrap().parse().unwrap()).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen, [first as u64, first as u64 + 1, first as u64 + 2]);
}

#[test]
fn a_closed_or_full_standard_output_is_no_panic() {
    // A reader that went away: the work is done, exit 0.
    let bin = assert_cmd::cargo::cargo_bin("fupin");
    let mut child = std::process::Command::new(&bin).arg("scenarios").stdout(Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    // A full disk: an error that says so, not a panic (101).
    if Path::new("/dev/full").exists() {
        for args in [vec!["scenarios"], vec!["completions", "bash"]] {
            let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
            let out = std::process::Command::new(&bin).args(&args).stdout(full).output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            assert!(String::from_utf8_lossy(&out.stderr).contains("standard output"));
        }
    }
}

#[test]
fn init_leaves_its_neighbours_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let neighbour = write(tmp.path(), "my.tmp", "keep");
    fupin().args(["init", tmp.path().join("my.toml").to_str().unwrap()]).assert().success();
    assert_eq!(std::fs::read_to_string(neighbour).unwrap(), "keep");
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 2);
}

#[test]
fn names_are_printable_and_csv_cells_cannot_be_formulas() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, says) in [
        ("\"cash\\u001b[31m\"", "control characters"),
        ("\"cash \"", "spaces at either end"),
        ("\"none\"", "not used by another arm"),
    ] {
        let text = small_township(200, 1, 2).replacen("name = \"cash\"", &format!("name = {name}"), 1);
        let sc = write(tmp.path(), "bad.toml", &text);
        fupin().args(["validate", sc.to_str().unwrap()]).assert().code(2).stderr(predicate::str::contains(says));
    }
    let long = small_township(200, 1, 2).replacen("name = \"township\"", &format!("name = \"{}\"", "t".repeat(300)), 1);
    let sc = write(tmp.path(), "long.toml", &long);
    fupin().args(["validate", sc.to_str().unwrap()]).assert().code(2).stderr(predicate::str::contains("300 bytes"));
    // An arm named like a formula is escaped in every CSV.
    let text = small_township(200, 1, 2).replacen("name = \"cash\"", "name = \"=HYPERLINK(1)\"", 1);
    let sc = write(tmp.path(), "formula.toml", &text);
    let out = tmp.path().join("out");
    fupin().args(["run", sc.to_str().unwrap(), "-q", "--out", out.to_str().unwrap()]).assert().success();
    for f in ["timeseries.csv", "prices.csv", "summary.csv", "replicates.csv", "replicate_totals.csv"] {
        let text = std::fs::read_to_string(out.join(f)).unwrap();
        assert!(text.contains("'=HYPERLINK(1)"), "{f}");
        assert!(!text.lines().any(|l| l.starts_with("=") || l.contains(",=")), "{f}");
    }
}

#[test]
fn validation_closes_its_gaps() {
    let tmp = tempfile::tempdir().unwrap();
    let base = small_township(200, 1, 2);
    // A third altitude is an error, not silently dropped.
    let three = base.replacen("altitude_range_m = [500, 1600]", "altitude_range_m = [500, 1000, 1600]", 1);
    assert_ne!(three, base);
    let sc = write(tmp.path(), "three.toml", &three);
    fupin()
        .args(["validate", sc.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid length 3"));
    // A huge number prints in exponent notation, not as 300 digits.
    let huge = base.replacen("base_price = 7.0", "base_price = 1e300", 1);
    let sc = write(tmp.path(), "huge.toml", &huge);
    let err = fupin().args(["validate", sc.to_str().unwrap()]).assert().code(2).get_output().stderr.clone();
    let err = String::from_utf8_lossy(&err);
    assert!(err.contains("1e300") && err.len() < 2000, "{err}");
    // A file above the size limit, or an endless one, is refused without reading it all.
    let big = tmp.path().join("big.toml");
    std::fs::write(&big, vec![b'#'; (16 << 20) + 10]).unwrap();
    fupin().args(["validate", big.to_str().unwrap()]).assert().code(2).stderr(predicate::str::contains("MiB"));
    if Path::new("/dev/zero").exists() {
        fupin()
            .args(["validate", "/dev/zero"])
            .timeout(std::time::Duration::from_secs(60))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("MiB"));
    }
}

#[test]
fn a_paired_loan_needs_its_partner() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(scenario_path("credit_1plus3.toml")).unwrap();
    let start = text.find("[[organisations.enterprises]]").unwrap();
    let end = text[start + 1..].find("\n[").map_or(text.len(), |e| start + 1 + e);
    let without = format!("{}{}", &text[..start], &text[end..]);
    let sc = write(tmp.path(), "nopartner.toml", &without);
    fupin()
        .args(["validate", sc.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("defines no [[organisations.enterprises]]"));
}

#[test]
fn a_stop_signal_while_files_are_written_leaves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = parse(&small_township(200, 1, 1));
    let out = tmp.path().join("out");
    let dir = fupin::output::OutputDir::create(&out, false).unwrap();
    let mut agg = fupin::sim::run::Aggregate::new(&sc);
    agg.push(&fupin::sim::run_replicate(&sc, 0));
    let info = fupin::output::ManifestInfo {
        scenario: &sc,
        checksums: Default::default(),
        first_replicate: 0,
        replicates: 1,
        threads: 1,
        wall_seconds: 0.0,
        timeseries: "none",
    };
    let stop = std::sync::atomic::AtomicBool::new(true);
    let err = fupin::app::finish(dir, &sc, &agg, (&info, None), &stop).unwrap_err();
    assert_eq!(err.exit_code(), 130);
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0, "no folder, no staging left");
}

#[test]
fn merge_refuses_shards_that_were_cut_or_changed_and_names_the_shard() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = small(tmp.path());
    let shard = |name: &str, first: &str| {
        let out = tmp.path().join(name);
        fupin()
            .args(["run", sc.to_str().unwrap(), "-q", "--no-charts", "--replicates", "2", "--first-replicate", first])
            .args(["--out", out.to_str().unwrap()])
            .assert()
            .success();
        out
    };
    let (a, b) = (shard("a", "0"), shard("b", "2"));
    let merged = tmp.path().join("m");
    let merge = |dirs: &[&Path]| {
        let mut c = fupin();
        c.arg("merge");
        for d in dirs {
            c.arg(d);
        }
        c.args(["--out", merged.to_str().unwrap(), "-q", "--force"]);
        c.assert()
    };
    merge(&[&a, &b]).success();
    // Cut a file short.
    let path = b.join("replicates.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, &text[..text.len() / 2]).unwrap();
    merge(&[&a, &b])
        .code(1)
        .stderr(predicate::str::contains("b/replicates.csv").and(predicate::str::contains("checksum")));
    std::fs::write(&path, &text).unwrap();
    merge(&[&a, &b]).success();
    // Rename an arm in a manifest.
    let m = b.join("manifest.json");
    let manifest = std::fs::read_to_string(&m).unwrap();
    std::fs::write(&m, manifest.replacen("\"cash\"", "\"kash\"", 1)).unwrap();
    merge(&[&a, &b]).code(1).stderr(predicate::str::contains("arms"));
}

#[test]
fn messages_come_in_file_order_and_long_lists_are_cut() {
    let tmp = tempfile::tempdir().unwrap();
    // The commodities are checked before the population, but come after it in
    // the file: the errors are reported top to bottom all the same.
    let text = small_township(200, 1, 2).replacen("kind = \"livestock\"", "kind = \"fish\"", 1);
    let sc = write(tmp.path(), "order.toml", &text);
    let out = fupin().args(["validate", sc.to_str().unwrap()]).assert().code(2).get_output().stderr.clone();
    let err = String::from_utf8_lossy(&out);
    let (livestock, kind) = (err.find("population.livestock"), err.find("].kind"));
    assert!(livestock.is_some() && kind.is_some() && livestock < kind, "{err}");
    // A bad reference among many villages lists twenty of them and counts the rest.
    let mut many = small_township(200, 1, 2);
    let at = many.find("[[population.villages]]").unwrap();
    let extra: String = (0..50).map(|k| format!("[[population.villages]]\nname = \"v{k}\"\nshare = 0.0\n\n")).collect();
    many.insert_str(at, &extra);
    let many = many.replacen("village = \"Dengjia\"", "village = \"Nowhere\"", 1);
    let sc = write(tmp.path(), "many.toml", &many);
    fupin()
        .args(["validate", sc.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("\"Nowhere\"").and(predicate::str::contains("and 39 more")));
}

#[test]
fn plot_reads_absurd_numbers_as_missing_instead_of_spinning() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = small(tmp.path());
    let out = tmp.path().join("out");
    fupin().args(["run", sc.to_str().unwrap(), "-q", "--no-charts", "--out", out.to_str().unwrap()]).assert().success();
    let path = out.join("summary.json");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    v["arms"][0]["years"][0]["headcount_rate"]["mean"] = serde_json::json!(1e307);
    v["arms"][1]["totals"]["cost_per_sustained_exit"]["mean"] = serde_json::json!(-1e300);
    v["arms"][1]["name"] = serde_json::json!("cash\u{1b}[31m");
    std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
    fupin().args(["plot", out.to_str().unwrap()]).timeout(std::time::Duration::from_secs(60)).assert().success();
    let svg = std::fs::read_to_string(out.join("charts/headcount_rate.svg")).unwrap();
    assert!(!svg.contains('\u{1b}'), "no control character reaches the SVG");
}
