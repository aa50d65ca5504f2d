"""``resnetc compile`` on bad input: exit code 1, one ``resnetc: error:`` line, no output.

Cases: a missing file, a file that is not ONNX, a truncated ONNX file, and a
valid model with unsupported ops (LRN node "lrn_1", Hardmax node "hardmax_1"),
whose single error line must name every unsupported node and its op type.
"""

import os
import shutil
import subprocess

import pytest


def run_compile(resnetc_bin, model, out_dir):
    shutil.rmtree(out_dir, ignore_errors=True)
    return subprocess.run([resnetc_bin, "compile", model, "-o", out_dir, "--name", "bad"],
                          capture_output=True, text=True, timeout=300)


def check_failure(proc, out_dir):
    """Common expectations; returns the error line."""
    lines = proc.stderr.splitlines()
    assert proc.returncode == 1, f"exit code {proc.returncode}, stderr:\n{proc.stderr}"
    assert len(lines) == 1, f"expected exactly one stderr line, got {len(lines)}:\n{proc.stderr}"
    assert lines[0].startswith("resnetc: error:"), f"unexpected stderr line: {lines[0]!r}"
    leftovers = os.listdir(out_dir) if os.path.isdir(out_dir) else []
    assert not leftovers, f"output folder not empty after a failed compile: {leftovers}"
    return lines[0]


@pytest.fixture
def out_dir(workdir, request):
    return os.path.join(workdir, "bad_input", request.node.name, "out")


def test_missing_file(resnetc_bin, workdir, out_dir):
    model = os.path.join(workdir, "bad_input", "does_not_exist.onnx")
    line = check_failure(run_compile(resnetc_bin, model, out_dir), out_dir)
    assert "does_not_exist.onnx" in line, "the message should name the missing file"


@pytest.mark.parametrize("name", ["not_onnx.onnx", "truncated.onnx"])
def test_unparsable_file(name, resnetc_bin, small_models, out_dir):
    check_failure(run_compile(resnetc_bin, small_models[name], out_dir), out_dir)


def test_unsupported_ops(resnetc_bin, small_models, out_dir):
    line = check_failure(run_compile(resnetc_bin, small_models["unsupported_ops.onnx"], out_dir),
                         out_dir)
    for word in ("lrn_1", "LRN", "hardmax_1", "Hardmax"):
        assert word in line, f"{word!r} missing from the error line: {line!r}"
