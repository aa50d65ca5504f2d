//===- Harness.h - Compile, link and call generated kernels (tests/bench) -===//
//
// Exercises the real AOT path: KernelLibrary::emitObjects + emitHalideRuntime,
// linked into a shared object with the system C++ compiler (which also
// proves the objects are position independent), loaded with dlopen and
// called through halide_buffer_t built from the ArgDescs.
//===----------------------------------------------------------------------===//
#pragma once

#include "resnetc/codegen/Kernels.h"

#include <HalideRuntime.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <string>
#include <vector>

namespace resnetc::codegen::harness {

struct Loaded {
  void *so = nullptr;
  std::string dir;
  void *sym(const std::string &name) const { return dlsym(so, name.c_str()); }
  void setThreads(int n) const {
    using Fn = int (*)(int);
    if (auto f = (Fn)sym("halide_set_num_threads"))
      f(n);
  }
};

inline std::string makeTempDir() {
  const char *base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base ? base : "/tmp") + "/resnetc-cg-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back(0);
  if (!mkdtemp(buf.data()))
    return "";
  return buf.data();
}

/// Compiles every kernel of `lib` plus the runtime and loads them.
inline bool compileAndLoad(KernelLibrary &lib, const Target &t, int threads,
                           Loaded &out, std::string &err) {
  out.dir = makeTempDir();
  if (out.dir.empty()) {
    err = "mkdtemp failed";
    return false;
  }
  std::vector<std::string> objs;
  if (!lib.emitObjects(out.dir, threads, objs, err))
    return false;
  std::string rt = out.dir + "/halide_runtime.o";
  if (!emitHalideRuntime(t, rt, err))
    return false;
  const char *cxx = std::getenv("CXX");
  std::string cmd = std::string(cxx && *cxx ? cxx : "c++") +
                    " -shared -Wl,--no-undefined -Wl,-z,text -o " + out.dir +
                    "/kernels.so";
  for (auto &o : objs)
    cmd += " " + o;
  cmd += " " + rt + " -lpthread -ldl -lm";
  if (std::system(cmd.c_str()) != 0) {
    err = "link failed: " + cmd;
    return false;
  }
  out.so = dlopen((out.dir + "/kernels.so").c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!out.so) {
    err = dlerror();
    return false;
  }
  return true;
}

inline void removeDir(const std::string &dir) {
  if (!dir.empty() && !std::getenv("RESNETC_KEEP_TMP"))
    std::system(("rm -rf '" + dir + "'").c_str());
}

/// Calls `info.symbol` with one host pointer per ArgDesc.
inline int call(const Loaded &L, const KernelInfo &info,
                const std::vector<float *> &ptrs) {
  std::vector<std::vector<halide_dimension_t>> dims(info.args.size());
  std::vector<halide_buffer_t> bufs(info.args.size());
  for (size_t i = 0; i < info.args.size(); ++i) {
    int32_t stride = 1;
    for (int64_t e : info.args[i].extents) {
      dims[i].push_back(halide_dimension_t(0, int32_t(e), stride));
      stride *= int32_t(e);
    }
    halide_buffer_t &b = bufs[i];
    std::memset(&b, 0, sizeof b);
    b.host = reinterpret_cast<uint8_t *>(ptrs[i]);
    b.type = halide_type_t(halide_type_float, 32, 1);
    b.dimensions = int32_t(dims[i].size());
    b.dim = dims[i].data();
  }
  halide_buffer_t *p[8] = {};
  for (size_t i = 0; i < bufs.size(); ++i)
    p[i] = &bufs[i];
  void *f = L.sym(info.symbol);
  if (!f)
    return -1000;
  using H = halide_buffer_t *;
  switch (bufs.size()) {
  case 2:
    return ((int (*)(H, H))f)(p[0], p[1]);
  case 3:
    return ((int (*)(H, H, H))f)(p[0], p[1], p[2]);
  case 4:
    return ((int (*)(H, H, H, H))f)(p[0], p[1], p[2], p[3]);
  case 5:
    return ((int (*)(H, H, H, H, H))f)(p[0], p[1], p[2], p[3], p[4]);
  }
  return -1001;
}

inline int64_t elements(const ArgDesc &a) {
  int64_t n = 1;
  for (int64_t e : a.extents)
    n *= e;
  return n;
}

} // namespace resnetc::codegen::harness
