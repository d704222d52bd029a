"""The WordPiece tokenizer against the model's own (Hugging Face) tokenizer, id for id."""

from __future__ import annotations

import os

import pytest

from llmmath import MiniLM, WordPieceTokenizer, minilm_path

#: Hard cases: accents, punctuation, numbers, CJK, odd whitespace and symbols, long words, > 256 tokens, empty.
HARD = [
    "",
    "   ",
    "Hello, world!",
    "Café déjà vu: naïve résumés à l'hôtel.",
    "İstanbul, Øresund, Straße, Ærøskøbing, Ångström",
    "3.14159, 1,000,000 and 42nd; 7:30pm on 2024-10-16 ($19.99, 100%)",
    "東京は日本の首都です。北京欢迎你！",
    "Mixed 漢字and ひらがな and 한국어 text",
    "Unbelievably antidisestablishmentarianism-like words",
    "Pneumonoultramicroscopicsilicovolcanoconiosis " + "a" * 101,  # the second is over 100 characters
    "tabs\tnew\nlines\r\nand\u00a0non-breaking\u2003spaces\u200b zero-width",
    "control\x00chars\x07 and \ufffd replacement",
    "emoji 😀👍🏽 and symbols ½ ① ™ ﬁ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "don't stop-believing; e-mail me at someone@example.com #hashtag ~tilde^ `back`",
    "the quick brown fox " * 80,  # far more than 256 word pieces
    "ÉCOLE NORMALE SUPÉRIEURE",
    "Ελληνικά και русский язык",
    "a" * 100,
]


@pytest.fixture(scope="module")
def ours() -> WordPieceTokenizer:
    return MiniLM.load().tokenizer


@pytest.fixture(scope="module")
def reference():
    transformers = pytest.importorskip("transformers", reason="the reference tokenizer needs transformers")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return transformers.AutoTokenizer.from_pretrained(str(minilm_path().parent))


@pytest.mark.parametrize("text", HARD, ids=[f"hard{i}" for i in range(len(HARD))])
def test_ids_match_the_reference_tokenizer(ours, reference, text):
    expected = reference(text, truncation=True, max_length=256)["input_ids"]
    assert ours.encode(text) == expected


@pytest.mark.parametrize("text", HARD, ids=[f"hard{i}" for i in range(len(HARD))])
def test_pieces_match_the_reference_tokenizer(ours, reference, text):
    assert ours.tokenize(text) == reference.tokenize(text)


def test_long_text_is_truncated_to_256_with_sep_last(ours):
    ids = ours.encode("the quick brown fox " * 80)
    assert len(ids) == 256 and ids[0] == ours.vocab["[CLS]"] and ids[-1] == ours.vocab["[SEP]"]


def test_empty_string_is_cls_sep(ours):
    assert ours.encode("") == [ours.vocab["[CLS]"], ours.vocab["[SEP]"]]


def test_word_over_100_characters_is_unk(ours):
    assert ours.tokenize("a" * 101) == ["[UNK]"] and ours.tokenize("a" * 100) != ["[UNK]"]


def test_greedy_longest_match_on_a_small_vocabulary():
    tok = WordPieceTokenizer(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "una", "##ff", "##able", "##a", "##ble"])
    # Longest first: "una" then "##ble", not "un" + "##a" + "##ble"; "##able" beats "##a" + "##ble".
    assert tok.tokenize("unable") == ["una", "##ble"]
    assert tok.tokenize("unaffable") == ["una", "##ff", "##able"]
    assert tok.tokenize("xyz") == ["[UNK]"]


def test_batch_pads_and_masks(ours):
    ids, mask = ours.batch(["a b c", "hello"])
    assert ids.shape == mask.shape == (2, 5)
    assert mask.sum(axis=1).tolist() == [5, 3] and (ids[~mask] == ours.vocab["[PAD]"]).all()


BAD = [
    pytest.param(lambda t: t.encode(None), TypeError, r"text must be a str", id="encode-none"),
    pytest.param(lambda t: t.tokenize(b"bytes"), TypeError, r"text must be a str", id="bytes"),
    pytest.param(lambda t: t.batch("one string"), TypeError, r"texts must be a list of str", id="batch-str"),
    pytest.param(lambda t: WordPieceTokenizer(["a", "b"]), ValueError, r"special token \[UNK\]", id="vocab-specials"),
    pytest.param(lambda t: WordPieceTokenizer(42), TypeError, r"vocab must be a path", id="vocab-int"),
    pytest.param(lambda t: WordPieceTokenizer(t.tokens, max_length=1), ValueError, r"max_length must be at least 2",
                 id="max-length"),
]


@pytest.mark.parametrize("call, exc, match", BAD)
def test_bad_input(ours, call, exc, match):
    with pytest.raises(exc, match=match):
        call(ours)
