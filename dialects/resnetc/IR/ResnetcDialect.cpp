//===- ResnetcDialect.cpp - dialect registration and op verifiers ---------===//
#include "dialects/resnetc/IR/ResnetcDialect.h"
#include "dialects/resnetc/IR/ShapeFunctions.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace resnetc;

#include "dialects/resnetc/IR/ResnetcDialect.cpp.inc"
#include "dialects/resnetc/IR/ResnetcEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/resnetc/IR/ResnetcAttrs.cpp.inc"

#define GET_OP_CLASSES
#include "dialects/resnetc/IR/ResnetcOps.cpp.inc"

void ResnetcDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/resnetc/IR/ResnetcAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "dialects/resnetc/IR/ResnetcOps.cpp.inc"
      >();
}

static ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

/// Compares the computed shape with the declared result type.
static LogicalResult checkResult(Operation *op, bool ok,
                                 const std::string &error,
                                 ArrayRef<int64_t> expected) {
  if (!ok)
    return op->emitOpError() << error;
  ArrayRef<int64_t> actual = shapeOf(op->getResult(0));
  if (actual != expected)
    return op->emitOpError() << "result shape " << shapes::str(actual)
                             << " does not match the expected "
                             << shapes::str(expected);
  return success();
}

//===----------------------------------------------------------------------===//
// ConvTilingAttr
//===----------------------------------------------------------------------===//

LogicalResult ConvTilingAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, int64_t block,
    int64_t ocBlocks, int64_t rows, int64_t cols, int64_t icBlocksPerStep,
    int64_t rowsPerTask, bool flattenPixels) {
  if (block <= 0 || (block & (block - 1)) != 0)
    return emitError() << "block must be a positive power of two";
  if (ocBlocks <= 0 || rows <= 0 || cols <= 0 || rowsPerTask <= 0)
    return emitError() << "tile extents must be positive";
  if (icBlocksPerStep < 0)
    return emitError() << "ic_blocks_per_step must be non-negative";
  return success();
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::verify() {
  auto valueType = cast<ShapedType>(getValue().getType());
  if (valueType != getType())
    return emitOpError() << "value type " << valueType
                         << " does not match result type " << getType();
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// Convolution and normalisation
//===----------------------------------------------------------------------===//

static LogicalResult verifyConvLike(Operation *op, Value input, Value weight,
                                    Value bias, ArrayRef<int64_t> strides,
                                    ArrayRef<int64_t> pads,
                                    ArrayRef<int64_t> dilations,
                                    int64_t group) {
  shapes::Shape expected;
  std::string error;
  bool ok = shapes::conv(shapeOf(input), shapeOf(weight), strides, pads,
                         dilations, group, expected, error);
  if (failed(checkResult(op, ok, error, expected)))
    return failure();
  if (bias) {
    ArrayRef<int64_t> b = shapeOf(bias);
    if (b.size() != 1 || b[0] != shapeOf(weight)[0])
      return op->emitOpError() << "bias " << shapes::str(b)
                               << " must have one entry per output channel ("
                               << shapeOf(weight)[0] << ")";
  }
  return success();
}

LogicalResult ConvOp::verify() {
  return verifyConvLike(*this, getInput(), getWeight(), getBias(),
                        getStrides(), getPads(), getDilations(), getGroup());
}

LogicalResult FusedConvOp::verify() {
  if (failed(verifyConvLike(*this, getInput(), getWeight(), getBias(),
                            getStrides(), getPads(), getDilations(),
                            getGroup())))
    return failure();
  if (getResidual() && getResidual().getType() != getType())
    return emitOpError() << "residual type " << getResidual().getType()
                         << " must equal the result type " << getType();
  if (getActivation() == Activation::clip &&
      getClipMin().convertToFloat() > getClipMax().convertToFloat())
    return emitOpError() << "clip_min must not exceed clip_max";
  return success();
}

LogicalResult BatchNormOp::verify() {
  ArrayRef<int64_t> in = shapeOf(getInput());
  if (in.size() < 2)
    return emitOpError() << "expects an input of rank >= 2, got "
                         << shapes::str(in);
  for (Value p : {getScale(), getBias(), getMean(), getVariance()}) {
    ArrayRef<int64_t> s = shapeOf(p);
    if (s.size() != 1 || s[0] != in[1])
      return emitOpError() << "parameter " << shapes::str(s)
                           << " must have one entry per channel (" << in[1]
                           << ")";
  }
  if (getType() != getInput().getType())
    return emitOpError() << "result type must equal the input type";
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

LogicalResult ClipOp::verify() {
  if (getMin().convertToFloat() > getMax().convertToFloat())
    return emitOpError() << "min must not exceed max";
  return success();
}

LogicalResult AddOp::verify() {
  shapes::Shape expected;
  std::string error;
  bool ok = shapes::broadcast(shapeOf(getLhs()), shapeOf(getRhs()), expected,
                              error);
  return checkResult(*this, ok, error, expected);
}

//===----------------------------------------------------------------------===//
// Pooling and reshaping
//===----------------------------------------------------------------------===//

LogicalResult MaxPoolOp::verify() {
  shapes::Shape expected;
  std::string error;
  bool ok = shapes::pool(shapeOf(getInput()), getKernelShape(), getStrides(),
                         getPads(), getDilations(), getCeilMode(), expected,
                         error);
  return checkResult(*this, ok, error, expected);
}

LogicalResult GlobalAvgPoolOp::verify() {
  shapes::Shape expected;
  std::string error;
  bool ok = shapes::globalPool(shapeOf(getInput()), expected, error);
  return checkResult(*this, ok, error, expected);
}

LogicalResult FlattenOp::verify() {
  shapes::Shape expected;
  std::string error;
  bool ok = shapes::flatten(shapeOf(getInput()), getAxis(), expected, error);
  return checkResult(*this, ok, error, expected);
}

LogicalResult ReshapeOp::verify() {
  if (shapes::numElements(shapeOf(getInput())) !=
      shapes::numElements(shapeOf(getResult())))
    return emitOpError() << "cannot reshape " << shapes::str(shapeOf(getInput()))
                         << " to " << shapes::str(shapeOf(getResult()));
  return success();
}

LogicalResult GemmOp::verify() {
  shapes::Shape expected;
  std::string error;
  SmallVector<int64_t> c;
  if (getC())
    c.assign(shapeOf(getC()).begin(), shapeOf(getC()).end());
  bool ok = shapes::gemm(shapeOf(getA()), shapeOf(getB()), c, getTransA(),
                         getTransB(), expected, error);
  return checkResult(*this, ok, error, expected);
}

//===----------------------------------------------------------------------===//
// Physical layout
//===----------------------------------------------------------------------===//

/// Block size of "nchw<B>c", 0 for "nchw", -1 for anything else.
int64_t resnetc::layoutBlock(StringRef layout) {
  if (layout == "nchw")
    return 0;
  if (!layout.consume_front("nchw") || !layout.consume_back("c"))
    return -1;
  int64_t block;
  if (layout.getAsInteger(10, block) || block <= 0 || (block & (block - 1)))
    return -1;
  return block;
}

LogicalResult ReorderOp::verify() {
  for (StringRef l : {getFrom(), getTo()})
    if (layoutBlock(l) < 0)
      return emitOpError() << "unknown layout '" << l
                           << "' (expected nchw or nchw<B>c)";
  if (getFrom() == getTo())
    return emitOpError() << "reorder between identical layouts";
  if (shapeOf(getInput()).size() != 4)
    return emitOpError() << "expects a 4-D tensor";
  return success();
}
