"""Neural-network layers (Part IV): layers, attention, recurrent cells, the tokenizer, the transformer."""

from .layers import linear, layer_norm, gelu
from .attention import (
    scaled_dot_product_attention,
    multi_head_attention,
    causal_mask,
    sinusoidal_positional_encoding,
)
from .mlp import MLP

from .transformer import ENCODER_LAYER_KEYS, encoder_layer
from .tokenizer import WordPieceTokenizer
from .minilm import MiniLM
from .rnn import rnn_forward, rnn_jacobian_norms
from .blocked import blocked_attention
from .gan import TinyMLP, GaussianMixture, GANResult, train_gan, train_discriminator, optimal_discriminator

__all__ = [
    "ENCODER_LAYER_KEYS",
    "encoder_layer",
    "WordPieceTokenizer",
    "MiniLM",
    "rnn_forward",
    "rnn_jacobian_norms",
    "blocked_attention",
    "TinyMLP",
    "GaussianMixture",
    "GANResult",
    "train_gan",
    "train_discriminator",
    "optimal_discriminator",
    "linear",
    "layer_norm",
    "gelu",
    "scaled_dot_product_attention",
    "multi_head_attention",
    "causal_mask",
    "sinusoidal_positional_encoding",
    "MLP",
]
