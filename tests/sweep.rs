//! `fupin sweep`: designs, outputs, common random numbers, errors, and task
//! shards that merge into exactly the bytes of one run.

mod common;

use assert_cmd::Command;
use common::*;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn fupin() -> Command {
    Command::cargo_bin("fupin").unwrap()
}

fn run(file: &Path, out: &Path, extra: &[&str]) {
    fupin().arg("sweep").arg(file).arg("--out").arg(out).arg("-q").args(extra).assert().success();
}

fn rows(path: &Path) -> Vec<csv::StringRecord> {
    csv::Reader::from_path(path).unwrap().records().map(|r| r.unwrap()).collect()
}

/// The value of `index` of `parameter` (a path suffix) for `arm`/`minus` and `outcome`.
fn index(path: &Path, arm: &str, minus: &str, outcome: &str, parameter: &str, index: &str) -> f64 {
    let r = rows(path);
    let row = r
        .iter()
        .find(|r| r[0] == *arm && r[1] == *minus && r[2] == *outcome && r[4].ends_with(parameter) && r[5] == *index)
        .unwrap_or_else(|| panic!("no {index} of {parameter} for {arm} − {minus}, {outcome}"));
    row[6].parse().unwrap()
}

/// A Morris sweep writes one row per point × reported arm × outcome, with
/// the parameter values as columns, and μ, μ*, σ per parameter.
#[test]
fn a_morris_sweep_writes_its_rows_indices_charts_and_report() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file(tmp.path(), "m", "design = \"morris\"\ntrajectories = 4\nlevels = 4");
    let out = tmp.path().join("out");
    run(&file, &out, &[]);
    let r = rows(&out.join("sweep.csv"));
    // 4 trajectories × 3 points; 3 arms and 2 differences; 2 outcomes.
    assert_eq!(r.len(), 12 * 5 * 2);
    let header = csv::Reader::from_path(out.join("sweep.csv")).unwrap().headers().unwrap().clone();
    assert_eq!(&header[1], "organisations.enterprises.Qinyuan Agriculture.output_per_job");
    assert_eq!(&header[3], "arm");
    for row in &r {
        let x: f64 = row[1].parse().unwrap();
        assert!((8000.0..=48000.0).contains(&x), "{x} outside the range");
    }
    let s = rows(&out.join("sensitivity.csv"));
    assert_eq!(s.len(), 5 * 2 * 2 * 3, "mu, mu_star, sigma per parameter, arm and outcome");
    for f in ["report.html", "manifest.json", "sweep.toml", "scenario.toml"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let charts = std::fs::read_dir(out.join("charts")).unwrap().count();
    assert_eq!(charts, 2 * 2 * 5 * 2, "points and morris charts, PNG and SVG, per arm and outcome");
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("μ*") && report.contains("<svg"));
}

/// `--lang zh`: the sweep's report and charts in Chinese, with the CJK font
/// embedded in the report; the numbers are the English run's.
#[test]
fn a_sweep_speaks_chinese_with_lang_zh() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file(tmp.path(), "zh", "design = \"morris\"\ntrajectories = 2\nlevels = 4");
    let (en, zh) = (tmp.path().join("en"), tmp.path().join("zh"));
    run(&file, &en, &[]);
    run(&file, &zh, &["--lang", "zh"]);
    let report = std::fs::read_to_string(zh.join("report.html")).unwrap();
    assert!(report.contains("<html lang=\"zh\">") && report.contains("<h2>敏感性</h2>") && report.contains("参数扫描"));
    assert!(report.contains("font-family: 'fupin-cjk'"));
    let morris = std::fs::read_dir(zh.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "svg") && p.to_string_lossy().contains("morris."))
        .expect("a Morris chart");
    assert!(std::fs::read_to_string(morris).unwrap().contains("Morris 筛选"));
    for f in ["sweep.csv", "sensitivity.csv"] {
        assert_eq!(std::fs::read(en.join(f)).unwrap(), std::fs::read(zh.join(f)).unwrap(), "{f}");
    }
}

