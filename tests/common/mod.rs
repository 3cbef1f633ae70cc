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
    text_with("township.toml", edits)
}

/// Shipped scenario `file`'s text with `key = value` lines replaced (first match).
pub fn text_with(file: &str, edits: &[(&str, &str)]) -> String {
    let mut text = std::fs::read_to_string(scenario_path(file)).unwrap();
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

/// Shipped scenario `file` with `--set` overrides `sets` (`PATH=VALUE`).
pub fn load_set(file: &str, sets: &[impl AsRef<str>]) -> Scenario {
    let sets: Vec<_> = sets.iter().map(|s| fupin::scenario::overrides::Override::parse(s.as_ref()).unwrap()).collect();
    Scenario::load_with(&scenario_path(file), &sets).unwrap()
}

/// Replicates 0..`n` of every arm of `sc`, with monthly rows.
pub fn runs(sc: &Scenario, n: u32) -> Vec<fupin::sim::ReplicateOutcome> {
    (0..n).map(|r| fupin::sim::run_replicate(sc, r)).collect()
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

/// A small sweep of the township (300 households, 3 years, the budget
/// scaled down with the households) with `design` lines and two parameters: the enterprise's output per job, which only
/// the enterprise arm feels, and the dependency step of free handouts.
pub fn sweep_file(dir: &Path, name: &str, design: &str) -> PathBuf {
    let sc = scenario_path("township.toml");
    let text = format!(
        r#"[sweep]
name = "{name}"
scenario = "{}"
{design}
replicates = 2
set = ["population.households=300", "meta.years=3", "budget.yearly=168000"]

[[parameters]]
path = "organisations.enterprises.Qinyuan Agriculture.output_per_job"
min = 8000
max = 48000

[[parameters]]
path = "behaviour.dependency_handout_step"
min = 0.0
max = 0.05

[[outcomes]]
metric = "headcount_rate"

[[outcomes]]
metric = "poverty_years"
"#,
        sc.display()
    );
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

/// Every file of a folder, by relative path, with its bytes.
pub fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Scenario text with `[demography]` turned off: for tests of another
/// mechanism that compare against the founding's households.
pub fn without_demography(text: &str) -> String {
    let at = text.find("[demography]").expect("a [demography] section");
    let on = at + text[at..].find("enabled = true").expect("demography on");
    format!("{}enabled = false{}", &text[..on], &text[on + "enabled = true".len()..])
}

/// A child process, killed when dropped, so that a failing test leaves nothing running.
pub struct Running(pub std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `fupin serve --port 0 --threads 2` with `extra` arguments, from the
/// project's folder; returns it with the page's address as it printed it
/// (`http://127.0.0.1:PORT/`).
pub fn serve(extra: &[&str]) -> (Running, String) {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fupin"))
        .args(["serve", "--port", "0", "--threads", "2"])
        .args(extra)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("fupin serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("a first line");
    let url = line.split_whitespace().find(|w| w.starts_with("http://")).unwrap_or_else(|| panic!("{line}"));
    let url = url.to_string();
    (Running(child), url)
}
