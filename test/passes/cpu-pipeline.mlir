// The whole CPU pipeline on a tiny ResNet as the importer produces it
// (Identity-shared weights, unfolded BatchNorm, separate Relu and Add).
// RUN: resnetc-opt %s -resnetc-cpu-pipeline | FileCheck %s
// RUN: resnetc-opt %s -resnetc-cpu-pipeline="block=16 vector-registers=32 l1-kib=48 l2-kib=2048 threads=4" | FileCheck %s --check-prefix=B16

// CHECK: module attributes {resnetc.arena_size = 6144 : i64}
// CHECK-LABEL: func.func @tiny_resnet
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x8x8xf32>)
// CHECK-NOT: resnetc.identity
// CHECK-NOT: resnetc.batch_norm
// CHECK: %[[S:.*]] = resnetc.fused_conv %[[X]], {{.*}}activation = #resnetc<activation relu>{{.*}}resnetc.arena_offset = {{.*}}resnetc.layout = "nchw8c"{{.*}}tiling = #resnetc.conv_tiling<block = 8,
// CHECK: %[[A:.*]] = resnetc.fused_conv %[[S]], {{.*}}activation = #resnetc<activation relu>
// CHECK: resnetc.fused_conv %[[A]], %{{[^,]*}}, %{{[^,]*}}, %[[S]] {activation = #resnetc<activation relu>
// CHECK: resnetc.global_avg_pool {{.*}}resnetc.layout = "nchw"
// CHECK: resnetc.flatten
// CHECK: resnetc.gemm
// CHECK-NOT: resnetc.reorder
// CHECK: return
// B16: resnetc.layout = "nchw16c"{{.*}}tiling = #resnetc.conv_tiling<block = 16,
func.func @tiny_resnet(%x: tensor<1x3x8x8xf32>) -> tensor<1x10xf32> {
  %w0 = resnetc.constant dense<0.5> : tensor<8x3x3x3xf32>
  %w1 = resnetc.constant dense<0.25> : tensor<8x8x3x3xf32>
  %w1s = resnetc.identity %w1 : tensor<8x8x3x3xf32>
  %gamma = resnetc.constant dense<2.0> : tensor<8xf32>
  %beta = resnetc.constant dense<0.5> : tensor<8xf32>
  %mean = resnetc.constant dense<0.1> : tensor<8xf32>
  %var = resnetc.constant dense<4.0> : tensor<8xf32>
  %fw = resnetc.constant dense<1.0> : tensor<10x8xf32>
  %fb = resnetc.constant dense<0.0> : tensor<10xf32>
  %0 = resnetc.conv %x, %w0 {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x8x8xf32>
  %1 = resnetc.batch_norm %0, %gamma, %beta, %mean, %var {epsilon = 1.0e-5 : f32} : (tensor<1x8x8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
  %2 = resnetc.relu %1 : tensor<1x8x8x8xf32>
  %3 = resnetc.conv %2, %w1 {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x8x8x8xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x8x8xf32>
  %4 = resnetc.relu %3 : tensor<1x8x8x8xf32>
  %5 = resnetc.conv %4, %w1s {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x8x8x8xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x8x8xf32>
  %6 = resnetc.add %5, %2 : (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %7 = resnetc.relu %6 : tensor<1x8x8x8xf32>
  %8 = resnetc.dropout %7 : tensor<1x8x8x8xf32>
  %9 = resnetc.global_avg_pool %8 : (tensor<1x8x8x8xf32>) -> tensor<1x8x1x1xf32>
  %10 = resnetc.flatten %9 {axis = 1 : i64} : (tensor<1x8x1x1xf32>) -> tensor<1x8xf32>
  %11 = resnetc.gemm %10, %fw, %fb {trans_b = true} : (tensor<1x8xf32>, tensor<10x8xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  return %11 : tensor<1x10xf32>
}
