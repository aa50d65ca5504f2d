//===- ResnetcOps.td - resnetc operations ----------------------------------===//
//
// Every op has a verifier that recomputes its result shape from its operands
// and attributes (the same shape functions the importer uses), so IR written
// by hand or produced by a pass cannot silently disagree with ONNX semantics.
//
//===----------------------------------------------------------------------===//
#ifndef RESNETC_OPS
#define RESNETC_OPS

include "dialects/resnetc/IR/ResnetcDialect.td"
include "dialects/resnetc/IR/ResnetcAttrs.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Resnetc_Tensor : StaticShapeTensorOf<[F32]>;
def Resnetc_I64Tensor : StaticShapeTensorOf<[I64]>;
def Resnetc_AnyTensor : StaticShapeTensorOf<[F32, I64]>;

def Resnetc_Pair : ConfinedAttr<DenseI64ArrayAttr, [DenseArrayCount<2>]>;
def Resnetc_Quad : ConfinedAttr<DenseI64ArrayAttr, [DenseArrayCount<4>]>;

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

def Resnetc_ConstantOp : Resnetc_Op<"constant", [Pure, ConstantLike,
    AllTypesMatch<["value", "result"]>]> {
  let summary = "A constant tensor (an ONNX initializer or Constant node)";
  let description = [{
    Weights are `dense_resource<...>` attributes: the bytes live in the
    module's resource section, not in the textual IR. Small constants (shape
    tensors) may be plain `dense<...>`.
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Resnetc_AnyTensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Resnetc_IdentityOp : Resnetc_Op<"identity", [Pure,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "ONNX Identity (removed by resnetc-cleanup)";
  let arguments = (ins Resnetc_AnyTensor:$input);
  let results = (outs Resnetc_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Resnetc_DropoutOp : Resnetc_Op<"dropout", [Pure,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "ONNX Dropout in inference mode (removed by resnetc-cleanup)";
  let arguments = (ins Resnetc_Tensor:$input);
  let results = (outs Resnetc_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

//===----------------------------------------------------------------------===//
// Convolution and normalisation
//===----------------------------------------------------------------------===//

def Resnetc_ConvOp : Resnetc_Op<"conv", [Pure]> {
  let summary = "ONNX Conv (2-D, NCHW, weights OIHW)";
  let description = [{
    `pads` are [top, left, bottom, right]; asymmetric padding is allowed.
  }];
  let arguments = (ins Resnetc_Tensor:$input, Resnetc_Tensor:$weight,
                   Optional<Resnetc_Tensor>:$bias,
                   Resnetc_Pair:$strides, Resnetc_Quad:$pads,
                   Resnetc_Pair:$dilations,
                   ConfinedAttr<I64Attr, [IntPositive]>:$group);
  let results = (outs Resnetc_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Resnetc_BatchNormOp : Resnetc_Op<"batch_norm", [Pure]> {
  let summary = "ONNX BatchNormalization in inference mode";
  let arguments = (ins Resnetc_Tensor:$input, Resnetc_Tensor:$scale,
                   Resnetc_Tensor:$bias, Resnetc_Tensor:$mean,
                   Resnetc_Tensor:$variance, F32Attr:$epsilon);
  let results = (outs Resnetc_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Resnetc_FusedConvOp : Resnetc_Op<"fused_conv", [Pure]> {
  let summary = "act(conv(input, weight) + bias [+ residual])";
  let description = [{
    Created by resnetc-fuse-conv. `bias` is always present (zeros when the
    source conv had none). `tiling` is set by resnetc-conv-tiling.
  }];
  let arguments = (ins Resnetc_Tensor:$input, Resnetc_Tensor:$weight,
                   Resnetc_Tensor:$bias, Optional<Resnetc_Tensor>:$residual,
                   Resnetc_Pair:$strides, Resnetc_Quad:$pads,
                   Resnetc_Pair:$dilations,
                   ConfinedAttr<I64Attr, [IntPositive]>:$group,
                   DefaultValuedAttr<Resnetc_ActivationAttr,
                                     "::resnetc::Activation::none">:$activation,
                   DefaultValuedAttr<F32Attr, "0.0f">:$clip_min,
                   DefaultValuedAttr<F32Attr, "0.0f">:$clip_max,
                   OptionalAttr<Resnetc_ConvTilingAttr>:$tiling);
  let results = (outs Resnetc_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight `,` $bias (`,` $residual^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

def Resnetc_ReluOp : Resnetc_Op<"relu", [Pure,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "ONNX Relu";
  let arguments = (ins Resnetc_Tensor:$input);
  let results = (outs Resnetc_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Resnetc_ClipOp : Resnetc_Op<"clip", [Pure,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "ONNX Clip with constant bounds";
  let arguments = (ins Resnetc_Tensor:$input, F32Attr:$min, F32Attr:$max);
  let results = (outs Resnetc_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Resnetc_AddOp : Resnetc_Op<"add", [Pure, Commutative]> {
  let summary = "ONNX Add (multidirectional broadcasting)";
  let arguments = (ins Resnetc_Tensor:$lhs, Resnetc_Tensor:$rhs);
  let results = (outs Resnetc_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Pooling and reshaping
//===----------------------------------------------------------------------===//

def Resnetc_MaxPoolOp : Resnetc_Op<"max_pool", [Pure]> {
  let summary = "ONNX MaxPool (2-D)";
  let arguments = (ins Resnetc_Tensor:$input, Resnetc_Pair:$kernel_shape,
                   Resnetc_Pair:$strides, Resnetc_Quad:$pads,
                   Resnetc_Pair:$dilations,
                   DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
  let results = (outs Resnetc_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Resnetc_GlobalAvgPoolOp : Resnetc_Op<"global_avg_pool", [Pure]> {
  let summary = "ONNX GlobalAveragePool: mean over H and W";
  let arguments = (ins Resnetc_Tensor:$input);
  let results = (outs Resnetc_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Resnetc_FlattenOp : Resnetc_Op<"flatten", [Pure]> {
  let summary = "ONNX Flatten: 2-D view split at `axis`";
  let arguments = (ins Resnetc_Tensor:$input,
                   ConfinedAttr<I64Attr, [IntNonNegative]>:$axis);
  let results = (outs Resnetc_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Resnetc_ReshapeOp : Resnetc_Op<"reshape", [Pure]> {
  let summary = "ONNX Reshape with a shape known at compile time";
  let description = [{
    The importer resolves the ONNX shape operand (0 = copy, -1 = infer) into
    the static result type; only the element count must agree.
  }];
  let arguments = (ins Resnetc_Tensor:$input);
  let results = (outs Resnetc_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Resnetc_GemmOp : Resnetc_Op<"gemm", [Pure]> {
  let summary = "ONNX Gemm: alpha * A' * B' + beta * C";
  let arguments = (ins Resnetc_Tensor:$a, Resnetc_Tensor:$b,
                   Optional<Resnetc_Tensor>:$c,
                   DefaultValuedAttr<F32Attr, "1.0f">:$alpha,
                   DefaultValuedAttr<F32Attr, "1.0f">:$beta,
                   DefaultValuedAttr<BoolAttr, "false">:$trans_a,
                   DefaultValuedAttr<BoolAttr, "false">:$trans_b);
  let results = (outs Resnetc_Tensor:$result);
  let assemblyFormat = [{
    $a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Physical layout
//===----------------------------------------------------------------------===//

def Resnetc_ReorderOp : Resnetc_Op<"reorder", [Pure,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "Changes the physical layout of a tensor, not its value";
  let description = [{
    Inserted by resnetc-assign-layout where a value crosses from one layout
    to another (the graph's input and output, or a reshape of a blocked
    tensor). Layouts are "nchw" (ONNX's own) and "nchw<B>c" (channels in
    blocks of B, zero-padded).
  }];
  let arguments = (ins Resnetc_Tensor:$input, StrAttr:$from, StrAttr:$to);
  let results = (outs Resnetc_Tensor:$result);
  let assemblyFormat = "$input $from `->` $to attr-dict `:` type($input)";
  let hasVerifier = 1;
}

#endif // RESNETC_OPS
