#!/usr/bin/env bash
# Builds the deployable demo into www/dist: static files only, with relative URLs, so the folder
# works from any static host, at the root or under a sub-path (see www/README.md).
set -euo pipefail
source "$(dirname "$0")/env.sh"

bash scripts/setup.sh
bash scripts/build.sh

step "vite build www → www/dist"
vite build www
echo "The deployable site is in $PWD/www/dist ($(du -sh www/dist | cut -f1)); copy it to any static host."
