"""Every chapter executes cleanly, and executing it twice prints the same text.

One test per chapter and property, so a failure names the chapter. The chapters
are executed once into the book's execution cache (see scripts/bookcache.py);
the book build then reuses those executions.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import bookcache
from conftest import IN_CI

NOTEBOOKS = bookcache.toc_notebooks()
IDS = [p.stem for p in NOTEBOOKS]
# Chapters slower than this are executed once only (the determinism check re-executes).
DETERMINISM_BUDGET_S = 30.0
TIMING_TAG = "timing"
TROUBLE = re.compile(r"\b\w*(Warning|Error):|Traceback \(most recent call last\)")


def _texts(output) -> list[str]:
    if output.get("output_type") == "stream":
        return [output.get("text", "")]
    data = output.get("data", {})
    return [data[m] for m in ("text/plain", "text/html", "text/markdown", "text/latex") if m in data]


def test_every_chapter_is_in_the_toc():
    on_disk = {p.resolve() for p in (bookcache.ROOT / "notebooks").glob("*.ipynb")}
    assert on_disk == {p.resolve() for p in NOTEBOOKS}, "every notebook must be a chapter of the book"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_chapter_is_stored_without_outputs(path: Path):
    nb = bookcache.read(path)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; store notebooks cleared"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_chapter_executes_without_errors_or_warnings(path: Path, executed_notebooks):
    result = executed_notebooks[path]
    assert result.error is None, f"{path.name} failed to execute:\n{result.error}"
    problems = []
    for i, cell in enumerate(result.notebook.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                problems.append(f"cell {i}: error {out.get('ename')}")
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                problems.append(f"cell {i}: stderr {out.get('text', '')[:300]!r}")
            else:
                for text in _texts(out):
                    if isinstance(text, str) and (m := TROUBLE.search(text)):
                        problems.append(f"cell {i}: {m.group(0)!r} in {text[:200]!r}")
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


def _text_outputs(nb) -> list:
    """The text a reader sees, per code cell, skipping cells tagged as timings."""
    seen = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or TIMING_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        texts: list[str] = []
        streams = {"stdout": "", "stderr": ""}
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                # A kernel may split one print into several chunks: compare the whole stream.
                streams[out.get("name", "stdout")] += out.get("text", "")
            else:
                texts += _texts(out)
        seen.append((i, texts + [streams["stdout"], streams["stderr"]]))
    return seen


@pytest.fixture(scope="session")
def fresh_runs(executed_notebooks):
    # Under CI nothing is skipped: every chapter is executed a second time.
    quick = [p for p, r in executed_notebooks.items()
             if r.error is None and (IN_CI or r.seconds < DETERMINISM_BUDGET_S)]
    return bookcache.execute(quick, jobs=os.cpu_count() or 1, fresh=True, store=False)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_chapter_is_deterministic(path: Path, executed_notebooks, fresh_runs):
    first = executed_notebooks[path]
    if first.error is not None:
        pytest.fail(f"{path.name} does not execute (see its execution test)")
    if path not in fresh_runs:
        pytest.skip(f"{path.name} takes {first.seconds:.0f} s, over the {DETERMINISM_BUDGET_S:.0f} s budget "
                    "for a second execution")
    second = fresh_runs[path]
    assert second.error is None, f"{path.name} failed on its second execution:\n{second.error}"
    a, b = _text_outputs(first.notebook), _text_outputs(second.notebook)
    diffs = [i for (i, x), (_, y) in zip(a, b) if x != y]
    assert not diffs, (f"{path.name}: text outputs differ between two executions in cells {diffs}; "
                       f"seed the randomness, or tag timing cells '{TIMING_TAG}'")
