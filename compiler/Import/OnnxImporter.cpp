//===- OnnxImporter.cpp - ONNX protobuf to the resnetc dialect ------------===//
//
// Walks the ONNX graph once to list unsupported operators (so the user sees
// all of them in one error), then imports node by node, computing every
// result type with the dialect's shape functions. Initializers become
// `resnetc.constant` ops holding resource blobs, created lazily on first use
// so unused initializers (e.g. IR version 3 inputs) cost nothing.
//
//===----------------------------------------------------------------------===//
#include "compiler/Import/OnnxImporter.h"
#include "dialects/resnetc/IR/ResnetcDialect.h"
#include "dialects/resnetc/IR/ShapeFunctions.h"

#include "onnx/onnx.pb.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <optional>

using namespace mlir;

namespace resnetc {
namespace {

constexpr int64_t kMinOpset = 7, kMaxOpset = 18;

/// "node 'conv1' (Conv)" — how every diagnostic names its node.
std::string nodeLabel(const onnx::NodeProto &node) {
  return "node '" + node.name() + "' (" + node.op_type() + ")";
}

/// Attribute lookup with ONNX defaults.
class Attrs {
public:
  explicit Attrs(const onnx::NodeProto &node) {
    for (const auto &a : node.attribute())
      byName[a.name()] = &a;
  }
  bool has(llvm::StringRef name) const { return byName.count(name); }
  int64_t i(llvm::StringRef name, int64_t dflt) const {
    auto it = byName.find(name);
    return it == byName.end() ? dflt : it->second->i();
  }
  float f(llvm::StringRef name, float dflt) const {
    auto it = byName.find(name);
    return it == byName.end() ? dflt : it->second->f();
  }
  std::string s(llvm::StringRef name, std::string dflt) const {
    auto it = byName.find(name);
    return it == byName.end() ? dflt : it->second->s();
  }
  SmallVector<int64_t> ints(llvm::StringRef name,
                            SmallVector<int64_t> dflt) const {
    auto it = byName.find(name);
    if (it == byName.end())
      return dflt;
    return SmallVector<int64_t>(it->second->ints().begin(),
                                it->second->ints().end());
  }
  const onnx::AttributeProto *get(llvm::StringRef name) const {
    auto it = byName.find(name);
    return it == byName.end() ? nullptr : it->second;
  }

private:
  llvm::StringMap<const onnx::AttributeProto *> byName;
};

/// Decoded contents of an ONNX TensorProto.
struct TensorData {
  SmallVector<int64_t> shape;
  std::vector<float> f32; // FLOAT / DOUBLE tensors
  std::vector<int64_t> i64; // INT64 / INT32 tensors
  bool isFloat = true;
};

class Importer {
public:
  Importer(MLIRContext &ctx, llvm::StringRef path, const ImportOptions &opts)
      : ctx(ctx), builder(&ctx), path(path.str()), opts(opts) {}

  OwningOpRef<ModuleOp> run(const onnx::ModelProto &model);

private:
  // --- diagnostics -------------------------------------------------------
  Location fileLoc() { return FileLineColLoc::get(&ctx, path, 0, 0); }
  Location nodeLoc(const onnx::NodeProto &node) {
    return NameLoc::get(StringAttr::get(&ctx, node.name()), fileLoc());
  }
  InFlightDiagnostic error() { return emitError(fileLoc()); }
  InFlightDiagnostic error(const onnx::NodeProto &node) {
    return emitError(nodeLoc(node)) << nodeLabel(node) << ": ";
  }

  // --- graph pieces ------------------------------------------------------
  bool checkSupported(const onnx::GraphProto &graph);
  bool decodeTensor(const onnx::TensorProto &t, TensorData &out,
                    std::string &why);
  /// The type of graph input `vi`; `checkBatch` rejects a fixed first
  /// dimension that differs from --batch.
  std::optional<RankedTensorType> inputType(const onnx::ValueInfoProto &vi,
                                            bool checkBatch);
  /// Rejects window attributes (kernel_shape, strides, dilations, pads)
  /// outside [lo, kMaxWindowAttr].
  bool checkWindowAttr(const onnx::NodeProto &node, llvm::StringRef name,
                       ArrayRef<int64_t> values, int64_t lo);
  Value materialize(llvm::StringRef name, const onnx::NodeProto &user);
  Value constantValue(const TensorData &data, llvm::StringRef blobName,
                      Location loc);
  const TensorData *knownConstant(llvm::StringRef name);
  bool importNode(const onnx::NodeProto &node);

  // --- per-op importers ----------------------------------------------------
  bool importConv(const onnx::NodeProto &node, const Attrs &attrs);
  bool importBatchNorm(const onnx::NodeProto &node, const Attrs &attrs);
  bool importMaxPool(const onnx::NodeProto &node, const Attrs &attrs);
  bool importGemm(const onnx::NodeProto &node, const Attrs &attrs);
  bool importReshape(const onnx::NodeProto &node, const Attrs &attrs);
  bool importClip(const onnx::NodeProto &node, const Attrs &attrs);
  bool importConstant(const onnx::NodeProto &node, const Attrs &attrs);

