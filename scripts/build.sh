#!/usr/bin/env bash
# Builds the npm package into pkg/: wasm-pack (release, ES module for the web, weak refs so
# forgotten objects are reclaimed), then the package.json fields wasm-pack does not write.
set -euo pipefail
source "$(dirname "$0")/env.sh"

step "wasm-pack build (release)"
wasm-pack build --release --target web --weak-refs --mode no-install --out-dir pkg
node scripts/finish-package.mjs
# Lets the tests and the demo import "mlmask" exactly as a user's project would.
ln -sfn ../pkg node_modules/mlmask
