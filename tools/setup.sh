#!/usr/bin/env bash
# Prepare a fresh Debian 12 (bookworm) machine for building and testing resnetc.
#
#   tools/setup.sh            # as root, or as a user with sudo
#
# 1. Installs the Debian packages resnetc needs (MLIR/LLVM 22, Halide 14,
#    protobuf + ONNX headers, build tools, Debian's torch/torchvision/onnx for
#    the Python side, the Fashion-MNIST dataset and ONNX's node test data).
#    apt is skipped entirely when every package is already installed.
# 2. Creates a Python venv at ${RESNETC_VENV:-<repo>/.venv} on top of Debian's
#    python3 (--system-site-packages, so Debian's torch and onnx are visible)
#    and installs the pinned packages of <repo>/requirements.txt into it.
#
# Safe to rerun: every step checks first and does nothing when already done.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${RESNETC_VENV:-$repo/.venv}

packages=(
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools
  libhalide14-0-dev
  protobuf-compiler libprotobuf-dev libonnx-dev
  ninja-build cmake g++
  python3-venv python3-torch python3-torchvision python3-onnx
  dataset-fashion-mnist libonnx-testdata
)

log() { echo "setup: $*"; }

# Run privileged commands directly as root, through sudo otherwise.
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
else
  as_root=(sudo)
fi

# --- Debian packages -------------------------------------------------------
missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [ "$status" != "install ok installed" ]; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  log "all ${#packages[@]} Debian packages already installed"
else
  log "installing ${#missing[@]} missing Debian package(s): ${missing[*]}"
  "${as_root[@]}" apt-get update -q
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

# --- Python venv -----------------------------------------------------------
# Debian's interpreter on purpose: python3-torch etc. are only importable there
# (a pyenv or other python3 first on PATH would not see them).
if [ -x "$venv/bin/python" ]; then
  log "venv exists: $venv"
else
  log "creating venv $venv (with Debian's site-packages)"
  /usr/bin/python3 -m venv --system-site-packages "$venv"
fi

log "installing $repo/requirements.txt into the venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$repo/requirements.txt"

# A quick import check so a broken environment shows up here, not in the tests.
"$venv/bin/python" - <<'PY'
import numpy, onnx, onnxruntime, pytest, torch, torchvision
print(f"setup: python ok: torch {torch.__version__}, torchvision {torchvision.__version__}, "
      f"onnx {onnx.__version__}, onnxruntime {onnxruntime.__version__}, pytest {pytest.__version__}")
PY
log "done; use $venv/bin/python"
