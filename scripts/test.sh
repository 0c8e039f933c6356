#!/usr/bin/env bash
# The project's test command: builds the adapters the tests load, then runs every
# test in the workspace. Requires scripts/setup.sh to have run once.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo xtask adapters
(cd adapters && cargo test --workspace --lib)
cargo test --workspace "$@"
