//===- ResnetcDialect.h - the resnetc dialect --------------------*- C++ -*-===//
#pragma once

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/resnetc/IR/ResnetcDialect.h.inc"
#include "dialects/resnetc/IR/ResnetcEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/resnetc/IR/ResnetcAttrs.h.inc"

#define GET_OP_CLASSES
#include "dialects/resnetc/IR/ResnetcOps.h.inc"

namespace resnetc {
/// Block size of a layout name: 0 for "nchw", B for "nchw<B>c", -1 if unknown.
int64_t layoutBlock(llvm::StringRef layout);
/// Discardable attribute names set by the planning passes.
constexpr llvm::StringLiteral kLayoutAttr = "resnetc.layout";
constexpr llvm::StringLiteral kArenaOffsetAttr = "resnetc.arena_offset";
constexpr llvm::StringLiteral kArenaSizeAttr = "resnetc.arena_size";
} // namespace resnetc
