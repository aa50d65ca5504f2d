//===- LibraryEmitter.cpp - planned resnetc IR to a C library -------------===//
//
// Walks `@main` in program order. Every compute op becomes one call of a
// Halide kernel (deduplicated by the codegen library); constants are packed
// into one weight blob in the layout their kernel wants; views (flatten,
// reshape) become aliases. The result is a C driver that binds buffers to
// the arena / weight blob / user input and calls the kernels in order, a
// header with the typed API, and a static archive of everything.
//
//===----------------------------------------------------------------------===//
#include "compiler/Emit/LibraryEmitter.h"
#include "dialects/resnetc/IR/ResnetcDialect.h"
#include "dialects/resnetc/IR/ShapeFunctions.h"
#include "dialects/resnetc/Transforms/ConstantUtils.h"
#include "compiler/Config.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>
#include <optional>
#include <set>

using namespace mlir;
namespace cg = resnetc::codegen;

namespace resnetc {
namespace {

/// Where a tensor's bytes live at run time.
struct Place {
  enum Kind { Arena = 0, Weights = 1, Input = 2 } kind = Arena;
  int64_t offset = 0; // bytes
};

/// One buffer argument of one kernel call.
struct BoundArg {
  Place place;
  std::vector<int64_t> extents;
};

struct Call {
  const cg::KernelInfo *kernel;
  std::vector<BoundArg> args;
  std::string label; // "conv1 (Conv)"
};

/// ONNX operator name of a resnetc op, for messages aimed at users.
std::string onnxName(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::string>(op)
      .Case<ConvOp, FusedConvOp>([](auto) { return "Conv"; })
      .Case<BatchNormOp>([](auto) { return "BatchNormalization"; })
      .Case<MaxPoolOp>([](auto) { return "MaxPool"; })
      .Case<GlobalAvgPoolOp>([](auto) { return "GlobalAveragePool"; })
      .Case<GemmOp>([](auto) { return "Gemm"; })
      .Case<AddOp>([](auto) { return "Add"; })
      .Case<ReluOp>([](auto) { return "Relu"; })
      .Case<ClipOp>([](auto) { return "Clip"; })
      .Case<FlattenOp>([](auto) { return "Flatten"; })
      .Case<ReshapeOp>([](auto) { return "Reshape"; })
      .Case<ReorderOp>([](auto) { return "layout reorder"; })
      .Default([](Operation *op) { return op->getName().getStringRef().str(); });
}

std::string nodeName(Operation *op) {
  if (auto name = dyn_cast<NameLoc>(op->getLoc()))
    return name.getName().str();
  return "";
}

class Emitter {
public:
  Emitter(ModuleOp module, const EmitOptions &opts)
      : module(module), opts(opts),
        kernels(opts.target, opts.name) {}

  LogicalResult run(EmitSummary &summary);

private:
  // --- planning ------------------------------------------------------------
  LogicalResult lower(func::FuncOp func);
  LogicalResult lowerOp(Operation *op);
  InFlightDiagnostic fail(Operation *op) {
    return op->emitError() << "node '" << nodeName(op) << "' ("
                           << onnxName(op) << "): ";
  }

  static ArrayRef<int64_t> shapeOf(Value v) {
    return cast<RankedTensorType>(v.getType()).getShape();
  }
  StringRef layoutOf(Value v) {
    if (Operation *def = v.getDefiningOp())
      if (auto l = def->getAttrOfType<StringAttr>(kLayoutAttr))
        return l.getValue();
    return "nchw";
  }
  bool blocked(Value v) { return layoutOf(v) != "nchw"; }
  /// Floats the tensor occupies in its layout (padded channels included).
  int64_t storedFloats(Value v) {
    ArrayRef<int64_t> s = shapeOf(v);
    int64_t n = shapes::numElements(s);
    if (blocked(v) && s.size() == 4) {
      int64_t B = opts.target.block;
      n = s[0] * ((s[1] + B - 1) / B) * B * s[2] * s[3];
    }
    return n;
  }
  std::optional<Place> placeOf(Value v);
  std::optional<std::vector<float>> constantData(Value v);
  Place addWeights(const std::vector<float> &data);
  void addCall(Operation *op, const cg::KernelInfo &kernel,
               ArrayRef<Value> inputs, ArrayRef<Place> weights, Value output);

