"""WordVectors against gensim's KeyedVectors, on the real GloVe vectors."""

from __future__ import annotations

from pathlib import Path

import gensim
import numpy as np
import pytest
import sklearn.metrics.pairwise as skp
from gensim.models import KeyedVectors
from threadpoolctl import threadpool_limits

from llmmath import AnalogyAnswers, WordVectors, load_glove

N_WORDS = 20_000  # the GloVe words both libraries see
RESTRICT = 5_000  # the analogy candidates (gensim answers one question at a time: keep it quick)
QUESTIONS_WORDS = Path(gensim.__file__).parent / "test" / "test_data" / "questions-words.txt"


@pytest.fixture(scope="module")
def glove() -> WordVectors:
    return load_glove(n_words=N_WORDS)


@pytest.fixture(scope="module")
def keyed(glove) -> KeyedVectors:
    kv = KeyedVectors(vector_size=glove.dim, count=0, dtype=np.float32)
    kv.add_vectors(glove.words, glove.vectors)
    return kv


def read_questions(path: Path) -> list[tuple[str, str, str, str]]:
    questions = []
    for line in path.read_text().splitlines():
        if line.startswith(":") or not line.strip():
            continue
        questions.append(tuple(line.split()))
    return questions


@pytest.fixture
def rng():
    return np.random.default_rng(2014)


# --------------------------------------------------------------------------
# load_glove
# --------------------------------------------------------------------------

def test_load_glove_shape_order_and_dtype(glove):
    assert glove.vectors.shape == (N_WORDS, 50)
    assert glove.vectors.dtype == np.float32
    assert glove.words[:3] == ["the", ",", "."]
    assert len(glove) == N_WORDS and glove.dim == 50
    assert np.isfinite(glove.vectors).all()


def test_load_glove_is_cached_and_prefix_consistent(glove):
    assert load_glove(n_words=N_WORDS) is glove
    small = load_glove(n_words=100)
    assert small.words == glove.words[:100]
    np.testing.assert_array_equal(small.vectors, glove.vectors[:100])


# --------------------------------------------------------------------------
# Basics of WordVectors
# --------------------------------------------------------------------------

def test_lookup_and_container_protocol():
    vecs = np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 4.0]])
    wv = WordVectors(["a", "b", "c"], vecs)
    assert len(wv) == 3 and "b" in wv and "z" not in wv
    assert wv.id("c") == 2
    np.testing.assert_array_equal(wv["b"], [0.0, 2.0])
    np.testing.assert_allclose(wv.unit, vecs / np.linalg.norm(vecs, axis=1, keepdims=True), rtol=1e-15)
    assert "3 words" in repr(wv) and "d=2" in repr(wv)


def test_float32_stays_float32(glove):
    assert glove.unit.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(glove.unit[:1000], axis=1), 1.0, rtol=1e-6)
    wv = WordVectors(["x", "y"], np.array([[1, 2], [3, 4]]))  # integers become float64
    assert wv.vectors.dtype == np.float64


# --------------------------------------------------------------------------
# most_similar and analogy vs gensim
# --------------------------------------------------------------------------

@pytest.mark.parametrize("word", ["king", "paris", "computer", "river", "good"])
def test_most_similar_matches_gensim(glove, keyed, word):
    ours = glove.most_similar(word, k=10)
    ref = keyed.most_similar(word, topn=10)
    assert [w for w, _ in ours] == [w for w, _ in ref]
    np.testing.assert_allclose([s for _, s in ours], [s for _, s in ref], rtol=1e-5, atol=1e-6)
    assert word not in [w for w, _ in ours]


def test_most_similar_of_a_vector_matches_brute_force(glove, rng):
    query = rng.standard_normal(50)
    sims = skp.cosine_similarity(query[None, :], glove.vectors.astype(np.float64))[0]
    top = np.argsort(-sims, kind="stable")[:7]
    ours = glove.most_similar(query, k=7)
    assert [w for w, _ in ours] == [glove.words[i] for i in top]
    np.testing.assert_allclose([s for _, s in ours], sims[top], rtol=1e-5, atol=1e-6)


def test_most_similar_small_vocabulary_rules():
    wv = WordVectors(["up", "down", "left"], np.array([[0.0, 1.0], [0.0, -1.0], [-1.0, 0.1]]))
    got = wv.most_similar("left", k=100)  # more than there are: every other word, best first
    assert [w for w, _ in got] == ["up", "down"]
    assert got[0][1] == pytest.approx(0.1 / np.hypot(1.0, 0.1), rel=1e-12)
    ties = WordVectors(["a", "b", "c", "q"], np.array([[1.0, 1.0], [1.0, -1.0], [1.0, 1.0], [1.0, 0.0]]))
    # a and c tie with b: ties go to the more frequent (earlier) word
    assert [w for w, _ in ties.most_similar("q", k=3)] == ["a", "b", "c"]


