"""llmmath: the mathematics of large language models, in small readable numpy code.

The library behind the llmmath book. Each module holds one idea; every public
function states its mathematics in its docstring and is checked against an
independent reference in the test suite.
"""

# Each subpackage follows a part of the book; every public name is also here.
from . import data, embeddings, linalg, lm, nn, optim, prob
from .data import *  # noqa: F403
from .embeddings import *  # noqa: F403
from .linalg import *  # noqa: F403
from .lm import *  # noqa: F403
from .nn import *  # noqa: F403
from .optim import *  # noqa: F403
from .prob import *  # noqa: F403

__version__ = "0.1.0"

# Presentation (matplotlib, ipywidgets) loads only when a chapter asks for it. Its
# names are read from llmmath/book/__init__.py's __all__ without importing it.
def _book_names() -> tuple[str, ...]:
    import ast
    from pathlib import Path

    tree = ast.parse((Path(__file__).parent / "book" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return tuple(ast.literal_eval(node.value))
    raise ImportError("llmmath/book/__init__.py must define __all__ as a literal list")


_BOOK_NAMES = _book_names()


def __getattr__(name: str):
    if name in _BOOK_NAMES or name == "book":
        import importlib

        book = importlib.import_module(".book", __name__)
        return book if name == "book" else getattr(book, name)
    raise AttributeError(f"module 'llmmath' has no attribute {name!r}")


__all__ = sorted(
    {*data.__all__, *embeddings.__all__, *linalg.__all__, *lm.__all__, *nn.__all__,
     *optim.__all__, *prob.__all__, *_BOOK_NAMES}
)
