# Session Lab. The two commands a newcomer needs:
#   make serve   install what is missing, then serve the lab on http://127.0.0.1:8080
#   make test    install what is missing, then run every test suite
# Others: make dist (release bundle in dist/), make bench (the budgets of BENCHMARKS.md),
# make lint.

SHELL := bash
export PATH := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(CURDIR)/tools/node_modules/.bin:$(PATH)

.PHONY: serve test dist bench lint setup-build setup-test setup-bench

serve: setup-build
	trunk serve --offline --address 127.0.0.1 --port 8080

test: setup-test
	scripts/test.sh

dist: setup-build
	trunk build --offline --release --cargo-profile wasm-release --public-url ./

bench: setup-bench
	scripts/bench.sh

lint:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings

setup-build:
	scripts/setup.sh build

setup-test:
	scripts/setup.sh test

setup-bench:
	scripts/setup.sh bench
