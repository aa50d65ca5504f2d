//===- resnetc.cpp - the resnetc command line ------------------------------===//
//
//   resnetc compile MODEL.onnx -o DIR [--name NAME] [--batch N]
//                   [--target host|avx2|avx512] [--threads N] [--emit=...]
//
// Import → CPU pass pipeline → Halide kernels + C driver → DIR/NAME.h and
// DIR/libNAME.a. Every error is printed as one line "resnetc: error: ..."
// and the exit code is 1.
//
//===----------------------------------------------------------------------===//
#include "compiler/Emit/LibraryEmitter.h"
#include "compiler/Import/OnnxImporter.h"
#include "dialects/resnetc/IR/ResnetcDialect.h"
#include "passes/Pipeline.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <thread>
#include <unistd.h>

using namespace mlir;
namespace cl = llvm::cl;

static cl::SubCommand compileCmd("compile",
                                 "Compile an ONNX model into a C library");
static cl::OptionCategory compileOptions("resnetc compile options");
// A list, checked by hand, so that a missing or extra model gets resnetc's
// own one-line error rather than the command-line parser's.
static cl::list<std::string> modelPaths(cl::Positional,
                                      cl::desc("<model.onnx>"),
                                      cl::sub(compileCmd), cl::cat(compileOptions));
static cl::opt<std::string> outDir("o", cl::desc("Output folder"),
                                   cl::value_desc("dir"), cl::sub(compileCmd), cl::cat(compileOptions));
static cl::opt<std::string>
    libName("name", cl::desc("C identifier prefix of the API (default: model)"),
            cl::init("model"), cl::sub(compileCmd), cl::cat(compileOptions));
static cl::opt<int64_t>
    batch("batch", cl::desc("Value of a symbolic batch dimension"),
          cl::init(0), cl::sub(compileCmd), cl::cat(compileOptions));
static cl::opt<std::string>
    targetName("target", cl::desc("host (default), avx2 or avx512"),
               cl::init("host"), cl::sub(compileCmd), cl::cat(compileOptions));
static cl::opt<int> threads(
    "threads",
    cl::desc("Threads the generated code is tuned for (default: all cores)"),
    cl::init(0), cl::sub(compileCmd), cl::cat(compileOptions));
static cl::opt<std::string> emit(
    "emit",
    cl::desc("lib (default): write the library; mlir: print the IR after "
             "import and after the pass pipeline; mlir-import / mlir-planned: "
             "print one of them"),
    cl::init("lib"), cl::sub(compileCmd), cl::cat(compileOptions));
static cl::opt<bool> keepTemps("keep-temps",
                               cl::desc("Keep the generated C and objects"),
                               cl::sub(compileCmd), cl::cat(compileOptions));
static cl::opt<bool> quiet("q", cl::desc("No summary line"),
                           cl::sub(compileCmd), cl::cat(compileOptions));

