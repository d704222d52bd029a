"""Neural-network layers (Part IV): layers, attention, recurrent cells, the tokenizer, the transformer."""

from .attention import (
    scaled_dot_product_attention,
    multi_head_attention,
    causal_mask,
    sinusoidal_positional_encoding,
)

__all__ = [
    "scaled_dot_product_attention",
    "multi_head_attention",
    "causal_mask",
    "sinusoidal_positional_encoding",
]
