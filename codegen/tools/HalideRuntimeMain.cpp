//===- HalideRuntimeMain.cpp - Write Halide's runtime as an object file ---===//
//
// Usage: resnetc-halide-runtime OUT.o [host|avx2|avx512]
//===----------------------------------------------------------------------===//

#include "resnetc/codegen/Kernels.h"

#include <cstdio>

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: %s OUT.o [host|avx2|avx512]\n", argv[0]);
    return 2;
  }
  resnetc::codegen::Target target;
  std::string error;
  if (!resnetc::codegen::resolveTarget(argc > 2 ? argv[2] : "host", target,
                                       error) ||
      !resnetc::codegen::emitHalideRuntime(target, argv[1], error)) {
    std::fprintf(stderr, "resnetc-halide-runtime: %s\n", error.c_str());
    return 1;
  }
  return 0;
}
