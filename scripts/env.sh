# Sourced by the other scripts: run from the repo root, with the project's tools first on PATH.
# node_modules/.bin comes first so that wasm-pack finds npm binaryen's wasm-opt (Debian's
# older binaryen emits a module that fails to load).
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Where the shared tokenizers and corpus live (beside the repository by default).
export MLMASK_SHARED_DATA="${MLMASK_SHARED_DATA:-$PWD/../shared/data}"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