  // --- output files ---------------------------------------------------------
  std::string header() const;
  std::string driver() const;
  std::string weightsAsm(StringRef blobPath) const;
  LogicalResult runTool(ArrayRef<std::string> argv);
  LogicalResult writeFile(StringRef path, StringRef contents);

  ModuleOp module;
  const EmitOptions &opts;
  cg::KernelLibrary kernels;

  llvm::DenseMap<Value, Place> places;
  std::vector<char> blob;
  std::vector<Call> calls;
  int64_t arenaBytes = 0;
  SmallVector<int64_t> inputShape, outputShape;
  std::string inputName, outputName;
  Place outputPlace;
};

std::optional<Place> Emitter::placeOf(Value v) {
  auto it = places.find(v);
  if (it != places.end())
    return it->second;
  return std::nullopt;
}

std::optional<std::vector<float>> Emitter::constantData(Value v) {
  auto data = readF32Constant(v);
  if (failed(data))
    return std::nullopt;
  return std::move(*data);
}

Place Emitter::addWeights(const std::vector<float> &data) {
  // 64-byte alignment: every weight array starts on a cache line.
  size_t offset = (blob.size() + 63) & ~size_t(63);
  blob.resize(offset + data.size() * sizeof(float));
  std::memcpy(blob.data() + offset, data.data(), data.size() * sizeof(float));
  return {Place::Weights, int64_t(offset)};
}

void Emitter::addCall(Operation *op, const cg::KernelInfo &kernel,
                      ArrayRef<Value> inputs, ArrayRef<Place> weights,
                      Value output) {
  Call call{&kernel, {}, nodeName(op) + " (" + onnxName(op) + ")"};
  size_t nextInput = 0, nextWeight = 0;
  for (const cg::ArgDesc &arg : kernel.args) {
    Place place;
    switch (arg.role) {
    case cg::ArgDesc::Input:
      place = *placeOf(inputs[nextInput++]);
      break;
    case cg::ArgDesc::Weight:
      place = weights[nextWeight++];
      break;
    case cg::ArgDesc::Output:
      place = *placeOf(output);
      break;
    }
    call.args.push_back({place, arg.extents});
  }
  assert(nextInput == inputs.size() && nextWeight == weights.size() &&
         "kernel arguments disagree with the op's operands");
  calls.push_back(std::move(call));
}

cg::Activation activationOf(FusedConvOp op) {
  cg::Activation act;
  switch (op.getActivation()) {
  case Activation::none:
    break;
  case Activation::relu:
    act.kind = cg::Activation::Relu;
    break;
  case Activation::clip:
    act.kind = cg::Activation::Clip;
    act.lo = op.getClipMin().convertToFloat();
    act.hi = op.getClipMax().convertToFloat();
    break;
  }
  return act;
}

LogicalResult Emitter::lowerOp(Operation *op) {
  // Results living in the arena were placed by resnetc-plan-arena.
  if (auto off = op->getAttrOfType<IntegerAttr>(kArenaOffsetAttr))
    places[op->getResult(0)] = {Place::Arena, off.getInt()};

  auto requireBlocked = [&](Value v) -> LogicalResult {
    if (layoutBlock(layoutOf(v)) != opts.target.block)
      return fail(op) << "operand layout '" << layoutOf(v)
                      << "' is not the target's blocked layout (run "
                         "resnetc-assign-layout with block="
                      << opts.target.block << ")";
    return success();
  };
  auto requirePlaced = [&](Value v) -> LogicalResult {
    if (!placeOf(v))
      return fail(op) << "result has no arena offset (run resnetc-plan-arena)";
    return success();
  };

  if (isa<ConstantOp>(op))
    return success();

  if (auto conv = dyn_cast<FusedConvOp>(op)) {
    ArrayRef<int64_t> in = shapeOf(conv.getInput()), w = shapeOf(conv.getWeight()),
                      out = shapeOf(conv.getResult());
    cg::ConvSpec s;
    s.n = in[0], s.cin = in[1], s.hin = in[2], s.win = in[3];
    s.cout = out[1], s.hout = out[2], s.wout = out[3];
    s.kh = w[2], s.kw = w[3];
    s.strideH = conv.getStrides()[0], s.strideW = conv.getStrides()[1];
    s.padTop = conv.getPads()[0], s.padLeft = conv.getPads()[1];
    s.dilH = conv.getDilations()[0], s.dilW = conv.getDilations()[1];
    s.group = conv.getGroup();
    s.residual = bool(conv.getResidual());
    s.act = activationOf(conv);
    s.inLayout = blocked(conv.getInput()) ? cg::Layout::Blocked
                                          : cg::Layout::NCHW;
    if (s.inLayout == cg::Layout::Blocked &&
        failed(requireBlocked(conv.getInput())))
      return failure();
    if (auto t = conv.getTilingAttr()) {
      if (t.getBlock() != opts.target.block)
        return fail(op) << "tiling was chosen for block " << t.getBlock()
                        << ", the target uses " << opts.target.block;
      s.tiling.tileOcBlocks = t.getOcBlocks();
      s.tiling.tileH = t.getRows();
      s.tiling.tileW = t.getCols();
      s.tiling.icBlocksPerStep = t.getIcBlocksPerStep();
      s.tiling.rowsPerTask = t.getRowsPerTask();
      s.tiling.flattenPixels = t.getFlattenPixels();
    }
    auto weights = constantData(conv.getWeight());
    auto bias = constantData(conv.getBias());
    if (!weights || !bias)
      return fail(op) << "weights and bias must be constants";
    if (failed(requireBlocked(conv.getResult())) ||
        failed(requirePlaced(conv.getResult())))
      return failure();
    const cg::KernelInfo &k = kernels.conv(s);
    Place wp = addWeights(cg::packConvWeights(opts.target, s, weights->data()));
    Place bp = addWeights(cg::packConvBias(opts.target, s, bias->data()));
    SmallVector<Value> inputs{conv.getInput()};
    if (conv.getResidual()) {
      if (failed(requireBlocked(conv.getResidual())))
        return failure();
      inputs.push_back(conv.getResidual());
    }
    addCall(op, k, inputs, {wp, bp}, conv.getResult());
    return success();
  }

  if (auto pool = dyn_cast<MaxPoolOp>(op)) {
    ArrayRef<int64_t> in = shapeOf(pool.getInput()), out = shapeOf(pool.getResult());
    if (failed(requireBlocked(pool.getInput())) ||
        failed(requireBlocked(pool.getResult())) ||
        failed(requirePlaced(pool.getResult())))
      return failure();
    cg::PoolSpec s;
    s.kind = cg::PoolSpec::Max;
    s.n = in[0], s.c = in[1], s.hin = in[2], s.win = in[3];
    s.hout = out[2], s.wout = out[3];
    s.kh = pool.getKernelShape()[0], s.kw = pool.getKernelShape()[1];
    s.strideH = pool.getStrides()[0], s.strideW = pool.getStrides()[1];
    s.padTop = pool.getPads()[0], s.padLeft = pool.getPads()[1];
    s.dilH = pool.getDilations()[0], s.dilW = pool.getDilations()[1];
    addCall(op, kernels.pool(s), {pool.getInput()}, {}, pool.getResult());
    return success();
  }

  if (auto gap = dyn_cast<GlobalAvgPoolOp>(op)) {
    ArrayRef<int64_t> in = shapeOf(gap.getInput());
    if (failed(requireBlocked(gap.getInput())) ||
        failed(requirePlaced(gap.getResult())))
      return failure();
    cg::GlobalAvgPoolSpec s;
    s.n = in[0], s.c = in[1], s.h = in[2], s.w = in[3];
    s.outLayout = blocked(gap.getResult()) ? cg::Layout::Blocked
                                           : cg::Layout::Matrix;
    addCall(op, kernels.globalAvgPool(s), {gap.getInput()}, {},
            gap.getResult());
    return success();
  }

  if (auto gemm = dyn_cast<GemmOp>(op)) {
    if (gemm.getTransA())
      return fail(op) << "transA=1 is not supported";
    if (blocked(gemm.getA()))
      return fail(op) << "input must be in row-major layout";
    if (failed(requirePlaced(gemm.getResult())))
      return failure();
    ArrayRef<int64_t> a = shapeOf(gemm.getA()), out = shapeOf(gemm.getResult());
    cg::GemmSpec s;
    s.m = a[0], s.k = a[1], s.nOut = out[1];
    auto b = constantData(gemm.getB());
    if (!b)
      return fail(op) << "B must be a constant";
    std::vector<float> c;
    if (gemm.getC()) {
      auto cdata = constantData(gemm.getC());
      ArrayRef<int64_t> cs = shapeOf(gemm.getC());
      int64_t count = shapes::numElements(cs);
      if (!cdata || (count != 1 && count != s.nOut) ||
          (cs.size() == 2 && cs[0] != 1))
        return fail(op) << "C must be a constant of shape [N], [1, N] or a "
                           "scalar";
      c = count == 1 ? std::vector<float>(s.nOut, (*cdata)[0]) : *cdata;
    }
    const cg::KernelInfo &k = kernels.gemm(s);
    Place wp = addWeights(cg::packGemmWeights(
        opts.target, s, b->data(), gemm.getTransB(), gemm.getAlpha().convertToFloat()));
    Place bp = addWeights(cg::packGemmBias(opts.target, s, c.empty() ? nullptr : c.data(),
                                           gemm.getBeta().convertToFloat()));
    addCall(op, k, {gemm.getA()}, {wp, bp}, gemm.getResult());
    return success();
  }

  if (isa<AddOp, ReluOp, ClipOp>(op)) {
    if (failed(requirePlaced(op->getResult(0))))
      return failure();
    cg::EltwiseSpec s;
    s.size = storedFloats(op->getResult(0));
    SmallVector<Value> inputs(op->getOperands());
    if (auto add = dyn_cast<AddOp>(op)) {
      if (add.getLhs().getType() != add.getRhs().getType())
        return fail(op) << "broadcasting Add is not supported yet ("
                        << shapes::str(shapeOf(add.getLhs())) << " + "
                        << shapes::str(shapeOf(add.getRhs())) << ")";
      if (layoutOf(add.getLhs()) != layoutOf(add.getRhs()) ||
          layoutOf(add.getLhs()) != layoutOf(add.getResult()))
        return fail(op) << "operands have different layouts";
      s.kind = cg::EltwiseSpec::Add;
    } else {
      if (layoutOf(op->getOperand(0)) != layoutOf(op->getResult(0)))
        return fail(op) << "operand and result have different layouts";
      s.kind = cg::EltwiseSpec::Unary;
      if (auto clip = dyn_cast<ClipOp>(op)) {
        s.act.kind = cg::Activation::Clip;
        s.act.lo = clip.getMin().convertToFloat();
        s.act.hi = clip.getMax().convertToFloat();
      } else {
        s.act.kind = cg::Activation::Relu;
      }
    }
    for (Value v : inputs)
      if (!placeOf(v))
        return fail(op) << "operand is not an activation";
    addCall(op, kernels.eltwise(s), inputs, {}, op->getResult(0));
    return success();
  }

  if (auto reorder = dyn_cast<ReorderOp>(op)) {
    ArrayRef<int64_t> s4 = shapeOf(reorder.getInput());
    cg::ReorderSpec s;
    s.n = s4[0], s.c = s4[1], s.h = s4[2], s.w = s4[3];
    auto layout = [&](StringRef l) {
      return l == "nchw" ? cg::Layout::NCHW : cg::Layout::Blocked;
    };
    s.from = layout(reorder.getFrom());
    s.to = layout(reorder.getTo());
    for (StringRef l : {reorder.getFrom(), reorder.getTo()})
      if (l != "nchw" && layoutBlock(l) != opts.target.block)
        return fail(op) << "layout '" << l << "' does not match the target";
    if (failed(requirePlaced(reorder.getResult())))
      return failure();
    addCall(op, kernels.reorder(s), {reorder.getInput()}, {},
            reorder.getResult());
    return success();
  }

  if (isa<FlattenOp, ReshapeOp>(op)) {
    Value in = op->getOperand(0);
    if (blocked(in))
      return fail(op) << "input must be in row-major layout";
    auto p = placeOf(in);
    if (!p)
      return fail(op) << "input is not an activation";
    places[op->getResult(0)] = *p; // a view: same bytes, new shape
    return success();
  }

  if (isa<BatchNormOp>(op))
    return fail(op) << "only BatchNormalization directly after a Conv that "
                       "has no other user, with constant parameters "
                       "(foldable into the Conv), can be compiled";
  return fail(op) << "cannot be compiled for the CPU yet";
}

LogicalResult Emitter::lower(func::FuncOp func) {
  if (func.getNumArguments() != 1 || func.getNumResults() != 1)
    return func.emitError() << "the model has " << func.getNumArguments()
                            << " input(s) and " << func.getNumResults()
                            << " output(s); only models with one input and "
                               "one output are supported yet";
  Value arg = func.getArgument(0);
  places[arg] = {Place::Input, 0};
  inputShape.assign(shapeOf(arg).begin(), shapeOf(arg).end());
  if (auto n = func.getArgAttrOfType<StringAttr>(0, "resnetc.name"))
    inputName = n.getValue().str();
  if (auto n = func.getResultAttrOfType<StringAttr>(0, "resnetc.name"))
    outputName = n.getValue().str();

  bool ok = true;
  for (Operation &op : func.getBody().front().without_terminator())
    ok &= succeeded(lowerOp(&op));
  if (!ok)
    return failure();

  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  Value out = ret.getOperand(0);
  if (blocked(out))
    return ret.emitError() << "the returned value must be in row-major layout";
  auto p = placeOf(out);
  if (!p)
    return ret.emitError() << "the returned value is not computed at run time";
  outputPlace = *p;
  outputShape.assign(shapeOf(out).begin(), shapeOf(out).end());
  return success();
}

//===----------------------------------------------------------------------===//
// Generated sources
//===----------------------------------------------------------------------===//

std::string cList(ArrayRef<int64_t> v) {
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(v, os);
  return s;
}

std::string Emitter::header() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  std::string N = opts.name, U = llvm::StringRef(opts.name).upper();
  int64_t inSize = shapes::numElements(inputShape);
  int64_t outSize = shapes::numElements(outputShape);
  os << "/* " << N << ".h - generated by resnetc; do not edit.\n"
     << " *\n"
     << " * Link with lib" << N << ".a and libresnetc_runtime.a "
        "(-lpthread -ldl -lm).\n"
     << " * Tensors are dense float32 in ONNX's layout (row-major NCHW).\n"
     << " * Functions returning int return 0 on success; on failure, "
     << N << "_last_error()\n * describes the problem (per thread).\n */\n"
     << "#ifndef " << U << "_H\n#define " << U << "_H\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  os << "/* Input '" << inputName << "' */\n"
     << "#define " << U << "_INPUT_RANK " << inputShape.size() << "\n"
     << "#define " << U << "_INPUT_SHAPE {" << cList(inputShape) << "}\n"
     << "#define " << U << "_INPUT_SIZE " << inSize << "\n"
     << "/* Output '" << outputName << "' */\n"
     << "#define " << U << "_OUTPUT_RANK " << outputShape.size() << "\n"
     << "#define " << U << "_OUTPUT_SHAPE {" << cList(outputShape) << "}\n"
     << "#define " << U << "_OUTPUT_SIZE " << outSize << "\n"
     << "#define " << U << "_BATCH " << inputShape[0] << "\n"
     << "/* Activation arena: bytes and required alignment. */\n"
     << "#define " << U << "_ARENA_SIZE " << arenaBytes << "\n"
     << "#define " << U << "_ARENA_ALIGNMENT 64\n\n"
     << "typedef struct " << N << "_model " << N << "_model;\n\n"
     << "/* Creates an instance that owns its arena; NULL on failure. */\n"
     << N << "_model *" << N << "_create(void);\n"
     << "/* Creates an instance using caller memory of " << U
     << "_ARENA_SIZE bytes,\n   " << U
     << "_ARENA_ALIGNMENT-aligned, that outlives it; NULL on failure. */\n"
     << N << "_model *" << N << "_create_with_arena(void *arena);\n"
     << "/* Computes output[" << U << "_OUTPUT_SIZE] from input[" << U
     << "_INPUT_SIZE].\n   An instance runs one call at a time. */\n"
     << "int " << N << "_run(" << N
     << "_model *model, const float *input, float *output);\n"
     << "void " << N << "_destroy(" << N << "_model *model);\n"
     << "/* Worker threads used by run() (process-wide; n >= 1). */\n"
     << "int " << N << "_set_num_threads(int n);\n"
     << "const char *" << N << "_last_error(void);\n\n"
     << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << U << "_H */\n";
  return s;
}

std::string Emitter::driver() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  const std::string &N = opts.name;
  std::string U = llvm::StringRef(N).upper();

