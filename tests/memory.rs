//! The memory estimate against a real replicate, and the disk estimate
//! against a real run. The memory test measures the peak resident size
//! (`VmHWM`) of this process, so the other test here only runs `fupin` as a
//! child process and allocates little itself.

use fupin::memory::{estimate, BASE_BYTES};
use fupin::scenario::Scenario;

/// Peak resident memory of this process, bytes (Linux `VmHWM`).
fn peak() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
    Some(line.split_whitespace().nth(1)?.parse::<u64>().ok()? * 1024)
}

#[test]
fn the_estimate_bounds_a_real_replicate_from_above_within_a_factor_of_four() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/township.toml");
    let mut sc = Scenario::load(&path).unwrap();
    sc.population.households = 400_000;
    sc.years = 1;
    sc.replicates = 1;
    let before = peak().expect("Linux /proc/self/status");
    let rep = fupin::sim::run_replicate_with(&sc, 0, false);
    assert_eq!(rep.arms.len(), 3);
    let after = peak().expect("Linux /proc/self/status");
    let used = after.saturating_sub(before) as f64;
    let estimate = (estimate(&sc, 1) - BASE_BYTES as u64) as f64;
    assert!(used < estimate && used > estimate / 4.0, "used {used:.3e} bytes, estimated {estimate:.3e}");
}

#[test]
fn the_disk_estimate_bounds_the_files_a_run_writes() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/township.toml");
    let sc = Scenario::load(&path).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert_cmd::Command::cargo_bin("fupin")
        .unwrap()
        .args(["run", path.to_str().unwrap(), "-q", "--replicates", "3", "--out", out.to_str().unwrap()])
        .assert()
        .success();
    let written: u64 = walk(&out);
    let estimate = fupin::memory::disk_estimate(&sc, 3, true);
    assert!(written < estimate, "wrote {written} bytes, estimated {estimate}");
    // The streamed part is bounded within a factor of four of what is written.
    let streamed = estimate - (32 << 20);
    let csv: u64 = ["timeseries.csv", "prices.csv", "replicates.csv"]
        .iter()
        .map(|f| std::fs::metadata(out.join(f)).unwrap().len())
        .sum();
    assert!(csv < streamed && streamed < 4 * csv, "streamed estimate {streamed}, files {csv}");
}

fn walk(p: &std::path::Path) -> u64 {
    std::fs::read_dir(p)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                walk(&e.path())
            } else {
                e.metadata().unwrap().len()
            }
        })
        .sum()
}

#[test]
fn a_run_whose_files_cannot_fit_is_refused_before_writing() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/township.toml");
    let sc = Scenario::load(&path).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    // Four billion replicates of monthly series: hundreds of terabytes.
    let err = fupin::memory::check_disk(&sc, u32::MAX, true, &tmp.path().join("out")).unwrap_err();
    assert!(err.to_string().contains("GiB is free"), "{err}");
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
    // Without the monthly series the same run would need far less.
    assert!(fupin::memory::disk_estimate(&sc, 100, false) < fupin::memory::disk_estimate(&sc, 100, true));
}
