r"""Teaching demos: the matrix product as three Python loops, and its operations counted.

These exist to be timed and counted in the matrices chapter, not to be used:
``a @ b`` hands the same arithmetic to an optimised BLAS library.
:func:`matmul_op_count` runs the very loop of :func:`naive_matmul` on numbers
that count their own multiplications and additions, so that the count can be
compared with :func:`llmmath.linalg.matmul_flops`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, result_dtype

__all__ = ["naive_matmul", "matmul_op_count", "MatmulOps"]


def _triple_loop(a_rows: list, b_cols: list, zero) -> list:
    """The textbook product on nested lists: row i of A times column j of B, for every i, j."""
    out = []
    for row in a_rows:
        out_row = []
        for col in b_cols:
            acc = zero
            for x, y in zip(row, col):
                acc = acc + x * y
            out_row.append(acc)
        out.append(out_row)
    return out


def _check_pair(a, b) -> tuple[np.ndarray, np.ndarray]:
    a_arr = as_float_array(a, "a", ndim=2)
    b_arr = as_float_array(b, "b", ndim=2)
    if a_arr.shape[1] != b_arr.shape[0]:
        raise ValueError(
            f"a's columns must match b's rows: a has shape {a_arr.shape}, b has shape {b_arr.shape}"
        )
    return a_arr, b_arr


def naive_matmul(a, b) -> np.ndarray:
    r"""The matrix product by three nested Python loops (a deliberately slow reference).

    .. math:: C_{ij} = \sum_{p=1}^{n} A_{ip} B_{pj}, \qquad i \le m,\ j \le k .

    This is the definition executed literally, one scalar operation at a time
    in the Python interpreter. It exists to be timed against ``a @ b``, which
    hands the same arithmetic to an optimised BLAS library; use ``@`` for
    anything else.

    Parameters
    ----------
    a : array_like, shape (m, n)
    b : array_like, shape (n, k)

    Returns
    -------
    numpy.ndarray, shape (m, k)
        Float32 if both inputs are float32 (the arithmetic itself runs in
        Python's double precision), else float64.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.book import naive_matmul
    >>> naive_matmul(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[5.0], [6.0]]))
    array([[17.],
           [39.]])
    """
    a_arr, b_arr = _check_pair(a, b)
    rows = a_arr.tolist()
    cols = b_arr.T.tolist()
    return np.array(_triple_loop(rows, cols, 0.0), dtype=result_dtype(a_arr, b_arr))


class _Counted:
    """A number that records every multiplication and addition it takes part in."""

    __slots__ = ("value", "tally")

    def __init__(self, value: float, tally: dict) -> None:
        self.value = value
        self.tally = tally

    def __mul__(self, other: _Counted) -> _Counted:
        self.tally["mul"] += 1
        return _Counted(self.value * other.value, self.tally)

    def __add__(self, other: _Counted) -> _Counted:
        self.tally["add"] += 1
        return _Counted(self.value + other.value, self.tally)


@dataclass(frozen=True)
class MatmulOps:
    """What :func:`matmul_op_count` returns.

    Attributes
    ----------
    product : numpy.ndarray, shape (m, k)
        The product, computed by the counted loop.
    multiplications : int
        Scalar multiplications performed.
    additions : int
        Scalar additions performed.
    """

    product: np.ndarray
    multiplications: int
    additions: int

    @property
    def flops(self) -> int:
        """Multiplications plus additions."""
        return self.multiplications + self.additions


def matmul_op_count(a, b) -> MatmulOps:
    r"""Run the loop of :func:`naive_matmul` on instrumented numbers and count its operations.

    Every entry of ``a`` and ``b`` is wrapped in a number type that increments
    a counter on each ``*`` and ``+``; the loop itself is the very code that
    :func:`naive_matmul` runs. The counts are measured, not computed from a
    formula, so they can be compared with :func:`llmmath.linalg.matmul_flops`.

    Parameters
    ----------
    a : array_like, shape (m, n)
    b : array_like, shape (n, k)

    Returns
    -------
    MatmulOps

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.book import matmul_op_count
    >>> ops = matmul_op_count(np.ones((2, 3)), np.ones((3, 4)))
    >>> ops.multiplications, ops.additions, ops.flops   # 2 * 2 * 3 * 4 = 48
    (24, 24, 48)
    """
    a_arr, b_arr = _check_pair(a, b)
    tally = {"mul": 0, "add": 0}
    rows = [[_Counted(v, tally) for v in row] for row in a_arr.tolist()]
    cols = [[_Counted(v, tally) for v in col] for col in b_arr.T.tolist()]
    out = _triple_loop(rows, cols, _Counted(0.0, tally))
    product = np.array([[c.value for c in row] for row in out], dtype=result_dtype(a_arr, b_arr))
    return MatmulOps(product, tally["mul"], tally["add"])