  // Flatten every call's buffer arguments into static tables.
  std::vector<std::string> place, extents;
  size_t buffers = 0, dims = 0;
  for (const Call &c : calls)
    for (const BoundArg &a : c.args) {
      place.push_back(llvm::formatv("{{{0}, {1}, {2}, {3}}", int(a.place.kind),
                                    a.place.offset, dims, a.extents.size()));
      for (int64_t e : a.extents)
        extents.push_back(std::to_string(e));
      dims += a.extents.size();
      ++buffers;
    }

  os << "/* Driver generated by resnetc; do not edit. */\n"
     << "#include <stdint.h>\n#include <stdlib.h>\n#include <string.h>\n"
     << "#include \"HalideRuntime.h\"\n#include \"resnetc/runtime.h\"\n"
     << "#include \"" << N << ".h\"\n\n"
     << "extern const uint8_t " << N << "_weights[];\n";
  std::set<std::string> declared;
  for (const Call &c : calls) {
    if (!declared.insert(c.kernel->symbol).second)
      continue;
    os << "int " << c.kernel->symbol << "(";
    for (size_t i = 0; i < c.kernel->args.size(); ++i)
      os << (i ? ", " : "") << "struct halide_buffer_t *";
    os << ");\n";
  }
  os << "\n#define NUM_BUFFERS " << buffers << "\n#define NUM_DIMS " << dims
     << "\n#define NUM_LAYERS " << calls.size() << "\n\n"
     << "/* Per buffer: place (0 arena, 1 weights, 2 input), byte offset,\n"
        "   first dimension, rank. Dimensions are innermost first. */\n"
     << "static const int64_t kPlace[NUM_BUFFERS][4] = {\n";
  for (auto &p : place)
    os << "  " << p << ",\n";
  os << "};\nstatic const int32_t kExtent[NUM_DIMS] = {";
  for (size_t i = 0; i < extents.size(); ++i)
    os << (i % 16 ? " " : "\n  ") << extents[i] << ",";
  os << "\n};\nstatic const char *const kLayer[NUM_LAYERS] = {\n";
  for (const Call &c : calls) {
    std::string label;
    for (char ch : c.label)
      label += (ch == '"' || ch == '\\') ? '_' : ch;
    os << "  \"" << label << "\",\n";
  }
  os << "};\n\n"
     << "struct " << N << "_model {\n"
     << "  uint8_t *arena;\n  int owns_arena;\n"
     << "  resnetc_profile *profile;\n"
     << "  halide_buffer_t buffers[NUM_BUFFERS];\n"
     << "  halide_dimension_t dims[NUM_DIMS];\n};\n\n";

