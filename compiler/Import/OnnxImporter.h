//===- OnnxImporter.h - ONNX protobuf to the resnetc dialect ----*- C++ -*-===//
#pragma once

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>

namespace resnetc {

struct ImportOptions {
  /// Value for a symbolic first (batch) dimension of the graph inputs; 0
  /// means the model must have static input shapes.
  int64_t batch = 0;
};

/// Reads an ONNX model (binary protobuf, or protobuf text format when the
/// file name ends in .textproto/.pbtxt) into a module holding one
/// `func.func @main`. On failure, emits one diagnostic per problem (each a
/// single line naming the node and its op type) and returns null. Every
/// unsupported op in the graph is reported, not just the first.
mlir::OwningOpRef<mlir::ModuleOp> importOnnxFile(mlir::MLIRContext &context,
                                                 llvm::StringRef path,
                                                 const ImportOptions &options);

} // namespace resnetc
