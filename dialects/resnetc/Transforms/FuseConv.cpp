//===- FuseConv.cpp - conv + bias + residual + activation -> fused_conv ---===//
//
// 1. Every resnetc.conv becomes a resnetc.fused_conv; a missing bias becomes
//    a `dense<0.0>` constant.
// 2. Then, in program order:
//    - add(f, other) or add(other, f), all three types equal, where f is a
//      fused_conv result with one use, no residual and no activation, and
//      `other` properly dominates f's op: `other` becomes f's residual. When
//      both operands qualify, the conv defined later takes the other one as
//      residual (the earlier value is then already computed). Nothing is
//      moved: if `other` does not dominate the conv, the add stays.
//    - relu(f) / clip(f) where f has one use and no activation: the
//      activation moves into f (clip keeps its bounds as clip_min/clip_max).
//    Visiting in program order makes conv -> add -> relu become
//    relu(conv + residual), the ResNet block ending.
//
//===----------------------------------------------------------------------===//
#include "dialects/resnetc/Transforms/Passes.h"

#include "mlir/IR/Dominance.h"

namespace resnetc {
#define GEN_PASS_DEF_FUSECONV
#include "dialects/resnetc/Transforms/Passes.h.inc"
} // namespace resnetc

using namespace mlir;
using namespace resnetc;

namespace {

static void convertConv(ConvOp conv) {
  OpBuilder builder(conv);
  Value bias = conv.getBias();
  if (!bias) {
    auto weightType = cast<RankedTensorType>(conv.getWeight().getType());
    auto biasType =
        RankedTensorType::get({weightType.getShape()[0]}, builder.getF32Type());
    bias = ConstantOp::create(builder, conv.getLoc(), biasType,
                              DenseElementsAttr::get(biasType, 0.0f));
  }
  auto fused = FusedConvOp::create(
      builder, conv.getLoc(), conv.getType(), conv.getInput(), conv.getWeight(),
      bias, /*residual=*/Value(), conv.getStridesAttr(), conv.getPadsAttr(),
      conv.getDilationsAttr(), conv.getGroupAttr(), /*activation=*/nullptr,
      /*clip_min=*/nullptr, /*clip_max=*/nullptr, /*tiling=*/nullptr);
  conv.getResult().replaceAllUsesWith(fused.getResult());
  conv->erase();
}

/// A fused_conv producing `v` that may still absorb an epilogue step.
static FusedConvOp fusable(Value v, bool needNoResidual) {
  auto conv = v.getDefiningOp<FusedConvOp>();
  if (!conv || !conv->hasOneUse() || conv.getActivation() != Activation::none)
    return nullptr;
  if (needNoResidual && conv.getResidual())
    return nullptr;
  return conv;
}

static bool fuseResidual(AddOp add, DominanceInfo &dom) {
  Value lhs = add.getLhs(), rhs = add.getRhs();
  if (lhs.getType() != add.getType() || rhs.getType() != add.getType())
    return false;
  FusedConvOp lconv = fusable(lhs, /*needNoResidual=*/true);
  FusedConvOp rconv = fusable(rhs, /*needNoResidual=*/true);
  FusedConvOp conv = lconv;
  Value other = rhs;
  // Both qualify: take the later one, whose partner is computed earlier.
  if (!conv || (rconv && conv->getBlock() == rconv->getBlock() &&
                conv->isBeforeInBlock(rconv))) {
    conv = rconv;
    other = lhs;
  }
  if (!conv || !dom.properlyDominates(other, conv))
    return false;
  conv.getResidualMutable().assign(other);
  add.getResult().replaceAllUsesWith(conv.getResult());
  add->erase();
  return true;
}

static bool fuseActivation(Operation *op) {
  FusedConvOp conv = fusable(op->getOperand(0), /*needNoResidual=*/false);
  if (!conv)
    return false;
  if (auto clip = dyn_cast<ClipOp>(op)) {
    conv.setActivation(Activation::clip);
    conv.setClipMinAttr(clip.getMinAttr());
    conv.setClipMaxAttr(clip.getMaxAttr());
  } else {
    conv.setActivation(Activation::relu);
  }
  op->getResult(0).replaceAllUsesWith(conv.getResult());
  op->erase();
  return true;
}

struct FuseConvPass : resnetc::impl::FuseConvBase<FuseConvPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SmallVector<ConvOp> convs;
    func.walk([&](ConvOp conv) { convs.push_back(conv); });
    for (ConvOp conv : convs)
      convertConv(conv);

    DominanceInfo dom(func);
    SmallVector<Operation *> candidates;
    func.walk([&](Operation *op) {
      if (isa<AddOp, ReluOp, ClipOp>(op))
        candidates.push_back(op);
    });
    for (Operation *op : candidates) {
      if (auto add = dyn_cast<AddOp>(op))
        (void)fuseResidual(add, dom);
      else
        (void)fuseActivation(op);
    }
  }
};

} // namespace
