"""pytest configuration for resnetc's whole-model tests (test/models).

Environment (set by the CMake build; see test/models/README.md):

    RESNETC_BIN           path to the resnetc executable (required; without it
                          every test here is skipped)
    RESNETC_RUNTIME_LIB   path to libresnetc_runtime.a (required by the tests
                          that link and run compiled models)
    RESNETC_TEST_WORKDIR  scratch folder for generated ONNX models (cached
                          between runs) and compiled libraries (deleted after
                          passing tests); a pytest temp folder when unset
    RESNETC_KEEP_LIBS     set to 1 to keep compiled libraries of passing tests

Markers: ``slow`` (ResNet-50 cases; deselect with ``-m "not slow"``),
``numeric`` (compiles, links and runs models against onnxruntime).
Tests record their measured error ratio with ``record_property``; a summary
table of those numbers is printed at the end of the run.
"""

import os
import shutil
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import resnetc_lib  # noqa: E402
from comparison import RTOL  # noqa: E402

def pytest_configure(config):
    config.addinivalue_line("markers", "slow: long-running case (ResNet-50); deselect with -m 'not slow'")
    config.addinivalue_line("markers", "numeric: compiles, links and runs a model, compares with onnxruntime")


def pytest_collection_modifyitems(config, items):
    """Skip, with the reason, whatever the environment cannot run."""
    here_items = [item for item in items if str(item.fspath).startswith(HERE + os.sep)]
    if not os.environ.get("RESNETC_BIN"):
        skip = pytest.mark.skip(reason="RESNETC_BIN is not set (point it at the resnetc "
                                       "executable; the CMake test target does this)")
        for item in here_items:
            item.add_marker(skip)
        return
    if not os.environ.get("RESNETC_RUNTIME_LIB"):
        skip = pytest.mark.skip(reason="RESNETC_RUNTIME_LIB is not set (path of "
                                       "libresnetc_runtime.a, needed to link compiled models)")
        for item in here_items:
            if item.get_closest_marker("numeric"):
                item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    """Print every recorded error ratio, so passing runs show their margins too."""
    rows = []
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", []):
        if report.when != "call":
            continue
        props = dict(report.user_properties)
        if "err_ratio" in props:
            rows.append((report.nodeid.split("::", 1)[-1], props["err_ratio"],
                         props.get("argmax_match", "")))
    if rows:
        terminalreporter.section("resnetc numeric results (max|diff| / max|ref|, tolerance "
                                 f"{RTOL:g})")
        width = max(len(r[0]) for r in rows)
        for name, ratio, match in sorted(rows):
            terminalreporter.write_line(f"{name:<{width}}  {ratio:.3e}  {match}")


@pytest.fixture(scope="session")
def resnetc_bin():
    path = os.environ["RESNETC_BIN"]
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(f"RESNETC_BIN={path} is not an executable file")
    return path


@pytest.fixture(scope="session")
def runtime_lib():
    path = os.environ.get("RESNETC_RUNTIME_LIB", "")
    if not os.path.isfile(path):
        pytest.fail(f"RESNETC_RUNTIME_LIB={path!r} is not a file")
    return path


@pytest.fixture(scope="session")
def workdir(tmp_path_factory):
    path = os.environ.get("RESNETC_TEST_WORKDIR")
    if not path:
        return str(tmp_path_factory.mktemp("resnetc"))
    os.makedirs(path, exist_ok=True)
    return os.path.abspath(path)


@pytest.fixture(scope="session")
def model_cache(workdir):
    """Folder of generated ONNX models, kept between runs."""
    path = os.path.join(workdir, "models")
    os.makedirs(path, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def small_models(workdir):
    """{file name: path} of the hand-made models (cheap: regenerated every session)."""
    import make_small_models
    return make_small_models.generate_all(os.path.join(workdir, "small_models"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's report on the item, so fixtures can see the outcome."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"_report_{report.when}", report)


@pytest.fixture
def compile_and_load(resnetc_bin, runtime_lib, workdir, request):
    """compile_and_load(onnx_path, name, batch, extra_args) -> CompiledModel, in a fresh folder per test.

    The folder ($RESNETC_TEST_WORKDIR/libs/<test>) is deleted after a passing
    test (a ResNet-50 build is ~200 MB) and kept after a failure for
    inspection; set RESNETC_KEEP_LIBS=1 to keep it always.
    """
    out_dir = os.path.join(workdir, "libs", _safe(request.node.name))
    shutil.rmtree(out_dir, ignore_errors=True)
    loaded = []

    def _compile(onnx_path, name, batch=None, extra_args=()):
        model = resnetc_lib.compile_and_load(resnetc_bin, runtime_lib, onnx_path, out_dir,
                                             name, batch, extra_args)
        loaded.append(model)
        return model

    yield _compile
    for model in loaded:
        model.close()
    report = getattr(request.node, "_report_call", None)
    if report is not None and report.passed and not os.environ.get("RESNETC_KEEP_LIBS"):
        shutil.rmtree(out_dir, ignore_errors=True)  # a loaded .so stays mapped; this is safe


def _safe(name):
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
