// RUN: resnetc-opt %s -split-input-file -resnetc-fuse-conv | FileCheck %s

// A conv without bias gets a zero bias; one with a bias keeps it.
// CHECK-LABEL: func.func @bias
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x4x4xf32>, %[[W:.*]]: tensor<8x8x3x3xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK: %[[Z:.*]] = resnetc.constant dense<0.000000e+00> : tensor<8xf32>
// CHECK: %[[A:.*]] = resnetc.fused_conv %[[X]], %[[W]], %[[Z]] {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
// CHECK: resnetc.fused_conv %[[A]], %[[W]], %[[B]] {
// CHECK-NOT: resnetc.conv
func.func @bias(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x3x3xf32>, %b: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  %0 = resnetc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x4x4xf32>
  %1 = resnetc.conv %0, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<8x8x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return %1 : tensor<1x8x4x4xf32>
}

// -----

// A ResNet basic block: relu(conv(relu(conv(x))) + x).
// CHECK-LABEL: func.func @basic_block
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x4x4xf32>,
// CHECK: %[[A:.*]] = resnetc.fused_conv %[[X]], %{{.*}}, %{{.*}} {activation = #resnetc<activation relu>,
// CHECK: %[[B:.*]] = resnetc.fused_conv %[[A]], %{{.*}}, %{{.*}}, %[[X]] {activation = #resnetc<activation relu>,
// CHECK-NEXT: return %[[B]]
func.func @basic_block(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x3x3xf32>, %b: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  %0 = resnetc.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<8x8x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %1 = resnetc.relu %0 : tensor<1x8x4x4xf32>
  %2 = resnetc.conv %1, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<8x8x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %3 = resnetc.add %x, %2 : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %4 = resnetc.relu %3 : tensor<1x8x4x4xf32>
  return %4 : tensor<1x8x4x4xf32>
}

// -----

// Projection shortcut: both add operands are fusable convs. The later one
// takes the earlier one as residual, whatever the operand order.
// CHECK-LABEL: func.func @projection
// CHECK: %[[P:.*]] = resnetc.fused_conv %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}} {
// CHECK: %[[M:.*]] = resnetc.fused_conv
// CHECK: resnetc.fused_conv %[[M]], %{{[^,]*}}, %{{[^,]*}}, %[[P]] {
// CHECK-NOT: resnetc.add
func.func @projection(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x1x1xf32>, %b: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  %p = resnetc.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %0 = resnetc.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %1 = resnetc.conv %0, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %2 = resnetc.add %1, %p : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %2 : tensor<1x8x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @projection_swapped
// CHECK: %[[P:.*]] = resnetc.fused_conv %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}} {
// CHECK: %[[M:.*]] = resnetc.fused_conv
// CHECK: resnetc.fused_conv %[[M]], %{{[^,]*}}, %{{[^,]*}}, %[[P]] {
// CHECK-NOT: resnetc.add
func.func @projection_swapped(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x1x1xf32>, %b: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  %p = resnetc.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %0 = resnetc.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %1 = resnetc.conv %0, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %2 = resnetc.add %p, %1 : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %2 : tensor<1x8x4x4xf32>
}

// -----

// Not fused: the other operand is computed after the conv (fusing would
// read it before it exists; nothing is moved).
// CHECK-LABEL: func.func @residual_defined_later
// CHECK: %[[C:.*]] = resnetc.fused_conv
// CHECK: %[[R:.*]] = resnetc.relu
// CHECK: resnetc.add %[[C]], %[[R]]
func.func @residual_defined_later(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x1x1xf32>, %b: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  %0 = resnetc.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %1 = resnetc.relu %x : tensor<1x8x4x4xf32>
  %2 = resnetc.add %0, %1 : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %2 : tensor<1x8x4x4xf32>
}

// -----

// Not fused: the conv result has a second use.
// CHECK-LABEL: func.func @conv_has_other_use
// CHECK: %[[C:.*]] = resnetc.fused_conv %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}} {
// CHECK-NOT: activation
// CHECK: resnetc.add %[[C]]
// CHECK: resnetc.relu %[[C]]
func.func @conv_has_other_use(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x1x1xf32>, %b: tensor<8xf32>) -> (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) {
  %0 = resnetc.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %1 = resnetc.add %0, %x : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %2 = resnetc.relu %0 : tensor<1x8x4x4xf32>
  return %1, %2 : tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>
}

// -----

// relu(conv) + x: the activation is fused, the add then cannot be (the
// residual would be added before the activation).
// CHECK-LABEL: func.func @activation_before_add
// CHECK: %[[C:.*]] = resnetc.fused_conv %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}} {activation = #resnetc<activation relu>,
// CHECK: resnetc.add %[[C]]
func.func @activation_before_add(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x1x1xf32>, %b: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  %0 = resnetc.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %1 = resnetc.relu %0 : tensor<1x8x4x4xf32>
  %2 = resnetc.add %1, %x : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %2 : tensor<1x8x4x4xf32>
}

// -----

// Clip becomes a clip activation; a second activation is not fused.
// CHECK-LABEL: func.func @clip
// CHECK: %[[C:.*]] = resnetc.fused_conv {{.*}}{activation = #resnetc<activation clip>, clip_max = 6.000000e+00 : f32, clip_min = -1.000000e+00 : f32,
// CHECK: resnetc.relu %[[C]]
func.func @clip(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x1x1xf32>, %b: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  %0 = resnetc.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %1 = resnetc.clip %0 {min = -1.0 : f32, max = 6.0 : f32} : tensor<1x8x4x4xf32>
  %2 = resnetc.relu %1 : tensor<1x8x4x4xf32>
  return %2 : tensor<1x8x4x4xf32>
}

// -----

// Not fused: a broadcasting add is not a residual.
// CHECK-LABEL: func.func @broadcast_add
// CHECK: resnetc.add
func.func @broadcast_add(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x1x1xf32>, %b: tensor<8xf32>, %c: tensor<8x1x1xf32>) -> tensor<1x8x4x4xf32> {
  %0 = resnetc.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %1 = resnetc.add %0, %c : (tensor<1x8x4x4xf32>, tensor<8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return %1 : tensor<1x8x4x4xf32>
}