  /// Resolves auto_pad/pads for a 2-D window op into [top, left, bottom,
  /// right]; false (after an error) when invalid.
  bool resolvePads(const onnx::NodeProto &node, const Attrs &attrs,
                   ArrayRef<int64_t> input, ArrayRef<int64_t> kernel,
                   ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                   SmallVector<int64_t> &pads);

  RankedTensorType f32(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, builder.getF32Type());
  }
  static ArrayRef<int64_t> shapeOf(Value v) {
    return cast<RankedTensorType>(v.getType()).getShape();
  }
  /// Records result `idx` of `node`; false (after an error) when it is
  /// empty or too large for Halide's int32 indexing.
  bool define(const onnx::NodeProto &node, unsigned idx, Value v) {
    ArrayRef<int64_t> shape = shapeOf(v);
    if (llvm::any_of(shape, [](int64_t d) { return d <= 0; })) {
      error(node) << "result " << shapes::str(shape) << " is empty";
      return false;
    }
    if (shapes::numElements(shape) < 0) {
      error(node) << "result " << shapes::str(shape)
                  << " is too large (more than " << shapes::kMaxElements
                  << " elements)";
      return false;
    }
    if (idx < (unsigned)node.output_size() && !node.output(idx).empty())
      values[node.output(idx)] = v;
    return true;
  }
  /// Required input `idx` of `node`, materialised; null after an error.
  /// Float unless `anyType` (Identity and Dropout pass integers through).
  Value operand(const onnx::NodeProto &node, int idx, bool anyType = false) {
    if (idx >= node.input_size() || node.input(idx).empty()) {
      error(node) << "missing required input #" << idx;
      return nullptr;
    }
    Value v = materialize(node.input(idx), node);
    if (v && !anyType &&
        !cast<RankedTensorType>(v.getType()).getElementType().isF32()) {
      error(node) << "input '" << node.input(idx)
                  << "' must be a float tensor, it holds integers";
      return nullptr;
    }
    return v;
  }
  bool hasInput(const onnx::NodeProto &node, int idx) {
    return idx < node.input_size() && !node.input(idx).empty();
  }

  MLIRContext &ctx;
  OpBuilder builder;
  std::string path;
  ImportOptions opts;
  int64_t opset = 0;