ANALOGIES = [
    ("man", "king", "woman"),
    ("paris", "france", "rome"),
    ("good", "better", "bad"),
    ("walk", "walked", "go"),
    ("japan", "tokyo", "germany"),
]


@pytest.mark.parametrize("a, b, c", ANALOGIES, ids=["-".join(q) for q in ANALOGIES])
def test_analogy_matches_gensim(glove, keyed, a, b, c):
    ours = glove.analogy(a, b, c, k=5)
    ref = keyed.most_similar(positive=[b, c], negative=[a], topn=5)
    assert [w for w, _ in ours] == [w for w, _ in ref]
    np.testing.assert_allclose([s for _, s in ours], [s for _, s in ref], rtol=1e-5, atol=1e-6)


def test_the_famous_analogy(glove):
    assert glove.analogy("man", "king", "woman")[0][0] == "queen"


def test_evaluate_analogies_matches_gensim_question_by_question(glove, keyed):
    questions = read_questions(QUESTIONS_WORDS)
    assert len(questions) == 19544
    with threadpool_limits(limits=1):  # gensim does one small product per question
        score, sections = keyed.evaluate_word_analogies(str(QUESTIONS_WORDS), restrict_vocab=RESTRICT)
    answers = glove.answer_analogies(questions, restrict_vocab=RESTRICT)
    total = sections[-1]
    assert total["section"] == "Total accuracy"
    ours_correct = {tuple(w.upper() for w in q) for q, ok in zip(answers.questions, answers.correct) if ok}
    ours_wrong = {tuple(w.upper() for w in q) for q, ok, seen in
                  zip(answers.questions, answers.correct, answers.in_vocab) if seen and not ok}
    assert ours_correct == set(total["correct"])
    assert ours_wrong == set(total["incorrect"])
    assert answers.n_evaluated == len(total["correct"]) + len(total["incorrect"])
    assert glove.evaluate_analogies(questions, restrict_vocab=RESTRICT) == score


def test_case_insensitive_evaluation_matches_gensim(tmp_path, rng):
    # A vocabulary in which some words also appear capitalised, less frequently,
    # close to their lower-case form: "d" may be predicted in either case, and a
    # variant of a, b or c must never count as the answer.
    base = [f"w{i}" for i in range(40)]
    words = base + [w.upper() for w in base[:20]]
    vecs = rng.standard_normal((len(words), 5)).astype(np.float32)
    vecs[40:] = vecs[:20] + 0.1 * rng.standard_normal((20, 5)).astype(np.float32)
    ours = WordVectors(words, vecs)
    kv = KeyedVectors(vector_size=5, count=0, dtype=np.float32)
    kv.add_vectors(words, vecs)
    questions = [tuple(rng.choice(base, 4, replace=False)) for _ in range(400)]
    path = tmp_path / "questions.txt"
    path.write_text(": section\n" + "".join(" ".join(q) + "\n" for q in questions))
    score, sections = kv.evaluate_word_analogies(str(path), restrict_vocab=len(words))
    answers = ours.answer_analogies(questions, restrict_vocab=len(words))
    ours_correct = {tuple(w.upper() for w in q) for q, ok in zip(questions, answers.correct) if ok}
    assert ours_correct == set(sections[-1]["correct"])
    assert answers.accuracy == score
    for q, predicted in zip(questions, answers.predicted):
        assert predicted.upper() not in {w.upper() for w in q[:3]}


def test_answer_analogies_skips_unknown_words_and_is_batch_independent(glove):
    questions = [("man", "king", "woman", "queen"), ("man", "king", "zzzqx", "queen"),
                 ("athens", "greece", "paris", "france"), ("ATHENS", "Greece", "Paris", "FRANCE")]
    one = glove.answer_analogies(questions, restrict_vocab=N_WORDS, batch_size=1)
    many = glove.answer_analogies(questions, restrict_vocab=N_WORDS)
    assert isinstance(one, AnalogyAnswers)
    assert one.in_vocab.tolist() == [True, False, True, True]
    assert one.predicted == many.predicted
    assert one.predicted[1] is None and not one.correct[1]
    assert one.correct.tolist() == many.correct.tolist() == [True, False, True, True]
    assert one.n_evaluated == 3 and one.accuracy == 1.0
    assert one.predicted[0] == glove.analogy("man", "king", "woman")[0][0]


def test_restrict_vocab_limits_questions_and_candidates(glove):
    questions = [("man", "king", "woman", "queen")]
    small = glove.answer_analogies(questions, restrict_vocab=500)  # "queen" is rarer than that
    assert not small.in_vocab[0]
    with pytest.raises(ValueError, match=r"no question has all four words"):
        glove.evaluate_analogies(questions, restrict_vocab=500)


# --------------------------------------------------------------------------
# The bad-input table
# --------------------------------------------------------------------------

NAN = float("nan")
WV = WordVectors(["a", "b", "c", "d"], np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.5]]))

