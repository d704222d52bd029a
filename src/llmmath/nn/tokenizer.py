r"""BERT's WordPiece tokenizer, from a ``vocab.txt``: text to token ids.

Two stages (Devlin et al., 2019; Wu et al., 2016):

1. *Basic tokenization* (uncased): drop control characters and turn every
   whitespace character into a space; put spaces around each CJK ideograph
   (Chinese characters get no word boundaries from spaces); lower-case; strip
   accents (Unicode NFD, then drop combining marks); split on whitespace and
   split every punctuation character off as its own word.
2. *WordPiece*: each word is cut greedily into the longest prefix in the
   vocabulary, then the longest continuation piece (written ``##piece``), and
   so on; a word that cannot be cut, or is longer than 100 characters, becomes
   ``[UNK]``.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np

from .._validation import check_positive

__all__ = ["WordPieceTokenizer"]

# The CJK Unified Ideographs blocks BERT treats as one-character words.
_CJK_RANGES = (
    (0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F),
)


def _is_cjk(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _CJK_RANGES)


def _is_whitespace(ch: str) -> bool:
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def _is_control(ch: str) -> bool:
    return ch not in "\t\n\r" and unicodedata.category(ch).startswith("C")


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    # All non-alphanumeric ASCII counts ("$", "^", "`" are not Unicode punctuation).
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


class WordPieceTokenizer:
    r"""Uncased BERT WordPiece tokenization with a given vocabulary.

    Parameters
    ----------
    vocab : str or pathlib.Path or list of str
        A ``vocab.txt`` (one token per line, the line number is the id) or the
        list of tokens itself.
    max_length : int, default 256
        Longest id sequence :meth:`encode` returns, ``[CLS]`` and ``[SEP]``
        included (all-MiniLM-L6-v2 truncates at 256).

    Examples
    --------
    >>> from llmmath import WordPieceTokenizer
    >>> tok = WordPieceTokenizer(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##believ", "##able", "!"])
    >>> tok.tokenize("Unbelievable!")
    ['un', '##believ', '##able', '!']
    >>> tok.encode("Unbelievable!")
    [2, 4, 5, 6, 7, 3]
    """

    max_chars_per_word = 100

    def __init__(self, vocab, max_length: int = 256):
        if isinstance(vocab, (str, Path)):
            tokens = Path(vocab).read_text(encoding="utf-8").split("\n")
            if tokens and tokens[-1] == "":
                tokens.pop()
        elif isinstance(vocab, (list, tuple)) and all(isinstance(t, str) for t in vocab):
            tokens = list(vocab)
        else:
            raise TypeError(f"vocab must be a path to vocab.txt or a list of str, got {type(vocab).__name__}")
        self.vocab: dict[str, int] = {t: i for i, t in enumerate(tokens)}
        for special in ("[UNK]", "[CLS]", "[SEP]", "[PAD]"):
            if special not in self.vocab:
                raise ValueError(f"vocab must contain the special token {special}")
        self.tokens = tokens
        self.max_length = check_positive(max_length, "max_length", integer=True)
        if self.max_length < 2:
            raise ValueError(f"max_length must be at least 2 (room for [CLS] and [SEP]), got {max_length}")

    def __len__(self) -> int:
        return len(self.tokens)

    # ------------------------------------------------------------ stage 1
    def basic_tokenize(self, text: str) -> list[str]:
        """Clean, lower-case, strip accents, split on spaces and punctuation."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        chars = []
        for ch in text:
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or _is_control(ch):
                continue
            if _is_whitespace(ch):
                chars.append(" ")
            elif _is_cjk(cp):
                chars.append(f" {ch} ")
            else:
                chars.append(ch)
        text = unicodedata.normalize("NFD", "".join(chars).lower())
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
        words = []
        for word in text.split():
            start = 0
            for i, ch in enumerate(word):
                if _is_punctuation(ch):
                    if i > start:
                        words.append(word[start:i])
                    words.append(ch)
                    start = i + 1
            if start < len(word):
                words.append(word[start:])
        return words

    # ------------------------------------------------------------ stage 2
    def wordpiece(self, word: str) -> list[str]:
        """Greedy longest-match pieces of one word, or ``["[UNK]"]``."""
        if len(word) > self.max_chars_per_word:
            return ["[UNK]"]
        pieces, start = [], 0
        while start < len(word):
            for end in range(len(word), start, -1):
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    break
            else:
                return ["[UNK]"]
            pieces.append(piece)
            start = end
        return pieces

    def tokenize(self, text: str) -> list[str]:
        """The word pieces of ``text`` (no special tokens, no truncation)."""
        return [p for w in self.basic_tokenize(text) for p in self.wordpiece(w)]

    def encode(self, text: str) -> list[int]:
        """``[CLS]`` + ids of the pieces + ``[SEP]``, truncated to ``max_length``."""
        ids = [self.vocab[p] for p in self.tokenize(text)][: self.max_length - 2]
        return [self.vocab["[CLS]"], *ids, self.vocab["[SEP]"]]

    def batch(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Encode and pad to the longest: ids ``(b, n)`` int64 and the mask ``(b, n)``, True = real token."""
        if isinstance(texts, str) or not all(isinstance(t, str) for t in texts):
            raise TypeError("texts must be a list of str")
        encoded = [self.encode(t) for t in texts]
        n = max((len(e) for e in encoded), default=0)
        ids = np.full((len(encoded), n), self.vocab["[PAD]"], dtype=np.int64)
        for row, e in zip(ids, encoded):
            row[: len(e)] = e
        mask = np.arange(n) < np.array([len(e) for e in encoded], dtype=np.int64)[:, None]
        return ids, mask

    def decode(self, ids) -> list[str]:
        """The tokens of a list of ids."""
        return [self.tokens[int(i)] for i in ids]
