"""Helpers shared by the library's unit tests (strategies, settings, tolerances).

Kept out of ``conftest.py`` on purpose: import what you need with
``from _helpers import ...`` (pytest puts ``tests/`` on ``sys.path``).
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

#: Every property test: reproducible (derandomized) and free of wall-clock deadlines.
PROPERTY = settings(derandomize=True, deadline=None, max_examples=50,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def finite_floats(bound: float = 1e3, dtype=np.float64) -> st.SearchStrategy[float]:
    """Finite floats in ``[-bound, bound]`` representable in ``dtype``."""
    width = 32 if np.dtype(dtype) == np.float32 else 64
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False, width=width)


def float_arrays(shape=None, *, bound: float = 1e3, dtype=np.float64, min_dims: int = 1,
                 max_dims: int = 3, min_side: int = 1, max_side: int = 6) -> st.SearchStrategy[np.ndarray]:
    """Arrays of finite floats of sensible magnitude; a random shape unless one is given."""
    if shape is None:
        shape = array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)
    return arrays(dtype, shape, elements=finite_floats(bound, dtype))


def random_orthogonal(d: int, rng: np.random.Generator) -> np.ndarray:
    """A random ``d x d`` orthogonal matrix (QR of a Gaussian matrix, signs fixed)."""
    q, r = np.linalg.qr(rng.standard_normal((d, d)))
    return q * np.sign(np.diag(r))
