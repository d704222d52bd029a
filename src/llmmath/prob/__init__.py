"""Probability (Part II): the softmax family, entropy, cross-entropy, KL, sampling."""

from .softmax import softmax, log_softmax, logsumexp, cross_entropy
from .masked import masked_softmax

__all__ = [
    "softmax",
    "log_softmax",
    "logsumexp",
    "cross_entropy",
    "masked_softmax",
]
