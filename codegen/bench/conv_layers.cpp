//===- conv_layers.cpp - Single-thread GFLOP/s of ResNet-50 conv layers ---===//
//
// Usage:
//   resnetc-conv-bench [avx2|avx512|host] [threads]
//       times the default tiling of each layer
//   resnetc-conv-bench TARGET THREADS LAYER OC W H ROWS STEP FLAT [...]
//       times the given tilings (groups of 6 numbers) of layer LAYER (index
//       into the table below), for tuning.
// Prints GFLOP/s and % of a measured FMA peak (same ISA, one thread).
//===----------------------------------------------------------------------===//

#include "Harness.h"

#include <chrono>
#include <cstdlib>
#include <immintrin.h>
#include <random>

using namespace resnetc::codegen;
using namespace resnetc::codegen::harness;

namespace {

double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// 12 independent FMA chains cover latency x ports on both ISAs. The machine
// is shared and noisy: take the best of several runs.
__attribute__((target("avx2,fma"))) double peakAvx2Once() {
  __m256 acc[12];
  for (int i = 0; i < 12; ++i)
    acc[i] = _mm256_set1_ps(float(i));
  const __m256 a = _mm256_set1_ps(0.999f), b = _mm256_set1_ps(0.001f);
  const long iters = 5000000;
  double t0 = now();
  for (long k = 0; k < iters; ++k)
#pragma GCC unroll 12
    for (int i = 0; i < 12; ++i)
      acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  double t = now() - t0;
  float sink = 0;
  for (int i = 0; i < 12; ++i)
    sink += acc[i][0];
  if (sink == 12345.0f)
    std::printf(" ");
  return iters * 12.0 * 16 / t / 1e9;
}

__attribute__((target("avx512f"))) double peakAvx512Once() {
  __m512 acc[12];
  for (int i = 0; i < 12; ++i)
    acc[i] = _mm512_set1_ps(float(i));
  const __m512 a = _mm512_set1_ps(0.999f), b = _mm512_set1_ps(0.001f);
  const long iters = 5000000;
  double t0 = now();
  for (long k = 0; k < iters; ++k)
#pragma GCC unroll 12
    for (int i = 0; i < 12; ++i)
      acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  double t = now() - t0;
  float sink = 0;
  for (int i = 0; i < 12; ++i)
    sink += acc[i][0];
  if (sink == 12345.0f)
    std::printf(" ");
  return iters * 12.0 * 32 / t / 1e9;
}

double peak(int block) {
  double best = 0;
  for (int i = 0; i < 7; ++i)
    best = std::max(best, block == 16 ? peakAvx512Once() : peakAvx2Once());
  return best;
}

struct Layer {
  const char *name;
  ConvSpec spec;
};

ConvSpec make(int cin, int h, int cout, int k, int s, int p, bool nchw) {
  ConvSpec c;
  c.cin = cin;
  c.hin = c.win = h;
  c.cout = cout;
  c.kh = c.kw = k;
  c.strideH = c.strideW = s;
  c.padTop = c.padLeft = p;
  c.hout = c.wout = (h + 2 * p - k) / s + 1;
  c.inLayout = nchw ? Layout::NCHW : Layout::Blocked;
  c.act.kind = Activation::Relu;
  return c;
}

ConvSpec grouped(ConvSpec c, int g) {
  c.group = g;
  return c;
}

std::vector<Layer> layers() {
  return {{"3x3 64->64 56x56", make(64, 56, 64, 3, 1, 1, false)},
          {"1x1 256->64 56x56", make(256, 56, 64, 1, 1, 0, false)},
          {"3x3 256->256 14x14", make(256, 14, 256, 3, 1, 1, false)},
          {"1x1 1024->256 14x14", make(1024, 14, 256, 1, 1, 0, false)},
          {"7x7/2 stem 3->64 224", make(3, 224, 64, 7, 2, 3, true)},
          {"1x1 64->256 56x56", make(64, 56, 256, 1, 1, 0, false)},
          {"3x3 128->128 28x28", make(128, 28, 128, 3, 1, 1, false)},
          {"3x3 512->512 7x7", make(512, 7, 512, 3, 1, 1, false)},
          {"1x1 2048->512 7x7", make(2048, 7, 512, 1, 1, 0, false)},
          {"3x3 g32 128->128 56", grouped(make(128, 56, 128, 3, 1, 1, false), 32)},
          {"1x1/2 256->512 56 (downsample)", make(256, 56, 512, 1, 2, 0, false)},
          {"3x3/2 128->128 56", make(128, 56, 128, 3, 2, 1, false)}};
}

/// Best tilings measured on this machine (Sapphire Rapids, 1 thread), as a
/// starting point for the MLIR tiling cost model.
ConvTiling defaultTiling(const ConvSpec &s, int B) {
  ConvTiling t;
  bool pointwise = s.kh == 1 && s.kw == 1 && s.strideH == 1 && s.padTop == 0;
  bool small = s.wout <= 7;
  t.flattenPixels = pointwise;
  t.tileH = 1;
  t.tileOcBlocks = 2;
  t.rowsPerTask = 2;
  if (s.inLayout == Layout::NCHW) {
    t.tileW = B == 8 ? 5 : 8;
  } else if (pointwise) {
    t.tileW = B == 8 ? 6 : 14;
    t.rowsPerTask = B == 8 && !small ? 1 : 2;
  } else if (small) {
    t.tileOcBlocks = 3;
    t.tileW = B == 8 ? 4 : 7;
    t.rowsPerTask = 1;
  } else {
    t.tileW = B == 8 ? 3 : 7;
    t.tileH = 2;
    t.rowsPerTask = B == 8 ? 4 : 2;
  }
  return t;
}

double flops(const ConvSpec &s) {
  return 2.0 * s.n * s.cout * s.hout * s.wout * (s.cin / s.group) * s.kh * s.kw;
}

} // namespace

