# -*- Python -*-
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "resnetc"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".textproto"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.resnetc_obj_root, "test")
# Numeric (pytest) and C++ unit tests live beside the lit tests but are run
# by ctest, not lit.
config.excludes = ["models", "codegen", "Inputs", "lit.cfg.py", "CMakeLists.txt"]

llvm_config.with_system_environment(["HOME", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    ["resnetc-opt", "resnetc"], [config.resnetc_tools_dir])
config.substitutions.append(("%resnetc_runtime_lib", config.resnetc_runtime_lib))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))
