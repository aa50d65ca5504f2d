"""Use a library compiled by resnetc from Python (for numeric tests and benchmarks).

resnetc's contract (``resnetc compile MODEL.onnx -o OUTDIR --name NAME [--batch N]``):
it writes ``OUTDIR/NAME.h`` and ``OUTDIR/libNAME.a``; a program links
``libNAME.a`` + ``libresnetc_runtime.a`` + ``-lpthread -ldl -lm`` and calls

    NAME_model *NAME_create(void);                          NULL on failure
    int NAME_run(NAME_model *m, const float *in, float *out);   0 on success
    void NAME_destroy(NAME_model *m);
    int NAME_set_num_threads(int n);
    const char *NAME_last_error(void);

with ``NAME_INPUT_SIZE`` / ``NAME_OUTPUT_SIZE`` (element counts) and
``NAME_INPUT_RANK`` / ``NAME_OUTPUT_RANK`` as macros in ``NAME.h``.  Input and
output are dense float32 in ONNX's layout (NCHW, row-major).  resnetc writes
the macro prefix upper-cased (``MYNET_INPUT_SIZE`` for ``--name mynet``) and
adds ``NAME_OUTPUT_SHAPE {...}``; both are handled here.

To call that from Python this module links the archive into a shared object

    cc -shared -o libNAME.so -Wl,--whole-archive libNAME.a -Wl,--no-whole-archive \\
       libresnetc_runtime.a -lpthread -ldl -lm

(``--whole-archive`` keeps the NAME_* entry points, which nothing in the link
references) and loads it with ctypes.  This only works if both archives hold
position-independent code.

    lib = compile_and_load(resnetc_bin, runtime_lib, "model.onnx", "out/", "net", batch=2)
    y = lib.run(x)          # x: float32 array of NAME_INPUT_SIZE elements
"""

import ctypes
import os
import re
import subprocess
import time

import numpy as np


class ResnetcError(RuntimeError):
    """resnetc failed to compile, a link failed, or the library reported an error."""


def compile_model(resnetc_bin, onnx_path, out_dir, name, batch=None, extra_args=()):
    """Run ``resnetc compile``; return (header path, archive path, seconds taken).

    Raises ResnetcError with resnetc's stderr when it exits non-zero or does not
    produce the promised files.
    """
    cmd = [resnetc_bin, "compile", os.fspath(onnx_path), "-o", os.fspath(out_dir), "--name", name]
    if batch is not None:
        cmd += ["--batch", str(batch)]
    cmd += list(extra_args)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise ResnetcError(f"{' '.join(cmd)} exited with {proc.returncode}:\n{proc.stderr}")
    header = os.path.join(out_dir, f"{name}.h")
    archive = os.path.join(out_dir, f"lib{name}.a")
    for path in (header, archive):
        if not os.path.isfile(path):
            raise ResnetcError(f"{' '.join(cmd)} succeeded but did not write {path}")
    return header, archive, seconds


