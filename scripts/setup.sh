#!/usr/bin/env bash
# Installs what Session Lab needs and is missing, and nothing else. Safe to run again: every
# step first checks whether its tool is already there at the right version.
#
#   scripts/setup.sh build   wasm32 target, trunk, wasm-bindgen CLI, wasm-opt (npm binaryen)
#   scripts/setup.sh test    the above, plus Chromium + ChromeDriver, wasm-pack, the Flask venv
#   scripts/setup.sh bench   the above, plus Lighthouse (npm, pinned in tools/bench/package.json)
#
# Nothing is downloaded at build time: trunk is run offline and finds these tools on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_PACK_VERSION=0.15.1
# The CLI must equal the wasm-bindgen crate pinned with `=` in Cargo.toml.
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
VENV=target/flask-venv
# Werkzeug and itsdangerous are pinned too: their bytes are in tests/fixtures/, which
# `make test` regenerates and compares.
PY_REQS=(flask==3.1.3 Flask-Session==0.8.0 Flask-Login==0.6.3 Werkzeug==3.1.9 itsdangerous==2.2.0)

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/tools/node_modules/.bin:$PATH"

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup: need root to run: $*" >&2; return 1; fi
}

# ensure_cargo_tool CRATE VERSION BINARY [cargo install flags...]
ensure_cargo_tool() {
  local crate=$1 version=$2 bin=$3; shift 3
  if command -v "$bin" >/dev/null && "$bin" --version 2>/dev/null | grep -q " $version"; then
    return 0
  fi
  say "installing $crate $version (a cold build takes several minutes)"
  cargo install "$crate" --version "$version" "$@"
}

ensure_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown && return 0
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
}

ensure_wasm_opt() {
  # Debian's binaryen is too old for what rustc 1.95 emits; npm's binaryen ships a working one.
  # The same npm install brings har-validator (the HAR 1.2 schema the exports are checked with).
  if [ -x tools/node_modules/.bin/wasm-opt ] && tools/node_modules/.bin/wasm-opt --version | grep -q 'version 132' &&
     [ -f tools/node_modules/har-validator/package.json ]; then
    return 0
  fi
  say "installing wasm-opt and har-validator (npm, pinned in tools/package.json)"
  npm ci --prefix tools --no-audit --no-fund --loglevel=error
}

ensure_chromium() {
  if command -v chromium >/dev/null && [ -x /usr/bin/chromedriver ]; then return 0; fi
  say "installing Debian chromium and chromium-driver"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver
}

ensure_venv() {
  if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" - "${PY_REQS[@]}" <<'PY' 2>/dev/null; then return 0; fi
import sys
from importlib.metadata import version
for req in sys.argv[1:]:
    name, want = req.split("==")
    if version(name) != want:
        sys.exit(1)
PY
  say "creating $VENV with ${PY_REQS[*]}"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "${PY_REQS[@]}"
}

build_tools() {
  ensure_target
  # `--locked` fails for this version on a missing webpki-roots, so it is left off.
  ensure_cargo_tool wasm-bindgen-cli "$WASM_BINDGEN_VERSION" wasm-bindgen
  ensure_cargo_tool trunk "$TRUNK_VERSION" trunk --locked
  ensure_wasm_opt
}

test_tools() {
  build_tools
  ensure_cargo_tool wasm-pack "$WASM_PACK_VERSION" wasm-pack --locked
  ensure_chromium
  ensure_venv
}

ensure_lighthouse() {
  # 12.2.3: Lighthouse 13 needs Node 22. It drives the system Chromium (CHROME_PATH).
  if [ -x tools/bench/node_modules/.bin/lighthouse ] &&
    tools/bench/node_modules/.bin/lighthouse --version 2>/dev/null | grep -qx '12.2.3'; then
    return 0
  fi
  say "installing Lighthouse 12.2.3 (npm, pinned in tools/bench/package.json)"
  npm ci --prefix tools/bench --no-audit --no-fund --loglevel=error
}

ensure_crack_peers() {
  # The cracking benchmark's peers, in the interop virtual environment (issue 10).
  if "$VENV/bin/python" - <<'PY' 2>/dev/null; then return 0; fi
import sys
from importlib.metadata import version
sys.exit(0 if (version("flask-unsign"), version("flask-unsign-wordlist")) == ("1.2.1", "2024.1") else 1)
PY
  say "installing flask-unsign 1.2.1 and flask-unsign-wordlist 2024.1 into $VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check flask-unsign==1.2.1 flask-unsign-wordlist==2024.1
}

bench_tools() {
  test_tools
  ensure_lighthouse
  ensure_crack_peers
}

case "${1:-}" in
  build) build_tools ;;
  test) test_tools ;;
  bench) bench_tools ;;
  *) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac
