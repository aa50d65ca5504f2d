// RUN: resnetc-opt %s -split-input-file -resnetc-assign-layout | FileCheck %s
// RUN: resnetc-opt %s -split-input-file -resnetc-assign-layout=block=16 | FileCheck %s --check-prefix=B16

// A small ResNet: the 3-channel stem reads the graph input directly, every
// 4-D activation is blocked, global_avg_pool feeds flatten in "nchw", so no
// reorder is needed anywhere.
// CHECK-LABEL: func.func @resnet
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x16x16xf32>)
// CHECK-NOT: resnetc.reorder
// CHECK: %[[S:.*]] = resnetc.fused_conv %[[X]], {{.*}}resnetc.layout = "nchw8c"
// CHECK: %[[P:.*]] = resnetc.max_pool %[[S]] {{.*}}resnetc.layout = "nchw8c"
// CHECK: %[[B:.*]] = resnetc.fused_conv %[[P]], %{{[^,]*}}, %{{[^,]*}}, %[[P]] {{.*}}resnetc.layout = "nchw8c"
// CHECK: resnetc.global_avg_pool %[[B]] {resnetc.layout = "nchw"}
// CHECK: resnetc.flatten {{.*}}resnetc.layout = "nchw"
// CHECK: resnetc.gemm {{.*}}resnetc.layout = "nchw"
// CHECK: resnetc.relu {{.*}}{resnetc.layout = "nchw"} : tensor<1x10xf32>
// CHECK-NOT: resnetc.reorder
// B16-LABEL: func.func @resnet
// B16: resnetc.fused_conv {{.*}}resnetc.layout = "nchw16c"
// B16-NOT: resnetc.reorder
// B16: return
func.func @resnet(%x: tensor<1x3x16x16xf32>) -> tensor<1x10xf32> {
  %w0 = resnetc.constant dense<1.0> : tensor<16x3x3x3xf32>
  %b = resnetc.constant dense<0.0> : tensor<16xf32>
  %w1 = resnetc.constant dense<1.0> : tensor<16x16x3x3xf32>
  %fw = resnetc.constant dense<1.0> : tensor<10x16xf32>
  %0 = resnetc.fused_conv %x, %w0, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, activation = #resnetc<activation relu>} : (tensor<1x3x16x16xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  %1 = resnetc.max_pool %0 {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x16x8x8xf32>) -> tensor<1x16x4x4xf32>
  %2 = resnetc.fused_conv %1, %w1, %b, %1 {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, activation = #resnetc<activation relu>} : (tensor<1x16x4x4xf32>, tensor<16x16x3x3xf32>, tensor<16xf32>, tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  %3 = resnetc.global_avg_pool %2 : (tensor<1x16x4x4xf32>) -> tensor<1x16x1x1xf32>
  %4 = resnetc.flatten %3 {axis = 1 : i64} : (tensor<1x16x1x1xf32>) -> tensor<1x16xf32>
  %5 = resnetc.gemm %4, %fw {trans_b = true} : (tensor<1x16xf32>, tensor<10x16xf32>) -> tensor<1x10xf32>
  %6 = resnetc.relu %5 : tensor<1x10xf32>
  return %6 : tensor<1x10xf32>
}

// -----

// 16 input channels: the graph input is reordered once, before its first
// user, and the reorder is shared. A returned blocked value is reordered to
// "nchw" for the caller; its blocked user reads it directly.
// CHECK-LABEL: func.func @input_and_output
// CHECK-SAME: (%[[X:.*]]: tensor<1x16x4x4xf32>)
// CHECK: %[[R:.*]] = resnetc.reorder %[[X]] "nchw" -> "nchw8c" {resnetc.layout = "nchw8c"}
// CHECK-NEXT: %[[A:.*]] = resnetc.fused_conv %[[R]],
// CHECK-NEXT: %[[B:.*]] = resnetc.fused_conv %[[R]],
// CHECK-NEXT: %[[C:.*]] = resnetc.relu %[[B]] {resnetc.layout = "nchw8c"}
// CHECK-DAG: %[[AO:.*]] = resnetc.reorder %[[A]] "nchw8c" -> "nchw" {resnetc.layout = "nchw"}
// CHECK-DAG: %[[CO:.*]] = resnetc.reorder %[[C]] "nchw8c" -> "nchw" {resnetc.layout = "nchw"}
// CHECK: return %[[AO]], %[[CO]]
// B16-LABEL: func.func @input_and_output
// B16: resnetc.reorder %{{.*}} "nchw" -> "nchw16c"
func.func @input_and_output(%x: tensor<1x16x4x4xf32>) -> (tensor<1x16x4x4xf32>, tensor<1x16x4x4xf32>) {
  %w = resnetc.constant dense<1.0> : tensor<16x16x1x1xf32>
  %b = resnetc.constant dense<0.0> : tensor<16xf32>
  %0 = resnetc.fused_conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x4x4xf32>, tensor<16x16x1x1xf32>, tensor<16xf32>) -> tensor<1x16x4x4xf32>
  %1 = resnetc.fused_conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x4x4xf32>, tensor<16x16x1x1xf32>, tensor<16xf32>) -> tensor<1x16x4x4xf32>
  %2 = resnetc.relu %1 : tensor<1x16x4x4xf32>
  return %0, %2 : tensor<1x16x4x4xf32>, tensor<1x16x4x4xf32>
}