  os << "static " << N << "_model *init(" << N
     << "_model *m, void *arena, int owns) {\n"
     << "  m->arena = (uint8_t *)arena;\n  m->owns_arena = owns;\n"
     << "  m->profile = resnetc_profile_create(\"" << N
     << "\", NUM_LAYERS, kLayer);\n"
     << "  for (int i = 0; i < NUM_BUFFERS; ++i) {\n"
     << "    halide_buffer_t *b = &m->buffers[i];\n"
     << "    halide_dimension_t *d = &m->dims[kPlace[i][2]];\n"
     << "    int32_t stride = 1;\n"
     << "    for (int k = 0; k < kPlace[i][3]; ++k) {\n"
     << "      d[k].min = 0;\n      d[k].extent = kExtent[kPlace[i][2] + k];\n"
     << "      d[k].stride = stride;\n      d[k].flags = 0;\n"
     << "      stride *= d[k].extent;\n    }\n"
     << "    b->dimensions = (int32_t)kPlace[i][3];\n    b->dim = d;\n"
     << "    b->type.code = halide_type_float;\n    b->type.bits = 32;\n"
     << "    b->type.lanes = 1;\n"
     << "    if (kPlace[i][0] == 0) b->host = m->arena + kPlace[i][1];\n"
     << "    else if (kPlace[i][0] == 1)\n"
     << "      b->host = (uint8_t *)(uintptr_t)(" << N
     << "_weights + kPlace[i][1]);\n  }\n  return m;\n}\n\n";

