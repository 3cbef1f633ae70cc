//! A sweep run as a Slurm job array on a real one-node cluster, merged,
//! gives the bytes of the same sweep run on one machine.
//!
//! The test starts the cluster itself with `.ci/slurm.sh up` (installing
//! Debian's slurmctld, slurmd, slurm-client and munge when they are absent;
//! this needs root), so `cargo test` passes on a fresh machine. If Slurm
//! cannot start, the test fails: it never skips.

mod common;

use assert_cmd::Command;
use common::*;
use std::path::Path;
use std::process::Command as Process;

fn fupin() -> Command {
    Command::cargo_bin("fupin").unwrap()
}

#[test]
fn a_sweep_run_as_a_slurm_job_array_merges_into_the_one_machine_bytes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let up = Process::new("bash").arg(root.join(".ci/slurm.sh")).arg("up").output().expect("bash runs");
    assert!(
        up.status.success(),
        "Slurm did not start (.ci/slurm.sh up needs root and Debian's packages):\n{}\n{}",
        String::from_utf8_lossy(&up.stdout),
        String::from_utf8_lossy(&up.stderr)
    );
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file(tmp.path(), "slurm", "design = \"morris\"\ntrajectories = 4\nlevels = 4");
    let study = tmp.path().join("study");
    fupin().arg("sweep").arg(&file).args(["--slurm", "--tasks", "4", "--out"]).arg(&study).assert().success();
    let shards = tmp.path().join("study.shards");
    let sbatch = Process::new("timeout")
        .args(["300", "sbatch", "--wait"])
        .arg(shards.join("sweep.sbatch"))
        .current_dir(tmp.path())
        .output()
        .expect("timeout and sbatch run");
    let logs: String =
        (0..4).map(|i| std::fs::read_to_string(shards.join(format!("log-{i}.txt"))).unwrap_or_default()).collect();
    assert!(
        sbatch.status.success(),
        "sbatch --wait failed: {}\n{}\ntask logs:\n{logs}",
        String::from_utf8_lossy(&sbatch.stdout),
        String::from_utf8_lossy(&sbatch.stderr)
    );
    let tasks: Vec<_> = (0..4).map(|i| shards.join(format!("task-{i}"))).collect();
    fupin().arg("merge").args(&tasks).arg("--out").arg(&study).arg("-q").assert().success();
    let local = tmp.path().join("local");
    fupin().arg("sweep").arg(&file).arg("--out").arg(&local).arg("-q").assert().success();
    let (a, b) = (tree(&local), tree(&study));
    assert_eq!(a.iter().map(|f| &f.0).collect::<Vec<_>>(), b.iter().map(|f| &f.0).collect::<Vec<_>>());
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{} differs between the Slurm array and the one-machine run", name.display());
    }
}
