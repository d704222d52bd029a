"""What only the book needs: the figure style, explorers, teaching demos.

Nothing here is imported by ``import llmmath``: the math stays free of
matplotlib and ipywidgets, and these names load on first use.
"""

from .explorer import Explorer, Param, explore
from .style import BOOK_COLORS, use_book_style

__all__ = ["BOOK_COLORS", "Explorer", "Param", "explore", "use_book_style"]
