// The conv-tiling cost model on representative ResNet layers, for AVX2
// (B=8, 16 registers), AVX-512 (B=16, 32 registers) and a small L2.
// RUN: resnetc-opt %s -split-input-file -resnetc-conv-tiling | FileCheck %s --check-prefix=AVX2
// RUN: resnetc-opt %s -split-input-file -resnetc-conv-tiling="block=16 vector-registers=32 l2-kib=1024 threads=2" | FileCheck %s --check-prefix=AVX512
// RUN: resnetc-opt %s -split-input-file -resnetc-conv-tiling="l2-kib=256 threads=1" | FileCheck %s --check-prefix=SMALL

// 7x7/2 stem, 3 -> 64, 224 -> 112: input read in nchw, a smaller tile
// (2 x 4 at B=8, 2 x 8 at B=16), one row
// AVX2-LABEL: func.func @stem
// AVX2: #resnetc.conv_tiling<block = 8, oc_blocks = 2, rows = 1, cols = 4, ic_blocks_per_step = 0, rows_per_task = 56, flatten_pixels = false>
// AVX512-LABEL: func.func @stem
// AVX512: #resnetc.conv_tiling<block = 16, oc_blocks = 2, rows = 1, cols = 8, ic_blocks_per_step = 0, rows_per_task = 28, flatten_pixels = false>
// SMALL-LABEL: func.func @stem
// SMALL: #resnetc.conv_tiling<block = 8, oc_blocks = 2, rows = 1, cols = 4, ic_blocks_per_step = 0, rows_per_task = 112, flatten_pixels = false>
func.func @stem(%x: tensor<1x3x224x224xf32>, %w: tensor<64x3x7x7xf32>, %b: tensor<64xf32>) -> tensor<1x64x112x112xf32> {
  %0 = resnetc.fused_conv %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 3, 3, 3, 3>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x112x112xf32>
  return %0 : tensor<1x64x112x112xf32>
}

// -----

// 3x3, 64 -> 64, 56x56
// AVX2-LABEL: func.func @conv3x3_56
// AVX2: #resnetc.conv_tiling<block = 8, oc_blocks = 2, rows = 2, cols = 3, ic_blocks_per_step = 0, rows_per_task = 28, flatten_pixels = false>
// AVX512-LABEL: func.func @conv3x3_56
// AVX512: #resnetc.conv_tiling<block = 16, oc_blocks = 2, rows = 2, cols = 7, ic_blocks_per_step = 0, rows_per_task = 14, flatten_pixels = false>
// SMALL-LABEL: func.func @conv3x3_56
// SMALL: #resnetc.conv_tiling<block = 8, oc_blocks = 2, rows = 2, cols = 3, ic_blocks_per_step = 0, rows_per_task = 56, flatten_pixels = false>
func.func @conv3x3_56(%x: tensor<1x64x56x56xf32>, %w: tensor<64x64x3x3xf32>, %b: tensor<64xf32>) -> tensor<1x64x56x56xf32> {
  %0 = resnetc.fused_conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x64x56x56xf32>, tensor<64x64x3x3xf32>, tensor<64xf32>) -> tensor<1x64x56x56xf32>
  return %0 : tensor<1x64x56x56xf32>
}

// -----

// 1x1, 256 -> 64, 56x56: flattened pixels
// AVX2-LABEL: func.func @conv1x1_56
// AVX2: #resnetc.conv_tiling<block = 8, oc_blocks = 2, rows = 1, cols = 6, ic_blocks_per_step = 0, rows_per_task = 28, flatten_pixels = true>
// AVX512-LABEL: func.func @conv1x1_56
// AVX512: #resnetc.conv_tiling<block = 16, oc_blocks = 2, rows = 1, cols = 14, ic_blocks_per_step = 0, rows_per_task = 14, flatten_pixels = true>
// SMALL-LABEL: func.func @conv1x1_56
// SMALL: #resnetc.conv_tiling<block = 8, oc_blocks = 2, rows = 1, cols = 6, ic_blocks_per_step = 0, rows_per_task = 56, flatten_pixels = true>
func.func @conv1x1_56(%x: tensor<1x256x56x56xf32>, %w: tensor<64x256x1x1xf32>, %b: tensor<64xf32>) -> tensor<1x64x56x56xf32> {
  %0 = resnetc.fused_conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x256x56x56xf32>, tensor<64x256x1x1xf32>, tensor<64xf32>) -> tensor<1x64x56x56xf32>
  return %0 : tensor<1x64x56x56xf32>
}

