#!/usr/bin/env bash
# Documented scale runs (docs/PERFORMANCE.md). Prints one line per run:
# label, wall seconds, household-months per second, peak RSS in MiB.
# Usage: bash benches/scale.sh [quick]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=target/release/fupin
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() { # label scenario args...
  local label=$1 sc=$2; shift 2
  /usr/bin/time -f "%M" -o "$tmp/rss" "$bin" run "$sc" --out "$tmp/out" --force -q --no-charts "$@"
  python3 - "$label" "$tmp/out/manifest.json" "$tmp/rss" <<'PY'
import json, sys
m = json.load(open(sys.argv[2]))
rss = int(open(sys.argv[3]).read().split()[-1]) / 1024
print(f"{sys.argv[1]:<40} {m['wall_seconds']:8.2f} s  {m['household_months_per_second']:10.3g} hm/s  {rss:8.0f} MiB")
PY
}

variant() { # households years -> scenario path
  sed -e "s/^households = 10700/households = $1/" -e "s/^years = 6\b/years = $2/" scenarios/township.toml > "$tmp/v_$1_$2.toml"
  echo "$tmp/v_$1_$2.toml"
}

for i in 1 2 3; do run "township 200 reps, no series ($i)" scenarios/township.toml --replicates 200 --timeseries none; done
for i in 1 2 3; do run "township 200 reps, full series ($i)" scenarios/township.toml --replicates 200; done
[ "${1:-}" = quick ] && exit 0
for n in 1000 10000 100000; do run "households $n (x10 reps at 1000)" "$(variant $n 6)" --replicates $((2000000 / n > 0 ? 2000000 / n : 1)) --timeseries none; done
for y in 2 4 8; do run "years $y" "$(variant 10700 $y)" --replicates 100 --timeseries none; done
for r in 50 100 200; do run "replicates $r" scenarios/township.toml --replicates $r --timeseries none; done
for t in 1 2; do run "threads $t" scenarios/township.toml --replicates 100 --timeseries none --threads $t; done
run "replicates 100 (memory)" scenarios/township.toml --replicates 100
run "replicates 10000 (memory)" scenarios/township.toml --replicates 10000
run "national" scenarios/national.toml --timeseries none
