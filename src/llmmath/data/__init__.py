"""Data the book reads from installed packages: GloVe, the MiniLM weights, the corpus."""

from .minilm import minilm_path, load_minilm

__all__ = [
    "minilm_path",
    "load_minilm",
]
