// RUN: resnetc-opt %s -split-input-file -resnetc-cleanup | FileCheck %s

// Identity and Dropout forward their operand; chains collapse.
// CHECK-LABEL: func.func @forwarding
// CHECK-SAME: (%[[X:.*]]: tensor<1x4xf32>)
func.func @forwarding(%x: tensor<1x4xf32>) -> (tensor<1x4xf32>, tensor<1x4xf32>) {
  // CHECK-NOT: resnetc.identity
  // CHECK-NOT: resnetc.dropout
  // CHECK: %[[R:.*]] = resnetc.relu %[[X]]
  // CHECK: return %[[R]], %[[X]]
  %0 = resnetc.identity %x : tensor<1x4xf32>
  %1 = resnetc.dropout %0 : tensor<1x4xf32>
  %2 = resnetc.relu %1 : tensor<1x4xf32>
  %3 = resnetc.identity %0 : tensor<1x4xf32>
  return %2, %3 : tensor<1x4xf32>, tensor<1x4xf32>
}

// -----

// A weight shared behind Identity (how exporters merge equal initializers)
// is used directly; unused constants go, used ones stay.
// CHECK-LABEL: func.func @constants
func.func @constants(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  // CHECK-NOT: resnetc.constant dense<2.0
  // CHECK: %[[C:.*]] = resnetc.constant dense<1.000000e+00>
  // CHECK-NOT: resnetc.constant
  // CHECK: resnetc.add %{{.*}}, %[[C]]
  %unused = resnetc.constant dense<2.0> : tensor<1x4xf32>
  %shape = resnetc.constant dense<[1, 4]> : tensor<2xi64>
  %c = resnetc.constant dense<1.0> : tensor<1x4xf32>
  %shared = resnetc.identity %c : tensor<1x4xf32>
  %0 = resnetc.add %x, %shared : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

// Nothing to do: the function is unchanged.
// CHECK-LABEL: func.func @nothing
// CHECK-NEXT: resnetc.relu
// CHECK-NEXT: return
func.func @nothing(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %0 = resnetc.relu %x : tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}
