#!/usr/bin/env bash
# Installs what triage needs to build and run, offline but for the package registries:
# - the guest toolchain for adapters (Debian's rustc + std source; `rustup target add`
#   cannot download here), skipped when rustup already has wasm32-unknown-unknown;
# - the ONNX Runtime shared library (from the PyPI wheel);
# - componentize-py (PyPI, pinned) for the Python adapters;
# then builds the adapters into dist/adapters/ and the `triage` binary.
# Idempotent: a second run only rebuilds what changed. `--deps-only` stops after the installs.
set -euo pipefail
cd "$(dirname "$0")/.."

# Guests are built for wasm32-unknown-unknown, and one test guest for wasm32-wasip2.
need_guest_toolchain() {
    local installed
    installed=$(rustup target list --installed 2>/dev/null || true)
    grep -qx wasm32-unknown-unknown <<<"$installed" && grep -qx wasm32-wasip2 <<<"$installed" && return 1
    [[ -x /usr/bin/rustc && -d /usr/lib/rustlib/src/rust && -x /usr/lib/llvm-22/bin/wasm-ld \
        && -f /usr/lib/wasm32-wasi/libc.a ]] && return 1
    return 0
}

if need_guest_toolchain; then
    if ! command -v apt-get >/dev/null; then
        echo "install a wasm32-unknown-unknown Rust target (rustup target add wasm32-unknown-unknown)" >&2
        exit 1
    fi
    sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq rustc-web cargo-web rust-web-src rust-web-llvm lld-22 wasi-libc >/dev/null
fi

scripts/setup-onnxruntime.sh

# Python adapters (adapters/python/*) are built with componentize-py from PyPI, pinned. It goes
# into its own venv, where `cargo xtask adapters` also looks (PEP 668 systems refuse pip installs
# into the system Python), unless the pinned version is already on PATH.
COMPONENTIZE_PY_VERSION=0.25.1
cpy_venv="${XDG_DATA_HOME:-$HOME/.local/share}/triage/componentize-py"
has_cpy() { [[ "$("$1" --version 2>/dev/null)" == "componentize-py $COMPONENTIZE_PY_VERSION" ]]; }
if ! has_cpy componentize-py && ! has_cpy "$cpy_venv/bin/componentize-py"; then
    python3 -m venv "$cpy_venv"
    "$cpy_venv/bin/python" -m pip install --quiet "componentize-py==$COMPONENTIZE_PY_VERSION"
fi

if [[ "${1:-}" == "--deps-only" ]]; then
    exit 0
fi
cargo xtask adapters
cargo build --release -p triage-cli
echo "ready: target/release/triage (or: cargo run --release -p triage -- --help)"
