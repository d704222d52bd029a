"""Part IV benchmark rows: the numpy MiniLM against sentence-transformers, and row-blocked attention.

``run.py`` registers these with :func:`benches`, handing in its ``Row`` class
and timing helpers (so this module does not import ``run.py`` back).
"""

from __future__ import annotations

import os
import time
from functools import partial

import numpy as np

import llmmath

SENTENCES = [
    "A man is playing a guitar on the street.",
    "The stock market fell sharply after the announcement.",
    "Attention lets every token look at every other token.",
    "She sells sea shells by the sea shore, or so they say.",
    "Café au lait, s'il vous plaît!",
    "Transformers replaced recurrent networks in most language tasks.",
    "It rained all day, so the match was postponed until Sunday.",
    "Gradient descent takes small steps downhill on the loss surface.",
]


def batch_of(n: int) -> list[str]:
    """``n`` distinct sentences of ordinary length (8 to 20 word pieces)."""
    return [f"{SENTENCES[i % len(SENTENCES)]} Number {i}." for i in range(n)]


def bench_minilm(Row, interleaved, threads: int, n_sentences: int = 32, repeats: int = 7,
                 min_time: float = 0.5) -> list:
    """``MiniLM.encode`` on a batch against sentence-transformers on PyTorch, same machine, same threads."""
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    torch.set_num_threads(threads)
    t0 = time.perf_counter()
    model = llmmath.MiniLM.load()
    reference = SentenceTransformer(str(llmmath.minilm_path().parent), device="cpu")
    batch = batch_of(n_sentences)
    ours = model.encode(batch, batch_size=32)
    theirs = reference.encode(batch, batch_size=32, convert_to_numpy=True)
    diff = float(np.abs(ours - theirs).max())
    checks = {"max abs diff < 1e-4": diff < 1e-4, "float32 (n, 384)": ours.dtype == np.float32
              and ours.shape == (n_sentences, 384)}

    def numpy_side():
        return model.encode(batch, batch_size=32)

    def torch_side():
        return reference.encode(batch, batch_size=32, convert_to_numpy=True)

    tm = interleaved({"llmmath": numpy_side, "torch": torch_side}, repeats=repeats, warmup=1,
                     min_time=min_time)
    ratio = tm.ratio("llmmath", "torch")
    return [Row("minilm encode", f"MiniLM.encode, {n_sentences} sentences",
                "sentence-transformers 'all-MiniLM-L6-v2' on torch CPU",
                f"{ratio:.2f}x torch; max abs diff {diff:.1e}", "<= 2.00x torch; same embeddings to 1e-4",
                ratio <= 2.0, checks, "", time.perf_counter() - t0)]


def bench_blocked_attention(Row, interleaved, peak_bytes, threads: int, n: int = 2048, d: int = 64,
                            block_rows: int = 128, repeats: int = 7, min_time: float = 0.5,
                            seed: int = 0) -> list:
    """``blocked_attention`` at (n, d) float32: time against the floor and PyTorch, peak memory against unblocked."""
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(threads)
    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    q, k, v = (rng.standard_normal((n, d)).astype(np.float32) for _ in range(3))
    tq, tk, tv = (torch.from_numpy(a)[None, None] for a in (q, k, v))
    out = llmmath.blocked_attention(q, k, v, block_rows=block_rows)
    full, _ = llmmath.scaled_dot_product_attention(q, k, v)
    with torch.inference_mode():
        ref = F.scaled_dot_product_attention(tq, tk, tv)[0, 0].numpy()
    checks = {"equals unblocked (1e-5)": bool(np.allclose(out, full, rtol=1e-5, atol=1e-6)),
              "matches torch (1e-4)": bool(np.allclose(out, ref, rtol=1e-4, atol=1e-4)),
              "float32": out.dtype == np.float32}
    mem_blocked = peak_bytes(lambda: llmmath.blocked_attention(q, k, v, block_rows=block_rows))
    mem_full = peak_bytes(lambda: llmmath.scaled_dot_product_attention(q, k, v))
    mem_ratio = mem_blocked / mem_full

    def floor():
        return (q @ k.T) @ v

    def ours():
        return llmmath.blocked_attention(q, k, v, block_rows=block_rows)

    def theirs():
        with torch.inference_mode():
            return F.scaled_dot_product_attention(tq, tk, tv)

    tm = interleaved({"floor": floor, "llmmath": ours}, repeats=repeats, warmup=1, min_time=min_time)
    tt = interleaved({"llmmath": ours, "torch": theirs}, repeats=repeats, warmup=1, min_time=min_time)
    r_floor, r_torch = tm.ratio("llmmath", "floor"), tt.ratio("llmmath", "torch")
    measured = (f"{r_floor:.2f}x floor, {r_torch:.2f}x torch; peak {mem_blocked / 2**20:.1f} MiB vs "
                f"{mem_full / 2**20:.1f} MiB unblocked ({mem_ratio:.2f})")
    met = mem_ratio <= 0.25 and r_floor <= 2.5
    return [Row("blocked attention", f"blocked_attention(block_rows={block_rows}), n={n}, d={d}, float32",
                "floor: q @ k.T and p @ v; torch F.scaled_dot_product_attention; unblocked peak memory",
                measured, "peak <= 0.25x unblocked; <= 2.50x floor", met, checks,
                "" if met else "numpy's elementwise softmax passes run on one thread",
                time.perf_counter() - t0)]


def benches(Row, interleaved, peak_bytes, threads: int) -> dict:
    """The rows to register in ``run.BENCHES``."""
    return {
        "minilm": partial(bench_minilm, Row, interleaved, threads),
        "blocked attention": partial(bench_blocked_attention, Row, interleaved, peak_bytes, threads),
    }
