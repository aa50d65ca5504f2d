// RUN: resnetc-opt %s -split-input-file -resnetc-plan-arena | FileCheck %s

// A residual diamond (input as in resnetc-assign-layout's output; sizes are
// 1x8x8x8 floats = 2048 bytes). Live ranges, in op order:
//   %r [r, a]  %a [a, c] (the residual keeps it alive)  %b [b, c]  %c [c, g]
// %b reuses %r's memory; %c overlaps neither %a nor %b. The flatten of the
// pooled "nchw" tensor is a view: it shares %g's offset and keeps it alive
// until the gemm, so %o (live at the gemm) cannot take %g's place.
// CHECK-LABEL: module attributes {resnetc.arena_size = 6144 : i64}
// CHECK: resnetc.reorder {{.*}}resnetc.arena_offset = 0 : i64
// CHECK: %[[A:.*]] = resnetc.fused_conv {{.*}}resnetc.arena_offset = 2048 : i64
// CHECK: %[[B:.*]] = resnetc.fused_conv %[[A]], {{.*}}resnetc.arena_offset = 0 : i64
// CHECK: resnetc.fused_conv %[[B]], %{{[^,]*}}, %{{[^,]*}}, %[[A]] {{.*}}resnetc.arena_offset = 4096 : i64
// CHECK: resnetc.global_avg_pool {{.*}}resnetc.arena_offset = 64 : i64
// CHECK: resnetc.flatten {{.*}}resnetc.arena_offset = 64 : i64
// CHECK: resnetc.gemm {{.*}}resnetc.arena_offset = 0 : i64
// CHECK-NOT: arena_offset
module {
  func.func @diamond(%x: tensor<1x8x8x8xf32>) -> tensor<1x10xf32> {
    %w = resnetc.constant dense<1.0> : tensor<8x8x3x3xf32>
    %bias = resnetc.constant dense<0.0> : tensor<8xf32>
    %fw = resnetc.constant dense<1.0> : tensor<10x8xf32>
    %r = resnetc.reorder %x "nchw" -> "nchw8c" {resnetc.layout = "nchw8c"} : tensor<1x8x8x8xf32>
    %a = resnetc.fused_conv %r, %w, %bias {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, activation = #resnetc<activation relu>, resnetc.layout = "nchw8c"} : (tensor<1x8x8x8xf32>, tensor<8x8x3x3xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
    %b = resnetc.fused_conv %a, %w, %bias {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, activation = #resnetc<activation relu>, resnetc.layout = "nchw8c"} : (tensor<1x8x8x8xf32>, tensor<8x8x3x3xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
    %c = resnetc.fused_conv %b, %w, %bias, %a {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, activation = #resnetc<activation relu>, resnetc.layout = "nchw8c"} : (tensor<1x8x8x8xf32>, tensor<8x8x3x3xf32>, tensor<8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
    %g = resnetc.global_avg_pool %c {resnetc.layout = "nchw"} : (tensor<1x8x8x8xf32>) -> tensor<1x8x1x1xf32>
    %f = resnetc.flatten %g {axis = 1 : i64, resnetc.layout = "nchw"} : (tensor<1x8x1x1xf32>) -> tensor<1x8xf32>
    %o = resnetc.gemm %f, %fw {trans_b = true, resnetc.layout = "nchw"} : (tensor<1x8xf32>, tensor<10x8xf32>) -> tensor<1x10xf32>
    return %o : tensor<1x10xf32>
  }
}

// -----

// Blocked sizes count padded channels: 1x3x4x4 in nchw8c is 8*4*4*4 = 512
// bytes, in nchw 3*4*4*4 = 192. A returned value stays live to the end:
// %b2 may reuse %a's memory, not %r's. A view of a function argument is
// not in the arena.
// CHECK-LABEL: module attributes {resnetc.arena_size = 1216 : i64}
// CHECK: resnetc.flatten
// CHECK-NOT: arena_offset
// CHECK-SAME: -> tensor<1x48xf32>
// CHECK: resnetc.fused_conv {{.*}}resnetc.arena_offset = 0 : i64
// CHECK: resnetc.reorder {{.*}}resnetc.arena_offset = 1024 : i64
// CHECK: resnetc.relu {{.*}}resnetc.arena_offset = 512 : i64
// CHECK: resnetc.relu {{.*}}resnetc.arena_offset = 0 : i64
module {
  func.func @padding_and_outputs(%x: tensor<1x3x4x4xf32>) -> (tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32>, tensor<1x48xf32>) {
    %w = resnetc.constant dense<1.0> : tensor<3x3x1x1xf32>
    %bias = resnetc.constant dense<0.0> : tensor<3xf32>
    %v = resnetc.flatten %x {axis = 1 : i64, resnetc.layout = "nchw"} : (tensor<1x3x4x4xf32>) -> tensor<1x48xf32>
    %a = resnetc.fused_conv %x, %w, %bias {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, resnetc.layout = "nchw8c"} : (tensor<1x3x4x4xf32>, tensor<3x3x1x1xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
    %r = resnetc.reorder %a "nchw8c" -> "nchw" {resnetc.layout = "nchw"} : tensor<1x3x4x4xf32>
    %b = resnetc.relu %a {resnetc.layout = "nchw8c"} : tensor<1x3x4x4xf32>
    %b2 = resnetc.relu %b {resnetc.layout = "nchw8c"} : tensor<1x3x4x4xf32>
    %o = resnetc.reorder %b2 "nchw8c" -> "nchw" {resnetc.layout = "nchw"} : tensor<1x3x4x4xf32>
    return %r, %o, %v : tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32>, tensor<1x48xf32>
  }
}

// -----

// A reshape of a blocked tensor is not a view (its memory order differs):
// it gets a buffer of its own. Functions are planned separately and the
// module records the largest arena.
// CHECK-LABEL: module attributes {resnetc.arena_size = 1024 : i64}
// CHECK-LABEL: func.func @reshape_blocked
// CHECK: resnetc.relu {{.*}}resnetc.arena_offset = 0 : i64
// CHECK: resnetc.reshape {{.*}}resnetc.arena_offset = 512 : i64
// CHECK-LABEL: func.func @small
// CHECK: resnetc.relu {{.*}}resnetc.arena_offset = 0 : i64
module {
  func.func @reshape_blocked(%x: tensor<1x8x4x4xf32>) -> tensor<1x128xf32> {
    %a = resnetc.relu %x {resnetc.layout = "nchw8c"} : tensor<1x8x4x4xf32>
    %b = resnetc.reshape %a {resnetc.layout = "nchw"} : (tensor<1x8x4x4xf32>) -> tensor<1x128xf32>
    return %b : tensor<1x128xf32>
  }
  func.func @small(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
    %a = resnetc.relu %x {resnetc.layout = "nchw"} : tensor<1x4xf32>
    return %a : tensor<1x4xf32>
  }
}
