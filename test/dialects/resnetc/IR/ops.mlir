// Every op and attribute parses, prints and parses again (also through the
// generic form).
// RUN: resnetc-opt %s | resnetc-opt | FileCheck %s
// RUN: resnetc-opt %s -mlir-print-op-generic | resnetc-opt | FileCheck %s

// CHECK-LABEL: func.func @constants
func.func @constants() -> (tensor<2xf32>, tensor<2xf32>, tensor<2xi64>) {
  // CHECK: resnetc.constant dense_resource<w> : tensor<2xf32>
  %0 = resnetc.constant dense_resource<w> : tensor<2xf32>
  // CHECK: resnetc.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  %1 = resnetc.constant dense<[1.0, 2.0]> : tensor<2xf32>
  // CHECK: resnetc.constant dense<[1, -1]> : tensor<2xi64>
  %2 = resnetc.constant dense<[1, -1]> : tensor<2xi64>
  return %0, %1, %2 : tensor<2xf32>, tensor<2xf32>, tensor<2xi64>
}

// CHECK-LABEL: func.func @forwarding
func.func @forwarding(%x: tensor<1x4xf32>, %i: tensor<2xi64>) -> (tensor<1x4xf32>, tensor<2xi64>) {
  // CHECK: resnetc.identity %{{.*}} : tensor<2xi64>
  %0 = resnetc.identity %i : tensor<2xi64>
  // CHECK: resnetc.dropout %{{.*}} : tensor<1x4xf32>
  %1 = resnetc.dropout %x : tensor<1x4xf32>
  return %1, %0 : tensor<1x4xf32>, tensor<2xi64>
}

// CHECK-LABEL: func.func @conv
func.func @conv(%x: tensor<1x4x8x8xf32>, %w: tensor<8x2x3x3xf32>, %b: tensor<8xf32>) -> (tensor<1x8x4x4xf32>, tensor<1x8x6x6xf32>) {
  // CHECK: resnetc.conv %{{.*}}, %{{.*}}, %{{.*}} {{{.*}}group = 2 : i64{{.*}}} : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %0 = resnetc.conv %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  // CHECK: resnetc.conv %{{.*}}, %{{.*}} {{{.*}}} : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>) -> tensor<1x8x6x6xf32>
  %1 = resnetc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %0, %1 : tensor<1x8x4x4xf32>, tensor<1x8x6x6xf32>
}

