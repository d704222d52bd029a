"""Probability (Part II): the softmax family, entropy, cross-entropy, KL, sampling."""

from .softmax import softmax, log_softmax, logsumexp, cross_entropy
from .masked import masked_softmax
from .information import entropy, kl_divergence, distribution_cross_entropy
from .sampling import top_k_filter, top_p_filter, sample_next

__all__ = [
    "softmax",
    "log_softmax",
    "logsumexp",
    "cross_entropy",
    "masked_softmax",
    "entropy",
    "kl_divergence",
    "distribution_cross_entropy",
    "top_k_filter",
    "top_p_filter",
    "sample_next",
]
