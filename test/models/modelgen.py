#!/usr/bin/env python3
"""Reference ResNet models for resnetc's tests and benchmarks.

No pretrained weights are available offline, so the models are torchvision
architectures with *seeded random* weights.  torchvision's default init would
leave every BatchNormalization as the identity (mean 0, var 1, scale 1, bias 0),
which folds into all-zero conv biases and exercises nothing.  Plain random BN
statistics are not enough either: nothing then normalises the activations,
which grow through the residual additions (ResNet-50 logits reach ~1e3).  So
the BN layers are made to behave like a trained network's, all from seeded
generators:

1. BN scale ~ U(0.5, 1.5), BN shift ~ N(0, 0.1);
2. BN running statistics calibrated, as training would, on a small batch of
   seeded random images (one train-mode forward pass, cumulative averages);
3. the calibrated statistics perturbed: mean += N(0, 0.1) * std,
   var *= U(0.8, 1.25), so no BN is exactly "normalising".

Activations then stay O(1) through every layer and the logits are O(1)
(``check_output`` verifies this).  With random-noise inputs the pooled
features of different images are similar (they differ by ~13 % rms), so the
logits share a large input-independent part and rows of a batch often have
the same top class; the rows' logits still differ by far more than the test
tolerance.  Centring the classifier to make the top class input-dependent was
tried and rejected: the cancellation amplified legitimate float32 rounding
differences (onnxruntime with vs without graph optimisations) to ~5e-5 of
max|logit| on ResNet-50, too close to the tests' 1e-4 tolerance.

Each model is exported in one of two BatchNormalization variants:

    kept    BatchNormalization nodes stay in the graph (model.eval(), exported
            with training=TrainingMode.PRESERVE, which skips the exporter's
            eval-mode BN-into-Conv folding)
    folded  normal eval-mode export with constant folding: every BN is folded
            into the preceding Conv, which then has a non-zero bias

for ONNX opsets 9, 11, 13 or 17, with a dynamic batch dimension named "batch"
on the input ("input") and the output ("output").  File names look like
``resnet18_bnkept_op13.onnx``.

Also here: a seeded input generator and an onnxruntime runner with graph
optimisations disabled, the oracle the numeric tests compare against.

Command line (prints size, export time and op counts of each file):

    modelgen.py OUTDIR [--models resnet18 resnet50] [--bn kept folded]
                       [--opsets 11 13] [--seed 0] [--check] [--force]
"""

import argparse
import collections
import contextlib
import fcntl
import os
import sys
import tempfile
import time

import numpy as np

#: Architectures that can be generated: name -> torchvision constructor name.
#: Add an entry to support another torchvision ResNet variant.
ARCHITECTURES = {
    "resnet18": "resnet18",
    "resnet34": "resnet34",
    "resnet50": "resnet50",
    "resnet101": "resnet101",
    "resnext50_32x4d": "resnext50_32x4d",
    "wide_resnet50_2": "wide_resnet50_2",
}

BN_VARIANTS = ("kept", "folded")
OPSETS = (7, 9, 11, 13, 17)
INPUT_NAME = "input"
OUTPUT_NAME = "output"
DEFAULT_IMAGE_SIZE = 224


def model_filename(arch, bn, opset):
    """File name of a generated model, e.g. ``resnet50_bnfolded_op11.onnx``."""
    return f"{arch}_bn{bn}_op{opset}.onnx"


def build_torch_model(arch, seed=0, image_size=DEFAULT_IMAGE_SIZE, calib_batch=4):
    """Return the torchvision model ``arch`` in eval mode with seeded, calibrated weights.

    See the module docstring for what is done to the BatchNormalization layers.
    """
    import torch
    import torchvision

    if arch not in ARCHITECTURES:
        raise ValueError(f"unknown architecture {arch!r}; known: {', '.join(ARCHITECTURES)}")
    torch.manual_seed(seed)  # seeds torchvision's own conv/linear initialisation
    model = getattr(torchvision.models, ARCHITECTURES[arch])(weights=None)
    gen = torch.Generator().manual_seed(seed + 1)
    bns = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    calib = torch.randn(calib_batch, 3, image_size, image_size, generator=gen)

    with torch.no_grad():
        for bn in bns:
            bn.weight.copy_(torch.rand(bn.num_features, generator=gen) + 0.5)
            bn.bias.copy_(torch.randn(bn.num_features, generator=gen) * 0.1)
            bn.reset_running_stats()
            bn.momentum = None  # running stats = plain average over the calibration pass
        # Train mode: every BN normalises with, and records, its batch statistics.
        model.train()
        model(calib)
        for bn in bns:
            bn.momentum = 0.1
            n = bn.num_features
            std = bn.running_var.sqrt()
            bn.running_mean.add_(torch.randn(n, generator=gen) * 0.1 * std)
            bn.running_var.mul_(torch.rand(n, generator=gen) * 0.45 + 0.8)
    return model.eval()


def export_onnx(model, path, bn, opset, image_size=DEFAULT_IMAGE_SIZE):
    """Export an eval-mode torch model to ``path`` in BN variant ``bn`` at ``opset``."""
    import torch

    if bn not in BN_VARIANTS:
        raise ValueError(f"bn must be one of {BN_VARIANTS}, not {bn!r}")
    if opset not in OPSETS:
        raise ValueError(f"opset must be one of {OPSETS}, not {opset}")
    model.eval()
    dummy = torch.zeros(1, 3, image_size, image_size)
    torch.onnx.export(
        model, dummy, path,
        opset_version=opset,
        input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
        dynamic_axes={INPUT_NAME: {0: "batch"}, OUTPUT_NAME: {0: "batch"}},
        # PRESERVE keeps the (eval) mode of the module, and unlike EVAL it does
        # not run the exporter's pass that folds BatchNormalization into Conv.
        training=(torch.onnx.TrainingMode.PRESERVE if bn == "kept"
                  else torch.onnx.TrainingMode.EVAL),
        # Constant folding is what folds BN away in EVAL mode; in PRESERVE mode
        # torch warns against it and it would change nothing in these graphs.
        do_constant_folding=(bn == "folded"),
    )


