"""The shape of the library: what `import llmmath` loads, where every public name lives,
and that each idea has one implementation (no private reach-ins across modules)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import llmmath

SRC = Path(llmmath.__file__).parent
SUBPACKAGES = ["linalg", "embeddings", "prob", "lm", "optim", "nn", "data"]


def _run(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return proc.stdout.strip()


def test_import_llmmath_loads_neither_matplotlib_nor_ipywidgets():
    # A fresh interpreter: this test process has matplotlib loaded already.
    out = _run("import sys, llmmath; print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))")
    assert out == "[]"


def test_book_names_load_presentation_only_on_first_use():
    out = _run("import sys, llmmath; llmmath.use_book_style; print('matplotlib' in sys.modules)")
    assert out == "True"


def test_every_public_name_is_importable_from_llmmath():
    for name in llmmath.__all__:
        assert getattr(llmmath, name) is not None, name


@pytest.mark.parametrize("sub", SUBPACKAGES + ["book"])
def test_every_subpackage_name_is_exported_at_the_top(sub):
    module = importlib.import_module(f"llmmath.{sub}")
    missing = [n for n in module.__all__ if n not in llmmath.__all__]
    assert not missing, f"llmmath.{sub} names missing from llmmath.__all__: {missing}"
    for name in module.__all__:
        assert getattr(llmmath, name) is getattr(module, name), name


def test_no_name_is_exported_by_two_subpackages():
    seen: dict[str, str] = {}
    for sub in SUBPACKAGES + ["book"]:
        for name in importlib.import_module(f"llmmath.{sub}").__all__:
            assert name not in seen, f"{name} is exported by llmmath.{seen[name]} and llmmath.{sub}"
            seen[name] = sub


@pytest.mark.parametrize("sub, names", [
    ("linalg", ["naive_matmul", "matmul_op_count", "MatmulOps", "plot_linear_map"]),
    ("embeddings", ["load_glove"]),
])
def test_moved_names_still_import_from_their_old_subpackage(sub, names):
    # Names that moved to llmmath.book or llmmath.data are forwarded, so chapters keep working.
    module = importlib.import_module(f"llmmath.{sub}")
    for name in names:
        assert getattr(module, name) is getattr(llmmath, name)


def _modules():
    return sorted(m.name for m in pkgutil.walk_packages(llmmath.__path__, prefix="llmmath."))


@pytest.mark.parametrize("name", _modules())
def test_modules_stay_small(name):
    path = Path(importlib.import_module(name).__file__)
    assert len(path.read_text().splitlines()) <= 450, f"{name} has grown past a module a reader can hold"


def _imports(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            yield node


@pytest.mark.parametrize("name", _modules())
def test_no_private_reach_ins_across_modules(name):
    # `from .other import _helper` couples two modules through a name neither promises;
    # shared helpers live in a module of their own under a public name.
    path = Path(importlib.import_module(name).__file__)
    bad = [f"{'.' * n.level}{n.module or ''}.{a.name}" for n in _imports(path) for a in n.names
           if a.name.startswith("_") and a.name != "__version__"]
    assert not bad, f"{name} imports private names {bad}"


def test_no_private_method_calls_on_library_objects():
    # The old analogies module called WordVectors._answer; nothing calls another object's
    # private method now (self._x and cls._x are a class's own business).
    offenders = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                    and isinstance(node.value, ast.Name) and node.value.id not in ("self", "cls", "np", "mpl")):
                offenders.append(f"{path.relative_to(SRC)}: {node.value.id}.{node.attr}")
    assert not offenders, offenders


def test_one_top_k_routine():
    # Partial sorts for "the k best" live in llmmath.embeddings.ranking only.
    users = sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
                   if "argpartition" in p.read_text() or "np.partition" in p.read_text())
    assert users == ["embeddings/ranking.py"]


def test_one_qr_sign_fix():
    # Making R's diagonal positive is llmmath.linalg.positive_diagonal, used by the rest.
    users = sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if "np.sign(np.diag(" in p.read_text())
    assert users == []


def test_the_math_never_imports_matplotlib():
    for path in SRC.rglob("*.py"):
        if path.parent.name == "book":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] in ("matplotlib", "ipywidgets") for n in names), \
                f"{path.relative_to(SRC)} imports {names}"
