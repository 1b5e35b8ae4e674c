#!/usr/bin/env bash
# The demo: installs the tools, builds the package and the static site (scripts/build-demo.sh),
# and serves the site on http://127.0.0.1:$PORT/ (default 8080) until Ctrl-C. Nothing is fetched
# except from the package registries during set-up.
set -euo pipefail
source "$(dirname "$0")/env.sh"

bash scripts/build-demo.sh

PORT="${PORT:-8080}"
step "Serving the demo at http://127.0.0.1:$PORT/ (Ctrl-C to stop)"
exec vite preview www --host 127.0.0.1 --port "$PORT" --strictPort
