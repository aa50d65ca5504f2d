//===- ResnetcDialect.td - the resnetc dialect ----------------------------===//
//
// One op per ONNX operator resnetc understands (imported 1:1, static shapes),
// plus the ops the pipeline creates: fused_conv (conv + bias + residual +
// activation) and reorder (layout conversion).
//
//===----------------------------------------------------------------------===//
#ifndef RESNETC_DIALECT
#define RESNETC_DIALECT

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Resnetc_Dialect : Dialect {
  let name = "resnetc";
  let cppNamespace = "::resnetc";
  let summary = "Static-shape dataflow graphs of ResNet-family CNNs";
  let description = [{
    Tensors are float32 with static shapes in ONNX's logical layout (NCHW for
    images). Weights are `resnetc.constant` ops holding resource attributes,
    so multi-megabyte blobs never become textual literals. Physical layout,
    tiling and arena offsets are decided by passes and recorded as attributes.
  }];
  let useDefaultAttributePrinterParser = 1;
}

class Resnetc_Op<string mnemonic, list<Trait> traits = []>
    : Op<Resnetc_Dialect, mnemonic, traits>;

#endif // RESNETC_DIALECT
