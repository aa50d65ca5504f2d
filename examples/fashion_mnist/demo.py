"""The resnetc demo: compile the trained Fashion-MNIST model, build a C
program against the generated library, classify all 10,000 test images, and
compare accuracy and speed with onnxruntime on the same images.

    python examples/fashion_mnist/demo.py [--build build] [--threads 2] [--batch 100]

Needs a built resnetc (``--build``: the CMake build folder) and Debian's
dataset-fashion-mnist. Everything generated goes to BUILD/demo.
"""

import argparse
import gzip
import os
import shutil
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import fmnist_data  # noqa: E402


def run(cmd, **kwargs):
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kwargs)


def onnxruntime_classify(model, images, batch, threads):
    """Top-1 predictions and images/s of onnxruntime (default optimisations,
    `threads` intra-op threads), batch by batch like the C program."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    predicted = np.empty(len(images), dtype=np.int64)
    start = time.perf_counter()
    for first in range(0, len(images), batch):
        logits = session.run(None, {name: images[first:first + batch]})[0]
        predicted[first:first + batch] = logits.argmax(axis=1)
    return predicted, len(images) / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default=os.path.join(REPO, "build"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()

    build = os.path.abspath(args.build)
    resnetc = os.path.join(build, "bin", "resnetc")
    runtime = os.path.join(build, "lib", "libresnetc_runtime.a")
    model = os.path.join(HERE, "fmnist_resnet.onnx")
    work = os.path.join(build, "demo")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)

    # 1. Compile the ONNX model into fmnist.h + libfmnist.a.
    start = time.perf_counter()
    run([resnetc, "compile", model, "-o", os.path.join(work, "lib"), "--name", "fmnist",
         "--batch", str(args.batch)])
    compile_seconds = time.perf_counter() - start

    # 2. Build the C program against it: no ONNX, MLIR, Halide or protobuf.
    program = os.path.join(work, "classify")
    run([os.environ.get("CC", "cc"), "-O2", "-std=c99", "-Wall", "-Wextra", "-Werror",
         "-I", os.path.join(work, "lib"), os.path.join(HERE, "classify.c"),
         os.path.join(work, "lib", "libfmnist.a"), runtime, "-lpthread", "-ldl", "-lm",
         "-o", program])

    # 3. Classify the 10,000 test images in C (the IDX files uncompressed).
    paths = []
    for kind in ("images-idx3", "labels-idx1"):
        src = os.path.join(fmnist_data.DEFAULT_DIR, f"t10k-{kind}-ubyte.gz")
        dst = os.path.join(work, f"t10k-{kind}-ubyte")
        with gzip.open(src, "rb") as f, open(dst, "wb") as out:
            shutil.copyfileobj(f, out)
        paths.append(dst)
    predictions_file = os.path.join(work, "predictions.bin")
    out = subprocess.run([program, *paths, str(args.threads), predictions_file],
                         check=True, capture_output=True, text=True).stdout
    print(out, end="")
    ours = np.fromfile(predictions_file, dtype=np.uint8).astype(np.int64)
    ours_rate = float(out.split(" images/s")[0].rsplit(" ", 1)[1])

    # 4. The same images through onnxruntime.
    images, labels = fmnist_data.load_split("test")
    theirs, theirs_rate = onnxruntime_classify(model, images, args.batch, args.threads)

    agree = float((ours == theirs).mean())
    print()
    print(f"Fashion-MNIST test set, {len(labels)} images, batch {args.batch}, "
          f"{args.threads} threads")
    print(f"{'':14} {'accuracy':>9} {'images/s':>10}")
    print(f"{'resnetc':14} {100 * (ours == labels).mean():8.2f}% {ours_rate:10.0f}")
    print(f"{'onnxruntime':14} {100 * (theirs == labels).mean():8.2f}% {theirs_rate:10.0f}")
    print(f"top-1 predictions identical on {100 * agree:.2f}% of the images; "
          f"resnetc compile took {compile_seconds:.1f} s")
    return 0 if agree >= 0.999 else 1


if __name__ == "__main__":
    sys.exit(main())
