"""The committed Fashion-MNIST model, compiled by resnetc, on the whole test set.

Top-1 predictions must equal onnxruntime's on >= 99.9 % of the 10,000 images,
and accuracy must stay >= 88 %.
"""

import os
import sys

import numpy as np
import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE_DIR = os.path.join(REPO, "examples", "fashion_mnist")
MODEL = os.path.join(EXAMPLE_DIR, "fmnist_resnet.onnx")
BATCH = 100

sys.path.insert(0, EXAMPLE_DIR)
import fmnist_data  # noqa: E402
import modelgen  # noqa: E402


@pytest.mark.numeric
def test_fashion_mnist_accuracy(compile_and_load, record_property):
    try:
        images, labels = fmnist_data.load_split("test")
    except FileNotFoundError as e:
        pytest.skip(f"Fashion-MNIST not installed (Debian package dataset-fashion-mnist): {e}")
    sess = modelgen.ort_session(MODEL, intra_op_num_threads=2)
    input_name = sess.get_inputs()[0].name
    lib = compile_and_load(MODEL, "fmnist", batch=BATCH)
    lib.set_num_threads(2)

    got_pred, ref_pred = [], []
    worst = 0.0
    for start in range(0, len(images), BATCH):
        x = images[start:start + BATCH]
        ref = sess.run(None, {input_name: x})[0]
        got = lib.run(x).reshape(ref.shape)
        worst = max(worst, float(np.max(np.abs(got - ref)) / np.max(np.abs(ref))))
        got_pred.append(got.argmax(1))
        ref_pred.append(ref.argmax(1))
    got_pred, ref_pred = np.concatenate(got_pred), np.concatenate(ref_pred)

    agreement = float(np.mean(got_pred == ref_pred))
    accuracy = float(np.mean(got_pred == labels))
    record_property("err_ratio", worst)
    record_property("argmax_match", f"agreement {100 * agreement:.2f} %, "
                                    f"accuracy {100 * accuracy:.2f} %")
    print(f"agreement with onnxruntime {100 * agreement:.2f} %, accuracy {100 * accuracy:.2f} %, "
          f"worst batch max|diff|/max|ref| {worst:.3e}")
    assert agreement >= 0.999, f"top-1 agrees with onnxruntime on only {100 * agreement:.2f} %"
    assert accuracy >= 0.88, f"accuracy {100 * accuracy:.2f} % is below 88 %"
