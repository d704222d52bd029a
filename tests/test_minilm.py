"""MiniLM in numpy against sentence-transformers on PyTorch: embeddings, attention, batching."""

from __future__ import annotations

import os

import numpy as np
import pytest
from test_tokenizer import HARD

from llmmath import MiniLM, minilm_path

SENTENCES = HARD + [
    "A man is playing a guitar.",
    "Someone plays an instrument on stage.",
    "The stock market fell sharply today.",
    "Attention is all you need.",
]


@pytest.fixture(scope="module")
def model() -> MiniLM:
    return MiniLM.load()


@pytest.fixture(scope="module")
def reference():
    st = pytest.importorskip("sentence_transformers", reason="the reference embeddings need sentence-transformers")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers.utils import logging

    logging.disable_progress_bar()
    return st.SentenceTransformer(str(minilm_path().parent), device="cpu")


@pytest.fixture(scope="module")
def ours_and_theirs(model, reference):
    return model.encode(SENTENCES), reference.encode(SENTENCES, convert_to_numpy=True, batch_size=8)


def test_embeddings_match_sentence_transformers_to_1e_4(ours_and_theirs):
    ours, theirs = ours_and_theirs
    assert ours.shape == theirs.shape == (len(SENTENCES), 384) and ours.dtype == np.float32
    # Both are float32 through six layers; observed differences are ~1e-7, the contract is 1e-4.
    assert np.abs(ours - theirs).max() < 1e-4


def test_similarities_match_and_rank_paraphrases_first(ours_and_theirs):
    ours, theirs = ours_and_theirs
    np.testing.assert_allclose(ours @ ours.T, theirs @ theirs.T, atol=2e-4)
    guitar, stage, stocks = (SENTENCES.index(s) for s in SENTENCES[-4:-1])
    assert ours[guitar] @ ours[stage] > ours[guitar] @ ours[stocks] + 0.2


def test_embeddings_are_unit_vectors(ours_and_theirs):
    np.testing.assert_allclose(np.linalg.norm(ours_and_theirs[0], axis=1), 1.0, rtol=1e-6)


def test_batching_and_padding_do_not_change_an_embedding(model):
    alone = np.stack([model.encode([s])[0] for s in SENTENCES[:6]])
    together = model.encode(SENTENCES[:6], batch_size=3)
    np.testing.assert_allclose(together, alone, atol=2e-6)


def test_attention_matches_hugging_face_output_attentions(model, reference):
    torch = pytest.importorskip("torch")
    sentence = "The animal didn't cross the street because it was too tired."
    ours = model.attention(sentence)
    bert = reference[0].auto_model
    bert.set_attn_implementation("eager")  # the fused kernel does not return its weights
    ids = torch.tensor([model.tokenizer.encode(sentence)])
    with torch.inference_mode():
        out = bert(input_ids=ids, output_attentions=True)
    theirs = np.stack([a[0].numpy() for a in out.attentions])
    n = ids.shape[1]
    assert ours.shape == theirs.shape == (6, 12, n, n)
    np.testing.assert_allclose(ours, theirs, atol=2e-5)
    np.testing.assert_allclose(ours.sum(axis=-1), 1.0, rtol=1e-5)


def test_the_last_hidden_states_match_hugging_face(model, reference):
    torch = pytest.importorskip("torch")
    ids, mask = model.tokenizer.batch(SENTENCES[2:6])
    ours, _ = model.forward(ids, mask)
    with torch.inference_mode():
        out = reference[0].auto_model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask.astype(np.int64)))
    theirs = out.last_hidden_state.numpy()
    np.testing.assert_allclose(ours[mask], theirs[mask], atol=1e-4)


BAD = [
    pytest.param(lambda m: m.encode("one string"), TypeError, r"wrap a single sentence in a list", id="str"),
    pytest.param(lambda m: m.encode(["a"], batch_size=0), ValueError, r"batch_size must be a positive", id="batch-0"),
    pytest.param(lambda m: m.encode([3]), TypeError, r"text must be a str", id="not-str"),
    pytest.param(lambda m: m.embed(np.array([[1.5]])), TypeError, r"ids must be a 2-D integer", id="float-ids"),
    pytest.param(lambda m: m.embed(np.array([[40000]])), ValueError, r"ids must lie in \[0, 30522\)", id="big-id"),
]


@pytest.mark.parametrize("call, exc, match", BAD)
def test_bad_input(model, call, exc, match):
    with pytest.raises(exc, match=match):
        call(model)


def test_benchmark_rows_run_on_tiny_sizes():
    # benchmarks/bench_nn.py's rows, once each on small inputs: their correctness checks must hold.
    pytest.importorskip("sentence_transformers")
    import importlib.util
    import sys
    from pathlib import Path

    bench = Path(__file__).resolve().parents[1] / "benchmarks"
    sys.path.insert(0, str(bench))
    try:
        spec = importlib.util.spec_from_file_location("llmmath_bench_run_nn", bench / "run.py")
        run = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = run  # dataclasses look their module up there
        spec.loader.exec_module(run)
        import bench_nn

        rows = bench_nn.bench_minilm(run.Row, run.interleaved, 1, n_sentences=4, repeats=1, min_time=0.0)
        rows += bench_nn.bench_blocked_attention(run.Row, run.interleaved, run._peak_bytes, 1, n=256, d=16,
                                                 block_rows=32, repeats=1, min_time=0.0)
    finally:
        sys.path.remove(str(bench))
    assert [r.name for r in rows] == ["minilm encode", "blocked attention"]
    for row in rows:
        assert row.checks and not row.failed_checks, (row.name, row.failed_checks)
    assert "minilm" in run.BENCHES and "blocked attention" in run.BENCHES