/// Common random numbers: every point runs the same households and draws,
/// so a parameter that only the enterprise arm uses has an effect of
/// exactly zero on the arm without policy, while the dependency step of free
/// handouts raises the cash arm's poverty against no policy (μ > 0).
#[test]
fn common_random_numbers_isolate_each_parameters_effect() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file(tmp.path(), "crn", "design = \"morris\"\ntrajectories = 6\nlevels = 4");
    let out = tmp.path().join("out");
    run(&file, &out, &[]);
    let s = out.join("sensitivity.csv");
    for outcome in ["headcount_rate", "poverty_years"] {
        assert_eq!(index(&s, "none", "", outcome, "output_per_job", "mu_star"), 0.0);
        assert_eq!(index(&s, "cash", "", outcome, "output_per_job", "mu_star"), 0.0);
    }
    // Direction: the more each month of free cash raises dependency, the less cash lowers poverty.
    let mu = index(&s, "cash", "none", "poverty_years", "dependency_handout_step", "mu");
    let mu_star = index(&s, "cash", "none", "poverty_years", "dependency_handout_step", "mu_star");
    assert!(mu > 0.0 && mu_star > 0.0, "dependency from handouts costs the cash arm: mu = {mu}");
    // Without common random numbers every point has its own draws: the
    // arm without policy then moves between points for no reason.
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("replicates = 2", "replicates = 2\ncommon_random_numbers = false");
    std::fs::write(&file, text).unwrap();
    let out2 = tmp.path().join("out2");
    run(&file, &out2, &[]);
    assert!(index(&out2.join("sensitivity.csv"), "none", "", "poverty_years", "output_per_job", "mu_star") > 0.0);
}

/// A task's share of the points, merged with the others in any order,
/// gives the bytes of the one-machine run (on another thread count): rows,
/// indices, manifest, charts and report. A missing task is refused.
#[test]
fn merged_task_shards_are_byte_identical_to_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file(tmp.path(), "s", "design = \"sobol\"\nsamples = 8");
    let whole = tmp.path().join("whole");
    run(&file, &whole, &["--threads", "2"]);
    let shards: Vec<PathBuf> = (0..3).map(|i| tmp.path().join(format!("task{i}"))).collect();
    for (i, dir) in shards.iter().enumerate() {
        run(&file, dir, &["--task", &i.to_string(), "--tasks", "3", "--threads", "1"]);
    }
    let merged = tmp.path().join("merged");
    fupin()
        .arg("merge")
        .args([&shards[2], &shards[0], &shards[1]])
        .arg("--out")
        .arg(&merged)
        .arg("-q")
        .assert()
        .success();
    let (a, b) = (tree(&whole), tree(&merged));
    assert_eq!(a.iter().map(|f| &f.0).collect::<Vec<_>>(), b.iter().map(|f| &f.0).collect::<Vec<_>>());
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{} differs between the one-machine run and the merged shards", name.display());
    }
    assert_eq!(rows(&whole.join("sweep.csv")).len(), 8 * 4 * 5 * 2);
    fupin()
        .arg("merge")
        .args([&shards[0], &shards[2]])
        .arg("--out")
        .arg(tmp.path().join("bad"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("missing: 1"));
    assert!(!tmp.path().join("bad").exists());
}

/// A grid of a numeric range and a list of values runs every combination.
#[test]
fn a_grid_runs_every_combination() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = scenario_path("township.toml");
    let text = format!(
        r#"[sweep]
name = "g"
scenario = "{}"
design = "grid"
levels = 3
replicates = 1
set = ["population.households=200", "meta.years=2"]
arms = ["cash"]
differences = []

[[parameters]]
path = "arms.cash.policies.cash.budget_share"
min = 0.2
max = 0.98

[[parameters]]
path = "dibao.enabled"
values = [true, false]

[[parameters]]
path = "labour.wage_growth"
values = [-0.02]

[[outcomes]]
metric = "fiscal_spent"
period = 2016
"#,
        sc.display()
    );
    let file = tmp.path().join("g.toml");
    std::fs::write(&file, text).unwrap();
    let out = tmp.path().join("out");
    run(&file, &out, &["--no-charts"]);
    let r = rows(&out.join("sweep.csv"));
    assert_eq!(r.len(), 6);
    let cells: Vec<(String, String, String)> = r.iter().map(|r| (r[1].into(), r[2].into(), r[3].into())).collect();
    assert_eq!(cells[0], ("0.2".into(), "true".into(), "-0.02".into()), "a negative number stays a number");
    assert_eq!(cells[5], ("0.98".into(), "false".into(), "-0.02".into()));
    // Spending grows with the cash arm's share of the budget.
    let spent: Vec<f64> = r.iter().map(|r| r[8].parse().unwrap()).collect();
    assert!(spent[0] < spent[2] && spent[2] < spent[4], "{spent:?}");
    assert!(!out.join("sensitivity.csv").exists(), "a grid has no indices");
}

