"""Presentation helpers for Part II: a training progress bar and the chapters' recurring plots.

Nothing here computes a language model; the models live in :mod:`llmmath.lm`.
"""

from __future__ import annotations

import html

import numpy as np

__all__ = ["ProgressBar", "plot_zipf", "plot_next_word"]


class ProgressBar:
    """A progress bar for :meth:`llmmath.lm.NeuralLM.fit`, as its ``callback``.

    In JupyterLab it is an HTML ``<progress>`` element updated in place
    (through an IPython display handle); the executed notebook keeps its last
    state, so the static book shows the finished bar with the final loss. It
    shows no times, so executing twice prints the same text. Outside IPython
    it prints one line per epoch.

    Examples
    --------
    >>> from llmmath.book import ProgressBar
    >>> bar = ProgressBar(epochs=1, label="training")
    >>> bar(0, 10, 10, 4.5)
    training: epoch 1/1, batch 10/10, mean loss 4.500
    """

    def __init__(self, epochs: int, label: str = "training"):
        self.epochs, self.label = int(epochs), label
        self._handle = None
        try:
            from IPython import get_ipython

            self._live = get_ipython() is not None and hasattr(get_ipython(), "kernel")
        except ImportError:  # pragma: no cover - IPython comes with the book extra
            self._live = False

    def _html(self, done: float, text: str) -> str:
        return (f'<div class="llm-progress"><progress value="{done:.4f}" max="1" '
                f'style="width: 60%"></progress> <code>{html.escape(text)}</code></div>')

    def __call__(self, epoch: int, batch: int, n_batches: int, loss: float) -> None:
        text = (f"{self.label}: epoch {epoch + 1}/{self.epochs}, batch {batch}/{n_batches}, "
                f"mean loss {loss:.3f}")
        done = (epoch + batch / n_batches) / self.epochs
        if not self._live:
            if batch == n_batches:
                print(text)
            return
        from IPython.display import HTML, display

        page = HTML(self._html(done, text))
        if self._handle is None:
            self._handle = display(page, display_id=True)
        else:
            self._handle.update(page)


def plot_zipf(ax, freqs: np.ndarray, exponent: float, constant: float, fit_range: tuple[int, int]):
    """Rank-frequency on log-log axes with the fitted line :math:`f = C r^{-s}` over ``fit_range``."""
    ranks = np.arange(1, len(freqs) + 1)
    # Some 400 log-spaced ranks: the same picture as all of them, in a light SVG.
    shown = np.unique(np.geomspace(1, len(freqs), 400).astype(int)) - 1
    ax.loglog(ranks[shown], freqs[shown], ".", markersize=3, color="#0072B2",
              label="words of the training plays")
    lo, hi = fit_range
    r = np.geomspace(lo, hi, 50)
    ax.loglog(r, constant * r ** (-exponent), "-", color="#D55E00", linewidth=2,
              label=f"fit on ranks {lo}-{hi}: exponent s = {exponent:.2f}")
    ax.set_xlabel("rank r (1 = most frequent word)")
    ax.set_ylabel("count f(r)")
    ax.legend(loc="lower left")
    return ax


def plot_next_word(ax, words, probs, kept=None, title: str = ""):
    """Bars of a next-word distribution; bars outside ``kept`` drawn grey."""
    probs = np.asarray(probs)
    kept = np.ones(len(probs), dtype=bool) if kept is None else np.asarray(kept)
    colors = np.where(kept, "#0072B2", "#BBBBBB")
    ax.bar(range(len(probs)), probs, color=colors)
    ax.set_xticks(range(len(probs)), words, rotation=60, ha="right", fontsize=9)
    ax.set_ylabel("probability")
    ax.set_title(title, fontsize=10)
    return ax
