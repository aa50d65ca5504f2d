#!/usr/bin/env python3
"""Latency of resnetc-compiled ResNets vs onnxruntime, in one process.

For each model (default resnet18 and resnet50, BN folded, opset 13, batch 1 --
generated with seeded weights by test/models/modelgen.py) this script

1. compiles it with ``resnetc compile`` (timed) and loads the library through
   test/models/resnetc_lib.py, checking its output against onnxruntime with
   graph optimisations off (the tests' oracle);
2. creates onnxruntime sessions as the speed baseline: graph optimisations ON
   (ORT's default), ``intra_op_num_threads`` = the thread count under test,
   ``inter_op_num_threads`` = 1;
3. after warm-up, times N single inferences of each engine at each thread
   count, alternating between the engines in blocks of runs (order reversed
   every round, a pause before each block so neither engine's spinning
   worker threads disturb the other) so that drifting machine load hits both
   engines alike; thread counts go in increasing order (see bench_model), and
   the CPU time of each run is recorded to check the thread count is honoured;
4. prints the median latencies, their ratio, and the fraction of the FMA peak
   each engine reaches: model FLOPs (2 x multiply-adds of every Conv and
   Gemm/MatMul, from ONNX shape inference at the benchmark's batch) / time /
   (peak per thread x threads).

The peak must be *measured* on the machine the benchmark runs on: pass
``--peak-gflops-per-thread`` (alias ``--peak-gflops``) or let the script
compile and run a small C loop of independent FMAs on one thread, with 256-bit
vectors (AVX2+FMA) and, when the CPU has AVX-512, with 512-bit vectors; the
larger figure is the machine's peak.  Both are printed: on an AVX-512 machine
onnxruntime uses 512-bit kernels, so code limited to AVX2 can reach at most
about half of the peak there.
Shared machines are noisy: compare engines within one run, as ratios.

Usage:
    RESNETC_BIN=.../resnetc RESNETC_RUNTIME_LIB=.../libresnetc_runtime.a \\
        .venv/bin/python bench/bench_resnet.py [--iters 30] [--json out.json]
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "test", "models"))
import modelgen  # noqa: E402
import resnetc_lib  # noqa: E402

# ---------------------------------------------------------------------------
# FLOP counting


def count_flops(onnx_path, batch):
    """FLOPs (2 per multiply-add) of all Conv, Gemm and MatMul nodes at ``batch``.

    Element-wise ops, pooling and BatchNormalization are not counted: they are
    a fraction of a percent of a ResNet's work and do not use FMAs.
    """
    import onnx
    from onnx import shape_inference

    model = onnx.load(onnx_path)
    graph = model.graph
    init_names = {t.name for t in graph.initializer}
    for inp in graph.input:
        if inp.name not in init_names:
            dim0 = inp.type.tensor_type.shape.dim[0]
            dim0.Clear()
            dim0.dim_value = batch
    shapes = {t.name: list(t.dims) for t in graph.initializer}
    for inp in graph.input:
        shapes.setdefault(inp.name, _dims(inp))
    inferred = shape_inference.infer_shapes(model)
    for vi in list(inferred.graph.value_info) + list(inferred.graph.output):
        shapes[vi.name] = _dims(vi)

    def shape(name):
        s = shapes.get(name)
        if s is None or any(d is None for d in s):
            raise ValueError(f"{onnx_path}: shape of {name!r} unknown after shape inference")
        return s

    flops = 0
    for node in graph.node:
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        if node.op_type == "Conv":
            out = shape(node.output[0])                  # [N, M, *spatial]
            weight = shape(node.input[1])                # [M, C/group, *kernel]
            flops += 2 * int(np.prod(out)) * int(np.prod(weight[1:]))
        elif node.op_type == "Gemm":
            a = shape(node.input[0])
            k = a[0] if attrs.get("transA", 0) else a[1]
            flops += 2 * int(np.prod(shape(node.output[0]))) * k
        elif node.op_type == "MatMul":
            flops += 2 * int(np.prod(shape(node.output[0]))) * shape(node.input[0])[-1]
    return flops


def _dims(value_info):
    return [d.dim_value if d.HasField("dim_value") else None
            for d in value_info.type.tensor_type.shape.dim]


# ---------------------------------------------------------------------------
# FMA peak probe

_FMA_PROBE = r"""
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
/* LANES floats per vector; ACC independent accumulator chains hide the FMA
 * latency (latency x FMA ports <= 16 on current x86 cores). */