  llvm::StringMap<Value> values;
  llvm::StringMap<const onnx::TensorProto *> initializers;
  llvm::StringMap<TensorData> decoded; // constants known at compile time
  unsigned blobCounter = 0;
};

//===----------------------------------------------------------------------===//
// Supported operators
//===----------------------------------------------------------------------===//

const llvm::StringSet<> &supportedOps() {
  static const llvm::StringSet<> ops = {
      "Add",      "BatchNormalization", "Clip",    "Constant", "Conv",
      "Dropout",  "Flatten",            "Gemm",    "GlobalAveragePool",
      "Identity", "MaxPool",            "Relu",    "Reshape"};
  return ops;
}

bool Importer::checkSupported(const onnx::GraphProto &graph) {
  std::string list;
  unsigned count = 0;
  for (int i = 0; i < graph.node_size(); ++i) {
    const auto &node = graph.node(i);
    bool defaultDomain = node.domain().empty() || node.domain() == "ai.onnx";
    if (defaultDomain && supportedOps().contains(node.op_type()))
      continue;
    std::string op = defaultDomain ? node.op_type()
                                   : node.domain() + "." + node.op_type();
    std::string name = node.name().empty() ? "#" + std::to_string(i)
                                           : "'" + node.name() + "'";
    list += (count++ ? ", " : "") + name + " (" + op + ")";
  }
  if (!count)
    return true;
  error() << "unsupported ONNX operator" << (count > 1 ? "s" : "") << ": "
          << list;
  return false;
}

//===----------------------------------------------------------------------===//
// Tensors and constants
//===----------------------------------------------------------------------===//

template <typename T>
static bool readRaw(const std::string &raw, size_t count, std::vector<T> &out) {
  if (raw.size() != count * sizeof(T))
    return false;
  out.resize(count);
  std::memcpy(out.data(), raw.data(), raw.size());
  return true;
}

bool Importer::decodeTensor(const onnx::TensorProto &t, TensorData &out,
                            std::string &why) {
  out.shape.assign(t.dims().begin(), t.dims().end());
  for (int64_t d : out.shape)
    if (d < 0) {
      why = "has a negative dimension";
      return false;
    }
  int64_t count = out.shape.empty() ? 1 : shapes::numElements(out.shape);
  if (llvm::is_contained(out.shape, 0))
    count = 0;
  if (count < 0) {
    why = shapes::str(out.shape) + " is too large (more than " +
          std::to_string(shapes::kMaxElements) + " elements)";
    return false;
  }
  if (t.data_location() == onnx::TensorProto::EXTERNAL) {
    why = "stores its data in an external file, which is not supported";
    return false;
  }
  bool raw = t.has_raw_data();
  // For a size mismatch: the field the values came from, how many it holds
  // and the bytes per element in raw_data.
  const char *field = "";
  int64_t held = 0, elemBytes = 0;
  // Reads the values from raw_data (as Stored) or from `values`, the typed
  // repeated field, converting them to the element type of `dest`.
  auto read = [&](auto stored, const char *name, const auto &values,
                  auto &dest) {
    using Stored = decltype(stored);
    field = name, held = values.size(), elemBytes = sizeof(Stored);
    if (raw) {
      std::vector<Stored> v;
      if (!readRaw(t.raw_data(), count, v))
        return false;
      dest.assign(v.begin(), v.end());
      return true;
    }
    if (values.size() != count)
      return false;
    dest.assign(values.begin(), values.end());
    return true;
  };
  out.isFloat = t.data_type() == onnx::TensorProto::FLOAT ||
                t.data_type() == onnx::TensorProto::DOUBLE;
  switch (t.data_type()) {
  case onnx::TensorProto::FLOAT:
    if (read(float(), "float_data", t.float_data(), out.f32))
      return true;
    break;
  case onnx::TensorProto::DOUBLE:
    if (read(double(), "double_data", t.double_data(), out.f32))
      return true;
    break;
  case onnx::TensorProto::INT64:
    if (read(int64_t(), "int64_data", t.int64_data(), out.i64))
      return true;
    break;
  case onnx::TensorProto::INT32:
    if (read(int32_t(), "int32_data", t.int32_data(), out.i64))
      return true;
    break;
  case onnx::TensorProto::BOOL: // e.g. Dropout's training_mode
    if (read(uint8_t(), "int32_data", t.int32_data(), out.i64))
      return true;
    break;
  default:
    why = "has element type " +
          onnx::TensorProto::DataType_Name(
              (onnx::TensorProto::DataType)t.data_type()) +
          "; only float and integer tensors are supported";
    return false;
  }
  auto plural = [](int64_t n, const char *what) {
    return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
  };
  if (raw)
    why = "holds " + plural(t.raw_data().size(), "byte") +
          " of raw_data, which does not match its shape " +
          shapes::str(out.shape) + " (" + plural(count * elemBytes, "byte") +
          ")";
  else
    why = "holds " + plural(held, "value") + " (" + field +
          "), which does not match its shape " + shapes::str(out.shape) +
          " (" + plural(count, "value") + ")";
  return false;
}

Value Importer::constantValue(const TensorData &data, llvm::StringRef blobName,
                              Location loc) {
  ElementsAttr attr;
  if (data.isFloat) {
    auto type = f32(data.shape);
    // Weights go to the resource section, never into textual literals.
    attr = cast<ElementsAttr>(DenseF32ResourceElementsAttr::get(
        type, blobName,
        HeapAsmResourceBlob::allocateAndCopyInferAlign(
            ArrayRef<float>(data.f32))));
  } else {
    auto type = RankedTensorType::get(data.shape, builder.getI64Type());
    attr = DenseIntElementsAttr::get(type, ArrayRef<int64_t>(data.i64));
  }
  return ConstantOp::create(builder, loc, attr.getType(), attr).getResult();
}

/// Compile-time contents of an initializer or Constant output, or null.
const TensorData *Importer::knownConstant(llvm::StringRef name) {
  auto it = decoded.find(name);
  if (it != decoded.end())
    return &it->second;
  auto init = initializers.find(name);
  if (init == initializers.end())
    return nullptr;
  TensorData data;
  std::string why;
  if (!decodeTensor(*init->second, data, why)) {
    error() << "initializer '" << name << "' " << why;
    return nullptr;
  }
  return &decoded.try_emplace(name, std::move(data)).first->second;
}

Value Importer::materialize(llvm::StringRef name, const onnx::NodeProto &user) {
  auto it = values.find(name);
  if (it != values.end())
    return it->second;
  if (!initializers.count(name) && !decoded.count(name)) {
    error(user) << "input '" << name
                << "' is neither a graph input, an initializer nor the "
                   "output of an earlier node";
    return nullptr;
  }
  const TensorData *data = knownConstant(name);
  if (!data)
    return nullptr;
  std::string blob = name.str();
  for (char &c : blob)
    if (!std::isalnum((unsigned char)c) && c != '_' && c != '.')
      c = '_';
  if (blob.empty() || std::isdigit((unsigned char)blob[0]))
    blob = "w_" + blob;
  // Constants are created at the top of the function so they dominate all
  // uses regardless of the node order.
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(builder.getInsertionBlock());
  Value v = constantValue(
      *data, blob, NameLoc::get(StringAttr::get(&ctx, name), fileLoc()));
  values[name] = v;
  return v;
}

std::optional<RankedTensorType>
Importer::inputType(const onnx::ValueInfoProto &vi, bool checkBatch) {
  const auto &type = vi.type();
  if (!type.has_tensor_type()) {
    error() << "graph input '" << vi.name() << "' is not a tensor";
    return std::nullopt;
  }
  if (type.tensor_type().elem_type() != onnx::TensorProto::FLOAT) {
    error() << "graph input '" << vi.name()
            << "' must be float32, it has element type "
            << onnx::TensorProto::DataType_Name(
                   (onnx::TensorProto::DataType)type.tensor_type().elem_type());
    return std::nullopt;
  }
  if (!type.tensor_type().has_shape()) {
    error() << "graph input '" << vi.name() << "' has no shape";
    return std::nullopt;
  }
  SmallVector<int64_t> shape;
  const auto &dims = type.tensor_type().shape().dim();
  for (int i = 0; i < dims.size(); ++i) {
    const auto &d = dims[i];
    if (d.has_dim_value() && d.dim_value() <= 0) {
      error() << "graph input '" << vi.name() << "' has a dimension " << i
              << " of size " << d.dim_value()
              << "; dimensions must be positive";
      return std::nullopt;
    }
    if (d.has_dim_value()) {
      if (i == 0 && checkBatch && opts.batch > 0 &&
          d.dim_value() != opts.batch) {
        error() << "graph input '" << vi.name() << "' has a batch of "
                << d.dim_value() << " fixed in the model; --batch "
                << opts.batch << " cannot change it";
        return std::nullopt;
      }
      shape.push_back(d.dim_value());
    } else if (i == 0 && opts.batch > 0) {
      shape.push_back(opts.batch);
    } else {
      error() << "graph input '" << vi.name() << "' has a symbolic dimension "
              << i << (d.has_dim_param() ? " ('" + d.dim_param() + "')" : "")
              << (i == 0 ? "; fix it with --batch N"
                         : "; only the batch dimension may be symbolic");
      return std::nullopt;
    }
  }
  if (shapes::numElements(shape) < 0) {
    error() << "graph input '" << vi.name() << "' " << shapes::str(shape)
            << " is too large (more than " << shapes::kMaxElements
            << " elements)";
    return std::nullopt;
  }
  return f32(shape);
}

//===----------------------------------------------------------------------===//
// Nodes
//===----------------------------------------------------------------------===//

bool Importer::checkWindowAttr(const onnx::NodeProto &node,
                               llvm::StringRef name, ArrayRef<int64_t> values,
                               int64_t lo) {
  for (int64_t v : values)
    if (v < lo || v > shapes::kMaxWindowAttr) {
      error(node) << name << " value " << v << " is out of range (" << lo
                  << " to " << shapes::kMaxWindowAttr << ")";
      return false;
    }
  return true;
}

bool Importer::resolvePads(const onnx::NodeProto &node, const Attrs &attrs,
                           ArrayRef<int64_t> input, ArrayRef<int64_t> kernel,
                           ArrayRef<int64_t> strides,
                           ArrayRef<int64_t> dilations,
                           SmallVector<int64_t> &pads) {
  std::string autoPad = attrs.s("auto_pad", "NOTSET");
  if (autoPad == "NOTSET") {
    pads = attrs.ints("pads", {0, 0, 0, 0});
    if (pads.size() != 4) {
      error(node) << "expects 4 pads for a 2-D window, got " << pads.size();
      return false;
    }
    return checkWindowAttr(node, "pads", pads, 0);
  }
  if (autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER") {
    error(node) << "unknown auto_pad '" << autoPad << "'";
    return false;
  }
  // ONNX: "pads ... cannot be used simultaneously with auto_pad"; only
  // NOTSET allows them, even all-zero pads with VALID.
  if (attrs.has("pads")) {
    error(node) << "auto_pad " << autoPad
                << " and explicit pads cannot be used together";
    return false;
  }
  pads.assign(4, 0);
  if (autoPad == "VALID")
    return true;
  for (int axis = 0; axis < 2; ++axis) {
    int64_t in = input[2 + axis], s = strides[axis];
    int64_t out = (in + s - 1) / s;
    int64_t span = dilations[axis] * (kernel[axis] - 1) + 1;
    int64_t total = std::max<int64_t>(0, (out - 1) * s + span - in);
    int64_t small = total / 2, big = total - small;
    pads[axis] = autoPad == "SAME_UPPER" ? small : big;
    pads[axis + 2] = autoPad == "SAME_UPPER" ? big : small;
  }
  return true;
}

bool Importer::importConv(const onnx::NodeProto &node, const Attrs &attrs) {
  Value x = operand(node, 0), w = operand(node, 1);
  if (!x || !w)
    return false;
  Value bias = hasInput(node, 2) ? operand(node, 2) : Value();
  if (hasInput(node, 2) && !bias)
    return false;
  ArrayRef<int64_t> ws = shapeOf(w);
  if (ws.size() != 4 || shapeOf(x).size() != 4) {
    error(node) << "only 2-D convolutions (4-D input and weight) are "
                   "supported, got input "
                << shapes::str(shapeOf(x)) << " and weight "
                << shapes::str(ws);
    return false;
  }
  auto kernel = attrs.ints("kernel_shape", {ws[2], ws[3]});
  if (attrs.has("kernel_shape") &&
      !checkWindowAttr(node, "kernel_shape", kernel, 1))
    return false;
  if (kernel.size() != 2 || kernel[0] != ws[2] || kernel[1] != ws[3]) {
    error(node) << "kernel_shape " << shapes::str(kernel)
                << " does not match the weight " << shapes::str(ws);
    return false;
  }
  auto strides = attrs.ints("strides", {1, 1});
  auto dilations = attrs.ints("dilations", {1, 1});
  SmallVector<int64_t> pads;
  if (strides.size() != 2 || dilations.size() != 2) {
    error(node) << "expects 2 strides and 2 dilations";
    return false;
  }
  if (!checkWindowAttr(node, "strides", strides, 1) ||
      !checkWindowAttr(node, "dilations", dilations, 1) ||
      !resolvePads(node, attrs, shapeOf(x), kernel, strides, dilations, pads))
    return false;
  if (bias) {
    ArrayRef<int64_t> bs = shapeOf(bias);
    if (bs.size() != 1 || bs[0] != ws[0]) {
      error(node) << "bias " << shapes::str(bs)
                  << " must have one entry per output channel (" << ws[0]
                  << ")";
      return false;
    }
  }
  int64_t group = attrs.i("group", 1);
  shapes::Shape out;
  std::string why;
  if (!shapes::conv(shapeOf(x), ws, strides, pads, dilations, group, out,
                    why)) {
    error(node) << why;
    return false;
  }
  auto op = ConvOp::create(builder, 
      nodeLoc(node), f32(out), x, w, bias,
      builder.getDenseI64ArrayAttr(strides), builder.getDenseI64ArrayAttr(pads),
      builder.getDenseI64ArrayAttr(dilations), builder.getI64IntegerAttr(group));
  return define(node, 0, op);
}

bool Importer::importBatchNorm(const onnx::NodeProto &node,
                               const Attrs &attrs) {
  if (attrs.i("training_mode", 0) != 0 || attrs.i("is_test", 1) == 0) {
    error(node) << "training mode is not supported (inference only)";
    return false;
  }
  if (attrs.i("spatial", 1) != 1) {
    error(node) << "spatial=0 is not supported";
    return false;
  }
  for (int i = 1; i < node.output_size(); ++i)
    if (!node.output(i).empty()) {
      error(node) << "training-mode output '" << node.output(i)
                  << "' is not supported (inference only)";
      return false;
    }
  SmallVector<Value> in;
  for (int i = 0; i < 5; ++i) {
    in.push_back(operand(node, i));
    if (!in.back())
      return false;
  }
  ArrayRef<int64_t> xs = shapeOf(in[0]);
  for (int i = 1; i < 5; ++i) {
    ArrayRef<int64_t> ps = shapeOf(in[i]);
    if (xs.size() < 2 || ps.size() != 1 || ps[0] != xs[1]) {
      error(node) << "parameter " << shapes::str(ps)
                  << " must have one entry per channel of input "
                  << shapes::str(xs);
      return false;
    }
  }
  auto op = BatchNormOp::create(builder, 
      nodeLoc(node), in[0].getType(), in[0], in[1], in[2], in[3], in[4],
      builder.getF32FloatAttr(attrs.f("epsilon", 1e-5f)));
  return define(node, 0, op);
}

bool Importer::importMaxPool(const onnx::NodeProto &node, const Attrs &attrs) {
  Value x = operand(node, 0);
  if (!x)
    return false;
  if (node.output_size() > 1 && !node.output(1).empty()) {
    error(node) << "the Indices output is not supported";
    return false;
  }
  if (attrs.i("storage_order", 0) != 0) {
    error(node) << "storage_order=1 is not supported";
    return false;
  }
  auto kernel = attrs.ints("kernel_shape", {});
  auto strides = attrs.ints("strides", {1, 1});
  auto dilations = attrs.ints("dilations", {1, 1});
  if (kernel.size() != 2 || strides.size() != 2 || dilations.size() != 2 ||
      shapeOf(x).size() != 4) {
    error(node) << "only 2-D pooling of a 4-D input is supported";
    return false;
  }
  SmallVector<int64_t> pads;
  if (!checkWindowAttr(node, "kernel_shape", kernel, 1) ||
      !checkWindowAttr(node, "strides", strides, 1) ||
      !checkWindowAttr(node, "dilations", dilations, 1) ||
      !resolvePads(node, attrs, shapeOf(x), kernel, strides, dilations, pads))
    return false;
  bool ceil = attrs.i("ceil_mode", 0) != 0;
  shapes::Shape out;
  std::string why;
  if (!shapes::pool(shapeOf(x), kernel, strides, pads, dilations, ceil, out,
                    why)) {
    error(node) << why;
    return false;
  }
  auto op = MaxPoolOp::create(builder, 
      nodeLoc(node), f32(out), x, builder.getDenseI64ArrayAttr(kernel),
      builder.getDenseI64ArrayAttr(strides), builder.getDenseI64ArrayAttr(pads),
      builder.getDenseI64ArrayAttr(dilations), builder.getBoolAttr(ceil));
  return define(node, 0, op);
}

bool Importer::importGemm(const onnx::NodeProto &node, const Attrs &attrs) {
  Value a = operand(node, 0), b = operand(node, 1);
  if (!a || !b)
    return false;
  Value c = hasInput(node, 2) ? operand(node, 2) : Value();
  if (hasInput(node, 2) && !c)
    return false;
  bool transA = attrs.i("transA", 0), transB = attrs.i("transB", 0);
  shapes::Shape out;
  std::string why;
  SmallVector<int64_t> cs;
  if (c)
    cs.assign(shapeOf(c).begin(), shapeOf(c).end());
  if (!shapes::gemm(shapeOf(a), shapeOf(b), cs, transA, transB, out, why)) {
    error(node) << why;
    return false;
  }
  auto op = GemmOp::create(builder, 
      nodeLoc(node), f32(out), a, b, c,
      builder.getF32FloatAttr(attrs.f("alpha", 1.0f)),
      builder.getF32FloatAttr(attrs.f("beta", 1.0f)),
      builder.getBoolAttr(transA), builder.getBoolAttr(transB));
  return define(node, 0, op);
}

bool Importer::importReshape(const onnx::NodeProto &node, const Attrs &attrs) {
  Value x = operand(node, 0);
  if (!x)
    return false;
  SmallVector<int64_t> target;
  if (opset < 5) {
    target = attrs.ints("shape", {});
  } else {
    if (!hasInput(node, 1)) {
      error(node) << "missing the shape input";
      return false;
    }
    const TensorData *shape = knownConstant(node.input(1));
    if (!shape || shape->isFloat || shape->shape.size() != 1) {
      error(node) << "the shape input '" << node.input(1)
                  << "' must be a constant 1-D integer tensor";
      return false;
    }
    target.assign(shape->i64.begin(), shape->i64.end());
  }
  shapes::Shape out;
  std::string why;
  if (!shapes::reshape(shapeOf(x), target, attrs.i("allowzero", 0) != 0, out,
                       why)) {
    error(node) << why;
    return false;
  }
  return define(node, 0,
                ReshapeOp::create(builder, nodeLoc(node), f32(out), x));
}

bool Importer::importClip(const onnx::NodeProto &node, const Attrs &attrs) {
  Value x = operand(node, 0);
  if (!x)
    return false;
  float lo = -INFINITY, hi = INFINITY;
  if (opset < 11) {
    lo = attrs.f("min", lo);
    hi = attrs.f("max", hi);
  } else {
    for (int i = 1; i <= 2; ++i) {
      if (!hasInput(node, i))
        continue;
      const TensorData *bound = knownConstant(node.input(i));
      if (!bound || !bound->isFloat || bound->f32.size() != 1) {
        error(node) << "bound '" << node.input(i)
                    << "' must be a constant float scalar";
        return false;
      }
      (i == 1 ? lo : hi) = bound->f32[0];
    }
  }
  if (lo > hi) {
    error(node) << "min " << lo << " exceeds max " << hi;
    return false;
  }
  return define(node, 0,
                ClipOp::create(builder, nodeLoc(node), x.getType(), x,
                                       builder.getF32FloatAttr(lo),
                                       builder.getF32FloatAttr(hi)));
}

bool Importer::importConstant(const onnx::NodeProto &node,
                              const Attrs &attrs) {
  TensorData data;
  if (const auto *v = attrs.get("value")) {
    std::string why;
    if (!decodeTensor(v->t(), data, why)) {
      error(node) << "value " << why;
      return false;
    }
  } else if (const auto *v = attrs.get("value_float")) {
    data.f32 = {v->f()};
  } else if (const auto *v = attrs.get("value_floats")) {
    data.f32.assign(v->floats().begin(), v->floats().end());
    data.shape = {(int64_t)data.f32.size()};
  } else if (const auto *v = attrs.get("value_int")) {
    data.isFloat = false;
    data.i64 = {v->i()};
  } else if (const auto *v = attrs.get("value_ints")) {
    data.isFloat = false;
    data.i64.assign(v->ints().begin(), v->ints().end());
    data.shape = {(int64_t)data.i64.size()};
  } else {
    error(node) << "only dense numeric constants are supported";
    return false;
  }
  // Materialised on first use, like an initializer.
  decoded[node.output(0)] = std::move(data);
  return true;
}

bool Importer::importNode(const onnx::NodeProto &node) {
  Attrs attrs(node);
  const std::string &op = node.op_type();
  if (node.output_size() < 1 || node.output(0).empty()) {
    error(node) << "has no output";
    return false;
  }
  // ONNX graphs are in SSA form: every name is defined once.
  for (int i = 0; i < node.output_size(); ++i) {
    const std::string &name = node.output(i);
    if (name.empty())
      continue;
    bool seen = values.count(name) || decoded.count(name) ||
                initializers.count(name);
    for (int j = 0; j < i && !seen; ++j)
      seen = node.output(j) == name;
    if (seen) {
      error(node) << "output '" << name << "' is already defined";
      return false;
    }
  }
  if (op == "Conv")
    return importConv(node, attrs);
  if (op == "BatchNormalization")
    return importBatchNorm(node, attrs);
  if (op == "MaxPool")
    return importMaxPool(node, attrs);
  if (op == "Gemm")
    return importGemm(node, attrs);
  if (op == "Reshape")
    return importReshape(node, attrs);
  if (op == "Clip")
    return importClip(node, attrs);
  if (op == "Constant")
    return importConstant(node, attrs);

  Value x = operand(node, 0, /*anyType=*/op == "Identity" || op == "Dropout");
  if (!x)
    return false;
  Location loc = nodeLoc(node);
  if (op == "Relu")
    return define(node, 0, ReluOp::create(builder, loc, x.getType(), x));
  if (op == "Identity")
    return define(node, 0, IdentityOp::create(builder, loc, x.getType(), x));
  if (op == "Dropout") {
    bool training = attrs.i("is_test", 1) == 0;
    if (opset >= 12 && hasInput(node, 2)) {
      const TensorData *mode = knownConstant(node.input(2));
      training = !mode || mode->isFloat || mode->i64.size() != 1 ||
                 mode->i64[0] != 0;
    }
    if (training || (node.output_size() > 1 && !node.output(1).empty())) {
      error(node) << "only inference-mode Dropout without a mask output is "
                     "supported";
      return false;
    }
    return define(node, 0, DropoutOp::create(builder, loc, x.getType(), x));
  }
  if (op == "GlobalAveragePool") {
    shapes::Shape out;
    std::string why;
    if (!shapes::globalPool(shapeOf(x), out, why)) {
      error(node) << why;
      return false;
    }
    return define(node, 0, GlobalAvgPoolOp::create(builder, loc, f32(out), x));
  }
  if (op == "Flatten") {
    int64_t axis = attrs.i("axis", 1), rank = shapeOf(x).size();
    if (axis < -rank || axis > rank) {
      error(node) << "axis " << axis << " is out of range for rank " << rank;
      return false;
    }
    if (axis < 0)
      axis += rank;
    shapes::Shape out;
    std::string why;
    if (!shapes::flatten(shapeOf(x), axis, out, why)) {
      error(node) << why;
      return false;
    }
    return define(node, 0,
                  FlattenOp::create(builder, loc, f32(out), x,
                                            builder.getI64IntegerAttr(axis)));
  }
  if (op == "Add") {
    Value y = operand(node, 1);
    if (!y)
      return false;
    shapes::Shape out;
    std::string why;
    if (!shapes::broadcast(shapeOf(x), shapeOf(y), out, why)) {
      error(node) << why;
      return false;
    }
    return define(node, 0, AddOp::create(builder, loc, f32(out), x, y));
  }
  llvm_unreachable("checkSupported lets only known ops through");
}

//===----------------------------------------------------------------------===//
// Model
//===----------------------------------------------------------------------===//

OwningOpRef<ModuleOp> Importer::run(const onnx::ModelProto &model) {
  for (const auto &imp : model.opset_import())
    if (imp.domain().empty() || imp.domain() == "ai.onnx")
      opset = imp.version();
  if (opset == 0 && model.opset_import_size() == 0)
    opset = 1; // IR version 2 models carry no opset_import
  if (!model.has_graph()) {
    error() << "the model has no graph";
    return nullptr;
  }
  if (opset < kMinOpset || opset > kMaxOpset) {
    error() << "ONNX opset " << opset << " is not supported (supported: "
            << kMinOpset << " to " << kMaxOpset << ")";
    return nullptr;
  }
  const onnx::GraphProto &graph = model.graph();
  if (!checkSupported(graph))
    return nullptr;

  for (const auto &init : graph.initializer())
    if (!initializers.try_emplace(init.name(), &init).second) {
      error() << "initializer '" << init.name() << "' is defined twice";
      return nullptr;
    }

  // Graph inputs that are also initializers (IR version 3) are weights.
  SmallVector<const onnx::ValueInfoProto *> inputs;
  SmallVector<Type> argTypes;
  llvm::StringSet<> inputNames;
  unsigned numInputs = 0;
  for (const auto &vi : graph.input()) {
    if (!inputNames.insert(vi.name()).second) {
      error() << "graph input '" << vi.name() << "' is declared twice";
      return nullptr;
    }
    numInputs += !initializers.count(vi.name());
  }
  // --batch sets the batch of the data input. With several inputs (which
  // the emitter rejects: "the model has 2 input(s) ...") a fixed first
  // dimension of another input, e.g. a weight that should have been an
  // initializer, is no batch to check.
  bool ok = true;
  for (const auto &vi : graph.input()) {
    if (initializers.count(vi.name()))
      continue;
    auto type = inputType(vi, /*checkBatch=*/numInputs == 1);
    ok &= type.has_value();
    if (type) {
      inputs.push_back(&vi);
      argTypes.push_back(*type);
    }
  }
  if (!ok)
    return nullptr;
  if (inputs.empty()) {
    error() << "the graph has no input";
    return nullptr;
  }

  auto module = ModuleOp::create(fileLoc());
  builder.setInsertionPointToEnd(module.getBody());
  auto func = func::FuncOp::create(builder, 
      fileLoc(), "main", builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  builder.setInsertionPointToEnd(body);
  for (auto [i, vi] : llvm::enumerate(inputs)) {
    values[vi->name()] = body->getArgument(i);
    func.setArgAttr(i, "resnetc.name", builder.getStringAttr(vi->name()));
  }

  for (const auto &node : graph.node())
    if (!importNode(node))
      return nullptr;

  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  for (const auto &out : graph.output()) {
    auto it = values.find(out.name());
    if (it == values.end()) {
      error() << "graph output '" << out.name()
              << "' is not produced by any node";
      return nullptr;
    }
    Value v = it->second;
    // A declared static shape must agree with what resnetc computed.
    if (out.type().has_tensor_type() && out.type().tensor_type().has_shape()) {
      const auto &dims = out.type().tensor_type().shape().dim();
      ArrayRef<int64_t> got = shapeOf(v);
      bool mismatch = dims.size() != (int)got.size();
      for (int i = 0; !mismatch && i < dims.size(); ++i)
        mismatch = dims[i].has_dim_value() && dims[i].dim_value() != got[i];
      if (mismatch) {
        error() << "graph output '" << out.name()
                << "' is declared with a shape that differs from the "
                   "computed "
                << shapes::str(got);
        return nullptr;
      }
    }
    results.push_back(v);
    resultTypes.push_back(v.getType());
  }
  func::ReturnOp::create(builder, fileLoc(), results);
  func.setFunctionType(builder.getFunctionType(argTypes, resultTypes));
  for (auto [i, out] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "resnetc.name", builder.getStringAttr(out.name()));
  return module;
}

/// Keeps the first syntax error of a text-format model for the one-line
/// diagnostic (protobuf would otherwise log every error to stderr).
struct FirstTextError : google::protobuf::io::ErrorCollector {
  std::string first;
  void AddError(int line, int column, const std::string &message) override {
    if (first.empty())
      first = "line " + std::to_string(line + 1) + ", column " +
              std::to_string(column + 1) + ": " + message;
  }
};

} // namespace

OwningOpRef<ModuleOp> importOnnxFile(MLIRContext &context, llvm::StringRef path,
                                     const ImportOptions &options) {
  context.loadDialect<ResnetcDialect, func::FuncDialect>();
  Location loc = FileLineColLoc::get(&context, path, 0, 0);
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    emitError(loc) << "cannot read '" << path
                   << "': " << buffer.getError().message();
    return nullptr;
  }
  llvm::StringRef bytes = (*buffer)->getBuffer();
  onnx::ModelProto model;
  llvm::StringRef ext = llvm::sys::path::extension(path);
  if (ext == ".textproto" || ext == ".pbtxt") {
    FirstTextError errors;
    google::protobuf::TextFormat::Parser parser;
    parser.RecordErrorsTo(&errors);
    if (!parser.ParseFromString(bytes.str(), &model)) {
      emitError(loc) << "'" << path
                     << "' is not a valid ONNX model in protobuf text format ("
                     << errors.first << ")";
      return nullptr;
    }
  } else {
    google::protobuf::io::CodedInputStream stream(
        reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
    stream.SetRecursionLimit(64);
    if (!model.ParseFromCodedStream(&stream) ||
        !stream.ConsumedEntireMessage()) {
      emitError(loc) << "'" << path
                     << "' is not a valid ONNX model (the protobuf could not "
                        "be parsed; is the file truncated?)";
      return nullptr;
    }
  }
  // An arbitrary binary file can parse as an (almost) empty protobuf; a real
  // model always declares its IR version and has a graph.
  if (!model.has_ir_version() || !model.has_graph()) {
    emitError(loc) << "'" << path
                   << "' is not an ONNX model (no IR version or no graph)";
    return nullptr;
  }
  Importer importer(context, path, options);
  return importer.run(model);
}

} // namespace resnetc
