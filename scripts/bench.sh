#!/usr/bin/env bash
# `make bench`: figures, not tests. The release bundle's size (raw and gzip -9) and the engine's
# per-operation timings (native, release profile).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/tools/node_modules/.bin:$PATH"

trunk build --offline --release --public-url ./ >/dev/null
echo "release bundle (dist/):"
for f in dist/*.wasm dist/*.js dist/*.css dist/index.html; do
  [ -f "$f" ] || continue
  printf '  %-48s %9d bytes raw %9d bytes gzip\n' "$(basename "$f")" "$(wc -c <"$f")" "$(gzip -9c "$f" | wc -c)"
done
echo
echo "engine (native, release):"
cargo run --quiet --release --example engine_bench
