//===- WeightPacking.cpp - Weight layouts the kernels read ----------------===//
//
// Layouts (C order, outermost first; B = channel block, zero padding where
// channel counts are not multiples of B):
//   Dense conv      [cout/B][cinPerGroup/B][kh][kw][ic%B][oc%B]
//   Stem (NCHW in)  [cout/B][cin][kh][kw][oc%B]
//   Depthwise       [c/B][kh][kw][c%B]
//   Grouped         [cout/B][cinPerGroup][kh][kw][oc%B]
//   Conv bias       [cout rounded up to B]
//   Gemm weights    [K][N rounded up to B]   (alpha folded in)
//   Gemm bias       [N rounded up to B]      (beta folded in)
//===----------------------------------------------------------------------===//

#include "Internal.h"

namespace resnetc::codegen {

using detail::ConvPath;
using detail::ConvShape;

std::vector<float> packConvWeights(const Target &t, const ConvSpec &s,
                                   const float *oihw) {
  ConvShape sh = detail::analyzeConv(t, s);
  const int B = sh.B, KH = s.kh, KW = s.kw;
  const int cinPG = sh.cinPG;
  auto src = [&](int oc, int icg, int ky, int kx) {
    return oihw[((size_t(oc) * cinPG + icg) * KH + ky) * KW + kx];
  };
  std::vector<float> p;
  switch (sh.path) {
  case ConvPath::Dense:
    p.assign(size_t(sh.coutB) * sh.icbPG * KH * KW * B * B, 0.0f);
    for (int ocb = 0; ocb < sh.coutB; ++ocb)
      for (int icb = 0; icb < sh.icbPG; ++icb)
        for (int ky = 0; ky < KH; ++ky)
          for (int kx = 0; kx < KW; ++kx)
            for (int ici = 0; ici < B; ++ici)
              for (int oci = 0; oci < B; ++oci) {
                int oc = ocb * B + oci, icg = icb * B + ici;
                if (oc >= s.cout || icg >= cinPG)
                  continue;
                size_t at =
                    ((((size_t(ocb) * sh.icbPG + icb) * KH + ky) * KW + kx) *
                         B +
                     ici) *
                        B +
                    oci;
                p[at] = src(oc, icg, ky, kx);
              }
    break;
  case ConvPath::Stem:
  case ConvPath::Grouped:
    // Same shape: the middle index is the input channel (within its group).
    p.assign(size_t(sh.coutB) * cinPG * KH * KW * B, 0.0f);
    for (int ocb = 0; ocb < sh.coutB; ++ocb)
      for (int icg = 0; icg < cinPG; ++icg)
        for (int ky = 0; ky < KH; ++ky)
          for (int kx = 0; kx < KW; ++kx)
            for (int oci = 0; oci < B; ++oci) {
              int oc = ocb * B + oci;
              if (oc >= s.cout)
                continue;
              size_t at =
                  (((size_t(ocb) * cinPG + icg) * KH + ky) * KW + kx) * B +
                  oci;
              p[at] = src(oc, icg, ky, kx);
            }
    break;
  case ConvPath::Depthwise:
    p.assign(size_t(sh.coutB) * KH * KW * B, 0.0f);
    for (int cb = 0; cb < sh.coutB; ++cb)
      for (int ky = 0; ky < KH; ++ky)
        for (int kx = 0; kx < KW; ++kx)
          for (int ci = 0; ci < B; ++ci) {
            int ch = cb * B + ci;
            if (ch >= s.cout)
              continue;
            p[((size_t(cb) * KH + ky) * KW + kx) * B + ci] = src(ch, 0, ky, kx);
          }
    break;
  }
  return p;
}

std::vector<float> packConvBias(const Target &t, const ConvSpec &s,
                                const float *bias) {
  std::vector<float> p(size_t(detail::ceilDiv(s.cout, t.block)) * t.block,
                       0.0f);
  if (bias)
    for (int i = 0; i < s.cout; ++i)
      p[i] = bias[i];
  return p;
}

std::vector<float> packGemmWeights(const Target &t, const GemmSpec &s,
                                   const float *b, bool transB, float alpha) {
  const int64_t npad = int64_t(detail::ceilDiv(s.nOut, t.block)) * t.block;
  std::vector<float> p(size_t(npad) * s.k, 0.0f);
  for (int k = 0; k < s.k; ++k)
    for (int j = 0; j < s.nOut; ++j)
      p[size_t(k) * npad + j] =
          alpha * (transB ? b[size_t(j) * s.k + k] : b[size_t(k) * s.nOut + j]);
  return p;
}

std::vector<float> packGemmBias(const Target &t, const GemmSpec &s,
                                const float *c, float beta) {
  const int64_t npad = int64_t(detail::ceilDiv(s.nOut, t.block)) * t.block;
  std::vector<float> p(size_t(npad), 0.0f);
  if (c)
    for (int j = 0; j < s.nOut; ++j)
      p[j] = beta * c[j];
  return p;
}

} // namespace resnetc::codegen
