# Sourced by the other scripts: run from the repo root, with the project's tools first on PATH.
# node_modules/.bin comes first so that wasm-pack finds npm binaryen's wasm-opt (Debian's
# older binaryen emits a module that fails to load).
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
