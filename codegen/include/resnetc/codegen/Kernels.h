//===- Kernels.h - Halide kernel generation for resnetc ------------------===//
//
// The boundary between the MLIR side of resnetc and Halide. The compiler
// describes every fused operation as a plain struct (shapes, attributes and
// the schedule chosen by the tiling pass); this library turns each distinct
// description into one Halide pipeline, compiles it to object code and says
// how the generated function's buffer arguments are laid out.
//
// Nothing here includes MLIR or Halide headers, so the two (which are built
// on different LLVM versions) meet only through these structs. No function
// throws: errors come back as `false` plus a message.
//
// Memory layouts (Halide dimension order, innermost first, dense strides):
//   Blocked  logical (N, C, H, W), channel block B:  [c%B, x, y, c/B, n],
//            channels zero-padded up to a multiple of B ("NCHW{B}c").
//   NCHW     logical (N, C, H, W):                   [x, y, c, n].
//   Matrix   logical (M, K), row-major:              [k, m].
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace resnetc::codegen {

/// What the generated code may use. Both fields come from the same choice
/// (--target), so the compiler's layout pass and the kernels agree on B.
struct Target {
  /// Halide target string, e.g. "x86-64-linux-avx-avx2-f16c-fma-sse41".
  std::string halideTarget;
  /// Channel block = floats per vector register (8 for AVX2, 16 for AVX-512).
  int block = 8;
};

enum class Layout { Blocked, NCHW, Matrix };

/// Elementwise function applied last, on the accumulators.
struct Activation {
  enum Kind { None, Relu, Clip } kind = None;
  float lo = 0.0f, hi = 0.0f; // Clip bounds
};

/// How a convolution is computed; chosen by the MLIR tiling pass from a cost
/// model, obeyed by the schedule. Register tile = tileOcBlocks x tileH x tileW
/// accumulator vectors.
struct ConvTiling {
  int tileOcBlocks = 2;       // output-channel blocks per register tile
  int tileW = 6;              // output columns per register tile
  int tileH = 1;              // output rows per register tile
  int icBlocksPerStep = 0;    // reduction split for cache blocking; 0 = none
  int rowsPerTask = 1;        // output rows per parallel task
  bool flattenPixels = false; // treat H*W as one pixel axis (1x1, stride 1)
};

/// Conv + bias + optional residual add + activation. Weights come in ONNX
/// OIHW order (Cout, Cin/group, KH, KW) and are repacked by packConvWeights.
struct ConvSpec {
  int n = 1, cin = 0, hin = 0, win = 0;
  int cout = 0, hout = 0, wout = 0;
  int kh = 1, kw = 1;
  int strideH = 1, strideW = 1;
  int padTop = 0, padLeft = 0; // bottom/right padding follows from hout/wout
  int dilH = 1, dilW = 1;
  int group = 1;
  bool residual = false; // output = act(conv + bias + residual)
  Activation act;
  Layout inLayout = Layout::Blocked; // Blocked or NCHW (e.g. a 3-channel stem)
  ConvTiling tiling;
};

/// Max or average pooling, Blocked in and out. Padded positions are ignored
/// (max: -inf; average: count_include_pad chooses the divisor).
struct PoolSpec {
  enum Kind { Max, Average } kind = Max;
  int n = 1, c = 0, hin = 0, win = 0, hout = 0, wout = 0;
  int kh = 1, kw = 1, strideH = 1, strideW = 1, padTop = 0, padLeft = 0;
  int dilH = 1, dilW = 1;
  bool countIncludePad = false;
};

/// Mean over H and W. Blocked in; out is Matrix (N, C) or Blocked (N, C, 1, 1).
struct GlobalAvgPoolSpec {
  int n = 1, c = 0, h = 0, w = 0;
  Layout outLayout = Layout::Matrix;
};

/// Y = A * B' + C with A (M, K) Matrix, weights B given as (N, K) when
/// transB else (K, N), alpha/beta folded at packing time, C broadcast along
/// M (length N or null).
struct GemmSpec {
  int m = 1, k = 0, nOut = 0;
  Activation act;
};

/// Elementwise over two (or one) buffers of identical shape and layout, seen
/// as flat arrays of `size` floats.
struct EltwiseSpec {
  enum Kind { Add, Unary } kind = Add; // Add: a + b; Unary: act(a)
  int64_t size = 0;
  Activation act; // applied after the add
};

/// Layout conversion of a logical (N, C, H, W) tensor.
struct ReorderSpec {
  int n = 1, c = 0, h = 0, w = 0;
  Layout from = Layout::NCHW, to = Layout::Blocked;
};

/// One buffer argument of a generated function, in call order.
struct ArgDesc {
  enum Role { Input, Weight, Output } role;
  std::string name;
  std::vector<int64_t> extents; // innermost first, dense strides
};

/// A generated function: `int symbol(halide_buffer_t *arg0, ...)`.
struct KernelInfo {
  std::string symbol;
  std::vector<ArgDesc> args;
};

/// Collects the kernels of one model. Identical specs (same shapes,
/// attributes and tiling) map to the same generated function.
class KernelLibrary {
public:
  /// `symbolPrefix` keeps two models' kernels apart when linked together.
  KernelLibrary(Target target, std::string symbolPrefix);
  ~KernelLibrary();

  const KernelInfo &conv(const ConvSpec &spec);
  const KernelInfo &pool(const PoolSpec &spec);
  const KernelInfo &globalAvgPool(const GlobalAvgPoolSpec &spec);
  const KernelInfo &gemm(const GemmSpec &spec);
  const KernelInfo &eltwise(const EltwiseSpec &spec);
  const KernelInfo &reorder(const ReorderSpec &spec);

  /// Number of distinct kernels requested so far.
  size_t size() const;

  /// Compiles every kernel to an object file under `dir` (uses up to
  /// `threads` threads). Appends the paths to `objects`.
  bool emitObjects(const std::string &dir, int threads,
                   std::vector<std::string> &objects, std::string &error);

private:
  struct Impl;
  Impl *impl;
};

/// Weight packing (run at compile time; the packed arrays go into the model's
/// weight blob). Shapes match the Weight args of the corresponding kernel.
std::vector<float> packConvWeights(const Target &t, const ConvSpec &spec,
                                   const float *oihw);
std::vector<float> packConvBias(const Target &t, const ConvSpec &spec,
                                const float *bias /* may be null */);
std::vector<float> packGemmWeights(const Target &t, const GemmSpec &spec,
                                   const float *b, bool transB, float alpha);
std::vector<float> packGemmBias(const Target &t, const GemmSpec &spec,
                                const float *c, float beta);

/// Writes Halide's runtime (thread pool, allocator hooks) for `target` as an
/// object file; the kernels are compiled without their own copy.
bool emitHalideRuntime(const Target &target, const std::string &objectPath,
                       std::string &error);

/// The best target for this machine ("host"), or one named explicitly:
/// "avx2" or "avx512".
bool resolveTarget(const std::string &name, Target &out, std::string &error);

} // namespace resnetc::codegen
