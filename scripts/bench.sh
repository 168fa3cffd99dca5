#!/usr/bin/env bash
# `make bench`: the figures issue 8 set budgets for, measured in one run, each printed with
# its unit, budget, peer and ratio. Figures, not tests: nothing here runs in `make test`, and
# the exit status is 0 whatever the figures (non-zero only when a benchmark cannot run).
#   1. size:       the release bundle's initial load, gzip -9 (scripts/size_check.py)
#   2. first load: Lighthouse 12.2.3, mobile preset, served gzip (scripts/lighthouse.py)
#   3. clicks:     clear + reload in a scenario, in headless Chromium, up to 10,000 stored
#                  sessions and 1,000 log entries (scripts/bench_clicks.py)
#   4. engine:     sign and verify against itsdangerous as Flask sets it up, side by side
#                  (scripts/bench_engine.py)
#   5. crack:      trying keys from a wordlist, natively and in the page in headless Chromium,
#                  against Flask-Unsign and a bare Python loop, with
#                  the physical limit (scripts/bench_crack.py; issue 10)
# The results, with the machine, go to target/bench/results.md; BENCHMARKS.md keeps the
# last ones recorded.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/tools/node_modules/.bin:$PATH"
out=target/bench
mkdir -p "$out"
# Chromium's profiles and other temporary files go in one directory, removed at the end.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/session-lab-bench.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export TMPDIR=$scratch
log="$out/bench.log"
: >"$log"

step() { printf '\n==== %s\n' "$*" | tee -a "$log"; }

step "release bundle (trunk build --release)"
trunk build --offline --release --cargo-profile wasm-release --public-url ./ >"$out/dist-build.log" 2>&1 || { tail -20 "$out/dist-build.log"; exit 1; }
python3 scripts/size_check.py --dist dist | tee -a "$log"

step "first load: Lighthouse 12.2.3, mobile, served gzip"
python3 scripts/lighthouse.py --dist dist | tee -a "$log"

step "clicks at scale: headless Chromium"
python3 scripts/bench_clicks.py --dist dist | tee -a "$log"

step "engine vs itsdangerous (native, release)"
target/flask-venv/bin/python scripts/bench_engine.py | tee -a "$log"

step "cracking a key from a wordlist vs Flask-Unsign (native and headless Chromium)"
target/flask-venv/bin/python scripts/bench_crack.py | tee -a "$log"

python3 scripts/bench_report.py "$log" | tee "$out/results.md"
