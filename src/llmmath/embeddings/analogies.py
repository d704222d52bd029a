r"""Analogy questions by relation type, and the 3CosAdd rule with its baselines.

An analogy question "*a* is to *b* as *c* is to *d*" is made from two pairs of
words that stand in the same relation, for example (athens, greece) and
(paris, france). :data:`RELATIONS` holds a few hundred such pairs in nine
relations, all among the 30 000 most frequent words of GloVe 6B;
:func:`analogy_questions` turns them into every question they allow.

:func:`offset_answers` answers questions with any weighted combination of the
three query vectors, so that 3CosAdd (Mikolov et al., 2013) and the baselines
of Linzen (2016) ("only *c*", "ignore *a*", no exclusion of the query words)
are one function. :func:`offset_consistency` measures how parallel the offsets
:math:`\hat{\mathbf{v}}_b - \hat{\mathbf{v}}_a` of a relation are, which is
what 3CosAdd relies on.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

import numpy as np

from .._validation import as_float_array, check_bool
from .offsets import AnalogyAnswers, answer_by_offset
from .similarity import mean_pairwise_cosine
from .wordvectors import WordVectors

__all__ = ["RELATIONS", "analogy_questions", "offset_answers", "accuracy_by_relation",
           "offset_consistency"]


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(tuple(p.split()) for p in text.split("|"))  # type: ignore[misc]


#: Relation name -> pairs ``(x, y)`` with ``y`` standing to ``x`` in that relation.
#: All words are lower case and among GloVe 6B's 30 000 most frequent words;
#: within a relation no word appears twice, so every question has an answer that
#: is not one of its query words. Read-only.
#:
#: :meta hide-value:
RELATIONS: Mapping[str, tuple[tuple[str, str], ...]] = MappingProxyType({
    "capital-country": _pairs(
        "athens greece|paris france|berlin germany|rome italy|madrid spain|lisbon portugal|"
        "london britain|dublin ireland|vienna austria|brussels belgium|oslo norway|stockholm sweden|"
        "helsinki finland|copenhagen denmark|warsaw poland|budapest hungary|moscow russia|"
        "ankara turkey|cairo egypt|tehran iran|baghdad iraq|damascus syria|kabul afghanistan|"
        "tokyo japan|beijing china|bangkok thailand|hanoi vietnam|nairobi kenya|ottawa canada|"
        "canberra australia"),
    "country-nationality": _pairs(
        "france french|germany german|italy italian|spain spanish|portugal portuguese|greece greek|"
        "britain british|ireland irish|netherlands dutch|switzerland swiss|sweden swedish|"
        "norway norwegian|denmark danish|finland finnish|poland polish|russia russian|"
        "ukraine ukrainian|turkey turkish|egypt egyptian|israel israeli|iran iranian|iraq iraqi|"
        "pakistan pakistani|india indian|china chinese|japan japanese|korea korean|"
        "vietnam vietnamese|canada canadian|mexico mexican"),
    "male-female": _pairs(
        "man woman|boy girl|king queen|prince princess|brother sister|father mother|son daughter|"
        "husband wife|uncle aunt|nephew niece|grandfather grandmother|grandson granddaughter|"
        "he she|his her|himself herself|actor actress|waiter waitress|emperor empress|dad mom|"
        "boys girls|men women|brothers sisters|sons daughters|kings queens|groom bride|"
        "gentleman lady|monk nun|stepfather stepmother|male female|fathers mothers"),
    "singular-plural": _pairs(
        "car cars|dog dogs|city cities|child children|house houses|country countries|book books|"
        "year years|day days|family families|foot feet|tooth teeth|knife knives|leaf leaves|"
        "student students|problem problems|computer computers|bird birds|horse horses|"
        "church churches|box boxes|eye eyes|hand hands|idea ideas|game games|bank banks|"
        "school schools|mouse mice|woman women|person people"),
    "adjective-comparative": _pairs(
        "good better|bad worse|big bigger|small smaller|large larger|high higher|low lower|"
        "long longer|short shorter|fast faster|slow slower|strong stronger|weak weaker|"
        "young younger|old older|easy easier|hard harder|cheap cheaper|rich richer|poor poorer|"
        "warm warmer|cold colder|tall taller|deep deeper|wide wider|heavy heavier|quick quicker|"
        "safe safer|great greater|close closer"),
    "verb-past": _pairs(
        "go went|see saw|take took|give gave|make made|come came|run ran|eat ate|write wrote|"
        "speak spoke|know knew|think thought|buy bought|sell sold|find found|lose lost|win won|"
        "play played|walk walked|say said|tell told|leave left|begin began|bring brought|"
        "fall fell|grow grew|sing sang|drive drove|swim swam|fly flew"),
    "adjective-adverb": _pairs(
        "quick quickly|slow slowly|careful carefully|easy easily|sudden suddenly|rapid rapidly|"
        "usual usually|recent recently|final finally|actual actually|certain certainly|"
        "clear clearly|complete completely|direct directly|exact exactly|free freely|"
        "general generally|happy happily|honest honestly|immediate immediately|late lately|"
        "main mainly|near nearly|obvious obviously|perfect perfectly|quiet quietly|rare rarely|"
        "serious seriously|strong strongly|typical typically"),
    "adjective-opposite": _pairs(
        "possible impossible|known unknown|likely unlikely|certain uncertain|fair unfair|"
        "aware unaware|able unable|usual unusual|clear unclear|happy unhappy|"
        "necessary unnecessary|popular unpopular|stable unstable|legal illegal|"
        "responsible irresponsible|relevant irrelevant|honest dishonest|"
        "comfortable uncomfortable|correct incorrect|complete incomplete|"
        "acceptable unacceptable|conscious unconscious|fortunate unfortunate|"
        "employed unemployed|official unofficial|limited unlimited|expected unexpected|"
        "rational irrational|competent incompetent|visible invisible"),
    "country-currency": _pairs(
        "japan yen|china yuan|india rupee|russia ruble|britain pound|mexico peso|thailand baht|"
        "switzerland franc|turkey lira|nigeria naira|vietnam dong|indonesia rupiah|"
        "malaysia ringgit|korea won|brazil real|america dollar|germany mark|bangladesh taka|"
        "venezuela bolivar|peru sol|armenia dram"),
})


def _check_relation(label: str, pairs, *, distinct: bool = True) -> tuple[tuple[str, str], ...]:
    """Validate the pairs of one relation; ``label`` names the argument in messages."""
    if isinstance(pairs, (str, bytes, Mapping)) or not isinstance(pairs, Iterable):
        raise TypeError(f"{label} must be a sequence of (word, word) pairs, got {pairs!r}")
    checked = []
    for pair in pairs:
        if (isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2
                or not all(isinstance(w, str) and w for w in pair)):
            raise ValueError(f"{label} must hold pairs of two non-empty words, got {pair!r}")
        if pair[0] == pair[1]:
            raise ValueError(f"{label} pairs a word with itself: {tuple(pair)!r}")
        checked.append((pair[0], pair[1]))
    if len(checked) < 2:
        raise ValueError(f"{label} needs at least two pairs, got {len(checked)}")
    words = [w for pair in checked for w in pair]
    repeated = sorted({w for w in words if words.count(w) > 1})
    if distinct and repeated:
        raise ValueError(
            f"{label} uses {repeated} in more than one pair: a question would then have "
            "its answer among its excluded query words")
    return tuple(checked)


def analogy_questions(relations=None) -> list[tuple[str, str, str, str, str]]:
    r"""Every analogy question that the pairs of each relation allow.

    For a relation with pairs :math:`(x_1, y_1), \dots, (x_n, y_n)`, each
    ordered choice of two distinct pairs :math:`i \ne j` gives the question
    ":math:`x_i` is to :math:`y_i` as :math:`x_j` is to :math:`y_j`", so a
    relation of :math:`n` pairs yields :math:`n(n-1)` questions.

    Parameters
    ----------
    relations : None, str, sequence of str, or mapping of str to pairs
        Which relations: None for all of :data:`RELATIONS`; a name or list of
        names from it; or a mapping ``name -> [(x, y), ...]`` of your own.

    Returns
    -------
    list of (str, str, str, str, str)
        Questions ``(a, b, c, d, relation)``, relation by relation, in a fixed order.

    Raises
    ------
    KeyError
        For a relation name not in :data:`RELATIONS`.
    TypeError
        For ``relations`` of another type, or names that are not strings.
    ValueError
        For a relation with fewer than two pairs, a malformed pair, or a word
        used in two pairs of one relation.

    Examples
    --------
    >>> from llmmath.embeddings import analogy_questions
    >>> qs = analogy_questions({"toy": [("athens", "greece"), ("paris", "france")]})
    >>> qs
    [('athens', 'greece', 'paris', 'france', 'toy'), ('paris', 'france', 'athens', 'greece', 'toy')]
    >>> len(analogy_questions("capital-country"))  # 30 pairs: 30 * 29
    870
    """
    if relations is None:
        chosen: Mapping = RELATIONS
    elif isinstance(relations, Mapping):
        chosen = relations
    else:
        names = [relations] if isinstance(relations, str) else relations
        if not isinstance(names, Iterable):
            raise TypeError(f"relations must be None, a name, a list of names or a mapping, got {relations!r}")
        names = list(names)
        if not names:
            raise ValueError("relations must name at least one relation")
        for n in names:
            if not isinstance(n, str):
                raise TypeError(f"relations must hold relation names (str), got {n!r}")
            if n not in RELATIONS:
                raise KeyError(f"relations: unknown relation {n!r}; known: {list(RELATIONS)}")
        chosen = {n: RELATIONS[n] for n in dict.fromkeys(names)}
    questions = []
    for name, pairs in chosen.items():
        if not isinstance(name, str):
            raise TypeError(f"relations must be keyed by relation names (str), got {name!r}")
        checked = _check_relation(f"relations[{name!r}]", pairs)
        questions += [(a, b, c, d, name) for (a, b), (c, d) in itertools.permutations(checked, 2)]
    return questions


def _check_weights(weights) -> np.ndarray:
    w = as_float_array(weights, "weights", ndim=1)
    if w.shape != (3,):
        raise ValueError(f"weights must hold three numbers (for a, b, c), got shape {w.shape}")
    if not np.any(w):
        raise ValueError("weights must not all be zero: the target vector would be undefined")
    return w


def offset_answers(wv: WordVectors, questions, *, weights=(-1.0, 1.0, 1.0), exclude_query: bool = True,
                   restrict_vocab: int = 30000, batch_size: int = 512) -> AnalogyAnswers:
    r"""Answer analogy questions with a weighted combination of the query vectors.

    With unit vectors :math:`\hat{\mathbf{v}}` and weights
    :math:`(\alpha, \beta, \gamma)`, the answer to "*a* is to *b* as *c* is to ?" is

    .. math::

        d^\star = \operatorname*{arg\,max}_{w \in V \setminus E}
        \hat{\mathbf{v}}_w \cdot \left(\alpha\,\hat{\mathbf{v}}_a + \beta\,\hat{\mathbf{v}}_b
        + \gamma\,\hat{\mathbf{v}}_c\right),

    where :math:`V` is the ``restrict_vocab`` most frequent words and
    :math:`E = \{a, b, c\}` if ``exclude_query`` else :math:`\emptyset`.
    The default weights :math:`(-1, 1, 1)` give 3CosAdd, as in
    :meth:`llmmath.embeddings.WordVectors.answer_analogies` (the target's norm does
    not change the arg max, so a dot product ranks as the cosine does).
    :math:`(0, 0, 1)` is Linzen's "only *c*" baseline (the nearest neighbour of
    *c*), :math:`(0, 1, 1)` ignores *a*.

    Parameters
    ----------
    wv : WordVectors
        The embeddings, most frequent words first.
    questions : iterable of (a, b, c, d) or (a, b, c, d, label)
        Words, compared case-insensitively as in ``answer_analogies`` (a case
        variant of a query word is excluded too, one of *d* counts as correct);
        a fifth item (the relation, say) is ignored.
    weights : array_like, shape (3,), default (-1, 1, 1)
        :math:`(\alpha, \beta, \gamma)`, not all zero.
    exclude_query : bool, default True
        Whether *a*, *b* and *c* are barred from being the answer.
    restrict_vocab : int, default 30000
        Only the first words are candidates, and only questions inside them count.
    batch_size : int, default 512
        Questions per matrix product (bounds the memory used).

    Returns
    -------
    AnalogyAnswers
        Predictions, correctness and which questions were in the vocabulary.

    Raises
    ------
    TypeError
        If ``wv`` is not a WordVectors, or an argument has the wrong type.
    ValueError
        For a malformed question, weights that are not three finite numbers
        (or are all zero), or a non-positive ``restrict_vocab`` or ``batch_size``.

    Examples
    --------
    >>> from llmmath.data import load_glove
    >>> from llmmath.embeddings import offset_answers
    >>> wv = load_glove(n_words=30000)
    >>> offset_answers(wv, [("man", "king", "woman", "queen")]).predicted
    ['queen']
    >>> offset_answers(wv, [("man", "king", "woman", "queen")], exclude_query=False).predicted
    ['king']
    """
    if not isinstance(wv, WordVectors):
        raise TypeError(f"wv must be a WordVectors, got {type(wv).__name__}")
    w = _check_weights(weights)
    exclude_query = check_bool(exclude_query, "exclude_query")
    if isinstance(questions, (str, bytes)) or not isinstance(questions, Iterable):
        raise TypeError(f"questions must be an iterable of (a, b, c, d) tuples, got {questions!r}")
    qs = []
    for q in questions:
        if isinstance(q, (str, bytes)) or not isinstance(q, Sequence) or len(q) not in (4, 5) \
                or not all(isinstance(x, str) for x in q[:4]):
            raise ValueError(f"questions must be tuples (a, b, c, d) or (a, b, c, d, label) of words, got {q!r}")
        qs.append(tuple(q[:4]))
    # The same scoring, exclusion and case folding as WordVectors.answer_analogies.
    return answer_by_offset(wv.words, wv.unit, qs, weights=tuple(float(x) for x in w),
                            exclude_query=exclude_query, restrict_vocab=restrict_vocab,
                            batch_size=batch_size)


def accuracy_by_relation(answers: AnalogyAnswers, relations: Sequence[str]) -> dict[str, float]:
    r"""Accuracy of answered questions, relation by relation.

    .. math::

        \text{accuracy}(r) = \frac{\#\{\text{questions of } r \text{ answered correctly}\}}
        {\#\{\text{questions of } r \text{ in the vocabulary}\}}

    Parameters
    ----------
    answers : AnalogyAnswers
        From :func:`offset_answers` or ``WordVectors.answer_analogies``.
    relations : sequence of str, one per question
        The relation of each question (the fifth item of :func:`analogy_questions`).

    Returns
    -------
    dict of str to float
        Relations in order of first appearance; NaN where no question of a
        relation was in the vocabulary.

    Raises
    ------
    TypeError
        If ``answers`` is not an AnalogyAnswers or ``relations`` not a sequence.
    ValueError
        If ``relations`` does not have one label per question.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.embeddings import AnalogyAnswers, accuracy_by_relation
    >>> ans = AnalogyAnswers([("a", "b", "c", "d")] * 3, np.array([True, True, False]), ["d", "x", None],
    ...                      np.array([True, False, False]))
    >>> accuracy_by_relation(ans, ["r", "r", "s"])
    {'r': 0.5, 's': nan}
    """
    if not isinstance(answers, AnalogyAnswers):
        raise TypeError(f"answers must be an AnalogyAnswers, got {type(answers).__name__}")
    if isinstance(relations, str) or not isinstance(relations, Sequence):
        raise TypeError(f"relations must be a sequence of relation names, one per question, got {relations!r}")
    if len(relations) != len(answers.questions):
        raise ValueError(
            f"relations must have one label per question: {len(relations)} labels for "
            f"{len(answers.questions)} questions")
    labels = np.asarray(relations, dtype=object)
    out = {}
    for name in dict.fromkeys(relations):
        mask = labels == name
        n = int(answers.in_vocab[mask].sum())
        out[name] = float(answers.correct[mask].sum() / n) if n else float("nan")
    return out


def offset_consistency(wv: WordVectors, pairs) -> float:
    r"""How parallel the offsets of a relation are: their mean pairwise cosine.

    With offsets :math:`\mathbf{o}_i = \hat{\mathbf{v}}_{y_i} - \hat{\mathbf{v}}_{x_i}`
    for the pairs :math:`(x_i, y_i)`, :math:`i = 1, \dots, n`,

    .. math::

        C = \frac{2}{n(n-1)} \sum_{i < j} \cos(\mathbf{o}_i, \mathbf{o}_j) \in [-1, 1].

    :math:`C = 1` when every pair is related by the same direction, the case in
    which 3CosAdd is exact in direction; :math:`C \approx 0` when the offsets
    point every which way.

    Parameters
    ----------
    wv : WordVectors
        The embeddings.
    pairs : sequence of (str, str), at least two
        The pairs of one relation; every word must be in ``wv``.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        If ``wv`` is not a WordVectors or ``pairs`` not a sequence of pairs.
    ValueError
        For fewer than two pairs or a malformed pair.
    KeyError
        For a word not in ``wv``.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import WordVectors
    >>> from llmmath.embeddings import offset_consistency
    >>> wv = WordVectors(["a", "b", "c", "d"], np.array([[1.0, 0], [1, 1], [2, 0], [2, 2]]))
    >>> round(offset_consistency(wv, [("a", "b"), ("c", "d")]), 6)  # both offsets point the same way
    1.0
    """
    if not isinstance(wv, WordVectors):
        raise TypeError(f"wv must be a WordVectors, got {type(wv).__name__}")
    checked = _check_relation("pairs", pairs, distinct=False)
    x = np.array([wv.id(p[0]) for p in checked])
    y = np.array([wv.id(p[1]) for p in checked])
    offsets = wv.unit[y] - wv.unit[x]                           # shape (n, d)
    zero = ~np.any(offsets, axis=1)
    if zero.any():
        raise ValueError(f"pairs: {checked[int(np.argmax(zero))]!r} has a zero offset (same direction)")
    return mean_pairwise_cosine(offsets)

