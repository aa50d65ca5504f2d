//===- KernelTests.cpp - Generated kernels vs naive references ------------===//
//
// Every kernel kind is compiled through the real AOT path (see Harness.h),
// run on random data and compared with a double-precision reference:
// max |got - ref| <= 1e-5 * max |ref| (plus a tiny absolute floor). Blocked
// outputs are also checked for zero padding channels and for writes outside
// the output (guard words around every output buffer).
//
// Usage: resnetc-codegen-tests [avx2] [avx512]   (default: all the host runs)
//===----------------------------------------------------------------------===//

#include "Harness.h"

#include <cmath>
#include <functional>
#include <memory>
#include <random>

using namespace resnetc::codegen;
using namespace resnetc::codegen::harness;

namespace {

std::mt19937 rng(1234);

std::vector<float> randomVec(size_t n, float lo = -1.0f, float hi = 1.0f) {
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (auto &x : v)
    x = d(rng);
  return v;
}

int cdiv(int a, int b) { return (a + b - 1) / b; }

std::vector<float> toBlocked(const std::vector<float> &x, int N, int C, int H,
                             int W, int B) {
  std::vector<float> o(size_t(N) * cdiv(C, B) * B * H * W, 0.0f);
  for (int n = 0; n < N; ++n)
    for (int c = 0; c < C; ++c)
      for (int h = 0; h < H; ++h)
        for (int w = 0; w < W; ++w)
          o[((((size_t(n) * cdiv(C, B) + c / B) * H + h) * W + w) * B) +
            c % B] = x[((size_t(n) * C + c) * H + h) * W + w];
  return o;
}

/// Back to NCHW; returns false if a padding channel is non-zero.
bool fromBlocked(const float *b, int N, int C, int H, int W, int B,
                 std::vector<float> &x) {
  x.assign(size_t(N) * C * H * W, 0.0f);
  bool padZero = true;
  int CB = cdiv(C, B);
  for (int n = 0; n < N; ++n)
    for (int c = 0; c < CB * B; ++c)
      for (int h = 0; h < H; ++h)
        for (int w = 0; w < W; ++w) {
          float v = b[((((size_t(n) * CB + c / B) * H + h) * W + w) * B) +
                      c % B];
          if (c < C)
            x[((size_t(n) * C + c) * H + h) * W + w] = v;
          else if (v != 0.0f)
            padZero = false;
        }
  return padZero;
}

double act(double v, const Activation &a) {
  if (a.kind == Activation::Relu)
    return v > 0 ? v : 0;
  if (a.kind == Activation::Clip)
    return std::min<double>(std::max<double>(v, a.lo), a.hi);
  return v;
}

/// Output memory with guard words on both sides.
struct Guarded {
  static constexpr size_t G = 64;
  static constexpr float kSentinel = 12345.678f;
  std::vector<float> mem;
  explicit Guarded(size_t n) : mem(n + 2 * G, kSentinel) {}
  float *data() { return mem.data() + G; }
  bool intact() const {
    for (size_t i = 0; i < G; ++i)
      if (mem[i] != kSentinel || mem[mem.size() - 1 - i] != kSentinel)
        return false;
    return true;
  }
};

struct Compare {
  double maxErr = 0, maxRef = 0;
  bool ok = true;
};

Compare compare(const std::vector<float> &got, const std::vector<double> &ref,
                double rel = 1e-5) {
  Compare c;
  for (size_t i = 0; i < ref.size(); ++i)
    c.maxRef = std::max(c.maxRef, std::fabs(ref[i]));
  for (size_t i = 0; i < ref.size(); ++i) {
    double e = std::fabs(double(got[i]) - ref[i]);
    if (!(e <= c.maxErr))
      c.maxErr = std::isnan(e) ? INFINITY : e;
  }
  c.ok = got.size() == ref.size() && c.maxErr <= rel * c.maxRef + 1e-6;
  return c;
}

// A test case: registers its kernel(s) in `prepare`, checks in `run`.
struct Case {
  std::string name;
  std::function<void(KernelLibrary &)> prepare;
  std::function<bool(const Loaded &, std::string &)> run;
};

std::string report(const Compare &c) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "max err %.3g, max |ref| %.3g", c.maxErr,
                c.maxRef);
  return buf;
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