  bool avx512 =
      llvm::StringRef(opts.target.halideTarget).contains("avx512");
  os << N << "_model *" << N << "_create_with_arena(void *arena) {\n"
     << "  /* The kernels use " << (avx512 ? "AVX-512" : "AVX2/FMA")
     << ": refuse to start rather than fault. */\n"
     << "  if (resnetc_check_cpu(\"" << N << "\", "
     << (avx512 ? "RESNETC_ISA_AVX512" : "RESNETC_ISA_AVX2") << ") != 0)\n"
     << "    return NULL;\n"
     << "  if (" << U << "_ARENA_SIZE > 0 && (!arena || ((uintptr_t)arena % "
     << U << "_ARENA_ALIGNMENT))) {\n"
     << "    resnetc_set_error(\"" << N
     << "_create_with_arena: the arena must be non-null and %d-byte "
        "aligned\", "
     << U << "_ARENA_ALIGNMENT);\n    return NULL;\n  }\n"
     << "  " << N << "_model *m = (" << N
     << "_model *)calloc(1, sizeof(*m));\n"
     << "  if (!m) {\n    resnetc_set_error(\"" << N
     << "_create: out of memory\");\n    return NULL;\n  }\n"
     << "  return init(m, arena, 0);\n}\n\n";
  os << N << "_model *" << N << "_create(void) {\n"
     << "  void *arena = resnetc_arena_alloc(" << U << "_ARENA_SIZE);\n"
     << "  if (!arena) return NULL;\n"
     << "  " << N << "_model *m = " << N << "_create_with_arena(arena);\n"
     << "  if (!m) { resnetc_arena_free(arena); return NULL; }\n"
     << "  m->owns_arena = 1;\n  return m;\n}\n\n";
  os << "void " << N << "_destroy(" << N << "_model *m) {\n"
     << "  if (!m) return;\n  resnetc_profile_destroy(m->profile);\n"
     << "  if (m->owns_arena) resnetc_arena_free(m->arena);\n"
     << "  free(m);\n}\n\n";
  os << "int " << N << "_set_num_threads(int n) { return "
     << "resnetc_set_num_threads(n); }\n"
     << "const char *" << N << "_last_error(void) { return "
     << "resnetc_last_error(); }\n\n";

