//===- Pipeline.h - resnetc pass registration and pipeline ------*- C++ -*-===//
#pragma once

#include "mlir/Pass/PassManager.h"
#include <cstdint>
#include <memory>

namespace resnetc {

/// What the planning passes need to know about the target.
struct PlanningTarget {
  int64_t block = 8;            // floats per vector register
  int64_t vectorRegisters = 16; // architectural vector registers
  int64_t l1KiB = 32, l2KiB = 1024;
  int64_t threads = 2;
};

/// Registers every resnetc pass (for resnetc-opt) and the pipeline
/// `resnetc-cpu-pipeline`.
void registerAllPasses();

/// Cleanup, BatchNorm folding, fusion, then layout, tiling and arena
/// planning for `target`.
void buildCpuPipeline(mlir::OpPassManager &pm, const PlanningTarget &target);

} // namespace resnetc
