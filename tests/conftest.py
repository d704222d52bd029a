"""Shared fixtures: the executed chapters and the built book, each made once per session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import bookcache  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() == "true"

# Property tests are derandomized so that a run is reproducible and CI cannot flake.
settings.register_profile("llmmath", derandomize=True, deadline=None, max_examples=60,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("llmmath")


@pytest.fixture(scope="session")
def executed_notebooks() -> dict[Path, bookcache.Executed]:
    """Every chapter in _toc.yml, executed once into the book's cache (in parallel)."""
    return bookcache.execute(bookcache.toc_notebooks(), jobs=os.cpu_count() or 1)


@pytest.fixture(scope="session")
def built_book(executed_notebooks) -> dict:
    """Build the HTML book with warnings as errors; the chapters come from the cache."""
    failed = [p.name for p, r in executed_notebooks.items() if r.error]
    if failed:  # the build would execute them again, slowly, only to fail
        pytest.fail(f"chapters failed to execute, so the book cannot build: {failed}")
    cmd = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT), "-W", "-n", "--keep-going"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    return {"returncode": proc.returncode, "log": proc.stdout + proc.stderr,
            "html": ROOT / "_build" / "html"}
