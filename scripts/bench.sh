#!/usr/bin/env bash
# The benchmark (bench/README.md): mlmask vs Tokenizers.js and transformers.js in headless
# Chromium and Node, then the native criterion benches. Builds pkg/ first when it is missing
# (BENCH_BUILD=1 rebuilds it). BENCH_NATIVE=0 skips `cargo bench`; BENCH_ROUNDS, BENCH_ONLY and
# BENCH_COLD_RUNS are read by bench/run.mjs.
set -euo pipefail
source "$(dirname "$0")/env.sh"

if [[ ! -f pkg/mlmask_bg.wasm || "${BENCH_BUILD:-0}" == 1 ]]; then
  bash scripts/build.sh
fi
[[ -e node_modules/mlmask ]] || ln -sfn ../pkg node_modules/mlmask

step "uptime (the machine's load while benchmarking)"
uptime
step "Chromium and Node: bench/run.mjs"
node bench/run.mjs
if [[ "${BENCH_NATIVE:-1}" != 0 ]]; then
  step "native: cargo bench (criterion)"
  cargo bench --bench masking --bench collate --bench load
fi
step "uptime"
uptime
