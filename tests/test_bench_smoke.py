"""The benchmark rows of benchmarks/run.py, once each on tiny sizes, so that they cannot rot.

Correctness only: the rows' own checks (answers agree with the reference,
float32 stays float32, counts as promised) must hold. Nothing here looks at a
time or a speed ratio, which on tiny inputs mean nothing.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


@pytest.fixture(scope="module")
def run():
    spec = importlib.util.spec_from_file_location("llmmath_bench_run", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _check(rows, n_rows):
    assert len(rows) == n_rows
    for row in rows:
        assert row.checks or row.name in ("attention memory", "bisection")
        assert not row.failed_checks, f"{row.name}: {row.failed_checks}"
        assert row.measured and row.goal


def test_attention_rows(run):
    pytest.importorskip("torch")
    rows = run.bench_attention(sizes=(16, 48), goal_n=48, mem_n=128, repeats=1, min_time=0.0, settle=0.0)
    _check(rows, 5)
    # Float32 work allocates half of what float64 work does: no float64 temporaries.
    assert rows[-1].met, rows[-1].measured


def test_softmax_row(run):
    _check(run.bench_softmax(shape=(8, 33), repeats=1, min_time=0.0), 1)


def test_pca_row(run):
    pytest.importorskip("sklearn")
    rows = run.bench_pca(n=300, d=20, k=5, repeats=1, min_time=0.0, settle=0.0)
    _check(rows, 1)


def test_analogies_row(run):
    pytest.importorskip("gensim")
    rows = run.bench_analogies(restrict_vocab=2000, n_words=3000, repeats=1, max_questions=400)
    _check(rows, 1)
    assert "0 answers differ" in rows[0].measured


def test_bisection_row(run):
    rows = run.bench_bisection(tol=1e-9, repeats=1)
    _check(rows, 1)
    assert rows[0].met, rows[0].measured  # iteration and call counts, not time


def test_table_renders(run):
    rows = run.bench_bisection(tol=1e-6, repeats=1)
    text = run.table(rows)
    assert text.count("\n") == 3 and "| bisection |" in text and ("PASS" in text or "MISS" in text)