// CHECK-LABEL: func.func @batch_norm
func.func @batch_norm(%x: tensor<1x4x8x8xf32>, %p: tensor<4xf32>) -> tensor<1x4x8x8xf32> {
  // CHECK: resnetc.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 9.99999974E-6 : f32}
  %0 = resnetc.batch_norm %x, %p, %p, %p, %p {epsilon = 1.0e-5 : f32} : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// CHECK-LABEL: func.func @fused_conv
func.func @fused_conv(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x1x1xf32>, %b: tensor<4xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) {
  // CHECK: %[[A:.*]] = resnetc.fused_conv %{{.*}}, %{{.*}}, %{{.*}} {{{.*}}} : (tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  %0 = resnetc.fused_conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: resnetc.fused_conv %{{.*}}, %{{.*}}, %{{.*}}, %[[A]] {activation = #resnetc<activation clip>, clip_max = 6.000000e+00 : f32, clip_min = -1.000000e+00 : f32, {{.*}}tiling = #resnetc.conv_tiling<block = 8, oc_blocks = 1, rows = 2, cols = 4, ic_blocks_per_step = 0, rows_per_task = 4, flatten_pixels = false>}
  %1 = resnetc.fused_conv %x, %w, %b, %0 {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, activation = #resnetc<activation clip>, clip_min = -1.0 : f32, clip_max = 6.0 : f32, tiling = #resnetc.conv_tiling<block = 8, oc_blocks = 1, rows = 2, cols = 4, ic_blocks_per_step = 0, rows_per_task = 4, flatten_pixels = false>} : (tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>, tensor<4xf32>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return %0, %1 : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>
}

// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%x: tensor<1x4x8x8xf32>, %c: tensor<4x1x1xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) {
  // CHECK: %[[R:.*]] = resnetc.relu %{{.*}} : tensor<1x4x8x8xf32>
  %0 = resnetc.relu %x : tensor<1x4x8x8xf32>
  // CHECK: resnetc.clip %[[R]] {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32} : tensor<1x4x8x8xf32>
  %1 = resnetc.clip %0 {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x4x8x8xf32>
  // CHECK: resnetc.add %{{.*}}, %{{.*}} : (tensor<1x4x8x8xf32>, tensor<4x1x1xf32>) -> tensor<1x4x8x8xf32>
  %2 = resnetc.add %1, %c : (tensor<1x4x8x8xf32>, tensor<4x1x1xf32>) -> tensor<1x4x8x8xf32>
  return %1, %2 : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>
}

// CHECK-LABEL: func.func @pooling
func.func @pooling(%x: tensor<1x4x8x8xf32>) -> (tensor<1x4x5x5xf32>, tensor<1x4x1x1xf32>) {
  // CHECK: resnetc.max_pool %{{.*}} {ceil_mode = true, {{.*}}} : (tensor<1x4x8x8xf32>) -> tensor<1x4x5x5xf32>
  %0 = resnetc.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, ceil_mode = true} : (tensor<1x4x8x8xf32>) -> tensor<1x4x5x5xf32>
  // CHECK: resnetc.global_avg_pool %{{.*}} : (tensor<1x4x8x8xf32>) -> tensor<1x4x1x1xf32>
  %1 = resnetc.global_avg_pool %x : (tensor<1x4x8x8xf32>) -> tensor<1x4x1x1xf32>
  return %0, %1 : tensor<1x4x5x5xf32>, tensor<1x4x1x1xf32>
}

// CHECK-LABEL: func.func @reshaping
func.func @reshaping(%x: tensor<1x4x1x1xf32>) -> (tensor<1x4xf32>, tensor<2x2xf32>) {
  // CHECK: resnetc.flatten %{{.*}} {axis = 1 : i64} : (tensor<1x4x1x1xf32>) -> tensor<1x4xf32>
  %0 = resnetc.flatten %x {axis = 1 : i64} : (tensor<1x4x1x1xf32>) -> tensor<1x4xf32>
  // CHECK: resnetc.reshape %{{.*}} : (tensor<1x4x1x1xf32>) -> tensor<2x2xf32>
  %1 = resnetc.reshape %x : (tensor<1x4x1x1xf32>) -> tensor<2x2xf32>
  return %0, %1 : tensor<1x4xf32>, tensor<2x2xf32>
}

// CHECK-LABEL: func.func @gemm
func.func @gemm(%a: tensor<1x4xf32>, %b: tensor<3x4xf32>, %c: tensor<3xf32>) -> (tensor<1x3xf32>, tensor<1x3xf32>) {
  // CHECK: resnetc.gemm %{{.*}}, %{{.*}}, %{{.*}} {alpha = 2.000000e+00 : f32, trans_b = true} : (tensor<1x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  %0 = resnetc.gemm %a, %b, %c {alpha = 2.0 : f32, beta = 1.0 : f32, trans_b = true} : (tensor<1x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  // CHECK: resnetc.gemm %{{.*}}, %{{.*}} {trans_b = true} : (tensor<1x4xf32>, tensor<3x4xf32>) -> tensor<1x3xf32>
  %1 = resnetc.gemm %a, %b {trans_b = true} : (tensor<1x4xf32>, tensor<3x4xf32>) -> tensor<1x3xf32>
  return %0, %1 : tensor<1x3xf32>, tensor<1x3xf32>
}

// CHECK-LABEL: func.func @reorder
func.func @reorder(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32> {
  // CHECK: %[[B:.*]] = resnetc.reorder %{{.*}} "nchw" -> "nchw8c" : tensor<1x4x8x8xf32>
  %0 = resnetc.reorder %x "nchw" -> "nchw8c" : tensor<1x4x8x8xf32>
  // CHECK: resnetc.reorder %[[B]] "nchw8c" -> "nchw" : tensor<1x4x8x8xf32>
  %1 = resnetc.reorder %0 "nchw8c" -> "nchw" : tensor<1x4x8x8xf32>
  return %1 : tensor<1x4x8x8xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F00000040"
    }
  }
#-}