std::vector<double> convRef(const ConvSpec &s, const std::vector<float> &x,
                            const std::vector<float> &w,
                            const std::vector<float> &b,
                            const std::vector<float> *res) {
  int cinPG = s.cin / s.group, coutPG = s.cout / s.group;
  std::vector<double> o(size_t(s.n) * s.cout * s.hout * s.wout);
  for (int n = 0; n < s.n; ++n)
    for (int oc = 0; oc < s.cout; ++oc)
      for (int oy = 0; oy < s.hout; ++oy)
        for (int ox = 0; ox < s.wout; ++ox) {
          double acc = b[oc];
          int g = oc / coutPG;
          for (int icg = 0; icg < cinPG; ++icg)
            for (int ky = 0; ky < s.kh; ++ky)
              for (int kx = 0; kx < s.kw; ++kx) {
                int iy = oy * s.strideH - s.padTop + ky * s.dilH;
                int ix = ox * s.strideW - s.padLeft + kx * s.dilW;
                if (iy < 0 || iy >= s.hin || ix < 0 || ix >= s.win)
                  continue;
                int ic = g * cinPG + icg;
                acc += double(w[((size_t(oc) * cinPG + icg) * s.kh + ky) *
                                    s.kw +
                                kx]) *
                       x[((size_t(n) * s.cin + ic) * s.hin + iy) * s.win + ix];
              }
          size_t at = ((size_t(n) * s.cout + oc) * s.hout + oy) * s.wout + ox;
          if (res)
            acc += (*res)[at];
          o[at] = act(acc, s.act);
        }
  return o;
}

ConvSpec conv(int n, int cin, int h, int w, int cout, int k, int stride,
              int pad) {
  ConvSpec s;
  s.n = n;
  s.cin = cin;
  s.hin = h;
  s.win = w;
  s.cout = cout;
  s.kh = s.kw = k;
  s.strideH = s.strideW = stride;
  s.padTop = s.padLeft = pad;
  s.hout = (h + 2 * pad - k) / stride + 1;
  s.wout = (w + 2 * pad - k) / stride + 1;
  return s;
}

ConvTiling tiling(int oc, int tw, int th, int rows = 1, int step = 0,
                  bool flat = false) {
  ConvTiling t;
  t.tileOcBlocks = oc;
  t.tileW = tw;
  t.tileH = th;
  t.rowsPerTask = rows;
  t.icBlocksPerStep = step;
  t.flattenPixels = flat;
  return t;
}

Case convCase(const std::string &name, const Target &t, ConvSpec s) {
  struct State {
    ConvSpec s;
    std::vector<float> x, w, b, res;
    const KernelInfo *info = nullptr;
  };
  auto st = std::make_shared<State>();
  st->s = s;
  st->x = randomVec(size_t(s.n) * s.cin * s.hin * s.win);
  st->w = randomVec(size_t(s.cout) * (s.cin / s.group) * s.kh * s.kw);
  st->b = randomVec(s.cout);
  if (s.residual)
    st->res = randomVec(size_t(s.n) * s.cout * s.hout * s.wout);
  Case c;
  c.name = name;
  c.prepare = [st](KernelLibrary &lib) { st->info = &lib.conv(st->s); };
  c.run = [st, t](const Loaded &L, std::string &msg) {
    const ConvSpec &s = st->s;
    const int B = t.block;
    std::vector<float> in =
        s.inLayout == Layout::NCHW ? st->x
                                   : toBlocked(st->x, s.n, s.cin, s.hin, s.win, B);
    std::vector<float> w = packConvWeights(t, s, st->w.data());
    std::vector<float> b = packConvBias(t, s, st->b.data());
    std::vector<float> res;
    if (s.residual)
      res = toBlocked(st->res, s.n, s.cout, s.hout, s.wout, B);
    const auto &args = st->info->args;
    if (int64_t(in.size()) != elements(args[0]) ||
        int64_t(w.size()) != elements(args[1]) ||
        int64_t(b.size()) != elements(args[2])) {
      msg = "argument sizes disagree with ArgDesc";
      return false;
    }
    Guarded out(size_t(elements(args.back())));
    std::vector<float *> ptrs{in.data(), w.data(), b.data()};
    if (s.residual)
      ptrs.push_back(res.data());
    ptrs.push_back(out.data());
    if (int rc = call(L, *st->info, ptrs)) {
      msg = "kernel returned " + std::to_string(rc);
      return false;
    }
    if (!out.intact()) {
      msg = "wrote outside its output";
      return false;
    }
    std::vector<float> got;
    if (!fromBlocked(out.data(), s.n, s.cout, s.hout, s.wout, B, got)) {
      msg = "padding channels not zero";
      return false;
    }
    Compare cmp = compare(got, convRef(s, st->x, st->w, st->b,
                                       s.residual ? &st->res : nullptr));
    msg = report(cmp);
    return cmp.ok;
  };
  return c;
}

