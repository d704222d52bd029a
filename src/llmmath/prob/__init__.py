"""Probability (Part II): the softmax family, entropy, cross-entropy, KL, sampling."""

from .softmax import softmax, log_softmax, logsumexp, cross_entropy

__all__ = [
    "softmax",
    "log_softmax",
    "logsumexp",
    "cross_entropy",
]
