#!/usr/bin/env bash
# Supply-chain checks, run by hand (not in CI: they need tools and data that CI does not install).
#   - cargo deny (from crates.io): licences against deny.toml, banned and duplicate crates, and
#     that every crate comes from crates.io. Its `advisories` check needs the RustSec database,
#     fetched from outside the package registries: it runs only where that is reachable.
#   - npm audit: needs the registry's advisory endpoint; skipped with a note where it is missing.
# The output is written to docs/supply-chain.txt, which is committed.
set -uo pipefail
source "$(dirname "$0")/env.sh"

command -v cargo-deny >/dev/null || cargo install cargo-deny --locked
out=docs/supply-chain.txt
{
  echo "# Supply-chain check, $(date -u +%Y-%m-%d), $(cargo-deny --version)"
  echo
  echo "## cargo deny check licenses bans sources"
  cargo deny check licenses bans sources 2>&1 | tail -n 1
  echo
  echo "## cargo deny check advisories"
  if timeout 60 cargo deny check advisories >/tmp/mlmask-advisories.log 2>&1; then
    tail -n 3 /tmp/mlmask-advisories.log
  else
    echo "not run: cargo deny could not fetch the RustSec advisory database on this machine"
  fi
  echo
  echo "## npm audit (lockfile: package-lock.json)"
  if npm audit --omit=optional >/tmp/mlmask-npm-audit.log 2>&1; then
    tail -n 3 /tmp/mlmask-npm-audit.log
  else
    echo "not run: the registry answered that it has no audit endpoint ($(grep -m1 -oE '[0-9]{3} [A-Za-z ]+' /tmp/mlmask-npm-audit.log))"
  fi
} > "$out"
cat "$out"