def link_shared(archive, runtime_lib, so_path, cc=None):
    """Link a model archive and the runtime archive into ``so_path``."""
    cc = cc or os.environ.get("CC", "cc")
    cmd = [cc, "-shared", "-o", os.fspath(so_path),
           "-Wl,--whole-archive", os.fspath(archive), "-Wl,--no-whole-archive",
           os.fspath(runtime_lib), "-lpthread", "-ldl", "-lm"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        hint = ""
        if "recompile with -fPIC" in proc.stderr:
            hint = "\n(an archive holds non-PIC objects: build it position-independent)"
        raise ResnetcError(f"{' '.join(cmd)} failed:\n{proc.stderr}{hint}")
    return so_path


def read_header_macros(header, name):
    """Return {SUFFIX: value} for the ``NAME_<SUFFIX>`` macros of a generated header.

    Integer macros give ints, brace lists (``#define NAME_OUTPUT_SHAPE {1, 1000}``)
    give tuples of ints; others are ignored.  The prefix is matched without
    regard to case: the contract spells it NAME_, resnetc writes it upper-case.
    """
    pattern = re.compile(rf"^\s*#\s*define\s+{re.escape(name)}_(\w+)\s+(.*?)\s*$", re.IGNORECASE)
    integer = re.compile(r"^\(?\s*(\d+)[uUlL]*\s*\)?$")
    int_list = re.compile(r"^\{\s*(\d+[uUlL]*(?:\s*,\s*\d+[uUlL]*)*)?\s*\}$")
    macros = {}
    with open(header) as f:
        for line in f:
            m = pattern.match(line)
            if not m:
                continue
            suffix, value = m.group(1).upper(), m.group(2)
            if integer.match(value):
                macros[suffix] = int(integer.match(value).group(1))
            elif int_list.match(value):
                items = int_list.match(value).group(1) or ""
                macros[suffix] = tuple(int(v.rstrip("uUlL")) for v in items.split(",") if v.strip())
    return macros


class CompiledModel:
    """A resnetc library loaded with ctypes; one model instance, created on load.

    ``run`` returns its result in ``output_shape`` if given, else in the
    header's ``NAME_OUTPUT_SHAPE`` if it has one, else as
    [batch, OUTPUT_SIZE / batch] where batch is the input's leading dimension.
    """

    def __init__(self, so_path, header, name, output_shape=None):
        self.name = name
        self.so_path = os.fspath(so_path)
        macros = read_header_macros(header, name)
        try:
            self.input_size = macros["INPUT_SIZE"]
            self.output_size = macros["OUTPUT_SIZE"]
        except KeyError as e:
            raise ResnetcError(f"{header} does not define {name}_{e.args[0]}") from None
        self.input_rank = macros.get("INPUT_RANK")
        self.output_rank = macros.get("OUTPUT_RANK")
        # Extensions beyond the contract, used when the header has them.
        self.input_shape = macros.get("INPUT_SHAPE")
        if output_shape is None and isinstance(macros.get("OUTPUT_SHAPE"), tuple):
            output_shape = macros["OUTPUT_SHAPE"]
        if output_shape is not None and int(np.prod(output_shape)) != self.output_size:
            raise ResnetcError(f"output shape {output_shape} does not hold "
                               f"{name}_OUTPUT_SIZE = {self.output_size} elements")
        self.output_shape = tuple(output_shape) if output_shape is not None else None

        # RTLD_LOCAL (ctypes' default): several models, each with its own copy
        # of the runtime, can be loaded into one process without clashing.
        self._lib = ctypes.CDLL(self.so_path)
        self._create = self._fn("create", ctypes.c_void_p, [])
        self._run = self._fn("run", ctypes.c_int,
                             [ctypes.c_void_p, ctypes.POINTER(ctypes.c_float),
                              ctypes.POINTER(ctypes.c_float)])
        self._destroy = self._fn("destroy", None, [ctypes.c_void_p])
        self._set_num_threads = self._fn("set_num_threads", ctypes.c_int, [ctypes.c_int])
        self._last_error = self._fn("last_error", ctypes.c_char_p, [])

        self._handle = self._create()
        if not self._handle:
            raise ResnetcError(f"{name}_create failed: {self.last_error()}")

    def _fn(self, suffix, restype, argtypes):
        symbol = f"{self.name}_{suffix}"
        try:
            fn = getattr(self._lib, symbol)
        except AttributeError:
            raise ResnetcError(f"{self.so_path} does not export {symbol}") from None
        fn.restype = restype
        fn.argtypes = argtypes
        return fn

    def last_error(self):
        msg = self._last_error()
        return msg.decode(errors="replace") if msg else ""

    def set_num_threads(self, n):
        """Call NAME_set_num_threads(n); returns its result, raises if negative."""
        rc = self._set_num_threads(int(n))
        if rc < 0:
            raise ResnetcError(f"{self.name}_set_num_threads({n}) returned {rc}: "
                               f"{self.last_error()}")
        return rc

    def run(self, x, out=None):
        """Run the model on ``x`` (any float array of INPUT_SIZE elements); return the output.

        ``out``, if given, must be a C-contiguous float32 array of OUTPUT_SIZE
        elements and is filled in place (saves an allocation in benchmarks).
        """
        if self._handle is None:
            raise ResnetcError(f"{self.name}: model already closed")
        x = np.ascontiguousarray(x, dtype=np.float32)
        if x.size != self.input_size:
            raise ValueError(f"{self.name}: input has {x.size} elements, "
                             f"expected {self.name}_INPUT_SIZE = {self.input_size}")
        if out is None:
            if self.output_shape is not None:
                shape = self.output_shape
            elif x.ndim > 0 and self.output_size % x.shape[0] == 0:
                shape = (x.shape[0], self.output_size // x.shape[0])
            else:
                shape = (self.output_size,)
            out = np.empty(shape, dtype=np.float32)
        elif (out.dtype != np.float32 or out.size != self.output_size
              or not out.flags.c_contiguous):
            raise ValueError(f"{self.name}: out must be C-contiguous float32 "
                             f"with {self.output_size} elements")
        float_p = ctypes.POINTER(ctypes.c_float)
        rc = self._run(self._handle, x.ctypes.data_as(float_p), out.ctypes.data_as(float_p))
        if rc != 0:
            raise ResnetcError(f"{self.name}_run returned {rc}: {self.last_error()}")
        return out

    def close(self):
        """Destroy the model instance (the shared object stays mapped)."""
        if getattr(self, "_handle", None):
            self._destroy(self._handle)
            self._handle = None

    __del__ = close

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def onnx_output_shape(onnx_path, batch):
    """Shape of the model's first output with its leading (batch) dimension set to ``batch``.

    Returns None when the ONNX file leaves other dimensions unknown.
    """
    import onnx

    model = onnx.load(os.fspath(onnx_path), load_external_data=False)
    dims = model.graph.output[0].type.tensor_type.shape.dim
    shape = [batch] + [d.dim_value if d.HasField("dim_value") else None for d in dims[1:]]
    return None if None in shape or not dims else tuple(shape)


def compile_and_load(resnetc_bin, runtime_lib, onnx_path, out_dir, name, batch=None,
                     extra_args=(), cc=None):
    """Compile ``onnx_path`` with resnetc into ``out_dir``, link it and load it.

    Returns a CompiledModel with extra attributes ``compile_seconds`` and
    ``library_bytes`` (size of ``libNAME.a``).
    """
    os.makedirs(out_dir, exist_ok=True)
    header, archive, seconds = compile_model(resnetc_bin, onnx_path, out_dir, name, batch,
                                             extra_args)
    so_path = link_shared(archive, runtime_lib, os.path.join(out_dir, f"lib{name}.so"), cc)
    shape = onnx_output_shape(onnx_path, batch) if batch is not None else None
    model = CompiledModel(so_path, header, name, output_shape=shape)
    model.compile_seconds = seconds
    model.library_bytes = os.path.getsize(archive)
    return model