// -----

// A conv reads "nchw" only with fewer than B input channels and group 1:
// at B=8 an 8-channel input is reordered, at B=16 it is read directly
// unless the conv is grouped.
// CHECK-LABEL: func.func @narrow_input
// CHECK: %[[R:.*]] = resnetc.reorder %{{.*}} "nchw" -> "nchw8c"
// CHECK-NEXT: resnetc.fused_conv %[[R]],
// CHECK-NEXT: resnetc.fused_conv %[[R]],
// B16-LABEL: func.func @narrow_input
// B16-SAME: (%[[X:.*]]: tensor<1x8x4x4xf32>)
// B16: resnetc.fused_conv %[[X]], {{.*}}group = 1 : i64
// B16-NEXT: %[[R:.*]] = resnetc.reorder %[[X]] "nchw" -> "nchw16c"
// B16-NEXT: resnetc.fused_conv %[[R]], {{.*}}group = 2 : i64
func.func @narrow_input(%x: tensor<1x8x4x4xf32>) -> (tensor<1x16x4x4xf32>, tensor<1x16x4x4xf32>) {
  %w = resnetc.constant dense<1.0> : tensor<16x8x1x1xf32>
  %wg = resnetc.constant dense<1.0> : tensor<16x4x1x1xf32>
  %b = resnetc.constant dense<0.0> : tensor<16xf32>
  %0 = resnetc.fused_conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<16x8x1x1xf32>, tensor<16xf32>) -> tensor<1x16x4x4xf32>
  %1 = resnetc.fused_conv %x, %wg, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x8x4x4xf32>, tensor<16x4x1x1xf32>, tensor<16xf32>) -> tensor<1x16x4x4xf32>
  return %0, %1 : tensor<1x16x4x4xf32>, tensor<1x16x4x4xf32>
}

// -----

// global_avg_pool stays blocked when a user wants blocked (a 1x1 conv, as
// in squeeze-and-excitation); a reshape of a blocked tensor needs "nchw".
// CHECK-LABEL: func.func @pool_users
// CHECK: %[[G:.*]] = resnetc.global_avg_pool %{{.*}} {resnetc.layout = "nchw8c"}
// CHECK: %[[GN:.*]] = resnetc.reorder %[[G]] "nchw8c" -> "nchw"
// CHECK-NEXT: resnetc.reshape %[[GN]]
// CHECK: resnetc.fused_conv %[[G]],
func.func @pool_users(%x: tensor<1x16x4x4xf32>) -> (tensor<1x16xf32>, tensor<1x16x1x1xf32>) {
  %w = resnetc.constant dense<1.0> : tensor<16x16x1x1xf32>
  %b = resnetc.constant dense<0.0> : tensor<16xf32>
  %0 = resnetc.max_pool %x {kernel_shape = array<i64: 1, 1>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  %1 = resnetc.global_avg_pool %0 : (tensor<1x16x4x4xf32>) -> tensor<1x16x1x1xf32>
  %2 = resnetc.reshape %1 : (tensor<1x16x1x1xf32>) -> tensor<1x16xf32>
  %3 = resnetc.fused_conv %1, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x1x1xf32>, tensor<16x16x1x1xf32>, tensor<16xf32>) -> tensor<1x16x1x1xf32>
  return %2, %3 : tensor<1x16xf32>, tensor<1x16x1x1xf32>
}

// -----

// An unsupported op (an unfolded batch_norm) gets no layout and keeps its
// operands; its result is read as "nchw". A broadcasting add runs in
// "nchw".
// CHECK-LABEL: func.func @unsupported
// CHECK: %[[C:.*]] = resnetc.fused_conv {{.*}}resnetc.layout = "nchw8c"
// CHECK: %[[N:.*]] = resnetc.batch_norm %[[C]], {{.*}}{epsilon = {{.*}} : f32} :
// CHECK: %[[NB:.*]] = resnetc.reorder %[[N]] "nchw" -> "nchw8c"
// CHECK: %[[P:.*]] = resnetc.max_pool %[[NB]]
// CHECK: %[[PN:.*]] = resnetc.reorder %[[P]] "nchw8c" -> "nchw"
// CHECK: resnetc.add %[[PN]], %{{.*}} {resnetc.layout = "nchw"}
func.func @unsupported(%x: tensor<1x3x4x4xf32>, %c: tensor<16x1x1xf32>) -> tensor<1x16x4x4xf32> {
  %w = resnetc.constant dense<1.0> : tensor<16x3x1x1xf32>
  %b = resnetc.constant dense<0.0> : tensor<16xf32>
  %0 = resnetc.fused_conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x3x4x4xf32>, tensor<16x3x1x1xf32>, tensor<16xf32>) -> tensor<1x16x4x4xf32>
  %1 = resnetc.batch_norm %0, %b, %b, %b, %b {epsilon = 1.0e-5 : f32} : (tensor<1x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x16x4x4xf32>
  %2 = resnetc.max_pool %1 {kernel_shape = array<i64: 1, 1>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  %3 = resnetc.add %2, %c : (tensor<1x16x4x4xf32>, tensor<16x1x1xf32>) -> tensor<1x16x4x4xf32>
  return %3 : tensor<1x16x4x4xf32>
}