// -----

// 1x1/2 projection, 256 -> 512, 56 -> 28: strided, not flattened;
// 3 x 4 divides 28
// AVX2-LABEL: func.func @conv1x1_stride2
// AVX2: #resnetc.conv_tiling<block = 8, oc_blocks = 3, rows = 1, cols = 4, ic_blocks_per_step = 0, rows_per_task = 28, flatten_pixels = false>
// AVX512-LABEL: func.func @conv1x1_stride2
// AVX512: #resnetc.conv_tiling<block = 16, oc_blocks = 2, rows = 1, cols = 14, ic_blocks_per_step = 0, rows_per_task = 28, flatten_pixels = false>
// SMALL-LABEL: func.func @conv1x1_stride2
// SMALL: #resnetc.conv_tiling<block = 8, oc_blocks = 3, rows = 1, cols = 4, ic_blocks_per_step = 0, rows_per_task = 28, flatten_pixels = false>
func.func @conv1x1_stride2(%x: tensor<1x256x56x56xf32>, %w: tensor<512x256x1x1xf32>, %b: tensor<512xf32>) -> tensor<1x512x28x28xf32> {
  %0 = resnetc.fused_conv %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x256x56x56xf32>, tensor<512x256x1x1xf32>, tensor<512xf32>) -> tensor<1x512x28x28xf32>
  return %0 : tensor<1x512x28x28xf32>
}

// -----

// 3x3, 256 -> 256, 14x14: 3 blocks x 2 x 2 (divides 14) beats 2 x 2 x 3
// (15 columns for 14) at B=8; 2 x 2 x 7 at B=16
// AVX2-LABEL: func.func @conv3x3_14
// AVX2: #resnetc.conv_tiling<block = 8, oc_blocks = 3, rows = 2, cols = 2, ic_blocks_per_step = 0, rows_per_task = 14, flatten_pixels = false>
// AVX512-LABEL: func.func @conv3x3_14
// AVX512: #resnetc.conv_tiling<block = 16, oc_blocks = 2, rows = 2, cols = 7, ic_blocks_per_step = 0, rows_per_task = 14, flatten_pixels = false>
// SMALL-LABEL: func.func @conv3x3_14
// SMALL: #resnetc.conv_tiling<block = 8, oc_blocks = 3, rows = 2, cols = 2, ic_blocks_per_step = 8, rows_per_task = 14, flatten_pixels = false>
func.func @conv3x3_14(%x: tensor<1x256x14x14xf32>, %w: tensor<256x256x3x3xf32>, %b: tensor<256xf32>) -> tensor<1x256x14x14xf32> {
  %0 = resnetc.fused_conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x256x14x14xf32>, tensor<256x256x3x3xf32>, tensor<256xf32>) -> tensor<1x256x14x14xf32>
  return %0 : tensor<1x256x14x14xf32>
}

// -----

// 3x3, 512 -> 512, 7x7: 3 blocks x 4 columns at B=8 (2 blocks would
// leave 5 of 7 columns); 3 x 7 at B=16 (21 accumulators: more than 2 x 7
// before the 32-register file saturates). A small L2 splits the reduction.
// AVX2-LABEL: func.func @conv3x3_7
// AVX2: #resnetc.conv_tiling<block = 8, oc_blocks = 3, rows = 1, cols = 4, ic_blocks_per_step = 0, rows_per_task = 7, flatten_pixels = false>
// AVX512-LABEL: func.func @conv3x3_7
// AVX512: #resnetc.conv_tiling<block = 16, oc_blocks = 3, rows = 1, cols = 7, ic_blocks_per_step = 16, rows_per_task = 7, flatten_pixels = false>
// SMALL-LABEL: func.func @conv3x3_7
// SMALL: #resnetc.conv_tiling<block = 8, oc_blocks = 3, rows = 1, cols = 4, ic_blocks_per_step = 16, rows_per_task = 7, flatten_pixels = false>
func.func @conv3x3_7(%x: tensor<1x512x7x7xf32>, %w: tensor<512x512x3x3xf32>, %b: tensor<512xf32>) -> tensor<1x512x7x7xf32> {
  %0 = resnetc.fused_conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x512x7x7xf32>, tensor<512x512x3x3xf32>, tensor<512xf32>) -> tensor<1x512x7x7xf32>
  return %0 : tensor<1x512x7x7xf32>
}

