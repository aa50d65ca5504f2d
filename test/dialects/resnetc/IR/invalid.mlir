// Every verifier diagnostic of the resnetc dialect.
// RUN: resnetc-opt %s -split-input-file -verify-diagnostics

func.func @constant_type(%x: tensor<2xf32>) {
  // expected-error @+1 {{all of {value, result} have same type}}
  %0 = "resnetc.constant"() {value = dense<1.0> : tensor<3xf32>} : () -> tensor<2xf32>
  return
}

// -----

func.func @constant_element_type() {
  // expected-error @+1 {{must be statically shaped tensor of 32-bit float or 64-bit signless integer values}}
  %0 = resnetc.constant dense<1> : tensor<2xi32>
  return
}

// -----

func.func @conv_rank(%x: tensor<1x4x8xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @+1 {{expects a 4-D input and 4-D weight, got [1, 4, 8] and [4, 4, 3, 3]}}
  %0 = resnetc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_pads_count(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @+1 {{attribute 'pads' failed to satisfy constraint}}
  %0 = resnetc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_group_positive(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @+1 {{attribute 'group' failed to satisfy constraint}}
  %0 = resnetc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 0 : i64} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_group_divides(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+1 {{group 3 does not divide the input channels 4 and output channels 6}}
  %0 = resnetc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 3 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @conv_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{weight [4, 3, 3, 3] expects 3 input channels, input [1, 4, 8, 8] has 4}}
  %0 = resnetc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_stride(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @+1 {{kernel, stride and dilation must be positive}}
  %0 = resnetc.conv %x, %w {strides = array<i64: 0, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_negative_pad(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @+1 {{pads must be non-negative}}
  %0 = resnetc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: -1, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_window(%x: tensor<1x4x2x2xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @+1 {{window of 3 is larger than the padded input of 2}}
  %0 = resnetc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x2x2xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x1x1xf32>
  return
}

// -----

func.func @conv_result(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @+1 {{result shape [1, 4, 8, 8] does not match the expected [1, 4, 6, 6]}}
  %0 = resnetc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @conv_bias(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{bias [3] must have one entry per output channel (4)}}
  %0 = resnetc.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>, tensor<3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_dynamic(%x: tensor<?x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @+1 {{must be statically shaped tensor of 32-bit float values}}
  %0 = resnetc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<?x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @fused_conv_shape(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{result shape [1, 4, 8, 8] does not match the expected [1, 4, 6, 6]}}
  %0 = resnetc.fused_conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @fused_conv_residual(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x1x1xf32>, %b: tensor<4xf32>, %r: tensor<1x4x1x1xf32>) {
  // expected-error @+1 {{residual type 'tensor<1x4x1x1xf32>' must equal the result type 'tensor<1x4x8x8xf32>'}}
  %0 = resnetc.fused_conv %x, %w, %b, %r {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>, tensor<4xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @fused_conv_clip(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x1x1xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{clip_min must not exceed clip_max}}
  %0 = resnetc.fused_conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, activation = #resnetc<activation clip>, clip_min = 6.0 : f32, clip_max = 0.0 : f32} : (tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @fused_conv_activation(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x1x1xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{expected ::resnetc::Activation to be one of: none, relu, clip}}
  // expected-error @+1 {{failed to parse Resnetc_ActivationAttr parameter}}
  %0 = resnetc.fused_conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, activation = #resnetc<activation tanh>} : (tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @batch_norm_rank(%x: tensor<4xf32>, %p: tensor<4xf32>) {
  // expected-error @+1 {{expects an input of rank >= 2, got [4]}}
  %0 = resnetc.batch_norm %x, %p, %p, %p, %p {epsilon = 1.0e-5 : f32} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @batch_norm_param(%x: tensor<1x4x8x8xf32>, %p: tensor<4xf32>, %q: tensor<3xf32>) {
  // expected-error @+1 {{parameter [3] must have one entry per channel (4)}}
  %0 = resnetc.batch_norm %x, %p, %p, %q, %p {epsilon = 1.0e-5 : f32} : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @batch_norm_result(%x: tensor<1x4x8x8xf32>, %p: tensor<4xf32>) {
  // expected-error @+1 {{result type must equal the input type}}
  %0 = resnetc.batch_norm %x, %p, %p, %p, %p {epsilon = 1.0e-5 : f32} : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @clip_bounds(%x: tensor<1x4xf32>) {
  // expected-error @+1 {{min must not exceed max}}
  %0 = resnetc.clip %x {min = 1.0 : f32, max = 0.0 : f32} : tensor<1x4xf32>
  return
}

// -----

func.func @add_broadcast(%x: tensor<1x4x8x8xf32>, %y: tensor<3x1x1xf32>) {
  // expected-error @+1 {{shapes [1, 4, 8, 8] and [3, 1, 1] are not broadcast-compatible}}
  %0 = resnetc.add %x, %y : (tensor<1x4x8x8xf32>, tensor<3x1x1xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @add_result(%x: tensor<1x4x8x8xf32>, %y: tensor<4x1x1xf32>) {
  // expected-error @+1 {{result shape [4, 1, 1] does not match the expected [1, 4, 8, 8]}}
  %0 = resnetc.add %x, %y : (tensor<1x4x8x8xf32>, tensor<4x1x1xf32>) -> tensor<4x1x1xf32>
  return
}

// -----

func.func @max_pool_rank(%x: tensor<4x8x8xf32>) {
  // expected-error @+1 {{expects a 4-D input, got [4, 8, 8]}}
  %0 = resnetc.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<4x8x8xf32>) -> tensor<4x4x4xf32>
  return
}

// -----

func.func @max_pool_kernel(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{attribute 'kernel_shape' failed to satisfy constraint}}
  %0 = resnetc.max_pool %x {kernel_shape = array<i64: 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @max_pool_window(%x: tensor<1x4x2x2xf32>) {
  // expected-error @+1 {{window of 3 is larger than the padded input of 2}}
  %0 = resnetc.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x1x1xf32>
  return
}

// -----

func.func @max_pool_result(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{result shape [1, 4, 8, 8] does not match the expected [1, 4, 4, 4]}}
  %0 = resnetc.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @global_avg_pool_rank(%x: tensor<1x4xf32>) {
  // expected-error @+1 {{expects a 4-D input, got [1, 4]}}
  %0 = resnetc.global_avg_pool %x : (tensor<1x4xf32>) -> tensor<1x4x1x1xf32>
  return
}

// -----

func.func @global_avg_pool_result(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{result shape [1, 4] does not match the expected [1, 4, 1, 1]}}
  %0 = resnetc.global_avg_pool %x : (tensor<1x4x8x8xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @flatten_axis(%x: tensor<1x4x1x1xf32>) {
  // expected-error @+1 {{axis 5 is out of range for rank 4}}
  %0 = resnetc.flatten %x {axis = 5 : i64} : (tensor<1x4x1x1xf32>) -> tensor<4x1xf32>
  return
}

// -----

func.func @flatten_result(%x: tensor<1x4x2x2xf32>) {
  // expected-error @+1 {{result shape [1, 4] does not match the expected [1, 16]}}
  %0 = resnetc.flatten %x {axis = 1 : i64} : (tensor<1x4x2x2xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @reshape_count(%x: tensor<1x4x2x2xf32>) {
  // expected-error @+1 {{cannot reshape [1, 4, 2, 2] to [4, 5]}}
  %0 = resnetc.reshape %x : (tensor<1x4x2x2xf32>) -> tensor<4x5xf32>
  return
}

// -----

func.func @gemm_rank(%a: tensor<1x1x4xf32>, %b: tensor<4x3xf32>) {
  // expected-error @+1 {{expects 2-D A and B, got [1, 1, 4] and [4, 3]}}
  %0 = resnetc.gemm %a, %b : (tensor<1x1x4xf32>, tensor<4x3xf32>) -> tensor<1x3xf32>
  return
}

// -----

func.func @gemm_inner(%a: tensor<1x4xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{inner dimensions differ: A [1, 4], B [3, 4]}}
  %0 = resnetc.gemm %a, %b : (tensor<1x4xf32>, tensor<3x4xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @gemm_c(%a: tensor<1x4xf32>, %b: tensor<3x4xf32>, %c: tensor<2xf32>) {
  // expected-error @+1 {{C [2] does not broadcast to [1, 3]}}
  %0 = resnetc.gemm %a, %b, %c {trans_b = true} : (tensor<1x4xf32>, tensor<3x4xf32>, tensor<2xf32>) -> tensor<1x3xf32>
  return
}

// -----

func.func @gemm_result(%a: tensor<1x4xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{result shape [3, 1] does not match the expected [1, 3]}}
  %0 = resnetc.gemm %a, %b {trans_b = true} : (tensor<1x4xf32>, tensor<3x4xf32>) -> tensor<3x1xf32>
  return
}

// -----

func.func @reorder_layout(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{unknown layout 'nhwc' (expected nchw or nchw<B>c)}}
  %0 = resnetc.reorder %x "nchw" -> "nhwc" : tensor<1x4x8x8xf32>
  return
}

// -----

func.func @reorder_block(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{unknown layout 'nchw6c' (expected nchw or nchw<B>c)}}
  %0 = resnetc.reorder %x "nchw6c" -> "nchw" : tensor<1x4x8x8xf32>
  return
}

// -----

func.func @reorder_identical(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{reorder between identical layouts}}
  %0 = resnetc.reorder %x "nchw8c" -> "nchw8c" : tensor<1x4x8x8xf32>
  return
}

// -----

func.func @reorder_rank(%x: tensor<1x4xf32>) {
  // expected-error @+1 {{expects a 4-D tensor}}
  %0 = resnetc.reorder %x "nchw" -> "nchw8c" : tensor<1x4xf32>
  return
}

// -----

// expected-error @+1 {{block must be a positive power of two}}
func.func @tiling_block() attributes {t = #resnetc.conv_tiling<block = 12, oc_blocks = 1, rows = 1, cols = 1, ic_blocks_per_step = 0, rows_per_task = 1, flatten_pixels = false>} {
  return
}

// -----

// expected-error @+1 {{tile extents must be positive}}
func.func @tiling_extent() attributes {t = #resnetc.conv_tiling<block = 8, oc_blocks = 2, rows = 0, cols = 1, ic_blocks_per_step = 0, rows_per_task = 1, flatten_pixels = false>} {
  return
}

// -----

// expected-error @+1 {{ic_blocks_per_step must be non-negative}}
func.func @tiling_ic_step() attributes {t = #resnetc.conv_tiling<block = 8, oc_blocks = 2, rows = 1, cols = 1, ic_blocks_per_step = -1, rows_per_task = 1, flatten_pixels = false>} {
  return
}
