//===- Passes.h - graph-level rewrites of the resnetc dialect ---*- C++ -*-===//
//
// Declares the passes of Passes.td: createCleanup(), createFoldBatchNorm(),
// createFuseConv() and registerResnetcTransformsPasses().
//
//===----------------------------------------------------------------------===//
#pragma once

#include "dialects/resnetc/IR/ResnetcDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace resnetc {

#define GEN_PASS_DECL
#include "dialects/resnetc/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/resnetc/Transforms/Passes.h.inc"

} // namespace resnetc
