//! Every broken scenario in `tests/bad_scenarios/` is refused with exit
//! code 2, a message naming what is wrong (the `# expect:` line of each
//! file), and nothing written.

use assert_cmd::Command;
use std::path::Path;

#[test]
fn every_broken_scenario_gets_a_precise_error_and_writes_nothing() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_scenarios");
    let mut tried = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let file = entry.unwrap().path();
        if file.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let bytes = std::fs::read(&file).unwrap();
        let first = String::from_utf8_lossy(&bytes).lines().next().unwrap_or_default().to_string();
        let expect: Vec<String> = first
            .strip_prefix("# expect:")
            .unwrap_or_else(|| panic!("{}: first line must be `# expect: ...`", file.display()))
            .split(" | ")
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let assert = Command::cargo_bin("fupin")
            .unwrap()
            .args(["run", file.to_str().unwrap(), "--out", out.to_str().unwrap()])
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        for e in &expect {
            assert!(stderr.contains(e.as_str()), "{}: stderr lacks {e:?}:\n{stderr}", file.display());
        }
        assert!(
            stderr.contains(file.file_name().unwrap().to_str().unwrap()),
            "{}: error does not name the file",
            file.display()
        );
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0, "{}: something was written", file.display());
        tried += 1;
    }
    assert!(tried >= 40, "only {tried} broken scenarios");
}

#[test]
fn a_directory_an_empty_file_and_a_missing_file_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty.toml");
    std::fs::write(&empty, "").unwrap();
    for (arg, says) in [
        (tmp.path().to_path_buf(), "is a directory"),
        (empty.clone(), "the file is empty"),
        (tmp.path().join("missing.toml"), "cannot read scenario"),
    ] {
        Command::cargo_bin("fupin")
            .unwrap()
            .args(["validate", arg.to_str().unwrap()])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(says));
    }
}
