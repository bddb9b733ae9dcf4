"""Growth checks in CPU work, the suite's one way to test speed (no wall-clock limits: the
machine is shared, and a limit in seconds says nothing about how the work grows).

``assert_linear(run, small, large)`` runs ``run(small)`` once to warm caches, then measures
the CPU time of ``run(small)`` and ``run(large)`` and asserts that the larger input costs less
than twice its share: a 4x larger input under 8x the work (quadratic work would take 16x).
``assert_growth(run, small, large, at_most=...)`` bounds the ratio directly, for work a limit
should keep flat whatever the input's size.
Absolute figures belong in benchmarks/RESULTS.md.

Example:
    >>> _ = assert_linear(lambda n: sorted(range(n, 0, -1)), 50_000, 200_000)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

#: CPU seconds below which a measurement is noise: the smaller run counts as at least this.
FLOOR = 0.05


def cpu_seconds(fn: Callable[[], Any], repeat: int = 1) -> float:
    """The CPU time (this process, user + system) of ``fn()``, the least of ``repeat`` runs.

    Example:
        >>> cpu_seconds(lambda: sum(range(1000))) < 1
        True
    """
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        fn()
        best = min(best, time.process_time() - started)
    return best


def assert_growth(run: Callable[[int], Any], small: int, large: int, *, at_most: float,
                  floor: float = FLOOR, repeat: int = 1) -> tuple[float, float]:
    """Assert that ``run(large)`` costs under ``at_most`` times the CPU time of ``run(small)``
    (after one warming run of ``run(small)``); return both times. The smaller time counts as at
    least ``floor`` seconds, so that noise on tiny inputs does not fail the check.

    Example:
        >>> a, b = assert_growth(lambda n: sum(range(min(n, 10_000))), 1_000, 1_000_000, at_most=3)
        >>> a >= 0 and b >= 0
        True
    """
    if not 0 < small < large:
        raise ValueError(f"sizes must grow: {small} then {large}")
    run(small)  # warm: imports, compiled patterns, cached tables
    a = cpu_seconds(lambda: run(small), repeat)
    b = cpu_seconds(lambda: run(large), repeat)
    assert b / max(a, floor) < at_most, (
        f"{large:,} costs {b:.2f} s CPU, {small:,} costs {a:.2f} s: {b / max(a, floor):.1f}x for "
        f"{large / small:.0f}x the input (at most {at_most:.0f}x)")
    return a, b


def assert_linear(run: Callable[[int], Any], small: int, large: int, *, slack: float = 2.0,
                  floor: float = FLOOR, repeat: int = 1) -> tuple[float, float]:
    """Assert that ``run(large)`` costs under ``slack * large / small`` times ``run(small)`` in CPU
    time; return both times. ``small`` and ``large`` are the input sizes (any unit in which the
    work should grow linearly).

    Example:
        >>> a, b = assert_linear(lambda n: [str(i) for i in range(n)], 20_000, 80_000)
        >>> a >= 0 and b >= 0
        True
    """
    return assert_growth(run, small, large, at_most=slack * large / small, floor=floor, repeat=repeat)
