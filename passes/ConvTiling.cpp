//===- ConvTiling.cpp - register tiles, cache blocking, parallel tasks ----===//
//
// The cost model. Inputs: the conv's shape (ConvShape) and the target
// (ConvTilingModel: block B, vector registers R, L1/L2 sizes, threads, and a
// few micro-architectural knobs with defaults). Every rule below reads only
// those; nothing is specific to one model or layer. The knobs to adjust as
// measurements come in are the ConvTilingModel fields (Passes.h).
//
// 1. Register tile: `oc_blocks` (ob) output-channel blocks x `rows` x `cols`
//    output pixels, i.e. acc = ob*rows*cols accumulator vectors.
//    - Register budget: acc + ob (the weight vectors of one step) +
//      scratchRegisters (the broadcast input) <= R.
//    - Stem (input read in "nchw": fewer than B input channels, group 1):
//      the kernel's column loop is unrolled around the tile, so only
//      stemAccumulatorFraction (0.65) of that budget is used, and rows = 1.
//    - flatten_pixels: for 1x1, stride-1, unpadded convs H*W is one pixel
//      axis; then rows = 1 and cols counts pixels (tail waste is paid once
//      per image instead of once per row).
//    - Every ob from 1 to min(maxOcBlocks (3), output blocks ceil(OC/B))
//      and every rows x cols within the budget is scored:
//        score = useful fraction of the computed outputs along each tiled
//                axis (H / (ceil(H/rows)*rows), same for W, for H*W when
//                flattened, and for the output blocks with ob)
//              x min(1, acc / saturatingAccumulators)  (FMA latency hidden)
//              x min(1, loadsPerFma * acc / (ob + rows*cols)) (loads keep up)
//      The best score wins. Ties, in order: ob closest to preferredOcBlocks
//      (2), more accumulators, fewer input elements touched per reduction
//      step (((rows-1)*stride+KH) x ((cols-1)*stride+KW)), wider tiles.
//    E.g. B=8, R=16: 3x3 at 56x56 -> 2 x 2 rows x 3 cols (12 accumulators,
//    one wasted column in 57); 1x1 at 56x56 -> 2 x 6 flattened pixels;
//    3x3 at 14x14 -> 3 x 2 x 2 and at 7x7 -> 3 x 1 x 4 (2 blocks would
//    waste 1 of 15 or 3 of 10 columns); the stem -> 2 x 1 x 4.
//    B=16, R=32 (20 accumulators saturate): 3x3 at 56/28/14 -> 2 x 2 x 7,
//    1x1 -> 2 x 14 pixels, 3x3 and 1x1 at 7x7 -> 3 x 7.
// 2. rows_per_task (output rows, also when flattened; a multiple of `rows`
//    otherwise): tasks are batch x output-block groups (ceil(blocks/ob)) x
//    strips of rows. Strips are as tall as possible while there are at
//    least tasksPerThread x threads tasks; one tile row per strip when even
//    that gives fewer.
// 3. ic_blocks_per_step: within a task, one reduction step reuses, per
//    input-channel block, the weights of the task's output blocks
//    (B*KH*KW*ob*B*4 bytes) for every tile of the strip, and the input rows
//    of one tile row ((rows-1)*stride + (KH-1)*dilation + 1 rows of the
//    padded width, B*rows*width*4 bytes; flattened: B*cols*4) across its
//    column tiles and kernel rows. If all input blocks fit in l2Fraction
//    (1/2) of L2 the reduction is not split (0, also when there is a single
//    block); otherwise the largest divisor of the block count that fits is
//    used (or the largest count that fits when no divisor comes within half
//    of it), at least 1.
// L1 does not change any decision yet: one input block's weights for a tile
// (B*KH*KW*ob*B*4: 4.6 KiB for 3x3 at B=8) stay well inside L1 on current
// cores. It is accepted so that a model change does not change the pass
// interface.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "mlir/IR/Builders.h"

#include <algorithm>
#include <cmath>

namespace resnetc {
#define GEN_PASS_DEF_CONVTILING
#include "passes/Passes.h.inc"
} // namespace resnetc

using namespace mlir;
using namespace resnetc;

static int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

