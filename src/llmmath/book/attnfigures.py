"""Figures for Part IV (attention, transformers, generative models): plotting only, no math."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .style import BOOK_COLORS, COLUMN_WIDTH_IN

__all__ = ["attention_heatmap", "query_weights_figure", "loglog_costs", "gan_histogram"]


def attention_heatmap(ax, weights, tokens, title: str = "", vmax: float | None = None, labels: bool = True):
    """Draw an (n, n) attention matrix: row = query, column = key."""
    w = np.asarray(weights)
    im = ax.imshow(w, cmap="viridis", vmin=0, vmax=w.max() if vmax is None else vmax, aspect="equal")
    ax.grid(False)
    n = len(tokens)
    if labels:
        ax.set_xticks(range(n), tokens, rotation=90, fontsize=9)
        ax.set_yticks(range(n), tokens, fontsize=9)
    else:
        ax.set_xticks([])
        ax.set_yticks([])
    ax.set_xlabel("key")
    ax.set_ylabel("query")
    if title:
        ax.set_title(title, fontsize=9)
    return im


def query_weights_figure(weights_row, tokens, query: int, title: str):
    """Bar chart of one query's attention weights over the keys."""
    fig, ax = plt.subplots(figsize=(COLUMN_WIDTH_IN, 2.8))
    colors = [BOOK_COLORS[3] if j == query else BOOK_COLORS[0] for j in range(len(tokens))]
    ax.bar(range(len(tokens)), weights_row, color=colors)
    ax.set_xticks(range(len(tokens)), tokens, rotation=60, fontsize=9)
    ax.set_ylim(0, 1)
    ax.set_ylabel("attention weight")
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return fig


def loglog_costs(ax, n, curves: dict, crossover: float | None = None, ylabel: str = "floating-point operations"):
    """Cost curves against sequence length on log-log axes, with an optional crossover line."""
    for (label, y), color in zip(curves.items(), BOOK_COLORS):
        ax.loglog(n, y, label=label, color=color)
    if crossover is not None:
        ax.axvline(crossover, color="0.5", linestyle=":", linewidth=1)
        ax.annotate(f"crossover n = {crossover:g}", (crossover, ax.get_ylim()[0]), xytext=(4, 8),
                    textcoords="offset points", fontsize=9, color="0.4")
    ax.set_xlabel("sequence length n")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=9, frameon=False)


def gan_histogram(ax, samples, grid, density, title: str = "", bins=None):
    """Histogram of generator samples over the data density."""
    bins = np.linspace(grid[0], grid[-1], 61) if bins is None else bins
    ax.hist(samples, bins=bins, density=True, color=BOOK_COLORS[0], alpha=0.6, label="generator")
    ax.plot(grid, density, color=BOOK_COLORS[3], label="data density")
    ax.set_xlim(grid[0], grid[-1])
    if title:
        ax.set_title(title, fontsize=9)
