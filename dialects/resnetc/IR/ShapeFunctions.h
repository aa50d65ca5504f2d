//===- ShapeFunctions.h - result shapes of resnetc ops ----------*- C++ -*-===//
//
// ONNX shape rules, shared by the importer (which must compute static result
// types) and the op verifiers (which check them). Each function returns
// false and sets `error` to a one-line reason when the operands are invalid.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <string>

namespace resnetc::shapes {

using Shape = llvm::SmallVector<int64_t, 4>;

/// Largest tensor resnetc accepts (elements). Halide indexes buffers with
/// int32, so every tensor (graph inputs, initializers, each op's result) must
/// have fewer than 2^31 elements; the importer rejects anything bigger.
constexpr int64_t kMaxElements = (int64_t(1) << 31) - 1;

/// Largest value the importer accepts for a window attribute (kernel_shape,
/// strides, pads, dilations). ResNets use single digits; 2^20 leaves room for
/// any real model while keeping products such as dilation * (kernel - 1) and
/// sums such as input + pads far from int64 overflow before the element
/// checks run.
constexpr int64_t kMaxWindowAttr = int64_t(1) << 20;

/// Elements of `shape`, or -1 when a dimension is non-positive or the
/// product exceeds kMaxElements.
int64_t numElements(llvm::ArrayRef<int64_t> shape);

/// Output extent of a sliding window along one axis (ONNX Conv/MaxPool).
bool windowExtent(int64_t in, int64_t kernel, int64_t stride, int64_t padBegin,
                  int64_t padEnd, int64_t dilation, bool ceilMode,
                  int64_t &out, std::string &error);

bool conv(llvm::ArrayRef<int64_t> input, llvm::ArrayRef<int64_t> weight,
          llvm::ArrayRef<int64_t> strides, llvm::ArrayRef<int64_t> pads,
          llvm::ArrayRef<int64_t> dilations, int64_t group, Shape &result,
          std::string &error);

bool pool(llvm::ArrayRef<int64_t> input, llvm::ArrayRef<int64_t> kernel,
          llvm::ArrayRef<int64_t> strides, llvm::ArrayRef<int64_t> pads,
          llvm::ArrayRef<int64_t> dilations, bool ceilMode, Shape &result,
          std::string &error);

bool globalPool(llvm::ArrayRef<int64_t> input, Shape &result,
                std::string &error);

bool flatten(llvm::ArrayRef<int64_t> input, int64_t axis, Shape &result,
             std::string &error);

/// Resolves an ONNX Reshape target (0 copies the input dim unless
/// allowZero, -1 is inferred).
bool reshape(llvm::ArrayRef<int64_t> input, llvm::ArrayRef<int64_t> target,
             bool allowZero, Shape &result, std::string &error);

bool broadcast(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs,
               Shape &result, std::string &error);

bool gemm(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b,
          llvm::ArrayRef<int64_t> c /* empty if absent */, bool transA,
          bool transB, Shape &result, std::string &error);

/// "[1, 64, 56, 56]" for messages.
std::string str(llvm::ArrayRef<int64_t> shape);

} // namespace resnetc::shapes
