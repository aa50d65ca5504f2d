// Invalid targets are rejected.
// RUN: not resnetc-opt %s -resnetc-conv-tiling=block=12 2>&1 | FileCheck %s --check-prefix=BLOCK
// RUN: not resnetc-opt %s -resnetc-conv-tiling=vector-registers=2 2>&1 | FileCheck %s --check-prefix=REGS
// RUN: not resnetc-opt %s -resnetc-assign-layout=block=0 2>&1 | FileCheck %s --check-prefix=LAYOUT

// BLOCK: error: resnetc-conv-tiling: block must be a positive power of two, got 12
// REGS: error: resnetc-conv-tiling: 2 vector registers cannot hold an accumulator, a weight vector and the broadcast input
// LAYOUT: error: resnetc-assign-layout: block must be a positive power of two, got 0
func.func @f(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  return %x : tensor<1x4xf32>
}
