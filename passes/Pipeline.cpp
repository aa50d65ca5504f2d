//===- Pipeline.cpp - pass registration and the CPU pipeline --------------===//
#include "passes/Pipeline.h"
#include "dialects/resnetc/Transforms/Passes.h"
#include "passes/Passes.h"

#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

namespace resnetc {

namespace {
struct CpuPipelineOptions : public PassPipelineOptions<CpuPipelineOptions> {
  PlanningTarget defaults;
  Option<int64_t> block{*this, "block",
                        llvm::cl::desc("Floats per vector register"),
                        llvm::cl::init(defaults.block)};
  Option<int64_t> vectorRegisters{
      *this, "vector-registers",
      llvm::cl::desc("Vector registers available to a kernel"),
      llvm::cl::init(defaults.vectorRegisters)};
  Option<int64_t> l1KiB{*this, "l1-kib",
                        llvm::cl::desc("L1 data cache per core (KiB)"),
                        llvm::cl::init(defaults.l1KiB)};
  Option<int64_t> l2KiB{*this, "l2-kib",
                        llvm::cl::desc("L2 cache per core (KiB)"),
                        llvm::cl::init(defaults.l2KiB)};
  Option<int64_t> threads{*this, "threads",
                          llvm::cl::desc("Worker threads to feed"),
                          llvm::cl::init(defaults.threads)};
};
} // namespace

void buildCpuPipeline(OpPassManager &pm, const PlanningTarget &target) {
  // Graph rewrites. Each leaves no dead constants behind it: cleanup erases
  // the unused ones it finds, fold-batchnorm the ones it replaced.
  OpPassManager &fn = pm.nest<func::FuncOp>();
  fn.addPass(createCleanup());
  fn.addPass(createFoldBatchNorm());
  fn.addPass(createFuseConv());
  fn.addPass(createCleanup());

  // Planning for the target.
  fn.addPass(createAssignLayout(AssignLayoutOptions{target.block}));
  ConvTilingOptions tiling;
  tiling.block = target.block;
  tiling.vectorRegisters = target.vectorRegisters;
  tiling.l1KiB = target.l1KiB;
  tiling.l2KiB = target.l2KiB;
  tiling.threads = target.threads;
  fn.addPass(createConvTiling(tiling));
  pm.addPass(createPlanArena());
}

void registerAllPasses() {
  // Registering the same pipeline twice is a fatal error: allow callers
  // (resnetc-opt, resnetc, tests) to call this more than once.
  static bool registered = false;
  if (registered)
    return;
  registered = true;
  registerResnetcTransformsPasses();
  registerResnetcPlanningPasses();
  PassPipelineRegistration<CpuPipelineOptions>(
      "resnetc-cpu-pipeline",
      "Cleanup, BatchNorm folding, conv fusion, then layout, conv tiling and "
      "arena planning for a CPU target",
      [](OpPassManager &pm, const CpuPipelineOptions &options) {
        PlanningTarget target;
        target.block = options.block;
        target.vectorRegisters = options.vectorRegisters;
        target.l1KiB = options.l1KiB;
        target.l2KiB = options.l2KiB;
        target.threads = options.threads;
        buildCpuPipeline(pm, target);
      });
}

} // namespace resnetc