// -----

// 1x1, 2048 -> 512, 7x7: 49 flattened pixels, 5 per tile at B=8 and 10 at
// B=16 (50 computed)
// AVX2-LABEL: func.func @conv1x1_7
// AVX2: #resnetc.conv_tiling<block = 8, oc_blocks = 2, rows = 1, cols = 5, ic_blocks_per_step = 0, rows_per_task = 7, flatten_pixels = true>
// AVX512-LABEL: func.func @conv1x1_7
// AVX512: #resnetc.conv_tiling<block = 16, oc_blocks = 2, rows = 1, cols = 10, ic_blocks_per_step = 0, rows_per_task = 7, flatten_pixels = true>
// SMALL-LABEL: func.func @conv1x1_7
// SMALL: #resnetc.conv_tiling<block = 8, oc_blocks = 2, rows = 1, cols = 5, ic_blocks_per_step = 128, rows_per_task = 7, flatten_pixels = true>
func.func @conv1x1_7(%x: tensor<1x2048x7x7xf32>, %w: tensor<512x2048x1x1xf32>, %b: tensor<512xf32>) -> tensor<1x512x7x7xf32> {
  %0 = resnetc.fused_conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2048x7x7xf32>, tensor<512x2048x1x1xf32>, tensor<512xf32>) -> tensor<1x512x7x7xf32>
  return %0 : tensor<1x512x7x7xf32>
}

// -----

// 24 output channels = 3 blocks of 8: 2 blocks would waste a quarter
// AVX2-LABEL: func.func @odd_blocks
// AVX2: #resnetc.conv_tiling<block = 8, oc_blocks = 3, rows = 2, cols = 2, ic_blocks_per_step = 0, rows_per_task = 8, flatten_pixels = false>
// AVX512-LABEL: func.func @odd_blocks
// AVX512: #resnetc.conv_tiling<block = 16, oc_blocks = 2, rows = 2, cols = 7, ic_blocks_per_step = 0, rows_per_task = 8, flatten_pixels = false>
// SMALL-LABEL: func.func @odd_blocks
// SMALL: #resnetc.conv_tiling<block = 8, oc_blocks = 3, rows = 2, cols = 2, ic_blocks_per_step = 0, rows_per_task = 14, flatten_pixels = false>
func.func @odd_blocks(%x: tensor<1x64x56x56xf32>, %w: tensor<24x64x3x3xf32>, %b: tensor<24xf32>) -> tensor<1x24x56x56xf32> {
  %0 = resnetc.fused_conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x64x56x56xf32>, tensor<24x64x3x3xf32>, tensor<24xf32>) -> tensor<1x24x56x56xf32>
  return %0 : tensor<1x24x56x56xf32>
}

// -----

// Only fused convolutions are tiled.
// AVX2-LABEL: func.func @plain_conv
// AVX2-NOT: conv_tiling
func.func @plain_conv(%x: tensor<1x8x4x4xf32>, %w: tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32> {
  %0 = resnetc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

// A narrow conv is a stem only when it reads "nchw" (here the function
// argument); after a blocked producer it is tiled like any other.
// AVX2-LABEL: func.func @stem_or_not
// AVX2: resnetc.fused_conv %arg0, {{.*}}#resnetc.conv_tiling<block = 8, oc_blocks = 2, rows = 1, cols = 4,
// AVX2: resnetc.fused_conv %{{.*}}#resnetc.conv_tiling<block = 8, oc_blocks = 2, rows = 2, cols = 3,
func.func @stem_or_not(%x: tensor<1x4x56x56xf32>, %w: tensor<64x4x3x3xf32>, %b: tensor<64xf32>) -> (tensor<1x64x56x56xf32>, tensor<1x64x56x56xf32>) {
  %0 = resnetc.fused_conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x56x56xf32>, tensor<64x4x3x3xf32>, tensor<64xf32>) -> tensor<1x64x56x56xf32>
  %r = resnetc.relu %x {resnetc.layout = "nchw8c"} : tensor<1x4x56x56xf32>
  %1 = resnetc.fused_conv %r, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x56x56xf32>, tensor<64x4x3x3xf32>, tensor<64xf32>) -> tensor<1x64x56x56xf32>
  return %0, %1 : tensor<1x64x56x56xf32>, tensor<1x64x56x56xf32>
}