  os << "#define STEP(layer, call) do { \\\n"
     << "    uint64_t t0_ = m->profile ? resnetc_now_ns() : 0; \\\n"
     << "    int e_ = (call); \\\n"
     << "    if (e_) return resnetc_set_error(\"" << N
     << ": layer %d (%s) failed (Halide error %d)\", layer, kLayer[layer], "
        "e_); \\\n"
     << "    if (m->profile) resnetc_profile_record(m->profile, layer, "
        "resnetc_now_ns() - t0_); \\\n"
     << "  } while (0)\n\n";
  os << "int " << N << "_run(" << N
     << "_model *m, const float *input, float *output) {\n"
     << "  if (!m || !input || !output)\n"
     << "    return resnetc_set_error(\"" << N
     << "_run: null model, input or output\");\n"
     << "  halide_buffer_t *b = m->buffers;\n"
     << "  for (int i = 0; i < NUM_BUFFERS; ++i)\n"
     << "    if (kPlace[i][0] == 2)\n"
     << "      b[i].host = (uint8_t *)(uintptr_t)input + kPlace[i][1];\n";
  size_t buf = 0;
  for (auto [i, c] : llvm::enumerate(calls)) {
    os << "  STEP(" << i << ", " << c.kernel->symbol << "(";
    for (size_t a = 0; a < c.args.size(); ++a)
      os << (a ? ", " : "") << "&b[" << buf++ << "]";
    os << "));\n";
  }
  std::string src = outputPlace.kind == Place::Arena     ? "m->arena"
                    : outputPlace.kind == Place::Weights ? N + "_weights"
                                                         : "(const uint8_t *)input";
  os << "  memcpy(output, " << src << " + " << outputPlace.offset << ", "
     << shapes::numElements(outputShape) * 4 << ");\n"
     << "  if (m->profile) resnetc_profile_end_run(m->profile);\n"
     << "  return 0;\n}\n";
  return s;
}

