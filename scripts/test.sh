#!/usr/bin/env bash
# Runs every test of mlmask, after setting up whatever is missing (scripts/setup.sh):
#   lint (rustfmt, clippy native and wasm32, full and lite), native cargo tests, the wasm package
#   build (both entries, mlmask and mlmask/lite),
#   browser tests (wasm-pack + Chromium), the built package in Node, the npm tarball in
#   Node/TypeScript/Vite consumer projects, and the demo (unit and end-to-end tests).
# Ends with one line "tests: N passed, 0 failed" summing every runner's count.
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash scripts/setup.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
counted() { "$@" 2>&1 | tee -a "$log"; }

step "lint: cargo fmt --check, clippy -D warnings (native and wasm32)"
cargo fmt --check
cargo clippy --locked --all-targets -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown --all-targets -- -D warnings
# The lite build (no tokenizers crate): the library itself, natively and for wasm32.
cargo clippy --locked --no-default-features --lib -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown --no-default-features --lib -- -D warnings

step "package: the crate's own tests find everything they read in the published crate"
# Everything under tests/ except the npm-side tests (js, e2e, consumers, support), which need the
# built pkg/ and www/ and are not the crate's.
missing=$(comm -23 \
  <(git ls-files tests | grep -Ev '^tests/(js|e2e|consumers|support)/' | sort) \
  <(cargo package --list --allow-dirty --locked 2>/dev/null | sort))
if [ -n "$missing" ]; then
  echo "Cargo.toml excludes files the crate's tests need:"; echo "$missing"; exit 1
fi

step "1/4 native: cargo test (full build, then the lite build's unit tests)"
counted cargo test --locked
counted cargo test --locked --no-default-features --lib

bash scripts/build.sh

step "2/4 browser: wasm-pack test --headless --chrome (Chromium)"
counted wasm-pack test --headless --chrome --mode no-install

step "3/4 node: the built package, imported as users import it"
counted node --test tests/js/

step "4/4 consumers: npm pack, a Node project, TypeScript, a Vite build in Chromium, the README's examples"
counted node --test tests/consumers/

if [ -f scripts/test-demo.sh ]; then
  step "demo: unit and end-to-end tests"
  counted bash scripts/test-demo.sh
fi

# cargo and wasm-bindgen-test print "test result: ok. N passed; M failed", node's runner
# "# pass N" / "# fail N" (or "ℹ pass N" with the spec reporter), vitest "Tests  N passed".
awk '
  { gsub(/\033\[[0-9;]*m/, "") }  # vitest colours its summary
  /test result:/ { for (i = 1; i < NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
  /^(#|ℹ) pass / { p += $3 }  /^(#|ℹ) fail / { f += $3 }
  /^ *Tests +[0-9]+ passed/ { for (i = 1; i < NF; i++) if ($(i+1) ~ /^passed/) p += $i }
  END { printf "\ntests: %d passed, %d failed\n", p, f; exit (f > 0) }
' "$log"
