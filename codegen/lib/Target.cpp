//===- Target.cpp - Target selection and the Halide runtime object --------===//

#include "Internal.h"

namespace resnetc::codegen {
namespace {

const char *kAvx2 = "x86-64-linux-avx-avx2-f16c-fma-sse41";
// avx512 is AVX-512F/CD; avx512_skylake adds VL, BW and DQ. Skylake-SP is
// the common subset of every AVX-512 server part since 2017.
const char *kAvx512 = "x86-64-linux-avx-avx2-f16c-fma-sse41-avx512-avx512_skylake";

bool hostHasAvx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512vl");
}

bool hostHasAvx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
         __builtin_cpu_supports("f16c");
}

} // namespace

bool resolveTarget(const std::string &name, Target &out, std::string &error) {
  if (name == "avx2") {
    out = Target{kAvx2, 8};
    return true;
  }
  if (name == "avx512") {
    out = Target{kAvx512, 16};
    return true;
  }
  if (name == "host" || name.empty()) {
    if (hostHasAvx512())
      return resolveTarget("avx512", out, error);
    if (hostHasAvx2())
      return resolveTarget("avx2", out, error);
    error = "host CPU lacks AVX2/FMA; resnetc needs at least AVX2";
    return false;
  }
  error = "unknown target '" + name + "' (expected host, avx2 or avx512)";
  return false;
}

bool emitHalideRuntime(const Target &target, const std::string &objectPath,
                       std::string &error) {
  try {
    Halide::Target t(target.halideTarget);
    t = t.with_feature(Halide::Target::NoAsserts);
    Halide::compile_standalone_runtime(objectPath, t);
    return true;
  } catch (const Halide::Error &e) {
    error = std::string("Halide runtime: ") + e.what();
  } catch (const std::exception &e) {
    error = std::string("Halide runtime: ") + e.what();
  }
  return false;
}

namespace detail {

Halide::Target kernelTarget(const Target &t) {
  Halide::Target ht(t.halideTarget);
  return ht.with_feature(Halide::Target::NoRuntime)
      .with_feature(Halide::Target::NoAsserts)
      .with_feature(Halide::Target::NoBoundsQuery);
}

} // namespace detail
} // namespace resnetc::codegen