CONSTRUCTOR_BAD = [
    pytest.param((["a", 1], np.ones((2, 2))), TypeError, r"words must be a sequence of str", id="words-not-str"),
    pytest.param((["a", "b"], np.ones(2)), ValueError, r"vectors must be 2-D", id="vectors-1d"),
    pytest.param((["a", "b"], np.ones((3, 2))), ValueError, r"vectors must have one row per word", id="count-mismatch"),
    pytest.param((["a", "a"], np.ones((2, 2))), ValueError, r"words must be distinct", id="duplicate-words"),
    pytest.param((["a", "b"], np.array([[1.0, NAN], [1.0, 0.0]])), ValueError, r"vectors must contain only finite",
                 id="vectors-nan"),
    pytest.param(([], np.ones((0, 2))), ValueError, r"vectors must not be empty", id="empty"),
    # A string is a sequence of one-letter words to list(): refused, not split.
    pytest.param(("ab", np.ones((2, 2))), TypeError, r"words must be a sequence of str \(a list", id="words-a-string"),
    pytest.param((b"ab", np.ones((2, 2))), TypeError, r"words must be a sequence of str", id="words-bytes"),
    # A zero row has no direction: refused when the vectors arrive, not at the first query.
    pytest.param((["zero", "one"], np.array([[0.0, 0.0], [1.0, 0.0]])), ValueError,
                 r"vectors has a zero row \(row 0, word 'zero'\)", id="zero-row"),
    pytest.param((["a", "b"], np.array([[1, 2], [3, 4]], dtype="timedelta64[s]")), TypeError,
                 r"vectors must be an array of real numbers, got dtype timedelta64", id="vectors-timedelta"),
    pytest.param((["a", "b"], np.ones((2, 2)) + 1j), TypeError, r"vectors must be real", id="vectors-complex"),
]


@pytest.mark.parametrize("args, exc, match", CONSTRUCTOR_BAD)
def test_constructor_bad_input(args, exc, match):
    with pytest.raises(exc, match=match):
        WordVectors(*args)


METHOD_BAD = [
    pytest.param(WV.id, ("zzz",), {}, KeyError, r"word 'zzz' is not in the vocabulary", id="id-unknown"),
    pytest.param(WV.__getitem__, ("Queen",), {}, KeyError, r"'Queen'", id="getitem-unknown"),
    pytest.param(WV.most_similar, ("nope",), {}, KeyError, r"'nope'", id="most_similar-unknown"),
    pytest.param(WV.analogy, ("a", "b", "xyz"), {}, KeyError, r"'xyz'", id="analogy-unknown-c"),
    pytest.param(WV.analogy, ("qq", "b", "c"), {}, KeyError, r"'qq'", id="analogy-unknown-a"),
    pytest.param(WV.most_similar, ("a",), {"k": 0}, ValueError, r"\bk must be a positive integer", id="k-zero"),
    pytest.param(WV.most_similar, ("a",), {"k": 2.5}, TypeError, r"\bk must be a positive integer", id="k-float"),
    pytest.param(WV.analogy, ("a", "b", "c"), {"k": -1}, ValueError, r"\bk must be a positive", id="analogy-k"),
    pytest.param(WV.most_similar, (np.ones(3),), {}, ValueError, r"word_or_vector must have length d=2",
                 id="query-wrong-length"),
    pytest.param(WV.most_similar, (np.zeros(2),), {}, ValueError, r"word_or_vector contains a zero vector",
                 id="query-zero-vector"),
    pytest.param(WV.most_similar, (np.array([NAN, 1.0]),), {}, ValueError, r"word_or_vector must contain only finite",
                 id="query-nan"),
    pytest.param(WV.most_similar, (np.ones((1, 2)),), {}, ValueError, r"word_or_vector must be 1-D",
                 id="query-2d"),
    pytest.param(WV.answer_analogies, ([("a", "b", "c")],), {}, ValueError, r"questions must be tuples of four words",
                 id="question-three-words"),
    pytest.param(WV.answer_analogies, ([("a", "b", "c", 4)],), {}, ValueError, r"questions must be tuples",
                 id="question-not-str"),
    pytest.param(WV.answer_analogies, ([("a", "b", "c", "d")],), {"restrict_vocab": 0}, ValueError,
                 r"restrict_vocab must be a positive", id="restrict_vocab-zero"),
    pytest.param(WV.answer_analogies, ([("a", "b", "c", "d")],), {"batch_size": 0}, ValueError,
                 r"batch_size must be a positive", id="batch_size-zero"),
    pytest.param(WV.evaluate_analogies, ([("a", "b", "c", "zz")],), {}, ValueError, r"no question has all four words",
                 id="evaluate-nothing-in-vocabulary"),
    pytest.param(load_glove, (0,), {}, ValueError, r"n_words must be a positive integer", id="glove-n_words-zero"),
    pytest.param(load_glove, (1.5,), {}, TypeError, r"n_words must be a positive integer", id="glove-n_words-float"),
]


@pytest.mark.parametrize("method, args, kwargs, exc, match", METHOD_BAD)
def test_method_bad_input(method, args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        method(*args, **kwargs)
