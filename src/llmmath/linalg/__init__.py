"""Linear algebra (Part I): vectors and norms, linear maps, orthogonality, least squares, decompositions.

Modules: ``scaling`` (power-of-two scaling, the guard of
every norm), ``vectors`` (unit vectors, cosines),
``matrices`` (maps of the plane, signed area, homogeneous
coordinates, the cost of a product), ``orthogonality``
(Gram-Schmidt, Householder QR, projections), ``lstsq``
(least squares), ``lu`` (LU and triangular solves),
``pinv`` (rank, null space, pseudoinverse),
``conditioning`` (test matrices) and
``decompositions`` (PCA, low rank, power iteration).
"""

from .scaling import pow2_scale
from .vectors import cosine_similarity, unit_rows
from .matrices import affine_to_homogeneous, grid_lines, signed_area, matmul_flops
from .orthogonality import (
    gram_schmidt,
    householder_qr,
    positive_diagonal,
    orthogonality_loss,
    projection_matrix,
)
from .lstsq import lstsq_qr, lstsq_normal
from .lu import lu, lu_solve, forward_substitution, back_substitution, growth_factor
from .pinv import numerical_rank, null_space, pseudoinverse, min_norm_solution
from .conditioning import random_orthonormal, conditioned_matrix
from .decompositions import (
    pca,
    PCAResult,
    low_rank_approximation,
    eckart_young_error,
    power_iteration,
)

__all__ = [
    "pow2_scale",
    "cosine_similarity",
    "unit_rows",
    "affine_to_homogeneous",
    "grid_lines",
    "signed_area",
    "matmul_flops",
    "gram_schmidt",
    "householder_qr",
    "positive_diagonal",
    "orthogonality_loss",
    "projection_matrix",
    "lstsq_qr",
    "lstsq_normal",
    "lu",
    "lu_solve",
    "forward_substitution",
    "back_substitution",
    "growth_factor",
    "numerical_rank",
    "null_space",
    "pseudoinverse",
    "min_norm_solution",
    "random_orthonormal",
    "conditioned_matrix",
    "pca",
    "PCAResult",
    "low_rank_approximation",
    "eckart_young_error",
    "power_iteration",
]

# Presentation that used to live here and now lives in llmmath.book (it needs
# matplotlib, or exists only to be timed). Forwarded on first use so that
# ``from llmmath.linalg import naive_matmul`` keeps working; new code imports
# these from llmmath.book.
_MOVED_TO_BOOK = ("plot_linear_map", "naive_matmul", "matmul_op_count", "MatmulOps")


def __getattr__(name: str):
    if name in _MOVED_TO_BOOK:
        from .. import book

        return getattr(book, name)
    raise AttributeError(f"module 'llmmath.linalg' has no attribute {name!r}")
