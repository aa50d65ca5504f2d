//===- FoldBatchNorm.cpp - fold BatchNormalization into Conv --------------===//
//
// batch_norm(conv(x, W, b)) = conv(x, W', b') with, per output channel o,
//   s[o]  = gamma[o] / sqrt(var[o] + eps)
//   W'[o] = W[o] * s[o]
//   b'[o] = (b[o] - mean[o]) * s[o] + beta[o]      (b = 0 without bias)
// computed in double and rounded to float once. The folded weights and bias
// always go into new constants: the old ones may be shared with other ops
// (ONNX exporters merge equal initializers) and are erased below when this
// fold was their last user.
//
//===----------------------------------------------------------------------===//
#include "dialects/resnetc/Transforms/ConstantUtils.h"
#include "dialects/resnetc/Transforms/Passes.h"

#include "llvm/ADT/SetVector.h"

#include <cmath>

namespace resnetc {
#define GEN_PASS_DEF_FOLDBATCHNORM
#include "dialects/resnetc/Transforms/Passes.h.inc"
} // namespace resnetc

using namespace mlir;
using namespace resnetc;

namespace {

/// Erases the constants among `values`' producers that nothing uses any more.
static void eraseDeadConstants(ArrayRef<Value> values) {
  llvm::SmallSetVector<Operation *, 8> constants;
  for (Value v : values)
    if (auto constant = v ? v.getDefiningOp<ConstantOp>() : ConstantOp())
      constants.insert(constant);
  for (Operation *op : constants)
    if (op->use_empty())
      op->erase();
}

static std::string blobHint(Value constant, StringRef fallback,
                            StringRef suffix) {
  StringRef name = resourceName(constant.getDefiningOp<ConstantOp>().getValue());
  return ((name.empty() ? fallback : name) + suffix).str();
}

/// Folds `bn` into its producer; returns false (changing nothing) when the
/// pattern does not apply.
static bool foldInto(BatchNormOp bn) {
  auto conv = bn.getInput().getDefiningOp<ConvOp>();
  if (!conv || !conv->hasOneUse())
    return false;
  int64_t channels = cast<RankedTensorType>(conv.getWeight().getType())
                         .getShape()[0];
  auto weightType = cast<RankedTensorType>(conv.getWeight().getType());

  FailureOr<std::vector<float>> gamma = readF32Constant(bn.getScale());
  FailureOr<std::vector<float>> beta = readF32Constant(bn.getBias());
  FailureOr<std::vector<float>> mean = readF32Constant(bn.getMean());
  FailureOr<std::vector<float>> var = readF32Constant(bn.getVariance());
  FailureOr<std::vector<float>> weight = readF32Constant(conv.getWeight());
  if (failed(gamma) || failed(beta) || failed(mean) || failed(var) ||
      failed(weight))
    return false;
  std::vector<float> bias(channels, 0.0f);
  if (Value b = conv.getBias()) {
    FailureOr<std::vector<float>> values = readF32Constant(b);
    if (failed(values))
      return false;
    bias = std::move(*values);
  }
  // The verifiers guarantee one parameter per channel; stay defensive.
  for (const std::vector<float> *v : {&*gamma, &*beta, &*mean, &*var, &bias})
    if (static_cast<int64_t>(v->size()) != channels)
      return false;

  double eps = bn.getEpsilon().convertToDouble();
  int64_t perChannel = static_cast<int64_t>(weight->size()) / channels;
  std::vector<float> newWeight(weight->size());
  std::vector<float> newBias(channels);
  for (int64_t o = 0; o < channels; ++o) {
    double s = double((*gamma)[o]) / std::sqrt(double((*var)[o]) + eps);
    for (int64_t i = o * perChannel, e = i + perChannel; i < e; ++i)
      newWeight[i] = static_cast<float>(double((*weight)[i]) * s);
    newBias[o] = static_cast<float>((double(bias[o]) - double((*mean)[o])) * s +
                                    double((*beta)[o]));
  }

  OpBuilder builder(conv);
  Value oldWeight = conv.getWeight(), oldBias = conv.getBias();
  ConstantOp weightOp = createF32Constant(
      builder, conv.getWeight().getLoc(), weightType,
      blobHint(oldWeight, "conv_weight", "_bn"), newWeight);
  auto biasType = RankedTensorType::get({channels}, builder.getF32Type());
  ConstantOp biasOp = createF32Constant(
      builder, bn.getBias().getLoc(), biasType,
      oldBias ? blobHint(oldBias, "conv_bias", "_bn")
              : blobHint(bn.getBias(), "conv_bias", "_folded"),
      newBias);

  conv.getWeightMutable().assign(weightOp.getResult());
  conv.getBiasMutable().assign(biasOp.getResult());
  bn.getResult().replaceAllUsesWith(conv.getResult());

  Value old[] = {bn.getScale(), bn.getBias(), bn.getMean(),
                 bn.getVariance(), oldWeight, oldBias};
  bn->erase();
  eraseDeadConstants(old);
  return true;
}

struct FoldBatchNormPass : resnetc::impl::FoldBatchNormBase<FoldBatchNormPass> {
  void runOnOperation() override {
    SmallVector<BatchNormOp> norms;
    getOperation().walk([&](BatchNormOp bn) { norms.push_back(bn); });
    for (BatchNormOp bn : norms)
      (void)foldInto(bn);
  }
};

} // namespace
