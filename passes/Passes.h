//===- Passes.h - target-dependent planning passes --------------*- C++ -*-===//
//
// Declares the passes of Passes.td: createAssignLayout(), createConvTiling(),
// createPlanArena() (with their *Options structs) and
// registerResnetcPlanningPasses(); plus the tiling cost model, usable
// without a pass.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "dialects/resnetc/IR/ResnetcDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <cstdint>
#include <memory>

namespace resnetc {

#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"

/// The target resources the tiling cost model reads (see ConvTiling.cpp for
/// how each one is used). The first five are the pass options; the rest
/// describe the FMA pipeline and the heuristics' knobs and have defaults
/// that fit current x86 cores (AVX2 and AVX-512).
struct ConvTilingModel {
  int64_t block = 8;            // floats per vector register
  int64_t vectorRegisters = 16; // architectural vector registers
  int64_t l1KiB = 32;
  int64_t l2KiB = 1024;
  int64_t threads = 2;

  /// Output-channel blocks per register tile preferred among equally
  /// scored tiles (two weight vectors per broadcast balance loads and FMAs).
  int64_t preferredOcBlocks = 2;
  /// Largest number of output-channel blocks per tile considered. The score
  /// does not see what large counts cost (a task's weights grow, tasks get
  /// fewer); measured kernels used 2 or 3.
  int64_t maxOcBlocks = 3;
  /// Registers a reduction step needs besides accumulators and weight
  /// vectors (the broadcast input value).
  int64_t scratchRegisters = 1;
  /// Independent accumulators needed to keep the FMA units busy
  /// (FMA latency x FMA issue ports, plus slack for loads): 10 on Zen 3 /
  /// Skylake-class cores (4-cycle FMA, 2 ports). Fewer accumulators scale
  /// the estimated throughput down proportionally.
  int64_t saturatingAccumulators = 10;
  /// Vector loads (weights + broadcasts) the core issues per FMA it issues.
  double loadsPerFma = 1.0;
  /// Share of the accumulator budget a stem (input in "nchw") uses: its
  /// kernel-column loop is unrolled around the tile (measured: 2 x 4 pixels
  /// at B=8 on Zen 3, 2 x 8 at B=16 on Sapphire Rapids).
  double stemAccumulatorFraction = 0.65;
  /// Fraction of L2 one reduction step's weights and input may occupy.
  double l2Fraction = 0.5;
  /// Parallel tasks wanted per thread (load balance vs. per-task overhead).
  int64_t tasksPerThread = 4;
};

/// The geometry of one convolution, as the cost model sees it.
struct ConvShape {
  int64_t batch = 1, inChannels = 0, inHeight = 0, inWidth = 0;
  int64_t outChannels = 0, outHeight = 0, outWidth = 0;
  int64_t kernelH = 1, kernelW = 1, strideH = 1, strideW = 1;
  int64_t dilationH = 1, dilationW = 1;
  int64_t padTop = 0, padLeft = 0, padBottom = 0, padRight = 0;
  int64_t group = 1;
  /// The input is in "nchw" (else blocked). With fewer than B input
  /// channels and group 1 this is a stem conv.
  bool nchwInput = false;

  static ConvShape of(FusedConvOp conv);
};

/// The cost model's decision for `shape` (what resnetc-conv-tiling records).
ConvTilingAttr chooseConvTiling(mlir::MLIRContext *context,
                                const ConvShape &shape,
                                const ConvTilingModel &model);

} // namespace resnetc
