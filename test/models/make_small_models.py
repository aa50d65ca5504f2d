#!/usr/bin/env python3
"""Small hand-made ONNX files for resnetc's error and edge-case tests.

Built with ``onnx.helper`` at test time into a scratch folder (not committed):

    unsupported_ops.onnx  valid model: Conv -> Relu -> LRN ("lrn_1") ->
                          Hardmax ("hardmax_1"); the last two ops are ones
                          resnetc does not support, so compiling it must fail
                          with a message naming both nodes
    not_onnx.onnx         plain text, not a protobuf at all
    truncated.onnx        a valid model file cut in half
    asymmetric_pad.onnx   numeric edge cases on an odd-sized input
                          [batch, 3, 11, 13]: Conv with pads [0,1,1,2] at
                          stride 1 and 2, MaxPool with pads [1,0,0,1] applied
                          to values that can be negative (so padding must act
                          as -inf, not 0), Add, Relu, and another
                          asymmetric-pad Conv; output [batch, 4, 6, 6]

Usage: make_small_models.py OUTDIR
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
NAMES = ("unsupported_ops.onnx", "not_onnx.onnx", "truncated.onnx", "asymmetric_pad.onnx")


def _weights(rng, name, shape, fan_in):
    """Seeded He-scaled normal initializer, so activations stay O(1)."""
    data = rng.standard_normal(shape).astype(np.float32) * np.float32(np.sqrt(2.0 / fan_in))
    return numpy_helper.from_array(data, name)


def _finish(graph):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="resnetc make_small_models")
    # ir_version 7 is what onnx 1.12's checker and onnxruntime both accept for opset 13.
    model.ir_version = 7
    onnx.checker.check_model(model, full_check=True)
    return model


def unsupported_ops_model():
    rng = np.random.default_rng(1)
    nodes = [
        helper.make_node("Conv", ["input", "conv_1.w", "conv_1.b"], ["c1"], name="conv_1",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu_1"),
        helper.make_node("LRN", ["r1"], ["l1"], name="lrn_1", size=3),
        helper.make_node("Hardmax", ["l1"], ["output"], name="hardmax_1", axis=1),
    ]
    graph = helper.make_graph(
        nodes, "unsupported_ops",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 4, 8, 8])],
        initializer=[_weights(rng, "conv_1.w", (4, 3, 3, 3), 27),
                     numpy_helper.from_array(np.zeros(4, np.float32) + 0.1, "conv_1.b")])
    return _finish(graph)


def asymmetric_pad_model():
    """See the module docstring; ONNX 2-D pads are [top, left, bottom, right]."""
    rng = np.random.default_rng(2)
    nodes = [
        # [N,3,11,13] -> [N,8,10,14]: H = 11+0+1-3+1, W = 13+1+2-3+1
        helper.make_node("Conv", ["input", "conv_1.w", "conv_1.b"], ["c1"], name="conv_1",
                         kernel_shape=[3, 3], pads=[0, 1, 1, 2]),
        # [N,8,10,14] -> [N,8,5,7]: H = (10+1+0-3)//2+1, W = (14+0+1-3)//2+1
        helper.make_node("MaxPool", ["c1"], ["p1"], name="maxpool_1",
                         kernel_shape=[3, 3], strides=[2, 2], pads=[1, 0, 0, 1]),
        # [N,3,11,13] -> [N,8,5,7]: H = (11+0+1-3)//2+1, W = (13+1+2-3)//2+1
        helper.make_node("Conv", ["input", "conv_2.w", "conv_2.b"], ["c2"], name="conv_2",
                         kernel_shape=[3, 3], strides=[2, 2], pads=[0, 1, 1, 2]),
        helper.make_node("Add", ["p1", "c2"], ["s"], name="add_1"),
        helper.make_node("Relu", ["s"], ["r"], name="relu_1"),
        # [N,8,5,7] -> [N,4,6,6]: H = 5+2+1-3+1, W = 7+0+1-3+1
        helper.make_node("Conv", ["r", "conv_3.w", "conv_3.b"], ["output"], name="conv_3",
                         kernel_shape=[3, 3], pads=[2, 0, 1, 1]),
    ]
    init = [
        _weights(rng, "conv_1.w", (8, 3, 3, 3), 27),
        # Negative bias: many MaxPool windows then hold only negative values, so
        # padding with 0 instead of -inf would change the result.
        numpy_helper.from_array(rng.normal(-0.7, 0.1, 8).astype(np.float32), "conv_1.b"),
        _weights(rng, "conv_2.w", (8, 3, 3, 3), 27),
        numpy_helper.from_array(rng.normal(0, 0.1, 8).astype(np.float32), "conv_2.b"),
        _weights(rng, "conv_3.w", (4, 8, 3, 3), 72),
        numpy_helper.from_array(rng.normal(0, 0.1, 4).astype(np.float32), "conv_3.b"),
    ]
    graph = helper.make_graph(
        nodes, "asymmetric_pad",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 3, 11, 13])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", 4, 6, 6])],
        initializer=init)
    return _finish(graph)


def _fails_to_parse(data):
    try:
        onnx.ModelProto().ParseFromString(data)
    except Exception:  # google.protobuf.message.DecodeError, across protobuf versions
        return True
    return False


def not_onnx_bytes():
    # Text whose bytes cannot be read as a protobuf message: 'T' (0x54) is a
    # tag with wire type 4 (end-group) that has no matching start.
    text = b"This is not an ONNX model; it is plain text written by make_small_models.py.\n"
    assert _fails_to_parse(text)
    return text * 4


def truncated_bytes():
    """First half of a serialized valid model (its cut falls inside the weight data)."""
    data = asymmetric_pad_model().SerializeToString()
    cut = data[:len(data) // 2]
    assert _fails_to_parse(cut), "the cut happened to land on a message boundary"
    return cut


def generate_all(out_dir):
    """Write all small models into ``out_dir``; return {file name: path}."""
    os.makedirs(out_dir, exist_ok=True)
    contents = {
        "unsupported_ops.onnx": unsupported_ops_model().SerializeToString(),
        "not_onnx.onnx": not_onnx_bytes(),
        "truncated.onnx": truncated_bytes(),
        "asymmetric_pad.onnx": asymmetric_pad_model().SerializeToString(),
    }
    paths = {}
    for name, data in contents.items():
        path = os.path.join(out_dir, name)
        tmp = f"{path}.tmp{os.getpid()}"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)  # atomic, for concurrent test processes
        paths[name] = path
    return paths


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    for name, path in generate_all(sys.argv[1]).items():
        print(f"{path}: {os.path.getsize(path)} bytes")
