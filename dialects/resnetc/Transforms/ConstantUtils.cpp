//===- ConstantUtils.cpp - reading and creating f32 weight tensors --------===//
#include "dialects/resnetc/Transforms/ConstantUtils.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cassert>

using namespace mlir;

namespace resnetc {

static bool isF32(ElementsAttr attr) {
  return attr && cast<ShapedType>(attr.getType()).getElementType().isF32();
}

std::optional<ArrayRef<float>> getF32ElementsRef(ElementsAttr attr) {
  if (!isF32(attr))
    return std::nullopt;
  int64_t count = cast<ShapedType>(attr.getType()).getNumElements();
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef();
    if (!data || static_cast<int64_t>(data->size()) != count)
      return std::nullopt;
    return data;
  }
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (dense.isSplat())
      return std::nullopt;
    ArrayRef<char> raw = dense.getRawData();
    if (static_cast<int64_t>(raw.size()) != count * int64_t(sizeof(float)))
      return std::nullopt;
    return ArrayRef<float>(reinterpret_cast<const float *>(raw.data()), count);
  }
  return std::nullopt;
}

FailureOr<std::vector<float>> readF32Elements(ElementsAttr attr) {
  if (!isF32(attr))
    return failure();
  if (std::optional<ArrayRef<float>> data = getF32ElementsRef(attr))
    return std::vector<float>(data->begin(), data->end());
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    auto values = dense.getValues<float>();
    return std::vector<float>(values.begin(), values.end());
  }
  return failure();
}

FailureOr<std::vector<float>> readF32Constant(Value value) {
  auto constant = value.getDefiningOp<ConstantOp>();
  if (!constant)
    return failure();
  return readF32Elements(constant.getValue());
}

DenseF32ResourceElementsAttr createF32ResourceAttr(ShapedType type,
                                                   StringRef nameHint,
                                                   ArrayRef<float> data) {
  assert(type.getElementType().isF32() && "expects an f32 tensor type");
  assert(type.getNumElements() == static_cast<int64_t>(data.size()) &&
         "data size does not match the type");
  return DenseF32ResourceElementsAttr::get(
      type, nameHint.empty() ? StringRef("resnetc_constant") : nameHint,
      HeapAsmResourceBlob::allocateAndCopyInferAlign(data));
}

ConstantOp createF32Constant(OpBuilder &builder, Location loc,
                             RankedTensorType type, StringRef nameHint,
                             ArrayRef<float> data) {
  return ConstantOp::create(
      builder, loc, type,
      cast<ElementsAttr>(createF32ResourceAttr(type, nameHint, data)));
}

StringRef resourceName(ElementsAttr attr) {
  if (auto resource = dyn_cast_or_null<DenseResourceElementsAttr>(attr))
    return resource.getRawHandle().getKey();
  return "";
}

} // namespace resnetc
