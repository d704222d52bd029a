"""The library's tests pass on other numpy and OpenBLAS kernels than this CPU's best.

numpy picks SIMD loops (AVX2, AVX-512, NEON, SVE...) and OpenBLAS picks a kernel for
the CPU at import time, so the last bits of a sum or a product depend on the machine.
A test that asserts an exact float where only a tolerance is true passes here and
fails on a reader's laptop. This leg re-runs the library tests (not the chapters) in a
subprocess with every dispatched numpy feature disabled and OpenBLAS forced to an
older core, so such an assert fails here first.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.crosskernel

# The child runs what `pytest -m "not notebook and not browser"` runs, minus the benchmark
# smoke test (timing, not numerics) and itself.
SELECT = "not notebook and not browser and not slow and not crosskernel"
PROBE = """
import json, numpy as np, threadpoolctl
from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
blas = [i for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
print(json.dumps({"dispatch_on": [f for f in __cpu_dispatch__ if __cpu_features__.get(f)],
                  "blas": sorted({i.get("architecture") or "" for i in blas})}))
"""


def _probe(env: dict | None = None) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def other_kernels_env() -> tuple[dict, str]:
    """An environment that sends numpy and OpenBLAS down their baseline code paths."""
    native = _probe()
    env = dict(os.environ)
    if native["dispatch_on"]:
        env["NPY_DISABLE_CPU_FEATURES"] = " ".join(native["dispatch_on"])
    machine = platform.machine().lower()
    core = "ARMV8" if machine in ("aarch64", "arm64") else "Nehalem"   # SSE4.2, no AVX
    env["OPENBLAS_CORETYPE"] = core
    env.pop("PYTEST_ADDOPTS", None)
    return env, core


def test_the_other_kernels_are_really_in_use():
    env, core = other_kernels_env()
    native, other = _probe(), _probe(env)
    assert other["dispatch_on"] == [], f"numpy still dispatches {other['dispatch_on']}"
    assert other["blas"] and all(a.lower() == core.lower() for a in other["blas"]), other
    assert native != other or not native["dispatch_on"], "the environment changed nothing"


def test_library_tests_pass_on_baseline_kernels():
    env, core = other_kernels_env()
    cmd = [sys.executable, "-m", "pytest", "-q", "-m", SELECT,
           "--deselect", "tests/test_bench_smoke.py", str(ROOT / "tests")]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=280)
    tail = (proc.stdout + proc.stderr)[-6000:]
    assert proc.returncode == 0, (f"library tests fail with NPY_DISABLE_CPU_FEATURES="
                                  f"{env.get('NPY_DISABLE_CPU_FEATURES', '')!r} OPENBLAS_CORETYPE={core}:\n{tail}")
