//===- Passes.td - graph-level rewrites of the resnetc dialect ------------===//
//
// Target-independent passes: they only rewrite resnetc ops into simpler or
// fused resnetc ops. Target-dependent decisions (layout, tiling, memory) are
// in passes/.
//
//===----------------------------------------------------------------------===//
#ifndef RESNETC_TRANSFORMS_PASSES
#define RESNETC_TRANSFORMS_PASSES

include "mlir/Pass/PassBase.td"

def Cleanup : Pass<"resnetc-cleanup", "mlir::func::FuncOp"> {
  let summary = "Remove Identity and inference-mode Dropout ops";
  let description = [{
    Replaces every `resnetc.identity` and `resnetc.dropout` by its operand
    and erases constants that are no longer used.
  }];
  let dependentDialects = ["::resnetc::ResnetcDialect"];
}

def FoldBatchNorm : Pass<"resnetc-fold-batchnorm", "mlir::func::FuncOp"> {
  let summary = "Fold inference-mode BatchNormalization into the preceding Conv";
  let description = [{
    For `batch_norm(conv(x, W, b))` where the conv result has no other use
    and all parameters are constants, rewrites to `conv(x, W', b')` with
    W'[o] = W[o] * s[o] and b'[o] = (b[o] - mean[o]) * s[o] + beta[o],
    s = gamma / sqrt(var + eps). A conv without bias gets one. A BatchNorm
    that cannot be folded is left in place (and later reported as
    unsupported by code generation).
  }];
  let dependentDialects = ["::resnetc::ResnetcDialect"];
}

def FuseConv : Pass<"resnetc-fuse-conv", "mlir::func::FuncOp"> {
  let summary = "Fuse Conv + bias + residual Add + Relu/Clip into fused_conv";
  let description = [{
    Every `resnetc.conv` becomes a `resnetc.fused_conv` (a missing bias is
    materialised as zeros). Then, greedily: an `add` of a fused_conv result
    (single use, no residual yet, no activation yet) and a tensor of the same
    type becomes the residual operand; a `relu` or `clip` of a fused_conv
    result (single use, no activation yet) becomes its activation.
  }];
  let dependentDialects = ["::resnetc::ResnetcDialect"];
}

#endif // RESNETC_TRANSFORMS_PASSES
