"""Linear algebra (Part I): vectors and norms, linear maps, orthogonality and least squares, decompositions."""

from .vectors import cosine_similarity, unit_rows
from .matrices import (
    affine_to_homogeneous,
    grid_lines,
    signed_area,
    plot_linear_map,
    matmul_flops,
    naive_matmul,
    matmul_op_count,
    MatmulOps,
)
from .linsys import (
    gram_schmidt,
    orthogonality_loss,
    projection_matrix,
    lstsq_qr,
    lstsq_normal,
    random_orthonormal,
    conditioned_matrix,
)
from .decompositions import pca, PCAResult, low_rank_approximation, power_iteration

__all__ = [
    "cosine_similarity",
    "unit_rows",
    "affine_to_homogeneous",
    "grid_lines",
    "signed_area",
    "plot_linear_map",
    "matmul_flops",
    "naive_matmul",
    "matmul_op_count",
    "MatmulOps",
    "gram_schmidt",
    "orthogonality_loss",
    "projection_matrix",
    "lstsq_qr",
    "lstsq_normal",
    "random_orthonormal",
    "conditioned_matrix",
    "pca",
    "PCAResult",
    "low_rank_approximation",
    "power_iteration",
]
