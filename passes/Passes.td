//===- Passes.td - target-dependent planning passes -----------------------===//
//
// Decisions about how the (already fused) graph runs on a target: physical
// layout of every activation, the tiling of every convolution, and where in
// the single activation arena every tensor lives. They annotate the IR; code
// generation reads the annotations.
//
//===----------------------------------------------------------------------===//
#ifndef RESNETC_PASSES
#define RESNETC_PASSES

include "mlir/Pass/PassBase.td"

def AssignLayout : Pass<"resnetc-assign-layout", "mlir::func::FuncOp"> {
  let summary = "Choose the physical layout of every activation";
  let description = [{
    On CPU, every 4-D activation is stored channel-blocked ("nchw<B>c", B =
    floats per vector register, channels zero-padded to a multiple of B) so
    convolutions vectorise over channels and no layer pays a reorder. Graph
    inputs and outputs keep ONNX's layout: `resnetc.reorder` ops are inserted
    where a value changes layout (function arguments, returned values, and
    reshapes/flattens whose memory order differs between the layouts). Each
    op producing a 4-D or 2-D activation gets a `resnetc.layout` attribute.
  }];
  let options = [
    Option<"block", "block", "int64_t", /*default=*/"8",
           "Channel block (floats per vector register)">
  ];
  let dependentDialects = ["::resnetc::ResnetcDialect"];
}

def ConvTiling : Pass<"resnetc-conv-tiling", "mlir::func::FuncOp"> {
  let summary = "Choose register tiles, cache blocking and parallel tasks per conv";
  let description = [{
    A cost model over the conv's shape and the target's resources picks, for
    every `resnetc.fused_conv`, a `#resnetc.conv_tiling`: the register tile
    (output-channel blocks x rows x columns, bounded by the vector register
    count), a reduction split that keeps one step's weights within L2, and
    enough parallel tasks for the thread count.
  }];
  let options = [
    Option<"block", "block", "int64_t", "8", "Floats per vector register">,
    Option<"vectorRegisters", "vector-registers", "int64_t", "16",
           "Vector registers available to a kernel">,
    Option<"l1KiB", "l1-kib", "int64_t", "32", "L1 data cache per core (KiB)">,
    Option<"l2KiB", "l2-kib", "int64_t", "1024", "L2 cache per core (KiB)">,
    Option<"threads", "threads", "int64_t", "2", "Worker threads to feed">
  ];
  let dependentDialects = ["::resnetc::ResnetcDialect"];
}

def PlanArena : Pass<"resnetc-plan-arena", "mlir::ModuleOp"> {
  let summary = "Place every activation in one arena";
  let description = [{
    Computes each activation's live range in program order and assigns it an
    offset in a single arena (greedy best fit, largest first, 64-byte
    aligned), so buffers whose lifetimes do not overlap share memory. Sizes
    count padded channels of blocked layouts. Views (flatten/reshape that
    keep memory order) share their source's offset. Records
    `resnetc.arena_offset` on every producing op and `resnetc.arena_size` on
    the module.
  }];
  let dependentDialects = ["::resnetc::ResnetcDialect"];
}

#endif // RESNETC_PASSES
