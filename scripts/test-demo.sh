#!/usr/bin/env bash
# Tests the demo: type-check, the unit tests of its pure model (vitest), then the built site in
# Debian's chromium (node:test + playwright-core). Expects pkg/ to be built (scripts/build.sh);
# builds the site itself. Screenshots go to test-results/ (git-ignored).
set -euo pipefail
source "$(dirname "$0")/env.sh"

if [ ! -f pkg/mlmask.js ] || [ ! -f pkg/mlmask_bg.wasm ]; then
  echo "pkg/ is not built; run: bash scripts/build.sh" >&2
  exit 1
fi
# npm install/ci removes the link that build.sh made; put it back.
[ -e node_modules/mlmask ] || ln -sfn ../pkg node_modules/mlmask

step "tsc: type-check the demo"
tsc -p www/tsconfig.json

step "vitest: the demo's pure model (www/test)"
vitest run --config www/vite.config.ts

step "vite build www → www/dist"
vite build www --logLevel warn

step "node --test tests/e2e/: the built demo in chromium"
mkdir -p test-results
node --test --test-reporter=spec tests/e2e/
