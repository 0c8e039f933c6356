#!/usr/bin/env bash
# Installs the ONNX Runtime shared library that triage loads at run time.
#
# The library comes from the `onnxruntime` wheel on PyPI (fetched with pip, the registry's own
# client), because `ort`'s default download of prebuilt binaries is not reachable offline and
# Debian has no onnxruntime package. Only the wheel's libonnxruntime.so is kept; Python is not
# needed afterwards.
#
# Usage: scripts/setup-onnxruntime.sh [DEST_DIR]
#   DEST_DIR defaults to ${XDG_DATA_HOME:-$HOME/.local/share}/triage/lib, one of the places the
#   runtime searches by itself (see runtime/classifier/src/runtime.rs). Running it again is a
#   no-op once the library is there.
# Environment: ORT_VERSION (default 1.32.0), ORT_WHEEL (use this wheel file instead of pip).
set -euo pipefail

ORT_VERSION="${ORT_VERSION:-1.32.0}"
DEST="${1:-${XDG_DATA_HOME:-$HOME/.local/share}/triage/lib}"
LIB="libonnxruntime.so.${ORT_VERSION}"

if [[ -f "$DEST/$LIB" && -L "$DEST/libonnxruntime.so" ]]; then
    echo "ONNX Runtime $ORT_VERSION already installed in $DEST"
    exit 0
fi

case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) PLATFORM=manylinux_2_28_x86_64 ;;
    Linux-aarch64) PLATFORM=manylinux_2_28_aarch64 ;;
    *) echo "unsupported platform $(uname -sm); set ORT_DYLIB_PATH to an ONNX Runtime library" >&2; exit 1 ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

wheel="${ORT_WHEEL:-}"
if [[ -z "$wheel" ]]; then
    pip="$(command -v pip3 || command -v pip || true)"
    if [[ -z "$pip" ]]; then
        if python3 -m pip --version >/dev/null 2>&1; then pip="python3 -m pip"; else
            echo "pip is needed to fetch the onnxruntime wheel (apt-get install python3-pip)" >&2; exit 1
        fi
    fi
    # The wheel's library does not depend on the Python version; pin one so that pip does not
    # need a matching interpreter.
    $pip download --quiet --no-deps --only-binary=:all: --platform "$PLATFORM" \
        --python-version 3.11 --implementation cp --abi cp311 \
        "onnxruntime==${ORT_VERSION}" -d "$work"
    wheel="$(ls "$work"/onnxruntime-*.whl)"
fi

python3 - "$wheel" "$work" "$LIB" <<'PY'
import sys, zipfile
wheel, out, lib = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    name = next(n for n in z.namelist() if n.endswith("/capi/" + lib))
    with z.open(name) as src, open(f"{out}/{lib}", "wb") as dst:
        dst.write(src.read())
PY

mkdir -p "$DEST"
install -m 0755 "$work/$LIB" "$DEST/$LIB"
ln -sf "$LIB" "$DEST/libonnxruntime.so.1"
ln -sf "$LIB" "$DEST/libonnxruntime.so"
echo "ONNX Runtime $ORT_VERSION installed in $DEST"
