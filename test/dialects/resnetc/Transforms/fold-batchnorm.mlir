// RUN: resnetc-opt %s -split-input-file -resnetc-fold-batchnorm | FileCheck %s

// s = gamma / sqrt(var + eps) = [3/sqrt(4), 1/sqrt(1)] = [1.5, 1]
// W' = W * s = [[1.5, 3], [3, 4]]
// b' = (0 - mean) * s + beta = [-1*1.5 + 0.5, -2*1 + 0] = [-1, -2]
// CHECK-LABEL: func.func @no_bias
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x4xf32>)
// CHECK-DAG: %[[W:.*]] = resnetc.constant dense_resource<[[WBLOB:w_bn.*]]> : tensor<2x2x1x1xf32>
// CHECK-DAG: %[[B:.*]] = resnetc.constant dense_resource<[[BBLOB:.*]]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = resnetc.conv %[[X]], %[[W]], %[[B]] {{.*}} -> tensor<1x2x4x4xf32>
// CHECK-NOT: resnetc.batch_norm
// CHECK: return %[[Y]]
// CHECK-DAG: [[WBLOB]]: "0x040000000000C03F000040400000404000008040"
// CHECK-DAG: [[BBLOB]]: "0x04000000000080BF000000C0"
func.func @no_bias(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = resnetc.constant dense_resource<w> : tensor<2x2x1x1xf32>
  %gamma = resnetc.constant dense<[3.0, 1.0]> : tensor<2xf32>
  %beta = resnetc.constant dense<[0.5, 0.0]> : tensor<2xf32>
  %mean = resnetc.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %var = resnetc.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = resnetc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = resnetc.batch_norm %0, %gamma, %beta, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F000000400000404000008040"
    }
  }
#-}

// -----

// With a bias b = [1, 1]: b' = (b - mean) * s + beta = [0.5, -1]. The old
// weight, bias and BatchNorm parameters are erased.
// CHECK-LABEL: func.func @with_bias
// CHECK-NOT: dense<
// CHECK: %[[B:.*]] = resnetc.constant dense_resource<[[BBLOB:b_bn.*]]> : tensor<2xf32>
// CHECK-NOT: resnetc.constant
// CHECK: resnetc.conv %{{.*}}, %{{.*}}, %[[B]]
// CHECK-NOT: resnetc.batch_norm
// CHECK: [[BBLOB]]: "0x040000000000003F000080BF"
func.func @with_bias(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = resnetc.constant dense_resource<w> : tensor<2x2x1x1xf32>
  %b = resnetc.constant dense_resource<b> : tensor<2xf32>
  %gamma = resnetc.constant dense<[3.0, 1.0]> : tensor<2xf32>
  %beta = resnetc.constant dense<[0.5, 0.0]> : tensor<2xf32>
  %mean = resnetc.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %var = resnetc.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = resnetc.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %1 = resnetc.batch_norm %0, %gamma, %beta, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F000000400000404000008040",
      b: "0x040000000000803F0000803F"
    }
  }
#-}

// -----

// A weight shared with another conv is cloned: the other conv keeps the
// original values. Plain dense weights work too.
// CHECK-LABEL: func.func @shared_weight
// CHECK: %[[W:.*]] = resnetc.constant dense<1.000000e+00> : tensor<2x2x1x1xf32>
// CHECK: %[[A:.*]] = resnetc.conv %{{.*}}, %[[W]] {
// CHECK: %[[WF:.*]] = resnetc.constant dense_resource<{{.*}}> : tensor<2x2x1x1xf32>
// CHECK: %[[F:.*]] = resnetc.conv %[[A]], %[[WF]], %{{.*}} {
// CHECK-NOT: resnetc.batch_norm
// CHECK: return %[[F]]
// CHECK: "0x040000000000C03F0000C03F0000803F0000803F"
func.func @shared_weight(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = resnetc.constant dense<1.0> : tensor<2x2x1x1xf32>
  %gamma = resnetc.constant dense<[3.0, 1.0]> : tensor<2xf32>
  %beta = resnetc.constant dense<[0.5, 0.0]> : tensor<2xf32>
  %mean = resnetc.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %var = resnetc.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = resnetc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = resnetc.conv %0, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %2 = resnetc.batch_norm %1, %gamma, %beta, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %2 : tensor<1x2x4x4xf32>
}

// -----

// Not folded: the conv result has another use (folding would change it).
// CHECK-LABEL: func.func @conv_has_other_use
// CHECK: resnetc.batch_norm
func.func @conv_has_other_use(%x: tensor<1x2x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = resnetc.constant dense<1.0> : tensor<2x2x1x1xf32>
  %p = resnetc.constant dense<1.0> : tensor<2xf32>
  %0 = resnetc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = resnetc.batch_norm %0, %p, %p, %p, %p {epsilon = 1.0e-5 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %0, %1 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// Not folded: a parameter is not a constant.
// CHECK-LABEL: func.func @parameter_not_constant
// CHECK: resnetc.conv %{{.*}}, %{{.*}} {
// CHECK: resnetc.batch_norm
func.func @parameter_not_constant(%x: tensor<1x2x4x4xf32>, %gamma: tensor<2xf32>) -> tensor<1x2x4x4xf32> {
  %w = resnetc.constant dense<1.0> : tensor<2x2x1x1xf32>
  %p = resnetc.constant dense<1.0> : tensor<2xf32>
  %0 = resnetc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = resnetc.batch_norm %0, %gamma, %p, %p, %p {epsilon = 1.0e-5 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// Not folded: the weight blob is elided, so its values are unknown.
// CHECK-LABEL: func.func @elided_weight
// CHECK: resnetc.batch_norm
func.func @elided_weight(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = resnetc.constant dense_resource<__elided__> : tensor<2x2x1x1xf32>
  %p = resnetc.constant dense<1.0> : tensor<2xf32>
  %0 = resnetc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = resnetc.batch_norm %0, %p, %p, %p, %p {epsilon = 1.0e-5 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// Not folded: the BatchNorm does not follow a conv.
// CHECK-LABEL: func.func @not_after_conv
// CHECK: resnetc.batch_norm
func.func @not_after_conv(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %p = resnetc.constant dense<1.0> : tensor<2xf32>
  %0 = resnetc.relu %x : tensor<1x2x4x4xf32>
  %1 = resnetc.batch_norm %0, %p, %p, %p, %p {epsilon = 1.0e-5 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}