typedef float vec __attribute__((vector_size(LANES * 4)));
#define ACC 16
int main(int argc, char **argv) {
    long iters = atol(argv[1]);
    vec acc[ACC], a, b;
    for (int i = 0; i < LANES; ++i) { a[i] = 1.0f - 1e-7f * i; b[i] = 1e-7f; }
    for (int k = 0; k < ACC; ++k) for (int i = 0; i < LANES; ++i) acc[k][i] = (float)k;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long n = 0; n < iters; ++n) {
#pragma GCC unroll 16
        for (int k = 0; k < ACC; ++k) acc[k] = acc[k] * a + b;   /* one FMA each */
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    float sink = 0;
    for (int k = 0; k < ACC; ++k) for (int i = 0; i < LANES; ++i) sink += acc[k][i];
    double s = (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec);
    printf("%.6f %g\n", 2.0 * ACC * LANES * iters / s / 1e9, sink);
    return 0;
}
"""


def measure_fma_peak(vector_bits=256, seconds=0.3, repeats=3, cc=None):
    """Single-thread FMA peak in GFLOP/s with ``vector_bits``-wide vectors; None if unavailable."""
    cc = cc or os.environ.get("CC", "cc")
    isa = {256: ["-mavx2", "-mfma"], 512: ["-mavx512f", "-mfma"]}[vector_bits]
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = os.path.join(tmp, "fma.c"), os.path.join(tmp, "fma")
        with open(src, "w") as f:
            f.write(_FMA_PROBE)
        build = subprocess.run([cc, "-O2", "-ffp-contract=fast", *isa,
                                f"-DLANES={vector_bits // 32}", src, "-o", exe],
                               capture_output=True, text=True)
        if build.returncode != 0:
            return None
        iters = 1_000_000
        best = 0.0
        try:
            for _ in range(repeats + 1):  # the first run only sizes the loop
                out = subprocess.run([exe, str(iters)], capture_output=True, text=True,
                                     check=True).stdout
                gflops = float(out.split()[0])
                best = max(best, gflops)
                flops_per_iter = 2 * 16 * (vector_bits // 32)
                iters = max(iters, int(seconds * gflops * 1e9 / flops_per_iter))
        except (subprocess.CalledProcessError, OSError):  # e.g. illegal instruction
            return None
        return best


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


# ---------------------------------------------------------------------------
# Benchmark


def bench_model(arch, args, peak_per_thread):
    onnx_path = modelgen.generate(arch, args.bn, args.opset, os.path.join(args.workdir, "models"))
    x = modelgen.make_input((args.batch, 3, 224, 224), seed=0)
    flops = count_flops(onnx_path, args.batch)
    record = {"model": arch, "target": args.target, "bn": args.bn, "opset": args.opset, "batch": args.batch,
              "gflop": flops / 1e9, "onnx_bytes": os.path.getsize(onnx_path)}

    runners = {}  # (engine, threads) -> zero-argument callable running one inference
    lib = None
    if not args.skip_resnetc:
        out_dir = os.path.join(args.workdir, "bench_libs", f"{arch}_b{args.batch}")
        lib = resnetc_lib.compile_and_load(args.resnetc, args.runtime_lib, onnx_path, out_dir,
                                           f"bench_{arch}", batch=args.batch,
                                           extra_args=["--target", args.target])
        record["compile_s"] = lib.compile_seconds
        record["library_bytes"] = lib.library_bytes
        # Before the first run: the thread pool must not grow beyond the
        # smallest count to be measured (see the note on thread order below).
        lib.set_num_threads(min(args.threads))
        ref = modelgen.run_ort(onnx_path, x, intra_op_num_threads=max(args.threads))
        got = lib.run(x).reshape(ref.shape)
        record["err_ratio"] = float(np.max(np.abs(got - ref)) / np.max(np.abs(ref)))
        out = np.empty(lib.output_size, dtype=np.float32)
        for t in args.threads:
            def run_resnetc(t=t):
                lib.set_num_threads(t)
                lib.run(x, out)
            runners[("resnetc", t)] = run_resnetc
    for t in args.threads:
        sess = modelgen.ort_session(onnx_path, intra_op_num_threads=t, optimize=True)
        feed = {sess.get_inputs()[0].name: x}
        runners[("ort", t)] = lambda sess=sess, feed=feed: sess.run(None, feed)

    # Engines alternate in blocks of `--block` runs, separated by `--gap-ms`:
    # drifting machine load hits both alike, and the pause lets the other
    # engine's worker threads (both spin briefly after a run) go idle, so a
    # run is never timed while the other engine's threads still compete for
    # the cores. Thread counts go in increasing order; the CPU time of every
    # run is recorded to catch over-subscription (see "cpu/wall").
    samples = {key: [] for key in runners}
    cpu_samples = {key: [] for key in runners}
    gap = args.gap_ms / 1e3
    for t in sorted(set(args.threads)):
        keys = [key for key in runners if key[1] == t]
        for key in keys:
            for _ in range(args.warmup):
                runners[key]()
        blocks = max(1, args.iters // args.block)
        for b in range(blocks):
            for key in (keys if b % 2 == 0 else keys[::-1]):
                time.sleep(gap)
                for _ in range(args.block):
                    c0, t0 = time.process_time(), time.perf_counter()
                    runners[key]()
                    t1, c1 = time.perf_counter(), time.process_time()
                    samples[key].append((t1 - t0) * 1e3)
                    cpu_samples[key].append((c1 - c0) * 1e3)
    if lib is not None:
        lib.close()

    record["results"] = []
    for t in args.threads:
        row = {"threads": t}
        for engine in ("resnetc", "ort"):
            if (engine, t) not in samples:
                continue
            ms = statistics.median(samples[(engine, t)])
            row[f"{engine}_ms"] = ms
            row[f"{engine}_samples_ms"] = samples[(engine, t)]
            # Average number of busy cores during a run (process CPU time / wall time).
            row[f"{engine}_cpu_per_wall"] = (sum(cpu_samples[(engine, t)])
                                             / sum(samples[(engine, t)]))
            if peak_per_thread:
                row[f"{engine}_peak_pct"] = 100.0 * flops / (ms * 1e-3) / (peak_per_thread * 1e9 * t)
        if "resnetc_ms" in row:
            row["ratio"] = row["resnetc_ms"] / row["ort_ms"]
        record["results"].append(row)
    return record


def print_report(machine, records):
    peak = machine["peak_gflops_per_thread"]
    print(f"\nCPU: {machine['cpu']}; FMA peak per thread: "
          + (f"{peak:.1f} GFLOP/s ({machine['peak_source']})" if peak else "unknown"))
    if machine.get("peak256_gflops_per_thread") and machine.get("peak512_gflops_per_thread"):
        print(f"     (256-bit FMA: {machine['peak256_gflops_per_thread']:.1f} GFLOP/s, "
              f"512-bit FMA: {machine['peak512_gflops_per_thread']:.1f} GFLOP/s per thread)")
    for r in records:
        extra = ""
        if "compile_s" in r:
            extra = (f", resnetc compile {r['compile_s']:.1f} s, lib{'bench_' + r['model']}.a "
                     f"{r['library_bytes'] / 1e6:.1f} MB, max|diff|/max|ref| vs ORT "
                     f"{r['err_ratio']:.1e}")
        print(f"{r['model']}: {r['gflop']:.2f} GFLOP per inference at batch {r['batch']}{extra}")
    header = (f"{'model':<10} {'threads':>7} {'resnetc ms':>11} {'ORT ms':>8} "
              f"{'ratio':>6} {'resnetc %peak':>14} {'ORT %peak':>10} {'cpu/wall':>10}")
    print("\n" + header + "\n" + "-" * len(header))

    def fmt(value, spec):
        return format(value, spec) if value is not None else "n/a"

    for r in records:
        for row in r["results"]:
            print(f"{r['model']:<10} {row['threads']:>7} "
                  f"{fmt(row.get('resnetc_ms'), '.2f'):>11} {fmt(row.get('ort_ms'), '.2f'):>8} "
                  f"{fmt(row.get('ratio'), '.2f'):>6} "
                  f"{fmt(row.get('resnetc_peak_pct'), '.1f'):>14} "
                  f"{fmt(row.get('ort_peak_pct'), '.1f'):>10} "
                  f"{fmt(row.get('resnetc_cpu_per_wall'), '.2f'):>4}/"
                  f"{fmt(row.get('ort_cpu_per_wall'), '.2f'):<5}")
    print("ratio = resnetc / ORT (lower is better for resnetc); medians over the timed runs;\n"
          "cpu/wall = busy cores during a run, resnetc/ORT (process CPU time / wall time)")
    for r in records:
        for row in r["results"]:
            for engine in ("resnetc", "ort"):
                busy = row.get(f"{engine}_cpu_per_wall")
                if busy is not None and busy > row["threads"] + 0.25:
                    print(f"WARNING: {r['model']} {engine} at {row['threads']} thread(s) kept "
                          f"{busy:.2f} cores busy: it does not honour the thread count")


def main(argv=None):
    p = argparse.ArgumentParser(description="resnetc vs onnxruntime latency on ResNets.")
    p.add_argument("--resnetc", default=os.environ.get("RESNETC_BIN"),
                   help="resnetc executable (default: $RESNETC_BIN)")
    p.add_argument("--runtime-lib", default=os.environ.get("RESNETC_RUNTIME_LIB"),
                   help="libresnetc_runtime.a (default: $RESNETC_RUNTIME_LIB)")
    p.add_argument("--workdir", default=os.environ.get(
                       "RESNETC_BENCH_WORKDIR", os.path.join(tempfile.gettempdir(), "resnetc-bench")),
                   help="models are cached in WORKDIR/models (same layout as the tests' workdir)")
    p.add_argument("--models", nargs="+", default=["resnet18", "resnet50"],
                   choices=sorted(modelgen.ARCHITECTURES))
    p.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--target", default="host", choices=["host", "avx2", "avx512"],
                   help="resnetc's --target (onnxruntime always uses the best ISA it finds)")
    p.add_argument("--bn", default="folded", choices=modelgen.BN_VARIANTS)
    p.add_argument("--opset", type=int, default=13, choices=modelgen.OPSETS)
    p.add_argument("--iters", type=int, default=30, help="timed runs per configuration")
    p.add_argument("--block", type=int, default=5,
                   help="consecutive runs of one engine before switching to the other")
    p.add_argument("--warmup", type=int, default=3, help="untimed runs per configuration")
    p.add_argument("--gap-ms", type=float, default=50.0,
                   help="pause before each block, so the other engine's threads settle")
    p.add_argument("--peak-gflops-per-thread", "--peak-gflops", type=float, dest="peak",
                   help="measured single-thread FMA peak in GFLOP/s (default: run the C probe)")
    p.add_argument("--skip-resnetc", action="store_true",
                   help="time onnxruntime only (for checking the setup without a compiler)")
    p.add_argument("--json", metavar="PATH", help="also write all results, with samples, as JSON")
    args = p.parse_args(argv)

    if not args.skip_resnetc and not (args.resnetc and args.runtime_lib):
        p.error("need --resnetc and --runtime-lib (or RESNETC_BIN and RESNETC_RUNTIME_LIB), "
                "or --skip-resnetc")

    machine = {"cpu": cpu_name(), "cores": os.cpu_count(), "platform": platform.platform()}
    if args.peak:
        machine.update(peak_gflops_per_thread=args.peak, peak_source="given")
    else:
        machine["peak256_gflops_per_thread"] = measure_fma_peak(256)
        widest = 256
        if "avx512f" in cpu_flags():
            machine["peak512_gflops_per_thread"] = measure_fma_peak(512)
            widest = 512
        peaks = [v for v in (machine.get("peak256_gflops_per_thread"),
                             machine.get("peak512_gflops_per_thread")) if v]
        machine.update(peak_gflops_per_thread=max(peaks) if peaks else None,
                       peak_source=f"measured, FMA loop up to {widest}-bit vectors, 1 thread")

    records = []
    for arch in args.models:
        print(f"benchmarking {arch} ...", flush=True)
        records.append(bench_model(arch, args, machine["peak_gflops_per_thread"]))
    print_report(machine, records)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": machine, "config": vars(args), "models": records}, f, indent=2)
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