ConvShape ConvShape::of(FusedConvOp conv) {
  ArrayRef<int64_t> in =
      cast<RankedTensorType>(conv.getInput().getType()).getShape();
  ArrayRef<int64_t> w =
      cast<RankedTensorType>(conv.getWeight().getType()).getShape();
  ArrayRef<int64_t> out = cast<RankedTensorType>(conv.getType()).getShape();
  ConvShape s;
  s.batch = in[0];
  s.inChannels = in[1];
  s.inHeight = in[2];
  s.inWidth = in[3];
  s.outChannels = out[1];
  s.outHeight = out[2];
  s.outWidth = out[3];
  s.kernelH = w[2];
  s.kernelW = w[3];
  s.strideH = conv.getStrides()[0];
  s.strideW = conv.getStrides()[1];
  s.dilationH = conv.getDilations()[0];
  s.dilationW = conv.getDilations()[1];
  s.padTop = conv.getPads()[0];
  s.padLeft = conv.getPads()[1];
  s.padBottom = conv.getPads()[2];
  s.padRight = conv.getPads()[3];
  s.group = conv.getGroup();
  // The rule of resnetc-assign-layout: only a conv with fewer than B input
  // channels and group 1 reads "nchw"; a value without a layout (a function
  // argument, or IR before layout assignment) is in "nchw".
  StringRef layout = "nchw";
  if (Operation *def = conv.getInput().getDefiningOp())
    if (auto attr = def->getAttrOfType<StringAttr>(kLayoutAttr))
      layout = attr.getValue();
  s.nchwInput = layout == "nchw";
  return s;
}

namespace {
struct Tile {
  int64_t ocBlocks = 1, rows = 1, cols = 1;
  double score = -1;
  int64_t footprint = 0; // input elements per channel touched by one step
  int64_t accumulators() const { return ocBlocks * rows * cols; }
};
} // namespace

/// Useful fraction of the work when `extent` is covered by tiles of `tile`.
static double usefulFraction(int64_t extent, int64_t tile) {
  return double(extent) / double(ceilDiv(extent, tile) * tile);
}

/// Estimated fraction of FMA peak of the inner loop of a register tile.
static double fmaUtilisation(int64_t ocBlocks, int64_t pixels,
                             double saturatingAccumulators,
                             const ConvTilingModel &m) {
  double acc = double(ocBlocks * pixels);
  double latency = std::min(1.0, acc / saturatingAccumulators);
  double loads =
      std::min(1.0, m.loadsPerFma * acc / double(ocBlocks + pixels));
  return latency * loads;
}

/// Whether `a` beats `b` (see rule 1 for the order of the tie-breaks).
static bool better(const Tile &a, const Tile &b, int64_t preferredOb) {
  constexpr double eps = 1e-9;
  if (a.score > b.score + eps)
    return true;
  if (a.score < b.score - eps)
    return false;
  int64_t da = std::abs(a.ocBlocks - preferredOb);
  int64_t db = std::abs(b.ocBlocks - preferredOb);
  if (da != db)
    return da < db;
  if (a.accumulators() != b.accumulators())
    return a.accumulators() > b.accumulators();
  if (a.footprint != b.footprint)
    return a.footprint < b.footprint;
  return a.cols > b.cols;
}

static bool flattensPixels(const ConvShape &s) {
  return s.kernelH == 1 && s.kernelW == 1 && s.strideH == 1 &&
         s.strideW == 1 && s.padTop == 0 && s.padLeft == 0 &&
         s.padBottom == 0 && s.padRight == 0;
}

