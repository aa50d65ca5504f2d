#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine: install what is missing,
# build resnetc, compile the bundled trained Fashion-MNIST ResNet into a C
# library, link a C program with it, classify the 10,000 test images and
# print accuracy and images/s next to onnxruntime's.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$repo/tools/setup.sh"
"$repo/tools/build.sh"
"${RESNETC_VENV:-$repo/.venv}/bin/python" "$repo/examples/fashion_mnist/demo.py" \
  --build "${RESNETC_BUILD:-$repo/build}" "$@"
