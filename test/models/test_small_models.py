"""Hand-made edge-case models (see make_small_models.py) compiled by resnetc vs onnxruntime."""

import pytest

import modelgen
from comparison import compare


@pytest.mark.numeric
@pytest.mark.parametrize("batch", [1, 3])
def test_asymmetric_pad(batch, small_models, compile_and_load, record_property):
    onnx_path = small_models["asymmetric_pad.onnx"]
    x = modelgen.make_input((batch, 3, 11, 13), seed=10 + batch)
    ref = modelgen.run_ort(onnx_path, x)
    assert ref.shape == (batch, 4, 6, 6)

    lib = compile_and_load(onnx_path, "asympad", batch=batch)
    got = lib.run(x)
    compare(got, ref, record_property)
