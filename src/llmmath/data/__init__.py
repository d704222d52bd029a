"""Data the book reads from installed packages: GloVe, the MiniLM weights, the corpus."""

from .glove import load_glove
from .minilm import minilm_path, load_minilm
from .corpus import (Corpus, load_shakespeare, shakespeare_works, read_work, strip_gutenberg,
                     clean_work, tokenize, vocabulary, replace_rare, check_sentences)

__all__ = [
    "load_glove",
    "minilm_path",
    "load_minilm",
    "Corpus",
    "load_shakespeare",
    "shakespeare_works",
    "read_work",
    "strip_gutenberg",
    "clean_work",
    "tokenize",
    "vocabulary",
    "check_sentences",
    "replace_rare",
]