/// Bad sweep files get every problem at once, each with its line, field,
/// value and allowed values, exit code 2, and nothing written.
#[test]
fn a_bad_sweep_file_names_line_field_value_and_range() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file(tmp.path(), "bad", "design = \"morris\"\ntrajectories = 1\nlevels = 3");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("max = 0.05", "max = 3.0")
        .replace("metric = \"poverty_years\"", "metric = \"poverty_yeras\"");
    std::fs::write(&file, &text).unwrap();
    let out = tmp.path().join("out");
    let assert = fupin().arg("sweep").arg(&file).arg("--out").arg(&out).assert().code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    for want in [
        "line 5, column 16: sweep.trajectories = 1: an integer in [2, 10000]",
        "sweep.levels = 3: an even number in [2, 100]",
        "outcomes[1].metric = \"poverty_yeras\"",
        "did you mean \"poverty_years\"",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    assert!(!out.exists());
    // The years are the sweep's: no parameter may change them; a year outside the run is named as written.
    let meta = text
        .replace("trajectories = 1", "trajectories = 2")
        .replace("levels = 3", "levels = 4")
        .replace("metric = \"poverty_yeras\"", "metric = \"poverty_years\"")
        .replace("[[outcomes]]\nmetric = \"headcount_rate\"", "[[parameters]]\npath = \"meta.years\"\nmin = 2\nmax = 3\n\n[[outcomes]]\nmetric = \"headcount_rate\"\nperiod = 1999");
    std::fs::write(&file, &meta).unwrap();
    let assert = fupin().arg("sweep").arg(&file).arg("--check").assert().code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(err.contains("parameters[2].path = \"meta.years\": a field outside [meta]"), "{err}");
    assert!(err.contains("outcomes[0].period = 1999: \"run\" or a year in [2014, 2017]"), "{err}");
    // A range the scenario refuses is named by the sweep's field, with the scenario's reason.
    let text = text.replace("trajectories = 1", "trajectories = 2").replace("levels = 3", "levels = 4");
    let text = text.replace("metric = \"poverty_yeras\"", "metric = \"poverty_years\"");
    std::fs::write(&file, text).unwrap();
    fupin()
        .arg("sweep")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("parameters[1].max = 3.0: a value the scenario accepts"))
        .stderr(predicate::str::contains("behaviour.dependency_handout_step"));
    let fixed = std::fs::read_to_string(&file).unwrap().replace("max = 3.0", "max = 0.05");
    std::fs::write(&file, fixed).unwrap();
    fupin()
        .arg("sweep")
        .arg(&file)
        .args(["--task", "3", "--tasks", "2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--task = 3: an integer in [0, 1]"));
}

/// `--check` validates and describes the design without running or writing anything.
#[test]
fn check_describes_the_design_and_runs_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file(tmp.path(), "chk", "design = \"sobol\"\nsamples = 8");
    fupin()
        .current_dir(tmp.path())
        .arg("sweep")
        .arg(&file)
        .arg("--check")
        .assert()
        .success()
        .stdout(predicate::str::contains("design sobol, 32 points × 2 replicates"))
        .stdout(predicate::str::contains("behaviour.dependency_handout_step: uniform on [0, 0.05]"));
    assert!(!tmp.path().join("output").exists());
}

/// `--slurm` writes a job-array script with one task per share, which runs
/// this very executable on this sweep file.
#[test]
fn slurm_writes_a_job_array_script() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file(tmp.path(), "sl", "design = \"lhs\"\nsamples = 6");
    let out = tmp.path().join("study");
    fupin()
        .arg("sweep")
        .arg(&file)
        .args(["--slurm", "--tasks", "3", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("sbatch --wait"));
    let script = std::fs::read_to_string(tmp.path().join("study.shards/sweep.sbatch")).unwrap();
    assert!(script.contains("#SBATCH --array=0-2"), "{script}");
    assert!(script.contains("--task \"$SLURM_ARRAY_TASK_ID\" --tasks 3"), "{script}");
    assert!(script.contains(&file.display().to_string()));
}

/// The shipped study loads: six parameters, 256 base samples, 2,048 points.
#[test]
fn the_shipped_study_validates() {
    let s = fupin::sweep::Sweep::load(&scenario_path("sweeps/cash_vs_enterprise.toml")).unwrap();
    assert_eq!((s.parameters.len(), s.points), (6, 256 * 8));
    assert_eq!(s.base.population.households, 10_700);
}
