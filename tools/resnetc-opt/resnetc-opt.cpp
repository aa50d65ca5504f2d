//===- resnetc-opt.cpp - run resnetc passes on .mlir files ----------------===//
//
// A thin MlirOptMain driver: registers the resnetc dialect, func, and every
// resnetc pass so each pass can be run alone (the unit of lit testing).
//
//===----------------------------------------------------------------------===//
#include "dialects/resnetc/IR/ResnetcDialect.h"
#include "passes/Pipeline.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<resnetc::ResnetcDialect, mlir::func::FuncDialect>();
  resnetc::registerAllPasses();
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "resnetc optimizer driver\n", registry));
}
