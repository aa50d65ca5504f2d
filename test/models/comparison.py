"""Numeric comparison of resnetc output against an onnxruntime reference."""

import numpy as np

#: Relative tolerance of every whole-model comparison: max|got - ref| <= RTOL * max|ref|.
RTOL = 1e-4


def compare(got, ref, record_property, batch_rows=True):
    """Assert resnetc's output matches the reference within RTOL; record the ratio.

    With ``batch_rows`` the arrays are [batch, ...] and the argmax over each
    row's flattened values must also be identical.
    """
    got = np.asarray(got).reshape(ref.shape)
    assert np.all(np.isfinite(got)), "resnetc output contains NaN or Inf"
    scale = float(np.max(np.abs(ref)))
    err = float(np.max(np.abs(got.astype(np.float64) - ref)))
    ratio = err / scale if scale > 0 else err
    record_property("err_ratio", ratio)
    print(f"max|diff| = {err:.3e}, max|ref| = {scale:.3e}, ratio = {ratio:.3e}")
    if batch_rows:
        got_arg = got.reshape(got.shape[0], -1).argmax(1)
        ref_arg = ref.reshape(ref.shape[0], -1).argmax(1)
        record_property("argmax_match", "argmax ok" if np.array_equal(got_arg, ref_arg)
                        else "ARGMAX DIFFERS")
    assert ratio <= RTOL, f"max|diff| / max|ref| = {ratio:.3e} exceeds {RTOL:g}"
    if batch_rows:
        assert np.array_equal(got_arg, ref_arg), \
            f"argmax per row differs: resnetc {got_arg.tolist()} vs onnxruntime {ref_arg.tolist()}"
