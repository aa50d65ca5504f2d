"""torchvision ResNets (seeded weights) compiled by resnetc vs onnxruntime.

resnet18 / resnet50 x BatchNormalization kept / folded x opset 11 / 13 x batch 1 / 2.
ResNet-50 cases are marked ``slow``.  Models are generated once into
$RESNETC_TEST_WORKDIR/models and reused by later runs.
"""

import pytest

import modelgen
from comparison import compare

ARCHS = [
    pytest.param("resnet18", id="resnet18"),
    pytest.param("resnet50", id="resnet50", marks=pytest.mark.slow),
]


@pytest.mark.numeric
@pytest.mark.parametrize("batch", [1, 2])
@pytest.mark.parametrize("opset", [11, 13])
@pytest.mark.parametrize("bn", ["kept", "folded"])
@pytest.mark.parametrize("arch", ARCHS)
def test_torchvision_resnet(arch, bn, opset, batch, model_cache, compile_and_load,
                            record_property):
    onnx_path = modelgen.generate(arch, bn, opset, model_cache)
    x = modelgen.make_input((batch, 3, 224, 224), seed=batch)
    ref = modelgen.run_ort(onnx_path, x, intra_op_num_threads=2)

    lib = compile_and_load(onnx_path, f"{arch}_{bn}_{opset}", batch=batch)
    lib.set_num_threads(2)
    got = lib.run(x)
    compare(got, ref, record_property)


@pytest.mark.numeric
@pytest.mark.parametrize("target", ["avx2", "avx512"])
def test_explicit_target(target, model_cache, compile_and_load, record_property):
    """Both instruction sets (8- and 16-channel blocks) end to end, whatever
    the host picks by default; AVX-512 only where the CPU has it."""
    if target == "avx512" and not modelgen.host_has_avx512():
        pytest.skip("this CPU has no AVX-512")
    onnx_path = modelgen.generate("resnet18", "kept", 13, model_cache)
    x = modelgen.make_input((3, 3, 224, 224), seed=7)
    ref = modelgen.run_ort(onnx_path, x, intra_op_num_threads=2)
    lib = compile_and_load(onnx_path, f"resnet18_{target}", batch=3,
                           extra_args=["--target", target])
    lib.set_num_threads(2)
    compare(lib.run(x), ref, record_property)


@pytest.mark.numeric
@pytest.mark.parametrize("opset", [7, 9, 17])
def test_other_opsets(opset, model_cache, compile_and_load, record_property):
    """The oldest and newest opsets torch exports: opset 7 files are IR
    version 3 (every initializer is also a graph input), opset 17 carries
    BatchNormalization's training_mode attribute."""
    onnx_path = modelgen.generate("resnet18", "kept", opset, model_cache)
    x = modelgen.make_input((2, 3, 224, 224), seed=opset)
    ref = modelgen.run_ort(onnx_path, x, intra_op_num_threads=2)
    lib = compile_and_load(onnx_path, f"resnet18_op{opset}", batch=2)
    lib.set_num_threads(2)
    compare(lib.run(x), ref, record_property)


@pytest.mark.numeric
@pytest.mark.slow
@pytest.mark.parametrize("arch", ["resnet34", "resnext50_32x4d", "wide_resnet50_2"])
def test_other_architectures(arch, model_cache, compile_and_load, record_property):
    """More of the family: deeper basic blocks, grouped 3x3 convolutions
    (32 groups of 4 channels, which do not align with the channel block),
    and twice-as-wide bottlenecks."""
    onnx_path = modelgen.generate(arch, "kept", 13, model_cache)
    x = modelgen.make_input((2, 3, 224, 224), seed=3)
    ref = modelgen.run_ort(onnx_path, x, intra_op_num_threads=2)
    lib = compile_and_load(onnx_path, arch, batch=2)
    lib.set_num_threads(2)
    compare(lib.run(x), ref, record_property)
