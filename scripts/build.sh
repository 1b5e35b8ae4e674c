#!/usr/bin/env bash
# Builds the npm package into pkg/: wasm-pack (release, ES module for the web, weak refs so
# forgotten objects are reclaimed), then the package.json fields wasm-pack does not write.
set -euo pipefail
source "$(dirname "$0")/env.sh"

step "wasm-pack build (release)"
wasm-pack build --release --target web --weak-refs --mode no-install --out-dir pkg

# mlmask/lite: the same crate without the `tokenizers` crate (cargo feature `full` off), built
# beside the full one and shipped inside the same package as pkg/lite/.
step "wasm-pack build (release, lite: --no-default-features)"
rm -rf pkg/lite target/pkg-lite
wasm-pack build --release --target web --weak-refs --mode no-install --out-dir target/pkg-lite --no-default-features
mkdir -p pkg/lite
cp target/pkg-lite/mlmask.js target/pkg-lite/mlmask.d.ts target/pkg-lite/mlmask_bg.wasm target/pkg-lite/mlmask_bg.wasm.d.ts pkg/lite/
if [ -d target/pkg-lite/snippets ]; then cp -r target/pkg-lite/snippets pkg/lite/; fi
node scripts/finish-package.mjs
# Lets the tests and the demo import "mlmask" exactly as a user's project would.
ln -sfn ../pkg node_modules/mlmask