namespace {

/// One line per diagnostic: "resnetc: error: <message>". Notes attached to a
/// diagnostic are dropped so every problem stays on one line.
void printDiagnostic(Diagnostic &diag) {
  std::string msg = diag.str();
  for (char &c : msg)
    if (c == '\n')
      c = ' ';
  const char *sev = diag.getSeverity() == DiagnosticSeverity::Error ? "error"
                    : diag.getSeverity() == DiagnosticSeverity::Warning
                        ? "warning"
                        : "note";
  std::string where;
  if (auto name = dyn_cast<NameLoc>(diag.getLocation()))
    if (!llvm::StringRef(msg).starts_with("node '"))
      where = "node '" + name.getName().str() + "': ";
  llvm::errs() << "resnetc: " << sev << ": " << where << msg << "\n";
}

/// Why `name` cannot prefix the generated C API, or "" if it can.
std::string checkLibraryName(llvm::StringRef name) {
  if (name.empty() || name.size() > 64 ||
      !(std::isalpha((unsigned char)name[0]) || name[0] == '_') ||
      !llvm::all_of(name, [](char c) {
        return std::isalnum((unsigned char)c) || c == '_';
      }))
    return "--name '" + name.str() +
           "' is not a C identifier of at most 64 characters";
  // The runtime's own symbols (resnetc_*, halide_*) would clash.
  std::string lower = name.lower();
  for (llvm::StringRef reserved : {"resnetc", "halide"})
    if (llvm::StringRef(lower).starts_with(reserved))
      return "--name '" + name.str() + "' is reserved (names starting with '" +
             reserved.str() + "' clash with the runtime's symbols)";
  return "";
}

void printModule(ModuleOp module, llvm::StringRef title) {
  llvm::outs() << "// ----- " << title << " -----\n";
  OpPrintingFlags flags;
  flags.elideLargeElementsAttrs(16).elideLargeResourceString(64);
  module->print(llvm::outs(), flags);
  llvm::outs() << "\n";
}

int compile() {
  MLIRContext context;
  context.printOpOnDiagnostic(false);
  context.printStackTraceOnDiagnostic(false);
  ScopedDiagnosticHandler handler(&context, [](Diagnostic &diag) {
    printDiagnostic(diag);
    return success();
  });
  auto fail = [&](const llvm::Twine &msg) {
    llvm::errs() << "resnetc: error: " << msg << "\n";
    return 1;
  };

  if (modelPaths.size() != 1)
    return fail(modelPaths.empty()
                    ? "missing the model: resnetc compile model.onnx -o DIR"
                    : "expected one model, got " +
                          std::to_string(modelPaths.size()));
  const std::string &modelPath = modelPaths.front();
  if (emit != "lib" && emit != "mlir" && emit != "mlir-import" &&
      emit != "mlir-planned")
    return fail("unknown --emit value '" + emit +
                "' (lib, mlir, mlir-import or mlir-planned)");
  if (emit == "lib" && outDir.empty())
    return fail("missing output folder (-o DIR)");
  if (std::string why = checkLibraryName(libName); !why.empty())
    return fail(why);
  if (threads.getNumOccurrences() && (threads < 1 || threads > 1024))
    return fail("--threads " + std::to_string(threads) +
                " is out of range (1 to 1024)");
  if (batch.getNumOccurrences() && (batch < 1 || batch > 65536))
    return fail("--batch " + std::to_string(batch) +
                " is out of range (1 to 65536)");

  resnetc::codegen::Target target;
  std::string error;
  if (!resnetc::codegen::resolveTarget(targetName, target, error))
    return fail(error);
  resnetc::PlanningTarget planning;
  planning.block = target.block;
  planning.vectorRegisters = target.block == 16 ? 32 : 16;
  long l1 = sysconf(_SC_LEVEL1_DCACHE_SIZE), l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
  if (l1 > 0)
    planning.l1KiB = l1 / 1024;
  if (l2 > 0)
    planning.l2KiB = l2 / 1024;
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  planning.threads = threads > 0 ? threads : cores;

  auto start = std::chrono::steady_clock::now();
  resnetc::ImportOptions importOptions;
  importOptions.batch = batch;
  auto module = resnetc::importOnnxFile(context, modelPath, importOptions);
  if (!module)
    return 1;
  if (failed(verify(*module)))
    return 1;
  if (emit == "mlir" || emit == "mlir-import")
    printModule(*module, "after import");
  if (emit == "mlir-import")
    return 0;

  PassManager pm(&context);
  resnetc::buildCpuPipeline(pm, planning);
  if (failed(pm.run(*module)))
    return 1;
  if (emit == "mlir" || emit == "mlir-planned")
    printModule(*module, "after the CPU pipeline");
  if (emit != "lib")
    return 0;

  resnetc::EmitOptions options;
  options.name = libName;
  options.outDir = outDir;
  options.target = target;
  options.compileThreads = cores;
  options.keepTemps = keepTemps;
  if (const char *cc = getenv("CC"))
    options.cc = cc;
  if (const char *ar = getenv("AR"))
    options.ar = ar;
  resnetc::EmitSummary summary;
  if (failed(resnetc::emitLibrary(*module, options, summary)))
    return 1;
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  if (!quiet)
    llvm::outs() << llvm::format(
        "resnetc: wrote %s/%s.h and lib%s.a (%zu kernel calls, %zu distinct "
        "kernels, %.1f MB weights, %.1f MB arena) in %.1f s\n",
        llvm::StringRef(outDir).rtrim('/').str().c_str(), libName.c_str(),
        libName.c_str(), summary.kernelCalls,
        summary.distinctKernels, summary.weightBytes / 1e6,
        summary.arenaBytes / 1e6, seconds);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // Show resnetc's options, not the LLVM internals linked into the tool.
  cl::HideUnrelatedOptions(compileOptions, compileCmd);
  cl::HideUnrelatedOptions(compileOptions);
  cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << "resnetc 0.1 (MLIR " << LLVM_VERSION_STRING << ", Halide 14)\n";
  });
  cl::ParseCommandLineOptions(
      argc, argv,
      "resnetc: ahead-of-time compiler for ResNet-family ONNX models\n\n"
      "  resnetc compile model.onnx -o out/ [--name NAME] [--batch N]\n");
  if (compileCmd)
    return compile();
  llvm::errs() << "resnetc: error: expected a command: resnetc compile "
                  "model.onnx -o DIR (see --help)\n";
  return 1;
}
