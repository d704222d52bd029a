"""Input checks shared by every module.

Each helper raises a :class:`ValueError` (or :class:`TypeError`) whose message
names the argument and says what was expected, so that a reader who passes a
wrong shape learns which argument to fix.
"""

from __future__ import annotations

import numbers

import numpy as np


def as_float_array(
    x,
    name: str,
    *,
    ndim: int | tuple[int, ...] | None = None,
    min_ndim: int = 0,
    allow_empty: bool = False,
    finite: bool = True,
) -> np.ndarray:
    """Return ``x`` as a floating-point array, checked.

    Float32 and float64 inputs keep their precision; integers and booleans
    become float64.
    """
    try:
        arr = np.asarray(x)
    except Exception as exc:  # pragma: no cover - numpy raises many kinds
        raise TypeError(f"{name} must be array-like of numbers, got {type(x).__name__}") from exc
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must be an array of real numbers, got dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        raise TypeError(f"{name} must be real, got complex dtype {arr.dtype}")
    if arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {want}, got an array of shape {arr.shape}")
    if arr.ndim < min_ndim:
        raise ValueError(
            f"{name} must have at least {min_ndim} dimension(s), got shape {arr.shape}"
        )
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if finite and not np.isfinite(arr).all():
        raise ValueError(f"{name} must contain only finite values (no NaN or inf)")
    return arr


def check_positive(value, name: str, *, integer: bool = False) -> float | int:
    """Check that a scalar is a finite positive number (an integer if asked)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        kind = "integer" if integer else "number"
        raise TypeError(f"{name} must be a positive {kind}, got {value!r}")
    if integer and not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer, got {value!r}")
    if not np.isfinite(value) or value <= 0:
        kind = "integer" if integer else "finite number"
        raise ValueError(f"{name} must be a positive {kind}, got {value!r}")
    return int(value) if integer else float(value)


def check_nonnegative_int(value, name: str) -> int:
    """Check that a scalar is an integer >= 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a non-negative integer, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def check_in_range(value, name: str, low: float, high: float, *, closed: str = "left") -> float:
    """Check ``low <= value < high`` (``closed`` says which ends are included)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise TypeError(f"{name} must be a finite number, got {value!r}")
    lo_ok = value >= low if closed in ("left", "both") else value > low
    hi_ok = value <= high if closed in ("right", "both") else value < high
    if not (lo_ok and hi_ok):
        left = "[" if closed in ("left", "both") else "("
        right = "]" if closed in ("right", "both") else ")"
        raise ValueError(f"{name} must lie in {left}{low}, {high}{right}, got {value!r}")
    return float(value)


def result_dtype(*arrays: np.ndarray) -> np.dtype:
    """float32 if every input is float32, else float64."""
    return np.result_type(*arrays, np.float32)