void addConvCases(std::vector<Case> &cases, const Target &t) {
  auto add = [&](const std::string &n, ConvSpec s) {
    cases.push_back(convCase(n, t, s));
  };
  ConvSpec s;

  s = conv(1, 64, 14, 14, 32, 1, 1, 0);
  s.tiling = tiling(2, 6, 1, 2, 0, true);
  s.act.kind = Activation::Relu;
  add("1x1 flat 64->32 14x14 relu", s);

  s.tiling = tiling(2, 6, 1, 2, 2, true);
  add("1x1 flat + icBlocksPerStep", s);

  s.tiling = tiling(3, 5, 1, 3);
  add("1x1 not flat, tiles 3x5 (tails)", s);

  s = conv(2, 20, 13, 13, 10, 3, 1, 1);
  s.residual = true;
  s.act.kind = Activation::Relu;
  s.tiling = tiling(2, 3, 2, 4);
  add("3x3 20->10 13x13 n2 residual relu", s);

  s = conv(1, 16, 14, 14, 24, 3, 2, 1);
  s.tiling = tiling(2, 4, 1, 2);
  add("3x3/2 16->24 14x14", s);

  s = conv(1, 64, 14, 14, 64, 3, 1, 1);
  s.tiling = tiling(2, 3, 2, 2, 2);
  add("3x3 64->64 icBlocksPerStep 2", s);

  s = conv(2, 3, 29, 29, 16, 7, 2, 3);
  s.inLayout = Layout::NCHW;
  s.act.kind = Activation::Relu;
  s.tiling = tiling(2, 4, 1, 2);
  add("7x7/2 NCHW stem 3->16 n2", s);

  s = conv(1, 3, 11, 9, 8, 3, 1, 1);
  s.tiling = tiling(1, 4, 1, 1);
  add("3x3 blocked input cin 3", s);

  // Asymmetric padding: top 0 / bottom 2, left 1 / right 0.
  s = conv(1, 10, 10, 9, 12, 3, 1, 0);
  s.padTop = 0;
  s.padLeft = 1;
  s.hout = (10 + 0 + 2 - 3) / 1 + 1;
  s.wout = (9 + 1 + 0 - 3) / 1 + 1;
  s.tiling = tiling(2, 3, 2, 2);
  add("3x3 asymmetric padding", s);

  s = conv(1, 10, 13, 13, 12, 3, 2, 0);
  s.padTop = 1;
  s.padLeft = 0; // bottom 0, right 1
  s.hout = (13 + 1 - 3) / 2 + 1;
  s.wout = (13 + 1 - 3) / 2 + 1;
  s.tiling = tiling(1, 4, 1, 1);
  add("3x3/2 asymmetric padding", s);

  s = conv(1, 8, 12, 12, 8, 3, 1, 2);
  s.dilH = s.dilW = 2;
  s.tiling = tiling(1, 4, 1, 2);
  add("3x3 dilation 2", s);

  s = conv(1, 20, 13, 13, 20, 3, 2, 1);
  s.group = 20;
  s.act.kind = Activation::Relu;
  s.tiling = tiling(1, 4, 1, 2);
  add("depthwise 3x3/2 c20", s);

  s = conv(2, 32, 7, 7, 32, 3, 1, 1);
  s.group = 32;
  s.tiling = tiling(1, 3, 2, 2);
  add("depthwise 3x3 c32 n2", s);

  s = conv(1, 32, 10, 10, 32, 3, 1, 1);
  s.group = 8;
  s.tiling = tiling(2, 4, 1, 2);
  add("grouped 8 groups of 4", s);

  s = conv(1, 16, 9, 9, 32, 3, 2, 1);
  s.group = 8; // 2 inputs -> 4 outputs per group
  s.tiling = tiling(2, 4, 1, 2);
  add("grouped 8 groups 2->4", s);

  s = conv(1, 24, 9, 9, 24, 3, 1, 1);
  s.group = 2; // 12 channels per group: lanes gather
  s.tiling = tiling(2, 3, 2, 2);
  add("grouped 2 groups of 12", s);

  s = conv(1, 24, 9, 9, 48, 1, 1, 0);
  s.group = 3;
  s.tiling = tiling(1, 4, 1, 2);
  add("grouped 3 groups 8->16 1x1", s);

  s = conv(1, 64, 9, 9, 64, 3, 1, 1);
  s.group = 4;
  s.residual = true;
  s.tiling = tiling(2, 4, 1, 2);
  add("grouped 4 groups of 16 (block aligned)", s);

  s = conv(1, 16, 13, 13, 10, 3, 1, 1);
  s.act = {Activation::Clip, 0.25f, 0.75f};
  s.tiling = tiling(2, 4, 1, 2);
  add("clip [0.25,0.75] cout 10", s);

  s = conv(2, 32, 14, 14, 64, 1, 2, 0);
  s.tiling = tiling(2, 6, 1, 2);
  add("1x1/2 projection 32->64 n2", s);

  s = conv(1, 16, 7, 7, 16, 3, 1, 1);
  s.tiling = tiling(4, 8, 4, 16); // tiles larger than the output
  add("tiles larger than output 7x7", s);
}

