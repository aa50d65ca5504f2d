//===- Algorithms.cpp - What each kernel computes -------------------------===//
//
// Pure algorithm definitions: no loop structure here. Every buffer parameter
// gets fixed extents and dense strides from the kernel's ArgDescs, so the
// schedules see compile-time constant shapes.
//===----------------------------------------------------------------------===//

#include "Internal.h"

#include <cmath>
#include <limits>

using namespace Halide;

namespace resnetc::codegen::detail {

void constrainDense(OutputImageParam p, const std::vector<int64_t> &extents) {
  int64_t stride = 1;
  for (size_t i = 0; i < extents.size(); ++i) {
    p.dim(int(i)).set_bounds(0, int(extents[i])).set_stride(int(stride));
    stride *= extents[i];
  }
}

Expr applyActivation(Expr v, const Activation &act) {
  switch (act.kind) {
  case Activation::None:
    return v;
  case Activation::Relu:
    return max(v, 0.0f);
  case Activation::Clip:
    return clamp(v, act.lo, act.hi);
  }
  return v;
}

namespace {

/// Buffer parameters for every non-output ArgDesc, in order; constrains the
/// output Func's buffer with the last one.
std::vector<ImageParam> makeParams(const std::vector<ArgDesc> &args) {
  std::vector<ImageParam> ps;
  for (const ArgDesc &a : args) {
    if (a.role == ArgDesc::Output)
      continue;
    ImageParam p(Float(32), int(a.extents.size()), a.name);
    constrainDense(p, a.extents);
    ps.push_back(p);
  }
  return ps;
}

void constrainOutput(Func &f, const std::vector<ArgDesc> &args) {
  constrainDense(f.output_buffer(), args.back().extents);
}

/// True when an activation can turn a zero (padding channel) into non-zero.
bool actMovesZero(const Activation &a) {
  return a.kind == Activation::Clip && (a.lo > 0.0f || a.hi < 0.0f);
}

} // namespace

ConvAlgo defineConv(const Target &t, const ConvSpec &s, bool stageInput) {
  ConvAlgo a;
  a.shape = analyzeConv(t, s);
  const ConvShape &sh = a.shape;
  const int B = sh.B;
  std::vector<ArgDesc> args = convArgs(t, s);
  a.inputs = makeParams(args);
  ImageParam in = a.inputs[0], w = a.inputs[1], bias = a.inputs[2];
  Var c = a.c, x = a.x, y = a.y, ob = a.ob, n = a.n;
  a.output = Func("output");
  a.acc = Func("acc");

  // Source of input values, in padded coordinates: src(.., x + padLeft,
  // y + padTop, ..) == input(.., x, y, ..) and zero outside the input.
  Func src("src");
  if (stageInput && !sh.flat) {
    a.staged = Func("staged");
    if (sh.path == ConvPath::Stem) {
      Func ext = BoundaryConditions::constant_exterior(
          in, 0.0f, {{0, s.win}, {0, s.hin}, Range(), Range()});
      a.staged(x, y, c, n) = ext(x - s.padLeft, y - s.padTop, c, n);
    } else {
      Func ext = BoundaryConditions::constant_exterior(
          in, 0.0f, {Range(), {0, s.win}, {0, s.hin}, Range(), Range()});
      a.staged(c, x, y, ob, n) = ext(c, x - s.padLeft, y - s.padTop, ob, n);
    }
    src = a.staged;
  } else {
    src = in;
  }

  Expr ix = x * s.strideW, iy = y * s.strideH;
  switch (sh.path) {
  case ConvPath::Dense: {
    a.r = RDom(0, B, 0, s.kw, 0, s.kh, 0, sh.icbPG, "r");
    Expr icb = a.r[3];
    if (s.group > 1)
      icb += (ob / (sh.coutPG / B)) * sh.icbPG;
    if (sh.flat) {
      a.acc(c, x, ob, n) = bias(ob * B + c);
      a.acc(c, x, ob, n) += w(c, a.r[0], 0, 0, a.r[3], ob) *
                            src(a.r[0], x, icb, n);
    } else {
      a.acc(c, x, y, ob, n) = bias(ob * B + c);
      a.acc(c, x, y, ob, n) +=
          w(c, a.r[0], a.r[1], a.r[2], a.r[3], ob) *
          src(a.r[0], ix + a.r[1] * s.dilW, iy + a.r[2] * s.dilH, icb, n);
    }
    break;
  }
  case ConvPath::Stem:
    a.r = RDom(0, s.kw, 0, s.kh, 0, s.cin, "r");
    a.acc(c, x, y, ob, n) = bias(ob * B + c);
    a.acc(c, x, y, ob, n) +=
        w(c, a.r[0], a.r[1], a.r[2], ob) *
        src(ix + a.r[0] * s.dilW, iy + a.r[1] * s.dilH, a.r[2], n);
    break;
  case ConvPath::Depthwise:
    a.r = RDom(0, s.kw, 0, s.kh, "r");
    a.acc(c, x, y, ob, n) = bias(ob * B + c);
    a.acc(c, x, y, ob, n) +=
        w(c, a.r[0], a.r[1], ob) *
        src(c, ix + a.r[0] * s.dilW, iy + a.r[1] * s.dilH, ob, n);
    break;
  case ConvPath::Grouped: {
    a.r = RDom(0, s.kw, 0, s.kh, 0, sh.cinPG, "r");
    // Lanes of padding output channels read the last group's inputs (their
    // weights are zero).
    Expr px = ix + a.r[0] * s.dilW, py = iy + a.r[1] * s.dilH;
    Expr value;
    if (B % sh.coutPG == 0) {
      // A block holds B/coutPG whole groups: lane c belongs to group
      // ob*(B/coutPG) + c/coutPG. One broadcast input per group, blended
      // by lane, instead of a per-lane gather.
      const int gpb = B / sh.coutPG;
      const int groups = s.group;
      for (int j = gpb - 1; j >= 0; --j) {
        Expr g = min(ob * gpb + j, groups - 1);
        Expr ic = g * sh.cinPG + a.r[2];
        Expr v = src(ic % B, px, py, ic / B, n);
        value = value.defined() ? select(c / sh.coutPG == j, v, value) : v;
      }
    } else {
      Expr oc = min(ob * B + c, s.cout - 1);
      Expr ic = (oc / sh.coutPG) * sh.cinPG + a.r[2];
      value = src(ic % B, px, py, ic / B, n);
    }
    a.acc(c, x, y, ob, n) = bias(ob * B + c);
    a.acc(c, x, y, ob, n) += w(c, a.r[0], a.r[1], a.r[2], ob) * value;
    break;
  }
  }

  std::vector<Var> vars = sh.flat ? std::vector<Var>{c, x, ob, n}
                                  : std::vector<Var>{c, x, y, ob, n};
  std::vector<Expr> vexprs(vars.begin(), vars.end());
  Expr v = a.acc(vexprs);
  if (s.residual)
    v += a.inputs[3](vexprs);
  v = applyActivation(v, s.act);
  if (s.cout % B != 0 && actMovesZero(s.act))
    v = select(ob * B + c < s.cout, v, 0.0f);
  a.output(vars) = v;
  constrainOutput(a.output, args);
  return a;
}

PoolAlgo definePool(const Target &t, const PoolSpec &s) {
  PoolAlgo a;
  std::vector<ArgDesc> args = poolArgs(t, s);
  a.inputs = makeParams(args);
  ImageParam in = a.inputs[0];
  Var c = a.c, x = a.x, y = a.y, cb = a.cb, n = a.n;
  int lastRow = (s.hout - 1) * s.strideH + (s.kh - 1) * s.dilH - s.padTop;
  int lastCol = (s.wout - 1) * s.strideW + (s.kw - 1) * s.dilW - s.padLeft;
  bool padded = s.padTop > 0 || s.padLeft > 0 || lastRow >= s.hin ||
                lastCol >= s.win;
  Expr fill = s.kind == PoolSpec::Max
                  ? Expr(-std::numeric_limits<float>::infinity())
                  : Expr(0.0f);
  Func src = padded ? BoundaryConditions::constant_exterior(
                          in, fill,
                          {Range(), {0, s.win}, {0, s.hin}, Range(), Range()})
                    : Func(in);
  RDom r(0, s.kw, 0, s.kh, "r");
  Expr ix = x * s.strideW - s.padLeft + r.x * s.dilW;
  Expr iy = y * s.strideH - s.padTop + r.y * s.dilH;
  a.output = Func("output");
  if (s.kind == PoolSpec::Max) {
    a.output(c, x, y, cb, n) = maximum(src(c, ix, iy, cb, n));
  } else {
    // 1/divisor per output pixel, computed here and embedded as a constant.
    Buffer<float> inv(s.wout, s.hout, "inv_count");
    for (int oy = 0; oy < s.hout; ++oy)
      for (int ox = 0; ox < s.wout; ++ox) {
        int count = 0;
        for (int ky = 0; ky < s.kh; ++ky)
          for (int kx = 0; kx < s.kw; ++kx) {
            int yy = oy * s.strideH - s.padTop + ky * s.dilH;
            int xx = ox * s.strideW - s.padLeft + kx * s.dilW;
            count += s.countIncludePad ||
                     (yy >= 0 && yy < s.hin && xx >= 0 && xx < s.win);
          }
        inv(ox, oy) = count ? 1.0f / float(count) : 0.0f;
      }
    a.output(c, x, y, cb, n) = sum(src(c, ix, iy, cb, n)) * inv(x, y);
  }
  constrainOutput(a.output, args);
  return a;
}

GlobalAvgPoolAlgo defineGlobalAvgPool(const Target &t,
                                      const GlobalAvgPoolSpec &s) {
  GlobalAvgPoolAlgo a;
  std::vector<ArgDesc> args = globalAvgPoolArgs(t, s);
  a.inputs = makeParams(args);
  ImageParam in = a.inputs[0];
  const int B = t.block;
  RDom r(0, s.w, 0, s.h, "r");
  a.sums = Func("sums");
  a.sums(a.c, a.cb, a.n) = 0.0f;
  a.sums(a.c, a.cb, a.n) += in(a.c, r.x, r.y, a.cb, a.n);
  float scale = 1.0f / float(s.h * s.w);
  a.output = Func("output");
  if (s.outLayout == Layout::Matrix)
    a.output(a.c, a.n) = a.sums(a.c % B, a.c / B, a.n) * scale;
  else
    a.output(a.c, a.x, a.y, a.cb, a.n) = a.sums(a.c, a.cb, a.n) * scale;
  constrainOutput(a.output, args);
  return a;
}

GemmAlgo defineGemm(const Target &t, const GemmSpec &s) {
  GemmAlgo a;
  std::vector<ArgDesc> args = gemmArgs(t, s);
  a.inputs = makeParams(args);
  ImageParam A = a.inputs[0], W = a.inputs[1], bias = a.inputs[2];
  a.r = RDom(0, s.k, "r");
  a.acc = Func("acc");
  a.acc(a.j, a.i) = bias(a.j);
  a.acc(a.j, a.i) += A(a.r, a.i) * W(a.j, a.r);
  a.output = Func("output");
  a.output(a.j, a.i) = applyActivation(a.acc(a.j, a.i), s.act);
  constrainOutput(a.output, args);
  return a;
}

EltwiseAlgo defineEltwise(const Target &t, const EltwiseSpec &s) {
  EltwiseAlgo a;
  std::vector<ArgDesc> args = eltwiseArgs(t, s);
  a.inputs = makeParams(args);
  Expr v = a.inputs[0](a.i);
  if (s.kind == EltwiseSpec::Add)
    v += a.inputs[1](a.i);
  a.output = Func("output");
  a.output(a.i) = applyActivation(v, s.act);
  constrainOutput(a.output, args);
  return a;
}

ReorderAlgo defineReorder(const Target &t, const ReorderSpec &s) {
  ReorderAlgo a;
  std::vector<ArgDesc> args = reorderArgs(t, s);
  a.inputs = makeParams(args);
  ImageParam in = a.inputs[0];
  const int B = t.block;
  a.output = Func("output");
  if (s.to == Layout::Blocked) {
    // output(c, x, y, cb, n)
    Expr ch = a.d * B + a.a;
    Expr v = in(a.b, a.c, min(ch, s.c - 1), a.e);
    if (s.c % B != 0)
      v = select(ch < s.c, v, 0.0f);
    a.output(a.a, a.b, a.c, a.d, a.e) = v;
  } else {
    // output(x, y, ch, n)
    a.output(a.a, a.b, a.c, a.d) = in(a.c % B, a.a, a.b, a.c / B, a.d);
  }
  constrainOutput(a.output, args);
  return a;
}

} // namespace resnetc::codegen::detail
