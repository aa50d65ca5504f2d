//===- KernelLibrary.cpp - Dedup, naming and object emission --------------===//

#include "Internal.h"

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <variant>

namespace resnetc::codegen {

using namespace detail;

namespace {

using AnySpec = std::variant<ConvSpec, PoolSpec, GlobalAvgPoolSpec, GemmSpec,
                             EltwiseSpec, ReorderSpec>;

// Canonical keys: every field that changes the generated code, in a fixed
// order. Clip bounds only matter for Clip.
void put(std::ostringstream &o, const Activation &a) {
  o << "act" << int(a.kind);
  if (a.kind == Activation::Clip)
    o << '[' << a.lo << ',' << a.hi << ']';
  o << ';';
}

std::string keyOf(const ConvSpec &s) {
  std::ostringstream o;
  o.precision(9);
  o << "conv:" << s.n << ',' << s.cin << ',' << s.hin << ',' << s.win << ','
    << s.cout << ',' << s.hout << ',' << s.wout << ',' << s.kh << ',' << s.kw
    << ',' << s.strideH << ',' << s.strideW << ',' << s.padTop << ','
    << s.padLeft << ',' << s.dilH << ',' << s.dilW << ',' << s.group << ','
    << s.residual << ',' << int(s.inLayout) << ';';
  put(o, s.act);
  const ConvTiling &t = s.tiling;
  o << "tile" << t.tileOcBlocks << ',' << t.tileW << ',' << t.tileH << ','
    << t.icBlocksPerStep << ',' << t.rowsPerTask << ',' << t.flattenPixels;
  return o.str();
}

std::string keyOf(const PoolSpec &s) {
  std::ostringstream o;
  o << "pool:" << int(s.kind) << ',' << s.n << ',' << s.c << ',' << s.hin
    << ',' << s.win << ',' << s.hout << ',' << s.wout << ',' << s.kh << ','
    << s.kw << ',' << s.strideH << ',' << s.strideW << ',' << s.padTop << ','
    << s.padLeft << ',' << s.dilH << ',' << s.dilW << ','
    << (s.kind == PoolSpec::Average && s.countIncludePad);
  return o.str();
}

std::string keyOf(const GlobalAvgPoolSpec &s) {
  std::ostringstream o;
  o << "gap:" << s.n << ',' << s.c << ',' << s.h << ',' << s.w << ','
    << int(s.outLayout);
  return o.str();
}

std::string keyOf(const GemmSpec &s) {
  std::ostringstream o;
  o.precision(9);
  o << "gemm:" << s.m << ',' << s.k << ',' << s.nOut << ';';
  put(o, s.act);
  return o.str();
}

std::string keyOf(const EltwiseSpec &s) {
  std::ostringstream o;
  o.precision(9);
  o << "eltwise:" << int(s.kind) << ',' << s.size << ';';
  put(o, s.act);
  return o.str();
}

std::string keyOf(const ReorderSpec &s) {
  std::ostringstream o;
  o << "reorder:" << s.n << ',' << s.c << ',' << s.h << ',' << s.w << ','
    << int(s.from) << ',' << int(s.to);
  return o.str();
}

struct Built {
  Halide::Pipeline pipeline;
  std::vector<Halide::Argument> args;
};

template <typename A> Built finish(A &a) {
  Built b{Halide::Pipeline(a.output), {}};
  for (auto &p : a.inputs)
    b.args.push_back(p);
  return b;
}

/// Empty when supported.
std::string check(const Target &t, const AnySpec &spec) {
  if (t.block != 8 && t.block != 16)
    return "channel block must be 8 or 16";
  if (auto *s = std::get_if<ConvSpec>(&spec))
    return checkConv(t, *s);
  if (auto *s = std::get_if<PoolSpec>(&spec))
    return checkPool(*s);
  if (auto *s = std::get_if<GlobalAvgPoolSpec>(&spec))
    return s->n < 1 || s->c < 1 || s->h < 1 || s->w < 1 ||
                   s->outLayout == Layout::NCHW
               ? "globalAvgPool: invalid shape or layout"
               : "";
  if (auto *s = std::get_if<GemmSpec>(&spec))
    return s->m < 1 || s->k < 1 || s->nOut < 1 ? "gemm: invalid shape" : "";
  if (auto *s = std::get_if<EltwiseSpec>(&spec))
    return s->size < 1 ? "eltwise: empty" : "";
  if (auto *s = std::get_if<ReorderSpec>(&spec)) {
    bool ok = (s->from == Layout::NCHW && s->to == Layout::Blocked) ||
              (s->from == Layout::Blocked && s->to == Layout::NCHW);
    if (!ok)
      return "reorder: only NCHW <-> Blocked";
    return s->n < 1 || s->c < 1 || s->h < 1 || s->w < 1
               ? "reorder: invalid shape"
               : "";
  }
  return "unknown kernel";
}

Built build(const Target &t, const AnySpec &spec) {
  if (auto *s = std::get_if<ConvSpec>(&spec)) {
    ConvAlgo a = defineConv(t, *s, convStagesInput(t, *s));
    scheduleConv(a, t, *s);
    return finish(a);
  }
  if (auto *s = std::get_if<PoolSpec>(&spec)) {
    PoolAlgo a = definePool(t, *s);
    schedulePool(a, t, *s);
    return finish(a);
  }
  if (auto *s = std::get_if<GlobalAvgPoolSpec>(&spec)) {
    GlobalAvgPoolAlgo a = defineGlobalAvgPool(t, *s);
    scheduleGlobalAvgPool(a, t, *s);
    return finish(a);
  }
  if (auto *s = std::get_if<GemmSpec>(&spec)) {
    GemmAlgo a = defineGemm(t, *s);
    scheduleGemm(a, t, *s);
    return finish(a);
  }
  if (auto *s = std::get_if<EltwiseSpec>(&spec)) {
    EltwiseAlgo a = defineEltwise(t, *s);
    scheduleEltwise(a, t, *s);
    return finish(a);
  }
  const auto &s = std::get<ReorderSpec>(spec);
  ReorderAlgo a = defineReorder(t, s);
  scheduleReorder(a, t, s);
  return finish(a);
}

} // namespace

struct KernelLibrary::Impl {
  Target target;
  std::string prefix;
  struct Entry {
    AnySpec spec;
    KernelInfo info;
  };
  std::deque<Entry> entries; // stable addresses for the returned references
  std::map<std::string, size_t> byKey;
  std::map<std::string, int> perKind;