//===----------------------------------------------------------------------===//
// Other kernels
//===----------------------------------------------------------------------===//

Case poolCase(const std::string &name, const Target &t, PoolSpec s) {
  struct State {
    PoolSpec s;
    std::vector<float> x;
    const KernelInfo *info = nullptr;
  };
  auto st = std::make_shared<State>();
  st->s = s;
  st->x = randomVec(size_t(s.n) * s.c * s.hin * s.win);
  Case c;
  c.name = name;
  c.prepare = [st](KernelLibrary &lib) { st->info = &lib.pool(st->s); };
  c.run = [st, t](const Loaded &L, std::string &msg) {
    const PoolSpec &s = st->s;
    const int B = t.block;
    std::vector<double> ref(size_t(s.n) * s.c * s.hout * s.wout);
    for (int n = 0; n < s.n; ++n)
      for (int ch = 0; ch < s.c; ++ch)
        for (int oy = 0; oy < s.hout; ++oy)
          for (int ox = 0; ox < s.wout; ++ox) {
            double m = -INFINITY, sum = 0;
            int cnt = 0, cntAll = 0;
            for (int ky = 0; ky < s.kh; ++ky)
              for (int kx = 0; kx < s.kw; ++kx) {
                int iy = oy * s.strideH - s.padTop + ky * s.dilH;
                int ix = ox * s.strideW - s.padLeft + kx * s.dilW;
                ++cntAll;
                if (iy < 0 || iy >= s.hin || ix < 0 || ix >= s.win)
                  continue;
                double v = st->x[((size_t(n) * s.c + ch) * s.hin + iy) * s.win + ix];
                m = std::max(m, v);
                sum += v;
                ++cnt;
              }
            ref[((size_t(n) * s.c + ch) * s.hout + oy) * s.wout + ox] =
                s.kind == PoolSpec::Max ? m
                                        : sum / (s.countIncludePad ? cntAll : cnt);
          }
    std::vector<float> in = toBlocked(st->x, s.n, s.c, s.hin, s.win, B);
    Guarded out(size_t(elements(st->info->args.back())));
    if (int rc = call(L, *st->info, {in.data(), out.data()})) {
      msg = "kernel returned " + std::to_string(rc);
      return false;
    }
    std::vector<float> got;
    if (!out.intact() ||
        !fromBlocked(out.data(), s.n, s.c, s.hout, s.wout, B, got)) {
      msg = "out-of-bounds write or non-zero padding channels";
      return false;
    }
    Compare cmp = compare(got, ref);
    msg = report(cmp);
    return cmp.ok;
  };
  return c;
}

