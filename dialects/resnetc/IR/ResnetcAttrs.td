//===- ResnetcAttrs.td - resnetc attributes --------------------------------===//
#ifndef RESNETC_ATTRS
#define RESNETC_ATTRS

include "dialects/resnetc/IR/ResnetcDialect.td"
include "mlir/IR/EnumAttr.td"

def Resnetc_Activation : I32EnumAttr<"Activation",
    "elementwise function applied after the convolution", [
      I32EnumAttrCase<"none", 0>,
      I32EnumAttrCase<"relu", 1>,
      I32EnumAttrCase<"clip", 2>
    ]> {
  let cppNamespace = "::resnetc";
  let genSpecializedAttr = 0;
}

// Printed by name: `activation = #resnetc<activation relu>`.
def Resnetc_ActivationAttr : EnumAttr<Resnetc_Dialect, Resnetc_Activation,
                                      "activation">;

def Resnetc_ConvTilingAttr : AttrDef<Resnetc_Dialect, "ConvTiling"> {
  let mnemonic = "conv_tiling";
  let summary = "How one fused convolution is computed on the target";
  let description = [{
    Chosen by `resnetc-conv-tiling` from a cost model and obeyed by the
    Halide schedule. The register tile holds `oc_blocks x rows x cols`
    accumulator vectors of `block` floats; `ic_blocks_per_step` splits the
    reduction so the weights of one step stay in L2 (0: no split);
    `rows_per_task` output rows form one parallel task; `flatten_pixels`
    treats H*W as one axis (1x1 stride-1 convolutions).
  }];
  let parameters = (ins "int64_t":$block, "int64_t":$oc_blocks,
                        "int64_t":$rows, "int64_t":$cols,
                        "int64_t":$ic_blocks_per_step,
                        "int64_t":$rows_per_task, "bool":$flatten_pixels);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // RESNETC_ATTRS
