//===- PlanArena.cpp - place every activation in one arena ----------------===//
//
// Per function, ops are numbered in program order. Every tensor produced by
// an op other than resnetc.constant (reorders included) is a buffer:
//   size  = N * ceil(C/B)*B * H * W * 4 bytes in "nchw<B>c" (the padded
//           channels are stored), number of elements * 4 otherwise;
//   range = [index of the producer, index of the last user], inclusive, so a
//           buffer never shares memory with the inputs of its producer.
// A flatten/reshape whose input is in "nchw" layout is a view: it gets no
// buffer of its own, its users extend the range of the viewed buffer and it
// records the same offset. Function arguments live in user memory and are
// not placed; neither are views of them (nor of constants). Returned values
// stay live to the end of the function.
// Placement is greedy: buffers sorted by size (largest first, then by
// definition order) each go to the lowest 64-byte-aligned offset that does
// not overlap an already placed buffer whose range intersects theirs.
// Producing ops get `resnetc.arena_offset` (i64); the module gets
// `resnetc.arena_size` (i64, 64-byte multiple): the largest over its
// functions, which run one at a time.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "dialects/resnetc/IR/ShapeFunctions.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"

#include <algorithm>

namespace resnetc {
#define GEN_PASS_DEF_PLANARENA
#include "passes/Passes.h.inc"
} // namespace resnetc

using namespace mlir;
using namespace resnetc;

namespace {

constexpr int64_t kAlignment = 64;

int64_t alignUp(int64_t x) { return (x + kAlignment - 1) / kAlignment * kAlignment; }

struct Buffer {
  Operation *producer;
  int64_t size;
  int64_t start, end; // inclusive op indices
  int64_t offset = -1;
};

static StringRef layoutOf(Value v) {
  if (Operation *def = v.getDefiningOp())
    if (auto attr = def->getAttrOfType<StringAttr>(kLayoutAttr))
      return attr.getValue();
  return "nchw";
}

static int64_t bytesOf(Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  int64_t elementBytes = type.getElementTypeBitWidth() / 8;
  int64_t block = layoutBlock(layoutOf(v));
  if (block > 0 && type.getRank() == 4) {
    ArrayRef<int64_t> s = type.getShape();
    return s[0] * ((s[1] + block - 1) / block * block) * s[2] * s[3] *
           elementBytes;
  }
  return shapes::numElements(type.getShape()) * elementBytes;
}

/// Plans one function; returns the arena bytes it needs.
static int64_t planFunction(func::FuncOp func) {
  Builder builder(func.getContext());
  DenseMap<Operation *, int64_t> index;
  SmallVector<Operation *> ops;
  func.walk([&](Operation *op) {
    if (op == func.getOperation())
      return;
    index[op] = ops.size();
    ops.push_back(op);
  });
  int64_t endOfFunction = static_cast<int64_t>(ops.size());

  // Which buffer holds each value (absent: not in the arena).
  SmallVector<Buffer> buffers;
  DenseMap<Value, size_t> bufferOf;
  SmallVector<std::pair<Operation *, size_t>> views;
  for (Operation *op : ops) {
    op->removeAttr(kArenaOffsetAttr);
    if (isa<ConstantOp>(op) || op->getNumResults() != 1 ||
        !isa<RankedTensorType>(op->getResult(0).getType()))
      continue;
    Value result = op->getResult(0);
    if (isa<FlattenOp, ReshapeOp>(op) && layoutOf(op->getOperand(0)) == "nchw") {
      auto source = bufferOf.find(op->getOperand(0));
      if (source != bufferOf.end()) {
        bufferOf[result] = source->second;
        views.push_back({op, source->second});
      }
      continue;
    }
    bufferOf[result] = buffers.size();
    buffers.push_back({op, bytesOf(result), index[op], index[op]});
  }

  // Live ranges: last user (the user's own index; nested users count at
  // their index too), to the end for returned values.
  for (auto &[value, b] : bufferOf) {
    for (Operation *user : value.getUsers()) {
      int64_t at = isa<func::ReturnOp>(user) ? endOfFunction : index.lookup(user);
      buffers[b].end = std::max(buffers[b].end, at);
    }
  }

  SmallVector<size_t> order;
  for (size_t i = 0; i < buffers.size(); ++i)
    order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (buffers[a].size != buffers[b].size)
      return buffers[a].size > buffers[b].size;
    return buffers[a].start < buffers[b].start;
  });

  int64_t arenaSize = 0;
  SmallVector<size_t> placed;
  for (size_t i : order) {
    Buffer &buf = buffers[i];
    SmallVector<size_t> conflicts;
    for (size_t j : placed)
      if (buffers[j].start <= buf.end && buf.start <= buffers[j].end)
        conflicts.push_back(j);
    llvm::sort(conflicts, [&](size_t a, size_t b) {
      return buffers[a].offset < buffers[b].offset;
    });
    int64_t offset = 0;
    for (size_t j : conflicts) {
      if (offset + buf.size <= buffers[j].offset)
        break;
      offset = std::max(offset, alignUp(buffers[j].offset + buffers[j].size));
    }
    buf.offset = offset;
    placed.push_back(i);
    arenaSize = std::max(arenaSize, alignUp(offset + buf.size));
    buf.producer->setAttr(kArenaOffsetAttr, builder.getI64IntegerAttr(offset));
  }
  for (auto &[op, b] : views)
    op->setAttr(kArenaOffsetAttr, builder.getI64IntegerAttr(buffers[b].offset));
  return arenaSize;
}

struct PlanArenaPass : resnetc::impl::PlanArenaBase<PlanArenaPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    int64_t size = 0;
    for (func::FuncOp func : module.getOps<func::FuncOp>())
      if (!func.isExternal())
        size = std::max(size, planFunction(func));
    module->setAttr(kArenaSizeAttr,
                    Builder(module.getContext()).getI64IntegerAttr(size));
  }
};

} // namespace
