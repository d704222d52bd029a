"""llmmath: the mathematics of large language models, in small readable numpy code.

The library behind the llmmath book. Each module holds one idea; every public
function states its mathematics in its docstring and is checked against an
independent reference in the test suite.
"""

from .analogies import RELATIONS, accuracy_by_relation, analogy_questions
from .attention import (
    causal_mask,
    multi_head_attention,
    scaled_dot_product_attention,
    sinusoidal_positional_encoding,
)
from .decomposition import PCAResult, low_rank_approximation, pca, power_iteration
from .embeddings import AnalogyAnswers, WordVectors, load_glove
from .explorer import Explorer, Param, explore
from .linsys import gram_schmidt, lstsq_normal, lstsq_qr, orthogonality_loss, projection_matrix
from .matrices import affine_to_homogeneous, matmul_flops, signed_area
from .neighbours import nearest_neighbours, neighbour_preservation
from .optimize import adam, gradient_descent, numerical_gradient
from .plotting import use_book_style
from .probability import cross_entropy, log_softmax, logsumexp, softmax
from .roots import BisectionResult, bisection, bisection_iterations
from .vectors import cosine_similarity, unit_rows
from .weights import load_minilm, minilm_path

__version__ = "0.1.0"

__all__ = [
    "RELATIONS",
    "accuracy_by_relation",
    "affine_to_homogeneous",
    "analogy_questions",
    "gram_schmidt",
    "lstsq_normal",
    "lstsq_qr",
    "matmul_flops",
    "nearest_neighbours",
    "neighbour_preservation",
    "orthogonality_loss",
    "projection_matrix",
    "signed_area",
    "AnalogyAnswers",
    "BisectionResult",
    "Explorer",
    "PCAResult",
    "Param",
    "WordVectors",
    "adam",
    "bisection",
    "bisection_iterations",
    "causal_mask",
    "cosine_similarity",
    "cross_entropy",
    "explore",
    "gradient_descent",
    "low_rank_approximation",
    "load_glove",
    "load_minilm",
    "log_softmax",
    "logsumexp",
    "minilm_path",
    "multi_head_attention",
    "numerical_gradient",
    "pca",
    "power_iteration",
    "scaled_dot_product_attention",
    "sinusoidal_positional_encoding",
    "softmax",
    "unit_rows",
    "use_book_style",
]
