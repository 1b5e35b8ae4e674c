#!/usr/bin/env bash
# The benchmark (bench/README.md): mlmask vs Tokenizers.js and transformers.js in headless
# Chromium and Node, then the native criterion benches. Builds pkg/ first when it is missing
# (BENCH_BUILD=1 rebuilds it). BENCH_NATIVE=0 skips `cargo bench`; BENCH_ROUNDS, BENCH_ONLY and
# BENCH_COLD_RUNS are read by bench/run.mjs; BENCH_ONLY=demo runs only the demo page's benchmark
# (bench/demo.mjs, which also runs when BENCH_ONLY is unset).
set -euo pipefail
source "$(dirname "$0")/env.sh"

if [[ ! -f pkg/mlmask_bg.wasm || "${BENCH_BUILD:-0}" == 1 ]]; then
  bash scripts/build.sh
fi
[[ -e node_modules/mlmask ]] || ln -sfn ../pkg node_modules/mlmask

step "uptime (the machine's load while benchmarking)"
uptime
if [[ "${BENCH_ONLY:-}" != demo ]]; then
  step "Chromium and Node: bench/run.mjs"
  node bench/run.mjs
fi
if [[ -z "${BENCH_ONLY:-}" || "${BENCH_ONLY:-}" == demo ]]; then
  step "the demo page in Chromium: bench/demo.mjs (first result; keystrokes into 5,000 words)"
  npx vite build www --logLevel warn
  node bench/demo.mjs
fi
if [[ "${BENCH_NATIVE:-1}" != 0 ]]; then
  step "native: cargo bench (criterion)"
  cargo bench --bench masking --bench collate --bench load
fi
step "uptime"
uptime
