#!/usr/bin/env bash
# Installs what building and testing need, skipping whatever is already at the right version.
# Works on a fresh Debian machine with Rust (rustup) and Node.js; needs only the package
# registries (crates.io, npm, Debian), never a download from elsewhere.
set -euo pipefail
source "$(dirname "$0")/env.sh"

WASM_PACK_VERSION=0.15.1

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-pack --version 2>/dev/null)" != "wasm-pack $WASM_PACK_VERSION" ]; then
  step "cargo install wasm-pack $WASM_PACK_VERSION (about 3 minutes)"
  cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked
fi

# The CLI must be exactly the version of the wasm-bindgen library in Cargo.lock. It is
# installed without --locked: its own lockfile pins a crate version that crates.io no longer serves.
BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $BINDGEN_VERSION" ]; then
  step "cargo install wasm-bindgen-cli $BINDGEN_VERSION (about 5 minutes)"
  cargo install wasm-bindgen-cli --version "$BINDGEN_VERSION"
fi

# brotli: the benchmark reports shipped sizes brotli-compressed, as static hosts serve them.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || ! command -v brotli >/dev/null; then
  step "apt-get install chromium chromium-driver brotli"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium chromium-driver brotli
fi

# npm ci, unless node_modules already matches package-lock.json.
STAMP=node_modules/.mlmask-lock.sha256
if [ ! -f "$STAMP" ] || ! sha256sum --status -c "$STAMP" 2>/dev/null; then
  step "npm ci"
  # --ignore-scripts: nothing here needs an install script, and the benchmark peers carry
  # one (onnxruntime-node) that downloads binaries from outside the registries.
  npm ci --no-audit --no-fund --ignore-scripts
  sha256sum package-lock.json > "$STAMP"
fi