Case gapCase(const std::string &name, const Target &t, GlobalAvgPoolSpec s) {
  struct State {
    GlobalAvgPoolSpec s;
    std::vector<float> x;
    const KernelInfo *info = nullptr;
  };
  auto st = std::make_shared<State>();
  st->s = s;
  st->x = randomVec(size_t(s.n) * s.c * s.h * s.w);
  Case c;
  c.name = name;
  c.prepare = [st](KernelLibrary &lib) { st->info = &lib.globalAvgPool(st->s); };
  c.run = [st, t](const Loaded &L, std::string &msg) {
    const GlobalAvgPoolSpec &s = st->s;
    std::vector<double> ref(size_t(s.n) * s.c);
    for (int n = 0; n < s.n; ++n)
      for (int ch = 0; ch < s.c; ++ch) {
        double sum = 0;
        for (int i = 0; i < s.h * s.w; ++i)
          sum += st->x[(size_t(n) * s.c + ch) * s.h * s.w + i];
        ref[size_t(n) * s.c + ch] = sum / (s.h * s.w);
      }
    std::vector<float> in = toBlocked(st->x, s.n, s.c, s.h, s.w, t.block);
    Guarded out(size_t(elements(st->info->args.back())));
    if (int rc = call(L, *st->info, {in.data(), out.data()})) {
      msg = "kernel returned " + std::to_string(rc);
      return false;
    }
    std::vector<float> got(out.data(), out.data() + s.n * s.c);
    if (s.outLayout == Layout::Blocked &&
        !fromBlocked(out.data(), s.n, s.c, 1, 1, t.block, got)) {
      msg = "padding channels not zero";
      return false;
    }
    if (!out.intact()) {
      msg = "wrote outside its output";
      return false;
    }
    Compare cmp = compare(got, ref);
    msg = report(cmp);
    return cmp.ok;
  };
  return c;
}

Case gemmCase(const std::string &name, const Target &t, GemmSpec s,
              bool transB, float alpha, float beta, bool withC) {
  struct State {
    GemmSpec s;
    std::vector<float> a, b, cvec;
    const KernelInfo *info = nullptr;
  };
  auto st = std::make_shared<State>();
  st->s = s;
  st->a = randomVec(size_t(s.m) * s.k);
  st->b = randomVec(size_t(s.k) * s.nOut);
  st->cvec = randomVec(s.nOut);
  Case c;
  c.name = name;
  c.prepare = [st](KernelLibrary &lib) { st->info = &lib.gemm(st->s); };
  c.run = [=](const Loaded &L, std::string &msg) {
    const GemmSpec &s = st->s;
    std::vector<double> ref(size_t(s.m) * s.nOut);
    for (int i = 0; i < s.m; ++i)
      for (int j = 0; j < s.nOut; ++j) {
        double acc = 0;
        for (int k = 0; k < s.k; ++k)
          acc += double(st->a[size_t(i) * s.k + k]) *
                 (transB ? st->b[size_t(j) * s.k + k] : st->b[size_t(k) * s.nOut + j]);
        acc = alpha * acc + (withC ? beta * st->cvec[j] : 0.0);
        ref[size_t(i) * s.nOut + j] = act(acc, s.act);
      }
    std::vector<float> w = packGemmWeights(t, s, st->b.data(), transB, alpha);
    std::vector<float> b =
        packGemmBias(t, s, withC ? st->cvec.data() : nullptr, beta);
    if (int64_t(w.size()) != elements(st->info->args[1]) ||
        int64_t(b.size()) != elements(st->info->args[2])) {
      msg = "packed sizes disagree with ArgDesc";
      return false;
    }
    Guarded out(size_t(s.m) * s.nOut);
    if (int rc = call(L, *st->info, {st->a.data(), w.data(), b.data(), out.data()})) {
      msg = "kernel returned " + std::to_string(rc);
      return false;
    }
    if (!out.intact()) {
      msg = "wrote outside its output";
      return false;
    }
    std::vector<float> got(out.data(), out.data() + s.m * s.nOut);
    Compare cmp = compare(got, ref);
    msg = report(cmp);
    return cmp.ok;
  };
  return c;
}

