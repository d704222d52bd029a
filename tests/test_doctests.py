"""Every docstring example in the library is true: the doctests of every llmmath module."""

from __future__ import annotations

import doctest
import importlib
import io
import pkgutil

import matplotlib
import pytest

import llmmath

MODULES = sorted(m.name for m in pkgutil.walk_packages(llmmath.__path__, prefix="llmmath."))


def test_every_module_is_collected():
    assert {"llmmath.prob.softmax", "llmmath.nn.attention", "llmmath.optim.roots", "llmmath.book.explorer"} <= set(MODULES)


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples(module_name):
    module = importlib.import_module(module_name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report = io.StringIO()
    with matplotlib.rc_context():  # an example may restyle matplotlib: keep that local
        for test in finder.find(module, module.__name__):
            runner.run(test, out=report.write)
    results = runner.summarize(verbose=False)
    assert results.failed == 0, f"{results.failed} doctest(s) failed in {module_name}:\n{report.getvalue()}"
