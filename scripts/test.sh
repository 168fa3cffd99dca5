#!/usr/bin/env bash
# Runs every test suite, prints each suite's counts, and fails if any suite failed.
#   0. fixtures: the reference vectors and Flask response tables in tests/fixtures/, made again
#               by real Flask (tests/fixtures/generate.py --check): they must not have changed
#   1. native:  cargo test --no-fail-fast (engine, CLI, vectors, properties, tutorial apps,
#               the module layering), every test binary even when one fails
#   1a. fuzz:   every parser the lab exposes, a million generated inputs each (release speed)
#   1b. har:    the HAR samples the native exports test wrote, against the HAR 1.2 schema
#   2. browser: wasm-pack test in headless Chromium with the system chromedriver
#   3. interop: real Flask from target/flask-venv against session-lab-cli, both ways
#   3b. differential: every tutorial app through `session-lab-cli replay` and through its
#       real Flask / Flask-Session / Flask-Login twin, request by request
#   4. e2e:     the release bundle (`make dist`) served on loopback and driven in headless
#               Chromium through chromedriver; screenshots in target/screenshots/
#   4a. teaching: share links, the embed, HAR and Markdown exports, in headless Chromium
#   4a'. security: the security lab's scenarios clicked through, attacks before and after fixes
#   4b. offline: the installed web app loads with the server stopped
#   4c. size:   the release bundle's initial load, gzip -9, against its ceiling
#               (scripts/size_check.py --check; size is deterministic, so it is a check)
#   5. lint:    cargo fmt --check and clippy -D warnings, native and wasm32
# Every suite runs even when an earlier one fails, so one run shows everything.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/tools/node_modules/.bin:$PATH"
logs=target/test-logs
mkdir -p "$logs"
# One scratch directory for the whole run, removed when it ends however it ends. Chromium and
# chromedriver put a profile of about 50 MB in $TMPDIR for every browser they start (wasm-pack
# starts one per browser test binary and removes none of them), so without this each run left
# a gigabyte or more behind in /tmp.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/session-lab-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export TMPDIR=$scratch

declare -a names passed failed codes

# Sums the "N passed; M failed" of every cargo-style `test result:` line in a log.
count_cargo() {
  awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i) ~ /^passed/) p += $(i-1); if ($(i) ~ /^failed/) f += $(i-1) } }
       END { printf "%d %d\n", p, f }' "$1"
}

run_suite() {
  local name=$1 counter=$2; shift 2
  local log="$logs/$name.log"
  printf '\n==== %s: %s\n' "$name" "$*"
  "$@" 2>&1 | tee "$log"
  local code=${PIPESTATUS[0]}
  read -r p f < <("$counter" "$log")
  names+=("$name"); passed+=("$p"); failed+=("$f"); codes+=("$code")
}

count_interop() {
  tail -n 1 "$1" | awk '/passed, .* failed/ { print $1, $3; found = 1 } END { if (!found) print 0, 1 }'
}

run_suite fixtures count_interop target/flask-venv/bin/python tests/fixtures/generate.py --check
run_suite native count_cargo cargo test --no-fail-fast
# Every parser the lab exposes, a million generated inputs each, optimised (tests/fuzz.rs).
run_suite fuzz count_cargo cargo test --profile fuzz --test fuzz
# The HAR files tests/export.rs wrote, against the HAR 1.2 JSON schema (npm's har-validator).
run_suite har count_interop node scripts/har_validate.mjs target/export-samples/*.har
run_suite browser count_cargo wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver
cargo build --quiet --bin session-lab-cli
run_suite interop count_interop target/flask-venv/bin/python tests/interop/flask_interop.py --cli target/debug/session-lab-cli
run_suite differential count_interop target/flask-venv/bin/python tests/interop/replay_diff.py --cli target/debug/session-lab-cli
e2e() {
  trunk build --offline --release --cargo-profile wasm-release --public-url ./ >"$logs/dist-build.log" 2>&1 || { tail -20 "$logs/dist-build.log"; return 1; }
  python3 tests/e2e/e2e.py --dist dist --chromedriver /usr/bin/chromedriver --screenshots target/screenshots \
    --cli target/debug/session-lab-cli
}
run_suite e2e count_interop e2e
# The teaching features on the same bundle: share links replayed in a fresh profile, the embed
# in an iframe, HAR (validated against the HAR 1.2 schema) and Markdown exports, screenshots.
run_suite teaching count_interop python3 tests/e2e/teaching.py --dist dist --chromedriver /usr/bin/chromedriver \
  --screenshots target/screenshots
# The security lab on the same bundle: every attack scenario clicked through, scenarios 2, 3, 6
# and 9 checked before and after their fix, a screenshot of each.
run_suite security count_interop python3 tests/e2e/security.py --dist dist --chromedriver /usr/bin/chromedriver \
  --screenshots target/screenshots
# Installed as a web app: after one visit the lab loads with the server stopped.
run_suite offline count_interop python3 tests/e2e/offline.py --dist dist --chromedriver /usr/bin/chromedriver \
  --screenshots target/screenshots
run_suite size count_interop python3 scripts/size_check.py --dist dist --check

lint() {
  cargo fmt --check &&
    cargo clippy --quiet --all-targets -- -D warnings &&
    cargo clippy --quiet --target wasm32-unknown-unknown --all-targets -- -D warnings
}
# One check: 1 passed or 1 failed.
count_exit() { echo 0 0; }
run_suite lint count_exit lint
passed[${#passed[@]}-1]=$(( codes[${#codes[@]}-1] == 0 ? 1 : 0 ))
failed[${#failed[@]}-1]=$(( codes[${#codes[@]}-1] == 0 ? 0 : 1 ))

total_p=0; total_f=0; status=0
printf '\n%-10s %8s %8s  %s\n' suite passed failed exit
for i in "${!names[@]}"; do
  printf '%-10s %8d %8d  %s\n' "${names[$i]}" "${passed[$i]}" "${failed[$i]}" "${codes[$i]}"
  total_p=$((total_p + passed[i])); total_f=$((total_f + failed[i]))
  if [ "${codes[$i]}" -ne 0 ] || [ "${failed[$i]}" -ne 0 ]; then status=1; fi
done
echo "${total_p} passed, ${total_f} failed"
exit $status