ConvTilingAttr resnetc::chooseConvTiling(MLIRContext *context,
                                         const ConvShape &s,
                                         const ConvTilingModel &m) {
  const int64_t block = m.block;
  const bool stem = s.nchwInput && s.inChannels < block && s.group == 1;
  const bool flatten = !stem && flattensPixels(s);
  const int64_t ocTotal = ceilDiv(s.outChannels, block);
  const int64_t pixelsTotal = s.outHeight * s.outWidth;
  const int64_t maxRows = flatten || stem ? 1 : s.outHeight;
  const int64_t maxCols = flatten ? pixelsTotal : s.outWidth;

  // 1. Register tile. A stem's unrolled kernel columns give each
  // accumulator several independent FMAs per step, so it saturates the FMA
  // units with proportionally fewer accumulators.
  const double saturating =
      double(m.saturatingAccumulators) * (stem ? m.stemAccumulatorFraction : 1.0);
  Tile best;
  for (int64_t ob = 1; ob <= std::min(ocTotal, m.maxOcBlocks); ++ob) {
    int64_t maxAcc = m.vectorRegisters - ob - m.scratchRegisters;
    if (stem)
      maxAcc = int64_t(double(maxAcc) * m.stemAccumulatorFraction);
    int64_t maxPixels = maxAcc / ob;
    if (maxPixels < 1)
      break;
    double ocUseful = usefulFraction(ocTotal, ob);
    for (int64_t rows = 1; rows <= std::min(maxRows, maxPixels); ++rows) {
      for (int64_t cols = 1; cols <= maxCols && rows * cols <= maxPixels;
           ++cols) {
        double useful = flatten ? usefulFraction(pixelsTotal, cols)
                                : usefulFraction(s.outHeight, rows) *
                                      usefulFraction(s.outWidth, cols);
        Tile t;
        t.ocBlocks = ob;
        t.rows = rows;
        t.cols = cols;
        t.score =
            ocUseful * useful * fmaUtilisation(ob, rows * cols, saturating, m);
        t.footprint =
            ((rows - 1) * s.strideH + (s.kernelH - 1) * s.dilationH + 1) *
            ((cols - 1) * s.strideW + (s.kernelW - 1) * s.dilationW + 1);
        if (better(t, best, m.preferredOcBlocks))
          best = t;
      }
    }
  }

  // 2. Parallel tasks: batch x output-block groups x strips of rows.
  int64_t tileRows = ceilDiv(s.outHeight, best.rows);
  int64_t perStrip = s.batch * ceilDiv(ocTotal, best.ocBlocks);
  int64_t wanted = std::max<int64_t>(1, m.threads) *
                   std::max<int64_t>(1, m.tasksPerThread);
  int64_t strips = std::clamp<int64_t>(ceilDiv(wanted, perStrip), 1, tileRows);
  int64_t rowsPerTask = ceilDiv(tileRows, strips) * best.rows;

  // 3. Reduction split so that one step's weights and input stay in L2.
  int64_t icBlocks = ceilDiv(s.inChannels / std::max<int64_t>(1, s.group), block);
  int64_t weightBytes =
      block * s.kernelH * s.kernelW * best.ocBlocks * block * 4;
  int64_t inputBytes;
  if (flatten) {
    inputBytes = block * best.cols * 4;
  } else {
    int64_t inRows =
        (best.rows - 1) * s.strideH + (s.kernelH - 1) * s.dilationH + 1;
    inRows = std::min(inRows, s.inHeight + s.padTop + s.padBottom);
    inputBytes = block * inRows * (s.inWidth + s.padLeft + s.padRight) * 4;
  }
  int64_t perBlock = weightBytes + inputBytes;
  int64_t budget = int64_t(double(m.l2KiB) * 1024.0 * m.l2Fraction);
  int64_t icStep = 0;
  if (icBlocks > 1 && icBlocks * perBlock > budget) {
    int64_t fit = std::clamp<int64_t>(budget / perBlock, 1, icBlocks);
    icStep = fit;
    while (icBlocks % icStep != 0)
      --icStep;
    if (2 * icStep < fit)
      icStep = fit;
  }

  return ConvTilingAttr::get(context, block, best.ocBlocks, best.rows,
                             best.cols, icStep, rowsPerTask, flatten);
}

namespace {
struct ConvTilingPass : resnetc::impl::ConvTilingBase<ConvTilingPass> {
  using Base::Base;

  void runOnOperation() override {
    ConvTilingModel model;
    model.block = block;
    model.vectorRegisters = vectorRegisters;
    model.l1KiB = l1KiB;
    model.l2KiB = l2KiB;
    model.threads = threads;
    // Measured on Sapphire Rapids (B=16, 32 registers): at 7x7 outputs a
    // 3 x 7 tile (21 accumulators) ran 5-15 % faster than 2 x 7 (14), so
    // larger register files saturate later; 10 stays right for 16
    // registers (Zen 3 / AVX2 measurements in the notes).
    model.saturatingAccumulators =
        std::max<int64_t>(model.saturatingAccumulators, vectorRegisters * 5 / 8);
    if (block <= 0 || (block & (block - 1)) != 0) {
      getOperation().emitError()
          << "resnetc-conv-tiling: block must be a positive power of two, got "
          << static_cast<int64_t>(block);
      return signalPassFailure();
    }
    if (vectorRegisters < 1 + model.scratchRegisters + 1) {
      getOperation().emitError()
          << "resnetc-conv-tiling: " << static_cast<int64_t>(vectorRegisters)
          << " vector registers cannot hold an accumulator, a weight vector "
             "and the broadcast input";
      return signalPassFailure();
    }
    if (l2KiB <= 0 || threads <= 0) {
      getOperation().emitError()
          << "resnetc-conv-tiling: l2-kib and threads must be positive";
      return signalPassFailure();
    }
    getOperation().walk([&](FusedConvOp conv) {
      conv.setTilingAttr(
          chooseConvTiling(&getContext(), ConvShape::of(conv), model));
    });
  }
};
} // namespace