Case eltwiseCase(const std::string &name, const Target &t, EltwiseSpec s) {
  struct State {
    EltwiseSpec s;
    std::vector<float> a, b;
    const KernelInfo *info = nullptr;
  };
  auto st = std::make_shared<State>();
  st->s = s;
  st->a = randomVec(s.size);
  st->b = randomVec(s.size);
  Case c;
  c.name = name;
  c.prepare = [st](KernelLibrary &lib) { st->info = &lib.eltwise(st->s); };
  c.run = [st](const Loaded &L, std::string &msg) {
    const EltwiseSpec &s = st->s;
    std::vector<double> ref(s.size);
    for (int64_t i = 0; i < s.size; ++i)
      ref[i] = act(double(st->a[i]) + (s.kind == EltwiseSpec::Add ? st->b[i] : 0.0f),
                   s.act);
    Guarded out(s.size);
    std::vector<float *> ptrs{st->a.data()};
    if (s.kind == EltwiseSpec::Add)
      ptrs.push_back(st->b.data());
    ptrs.push_back(out.data());
    if (int rc = call(L, *st->info, ptrs)) {
      msg = "kernel returned " + std::to_string(rc);
      return false;
    }
    if (!out.intact()) {
      msg = "wrote outside its output";
      return false;
    }
    Compare cmp = compare(std::vector<float>(out.data(), out.data() + s.size), ref);
    msg = report(cmp);
    return cmp.ok;
  };
  return c;
}

Case reorderCase(const std::string &name, const Target &t, ReorderSpec s) {
  struct State {
    ReorderSpec s;
    std::vector<float> x;
    const KernelInfo *info = nullptr;
  };
  auto st = std::make_shared<State>();
  st->s = s;
  st->x = randomVec(size_t(s.n) * s.c * s.h * s.w);
  Case c;
  c.name = name;
  c.prepare = [st](KernelLibrary &lib) { st->info = &lib.reorder(st->s); };
  c.run = [st, t](const Loaded &L, std::string &msg) {
    const ReorderSpec &s = st->s;
    const int B = t.block;
    std::vector<double> ref(st->x.begin(), st->x.end());
    std::vector<float> in = s.from == Layout::NCHW
                                ? st->x
                                : toBlocked(st->x, s.n, s.c, s.h, s.w, B);
    Guarded out(size_t(elements(st->info->args.back())));
    // Poison the output so that zero-filling of padding channels is checked.
    std::fill(out.data(), out.data() + elements(st->info->args.back()), 7.0f);
    if (int rc = call(L, *st->info, {in.data(), out.data()})) {
      msg = "kernel returned " + std::to_string(rc);
      return false;
    }
    std::vector<float> got(out.data(), out.data() + st->x.size());
    if (s.to == Layout::Blocked &&
        !fromBlocked(out.data(), s.n, s.c, s.h, s.w, B, got)) {
      msg = "padding channels not zero";
      return false;
    }
    if (!out.intact()) {
      msg = "wrote outside its output";
      return false;
    }
    Compare cmp = compare(got, ref, 0.0);
    msg = report(cmp);
    return cmp.ok;
  };
  return c;
}

