#!/usr/bin/env bash
# Every test, from a fresh Debian 12 machine: set up, build, then ctest runs
# the Halide kernel tests, the lit suite (IR, passes, importer, diagnostics,
# generated C API) and the whole-model tests against onnxruntime (ResNet-18
# and ResNet-50 in several export variants, Fashion-MNIST, bad input).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$repo/tools/setup.sh"
"$repo/tools/build.sh"
ctest --test-dir "${RESNETC_BUILD:-$repo/build}" --output-on-failure -j 2 "$@"
