"""Timing helpers for the benchmark suite: interleaved medians and paired ratios.

On a shared machine the load drifts during a run, so a candidate and its
reference are timed in alternation (one call of each per round, after warm-up
calls) and compared by the median of the per-round ratios: a burst of load
from another process slows both sides of the same round and cancels out.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timings:
    """Per-round wall times, in seconds, of each function timed together."""

    samples: dict[str, list[float]]

    def median(self, name: str) -> float:
        """Median wall time of ``name`` in seconds."""
        return statistics.median(self.samples[name])

    def ratio(self, num: str, den: str) -> float:
        """Median over rounds of ``time(num) / time(den)`` measured in the same round."""
        return statistics.median(a / b for a, b in zip(self.samples[num], self.samples[den]))


def interleaved(fns: dict[str, Callable[[], object]], repeats: int = 7, warmup: int = 1,
                min_time: float = 0.0, settle: float = 0.0) -> Timings:
    """Time each function in ``fns`` once per round, rounds in alternation.

    Parameters
    ----------
    fns : dict of name -> zero-argument callable
        The calls to compare, run in the dict's order within each round.
    repeats : int
        Number of timed rounds (the median is taken over them).
    warmup : int
        Untimed rounds first (caches, BLAS thread start-up, lazy imports).
    min_time : float
        Keep adding rounds until the slowest function has spent at least this
        many seconds in total (more rounds for fast calls, fewer for slow).
    settle : float
        Seconds to sleep, untimed, before each timed call. Use it when the
        functions run on different thread pools (numpy's OpenBLAS, scipy's own
        OpenBLAS, torch's OpenMP): an idle OpenBLAS worker spins on a core for
        about 0.1 s after each call, and would slow whichever pool runs next.
    """
    for _ in range(warmup):
        for f in fns.values():
            f()
    samples: dict[str, list[float]] = {name: [] for name in fns}
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        rounds = 0
        while rounds < repeats or max(sum(s) for s in samples.values()) < min_time:
            for name, f in fns.items():
                if settle:
                    time.sleep(settle)
                t0 = time.perf_counter()
                f()
                samples[name].append(time.perf_counter() - t0)
            rounds += 1
            if rounds >= 50 * max(repeats, 1):
                break
    finally:
        if gc_was_enabled:
            gc.enable()
    return Timings(samples)
