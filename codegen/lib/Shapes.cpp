//===- Shapes.cpp - Derived shapes and argument descriptions --------------===//
//
// The single source of truth for buffer extents: the algorithms constrain
// their parameters with these ArgDescs and the packing functions fill arrays
// of exactly these sizes.
//===----------------------------------------------------------------------===//

#include "Internal.h"

namespace resnetc::codegen::detail {

ConvShape analyzeConv(const Target &t, const ConvSpec &s) {
  ConvShape sh;
  sh.B = t.block;
  int g = s.group > 0 ? s.group : 1;
  sh.cinPG = s.cin / g;
  sh.coutPG = s.cout / g;
  sh.cinB = ceilDiv(s.cin, sh.B);
  sh.coutB = ceilDiv(s.cout, sh.B);
  if (s.inLayout == Layout::NCHW)
    sh.path = ConvPath::Stem;
  else if (g == 1 || (sh.cinPG % sh.B == 0 && sh.coutPG % sh.B == 0))
    sh.path = ConvPath::Dense;
  else if (g == s.cin && g == s.cout)
    sh.path = ConvPath::Depthwise;
  else
    sh.path = ConvPath::Grouped;
  sh.icbPG = g == 1 ? sh.cinB : sh.cinPG / sh.B;
  int lastRow = (s.hout - 1) * s.strideH + (s.kh - 1) * s.dilH - s.padTop;
  int lastCol = (s.wout - 1) * s.strideW + (s.kw - 1) * s.dilW - s.padLeft;
  sh.needsPadding = s.padTop > 0 || s.padLeft > 0 || lastRow >= s.hin ||
                    lastCol >= s.win;
  sh.flat = s.tiling.flattenPixels && sh.path == ConvPath::Dense && s.kh == 1 &&
            s.kw == 1 && s.strideH == 1 && s.strideW == 1 &&
            !sh.needsPadding && s.hout == s.hin && s.wout == s.win;
  return sh;
}

std::string checkConv(const Target &t, const ConvSpec &s) {
  if (t.block != 8 && t.block != 16)
    return "channel block must be 8 or 16";
  if (s.n < 1 || s.cin < 1 || s.cout < 1 || s.hin < 1 || s.win < 1 ||
      s.hout < 1 || s.wout < 1 || s.kh < 1 || s.kw < 1)
    return "conv: non-positive extent";
  if (s.strideH < 1 || s.strideW < 1 || s.dilH < 1 || s.dilW < 1 ||
      s.group < 1)
    return "conv: non-positive stride, dilation or group";
  if (s.padTop < 0 || s.padLeft < 0)
    return "conv: negative padding";
  if (s.cin % s.group || s.cout % s.group)
    return "conv: channels not divisible by group";
  if (s.inLayout == Layout::NCHW && s.group != 1)
    return "conv: NCHW input supports group 1 only";
  if (s.inLayout == Layout::Matrix)
    return "conv: Matrix input layout";
  if (s.act.kind == Activation::Clip && !(s.act.lo <= s.act.hi))
    return "conv: clip with lo > hi";
  return "";
}

std::string checkPool(const PoolSpec &s) {
  if (s.n < 1 || s.c < 1 || s.hin < 1 || s.win < 1 || s.hout < 1 ||
      s.wout < 1 || s.kh < 1 || s.kw < 1 || s.strideH < 1 || s.strideW < 1 ||
      s.dilH < 1 || s.dilW < 1 || s.padTop < 0 || s.padLeft < 0)
    return "pool: invalid shape";
  return "";
}

namespace {
std::vector<int64_t> blocked(int B, int n, int c, int h, int w) {
  return {B, w, h, ceilDiv(c, B), n};
}
} // namespace

std::vector<ArgDesc> convArgs(const Target &t, const ConvSpec &s) {
  ConvShape sh = analyzeConv(t, s);
  int B = sh.B;
  std::vector<ArgDesc> args;
  std::vector<int64_t> in, out, w;
  if (sh.path == ConvPath::Stem)
    in = {s.win, s.hin, s.cin, s.n};
  else if (sh.flat)
    in = {B, int64_t(s.hin) * s.win, sh.cinB, s.n};
  else
    in = blocked(B, s.n, s.cin, s.hin, s.win);
  if (sh.flat)
    out = {B, int64_t(s.hout) * s.wout, sh.coutB, s.n};
  else
    out = blocked(B, s.n, s.cout, s.hout, s.wout);
  switch (sh.path) {
  case ConvPath::Dense:
    w = {B, B, s.kw, s.kh, sh.icbPG, sh.coutB};
    break;
  case ConvPath::Stem:
    w = {B, s.kw, s.kh, s.cin, sh.coutB};
    break;
  case ConvPath::Depthwise:
    w = {B, s.kw, s.kh, sh.coutB};
    break;
  case ConvPath::Grouped:
    w = {B, s.kw, s.kh, sh.cinPG, sh.coutB};
    break;
  }
  args.push_back({ArgDesc::Input, "input", in});
  args.push_back({ArgDesc::Weight, "weights", w});
  args.push_back({ArgDesc::Weight, "bias", {int64_t(sh.coutB) * B}});
  if (s.residual)
    args.push_back({ArgDesc::Input, "residual", out});
  args.push_back({ArgDesc::Output, "output", out});
  return args;
}

std::vector<ArgDesc> poolArgs(const Target &t, const PoolSpec &s) {
  return {{ArgDesc::Input, "input", blocked(t.block, s.n, s.c, s.hin, s.win)},
          {ArgDesc::Output, "output",
           blocked(t.block, s.n, s.c, s.hout, s.wout)}};
}

std::vector<ArgDesc> globalAvgPoolArgs(const Target &t,
                                       const GlobalAvgPoolSpec &s) {
  std::vector<int64_t> out = s.outLayout == Layout::Matrix
                                 ? std::vector<int64_t>{s.c, s.n}
                                 : blocked(t.block, s.n, s.c, 1, 1);
  return {{ArgDesc::Input, "input", blocked(t.block, s.n, s.c, s.h, s.w)},
          {ArgDesc::Output, "output", out}};
}

std::vector<ArgDesc> gemmArgs(const Target &t, const GemmSpec &s) {
  int64_t npad = int64_t(ceilDiv(s.nOut, t.block)) * t.block;
  return {{ArgDesc::Input, "a", {s.k, s.m}},
          {ArgDesc::Weight, "weights", {npad, s.k}},
          {ArgDesc::Weight, "bias", {npad}},
          {ArgDesc::Output, "output", {s.nOut, s.m}}};
}

std::vector<ArgDesc> eltwiseArgs(const Target &, const EltwiseSpec &s) {
  std::vector<ArgDesc> a{{ArgDesc::Input, "a", {s.size}}};
  if (s.kind == EltwiseSpec::Add)
    a.push_back({ArgDesc::Input, "b", {s.size}});
  a.push_back({ArgDesc::Output, "output", {s.size}});
  return a;
}

std::vector<ArgDesc> reorderArgs(const Target &t, const ReorderSpec &s) {
  auto desc = [&](Layout l) {
    if (l == Layout::Blocked)
      return blocked(t.block, s.n, s.c, s.h, s.w);
    return std::vector<int64_t>{s.w, s.h, s.c, s.n};
  };
  return {{ArgDesc::Input, "input", desc(s.from)},
          {ArgDesc::Output, "output", desc(s.to)}};
}

} // namespace resnetc::codegen::detail
