//===- Cleanup.cpp - remove Identity/Dropout and dead constants -----------===//
#include "dialects/resnetc/Transforms/Passes.h"

#include "llvm/ADT/STLExtras.h"

namespace resnetc {
#define GEN_PASS_DEF_CLEANUP
#include "dialects/resnetc/Transforms/Passes.h.inc"
} // namespace resnetc

using namespace mlir;
using namespace resnetc;

namespace {
struct CleanupPass : resnetc::impl::CleanupBase<CleanupPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();

    // Identity and inference-mode Dropout forward their operand unchanged.
    SmallVector<Operation *> forwarding;
    func.walk([&](Operation *op) {
      if (isa<IdentityOp, DropoutOp>(op))
        forwarding.push_back(op);
    });
    for (Operation *op : forwarding) {
      op->getResult(0).replaceAllUsesWith(op->getOperand(0));
      op->erase();
    }

    // Constants nobody reads (weights of removed ops, the inputs of ONNX
    // shape computations the importer resolved, ...).
    SmallVector<ConstantOp> dead;
    func.walk([&](ConstantOp op) {
      if (op->use_empty())
        dead.push_back(op);
    });
    for (ConstantOp op : dead)
      op->erase();
  }
};
} // namespace