@contextlib.contextmanager
def _file_lock(path):
    """Exclusive advisory lock, so concurrent test processes generate a model only once."""
    with open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def generate(arch, bn, opset, out_dir, seed=0, force=False, image_size=DEFAULT_IMAGE_SIZE):
    """Write ``out_dir/<arch>_bn<bn>_op<opset>.onnx`` unless it already exists; return its path.

    The file appears atomically (written under a temporary name, then renamed),
    so an interrupted run never leaves a half-written model in the cache.
    The cache key is the file name only: pass ``force=True`` (or delete the
    file) after changing the seed or image size.
    """
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, model_filename(arch, bn, opset))
    with _file_lock(path + ".lock"):
        if os.path.exists(path) and not force:
            return path
        model = build_torch_model(arch, seed, image_size)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".onnx", dir=out_dir)
        os.close(fd)
        try:
            export_onnx(model, tmp, bn, opset, image_size)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return path


def make_input(shape, seed=0):
    """Seeded standard-normal float32 tensor (C-contiguous) of the given shape."""
    return np.random.default_rng(seed).standard_normal(shape, dtype=np.float32)


def ort_session(path, intra_op_num_threads=1, optimize=False):
    """onnxruntime CPU session; graph optimisations are off unless ``optimize``.

    With optimisations off ORT evaluates the graph as written (no fusions),
    which is what a reference for plain ONNX semantics should do.
    """
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.graph_optimization_level = (ort.GraphOptimizationLevel.ORT_ENABLE_ALL if optimize
                                     else ort.GraphOptimizationLevel.ORT_DISABLE_ALL)
    opts.intra_op_num_threads = intra_op_num_threads
    opts.inter_op_num_threads = 1
    return ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])


def run_ort(path, x, intra_op_num_threads=1, optimize=False):
    """Run the single-input, single-output model at ``path`` on ``x`` in onnxruntime."""
    sess = ort_session(path, intra_op_num_threads, optimize)
    return sess.run(None, {sess.get_inputs()[0].name: x})[0]


def op_counts(path):
    """Counter of op types in the main graph of an ONNX file."""
    import onnx

    model = onnx.load(path, load_external_data=False)
    return collections.Counter(node.op_type for node in model.graph.node)


def check_output(y):
    """Raise ValueError unless ``y`` [batch, classes] looks like a usable test output.

    Guards against seeds or BN statistics that make activations explode, vanish
    or collapse, which would make a numeric comparison meaningless.
    """
    if not np.all(np.isfinite(y)):
        raise ValueError("output contains NaN or Inf")
    peak = float(np.max(np.abs(y)))
    if not 1e-3 < peak < 1e4:
        raise ValueError(f"output magnitude {peak:g} out of the sane range (1e-3, 1e4)")
    if float(np.min(np.std(y, axis=1))) < 1e-3 * peak:
        raise ValueError("output is (almost) constant along the class axis")
    if y.shape[0] > 1 and np.allclose(y[0], y[1:], rtol=1e-3, atol=1e-3 * peak):
        raise ValueError("all batch rows give the same output")


def main(argv=None):
    p = argparse.ArgumentParser(description="Generate seeded torchvision ResNet ONNX models.")
    p.add_argument("out_dir")
    p.add_argument("--models", nargs="+", default=["resnet18", "resnet50"],
                   choices=sorted(ARCHITECTURES))
    p.add_argument("--bn", nargs="+", default=list(BN_VARIANTS), choices=BN_VARIANTS)
    p.add_argument("--opsets", nargs="+", type=int, default=[11, 13], choices=OPSETS)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--image-size", type=int, default=DEFAULT_IMAGE_SIZE)
    p.add_argument("--force", action="store_true", help="regenerate files that already exist")
    p.add_argument("--check", action="store_true",
                   help="run each model in onnxruntime on a batch of 4 and sanity-check the output")
    p.add_argument("--threads", type=int, default=2, help="onnxruntime threads for --check")
    args = p.parse_args(argv)

    failed = False
    for arch in args.models:
        for bn in args.bn:
            for opset in args.opsets:
                t0 = time.time()
                path = generate(arch, bn, opset, args.out_dir, args.seed, args.force,
                                args.image_size)
                dt = time.time() - t0
                ops = ", ".join(f"{op} {n}" for op, n in sorted(op_counts(path).items()))
                print(f"{os.path.basename(path)}: {os.path.getsize(path) / 1e6:.1f} MB, "
                      f"{dt:.1f} s; ops: {ops}", flush=True)
                if args.check:
                    x = make_input((4, 3, args.image_size, args.image_size), args.seed)
                    t0 = time.time()
                    y = run_ort(path, x, args.threads)
                    try:
                        check_output(y)
                        verdict = "ok"
                    except ValueError as e:
                        verdict, failed = f"BAD: {e}", True
                    print(f"    ORT {time.time() - t0:.2f} s, output {list(y.shape)}, "
                          f"max|y| {np.max(np.abs(y)):.3g}, std {np.std(y):.3g}, "
                          f"argmax {y.argmax(1).tolist()}: {verdict}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())


def host_has_avx512():
    """Whether this CPU has the AVX-512 subsets resnetc's avx512 target uses."""
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((line for line in f if line.startswith("flags")), "").split()
    except OSError:
        return False
    return all(f in flags for f in ("avx512f", "avx512bw", "avx512dq", "avx512vl"))