int main(int argc, char **argv) {
  std::string tname = argc > 1 ? argv[1] : "host";
  int threads = argc > 2 ? std::atoi(argv[2]) : 1;
  Target t;
  std::string err;
  if (!resolveTarget(tname, t, err)) {
    std::fprintf(stderr, "%s\n", err.c_str());
    return 1;
  }
  double pk = peak(t.block);
  std::printf("target %s (B=%d), FMA peak 1 thread: %.1f GFLOP/s\n",
              t.halideTarget.c_str(), t.block, pk);

  std::vector<Layer> all = layers(), todo;
  if (argc > 3) {
    int li = std::atoi(argv[3]);
    for (int i = 4; i + 5 < argc; i += 6) {
      Layer l = all[li];
      ConvTiling &ti = l.spec.tiling;
      ti.tileOcBlocks = std::atoi(argv[i]);
      ti.tileW = std::atoi(argv[i + 1]);
      ti.tileH = std::atoi(argv[i + 2]);
      ti.rowsPerTask = std::atoi(argv[i + 3]);
      ti.icBlocksPerStep = std::atoi(argv[i + 4]);
      ti.flattenPixels = std::atoi(argv[i + 5]) != 0;
      todo.push_back(l);
    }
  } else {
    for (auto &l : all) {
      l.spec.tiling = defaultTiling(l.spec, t.block);
      todo.push_back(l);
    }
  }

  KernelLibrary lib(t, "bench");
  std::vector<const KernelInfo *> infos;
  for (auto &l : todo)
    infos.push_back(&lib.conv(l.spec));
  Loaded L;
  double c0 = now();
  if (!compileAndLoad(lib, t, 2, L, err)) {
    std::fprintf(stderr, "%s\n", err.c_str());
    return 1;
  }
  std::printf("compiled %zu kernels in %.2f s (2 compile threads)\n", lib.size(),
              now() - c0);
  L.setThreads(threads);

  std::mt19937 rng(1);
  std::uniform_real_distribution<float> d(-1, 1);
  for (size_t li = 0; li < todo.size(); ++li) {
    const KernelInfo &info = *infos[li];
    std::vector<std::vector<float>> bufs;
    std::vector<float *> ptrs;
    for (auto &a : info.args) {
      bufs.emplace_back(size_t(elements(a)));
      for (auto &v : bufs.back())
        v = d(rng);
    }
    for (auto &b : bufs)
      ptrs.push_back(b.data());
    call(L, info, ptrs);
    double best = 1e30, localPeak = 0;
    for (int rep = 0; rep < 7; ++rep) {
      // Interleaved with the kernel: the machine is shared and noisy.
      localPeak = std::max(localPeak, t.block == 16 ? peakAvx512Once()
                                                    : peakAvx2Once());
      int iters = 0;
      double t0 = now(), el;
      do {
        call(L, info, ptrs);
        ++iters;
        el = now() - t0;
      } while (el < 0.06);
      best = std::min(best, el / iters);
    }
    const ConvTiling &ti = todo[li].spec.tiling;
    double gf = flops(todo[li].spec) / best / 1e9;
    std::printf("%-22s tile oc%d w%d h%d rows%d step%d flat%d: %8.3f ms %7.1f "
                "GFLOP/s %5.1f %% of %d-thread peak (%.0f)\n",
                todo[li].name, ti.tileOcBlocks, ti.tileW, ti.tileH,
                ti.rowsPerTask, ti.icBlocksPerStep, int(ti.flattenPixels),
                best * 1e3, gf, 100 * gf / (localPeak * threads), threads,
                localPeak * threads);
  }
  removeDir(L.dir);
  return 0;
}