void addOtherCases(std::vector<Case> &cases, const Target &t) {
  PoolSpec p;
  p.n = 2;
  p.c = 20;
  p.hin = p.win = 13;
  p.kh = p.kw = 3;
  p.strideH = p.strideW = 2;
  p.padTop = p.padLeft = 1;
  p.hout = p.wout = 7;
  cases.push_back(poolCase("maxpool 3x3/2 pad 1 c20", t, p));
  p.kind = PoolSpec::Average;
  cases.push_back(poolCase("avgpool 3x3/2 pad 1 exclude pad", t, p));
  p.countIncludePad = true;
  cases.push_back(poolCase("avgpool 3x3/2 pad 1 include pad", t, p));
  PoolSpec q;
  q.kind = PoolSpec::Average;
  q.c = 16;
  q.hin = q.win = 8;
  q.kh = q.kw = 2;
  q.strideH = q.strideW = 2;
  q.hout = q.wout = 4;
  cases.push_back(poolCase("avgpool 2x2/2", t, q));
  q.kind = PoolSpec::Max;
  q.hin = 9;
  q.win = 10;
  q.padTop = 0;
  q.padLeft = 1; // asymmetric: bottom 1, right 1 -> hout 5, wout 6
  q.hout = 5;
  q.wout = 6;
  cases.push_back(poolCase("maxpool 2x2/2 asymmetric pad", t, q));

  GlobalAvgPoolSpec g;
  g.n = 2;
  g.c = 20;
  g.h = g.w = 7;
  cases.push_back(gapCase("global avg pool -> matrix c20 n2", t, g));
  g.outLayout = Layout::Blocked;
  cases.push_back(gapCase("global avg pool -> blocked c20 n2", t, g));

  GemmSpec m;
  m.m = 2;
  m.k = 64;
  m.nOut = 10;
  m.act.kind = Activation::Relu;
  cases.push_back(gemmCase("gemm 2x64 -> 10 relu transB", t, m, true, 1.0f, 1.0f, true));
  m = GemmSpec{1, 2048, 1000, {}};
  cases.push_back(gemmCase("gemm 1x2048 -> 1000", t, m, true, 1.0f, 1.0f, true));
  m = GemmSpec{5, 37, 19, {}};
  cases.push_back(gemmCase("gemm 5x37 -> 19 alpha beta no transB", t, m, false, 0.5f, 2.0f, true));
  m = GemmSpec{3, 16, 40, {}};
  cases.push_back(gemmCase("gemm 3x16 -> 40 without C", t, m, true, 1.0f, 1.0f, false));

  EltwiseSpec e;
  e.size = 1003;
  e.act.kind = Activation::Relu;
  cases.push_back(eltwiseCase("add + relu 1003", t, e));
  e.size = 5;
  e.kind = EltwiseSpec::Unary;
  e.act = {Activation::Clip, -0.5f, 0.25f};
  cases.push_back(eltwiseCase("clip 5", t, e));
  e.size = 40000;
  e.kind = EltwiseSpec::Add;
  e.act = {};
  cases.push_back(eltwiseCase("add 40000", t, e));

  ReorderSpec r;
  r.n = 2;
  r.c = 3;
  r.h = 13;
  r.w = 11;
  cases.push_back(reorderCase("reorder NCHW->blocked c3", t, r));
  r.c = 20;
  r.from = Layout::Blocked;
  r.to = Layout::NCHW;
  cases.push_back(reorderCase("reorder blocked->NCHW c20", t, r));
}

bool hostHasAvx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
}

int runTarget(const std::string &name) {
  Target t;
  std::string err;
  if (!resolveTarget(name, t, err)) {
    std::printf("FAIL resolveTarget(%s): %s\n", name.c_str(), err.c_str());
    return 1;
  }
  std::vector<Case> cases;
  addConvCases(cases, t);
  addOtherCases(cases, t);
  KernelLibrary lib(t, "t" + name);
  for (auto &c : cases)
    c.prepare(lib);

  // Dedup: asking again for an identical spec returns the same kernel.
  size_t before = lib.size();
  for (auto &c : cases)
    c.prepare(lib);
  int failures = 0;
  if (lib.size() != before) {
    std::printf("FAIL [%s] identical specs were not deduplicated\n", name.c_str());
    ++failures;
  }

  Loaded L;
  if (!compileAndLoad(lib, t, 2, L, err)) {
    std::printf("FAIL [%s] compile/link: %s\n", name.c_str(), err.c_str());
    return 1;
  }
  for (auto &c : cases) {
    std::string msg;
    bool ok = c.run(L, msg);
    std::printf("%s [%s] %s: %s\n", ok ? "ok  " : "FAIL", name.c_str(),
                c.name.c_str(), msg.c_str());
    failures += !ok;
  }
  removeDir(L.dir);
  return failures;
}

/// The comparison must be able to fail: a single perturbed value is caught.
int selfCheck() {
  std::vector<double> ref{1.0, -2.0, 3.0};
  std::vector<float> good{1.0f, -2.0f, 3.0f}, bad{1.0f, -2.0f, 3.001f};
  if (!compare(good, ref).ok || compare(bad, ref).ok) {
    std::printf("FAIL self-check of the comparison\n");
    return 1;
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  std::vector<std::string> targets;
  for (int i = 1; i < argc; ++i)
    targets.push_back(argv[i]);
  if (targets.empty()) {
    targets.push_back("avx2");
    if (hostHasAvx512())
      targets.push_back("avx512");
    else
      std::printf("note: host has no AVX-512; avx512 kernels not run\n");
  }
  int failures = selfCheck();
  for (auto &t : targets)
    failures += runTarget(t);
  std::printf("%s: %d failure(s)\n", failures ? "FAILED" : "PASSED", failures);
  return failures ? 1 : 0;
}
