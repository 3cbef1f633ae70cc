//! The memory estimate against a real replicate. This is the only test in
//! its binary: the peak resident size (`VmHWM`) is per process, and tests
//! running beside it in the same process would add their own allocations.

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