std::string Emitter::weightsAsm(StringRef blobPath) const {
  std::string s;
  llvm::raw_string_ostream os(s);
  std::string sym = opts.name + "_weights";
  os << "# Weights of " << opts.name << ", packed by resnetc.\n"
     << "  .section .rodata." << sym << ",\"a\"\n"
     << "  .balign 64\n  .globl " << sym << "\n  .type " << sym
     << ", @object\n"
     << sym << ":\n  .incbin \"" << blobPath << "\"\n"
     << "  .size " << sym << ", " << blob.size() << "\n"
     << "  .byte 0\n" // keeps the symbol valid for an empty blob
     << "  .section .note.GNU-stack,\"\",@progbits\n";
  return s;
}

LogicalResult Emitter::writeFile(StringRef path, StringRef contents) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return module.emitError() << "cannot write '" << path
                              << "': " << ec.message();
  os << contents;
  return success();
}

LogicalResult Emitter::runTool(ArrayRef<std::string> argv) {
  auto program = llvm::sys::findProgramByName(argv[0]);
  if (!program)
    return module.emitError() << "cannot find '" << argv[0]
                              << "' (needed to build the library)";
  SmallVector<StringRef> args(argv.begin(), argv.end());
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*program, args, std::nullopt, {}, 0, 0,
                                     &message);
  if (rc != 0) {
    std::string cmd;
    for (auto &a : argv)
      cmd += (cmd.empty() ? "" : " ") + a;
    return module.emitError() << "'" << cmd << "' failed (exit " << rc
                              << (message.empty() ? "" : ": " + message)
                              << ")";
  }
  return success();
}

