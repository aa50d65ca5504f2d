//===- ShapeFunctions.cpp - result shapes of resnetc ops ------------------===//
#include "dialects/resnetc/IR/ShapeFunctions.h"

#include "llvm/Support/raw_ostream.h"

namespace resnetc::shapes {

int64_t numElements(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d <= 0 || n > kMaxElements / d)
      return -1;
    n *= d;
  }
  return n;
}

std::string str(llvm::ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "[";
  llvm::interleaveComma(shape, os);
  os << "]";
  return s;
}

bool windowExtent(int64_t in, int64_t kernel, int64_t stride, int64_t padBegin,
                  int64_t padEnd, int64_t dilation, bool ceilMode,
                  int64_t &out, std::string &error) {
  if (kernel <= 0 || stride <= 0 || dilation <= 0) {
    error = "kernel, stride and dilation must be positive";
    return false;
  }
  if (padBegin < 0 || padEnd < 0) {
    error = "pads must be non-negative";
    return false;
  }
  if (kernel > kMaxElements || stride > kMaxElements ||
      dilation > kMaxElements || padBegin > kMaxElements ||
      padEnd > kMaxElements || in > kMaxElements) {
    error = "window attributes are out of range";
    return false;
  }
  int64_t span = dilation * (kernel - 1) + 1;
  int64_t padded = in + padBegin + padEnd;
  // Halide computes window coordinates in int32.
  if (padded > kMaxElements || span > kMaxElements) {
    error = "padded input of " + std::to_string(padded) + " and window of " +
            std::to_string(span) + " must stay below 2^31";
    return false;
  }
  if (padded < span) {
    error = "window of " + std::to_string(span) +
            " is larger than the padded input of " + std::to_string(padded);
    return false;
  }
  int64_t steps = padded - span;
  out = (ceilMode ? (steps + stride - 1) / stride : steps / stride) + 1;
  // ONNX (like PyTorch) drops a last window that would start in the padding.
  if (ceilMode && (out - 1) * stride >= in + padBegin)
    --out;
  return true;
}

static bool checkSpatialAttrs(llvm::ArrayRef<int64_t> strides,
                              llvm::ArrayRef<int64_t> pads,
                              llvm::ArrayRef<int64_t> dilations,
                              std::string &error) {
  if (strides.size() != 2 || pads.size() != 4 || dilations.size() != 2) {
    error = "expects 2 strides, 4 pads and 2 dilations (2-D only)";
    return false;
  }
  return true;
}

bool conv(llvm::ArrayRef<int64_t> input, llvm::ArrayRef<int64_t> weight,
          llvm::ArrayRef<int64_t> strides, llvm::ArrayRef<int64_t> pads,
          llvm::ArrayRef<int64_t> dilations, int64_t group, Shape &result,
          std::string &error) {
  if (input.size() != 4 || weight.size() != 4) {
    error = "expects a 4-D input and 4-D weight, got " + str(input) + " and " +
            str(weight);
    return false;
  }
  if (!checkSpatialAttrs(strides, pads, dilations, error))
    return false;
  if (group <= 0 || input[1] % group != 0 || weight[0] % group != 0) {
    error = "group " + std::to_string(group) +
            " does not divide the input channels " + std::to_string(input[1]) +
            " and output channels " + std::to_string(weight[0]);
    return false;
  }
  if (weight[1] * group != input[1]) {
    error = "weight " + str(weight) + " expects " +
            std::to_string(weight[1] * group) + " input channels, input " +
            str(input) + " has " + std::to_string(input[1]);
    return false;
  }
  int64_t h, w;
  if (!windowExtent(input[2], weight[2], strides[0], pads[0], pads[2],
                    dilations[0], false, h, error) ||
      !windowExtent(input[3], weight[3], strides[1], pads[1], pads[3],
                    dilations[1], false, w, error))
    return false;
  result = {input[0], weight[0], h, w};
  return true;
}