  const KernelInfo &get(const std::string &kind, const std::string &key,
                        AnySpec spec, std::vector<ArgDesc> args) {
    auto it = byKey.find(key);
    if (it != byKey.end())
      return entries[it->second].info;
    KernelInfo info;
    info.symbol = prefix + "_" + kind + "_" + std::to_string(perKind[kind]++);
    info.args = std::move(args);
    byKey.emplace(key, entries.size());
    entries.push_back({std::move(spec), std::move(info)});
    return entries.back().info;
  }
};

KernelLibrary::KernelLibrary(Target target, std::string symbolPrefix)
    : impl(new Impl{std::move(target), std::move(symbolPrefix), {}, {}, {}}) {}

KernelLibrary::~KernelLibrary() { delete impl; }

size_t KernelLibrary::size() const { return impl->entries.size(); }

const KernelInfo &KernelLibrary::conv(const ConvSpec &s) {
  return impl->get("conv", keyOf(s), s, convArgs(impl->target, s));
}
const KernelInfo &KernelLibrary::pool(const PoolSpec &s) {
  return impl->get("pool", keyOf(s), s, poolArgs(impl->target, s));
}
const KernelInfo &KernelLibrary::globalAvgPool(const GlobalAvgPoolSpec &s) {
  return impl->get("gap", keyOf(s), s, globalAvgPoolArgs(impl->target, s));
}
const KernelInfo &KernelLibrary::gemm(const GemmSpec &s) {
  return impl->get("gemm", keyOf(s), s, gemmArgs(impl->target, s));
}
const KernelInfo &KernelLibrary::eltwise(const EltwiseSpec &s) {
  return impl->get("eltwise", keyOf(s), s, eltwiseArgs(impl->target, s));
}
const KernelInfo &KernelLibrary::reorder(const ReorderSpec &s) {
  return impl->get("reorder", keyOf(s), s, reorderArgs(impl->target, s));
}

bool KernelLibrary::emitObjects(const std::string &dir, int threads,
                                std::vector<std::string> &objects,
                                std::string &error) {
  const size_t count = impl->entries.size();
  for (size_t i = 0; i < count; ++i) {
    std::string why = check(impl->target, impl->entries[i].spec);
    if (!why.empty()) {
      error = impl->entries[i].info.symbol + ": " + why;
      return false;
    }
  }
  std::vector<std::string> paths(count), errors(count);
  std::atomic<size_t> next{0};
  // The Halide compiler is thread-safe as long as no IR is shared between
  // threads, so every worker defines its own pipelines from the specs.
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < count;) {
      const Impl::Entry &e = impl->entries[i];
      paths[i] = dir + "/" + e.info.symbol + ".o";
      try {
        Built b = build(impl->target, e.spec);
        b.pipeline.compile_to_object(paths[i], b.args, e.info.symbol,
                                     kernelTarget(impl->target));
      } catch (const Halide::Error &ex) {
        errors[i] = ex.what();
      } catch (const std::exception &ex) {
        errors[i] = ex.what();
      } catch (...) {
        errors[i] = "unknown exception";
      }
    }
  };
  int n = std::max(1, std::min<int>(threads, int(count)));
  std::vector<std::thread> pool;
  try {
    for (int i = 1; i < n; ++i)
      pool.emplace_back(worker);
  } catch (const std::exception &) {
    // Could not start more threads: the ones we have (and this one) suffice.
  }
  worker();
  for (auto &th : pool)
    th.join();
  for (size_t i = 0; i < count; ++i)
    if (!errors[i].empty()) {
      error = impl->entries[i].info.symbol + ": " + errors[i];
      return false;
    }
  objects.insert(objects.end(), paths.begin(), paths.end());
  return true;
}

} // namespace resnetc::codegen