/// Removes a directory tree on scope exit unless released.
struct TempDir {
  std::string path;
  bool keep = false;
  ~TempDir() {
    if (!path.empty() && !keep)
      llvm::sys::fs::remove_directories(path);
  }
};

LogicalResult Emitter::run(EmitSummary &summary) {
  auto func = module.lookupSymbol<func::FuncOp>("main");
  if (!func)
    return module.emitError() << "no @main function";
  if (auto size = module->getAttrOfType<IntegerAttr>(kArenaSizeAttr))
    arenaBytes = size.getInt();
  if (failed(lower(func)))
    return failure();

  // Build everything in a private temporary folder; only the two final
  // files are copied to the output folder, and only on success.
  TempDir tmp;
  SmallString<128> tmpPath;
  if (auto ec = llvm::sys::fs::createUniqueDirectory("resnetc-" + opts.name,
                                                     tmpPath))
    return module.emitError() << "cannot create a temporary folder: "
                              << ec.message();
  tmp.path = tmpPath.str().str();
  tmp.keep = opts.keepTemps;
  auto in = [&](StringRef file) {
    SmallString<128> p(tmp.path);
    llvm::sys::path::append(p, file);
    return p.str().str();
  };

  std::vector<std::string> objects;
  std::string error;
  if (!kernels.emitObjects(tmp.path, opts.compileThreads, objects, error))
    return module.emitError() << "kernel generation failed: " << error;

  std::string headerPath = in(opts.name + ".h");
  if (failed(writeFile(headerPath, header())) ||
      failed(writeFile(in("driver.c"), driver())) ||
      failed(writeFile(in("weights.bin"),
                       StringRef(blob.data(), blob.size()))) ||
      failed(writeFile(in("weights.S"), weightsAsm(in("weights.bin")))))
    return failure();

  if (failed(runTool({opts.cc, "-c", "-O2", "-fPIC", "-std=c99",
                      "-I" + tmp.path, std::string("-I") + kHalideIncludeDir,
                      std::string("-I") + kRuntimeIncludeDir, in("driver.c"), "-o",
                      in("driver.o")})) ||
      failed(runTool({opts.cc, "-c", in("weights.S"), "-o", in("weights.o")})))
    return failure();
  objects.push_back(in("driver.o"));
  objects.push_back(in("weights.o"));
  std::string archive = in("lib" + opts.name + ".a");
  std::vector<std::string> arArgs{opts.ar, "rcs", archive};
  arArgs.insert(arArgs.end(), objects.begin(), objects.end());
  if (failed(runTool(arArgs)))
    return failure();

  // Like mkdir: the user's umask decides the permissions.
  if (auto ec = llvm::sys::fs::create_directories(
          opts.outDir, /*IgnoreExisting=*/true, llvm::sys::fs::all_all))
    return module.emitError() << "cannot create '" << opts.outDir
                              << "': " << ec.message();
  // Both files or neither: a failed copy removes what was copied before.
  std::vector<std::string> written;
  for (const std::string &file : {headerPath, archive}) {
    SmallString<128> dest(opts.outDir);
    llvm::sys::path::append(dest, llvm::sys::path::filename(file));
    if (auto ec = llvm::sys::fs::copy_file(file, dest)) {
      for (const std::string &done : written)
        llvm::sys::fs::remove(done);
      return module.emitError() << "cannot write '" << dest
                                << "': " << ec.message();
    }
    written.push_back(dest.str().str());
  }
  if (opts.keepTemps)
    llvm::errs() << "resnetc: intermediate files kept in " << tmp.path << "\n";

  summary.kernelCalls = calls.size();
  summary.distinctKernels = kernels.size();
  summary.weightBytes = blob.size();
  summary.arenaBytes = arenaBytes;
  return success();
}

} // namespace

LogicalResult emitLibrary(ModuleOp module, const EmitOptions &options,
                          EmitSummary &summary) {
  Emitter emitter(module, options);
  return emitter.run(summary);
}

} // namespace resnetc
