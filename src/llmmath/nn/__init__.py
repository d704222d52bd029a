"""Neural-network layers (Part IV): layers, attention, recurrent cells, the tokenizer, the transformer."""

from .layers import linear, layer_norm, gelu
from .attention import (
    scaled_dot_product_attention,
    multi_head_attention,
    causal_mask,
    sinusoidal_positional_encoding,
)
from .mlp import MLP

__all__ = [
    "linear",
    "layer_norm",
    "gelu",
    "scaled_dot_product_attention",
    "multi_head_attention",
    "causal_mask",
    "sinusoidal_positional_encoding",
    "MLP",
]
