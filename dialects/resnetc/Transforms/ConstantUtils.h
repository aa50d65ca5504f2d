//===- ConstantUtils.h - reading and creating f32 weight tensors -*- C++ -*-===//
//
// Weights are `resnetc.constant` ops whose value is either a
// `dense_resource<name>` attribute (DenseF32ResourceElementsAttr; the bytes
// live in the module's resource section) or a plain `dense<...>` attribute
// (possibly a splat). These helpers hide the difference from the passes, the
// importer and the emitter.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "dialects/resnetc/IR/ResnetcDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Support/LLVM.h"

#include <optional>
#include <vector>

namespace resnetc {

/// The elements of an f32 ElementsAttr in row-major order: dense (also
/// splat) or dense_resource. Fails when the element type is not f32, the
/// resource blob is missing (e.g. `dense_resource<__elided__>`) or its size
/// does not match the type.
mlir::FailureOr<std::vector<float>> readF32Elements(mlir::ElementsAttr attr);

/// The elements without copying, when the attribute stores them
/// contiguously: a dense_resource blob or a non-splat dense attribute.
/// std::nullopt for splats, missing blobs and non-f32 attributes (use
/// readF32Elements then).
std::optional<llvm::ArrayRef<float>> getF32ElementsRef(mlir::ElementsAttr attr);

/// The elements of `value` when it is the result of a `resnetc.constant`
/// holding f32 data (see readF32Elements); failure otherwise.
mlir::FailureOr<std::vector<float>> readF32Constant(mlir::Value value);

/// A new `dense_resource` attribute of `type` holding a copy of `data`
/// (`data.size()` must equal the element count of `type`). `nameHint` is the
/// blob key; MLIR appends a suffix when the key is already taken, so every
/// call creates a distinct blob.
mlir::DenseF32ResourceElementsAttr
createF32ResourceAttr(mlir::ShapedType type, llvm::StringRef nameHint,
                      llvm::ArrayRef<float> data);

/// Builds a `resnetc.constant` holding createF32ResourceAttr(type, ...).
ConstantOp createF32Constant(mlir::OpBuilder &builder, mlir::Location loc,
                             mlir::RankedTensorType type,
                             llvm::StringRef nameHint,
                             llvm::ArrayRef<float> data);

/// The blob key of a dense_resource attribute, "" for other attributes.
llvm::StringRef resourceName(mlir::ElementsAttr attr);

} // namespace resnetc
