"""What only the book needs: the figure style, explorers, figures, teaching demos.

Nothing here is imported by ``import llmmath``: the math stays free of
matplotlib and ipywidgets, and these names load on first use.
"""

from .explorer import Explorer, Param, explore
from .style import BOOK_COLORS, use_book_style
from .figures import plot_linear_map
from .demos import naive_matmul, matmul_op_count, MatmulOps
from .attnfigures import attention_heatmap, query_weights_figure, loglog_costs, gan_histogram
from .lmfigures import ProgressBar, plot_zipf, plot_next_word

__all__ = [
    "BOOK_COLORS",
    "Explorer",
    "Param",
    "explore",
    "use_book_style",
    "plot_linear_map",
    "naive_matmul",
    "matmul_op_count",
    "MatmulOps",
    "attention_heatmap",
    "query_weights_figure",
    "loglog_costs",
    "gan_histogram",
    "ProgressBar",
    "plot_zipf",
    "plot_next_word",
]
