//===- CpuSchedules.cpp - How each kernel is computed on x86 --------------===//
//
// Loop nests for the algorithms of Algorithms.cpp. The convolution schedule
// follows shared/notes/cpu-conv-schedules.md: a register tile of
// tileOcBlocks x tileH x tileW accumulator vectors (channels of one block
// across the vector lanes) computed innermost, the reduction running
// input-channel block -> kernel row -> kernel column -> the B channels of
// the block (unrolled), tasks over (output-channel block groups x row
// strips), zero padding staged per task so that the inner loop has no
// boundary logic. Tails are handled with ShiftInwards: the last tile is
// moved back inside the output and recomputes a few values, so nothing is
// ever written out of bounds and no guard sits in the inner loop.
//===----------------------------------------------------------------------===//

#include "Internal.h"

#include <algorithm>

using namespace Halide;

namespace resnetc::codegen::detail {
namespace {

constexpr TailStrategy SI = TailStrategy::ShiftInwards;

int clampi(int v, int lo, int hi) { return std::max(lo, std::min(v, hi)); }

/// Largest divisor of `n` that is <= `want` (at least 1).
int divisorAtMost(int n, int want) {
  for (int d = std::min(want, n); d > 1; --d)
    if (n % d == 0)
      return d;
  return 1;
}

} // namespace

namespace {

/// The tiling actually used: ConvTiling clamped to the layer.
struct ConvPlan {
  int to = 1, tw = 1, th = 1;
  int rpt = 1;  // output rows per task (blocked)
  int tp = 1;   // output pixels per task (flat)
  int step = 0; // input-channel blocks per reduction step; 0 = no blocking
  bool stage = false;
};

ConvPlan planConv(const Target &t, const ConvSpec &s) {
  ConvShape sh = analyzeConv(t, s);
  const ConvTiling &T = s.tiling;
  ConvPlan p;
  p.to = sh.path == ConvPath::Depthwise ? 1
                                        : clampi(T.tileOcBlocks, 1, sh.coutB);
  if (sh.path == ConvPath::Dense && T.icBlocksPerStep > 0 &&
      T.icBlocksPerStep < sh.icbPG) {
    p.step = divisorAtMost(sh.icbPG, T.icBlocksPerStep);
    if (p.step >= sh.icbPG)
      p.step = 0;
  }
  if (sh.flat) {
    const int P = s.hout * s.wout;
    p.tw = clampi(T.tileW, 1, P);
    int tp = std::max(1, T.rowsPerTask) * s.wout;
    p.tp = clampi((tp + p.tw - 1) / p.tw * p.tw, p.tw, P);
    // The blocked reduction rounds the task's pixels up to whole tiles,
    // which must not read past the (unstaged) input.
    if (p.tp % p.tw)
      p.step = 0;
    return p;
  }
  p.tw = clampi(T.tileW, 1, s.wout);
  p.th = clampi(T.tileH, 1, s.hout);
  int rpt = std::max(T.rowsPerTask, p.th);
  p.rpt = clampi((rpt + p.th - 1) / p.th * p.th, p.th, s.hout);
  p.stage = sh.needsPadding ||
            (p.step && (s.wout % p.tw != 0 || p.rpt % p.th != 0));
  return p;
}

} // namespace

bool convStagesInput(const Target &t, const ConvSpec &s) {
  return planConv(t, s).stage;
}

void scheduleConv(ConvAlgo &a, const Target &t, const ConvSpec &s) {
  const ConvShape &sh = a.shape;
  const ConvPlan p = planConv(t, s);
  Func out = a.output, acc = a.acc;
  Var c = a.c, x = a.x, y = a.y, ob = a.ob, n = a.n;
  Var obo("obo"), obi("obi"), xs("xs"), xr("xr"), xo("xo"), xi("xi"),
      ys("ys"), yr("yr"), yo("yo"), yi("yi"), task("task");
  // The reduction step splits need exact regions (ShiftInwards would add
  // twice); planConv arranged for RoundUp to stay within staged input.
  constexpr TailStrategy RU = TailStrategy::RoundUp;

  // Reduction variables innermost first; the first is fully unrolled (the B
  // channels of a block, or the kernel columns of a stem / depthwise conv).
  std::vector<RVar> rv;
  for (int i = 0; i < a.r.dimensions(); ++i)
    rv.push_back(a.r[i]);
  const int to = p.to, tw = p.tw, th = p.th, step = p.step;

  if (sh.flat) {
    out.split(ob, obo, obi, to, SI)
        .split(x, xs, xr, p.tp, SI)
        .split(xr, xo, xi, tw, SI)
        .reorder(c, obi, xi, xo, xs, obo, n)
        .vectorize(c)
        .unroll(obi)
        .unroll(xi)
        .fuse(xs, obo, task)
        .fuse(task, n, task)
        .parallel(task);
    if (step) {
      acc.compute_at(out, task).vectorize(c);
      RVar rco("rco"), rci("rci");
      acc.update()
          .split(rv[3], rco, rci, step)
          .split(x, xo, xi, tw, RU)
          .reorder({c, ob, xi, rv[0], rv[1], rv[2], rci, xo, rco, n})
          .vectorize(c)
          .unroll(ob)
          .unroll(xi)
          .unroll(rv[0]);
    } else {
      acc.compute_at(out, xo).vectorize(c).unroll(x).unroll(ob);
      acc.update()
          .reorder({c, ob, x, rv[0], rv[1], rv[2], rv[3], n})
          .vectorize(c)
          .unroll(ob)
          .unroll(x)
          .unroll(rv[0]);
    }
    return;
  }

  if (sh.path == ConvPath::Depthwise) {
    out.split(y, ys, yr, p.rpt, SI)
        .split(yr, yo, yi, th, SI)
        .split(x, xo, xi, tw, SI)
        .reorder(c, xi, yi, xo, yo, ys, ob, n)
        .vectorize(c)
        .unroll(xi)
        .unroll(yi)
        .fuse(ys, ob, task)
        .fuse(task, n, task)
        .parallel(task);
    acc.compute_at(out, xo).vectorize(c).unroll(x).unroll(y);
    acc.update()
        .reorder({c, x, y, rv[0], rv[1], ob, n})
        .vectorize(c)
        .unroll(x)
        .unroll(y)
        .unroll(rv[0]);
  } else {
    out.split(ob, obo, obi, to, SI)
        .split(y, ys, yr, p.rpt, SI)
        .split(yr, yo, yi, th, SI)
        .split(x, xo, xi, tw, SI)
        .reorder(c, obi, xi, yi, xo, yo, ys, obo, n)
        .vectorize(c)
        .unroll(obi)
        .unroll(xi)
        .unroll(yi)
        .fuse(ys, obo, task)
        .fuse(task, n, task)
        .parallel(task);
    if (step) {
      acc.compute_at(out, task).vectorize(c);
      RVar rco("rco"), rci("rci");
      acc.update()
          .split(rv[3], rco, rci, step)
          .split(x, xo, xi, tw, RU)
          .split(y, yo, yi, th, RU)
          .reorder({c, ob, xi, yi, rv[0], rv[1], rv[2], rci, xo, yo, rco, n})
          .vectorize(c)
          .unroll(ob)
          .unroll(xi)
          .unroll(yi)
          .unroll(rv[0]);
    } else {
      std::vector<VarOrRVar> order{c, ob, x, y};
      for (const RVar &r : rv)
        order.push_back(r);
      order.push_back(n);
      acc.compute_at(out, xo).vectorize(c).unroll(ob).unroll(x).unroll(y);
      acc.update()
          .reorder(order)
          .vectorize(c)
          .unroll(ob)
          .unroll(x)
          .unroll(y)
          .unroll(rv[0]);
    }
  }

  if (p.stage) {
    if (sh.path == ConvPath::Stem)
      a.staged.compute_at(out, task).vectorize(x, std::min(t.block, s.win));
    else
      a.staged.compute_at(out, task).vectorize(c);
  }
}

void schedulePool(PoolAlgo &a, const Target &, const PoolSpec &s) {
  Var xo("xo"), xi("xi"), task("task");
  a.output.split(a.x, xo, xi, std::min(4, s.wout), SI)
      .reorder(a.c, xi, xo, a.y, a.cb, a.n)
      .vectorize(a.c)
      .unroll(xi)
      .fuse(a.y, a.cb, task)
      .fuse(task, a.n, task)
      .parallel(task);
}

void scheduleGlobalAvgPool(GlobalAvgPoolAlgo &a, const Target &t,
                           const GlobalAvgPoolSpec &s) {
  const int B = t.block;
  if (s.outLayout == Layout::Matrix) {
    Var cv("cv"), cl("cl"), task("task");
    a.output.split(a.c, cv, cl, B, TailStrategy::GuardWithIf)
        .vectorize(cl)
        .fuse(cv, a.n, task)
        .parallel(task);
    a.sums.compute_at(a.output, task).vectorize(a.c);
    a.sums.update().vectorize(a.c);
  } else {
    Var task("task");
    a.output.vectorize(a.c).fuse(a.cb, a.n, task).parallel(task);
    a.sums.compute_at(a.output, task).vectorize(a.c);
    a.sums.update().vectorize(a.c);
  }
}

void scheduleGemm(GemmAlgo &a, const Target &t, const GemmSpec &s) {
  const int B = t.block;
  const int vw = s.nOut >= B ? B : s.nOut;
  const int tn = s.nOut >= B ? std::min(4, s.nOut / B) : 1;
  const int tm = std::min(s.m, 3);
  Var jo("jo"), ji("ji"), jv("jv"), jl("jl"), io("io"), ii("ii"),
      task("task");
  a.output.split(a.j, jo, ji, vw * tn, SI)
      .split(a.i, io, ii, tm, SI)
      .split(ji, jv, jl, vw)
      .reorder(jl, jv, ii, jo, io)
      .vectorize(jl)
      .unroll(jv)
      .unroll(ii)
      .fuse(jo, io, task)
      .parallel(task);
  a.acc.compute_at(a.output, task)
      .split(a.j, jv, jl, vw)
      .vectorize(jl)
      .unroll(jv)
      .unroll(a.i);
  a.acc.update()
      .split(a.j, jv, jl, vw)
      .reorder(jl, jv, a.i, a.r.x)
      .vectorize(jl)
      .unroll(jv)
      .unroll(a.i);
}

void scheduleEltwise(EltwiseAlgo &a, const Target &t, const EltwiseSpec &s) {
  const int size = int(std::min<int64_t>(s.size, 1 << 30));
  const int vec = std::min(t.block, size);
  int chunk = std::min(size, 16384);
  chunk = std::max(vec, chunk / vec * vec);
  Var io("io"), ii("ii");
  a.output.split(a.i, io, ii, chunk, SI).vectorize(ii, vec, SI).parallel(io);
}

void scheduleReorder(ReorderAlgo &a, const Target &t, const ReorderSpec &s) {
  Var task("task");
  if (s.to == Layout::Blocked) {
    a.output.vectorize(a.a).fuse(a.c, a.d, task).fuse(task, a.e, task).parallel(
        task);
  } else {
    a.output.vectorize(a.a, std::min(t.block, s.w), SI)
        .fuse(a.b, a.c, task)
        .fuse(task, a.d, task)
        .parallel(task);
  }
}

} // namespace resnetc::codegen::detail
