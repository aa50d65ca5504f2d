//===- AssignLayout.cpp - choose the physical layout of activations -------===//
//
// Layouts are "nchw" (ONNX's row-major order) and "nchw<B>c" (channels in
// blocks of B floats, zero-padded to a multiple of B). Rules, with B the
// `block` option:
//
// Results (the `resnetc.layout` attribute of the producing op):
//   - fused_conv, max_pool: blocked.
//   - relu, clip, add: blocked when the result is 4-D and every operand has
//     the result's type (no broadcasting); otherwise "nchw".
//   - global_avg_pool: "nchw" when every user accepts "nchw" (for the usual
//     flatten/gemm head that makes [N, C, 1, 1] a plain row-major matrix),
//     else blocked.
//   - flatten, reshape, gemm, and results of any rank but 4: "nchw".
//   - reorder: its `to` layout.
//   - constants and ops the CPU code generator does not support (e.g. an
//     unfolded batch_norm, a plain conv): no attribute; their results, like
//     function arguments, are read as "nchw".
// Operands (what a user accepts):
//   - fused_conv input: blocked; "nchw" also accepted (read directly) when
//     the input has fewer than B channels and group == 1 (the stem).
//   - fused_conv residual, max_pool and global_avg_pool input, operands of a
//     blocked relu/clip/add: blocked.
//   - flatten, reshape, gemm, non-blocked relu/clip/add, func.return: "nchw".
//   - weights, biases, and operands of unsupported ops: left alone.
// Where a value's layout is not accepted, a `resnetc.reorder` to the
// preferred layout (blocked where accepted, else "nchw") is inserted before
// the first user that needs it and reused by all later users.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"

#include <map>
#include <optional>

namespace resnetc {
#define GEN_PASS_DEF_ASSIGNLAYOUT
#include "passes/Passes.h.inc"
} // namespace resnetc

using namespace mlir;
using namespace resnetc;

namespace {

enum class Want { Blocked, Nchw, BlockedOrNchw };

static bool is4D(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.getRank() == 4;
}

/// relu/clip/add computed in the blocked layout: 4-D, no broadcasting.
static bool isBlockedElementwise(Operation *op) {
  if (!isa<ReluOp, ClipOp, AddOp>(op) || !is4D(op->getResult(0)))
    return false;
  return llvm::all_of(op->getOperandTypes(), [&](Type t) {
    return t == op->getResult(0).getType();
  });
}

/// What `user` accepts for operand `index`; std::nullopt: not our business.
static std::optional<Want> operandWant(Operation *user, unsigned index,
                                       int64_t block) {
  if (auto conv = dyn_cast<FusedConvOp>(user)) {
    if (index == 0) {
      int64_t channels =
          cast<RankedTensorType>(conv.getInput().getType()).getShape()[1];
      return channels < block && conv.getGroup() == 1 ? Want::BlockedOrNchw
                                                       : Want::Blocked;
    }
    if (index == 3) // the residual (operands: input, weight, bias, residual)
      return Want::Blocked;
    return std::nullopt;
  }
  if (isa<MaxPoolOp, GlobalAvgPoolOp>(user))
    return Want::Blocked;
  if (isa<ReluOp, ClipOp, AddOp>(user))
    return isBlockedElementwise(user) ? Want::Blocked : Want::Nchw;
  if (isa<FlattenOp, ReshapeOp, GemmOp, func::ReturnOp>(user))
    return Want::Nchw;
  return std::nullopt;
}

static bool accepts(Want want, StringRef layout, StringRef blocked) {
  switch (want) {
  case Want::Blocked:
    return layout == blocked;
  case Want::Nchw:
    return layout == "nchw";
  case Want::BlockedOrNchw:
    return layout == blocked || layout == "nchw";
  }
  return false;
}

struct AssignLayoutPass : resnetc::impl::AssignLayoutBase<AssignLayoutPass> {
  using Base::Base;

  void runOnOperation() override {
    if (block <= 0 || (block & (block - 1)) != 0) {
      getOperation().emitError() << "resnetc-assign-layout: block must be a "
                                    "positive power of two, got "
                                 << static_cast<int64_t>(block);
      return signalPassFailure();
    }
    std::string blocked = "nchw" + std::to_string(block) + "c";
    MLIRContext *ctx = &getContext();

    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (op != getOperation().getOperation())
        ops.push_back(op);
    });

    // 1. Result layouts.
    for (Operation *op : ops) {
      std::optional<StringRef> layout = resultLayout(op, blocked);
      if (layout)
        op->setAttr(kLayoutAttr, StringAttr::get(ctx, *layout));
    }

    // 2. Reorders where a user does not accept its operand's layout.
    std::map<std::pair<void *, std::string>, Value> reorders;
    for (Operation *user : ops) {
      for (OpOperand &operand : user->getOpOperands()) {
        std::optional<Want> want =
            operandWant(user, operand.getOperandNumber(), block);
        Value value = operand.get();
        if (!want || !isa<RankedTensorType>(value.getType()))
          continue;
        StringRef have = layoutOf(value);
        if (accepts(*want, have, blocked))
          continue;
        std::string target = *want == Want::Nchw ? "nchw" : blocked;
        Value &reordered =
            reorders[{value.getAsOpaquePointer(), target}];
        if (!reordered)
          reordered = createReorder(value, have, target, user);
        operand.set(reordered);
      }
    }
  }

  static StringRef layoutOf(Value v) {
    if (Operation *def = v.getDefiningOp())
      if (auto attr = def->getAttrOfType<StringAttr>(kLayoutAttr))
        return attr.getValue();
    return "nchw";
  }

  std::optional<StringRef> resultLayout(Operation *op,
                                        StringRef blocked) const {
    if (op->getNumResults() != 1 ||
        !isa<RankedTensorType>(op->getResult(0).getType()))
      return std::nullopt;
    if (auto reorder = dyn_cast<ReorderOp>(op))
      return reorder.getTo();
    if (isa<FusedConvOp, MaxPoolOp>(op))
      return blocked;
    if (isa<ReluOp, ClipOp, AddOp>(op))
      return isBlockedElementwise(op) ? blocked : StringRef("nchw");
    if (isa<GlobalAvgPoolOp>(op)) {
      for (OpOperand &use : op->getResult(0).getUses()) {
        std::optional<Want> want =
            operandWant(use.getOwner(), use.getOperandNumber(), block);
        if (want && !accepts(*want, "nchw", blocked))
          return blocked;
      }
      return StringRef("nchw");
    }
    if (isa<FlattenOp, ReshapeOp, GemmOp>(op))
      return StringRef("nchw");
    return std::nullopt;
  }

  /// A reorder of `value` placed before `user` when both are in the same
  /// block (the first user needing it: later users are dominated), else
  /// right after the value's definition.
  Value createReorder(Value value, StringRef from, StringRef to,
                      Operation *user) {
    OpBuilder builder(&getContext());
    Block *defBlock = value.getParentBlock();
    if (user->getBlock() == defBlock)
      builder.setInsertionPoint(user);
    else if (Operation *def = value.getDefiningOp())
      builder.setInsertionPointAfter(def);
    else
      builder.setInsertionPointToStart(defBlock);
    auto reorder = ReorderOp::create(builder, value.getLoc(), value.getType(),
                                     value, builder.getStringAttr(from),
                                     builder.getStringAttr(to));
    reorder->setAttr(kLayoutAttr, builder.getStringAttr(to));
    return reorder.getResult();
  }
};

} // namespace
