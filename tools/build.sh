#!/usr/bin/env bash
# Configure (once) and build resnetc in ${RESNETC_BUILD:-<repo>/build}.
# Two parallel jobs by default (RESNETC_JOBS): each MLIR/Halide compile
# process needs ~1 GB.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${RESNETC_BUILD:-$repo/build}
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DRESNETC_PYTHON="${RESNETC_VENV:-$repo/.venv}/bin/python"
fi
ninja -C "$build" -j "${RESNETC_JOBS:-2}"
