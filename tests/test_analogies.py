"""llmmath.embeddings.analogies: the relation lists against GloVe, the question generator's counts,
offset_answers against gensim and against answer_analogies, properties by hypothesis,
and a table of bad inputs."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmmath import WordVectors, load_glove
from llmmath.embeddings.analogies import (
    RELATIONS,
    accuracy_by_relation,
    analogy_questions,
    offset_answers,
    offset_consistency,
)
from llmmath.embeddings import AnalogyAnswers


@pytest.fixture(scope="module")
def glove30k() -> WordVectors:
    return load_glove(n_words=30000)


# -- RELATIONS -------------------------------------------------------------------------

def test_every_word_is_in_glove_top_30000(glove30k):
    missing = {name: [w for pair in pairs for w in pair if w not in glove30k]
               for name, pairs in RELATIONS.items()}
    assert not any(missing.values()), f"words outside GloVe's 30 000 most frequent: {missing}"


@pytest.mark.parametrize("name", list(RELATIONS))
def test_relation_is_well_formed(name):
    pairs = RELATIONS[name]
    assert 15 <= len(pairs) <= 30, f"{name} has {len(pairs)} pairs"
    assert len(set(pairs)) == len(pairs), f"{name} has duplicate pairs"
    words = [w for pair in pairs for w in pair]
    assert len(set(words)) == len(words), f"{name} uses a word in two pairs"
    for x, y in pairs:
        assert x != y and x == x.lower() and y == y.lower() and x.isalpha() and y.isalpha()


def test_relations_are_read_only():
    with pytest.raises(TypeError):
        RELATIONS["new"] = (("a", "b"), ("c", "d"))  # type: ignore[index]


# -- analogy_questions -----------------------------------------------------------------

@pytest.mark.parametrize("name", list(RELATIONS))
def test_question_count_is_n_times_n_minus_one(name):
    n = len(RELATIONS[name])
    qs = analogy_questions(name)
    assert len(qs) == n * (n - 1)
    assert len(set(qs)) == len(qs)
    pairs = set(RELATIONS[name])
    for a, b, c, d, rel in qs:
        assert rel == name and (a, b) in pairs and (c, d) in pairs and (a, b) != (c, d)


def test_all_questions_are_the_union_of_the_relations():
    qs = analogy_questions()
    assert len(qs) == sum(len(p) * (len(p) - 1) for p in RELATIONS.values())
    assert [q[4] for q in qs] == [name for name, p in RELATIONS.items() for _ in range(len(p) * (len(p) - 1))]
    assert qs == analogy_questions(list(RELATIONS))


def test_questions_from_names_and_mappings_agree():
    names = ["male-female", "verb-past"]
    assert analogy_questions(names) == analogy_questions({n: RELATIONS[n] for n in names})
    assert analogy_questions("verb-past") == analogy_questions(["verb-past"])
    assert analogy_questions(["verb-past", "verb-past"]) == analogy_questions("verb-past")


def test_questions_of_a_custom_relation():
    qs = analogy_questions({"toy": [("a", "b"), ("c", "d"), ("e", "f")]})
    expected = [(p[0], p[1], q[0], q[1], "toy")
                for p, q in itertools.permutations([("a", "b"), ("c", "d"), ("e", "f")], 2)]
    assert qs == expected


@pytest.mark.parametrize("relations, error, match", [
    ("no-such-relation", KeyError, "unknown relation"),
    (["capital-country", "nope"], KeyError, "unknown relation"),
    ([], ValueError, "at least one"),
    (42, TypeError, "relations must be"),
    ([1, 2], TypeError, "relation names"),
    ({"r": [("a", "b")]}, ValueError, "at least two pairs"),
    ({"r": [("a", "b"), ("c",)]}, ValueError, "pairs of two"),
    ({"r": [("a", "b"), ("c", 3)]}, ValueError, "pairs of two"),
    ({"r": [("a", "b"), ("c", "")]}, ValueError, "pairs of two"),
    ({"r": [("a", "b"), ("c", "c")]}, ValueError, "with itself"),
    ({"r": [("a", "b"), ("c", "b")]}, ValueError, r"\['b'\] in more than one pair"),
    ({"r": [("a", "b"), ("b", "c")]}, ValueError, "more than one pair"),
    ({"r": "ab"}, TypeError, "sequence of"),
    ({"r": 5}, TypeError, "sequence of"),
    ({3: [("a", "b"), ("c", "d")]}, TypeError, "relation names"),
])
def test_analogy_questions_bad_input(relations, error, match):
    with pytest.raises(error, match=match):
        analogy_questions(relations)


# -- offset_answers ----------------------------------------------------------------------

def test_default_weights_match_answer_analogies(glove30k):
    qs = analogy_questions()[::7]
    ours = offset_answers(glove30k, qs, restrict_vocab=20000)
    theirs = glove30k.answer_analogies([q[:4] for q in qs], restrict_vocab=20000)
    assert ours.predicted == theirs.predicted
    np.testing.assert_array_equal(ours.in_vocab, theirs.in_vocab)
    np.testing.assert_array_equal(ours.correct, theirs.correct)


@pytest.mark.parametrize("weights", [(-1.0, 1.0, 1.0), (0.0, 0.0, 1.0), (-0.5, 1.0, 2.0), (0.3, 1.0, 0.7)])
def test_matches_gensim_most_similar(glove30k, weights):
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vector_size=glove30k.dim)
    kv.add_vectors(glove30k.words, glove30k.vectors)
    qs = analogy_questions()[::97]
    ours = offset_answers(glove30k, qs, weights=weights, restrict_vocab=30000)
    alpha, beta, gamma = weights
    for (a, b, c, d, _), predicted in zip(qs, ours.predicted):
        terms = [(a, alpha), (b, beta), (c, gamma)]
        positive = [t for t in terms if t[1] > 0]
        negative = [t for t in terms if t[1] < 0]
        if not positive:
            continue
        ref = kv.most_similar(positive=positive, negative=negative or None, topn=1)[0][0]
        assert predicted == ref, (a, b, c, weights)


def test_without_exclusion_matches_brute_force(glove30k):
    qs = analogy_questions()[::53]
    ours = offset_answers(glove30k, qs, exclude_query=False, restrict_vocab=10000)
    units = glove30k.vectors[:10000] / np.linalg.norm(glove30k.vectors[:10000], axis=1, keepdims=True)
    for q, predicted, ok in zip(qs, ours.predicted, ours.in_vocab):
        if not ok:
            assert predicted is None
            continue
        a, b, c = (glove30k.id(w) for w in q[:3])
        target = units[b] - units[a] + units[c]
        assert predicted == glove30k.words[int(np.argmax(units @ target))]


def test_king_queen_and_the_exclusion_rule(glove30k):
    q = [("man", "king", "woman", "queen", "male-female")]
    assert offset_answers(glove30k, q).predicted == ["queen"]
    assert offset_answers(glove30k, q, exclude_query=False).predicted == ["king"]


@pytest.mark.parametrize("seed", range(5))
def test_case_variants_are_handled_as_in_answer_analogies(seed):
    rng = np.random.default_rng(seed)
    words = ["king", "queen", "man", "woman", "King", "Queen", "MAN", "prince", "Woman", "princess"]
    wv = WordVectors(words, rng.standard_normal((len(words), 3)))
    qs = [("man", "king", "woman", "queen"), ("KING", "queen", "prince", "princess"),
          ("Man", "Woman", "king", "QUEEN")]
    ours, theirs = offset_answers(wv, qs, restrict_vocab=len(words)), wv.answer_analogies(qs, len(words))
    assert ours.predicted == theirs.predicted
    np.testing.assert_array_equal(ours.correct, theirs.correct)


def test_questions_outside_the_vocabulary_are_skipped(glove30k):
    qs = [("man", "king", "woman", "queen"), ("zloty", "poland", "yen", "japan")]
    ans = offset_answers(glove30k, qs, restrict_vocab=30000)
    assert ans.in_vocab.tolist() == [True, False] and ans.predicted[1] is None
    assert ans.n_evaluated == 1 and ans.accuracy == 1.0
    upper = offset_answers(glove30k, [("MAN", "King", "woman", "QUEEN")])
    assert upper.correct.tolist() == [True]


def test_float32_vectors_give_float32_work():
    wv = WordVectors(["a", "b", "c", "d", "e"], np.eye(5, dtype=np.float32)[:, :4] + 0.1)
    ans = offset_answers(wv, [("a", "b", "c", "d")])
    assert ans.predicted[0] in {"d", "e"}
    assert wv.unit.dtype == np.float32


finite = st.floats(-3, 3, allow_nan=False, allow_infinity=False)


@given(st.integers(0, 2**32 - 1), st.tuples(finite, finite, finite).filter(lambda w: any(abs(x) > 0.1 for x in w)),
       st.booleans())
def test_answers_are_invariant_to_rotation_and_row_scaling(seed, weights, exclude):
    rng = np.random.default_rng(seed)
    n, d = 40, 6
    vectors = rng.standard_normal((n, d))
    words = [f"w{i}" for i in range(n)]
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))          # a random orthogonal matrix
    scales = rng.uniform(0.1, 10.0, size=(n, 1))             # positive scaling of each word
    qs = [tuple(rng.choice(words, 4, replace=False)) for _ in range(25)]
    wv = WordVectors(words, vectors)
    base = offset_answers(wv, qs, weights=weights, exclude_query=exclude)
    moved = offset_answers(WordVectors(words, scales * vectors @ q.T), qs, weights=weights,
                           exclude_query=exclude)
    # Same answers, up to exact ties (weights (0, 1, 1) tie b with c): compare the scores.
    for (a, b, c, _), p1, p2 in zip(qs, base.predicted, moved.predicted):
        target = np.asarray(weights) @ wv.unit[[wv.id(a), wv.id(b), wv.id(c)]]
        np.testing.assert_allclose(wv.unit[wv.id(p2)] @ target, wv.unit[wv.id(p1)] @ target, atol=1e-9)


@given(st.integers(0, 2**32 - 1))
def test_excluded_words_are_never_answers(seed):
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(12)]
    wv = WordVectors(words, rng.standard_normal((12, 3)))
    qs = [tuple(rng.choice(words, 4, replace=False)) for _ in range(20)]
    ans = offset_answers(wv, qs)
    assert all(p not in q[:3] for p, q in zip(ans.predicted, qs))


@pytest.fixture(scope="module")
def toy() -> WordVectors:
    return WordVectors(["a", "b", "c", "d", "e"], np.arange(10.0).reshape(5, 2) + 1)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(wv=np.eye(3)), TypeError, "wv must be a WordVectors"),
    (dict(questions="abcd"), TypeError, "questions must be an iterable"),
    (dict(questions=5), TypeError, "questions must be an iterable"),
    (dict(questions=[("a", "b", "c")]), ValueError, "questions must be tuples"),
    (dict(questions=[("a", "b", "c", 4)]), ValueError, "questions must be tuples"),
    (dict(questions=["abcd"]), ValueError, "questions must be tuples"),
    (dict(weights=(1.0, 1.0)), ValueError, "weights must hold three"),
    (dict(weights=(0.0, 0.0, 0.0)), ValueError, "weights must not all be zero"),
    (dict(weights=(np.nan, 1.0, 1.0)), ValueError, "weights must contain only finite"),
    (dict(weights="abc"), TypeError, "weights must be array-like of real numbers"),
    (dict(exclude_query="yes"), TypeError, "exclude_query must be True or False"),
    (dict(restrict_vocab=0), ValueError, "restrict_vocab must be a positive integer"),
    (dict(restrict_vocab=2.5), TypeError, "restrict_vocab must be a positive integer"),
    (dict(batch_size=-1), ValueError, "batch_size must be a positive integer"),
])
def test_offset_answers_bad_input(toy, kwargs, error, match):
    args = dict(wv=toy, questions=[("a", "b", "c", "d")])
    args.update(kwargs)
    wv, questions = args.pop("wv"), args.pop("questions")
    with pytest.raises(error, match=match):
        offset_answers(wv, questions, **args)


# -- accuracy_by_relation ----------------------------------------------------------------

def test_accuracy_by_relation_agrees_with_overall_accuracy(glove30k):
    qs = analogy_questions()[::5]
    labels = [q[4] for q in qs]
    ans = offset_answers(glove30k, qs)
    per = accuracy_by_relation(ans, labels)
    assert list(per) == list(dict.fromkeys(labels))
    counts = {name: sum(1 for q, ok in zip(qs, ans.in_vocab) if q[4] == name and ok) for name in per}
    pooled = sum(per[n] * counts[n] for n in per) / sum(counts.values())
    np.testing.assert_allclose(pooled, ans.accuracy, rtol=1e-12)
    for name in per:
        idx = [i for i, q in enumerate(qs) if q[4] == name]
        np.testing.assert_allclose(per[name], np.mean([ans.correct[i] for i in idx]))


def test_accuracy_by_relation_is_nan_without_questions():
    ans = AnalogyAnswers([("a", "b", "c", "d")] * 2, np.array([True, False]), ["d", None], np.array([True, False]))
    per = accuracy_by_relation(ans, ["r", "s"])
    assert per["r"] == 1.0 and np.isnan(per["s"])


@pytest.mark.parametrize("answers, relations, error, match", [
    ("not answers", ["r"], TypeError, "answers must be an AnalogyAnswers"),
    (None, "r", TypeError, "relations must be a sequence"),
    (None, ["r", "s"], ValueError, "one label per question"),
])
def test_accuracy_by_relation_bad_input(answers, relations, error, match):
    if answers is None:
        answers = AnalogyAnswers([("a", "b", "c", "d")], np.array([True]), ["d"], np.array([True]))
    with pytest.raises(error, match=match):
        accuracy_by_relation(answers, relations)


# -- offset_consistency -------------------------------------------------------------------

def test_offset_consistency_closed_forms():
    # Offsets (0, 1), (0, 1) and (1, 0) in unit vectors: cosines 1, 0, 0, mean 1/3.
    e = np.eye(3)
    wv = WordVectors(["x1", "y1", "x2", "y2", "x3", "y3"],
                     np.array([e[0], (e[0] + e[1]) / np.sqrt(2), 2 * e[0], e[0] + e[1],
                               e[1], (e[1] + e[0]) / np.sqrt(2)]))
    pairs = [("x1", "y1"), ("x2", "y2"), ("x3", "y3")]
    o = wv.unit[[1, 3, 5]] - wv.unit[[0, 2, 4]]
    o = o / np.linalg.norm(o, axis=1, keepdims=True)
    expected = np.mean([o[0] @ o[1], o[0] @ o[2], o[1] @ o[2]])
    np.testing.assert_allclose(offset_consistency(wv, pairs), expected, rtol=1e-12)
    np.testing.assert_allclose(offset_consistency(wv, pairs[:2]), 1.0, rtol=1e-12)


def test_offset_consistency_against_scipy(glove30k):
    from scipy.spatial.distance import pdist

    pairs = RELATIONS["capital-country"]
    u = glove30k.unit.astype(np.float64)
    o = np.array([u[glove30k.id(y)] - u[glove30k.id(x)] for x, y in pairs])
    expected = np.mean(1.0 - pdist(o, metric="cosine"))
    np.testing.assert_allclose(offset_consistency(glove30k, pairs), expected, rtol=1e-5)


@pytest.mark.parametrize("pairs, error, match", [
    ([("a", "b")], ValueError, "at least two pairs"),
    ({"a": "b", "c": "d"}, TypeError, "pairs must be a sequence"),
    ([("a", "b"), ("c", "zzz")], KeyError, "'zzz' is not in the vocabulary"),
    ([("a", "a"), ("c", "d")], ValueError, "with itself"),
])
def test_offset_consistency_bad_input(toy, pairs, error, match):
    with pytest.raises(error, match=match):
        offset_consistency(toy, pairs)


def test_offset_consistency_needs_word_vectors():
    with pytest.raises(TypeError, match="wv must be a WordVectors"):
        offset_consistency({"a": 1}, [("a", "b"), ("c", "d")])
