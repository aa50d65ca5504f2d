//===- LibraryEmitter.h - planned resnetc IR to a C library -----*- C++ -*-===//
#pragma once

#include "resnetc/codegen/Kernels.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace resnetc {

struct EmitOptions {
  std::string name = "model"; // C identifier prefix of the generated API
  std::string outDir;         // receives NAME.h and libNAME.a
  codegen::Target target;
  int compileThreads = 2;     // threads compiling Halide kernels
  std::string cc = "cc";      // C compiler for the driver and weights
  std::string ar = "ar";
  bool keepTemps = false;     // leave intermediate files in outDir/NAME.tmp
};

/// What was produced, for the tool's summary line.
struct EmitSummary {
  size_t kernelCalls = 0, distinctKernels = 0;
  int64_t weightBytes = 0, arenaBytes = 0;
};

/// Turns a module that went through the CPU pipeline (fused, layouts,
/// tiling and arena offsets assigned) into `outDir/NAME.h` and
/// `outDir/libNAME.a`. Reports every op it cannot compile (one diagnostic
/// each) and writes nothing in that case.
mlir::LogicalResult emitLibrary(mlir::ModuleOp module,
                                const EmitOptions &options,
                                EmitSummary &summary);

} // namespace resnetc
