//===- Internal.h - Shared declarations of the codegen library ------------===//
//
// Private to codegen/lib: the Halide side of Kernels.h. Algorithms.cpp defines
// what each kernel computes (Funcs), CpuSchedules.cpp decides how (loop
// nests), KernelLibrary.cpp names, deduplicates and compiles them.
//===----------------------------------------------------------------------===//
#pragma once

#include "resnetc/codegen/Kernels.h"

#include <Halide.h>

#include <string>
#include <vector>

namespace resnetc::codegen::detail {

inline int ceilDiv(int a, int b) { return (a + b - 1) / b; }

//===----------------------------------------------------------------------===//
// Shapes shared by argument descriptions, packing and algorithms.
//===----------------------------------------------------------------------===//

/// How a convolution is computed.
enum class ConvPath {
  Dense,     // group 1, or groups aligned to channel blocks (Blocked input)
  Stem,      // group 1 with NCHW input
  Depthwise, // group == cin == cout, Blocked
  Grouped,   // any other grouping (channels gathered per output lane)
};

/// Everything derived from a ConvSpec that more than one file needs.
struct ConvShape {
  int B = 8;
  ConvPath path = ConvPath::Dense;
  int cinB = 0, coutB = 0;   // channel blocks of input / output
  int cinPG = 0, coutPG = 0; // channels per group
  int icbPG = 0;             // input blocks reduced per output block (Dense)
  bool flat = false;         // 1x1 stride 1 unpadded with flattenPixels
  bool needsPadding = false; // some output reads outside the input
};

ConvShape analyzeConv(const Target &t, const ConvSpec &s);
/// Empty when the spec is supported, else why not.
std::string checkConv(const Target &t, const ConvSpec &s);
std::string checkPool(const PoolSpec &s);

std::vector<ArgDesc> convArgs(const Target &t, const ConvSpec &s);
std::vector<ArgDesc> poolArgs(const Target &t, const PoolSpec &s);
std::vector<ArgDesc> globalAvgPoolArgs(const Target &t,
                                       const GlobalAvgPoolSpec &s);
std::vector<ArgDesc> gemmArgs(const Target &t, const GemmSpec &s);
std::vector<ArgDesc> eltwiseArgs(const Target &t, const EltwiseSpec &s);
std::vector<ArgDesc> reorderArgs(const Target &t, const ReorderSpec &s);

//===----------------------------------------------------------------------===//
// Algorithms: the Funcs of each kernel, unscheduled.
//===----------------------------------------------------------------------===//

/// A kernel ready to schedule: its buffer parameters (in call order, the
/// output excluded) and output Func.
struct KernelAlgo {
  std::vector<Halide::ImageParam> inputs;
  Halide::Func output;
};

struct ConvAlgo : KernelAlgo {
  ConvShape shape;
  Halide::Func staged; // zero-extended input copy; defined iff staged
  Halide::Func acc;    // bias + weighted sum (one update)
  Halide::RDom r;      // reduction, innermost dimension first
  // Pure variables. Blocked: output(c, x, y, ob, n); flat: output(c, x, ob,
  // n) with x the pixel index.
  Halide::Var c{"c"}, x{"x"}, y{"y"}, ob{"ob"}, n{"n"};
};
/// `stageInput`: read the input through a zero-extended copy (`staged`),
/// required when some reads fall outside the input (see convStagesInput).
ConvAlgo defineConv(const Target &t, const ConvSpec &s, bool stageInput);

struct PoolAlgo : KernelAlgo {
  Halide::Var c{"c"}, x{"x"}, y{"y"}, cb{"cb"}, n{"n"};
};
PoolAlgo definePool(const Target &t, const PoolSpec &s);

struct GlobalAvgPoolAlgo : KernelAlgo {
  Halide::Func sums; // sums(c, cb, n), blocked
  Halide::Var c{"c"}, cb{"cb"}, n{"n"}, x{"x"}, y{"y"};
};
GlobalAvgPoolAlgo defineGlobalAvgPool(const Target &t,
                                      const GlobalAvgPoolSpec &s);

struct GemmAlgo : KernelAlgo {
  Halide::Func acc;
  Halide::RDom r;
  Halide::Var j{"j"}, i{"i"}; // output(j, i): column j of row i
};
GemmAlgo defineGemm(const Target &t, const GemmSpec &s);

struct EltwiseAlgo : KernelAlgo {
  Halide::Var i{"i"};
};
EltwiseAlgo defineEltwise(const Target &t, const EltwiseSpec &s);

struct ReorderAlgo : KernelAlgo {
  Halide::Var a{"a"}, b{"b"}, c{"c"}, d{"d"}, e{"e"}; // output's dims in order
};
ReorderAlgo defineReorder(const Target &t, const ReorderSpec &s);

//===----------------------------------------------------------------------===//
// CPU schedules.
//===----------------------------------------------------------------------===//

/// Schedule policy the algorithm depends on: whether the input must be
/// staged through a zero-extended copy (padding, or a schedule that computes
/// rounded-up regions).
bool convStagesInput(const Target &t, const ConvSpec &s);
void scheduleConv(ConvAlgo &a, const Target &t, const ConvSpec &s);
void schedulePool(PoolAlgo &a, const Target &t, const PoolSpec &s);
void scheduleGlobalAvgPool(GlobalAvgPoolAlgo &a, const Target &t,
                           const GlobalAvgPoolSpec &s);
void scheduleGemm(GemmAlgo &a, const Target &t, const GemmSpec &s);
void scheduleEltwise(EltwiseAlgo &a, const Target &t, const EltwiseSpec &s);
void scheduleReorder(ReorderAlgo &a, const Target &t, const ReorderSpec &s);

//===----------------------------------------------------------------------===//
// Helpers.
//===----------------------------------------------------------------------===//

/// Fixes bounds (min 0) and dense strides of a buffer parameter, so that
/// every address is a compile-time affine expression.
void constrainDense(Halide::OutputImageParam p,
                    const std::vector<int64_t> &extents);

Halide::Expr applyActivation(Halide::Expr v, const Activation &act);

/// The Halide target kernels are compiled for: the ISA of `t` plus
/// no_runtime, no_asserts and no_bounds_query.
Halide::Target kernelTarget(const Target &t);

} // namespace resnetc::codegen::detail
