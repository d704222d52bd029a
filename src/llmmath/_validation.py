"""Input checks shared by every module.

Each helper raises a :class:`ValueError` (or :class:`TypeError`) whose message
names the argument and says what was expected, so that a reader who passes a
wrong shape learns which argument to fix.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable

import numpy as np

_REAL_KINDS = "biuf"  # bool, signed and unsigned integers, floats


def _object_to_float(arr: np.ndarray, name: str) -> np.ndarray:
    """An object array of Python numbers (say integers beyond int64) as float64."""
    for v in arr.flat:
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise TypeError(f"{name} must be an array of real numbers, got an element {v!r}")
    try:
        return arr.astype(np.float64)
    except OverflowError:
        raise ValueError(
            f"{name} holds an integer too large for a float (above {np.finfo(np.float64).max:.3g})"
        ) from None


def _short(value) -> str:
    """``repr(value)``, cut short for integers with hundreds of digits."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:12]}...{text[-4:]} ({len(text)} characters)"


def _as_real(value, name: str, kind: str) -> float:
    """A real scalar (not bool) as a float, or a TypeError/ValueError naming ``name``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a {kind}, got {value!r}")
    try:
        return float(value)
    except OverflowError:
        raise ValueError(f"{name} must be a {kind} within the float range, got {_short(value)}") from None


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
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be array-like of real numbers, got the string {x!r}")
    try:
        arr = np.asarray(x)
    except Exception as exc:  # pragma: no cover - numpy raises many kinds
        raise TypeError(f"{name} must be array-like of numbers, got {type(x).__name__}") from exc
    if arr.dtype == object:
        arr = _object_to_float(arr, name)
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} must be real, got complex dtype {arr.dtype}")
    # Only booleans, integers and floats are numbers here: timedelta64 is an integer
    # subtype to numpy, but a duration is not a coordinate.
    if arr.dtype.kind not in _REAL_KINDS:
        raise TypeError(f"{name} must be an array of real numbers, got dtype {arr.dtype}")
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
    if integer:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
            raise TypeError(f"{name} must be a positive integer, got {value!r}")
        if value <= 0:
            raise ValueError(f"{name} must be a positive integer, got {_short(value)}")
        return int(value)
    x = _as_real(value, name, "positive number")
    if not np.isfinite(x) or x <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return x


def check_nonnegative_int(value, name: str) -> int:
    """Check that a scalar is an integer >= 0."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a non-negative integer, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def check_in_range(value, name: str, low: float, high: float, *, closed: str = "left") -> float:
    """Check ``low <= value < high`` (``closed`` says which ends are included)."""
    value = _as_real(value, name, "finite number")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    lo_ok = value >= low if closed in ("left", "both") else value > low
    hi_ok = value <= high if closed in ("right", "both") else value < high
    if not (lo_ok and hi_ok):
        left = "[" if closed in ("left", "both") else "("
        right = "]" if closed in ("right", "both") else ")"
        raise ValueError(f"{name} must lie in {left}{low}, {high}{right}, got {value!r}")
    return float(value)


def check_bool(value, name: str) -> bool:
    """Check that a flag is a real boolean (``"False"`` or ``0`` are not accepted)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def as_rng(seed, name: str = "seed") -> np.random.Generator:
    """A numpy Generator from a non-negative integer seed, or the Generator itself."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise TypeError(f"{name} must be a non-negative integer or a numpy Generator, got {seed!r}")
    return np.random.default_rng(int(seed))


def check_tall(A: np.ndarray, name: str) -> None:
    """Check that a 2-D array has at least as many rows as columns."""
    m, n = A.shape
    if m < n:
        raise ValueError(
            f"{name} must have at least as many rows as columns (m >= n) for its columns to be "
            f"independent, got shape {A.shape}"
        )


def check_callable(func, name: str) -> Callable:
    """Check that ``func`` can be called."""
    if not callable(func):
        raise TypeError(f"{name} must be callable, got {type(func).__name__} {func!r}")
    return func


def real_result(value, name: str, where: str, *, shape: tuple[int, ...] | None = ()) -> np.ndarray:
    """What a user's function returned, checked: real, finite numbers of the expected shape.

    ``name`` is the function's argument name and ``where`` says at which input it
    was called, so that a message reads "f returned None at x=0.5".
    """
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must return real numbers, returned {value!r} at {where}")
    arr = np.asarray(value)
    if arr.dtype == object:
        try:
            arr = _object_to_float(arr, f"{name}'s result")
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name} must return real numbers, returned {value!r} at {where}") from exc
    if arr.dtype.kind not in _REAL_KINDS:
        raise TypeError(f"{name} must return real numbers, returned dtype {arr.dtype} at {where}")
    want = "a finite scalar" if shape == () else "finite values"
    if shape is not None and arr.shape != shape:
        shape_text = "a finite scalar" if shape == () else f"an array of shape {shape}"
        raise ValueError(f"{name} must return {shape_text}, got shape {arr.shape} at {where}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must return {want}, got non-finite values at {where}")
    return arr


def result_dtype(*arrays: np.ndarray) -> np.dtype:
    """float32 if every input is float32, else float64."""
    return np.result_type(*arrays, np.float32)