bool pool(llvm::ArrayRef<int64_t> input, llvm::ArrayRef<int64_t> kernel,
          llvm::ArrayRef<int64_t> strides, llvm::ArrayRef<int64_t> pads,
          llvm::ArrayRef<int64_t> dilations, bool ceilMode, Shape &result,
          std::string &error) {
  if (input.size() != 4) {
    error = "expects a 4-D input, got " + str(input);
    return false;
  }
  if (kernel.size() != 2) {
    error = "expects a 2-D kernel_shape";
    return false;
  }
  if (!checkSpatialAttrs(strides, pads, dilations, error))
    return false;
  int64_t h, w;
  if (!windowExtent(input[2], kernel[0], strides[0], pads[0], pads[2],
                    dilations[0], ceilMode, h, error) ||
      !windowExtent(input[3], kernel[1], strides[1], pads[1], pads[3],
                    dilations[1], ceilMode, w, error))
    return false;
  result = {input[0], input[1], h, w};
  return true;
}

bool globalPool(llvm::ArrayRef<int64_t> input, Shape &result,
                std::string &error) {
  if (input.size() != 4) {
    error = "expects a 4-D input, got " + str(input);
    return false;
  }
  result = {input[0], input[1], 1, 1};
  return true;
}

bool flatten(llvm::ArrayRef<int64_t> input, int64_t axis, Shape &result,
             std::string &error) {
  int64_t rank = input.size();
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis > rank) {
    error = "axis " + std::to_string(axis) + " is out of range for rank " +
            std::to_string(rank);
    return false;
  }
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < rank; ++i)
    (i < axis ? outer : inner) *= input[i];
  result = {outer, inner};
  return true;
}

bool reshape(llvm::ArrayRef<int64_t> input, llvm::ArrayRef<int64_t> target,
             bool allowZero, Shape &result, std::string &error) {
  int64_t total = numElements(input);
  result.clear();
  int64_t known = 1, inferAt = -1;
  for (size_t i = 0; i < target.size(); ++i) {
    int64_t d = target[i];
    if (d == 0 && !allowZero) {
      if (i >= input.size()) {
        error = "shape entry 0 at " + std::to_string(i) +
                " has no input dimension to copy";
        return false;
      }
      d = input[i];
    }
    if (d == -1) {
      if (inferAt >= 0) {
        error = "shape " + str(target) + " has more than one -1";
        return false;
      }
      inferAt = i;
      result.push_back(1);
      continue;
    }
    if (d <= 0) {
      error = "shape " + str(target) + " has an invalid entry";
      return false;
    }
    if (known > kMaxElements / d) {
      error = "cannot reshape " + str(input) + " to " + str(target);
      return false;
    }
    known *= d;
    result.push_back(d);
  }
  if (inferAt >= 0) {
    if (known == 0 || total % known != 0) {
      error = "cannot reshape " + str(input) + " to " + str(target);
      return false;
    }
    result[inferAt] = total / known;
  }
  if (numElements(result) != total) {
    error = "cannot reshape " + str(input) + " to " + str(target);
    return false;
  }
  return true;
}

bool broadcast(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs,
               Shape &result, std::string &error) {
  size_t rank = std::max(lhs.size(), rhs.size());
  result.assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t a = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t b = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (a != b && a != 1 && b != 1) {
      error = "shapes " + str(lhs) + " and " + str(rhs) +
              " are not broadcast-compatible";
      return false;
    }
    result[i] = a == 1 ? b : a;
  }
  return true;
}

bool gemm(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b,
          llvm::ArrayRef<int64_t> c, bool transA, bool transB, Shape &result,
          std::string &error) {
  if (a.size() != 2 || b.size() != 2) {
    error = "expects 2-D A and B, got " + str(a) + " and " + str(b);
    return false;
  }
  int64_t m = transA ? a[1] : a[0], k = transA ? a[0] : a[1];
  int64_t kb = transB ? b[1] : b[0], n = transB ? b[0] : b[1];
  if (k != kb) {
    error = "inner dimensions differ: A " + str(a) + ", B " + str(b);
    return false;
  }
  result = {m, n};
  if (!c.empty()) {
    Shape bc;
    if (c.size() > 2 || !broadcast(result, c, bc, error) ||
        llvm::ArrayRef<int64_t>(bc) != llvm::ArrayRef<int64_t>(result)) {
      error = "C " + str(c) + " does not broadcast to " + str(result);
      return false;
    }
  }
  return true;
}

} // namespace resnetc::shapes
