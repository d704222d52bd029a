"""Shared fixtures: the executed chapters and the built book, each made once per session.

Markers are applied here from what a test uses, so the fast loops work:
``pytest -m "not notebook"`` (library only) and ``pytest -m "not browser"``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Hypothesis keeps its files (unicode tables, constants) under _build/ like every other tool
# cache; set before hypothesis is imported, and inherited by subprocesses.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(ROOT / "_build" / ".hypothesis"))

from hypothesis import HealthCheck, settings  # noqa: E402
from hypothesis.configuration import set_hypothesis_home_dir  # noqa: E402

set_hypothesis_home_dir(os.environ["HYPOTHESIS_STORAGE_DIRECTORY"])
sys.path.insert(0, str(ROOT / "scripts"))

import bookcache  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() == "true"
# Executing every chapter (twice, for determinism) and building the book take minutes;
# bookcache bounds each chapter's cells itself, so this only catches a hang outside them.
BOOK_TEST_TIMEOUT_S = 2400
# A hidden folder holding Markdown, made in the book's root while the book builds: the
# build must ignore it as it must ignore .pytest_cache, .hypothesis, .github or a venv.
HIDDEN_PROBE = ROOT / ".llmmath-hidden-probe"
# Files whose every test needs executed chapters or the built book.
BOOK_TEST_FILES = ("test_notebooks.py", "test_book.py", "test_browser.py")

# Property tests are derandomized (which also means no example database) so that a run is
# reproducible and CI cannot flake.
settings.register_profile("llmmath", derandomize=True, deadline=None, max_examples=60,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("llmmath")


def pytest_collection_modifyitems(config, items):
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if item.path.name == "test_browser.py":
            item.add_marker(pytest.mark.browser)
        # By file too: a test may reach the book through request.getfixturevalue.
        if used & {"executed_notebooks", "built_book"} or item.path.name in BOOK_TEST_FILES:
            item.add_marker(pytest.mark.notebook)
            item.add_marker(pytest.mark.timeout(BOOK_TEST_TIMEOUT_S))
        if "built_book" in used or item.path.name in ("test_book.py", "test_browser.py"):
            item.add_marker(pytest.mark.slow)


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
    # as `make book` does: Sphinx reads the cache holding its lock, so no execution clears it meanwhile
    cmd = [sys.executable, str(ROOT / "scripts" / "bookcache.py"), "--under-lock",
           str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT), "-W", "-n", "--keep-going"]
    HIDDEN_PROBE.mkdir(exist_ok=True)
    (HIDDEN_PROBE / "README.md").write_text("# Not part of the book\n\nA hidden folder's page.\n")
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    finally:
        shutil.rmtree(HIDDEN_PROBE, ignore_errors=True)
    return {"returncode": proc.returncode, "log": proc.stdout + proc.stderr,
            "html": ROOT / "_build" / "html"}


@pytest.fixture(scope="session")
def html_dir(request) -> Path:
    """The built book's html folder; LLMMATH_BOOK_HTML points at one built elsewhere."""
    given = os.environ.get("LLMMATH_BOOK_HTML")
    if given:
        return Path(given)
    built = request.getfixturevalue("built_book")
    if built["returncode"] != 0:
        pytest.fail("the book did not build; see test_book.py::test_book_builds_with_warnings_as_errors")
    return built["html"]
